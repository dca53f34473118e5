import {goFloat} from '../core/goformat.js'
import type {KubeObject} from '../kube/types.js'

/** A table column: calicoctl's heading, and how to read its cell from an object. */
export interface Column {
  header: string
  value: (o: KubeObject) => string
}

/** Where a kind is stored in the Kubernetes API. */
export interface ApiCoordinates {
  group: string
  version: string
  plural: string
}

/** How Calico resources are stored in this cluster (calicoctl.md §7). */
export type CalicoStorage = 'apiserver-v3' | 'v3-crd' | 'crd-v1'

/**
 * Everything xctl knows about one kind, in one place (calicoctl's resourcemgr registerResource):
 * names users type, where it lives, how it prints, how it converts.
 */
export interface ResourceDescriptor {
  kind: string
  /** Lower-case names accepted on the command line (kind names, plurals, short names). */
  aliases: string[]
  namespaced: boolean
  /** The apiVersion users see and write. */
  apiVersion: string
  /** For `-o name`: `<kind>.<group>/<name>`. */
  group: string
  columns: Column[]
  wideColumns: Column[]
  /** Extra headings selectable with calicoctl-style `custom-columns=A,B`. */
  extraColumns?: Column[]
  /** Output order, when calicoctl imposes one (tiers by order). */
  compare?: (a: KubeObject, b: KubeObject) => number
  /** The API coordinates for reading and writing, given the cluster's Calico storage mode. */
  storage?: (mode: CalicoStorage) => ApiCoordinates
  /** Stored object → what users see (crd.projectcalico.org/v1 → projectcalico.org/v3). */
  fromStorage?: (o: KubeObject, mode: CalicoStorage) => KubeObject
  /** What users give → the object to store. */
  toStorage?: (o: KubeObject, mode: CalicoStorage) => KubeObject
  /** Derived kinds (WorkloadEndpoints) are computed from another kind rather than stored. */
  derived?: true
  /** The name the API stores an object under, given the name users see (knp.default.<name> → <name>). */
  storedName?: (name: string) => string
  /** Why Calico refuses to write (create, update, delete) an object of this name; undefined when it may. */
  refuseWrite?: (name: string) => string | undefined
}

export const NAMESPACE_COLUMN: Column = {header: 'NAMESPACE', value: (o) => o.metadata.namespace ?? ''}
export const NAME_COLUMN: Column = {header: 'NAME', value: (o) => o.metadata.name ?? ''}

export function join(values: unknown): string {
  return Array.isArray(values) ? values.map(String).join(',') : ''
}

/** ORDER as calicoctl prints a *float64 with Go's %v (shortest %g): 1000 → 1000, 1000000 → 1e+06; unset → empty. */
export function formatOrder(order: unknown): string {
  if (order === undefined || order === null || order === '') return ''
  const n = Number(order)
  return Number.isFinite(n) ? goFloat(n) : String(order)
}
