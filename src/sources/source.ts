import type {KubeObject} from '../kube/types.js'

/** A kind as the Kubernetes API stores it. */
export interface ApiKind {
  group: string
  version: string
  plural: string
  kind: string
  namespaced: boolean
}

export interface ListQuery {
  /** undefined = all namespaces */
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  /** Objects per page from the API (kubectl's --chunk-size; 0 = no paging); default 500. */
  limit?: number
}

/**
 * Where objects come from: the cluster's API or manifests on disk. Both yield the same raw objects,
 * page by page, so everything downstream (conversion, filters, printers) is shared.
 */
export interface ObjectSource {
  /** Namespace used when neither -n nor -A is given. */
  readonly defaultNamespace: string
  /** The API server's URL when the objects come from a cluster (for messages). */
  readonly server?: string
  list(kind: ApiKind, query: ListQuery): AsyncIterable<KubeObject[]>
  get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined>
  /** Which groups/versions exist (for Calico storage-mode discovery); undefined = not knowable here. */
  apiGroups(): Promise<Set<string> | undefined>
  close(): void
}

export const POD: ApiKind = {group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true}
export const NAMESPACE: ApiKind = {group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false}
export const INSTALLATION: ApiKind = {
  group: 'operator.tigera.io',
  version: 'v1',
  plural: 'installations',
  kind: 'Installation',
  namespaced: false,
}

export function apiVersionOf(kind: ApiKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version
}
