import type {Labels} from '../selector/index.js'
import {RULES, type RuleId} from './catalog.js'
import type {Finding, Severity} from './findings.js'

/** Tiers every Calico cluster has (v3.32 names, and the v3.31 names of the admin tiers). */
const BUILTIN_TIERS = ['default', 'kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy']

/** Endpoints a selector can match: workload endpoints by namespace, host endpoints, and namespace labels. */
export interface EndpointSet {
  workloads: Map<string, Labels[]>
  hosts: Labels[]
  namespaceLabels: Map<string, Labels>
}

/** The names --cluster checks references against while the input is read (small lists, read up front). */
export interface ClusterNames {
  /** NetworkAttachmentDefinition name → namespaces. */
  nads: Map<string, Set<string>>
  /** IPPool names and normalised CIDRs. */
  pools: Set<string>
  tiers: Set<string>
}

/** What the live cluster holds, asked only with --cluster (each list is read once). */
export interface ClusterFacts {
  readonly server: string
  names(): Promise<ClusterNames>
  /** Endpoints for selector checks: read at the end, and only when a policy needs them. */
  endpoints(): Promise<EndpointSet>
  close(): void
}

export interface Decision {
  rule: RuleId
  message: string
  severity?: Severity
}

export interface ResolveContext {
  knowledge: Knowledge
  cluster?: ClusterFacts
}

type Decide = (ctx: ResolveContext) => Decision | undefined | Promise<Decision | undefined>

interface Deferred {
  decide: Decide
  findings: Finding[]
  more: number
}

/** Locations kept per unresolved reference; beyond this only a count, so memory stays flat in the input size. */
const LOCATIONS_PER_KEY = 100
const MAX_KEYS = 20_000

/**
 * What the input has told us so far (NADs, tiers, pools, requested interface names, pod endpoints), and the
 * cross-references to settle once all of it has been read: a pod may name a NetworkAttachmentDefinition
 * defined further down, a policy a tier in another file.
 */
export class Knowledge {
  /** NetworkAttachmentDefinition name → namespaces it is defined in (input). */
  readonly nads = new Map<string, Set<string>>()
  /** Where each NAD of the input is (first definition), for findings placed on it. */
  readonly nadLocations = new Map<string, Finding>()
  /**
   * Offline: references to NADs not (yet) seen anywhere, counted by `namespace/name` without a location (the
   * common case, a NAD kept elsewhere, costs nothing). Settled at the end against NADs defined later.
   */
  readonly pendingNadRefs = new Map<string, number>()
  /** With --cluster: the cluster's names, and where it is. */
  cluster?: {server: string; names: ClusterNames}
  readonly tiers = new Set<string>(BUILTIN_TIERS)
  /** IPPool names and normalised CIDRs (input). */
  readonly pools = new Set<string>()
  /** In-pod interface names requested by pods in the input. */
  readonly requestedIfnames = new Set<string>()
  /** Endpoints of the input's pods and templates (collected with --cluster only). */
  readonly endpoints: EndpointSet = {workloads: new Map(), hosts: [], namespaceLabels: new Map()}
  private readonly endpointKeys = new Set<string>()
  private readonly deferred = new Map<string, Deferred>()
  private dropped = 0

  addNad(namespace: string, name: string, where?: () => Finding): void {
    let set = this.nads.get(name)
    if (!set) this.nads.set(name, (set = new Set()))
    set.add(namespace)
    const key = `${namespace}/${name}`
    if (where && !this.nadLocations.has(key) && this.nadLocations.size < MAX_KEYS) this.nadLocations.set(key, where())
  }

  /** Adds an endpoint's labels (distinct label sets only). */
  addEndpoint(namespace: string, labels: Labels): void {
    const key = `${namespace}\n${JSON.stringify(Object.entries(labels).sort())}`
    if (this.endpointKeys.has(key) || this.endpointKeys.size > 200_000) return
    this.endpointKeys.add(key)
    let list = this.endpoints.workloads.get(namespace)
    if (!list) this.endpoints.workloads.set(namespace, (list = []))
    list.push(labels)
  }

  /**
   * Settles `finding` at the end: `decide` returns the rule and message to report (or nothing when the
   * reference turned out fine). Findings with the same key share one decision.
   */
  defer(key: string, finding: Finding, decide: Decide): void {
    let group = this.deferred.get(key)
    if (!group) {
      if (this.deferred.size >= MAX_KEYS) {
        this.dropped++
        return
      }
      this.deferred.set(key, (group = {decide, findings: [], more: 0}))
    }
    if (group.findings.length < LOCATIONS_PER_KEY) group.findings.push(finding)
    else group.more++
  }

  async resolve(cluster?: ClusterFacts): Promise<Finding[]> {
    const out: Finding[] = []
    // Pods that named a NAD without a namespace, which turned up later only in other namespaces (multus#337).
    for (const [key, count] of this.pendingNadRefs) {
      const slash = key.indexOf('/')
      const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)]
      const defined = this.nads.get(name)
      if (!defined || defined.has(namespace)) continue
      for (const other of [...defined].sort()) {
        const at = this.nadLocations.get(`${other}/${name}`)
        if (!at) continue
        out.push({
          ...at,
          rule: 'pod/network-namespace',
          severity: RULES['pod/network-namespace'].severity,
          message:
            `${count === 1 ? 'a pod' : `${count} pods`} in namespace "${namespace}" ${count === 1 ? 'names' : 'name'} ` +
            `the network "${name}" without a namespace, so Multus looks for it in "${namespace}", ` +
            `not here in "${other}" (multus#337): write "${other}/${name}" in ${count === 1 ? 'its' : 'their'} ` +
            `k8s.v1.cni.cncf.io/networks annotation`,
        })
      }
    }
    this.pendingNadRefs.clear()
    const ctx: ResolveContext = {knowledge: this, cluster}
    for (const group of this.deferred.values()) {
      const decision = await group.decide(ctx)
      if (!decision) continue
      group.findings.forEach((f, i) => {
        const more = i === group.findings.length - 1 && group.more > 0 ? ` (and ${group.more} more places)` : ''
        out.push({
          ...f,
          rule: decision.rule,
          severity: decision.severity ?? RULES[decision.rule].severity,
          message: decision.message + more,
        })
      })
    }
    this.deferred.clear()
    return out
  }

  /** References not checked because there were too many distinct ones. */
  get droppedReferences(): number {
    return this.dropped
  }
}
