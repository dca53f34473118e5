import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const NAMESPACES = [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}}]
const POLICY = (order: number) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: plain
  namespace: production
  labels: {team: web}
spec:
  order: ${order}
  selector: all()
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: pool-a}
spec: {cidr: 10.10.0.0/16}
`
const writes = (c: TestCluster) =>
  c.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
const policyView = async (c: TestCluster) =>
  JSON.parse((await xctl(['get', 'np', 'plain', '-n', 'production', '-o', 'json'], {env: c.env})).stdout)

for (const calicoMode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
  describe(`create, replace, label and patch with Calico storage ${calicoMode}`, () => {
    let c: TestCluster
    before(async () => {
      c = await startCluster({objects: NAMESPACES, calicoMode})
    })
    after(() => c.server.close())

    test('create writes new objects; a second create fails per object (exit 1) unless --skip-exists', async () => {
      const first = await xctl(['create', '-f', '-'], {env: c.env, input: POLICY(10)})
      assert.equal(first.code, 0, first.stderr)
      assert.deepEqual(first.stdout.trim().split('\n'), [
        'networkpolicy.projectcalico.org/plain created',
        'ippool.projectcalico.org/pool-a created',
        '2 object(s): 2 created',
      ])
      const again = await xctl(['create', '-f', '-'], {env: c.env, input: POLICY(10)})
      assert.equal(again.code, 1)
      assert.match(
        again.stderr,
        /error: networkpolicy.projectcalico.org\/plain failed: .*AlreadyExists.*already exists/,
      )
      assert.match(again.stdout, /2 object\(s\): 2 failed/)
      const before = writes(c).length
      const skip = await xctl(['create', '--skip-exists', '-f', '-'], {env: c.env, input: POLICY(10)})
      assert.equal(skip.code, 0, skip.stderr)
      assert.match(skip.stdout, /networkpolicy.projectcalico.org\/plain skipped \(it exists already/)
      assert.equal(writes(c).length, before)
    })

    test('replace updates what exists and fails what does not; invalid input writes nothing', async () => {
      const r = await xctl(['replace', '-f', '-'], {env: c.env, input: POLICY(20)})
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /networkpolicy.projectcalico.org\/plain replaced/)
      assert.equal((await policyView(c)).spec.order, 20)
      const missing = POLICY(20).replace('name: plain', 'name: ghost')
      const m = await xctl(['replace', '-f', '-'], {env: c.env, input: missing})
      assert.equal(m.code, 1)
      assert.match(m.stderr, /NotFound.*"ghost" not found/)
      const before = writes(c).length
      const bad = await xctl(['replace', '-f', '-'], {env: c.env, input: POLICY(20).replace('all()', 'all(')})
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /nothing was replaced/)
      assert.equal(writes(c).length, before)
    })

    test('label sets, refuses a changed value without --overwrite, removes with KEY-', async () => {
      const set = await xctl(['label', 'np', 'plain', '-n', 'production', 'tier=db'], {env: c.env})
      assert.equal(set.code, 0, set.stderr)
      assert.equal(set.stdout, 'networkpolicy.projectcalico.org/plain labeled\n')
      assert.deepEqual((await policyView(c)).metadata.labels, {team: 'web', tier: 'db'})
      const clash = await xctl(['label', 'np/plain', '-n', 'production', 'team=ops'], {env: c.env})
      assert.equal(clash.code, 1)
      assert.match(clash.stderr, /'team' already has a value \(web\), and --overwrite is false/)
      const over = await xctl(['label', 'np/plain', '-n', 'production', 'team=ops', '--overwrite'], {env: c.env})
      assert.equal(over.code, 0, over.stderr)
      const same = await xctl(['label', 'np/plain', '-n', 'production', 'team=ops'], {env: c.env})
      assert.equal(same.stdout, 'networkpolicy.projectcalico.org/plain not labeled\n')
      const rm = await xctl(['label', 'ippool', 'pool-a', 'x=1'], {env: c.env})
      assert.equal(rm.code, 0, rm.stderr)
      const unlabel = await xctl(['label', 'ippool', 'pool-a', 'x-'], {env: c.env})
      assert.equal(unlabel.stdout, 'ippool.projectcalico.org/pool-a unlabeled\n')
      const pool = JSON.parse((await xctl(['get', 'ippool', 'pool-a', '-o', 'json'], {env: c.env})).stdout)
      assert.equal(pool.metadata.labels?.x, undefined)
      const dry = await xctl(['label', 'np', 'plain', '-n', 'production', 'dry=1', '--dry-run=client'], {env: c.env})
      assert.equal(dry.stdout, 'networkpolicy.projectcalico.org/plain labeled (dry run)\n')
      assert.equal((await policyView(c)).metadata.labels.dry, undefined)
      const none = await xctl(['label', 'np', 'ghost', '-n', 'production', 'a=b'], {env: c.env})
      assert.equal(none.code, 1)
      assert.match(none.stderr, /NotFound/)
    })

    test('patch: merge (the default strategic too) and json; a patch that breaks the object writes nothing', async () => {
      const merge = await xctl(['patch', 'np', 'plain', '-n', 'production', '-p', '{"spec":{"order":5}}'], {env: c.env})
      assert.equal(merge.code, 0, merge.stderr)
      assert.equal(merge.stdout, 'networkpolicy.projectcalico.org/plain patched\n')
      assert.equal((await policyView(c)).spec.order, 5)
      const same = await xctl(['patch', 'np/plain', '-n', 'production', '--type', 'merge', '-p', 'spec: {order: 5}'], {
        env: c.env,
      })
      assert.equal(same.stdout, 'networkpolicy.projectcalico.org/plain patched (no change)\n')
      const json = await xctl(
        ['patch', 'ippool/pool-a', '--type', 'json', '-p', '[{"op":"add","path":"/spec/disabled","value":true}]'],
        {env: c.env},
      )
      assert.equal(json.code, 0, json.stderr)
      const pool = JSON.parse((await xctl(['get', 'ippool', 'pool-a', '-o', 'json'], {env: c.env})).stdout)
      assert.equal(pool.spec.disabled, true)
      const before = writes(c).length
      const bad = await xctl(['patch', 'np', 'plain', '-n', 'production', '-p', '{"spec":{"selector":"all("}}'], {
        env: c.env,
      })
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /nothing was patched/)
      const failedTest = await xctl(
        ['patch', 'ippool/pool-a', '--type', 'json', '-p', '[{"op":"test","path":"/spec/cidr","value":"1.0.0.0/8"}]'],
        {env: c.env},
      )
      assert.equal(failedTest.code, 1)
      assert.match(failedTest.stderr, /test failed at \/spec\/cidr/)
      assert.equal(writes(c).length, before)
      const usage = await xctl(['patch', 'np', 'plain', '-p', '{}', '--type', 'bogus'], {env: c.env})
      assert.equal(usage.code, 2)
    })
  })
}

describe('label and patch on a WorkloadEndpoint change its pod', () => {
  let c: TestCluster
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'production',
      labels: {app: 'web'},
      annotations: {'k8s.v1.cni.cncf.io/networks': 'calico-b'},
    },
    spec: {nodeName: 'node-1', serviceAccountName: 'default', containers: [{name: 'c', image: 'nginx'}]},
    status: {phase: 'Running', podIP: '10.0.0.1'},
  }
  before(async () => {
    c = await startCluster({objects: [...NAMESPACES, pod]})
  })
  after(() => c.server.close())
  const env = () => ({...c.env, MULTI_INTERFACE_MODE: 'multus'})

  test("label on a WEP sets the pod's label; a derived label or a spec patch is refused", async () => {
    const r = await xctl(['label', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production', 'tier=frontend'], {env: env()})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'workloadendpoint.projectcalico.org/node--1-k8s-web--0-net1 labeled\n')
    assert.deepEqual(c.server.get('v1', 'pods', 'production', 'web-0').metadata.labels, {app: 'web', tier: 'frontend'})
    const spec = await xctl(
      ['patch', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production', '-p', '{"spec":{"interfaceName":"x"}}'],
      {env: env()},
    )
    assert.equal(spec.code, 1)
    assert.match(spec.stderr, /derived from the pod/)
    const created = await xctl(['create', '-f', '-'], {
      env: env(),
      input: JSON.stringify({
        apiVersion: 'projectcalico.org/v3',
        kind: 'WorkloadEndpoint',
        metadata: {name: 'node--1-k8s-web--0-net1', namespace: 'production'},
      }),
    })
    assert.equal(created.code, 1)
    assert.match(created.stderr, /cannot be created; create the pod/)
  })
})
