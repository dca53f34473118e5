import {test} from 'node:test'
import assert from 'node:assert/strict'
import {goJson, goJsonType} from '../../src/core/go-json.js'
import {compileTemplate} from '../../src/jsonpath/index.js'

test('goJsonType: the names encoding/json puts in "cannot unmarshal <type>"', () => {
  assert.deepEqual(['s', 1, 1.5, true, [], {}, null].map(goJsonType), [
    'string',
    'number',
    'number',
    'bool',
    'array',
    'object',
    'null',
  ])
})

test('goJson: json.Marshal text, with map keys in code point order and HTML-safe strings', () => {
  const object = {b: [1, 1.5, null, true], a: {'\u{1F600}': 'y', '\ue000': 'x'}, c: '<a&b>\u2028', d: undefined}
  assert.equal(
    goJson(object),
    '{"a":{"\ue000":"x","\u{1F600}":"y"},"b":[1,1.5,null,true],"c":"\\u003ca\\u0026b\\u003e\\u2028"}',
  )
  assert.equal(goJson(Number.NaN), 'null')
})

// kubectl (v1.32) `-o jsonpath='{.metadata.annotations}'` on {"\ud800": "lone"} prints the key as raw U+FFFD.
test('goJson: an unpaired surrogate is the U+FFFD Go decoded it to, not a \\ud800 escape', () => {
  assert.equal(goJson({'\ud800': 'lone'}), '{"\ufffd":"lone"}')
  assert.equal(compileTemplate('{@}').execute({'\ud800': 'lone'}), '{"\ufffd":"lone"}')
})
