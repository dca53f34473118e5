import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import {ROOT, tableRows, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'
import {calicoToStorage} from '../../src/resources/calico-storage.js'
import type {KubeObject} from '../../src/kube/types.js'

// The same answers from a live (test) API server: Calico objects stored as crd.projectcalico.org/v1, as most
// clusters have them; service accounts and namespaces come from the API.
let cluster: TestCluster
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}
const NAME = 'internal-access.allow-tcp-6379'

function policyObjects(iface: string): KubeObject[] {
  const text = readFileSync(join(ROOT, 'examples/multus/05-policy.yaml'), 'utf8').replace("== 'cali1'", `== '${iface}'`)
  return parseAllDocuments(text).map((d) => calicoToStorage(d.toJS() as KubeObject, 'crd-v1'))
}

before(async () => {
  const serviceAccounts = ['frontend', 'database'].map((name) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {name, namespace: 'production', labels: {tier: name === 'database' ? 'data' : 'web'}},
  }))
  cluster = await startCluster({objects: [...exampleObjects(), ...serviceAccounts, ...policyObjects('cali1')]})
})
after(() => cluster.server.close())

const env = () => ({...cluster.env, ...MULTUS})
const since = (n: number) =>
  cluster.server.requests
    .slice(n)
    .filter((r) => r.method === 'GET')
    .map((r) => r.path)

test("cluster: the seed's policy (cali1) applies to no endpoint; pods are read across namespaces with namespaces, service accounts and tiers", async () => {
  const before = cluster.server.requests.length
  const r = await xctl(['describe', 'networkpolicy', NAME, '-n', 'production'], {env: env()})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Applies to: +no endpoint$/m)
  assert.match(
    r.stdout,
    /No endpoint has the label projectcalico\.org\/network-interface with the value "cali1"; the values that exist are eth0 \(3\), net1 \(3\), net3 \(1\), testiface \(1\)\./,
  )
  const paths = since(before)
  for (const p of [
    '/api/v1/pods',
    '/api/v1/namespaces',
    '/api/v1/serviceaccounts',
    '/apis/crd.projectcalico.org/v1/tiers',
    `/apis/crd.projectcalico.org/v1/namespaces/production/networkpolicies/${NAME}`,
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(' ')}`)
  }
})

test("cluster: with 'net1' the policy applies to the production pods' net1 endpoints; service-account labels arrive as pcsa.", async () => {
  cluster.server.load(policyObjects('net1'))
  try {
    const r = await xctl(['describe', 'np', NAME, '-n', 'production', '-o', 'json'], {env: env()})
    assert.equal(r.code, 0, r.stderr)
    const d = JSON.parse(r.stdout)
    assert.deepEqual(
      d.appliesTo.endpoints.map((e: {pod: string; interface: string}) => `${e.pod}/${e.interface}`),
      ['database-0/net1', 'frontend-7d9c/net1'],
    )
    assert.deepEqual(
      d.outsideNamespace.endpoints.map((e: {pod: string}) => e.pod),
      ['multus-test-pod-1'],
    )
    const wep = await xctl(['describe', 'wep', 'database-0', '-n', 'production', '-o', 'json'], {env: env()})
    const net1 = JSON.parse(wep.stdout).items[1]
    assert.deepEqual(net1.inheritedLabels[1], {
      name: 'ksa.production.database',
      labels: {'pcsa.tier': 'data', 'pcsa.projectcalico.org/name': 'database'},
      known: true,
      action: 'None',
    })
    assert.equal(net1.ingress.tiers[0].policies[0].name, NAME)
  } finally {
    cluster.server.load(policyObjects('cali1'))
  }
})

test('cluster: eval sends pod-label terms to the API as a label selector, and a namespace term narrows the listing', async () => {
  let n = cluster.server.requests.length
  const r = await xctl(['eval', "role == 'frontend' && projectcalico.org/network-interface == 'net1'", '-A'], {
    env: env(),
  })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(
    tableRows(r.stdout)
      .slice(1)
      .map((row) => row[1]),
    ['frontend-7d9c'],
  )
  const list = cluster.server.requests.slice(n).find((q) => q.path === '/api/v1/pods')
  assert.equal(list?.query.labelSelector, 'role=frontend')
  n = cluster.server.requests.length
  const ns = await xctl(
    ['eval', "projectcalico.org/namespace == 'production' && pcsa.tier == 'data'", '-A', '-o', 'name'],
    {env: env()},
  )
  assert.equal(ns.code, 0, ns.stderr)
  assert.deepEqual(ns.stdout.trim().split('\n'), [
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--1-k8s-database--0-eth0',
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--1-k8s-database--0-net1',
  ])
  assert.ok(since(n).includes('/api/v1/namespaces/production/pods'), since(n).join(' '))
})

test('cluster: when service accounts cannot be listed, describe still answers and says what it could not read', async () => {
  cluster.server.forbid.push({verb: 'list', resource: 'serviceaccounts'})
  try {
    const r = await xctl(['describe', 'wep', 'frontend-7d9c', '-n', 'production'], {env: env()})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /could not list service accounts \(Forbidden\)/)
    assert.match(
      r.stdout,
      /pcsa\.projectcalico\.org\/name=frontend {2}\(from ksa\.production\.frontend; its own labels unknown\)/,
    )
  } finally {
    cluster.server.forbid.length = 0
  }
})
