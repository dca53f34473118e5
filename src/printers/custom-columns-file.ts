import {UsageError} from '../core/errors.js'
import {fieldPath} from '../jsonpath/index.js'
import type {Column} from '../resources/descriptor.js'

const FORMAT = 'Expected format is one line of space separated headers, one line of space separated column specs.'

/**
 * `-o custom-columns-file=FILE`: a line of headings and a line of JSONPath specs, separated by white space
 * (kubernetes/kubectl pkg/cmd/get/customcolumn.go NewCustomColumnsPrinterFromTemplate, same messages).
 */
export function columnsFromFile(text: string): Column[] {
  const lines = text.split(/\r?\n/)
  const words = (line: string | undefined) => (line ?? '').split(/\s+/).filter(Boolean)
  if (lines.length < 1 || (lines.length === 1 && lines[0] === ''))
    throw new UsageError(`invalid template, missing header line. ${FORMAT}`)
  if (lines.length < 2 || (lines.length === 2 && lines[1] === ''))
    throw new UsageError(`invalid template, missing spec line. ${FORMAT}`)
  const headers = words(lines[0])
  const specs = words(lines[1])
  if (headers.length !== specs.length)
    throw new UsageError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`)
  return headers.map((header, i) => {
    try {
      const value = fieldPath(specs[i])
      return {header, value: (o) => value(o)}
    } catch (error) {
      throw new UsageError(`invalid custom-columns field "${specs[i]}": ${(error as Error).message}`)
    }
  })
}
