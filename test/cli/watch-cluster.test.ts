// `xctl get -w`: list, then every change as it happens, against the test API server (see test/support/watch.ts).

import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {request as httpsRequest} from 'node:https'
import {parse as parseYaml, parseAllDocuments} from 'yaml'
import {tableRows, xctl, type CliResult} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

let cluster: TestCluster
let seq = 0
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}

/** A fresh namespace per test, so tests do not see each other's pods. */
async function namespace(): Promise<string> {
  const ns = `w${++seq}`
  await api('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
  return ns
}

function pod(ns: string, name: string, ip: string, net1?: string): object {
  const status = [{name: 'k8s-pod-network', interface: 'eth0', ips: [ip], default: true}]
  if (net1) status.push({name: `${ns}/net-a`, interface: 'net1', ips: [net1], default: false})
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: {app: name},
      annotations: {
        'k8s.v1.cni.cncf.io/networks': 'net-a',
        ...(net1 ? {'k8s.v1.cni.cncf.io/network-status': JSON.stringify(status)} : {}),
      },
    },
    spec: {nodeName: 'node-1', containers: [{name: 'c', image: 'busybox:1'}]},
  }
}

/** Creates a pod through the API (a watchable change), then sets its status as the kubelet would. */
async function createPod(ns: string, name: string, ip: string, net1?: string): Promise<void> {
  const created = await api('POST', `/api/v1/namespaces/${ns}/pods`, pod(ns, name, ip, net1))
  assert.equal(created.status, 201, created.text)
  const status = {status: {phase: 'Running', podIP: ip, podIPs: [{ip}]}}
  const patched = await api('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, status, 'merge')
  assert.equal(patched.status, 200, patched.text)
}

async function api(
  method: string,
  path: string,
  body?: object,
  patch?: 'merge',
): Promise<{status: number; text: string}> {
  const headers: Record<string, string> = {Authorization: 'Bearer test-token'}
  if (body) headers['Content-Type'] = patch ? 'application/merge-patch+json' : 'application/json'
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, cluster.server.url), {method, headers, ca: cluster.server.caData}, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, text}))
    })
    req.on('error', reject)
    req.end(body ? JSON.stringify(body) : undefined)
  })
}

interface Step {
  /** Wait until stdout matches this (or has this many lines, or the function says so), then run `then`. */
  until: RegExp | number | ((out: string) => boolean)
  then?: () => unknown
}

/**
 * Runs `xctl ARGS` and walks the steps as its output arrives; after the last step, Ctrl-C (SIGINT) unless the
 * command ends by itself. A step that never comes fails the test with what was printed so far.
 */
