import type {KubeObject} from '../kube/types.js'
import type {MultiInterfaceMode, WorkloadEndpoint} from '../workloadendpoints/convert.js'
import {LabelIndex, type IndexedEndpoint} from './label-index.js'
import {governs, policyInfo, type Direction, type EntityInfo, type PolicyInfo, type Scope} from './policy.js'
import {catalogFrom, EffectiveLabels, endpointProfiles, type ProfileCatalog, type ProfileInfo} from './profiles.js'
import {TierCatalog} from './tiers.js'
import {explainEmpty, type ExplainContext} from './explain.js'
import {networkSetInfo, setsMatching, type NetworkSetInfo} from './network-sets.js'
import {LABEL_NAMESPACE} from './selectors.js'

export interface InsightInput {
  endpoints: Iterable<WorkloadEndpoint>
  /** undefined: namespaces could not be read (their labels are unknown). */
  namespaces?: KubeObject[]
  /** undefined: service accounts could not be read (their labels are unknown). */
  serviceAccounts?: KubeObject[]
  /**
   * NetworkPolicies and GlobalNetworkPolicies (Kubernetes ones converted to knp.default.<name>), and their staged
   * forms, as projectcalico.org/v3 objects.
   */
  policies: Iterable<KubeObject>
  /** NetworkSets and GlobalNetworkSets: rule peers. */
  networkSets?: KubeObject[]
  tiers: KubeObject[]
  mode?: MultiInterfaceMode
}

/** The endpoints a rule side may be: any endpoint, or these. */
export type PeerSet = {any: true} | {any: false; ids: readonly number[]}

/**
 * Everything policy insight needs, indexed once: endpoints by effective label, by name and by pod;
 * NetworkPolicies by namespace and GlobalNetworkPolicies (parsed on first use); tiers.
 */
export class Insight {
  readonly index = new LabelIndex()
  readonly catalog: ProfileCatalog
  readonly tiers: TierCatalog
  readonly mode: MultiInterfaceMode
  private readonly effective: EffectiveLabels
  private readonly explained = new Map<string, string[]>()
  private readonly networkPolicies = new Map<string, KubeObject[]>()
  private readonly globalPolicies: KubeObject[] = []
  private readonly stagedPolicies = new Map<string, KubeObject[]>()
  private readonly stagedGlobalPolicies: KubeObject[] = []
  private readonly parsed = new WeakMap<KubeObject, PolicyInfo>()
  readonly networkSets: NetworkSetInfo[]

  constructor(input: InsightInput) {
    this.catalog = catalogFrom(input.namespaces, input.serviceAccounts)
    this.effective = new EffectiveLabels(this.catalog)
    this.tiers = new TierCatalog(input.tiers)
    this.mode = input.mode ?? 'none'
    for (const wep of input.endpoints) this.addEndpoint(wep)
    for (const p of input.policies) this.addPolicy(p)
    this.networkSets = (input.networkSets ?? []).map((o) => networkSetInfo(o, this.catalog))
  }

  addEndpoint(wep: WorkloadEndpoint): IndexedEndpoint {
    return this.index.add(wep, this.effective.of(wep))
  }

  addPolicy(o: KubeObject): void {
    if (o.kind === 'GlobalNetworkPolicy') this.globalPolicies.push(o)
    else if (o.kind === 'StagedGlobalNetworkPolicy') this.stagedGlobalPolicies.push(o)
    else if (o.kind === 'NetworkPolicy' || o.kind === 'StagedNetworkPolicy') {
      const byNamespace = o.kind === 'NetworkPolicy' ? this.networkPolicies : this.stagedPolicies
      const ns = o.metadata.namespace ?? 'default'
      const list = byNamespace.get(ns)
      if (list) list.push(o)
      else byNamespace.set(ns, [o])
    }
  }

  /**
   * Staged policies that would select this endpoint. A staged Delete carries no selector: it selects what the
   * enforced policy of its name selects (it would remove that policy).
   */
  stagedSelecting(e: IndexedEndpoint, direction: Direction): PolicyInfo[] {
    const out: PolicyInfo[] = []
    for (const o of [...(this.stagedPolicies.get(e.namespace) ?? []), ...this.stagedGlobalPolicies]) {
      const p = this.info(o)
      if (p.hostEndpointsOnly) continue
      const selecting = p.staged === 'Delete' ? this.enforcedCounterpart(p) : p
      if (!selecting || !governs(selecting, direction)) continue
      if (selecting.appliesTo.selector?.matches(e.labels)) out.push(p)
    }
    return out
  }

  /** The enforced policy a staged one is staged for (same kind of scope, namespace and name). */
  enforcedCounterpart(p: PolicyInfo): PolicyInfo | undefined {
    const list =
      p.kind === 'NetworkPolicy' ? (this.networkPolicies.get(p.namespace ?? 'default') ?? []) : this.globalPolicies
    const o = list.find((x) => x.metadata.name === p.name)
    return o && this.info(o)
  }

