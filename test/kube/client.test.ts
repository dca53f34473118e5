import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {KubeClient} from '../../src/kube/client.js'
import type {ConnectionConfig} from '../../src/kube/kubeconfig.js'
import {ExitCode, UsageError} from '../../src/core/errors.js'
import {parseByteSize} from '../../src/cli/session.js'
import {cleanErrorBody, escapeControl} from '../../src/kube/text.js'

/** The request target is built from the server URL and the encoded path as given: nothing is resolved. */
let server: http.Server
let base: string
const seen: string[] = []
before(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '')
    res.writeHead(200, {'content-type': 'application/json'})
    res.end('{"kind":"Status"}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => server.close())

const client = (server: string) =>
  new KubeClient({
    server,
    contextName: 't',
    namespace: 'default',
    insecureSkipTLSVerify: false,
    sources: [],
    raw: {clusters: [], users: [], contexts: []},
  } as ConnectionConfig)

test("paths reach the server exactly as encoded, after the server URL's own path prefix, with the query encoded", async () => {
  seen.length = 0
  const c = client(`${base}/k8s/clusters/c-1`)
  await c.get(`/api/v1/namespaces/${encodeURIComponent('a b')}/pods/${encodeURIComponent('x.y')}`, {
    labelSelector: 'app in (a,b)',
    limit: 5,
    continue: undefined,
  })
  assert.deepEqual(seen, [
    '/k8s/clusters/c-1/api/v1/namespaces/a%20b/pods/x.y?labelSelector=app+in+%28a%2Cb%29&limit=5',
  ])
  c.close()
})

test('a path with an empty, "." or ".." segment (encoded or not) is refused with exit 2 and never sent', async () => {
  seen.length = 0
  const c = client(base)
  for (const path of [
    '/apis/crd.projectcalico.org/v1/globalnetworkpolicies/.',
    '/api/v1/namespaces/../pods',
    '/api/v1/namespaces//pods',
    '/api/v1/pods/%2e%2E',
    '/api/v1/pods/%2E',
    '/api/v1/pods/a%2Fb',
    'api/v1/pods',
  ]) {
    await assert.rejects(
      c.request('DELETE', path),
      (e: Error) =>
        e instanceof UsageError && e.exitCode === ExitCode.usage && /refusing to send a request/.test(e.message),
      path,
    )
  }
  assert.deepEqual(seen, [])
  c.close()
})

test('sizes for --max-response-size, and text from a server made safe to print', () => {
  assert.equal(parseByteSize('256Mi'), 256 * 2 ** 20)
  assert.equal(parseByteSize('1Gi'), 2 ** 30)
  assert.equal(parseByteSize('1500'), 1500)
  assert.equal(parseByteSize('2M'), 2_000_000)
  assert.throws(() => parseByteSize('lots'), /invalid size "lots"/)
  assert.throws(() => parseByteSize('0'), /invalid size/)
  assert.equal(escapeControl('a\x1b[31mb\x07\u009bc\td\ne'), 'a\\x1b[31mb\\x07\\x9bc\td\ne')
  const long = cleanErrorBody('y'.repeat(10_000))
  assert.ok(long.length < 2100 && long.endsWith('(10000 bytes in all, cut here)'))
})
