import {isJsonObject} from '../../core/go-json.js'
import {currentInvocation} from '../../core/streams.js'
import {trySelector, type Selector, type SelectorNode} from '../../selector/index.js'
import {LABEL_NETWORK_INTERFACE} from '../../workloadendpoints/convert.js'
import {interfacePrefix} from '../../workloadendpoints/names.js'
import type {RuleId} from '../catalog.js'
import type {Check} from '../context.js'
import {didYouMean, escapePointer, labelProblem, show} from '../text.js'

/** One set of rules: the kinds it applies to and how to check one resource. */
export interface KindRules {
  matches(kind: string, apiVersion: string): boolean
  namespaced: boolean
  /** Only gathers facts for cross-checks (e.g. namespace labels); the kind still counts as passed through. */
  observeOnly?: boolean
  check(c: Check, o: Record<string, unknown>): void
}

const CALICO_V3 = 'projectcalico.org/v3'
const CALICO_V1 = 'crd.projectcalico.org/v1'

export function isCalicoApi(apiVersion: string): boolean {
  return apiVersion === CALICO_V3 || apiVersion === CALICO_V1
}

/** Calico kinds written as crd.projectcalico.org/v1 are read as v3, with a warning. */
export function checkCalicoApi(c: Check): void {
  if (c.resource.apiVersion === CALICO_V1) {
    c.report(
      'calico/internal-api',
      '/apiVersion',
      `apiVersion ${CALICO_V1} is Calico's internal storage form: write apiVersion ${CALICO_V3} ` +
        `and apply through calicoctl or the Calico API server (validated here as ${CALICO_V3})`,
    )
  }
}

/** metadata.namespace: a DNS label on namespaced kinds, absent on cluster-scoped ones. */
export function checkNamespace(c: Check, o: Record<string, unknown>, namespaced: boolean): void {
  const meta = o.metadata
  if (!isJsonObject(meta) || meta.namespace === undefined || meta.namespace === null) return
  if (!namespaced) {
    c.report(
      'metadata/namespace',
      '/metadata/namespace',
      `${c.resource.kind} is cluster-scoped: remove metadata.namespace (calicoctl: "namespace ` +
        `should not be specified for a non-namespaced resource")`,
      {atKey: true},
    )
    return
  }
  if (typeof meta.namespace !== 'string') {
    c.report(
      'metadata/namespace',
      '/metadata/namespace',
      `metadata.namespace is ${show(meta.namespace)}; it must be a string`,
    )
    return
  }
  const problem = labelProblem(meta.namespace)
  if (problem && meta.namespace !== '')
    c.report(
      'metadata/namespace',
      '/metadata/namespace',
      `namespace ${show(meta.namespace)} is not a valid namespace name: ${problem}`,
    )
}

/** metadata.name present and a string; returns it for the kind's own naming rule. */
export function nameOf(c: Check, o: Record<string, unknown>, rule: RuleId): string | undefined {
  const meta = o.metadata
  if (!isJsonObject(meta)) {
    // `Metadata:` has its own finding (metadata/key-case); "name is missing" would point at the wrong thing.
    if (meta === undefined && caseVariant(o, 'metadata') !== undefined) return undefined
    c.report(
      rule,
      meta === undefined ? '' : '/metadata',
      `metadata.name is missing: every ${c.resource.kind} needs a name`,
    )
    return undefined
  }
  if (meta.name === undefined || meta.name === null || meta.name === '') {
    c.report(
      rule,
      '/metadata',
      `metadata.name is missing: every ${c.resource.kind} needs a name${meta.generateName ? ' (generateName only works with kubectl create, not apply)' : ''}`,
    )
    return undefined
  }
  if (typeof meta.name !== 'string') {
    c.report(rule, '/metadata/name', `metadata.name is ${show(meta.name)}; it must be a string`)
    return undefined
  }
  return meta.name
}

export type JsonKind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'string-array'

function typeMatches(value: unknown, kind: JsonKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return isJsonObject(value)
    case 'array':
      return Array.isArray(value)
    case 'string-array':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
  }
}

const KIND_WORDS: Record<JsonKind, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  'string-array': 'a list of strings',
}

