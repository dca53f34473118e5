import {formatIP, networkOf, parseCIDR, parseIP, type CIDR, type IP} from '../core/net.js'

/**
 * Calico IPAM as the datastore holds it (libcalico-go lib/backend/model/block.go): a block is a CIDR carved from a
 * pool, `allocations[i]` is the index into `attributes` of the owner of the block's i-th address (null: free),
 * `unallocated` lists the free ordinals, and `affinity` is `host:NODE` for the node that claimed the block.
 */
export interface AllocationAttribute {
  handle_id?: string
  secondary?: Record<string, string>
  alternate?: Record<string, string>
}

export interface IpamBlockSpec {
  cidr: string
  affinity?: string
  allocations?: Array<number | null>
  unallocated?: number[]
  attributes?: AllocationAttribute[]
}

export interface PoolSpec {
  name: string
  cidr: string
  blockSize?: number
  disabled?: boolean
}

export interface BlockUsage {
  cidr: string
  /** The node of the block's affinity (`host:NODE`); empty for a block without one. */
  node: string
  total: number
  inUse: number
  free: number
}

export interface PoolUsage {
  name: string
  cidr: string
  disabled: boolean
  blockSize: number
  total: number
  inUse: number
  free: number
  /** Addresses of the pool no block covers yet (room for new blocks). */
  unblocked: number
  blocks: BlockUsage[]
}

export interface Utilization {
  pools: PoolUsage[]
  /** Blocks of no current pool (libcalico-go's "orphaned allocation blocks"). */
  orphanedBlocks: BlockUsage[]
}

/** The number of addresses in a CIDR, as a float64 like calicoctl's (an IPv6 /64 is 1.8447e+19). */
function cidrSize(c: CIDR): number {
  return 2 ** ((c.ip.family === 4 ? 32 : 128) - c.prefix)
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
}

function fromBigInt(n: bigint, family: 4 | 6): IP {
  const bytes: number[] = []
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(n & 0xffn))
    n >>= 8n
  }
  return {family, bytes}
}

/** The node a block's affinity names (`host:node-1` → `node-1`), as calicoctl's show.go splits it. */
function affinityNode(affinity: string | undefined): string {
  if (!affinity) return ''
  const parts = affinity.split(':')
  return parts.length === 2 ? parts[1] : parts[0]
}

function blockUsage(b: IpamBlockSpec): BlockUsage {
  const c = parseCIDR(b.cidr)
  const total = c ? cidrSize(c) : (b.allocations?.length ?? 0)
  const free = b.unallocated?.length ?? 0
  return {cidr: b.cidr, node: affinityNode(b.affinity), total, inUse: total - free, free}
}

const defaultBlockSize = (c: CIDR | undefined) => (c?.ip.family === 6 ? 122 : 26)

/**
 * libcalico-go ipam.go GetUtilization: each block counts under the first pool (in name order) it overlaps;
 * a pool's in-use addresses are the sum over its blocks. Blocks of no pool are orphans.
 */
