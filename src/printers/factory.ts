import {InputError, UsageError} from '../core/errors.js'
import {NAMESPACE_COLUMN, type Column} from '../resources/descriptor.js'
import {OUTPUT_FORMATS} from './formats.js'
import {JsonPrinter} from './json.js'
import {NamePrinter} from './name.js'
import type {Printer, PrintOptions} from './printer.js'
import {TablePrinter} from './table.js'
import {YamlPrinter} from './yaml.js'

export {OUTPUT_FORMATS} from './formats.js'

/** kubectl's names for the Go template formats: `template` and `templatefile` are its older aliases. */
const GO_TEMPLATE_FORMATS = new Set(['go-template', 'template', 'go-template-file', 'templatefile'])
const FILE_FORMATS = new Set(['go-template-file', 'templatefile', 'jsonpath-file', 'custom-columns-file'])

/** Chooses the printer for `-o` once (kubectl's PrintFlags.ToPrinter); unknown formats are usage errors. */
export async function createPrinter(format: string | undefined, options: PrintOptions): Promise<Printer> {
  const d = options.descriptor
  const output = format ?? 'ps'
  const bold = options.color ? await boldStyle() : undefined
  switch (output) {
    case 'ps':
      return new TablePrinter(d.columns, options, bold)
    case 'wide':
      return new TablePrinter(d.wideColumns, options, bold)
    case 'yaml':
    case 'yml':
      return new YamlPrinter(options)
    case 'json':
      return new JsonPrinter(options)
    case 'name':
      return new NamePrinter(options)
  }
  const eq = output.indexOf('=')
  const kind = eq === -1 ? output : output.slice(0, eq)
  let spec = eq === -1 ? '' : output.slice(eq + 1)
  // kubectl: `--template` gives the template (or file) of `-o go-template`, `-o jsonpath` and their file forms.
  if (eq === -1 && options.template && (GO_TEMPLATE_FORMATS.has(kind) || kind.startsWith('jsonpath')))
    spec = options.template
  if (FILE_FORMATS.has(kind)) spec = await templateFile(kind, spec)
  if (GO_TEMPLATE_FORMATS.has(kind)) {
    if (spec === '') throw new UsageError('template format specified but no template given', GO_TEMPLATE_EXAMPLE)
    const {GoTemplatePrinter} = await import('./gotemplate.js')
    return GoTemplatePrinter.create(spec, options)
  }
  if (kind === 'custom-columns-file') {
    const {columnsFromFile} = await import('./custom-columns-file.js')
    return new TablePrinter(columnsFromFile(spec), {...options, showNamespace: false}, bold)
  }
  if (kind === 'custom-columns') {
    if (spec.trim() === '')
      throw new UsageError(
        'need to specify at least one column',
        'e.g. -o custom-columns=NAME:.metadata.name,NODE:.spec.node or -o custom-columns=NAME,NODE',
      )
    return new TablePrinter(await customColumns(spec, options), {...options, showNamespace: false}, bold)
  }
  if (kind === 'jsonpath' || kind === 'jsonpath-file') {
    if (spec.trim() === '')
      throw new UsageError(
        'template format specified but no template given',
        "e.g. -o jsonpath='{.items[*].metadata.name}'",
      )
    const {JsonPathPrinter} = await import('./jsonpath.js')
    return JsonPathPrinter.create(spec, options)
  }
  throw new UsageError(`unrecognized output format '${output}'`, `use one of: ${OUTPUT_FORMATS.join(', ')}`)
}

/** kubectl's `HEADER:.field.path` columns, or calicoctl's bare headings (`NAME,NODE`). */
async function customColumns(spec: string, options: PrintOptions): Promise<Column[]> {
  const d = options.descriptor
  const known = [NAMESPACE_COLUMN, ...d.wideColumns, ...d.columns, ...(d.extraColumns ?? [])]
  const columns: Column[] = []
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':')
    if (colon === -1) {
      const heading = part.trim().toUpperCase()
      const column = known.find((c) => c.header === heading)
      if (!column)
        throw new UsageError(
          `unknown heading ${part.trim()}, valid values are: ${[...new Set(known.map((c) => c.header))].join(', ')}`,
        )
      columns.push(column)
    } else {
      const {fieldPath} = await import('../jsonpath/index.js')
      const header = part.slice(0, colon)
      try {
        const value = fieldPath(part.slice(colon + 1))
        columns.push({header, value: (o) => value(o)})
      } catch (error) {
        throw new UsageError(`invalid custom-columns field "${part.slice(colon + 1)}": ${(error as Error).message}`)
      }
    }
  }
  return columns
}

const GO_TEMPLATE_EXAMPLE = `e.g. -o go-template='{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'`

/** The text of `-o go-template-file=FILE` and the like; a file that cannot be read is an input error (exit 3). */
async function templateFile(kind: string, path: string): Promise<string> {
  if (path === '') throw new UsageError(`${kind} needs a file name`, `e.g. -o ${kind}=./columns.txt`)
  const {readFile} = await import('node:fs/promises')
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const why = {ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory'}
    const reason = why[e.code as keyof typeof why] ?? e.message
    throw new InputError(
      `error reading --template ${path}, open ${path}: ${reason}`,
      `check the file given to -o ${kind}`,
    )
  }
}

async function boldStyle(): Promise<(s: string) => string> {
  const {default: chalk} = await import('chalk')
  return (s) => chalk.bold(s)
}
