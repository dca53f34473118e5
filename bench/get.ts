/**
 * `npm run bench`: xctl against the installed kubectl, alternating in one run, against the same test API server
 * (a separate process, so its CPU can be measured apart). Prints wall time, peak RSS and time to first row,
 * each with the xctl/kubectl ratio, and the server's share of the CPU.
 *
 *   node --import tsx bench/get.ts [--sizes 1000,10000,50000] [--runs 3]
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createInterface} from 'node:readline'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const SIZES = opt('--sizes', '1000,10000,50000').split(',').map(Number)
const RUNS = Number(opt('--runs', '3'))
const TICK = 100 // clock ticks per second in /proc/<pid>/stat (USER_HZ)

interface Sample {
  wall: number
  rssKB: number
  firstRow: number
  bytes: number
  serverCpu: number
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICK
}

function run(cmd: string[], env: Record<string, string>, serverPid: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const cpu0 = cpuSeconds(serverPid)
    // GNU time reports the peak RSS of the measured process on stderr (last line).
    const child = spawn('/usr/bin/time', ['-f', 'XCTL_BENCH_RSS %M', ...cmd], {env: {...process.env, ...env}, cwd: ROOT})
    let firstRow = 0
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      if (!firstRow) firstRow = performance.now() - started
      bytes += d.length
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wall = performance.now() - started
      const rss = Number(/XCTL_BENCH_RSS (\d+)/.exec(stderr)?.[1] ?? NaN)
      if (code !== 0) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${stderr.slice(-500)}`))
      resolve({wall, rssKB: rss, firstRow: firstRow || wall, bytes, serverCpu: cpuSeconds(serverPid) - cpu0})
    })
  })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function startServer(pods: number): Promise<{pid: number; kubeconfig: string; stop: () => void}> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'xctl-bench-')), 'kubeconfig')
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve.ts', '--pods', String(pods), '--networks', '3', '--kubeconfig', kubeconfig], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']})
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`test server exited ${code}`)))
  })
  JSON.parse(line)
  // An empty namespace for the empty-list comparison.
  spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'create', 'namespace', 'empty-namespace'], {encoding: 'utf8'})
  return {pid: child.pid!, kubeconfig, stop: () => child.kill('SIGTERM')}
}

interface Row {
  label: string
  xctl: Sample
  other: Sample
  otherName: string
}

/** One comparison; a failing case is reported and the others still run. */
async function compareSafely(...a: Parameters<typeof compare>): Promise<void> {
  try {
    const row = await compare(...a)
    rows.push(row)
    process.stderr.write(`done: ${row.label}: xctl ${row.xctl.wall.toFixed(0)} ms, ${row.otherName} ${row.other.wall.toFixed(0)} ms\n`)
  } catch (error) {
    process.stderr.write(`failed: ${a[0]}: ${(error as Error).message.slice(0, 300)}\n`)
  }
}

async function compare(label: string, xctlCmd: string[], otherCmd: string[], env: Record<string, string>, serverPid: number, otherName = 'kubectl'): Promise<Row> {
  const xs: Sample[] = []
  const ks: Sample[] = []
  for (let i = 0; i < RUNS; i++) {
    // Alternate so that drift on the machine hits both sides alike.
    xs.push(await run(xctlCmd, env, serverPid))
    ks.push(await run(otherCmd, env, serverPid))
  }
  const pick = (s: Sample[]): Sample => ({wall: median(s.map((x) => x.wall)), rssKB: median(s.map((x) => x.rssKB)), firstRow: median(s.map((x) => x.firstRow)), bytes: s[0].bytes, serverCpu: median(s.map((x) => x.serverCpu))})
  return {label, xctl: pick(xs), other: pick(ks), otherName}
}

function report(rows: Row[]): void {
  const header = ['case', 'xctl wall ms', 'other wall ms', 'wall ratio', 'xctl RSS MB', 'other RSS MB', 'RSS ratio', 'xctl 1st row ms', '1st row / total', 'server CPU share', 'out MB']
  const lines = rows.map((r) => [
    `${r.label} (vs ${r.otherName})`,
    r.xctl.wall.toFixed(0),
    r.other.wall.toFixed(0),
    (r.xctl.wall / r.other.wall).toFixed(2),
    (r.xctl.rssKB / 1024).toFixed(0),
    (r.other.rssKB / 1024).toFixed(0),
    (r.xctl.rssKB / r.other.rssKB).toFixed(2),
    r.xctl.firstRow.toFixed(0),
    (r.xctl.firstRow / r.xctl.wall).toFixed(2),
    `${((r.xctl.serverCpu / (r.xctl.wall / 1000)) * 100).toFixed(0)}%`,
    (r.xctl.bytes / 1e6).toFixed(1),
  ])
  const all = [header, ...lines]
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)))
  for (const l of all) console.log(l.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd())
}

const XCTL = [process.execPath, 'bin/run.js']
const rows: Row[] = []
for (const size of SIZES) {
  const server = await startServer(size)
  const env = {KUBECONFIG: server.kubeconfig, MULTI_INTERFACE_MODE: 'multus'}
  try {
    await compareSafely(`get wep -A -o wide, ${size} pods`, [...XCTL, 'get', 'wep', '-A', '-o', 'wide'], ['kubectl', 'get', 'pods', '-A', '-o', 'wide'], env, server.pid)
    if (size === SIZES[SIZES.length - 1]) {
      await compareSafely(`-o json, ${size} pods`, [...XCTL, 'get', 'wep', '-A', '-o', 'json'], ['kubectl', 'get', 'pods', '-A', '-o', 'json'], env, server.pid)
      await compareSafely(`-o yaml, ${size} pods`, [...XCTL, 'get', 'wep', '-A', '-o', 'yaml'], ['kubectl', 'get', 'pods', '-A', '-o', 'yaml'], env, server.pid)
      await compareSafely('get wep -n empty-namespace', [...XCTL, 'get', 'wep', '-n', 'empty-namespace'], ['kubectl', 'get', 'pods', '-n', 'empty-namespace'], env, server.pid)
      await compareSafely('--version', [...XCTL, '--version'], [process.execPath, '-e', '0'], env, server.pid, 'node -e 0')
    }
  } finally {
    server.stop()
  }
}
console.log(`\nmedian of ${RUNS} alternating runs per case; ${new Date().toISOString()}; node ${process.version}`)
report(rows)
