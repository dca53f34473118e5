import type {KubeObject} from '../kube/types.js'
import type {SelectorNode} from '../selector/ast.js'
import type {Selector} from '../selector/index.js'
import {
  and,
  eq,
  hasLabel,
  LABEL_NAMESPACE,
  LABEL_SERVICE_ACCOUNT,
  NAMESPACE_PREFIX,
  notNode,
  parseField,
  prefixLabels,
  replaceNodes,
  selectorOf,
  SERVICE_ACCOUNT_PREFIX,
} from './selectors.js'

/**
 * Calico policies as Felix evaluates them (libcalico-go syncersv1/updateprocessors, felix/calc/policy_sorter.go):
 *  - a NetworkPolicy selects `(<selector>) && projectcalico.org/namespace == '<ns>'` (&& its serviceAccountSelector
 *    on `pcsa.` labels); a GlobalNetworkPolicy selects `<selector>` && its namespaceSelector on `pcns.` labels
 *    (`all()` there = any namespaced endpoint) && its serviceAccountSelector on `pcsa.` labels;
 *  - a rule's source/destination: its namespaceSelector (on `pcns.` labels; `all()` = every namespace,
 *    `global()` = only non-namespaced endpoints, never a workload endpoint), else the policy's own namespace for a
 *    NetworkPolicy, else every namespace; then its serviceAccounts and selector; `notSelector` is not scoped;
 *  - `types` default to Ingress, or Egress when there are only egress rules, or both;
 *  - tiers by order (unset last, then name), policies in a tier by order (unset last) then name.
 */

export type Direction = 'Ingress' | 'Egress'
export type PolicyKind = 'NetworkPolicy' | 'GlobalNetworkPolicy'

export type ScopeRole = 'selector' | 'namespace' | 'namespaceSelector' | 'serviceAccountSelector' | 'serviceAccounts'

/** One conjunct of a scope, kept apart so that an empty answer can be explained part by part. */
export interface ScopePart {
  role: ScopeRole
  /** As written in the policy (for `namespace`: the namespace name). */
  text: string
  /** As applied to endpoint labels (with `pcns.`/`pcsa.` prefixes). */
  node: SelectorNode
  /** namespaceSelector / serviceAccountSelector as written, to match against namespace or service-account labels. */
  raw?: Selector
  /** A namespaceSelector of global(): matches only non-namespaced endpoints. */
  global?: boolean
}

/** A set of endpoints given by selectors: what Calico evaluates (`selector`) and its parts. */
export interface Scope {
  parts: ScopePart[]
  /** The conjunction of the parts; undefined when a field does not parse (then nothing matches). */
  selector?: Selector
  errors: string[]
}

export interface EntityInfo {
  /** undefined: no endpoint selector at all (any endpoint, and any address unless nets restrict it). */
  scope?: Scope
  notSelector?: Selector
  notSelectorError?: string
  raw: RawEntity
}

/** A policy's fields as written (projectcalico/api pkg/apis/projectcalico/v3 policy types), values unchecked. */
export type RawFields = Record<string, unknown>

/** A rule's source or destination as written (v3 EntityRule); only serviceAccounts is read nested. */
export interface RawEntity extends RawFields {
  serviceAccounts?: {names?: unknown; selector?: unknown}
}

/** A rule as written (v3 Rule). */
export interface RawRule extends RawFields {
  metadata?: {annotations?: Record<string, string>}
}

function fieldsOf(value: unknown): RawFields {
  return value && typeof value === 'object' ? (value as RawFields) : {}
}

/** A field's text if it is set (the policy's non-empty strings; anything else truthy, stringified later). */
function setText(value: unknown): string | undefined {
  return value ? (value as string) : undefined
}

export interface RuleInfo {
  /** 1-based position in its direction's list. */
  index: number
  direction: Direction
  action: string
  raw: RawRule
  source: EntityInfo
  destination: EntityInfo
}

export interface PolicyInfo {
  /** How the policy is scoped: a (Staged)NetworkPolicy is namespaced, a (Staged)GlobalNetworkPolicy is not. */
  kind: PolicyKind
  /** Staged policies: their stagedAction (Set when unset). They never enforce; insight shows what they would do. */
  staged?: string
  name: string
  namespace?: string
  object: KubeObject
  tier: string
  /** undefined = no order (applied after ordered policies). */
  order?: number
  /** Felix's tie-break key: `<ns>/<name>` for a NetworkPolicy, `<name>` for a global one. */
  sortKey: string
  types: Direction[]
  typesDefaulted: boolean
  readonly appliesTo: Scope
  readonly ingress: RuleInfo[]
  readonly egress: RuleInfo[]
  /** doNotTrack / preDNAT policies apply to host endpoints only. */
  hostEndpointsOnly?: string
  /** NetworkPolicy: its selection without the namespace term (what users often expect it to select); none for all(). */
  readonly unscoped?: Selector
}

