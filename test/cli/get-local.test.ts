import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parse as parseYaml} from 'yaml'
import {tableRows, xctl} from '../helpers/cli.js'

const EXAMPLE = ['--local', '-f', 'examples/multus']
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}

test("the seed table: -o wide in multus mode prints the seed's names and host interfaces", async () => {
  const r = await xctl(['get', 'workloadendpoints', '-o', 'wide', ...EXAMPLE], {env: MULTUS})
  assert.equal(r.code, 0, r.stderr)
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], ['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'])
  assert.deepEqual(
    rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5]]),
    [
      [
        'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0',
        'multus-test-pod-1',
        'test-bo-72vg-kadm-infra-0',
        'calif887e436e8b',
        'kns.default,ksa.default.default',
      ],
      [
        'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1',
        'multus-test-pod-1',
        'test-bo-72vg-kadm-infra-0',
        'calim17CD6INXIX',
        'kns.default,ksa.default.default',
      ],
      [
        'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface',
        'multus-test-pod-1',
        'test-bo-72vg-kadm-infra-0',
        'calim27CD6INXIX',
        'kns.default,ksa.default.default',
      ],
      [
        'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net3',
        'multus-test-pod-1',
        'test-bo-72vg-kadm-infra-0',
        'calim37CD6INXIX',
        'kns.default,ksa.default.default',
      ],
    ],
  )
  assert.equal(rows[1][3], '192.168.52.140/32')
})

test("columns are aligned: every row starts its cells at the header's offsets", async () => {
  const r = await xctl(['get', 'wep', '-o', 'wide', ...EXAMPLE], {env: MULTUS})
  const lines = r.stdout.trimEnd().split('\n')
  const starts = [...lines[0].matchAll(/\S+/g)].map((m) => m.index)
  for (const line of lines.slice(1)) {
    for (const s of starts.slice(1, 5))
      assert.match(line.slice(s! - 3, s), /^ {3}$/, `column boundary at ${s} in: ${line}`)
    assert.equal(line, line.trimEnd())
  }
})

test('mode none (variable unset): one eth0 endpoint per pod, default ps columns, and a hint about the Installation on stderr', async () => {
  const r = await xctl(['get', 'wep', ...EXAMPLE])
  assert.equal(r.code, 0, r.stderr)
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], ['WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'])
  assert.deepEqual(rows.slice(1), [
    ['multus-test-pod-1', 'test-bo-72vg-kadm-infra-0', '192.168.52.140/32', 'calif887e436e8b'],
  ])
  assert.match(r.stderr, /multiInterfaceMode: Multus/)
  assert.equal(r.stderr.trim().split('\n').length, 1)
  assert.doesNotMatch(r.stdout, /Multus/)
})

test('--multi-interface-mode wins over the variable', async () => {
  const none = await xctl(['get', 'wep', '--multi-interface-mode', 'none', ...EXAMPLE], {env: MULTUS})
  assert.equal(tableRows(none.stdout).length, 2)
  const multus = await xctl(['get', 'wep', '--multi-interface-mode', 'multus', ...EXAMPLE], {
    env: {MULTI_INTERFACE_MODE: 'none'},
  })
  assert.equal(tableRows(multus.stdout).length, 5)
  assert.equal(multus.stderr, '')
})

