import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {isMap, isScalar, isSeq, parseAllDocuments, parseDocument, stringify, type Node} from 'yaml'
import {parseFastYaml, UNSUPPORTED, type PositionMap} from '../../src/manifests/fast-yaml.js'
import {parseManifestText} from '../../src/manifests/read.js'
import {scalarOffsets} from '../../src/manifests/scalars.js'
import {splitText} from '../../src/manifests/split.js'
import {prng} from '../helpers/prng.js'

const HANDWRITTEN = [
  'a: 1\nb: two\nc: [1, "x", {d: e}]\n',
  'a:\n- x\n- y: 1\n  z: 2\n- - n\n  - m\nb: ~\n',
  "k: 'it''s'\nq: \"tab\\there \\u00e9 \\x41\"\n",
  'k: |\n  line 1\n\n  line 3\n   more\nn: 1\n',
  'k: >-\n  folded\n  text\n\n  para\n   indented\n  end\n',
  'k: |+\n  keep\n\n\nn: 1\n',
  'k: |2\n    two extra\n   one extra\n',
  'k: plain\n  continued\n\n  after empty\nn: 1\n',
  'k: "multi\n  line \\\n  joined"\n',
  "k: 'multi\n\n  para'\n",
  '# comment\na: 1 # trailing\n# between\nb:  # empty\n  c: 2\n',
  'list:\n  - a\n  -   b\n  -\n    c: 1\n',
  '{"json": [1, 2.5, -3, 1e3, true, null, "s"], "n": {"m": {}}, "e": []}',
  '[a, b, [c, d], {e: f}]',
  'x: 0o17\ny: 0x1F\nz: +5\nw: .5\nv: 1.\nu: .inf\nt: -.Inf\ns: .nan\nr: True\nq: NULL\np: 1e3\no: 012\n',
  'url: http://example.com:8080/a#b\nt: a:b\nip: ::1\n',
  'k: "a # not comment"\nl: a#b\n',
  '---\na: 1\n',
  '--- # c\na: 1\n',
  'a:\n  b:\n    c:\n      d: deep\n  e: back\n',
  'a: [\n  1,\n  2,\n]\n',
  'a: {x: 1,\n  y: 2}\n',
  'key with spaces: v\n"quoted key": 1\n\'single\': 2\n',
  'a: -1\nb: - not a list\n',
  'a: &anchor 1\nb: *anchor\n',
  'a: !!str 1\n',
  '? complex\n: value\n',
  'a: 1\na: 2\n',
  'a:\tb\n',
  '\ta: 1\n',
  'a: "unterminated\n',
  'k: [a, b\n',
  'k:\n  - a\n - b\n',
  'a: b: c\n',
  '- a\nb: 1\n',
  'k: "\\q"\n',
  'annotations:\n  k8s.v1.cni.cncf.io/networks: \'[{"name": "a", "ips": ["10.0.0.1/24"]}]\'\n',
  'config: |\n  {\n    "a": 1\n  }\n',
]

function yamlValue(text: string): {value: unknown; ok: boolean} {
  const docs = parseAllDocuments(text)
  const list = Array.isArray(docs) ? docs : []
  if (list.length === 0) return {value: undefined, ok: true}
  const d = list[0]
  if (d.errors.length > 0) return {value: undefined, ok: false}
  try {
    return {value: d.toJS({maxAliasCount: 1000}), ok: true}
  } catch {
    return {value: undefined, ok: false}
  }
}

/** The fast parser either gives up or agrees exactly with `yaml`; it never accepts what `yaml` refuses. */
function agree(text: string, label: string): 'same' | 'unsupported' {
  const fast = parseFastYaml(text)
  const ref = yamlValue(text)
  if (fast === UNSUPPORTED) return 'unsupported'
  assert.ok(ref.ok, `${label}: fast parser accepted what yaml refuses:\n${text}`)
  assert.deepEqual(fast ?? null, ref.value ?? null, `${label}:\n${text}`)
  return 'same'
}

