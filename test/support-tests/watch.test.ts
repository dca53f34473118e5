// The test server's watch (test/support/watch.ts): kubectl v1.32's `get -w` is the judge; raw HTTP for what
// kubectl does not ask for (bookmarks, timeoutSeconds, a 410 mid-stream).
// Run: node --import tsx --test test/support-tests/watch.test.ts

import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {after, before, describe, test, type TestContext} from 'node:test'

import {startApiServer, type ApiServer} from '../support/apiserver.js'

const KUBECTL = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((p) => existsSync(p))

const tmp = mkdtempSync(join(tmpdir(), 'xctl-watch-test-'))
after(() => rmSync(tmp, {recursive: true, force: true}))

const NS = {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod'}}
const configMap = (name: string) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'prod'}})

let server: ApiServer
let kubeconfig: string
before(async () => {
  server = await startApiServer({objects: [NS, configMap('first')], bookmarkIntervalMs: 60_000})
  kubeconfig = server.writeKubeconfig(join(tmp, 'kubeconfig'))
})
after(() => server.close())

function call(method: string, path: string, body?: object): Promise<{status: number; text: string}> {
  const headers: Record<string, string> = {Authorization: 'Bearer test-token', 'Content-Type': 'application/json'}
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, server.url), {method, headers, ca: server.caData}, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, text}))
    })
    req.on('error', reject)
    req.end(body ? JSON.stringify(body) : undefined)
  })
}

/** Opens a raw watch and collects its events until the server ends it or `stop` resolves. */
function rawWatch(query: string, stop?: Promise<unknown>): {events: any[]; ended: Promise<'end' | 'close'>} {
  const events: any[] = []
  const ended = new Promise<'end' | 'close'>((resolve) => {
    const req = httpsRequest(
      new URL(`/api/v1/namespaces/prod/configmaps?watch=true&${query}`, server.url),
      {ca: server.caData, headers: {Authorization: 'Bearer test-token'}},
      (res) => {
        let buf = ''
        res.on('data', (d) => {
          buf += d
          for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) events.push(JSON.parse(buf.slice(0, i)))
        })
        res.on('end', () => resolve('end'))
        res.on('close', () => resolve(res.complete ? 'end' : 'close'))
      },
    )
    req.on('error', () => resolve('close'))
    req.end()
    void stop?.then(() => req.destroy())
  })
  return {events, ended}
}

async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20))
  assert.ok(ok(), what)
}

function needKubectl(t: TestContext): boolean {
  if (!KUBECTL) t.skip('kubectl not installed')
  return Boolean(KUBECTL)
}

describe('kubectl get -w', () => {
  test('lists, watches from the list resourceVersion, prints each change; Ctrl-C ends it with exit 1', async (t) => {
    if (!needKubectl(t)) return
    const child = spawn(KUBECTL!, ['--kubeconfig', kubeconfig, '-n', 'prod', 'get', 'configmaps', '-w'], {
      env: {PATH: process.env.PATH ?? '', HOME: tmp},
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
    const watches = () => server.requests.filter((r) => r.query.watch === 'true' && r.path.endsWith('/configmaps'))
    await until(() => watches().length > 0 && /first/.test(out), `kubectl's watch: ${out} ${err}`)
    const list = server.requests.filter((r) => r.path === '/api/v1/namespaces/prod/configmaps' && !r.query.watch)
    assert.equal(
      watches().at(-1)!.query.resourceVersion,
      JSON.parse((await call('GET', list.at(-1)!.path)).text).metadata.resourceVersion,
    )
    await new Promise((r) => setTimeout(r, 100))
    assert.equal((await call('POST', '/api/v1/namespaces/prod/configmaps', configMap('second'))).status, 201)
    assert.equal((await call('DELETE', '/api/v1/namespaces/prod/configmaps/first')).status, 200)
    await until(() => out.trim().split('\n').length === 4, `rows: ${out}`)
    child.kill('SIGINT')
    assert.equal(await exited, 1)
    assert.equal(err, '')
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0])
    assert.deepEqual(rows, ['NAME', 'first', 'second', 'first'])
  })
})

describe('watch over HTTP', () => {
  test('bookmarks carry the current resourceVersion; timeoutSeconds ends the answer cleanly', async () => {
    const list = JSON.parse((await call('GET', '/api/v1/namespaces/prod/configmaps')).text)
    const w = rawWatch(`resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`)
    await until(() => server.openWatches > 0, 'watch open')
    await call('POST', '/api/v1/namespaces/prod/configmaps', configMap('third'))
    server.sendBookmarks()
    assert.equal(await w.ended, 'end')
    const types = w.events.map((e) => e.type)
    assert.deepEqual(types.slice(0, 2), ['ADDED', 'BOOKMARK'])
    // and one more as the watch times out
    assert.equal(types.at(-1), 'BOOKMARK')
    const bookmark = w.events[1].object
    assert.deepEqual(bookmark, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {resourceVersion: String(server.resourceVersion)},
    })
  })

  test('dropWatches cuts the connection; expireWatches sends ERROR 410 and resuming from before it is refused', async () => {
    const rv = String(server.resourceVersion)
    const dropped = rawWatch(`resourceVersion=${rv}`)
    await until(() => server.openWatches > 0, 'watch open')
    server.dropWatches()
    assert.equal(await dropped.ended, 'close')

    const expired = rawWatch(`resourceVersion=${rv}`)
    await until(() => server.openWatches > 0, 'watch open')
    server.expireWatches()
    assert.equal(await expired.ended, 'end')
    const last = expired.events.at(-1)
    assert.equal(last.type, 'ERROR')
    assert.equal(last.object.code, 410)
    assert.equal(last.object.reason, 'Expired')
    const again = rawWatch(`resourceVersion=${rv}`)
    await again.ended
    assert.equal(again.events[0].type, 'ERROR')
    assert.match(again.events[0].object.message, /^too old resource version: \d+ \(\d+\)$/)
    assert.equal(server.openWatches, 0)
  })
})
