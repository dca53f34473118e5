import type {KubeObject} from '../kube/types.js'
import type {EntityInfo} from './policy.js'
import {namespaceProfile, type ProfileCatalog} from './profiles.js'
import {LABEL_NAMESPACE} from './selectors.js'

/**
 * NetworkSets and GlobalNetworkSets as rule peers: a rule whose selector matches a set's labels matches traffic
 * from or to the set's nets. Labels as Felix sees them (projectcalico/calico libcalico-go/lib/backend/syncersv1/
 * updateprocessors/networksetprocessor.go v3.32.1): a NetworkSet gets `projectcalico.org/namespace` and inherits
 * its namespace profile's `pcns.` labels, so rule scoping works as for endpoints; a GlobalNetworkSet has only its
 * own labels (a rule reaches it with namespaceSelector global(), or from a GlobalNetworkPolicy).
 */
export interface NetworkSetInfo {
  kind: 'NetworkSet' | 'GlobalNetworkSet'
  name: string
  namespace?: string
  nets: string[]
  labels: Record<string, string>
}

export function networkSetInfo(o: KubeObject, catalog: ProfileCatalog): NetworkSetInfo {
  const own = {...o.metadata.labels}
  const nets = Array.isArray(o.spec?.nets) ? (o.spec.nets as unknown[]).map(String) : []
  if (o.kind !== 'NetworkSet') return {kind: 'GlobalNetworkSet', name: o.metadata.name ?? '', nets, labels: own}
  const namespace = o.metadata.namespace ?? 'default'
  const labels = {...namespaceProfile(catalog, namespace).labels, ...own, [LABEL_NAMESPACE]: namespace}
  return {kind: 'NetworkSet', name: o.metadata.name ?? '', namespace, nets, labels}
}

/** The sets a rule side's selectors match; none when the side has no selector (then any address matches). */
export function setsMatching(sets: readonly NetworkSetInfo[], entity: EntityInfo): NetworkSetInfo[] {
  if (entity.notSelectorError || (!entity.scope && !entity.notSelector)) return []
  return sets.filter((s) => {
    if (entity.scope && !entity.scope.selector?.matches(s.labels)) return false
    return !entity.notSelector?.matches(s.labels)
  })
}
