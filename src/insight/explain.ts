import type {SelectorNode} from '../selector/ast.js'
import {equalityConstraints, type Selector} from '../selector/index.js'
import {LABEL_NETWORK, LABEL_NETWORK_INTERFACE, LABEL_NETWORK_NAMESPACE} from '../workloadendpoints/convert.js'
import type {LabelIndex} from './label-index.js'
import type {ProfileCatalog} from './profiles.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'
import type {PolicyKind, Scope, ScopePart} from './policy.js'
import {and, LABEL_NAME, selectorOf} from './selectors.js'

/** Whose scope is being explained: a policy's own selection, or one side of a rule. */
/** What explanations read of the model (an Insight); declared here so that the model can import this file. */
export interface ExplainModel {
  readonly index: LabelIndex
  readonly catalog: ProfileCatalog
  readonly mode: MultiInterfaceMode
  endpoint(id: number): {namespace: string}
  allNamespaces(): string[]
  namespaceLabels(name: string): Record<string, string> | undefined
}

export interface ExplainContext {
  what: 'policy' | 'rule'
  kind: PolicyKind
  /** The NetworkPolicy's namespace. */
  namespace?: string
}

const MULTUS_LABELS = new Set([LABEL_NETWORK, LABEL_NETWORK_INTERFACE, LABEL_NETWORK_NAMESPACE])
const MAX_VALUES = 12

/**
 * Plain sentences saying why a scope selects no endpoint: a field that does not parse, a label or value no
 * endpoint has (with the values that do exist), a namespace with no endpoints, namespace or service-account
 * selectors that match nothing, or matches that exist only outside the NetworkPolicy's namespace.
 */
export function explainEmpty(insight: ExplainModel, scope: Scope, ctx: ExplainContext): string[] {
  if (scope.errors.length > 0)
    return scope.errors.map((e) => `${e}; Calico refuses a policy whose selectors do not parse.`)
  if (insight.index.size === 0)
    return ['There are no workload endpoints at all (no scheduled, non-host-network pods were read).']
  const counts = scope.parts.map((p) => insight.index.query(selectorOf(p.node)).length)
  const out: string[] = []
  scope.parts.forEach((part, i) => {
    if (counts[i] === 0) out.push(...explainPart(insight, part))
  })
  // Matches outside the NetworkPolicy's namespace: the usual surprise, worth saying even when the namespace is empty.
  const nsIndex = scope.parts.findIndex((p) => p.role === 'namespace')
  const others = scope.parts.filter((_, i) => i !== nsIndex)
  const othersFailed = counts.some((n, i) => n === 0 && i !== nsIndex)
  if (nsIndex !== -1 && others.length > 0 && !othersFailed) {
    const elsewhere = insight.index.query(selectorOf(and(others.map((p) => p.node))))
    if (elsewhere.length > 0) {
      const ns = scope.parts[nsIndex]!.text
      const where = new Map<string, number>()
      for (const id of elsewhere) {
        const ns = insight.endpoint(id).namespace
        where.set(ns, (where.get(ns) ?? 0) + 1)
      }
      const rule =
        ctx.what === 'policy'
          ? `a NetworkPolicy applies only to endpoints in its own namespace (${ns})`
          : `a rule without a namespaceSelector matches only endpoints in the policy's own namespace ` +
            `(${ns}); add a namespaceSelector to reach others`
      out.push(
        `${plural(elsewhere.length, 'endpoint')} ${elsewhere.length === 1 ? 'matches' : 'match'} ` +
          `${describeParts(others)}, but in other namespaces (${formatCounts(where)}): ${rule}.`,
      )
    }
  }
  if (out.length > 0) return out
  const nsSel = scope.parts.find((p) => p.role === 'namespaceSelector')
  if (nsSel && scope.parts.length > 1) {
    const rest = scope.parts.filter((p) => p !== nsSel)
    const n = insight.index.query(selectorOf(and(rest.map((p) => p.node)))).length
    if (n > 0)
      return [
        `${plural(n, 'endpoint')} ${n === 1 ? 'matches' : 'match'} ${describeParts(rest)}, ` +
          `but none is in a namespace matching namespaceSelector ${nsSel.text}.`,
      ]
  }
  const listed = scope.parts.map((p, i) => `${describePart(p)} (${counts[i]})`).join(', ')
  return [`Each part matches some endpoints on its own, but no endpoint matches all of them together: ${listed}.`]
}

function explainPart(insight: ExplainModel, part: ScopePart): string[] {
  switch (part.role) {
    case 'namespace': {
      const known = insight.catalog.namespaces
      if (known && !known.has(part.text))
        return [
          `Namespace ${part.text} does not exist (no Namespace object of that name was read) and has no endpoints.`,
        ]
      return [`Namespace ${part.text} has no workload endpoints.`]
    }
    case 'namespaceSelector':
      return explainNamespaceSelector(insight, part)
    case 'serviceAccountSelector':
      return [
        `No endpoint runs as a service account whose labels match serviceAccountSelector ` +
          `${part.text}${insight.catalog.serviceAccounts ? '' : ' (service accounts could not be read, so only their names are known, as pcsa.projectcalico.org/name)'}.`,
      ]
    case 'serviceAccounts':
      return [`No endpoint runs as service account ${part.text}.`]
    case 'selector':
      return explainSelector(insight, selectorOf(part.node), part.text)
  }
}

