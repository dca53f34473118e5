import {test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'

test('a mistyped command gets kubectl\'s "unknown command" and a "Did you mean", exit 2, never oclif\'s topic', async () => {
  for (const [typed, meant] of [
    [['gett', 'wep'], 'get'],
    [['aply', '-f', 'x.yaml'], 'apply'],
    [['lable', 'np', 'x', 'a=b'], 'label'],
    [['valdiate', '-f', 'x'], 'validate'],
  ] as const) {
    const r = await xctl([...typed])
    assert.equal(r.code, 2, r.stderr)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, new RegExp(`^error: unknown command "${typed[0]}" for "xctl"\\nDid you mean ${meant}\\?\\n`))
    assert.doesNotMatch(r.stderr, /:wep|not found/)
  }
  const far = await xctl(['zzzzzz'])
  assert.equal(far.code, 2)
  assert.doesNotMatch(far.stderr, /Did you mean/)
})

test('a mistyped kind names the nearest one, before any cluster is contacted (exit 2)', async () => {
  for (const [args, meant] of [
    [['get', 'wepp'], 'wep'],
    [['get', 'wep,nadd'], 'nad'],
    [['get', 'gnpp/x'], 'gnp'],
    [['get', 'tierss', '--local', '-f', 'examples/multus'], 'tiers'],
  ] as const) {
    const r = await xctl([...args], {env: {KUBECONFIG: '/nonexistent'}})
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, new RegExp(`is not supported\\. Did you mean ${meant}\\?`))
  }
})
