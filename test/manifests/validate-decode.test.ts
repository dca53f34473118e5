import {test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {check, expectFinding, expectNo} from '../validation/helpers.js'

// What `kubectl apply -f` refuses while decoding must fail `xctl validate` too, in kubectl's words, at the value.

test('a boolean label value (enabled: yes) on a kind without rules is an error, as kubectl refuses it', async () => {
  const r = await check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  labels:\n    enabled: yes\n')
  expectFinding(
    r,
    'metadata/labels',
    6,
    14,
    /^kubectl refuses this document: json: cannot unmarshal bool into Go struct field ObjectMeta\.metadata\.labels of type string \(quote the value/,
  )
  assert.equal(r.code, 1)
})

test('a numeric annotation value on a Pod is an error; the same value quoted is clean', async () => {
  const pod = (value: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    replicas: ${value}\n` +
    'spec:\n  containers: [{name: a, image: nginx}]\n'
  const r = await check(pod('3'))
  expectFinding(
    r,
    'metadata/annotations',
    6,
    15,
    /json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.annotations of type string/,
  )
  assert.equal(r.code, 1)
  const quoted = await check(pod('"3"'))
  expectNo(quoted, 'metadata/annotations')
  assert.equal(quoted.code, 0)
})

test('an octal-looking name (0400 is a number for go-yaml v2) is refused like kubectl refuses it', async () => {
  const r = await check('apiVersion: v1\nkind: Secret\nmetadata:\n  name: 0400\n')
  expectFinding(
    r,
    'input/not-an-object',
    4,
    9,
    /json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.name of type string/,
  )
})

test('a document without kind and a document that is not a mapping are errors, never skipped', async () => {
  const r = await check('apiVersion: v1\nmetadata:\n  name: nokind\n---\n- a\n- b\n')
  expectFinding(r, 'input/missing-kind', 1, 1, /kind is missing/)
  expectFinding(r, 'input/not-an-object', 5, 1, /the document is a list/)
  assert.equal(r.code, 1)
})

test('xctl validate -f: a label kubectl cannot decode fails the run (exit 1) with file:line:col', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  labels:\n    enabled: on\n'
  const r = await xctl(['validate', '-f', '-'], {input: yaml})
  assert.equal(r.code, 1, r.stderr)
  assert.match(
    r.stdout,
    /^<stdin>:6:14: error: kubectl refuses this document: json: cannot unmarshal bool into Go struct field ObjectMeta\.metadata\.labels of type string .*\[metadata\/labels\]$/m,
  )
})