test('-A adds NAMESPACE first and lists every namespace; -n picks one', async () => {
  const all = await xctl(['get', 'wep', '-A', ...EXAMPLE], {env: MULTUS})
  const rows = tableRows(all.stdout)
  assert.deepEqual(rows[0], ['NAMESPACE', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'])
  assert.deepEqual([...new Set(rows.slice(1).map((r) => r[0]))], ['default', 'production'])
  const prod = await xctl(['get', 'wep', '-n', 'production', ...EXAMPLE], {env: MULTUS})
  assert.deepEqual(
    new Set(
      tableRows(prod.stdout)
        .slice(1)
        .map((r) => r[1]),
    ),
    new Set(['frontend-7d9c', 'database-0']),
  )
  assert.equal(tableRows(prod.stdout).length, 5)
  assert.equal(tableRows(prod.stdout)[0][0], 'NAMESPACE')
})

test('a pod name gives all its endpoints; a full endpoint name gives one, printed bare in YAML', async () => {
  const byPod = await xctl(['get', 'wep', 'multus-test-pod-1', '-o', 'name', ...EXAMPLE], {env: MULTUS})
  assert.equal(byPod.code, 0, byPod.stderr)
  assert.deepEqual(byPod.stdout.trim().split('\n'), [
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0',
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1',
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface',
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net3',
  ])
  const one = await xctl(
    ['get', 'wep', 'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1', '-o', 'yaml', ...EXAMPLE],
    {env: MULTUS},
  )
  assert.equal(one.code, 0, one.stderr)
  const wep = parseYaml(one.stdout)
  assert.equal(wep.kind, 'WorkloadEndpoint')
  assert.equal(wep.apiVersion, 'projectcalico.org/v3')
  assert.equal(wep.spec.interfaceName, 'calim17CD6INXIX')
  assert.equal(wep.spec.endpoint, 'net1')
  assert.deepEqual(wep.spec.ipNetworks, ['10.0.0.5/32'])
  assert.deepEqual(wep.metadata.labels, {
    app: 'multus-test',
    'projectcalico.org/namespace': 'default',
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': 'default',
    'projectcalico.org/network': 'additional-calico-network',
    'projectcalico.org/network-namespace': 'default',
    'projectcalico.org/network-interface': 'net1',
  })
})

test('lists print as a WorkloadEndpointList in YAML and JSON', async () => {
  const y = await xctl(['get', 'wep', '-o', 'yaml', ...EXAMPLE], {env: MULTUS})
  const list = parseYaml(y.stdout)
  assert.equal(list.kind, 'WorkloadEndpointList')
  assert.equal(list.apiVersion, 'projectcalico.org/v3')
  assert.equal(list.items.length, 4)
  const j = await xctl(['get', 'wep', '-o', 'json', ...EXAMPLE], {env: MULTUS})
  const jl = JSON.parse(j.stdout)
  assert.equal(jl.kind, 'WorkloadEndpointList')
  assert.deepEqual(jl.items, list.items)
  const empty = await xctl(['get', 'wep', '-n', 'nothing-here', '-o', 'json', ...EXAMPLE], {env: MULTUS})
  assert.deepEqual(JSON.parse(empty.stdout).items, [])
})

test('a name that matches nothing is a NotFound error (exit 1), never a crash', async () => {
  const r = await xctl(['get', 'wep', 'no-such-pod', ...EXAMPLE], {env: MULTUS})
  assert.equal(r.code, 1)
  assert.match(r.stderr, /NotFound.*"no-such-pod" not found/)
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/)
})

test('--node and -l filter endpoints', async () => {
  const node = await xctl(['get', 'wep', '-A', '--node', 'test-bo-72vg-kadm-infra-1', ...EXAMPLE], {env: MULTUS})
  assert.deepEqual(
    [
      ...new Set(
        tableRows(node.stdout)
          .slice(1)
          .map((r) => r[0]),
      ),
    ],
    ['production'],
  )
  const label = await xctl(['get', 'wep', '-A', '-l', 'role=database', '-o', 'name', ...EXAMPLE], {env: MULTUS})
  assert.equal(label.stdout.trim().split('\n').length, 2)
  assert.match(label.stdout, /database--0-eth0/)
})

test('more than 9 additional networks: that pod is reported on stderr, the rest still print, exit 1', async () => {
  const ten = Array.from({length: 10}, (_, i) => `net-${i}`).join(',')
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: crowded, namespace: default, annotations: {k8s.v1.cni.cncf.io/networks: "${ten}"}}
spec: {nodeName: n1, containers: [{name: c}]}
status: {podIP: 10.0.0.9}
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: default}
spec: {nodeName: n1, containers: [{name: c}]}
status: {podIP: 10.0.0.8}
`
  const r = await xctl(['get', 'wep', '--local', '-f', '-'], {env: MULTUS, input: manifest})
  assert.equal(r.code, 1)
  assert.match(r.stderr, /default\/crowded.*a maximum of 9 additional interfaces is allowed on a pod/)
  assert.deepEqual(
    tableRows(r.stdout)
      .slice(1)
      .map((row) => row[0]),
    ['fine'],
  )
})

test('bad input: unknown output format and unknown kind are usage errors (2); a missing file is exit 3', async () => {
  const format = await xctl(['get', 'wep', '-o', 'bogus', ...EXAMPLE])
  assert.equal(format.code, 2)
  assert.match(format.stderr, /unrecognized output format 'bogus'/)
  const kind = await xctl(['get', 'frobnicators', ...EXAMPLE])
  assert.equal(kind.code, 2)
  assert.match(kind.stderr, /resource type 'frobnicators' is not supported/)
  const missing = await xctl(['get', 'wep', '--local', '-f', 'nope.yaml'])
  assert.equal(missing.code, 3)
  assert.match(missing.stderr, /nope\.yaml: no such file or directory/)
  const syntax = await xctl(['get', 'wep', '--local', '-f', '-'], {input: 'kind: Pod\nmetadata: {name: x\n'})
  assert.equal(syntax.code, 3)
  assert.match(syntax.stderr, /<stdin>:\d+:\d+/)
})

test('global flags before the command work like kubectl', async () => {
  const r = await xctl(['-n', 'production', 'get', 'wep', '--local', '-f', 'examples/multus'], {env: MULTUS})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(tableRows(r.stdout)[0][0], 'NAMESPACE')
})