export function policyInfo(o: KubeObject): PolicyInfo {
  const global = o.kind === 'GlobalNetworkPolicy' || o.kind === 'StagedGlobalNetworkPolicy'
  const kind: PolicyKind = global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'
  const spec = fieldsOf(o.spec)
  const name = o.metadata.name ?? ''
  const namespace = kind === 'NetworkPolicy' ? (o.metadata.namespace ?? 'default') : undefined
  const ingressRules: unknown[] = Array.isArray(spec.ingress) ? spec.ingress : []
  const egressRules: unknown[] = Array.isArray(spec.egress) ? spec.egress : []
  const {types, defaulted} = policyTypes(spec.types, ingressRules.length > 0, egressRules.length > 0)
  const order = spec.order === undefined || spec.order === null || spec.order === '' ? undefined : Number(spec.order)
  const rules = (list: unknown[], direction: Direction): RuleInfo[] =>
    list.map((item, i) => {
      const r: RawRule = fieldsOf(item)
      return {
        index: i + 1,
        direction,
        action: String(r.action ?? ''),
        raw: r,
        source: entityInfo(fieldsOf(r.source), namespace),
        destination: entityInfo(fieldsOf(r.destination), namespace),
      }
    })
  // Parsed on first use: most policies are only ever asked whether they select one endpoint.
  let appliesTo: Scope | undefined
  let unscoped: Selector | null | undefined
  let ingress: RuleInfo[] | undefined
  let egress: RuleInfo[] | undefined
  return {
    kind,
    ...(o.kind?.startsWith('Staged') ? {staged: (spec.stagedAction as string) || 'Set'} : {}),
    name,
    namespace,
    object: o,
    tier: (spec.tier as string) || 'default',
    order: order !== undefined && Number.isFinite(order) ? order : undefined,
    sortKey: namespace ? `${namespace}/${name}` : name,
    types,
    typesDefaulted: defaulted,
    get appliesTo() {
      return (appliesTo ??=
        kind === 'NetworkPolicy' ? namespacedPolicyScope(spec, namespace!) : globalPolicyScope(spec))
    },
    get unscoped() {
      if (unscoped === undefined) unscoped = kind === 'NetworkPolicy' ? unscopedSelector(spec) : null
      return unscoped ?? undefined
    },
    get ingress() {
      return (ingress ??= rules(ingressRules, 'Ingress'))
    },
    get egress() {
      return (egress ??= rules(egressRules, 'Egress'))
    },
    hostEndpointsOnly: spec.doNotTrack ? 'doNotTrack' : spec.preDNAT ? 'preDNAT' : undefined,
  }
}

/** calicoctl's defaulting: Ingress if no egress rules, Egress if only egress rules, both if both. */
export function policyTypes(
  types: unknown,
  hasIngress: boolean,
  hasEgress: boolean,
): {types: Direction[]; defaulted: boolean} {
  if (Array.isArray(types) && types.length > 0) {
    const out = (['Ingress', 'Egress'] as const).filter((t) => types.includes(t))
    return {types: out, defaulted: false}
  }
  if (hasEgress && !hasIngress) return {types: ['Egress'], defaulted: true}
  if (hasEgress && hasIngress) return {types: ['Ingress', 'Egress'], defaulted: true}
  return {types: ['Ingress'], defaulted: true}
}

const unscopedCache = new Map<string, Selector | null>()

/**
 * A NetworkPolicy's selector and serviceAccountSelector without its namespace term; null if one does not parse,
 * or if it selects everything (then it obviously means "this namespace", and is no surprise elsewhere).
 */
function unscopedSelector(spec: RawFields): Selector | null {
  const sel = parseField(spec.selector as string | undefined)
  const sa = parseField(spec.serviceAccountSelector as string | undefined)
  if (!sa) return sel && 'selector' in sel && sel.selector.ast.type !== 'all' ? sel.selector : null
  const key = `${sel?.text ?? ''}\n${sa.text}`
  let out = unscopedCache.get(key)
  if (out === undefined) {
    const parts: ScopePart[] = []
    const errors: string[] = []
    addSelector(parts, errors, 'selector', spec.selector)
    addPrefixed(parts, errors, 'serviceAccountSelector', spec.serviceAccountSelector, SERVICE_ACCOUNT_PREFIX)
    out = errors.length > 0 ? null : selectorOf(and(parts.map((p) => p.node)))
    unscopedCache.set(key, out)
  }
  return out
}

function scopeOf(parts: ScopePart[], errors: string[]): Scope {
  return {parts, errors, selector: errors.length > 0 ? undefined : selectorOf(and(parts.map((p) => p.node)))}
}

