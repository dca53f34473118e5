/**
 * `npm run bench`: xctl against the installed kubectl, alternating in one run, against the test API server
 * (a separate process, so its CPU is not counted). For every case of issue 14 it prints the medians of wall time,
 * peak RSS and CPU seconds (user+sys, GNU time) for both, their ratios and the goal next to each ratio.
 *
 *   node --import tsx bench/get.ts [--runs 3] [--only remote,10k,1k,50k,empty,version]
 *   BENCH_QUICK=1 ...   a smoke run: 1 run per case, clusters a tenth of the size (figures not comparable)
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createInterface} from 'node:readline'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const QUICK = Boolean(process.env.BENCH_QUICK)
const RUNS = Number(opt('--runs', QUICK ? '1' : '3'))
const ONLY = opt('--only', 'remote,10k,1k,50k,empty,version').split(',')
const SCALE = QUICK ? 0.1 : 1
const REMOTE_MBIT = 50

interface Sample {
  wall: number
  rssKB: number
  cpu: number
  firstRow: number
  bytes: number
}

/** Ratio goals from issue 14 (xctl / kubectl); undefined = no goal. */
interface Goals {
  wall?: number
  rss?: number
  cpu?: number
}

interface Case {
  id: string
  label: string
  xctl: string[]
  other: string[]
  otherName?: string
  goals: Goals
}

interface Row {
  c: Case
  xctl: Sample
  other: Sample
}

