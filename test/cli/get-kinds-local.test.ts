import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parse as parseYaml} from 'yaml'
import {tableRows, xctl} from '../helpers/cli.js'

const EXAMPLE = ['--local', '-f', 'examples/multus']
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}

const MIXED = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 1000000}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: platform}
spec: {order: 50}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: unordered}
spec: {}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata:
  name: default.legacy-allow
  labels: {projectcalico.org/tier: default}
spec: {order: 10, selector: all()}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata:
  name: security.block
  annotations:
    projectcalico.org/metadata: '{"name":"security.block","labels":{"team":"sec"}}'
spec: {tier: security, order: 1, selector: "app == 'db'"}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: broken, namespace: default}
spec: {config: '{"cniVersion": "0.3.1" "type": "calico"}'}
`

test('tiers print NAME ORDER sorted by order, unset last, with Go-style orders', async () => {
  const r = await xctl(['get', 'tiers', '--local', '-f', '-'], {input: MIXED})
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(tableRows(r.stdout), [['NAME', 'ORDER'], ['platform', '50'], ['security', '1e+06'], ['unordered']])
})

test('crd.projectcalico.org/v1 objects are shown as projectcalico.org/v3: metadata annotation, default. prefix, tier', async () => {
  const r = await xctl(['get', 'gnp', '-o', 'wide', '--local', '-f', '-'], {input: MIXED})
  assert.deepEqual(tableRows(r.stdout), [
    ['NAME', 'TIER', 'ORDER', 'SELECTOR'],
    ['legacy-allow', 'default', '10', 'all()'],
    ['security.block', 'security', '1', "app == 'db'"],
  ])
  const y = await xctl(['get', 'gnp', 'security.block', '-o', 'yaml', '--local', '-f', '-'], {input: MIXED})
  const gnp = parseYaml(y.stdout)
  assert.equal(gnp.apiVersion, 'projectcalico.org/v3')
  assert.deepEqual(gnp.metadata.labels, {team: 'sec'})
  assert.equal(gnp.metadata.annotations, undefined)
})

test('NADs: NAME TYPE CNIVERSION, wide adds IPAM, pools, MTU and whether the config parses', async () => {
  const r = await xctl(
    ['get', 'nad', '-A', '-o', 'wide', '--local', '-f', '-', '-f', 'examples/multus/02-network.yaml'],
    {input: MIXED},
  )
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], ['NAMESPACE', 'NAME', 'TYPE', 'CNIVERSION', 'IPAM', 'POOLS', 'MTU', 'CONFIG'])
  const broken = rows.find((row) => row[1] === 'broken')!
  assert.match(broken.at(-1)!, /^invalid: /)
  const good = rows.find((row) => row[1] === 'additional-calico-network')!
  assert.deepEqual(good.slice(2), [
    'calico',
    '0.3.1',
    'calico-ipam',
    '10.0.0.0/24,20.0.0.0/16,default-ipv4-ippool',
    '1410',
    'ok',
  ])
})

test('policies: NAME TIER, NAMESPACE first with -A', async () => {
  const r = await xctl(['get', 'networkpolicies', '-A', ...EXAMPLE])
  assert.deepEqual(tableRows(r.stdout), [
    ['NAMESPACE', 'NAME', 'TIER'],
    ['production', 'internal-access.allow-tcp-6379', 'internal-access'],
  ])
})

test('ippools: calicoctl columns, and the wide set with Never for unset modes', async () => {
  const r = await xctl(['get', 'pools', '-o', 'wide', ...EXAMPLE])
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], [
    'NAME',
    'CIDR',
    'NAT',
    'IPIPMODE',
    'VXLANMODE',
    'DISABLED',
    'DISABLEBGPEXPORT',
    'SELECTOR',
    'ASSIGNMENTMODE',
  ])
  assert.deepEqual(rows[1], [
    'default-ipv4-ippool',
    '192.168.0.0/16',
    'true',
    'Always',
    'Never',
    'false',
    'false',
    'all()',
    'Automatic',
  ])
})

test('custom-columns (kubectl and calicoctl forms), jsonpath, name, --no-headers and --sort-by', async () => {
  const cc = await xctl(
    [
      'get',
      'wep',
      '-A',
      '-o',
      'custom-columns=POD:.spec.pod,IFACE:.metadata.labels.projectcalico\\.org/network-interface',
      '--sort-by',
      '.spec.pod',
      ...EXAMPLE,
    ],
    {env: MULTUS},
  )
  const rows = tableRows(cc.stdout)
  assert.deepEqual(rows[0], ['POD', 'IFACE'])
  assert.deepEqual(
    rows.slice(1).map((r) => r[0]),
    [
      'database-0',
      'database-0',
      'frontend-7d9c',
      'frontend-7d9c',
      'multus-test-pod-1',
      'multus-test-pod-1',
      'multus-test-pod-1',
      'multus-test-pod-1',
    ],
  )
  const calico = await xctl(['get', 'wep', '-o', 'custom-columns=WORKLOAD,INTERFACE', '--no-headers', ...EXAMPLE], {
    env: MULTUS,
  })
  assert.deepEqual(tableRows(calico.stdout)[0], ['multus-test-pod-1', 'calif887e436e8b'])
  const bad = await xctl(['get', 'wep', '-o', 'custom-columns=BOGUS', ...EXAMPLE])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /unknown heading BOGUS, valid values are: /)
  const jp = await xctl(['get', 'wep', '-o', 'jsonpath={range .items[*]}{.spec.endpoint}{"\\n"}{end}', ...EXAMPLE], {
    env: MULTUS,
  })
  assert.equal(jp.stdout, 'eth0\nnet1\ntestiface\nnet3\n')
  const jp2 = await xctl(['get', 'wep', '-o', 'jsonpath={.items[*].spec.interfaceName}', ...EXAMPLE], {env: MULTUS})
  assert.equal(jp2.stdout, 'calif887e436e8b calim17CD6INXIX calim27CD6INXIX calim37CD6INXIX')
  const name = await xctl(['get', 'nad', '-o', 'name', ...EXAMPLE])
  assert.equal(name.stdout, 'networkattachmentdefinition.k8s.cni.cncf.io/additional-calico-network\n')
})

test('--export strips what only makes sense in one cluster', async () => {
  const r = await xctl(['get', 'wep', 'multus-test-pod-1', '-o', 'json', '--export', ...EXAMPLE], {env: MULTUS})
  const list = JSON.parse(r.stdout)
  for (const item of list.items) {
    assert.equal(item.metadata.uid, undefined)
    assert.equal(item.metadata.creationTimestamp, undefined)
    assert.equal(item.metadata.namespace, undefined)
  }
})

test('--calico-selector keeps the endpoints whose labels match; a bad selector points at the column', async () => {
  const r = await xctl(
    [
      'get',
      'wep',
      '-A',
      '--calico-selector',
      "projectcalico.org/network-interface == 'net1'",
      '-o',
      'name',
      ...EXAMPLE,
    ],
    {env: MULTUS},
  )
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 3)
  assert.ok(
    r.stdout
      .trim()
      .split('\n')
      .every((l) => l.endsWith('-net1')),
  )
  const bad = await xctl(['get', 'wep', '--calico-selector', 'a == ', ...EXAMPLE])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /invalid --calico-selector: .*column/)
})
