import assert from 'node:assert/strict'
import {runValidation} from '../../src/validation/run.js'
import type {Finding, Severity, ValidationSummary} from '../../src/validation/findings.js'
import type {MultiInterfaceMode} from '../../src/workloadendpoints/convert.js'
import type {Flavor} from '../../src/validation/context.js'

export interface Checked {
  findings: Finding[]
  /** The exit code the CLI sets for this run (0 clean, 1 findings at or above the fail level). */
  code: number
  summary: ValidationSummary
}

/** Validates YAML text in-process through the same path as `xctl validate -f - -o json`. */
export async function check(
  yaml: string,
  options: {failLevel?: Severity; namespace?: string; mode?: MultiInterfaceMode; flavor?: Flavor} = {},
): Promise<Checked> {
  let out = ''
  const result = await runValidation(
    {
      paths: ['-'],
      read: {stdin: [yaml]},
      format: 'json',
      failLevel: options.failLevel ?? 'error',
      color: false,
      cwd: process.cwd(),
      toolVersion: 'test',
      defaultNamespace: options.namespace,
      mode: options.mode,
      flavor: options.flavor,
    },
    async (chunk) => {
      out += chunk
    },
  )
  const parsed = JSON.parse(out)
  return {findings: parsed.findings, code: result.failed ? 1 : 0, summary: parsed.summary}
}

/** Asserts one finding of `rule` at line:column (and returns it); `message` is matched when given. */
export function expectFinding(r: Checked, rule: string, line: number, column: number, message?: RegExp): Finding {
  const found = r.findings.find((f) => f.rule === rule && f.line === line && f.column === column)
  assert.ok(
    found,
    `expected ${rule} at ${line}:${column}; got:\n${r.findings.map((f) => `  ${f.line}:${f.column} ${f.rule} ${f.message}`).join('\n')}`,
  )
  if (message) assert.match(found.message, message)
  return found
}

export function expectNo(r: Checked, rule: string): void {
  const found = r.findings.filter((f) => f.rule === rule)
  assert.equal(
    found.length,
    0,
    `expected no ${rule}; got:\n${found.map((f) => `  ${f.line}:${f.column} ${f.message}`).join('\n')}`,
  )
}

export function rules(r: Checked): string[] {
  return r.findings.map((f) => f.rule)
}

/**
 * An invalid case: a finding of `rule` at line:column, and the exit code the CLI would give (1 when the finding
 * is an error, 0 for a warning under the default fail level, unless `code` says otherwise).
 */
export async function invalid(
  yaml: string,
  rule: string,
  line: number,
  column: number,
  message?: RegExp,
  options: {code?: number; failLevel?: Severity; namespace?: string; mode?: MultiInterfaceMode; flavor?: Flavor} = {},
): Promise<Checked> {
  const r = await check(yaml, options)
  const f = expectFinding(r, rule, line, column, message)
  const expected = options.code ?? (f.severity === 'error' || options.failLevel === 'warning' ? 1 : 0)
  assert.equal(r.code, expected, `exit code for ${rule}`)
  return r
}

/** A valid case: no findings at all, exit 0. */
export async function valid(yaml: string, options: {namespace?: string; flavor?: Flavor} = {}): Promise<Checked> {
  const r = await check(yaml, options)
  assert.deepEqual(
    r.findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`),
    [],
  )
  assert.equal(r.code, 0)
  return r
}

/** A NAD with `config` as a single-quoted YAML string, the config starting at line 7. */
export function nad(config: string, extra = ''): string {
  return `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: net-a
  namespace: default
spec:
  config: '${config}'
${extra}`
}

/** Validates files in-process (same path as the CLI). */
export async function checkFiles(
  paths: string[],
  options: {failLevel?: Severity; recursive?: boolean; maxDocumentSize?: number} = {},
): Promise<Checked> {
  let out = ''
  const result = await runValidation(
    {
      paths,
      recursive: options.recursive,
      read: {maxDocumentSize: options.maxDocumentSize},
      format: 'json',
      failLevel: options.failLevel ?? 'error',
      color: false,
      cwd: process.cwd(),
      toolVersion: 'test',
    },
    async (chunk) => {
      out += chunk
    },
  )
  const parsed = JSON.parse(out)
  return {findings: parsed.findings, code: result.failed ? 1 : 0, summary: parsed.summary}
}