test('handwritten documents: the fast parser agrees with yaml or leaves them to it', () => {
  let same = 0
  for (const [i, text] of HANDWRITTEN.entries()) if (agree(text, `case ${i}`) === 'same') same++
  assert.ok(same >= 25, `only ${same} handled by the fast parser`)
})

test('the example manifests and test fixtures: all parsed by the fast parser, identically', () => {
  const files = [...readdirSync('examples/multus').map((f) => `examples/multus/${f}`), ...readdirSync('test/fixtures/validation/seed').map((f) => `test/fixtures/validation/seed/${f}`)]
  for (const f of files) {
    if (f.endsWith('-raw.yaml')) continue
    for (const seg of splitText(readFileSync(f, 'utf8'))) assert.equal(agree(seg.text, f), 'same', f)
  }
})

const WORDS = ['a', 'name', 'k8s.v1.cni.cncf.io/networks', 'with space', 'x:y', '#hash', 'it\'s', 'quote"d', '-dash', 'true', 'null', '123', '1.5', 'é', 'tab\there', 'line\nbreak', '  lead', 'trail  ', '', '{', '[x]', 'a: b', 'a #b', '*star', '&amp', '!bang', '%pct', '@at', '`tick', '|pipe', '>gt', '? q', '- d', '\\back']

function randomValue(r: () => number, depth: number): unknown {
  const pick = r()
  if (depth > 3 || pick < 0.45) {
    const k = r()
    if (k < 0.5) return WORDS[Math.floor(r() * WORDS.length)] + (r() < 0.3 ? WORDS[Math.floor(r() * WORDS.length)] : '')
    if (k < 0.65) return Math.floor(r() * 2000) - 1000
    if (k < 0.75) return Math.round(r() * 1e4) / 100
    if (k < 0.85) return r() < 0.5
    if (k < 0.9) return null
    return Array.from({length: 1 + Math.floor(r() * 4)}, () => WORDS[Math.floor(r() * WORDS.length)]).join(r() < 0.5 ? '\n' : ' ')
  }
  if (pick < 0.7) return Array.from({length: Math.floor(r() * 4)}, () => randomValue(r, depth + 1))
  const o: Record<string, unknown> = {}
  for (let i = Math.floor(r() * 5); i > 0; i--) o[WORDS[Math.floor(r() * WORDS.length)] + (r() < 0.5 ? '' : String(i))] = randomValue(r, depth + 1)
  return o
}

test('random documents in every style yaml writes: same values (seeded, deterministic)', () => {
  const r = prng(20260601)
  const styles = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const
  let same = 0
  let total = 0
  for (let i = 0; i < 1500; i++) {
    const value = {root: randomValue(r, 0), list: [randomValue(r, 1)]}
    const text = stringify(value, {
      defaultStringType: styles[Math.floor(r() * styles.length)],
      defaultKeyType: r() < 0.8 ? 'PLAIN' : 'QUOTE_DOUBLE',
      indent: 2 + Math.floor(r() * 3),
      indentSeq: r() < 0.5,
      lineWidth: r() < 0.3 ? 20 : 80,
      minContentWidth: 10,
      flowCollectionPadding: r() < 0.5,
      collectionStyle: r() < 0.2 ? 'flow' : 'any',
    })
    total++
    if (agree(text, `random ${i}`) === 'same') same++
  }
  // Most of what yaml writes is in the fast subset (the rest goes to yaml itself).
  assert.ok(same / total > 0.8, `only ${same} of ${total} handled by the fast parser`)
})

/** Every leaf scalar's start, as `yaml` places it. */
function yamlLeafStarts(text: string): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (node: Node | null | undefined, ptr: string) => {
    if (isMap(node)) for (const p of node.items) walk(p.value as Node, `${ptr}/${String((p.key as {value?: unknown})?.value).replaceAll('~', '~0').replaceAll('/', '~1')}`)
    else if (isSeq(node)) node.items.forEach((n, i) => walk(n as Node, `${ptr}/${i}`))
    else if (isScalar(node) && node.range && node.value !== null) out.set(ptr, node.range[0])
  }
  walk(parseDocument(text).contents as Node, '')
  return out
}