/** Reports and returns false when a present field has the wrong type (null counts as absent). */
export function expectType(
  c: Check,
  rule: RuleId,
  pointer: string,
  value: unknown,
  kind: JsonKind,
  name?: string,
): boolean {
  if (value === undefined || value === null || typeMatches(value, kind)) return true
  const field = name ?? pointer.slice(pointer.lastIndexOf('/') + 1)
  const hint =
    typeof value === 'string' && (kind === 'number' || kind === 'integer') && /^-?\d+(\.\d+)?$/.test(value)
      ? ` (write ${value} without quotes)`
      : typeof value === 'string' && kind === 'array'
        ? ` (write it as a list: [${show(value)}])`
        : ''
  c.report(rule, pointer, `${field} is ${show(value)}; it must be ${KIND_WORDS[kind]}${hint}`)
  return false
}

/** Unknown members of a mapping, each with the nearest known name. */
export function checkKnownFields(
  c: Check,
  rule: RuleId,
  pointer: string,
  obj: Record<string, unknown>,
  known: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue
    const suggestion = didYouMean(key, known)
    c.report(
      rule,
      `${pointer}/${escapePointer(key)}`,
      `${where} has no field ${show(key)}${suggestion}; unknown fields are refused by calicoctl ` +
        `and dropped by the API server`,
      {atKey: true},
    )
  }
}

export interface SelectorCheck {
  syntaxRule: RuleId
  globalRule: RuleId
  /** `whole`: global() allowed as the entire selector (a rule's namespaceSelector); `never` otherwise. */
  global: 'whole' | 'never'
  field: string
}

/** Parses by text, kept: manifests repeat the same selectors (parses are immutable, so they can be shared). */
const SELECTOR_CACHE_SIZE = 4096
const selectorCache = new Map<string, ReturnType<typeof trySelector>>()

function parsedSelector(text: string): ReturnType<typeof trySelector> {
  let parsed = selectorCache.get(text)
  if (parsed === undefined) {
    if (selectorCache.size >= SELECTOR_CACHE_SIZE) selectorCache.clear()
    parsed = trySelector(text)
    selectorCache.set(text, parsed)
  }
  return parsed
}

// Verdicts on a parsed selector, kept with it: the cache above hands out the same Selector for the same text, and
// asking again would walk its tree for every policy.
const globalVerdicts = new WeakMap<Selector, boolean>()
const hostSideValues = new WeakMap<Selector, {prefix: string; values: string[]}>()

function usesGlobal(sel: Selector): boolean {
  let verdict = globalVerdicts.get(sel)
  if (verdict === undefined) {
    verdict = sel.usesGlobal()
    globalVerdicts.set(sel, verdict)
  }
  return verdict
}

/** Parses a selector, pointing errors at their column inside it; returns the parsed selector when valid. */
export function checkSelector(c: Check, pointer: string, value: unknown, opts: SelectorCheck): Selector | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') {
    c.report(opts.syntaxRule, pointer, `${opts.field} is ${show(value)}; a selector is a string such as app == "web"`)
    return undefined
  }
  const parsed = parsedSelector(value)
  if ('error' in parsed) {
    const e = parsed.error
    c.report(
      opts.syntaxRule,
      pointer,
      `${opts.field} ${show(value, 80)} does not parse: ${e.message} (column ${e.column} ` +
        `of the selector)${selectorHint(value, e.offset, e.message)}`,
      {offset: e.offset},
    )
    return undefined
  }
  const sel = parsed.selector
  if (usesGlobal(sel) && !(opts.global === 'whole' && sel.isGlobalOnly())) {
    const offset = value.indexOf('global')
    const message =
      opts.global === 'whole'
        ? `global() cannot be combined with other selectors in ${opts.field}: write namespaceSelector: global() alone`
        : `global() can only be used as a rule's whole namespaceSelector (source or destination), not in ${opts.field}`
    c.report(opts.globalRule, pointer, message, {offset: offset >= 0 ? offset : undefined})
  }
  return sel
}

/** What most likely went wrong at a selector error, in words. */
function selectorHint(text: string, offset: number, message: string): string {
  const rest = text.slice(offset)
  if (message === 'expected string') {
    const word = /^[A-Za-z0-9_./-]+/.exec(rest)?.[0]
    if (word) return `: values must be quoted, e.g. == '${word}'`
    return ': a quoted value is expected, e.g. == "web"'
  }
  if (message === 'expected ==') return ': write == (two equals signs)'
  if (message.startsWith('unexpected token: TokEq') || message.startsWith('unexpected token: TokNe'))
    return ': a label name is missing before the operator'
  if (message === 'unterminated string') return ': close the quote'
  if (message.startsWith('unexpected token: TokEOF')) return ': the selector ends too early'
  return ''
}