async function watch(args: string[], steps: Step[], env: Record<string, string> = MULTUS): Promise<CliResult> {
  let out = ''
  let child: import('node:child_process').ChildProcess | undefined
  const run = xctl(args, {
    env: {...cluster.env, ...env},
    onStdout: (chunk) => (out += chunk),
    onSpawn: (c) => (child = c),
  })
  let ended = false
  void run.then(() => (ended = true))
  for (const step of steps) {
    const deadline = Date.now() + 10_000
    const until = step.until
    const met = () =>
      typeof until === 'number'
        ? out.split('\n').filter(Boolean).length >= until
        : typeof until === 'function'
          ? until(out)
          : until.test(out)
    while (!met()) {
      if (ended || Date.now() > deadline) {
        child?.kill('SIGKILL')
        const r = await run
        assert.fail(`waited for ${step.until} in:\n${out}\nstderr:\n${r.stderr}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    await step.then?.()
  }
  if (!ended) child?.kill('SIGINT')
  return run
}

/** A step condition: one more watch of the namespace's pods has reached the server since it was made. */
function watching(ns: string): () => boolean {
  const path = `/api/v1/namespaces/${ns}/pods`
  const before = watchRequests().filter((w) => w.path === path).length
  let seenAt = 0
  return () => {
    if (watchRequests().filter((w) => w.path === path).length <= before) return false
    seenAt ||= Date.now()
    return Date.now() - seenAt > 100 // the server subscribes right after it records the request
  }
}

const watchRequests = () => cluster.server.requests.filter((r) => r.query.watch === '1')
const listRequests = (ns: string) =>
  cluster.server.requests.filter(
    (r) => r.method === 'GET' && r.path === `/api/v1/namespaces/${ns}/pods` && r.query.watch === undefined,
  )

before(async () => {
  cluster = await startCluster({objects: []})
})
after(() => cluster.server.close())

test('a table: the list, then endpoints that appear, change (net1 gets its address) and go away; Ctrl-C exits 1 quietly', async () => {
  const ns = await namespace()
  await createPod(ns, 'web', '10.0.0.1', '192.168.0.1')
  const r = await watch(
    ['get', 'wep', '-n', ns, '-w'],
    [
      {until: /10\.0\.0\.1/, then: () => createPod(ns, 'db', '10.0.0.2')},
      {
        until: /db .*10\.0\.0\.2/,
        then: () => api('PATCH', `/api/v1/namespaces/${ns}/pods/db`, netStatus(ns, 'db'), 'merge'),
      },
      {until: /192\.168\.0\.2/, then: () => api('DELETE', `/api/v1/namespaces/${ns}/pods/web`)},
      {until: (out) => out.split('\n').filter((l) => / web /.test(l)).length === 4},
    ],
  )
  assert.equal(r.code, 1)
  assert.equal(r.stderr, '')
  const rows = tableRows(r.stdout)
  assert.deepEqual(rows[0], ['NAMESPACE', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'])
  assert.equal(rows.filter((row) => row[0] === 'NAMESPACE').length, 1, 'one header')
  // NETWORKS is empty (the row one cell short) until an interface has an address
  const shown = rows.slice(1).map((row) => `${row[1]} ${row.length === 5 ? row[3] : '-'}`)
  assert.deepEqual(shown, [
    'web 10.0.0.1/32',
    'web 192.168.0.1/32',
    // db is created: no addresses yet
    'db -',
    'db -',
    // the kubelet reports the pod IP: eth0 changes
    'db 10.0.0.2/32',
    // Multus writes network-status: net1 gets its address (eth0 carries the annotation too, so it changes as well)
    'db 10.0.0.2/32',
    'db 192.168.0.2/32',
    // web is deleted: both its endpoints, as last seen
    'web 10.0.0.1/32',
    'web 192.168.0.1/32',
  ])
  const w = watchRequests().at(-1)!
  assert.equal(w.path, `/api/v1/namespaces/${ns}/pods`)
  assert.equal(w.query.allowWatchBookmarks, 'true')
  assert.equal(w.query.resourceVersion, String(Number(w.query.resourceVersion)))
  assert.ok(Number(w.query.timeoutSeconds) >= 300 && Number(w.query.timeoutSeconds) < 600, w.query.timeoutSeconds)
  assert.equal(listRequests(ns).at(-1)!.query.limit, '500')
})

function netStatus(ns: string, name: string, net1 = '192.168.0.2'): object {
  const ip = name === 'db' ? '10.0.0.2' : '10.0.0.1'
  const status = [
    {name: 'k8s-pod-network', interface: 'eth0', ips: [ip], default: true},
    {name: `${ns}/net-a`, interface: 'net1', ips: [net1], default: false},
  ]
  return {metadata: {annotations: {'k8s.v1.cni.cncf.io/network-status': JSON.stringify(status)}}}
}

test('--output-watch-events: an EVENT column first; -o json: one {"type","object"} line per event', async () => {
  const ns = await namespace()
  await createPod(ns, 'web', '10.0.0.1', '192.168.0.1')
  const table = await watch(
    ['get', 'wep', '-n', ns, '-w', '--output-watch-events'],
    [
      {
        until: /192\.168\.0\.1/,
        then: () => api('PATCH', `/api/v1/namespaces/${ns}/pods/web`, netStatus(ns, 'web', '192.168.0.9'), 'merge'),
      },
      {until: /192\.168\.0\.9/, then: () => api('DELETE', `/api/v1/namespaces/${ns}/pods/web`)},
      {until: /DELETED[^]*DELETED/},
    ],
  )
  const rows = tableRows(table.stdout)
  assert.deepEqual(rows[0].slice(0, 3), ['EVENT', 'NAMESPACE', 'WORKLOAD'])
  assert.deepEqual(
    rows.slice(1).map((row) => `${row[0]} ${row[4]}`),
    [
      'ADDED 10.0.0.1/32',
      'ADDED 192.168.0.1/32',
      'MODIFIED 10.0.0.1/32',
      'MODIFIED 192.168.0.9/32',
      'DELETED 10.0.0.1/32',
      'DELETED 192.168.0.9/32',
    ],
  )
  // kubectl pads EVENT to MODIFIED's width from the first row
  assert.match(table.stdout, /^EVENT {6}NAMESPACE/)

  await createPod(ns, 'api', '10.0.0.3', '192.168.0.3')
  const json = await watch(
    ['get', 'wep', '-n', ns, '-w', '--output-watch-events', '-o', 'json'],
    [{until: 2, then: () => api('DELETE', `/api/v1/namespaces/${ns}/pods/api`)}, {until: 4}],
  )
  const events = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.object.kind} ${e.object.spec.interfaceName}`),
    [
      'ADDED WorkloadEndpoint cali' + events[0].object.spec.interfaceName.slice(4),
      events[1] && `ADDED WorkloadEndpoint ${events[1].object.spec.interfaceName}`,
      `DELETED WorkloadEndpoint ${events[2].object.spec.interfaceName}`,
      `DELETED WorkloadEndpoint ${events[3].object.spec.interfaceName}`,
    ],
  )
  assert.deepEqual(Object.keys(events[0]), ['type', 'object'])
})

test('-o yaml: documents separated by ---; -o json: objects one after another; -o name; --watch-only skips the list', async () => {
  const ns = await namespace()
  await createPod(ns, 'web', '10.0.0.1')
  const change = () => createPod(ns, 'db', '10.0.0.2')

  const yaml = await watch(
    ['get', 'wep', '-n', ns, '-w', '-o', 'yaml'],
    [{until: /pod: web/, then: change}, {until: (out) => out.split('pod: db').length === 3}],
    {},
  )
  const docs = parseAllDocuments(yaml.stdout).map((d) => d.toJS())
  assert.deepEqual(
    docs.map((d) => `${d.kind} ${d.spec.pod} ${d.spec.ipNetworks ?? '-'}`),
    // db, then db with its pod IP
    ['WorkloadEndpoint web 10.0.0.1/32', 'WorkloadEndpoint db -', 'WorkloadEndpoint db 10.0.0.2/32'],
  )
  assert.match(yaml.stdout, /\n---\napiVersion: projectcalico\.org\/v3\n/)

  const events = await watch(
    ['get', 'wep', '-n', ns, '-w', '-o', 'yaml', '--output-watch-events', '--watch-only'],
    [{until: watching(ns), then: () => api('DELETE', `/api/v1/namespaces/${ns}/pods/db`)}, {until: /type: DELETED/}],
    {},
  )
  const event = parseYaml(events.stdout)
  assert.equal(event.type, 'DELETED')
  assert.equal(event.object.spec.pod, 'db')
  assert.match(events.stdout, /^object:\n {2}apiVersion: projectcalico\.org\/v3\n/)

  const json = await watch(
    ['get', 'wep', '-n', ns, '-w', '-o', 'json'],
    [
      {until: /"pod": "web"/, then: () => createPod(ns, 'api', '10.0.0.3')},
      {until: (out) => out.split('"pod": "api"').length === 3 && out.endsWith('}\n')},
    ],
    {},
  )
  const objects = json.stdout.split(/\n(?=\{)/).map((t) => JSON.parse(t))
  assert.deepEqual(
    objects.map((o) => o.spec.pod),
    ['web', 'api', 'api'],
  )

  const names = await watch(['get', 'wep', '-n', ns, '-w', '-o', 'name'], [{until: 2}], {})
  assert.deepEqual(names.stdout.trim().split('\n'), [
    'workloadendpoint.projectcalico.org/node--1-k8s-api-eth0',
    'workloadendpoint.projectcalico.org/node--1-k8s-web-eth0',
  ])

  const only = await watch(
    ['get', 'wep', '-n', ns, '--watch-only'],
    [
      {until: watching(ns), then: () => createPod(ns, 'late', '10.0.0.4')},
      {until: (out) => out.split(' late ').length === 3},
    ],
    {},
  )
  assert.deepEqual(
    tableRows(only.stdout).map((row) => row[1]),
    ['WORKLOAD', 'late', 'late'],
  )
})

test('410 Gone: the watch lists again and prints only what changed meanwhile, never the same row twice', async () => {
  const ns = await namespace()
  await createPod(ns, 'keep', '10.0.0.1')
  await createPod(ns, 'gone', '10.0.0.2')
  const lists = listRequests(ns).length
  const open = watching(ns)
  const r = await watch(
    ['get', 'wep', '-n', ns, '-w', '--output-watch-events'],
    [
      {
        until: (out) => /gone/.test(out) && open(),
        then: async () => {
          // what changes while the watch is broken must show after the re-list
          cluster.server.faults.add({method: 'GET', pathPattern: /\/pods\?.*watch=1/, delayMs: 400})
          cluster.server.expireWatches()
          await api('DELETE', `/api/v1/namespaces/${ns}/pods/gone`)
          await createPod(ns, 'new', '10.0.0.3')
        },
      },
      {until: (out) => /new/.test(out) && /DELETED/.test(out)},
    ],
    {},
  )
  const rows = tableRows(r.stdout)
    .slice(1)
    .map((row) => `${row[0]} ${row[2]}`)
  // the list in key order; after the 410, only the differences
  // the list in key order; after the 410, only the differences (the re-list's additions, then what it lacks)
  assert.deepEqual(rows.slice(0, 2), ['ADDED gone', 'ADDED keep'])
  // (new gets its pod IP meanwhile: a MODIFIED row that may or may not come before the re-list)
  assert.deepEqual(
    rows
      .slice(2)
      .filter((row) => row !== 'MODIFIED new')
      .sort(),
    ['ADDED new', 'DELETED gone'],
  )
  assert.equal(listRequests(ns).length, lists + 2, 'listed again after the 410')
  assert.equal(r.stderr, '')
})

test('a dropped watch resumes from the last resourceVersion seen, bookmarks included, without listing again', async () => {
  const ns = await namespace()
  await createPod(ns, 'web', '10.0.0.1')
  const lists = listRequests(ns).length
  let bookmarkRV = ''
  const r = await watch(
    ['get', 'wep', '-n', ns, '-w'],
    [
      {
        until: /web/,
        then: async () => {
          // a change elsewhere moves the cluster's version on; the bookmark tells the watch
          await api('POST', `/api/v1/namespaces/${ns}/configmaps`, {metadata: {name: 'c'}, data: {}})
          await waitFor(() => watchRequests().some((w) => w.path === `/api/v1/namespaces/${ns}/pods`))
          cluster.server.sendBookmarks()
          bookmarkRV = String(cluster.server.resourceVersion)
          await new Promise((res) => setTimeout(res, 100))
          cluster.server.dropWatches()
          await createPod(ns, 'db', '10.0.0.2')
        },
      },
      {until: (out) => out.split(' db ').length === 3},
    ],
    {},
  )
  // db appears, then gets its pod IP
  assert.deepEqual(
    tableRows(r.stdout)
      .slice(1)
      .map((row) => row[1]),
    ['web', 'db', 'db'],
  )
  const watches = watchRequests().filter((w) => w.path === `/api/v1/namespaces/${ns}/pods`)
  assert.equal(watches.length, 2, 'reconnected once')
  assert.equal(watches[1].query.resourceVersion, bookmarkRV)
  assert.equal(listRequests(ns).length, lists + 1, 'no second list')
})

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 20))
}