export function utilization(pools: PoolSpec[], blocks: IpamBlockSpec[]): Utilization {
  const sorted = [...pools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const parsed = sorted.map((p) => ({spec: p, cidr: parseCIDR(p.cidr)}))
  const usage: PoolUsage[] = parsed.map(({spec, cidr}) => ({
    name: spec.name,
    cidr: cidr ? formatNet(cidr) : spec.cidr,
    disabled: spec.disabled === true,
    blockSize: spec.blockSize ?? defaultBlockSize(cidr),
    total: cidr ? cidrSize(cidr) : 0,
    inUse: 0,
    free: 0,
    unblocked: 0,
    blocks: [],
  }))
  const orphanedBlocks: BlockUsage[] = []
  for (const b of [...blocks].sort(byAddress)) {
    const bc = parseCIDR(b.cidr)
    const i = bc ? parsed.findIndex((p) => p.cidr && overlap(p.cidr, bc)) : -1
    if (i === -1) orphanedBlocks.push(blockUsage(b))
    else usage[i].blocks.push(blockUsage(b))
  }
  for (const p of usage) {
    p.inUse = p.blocks.reduce((n, b) => n + b.inUse, 0)
    p.free = p.total - p.inUse
    p.unblocked = Math.max(0, p.total - p.blocks.reduce((n, b) => n + b.total, 0))
  }
  return {pools: usage, orphanedBlocks}
}

function overlap(a: CIDR, b: CIDR): boolean {
  if (a.ip.family !== b.ip.family) return false
  const prefix = Math.min(a.prefix, b.prefix)
  return toBigInt(networkOf({ip: a.ip, prefix})) === toBigInt(networkOf({ip: b.ip, prefix}))
}

function byAddress(a: IpamBlockSpec, b: IpamBlockSpec): number {
  const ca = parseCIDR(a.cidr)
  const cb = parseCIDR(b.cidr)
  if (!ca || !cb) return a.cidr < b.cidr ? -1 : 1
  if (ca.ip.family !== cb.ip.family) return ca.ip.family - cb.ip.family
  const d = toBigInt(ca.ip.bytes) - toBigInt(cb.ip.bytes)
  return d < 0n ? -1 : d > 0n ? 1 : 0
}

export function formatNet(c: CIDR): string {
  const ip = {family: c.ip.family, bytes: networkOf(c)}
  return `${formatIP(ip)}/${c.prefix}`
}

export interface Assignment {
  ip: string
  inUse: boolean
  /** The block holding the address, when one does. */
  block?: string
  node?: string
  handleID?: string
  activeOwnerAttributes?: Record<string, string>
  alternateOwnerAttributes?: Record<string, string>
}

/** libcalico-go GetAssignmentAttributes: the block holding the address and its owner, if allocated. */
export function findAssignment(address: string, blocks: IpamBlockSpec[]): Assignment | undefined {
  const ip = parseIP(address)
  if (!ip) return undefined
  const shown = formatIP(ip)
  for (const b of blocks) {
    const c = parseCIDR(b.cidr)
    if (!c || !overlap(c, {ip, prefix: ip.family === 4 ? 32 : 128})) continue
    const ordinal = Number(toBigInt(ip.bytes) - toBigInt(networkOf(c)))
    const index = b.allocations?.[ordinal]
    const base = {ip: shown, block: formatNet(c), node: affinityNode(b.affinity)}
    if (index === null || index === undefined) return {...base, inUse: false}
    const attr = b.attributes?.[index] ?? {}
    return {
      ...base,
      inUse: true,
      handleID: attr.handle_id,
      activeOwnerAttributes: attr.secondary ?? {},
      alternateOwnerAttributes: attr.alternate ?? {},
    }
  }
  return {ip: shown, inUse: false}
}

export interface BorrowedIP {
  ip: string
  borrowingNode: string
  block: string
  blockOwner: string
  type: string
  allocatedTo: string
}

/**
 * calicoctl show.go getBorrowedIPs: addresses allocated by a node other than the block's affinity (or from a block
 * without one); allocations without a `node` attribute cannot be classified and are only counted.
 */
export function borrowedIPs(blocks: IpamBlockSpec[]): {borrowed: BorrowedIP[]; unclassified: number} {
  const borrowed: BorrowedIP[] = []
  let unclassified = 0
  for (const b of blocks) {
    const c = parseCIDR(b.cidr)
    if (!c) continue
    const owner = affinityNode(b.affinity)
    const base = toBigInt(networkOf(c))
    b.allocations?.forEach((index, ordinal) => {
      if (index === null || index === undefined) return
      const attrs = b.attributes?.[index]?.secondary ?? {}
      const node = attrs.node
      if (node === undefined) {
        unclassified++
        return
      }
      if (node === owner) return
      const ns = attrs.namespace ?? ''
      const [type, allocatedTo] =
        attrs.vmi !== undefined
          ? ['vmi', `${ns}/${attrs.vmi}`]
          : attrs.pod !== undefined
            ? ['pod', `${ns}/${attrs.pod}`]
            : [attrs.type ?? '', '']
      const ip = formatIP(fromBigInt(base + BigInt(ordinal), c.ip.family))
      borrowed.push({ip, borrowingNode: node, block: formatNet(c), blockOwner: owner, type, allocatedTo})
    })
  }
  return {borrowed, unclassified}
}

export interface IpamConfiguration {
  StrictAffinity: boolean
  AutoAllocateBlocks: boolean
  MaxBlocksPerHost: number
}

/** libcalico-go GetIPAMConfig: the stored `default` object, else the defaults Calico uses without one. */
export function ipamConfiguration(spec: Record<string, unknown> | undefined): IpamConfiguration {
  return {
    StrictAffinity: spec?.strictAffinity === true,
    AutoAllocateBlocks: spec?.autoAllocateBlocks !== false,
    MaxBlocksPerHost: typeof spec?.maxBlocksPerHost === 'number' ? spec.maxBlocksPerHost : 0,
  }
}
