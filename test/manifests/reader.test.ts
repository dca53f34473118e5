import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {decodeYaml, positionMap, resolveGoPlain} from '../../src/core/goyaml.js'
import {parseManifestText, readManifestBatches} from '../../src/manifests/read.js'
import {splitChunks, splitText} from '../../src/manifests/split.js'
import {xctl} from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'xctl-reader-'))
const one = (text: string) => [...parseManifestText(text, 'f.yaml')][0]

test("the seed NAD as people paste it (closing }' under config:) validates clean", async () => {
  const r = await xctl(['validate', '-f', 'test/manifests/fixtures/seed-nad-pasted.yaml'])
  assert.equal(r.stderr, '')
  assert.equal(r.code, 0, r.stdout)
})

test("positions survive continuation lines at the key's column: locate, locateKey, locateInString", () => {
  const text = 'apiVersion: v1\nkind: X\nspec:\n  config: \'{\n  "a": 1,\n  "b": 2 "c": 3\n}\'\n  other: [x, y]\n'
  const doc = one(text)
  assert.deepEqual(doc.errors, [])
  assert.deepEqual(doc.locate('/spec/other/1'), {line: 8, column: 14})
  assert.deepEqual(doc.locateKey!('/spec/other'), {line: 8, column: 3})
  assert.deepEqual(doc.locate('/spec/config'), {line: 4, column: 11})
  const config = (doc.object as {spec: {config: string}}).spec.config
  assert.equal(config, '{ "a": 1, "b": 2 "c": 3 }')
  assert.deepEqual(doc.locateInString!('/spec/config', config.indexOf('"c"')), {line: 6, column: 10})
})

test('a position for every value, including keys of flow maps, sequences and block scalars', () => {
  const text = 'a:\n  b: [1, {c: d}]\n  e: |\n    text\n  f:\n  g: "q"\n'
  const map = positionMap(text)
  const at = (p: string) => map.get(p)?.start
  assert.equal(at('/a/b/1/c'), text.indexOf('d}'))
  assert.equal(at('/a/e'), text.indexOf('|'))
  assert.equal(map.get('/a/e')?.style, 'literal')
  assert.equal(at('/a/f'), text.indexOf('f:'))
  assert.equal(map.get('/a/g')?.key, text.indexOf('g:'))
})

test('a real unclosed quote is reported where it opened; closed multi-line strings are not', () => {
  const bad = one('apiVersion: v1\nkind: X\nspec:\n  config: \'{\n  "a": 1\n  }\n')
  assert.equal(bad.errors.length, 1)
  assert.match(
    bad.errors[0].message,
    /Missing closing 'quote: the single-quoted string that starts here is never closed/,
  )
  assert.deepEqual({line: bad.errors[0].line, column: bad.errors[0].column}, {line: 4, column: 11})
  const good = one("kind: X\na: 'it''s\n\n  fine'\nb: \"x\n y\"\n")
  assert.deepEqual(good.errors, [])
  assert.deepEqual(good.object, {kind: 'X', a: "it's\nfine", b: 'x y'})
})

test('anchors stay linear: one &anchor and 80k keys in a 1 MB file', () => {
  let text = 'kind: ConfigMap\ndata:\n  first: &a "x"\n'
  for (let i = 0; text.length < 1 << 20; i++) text += `  key${i}: value-${i}\n`
  text += '  last: *a\n'
  const started = Date.now()
  const doc = one(text)
  assert.deepEqual(doc.errors, [])
  assert.equal((doc.object as {data: Record<string, string>}).data.last, 'x')
  assert.ok(Object.keys((doc.object as {data: object}).data).length > 40_000)
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
})

test('aliases are copied, so changing one place of the result does not change another', () => {
  const v = decodeYaml('a: &x {k: 1}\nb: *x\n') as {a: {k: number}; b: {k: number}}
  v.a.k = 2
  assert.equal(v.b.k, 1)
})

test('plain scalars resolve as go-yaml v2 resolves them', () => {
  const cases: Array<[string, unknown]> = [
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['yES', 'yES'],
    ['y', true],
    ['N', false],
    ['on', true],
    ['Off', false],
    ['true', true],
    ['tRUE', 'tRUE'],
    ['~', null],
    ['Null', null],
    ['nULL', 'nULL'],
    ['0400', 256],
    ['0o17', 15],
    ['0b1010', 10],
    ['-0b101', -5],
    ['0x1F', 31],
    ['0x_1F', 31],
    ['1_000', 1000],
    ['08', 8],
    ['09.5', 9.5],
    ['1.', 1],
    ['.5', 0.5],
    ['+.5', 0.5],
    ['1e3', 1000],
    ['1e400', '1e400'],
    ['0x', '0x'],
    ['2001-12-14', '2001-12-14'],
    ['190:20:30', '190:20:30'],
    ['-0', 0],
    ['+12', 12],
    ['1_000.5', 1000.5],
    ['.inf', Number.POSITIVE_INFINITY],
  ]
  for (const [text, want] of cases) {
    const got = resolveGoPlain(text)
    assert.deepEqual(typeof got === 'symbol' ? text : got, want, text)
  }
  assert.equal(typeof resolveGoPlain('hello'), 'symbol')
})

test("only a line that starts with --- splits, and kubectl's rule for what may follow it holds", () => {
  const segments = [...splitText('a: 1\n--- # ok\nb: 2\n---x\nc: 3\n--- {d: 4}\n')]
  assert.deepEqual(
    segments.map((s) => s.problems.map((p) => p.message)),
    [
      [],
      [],
      ['invalid Yaml document separator: x (kubectl allows only a comment after ---)'],
      ['invalid Yaml document separator: {d: 4} (kubectl allows only a comment after ---)'],
    ],
  )
})

