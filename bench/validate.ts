/**
 * `xctl validate` throughput and memory: generates a manifest stream (NADs, pods with network annotations,
 * Calico policies; a small share of them broken so findings are produced), runs the built CLI on it pinned to
 * one core, and prints resources per second and peak RSS for each input size. Memory should stay flat as the
 * input grows (documents are streamed; only findings and cross-reference names are kept).
 *
 *   npm run build && node --import tsx bench/validate.ts [--docs 50000] [--sizes 10000,50000,200000]
 *     [--runs 3] [--broken 0.01]
 *   node --import tsx bench/validate.ts --docs 50000 --write /tmp/input.yaml   (the input only, for profiling)
 */
import {spawn, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {prng} from '../test/helpers/prng.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const SIZES = opt('--sizes', opt('--docs', '10000,50000,200000')).split(',').map(Number)
const RUNS = Number(opt('--runs', '3'))
const BROKEN = Number(opt('--broken', '0.01'))
/** kubeconform's README: 50,714 resources in 6.7 s with 8 workers on a 4-core laptop. */
const KUBECONFORM_PER_SECOND = 7500

/** Document i belongs to group g = floor(i / 3): a NAD, a pod using it, and a policy, in one namespace. */
const group = (i: number) => Math.floor(i / 3)

function nad(i: number, broken: boolean): string {
  const g = group(i)
  const comma = broken ? '' : ','
  return `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: net-${g % 300}
  namespace: ns-${g % 100}
spec:
  config: '{
    "cniVersion": "0.3.1",
    "type": "calico",
    "log_level": "info",
    "datastore_type": "kubernetes",
    "mtu": 1410,
    "nodename_file_optional": false,
    "ipam": {"type": "calico-ipam", "assign_ipv4": "true", "assign_ipv6": "false", "ipv4_pools": ["10.${i % 250}.0.0/16", "default-ipv4-ippool"]}${comma}
    "policy": {"type": "k8s"},
    "kubernetes": {"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"}
    }'
`
}

function pod(i: number, broken: boolean, r: () => number): string {
  const g = group(i)
  // Both networks are defined in the pod's namespace (by this group's NAD and the one 100 groups earlier).
  const [a, b] = [`net-${g % 300}`, `net-${(g + 200) % 300}`]
  const networks =
    r() < 0.5
      ? `${a}@data0, ${b}${broken ? '@eth0' : ''}`
      : `'[{"name": "${a}", "interface": "data0", "ips": ["10.1.${i % 250}.${i % 200}/24"]}, {"name": "${b}", "mac": "${broken ? 'zz' : '02:23:45:67:89:01'}"}]'`
  return `apiVersion: v1
kind: Pod
metadata:
  name: app-${i}
  namespace: ns-${g % 100}
  labels:
    app: app-${i % 50}
    tier: backend
  annotations:
    k8s.v1.cni.cncf.io/networks: ${networks}
spec:
  serviceAccountName: default
  containers:
  - name: main
    image: registry.example.com/app:${i % 10}
    command: ['/bin/sh', '-c', 'sleep infinity']
    ports:
    - containerPort: 8080
      name: http
`
}

function policy(i: number, broken: boolean): string {
  return `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-${i}
  namespace: ns-${group(i) % 100}
spec:
  order: ${i % 1000}
  selector: app == 'app-${i % 50}' && projectcalico.org/network-interface in {'net1', 'data0'}
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    protocol: ${broken ? 'tcp' : 'TCP'}
    source:
      selector: role == 'frontend'
      namespaceSelector: global()
    destination:
      ports: [6379, '8000:8080', http]
  egress:
  - action: Allow
    protocol: UDP
    destination:
      nets: [10.96.0.0/12]
      ports: [53]
`
}

async function generate(file: string, docs: number): Promise<void> {
  const r = prng(docs)
  const out = createWriteStream(file)
  for (let i = 0; i < docs; i++) {
    const broken = r() < BROKEN
    const doc = i % 3 === 0 ? nad(i, broken) : i % 3 === 1 ? pod(i, broken, r) : policy(i, broken)
    if (!out.write(`${i > 0 ? '---\n' : ''}${doc}`)) await new Promise((res) => out.once('drain', res))
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())))
}

interface Sample {
  seconds: number
  /** CPU time of the process (user + system), which a busy machine does not inflate. */
  cpu: number
  rssKB: number
  code: number
  summary: string
}

function run(file: string): Promise<Sample> {
  const node = [process.execPath, join(ROOT, 'bin/run.js'), 'validate', '-f', file]
  // One core: the figure to compare with kubeconform's per-core rate.
  const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0 ? ['taskset', '-c', '0'] : []
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'XCTL_BENCH_RSS %M %U %S'] : []
  const cmd = [...time, ...pin, ...node]
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(cmd[0], cmd.slice(1), {
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1'},
    })
    let last = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      last = (last + d.toString()).slice(-2000)
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000
      const m = /XCTL_BENCH_RSS (\d+) ([\d.]+) ([\d.]+)/.exec(stderr)
      resolve({
        seconds,
        cpu: m ? Number(m[2]) + Number(m[3]) : NaN,
        rssKB: m ? Number(m[1]) : NaN,
        code: code ?? -1,
        summary: last.trimEnd().split('\n').pop() ?? '',
      })
    })
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/commands/validate.js'))) throw new Error('build first: npm run build')
  const dir = mkdtempSync(join(tmpdir(), 'xctl-bench-validate-'))
  try {
    console.log(
      `xctl validate, ${RUNS} runs per size (median), ${(BROKEN * 100).toFixed(1)}% broken documents, pinned to one core`,
    )
    // The box is often shared: CPU time (user + sys, from GNU time) is the figure to compare, wall time is not.
    console.log(
      `load average at start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    )
    console.log(
      'documents  input MB  wall s  cpu s  resources/s (wall)  (cpu)  vs kubeconform  peak RSS MB  exit  summary',
    )
    for (const docs of SIZES) {
      const file = join(dir, `input-${docs}.yaml`)
      await generate(file, docs)
      const mb = statSync(file).size / (1024 * 1024)
      const samples: Sample[] = []
      for (let k = 0; k < RUNS; k++) samples.push(await run(file))
      const seconds = median(samples.map((s) => s.seconds))
      const cpu = median(samples.map((s) => s.cpu))
      const rss = median(samples.map((s) => s.rssKB)) / 1024
      const rate = docs / seconds
      const s = samples[0]
      console.log(
        `${String(docs).padStart(9)}  ${mb.toFixed(1).padStart(8)}  ${seconds.toFixed(2).padStart(6)}  ${cpu.toFixed(2).padStart(5)}  ${Math.round(rate).toString().padStart(18)}  ${Math.round(
          docs / cpu,
        )
          .toString()
          .padStart(
            5,
          )}  ${(rate / KUBECONFORM_PER_SECOND).toFixed(1).padStart(13)}x  ${Number.isNaN(rss) ? '          ?' : rss.toFixed(0).padStart(11)}  ${String(s.code).padStart(4)}  ${s.summary.slice(0, 50)}`,
      )
      rmSync(file)
    }
    console.log(
      `\nload average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    )
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

// `--write FILE`: only generate the input (largest size) into FILE, to profile xctl on it.
if (args.includes('--write')) await generate(opt('--write', ''), Math.max(...SIZES))
else await main()
