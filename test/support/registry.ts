// The set of served resources: built-ins, every established CRD in the store, and the
// aggregated projectcalico.org/v3 when calico-apiserver is "installed".

import {
  BUILTIN_RESOURCES,
  apiVersionOf,
  calicoAggregatedResources,
  resourcesFromCrd,
  type CalicoMode,
  type ResourceInfo,
} from './resources.js'

/** kube-apiserver's APIService priorities (groupPriorityMinimum) for the built-in groups served here. */
const BUILTIN_PRIORITY: Record<string, number> = {'networking.k8s.io': 17200, 'apiextensions.k8s.io': 16700}

export interface GroupInfo {
  name: string
  /** Versions, preferred first. */
  versions: string[]
  /** APIService groupPriorityMinimum: orders /apis like the aggregator does. */
  priority: number
  /** Served by the apiextensions server from CRDs. */
  crd: boolean
  aggregated: boolean
}

export class Registry {
  private readonly crds = new Map<string, ResourceInfo[]>()
  private readonly aggregated: ResourceInfo[]

  constructor(mode: CalicoMode) {
    this.aggregated = mode === 'apiserver-v3' ? calicoAggregatedResources() : []
  }

  /** Registers (or replaces) the resources a CRD object serves. */
  setCrd(crd: any): void {
    this.crds.set(crd.metadata.name, resourcesFromCrd(crd))
  }

  removeCrd(name: string): ResourceInfo[] {
    const r = this.crds.get(name) ?? []
    this.crds.delete(name)
    return r
  }

  all(): ResourceInfo[] {
    return [...BUILTIN_RESOURCES, ...this.aggregated, ...[...this.crds.values()].flat()]
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.resource === resource)
  }

  /** By kind, plural, singular or short name (case-insensitive), for the test-side accessors. */
  resolve(apiVersion: string, kindOrResource: string): ResourceInfo | undefined {
    const want = kindOrResource.toLowerCase()
    return this.all().find(
      (r) =>
        apiVersionOf(r) === apiVersion &&
        (r.kind.toLowerCase() === want || r.resource === want || r.singular === want || r.shortNames.includes(want)),
    )
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.all().some((r) => r.group === group && r.version === version)
  }

  resourcesOf(group: string, version: string): ResourceInfo[] {
    return this.all()
      .filter((r) => r.group === group && r.version === version)
      .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0))
  }

  /** Non-core groups in the aggregator's order: priority descending, then name. */
  groups(): GroupInfo[] {
    const byName = new Map<string, GroupInfo>()
    for (const r of this.all()) {
      if (!r.group) continue
      let g = byName.get(r.group)
      if (!g) {
        const priority = BUILTIN_PRIORITY[r.group] ?? (r.aggregated ? 1500 : 1000)
        g = {name: r.group, versions: [], priority, crd: !r.builtin && !r.aggregated, aggregated: r.aggregated}
        byName.set(r.group, g)
      }
      if (!g.versions.includes(r.version)) g.versions.push(r.version)
    }
    return [...byName.values()].sort(
      (a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
  }

  group(name: string): GroupInfo | undefined {
    return this.groups().find((g) => g.name === name)
  }
}
