import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseManifestText} from '../../src/manifests/read.js'
import {parseNetworksAnnotation} from '../../src/multus/annotations.js'
import {validateDocument} from '../../src/validation/engine.js'
import type {Finding} from '../../src/validation/findings.js'
import {Knowledge} from '../../src/validation/knowledge.js'
import {podToWorkloadEndpoints} from '../../src/workloadendpoints/convert.js'
import {tableRows, xctl} from '../helpers/cli.js'
import {prng} from '../helpers/prng.js'

/**
 * Issue 16: one parser for k8s.v1.cni.cncf.io/networks, read by conversion (get wep) and validation alike. The same
 * annotation values go down both paths and the answers must agree: a pod conversion refuses is one validation
 * reports as failing, and the networks and interface names conversion finds are the ones validation checks.
 */
const SETTINGS = {defaultNamespace: 'default', mode: 'multus' as const, cluster: false, flavor: 'any' as const}

function podYaml(value: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\n  annotations:\n    k8s.v1.cni.cncf.io/networks: ${JSON.stringify(value)}\nspec:\n  nodeName: node-1\nstatus:\n  phase: Running\n  podIP: 10.48.0.5\n`
}

function convert(value: string) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'p', namespace: 'app', annotations: {'k8s.v1.cni.cncf.io/networks': value}},
    spec: {nodeName: 'node-1'},
    status: {phase: 'Running', podIP: '10.48.0.5'},
  }
  return podToWorkloadEndpoints(pod, {mode: 'multus'})
}

function validateValue(value: string): {findings: Finding[]; ifnames: Set<string>} {
  const [doc] = [...parseManifestText(podYaml(value), 'pod.yaml')]
  const knowledge = new Knowledge()
  return {findings: validateDocument(doc, knowledge, SETTINGS).findings, ifnames: knowledge.requestedIfnames}
}

/** Findings that mean the pod cannot start because of the annotation itself (what makes conversion give up). */
function podFails(f: Finding): boolean {
  if (f.severity !== 'error') return false
  if (
    [
      'pod/networks-parse',
      'pod/networks-json-type',
      'pod/networks-mac',
      'pod/networks-ips',
      'pod/networks-limit',
    ].includes(f.rule)
  )
    return true
  if (f.rule === 'pod/networks-name') return /has no "name"/.test(f.message)
  if (f.rule === 'pod/networks-json-value') return /\(Multus: /.test(f.message)
  if (f.rule === 'pod/networks-ifname-length' || f.rule === 'pod/networks-ifname-chars')
    return /Multus refuses/.test(f.message)
  return false
}

function agree(value: string): void {
  const converted = convert(value)
  const {findings, ifnames} = validateValue(value)
  const failing = findings.filter(podFails)
  const label = `${JSON.stringify(value)}: conversion ${converted.error ?? 'ok'}; validation ${failing.map((f) => f.rule).join(', ') || 'ok'}`
  // Interface names conversion cannot turn into endpoint names fail there only; that is not the annotation's reading.
  if (
    converted.error !== undefined &&
    /interface name|workload endpoint/i.test(converted.error) &&
    failing.length === 0
  )
    return
  assert.equal(converted.error !== undefined, failing.length > 0, label)
  if (converted.error !== undefined) return
  const requested = converted.endpoints.slice(1).map((e) => e.spec.endpoint as string)
  const explicit = parseNetworksAnnotation(value, 'app')
    .selections.filter((s) => s.interface)
    .map((s) => s.interface!)
  assert.deepEqual([...ifnames].sort(), [...new Set(explicit)].sort(), label)
  for (const name of explicit) assert.ok(requested.includes(name), `${label}: endpoint for ${name}`)
}

const CORPUS = [
  '[{"Name":"net-a"}]',
  '[{"NAME":"net-a","Interface":"data0"}]',
  '[{"name":"net-a","NameSpace":"infra","IPS":["10.1.1.11/24"]}]',
  '[{"name":"net-a","name":"net-b"}]',
  '[{"Name":"net-a","name":"net-b","INTERFACE":"x1"}]',
  '[{"name":"net-a","interfaceRequest":"legacy0"}]',
  '[{"name":"net-a","Mac":"02:23:45:67:89"}]',
  '[{"name":"net-a","IPs":"10.1.1.11/24"}]',
  '[{"namespace":"infra"}]',
  '[{"Name":""}]',
  '[{"name":"net-a"},{"name":"net-b","interface":"net1"}]',
  'null',
  '{"name":"net-a"}',
  '[{"name":"net-a"',
  'net-a, infra/net-b@data0',
  'net-a,,net-b',
  'Net_A',
  'net-a@data 0',
  'a/b/c',
  'net-a@x@y',
  '',
  Array.from({length: 10}, (_, i) => `net-${i}`).join(','),
]

test('conversion and validation read the same networks annotation the same way (corpus)', () => {
  for (const value of CORPUS) agree(value)
})

test('keys are matched case-insensitively, as Go does: [{"Name":"net-a"}] is net-a for both paths', () => {
  const converted = convert('[{"Name":"net-a","Interface":"data0"}]')
  assert.equal(converted.error, undefined)
  assert.deepEqual(
    converted.endpoints.map((e) => e.spec.endpoint),
    ['eth0', 'data0'],
  )
  assert.deepEqual(validateValue('[{"Name":"net-a","Interface":"data0"}]').findings, [])
  const parse = parseNetworksAnnotation('[{"name":"net-a","NAME":"net-b"}]', 'app')
  assert.equal(parse.selections[0].name, 'net-b', 'of two keys for one field the later wins')
  assert.equal(parse.selections[0].keys?.name, 'NAME')
})

test('values with positions and coded problems', () => {
  const short = parseNetworksAnnotation(' net-a, infra/net-b@data0', 'app')
  assert.deepEqual(
    short.selections.map((s) => [
      s.name,
      s.namespace,
      s.namespaceGiven,
      s.interface,
      s.offset,
      s.nameOffset,
      s.interfaceOffset,
    ]),
    [
      ['net-a', 'app', false, undefined, 1, 1, undefined],
      ['net-b', 'infra', true, 'data0', 8, 14, 20],
    ],
  )
  const json = parseNetworksAnnotation('[{"name": "net-a", "mac": "zz"}]', 'app')
  assert.deepEqual(
    json.problems.map((p) => [p.code, p.offset, p.refused]),
    [['mac', 27, true]],
  )
  assert.equal(json.error, 'parsePodNetworkAnnotation: failed to mac: address zz: invalid MAC address')
  assert.deepEqual(
    parseNetworksAnnotation('a,,b', 'app').problems.map((p) => p.code),
    ['item-empty'],
  )
  assert.deepEqual(
    parseNetworksAnnotation('[{"nmae": "a"}]', 'app').problems.map((p) => p.code),
    ['json-unknown-key', 'json-no-name'],
  )
})

test('fuzz (seeded): both paths agree on random annotations', () => {
  const r = prng(4242)
  const alphabet = [
    'a',
    'net',
    '1',
    '-',
    '_',
    'A',
    '.',
    ',',
    '/',
    '@',
    ' ',
    '[',
    ']',
    '{',
    '}',
    '"',
    ':',
    'eth0',
    'x'.repeat(16),
    '"Name":',
    '"name":',
    '"NameSpace":',
    '"interface":',
    '"net-a"',
    '"ips":',
    '["1.2.3.4"]',
    '"mac":',
  ]
  for (let i = 0; i < 3000; i++) {
    let value = ''
    const n = Math.floor(r() * 10)
    for (let k = 0; k < n; k++) value += alphabet[Math.floor(r() * alphabet.length)]
    agree(value)
  }
})

test('CLI: xctl validate and xctl get wep --local agree on [{"Name":"net-a"}]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xctl-networks-'))
  try {
    const file = join(dir, 'pod.yaml')
    writeFileSync(file, podYaml('[{"Name":"net-a","Interface":"data0"}]'))
    const validated = await xctl(['validate', '-f', file])
    assert.equal(validated.code, 0, validated.stderr)
    assert.equal(validated.stdout, 'no problems in 1 resource (1 file; validated 1 Pod)\n')
    const got = await xctl([
      'get',
      'wep',
      '--local',
      '-f',
      file,
      '-n',
      'app',
      '--multi-interface-mode',
      'multus',
      '-o',
      'wide',
    ])
    assert.equal(got.code, 0, got.stderr)
    assert.deepEqual(
      tableRows(got.stdout).map((row) => row[1]),
      ['NAME', 'node--1-k8s-p-eth0', 'node--1-k8s-p-data0'],
    )
    writeFileSync(file, podYaml('[{"Name":"net-a","Mac":"bad"}]'))
    assert.equal((await xctl(['validate', '-f', file])).code, 1)
    assert.equal(
      (await xctl(['get', 'wep', '--local', '-f', file, '-n', 'app', '--multi-interface-mode', 'multus'])).code,
      1,
    )
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
