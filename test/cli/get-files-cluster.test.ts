import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {kubectl, tableRows, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/** `get KIND -f FILE` and `describe -f FILE` without --local fetch the objects the file names, as kubectl does. */
let cluster: TestCluster
let mixed: string
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}

before(async () => {
  cluster = await startCluster({objects: exampleObjects()})
  mixed = join(cluster.dir, 'mixed.yaml')
  writeFileSync(
    mixed,
    `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: nope, namespace: default}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: additional-calico-network, namespace: default}
spec: {config: '{}'}
`,
  )
})
after(() => cluster.server.close())

const lists = () =>
  cluster.server.requests.filter(
    (r) =>
      r.method === 'GET' &&
      /\/(pods|network-attachment-definitions)$/.test(r.path) &&
      !r.path.includes('/namespaces/default/pods/'),
  )

for (const fast of [true, false]) {
  const env = () => ({...cluster.env, ...MULTUS, ...(fast ? {} : {XCTL_NO_FAST_PATH: '1'})})
  test(`get wep -f POD.yaml fetches that pod's endpoints, not the whole cluster (${fast ? 'fast path' : 'oclif'})`, async () => {
    const before = lists().length
    const r = await xctl(['get', 'wep', '-f', 'examples/multus/03-pod.yaml', '-o', 'name'], {env: env()})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim().split('\n').length, 4)
    assert.match(r.stdout, /multus--test--pod--1-testiface/)
    assert.equal(lists().length, before, 'no list request')
    assert.ok(cluster.server.requests.some((q) => q.path === '/api/v1/namespaces/default/pods/multus-test-pod-1'))
  })

  test(`get nad -f: objects found print, each missing one is a NotFound line, exit 1 (${fast ? 'fast path' : 'oclif'})`, async () => {
    const r = await xctl(['get', 'nad', '-f', mixed], {env: env()})
    assert.equal(r.code, 1, r.stderr)
    assert.deepEqual(
      tableRows(r.stdout).map((row) => row[0]),
      ['NAME', 'additional-calico-network'],
    )
    assert.match(
      r.stderr,
      /^Error from server \(NotFound\): network-attachment-definitions\.k8s\.cni\.cncf\.io "nope" not found/m,
    )
  })
}

test('kubectl reports the same NotFound for get -f (exit 1) and prints the object it found', async (t) => {
  const k = await kubectl(['--kubeconfig', cluster.kubeconfig, 'get', '-f', mixed]).catch(() => undefined)
  if (!k) return t.skip('kubectl is not installed')
  assert.equal(k.code, 1)
  assert.match(
    k.stderr,
    /Error from server \(NotFound\): network-attachment-definitions\.k8s\.cni\.cncf\.io "nope" not found/,
  )
  assert.deepEqual(
    tableRows(k.stdout).map((row) => row[0]),
    ['NAME', 'additional-calico-network'],
  )
})

test('describe -f describes the endpoints of the pods and the policies the file names; NotFound for those missing', async () => {
  const r = await xctl(['describe', '-f', 'examples/multus/03-pod.yaml'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.match(/^Name: /gm)?.length, 4)
  const p = await xctl(['describe', '-f', 'examples/multus/05-policy.yaml'], {env: {...cluster.env, ...MULTUS}})
  assert.equal(p.code, 1, p.stderr)
  assert.match(p.stderr, /NotFound.*"internal-access\.allow-tcp-6379" not found/)
})

test('-f with NAMEs, or a file without the kind asked for, is refused before any request', async () => {
  const n = await xctl(['get', 'nad', 'x', '-f', mixed], {env: cluster.env})
  assert.equal(n.code, 2, n.stderr)
  assert.match(n.stderr, /when -f is given, NAMEs may not be given as well/)
  const k = await xctl(['get', 'gnp', '-f', mixed], {env: cluster.env})
  assert.equal(k.code, 1, k.stderr)
  assert.match(k.stderr, /no GlobalNetworkPolicy objects in the files given with -f/)
  const ns = await xctl(['get', 'nad', '-f', mixed, '-n', 'production'], {env: cluster.env})
  assert.equal(ns.code, 1, ns.stderr)
  assert.match(ns.stderr, /the namespace from the provided object "default" does not match the namespace "production"/)
})
