import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {escapeStrings, escapeTerminal} from '../../src/printers/escape.js'
import {run, xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const ESC = '\x1b'
/** Every kind of character that can act on a terminal: ESC (CSI), CR, BEL, other C0, DEL, C1 (CSI 0x9b), bidi. */
const HOSTILE_IFACE = `net1${ESC}[2J`
const HOSTILE_NETWORK = 'default/evil\u202eten'
const HOSTILE_LABEL = `v\r\x07\x7f\u009b31m`
// Tab and newline are left out: jsonpath templates write their own.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

test('escapeTerminal: C0, DEL, C1 and bidi controls become visible escapes; clean text is returned as is', () => {
  assert.equal(escapeTerminal(`a${ESC}[31mb`), 'a\\x1b[31mb')
  assert.equal(escapeTerminal('a\rb\nc\td\x07\x7f'), 'a\\rb\\nc\\td\\x07\\x7f')
  assert.equal(escapeTerminal('x\u009by\u202ez\u2066'), 'x\\u009by\\u202ez\\u2066')
  assert.equal(escapeTerminal('café ünïcode 10.0.0.1/32'), 'café ünïcode 10.0.0.1/32')
  const clean = {a: ['x', {b: 'y'}]}
  assert.equal(escapeStrings(clean), clean)
  const dirty = {a: ['x', {b: `y${ESC}`}], [`k${ESC}`]: 1}
  assert.deepEqual(escapeStrings(dirty), {a: ['x', {b: 'y\\x1b'}], 'k\\x1b': 1})
  assert.equal(dirty.a[1] && (dirty.a[1] as {b: string}).b, `y${ESC}`, 'the input is not changed')
})

let cluster: TestCluster
let podFile: string
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'esc',
    namespace: 'default',
    labels: {app: HOSTILE_LABEL},
    annotations: {
      'k8s.v1.cni.cncf.io/network-status': JSON.stringify([
        {name: 'k8s-pod-network', interface: 'eth0', ips: ['10.0.0.9'], default: true},
        {name: HOSTILE_NETWORK, interface: HOSTILE_IFACE, ips: ['10.1.0.9']},
      ]),
      note: `a${ESC}]0;owned${'\x07'}b`,
    },
  },
  spec: {nodeName: 'n1', containers: [{name: 'c', image: 'i'}]},
  status: {podIP: '10.0.0.9'},
}

before(async () => {
  cluster = await startCluster({objects: [pod]})
  podFile = join(mkdtempSync(join(tmpdir(), 'xctl-esc-')), 'pod.json')
  // Escaped in the file as a JSON producer would (a raw DEL is refused by the YAML reader); the values are the same.
  writeFileSync(
    podFile,
    JSON.stringify(pod).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  )
})
after(() => cluster.server.close())

test('tables, -o name, jsonpath and custom-columns show control characters escaped, from the cluster and from files', async () => {
  const env = {...cluster.env, MULTI_INTERFACE_MODE: 'multus'}
  const formats = [
    'ps',
    'wide',
    'name',
    'jsonpath={range .items[*]}{.spec.endpoint}{"\\t"}{.metadata.labels}{"\\n"}{end}',
    'custom-columns=IF:.spec.endpoint,NET:.metadata.labels.projectcalico\\.org/network,APP:.metadata.labels.app',
  ]
  for (const source of [[], ['--local', '-f', podFile]]) {
    for (const o of formats) {
      const r = await xctl(['get', 'wep', '-o', o, ...source], {env})
      assert.equal(r.code, 0, r.stderr)
      assert.doesNotMatch(r.stdout, RAW, `-o ${o} ${source.join(' ')}: ${JSON.stringify(r.stdout)}`)
      // ps has no name column; custom-columns cells keep kubectl's own form for ESC (^[) from the field-path code.
      if (o !== 'ps') assert.match(r.stdout, o.startsWith('custom') ? /net1\^\[\[2J/ : /net1\\x1b\[2J/, `-o ${o}`)
    }
  }
  const j = await xctl(
    ['get', 'wep', '-o', 'jsonpath={range .items[*]}{.spec.endpoint}{"\\t"}{.metadata.labels.app}{"\\n"}{end}'],
    {env},
  )
  // The template's own tab and newline stay; values are escaped.
  assert.equal(j.stdout, `eth0\tv\\r\\x07\\x7f\\u009b31m\n${'net1\\x1b[2J'}\tv\\r\\x07\\x7f\\u009b31m\n`)
  const c = await xctl(['get', 'wep', '-o', 'custom-columns=NET:.metadata.labels.projectcalico\\.org/network'], {env})
  assert.match(c.stdout, /^evil\\u202eten$/m)
})

test('describe and eval text escape them too; YAML and JSON keep the exact values', async () => {
  const env = {...cluster.env, MULTI_INTERFACE_MODE: 'multus'}
  const d = await xctl(['describe', 'wep', 'esc', '-n', 'default'], {env})
  assert.equal(d.code, 0, d.stderr)
  assert.doesNotMatch(d.stdout, RAW)
  assert.match(d.stdout, /Interface: +net1\\x1b\[2J/)
  assert.match(d.stdout, /Network: +evil\\u202eten \(namespace default\)/)
  const e = await xctl(['eval', 'has(app)', '-A', '-o', 'wide'], {env})
  assert.equal(e.code, 0, e.stderr)
  assert.doesNotMatch(e.stdout, RAW)
  assert.match(e.stdout, /net1\\x1b\[2J/)
  const y = await xctl(['get', 'wep', '-o', 'yaml'], {env})
  assert.doesNotMatch(y.stdout, /\x1b/, 'YAML escapes ESC itself')
  assert.equal(parseYaml(y.stdout).items[1].spec.endpoint, HOSTILE_IFACE)
  const js = await xctl(['get', 'wep', '-o', 'json'], {env})
  assert.equal(JSON.parse(js.stdout).items[1].metadata.labels.app, HOSTILE_LABEL)
  const dj = await xctl(['describe', 'wep', 'esc', '-n', 'default', '-o', 'json'], {env})
  assert.equal(JSON.parse(dj.stdout).items[1].endpoint.interface, HOSTILE_IFACE)
})

test('kubectl escapes ESC and CR in its tables too (it writes ^[ and \\r); xctl never lets them through raw', async (t) => {
  const k = await run(
    'kubectl',
    ['get', 'pods', '-o', 'custom-columns=NOTE:.metadata.annotations.note', '-n', 'default'],
    {env: {...process.env, KUBECONFIG: cluster.kubeconfig}, timeoutMs: 30_000},
  ).catch(() => undefined)
  if (!k) return t.skip('kubectl is not installed')
  assert.equal(k.code, 0, k.stderr)
  assert.match(k.stdout, /a\^\[\]0;owned/)
  const x = await xctl(['get', 'wep', '-o', 'custom-columns=APP:.metadata.labels.app'], {env: cluster.env})
  assert.equal(x.stdout, 'APP\nv\\r\\x07\\x7f\\u009b31m\n')
})
