import {spawn} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {WRITE_PIECE_CHARS, writeTo} from '../../src/core/streams.js'
import {SETTLE_MAX_WHOLE_OBJECTS} from '../../src/get/workloadendpoints.js'
import {BIN} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

/**
 * A slow reader (`| less`, `| kubectl apply -f -`) makes xctl wait, as kubectl does, rather than read the rest of
 * the list into memory: output goes to the pipe a piece at a time, and the next piece waits for the pipe to drain.
 */

/** A stream that takes one write, then is full until the test drains it. */
class SlowStream extends EventEmitter {
  readonly writes: string[] = []
  full = false

  write(chunk: string): boolean {
    assert.equal(this.full, false, 'written to while full, before drain')
    this.writes.push(chunk)
    this.full = true
    return false
  }

  drain(): void {
    this.full = false
    this.emit('drain')
  }
}

test('a page of output reaches the stream in pieces, each after the previous one drained', async () => {
  // 😀 is a surrogate pair; placed so that a piece boundary would fall between its halves.
  const text = 'a'.repeat(WRITE_PIECE_CHARS - 1) + '😀' + 'b'.repeat(2 * WRITE_PIECE_CHARS)
  const stream = new SlowStream()
  const done = writeTo(stream, text)
  let settled = false
  void done.then(() => (settled = true))
  for (let drained = 0; ; drained++) {
    await new Promise((resolve) => setImmediate(resolve))
    if (settled) break
    assert.equal(stream.writes.length, drained + 1, 'one piece per drain')
    assert.ok(drained < 10, 'the text ends')
    stream.drain()
  }
  assert.equal(stream.writes.join(''), text)
  assert.ok(stream.writes.length >= 3, `${stream.writes.length} pieces`)
  for (const piece of stream.writes) {
    assert.ok(piece.length <= WRITE_PIECE_CHARS, `a piece of ${piece.length} characters`)
    assert.equal(Buffer.from(piece, 'utf8').toString('utf8'), piece, 'no half of a surrogate pair')
  }
})

test('nothing is written for empty text', async () => {
  const stream = new SlowStream()
  await writeTo(stream, '')
  assert.deepEqual(stream.writes, [])
})

const PODS = 6000
const CHUNK = 50
let c: TestCluster
before(async () => {
  const pods = Array.from({length: PODS}, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `bp-${String(i).padStart(5, '0')}`, namespace: 'bp', labels: {app: 'slow-reader'}},
    spec: {nodeName: 'n1', containers: [{name: 'c'}]},
    status: {podIP: `10.8.${i >> 8}.${i & 255}`},
  }))
  c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bp'}}, ...pods]})
})
after(() => c.server.close())

test('-o yaml into a reader that stops: xctl stops listing until it reads on, then prints everything', async () => {
  const pageRequests = () => c.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pods')).length
  const child = spawn(process.execPath, [BIN, 'get', 'wep', '-n', 'bp', '-o', 'yaml', '--chunk-size', String(CHUNK)], {
    env: {...process.env, ...c.env},
    stdio: 'pipe',
  })
  child.stdin.end()
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
  child.stdout.pause() // the reader stops: the pipe fills and xctl's writes wait
  try {
    // Until the listing stands still (it stops once the pipe is full; a run without backpressure goes to the end).
    let seen = -1
    for (let stillFor = 0, waited = 0; stillFor < 1500 && waited < 30_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const now = pageRequests()
      stillFor = now === seen && now > 0 ? stillFor + 100 : 0
      seen = now
    }
    const pages = PODS / CHUNK
    // At most what the first-page window merges (2,000 whole endpoints), the page after it and the one fetched ahead,
    // and the few pages whose text fits in the pipe and this reader's buffer.
    const bound = SETTLE_MAX_WHOLE_OBJECTS / CHUNK + 6
    assert.ok(seen <= bound, `${seen} of ${pages} pages were requested while nothing was read (at most ${bound})`)

    let stdout = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => (stdout += d))
    child.stdout.resume()
    assert.equal(await closed, 0, stderr)
    assert.equal(pageRequests(), pages)
    assert.equal((stdout.match(/^- apiVersion: projectcalico.org\/v3$/gm) ?? []).length, PODS)
    assert.match(stdout, /bp-05999/)
    assert.ok(stdout.endsWith('kind: WorkloadEndpointList\nmetadata: {}\n'), stdout.slice(-200))
  } finally {
    child.kill() // a failed check must not leave xctl waiting on a pipe nobody reads (a no-op once it ended)
  }
})
