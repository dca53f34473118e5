/**
 * The in-place edits (src/apply/edit.ts, patch.ts): `label`'s argument grammar and --overwrite, `patch`'s three types
 * (RFC 7386 merge patch, RFC 6902 JSON patch, and kubectl's default strategic, which for custom resources merges as
 * a merge patch does), and the words each write reports (src/apply/run.ts).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {labelEdit, parseLabelArgs, patchEdit} from '../../src/apply/edit.js'
import {applyJsonPatch, mergePatch} from '../../src/apply/patch.js'
import {renamed, summarize} from '../../src/apply/run.js'
import {ExitCode, ResourceError, UsageError} from '../../src/core/errors.js'
import type {KubeObject} from '../../src/kube/types.js'

const labeled = (labels: Record<string, string>): KubeObject => ({metadata: {name: 'x', labels}, spec: {a: 1}})

describe('label', () => {
  it("kubectl's grammar: KEY=VALUE sets, KEY- removes, anything else is an object name", () => {
    assert.deepEqual(parseLabelArgs(['web', 'app=web', 'tier-', 'db', 'empty=']), {
      names: ['web', 'db'],
      set: {app: 'web', empty: ''},
      remove: ['tier'],
    })
    assert.throws(() => parseLabelArgs(['web']), {message: 'at least one label update is required', exitCode: 2})
    assert.throws(() => parseLabelArgs(['web', '=x']), {message: 'invalid label spec: =x'})
    assert.throws(() => parseLabelArgs(['web', 'app=a', 'app-']), {
      message: 'can not both modify and remove the following label(s) in the same command: app',
    })
  })

  it('an existing different value needs --overwrite; the same value or a new key does not', () => {
    const o = labeled({app: 'web', tier: 'front'})
    assert.throws(
      () => labelEdit({set: {app: 'db'}, remove: [], overwrite: false})(o),
      (e: unknown) =>
        e instanceof ResourceError && e.message === "'app' already has a value (web), and --overwrite is false",
    )
    assert.deepEqual(labelEdit({set: {app: 'db'}, remove: ['tier'], overwrite: true})(o).metadata.labels, {app: 'db'})
    assert.deepEqual(labelEdit({set: {app: 'web', new: 'x'}, remove: [], overwrite: false})(o).metadata.labels, {
      app: 'web',
      tier: 'front',
      new: 'x',
    })
    // The input object is left as it was.
    assert.deepEqual(o.metadata.labels, {app: 'web', tier: 'front'})
  })
})

describe('patch', () => {
  it('merge patch (RFC 7386): maps merge, null removes, lists and scalars replace', () => {
    assert.deepEqual(mergePatch({a: {b: 1, c: 2}, l: [1, 2], s: 'x'}, {a: {b: null, d: 3}, l: [3], s: 'y'}), {
      a: {c: 2, d: 3},
      l: [3],
      s: 'y',
    })
    assert.deepEqual(mergePatch('scalar', {a: 1}), {a: 1})
    assert.deepEqual(mergePatch({a: 1}, [1]), [1])
  })

  it('JSON patch (RFC 6902): every op, ~1 and ~0 escapes, the document left untouched', () => {
    const doc = {metadata: {labels: {'a/b': '1', 'c~d': '2'}}, spec: {list: [1, 2, 3]}}
    const out = applyJsonPatch(doc, [
      {op: 'remove', path: '/metadata/labels/a~1b'},
      {op: 'replace', path: '/metadata/labels/c~0d', value: '3'},
      {op: 'add', path: '/spec/list/-', value: 4},
      {op: 'add', path: '/spec/list/0', value: 0},
      {op: 'move', from: '/spec/list/1', path: '/spec/first'},
      {op: 'copy', from: '/spec/first', path: '/spec/copy'},
      {op: 'test', path: '/spec/copy', value: 1},
    ])
    assert.deepEqual(out, {metadata: {labels: {'c~d': '3'}}, spec: {list: [0, 2, 3, 4], first: 1, copy: 1}})
    assert.deepEqual(doc.spec.list, [1, 2, 3])
  })

  it('JSON patch failures name the operation and path (exit 1)', () => {
    const fails = (ops: unknown[], message: string) =>
      assert.throws(
        () => applyJsonPatch({spec: {list: [1]}}, ops),
        (e: unknown) => e instanceof ResourceError && e.exitCode === ExitCode.resource && e.message === message,
      )
    fails([{op: 'replace', path: '/spec/missing', value: 1}], 'json patch operation 0: /spec/missing does not exist')
    fails([{op: 'add', path: '/spec/list/5', value: 1}], 'json patch operation 0: index 5 is out of range')
    fails([{op: 'test', path: '/spec/list/0', value: 2}], 'json patch operation 0: test failed at /spec/list/0')
    fails([{op: 'add', path: 'spec', value: 1}], 'json patch operation 0: path "spec" is not a JSON pointer')
    fails([{op: 'frob', path: '/spec'}], 'json patch operation 0: unknown op "frob"')
    fails([{op: 'add', path: '/x/y/z', value: 1}], 'json patch operation 0: /x/y/z does not exist (no x)')
  })

  it('patchEdit: JSON or YAML text; strategic merges as merge does; bad input is a usage error', () => {
    const o = labeled({app: 'web'})
    assert.deepEqual(patchEdit('{"metadata": {"labels": {"app": null, "b": "c"}}}', 'strategic')(o).metadata.labels, {
      b: 'c',
    })
    assert.deepEqual(patchEdit('spec: {a: 2}', 'merge')(o).spec, {a: 2})
    assert.deepEqual(patchEdit('[{"op": "replace", "path": "/spec/a", "value": 3}]', 'json')(o).spec, {a: 3})
    for (const [text, type, message] of [
      ['{}', 'apply', /--type must be one of \[json merge strategic\]/],
      ['{"op": "add"}', 'json', /a json patch must be a list of operations/],
      ['[1]', 'merge', /a merge patch must be a mapping/],
      ['{unclosed', 'merge', /^unable to parse "\{unclosed"/],
    ] as const)
      assert.throws(
        () => patchEdit(text, type),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      )
  })
})

describe("what each write reports (kubectl's words)", () => {
  it('renamed: replace, label, unlabel and patch have their own words for an update', () => {
    const word = (outcome: 'configured' | 'unchanged' | 'created', verb: Parameters<typeof renamed>[1]) =>
      renamed({ref: 'r', outcome}, verb).outcome
    assert.equal(word('configured', 'apply'), 'configured')
    assert.equal(word('configured', 'replace'), 'replaced')
    assert.equal(word('unchanged', 'replace'), 'replaced')
    assert.equal(word('configured', 'label'), 'labeled')
    assert.equal(word('unchanged', 'label'), 'not labeled')
    assert.equal(word('configured', 'unlabel'), 'unlabeled')
    assert.equal(word('configured', 'patch'), 'patched')
    assert.equal(word('unchanged', 'patch'), 'patched (no change)')
    assert.equal(word('created', 'create'), 'created')
  })

  it('summarize: counts by outcome, and what an interrupt left out', () => {
    assert.equal(
      summarize({
        results: [
          {ref: 'a', outcome: 'created'},
          {ref: 'b', outcome: 'created'},
          {ref: 'c', outcome: 'failed', message: 'x'},
        ],
        notAttempted: ['d'],
        exitCode: 1,
      }),
      '4 object(s): 2 created, 1 failed, 1 not attempted (interrupted)',
    )
    assert.equal(summarize({results: [], notAttempted: [], exitCode: 0}), '0 object(s): none')
  })
})
