import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {commandResult} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'
import type {CommandResult, WriteOutcome} from '../../src/cli/result.js'
import {RESULT_NAMES_KEPT, type PrintedKind} from '../../src/cli/session.js'
import type {ValidationSummary} from '../../src/validation/findings.js'

/** Every command's run() returns its exit code and what it printed, as values (src/cli/result.ts). */
const LOCAL = ['--local', '-f', 'examples/multus']
const POOL = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: result-pool}
spec: {cidr: 10.30.0.0/16}
`

let c: TestCluster
before(async () => {
  c = await startCluster({objects: exampleObjects()})
})
after(() => c.server.close())

test('get returns each kind it printed with the names, in the order printed', async () => {
  const r = await commandResult<CommandResult<PrintedKind>>('get', ['wep,nad', '-A', ...LOCAL], {
    env: {MULTI_INTERFACE_MODE: 'multus'},
  })
  assert.equal(r.result.code, 0, r.stderr)
  assert.deepEqual(
    r.result.items.map((k) => [k.kind, k.count, k.names.length]),
    [
      ['WorkloadEndpoint', 8, 8],
      ['NetworkAttachmentDefinition', 1, 1],
    ],
  )
  assert.match(r.result.items[0].names[0], /^default\/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0$/)
  assert.deepEqual(r.result.items[1].names, ['default/additional-calico-network'])
})

test('a long list: the result counts every object but keeps only the first names (memory stays flat)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'xctl-results-')), 'nads.yaml')
  const nad = (i: number) =>
    `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n${i}}\nspec: {config: '{}'}\n`
  writeFileSync(file, Array.from({length: RESULT_NAMES_KEPT + 200}, (_, i) => nad(i)).join('---\n'))
  const r = await commandResult<CommandResult<PrintedKind>>('get', ['nad', '-o', 'name', '--local', '-f', file])
  assert.equal(r.result.code, 0, r.stderr)
  assert.equal(r.stdout.split('\n').filter(Boolean).length, RESULT_NAMES_KEPT + 200)
  const [printed] = r.result.items
  assert.equal(printed.count, RESULT_NAMES_KEPT + 200)
  assert.equal(printed.names.length, RESULT_NAMES_KEPT)
  assert.deepEqual([printed.names[0], printed.names.at(-1)], ['default/n0', `default/n${RESULT_NAMES_KEPT - 1}`])
})

test('a get with a missing name returns code 1 and what did print', async () => {
  const r = await commandResult<CommandResult<PrintedKind>>('get', ['ippool', 'nope', ...LOCAL])
  assert.equal(r.result.code, 1)
  assert.equal(r.code, 1)
  assert.deepEqual(r.result.items, [{kind: 'IPPool', count: 0, names: []}])
})

test('validate returns the summary of its findings', async () => {
  const r = await commandResult<CommandResult<ValidationSummary>>('validate', ['-f', 'examples/multus'])
  assert.equal(r.result.code, 0, r.stderr)
  assert.equal(r.result.items.length, 1)
  assert.equal(r.result.items[0].errors, 0)
  assert.ok(r.result.items[0].warnings > 0)
})

test('apply and delete return one outcome per object', async () => {
  const applied = await commandResult<CommandResult<WriteOutcome>>('apply', ['-f', '-'], {env: c.env, input: POOL})
  assert.equal(applied.result.code, 0, applied.stderr)
  assert.deepEqual(
    applied.result.items.map((o) => [o.ref, o.outcome]),
    [['ippool.projectcalico.org/result-pool', 'created']],
  )
  const deleted = await commandResult<CommandResult<WriteOutcome>>('delete', ['ippool', 'result-pool'], {env: c.env})
  assert.equal(deleted.result.code, 0, deleted.stderr)
  assert.deepEqual(
    deleted.result.items.map((o) => o.outcome),
    ['deleted'],
  )
})

test('version --client returns its report; describe returns its answers', async () => {
  const version = await commandResult<CommandResult<{clientVersion?: string}>>('version', ['--client'])
  assert.equal(version.result.code, 0, version.stderr)
  assert.equal(version.result.items.length, 1)
  const described = await commandResult<CommandResult<unknown>>(
    'describe',
    ['wep', 'multus-test-pod-1', '-n', 'default', ...LOCAL],
    {env: {MULTI_INTERFACE_MODE: 'multus'}},
  )
  assert.equal(described.result.code, 0, described.stderr)
  assert.equal(described.result.items.length, 1)
})

test('in-process runs keep their own environment, input and exit code, even when they overlap', async () => {
  const {xctl} = await import('../helpers/cli.js')
  const args = ['get', 'wep', '-A', '-o', 'name', ...LOCAL]
  const [multus, none, failed, stdin] = await Promise.all([
    xctl(args, {env: {MULTI_INTERFACE_MODE: 'multus'}}),
    xctl(args),
    xctl(['get', 'ippool', 'nope', ...LOCAL]),
    xctl(['validate', '-f', '-'], {input: POOL}),
  ])
  assert.equal(multus.stdout.trim().split('\n').length, 8)
  // Without the mode, one endpoint per pod.
  assert.equal(none.stdout.trim().split('\n').length, 3)
  assert.deepEqual([multus.code, none.code, failed.code, stdin.code], [0, 0, 1, 0])
  assert.match(stdin.stdout, /no problems in 1 resource/)
  assert.equal(process.exitCode ?? 0, 0, "the test process's own exit code is untouched")
})
