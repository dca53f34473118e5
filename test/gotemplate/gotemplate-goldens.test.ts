/**
 * -o go-template against what kubectl v1.32 printed for the same templates on the same object
 * (fixtures/gotemplate-goldens.json, recorded by record-gotemplate-goldens.mjs): stdout byte for byte, and for a
 * failure kubectl's message. Runs in-process through the printer, without kubectl.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {ExitCode, XctlError} from '../../src/core/errors.js'
import {createPrinter} from '../../src/printers/factory.js'
import {networkAttachmentDefinition} from '../../src/resources/nad.js'

interface Golden {
  template: string
  stdout: string
  stderr: string
  status: number
}
const goldens = JSON.parse(readFileSync(new URL('fixtures/gotemplate-goldens.json', import.meta.url), 'utf8')) as {
  object: Record<string, unknown>
  results: Golden[]
}

const options = {
  descriptor: networkAttachmentDefinition,
  showNamespace: false,
  noHeaders: false,
  single: true,
  color: false,
}

/** What xctl prints for one template: stdout, and the error it exits with (if any). */
async function run(template: string): Promise<{stdout: string; error?: XctlError}> {
  let printer
  try {
    printer = await createPrinter(`go-template=${template}`, options)
  } catch (error) {
    return {stdout: '', error: error as XctlError}
  }
  printer.page([structuredClone(goldens.object) as never])
  const stdout = printer.end()
  return {stdout, error: printer.failure}
}

describe('go-template: the same output as kubectl', () => {
  for (const golden of goldens.results) {
    it(JSON.stringify(golden.template), async () => {
      const {stdout, error} = await run(golden.template)
      assert.equal(stdout, golden.stdout)
      if (golden.status === 0) {
        assert.equal(error, undefined)
        return
      }
      assert.ok(error instanceof XctlError, 'kubectl failed, so must xctl')
      // kubectl's last stderr line is `error: MESSAGE` (a parse error adds a blank line after it).
      assert.equal(`error: ${error.message}`, golden.stderr.replace(/\n+$/, '').split('\n').pop())
      // House rule: a template that does not parse is a usage error (kubectl exits 1 for everything).
      const parseError = error.message.startsWith('error parsing template')
      assert.equal(error.exitCode, parseError ? ExitCode.usage : ExitCode.resource)
    })
  }
})
