import {test} from 'node:test'
import assert from 'node:assert/strict'
import {compareGoStrings, sortedKeys} from '../../src/core/go-strings.js'
import {compileGoTemplate} from '../../src/gotemplate/index.js'
import {compileTemplate} from '../../src/jsonpath/index.js'

const sorted = (keys: string[]) => [...keys].sort(compareGoStrings)

test('compareGoStrings: code point order, where UTF-16 order puts astral characters before U+E000..U+FFFF', () => {
  assert.deepEqual(sorted(['b', 'a', 'ab', '', 'é', 'z']), ['', 'a', 'ab', 'b', 'z', 'é'])
  assert.deepEqual(sorted(['\u{1F600}', '\uffff', '\ue000', '\ud7ff']), ['\ud7ff', '\ue000', '\uffff', '\u{1F600}'])
  assert.deepEqual(sorted(['\u{10001}', '\u{10000}', '\u{1F600}']), ['\u{10000}', '\u{10001}', '\u{1F600}'])
})

// Go's JSON decoder reads an unpaired surrogate as U+FFFD. The copies this replaced disagreed here: the template
// one put '\ud800' before '\ue000', the jsonpath and selector ones put it after '\uffff'.
test('compareGoStrings: an unpaired surrogate sorts as U+FFFD', () => {
  assert.deepEqual(sorted(['\uffff', '\ud800', '\ue000']), ['\ue000', '\ud800', '\uffff'])
  assert.deepEqual(sorted(['\u{10000}', '\ud801x', '\ufffd']), ['\ufffd', '\ud801x', '\u{10000}'])
  assert.equal(compareGoStrings('\ud800', '\ud800\udc00') < 0, true)
})

test('sortedKeys: keys holding undefined are left out', () => {
  assert.deepEqual(sortedKeys({b: 1, a: null, c: undefined}), ['a', 'b'])
})

// What `kubectl label --local -f FILE probe- -o jsonpath=... / -o go-template=...` (v1.32) prints for these keys.
const annotations = {'\ud800': 'lone', '\uffff': 'ffff', '\ue000': 'e000', '\ud801x': 'lonex', '\u{10000}': 'astral'}
const kubectlOrder = ['e000', 'lone', 'lonex', 'ffff', 'astral']

test('jsonpath and go-template range over a map in the order kubectl does', () => {
  const range = compileGoTemplate('{{range $k, $v := .}}{{$v}} {{end}}').execute(annotations)
  assert.equal(range, `${kubectlOrder.join(' ')} `)
  const printed = compileTemplate('{@}').execute(annotations, {allowMissingKeys: true})
  assert.deepEqual(
    [...printed.matchAll(/:"(\w+)"/g)].map((m) => m[1]),
    kubectlOrder,
  )
})