function explainNamespaceSelector(insight: ExplainModel, part: ScopePart): string[] {
  if (part.global)
    return [
      `namespaceSelector ${part.text} matches only non-namespaced endpoints (host endpoints ` +
        `and global network sets), never a workload endpoint.`,
    ]
  const raw = part.raw!
  const namespaces = insight.allNamespaces()
  const matching = namespaces.filter((ns) => raw.matches({...insight.namespaceLabels(ns), [LABEL_NAME]: ns}))
  if (matching.length === 0) {
    const unknown = insight.catalog.namespaces ? '' : ' (namespaces could not be read, so their labels are unknown)'
    return [
      `No namespace matches namespaceSelector ${part.text}${unknown}.`,
      ...namespaceLabelHints(insight, raw, namespaces),
    ]
  }
  return [`Namespaces ${matching.join(', ')} match namespaceSelector ${part.text}, but have no workload endpoints.`]
}

function namespaceLabelHints(insight: ExplainModel, raw: Selector, namespaces: string[]): string[] {
  const out: string[] = []
  for (const [label, values] of Object.entries(equalityConstraints(raw) ?? {})) {
    const seen = new Map<string, number>()
    for (const ns of namespaces) {
      const v = label === LABEL_NAME ? ns : insight.namespaceLabels(ns)?.[label]
      if (v !== undefined) seen.set(v, (seen.get(v) ?? 0) + 1)
    }
    if (values.some((v) => seen.has(v))) continue
    out.push(
      seen.size === 0
        ? `No namespace has the label ${label}.`
        : `No namespace has ${label} = ${values.map(quote).join(' or ')}; the values that exist ` +
            `are ${[...seen.keys()].sort().slice(0, MAX_VALUES).join(', ')}.`,
    )
  }
  return out
}

/** Why a selector over endpoint labels matches nothing. */
function explainSelector(insight: ExplainModel, selector: Selector, text: string): string[] {
  const out: string[] = []
  for (const [label, values] of Object.entries(equalityConstraints(selector) ?? {})) {
    const existing = insight.index.values(label)
    if (values.some((v) => existing.has(v))) continue
    if (values.length === 0) {
      out.push(
        `No value of ${label} can satisfy the selector (it asks for contradictory values, ` +
          `or for a value in an empty set).`,
      )
    } else if (existing.size === 0) {
      out.push(`No endpoint has the label ${label}.${labelHint(insight, label)}`)
    } else {
      const list = [...existing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const shown = list
        .slice(0, MAX_VALUES)
        .map(([v, n]) => `${v} (${n})`)
        .join(', ')
      const more = list.length > MAX_VALUES ? ` and ${list.length - MAX_VALUES} more` : ''
      out.push(
        `No endpoint has the label ${label} with the value ${values.map(quote).join(' or ')}; ` +
          `the values that exist are ${shown}${more}.${labelHint(insight, label)}`,
      )
    }
  }
  if (out.length > 0) return out
  const conjuncts: SelectorNode[] = selector.ast.type === 'and' ? [...selector.ast.operands] : []
  if (conjuncts.length > 1) {
    for (const c of conjuncts) {
      const s = selectorOf(c)
      if (insight.index.query(s).length === 0)
        out.push(`No endpoint matches ${s.toString()} (part of the selector ${text}).`)
    }
    if (out.length > 0) return out
    return [`Each part of the selector ${text} matches some endpoint, but no endpoint matches all of them.`]
  }
  return [`No endpoint's labels match ${text}.`]
}

function labelHint(insight: ExplainModel, label: string): string {
  if (MULTUS_LABELS.has(label) && insight.mode !== 'multus') {
    return (
      ' Endpoints carry the projectcalico.org/network* labels only in multus mode: set ' +
      'MULTI_INTERFACE_MODE=multus or use --multi-interface-mode multus.'
    )
  }
  if (label.startsWith('pcns.')) return ` (pcns. labels come from namespace labels)`
  if (label.startsWith('pcsa.')) return ` (pcsa. labels come from service-account labels)`
  return ''
}

function describePart(p: ScopePart): string {
  switch (p.role) {
    case 'namespace':
      return `namespace ${p.text}`
    case 'selector':
      return `the selector ${p.text}`
    default:
      return `${p.role} ${p.text}`
  }
}

function describeParts(parts: ScopePart[]): string {
  return parts.map(describePart).join(' and ')
}

function formatCounts(m: Map<string, number>): string {
  const sorted = [...m].sort(([a], [b]) => (a < b ? -1 : 1))
  const shown = sorted
    .slice(0, MAX_VALUES)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')
  return sorted.length > MAX_VALUES ? `${shown} and ${sorted.length - MAX_VALUES} more namespaces` : shown
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function quote(v: string): string {
  return `"${v}"`
}
