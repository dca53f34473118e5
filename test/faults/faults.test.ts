import {after, before, beforeEach, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

/** Fault injection: the API misbehaves; xctl must finish correctly or fail clearly, never half-write or hang. */
let c: TestCluster
const pods = Array.from({length: 1200}, (_, i) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: `p-${String(i).padStart(4, '0')}`, namespace: 'bulk'},
  spec: {nodeName: 'n1', containers: [{name: 'c'}]},
  status: {podIP: `10.9.${i >> 8}.${i & 255}`},
}))
before(async () => {
  c = await startCluster({
    objects: [
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bulk'}},
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}},
      ...pods,
    ],
  })
})
after(() => c.server.close())
beforeEach(() => c.server.faults.clear())

const names = (stdout: string) => stdout.trim().split('\n').filter(Boolean)

test('5xx and 429 (with Retry-After) on reads are retried and the list completes', async () => {
  c.server.faults.add({method: 'GET', pathPattern: /\/pods\?/, status: 503, times: 2})
  c.server.faults.add({method: 'GET', pathPattern: /\/pods\?.*continue=/, status: 429, retryAfter: 1, times: 1})
  const started = Date.now()
  const r = await xctl(['get', 'wep', '-n', 'bulk', '-o', 'name'], {env: c.env})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(new Set(names(r.stdout)).size, 1200)
  assert.equal(names(r.stdout).length, 1200)
  assert.ok(Date.now() - started >= 1000, 'Retry-After was honoured')
})

test('a connection dropped mid-body is retried without duplicates', async () => {
  c.server.faults.add({method: 'GET', pathPattern: /\/pods\?.*continue=/, dropConnection: 'mid-body', times: 1})
  const r = await xctl(['get', 'wep', '-n', 'bulk', '-o', 'name'], {env: c.env})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(names(r.stdout).length, 1200)
  assert.equal(new Set(names(r.stdout)).size, 1200)
})

test('a list that keeps failing after its first page exits 3, says it is incomplete, and leaves JSON unterminated', async () => {
  c.server.faults.add({
    method: 'GET',
    pathPattern: /\/pods\?.*continue=/,
    dropConnection: 'before-headers',
    times: Infinity,
  })
  const r = await xctl(['get', 'wep', '-n', 'bulk', '-o', 'json'], {env: c.env})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /the list is incomplete: 500 object\(s\) were printed before this failure/)
  assert.throws(() => JSON.parse(r.stdout))
  const table = await xctl(['get', 'wep', '-n', 'bulk'], {env: c.env})
  assert.equal(table.code, 3)
  assert.match(table.stderr, /incomplete/)
})

test('a server slower than --request-timeout fails with exit 3 instead of hanging', async () => {
  c.server.faults.add({method: 'GET', pathPattern: /\/pods\?/, delayMs: 5000, times: Infinity})
  const started = Date.now()
  const r = await xctl(['get', 'wep', '-n', 'bulk', '--request-timeout', '300ms'], {env: c.env})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /no answer from the server within 0\.3s/)
  assert.match(r.stderr, /--request-timeout/)
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
})

test('an expired continue token twice in one list is a failure, not a silent partial list', async () => {
  c.server.faults.add({method: 'GET', pathPattern: /\/pods\?.*continue=/, status: 410, times: Infinity})
  const r = await xctl(['get', 'wep', '-n', 'bulk', '-o', 'name'], {env: c.env})
  assert.equal(r.code, 3)
  assert.match(r.stderr, /incomplete.*Expired/)
})

test('a create whose answer is lost is checked before it is repeated: created once, reported once', async () => {
  c.server.faults.add({method: 'POST', pathPattern: /network-attachment-definitions/, delayMs: 1500, times: 1})
  const nad = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: slow-net, namespace: production}
spec: {config: '{"cniVersion":"0.3.1","type":"calico","ipam":{"type":"calico-ipam"}}'}
`
  const r = await xctl(['apply', '-f', '-', '--request-timeout', '500ms'], {env: c.env, input: nad})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /slow-net created/)
  assert.equal(
    c.server
      .list('k8s.cni.cncf.io/v1', 'network-attachment-definitions', 'production')
      .filter((o: {metadata: {name: string}}) => o.metadata.name === 'slow-net').length,
    1,
  )
  const again = await xctl(['apply', '-f', '-'], {env: c.env, input: nad})
  assert.match(again.stdout, /slow-net unchanged/)
})

test('writes are not blindly retried: a 503 on create is reported as a failure and nothing is duplicated', async () => {
  c.server.faults.add({method: 'POST', pathPattern: /network-attachment-definitions/, status: 503, times: 1})
  const nad = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: flaky-net, namespace: production}
spec: {config: '{"cniVersion":"0.3.1","type":"calico","ipam":{"type":"calico-ipam"}}'}
`
  const r = await xctl(['apply', '-f', '-'], {env: c.env, input: nad})
  assert.equal(r.code, 1)
  assert.match(r.stderr, /flaky-net failed: Error from server/)
  const rerun = await xctl(['apply', '-f', '-'], {env: c.env, input: nad})
  assert.equal(rerun.code, 0, rerun.stderr)
  assert.match(rerun.stdout, /flaky-net created/)
})

test('Ctrl-C during apply stops after the object in flight and reports what was and was not written', async () => {
  c.server.faults.add({method: 'POST', pathPattern: /network-attachment-definitions/, delayMs: 400, times: Infinity})
  const nads = Array.from(
    {length: 8},
    (_, i) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: int-${i}, namespace: production}
spec: {config: '{"cniVersion":"0.3.1","type":"calico","ipam":{"type":"calico-ipam"}}'}
`,
  ).join('---\n')
  const r = await xctl(['apply', '-f', '-'], {
    env: c.env,
    input: nads,
    onSpawn: (child) => {
      child.stdout?.once('data', () => child.kill('SIGINT'))
    },
  })
  assert.equal(r.code, 1, r.stderr)
  const created = r.stdout.split('\n').filter((l) => / created$/.test(l))
  const skipped = r.stderr.split('\n').filter((l) => /not attempted \(interrupted\)$/.test(l))
  assert.ok(created.length >= 1 && created.length < 8, r.stdout)
  assert.equal(created.length + skipped.length, 8)
  assert.match(r.stdout, /not attempted \(interrupted\)/)
  const stored = c.server
    .list('k8s.cni.cncf.io/v1', 'network-attachment-definitions', 'production')
    .filter((o: {metadata: {name: string}}) => o.metadata.name.startsWith('int-'))
  assert.equal(stored.length, created.length, 'exactly the objects reported as created exist')
})
