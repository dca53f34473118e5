import {after, before, beforeEach, test} from 'node:test'
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {xctl} from '../helpers/cli.js'
import {json, startHostileServer, type HostileServer} from './server.js'

/** Writes against a server that hangs, slows down or drops answers: signals end the run, lost answers are re-read. */
let s: HostileServer
let kc: string
before(async () => {
  s = await startHostileServer()
  kc = s.kubeconfig()
})
after(() => s.close())

const NADS = '/apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions'
type Nad = {metadata: {name: string; resourceVersion?: string}; spec: {config: string}}
const store = new Map<string, Nad>()
beforeEach(() => {
  store.clear()
  s.requests.length = 0
})

const config = (type: string) => JSON.stringify({cniVersion: '0.3.1', type, ipam: {type: 'calico-ipam'}})
const nadYaml = (names: string[], type = 'calico') =>
  names
    .map(
      (n) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: ${n}, namespace: default}
spec: {config: '${config(type)}'}
`,
    )
    .join('---\n')

/** A NAD store; `override` may answer a request itself (hang, drop, fail) and returns true when it did. */
function nadServer(
  override: (req: IncomingMessage, res: ServerResponse, name: string, body: string) => boolean = () => false,
): void {
  s.handle((req, res, body) => {
    const path = (req.url ?? '').split('?')[0]
    if (!path.startsWith(NADS))
      return json(res, 404, {
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'the server could not find the requested resource',
      })
    const name = decodeURIComponent(path.slice(NADS.length + 1))
    if (override(req, res, name, body)) return
    const notFound = () =>
      json(res, 404, {
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: `network-attachment-definitions "${name}" not found`,
        details: {name},
      })
    if (req.method === 'GET') return store.has(name) ? json(res, 200, store.get(name)) : notFound()
    if (req.method === 'POST' || req.method === 'PUT') {
      const o = JSON.parse(body) as Nad
      o.metadata.resourceVersion = String(Date.now())
      store.set(o.metadata.name, o)
      return json(res, req.method === 'POST' ? 201 : 200, o)
    }
    if (req.method === 'DELETE')
      return store.delete(name) ? json(res, 200, {kind: 'Status', status: 'Success'}) : notFound()
    json(res, 405, {})
  })
}

/** Never answers (bounded: the connection is dropped after 30 s). */
function hang(res: ServerResponse): true {
  const timer = setTimeout(() => res.destroy(), 30_000)
  res.on('close', () => clearTimeout(timer))
  return true
}

const NAMES = ['int-0', 'int-1', 'int-2', 'int-3', 'int-4']

async function applyWithSignals(
  signals: NodeJS.Signals[],
): Promise<{code: number; stdout: string; stderr: string; afterSignalMs: number}> {
  let child: ChildProcess | undefined
  let lastSignal = 0
  nadServer((req, res, name) => {
    if (req.method === 'POST' && name === '' && !req.headers['x-never']) {
      if (store.size === 0) return false // int-0 is created at once
      // The next create hangs; the signals arrive while it is in flight.
      signals.forEach((sig, i) => setTimeout(() => ((lastSignal = Date.now()), child?.kill(sig)), 300 + 400 * i))
      return hang(res)
    }
    return false
  })
  const r = await xctl(['apply', '-f', '-', '--kubeconfig', kc], {input: nadYaml(NAMES), onSpawn: (c) => (child = c)})
  return {...r, afterSignalMs: Date.now() - lastSignal}
}

test('SIGTERM during a hanging write exits at once with 143 and says what was written, in flight and not attempted', async () => {
  const r = await applyWithSignals(['SIGTERM'])
  assert.equal(r.code, 143, r.stderr)
  assert.ok(r.afterSignalMs < 2000, `exited ${r.afterSignalMs} ms after SIGTERM`)
  assert.match(r.stdout, /int-0"? created/)
  assert.match(r.stderr, /Terminated: exiting now\./)
  assert.match(r.stderr, /int-1"? unknown \(its request was in flight; check it with xctl get\)/)
  for (const n of ['int-2', 'int-3', 'int-4'])
    assert.match(r.stderr, new RegExp(`${n}"? not attempted \\(interrupted\\)`))
  assert.match(r.stderr, /1 object\(s\) written, 1 unknown, 3 not attempted/)
  assert.deepEqual([...store.keys()], ['int-0'])
})