/**
 * A selector comparing projectcalico.org/network-interface with a host-side-looking name (cali..., calim...).
 * The label holds the interface name inside the pod; the check is settled at the end, since a pod later in the
 * input may really request an interface of that name.
 */
let prefixCache: {env: NodeJS.ProcessEnv; prefix: string} | undefined

export function checkInterfaceLabel(c: Check, pointer: string, sel: Selector, value: string): void {
  if (!value.includes(LABEL_NETWORK_INTERFACE)) return
  // FELIX_INTERFACEPREFIX, read once per run's environment (process.env lookups are slow); the host-side values
  // of a parsed selector are kept with it for that prefix.
  const env = currentInvocation().env
  if (prefixCache?.env !== env) prefixCache = {env, prefix: interfacePrefix(env)}
  const prefix = prefixCache.prefix
  let cached = hostSideValues.get(sel)
  if (cached?.prefix !== prefix) {
    const found: string[] = []
    forEachValueOf(sel.ast, LABEL_NETWORK_INTERFACE, (v) => {
      if (looksHostSide(v, prefix)) found.push(v)
    })
    hostSideValues.set(sel, (cached = {prefix, values: found}))
  }
  for (const v of cached.values) {
    const offset = findValueOffset(value, v)
    const finding = c.finding(
      'policy/network-interface-label',
      pointer,
      `selector compares ${LABEL_NETWORK_INTERFACE} with ${show(v)}, which looks like a ` +
        `host-side interface name; the label holds the interface name inside the pod (eth0, ` +
        `net1, net2, ... or the name requested in the k8s.v1.cni.cncf.io/networks annotation), ` +
        `so this probably matches nothing`,
      {offset},
    )
    c.knowledge.defer(`iface-label\n${v}`, finding, ({knowledge}) =>
      knowledge.requestedIfnames.has(v) ? undefined : {rule: finding.rule, message: finding.message},
    )
  }
}

function looksHostSide(v: string, prefix: string): boolean {
  if (v === 'eth0' || /^net[1-9][0-9]*$/.test(v)) return false
  return v.startsWith('cali') || v.startsWith(prefix)
}

function forEachValueOf(node: SelectorNode, label: string, fn: (value: string) => void): void {
  switch (node.type) {
    case 'eq':
      if (node.label === label) fn(node.value)
      return
    case 'in':
      if (node.label === label) node.values.forEach(fn)
      return
    case 'not':
      return
    case 'and':
    case 'or':
      node.operands.forEach((n) => forEachValueOf(n, label, fn))
      return
    default:
      return
  }
}

function findValueOffset(text: string, v: string): number | undefined {
  for (const q of ['"', "'"]) {
    const i = text.indexOf(q + v + q)
    if (i >= 0) return i + 1
  }
  const i = text.indexOf(v)
  return i >= 0 ? i : undefined
}

/**
 * A field or value only Calico Enterprise / Calico Cloud have (tigera/api). Accepted unless the manifests are for
 * Calico Open Source (--flavor oss, or --cluster on an OSS cluster), where it is a warning naming the product.
 */
export function enterpriseOnly(c: Check, pointer: string, what: string, options: {atKey?: boolean} = {}): void {
  if (c.settings.flavor !== 'oss') return
  c.report(
    'calico/enterprise-only',
    pointer,
    `${what} is a Calico Enterprise / Calico Cloud feature: Calico Open Source does not ` +
      `have it and refuses or ignores it`,
    options,
  )
}

const TOP_LEVEL_KEYS = ['apiVersion', 'kind', 'metadata', 'spec']

/** The key a wrongly-cased top-level key was meant to be (`Metadata` → `metadata`), if any. */
export function caseVariant(o: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(o, key)) return undefined
  return Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase())
}

/** `Metadata:`, `Spec:`, ...: read case-sensitively, so the object has no metadata (or spec); say so plainly. */
export function checkKeyCase(c: Check, o: Record<string, unknown>): void {
  for (const key of TOP_LEVEL_KEYS) {
    const written = caseVariant(o, key)
    if (written === undefined) continue
    c.report(
      'metadata/key-case',
      `/${escapePointer(written)}`,
      `the key ${show(written)} has the wrong case: field names are case-sensitive, so ` +
        `this is not ${key} at all; write ${key}:`,
      {atKey: true},
    )
  }
}
