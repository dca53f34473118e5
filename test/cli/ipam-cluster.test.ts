import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {parseAllDocuments} from 'yaml'
import {xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

type Obj = {apiVersion: string; kind: string; metadata: {name: string}; spec?: object}
const read = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter(Boolean)

/** The IPAM fixtures and the example's pools, as each storage mode stores them. */
function calicoObjects(mode: 'crd-v1' | 'v3-crd' | 'apiserver-v3'): Obj[] {
  const objects = [
    ...read('examples/multus/04-pools.yaml'),
    ...read('test/fixtures/ipam/blocks.yaml'),
    ...read('test/fixtures/ipam/full.yaml'),
  ].filter((o) => o.kind !== 'NetworkAttachmentDefinition')
  return objects.map((o) =>
    mode === 'v3-crd'
      ? {...o, apiVersion: 'projectcalico.org/v3', kind: o.kind === 'IPAMConfig' ? 'IPAMConfiguration' : o.kind}
      : {...o, apiVersion: 'crd.projectcalico.org/v1'},
  )
}

const NADS = read('test/fixtures/ipam/full.yaml').filter((o) => o.kind === 'NetworkAttachmentDefinition')

for (const calicoMode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
  describe(`ipam show against a cluster with Calico storage ${calicoMode}`, () => {
    let c: TestCluster
    before(async () => {
      c = await startCluster({objects: [...exampleObjects(), ...NADS, ...calicoObjects(calicoMode)], calicoMode})
    })
    after(() => c.server.close())
    const show = (...args: string[]) => xctl(['ipam', 'show', ...args], {env: c.env})

    test('pools and blocks are read where this storage mode keeps them (blocks: never the aggregated API)', async () => {
      const r = await show('--show-blocks')
      assert.equal(r.code, 0, r.stderr)
      const local = await xctl([
        'ipam',
        'show',
        '--show-blocks',
        '--local',
        '-f',
        'examples/multus',
        '-f',
        'test/fixtures/ipam',
      ])
      assert.equal(r.stdout, local.stdout)
      assert.match(
        r.stdout,
        /\| Block {4}\| 192\.168\.52\.128\/26 \| +64 \| 3 \(5%\) +\| 61 \(95%\) +\| test-bo-72vg-kadm-infra-0 \|/,
      )
      const blockPath =
        calicoMode === 'v3-crd' ? '/apis/projectcalico.org/v3/ipamblocks' : '/apis/crd.projectcalico.org/v1/ipamblocks'
      const paths = c.server.requests.map((q) => q.path)
      assert.ok(paths.includes(blockPath), paths.join('\n'))
      assert.ok(!paths.some((p) => p.startsWith('/apis/') && p.endsWith('/ipamblocks') && p !== blockPath))
    })

    test('--ip, --show-borrowed and --show-configuration read the same objects', async () => {
      const ip = await show('--ip=10.0.0.6')
      assert.equal(ip.code, 0, ip.stderr)
      assert.match(ip.stdout, /^IP 10\.0\.0\.6 is in use\nHandle ID: additional-calico-network\.3f1e2d4c5b6a\n/)
      const borrowed = await show('--show-borrowed')
      assert.match(borrowed.stdout, /\| 10\.0\.0\.9 +\| test-bo-72vg-kadm-infra-1 \|/)
      const config = await show('--show-configuration')
      assert.match(
        config.stdout,
        /\| StrictAffinity +\| true +\|\n\| AutoAllocateBlocks \| true +\|\n\| MaxBlocksPerHost +\| +4 \|/,
      )
    })

    test('--nad reads the NAD from the cluster and fails (exit 1) when its pool is full', async () => {
      const ok = await show('--nad', 'additional-calico-network', '-n', 'default', '-o', 'json')
      assert.equal(ok.code, 0, ok.stderr)
      assert.deepEqual(
        JSON.parse(ok.stdout).pools.map((p: {name: string; inUse: number}) => [p.name, p.inUse]),
        [
          ['additional-network-pool', 4],
          ['default-ipv4-ippool', 4],
        ],
      )
      const full = await show('--nad', 'tiny-network')
      assert.equal(full.code, 1)
      assert.match(full.stderr, /tiny-network: no IPv4 address is free in its pools \(tiny-pool\)/)
    })
  })
}

test('a cluster without Calico: ipam show says so (exit 1), never a stack trace', async () => {
  const c = await startCluster({objects: exampleObjects(), calicoMode: 'none'})
  try {
    const r = await xctl(['ipam', 'show'], {env: c.env})
    assert.equal(r.code, 1, r.stderr)
    assert.equal(r.stdout, '')
    assert.doesNotMatch(r.stderr, /\n\s+at /)
    assert.match(r.stderr, /ippools|ipamblocks/)
  } finally {
    await c.server.close()
  }
})

test('ipam show against an unreachable cluster exits 3', async () => {
  const r = await xctl(['ipam', 'show', '--request-timeout', '2s'], {
    env: {KUBECONFIG: 'test/fixtures/ipam/unreachable.kubeconfig'},
  })
  assert.equal(r.code, 3, r.stderr)
})
