import type {KubeObject} from '../kube/types.js'
import type {ApiCoordinates, CalicoStorage} from './descriptor.js'

/**
 * Calico resources in the Kubernetes datastore (calicoctl.md §7): users always see and give projectcalico.org/v3;
 * with crd.projectcalico.org/v1 storage the v3 metadata lives in an annotation and legacy policy names carry
 * a `default.` tier prefix.
 */
export const METADATA_ANNOTATION = 'projectcalico.org/metadata'
export const TIER_LABEL = 'projectcalico.org/tier'
const V3 = 'projectcalico.org/v3'

export function calicoCoordinates(plural: string): (mode: CalicoStorage) => ApiCoordinates {
  return (mode) =>
    mode === 'crd-v1'
      ? {group: 'crd.projectcalico.org', version: 'v1', plural}
      : {group: 'projectcalico.org', version: 'v3', plural}
}

/** Which storage the cluster has: the aggregated v3 API wins, then native v3 CRDs (only when v1 CRDs are
 * absent), else v1. */
export function detectCalicoStorage(groups: Set<string>): CalicoStorage {
  const v3 = groups.has('projectcalico.org/v3')
  const v1 = groups.has('crd.projectcalico.org/v1')
  if (v3 && v1) return 'apiserver-v3'
  if (v3) return 'v3-crd'
  return 'crd-v1'
}

const isPolicyKind = (kind: string | undefined) =>
  kind === 'NetworkPolicy' ||
  kind === 'GlobalNetworkPolicy' ||
  kind === 'StagedNetworkPolicy' ||
  kind === 'StagedGlobalNetworkPolicy'

/** A stored object as users see it (projectcalico.org/v3). */
export function calicoFromStorage(o: KubeObject, mode: CalicoStorage): KubeObject {
  const policy = isPolicyKind(o.kind)
  if (mode !== 'crd-v1' && o.apiVersion === V3) return policy ? withDefaultTier(o) : o
  const meta = {...o.metadata}
  let stored: Record<string, unknown> = {}
  const raw = meta.annotations?.[METADATA_ANNOTATION]
  if (raw) {
    try {
      stored = JSON.parse(raw)
    } catch {
      stored = {}
    }
  }
  const annotations = {...(stored.annotations as Record<string, string> | undefined)}
  for (const [k, v] of Object.entries(meta.annotations ?? {}))
    if (k !== METADATA_ANNOTATION && !(k in annotations)) annotations[k] = v
  const labels = {...(meta.labels ?? {}), ...(stored.labels as Record<string, string> | undefined)}
  const spec = {...o.spec}
  let name = (policy && typeof stored.name === 'string' ? stored.name : meta.name) ?? ''
  if (policy) {
    const tier = spec.tier || labels[TIER_LABEL] || 'default'
    spec.tier = tier
    // Legacy (≤ v3.31) storage put default-tier policies under `default.<name>`.
    if (tier === 'default' && typeof stored.name !== 'string' && name.startsWith('default.'))
      name = name.slice('default.'.length)
    if (labels[TIER_LABEL] === 'default' || (tier !== 'default' && labels[TIER_LABEL] === tier))
      delete labels[TIER_LABEL]
  }
  const metadata: KubeObject['metadata'] = {name}
  if (meta.namespace) metadata.namespace = meta.namespace
  for (const key of [
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'managedFields',
  ] as const) {
    if (meta[key] !== undefined) (metadata as Record<string, unknown>)[key] = meta[key]
  }
  if (Object.keys(labels).length) metadata.labels = labels
  if (Object.keys(annotations).length) metadata.annotations = annotations
  return {apiVersion: V3, kind: o.kind, metadata, spec}
}

function withDefaultTier(o: KubeObject): KubeObject {
  return o.spec?.tier ? o : {...o, spec: {...o.spec, tier: 'default'}}
}

/** A v3 object as it must be written to this cluster's storage. */
export function calicoToStorage(o: KubeObject, mode: CalicoStorage): KubeObject {
  const policy = isPolicyKind(o.kind)
  const spec = policy ? {...o.spec, tier: o.spec?.tier || 'default'} : {...o.spec}
  if (mode !== 'crd-v1') return {...o, apiVersion: V3, spec}
  const meta = o.metadata
  const keep = (m: Record<string, string> | undefined) =>
    Object.fromEntries(
      Object.entries(m ?? {}).filter(([k]) => k.includes('projectcalico.org/') || k.includes('operator.tigera.io/')),
    )
  const v3meta: Record<string, unknown> = {}
  if (policy) v3meta.name = meta.name
  if (meta.labels && Object.keys(meta.labels).length) v3meta.labels = meta.labels
  if (meta.annotations && Object.keys(meta.annotations).length) v3meta.annotations = meta.annotations
  const labels = keep(meta.labels)
  if (policy && spec.tier !== 'default') labels[TIER_LABEL] = spec.tier
  const metadata: KubeObject['metadata'] = {name: meta.name}
  if (meta.namespace) metadata.namespace = meta.namespace
  if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion
  if (Object.keys(labels).length) metadata.labels = labels
  metadata.annotations = {...keep(meta.annotations), [METADATA_ANNOTATION]: JSON.stringify(v3meta)}
  return {apiVersion: 'crd.projectcalico.org/v1', kind: o.kind, metadata, spec}
}
