import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {gzipSync} from 'node:zlib'
import {xctl} from '../helpers/cli.js'
import {json, podList, startHostileServer, stream, type HostileServer} from './server.js'

/** The network half of issue 11 and gzip (issue 14), against a server that misbehaves on purpose. */
let s: HostileServer
let kc: string
before(async () => {
  s = await startHostileServer()
  kc = s.kubeconfig()
})
after(() => s.close())

const PODS = '/api/v1/namespaces/default/pods'
const isPods = (url = '') => url.startsWith(`${PODS}?`)
const podRequests = () => s.requests.filter((r) => isPods(r.url)).length

function get(args: string[] = [], onSpawn?: (pid: number) => void) {
  return xctl(['get', 'wep', '-n', 'default', '-o', 'name', ...args, '--kubeconfig', kc], {
    env: {MULTI_INTERFACE_MODE: 'multus'},
    onSpawn: (c) => onSpawn?.(c.pid!),
  })
}

/** Peak resident memory of a running child in MB, sampled from /proc until it exits. */
function watchPeakRss(pid: number): () => number {
  let peak = 0
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
      peak = Math.max(peak, kb / 1024)
    } catch {
      clearInterval(timer)
    }
  }, 50)
  return () => (clearInterval(timer), peak)
}

test('--request-timeout bounds a request from start to last byte: a trickling body ends near the limit, exit 3, not retried', async () => {
  s.requests.length = 0
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json'})
    const body = JSON.stringify(podList(3))
    let i = 0
    const timer = setInterval(
      () => (i < body.length && !res.destroyed ? res.write(body[i++]) : (clearInterval(timer), res.end())),
      500,
    )
    res.on('close', () => clearInterval(timer))
  })
  const started = Date.now()
  const r = await get(['--request-timeout', '3s'])
  const took = Date.now() - started
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, /the server's answer did not finish within 3s/)
  assert.match(r.stderr, /Hint: raise --request-timeout/)
  // kubectl gave up after about 3.6 s against the same server; a timeout is not retried (that would multiply it).
  assert.ok(took >= 2900 && took < 5000, `took ${took} ms`)
  assert.equal(podRequests(), 1)
})

test('an endless body stops at the response-size ceiling with flat memory; exit 3 names the limit and the flag', async () => {
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json'})
    res.write('{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[')
    stream(res, Buffer.from('{"metadata":{"name":"endless","namespace":"default"}},'.repeat(1000)), 4 * 2 ** 30)
  })
  let peak = () => 0
  const r = await get(['--max-response-size', '16Mi'], (pid) => (peak = watchPeakRss(pid)))
  const mb = peak()
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, /the server's answer is larger than 16 MiB/)
  assert.match(r.stderr, /--max-response-size/)
  assert.doesNotMatch(r.stderr, /Cannot create a string|\n\s+at /)
  assert.equal(r.stdout, '')
  assert.ok(mb < 200, `peak RSS ${mb} MB`)
})

test('a huge answer (300 MB) hits the default 256 MiB ceiling: a clear exit 3, never the string-length crash', async () => {
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json', 'content-length': String(300 * 2 ** 20)})
    stream(res, Buffer.alloc(2 ** 20, 0x20), 300 * 2 ** 20)
  })
  const r = await get()
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, /the server's answer is larger than 256 MiB/)
  assert.match(r.stderr, /raise the ceiling with --max-response-size/)
  assert.doesNotMatch(r.stderr, /Cannot create a string/)
  const help = await xctl(['get', '--help'])
  assert.match(
    help.stdout,
    /--max-response-size=<value>\s+\[default: 256Mi\]\s+Largest\s+answer\s+accepted\s+from\s+the\s+API\s+server,\s+after\s+decompression/,
  )
})

test('gzip: asked for, decompressed as a stream; corrupt gzip and a gzip bomb are exit 3', async () => {
  s.requests.length = 0
  const page = gzipSync(JSON.stringify(podList(2000)))
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'})
    res.end(page)
  })
  const good = await get()
  assert.equal(good.code, 0, good.stderr)
  assert.equal(good.stdout.trim().split('\n').length, 2000)
  assert.equal(s.requests.find((r) => isPods(r.url))?.headers['accept-encoding'], 'gzip')

  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'})
    res.end(Buffer.concat([page.subarray(0, 200), Buffer.from('this is not deflate data at all'), page.subarray(400)]))
  })
  const corrupt = await get()
  assert.equal(corrupt.code, 3, corrupt.stderr)
  assert.match(corrupt.stderr, /the server's gzip-compressed answer is corrupt/)
  assert.equal(corrupt.stdout, '')

  // 64 MiB of zeros is 64 KiB compressed; gzip members may follow one another, so the bomb is endless.
  const member = gzipSync(Buffer.alloc(64 * 2 ** 20))
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'})
    stream(res, member, member.length * 1000)
  })
  let peak = () => 0
  const bomb = await get(['--max-response-size', '32Mi'], (pid) => (peak = watchPeakRss(pid)))
  const mb = peak()
  assert.equal(bomb.code, 3, bomb.stderr)
  assert.match(bomb.stderr, /the server's answer is larger than 32 MiB/)
  assert.ok(mb < 200, `peak RSS ${mb} MB`)
})

