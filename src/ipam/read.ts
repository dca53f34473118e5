import {ApiError, ResourceError} from '../core/errors.js'
import type {KubeObject} from '../kube/types.js'
import {resourcePages} from '../get/resources.js'
import type {EndpointProblem} from '../get/workloadendpoints.js'
import {ipPool} from '../resources/calico.js'
import {storageModes} from '../resources/coordinates.js'
import type {CalicoStorage} from '../resources/descriptor.js'
import {networkAttachmentDefinition} from '../resources/nad.js'
import type {ApiKind, ObjectSource} from '../sources/source.js'
import type {IpamBlockSpec, PoolSpec} from './model.js'

/**
 * Where IPAM objects live. calico-apiserver serves no IPAMBlocks (calicoctl reads them with its backend client, from
 * the crd.projectcalico.org/v1 CRDs), so with the aggregated API they are read there; native v3 CRDs hold them as
 * projectcalico.org/v3 (libcalico-go backend/k8s discovery.go). IPAMConfig is `ipamconfigs` in v1 and
 * `ipamconfigurations` (kind IPAMConfiguration) in v3.
 */
function ipamKinds(mode: CalicoStorage): {block: ApiKind; config: ApiKind} {
  if (mode === 'v3-crd') {
    const v3 = {group: 'projectcalico.org', version: 'v3', namespaced: false}
    return {
      block: {...v3, plural: 'ipamblocks', kind: 'IPAMBlock'},
      config: {...v3, plural: 'ipamconfigurations', kind: 'IPAMConfiguration'},
    }
  }
  const v1 = {group: 'crd.projectcalico.org', version: 'v1', namespaced: false}
  return {
    block: {...v1, plural: 'ipamblocks', kind: 'IPAMBlock'},
    config: {...v1, plural: 'ipamconfigs', kind: 'IPAMConfig'},
  }
}

/** Every form the source may hold (a cluster: its own mode; files: both v3 and v1 objects). */
async function kindsToRead(source: ObjectSource): Promise<Array<{block: ApiKind; config: ApiKind}>> {
  const modes = await storageModes(source)
  const seen = new Set<string>()
  return modes.map(ipamKinds).filter((k) => !seen.has(k.block.group) && Boolean(seen.add(k.block.group)))
}

export async function readPools(source: ObjectSource): Promise<PoolSpec[]> {
  const problems: EndpointProblem[] = []
  const pools: PoolSpec[] = []
  try {
    for await (const page of resourcePages(source, ipPool, {names: []}, problems))
      for (const o of page)
        pools.push({
          name: o.metadata.name ?? '',
          cidr: String(o.spec?.cidr ?? ''),
          blockSize: typeof o.spec?.blockSize === 'number' ? o.spec.blockSize : undefined,
          disabled: o.spec?.disabled === true,
        })
  } catch (error) {
    throw notServed(error, 'ippools')
  }
  return pools
}

/** A 404 on a Calico collection: Calico is not installed (or not in the storage mode discovery found). */
function notServed(error: unknown, what: string): unknown {
  if (!(error instanceof ApiError && error.status === 404)) return error
  return new ResourceError(
    `the cluster serves no Calico ${what}: is Calico installed?`,
    'xctl version shows the Calico storage mode the cluster runs in',
  )
}

export async function readBlocks(source: ObjectSource): Promise<IpamBlockSpec[]> {
  const blocks: IpamBlockSpec[] = []
  for (const {block} of await kindsToRead(source)) {
    try {
      for await (const page of source.list(block, {})) for (const o of page) blocks.push(blockSpec(o))
    } catch (error) {
      throw notServed(error, `${block.plural}.${block.group}`)
    }
  }
  return blocks
}

function blockSpec(o: KubeObject): IpamBlockSpec {
  const s = o.spec ?? {}
  return {
    cidr: String(s.cidr ?? ''),
    affinity: typeof s.affinity === 'string' ? s.affinity : undefined,
    allocations: Array.isArray(s.allocations) ? s.allocations : [],
    unallocated: Array.isArray(s.unallocated) ? s.unallocated : [],
    attributes: Array.isArray(s.attributes) ? s.attributes : [],
  }
}

/** The spec of the `default` IPAM configuration, undefined when there is none (Calico's defaults apply). */
export async function readIpamConfig(source: ObjectSource): Promise<Record<string, unknown> | undefined> {
  for (const {config} of await kindsToRead(source)) {
    try {
      const found = await source.get(config, undefined, 'default')
      if (found) return (found.spec ?? {}) as Record<string, unknown>
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error
    }
  }
  return undefined
}

export async function readNad(source: ObjectSource, name: string, namespace: string): Promise<KubeObject> {
  const d = networkAttachmentDefinition
  const kind: ApiKind = {...d.storage!('crd-v1'), kind: d.kind, namespaced: true}
  const found = await source.get(kind, namespace, name)
  if (!found)
    throw new ResourceError(
      `Error from server (NotFound): network-attachment-definitions.k8s.cni.cncf.io "${name}" ` +
        `not found in namespace "${namespace}"`,
      `xctl get nad -n ${namespace} lists the NADs of that namespace`,
    )
  return found
}
