/**
 * What users see when a table streams: a cluster whose pod and node names vary in length (long app names only in
 * later namespaces, as real clusters have them), listed in 500-object pages. Reports how many rows were printed
 * in a narrower layout than the final one, how often the layout changed, and when the first row appeared,
 * for xctl (prints page by page) and kubectl (prints after the whole list).
 *
 *   npm run build && node --import tsx bench/alignment.ts [--pods 5000]
 */
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startApiServer} from '../test/support/apiserver.js'
import {generateCluster} from '../test/support/generate.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const PODS = Number(args.includes('--pods') ? args[args.indexOf('--pods') + 1] : '5000')

// Short names in the first namespaces, longer ones later: the widest values arrive in later pages.
const APPS = [
  ['api', 'web', 'db'],
  ['cache', 'search'],
  ['billing', 'checkout'],
  ['notifications-dispatcher'],
  ['payments-reconciliation-worker', 'fraud-scoring'],
  ['ml-feature-store-materializer-nightly'],
]
const NODES = ['n1', 'node-02', 'worker-large-003', 'ip-10-0-12-34.eu-west-1.compute.internal']

/** Renames the generated pods: app names by namespace (see APPS), node names of several lengths. */
function variedCluster(pods: number): object[] {
  const cluster = generateCluster({pods, namespaces: 12, nodes: 4, networksPerPod: 2})
  const namespaces = [...new Set(cluster.pods.map((p: {metadata: {namespace: string}}) => p.metadata.namespace))].sort()
  cluster.pods.forEach((p: {metadata: {name: string; namespace: string}}, i: number) => {
    const group = Math.floor((namespaces.indexOf(p.metadata.namespace) * APPS.length) / namespaces.length)
    const apps = APPS[group]
    p.metadata.name = `${apps[i % apps.length]}-${p.metadata.name.split('-').slice(-2).join('-')}`
    p.spec.nodeName = NODES[i % NODES.length]
  })
  return cluster.objects
}

interface Seen {
  firstRowMs: number
  totalMs: number
  rows: string[]
}

function runCli(cmd: string[], env: Record<string, string>): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(cmd[0], cmd.slice(1), {cwd: ROOT, env: {...process.env, ...env}})
    let firstRowMs = 0
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      if (!firstRowMs) firstRowMs = performance.now() - started
      out += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd.join(' ')} exited ${code}`))
      resolve({firstRowMs, totalMs: performance.now() - started, rows: out.split('\n').filter(Boolean)})
    })
  })
}

/** Where each cell starts: after a run of 3+ spaces (cells hold no such runs). */
function layout(row: string): number[] {
  const starts = [0]
  for (const m of row.matchAll(/ {3,}(?=\S)/g)) starts.push(m.index! + m[0].length)
  return starts
}

/** Same columns where both rows have cells (an empty last cell, e.g. NATS, is trimmed away). */
function sameLayout(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return false
  return true
}

function analyse(name: string, seen: Seen): void {
  const layouts = seen.rows.map(layout)
  const off = layouts.filter((l) => !sameLayout(l, layouts[layouts.length - 1])).length
  let changes = 0
  for (let i = 1; i < layouts.length; i++) if (!sameLayout(layouts[i], layouts[i - 1])) changes++
  const pct = ((off / layouts.length) * 100).toFixed(1)
  console.log(
    `${name.padEnd(8)} rows ${layouts.length}, first row at ${seen.firstRowMs.toFixed(0)} ms of ${seen.totalMs.toFixed(0)} ms, ` +
      `layout changes ${changes}, rows not in the final layout ${off} (${pct}%)`,
  )
}

const server = await startApiServer({objects: variedCluster(PODS)})
const kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'xctl-align-')), 'kubeconfig'))
const env = {KUBECONFIG: kubeconfig, MULTI_INTERFACE_MODE: 'multus'}
try {
  console.log(`${PODS} pods, 500-object pages, names varying in length (longest in later namespaces)`)
  analyse('xctl', await runCli([process.execPath, 'bin/run.js', 'get', 'wep', '-A', '-o', 'wide'], env))
  analyse('kubectl', await runCli(['kubectl', 'get', 'pods', '-A', '-o', 'wide'], env))
} finally {
  await server.close()
}
