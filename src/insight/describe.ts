import type {KubeObject} from '../kube/types.js'
import {kubernetesPolicyName} from '../resources/k8s-policy.js'
import {LABEL_NETWORK, LABEL_NETWORK_NAMESPACE} from '../workloadendpoints/convert.js'
import {plural, type ExplainContext} from './explain.js'
import type {IndexedEndpoint} from './label-index.js'
import type {Insight} from './model.js'
import {
  comparePolicies,
  type Direction,
  type EntityInfo,
  type PolicyInfo,
  type RawFields,
  type RuleInfo,
} from './policy.js'
import type {ProfileInfo} from './profiles.js'
import {compareTiers, type TierInfo} from './tiers.js'
import {
  DESCRIPTION_API_VERSION,
  type AppliedPolicy,
  type DirectionEvaluation,
  type EndpointDescription,
  type EndpointList,
  type EndpointRef,
  type PeerDescription,
  type PolicyDescription,
  type PolicySummary,
  type ProfileDescription,
  type RuleDescription,
  type TierEvaluation,
  type TierSummary,
} from './types.js'

export interface DescribeOptions {
  /** Most endpoints listed per set (0 = all). */
  limit: number
}

/** `describe networkpolicy|globalnetworkpolicy`: what the policy applies to, and what each rule's selectors match. */
export function describePolicy(insight: Insight, object: KubeObject, options: DescribeOptions): PolicyDescription {
  const p = insight.info(object)
  const spec: RawFields = object.spec ?? {}
  // A staged Delete has no selector of its own: it would remove the enforced policy, from what that one selects.
  const counterpart = p.staged === 'Delete' ? insight.enforcedCounterpart(p) : undefined
  const selecting = p.staged === 'Delete' ? counterpart : p
  const ids = p.hostEndpointsOnly || !selecting ? [] : insight.match(selecting.appliesTo)
  const byInterface: Record<string, number> = {}
  for (const id of ids) {
    const iface = insight.endpoint(id).wep.spec.endpoint
    byInterface[iface] = (byInterface[iface] ?? 0) + 1
  }
  const ctx: ExplainContext = {what: 'policy', kind: p.kind, namespace: p.namespace}
  let explanation: string[] = []
  if (ids.length === 0) {
    explanation = p.hostEndpointsOnly
      ? [`A ${p.hostEndpointsOnly} policy applies to host endpoints only, never to workload endpoints.`]
      : insight.explain(p.appliesTo, ctx)
  }
  const notes = policyNotes(insight, p, counterpart, byInterface)
  const tier = insight.tiers.get(p.tier)
  if (!tier.found && !tier.builtin)
    notes.push(`Tier ${p.tier} was not found: Calico refuses policies in a tier that does not exist.`)
  const description: PolicyDescription = {
    apiVersion: DESCRIPTION_API_VERSION,
    kind: 'PolicyDescription',
    policy: {
      ...policySummary(p),
      ...(spec.namespaceSelector ? {namespaceSelector: String(spec.namespaceSelector)} : {}),
      ...(spec.serviceAccountSelector ? {serviceAccountSelector: String(spec.serviceAccountSelector)} : {}),
      ...(p.appliesTo.selector ? {effectiveSelector: p.appliesTo.selector.toString()} : {}),
      ...(p.hostEndpointsOnly ? {hostEndpointsOnly: p.hostEndpointsOnly} : {}),
    },
    tier: tierSummary(tier),
    appliesTo: {...endpointList(insight, ids, options.limit), byInterface},
    explanation,
    ingress: p.ingress.map((r) => describeRule(insight, p, r, options, {ids})),
    egress: p.egress.map((r) => describeRule(insight, p, r, options, {ids})),
    notes,
  }
  if (p.kind === 'NetworkPolicy' && ids.length > 0 && p.unscoped) {
    const outside = insight.index.query(p.unscoped).filter((id) => insight.endpoint(id).namespace !== p.namespace)
    if (outside.length > 0) description.outsideNamespace = endpointList(insight, outside, options.limit)
  }
  for (const [dir, list] of [
    ['Ingress', p.ingress],
    ['Egress', p.egress],
  ] as const) {
    if (list.length > 0 && !p.types.includes(dir))
      notes.push(`The policy has ${dir.toLowerCase()} rules but its types do not include ${dir}: Calico ignores them.`)
  }
  return description
}