test('the splitter cuts the same documents whatever the chunk boundaries', async () => {
  const text = 'a: 1\n---\nb: 2\n...\nignored: 1\n---\nc: "---"\n--- \nd: |\n  ----\n  ---x\n---\n\ufeffe: é😀\n'
  const whole = [...splitText(text)].map((s) => [s.index, s.line, s.text])
  const bytes = Buffer.from(text, 'utf8')
  for (let size = 1; size <= 9; size++) {
    const chunks = (async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
    })()
    const cut: unknown[] = []
    for await (const batch of splitChunks(chunks)) for (const s of batch) cut.push([s.index, s.line, s.text])
    assert.deepEqual(cut, whole, `chunk size ${size}`)
  }
})

test('invalid UTF-8 is found and pointed at whatever the chunk boundaries, also as the last byte', async () => {
  const inputs = [
    Buffer.from([...Buffer.from('a: 1\nb: x'), 0xf0, 0x80, ...Buffer.from('yz\n')]),
    Buffer.from([...Buffer.from('---\nkind: X\nname: '), 0xff]),
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('a: '), 0xc3, ...Buffer.from('\n')]),
  ]
  for (const bytes of inputs) {
    for (let size = 1; size <= 9; size++) {
      const chunks = (async function* () {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
      })()
      const found: Array<[string, string]> = []
      for await (const batch of splitChunks(chunks))
        for (const s of batch)
          for (const p of s.problems) if (p.kind === 'invalid-utf8') found.push([s.text[p.offset], s.text.slice(0, 3)])
      // One problem, at the replacement character the bad bytes decode to; the byte-order mark is dropped.
      assert.equal(found.length, 1, `chunk size ${size}`)
      assert.equal(found[0][0], '\ufffd', `chunk size ${size}`)
      assert.notEqual(found[0][1][0], '\ufeff')
    }
  }
})

test('a JSON stream and a UTF-16 file are read as kubectl reads them, from a file', async () => {
  const json = join(dir, 'stream.json')
  writeFileSync(json, '{"kind": "A", "n": 1}\n{"kind": "B"}{"kind": "C", "s": "}{"}\n')
  const kinds: unknown[] = []
  for await (const batch of readManifestBatches(json))
    for (const d of batch) kinds.push([(d.object as {kind: string}).kind, d.position.line])
  assert.deepEqual(kinds, [
    ['A', 1],
    ['B', 2],
    ['C', 2],
  ])
  const utf16 = join(dir, 'utf16.yaml')
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: X\nname: é\n', 'utf16le')]))
  const docs = []
  for await (const batch of readManifestBatches(utf16)) docs.push(...batch)
  assert.deepEqual(
    docs.map((d) => d.object),
    [{kind: 'X', name: 'é'}],
  )
})

test('get --local refuses a document without kind, as kubectl does, instead of skipping it', async () => {
  const file = join(dir, 'nokind.yaml')
  writeFileSync(
    file,
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\n---\napiVersion: v1\nmetadata:\n  name: b\n',
  )
  const r = await xctl(['get', 'nad', '--local', '-f', file])
  assert.notEqual(r.code, 0)
  assert.match(
    r.stderr,
    /nokind\.yaml:6:1: Object 'Kind' is missing in '\{"apiVersion":"v1","metadata":\{"name":"b"\}\}'/,
  )
  const labels = join(dir, 'label.yaml')
  writeFileSync(
    labels,
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\n  labels:\n    enabled: yes\n',
  )
  const l = await xctl(['get', 'nad', '--local', '-f', labels])
  assert.notEqual(l.code, 0)
  assert.match(
    l.stderr,
    /label\.yaml:6:14: json: cannot unmarshal bool into Go struct field ObjectMeta\.metadata\.labels of type string/,
  )
})

// kubectl (v1.32) on `kind: List` with `items: [null]`: "Object 'Kind' is missing in 'object has no kind field '"
// (Go decodes the null into a map without error); xctl said "cannot unmarshal object", a type error Go never makes.
test('get --local refuses a null List item as kubectl does: it has no kind', async () => {
  const file = join(dir, 'null-item.yaml')
  writeFileSync(file, 'apiVersion: v1\nkind: List\nitems:\n- null\n')
  const r = await xctl(['get', 'nad', '--local', '-f', file])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /null-item\.yaml:\d+:\d+: Object 'Kind' is missing in 'null'/)
  assert.doesNotMatch(r.stderr, /cannot unmarshal/)
})

// kubectl (v1.32) quotes the document as json.Marshal writes it: keys in code point order, <, > and & escaped.
test('the document quoted in "Object \'Kind\' is missing" is the JSON kubectl shows', async () => {
  const file = join(dir, 'no-kind-quoted.yaml')
  writeFileSync(
    file,
    'apiVersion: v1\nmetadata:\n  name: "a<b>&c"\n  labels:\n    "\\ue000": x\n    "\\U0001F600": z\n',
  )
  const r = await xctl(['get', 'nad', '--local', '-f', file])
  assert.notEqual(r.code, 0)
  assert.ok(
    r.stderr.includes(
      `Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"labels":{"\ue000":"x","\u{1F600}":"z"},"name":"a\\u003cb\\u003e\\u0026c"}}'`,
    ),
    r.stderr,
  )
})

test('a flow mapping that is a block sequence entry has positions for its members', () => {
  const doc = one('spec:\n  headers:\n  - {header: X-Team, operator: Equals, values: [a]}\n')
  assert.deepEqual(doc.locate('/spec/headers/0'), {line: 3, column: 5})
  assert.deepEqual(doc.locate('/spec/headers/0/operator'), {line: 3, column: 32})
  assert.deepEqual(doc.locate('/spec/headers/0/values/0'), {line: 3, column: 49})
})
