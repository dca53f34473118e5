import {isJsonObject} from '../core/go-json.js'
import {access, constants} from 'node:fs/promises'
import {InputError} from '../core/errors.js'
import {
  expandPaths,
  readManifestBatches,
  type ManifestDocument,
  type ProblemKind,
  type ReadOptions,
} from '../manifests/read.js'
import {kubectlDecodeProblem} from '../manifests/object.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'
import {RULES, type RuleId} from './catalog.js'
import {Check, type CheckSettings, type Flavor} from './context.js'
import {compareFindings, type DocumentResult, type Finding, type ValidationSummary} from './findings.js'
import {Knowledge, type ClusterFacts} from './knowledge.js'
import {RULE_SETS, type KindRules} from './rules/index.js'
import {checkKeyCase, caseVariant} from './rules/common.js'
import {checkLabelsAndAnnotations} from './rules/metadata.js'
import {show} from './text.js'

export interface ValidateOptions {
  /** Files, directories, `-` for stdin. */
  paths: string[]
  recursive?: boolean
  /** Namespace of namespaced objects that name none (-n; default `default`). */
  defaultNamespace?: string
  /** How pods become endpoints for selector checks (MULTI_INTERFACE_MODE). */
  mode?: MultiInterfaceMode
  /** --cluster: opens the cluster; its names (NADs, pools, tiers) are read before the input, endpoints at the end. */
  cluster?: () => Promise<ClusterFacts>
  read?: Pick<ReadOptions, 'stdin' | 'maxDocumentSize'>
  /** Which Calico the manifests are for: `oss` warns about Calico Enterprise / Calico Cloud fields and values. */
  flavor?: Flavor
}

/** Where results go as they are found (a reporter). */
export interface ValidationSink {
  /** Each document (or list item) once validated, its findings in source order. */
  document(result: DocumentResult): void | Promise<void>
  /** Findings settled after the whole input was read (cross-references), in input order. */
  late(findings: Finding[]): void | Promise<void>
}

/** etcd's default request limit: the API server cannot store a bigger object. */
const MAX_OBJECT_SIZE = 1.5 * 1024 * 1024

const PROBLEM_RULES: Record<ProblemKind, RuleId> = {
  syntax: 'input/syntax',
  'invalid-utf8': 'input/invalid-utf8',
  binary: 'input/binary',
  'too-large': 'input/document-too-large',
  'too-deep': 'input/too-deep',
  'alias-limit': 'input/alias-limit',
}

/**
 * Validates every document of the input, streaming: each document is read, checked, handed to the sink and
 * dropped. Only names needed for cross-references (NADs, tiers, pools) are kept. Throws InputError (exit 3)
 * when a path cannot be read; everything found inside readable files is a finding.
 */
export async function validate(options: ValidateOptions, sink: ValidationSink): Promise<ValidationSummary> {
  const files = await expandPaths(options.paths, options.recursive)
  await checkReadable(files)
  const run: ValidationRun = {summary: emptySummary(), knowledge: new Knowledge(), settings: settingsOf(options), sink}
  if (files.length === 0) {
    const where = options.paths.join(', ')
    await emit(
      run,
      inputFinding(
        where,
        'input/no-resources',
        `no .yaml, .yml or .json files in ${where}${options.recursive ? '' : ' (use -R to include sub-directories)'}`,
      ),
    )
  }
  // With --cluster, the names references are checked against are read before the input.
  let cluster: ClusterFacts | undefined
  if (options.cluster) {
    cluster = await options.cluster()
    run.knowledge.cluster = {server: cluster.server, names: await cluster.names()}
  }
  // Each file's place in the input, to put late findings in input order.
  const order = new Map<string, number>()
  for (const file of files) {
    run.summary.files++
    const name = file === '-' ? '<stdin>' : file
    order.set(name, order.size)
    await validateFile(run, file, name, options.read)
  }
  try {
    await reportLate(run, cluster, order)
  } finally {
    cluster?.close()
  }
  return run.summary
}

/** What every step of one validate() run shares. */
interface ValidationRun {
  summary: ValidationSummary
  knowledge: Knowledge
  settings: CheckSettings
  sink: ValidationSink
}

/**
 * Every file is checked before anything is reported, so an unreadable one stops the run (exit 3) before a
 * half-written report.
 */
async function checkReadable(files: string[]): Promise<void> {
  for (const file of files) {
    if (file === '-') continue
    try {
      await access(file, constants.R_OK)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new InputError(
        `cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`,
        'check the path given to -f and its permissions',
      )
    }
  }
}

function emptySummary(): ValidationSummary {
  return {files: 0, documents: 0, resources: 0, validated: {}, passedThrough: {}, errors: 0, warnings: 0}
}