/** What is special about staged and Kubernetes policies, in sentences. */
function policyNotes(
  insight: Insight,
  p: PolicyInfo,
  counterpart: PolicyInfo | undefined,
  byInterface: Record<string, number>,
): string[] {
  const notes: string[] = []
  if (p.staged === 'Delete')
    notes.push(
      counterpart
        ? `Staged (stagedAction Delete): enforces nothing; once enforced it would delete ${counterpart.kind} ` +
            `${counterpart.name}, which applies to the endpoints listed.`
        : `Staged (stagedAction Delete): enforces nothing; once enforced it would delete a ` +
            `policy named ${p.name}, but none was read.`,
    )
  else if (p.staged)
    notes.push(
      `Staged (stagedAction ${p.staged}): this policy enforces nothing; the endpoints and ` +
        `rules shown are what it would apply to and do once enforced.`,
    )
  const k8sName = kubernetesName(p)
  if (k8sName) {
    notes.push(
      `${p.staged ? 'StagedKubernetesNetworkPolicy' : 'Kubernetes NetworkPolicy'} ${k8sName} ` +
        `as Calico converts it (libcalico-go conversion.go): tier default, order 1000, its ` +
        `podSelector plus projectcalico.org/orchestrator == 'k8s'.`,
    )
    if (insight.mode === 'multus')
      notes.push(
        `Multus: Calico's converter adds no projectcalico.org/network-interface term, so ` +
          `it applies to every interface of the selected pods (${
            Object.entries(byInterface)
              .map(([iface, n]) => `${iface} ${n}`)
              .join(', ') || 'none selected'
          }), not only eth0.`,
      )
  }
  return notes
}

/** `knp.default.<name>` → `<name>`: Kubernetes policies (staged or not) as Calico names them. */
function kubernetesName(p: PolicyInfo): string | undefined {
  return p.kind === 'NetworkPolicy' ? kubernetesPolicyName(p.name) : undefined
}

/** `describe workloadendpoint`: the endpoint, its labels, and the policies Calico evaluates for it, in order. */
export function describeEndpoint(insight: Insight, e: IndexedEndpoint, options: DescribeOptions): EndpointDescription {
  const wep = e.wep
  const own = wep.metadata.labels ?? {}
  const profiles = insight.profilesOf(e).map(profileDescription)
  const endpoint: EndpointDescription['endpoint'] = {
    name: e.name,
    namespace: e.namespace,
    pod: wep.spec.pod,
    node: wep.spec.node,
    interface: wep.spec.endpoint,
    hostInterface: wep.spec.interfaceName,
    ipNetworks: wep.spec.ipNetworks ?? [],
    profiles: wep.spec.profiles ?? [],
  }
  if (own[LABEL_NETWORK]) endpoint.network = own[LABEL_NETWORK]
  if (own[LABEL_NETWORK_NAMESPACE]) endpoint.networkNamespace = own[LABEL_NETWORK_NAMESPACE]
  if (wep.spec.serviceAccountName) endpoint.serviceAccount = wep.spec.serviceAccountName
  return {
    endpoint,
    labels: {...own},
    inheritedLabels: profiles,
    ingress: evaluate(insight, e, 'Ingress', profiles, options),
    egress: evaluate(insight, e, 'Egress', profiles, options),
    notAppliedFromOtherNamespaces: limited(insight.policiesElsewhere(e), options.limit),
  }
}

function evaluate(
  insight: Insight,
  e: IndexedEndpoint,
  direction: Direction,
  profiles: ProfileDescription[],
  options: DescribeOptions,
): DirectionEvaluation {
  const byTier = new Map<string, PolicyInfo[]>()
  for (const p of insight.policiesSelecting(e, direction)) {
    const list = byTier.get(p.tier)
    if (list) list.push(p)
    else byTier.set(p.tier, [p])
  }
  const tiers: TierEvaluation[] = [...byTier.keys()]
    .map((name) => insight.tiers.get(name))
    .sort(compareTiers)
    .map((tier) => ({
      tier: tierSummary(tier),
      policies: byTier
        .get(tier.name)!
        .sort(comparePolicies)
        .map((p): AppliedPolicy => ({
          ...policySummary(p),
          rules: (direction === 'Ingress' ? p.ingress : p.egress).map((r) =>
            describeRule(insight, p, r, options, {endpoint: e}),
          ),
        })),
      endOfTier: tier.defaultAction,
    }))
  const word = direction.toLowerCase()
  const allowing = profiles.filter((p) => p.action === 'Allow').map((p) => p.name)
  const profileVerdict =
    allowing.length > 0
      ? `${allowing.join(', ')} allow${allowing.length === 1 ? 's' : ''} all ${word} traffic`
      : `no profile allows it, so it is denied`
  let summary: string
  if (tiers.length === 0) {
    summary = `No policy selects this endpoint for ${word}: its profiles decide, and ${profileVerdict}.`
  } else {
    const count = tiers.reduce((n, t) => n + t.policies.length, 0)
    const stop = tiers.find((t) => t.endOfTier === 'Deny')
    const head =
      `${count === 1 ? '1 policy' : `${count} policies`} in ${plural(tiers.length, 'tier')} ` +
      `${count === 1 ? 'applies' : 'apply'}`
    summary = stop
      ? `${head}; ${word} traffic that no policy allows or passes is denied at the end of tier ${stop.tier.name}.`
      : `${head}; every tier passes unmatched traffic on, so ${word} traffic no policy allows ` +
        `or denies reaches the profiles: ${profileVerdict}.`
  }
  return {tiers, profiles, summary, staged: stagedFor(insight, e, direction, options)}
}

