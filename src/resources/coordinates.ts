import {detectCalicoStorage} from './calico-storage.js'
import type {CalicoStorage, ResourceDescriptor} from './descriptor.js'
import type {ApiKind, ObjectSource} from '../sources/source.js'

/** The storage modes to read a kind through: the cluster's own, or (manifests) every form a file may hold. */
export async function storageModes(source: ObjectSource): Promise<CalicoStorage[]> {
  const groups = await source.apiGroups()
  return groups ? [detectCalicoStorage(groups)] : ['v3-crd', 'crd-v1']
}

export function apiKindFor(d: ResourceDescriptor, mode: CalicoStorage): ApiKind {
  const c = d.storage!(mode)
  return {...c, kind: d.kind, namespaced: d.namespaced}
}