function settingsOf(options: ValidateOptions): CheckSettings {
  return {
    defaultNamespace: options.defaultNamespace ?? 'default',
    mode: options.mode ?? 'none',
    cluster: Boolean(options.cluster),
    flavor: options.flavor ?? 'any',
  }
}

function countFindings(summary: ValidationSummary, findings: Finding[]): void {
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++
    else summary.warnings++
  }
}

/** A result found outside the per-document loop, counted and handed to the sink. */
async function emit(run: ValidationRun, result: DocumentResult): Promise<void> {
  countFindings(run.summary, result.findings)
  const pending = run.sink.document(result)
  if (pending) await pending
}

/** One file's documents, batch by batch; a file with no resources at all is a finding of its own. */
async function validateFile(
  run: ValidationRun,
  file: string,
  name: string,
  read: ValidateOptions['read'],
): Promise<void> {
  const {summary, knowledge, settings, sink} = run
  const progress: FileProgress = {resources: 0, unreadable: 0, lastDocument: -1}
  for await (const batch of readManifestBatches(file, read)) {
    const docs = batch[Symbol.iterator]()
    // Synchronous until the sink asks for an await (a full pipe): an await per document costs more than its checks.
    for (;;) {
      const pending = validateUntilPending(docs, progress, summary, knowledge, settings, sink)
      if (pending === undefined) break
      await pending
    }
  }
  const {resources, unreadable} = progress
  if (resources === 0 && unreadable === 0) {
    await emit(
      run,
      inputFinding(
        name,
        'input/no-resources',
        `${name === '<stdin>' ? 'the standard input' : name} holds no resources (it is empty, ` +
          `or only comments and empty documents)`,
      ),
    )
  }
}

