import {test} from 'node:test'
import assert from 'node:assert/strict'
import {renderShow} from '../../src/ipam/render.js'
import {borrowedIPs, findAssignment, utilization, type IpamBlockSpec} from '../../src/ipam/model.js'
import {renderTable} from '../../src/ipam/table.js'

/** A block with the given ordinals allocated (all to attribute 0). */
function block(cidr: string, size: number, used: number[], affinity?: string): IpamBlockSpec {
  const allocations = Array.from({length: size}, (_, i) => (used.includes(i) ? 0 : null))
  const unallocated = allocations.flatMap((a, i) => (a === null ? [i] : []))
  return {cidr, affinity, allocations, unallocated, attributes: [{handle_id: 'h', secondary: {node: 'n1'}}]}
}

test('percentages round as Go rounds %.f (half to even), counts print as %.5g', () => {
  // 1 of 256 = 0.390625% -> 0; 2 of 8 (a /29) = 25%; 1 of 200 is impossible, so half-way: 1 of 8 = 12.5% -> 12.
  const u = utilization(
    [
      {name: 'a', cidr: '10.0.0.0/24'},
      {name: 'b', cidr: '10.1.0.0/29', blockSize: 29},
    ],
    [block('10.0.0.0/26', 64, [0]), block('10.1.0.0/29', 8, [0])],
  )
  const out = renderShow({view: 'usage', showBlocks: false, warnings: [], ...u})
  assert.match(out, /\| IP Pool {2}\| 10\.0\.0\.0\/24 \| +256 \| 1 \(0%\) +\| 255 \(100%\) \|/)
  assert.match(out, /\| IP Pool {2}\| 10\.1\.0\.0\/29 \| +8 \| 1 \(12%\) +\| 7 \(88%\) +\|/)
  const big = utilization([{name: 'v6', cidr: 'fd00::/48'}], [])
  assert.equal(big.pools[0].total, 2 ** 80)
  assert.match(
    renderShow({view: 'usage', showBlocks: false, warnings: [], ...big}),
    /\| 1\.2089e\+24 \| 0 \(0%\) +\| 1\.2089e\+24 \(100%\) \|/,
  )
})

test('a block counts under the first pool (by name) it overlaps; others are orphans; host bits of a CIDR are cleared', () => {
  const u = utilization(
    [
      {name: 'z-wide', cidr: '10.0.0.0/16'},
      {name: 'a-narrow', cidr: '10.0.1.5/24'},
    ],
    [block('10.0.1.0/26', 64, [1, 2]), block('10.0.2.0/26', 64, [3]), block('10.9.0.0/26', 64, [])],
  )
  assert.deepEqual(
    u.pools.map((p) => [p.name, p.cidr, p.inUse]),
    [
      ['a-narrow', '10.0.1.0/24', 2],
      ['z-wide', '10.0.0.0/16', 1],
    ],
  )
  assert.deepEqual(
    u.orphanedBlocks.map((b) => b.cidr),
    ['10.9.0.0/26'],
  )
})

test('findAssignment and borrowedIPs read ordinals from the block base, IPv4 and IPv6', () => {
  const blocks = [block('10.0.0.64/26', 64, [0, 63], 'host:n2'), block('fd00::40/122', 64, [1], 'host:n1')]
  assert.equal(findAssignment('10.0.0.127', blocks)?.inUse, true)
  assert.equal(findAssignment('10.0.0.126', blocks)?.inUse, false)
  assert.equal(findAssignment('fd00::41', blocks)?.handleID, 'h')
  assert.deepEqual(
    borrowedIPs(blocks).borrowed.map((b) => [b.ip, b.blockOwner]),
    [
      ['10.0.0.64', 'n2'],
      ['10.0.0.127', 'n2'],
    ],
  )
})

test('the table draws as tablewriter: centred headers (odd space right), numbers right, text left, empty body', () => {
  assert.equal(
    renderTable(['AB', 'C'], [['12', 'xyz']]),
    '+----+-----+\n| AB |  C  |\n+----+-----+\n| 12 | xyz |\n+----+-----+\n',
  )
  assert.equal(renderTable(['NAME'], []), '+------+\n| NAME |\n+------+\n+------+\n')
  assert.equal(renderTable(['X'], [['long']]).split('\n')[1], '|  X   |')
})