test('positions: every scalar starts where yaml says, and each decoded character maps to its source', () => {
  const r = prng(7)
  const styles = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const
  let checkedChars = 0
  for (let i = 0; i < 400; i++) {
    const text = stringify({root: randomValue(r, 0)}, {defaultStringType: styles[i % styles.length], lineWidth: i % 2 ? 20 : 80, minContentWidth: 10})
    const positions: PositionMap = new Map()
    if (parseFastYaml(text, 0, positions) === UNSUPPORTED) continue
    for (const [ptr, start] of yamlLeafStarts(text)) {
      const info = positions.get(ptr)
      assert.ok(info, `no position for ${ptr} in\n${text}`)
      assert.equal(info.start, start, `${ptr} in\n${text}`)
      if (info.style === 'block-map' || info.style === 'block-seq' || info.style === 'flow-map' || info.style === 'flow-seq') continue
      const {value, map} = scalarOffsets(text, info.start, info.end, info.style, info.indent)
      for (let k = 0; k < value.length; k++) {
        const src = text[map[k]]
        // A decoded character is its source character, or comes from folding, an escape or a quote pair.
        const ok = src === value[k] || value[k] === ' ' || value[k] === '\n' || src === '\\' || src === "'" || src === '\n'
        assert.ok(ok, `${ptr}[${k}] ${JSON.stringify(value[k])} maps to ${JSON.stringify(src)} in\n${text}`)
        checkedChars++
      }
    }
  }
  assert.ok(checkedChars > 1000)
})

test('read.ts: locate and locateInString agree between the fast path and the yaml fallback', () => {
  // The same document, once in the fast subset and once with an anchor that forces the fallback.
  const body = "spec:\n  config: '{\n    \"a\": 1,\n    \"b\": 2 \"c\": 3\n    }'\n  other: [x, y]\n"
  const fast = [...parseManifestText(`kind: X\n${body}`, 'f')][0]
  const slow = [...parseManifestText(`kind: &k X\n${body}`, 'f')][0]
  for (const doc of [fast, slow]) {
    assert.deepEqual(doc.locate('/spec/other/1'), {line: 7, column: 14})
    assert.deepEqual(doc.locateKey!('/spec/other'), {line: 7, column: 3})
    const config = (doc.object as {spec: {config: string}}).spec.config
    assert.deepEqual(doc.locateInString!('/spec/config', config.indexOf('"c"')), {line: 5, column: 12})
  }
})

test('the splitter cuts documents where yaml does, whatever the chunk boundaries', async () => {
  const {splitChunks} = await import('../../src/manifests/split.js')
  const texts = [
    'a: 1\n---\nb: 2\n...\n---\nc: "---"\n--- \nd: |\n  ----\n  ---x\n---\n',
    '# only a comment\n---\n---\n',
    'a: 1\n...\n# x\nb: 2\n',
    '%YAML 1.2\n---\na: 1\n',
    '----\na: 1\n---x: 2\n',
    '\ufeffa: é\n---\nb: 😀\n',
  ]
  for (const text of texts) {
    const whole = [...splitText(text)].map((s) => [s.index, s.line, s.text])
    const bytes = Buffer.from(text.replace(/^\ufeff/, ''), 'utf8')
    for (let size = 1; size <= 9; size++) {
      const chunks = (async function* () {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
      })()
      const cut: unknown[] = []
      for await (const batch of splitChunks(chunks)) for (const s of batch) {
        assert.deepEqual(s.problems, [], `${JSON.stringify(text)} at chunk size ${size}`)
        cut.push([s.index, s.line, s.text])
      }
      assert.deepEqual(cut, whole, `${JSON.stringify(text)} at chunk size ${size}`)
    }
    // Document indexes and contents as yaml counts them.
    const docs = parseAllDocuments(text)
    const ours = [...splitText(text)]
    assert.equal(ours.length, (Array.isArray(docs) ? docs : []).length, JSON.stringify(text))
    ours.forEach((s, i) => {
      const v = parseFastYaml(s.text)
      if (v !== UNSUPPORTED) assert.deepEqual(v ?? null, (docs as ReturnType<typeof parseAllDocuments> & unknown[])[i].toJS() ?? null)
    })
  }
})
