import {ApiError} from '../core/errors.js'
import type {KubeObject} from '../kube/types.js'
import {storageModes} from '../resources/coordinates.js'
import {resourcePages} from '../get/resources.js'
import {ipPool, tierKind} from '../resources/calico.js'
import {calicoCoordinates, calicoFromStorage} from '../resources/calico-storage.js'
import {networkAttachmentDefinition} from '../resources/nad.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import type {Labels} from '../selector/index.js'
import {NAMESPACE, POD, type ApiKind, type ObjectSource} from '../sources/source.js'
import {podToWorkloadEndpoints, type MultiInterfaceMode} from '../workloadendpoints/convert.js'
import type {ClusterFacts, EndpointSet} from './knowledge.js'
import {formatCIDR, parseCIDR} from '../core/net.js'

/**
 * What --cluster checks against, read from the live cluster: each list is fetched once, on first need, page by
 * page, and only what the checks use is kept (names, CIDRs, distinct label sets). Loaded only with --cluster.
 */
export function clusterFacts(source: ObjectSource, server: string, mode: MultiInterfaceMode): ClusterFacts {
  const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined
    return () => (p ??= load())
  }
  const nads = once(async () => {
    const byName = new Map<string, Set<string>>()
    for (const o of await all(source, networkAttachmentDefinition)) {
      const name = o.metadata.name ?? ''
      let set = byName.get(name)
      if (!set) byName.set(name, (set = new Set()))
      set.add(o.metadata.namespace ?? '')
    }
    return byName
  })
  const pools = once(async () => {
    const refs = new Set<string>()
    for (const o of await all(source, ipPool)) {
      if (o.metadata.name) refs.add(o.metadata.name)
      const cidr = typeof o.spec?.cidr === 'string' ? parseCIDR(o.spec.cidr) : undefined
      if (cidr) refs.add(formatCIDR(cidr))
    }
    return refs
  })
  const tiers = once(async () => new Set((await all(source, tierKind)).map((o) => o.metadata.name ?? '')))
  const endpoints = once(async (): Promise<EndpointSet> => {
    const set: EndpointSet = {workloads: new Map(), hosts: [], namespaceLabels: new Map()}
    const seen = new Set<string>()
    for await (const pods of source.list(POD, {})) {
      for (const pod of pods) {
        for (const wep of podToWorkloadEndpoints(pod, {mode}).endpoints) {
          const ns = wep.metadata.namespace ?? ''
          const labels = wep.metadata.labels ?? {}
          const key = `${ns}\n${JSON.stringify(Object.entries(labels).sort())}`
          if (seen.has(key)) continue
          seen.add(key)
          let list = set.workloads.get(ns)
          if (!list) set.workloads.set(ns, (list = []))
          list.push(labels)
        }
      }
    }
    for await (const page of source.list(NAMESPACE, {}))
      for (const ns of page) set.namespaceLabels.set(ns.metadata.name ?? '', ns.metadata.labels ?? {})
    set.hosts = await hostEndpointLabels(source)
    return set
  })
  return {
    server,
    names: once(async () => {
      const [n, p, t] = await Promise.all([nads(), pools(), tiers()])
      return {nads: n, pools: p, tiers: t}
    }),
    endpoints,
    close: () => source.close(),
  }
}

/** Every object of a kind across namespaces; a kind the cluster does not serve (no CRD) has none. */
async function all(source: ObjectSource, d: ResourceDescriptor): Promise<KubeObject[]> {
  const out: KubeObject[] = []
  try {
    for await (const page of resourcePages(source, d, {names: []}, [])) out.push(...page)
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return out
    throw error
  }
  return out
}

/** Host endpoints' labels (GlobalNetworkPolicies may select them); best effort, as not every user may list them. */
async function hostEndpointLabels(source: ObjectSource): Promise<Labels[]> {
  const labels: Labels[] = []
  try {
    for (const mode of await storageModes(source)) {
      const c = calicoCoordinates('hostendpoints')(mode)
      const kind: ApiKind = {...c, kind: 'HostEndpoint', namespaced: false}
      for await (const page of source.list(kind, {}))
        for (const o of page) labels.push(calicoFromStorage(o, mode).metadata.labels ?? {})
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
  }
  return labels
}