/** Cross-reference findings settled once the whole input is read, in input order (file, document, item, place). */
async function reportLate(
  run: ValidationRun,
  cluster: ClusterFacts | undefined,
  order: Map<string, number>,
): Promise<void> {
  const late = await run.knowledge.resolve(cluster)
  late.sort(
    (a, b) =>
      (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
      a.document - b.document ||
      (a.item ?? 0) - (b.item ?? 0) ||
      compareFindings(a, b),
  )
  countFindings(run.summary, late)
  if (late.length > 0) await run.sink.late(late)
}

/** What one file's documents have added up to so far. */
interface FileProgress {
  resources: number
  unreadable: number
  lastDocument: number
}

/**
 * Validates documents and hands them to the sink until the sink returns a promise (handed back, to be awaited) or
 * the documents run out (undefined). The hot loop lives here rather than in `validate`: V8 optimizes a small
 * synchronous function once, where an async function's loop is compiled on the stack (OSR) with everything it
 * inlines, again after each deoptimization — compile time a one-core run pays for.
 */
function validateUntilPending(
  docs: Iterator<ManifestDocument>,
  progress: FileProgress,
  summary: ValidationSummary,
  knowledge: Knowledge,
  settings: CheckSettings,
  sink: ValidationSink,
): Promise<void> | undefined {
  for (let next = docs.next(); !next.done; next = docs.next()) {
    const doc = next.value
    if (doc.index !== progress.lastDocument) {
      summary.documents++
      progress.lastDocument = doc.index
    }
    const result = validateDocument(doc, knowledge, settings)
    if (result.kind !== undefined) {
      progress.resources++
      summary.resources++
      const tally = result.judged ? summary.validated : summary.passedThrough
      tally[result.kind] = (tally[result.kind] ?? 0) + 1
    } else {
      progress.unreadable++
    }
    for (const f of result.findings) {
      if (f.severity === 'error') summary.errors++
      else summary.warnings++
    }
    const pending = sink.document(result)
    if (pending) return pending
  }
  return undefined
}

function inputFinding(file: string, rule: RuleId, message: string): DocumentResult {
  return {
    file,
    document: 0,
    judged: false,
    findings: [{rule, severity: RULES[rule].severity, message, file, document: 0, line: 1, column: 1, path: ''}],
  }
}

/** The rule set of each kind and apiVersion seen, found once (RULE_SETS' matches() are pure). */
const rulesByKind = new Map<string, KindRules | undefined>()

function rulesFor(kind: string, apiVersion: string): KindRules | undefined {
  const key = `${kind}\n${apiVersion}`
  if (rulesByKind.has(key)) return rulesByKind.get(key)
  // Bounded: a hostile input could name endless kinds.
  if (rulesByKind.size >= 1024) rulesByKind.clear()
  const rules = RULE_SETS.find((r) => r.matches(kind, apiVersion))
  rulesByKind.set(key, rules)
  return rules
}

/** One document: unreadable input, a resource of a kind with rules, or a resource passed through. */
export function validateDocument(doc: ManifestDocument, knowledge: Knowledge, settings: CheckSettings): DocumentResult {
  if (doc.errors.length > 0 || !isJsonObject(doc.object)) return unreadable(doc, knowledge, settings)
  const o = doc.object as Record<string, unknown>
  const kind = typeof o.kind === 'string' ? o.kind : ''
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : ''
  const metadata = isJsonObject(o.metadata) ? o.metadata : undefined
  const rules = kind ? rulesFor(kind, apiVersion) : undefined
  const namespace = rules?.namespaced
    ? typeof metadata?.namespace === 'string' && metadata.namespace !== ''
      ? metadata.namespace
      : settings.defaultNamespace
    : undefined
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined
  const c = new Check(doc, {kind, apiVersion, namespace, name}, knowledge, settings)
  if (!kind || (!apiVersion && !rules)) {
    const missing = [!apiVersion && 'apiVersion', !kind && 'kind'].filter(Boolean).join(' and ')
    const cased = ['apiVersion', 'kind'].map((k) => caseVariant(o, k)).filter((k): k is string => k !== undefined)
    if (cased.length > 0) {
      checkKeyCase(c, o)
      return {file: doc.file, document: doc.index, item: doc.listIndex, judged: false, findings: c.findings}
    }
    c.report(
      'input/missing-kind',
      kind ? '/apiVersion' : '/kind',
      `${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing or not a string: ` +
        `every Kubernetes object needs both (e.g. apiVersion: v1, kind: Pod)`,
    )
    return {file: doc.file, document: doc.index, item: doc.listIndex, judged: false, findings: c.findings}
  }
  reportDecodeProblem(c, o)
  // One fixed shape, no spreads: this runs for every document.
  const result: DocumentResult = {
    file: doc.file,
    document: doc.index,
    item: doc.listIndex,
    kind,
    apiVersion,
    namespace,
    name,
    judged: Boolean(rules) && !rules?.observeOnly,
    findings: c.findings,
  }
  if (doc.listIndex === undefined && doc.size !== undefined && doc.size > MAX_OBJECT_SIZE) {
    c.report(
      'input/object-too-large',
      '',
      `the object is ${(doc.size / (1024 * 1024)).toFixed(1)} MiB; the API server refuses ` +
        `objects over about 1.5 MiB (etcd's request limit), so it cannot be applied as it ` +
        `is`,
    )
  }
  if (rules && !rules.observeOnly) {
    checkKeyCase(c, o)
    checkLabelsAndAnnotations(c, '/metadata', o.metadata)
  }
  rules?.check(c, o)
  if (c.findings.length > 1) c.findings.sort(compareFindings)
  return result
}

/**
 * What kubectl refuses while decoding (`kubectl apply -f` stops there): a label or annotation value that is not a
 * string (`enabled: yes` is a boolean for go-yaml v2), a number where ObjectMeta wants a string, a non-string
 * apiVersion. Reported in kubectl's words under the rule of the field it concerns.
 */
function reportDecodeProblem(c: Check, o: Record<string, unknown>): void {
  const problem = kubectlDecodeProblem(o)
  if (!problem) return
  const {pointer} = problem
  const rule: RuleId = pointer.startsWith('/metadata/labels')
    ? 'metadata/labels'
    : pointer.startsWith('/metadata/annotations')
      ? 'metadata/annotations'
      : pointer === '/metadata/namespace'
        ? 'metadata/namespace'
        : pointer === '/apiVersion'
          ? 'input/missing-kind'
          : 'input/not-an-object'
  const hint = pointer.startsWith('/metadata/labels') || pointer.startsWith('/metadata/annotations')
  const quote = hint ? ' (quote the value: YAML reads yes/no/on/off/true/false as booleans and 1, 0400 as numbers)' : ''
  c.report(rule, pointer, `kubectl refuses this document: ${problem.message}${quote}`)
}

/** A document that is not a resource: unreadable input, or not an object at all. */
function unreadable(doc: ManifestDocument, knowledge: Knowledge, settings: CheckSettings): DocumentResult {
  const base = {file: doc.file, document: doc.index, ...(doc.listIndex !== undefined ? {item: doc.listIndex} : {})}
  if (doc.errors.length > 0) {
    const findings = doc.errors.map((e): Finding => {
      const rule = PROBLEM_RULES[e.kind ?? 'syntax']
      const message = rule === 'input/syntax' ? `YAML syntax error: ${e.message}` : e.message
      return {rule, severity: 'error', message, ...base, line: e.line, column: e.column, path: ''}
    })
    return {...base, judged: false, findings}
  }
  const o = doc.object
  const c = new Check(doc, {kind: '', apiVersion: ''}, knowledge, settings)
  c.report(
    'input/not-an-object',
    '',
    `the document is ${Array.isArray(o) ? 'a list' : `the value ${show(o)}`}, not a Kubernetes ` +
      `object (a mapping with apiVersion, kind and metadata)`,
  )
  return {...base, judged: false, findings: c.findings}
}