test('a second Ctrl-C during a hanging write exits at once with 130', async () => {
  const r = await applyWithSignals(['SIGINT', 'SIGINT'])
  assert.equal(r.code, 130, r.stderr)
  assert.ok(r.afterSignalMs < 2000, `exited ${r.afterSignalMs} ms after the second Ctrl-C`)
  assert.match(r.stderr, /Interrupted: stopping after the object in flight \(Ctrl-C again to exit at once\)/)
  assert.match(r.stderr, /Interrupted again: exiting now\./)
  assert.match(r.stderr, /int-1"? unknown/)
  assert.match(r.stderr, /1 object\(s\) written, 1 unknown, 3 not attempted/)
})

test('the first Ctrl-C cuts a retry back-off short: no waiting out Retry-After, the rest is not attempted', async () => {
  let child: ChildProcess | undefined
  let signalled = 0
  nadServer((req, res, name) => {
    if (req.method === 'GET' && name === 'int-1') {
      if (!signalled) setTimeout(() => ((signalled = Date.now()), child?.kill('SIGINT')), 200)
      json(
        res,
        503,
        {kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', code: 503, message: 'busy'},
        {'retry-after': '8'},
      )
      return true
    }
    return false
  })
  const r = await xctl(['apply', '-f', '-', '--kubeconfig', kc], {input: nadYaml(NAMES), onSpawn: (c) => (child = c)})
  const afterSignal = Date.now() - signalled
  assert.equal(r.code, 1, r.stderr)
  assert.ok(signalled > 0 && afterSignal < 2000, `ended ${afterSignal} ms after Ctrl-C (Retry-After was 8 s)`)
  assert.match(r.stdout, /int-0"? created/)
  for (const n of ['int-1', 'int-2', 'int-3', 'int-4'])
    assert.match(r.stderr, new RegExp(`${n}"? not attempted \\(interrupted\\)`))
  assert.match(r.stdout, /5 object\(s\): 1 created, 4 not attempted \(interrupted\)/)
})

/** The server does (or does not) do the write, then drops the connection before answering. */
function dropAfter(method: string, doIt: boolean): void {
  nadServer((req, res, name, body) => {
    if (req.method !== method) return false
    if (doIt && (method === 'POST' || method === 'PUT')) store.set(JSON.parse(body).metadata.name, JSON.parse(body))
    if (doIt && method === 'DELETE') store.delete(name)
    req.socket.destroy()
    return true
  })
}

test('a create, update or delete whose answer was lost is read back and reported as applied or not', async () => {
  dropAfter('POST', true)
  const created = await xctl(['apply', '-f', '-', '--kubeconfig', kc], {input: nadYaml(['lost-create'])})
  assert.equal(created.code, 0, created.stderr)
  assert.match(created.stdout, /lost-create"? created/)
  assert.equal(s.requests.filter((q) => q.method === 'POST').length, 1, 'the create was not sent twice')

  store.set('lost-update', {metadata: {name: 'lost-update'}, spec: {config: config('calico')}})
  dropAfter('PUT', true)
  const updated = await xctl(['apply', '-f', '-', '--kubeconfig', kc], {input: nadYaml(['lost-update'], 'macvlan')})
  assert.equal(updated.code, 0, updated.stderr)
  assert.match(updated.stdout, /lost-update"? configured/)

  dropAfter('PUT', false)
  const notUpdated = await xctl(['apply', '-f', '-', '--kubeconfig', kc], {input: nadYaml(['lost-update'], 'ipvlan')})
  assert.equal(notUpdated.code, 1)
  assert.match(
    notUpdated.stderr,
    /lost-update"? failed: the connection was lost after the update was sent \(.*\); read back: the update is NOT stored; run apply again/,
  )
  assert.doesNotMatch(notUpdated.stderr, /failed: read ECONNRESET/)

  dropAfter('DELETE', true)
  const deleted = await xctl(['delete', 'nad', 'lost-update', '-n', 'default', '--kubeconfig', kc])
  assert.equal(deleted.code, 0, deleted.stderr)
  assert.match(deleted.stdout, /lost-update"? deleted/)
  assert.equal(store.size, 1)

  dropAfter('DELETE', false)
  const kept = await xctl(['delete', 'nad', 'lost-create', '-n', 'default', '--kubeconfig', kc])
  assert.equal(kept.code, 1)
  assert.match(
    kept.stderr,
    /lost-create"?:? the connection was lost after the delete was sent \(.*\); read back: the object still exists; run delete again/,
  )
})

test('delete: SIGTERM while a delete hangs exits 143 at once and lists what was deleted, in flight and not attempted', async () => {
  for (const n of NAMES) store.set(n, {metadata: {name: n}, spec: {config: config('calico')}})
  let child: ChildProcess | undefined
  let signalled = 0
  nadServer((req, res, name) => {
    if (req.method !== 'DELETE' || name === 'int-0') return false
    if (!signalled) setTimeout(() => ((signalled = Date.now()), child?.kill('SIGTERM')), 300)
    return hang(res)
  })
  const r = await xctl(['delete', 'nad', ...NAMES, '-n', 'default', '--kubeconfig', kc], {onSpawn: (c) => (child = c)})
  assert.equal(r.code, 143, r.stderr)
  assert.ok(Date.now() - signalled < 2000)
  assert.match(r.stdout, /int-0"? deleted/)
  assert.match(r.stderr, /int-1"? unknown \(its request was in flight/)
  assert.match(r.stderr, /1 object\(s\) written, 1 unknown, 3 not attempted/)
  assert.deepEqual([...store.keys()], ['int-1', 'int-2', 'int-3', 'int-4'])
})
