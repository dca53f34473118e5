import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {tableRows, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

let cluster: TestCluster
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}

before(async () => {
  cluster = await startCluster({objects: exampleObjects()})
})
after(() => cluster.server.close())

const listRequests = () => cluster.server.requests.filter((r) => r.method === 'GET' && /\/pods$/.test(r.path))

test('the seed table from the API over HTTPS with a bearer token', async () => {
  const r = await xctl(['get', 'workloadendpoints', '-o', 'wide'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(r.code, 0, r.stderr)
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], ['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'])
  assert.deepEqual(
    rows.slice(1).map((row) => [row[0], row[4]]),
    [
      ['test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0', 'calif887e436e8b'],
      ['test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1', 'calim17CD6INXIX'],
      ['test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface', 'calim27CD6INXIX'],
      ['test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net3', 'calim37CD6INXIX'],
    ],
  )
  const req = listRequests().at(-1)!
  assert.equal(req.path, '/api/v1/namespaces/default/pods')
  assert.equal(req.query.limit, '500')
  assert.equal(req.headers.authorization, 'Bearer test-token')
})

test("the User-Agent names xctl's own version, as kubectl's names kubectl's", async () => {
  const r = await xctl(['get', 'workloadendpoints'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(r.code, 0, r.stderr)
  const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  assert.match(String(listRequests().at(-1)!.headers['user-agent']), new RegExp(`^xctl/v${version} \\(\\w+/\\w+\\)$`))
})

test('the context namespace is the default; -A lists every namespace cluster-wide', async () => {
  const kc = join(cluster.dir, 'kc-prod')
  cluster.server.writeKubeconfig(kc, {token: 'test-token', namespace: 'production'})
  const r = await xctl(['get', 'wep', '-o', 'name'], {env: {KUBECONFIG: kc, ...MULTUS}})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /frontend--7d9c-net1/)
  assert.doesNotMatch(r.stdout, /multus--test/)
  const all = await xctl(['get', 'wep', '-A'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(listRequests().at(-1)!.path, '/api/v1/pods')
  assert.equal(tableRows(all.stdout).length, 1 + 4 + 4)
})

test('-l and --node reach the API as label and field selectors', async () => {
  const r = await xctl(
    ['get', 'wep', '-A', '-l', 'role=frontend', '--node', 'test-bo-72vg-kadm-infra-1', '-o', 'name'],
    {env: {...cluster.env, ...MULTUS}},
  )
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 2)
  const req = listRequests().at(-1)!
  assert.equal(req.query.labelSelector, 'role=frontend')
  assert.equal(req.query.fieldSelector, 'spec.nodeName=test-bo-72vg-kadm-infra-1')
})

test('lists are paged with limit/continue and every page is printed, even when the server returns short pages', async () => {
  const pods = Array.from({length: 1203}, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `p-${String(i).padStart(4, '0')}`, namespace: 'bulk'},
    spec: {nodeName: 'n1', containers: [{name: 'c'}]},
    status: {podIP: `10.9.${i >> 8}.${i & 255}`},
  }))
  const big = await startCluster({
    objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bulk'}}, ...pods],
    maxPageSize: 400,
  })
  try {
    const r = await xctl(['get', 'wep', '-n', 'bulk', '--no-headers'], {env: big.env})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim().split('\n').length, 1203)
    const pages = big.server.requests.filter((q) => /\/pods$/.test(q.path))
    assert.ok(pages.length >= 4, `expected several pages, got ${pages.length}`)
    assert.ok(pages.slice(1).every((q) => q.query.continue))
  } finally {
    big.server.close()
  }
})

test('an expired continue token (410) restarts the list once, without duplicates or gaps', async () => {
  const pods = Array.from({length: 1100}, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `q-${String(i).padStart(4, '0')}`, namespace: 'bulk'},
    spec: {nodeName: 'n1', containers: [{name: 'c'}]},
  }))
  const c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bulk'}}, ...pods]})
  try {
    c.server.faults.add({method: 'GET', pathPattern: /\/pods\?.*continue=/, status: 410, times: 1})
    const r = await xctl(['get', 'wep', '-n', 'bulk', '-o', 'name'], {env: c.env})
    assert.equal(r.code, 0, r.stderr)
    const names = r.stdout.trim().split('\n')
    assert.equal(names.length, 1100)
    assert.equal(new Set(names).size, 1100)
  } finally {
    c.server.close()
  }
})

