/**
 * The engine itself (src/gotemplate/index.ts compileGoTemplate), without the printer around it: output, Go's parse
 * and execution errors, the output written before a failure (`partial`, which kubectl prints ahead of its error), and
 * missing keys (`<no value>`, or an error as with kubectl's --allow-missing-template-keys=false). Expected texts come
 * from kubectl's own run recorded in fixtures/gotemplate-goldens.json.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {compileGoTemplate, TemplateExecError, TemplateParseError} from '../../src/gotemplate/index.js'

const goldens = JSON.parse(readFileSync(new URL('fixtures/gotemplate-goldens.json', import.meta.url), 'utf8')) as {
  object: Record<string, unknown>
  results: Array<{template: string; stdout: string; stderr: string; status: number}>
}
const golden = (template: string) => goldens.results.find((r) => r.template === template)!
const run = (template: string, options?: {missingKeyError?: boolean}) =>
  compileGoTemplate(template).execute(structuredClone(goldens.object), options)

/** The error thrown by `fn`, for its fields. */
function thrown(fn: () => unknown): Error & {partial?: string} {
  try {
    fn()
  } catch (error) {
    return error as Error & {partial?: string}
  }
  assert.fail('expected an error')
}

describe('compileGoTemplate', () => {
  it("every template kubectl ran without error prints kubectl's stdout", () => {
    const ok = goldens.results.filter((r) => r.status === 0)
    assert.ok(ok.length > 50)
    for (const r of ok) assert.equal(run(r.template), r.stdout, r.template)
  })

  it("a template that does not parse: TemplateParseError with Go's message, at compile time", () => {
    for (const template of ['{{.a.b', '{{.a}}{{end}}', '{{.spec.numbers | 3}}']) {
      const error = thrown(() => compileGoTemplate(template))
      assert.ok(error instanceof TemplateParseError, template)
      // kubectl: `error parsing template TEMPLATE, MESSAGE`.
      assert.equal(`error: error parsing template ${template}, ${error.message}\n`, golden(template).stderr)
    }
  })

  it('an execution error: TemplateExecError with the position and the failing node, as Go says it', () => {
    const error = thrown(() => run('{{.spec.text.x}}'))
    assert.ok(error instanceof TemplateExecError)
    assert.equal(
      error.message,
      `template: output:1:7: executing "output" at <.spec.text.x>: can't evaluate field x in type interface {}`,
    )
    assert.equal(error.partial, '')
  })

  it('the output written before the failure is kept in partial (kubectl prints it first)', () => {
    const template =
      '{{eq .spec.text "abc"}} {{eq .spec.numbers 1}} {{eq (index .spec.numbers 9) -3}} {{eq .nope .nope2}} ' +
      '{{eq 1 .nope}} {{eq "x" "y" "x"}}'
    const error = thrown(() => run(template))
    assert.ok(error instanceof TemplateExecError)
    assert.ok(golden(template).stdout.startsWith(`${error.partial}Error executing template: ${error.message}`))
    assert.equal(error.partial, 'true ')
  })

  it('a missing key prints <no value>, or fails when missing keys are errors', () => {
    assert.equal(run('{{.nope}}|{{.metadata.nope}}'), '<no value>|<no value>')
    // Go places a field chain at its second field (parse.go: the chain's position): `.nope` is at byte 12.
    const error = thrown(() => run('a{{.metadata.nope}}', {missingKeyError: true}))
    assert.ok(error instanceof TemplateExecError)
    assert.match(
      error.message,
      /^template: output:1:12: executing "output" at <\.metadata\.nope>: map has no entry for key "nope"$/,
    )
    assert.equal(error.partial, 'a')
  })
})
