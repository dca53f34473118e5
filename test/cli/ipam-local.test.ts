import {test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'

const FILES = ['--local', '-f', 'examples/multus', '-f', 'test/fixtures/ipam/blocks.yaml']
const WITH_FULL = [...FILES, '-f', 'test/fixtures/ipam/full.yaml']
const show = (...args: string[]) => xctl(['ipam', 'show', ...args], {env: {KUBECONFIG: '/nonexistent'}})

test('ipam show prints calicoctl v3.32 table per pool (in use and free with percentages), offline', async () => {
  const r = await show(...FILES)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '')
  assert.equal(
    r.stdout,
    `+----------+----------------+-----------+------------+--------------+
| GROUPING |      CIDR      | IPS TOTAL | IPS IN USE |   IPS FREE   |
+----------+----------------+-----------+------------+--------------+
| IP Pool  | 10.0.0.0/24    |       256 | 4 (2%)     | 252 (98%)    |
| IP Pool  | 192.168.0.0/16 |     65536 | 4 (0%)     | 65532 (100%) |
+----------+----------------+-----------+------------+--------------+
`,
  )
})

test('--show-blocks adds each block with its affinity node; blocks of no pool come last', async () => {
  const r = await show('--show-blocks', ...FILES)
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.stdout.split('\n').slice(3, 9), [
    '| IP Pool  | 10.0.0.0/24       |       256 | 4 (2%)     | 252 (98%)    |                           |',
    '| Block    | 10.0.0.0/26       |        64 | 4 (6%)     | 60 (94%)     | test-bo-72vg-kadm-infra-0 |',
    '| IP Pool  | 192.168.0.0/16    |     65536 | 4 (0%)     | 65532 (100%) |                           |',
    '| Block    | 192.168.7.0/26    |        64 | 1 (2%)     | 63 (98%)     | test-bo-72vg-kadm-infra-1 |',
    '| Block    | 192.168.52.128/26 |        64 | 3 (5%)     | 61 (95%)     | test-bo-72vg-kadm-infra-0 |',
    '| Block    | 172.16.0.0/26     |        64 | 1 (2%)     | 63 (98%)     |                           |',
  ])
  assert.match(r.stdout.split('\n')[1], /\| GROUPING \|.* \|\s+NODE\s+\|$/)
})

test('--ip says whether an address is in use, with its handle and owner attributes (calicoctl ShowIP)', async () => {
  const used = await show('--ip=10.0.0.9', ...FILES)
  assert.equal(used.code, 0, used.stderr)
  assert.equal(
    used.stdout,
    `IP 10.0.0.9 is in use
Handle ID: additional-calico-network.9a8b7c6d5e4f
Active Owner Attributes:
  namespace: default
  node: test-bo-72vg-kadm-infra-1
  pod: multus-test-pod-2
  timestamp: 2026-12-01 10:05:00 +0000 UTC
`,
  )
  const bare = await show('--ip', '192.168.52.148', ...FILES)
  assert.equal(
    bare.stdout,
    'IP 192.168.52.148 is in use\nHandle ID: k8s-pod-network.0ld0ld0ld0ld\nNo Active Owner attributes defined\n',
  )
  for (const free of ['10.0.0.8', '10.77.0.1']) {
    const r = await show(`--ip=${free}`, ...FILES)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, `${free} is not assigned\n`)
  }
  const json = JSON.parse((await show('--ip=10.0.0.5', '-o', 'json', ...FILES)).stdout)
  assert.equal(json.assignment.inUse, true)
  assert.equal(json.assignment.block, '10.0.0.0/26')
  assert.equal(json.assignment.activeOwnerAttributes.pod, 'multus-test-pod-1')
})

test("--show-borrowed lists addresses taken from another node's block and counts unclassifiable ones", async () => {
  const r = await show('--show-borrowed', ...FILES)
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.split('\n')
  assert.match(
    lines[1],
    /^\|\s+IP\s+\|\s+BORROWING-NODE\s+\|\s+BLOCK\s+\|\s+BLOCK OWNER\s+\|\s+TYPE\s+\|\s+ALLOCATED-TO\s+\|$/,
  )
  assert.equal(
    lines[3],
    '| 10.0.0.9   | test-bo-72vg-kadm-infra-1 | 10.0.0.0/26   | test-bo-72vg-kadm-infra-0 | pod  | default/multus-test-pod-2 |',
  )
  assert.match(
    lines[4],
    /^\| 172\.16\.0\.3 +\| test-bo-72vg-kadm-infra-1 \| 172\.16\.0\.0\/26 \| +\| pod {2}\| default\/old-pod/,
  )
  assert.match(
    r.stdout,
    /\n\nNote: found 1 IP allocations without an explicit node association\. Unable to determine if they are borrowed\.\n$/,
  )
})

test("--show-configuration prints the IPAMConfig, or Calico's defaults without one", async () => {
  const r = await show('--show-configuration', ...FILES)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(
    r.stdout,
    `+--------------------+-------+
|      PROPERTY      | VALUE |
+--------------------+-------+
| StrictAffinity     | true  |
| AutoAllocateBlocks | true  |
| MaxBlocksPerHost   |     4 |
+--------------------+-------+
`,
  )
  const none = await show('--show-configuration', '-o', 'yaml', '--local', '-f', 'examples/multus')
  assert.equal(
    none.stdout,
    'view: configuration\nconfiguration:\n  StrictAffinity: false\n  AutoAllocateBlocks: true\n  MaxBlocksPerHost: 0\n',
  )
})

