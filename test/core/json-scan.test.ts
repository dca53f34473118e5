import {test} from 'node:test'
import assert from 'node:assert/strict'
import {goQuoteChar, scanJson} from '../../src/core/json-scan.js'
import {prng} from '../helpers/prng.js'

test('errors carry Go encoding/json wording (what Multus prints) and a plain expectation', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      '{"a": 1 "b": 2}',
      `invalid character '"' after object key:value pair`,
      /expected ',' or '\}' after property value 1, found "b"/,
    ],
    ['[1 2]', "invalid character '2' after array element", /expected ',' or '\]' after array element 1, found '2'/],
    ['{"a" 1}', "invalid character '1' after object key", /expected ':' after the property name "a"/],
    [
      '{a: 1}',
      "invalid character 'a' looking for beginning of object key string",
      /property names must be in double quotes: write "a"/,
    ],
    ['{"a": 1,}', "invalid character '}' looking for beginning of object key string", /trailing comma/],
    ['[1,]', "invalid character ']' looking for beginning of value", /trailing comma/],
    ['{"a": tru}', "invalid character '}' in literal true (expecting 'e')", /"tru" is not a JSON value/],
    ['{"a": -x}', "invalid character 'x' in numeric literal", /expected a digit after '-'/],
    ['{"a": 1.}', "invalid character '}' after decimal point in numeric literal", /decimal point/],
    ['{"a": 1e}', "invalid character '}' in exponent of numeric literal", /exponent/],
    ['{"a": "\\q"}', "invalid character 'q' in string escape code", /invalid escape \\q/],
    ['{"a": "x\ny"}', "invalid character '\\n' in string literal", /a line break inside a JSON string/],
    ['{"a": 1} x', "invalid character 'x' after top-level value", /after the end of the JSON value/],
    [
      "{'a': 1}",
      "invalid character '\\'' looking for beginning of object key string",
      /double quotes, not single quotes/,
    ],
    ['{"a": [1, 2}', "invalid character '}' after array element", /expected ',' or '\]'/],
    ['', 'unexpected end of JSON input', /ends where a value was expected/],
  ]
  for (const [text, go, human] of cases) {
    const r = scanJson(text)
    assert.ok(r.errors.length > 0, text)
    assert.equal(r.errors[0].goMessage, go, text)
    assert.match(r.errors[0].message, human, text)
  }
})

test('goQuoteChar quotes like Go', () => {
  assert.equal(goQuoteChar("'"), "'\\''")
  assert.equal(goQuoteChar('"'), `'"'`)
  assert.equal(goQuoteChar('\n'), "'\\n'")
  assert.equal(goQuoteChar('x'), "'x'")
})

test('recovery: every missing comma is reported, then the unclosed brackets with their pointers', () => {
  const text = '{"a": {"b": 1 "c": 2 "d": {"e": 3'
  const r = scanJson(text)
  assert.deepEqual(
    r.errors.map((e) => e.offset),
    [text.indexOf('"c"'), text.indexOf('"d"'), text.length],
  )
  assert.deepEqual(r.errors[2].unclosed, [
    {offset: 0, pointer: ''},
    {offset: 6, pointer: '/a'},
    {offset: text.indexOf('{"e"'), pointer: '/a/d'},
  ])
})

test('duplicate keys and positions', () => {
  const text = '{"a": 1, "b": {"x": [10, {"y": "z"}]}, "a": 2}'
  const r = scanJson(text, {positions: true})
  assert.deepEqual(r.duplicates, [{pointer: '/a', key: 'a', offset: text.lastIndexOf('"a"'), firstOffset: 1}])
  assert.deepEqual(r.positions!.get('/b/x/1/y'), {key: text.indexOf('"y"'), value: text.indexOf('"z"')})
  assert.deepEqual(r.positions!.get('/b/x/0'), {key: undefined, value: text.indexOf('10')})
  const esc = scanJson('{"a\\/b": 1, "a/b": 2}')
  assert.equal(esc.duplicates[0].pointer, '/a~1b')
})

test('deep nesting is an error, not a stack overflow', () => {
  const r = scanJson('['.repeat(100_000))
  assert.equal(r.errors[0].kind, 'depth')
})

test('fuzz (seeded): the scanner finds an error exactly when JSON.parse refuses the text, and never throws', () => {
  const r = prng(42)
  const atoms = ['0', '-1.5e3', 'true', 'false', 'null', '"s"', '"\\u00e9\\n"', '""', '{}', '[]']
  const gen = (d: number): string => {
    const p = r()
    if (d > 4 || p < 0.4) return atoms[Math.floor(r() * atoms.length)]
    if (p < 0.7) return `[${Array.from({length: Math.floor(r() * 4)}, () => gen(d + 1)).join(', ')}]`
    return `{${Array.from({length: Math.floor(r() * 4)}, (_, i) => `"k${i}${r() < 0.2 ? '' : i}": ${gen(d + 1)}`).join(', ')}}`
  }
  const junk = ['', ',', ':', '"', '{', '}', '[', ']', ' ', '\n', 'x', '\\', '1', 'e', '.', '-', "'", '/', '\u0001']
  const started = Date.now()
  for (let i = 0; i < 20_000; i++) {
    let text = gen(0)
    const edits = Math.floor(r() * 3)
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(r() * (text.length + 1))
      const del = Math.floor(r() * 2)
      text = text.slice(0, at) + junk[Math.floor(r() * junk.length)] + text.slice(at + del)
    }
    let valid = true
    try {
      JSON.parse(text)
    } catch {
      valid = false
    }
    const scan = scanJson(text, {positions: true})
    assert.equal(scan.errors.length === 0, valid, `disagrees on ${JSON.stringify(text)}: ${scan.errors[0]?.message}`)
    for (const e of scan.errors) assert.ok(e.offset >= 0 && e.offset <= text.length)
  }
  assert.ok(Date.now() - started < 5000)
})
