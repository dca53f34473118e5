import {goFloat} from '../core/goformat.js'
import type {NadPools} from './nad.js'
import type {PoolUsage} from './model.js'

/** Why an interface would get no address from these pools, one sentence each (printed on stderr). */
export interface Diagnosis {
  warnings: string[]
  /** With --nad: why the NAD's interfaces can get no address at all (makes the exit code 1). */
  failure?: string
}

const poolRef = (p: PoolUsage) => `IP pool ${p.name} (${p.cidr})`

/** A pool gives no new address when it is disabled, or every block is full and no other block fits. */
function exhausted(p: PoolUsage): boolean {
  const blockFree = p.blocks.reduce((n, b) => n + b.free, 0)
  const blockTotal = 2 ** ((p.cidr.includes(':') ? 128 : 32) - p.blockSize)
  return p.disabled || (blockFree === 0 && p.unblocked < blockTotal)
}

export function poolWarnings(pools: PoolUsage[]): string[] {
  const out: string[] = []
  for (const p of pools) {
    if (p.disabled) out.push(`${poolRef(p)} is disabled: Calico assigns no new address from it`)
    else if (p.total > 0 && p.free <= 0) out.push(`${poolRef(p)} is full: all ${goFloat(p.total)} addresses are in use`)
    else if (exhausted(p))
      out.push(
        `${poolRef(p)} has no free address in any block and no room for another /${p.blockSize} block: ` +
          `${goFloat(p.free)} address(es) outside its blocks cannot be used`,
      )
  }
  return out
}

/**
 * The NAD's view (cni-plugin ipamplugin): an IPv4 address comes from ipv4_pools (every enabled IPv4 pool when
 * it lists none), an IPv6 one from ipv6_pools; unknown entries and exhausted families are what stop a pod.
 */
export function diagnoseNad(all: PoolUsage[], chosen: PoolUsage[], nad: NadPools, unknown: string[]): Diagnosis {
  const warnings = [
    ...unknown.map(
      (u) => `NetworkAttachmentDefinition ${nad.nad} asks for pool "${u}": no IP pool has that name or CIDR`,
    ),
    ...poolWarnings(chosen),
  ]
  const families: Array<[string, PoolUsage[]]> = []
  const v4 = chosen.filter((p) => !p.cidr.includes(':'))
  const v6 = chosen.filter((p) => p.cidr.includes(':'))
  if (nad.ipv4.length > 0 || nad.ipv6.length === 0)
    families.push(['IPv4', nad.ipv4.length ? v4 : all.filter((p) => !p.cidr.includes(':'))])
  if (nad.ipv6.length > 0) families.push(['IPv6', v6])
  const stuck = families.filter(([, pools]) => pools.every(exhausted))
  if (stuck.length === 0) return {warnings}
  const [family, pools] = stuck[0]
  const names = pools.map((p) => p.name).join(', ')
  return {
    warnings,
    failure:
      `NetworkAttachmentDefinition ${nad.nad}: no ${family} address is free in ` +
      (pools.length ? `its pools (${names})` : 'any pool it names') +
      ': pod interfaces on this network get no address',
  }
}
