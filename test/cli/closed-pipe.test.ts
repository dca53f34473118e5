import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {BIN, ROOT, run} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/**
 * `xctl ... | head -1`: the reader goes away while xctl writes. kubectl is then killed by SIGPIPE, which a shell
 * with `set -o pipefail` reports as 141; xctl ends the same way, quietly, with exit 141.
 */
interface Ended {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/** Runs a program whose stdout is closed before it writes anything. */
function withClosedStdout(cmd: string, args: string[], env: Record<string, string>): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.destroy()
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stderr})
    })
  })
}

let cluster: TestCluster
before(async () => {
  cluster = await startCluster({objects: exampleObjects()})
})
after(() => cluster.server.close())

test('kubectl dies of SIGPIPE when its stdout is closed (what xctl matches)', async (t) => {
  const k = await withClosedStdout('kubectl', ['get', 'pods', '-A', '-o', 'yaml'], {
    KUBECONFIG: cluster.kubeconfig,
  }).catch(() => undefined)
  if (!k) return t.skip('kubectl is not installed')
  assert.equal(k.signal, 'SIGPIPE', k.stderr)
})

test('every command and format ends quietly with 141 when stdout is closed', async () => {
  const multus = {MULTI_INTERFACE_MODE: 'multus'}
  const local = ['--local', '-f', 'examples/multus']
  const runs: string[][] = [
    ...[
      'yaml',
      'json',
      'ps',
      'wide',
      'name',
      'jsonpath={.items[*].metadata.name}',
      'custom-columns=N:.metadata.name',
    ].map((o) => ['get', 'wep', '-A', '-o', o]),
    ['get', 'nad', '-A', '-o', 'yaml'],
    ['get', 'wep', 'multus-test-pod-1', '-n', 'default', '-o', 'json'],
    ['get', 'wep', '-A', ...local],
    ['eval', 'all()', '-A'],
    ['eval', 'all()', '-A', '-o', 'yaml'],
    ['describe', 'wep', 'multus-test-pod-1', '-n', 'default'],
    ['describe', 'wep', 'multus-test-pod-1', '-n', 'default', '-o', 'json'],
    ['describe', 'np', 'internal-access.allow-tcp-6379', '-n', 'production', ...local],
    ['validate', '-f', 'examples/multus'],
    ['validate', '-f', 'examples/multus', '-o', 'sarif'],
    ['validate', '-f', 'examples/multus/05-policy.yaml', '-o', 'json'],
    ['validate', '--list-rules'],
    ['version'],
    ['version', '-o', 'json'],
    ['version', '--client'],
    ['apply', '-f', 'examples/multus/02-network.yaml', '--dry-run=client'],
    ['get', '--help'],
  ]
  for (const args of runs) {
    for (const fast of [true, false]) {
      if (!fast && args[0] !== 'get') continue
      const r = await withClosedStdout(process.execPath, [BIN, ...args], {
        ...cluster.env,
        ...multus,
        ...(fast ? {} : {XCTL_NO_FAST_PATH: '1'}),
      })
      assert.equal(r.code, 141, `${args.join(' ')}: code ${r.code} signal ${r.signal}\n${r.stderr}`)
      assert.doesNotMatch(r.stderr, /Unhandled|EPIPE|^\s+at /m, args.join(' '))
    }
  }
})

test('`set -o pipefail; ... | head -1` on a long listing: kubectl and xctl both end with 141, xctl without a word', async () => {
  const {generateCluster} = await import('../support/generate.js')
  const {startCluster: start} = await import('../helpers/cluster.js')
  const big = await start({objects: generateCluster({pods: 2000}).objects})
  try {
    const pipeline = (cmd: string) =>
      run('bash', ['-c', `set -o pipefail; ${cmd} | head -1 >/dev/null`], {
        env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: big.kubeconfig},
        timeoutMs: 60_000,
      })
    const k = await pipeline('kubectl get pods -A -o yaml')
    if (!/not found/.test(k.stderr)) assert.equal(k.code, 141, k.stderr)
    for (const o of ['yaml', 'json', 'wide']) {
      const x = await pipeline(`${process.execPath} ${BIN} get wep -A -o ${o}`)
      assert.equal(x.code, 141, x.stderr)
      assert.equal(x.stderr, '')
    }
  } finally {
    big.server.close()
  }
})
