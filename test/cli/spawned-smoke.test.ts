import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {ROOT, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/**
 * Most CLI tests run the commands in-process (test/helpers/cli.ts); these run each command once as its own
 * process, as a user does: bin/run.js, its fast paths, the exit code the process ends with, stdin from a pipe.
 */
const LOCAL = ['--local', '-f', 'examples/multus']
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}
const POOL = (disabled: boolean) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: smoke-pool}
spec: {cidr: 10.20.0.0/16, disabled: ${disabled}}
`
const spawned = (args: string[], options: Parameters<typeof xctl>[1] = {}) => xctl(args, {...options, spawned: true})

let c: TestCluster
before(async () => {
  c = await startCluster({objects: exampleObjects()})
})
after(() => c.server.close())

test('get (fast path and oclif), eval and describe, offline', async () => {
  for (const env of [MULTUS, {...MULTUS, XCTL_NO_FAST_PATH: '1'}]) {
    const r = await spawned(['get', 'wep', '-o', 'name', ...LOCAL], {env})
    assert.equal(r.code, 0, r.stderr)
    // multus-test-pod-1's four interfaces (namespace default).
    assert.equal(r.stdout.trim().split('\n').length, 4)
  }
  const missing = await spawned(['get', 'wep', 'nope', ...LOCAL])
  assert.equal(missing.code, 1)
  const selected = await spawned(['eval', "projectcalico.org/network-interface == 'net1'", '-A', ...LOCAL], {
    env: MULTUS,
  })
  assert.equal(selected.code, 0, selected.stderr)
  assert.match(selected.stdout, /^default +multus-test-pod-1 .* 10.0.0.5\/32 /m)
  const described = await spawned(['describe', 'wep', 'multus-test-pod-1', '-n', 'default', ...LOCAL], {env: MULTUS})
  assert.equal(described.code, 0, described.stderr)
  assert.match(described.stdout, /^Pod:\s+multus-test-pod-1$/m)
})

test('validate reads stdin and exits 1 on findings (fast path), 2 on usage', async () => {
  const ok = await spawned(['validate', '-f', '-'], {input: POOL(false)})
  assert.equal(ok.code, 0, ok.stderr)
  const broken = await spawned(['validate', '-f', '-'], {input: 'kind: IPPool\napiVersion: projectcalico.org/v3\n'})
  assert.equal(broken.code, 1)
  const usage = await spawned(['validate'])
  assert.equal(usage.code, 2)
})

test('apply, create, replace, label, patch and delete against the test API server', async () => {
  const env = c.env
  const create = await spawned(['create', '-f', '-'], {env, input: POOL(false)})
  assert.equal(create.code, 0, create.stderr)
  assert.match(create.stdout, /^ippool.projectcalico.org\/smoke-pool created$/m)
  const replace = await spawned(['replace', '-f', '-'], {env, input: POOL(true)})
  assert.equal(replace.code, 0, replace.stderr)
  const apply = await spawned(['apply', '-f', '-'], {env, input: POOL(false)})
  assert.equal(apply.code, 0, apply.stderr)
  const label = await spawned(['label', 'ippool', 'smoke-pool', 'team=net'], {env})
  assert.equal(label.code, 0, label.stderr)
  const patch = await spawned(['patch', 'ippool', 'smoke-pool', '-p', '{"spec":{"disabled":true}}'], {env})
  assert.equal(patch.code, 0, patch.stderr)
  const got = await spawned(['get', 'ippool', 'smoke-pool', '-o', 'json'], {env})
  assert.equal(got.code, 0, got.stderr)
  const pool = JSON.parse(got.stdout)
  assert.equal(pool.metadata.labels.team, 'net')
  assert.equal(pool.spec.disabled, true)
  const deleted = await spawned(['delete', 'ippool', 'smoke-pool'], {env})
  assert.equal(deleted.code, 0, deleted.stderr)
  const again = await spawned(['delete', 'ippool', 'smoke-pool'], {env})
  assert.equal(again.code, 1)
})

test('version (cluster and --client), --version, help and an unknown command', async () => {
  const version = await spawned(['version'], {env: c.env})
  assert.equal(version.code, 0, version.stderr)
  assert.match(version.stdout, /^Client Version:/m)
  const client = await spawned(['version', '--client'])
  assert.equal(client.code, 0, client.stderr)
  const fast = await spawned(['--version'])
  assert.match(fast.stdout, /^xctl\/0\.1\.0 /)
  const help = await spawned(['--help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /COMMANDS/)
  const unknown = await spawned(['frobnicate'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /unknown command "frobnicate"/)
})

test('bin/kubectl-xctl runs as a kubectl plugin', async () => {
  const r = await xctl(['get', 'nad', '-A', ...LOCAL], {bin: join(ROOT, 'bin/kubectl-xctl.js')})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /additional-calico-network/)
  const usage = await xctl(['get', 'wep', '--bogus'], {bin: join(ROOT, 'bin/kubectl-xctl.js')})
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /See 'kubectl xctl get --help'/)
})
