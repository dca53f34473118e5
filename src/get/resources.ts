import type {KubeObject} from '../kube/types.js'
import type {CalicoStorage, ResourceDescriptor} from '../resources/descriptor.js'
import {apiKindFor, storageModes} from '../resources/coordinates.js'
import type {ApiKind, ObjectSource} from '../sources/source.js'
import type {EndpointProblem} from './workloadendpoints.js'

export interface ResourceQuery {
  names: string[]
  namespace?: string
  labelSelector?: string
  limit?: number
}

/** Stored kinds (NADs, Calico resources) page by page, converted to what users see. */
export async function* resourcePages(
  source: ObjectSource,
  d: ResourceDescriptor,
  query: ResourceQuery,
  problems: EndpointProblem[],
): AsyncGenerator<KubeObject[]> {
  // Kinds stored the same way in every mode (NADs) are read once.
  const all = await storageModes(source)
  const modes = all.filter((m, i) => all.findIndex((n) => apiVersionKey(d, n) === apiVersionKey(d, m)) === i)
  const namespace = d.namespaced ? query.namespace : undefined
  const convert = (o: KubeObject, mode: CalicoStorage) => (d.fromStorage ? d.fromStorage(o, mode) : o)
  if (query.names.length > 0) {
    for (const name of query.names) {
      let found: KubeObject | undefined
      for (const mode of modes) {
        const kind = apiKindFor(d, mode)
        const stored = d.storedName ? d.storedName(name) : name
        found =
          (await source.get(kind, namespace, stored)) ?? (await legacyPolicy(source, kind, namespace, stored, mode))
        if (found) {
          found = convert(found, mode)
          break
        }
      }
      if (found) yield [found]
      else
        problems.push({
          message:
            `Error from server (NotFound): ${d.storage!(modes[0]).plural}.${d.group} "${name}" ` +
            `not found${namespace ? ` in namespace "${namespace}"` : ''}`,
          notFound: true,
        })
    }
    return
  }
  const sorted: KubeObject[] | undefined = d.compare ? [] : undefined
  for (const mode of modes) {
    for await (const page of source.list(apiKindFor(d, mode), {
      namespace,
      labelSelector: query.labelSelector,
      limit: query.limit,
    })) {
      const objects = page.map((o) => convert(o, mode))
      if (sorted) sorted.push(...objects)
      else yield objects
    }
  }
  if (sorted) yield sorted.sort(d.compare)
}

function apiVersionKey(d: ResourceDescriptor, mode: CalicoStorage): string {
  const c = d.storage!(mode)
  return `${c.group}/${c.version}`
}

/** Default-tier policies written by Calico ≤ v3.31 are stored as `default.<name>`. */
async function legacyPolicy(
  source: ObjectSource,
  kind: ApiKind,
  namespace: string | undefined,
  name: string,
  mode: CalicoStorage,
): Promise<KubeObject | undefined> {
  if (mode !== 'crd-v1' || !kind.plural.endsWith('networkpolicies') || name.includes('.')) return undefined
  return source.get(kind, namespace, `default.${name}`)
}
