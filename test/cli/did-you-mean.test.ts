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

test('a mistyped topic or subcommand gets the nearest one (`ipam sho` -> `ipam show`), exit 2', async () => {
  for (const [typed, word, command, meant] of [
    [['ipam', 'sho'], 'sho', 'xctl ipam', 'ipam show'],
    [['ipam', 'shwo', '--show-blocks'], 'shwo', 'xctl ipam', 'ipam show'],
    [['-n', 'default', 'ipam', 'sohw'], 'sohw', 'xctl ipam', 'ipam show'],
    [['ipm', 'show'], 'ipm', 'xctl', 'ipam'],
  ] as const) {
    const r = await xctl([...typed])
    assert.equal(r.code, 2, r.stderr)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `error: unknown command "${word}" for "${command}"\nDid you mean ${meant}?\nSee '${command} --help' for the list of commands.\n`,
    )
  }
  const hidden = await xctl(['_complete'])
  assert.equal(hidden.code, 2)
  assert.doesNotMatch(hidden.stderr, /Did you mean/)
  const far = await xctl(['ipam', 'zzzzzz'])
  assert.equal(far.code, 2)
  assert.equal(
    far.stderr,
    `error: unknown command "zzzzzz" for "xctl ipam"\nSee 'xctl ipam --help' for the list of commands.\n`,
  )
  const topic = await xctl(['ipam'])
  assert.equal(topic.code, 0, topic.stderr)
  assert.match(topic.stdout, /\n {2}ipam show {2}Show Calico IPAM/)
})
