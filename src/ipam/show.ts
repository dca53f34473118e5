import {UsageError} from '../core/errors.js'
import {parseIP} from '../core/net.js'
import type {ObjectSource} from '../sources/source.js'
import {diagnoseNad, poolWarnings} from './diagnose.js'
import {
  borrowedIPs,
  findAssignment,
  ipamConfiguration,
  utilization,
  type Assignment,
  type BorrowedIP,
  type IpamConfiguration,
  type Utilization,
} from './model.js'
import {nadPools, selectPools} from './nad.js'
import {readBlocks, readIpamConfig, readNad, readPools} from './read.js'

export interface ShowOptions {
  ip?: string
  showBlocks?: boolean
  showBorrowed?: boolean
  showConfiguration?: boolean
  nad?: string
  namespace?: string
}

/** One answer of `ipam show`, by the question asked (calicoctl: --ip, else --show-borrowed, --show-configuration). */
export type ShowReport =
  | {view: 'ip'; assignment: Assignment}
  | {view: 'borrowed'; borrowed: BorrowedIP[]; unclassified: number}
  | {view: 'configuration'; configuration: IpamConfiguration}
  | ({view: 'usage'; showBlocks: boolean; nad?: string; warnings: string[]; failure?: string} & Utilization)

export async function ipamShow(source: ObjectSource, o: ShowOptions): Promise<ShowReport> {
  if (o.ip !== undefined) {
    if (!parseIP(o.ip)) throw new UsageError(`invalid IP address "${o.ip}"`, 'e.g. --ip=10.0.0.5 or --ip=fd00::5')
    const assignment = findAssignment(o.ip, await readBlocks(source))!
    return {view: 'ip', assignment}
  }
  if (o.showBorrowed) return {view: 'borrowed', ...borrowedIPs(await readBlocks(source))}
  if (o.showConfiguration)
    return {view: 'configuration', configuration: ipamConfiguration(await readIpamConfig(source))}
  const [pools, blocks] = await Promise.all([readPools(source), readBlocks(source)])
  const usage = utilization(pools, blocks)
  const base = {view: 'usage' as const, showBlocks: Boolean(o.showBlocks)}
  if (o.nad === undefined) return {...base, ...usage, warnings: poolWarnings(usage.pools)}
  const nad = nadPools(await readNad(source, o.nad, o.namespace ?? source.defaultNamespace))
  const chosen = selectPools(usage.pools, [...nad.ipv4, ...nad.ipv6])
  const diagnosis = diagnoseNad(usage.pools, chosen.pools, nad, chosen.unknown)
  // A NAD that names no pool may use any of them; orphaned blocks belong to none.
  return {...base, nad: nad.nad, pools: chosen.pools, orphanedBlocks: [], ...diagnosis}
}
