import {ResourceError} from '../core/errors.js'
import {parseCIDR} from '../core/net.js'
import {formatNet, type PoolUsage} from './model.js'

/** The pools a NetworkAttachmentDefinition's Calico IPAM config asks for (cni-plugin types.IPAMConfig). */
export interface NadPools {
  /** `namespace/name` */
  nad: string
  /** ipam.ipv4_pools / ipam.ipv6_pools: pool names or CIDRs; both empty = every pool. */
  ipv4: string[]
  ipv6: string[]
}

type Fields = Record<string, unknown>

/** Reads `spec.config` (a CNI config or conflist) and finds the plugin whose ipam is `calico-ipam`. */
export function nadPools(nad: {metadata: {name?: string; namespace?: string}; spec?: Fields}): NadPools {
  const ref = `${nad.metadata.namespace ?? ''}/${nad.metadata.name ?? ''}`
  const raw = nad.spec?.config
  let config: unknown
  try {
    config = typeof raw === 'string' ? JSON.parse(raw) : undefined
  } catch (error) {
    throw new ResourceError(
      `NetworkAttachmentDefinition ${ref}: spec.config is not JSON (${(error as Error).message})`,
      `xctl validate shows where it breaks: xctl get nad ${nad.metadata.name} -o yaml | xctl validate -f -`,
    )
  }
  if (!config || typeof config !== 'object') {
    throw new ResourceError(
      `NetworkAttachmentDefinition ${ref} has no inline spec.config (Multus reads it from a file on the node)`,
      'ipam show --nad needs the CNI config in the NAD; without --nad every pool is shown',
    )
  }
  const c = config as Fields
  const plugins = Array.isArray(c.plugins) ? (c.plugins as Fields[]) : [c]
  const ipam = plugins.map((p) => p?.ipam as Fields | undefined).find((i) => i && i.type === 'calico-ipam')
  if (!ipam) {
    const types = plugins.map((p) => (p?.ipam as Fields | undefined)?.type ?? 'none').join(', ')
    throw new ResourceError(
      `NetworkAttachmentDefinition ${ref} does not use Calico IPAM (ipam type: ${types}): ` +
        "Calico's pools do not give its addresses",
    )
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [])
  return {nad: ref, ipv4: list(ipam.ipv4_pools), ipv6: list(ipam.ipv6_pools)}
}

/** A requested entry names a pool by name or by CIDR (as the CNI plugin and GetUtilization match them). */
export function selectPools(pools: PoolUsage[], requested: string[]): {pools: PoolUsage[]; unknown: string[]} {
  if (requested.length === 0) return {pools, unknown: []}
  const chosen = new Set<PoolUsage>()
  const unknown: string[] = []
  for (const entry of requested) {
    const c = parseCIDR(entry)
    const net = c ? formatNet(c) : undefined
    const found = pools.find((p) => p.name === entry || (net !== undefined && p.cidr === net))
    if (found) chosen.add(found)
    else unknown.push(entry)
  }
  return {pools: pools.filter((p) => chosen.has(p)), unknown}
}