test('a single endpoint by full name or by pod name', async () => {
  const one = await xctl(
    ['get', 'wep', 'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface', '-o', 'json'],
    {env: {...cluster.env, ...MULTUS}},
  )
  assert.equal(one.code, 0, one.stderr)
  const wep = JSON.parse(one.stdout)
  assert.equal(wep.kind, 'WorkloadEndpoint')
  assert.equal(wep.spec.interfaceName, 'calim27CD6INXIX')
  const byPod = await xctl(['get', 'wep', 'multus-test-pod-1', '-o', 'yaml'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(parseYaml(byPod.stdout).items.length, 4)
})

test('NotFound for a missing name is exit 1 with a kubectl-style message', async () => {
  const r = await xctl(['get', 'wep', 'ghost'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(r.code, 1)
  assert.match(r.stderr, /Error from server \(NotFound\): .*"ghost" not found/)
})

test("API errors print like kubectl: Forbidden is exit 3 with the server's message", async () => {
  cluster.server.forbid.push({verb: 'list', resource: 'pods'})
  try {
    const r = await xctl(['get', 'wep', '-A'], {env: cluster.env})
    assert.equal(r.code, 3)
    assert.match(
      r.stderr,
      /^Error from server \(Forbidden\): pods is forbidden: User ".*" cannot list resource "pods" in API group "" at the cluster scope/m,
    )
    assert.equal(r.stdout, '')
  } finally {
    cluster.server.forbid.length = 0
  }
})

test('a wrong token is Unauthorized: exit 3', async () => {
  const kc = join(cluster.dir, 'kc-bad')
  cluster.server.writeKubeconfig(kc, {token: 'wrong-token'})
  const r = await xctl(['get', 'wep'], {env: {KUBECONFIG: kc}})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /Unauthorized/)
  assert.doesNotMatch(r.stderr + r.stdout, /wrong-token/)
})

test('client certificates authenticate', async () => {
  const kc = join(cluster.dir, 'kc-cert')
  cluster.server.writeKubeconfig(kc, {clientCert: true})
  const r = await xctl(['get', 'wep', '-o', 'name'], {env: {KUBECONFIG: kc}})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /multus--test--pod--1-eth0/)
})

test('a refused connection names the server and exits 3', async () => {
  const kc = join(cluster.dir, 'kc-refused')
  writeFileSync(
    kc,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: abcdefgh}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  )
  const r = await xctl(['get', 'wep'], {env: {KUBECONFIG: kc}})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /The connection to the server https:\/\/127\.0\.0\.1:1 was refused/)
})

test('a server with an unknown CA is refused with a TLS message (exit 3)', async () => {
  const kc = join(cluster.dir, 'kc-noca')
  writeFileSync(
    kc,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${cluster.server.url}"}}]
users: [{name: u, user: {token: test-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  )
  const r = await xctl(['get', 'wep'], {env: {KUBECONFIG: kc}})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /TLS|certificate/)
})

test('KUBECONFIG with several files is merged; --context picks one; an unknown context names the known ones', async () => {
  const a = join(cluster.dir, 'kc-a')
  const b = join(cluster.dir, 'kc-b')
  cluster.server.writeKubeconfig(a, {token: 'test-token', context: 'alpha'})
  cluster.server.writeKubeconfig(b, {token: 'test-token', context: 'beta', namespace: 'production'})
  const merged = {KUBECONFIG: `${a}:${b}`, ...MULTUS}
  const first = await xctl(['get', 'wep', '-o', 'name'], {env: merged})
  assert.match(first.stdout, /multus--test/)
  const beta = await xctl(['get', 'wep', '-o', 'name', '--context', 'beta'], {env: merged})
  assert.match(beta.stdout, /frontend/)
  const bad = await xctl(['get', 'wep', '--context', 'gamma'], {env: merged})
  assert.equal(bad.code, 3)
  assert.match(bad.stderr, /context "gamma" does not exist/)
  assert.match(bad.stderr, /alpha, beta/)
})

test('no kubeconfig at all: a clear error, never a silent localhost:8080', async () => {
  const r = await xctl(['get', 'wep'], {env: {HOME: cluster.dir, KUBECONFIG: undefined}})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /no kubeconfig found/)
  assert.doesNotMatch(r.stderr, /8080/)
})

test('the Installation hint appears on stderr only when MULTI_INTERFACE_MODE is unset', async () => {
  const unset = await xctl(['get', 'wep'], {env: cluster.env})
  assert.equal(unset.code, 0, unset.stderr)
  assert.match(unset.stderr, /multiInterfaceMode: Multus/)
  assert.doesNotMatch(unset.stdout, /Multus/)
  const set = await xctl(['get', 'wep'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(set.stderr, '')
})