/** Staged policies that would select the endpoint, in Calico's order (tiers, then policies), with their rules. */
function stagedFor(
  insight: Insight,
  e: IndexedEndpoint,
  direction: Direction,
  options: DescribeOptions,
): AppliedPolicy[] {
  return insight
    .stagedSelecting(e, direction)
    .sort((a, b) => compareTiers(insight.tiers.get(a.tier), insight.tiers.get(b.tier)) || comparePolicies(a, b))
    .map((p) => ({
      ...policySummary(p),
      rules: (direction === 'Ingress' ? p.ingress : p.egress).map((r) =>
        describeRule(insight, p, r, options, {endpoint: e}),
      ),
    }))
}

function describeRule(
  insight: Insight,
  p: PolicyInfo,
  r: RuleInfo,
  options: DescribeOptions,
  target: {ids?: readonly number[]; endpoint?: IndexedEndpoint},
): RuleDescription {
  const raw = r.raw
  const selfSide: 'source' | 'destination' = r.direction === 'Ingress' ? 'destination' : 'source'
  const out: RuleDescription = {
    index: r.index,
    action: r.action,
    source: {} as PeerDescription,
    destination: {} as PeerDescription,
  }
  for (const key of ['protocol', 'notProtocol', 'ipVersion', 'icmp', 'notICMP', 'http'] as const)
    if (raw[key] !== undefined && raw[key] !== null) Object.assign(out, {[key]: raw[key]})
  if (raw.metadata?.annotations && Object.keys(raw.metadata.annotations).length > 0)
    out.annotations = {...raw.metadata.annotations}
  for (const side of ['source', 'destination'] as const) {
    const entity = r[side]
    out[side] =
      side === selfSide
        ? selfDescription(insight, entity, options, target)
        : peerDescription(insight, p, entity, options)
  }
  if (target.endpoint) out.matchesEndpoint = insight.entityMatches(r[selfSide], target.endpoint)
  return out
}

/** The rule side the policy's own endpoints are on (destination of ingress rules, source of egress rules). */
function selfDescription(
  insight: Insight,
  entity: EntityInfo,
  options: DescribeOptions,
  target: {ids?: readonly number[]; endpoint?: IndexedEndpoint},
): PeerDescription {
  const d = fields(entity)
  const restricted =
    entity.scope !== undefined || entity.notSelector !== undefined || entity.notSelectorError !== undefined
  const who = target.endpoint ? 'this endpoint' : 'the endpoints the policy applies to'
  d.scope = who
  d.anyEndpoint = !restricted
  if (entity.scope?.selector) d.effectiveSelector = entity.scope.selector.toString()
  if (restricted && target.ids) {
    const ids = target.ids.filter((id) => insight.entityMatches(entity, insight.endpoint(id)))
    d.endpoints = endpointList(insight, ids, options.limit)
    if (ids.length === 0 && target.ids.length > 0)
      d.explanation = [`None of the policy's endpoints matches this side's selectors, so the rule never applies.`]
  }
  addErrors(d, entity)
  return d
}

function peerDescription(
  insight: Insight,
  p: PolicyInfo,
  entity: EntityInfo,
  options: DescribeOptions,
): PeerDescription {
  const d = fields(entity)
  d.scope = scopeText(p, entity)
  const peers = insight.peers(entity)
  d.anyEndpoint = peers.any
  const sets = insight.networkSetsMatching(entity)
  if (sets.length > 0)
    d.networkSets = sets.map((x) => ({
      kind: x.kind,
      name: x.name,
      ...(x.namespace !== undefined ? {namespace: x.namespace} : {}),
      nets: x.nets,
    }))
  if (entity.scope?.selector) d.effectiveSelector = entity.scope.selector.toString()
  if (!peers.any) {
    d.endpoints = endpointList(insight, peers.ids, options.limit)
    if (peers.ids.length === 0 && sets.length === 0) {
      const ctx: ExplainContext = {what: 'rule', kind: p.kind, namespace: p.namespace}
      if (entity.scope && insight.match(entity.scope).length === 0) d.explanation = insight.explain(entity.scope, ctx)
      else if (entity.notSelector)
        d.explanation = [
          `Every endpoint the selectors match is excluded by notSelector ${entity.notSelector.text || entity.notSelector.toString()}.`,
        ]
    }
  }
  addErrors(d, entity)
  return d
}