  /** Network sets a rule side's selectors match (their nets are peers too). */
  networkSetsMatching(entity: EntityInfo): NetworkSetInfo[] {
    return setsMatching(this.networkSets, entity)
  }

  /** Every policy read, NetworkPolicies first. */
  allPolicies(): KubeObject[] {
    return [...[...this.networkPolicies.values()].flat(), ...this.globalPolicies]
  }

  endpoint(id: number): IndexedEndpoint {
    return this.index.endpoints[id]!
  }

  /** A full endpoint name, else a pod name (all of its endpoints), as `get wep NAME` resolves it. */
  findEndpoints(namespace: string, name: string): IndexedEndpoint[] {
    const inNamespace = this.index.withLabel(LABEL_NAMESPACE, namespace).map((i) => this.endpoint(i))
    const exact = inNamespace.filter((e) => e.name === name)
    return exact.length > 0 ? exact : inNamespace.filter((e) => e.wep.spec.pod === name)
  }

  /** Namespaces where an endpoint or pod of this name exists (for a "did you mean -n" hint). */
  namespacesWithEndpoint(name: string): string[] {
    const out = new Set<string>()
    for (const e of this.index.endpoints) if (e.name === name || e.wep.spec.pod === name) out.add(e.namespace)
    return [...out].sort()
  }

  /** explainEmpty, remembered: many rules share their selectors. */
  explain(scope: Scope, ctx: ExplainContext): string[] {
    const key = `${ctx.what}\n${ctx.kind}\n${ctx.namespace}\n${scope.selector?.toString() ?? scope.errors.join('\n')}`
    let out = this.explained.get(key)
    if (!out) this.explained.set(key, (out = explainEmpty(this, scope, ctx)))
    return out
  }

  profilesOf(e: IndexedEndpoint): ProfileInfo[] {
    return endpointProfiles(this.catalog, e.wep)
  }

  info(o: KubeObject): PolicyInfo {
    let p = this.parsed.get(o)
    if (!p) this.parsed.set(o, (p = policyInfo(o)))
    return p
  }

  /** The policies that select this endpoint (NetworkPolicies of its namespace, GlobalNetworkPolicies). */
  policiesSelecting(e: IndexedEndpoint, direction?: Direction): PolicyInfo[] {
    const out: PolicyInfo[] = []
    for (const o of [...(this.networkPolicies.get(e.namespace) ?? []), ...this.globalPolicies]) {
      const p = this.info(o)
      if (p.hostEndpointsOnly) continue
      if (direction && !governs(p, direction)) continue
      if (p.appliesTo.selector?.matches(e.labels)) out.push(p)
    }
    return out
  }

  /**
   * NetworkPolicies of other namespaces whose selector matches this endpoint: they do not apply to it
   * (a NetworkPolicy stays in its namespace), which is worth saying.
   */
  policiesElsewhere(e: IndexedEndpoint): PolicyInfo[] {
    const out: PolicyInfo[] = []
    for (const [ns, list] of this.networkPolicies) {
      if (ns === e.namespace) continue
      for (const o of list) {
        const p = this.info(o)
        if (!p.hostEndpointsOnly && p.unscoped?.matches(e.labels)) out.push(p)
      }
    }
    return out.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
  }

  /** Endpoint ids a scope selects (none when one of its fields does not parse). */
  match(scope: Scope): readonly number[] {
    return scope.selector ? this.index.query(scope.selector) : []
  }

  /** Endpoint ids a rule side may be. */
  peers(entity: EntityInfo): PeerSet {
    if (entity.notSelectorError) return {any: false, ids: []}
    if (!entity.scope && !entity.notSelector) return {any: true}
    const base = entity.scope ? this.match(entity.scope) : this.index.endpoints.map((e) => e.id)
    const not = entity.notSelector
    return {any: false, ids: not ? base.filter((id) => !not.matches(this.endpoint(id).labels)) : base}
  }

  /** Whether one endpoint may be this rule side. */
  entityMatches(entity: EntityInfo, e: IndexedEndpoint): boolean {
    if (entity.notSelectorError) return false
    if (entity.scope && !entity.scope.selector?.matches(e.labels)) return false
    return !entity.notSelector?.matches(e.labels)
  }

  /** Namespace names known from Namespace objects or from endpoints. */
  namespaceLabels(name: string): Record<string, string> | undefined {
    return this.catalog.namespaces?.get(name)
  }

  allNamespaces(): string[] {
    const names = new Set<string>(this.catalog.namespaces?.keys() ?? [])
    for (const ns of this.index.values('projectcalico.org/namespace').keys()) names.add(ns)
    return [...names].sort()
  }
}