test('--nad shows only the pools its Calico IPAM config names (names or CIDRs) and names those that do not exist', async () => {
  const r = await show('--nad', 'additional-calico-network', '-n', 'default', ...FILES)
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(
    r.stdout.split('\n').filter((l) => l.startsWith('| IP Pool')),
    [
      '| IP Pool  | 10.0.0.0/24    |       256 | 4 (2%)     | 252 (98%)    |',
      '| IP Pool  | 192.168.0.0/16 |     65536 | 4 (0%)     | 65532 (100%) |',
    ],
  )
  assert.equal(
    r.stderr,
    'Warning: NetworkAttachmentDefinition default/additional-calico-network asks for pool "20.0.0.0/16": no IP pool has that name or CIDR\n',
  )
  const json = JSON.parse((await show('--nad', 'additional-calico-network', '-o', 'json', ...FILES)).stdout)
  assert.deepEqual(
    json.pools.map((p: {name: string}) => p.name),
    ['additional-network-pool', 'default-ipv4-ippool'],
  )
})

test('a full pool is named on stderr; a NAD whose pools have no free address fails with why (exit 1)', async () => {
  const all = await show(...WITH_FULL)
  assert.equal(all.code, 0, all.stderr)
  assert.match(all.stdout, /\| IP Pool {2}\| 10\.9\.0\.0\/28 {4}\| +16 \| 16 \(100%\) {2}\| 0 \(0%\) +\|/)
  assert.match(
    all.stderr,
    /^Warning: IP pool old-pool \(10\.8\.0\.0\/24\) is disabled: Calico assigns no new address from it$/m,
  )
  assert.match(all.stderr, /^Warning: IP pool tiny-pool \(10\.9\.0\.0\/28\) is full: all 16 addresses are in use$/m)

  const tiny = await show('--nad', 'tiny-network', '--show-blocks', ...WITH_FULL)
  assert.equal(tiny.code, 1)
  assert.match(
    tiny.stdout,
    /\| Block {4}\| 10\.9\.0\.0\/28 \| +16 \| 16 \(100%\) {2}\| 0 \(0%\) {3}\| test-bo-72vg-kadm-infra-0 \|/,
  )
  assert.match(
    tiny.stderr,
    /^error: NetworkAttachmentDefinition default\/tiny-network: no IPv4 address is free in its pools \(tiny-pool\): pod interfaces on this network get no address$/m,
  )
  const old = await show('--nad', 'old-network', ...WITH_FULL)
  assert.equal(old.code, 1)
  assert.match(
    old.stderr,
    /old-pool \(10\.8\.0\.0\/24\) is disabled[^]*error: .*old-network: no IPv4 address is free in its pools \(old-pool\)/,
  )
})

test('IPv6 pools count as calicoctl counts them (%.5g of a float64) and --ip finds IPv6 addresses', async () => {
  const r = await show('--show-blocks', ...WITH_FULL)
  assert.match(
    r.stdout,
    /\n\| IP Pool {2}\| fd00:10::\/64 +\| 1\.8447e\+19 \| 2 \(0%\) +\| 1\.8447e\+19 \(100%\) \| +\|\n/,
  )
  assert.match(
    r.stdout,
    /\n\| Block {4}\| fd00:10::\/122 +\| +64 \| 2 \(3%\) +\| 62 \(97%\) +\| test-bo-72vg-kadm-infra-0 \|\n/,
  )
  const ip = await show('--ip=fd00:10:0:0::2', ...WITH_FULL)
  assert.match(ip.stdout, /^IP fd00:10::2 is in use\nHandle ID: k8s-pod-network\.cccc\n/)
})

test('errors: a NAD without Calico IPAM or missing (exit 1), a bad --ip, an output format, conflicting flags (exit 2)', async () => {
  const macvlan = await show('--nad', 'macvlan-network', ...WITH_FULL)
  assert.equal(macvlan.code, 1)
  assert.match(
    macvlan.stderr,
    /^error: NetworkAttachmentDefinition default\/macvlan-network does not use Calico IPAM \(ipam type: host-local\)/,
  )
  const missing = await show('--nad', 'nope', '-n', 'production', ...FILES)
  assert.equal(missing.code, 1)
  assert.match(
    missing.stderr,
    /network-attachment-definitions\.k8s\.cni\.cncf\.io "nope" not found in namespace "production"/,
  )
  for (const args of [
    ['--ip=10.0.0.300'],
    ['-o', 'wide'],
    ['--ip=10.0.0.5', '--show-blocks'],
    ['--show-borrowed', '--nad', 'x'],
  ]) {
    const r = await show(...args, ...FILES)
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, '')
  }
  const conflict = await show('--ip=10.0.0.5', '--show-blocks', ...FILES)
  assert.match(conflict.stderr, /See 'xctl ipam show --help' for usage\.\n$/)
  const noFiles = await show('--local')
  assert.equal(noFiles.code, 2)
  const unreadable = await show('--local', '-f', 'test/fixtures/ipam/nope.yaml')
  assert.equal(unreadable.code, 3, unreadable.stderr)
})
