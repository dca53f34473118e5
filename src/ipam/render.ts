import {UsageError} from '../core/errors.js'
import {formatFloat} from '../core/goformat.js'
import type {ShowReport} from './show.js'
import type {Assignment, BlockUsage, BorrowedIP, IpamConfiguration, PoolUsage} from './model.js'
import {renderTable} from './table.js'

/** `%.5g` of a float64, as calicoctl prints counts (65536, 1.8447e+19). */
const g5 = (n: number) => formatFloat(n, 'g', 5)
/** calicoctl's `%.5g (%.f%%)`. */
const withPercentage = (n: number, total: number) =>
  `${g5(n)} (${formatFloat(total ? (100 * n) / total : NaN, 'f', 0)}%)`

/** `-o`: calicoctl's tables by default, or the report as JSON or YAML for scripts. */
export function checkOutputFormat(format: string | undefined): void {
  if (format !== undefined && format !== 'json' && format !== 'yaml')
    throw new UsageError(`unknown output format "${format}" for ipam show`, 'use -o json or -o yaml (default: a table)')
}

export async function formatReport(r: ShowReport, format: string | undefined): Promise<string> {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n'
  if (format === 'yaml') return (await import('yaml')).stringify(r)
  return renderShow(r)
}

/** What calicoctl prints for each view; the usage table gains a NODE column with --show-blocks (xctl's). */
export function renderShow(r: ShowReport): string {
  switch (r.view) {
    case 'ip':
      return renderAssignment(r.assignment)
    case 'borrowed':
      return renderBorrowed(r.borrowed, r.unclassified)
    case 'configuration':
      return renderConfiguration(r.configuration)
    case 'usage':
      return renderUsage(r.pools, r.orphanedBlocks, r.showBlocks)
  }
}

function renderUsage(pools: PoolUsage[], orphans: BlockUsage[], showBlocks: boolean): string {
  const headers = ['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS FREE', ...(showBlocks ? ['NODE'] : [])]
  const row = (kind: string, cidr: string, total: number, inUse: number, node?: string) => [
    kind,
    cidr,
    g5(total),
    withPercentage(inUse, total),
    withPercentage(total - inUse, total),
    ...(showBlocks ? [node ?? ''] : []),
  ]
  const blockRows = (blocks: BlockUsage[]) => blocks.map((b) => row('Block', b.cidr, b.total, b.inUse, b.node))
  const rows: string[][] = []
  for (const p of pools) {
    rows.push(row('IP Pool', p.cidr, p.total, p.inUse))
    if (showBlocks) rows.push(...blockRows(p.blocks))
  }
  if (showBlocks) rows.push(...blockRows(orphans))
  return renderTable(headers, rows)
}

/** calicoctl show.go ShowIP. */
function renderAssignment(a: Assignment): string {
  if (!a.inUse) return `${a.ip} is not assigned\n`
  let out = `IP ${a.ip} is in use\nHandle ID: ${a.handleID ?? '<none>'}\n`
  const active = ownerAttributes('Active Owner Attributes', a.activeOwnerAttributes)
  out += active || 'No Active Owner attributes defined\n'
  return out + ownerAttributes('Alternate Owner Attributes', a.alternateOwnerAttributes)
}

function ownerAttributes(title: string, attrs: Record<string, string> | undefined): string {
  const keys = Object.keys(attrs ?? {}).sort()
  if (keys.length === 0) return ''
  return `${title}:\n` + keys.map((k) => `  ${k}: ${attrs![k]}\n`).join('')
}

function renderBorrowed(borrowed: BorrowedIP[], unclassified: number): string {
  const headers = ['IP', 'BORROWING-NODE', 'BLOCK', 'BLOCK OWNER', 'TYPE', 'ALLOCATED-TO']
  const rows = borrowed.map((b) => [b.ip, b.borrowingNode, b.block, b.blockOwner, b.type, b.allocatedTo])
  let out = renderTable(headers, rows)
  if (unclassified !== 0)
    out +=
      `\nNote: found ${unclassified} IP allocations without an explicit node association. ` +
      'Unable to determine if they are borrowed.\n'
  return out
}

/** calicoctl prints each field of ipam.IPAMConfig with Go's %#v. */
function renderConfiguration(c: IpamConfiguration): string {
  return renderTable(
    ['PROPERTY', 'VALUE'],
    Object.entries(c).map(([k, v]) => [k, String(v)]),
  )
}
