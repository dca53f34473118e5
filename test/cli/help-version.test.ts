import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

test('xctl --help lists the commands; get --help lists kinds, flags and examples', async () => {
  const top = await xctl(['--help'])
  assert.equal(top.code, 0)
  for (const cmd of ['get', 'apply', 'delete', 'version']) assert.match(top.stdout, new RegExp(`^\\s+${cmd}\\s`, 'm'))
  const get = await xctl(['get', '--help'])
  assert.equal(get.code, 0)
  for (const word of [
    'workloadendpoints (wep)',
    'net-attach-def',
    'globalnetworkpolicies (gnp)',
    '--all-namespaces',
    '--multi-interface-mode',
    '--local',
    'GLOBAL FLAGS',
    '--kubeconfig',
    'EXAMPLES',
    'MULTI_INTERFACE_MODE=multus xctl get workloadendpoints -o wide',
  ]) {
    assert.ok(get.stdout.includes(word), `get --help mentions ${word}`)
  }
})

test('usage errors exit 2 with a pointer to help; no stack trace', async () => {
  const r = await xctl(['get', 'wep', '--bogus-flag'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Nonexistent flag: --bogus-flag/)
  assert.match(r.stderr, /See 'xctl get --help'/)
  assert.doesNotMatch(r.stderr, /\n\s+at /)
  const unknown = await xctl(['frobnicate'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /unknown command "frobnicate" for "xctl"/)
  assert.match(unknown.stderr, /See 'xctl --help'/)
  const both = await xctl(['get', 'wep', '-A', '-n', 'x', '--local', '-f', 'examples/multus'])
  assert.equal(both.code, 2)
  assert.match(both.stderr, /cannot use both --namespace and --all-namespaces/)
})

test('version --client needs no cluster', async () => {
  const r = await xctl(['version', '--client'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Client Version:\s+0\.1\.0$/m)
  // bin/run.js answers --version itself, before oclif: only a real process shows it.
  const v = await xctl(['--version'], {spawned: true})
  assert.match(v.stdout, /^xctl\/0\.1\.0 /)
})

let cluster: TestCluster
before(async () => {
  cluster = await startCluster({
    calicoMode: 'crd-v1',
    objects: [
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'ClusterInformation',
        metadata: {name: 'default'},
        spec: {calicoVersion: 'v3.30.2', clusterType: 'k8s,bgp,kdd', datastoreReady: true},
      },
      {
        apiVersion: 'operator.tigera.io/v1',
        kind: 'Installation',
        metadata: {name: 'default'},
        spec: {calicoNetwork: {multiInterfaceMode: 'Multus'}},
      },
    ],
  })
})
after(() => cluster.server.close())

test('version prints cluster, Calico version, storage mode and multi-interface mode; a different Calico version is only a warning', async () => {
  const r = await xctl(['version'], {env: cluster.env})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Kubernetes Version:\s+v1\.32\.\d+$/m)
  assert.match(r.stdout, /^Calico Version:\s+v3\.30\.2$/m)
  assert.match(r.stdout, /^Calico Storage:\s+crd-v1$/m)
  assert.match(r.stdout, /^Multi-interface Mode:\s+multus \(from the Installation/m)
  assert.match(r.stderr, /Warning: the cluster runs Calico v3\.30\.2/)
  const json = JSON.parse(
    (await xctl(['version', '-o', 'json'], {env: {...cluster.env, MULTI_INTERFACE_MODE: 'multus'}})).stdout,
  )
  assert.equal(json.calicoStorage, 'crd-v1')
  assert.equal(json.multiInterfaceMode, 'multus')
})
