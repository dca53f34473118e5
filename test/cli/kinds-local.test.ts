import {test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'

/** The new kinds read from files (--local -f), through the same descriptors as against a cluster. */
const LOCAL = ['--local', '-f', 'test/fixtures/kinds']
const rows = (out: string) => out.trimEnd().split('\n')

test('get reads every new kind from files, with calicoctl columns', async () => {
  const cases: Array<[string[], string[]]> = [
    [
      ['knp', '-A', '-o', 'wide'],
      [
        'NAMESPACE   NAME                         TIER      ORDER   SELECTOR',
        "default     knp.default.allow-partners   default   1000    projectcalico.org/orchestrator == 'k8s' && app == 'multus-test'",
      ],
    ],
    [
      ['stagednetworkpolicies', '-A'],
      ['NAMESPACE   NAME            TIER', 'default     try-deny-net1   default'],
    ],
    [
      ['sknp', '-n', 'default', '-o', 'wide'],
      ['NAMESPACE   NAME      PODSELECTOR', 'default     tighter   app=multus-test'],
    ],
    [['sgnp'], ['NAME             TIER', 'retire-nothing   default']],
    [
      ['networksets', '-A', '-o', 'wide'],
      ['NAMESPACE   NAME           NETS', 'default     partner-nets   198.51.100.0/24'],
    ],
    [
      ['globalnetworkset', '-o', 'wide'],
      ['NAME        NETS', 'blocklist   192.0.2.0/24'],
    ],
  ]
  for (const [args, expected] of cases) {
    const r = await xctl(['get', ...args, ...LOCAL])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(rows(r.stdout), expected, args.join(' '))
  }
})

test('NETS is cut at 80 characters as calicoctl cuts it (joinAndTruncate)', async () => {
  const nets = Array.from({length: 8}, (_, i) => `10.${i}.0.0/16`)
  const input = `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: many}\nspec: {nets: [${nets.join(', ')}]}\n`
  const r = await xctl(['get', 'gnetsets', '-o', 'wide', '--local', '-f', '-'], {input})
  assert.equal(r.code, 0, r.stderr)
  const cell = rows(r.stdout)[1].replace(/^many +/, '')
  assert.equal(cell.length, 80)
  assert.equal(cell, `${nets.join(',').slice(0, 77)}...`)
})

test('knp names: knp.default.<name> or <name>; -o yaml is the converted Calico policy', async () => {
  for (const [kind, name] of [
    ['knp', 'knp.default.allow-partners'],
    ['knp', 'allow-partners'],
    ['networkpolicies.networking.k8s.io', 'allow-partners'],
  ]) {
    const r = await xctl(['get', kind, name, '-n', 'default', '-o', 'yaml', ...LOCAL])
    assert.equal(r.code, 0, r.stderr)
    assert.ok(
      r.stdout.startsWith(
        'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: knp.default.allow-partners\n',
      ),
      r.stdout,
    )
    assert.ok(r.stdout.includes('\n  order: 1000\n'), r.stdout)
    assert.ok(r.stdout.includes('\n      ports:\n      - 6379\n'), r.stdout)
  }
})

test('ns is not a network-set alias (kubectl users mean namespaces)', async () => {
  const r = await xctl(['get', 'ns', ...LOCAL])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /resource type 'ns' is not supported/)
})

test('validate checks the new kinds and passes the Kubernetes NetworkPolicy through', async () => {
  const r = await xctl(['validate', '-f', 'test/fixtures/kinds'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(
    r.stdout,
    /validated 1 NetworkSet, 1 GlobalNetworkSet, 1 StagedNetworkPolicy, 1 StagedKubernetesNetworkPolicy, 1 StagedGlobalNetworkPolicy; 1 of other kinds passed through/,
  )
})