test('a continue token that repeats is an error naming the list, not an endless loop', async () => {
  s.requests.length = 0
  s.handle((req, res) =>
    isPods(req.url) ? json(res, 200, podList(2, 0, {continue: 'same-token'})) : json(res, 404, {}),
  )
  const r = await get()
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, /sent the same continue token twice while listing pods/)
  assert.ok(podRequests() <= 3, `${podRequests()} list requests`)
})

test('answers that are not a Kubernetes list are exit 3 "not a list of pods", never an empty success or a JavaScript error', async () => {
  for (const body of [
    'null',
    '[]',
    '{"items":{}}',
    '"a string"',
    '{"kind":"PodList","items":[1,2]}',
    '{"kind":"PodList","items":[null]}',
    '{}',
    '42',
  ]) {
    s.handle((req, res) => (isPods(req.url) ? json(res, 200, body) : json(res, 404, {})))
    for (const output of ['name', 'wide']) {
      const r = await xctl(['get', 'wep', '-n', 'default', '-o', output, '--kubeconfig', kc])
      assert.equal(r.code, 3, `${body}: ${r.stderr}`)
      assert.match(r.stderr, /the server's answer is not a list of pods/, body)
      assert.doesNotMatch(r.stderr, /TypeError|Cannot read|is not iterable|\n\s+at /, body)
      assert.equal(r.stdout, '', body)
    }
  }
})

test('an HTML error page of megabytes is cut to about 2 KB, with control characters escaped; Status messages are cleaned too', async () => {
  s.handle((req, res) => {
    if (!isPods(req.url)) return json(res, 404, {})
    res.writeHead(502, {'content-type': 'text/html'})
    res.write('<html><title>\x1b]0;pwned\x07Bad Gateway\x1b[2J</title>')
    stream(
      res,
      Buffer.from('<p>upstream connect error or disconnect/reset before headers</p>\n'.repeat(100)),
      20 * 2 ** 20,
    )
  })
  const r = await get()
  assert.equal(r.code, 3, r.stderr)
  assert.ok(r.stderr.length < 3000, `stderr is ${r.stderr.length} characters`)
  assert.match(r.stderr, /Error from server \(BadGateway\): <html><title>\\x1b\]0;pwned\\x07Bad Gateway\\x1b\[2J/)
  assert.match(r.stderr, /bytes in all, cut here/)
  assert.doesNotMatch(r.stderr, /[\x00-\x08\x0b-\x1f\x7f]/)

  s.handle((req, res) =>
    json(res, 403, {
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: `pods is forbidden: \x1b[31mred\x1b[0m ${'x'.repeat(10_000)}`,
    }),
  )
  const status = await get()
  assert.equal(status.code, 3)
  assert.match(
    status.stderr,
    /Error from server \(Forbidden\): pods is forbidden: \\x1b\[31mred\\x1b\[0m x+\.\.\. \(\d+ bytes in all, cut here\)/,
  )
  assert.doesNotMatch(status.stderr, /[\x00-\x08\x0b-\x1f\x7f]/)
  assert.ok(status.stderr.length < 3000)
})

test('a 3xx answer is exit 3 and names where it pointed; the redirect is not followed', async () => {
  s.requests.length = 0
  s.handle((req, res) => {
    res.writeHead(302, {location: 'https://login.example.invalid/sso?next=/api'})
    res.end('moved')
  })
  const r = await get()
  assert.equal(r.code, 3, r.stderr)
  assert.match(
    r.stderr,
    /answered GET \/api\/v1\/namespaces\/default\/pods with a redirect \(302\) to https:\/\/login\.example\.invalid\/sso\?next=\/api; xctl does not follow redirects/,
  )
  assert.match(r.stderr, /Hint: point the kubeconfig at the API server itself/)
  assert.equal(podRequests(), 1)
})

test('paths are never resolved: ".", ".." and empty names or namespaces never reach the server as a collection', async () => {
  s.requests.length = 0
  s.handle((req, res) => json(res, 200, {kind: 'Status', status: 'Success'}))
  const runs = [
    ['delete', 'gnp', '.'],
    ['delete', 'gnp', '..'],
    ['delete', 'nad', '.', '-n', 'default'],
    ['delete', 'nad', 'x', '-n', '..'],
    ['get', 'nad', '-n', '..'],
    ['get', 'nad', '.', '-n', 'default'],
    ['get', 'gnp', '..'],
  ]
  for (const args of runs) {
    const r = await xctl([...args, '--kubeconfig', kc])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.doesNotMatch(r.stdout, /deleted/)
  }
  const reached = s.requests.filter(
    (q) => q.method === 'DELETE' || /globalnetworkpolicies|network-attachment-definitions/.test(q.url),
  )
  assert.deepEqual(
    reached.map((q) => `${q.method} ${q.url}`),
    [],
  )
})
