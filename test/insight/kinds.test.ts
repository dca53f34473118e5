import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import {ROOT, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/**
 * describe with the kinds beyond (Global)NetworkPolicy: Kubernetes NetworkPolicies in the default tier's place as
 * Calico converts them, staged policies shown apart and never counted, network sets as rule peers. The same answers
 * from files (--local -f) and from the test API server in every Calico storage mode.
 */
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}
const LOCAL = ['--local', '-f', 'examples/multus', '-f', 'test/fixtures/kinds']
const NET1 = 'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1'

async function expectKnp(run: (args: string[]) => Promise<{code: number; stdout: string; stderr: string}>) {
  const r = await run(['describe', 'knp', 'allow-partners', '-n', 'default'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Name: +knp\.default\.allow-partners$/m)
  assert.match(r.stdout, /^Converted: +from networkpolicies\.networking\.k8s\.io\/allow-partners$/m)
  assert.match(r.stdout, /^Tier: +default /m)
  assert.match(r.stdout, /^Order: +1000$/m)
  assert.match(r.stdout, /^Selector: +projectcalico\.org\/orchestrator == 'k8s' && app == 'multus-test'$/m)
  // Calico's converter does not limit it to eth0: every interface of the pod.
  assert.match(r.stdout, /^Applies to: +4 endpoints \(by interface: eth0: 1, net1: 1, net3: 1, testiface: 1\)$/m)
  assert.match(r.stdout, /adds no projectcalico\.org\/network-interface term, so it applies to every interface/)
}

async function expectEndpoint(run: (args: string[]) => Promise<{code: number; stdout: string; stderr: string}>) {
  const r = await run(['describe', 'wep', NET1, '-n', 'default', '-o', 'json'])
  assert.equal(r.code, 0, r.stderr)
  const [item] = JSON.parse(r.stdout).items
  // Enforced: only the Kubernetes policy, in tier default; the staged ones are not counted.
  assert.deepEqual(
    item.ingress.tiers.map((t: {tier: {name: string}; policies: Array<{name: string}>}) => [
      t.tier.name,
      t.policies.map((p) => p.name),
    ]),
    [['default', ['knp.default.allow-partners']]],
  )
  assert.equal(item.ingress.tiers[0].policies[0].kubernetesPolicy, 'allow-partners')
  assert.match(item.ingress.summary, /^1 policy in 1 tier applies/)
  // Staged: listed apart with what they would do; the rule's selector reaches the NetworkSet's nets.
  assert.deepEqual(
    item.ingress.staged.map((p: {kind: string; name: string; staged: string}) => [p.kind, p.name, p.staged]),
    [['StagedNetworkPolicy', 'try-deny-net1', 'Set']],
  )
  assert.deepEqual(item.ingress.staged[0].rules[0].source.networkSets, [
    {kind: 'NetworkSet', name: 'partner-nets', namespace: 'default', nets: ['198.51.100.0/24']},
  ])
  assert.deepEqual(
    item.egress.staged.map((p: {name: string}) => p.name),
    ['knp.default.tighter'],
  )
  assert.match(item.egress.summary, /^No policy selects this endpoint for egress/)
  const text = await run(['describe', 'wep', NET1, '-n', 'default'])
  assert.match(
    text.stdout,
    /Staged \(not enforced; what each would do once enforced\):\n +S1\. StagedNetworkPolicy default\/try-deny-net1 \(stagedAction Set;/,
  )
  assert.match(text.stdout, /network sets NetworkSet default\/partner-nets \(198\.51\.100\.0\/24\)/)
}

describe('describe with --local -f', () => {
  const run = (args: string[]) => xctl([...args, ...LOCAL], {env: MULTUS})
  test('a Kubernetes NetworkPolicy in the default tier, on every interface of its pods', () => expectKnp(run))
  test('an endpoint: Kubernetes policy enforced, staged policies apart, network sets as peers', () =>
    expectEndpoint(run))

  test('a staged policy is marked and shows what it would apply to', async () => {
    const r = await run(['describe', 'snp', 'try-deny-net1', '-n', 'default'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^Kind: +StagedNetworkPolicy \(staged, stagedAction Set: enforces nothing\)$/m)
    assert.match(r.stdout, /^Applies to: +1 endpoint \(by interface: net1: 1\)$/m)
    assert.match(r.stdout, /Note: Staged \(stagedAction Set\): this policy enforces nothing/)
    const sknp = await run(['describe', 'sknp', 'tighter', '-n', 'default', '-o', 'json'])
    const d = JSON.parse(sknp.stdout)
    assert.equal(d.policy.name, 'knp.default.tighter')
    assert.equal(d.policy.kind, 'StagedNetworkPolicy')
    assert.equal(d.policy.staged, 'Set')
    assert.deepEqual(d.policy.types, ['Egress'])
    const del = await run(['describe', 'sgnp', 'retire-nothing'])
    assert.equal(del.code, 0, del.stderr)
    assert.match(del.stdout, /^Applies to: +no endpoint$/m)
    assert.match(
      del.stdout,
      /stagedAction Delete\): enforces nothing; once enforced it would delete a policy named retire-nothing/,
    )
  })

  test('eval: the endpoints on stdout; the network sets the selector matches, scoped like the endpoints, on stderr', async () => {
    const all = await run(['eval', "role == 'partner'", '-A'])
    assert.equal(all.code, 0, all.stderr)
    assert.equal(all.stdout.trim().split('\n').length, 1, all.stdout)
    assert.match(
      all.stderr,
      /also matches the nets of NetworkSet default\/partner-nets \(198\.51\.100\.0\/24\), GlobalNetworkSet blocklist \(192\.0\.2\.0\/24\)/,
    )
    const ns = await run(['eval', "role == 'partner'", '-n', 'default'])
    assert.match(ns.stderr, /also matches the nets of NetworkSet default\/partner-nets \(198\.51\.100\.0\/24\)\n/)
  })

  test('a GlobalNetworkSet is a peer only where global() or a GlobalNetworkPolicy reaches it', async () => {
    const extra = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: from-partners}
spec:
  selector: app == 'multus-test'
  ingress: [{action: Allow, source: {selector: role == 'partner'}}]
`
    const r = await xctl(['describe', 'gnp', 'from-partners', ...LOCAL, '-f', '-', '-o', 'json'], {
      env: MULTUS,
      input: extra,
    })
    assert.equal(r.code, 0, r.stderr)
    const sets = JSON.parse(r.stdout).ingress[0].source.networkSets.map((s: {kind: string; name: string}) => s.name)
    assert.deepEqual(sets.sort(), ['blocklist', 'partner-nets'])
  })
})

/** The fixture's objects as the API stores them: Kubernetes kinds as they are, Calico kinds through xctl apply. */
function fixtureObjects(): Array<Record<string, unknown>> {
  const text = readFileSync(join(ROOT, 'test/fixtures/kinds/policies.yaml'), 'utf8')
  return parseAllDocuments(text).map((d) => d.toJS())
}

for (const calicoMode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
  describe(`describe against the test server, Calico storage ${calicoMode}`, () => {
    let c: TestCluster
    before(async () => {
      const objects = fixtureObjects()
      const k8s = objects.filter((o) => o.apiVersion === 'networking.k8s.io/v1')
      c = await startCluster({objects: [...exampleObjects(), ...k8s], calicoMode})
      const calico = objects.filter((o) => o.apiVersion === 'projectcalico.org/v3')
      const r = await xctl(['apply', '-f', '-'], {env: c.env, input: calico.map((o) => JSON.stringify(o)).join('\n')})
      assert.equal(r.code, 0, r.stderr)
    })
    after(() => c.server.close())
    const run = (args: string[]) => xctl(args, {env: {...c.env, ...MULTUS}})
    test('a Kubernetes NetworkPolicy in the default tier, on every interface of its pods', () => expectKnp(run))
    test('an endpoint: Kubernetes policy enforced, staged policies apart, network sets as peers', () =>
      expectEndpoint(run))
    test('eval names the network sets its selector matches', async () => {
      const r = await run(['eval', "role == 'partner'", '-n', 'default'])
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, /also matches the nets of NetworkSet default\/partner-nets \(198\.51\.100\.0\/24\)/)
    })
  })
}
