/**
 * Policy insight at scale: 50,000 pods × 3 interfaces (150,000 WorkloadEndpoints, multus mode), 100 namespaces,
 * 10,000 policies (9,500 NetworkPolicies + 500 GlobalNetworkPolicies in 5 tiers), generated in memory.
 *
 *   node --import tsx bench/insight.ts [--pods 50000] [--policies 10000] [--runs 5] [--cli]
 *
 * Times the library functions directly (no YAML, no process start): pod → endpoint conversion, building the
 * label index, then `describe workloadendpoint` and `describe networkpolicy` answers (data + text), each after the
 * lists are in memory. With --cli it also writes the objects as one manifest file and times the built CLI on it
 * (`xctl describe ... --local -f FILE`), which adds process start-up and reading ~30 MB of manifests.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {describeEndpoint, describePolicy} from '../src/insight/describe.js'
import {Insight} from '../src/insight/model.js'
import {renderEndpoint, renderPolicy} from '../src/insight/render.js'
import type {KubeObject} from '../src/kube/types.js'
import {parseSelector} from '../src/selector/index.js'
import {podToWorkloadEndpoints, type WorkloadEndpoint} from '../src/workloadendpoints/convert.js'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const PODS = arg('pods', 50_000)
const POLICIES = arg('policies', 10_000)
const RUNS = arg('runs', 5)
const NAMESPACES = 100
const GLOBAL = Math.round(POLICIES * 0.05)
const TIERS = ['security', 'platform', 'default', 'app', 'baseline']

// Deterministic pseudo-random numbers, so every run measures the same objects.
let seed = 42
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const pick = <T>(xs: T[]): T => xs[rand(xs.length)]!

const ROLES = ['frontend', 'backend', 'db', 'cache', 'worker']
const ENVS = ['prod', 'staging', 'dev']

function generate(): {
  pods: KubeObject[]
  namespaces: KubeObject[]
  serviceAccounts: KubeObject[]
  tiers: KubeObject[]
  policies: KubeObject[]
} {
  const namespaces: KubeObject[] = []
  const serviceAccounts: KubeObject[] = []
  for (let n = 0; n < NAMESPACES; n++) {
    namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: `ns-${n}`, labels: {env: ENVS[n % 3]!, team: `team-${n % 10}`}},
    })
    for (const role of ROLES)
      serviceAccounts.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {name: `sa-${role}`, namespace: `ns-${n}`, labels: {role}},
      })
  }
  const pods: KubeObject[] = []
  for (let i = 0; i < PODS; i++) {
    const ns = `ns-${i % NAMESPACES}`
    const role = ROLES[i % ROLES.length]!
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `pod-${i}`,
        namespace: ns,
        uid: `uid-${i}`,
        labels: {app: `app-${i % 50}`, role, version: `v${i % 3}`, 'pod-template-hash': `h${i % 1000}`},
        annotations: {'k8s.v1.cni.cncf.io/networks': 'default/net-a, default/net-b'},
      },
      spec: {nodeName: `node-${i % 500}`, serviceAccountName: `sa-${role}`, containers: [{name: 'c', image: 'img'}]},
      status: {phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`},
    })
  }
  const tiers: KubeObject[] = TIERS.filter((t) => t !== 'default').map((name, i) => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: {name},
    spec: {order: [10, 100, 0, 2000, 1e7][i + (i >= 2 ? 1 : 0)], defaultAction: name === 'platform' ? 'Pass' : 'Deny'},
  }))
  const policies: KubeObject[] = []
  const iface = () => pick(['eth0', 'net1', 'net2'])
  for (let i = 0; i < POLICIES - GLOBAL; i++) {
    const ns = `ns-${i % NAMESPACES}`
    const tier = pick(TIERS)
    const selector = pick([
      `app == 'app-${rand(50)}'`,
      `app == 'app-${rand(50)}' && projectcalico.org/network-interface == '${iface()}'`,
      `role == '${pick(ROLES)}'`,
      `role in {'${pick(ROLES)}', '${pick(ROLES)}'} && version != 'v0'`,
      `has(app) && projectcalico.org/network-interface == 'net1'`,
    ])
    policies.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {name: `${tier === 'default' ? '' : `${tier}.`}np-${i}`, namespace: ns},
      spec: {
        tier,
        ...(rand(4) === 0 ? {} : {order: rand(1000)}),
        selector,
        types: ['Ingress', 'Egress'],
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: {selector: `role == '${pick(ROLES)}'`},
            destination: {ports: [8080, '9000:9100']},
          },
          {
            action: 'Allow',
            source: {namespaceSelector: `env == '${pick(ENVS)}'`, selector: `app == 'app-${rand(50)}'`},
          },
          {action: pick(['Deny', 'Pass']), source: {serviceAccounts: {names: [`sa-${pick(ROLES)}`]}}},
        ],
        egress: [
          {
            action: 'Allow',
            protocol: 'UDP',
            destination: {namespaceSelector: `projectcalico.org/name == 'ns-${rand(NAMESPACES)}'`, ports: [53]},
          },
          {action: 'Allow', destination: {nets: ['10.0.0.0/8']}},
        ],
      },
    })
  }
  for (let i = 0; i < GLOBAL; i++) {
    const tier = pick(TIERS)
    policies.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: {name: `${tier === 'default' ? '' : `${tier}.`}gnp-${i}`},
      spec: {
        tier,
        order: rand(500),
        selector: pick([
          `projectcalico.org/network-interface == '${iface()}'`,
          `role == '${pick(ROLES)}' && projectcalico.org/network == 'net-b'`,
          `app == 'app-${rand(50)}'`,
        ]),
        ...(rand(3) === 0 ? {namespaceSelector: `env == '${pick(ENVS)}'`} : {}),
        types: ['Ingress', 'Egress'],
        ingress: [
          {
            action: 'Allow',
            source: {selector: `role == '${pick(ROLES)}'`, namespaceSelector: `team == 'team-${rand(10)}'`},
          },
          {action: 'Deny', source: {selector: '!has(app)'}},
        ],
        egress: [{action: 'Allow', destination: {serviceAccounts: {selector: `role == '${pick(ROLES)}'`}}}],
      },
    })
  }
  return {pods, namespaces, serviceAccounts, tiers, policies}
}

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(1)} ms`
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b)
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (${s.length} runs)`
}

const t0 = performance.now()
const objects = generate()
console.log(
  `generated ${PODS} pods, ${NAMESPACES} namespaces, ${objects.serviceAccounts.length} service accounts, ${objects.policies.length} policies (${GLOBAL} global) in ${ms(t0)}`,
)

let t = performance.now()
const endpoints: WorkloadEndpoint[] = []
for (const pod of objects.pods)
  for (const e of podToWorkloadEndpoints(pod, {mode: 'multus'}).endpoints) endpoints.push(e)
console.log(`converted pods to ${endpoints.length} workload endpoints in ${ms(t)} (part of reading the lists)`)

// --- from here on the lists are read; what follows is policy insight proper ---
t = performance.now()
const insight = new Insight({
  endpoints,
  namespaces: objects.namespaces,
  serviceAccounts: objects.serviceAccounts,
  policies: objects.policies,
  tiers: objects.tiers,
  mode: 'multus',
})
const buildMs = performance.now() - t
console.log(`built the label index over ${insight.index.size} endpoints in ${buildMs.toFixed(1)} ms`)

const wepSamples: number[] = []
const wepFirst: number[] = []
let applied = 0
for (let r = 0; r < RUNS; r++) {
  const e = insight.endpoint(rand(insight.index.size))
  const t1 = performance.now()
  const d = describeEndpoint(insight, e, {limit: 10})
  renderEndpoint(d)
  wepSamples.push(performance.now() - t1)
  if (r === 0) wepFirst.push(wepSamples[0]!)
  applied +=
    d.ingress.tiers.reduce((n, x) => n + x.policies.length, 0) +
    d.egress.tiers.reduce((n, x) => n + x.policies.length, 0)
}
console.log(
  `describe workloadendpoint (data + text): ${stats(wepSamples)}; first ${wepFirst[0]!.toFixed(1)} ms; on average ${(applied / RUNS).toFixed(0)} policies applied per endpoint (both directions)`,
)

const npSamples: number[] = []
let selected = 0
const all = insight.allPolicies()
for (let r = 0; r < RUNS; r++) {
  const p = all[rand(all.length)]!
  const t1 = performance.now()
  const d = describePolicy(insight, p, {limit: 10})
  renderPolicy(d)
  npSamples.push(performance.now() - t1)
  selected += d.appliesTo.count
}
console.log(
  `describe networkpolicy/globalnetworkpolicy (data + text): ${stats(npSamples)}; on average ${(selected / RUNS).toFixed(0)} endpoints selected`,
)

// The index against scanning every endpoint for one selector.
const sel = parseSelector(
  "app == 'app-7' && projectcalico.org/network-interface == 'net1' && projectcalico.org/namespace == 'ns-7'",
)
t = performance.now()
const viaIndex = insight.index.query(sel).length
const indexMs = performance.now() - t
t = performance.now()
let viaScan = 0
for (const e of insight.index.endpoints) if (sel.matches(e.labels)) viaScan++
console.log(
  `one selector, ${viaIndex} matches: index ${indexMs.toFixed(2)} ms, full scan ${ms(t)} (same answer: ${viaIndex === viaScan})`,
)
console.log(
  `full scans needed by the queries above: ${insight.index.fullScans}; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
)

if (process.argv.includes('--cli')) {
  const dir = mkdtempSync(join(tmpdir(), 'xctl-bench-insight-'))
  // One JSON document per object, `---` between them (a single 28 MB one-line `kind: List` hits a slow path in the
  // manifest reader that has nothing to do with insight).
  const file = join(dir, 'cluster.yaml')
  t = performance.now()
  writeFileSync(
    file,
    [...objects.namespaces, ...objects.serviceAccounts, ...objects.tiers, ...objects.policies, ...objects.pods]
      .map((o) => JSON.stringify(o))
      .join('\n---\n'),
  )
  console.log(`wrote ${file} in ${ms(t)}`)
  const e = insight.endpoint(12345)
  const p = all[77]!
  for (const args of [
    ['describe', 'wep', e.name, '-n', e.namespace],
    [
      'describe',
      p.kind === 'GlobalNetworkPolicy' ? 'gnp' : 'np',
      p.metadata.name!,
      ...(p.metadata.namespace ? ['-n', p.metadata.namespace] : []),
    ],
  ]) {
    t = performance.now()
    const r = spawnSync(
      process.execPath,
      ['bin/run.js', ...args, '--local', '-f', file, '--multi-interface-mode', 'multus'],
      {encoding: 'utf8', maxBuffer: 1 << 28},
    )
    console.log(
      `CLI xctl ${args.join(' ')} --local -f FILE (process start, reading and parsing the file, converting, indexing, answering): ${ms(t)}, exit ${r.status}${r.status ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`,
    )
  }
}