function namespacedPolicyScope(spec: RawFields, namespace: string): Scope {
  const parts: ScopePart[] = []
  const errors: string[] = []
  addSelector(parts, errors, 'selector', spec.selector)
  parts.push({role: 'namespace', text: namespace, node: eq(LABEL_NAMESPACE, namespace)})
  addPrefixed(parts, errors, 'serviceAccountSelector', spec.serviceAccountSelector, SERVICE_ACCOUNT_PREFIX)
  return scopeOf(parts, errors)
}

function globalPolicyScope(spec: RawFields): Scope {
  const parts: ScopePart[] = []
  const errors: string[] = []
  addSelector(parts, errors, 'selector', spec.selector)
  addPrefixed(parts, errors, 'namespaceSelector', spec.namespaceSelector, NAMESPACE_PREFIX, hasLabel(LABEL_NAMESPACE))
  addPrefixed(
    parts,
    errors,
    'serviceAccountSelector',
    spec.serviceAccountSelector,
    SERVICE_ACCOUNT_PREFIX,
    hasLabel(LABEL_SERVICE_ACCOUNT),
  )
  // An empty selector with nothing else selects every endpoint.
  return scopeOf(parts, errors)
}

/** rules.go getEndpointSelector: the endpoints a rule's source or destination may be. */
export function entityInfo(raw: RawEntity, namespace: string | undefined): EntityInfo {
  const parts: ScopePart[] = []
  const errors: string[] = []
  let nsPart: ScopePart | undefined
  const nsText = setText(raw.namespaceSelector)
  if (nsText) {
    const tmp: ScopePart[] = []
    addPrefixed(
      tmp,
      errors,
      'namespaceSelector',
      nsText,
      NAMESPACE_PREFIX,
      hasLabel(LABEL_NAMESPACE),
      notNode(hasLabel(LABEL_NAMESPACE)),
    )
    nsPart = tmp[0]
  } else if (namespace !== undefined) {
    nsPart = {role: 'namespace', text: namespace, node: eq(LABEL_NAMESPACE, namespace)}
  }
  const sa = raw.serviceAccounts
  if (sa && typeof sa === 'object') {
    addPrefixed(parts, errors, 'serviceAccountSelector', sa.selector, SERVICE_ACCOUNT_PREFIX)
    const names: string[] = Array.isArray(sa.names) ? sa.names.map(String) : []
    if (names.length > 0) {
      const values = [...new Set(names)].sort()
      parts.push({
        role: 'serviceAccounts',
        text: names.join(', '),
        node: {type: 'in', label: LABEL_SERVICE_ACCOUNT, values},
      })
    }
  }
  addSelector(parts, errors, 'selector', raw.selector)
  const notText = setText(raw.notSelector)
  const not = parseField(notText)
  if (nsPart && (parts.length > 0 || notText || nsText)) parts.unshift(nsPart)
  const info: EntityInfo = {raw}
  if (parts.length > 0 || errors.length > 0) info.scope = scopeOf(parts, errors)
  if (not && 'selector' in not) info.notSelector = not.selector
  else if (not) info.notSelectorError = `notSelector "${not.text}": ${not.error}`
  return info
}

function addSelector(parts: ScopePart[], errors: string[], role: ScopeRole, text: unknown): void {
  const f = parseField(text as string | undefined)
  if (!f) return
  if ('error' in f) errors.push(`${role} "${f.text}": ${f.error}`)
  else parts.push({role, text: f.text, node: f.selector.ast})
}

function addPrefixed(
  parts: ScopePart[],
  errors: string[],
  role: ScopeRole,
  text: unknown,
  prefix: string,
  allBecomes?: SelectorNode,
  globalBecomes?: SelectorNode,
): void {
  const f = parseField(text as string | undefined)
  if (!f) return
  if ('error' in f) {
    errors.push(`${role} "${f.text}": ${f.error}`)
    return
  }
  let node = prefixLabels(f.selector.ast, prefix)
  if (allBecomes) node = replaceNodes(node, 'all', allBecomes)
  if (globalBecomes) node = replaceNodes(node, 'global', globalBecomes)
  parts.push({
    role,
    text: f.text,
    node,
    raw: f.selector,
    global: globalBecomes !== undefined && f.selector.usesGlobal(),
  })
}

export function governs(p: PolicyInfo, direction: Direction): boolean {
  return p.types.includes(direction)
}

/** Felix PolKVLess: order (unset = +Inf), then the policy key's name. */
export function comparePolicies(a: PolicyInfo, b: PolicyInfo): number {
  const oa = a.order ?? Infinity
  const ob = b.order ?? Infinity
  if (oa !== ob) return oa < ob ? -1 : 1
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0
}
