import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseManifestText} from '../../src/manifests/read.js'
import {isJsonForm, parseNetworksAnnotation} from '../../src/multus/annotations.js'
import {validateDocument} from '../../src/validation/engine.js'
import {Knowledge} from '../../src/validation/knowledge.js'
import {prng} from '../helpers/prng.js'

const ALPHABET = [
  'a',
  'b',
  'net',
  '1',
  '-',
  '_',
  'A',
  '.',
  ',',
  ',',
  '/',
  '/',
  '@',
  '@',
  ' ',
  '\t',
  '\n',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  ':',
  'é',
  '0',
  'eth0',
  'lo',
  'net1',
  'x'.repeat(16),
]
const SETTINGS = {defaultNamespace: 'default', mode: 'multus' as const, cluster: false, flavor: 'any' as const}
/** Findings that mean "Multus refuses this annotation" (the pod would not start). */
const REFUSED = new Set([
  'pod/networks-parse',
  'pod/networks-ifname-length',
  'pod/networks-ifname-chars',
  'pod/networks-json-type',
  'pod/networks-name',
  'pod/networks-mac',
  'pod/networks-json-value',
  'pod/networks-default-route',
  'pod/networks-ips',
])

function validateAnnotation(value: string) {
  const yaml = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns1\n  annotations:\n    k8s.v1.cni.cncf.io/networks: ${JSON.stringify(value)}\nspec: {}\n`
  const docs = [...parseManifestText(yaml, 'fuzz.yaml')]
  assert.equal(docs.length, 1)
  return validateDocument(docs[0], new Knowledge(), SETTINGS).findings
}

function randomAnnotation(r: () => number): string {
  const n = Math.floor(r() * 12)
  let s = ''
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)]
  return s
}

test('fuzz (seeded): arbitrary annotations never throw, and the validator agrees with the Multus parser', () => {
  const r = prng(1_000_003)
  const started = Date.now()
  let shortOk = 0
  for (let i = 0; i < 4000; i++) {
    const value = randomAnnotation(r)
    const parsed = parseNetworksAnnotation(value, 'ns1')
    const findings = validateAnnotation(value)
    // Refused by Multus' parser itself (CNI-level failures such as ':' in a name come later, at ADD).
    const refused = findings.filter(
      (f) => REFUSED.has(f.rule) && f.severity === 'error' && !f.message.includes('(CNI:'),
    )
    if (!isJsonForm(value)) {
      // Multus' verdict and ours agree: the parser refuses the annotation exactly when we report it refused
      // (an empty item is accepted by the parser but fails the NAD lookup; we report that too).
      const emptyItem =
        value.trim() !== '' &&
        value
          .split(',')
          .some((item) => item.trim() === '' || /^[^@]*\/\s*(@|$)/.test(item.trim()) || item.trim().startsWith('@'))
      if (parsed.error === undefined && !emptyItem) {
        assert.deepEqual(
          refused.map((f) => f.message),
          [],
          `multus accepts ${JSON.stringify(value)}`,
        )
        shortOk++
      }
      if (parsed.error !== undefined)
        assert.ok(
          refused.length > 0 || findings.some((f) => f.severity === 'error'),
          `multus refuses ${JSON.stringify(value)} (${parsed.error}) but no error was reported`,
        )
    }
  }
  assert.ok(shortOk > 200, `only ${shortOk} accepted short forms were generated`)
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
})

test('fuzz (seeded): short-form round trip — printing the parsed selections and parsing again gives the same', () => {
  const r = prng(77)
  let checked = 0
  for (let i = 0; i < 20_000; i++) {
    const value = randomAnnotation(r)
    if (isJsonForm(value)) continue
    const first = parseNetworksAnnotation(value, 'ns1')
    if (first.error) continue
    const printed = first.selections
      .map((s) => `${s.namespace}/${s.name}${s.interface ? `@${s.interface}` : ''}`)
      .join(',')
    const second = parseNetworksAnnotation(printed, 'other')
    assert.equal(second.error, undefined, `${JSON.stringify(value)} → ${printed}`)
    assert.deepEqual(
      second.selections.map((s) => [s.name, s.namespace, s.interface]),
      first.selections.map((s) => [s.name, s.namespace, s.interface]),
    )
    checked++
  }
  assert.ok(checked > 1000)
})

test('fuzz (seeded): JSON-form annotations built from random elements never throw', () => {
  const r = prng(9)
  const keys = [
    'name',
    'namespace',
    'interface',
    'ips',
    'mac',
    'default-route',
    'portMappings',
    'bandwidth',
    'cni-args',
    'Name',
    'ipam-claim-reference',
    'foo',
    'infiniband-guid',
  ]
  const values = [
    '"a"',
    '"net-a"',
    '1',
    'null',
    '[]',
    '{}',
    '["10.0.0.1"]',
    '["x"]',
    '"02:23:45:67:89:01"',
    '[{"hostPort": 0}]',
    '{"ingressRate": -1}',
    'true',
    '"a/b"',
    '"eth0"',
  ]
  for (let i = 0; i < 2000; i++) {
    const elements = Array.from(
      {length: Math.floor(r() * 4)},
      () =>
        `{${Array.from({length: Math.floor(r() * 4)}, () => `"${keys[Math.floor(r() * keys.length)]}": ${values[Math.floor(r() * values.length)]}`).join(', ')}}`,
    )
    let text = `[${elements.join(', ')}]`
    if (r() < 0.2) text = text.slice(0, Math.floor(r() * text.length))
    parseNetworksAnnotation(text, 'ns1')
    validateAnnotation(text)
  }
})