test('other kinds: NADs are watched from their own API; -w with --local is a usage error; --request-timeout ends a watch with 0', async () => {
  const ns = await namespace()
  const nad = (name: string) => ({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {name, namespace: ns},
    spec: {config: '{"cniVersion":"0.3.1","type":"calico"}'},
  })
  const path = `/apis/k8s.cni.cncf.io/v1/namespaces/${ns}/network-attachment-definitions`
  await api('POST', path, nad('a'))
  const r = await watch(
    ['get', 'nad', '-n', ns, '-w', '--chunk-size', '1'],
    [{until: /\ba\b/, then: () => api('POST', path, nad('b'))}, {until: /\bb\b/}],
  )
  assert.deepEqual(
    tableRows(r.stdout).map((row) => row[1]),
    ['NAME', 'a', 'b'],
  )
  const list = cluster.server.requests.filter((q) => q.path === path && q.method === 'GET' && !q.query.watch).at(-1)!
  assert.equal(list.query.limit, '1')

  const local = await xctl(['get', 'wep', '-w', '--local', '-f', 'examples/multus'])
  assert.equal(local.code, 2)
  assert.match(local.stderr, /--watch cannot be used with --local/)
  assert.match(local.stderr, /Hint: .*drop --local/)

  const started = Date.now()
  const timed = await xctl(['get', 'nad', '-n', ns, '-w', '--request-timeout=1s'], {env: cluster.env})
  assert.equal(timed.code, 0, timed.stderr)
  assert.ok(Date.now() - started < 8000)
  assert.deepEqual(
    tableRows(timed.stdout).map((row) => row[1]),
    ['NAME', 'a', 'b'],
  )
})

test('--chunk-size pages a plain get too; 0 asks for the whole list', async () => {
  const ns = await namespace()
  await createPod(ns, 'a', '10.0.0.1')
  await createPod(ns, 'b', '10.0.0.2')
  const r = await xctl(['get', 'wep', '-n', ns, '--chunk-size', '1', '-o', 'name'], {env: cluster.env})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 2)
  const pages = listRequests(ns).slice(-2)
  assert.deepEqual(
    pages.map((p) => p.query.limit),
    ['1', '1'],
  )
  assert.ok(pages[1].query.continue)
  await xctl(['get', 'wep', '-n', ns, '--chunk-size=0'], {env: cluster.env})
  assert.equal(listRequests(ns).at(-1)!.query.limit, '0')
  const bad = await xctl(['get', 'wep', '--chunk-size', '-1'], {env: cluster.env})
  assert.equal(bad.code, 2)
})