function fields(entity: EntityInfo): PeerDescription {
  const raw = entity.raw
  const d = {} as PeerDescription
  for (const key of ['selector', 'notSelector', 'namespaceSelector'] as const) if (raw[key]) d[key] = String(raw[key])
  const accounts = raw.serviceAccounts
  const names = accounts?.names as unknown[] | undefined
  if (accounts && (names?.length || accounts.selector)) {
    d.serviceAccounts = {}
    if (names?.length) d.serviceAccounts.names = names.map(String)
    if (accounts.selector) d.serviceAccounts.selector = String(accounts.selector)
  }
  for (const key of ['nets', 'notNets', 'ports', 'notPorts'] as const)
    if (Array.isArray(raw[key]) && raw[key].length > 0) d[key] = [...raw[key]]
  if (raw.services && typeof raw.services === 'object') d.services = {...(raw.services as PeerDescription['services'])}
  return d
}

function addErrors(d: PeerDescription, entity: EntityInfo): void {
  const errors = [...(entity.scope?.errors ?? []), ...(entity.notSelectorError ? [entity.notSelectorError] : [])]
  if (errors.length > 0) d.errors = errors
}

/** Where a rule side's selectors look, in words. */
function scopeText(p: PolicyInfo, entity: EntityInfo): string {
  const parts = entity.scope?.parts ?? []
  const ns = parts.find((x) => x.role === 'namespace' || x.role === 'namespaceSelector')
  let where: string
  if (!ns) where = p.kind === 'GlobalNetworkPolicy' ? 'all namespaces' : `namespace ${p.namespace}`
  else if (ns.role === 'namespace') where = `namespace ${ns.text}`
  else if (ns.global) where = 'non-namespaced endpoints only (global())'
  else if (ns.raw?.ast.type === 'all') where = 'all namespaces'
  else where = `namespaces matching ${ns.text}`
  if (!entity.scope && !entity.notSelector)
    return (entity.raw.nets as unknown[] | undefined)?.length
      ? 'any endpoint or address in the nets'
      : 'any endpoint or address'
  return where
}

function policySummary(p: PolicyInfo): PolicySummary {
  const k8sName = kubernetesName(p)
  return {
    kind: p.staged ? (p.kind === 'NetworkPolicy' ? 'StagedNetworkPolicy' : 'StagedGlobalNetworkPolicy') : p.kind,
    ...(p.staged ? {staged: p.staged} : {}),
    ...(k8sName ? {kubernetesPolicy: k8sName} : {}),
    name: p.name,
    ...(p.namespace !== undefined ? {namespace: p.namespace} : {}),
    tier: p.tier,
    order: p.order ?? null,
    selector: String(p.object.spec?.selector ?? ''),
    types: p.types,
    typesDefaulted: p.typesDefaulted,
  }
}

function tierSummary(t: TierInfo): TierSummary {
  return {name: t.name, order: t.order ?? null, defaultAction: t.defaultAction, found: t.found || t.builtin}
}

function profileDescription(p: ProfileInfo): ProfileDescription {
  return {name: p.name, labels: p.labels, known: p.known, action: p.allows ? 'Allow' : 'None'}
}

function limited(policies: PolicyInfo[], limit: number): EndpointDescription['notAppliedFromOtherNamespaces'] {
  const shown = limit > 0 ? policies.slice(0, limit) : policies
  return {count: policies.length, policies: shown.map(policySummary), truncated: shown.length < policies.length}
}

function endpointRef(e: IndexedEndpoint): EndpointRef {
  return {namespace: e.namespace, name: e.name, pod: e.wep.spec.pod, interface: e.wep.spec.endpoint}
}

function endpointList(insight: Insight, ids: readonly number[], limit: number): EndpointList {
  const shown = limit > 0 ? ids.slice(0, limit) : ids
  return {
    count: ids.length,
    endpoints: shown.map((id) => endpointRef(insight.endpoint(id))),
    truncated: shown.length < ids.length,
  }
}