function run(cmd: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    // GNU time reports peak RSS and CPU seconds of the measured process on stderr (last line).
    const child = spawn('/usr/bin/time', ['-f', 'XCTL_BENCH %M %U %S', ...cmd], {
      env: {...process.env, ...env},
      cwd: ROOT,
    })
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
      const m = /XCTL_BENCH (\d+) ([\d.]+) ([\d.]+)/.exec(stderr)
      if (code !== 0 || !m) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${stderr.slice(-500)}`))
      resolve({wall, rssKB: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), firstRow: firstRow || wall, bytes})
    })
  })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

interface Server {
  pid: number
  kubeconfig: string
  stop: () => void
}

async function startServer(pods: number, extra: string[] = []): Promise<Server> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'xctl-bench-')), 'kubeconfig')
  const serve = [
    '--import',
    'tsx',
    'test/support/serve.ts',
    '--pods',
    String(pods),
    '--networks',
    '3',
    '--kubeconfig',
    kubeconfig,
  ]
  const child = spawn(process.execPath, [...serve, ...extra], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']})
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`test server exited ${code}`)))
  })
  JSON.parse(line)
  // An empty namespace for the empty-list comparison.
  // Bounded: once, under heavy load, this kubectl hung for minutes and held up the whole run.
  const args = ['--kubeconfig', kubeconfig, '--request-timeout', '20s', 'create', 'namespace', 'empty-namespace']
  spawnSync('kubectl', args, {encoding: 'utf8', timeout: 60_000})
  return {pid: child.pid!, kubeconfig, stop: () => child.kill('SIGTERM')}
}

async function compare(c: Case, env: Record<string, string>): Promise<Row> {
  const xs: Sample[] = []
  const ks: Sample[] = []
  for (let i = 0; i < RUNS; i++) {
    // Alternate so that drift on the machine hits both sides alike.
    xs.push(await run(c.xctl, env))
    ks.push(await run(c.other, env))
  }
  const pick = (s: Sample[]): Sample => ({
    wall: median(s.map((x) => x.wall)),
    rssKB: median(s.map((x) => x.rssKB)),
    cpu: median(s.map((x) => x.cpu)),
    firstRow: median(s.map((x) => x.firstRow)),
    bytes: s[0].bytes,
  })
  return {c, xctl: pick(xs), other: pick(ks)}
}

const rows: Row[] = []

/** Runs the cases against one server; a failing case is reported and the others still run. */
async function onServer(pods: number, extra: string[], cases: Case[]): Promise<void> {
  const wanted = cases.filter((c) => ONLY.includes(c.id))
  if (wanted.length === 0) return
  const server = await startServer(pods, extra)
  const env = {KUBECONFIG: server.kubeconfig, MULTI_INTERFACE_MODE: 'multus'}
  try {
    for (const c of wanted) {
      try {
        const row = await compare(c, env)
        rows.push(row)
        // The whole row now, so a long run that is stopped still leaves its figures.
        process.stderr.write(`done: ${cells(row).join(' | ')}\n`)
      } catch (error) {
        process.stderr.write(`failed: ${c.label}: ${(error as Error).message.slice(0, 300)}\n`)
      }
    }
  } finally {
    server.stop()
  }
}

function ratioCell(x: number, other: number, goal: number | undefined): string {
  const ratio = x / other
  if (goal === undefined) return ratio.toFixed(2)
  return `${ratio.toFixed(2)} ${ratio <= goal ? 'ok' : 'MISS'} (<= ${goal})`
}

function report(): void {
  const header = [
    'case',
    'xctl wall ms',
    'kubectl',
    'wall ratio (goal)',
    'xctl RSS MB',
    'kubectl',
    'RSS ratio (goal)',
    'xctl CPU s',
    'kubectl',
    'CPU ratio (goal)',
    'xctl 1st row ms',
    'out MB',
  ]
  const all = [header, ...rows.map(cells)]
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)))
  for (const l of all)
    console.log(
      l
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
}

function cells({c, xctl, other}: Row): string[] {
  return [
    c.otherName ? `${c.label} (vs ${c.otherName})` : c.label,
    xctl.wall.toFixed(0),
    other.wall.toFixed(0),
    ratioCell(xctl.wall, other.wall, c.goals.wall),
    (xctl.rssKB / 1024).toFixed(0),
    (other.rssKB / 1024).toFixed(0),
    ratioCell(xctl.rssKB, other.rssKB, c.goals.rss),
    xctl.cpu.toFixed(2),
    other.cpu.toFixed(2),
    ratioCell(xctl.cpu, other.cpu, c.goals.cpu),
    xctl.firstRow.toFixed(0),
    (xctl.bytes / 1e6).toFixed(1),
  ]
}

const XCTL = [process.execPath, 'bin/run.js']
const n = (pods: number) => Math.round(pods * SCALE)
const wide = (pods: number, where: string, id: string, goals: Goals): Case => ({
  id,
  label: `${where}: get wep -A -o wide, ${n(pods).toLocaleString('en')} pods`,
  goals,
  xctl: [...XCTL, 'get', 'wep', '-A', '-o', 'wide'],
  other: ['kubectl', 'get', 'pods', '-A', '-o', 'wide'],
})

await onServer(
  n(1000),
  [],
  [
    wide(1000, 'loopback', '1k', {wall: 1.0, rss: 1.0, cpu: 1.0}),
    {
      id: 'empty',
      label: 'get wep -n empty-namespace',
      goals: {wall: 1.5},
      xctl: [...XCTL, 'get', 'wep', '-n', 'empty-namespace'],
      other: ['kubectl', 'get', 'pods', '-n', 'empty-namespace'],
    },
    {
      id: 'version',
      label: 'xctl --version',
      otherName: 'node -e 0',
      goals: {wall: 1.5},
      xctl: [...XCTL, '--version'],
      other: [process.execPath, '-e', '0'],
    },
  ],
)
await onServer(
  n(10000),
  ['--bandwidth-mbit', String(REMOTE_MBIT)],
  [
    wide(10000, `remote (${REMOTE_MBIT} Mbit/s per connection, gzip when asked)`, 'remote', {
      wall: 0.8,
      rss: 0.7,
      cpu: 1.0,
    }),
  ],
)
await onServer(n(10000), [], [wide(10000, 'loopback', '10k', {wall: 0.7, rss: 0.7, cpu: 1.0})])
await onServer(
  n(50000),
  [],
  ['json', 'yaml'].map((format) => ({
    id: '50k',
    label: `loopback: get wep -A -o ${format}, ${n(50000).toLocaleString('en')} pods`,
    goals: {wall: 0.3, rss: 0.1},
    xctl: [...XCTL, 'get', 'wep', '-A', '-o', format],
    other: ['kubectl', 'get', 'pods', '-A', '-o', format],
  })),
)

const note = QUICK ? '; BENCH_QUICK: clusters at a tenth of the size, not comparable with the goals' : ''
console.log(
  `\nmedian of ${RUNS} alternating runs per case${note}; ${new Date().toISOString()}; node ${process.version}`,
)
report()
