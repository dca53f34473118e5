import {ApiError} from '../core/errors.js'
import {KubeClient, type ClientOptions} from '../kube/client.js'
import type {ConnectionConfig} from '../kube/kubeconfig.js'
import type {KubeObject} from '../kube/types.js'
import type {ApiKind, ListQuery, ObjectSource} from './source.js'

/** Objects read from a live cluster through its API, page by page. */
export class ClusterSource implements ObjectSource {
  readonly client: KubeClient
  private groups?: Promise<Set<string>>

  constructor(
    readonly conn: ConnectionConfig,
    options: ClientOptions,
  ) {
    this.client = new KubeClient(conn, options)
  }

  get defaultNamespace(): string {
    return this.conn.namespace
  }

  get server(): string {
    return this.conn.server
  }

  list(kind: ApiKind, query: ListQuery): AsyncIterable<KubeObject[]> {
    return this.client.list(collectionPath(kind, query.namespace), {
      labelSelector: query.labelSelector,
      fieldSelector: query.fieldSelector,
      limit: query.limit,
    })
  }

  async get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      const o = await this.client.get<KubeObject>(`${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`)
      o.apiVersion ??= kind.group ? `${kind.group}/${kind.version}` : kind.version
      o.kind ??= kind.kind
      return o
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && error.reason === 'NotFound' && error.details?.name)
        return undefined
      if (
        error instanceof ApiError &&
        error.status === 404 &&
        /not found/.test(error.apiMessage) &&
        !/could not find the requested resource/.test(error.apiMessage)
      )
        return undefined
      throw error
    }
  }

  /** `group/version` strings served by the cluster (discovery), fetched once. */
  apiGroups(): Promise<Set<string>> {
    this.groups ??= this.client
      .get<{groups?: Array<{versions?: Array<{groupVersion: string}>}>}>('/apis')
      .then((list) => {
        const set = new Set<string>()
        for (const g of list.groups ?? []) for (const v of g.versions ?? []) set.add(v.groupVersion)
        return set
      })
    return this.groups
  }

  close(): void {
    this.client.close()
  }
}

export function collectionPath(kind: ApiKind, namespace?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`
  return kind.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${base}/${kind.plural}`
}
