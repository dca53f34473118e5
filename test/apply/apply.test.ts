/**
 * Writing one object (src/apply/apply.ts applyObject): create vs update vs unchanged, the request bodies sent,
 * kubectl's create/replace refusals, conflicts and lost answers, and WorkloadEndpoints (derived from pods: only the
 * pod's labels may change through one). Runs against an in-memory client that records every request.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ApiError} from '../../src/core/errors.js'
import {applyObject, canonical, type ApplyOptions} from '../../src/apply/apply.js'
import {objectRef, type PlannedObject} from '../../src/apply/plan.js'
import type {KubeObject} from '../../src/kube/types.js'
import {findKind} from '../../src/resources/registry.js'
import {podToWorkloadEndpoints} from '../../src/workloadendpoints/convert.js'
import {FakeClient} from './fake-client.js'

const NP_PATH = '/apis/projectcalico.org/v3/namespaces/prod/networkpolicies'
const V1_NP_PATH = '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies'
const options: ApplyOptions = {dryRun: 'none', storage: 'v3-crd', mode: 'none'}

function planned(o: KubeObject): PlannedObject {
  const descriptor = findKind(o.kind!)
  return {descriptor, object: o, ref: objectRef(descriptor, o.metadata.name!), origin: 'test.yaml:1:1'}
}

const policy = (spec: Record<string, unknown>, metadata: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: {name: 'allow-dns', namespace: 'prod', ...metadata},
  spec,
})

describe('apply: create, update or leave alone', () => {
  it('an object that does not exist is created with a POST to its collection, without server-set fields', async () => {
    const client = new FakeClient()
    const input = {
      ...policy({tier: 'default', selector: 'all()'}, {uid: 'old-uid', resourceVersion: '9', creationTimestamp: 'x'}),
      status: {old: true},
    }
    const result = await applyObject(client.asClient(), planned(input), options)
    assert.deepEqual(result, {ref: 'networkpolicy.projectcalico.org/allow-dns', outcome: 'created'})
    assert.deepEqual(client.writes(), [`POST ${NP_PATH}`])
    assert.deepEqual(client.requests.at(-1)?.body, {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {name: 'allow-dns', namespace: 'prod'},
      spec: {tier: 'default', selector: 'all()'},
    })
  })

  it('v1 storage: a policy still under its legacy default.<name> is updated there, not created twice', async () => {
    const legacy = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'default.allow-dns', namespace: 'prod'},
      spec: {tier: 'default', selector: 'all()'},
    }
    const client = new FakeClient().put(`${V1_NP_PATH}/default.allow-dns`, legacy)
    const result = await applyObject(client.asClient(), planned(policy({tier: 'default', selector: 'app == "dns"'})), {
      ...options,
      storage: 'crd-v1',
    })
    assert.deepEqual(result, {ref: 'networkpolicy.projectcalico.org/allow-dns', outcome: 'configured'})
    assert.deepEqual(client.writes(), [`PUT ${V1_NP_PATH}/default.allow-dns`])
    const body = client.requests.at(-1)?.body as KubeObject
    assert.equal(body.metadata.name, 'default.allow-dns')
    assert.ok(body.metadata.resourceVersion, 'the update carries the stored resourceVersion')
    assert.deepEqual(body.spec, {tier: 'default', selector: 'app == "dns"'})
  })

  it('with v1 CRD storage the body is the crd.projectcalico.org/v1 form', async () => {
    const client = new FakeClient()
    await applyObject(client.asClient(), planned(policy({selector: 'all()'}, {labels: {app: 'dns'}})), {
      ...options,
      storage: 'crd-v1',
    })
    assert.deepEqual(client.writes(), [`POST ${V1_NP_PATH}`])
    const body = client.requests.at(-1)?.body as KubeObject
    assert.equal(body.apiVersion, 'crd.projectcalico.org/v1')
    assert.deepEqual(JSON.parse(body.metadata.annotations!['projectcalico.org/metadata']), {
      name: 'allow-dns',
      labels: {app: 'dns'},
    })
  })

  it('the same content (in any key order, server fields aside) is unchanged: nothing is written', async () => {
    const client = new FakeClient().put(`${NP_PATH}/allow-dns`, {
      ...policy({selector: 'all()', tier: 'default'}, {labels: {app: 'dns'}, uid: 'u1'}),
      status: {},
    })
    const again = policy({tier: 'default', selector: 'all()'}, {labels: {app: 'dns'}})
    assert.equal((await applyObject(client.asClient(), planned(again), options)).outcome, 'unchanged')
    assert.deepEqual(client.writes(), [])
  })

  it("a change is a PUT of the stored object with the input's labels, annotations and spec", async () => {
    const client = new FakeClient().put(
      `${NP_PATH}/allow-dns`,
      policy({tier: 'default', selector: 'all()', order: 10}, {labels: {old: 'x'}, annotations: {a: 'b'}, uid: 'u1'}),
    )
    const changed = policy({tier: 'default', selector: "app == 'dns'"}, {labels: {app: 'dns'}})
    assert.equal((await applyObject(client.asClient(), planned(changed), options)).outcome, 'configured')
    assert.deepEqual(client.writes(), [`PUT ${NP_PATH}/allow-dns`])
    const body = client.requests.at(-1)?.body as KubeObject
    // Identity and concurrency fields come from the stored object; what the input declares replaces the rest
    // (calicoctl's update: fields the input leaves out, such as order, are gone).
    assert.equal(body.metadata.uid, 'u1')
    assert.equal(body.metadata.resourceVersion, '1')
    assert.deepEqual(body.metadata.labels, {app: 'dns'})
    assert.equal(body.metadata.annotations, undefined)
    assert.deepEqual(body.spec, {tier: 'default', selector: "app == 'dns'"})
  })

  it('--dry-run=client writes nothing; --dry-run=server sends the write with dryRun=All', async () => {
    const client = new FakeClient()
    const client2 = new FakeClient()
    const o = policy({selector: 'all()'})
    assert.equal((await applyObject(client.asClient(), planned(o), {...options, dryRun: 'client'})).outcome, 'created')
    assert.deepEqual(client.writes(), [])
    assert.equal((await applyObject(client2.asClient(), planned(o), {...options, dryRun: 'server'})).outcome, 'created')
    assert.deepEqual(client2.requests.at(-1)?.query, {dryRun: 'All'})
    assert.equal(client2.objects.size, 0)
  })

  it("create refuses (or with --skip-exists skips) what exists; replace refuses what does not: kubectl's words", async () => {
    const client = new FakeClient().put(`${NP_PATH}/allow-dns`, policy({selector: 'all()'}))
    const o = planned(policy({selector: 'all()'}))
    assert.deepEqual(await applyObject(client.asClient(), o, {...options, verb: 'create'}), {
      ref: o.ref,
      outcome: 'failed',
      message: 'Error from server (AlreadyExists): networkpolicies.projectcalico.org "allow-dns" already exists',
    })
    assert.equal(
      (await applyObject(client.asClient(), o, {...options, verb: 'create', skipExists: true})).outcome,
      'skipped',
    )
    const missing = planned(policy({selector: 'all()'}, {name: 'other'}))
    assert.deepEqual(await applyObject(client.asClient(), missing, {...options, verb: 'replace'}), {
      ref: missing.ref,
      outcome: 'failed',
      message: 'Error from server (NotFound): networkpolicies.projectcalico.org "other" not found in namespace "prod"',
    })
    assert.deepEqual(client.writes(), [])
  })

  it('a 409 conflict re-reads the object and tries again', async () => {
    const client = new FakeClient().put(`${NP_PATH}/allow-dns`, policy({selector: 'all()'}))
    client.failures.set(`PUT ${NP_PATH}/allow-dns`, [new ApiError(409, 'Conflict', 'the object has been modified')])
    const result = await applyObject(client.asClient(), planned(policy({selector: 'none()'})), options)
    assert.equal(result.outcome, 'configured')
    assert.deepEqual(client.writes(), [`PUT ${NP_PATH}/allow-dns`, `PUT ${NP_PATH}/allow-dns`])
  })

  it('a create whose answer was lost is read back rather than sent twice', async () => {
    const client = new FakeClient()
    client.lostAnswers.add(`POST ${NP_PATH}`)
    const result = await applyObject(client.asClient(), planned(policy({selector: 'all()'})), options)
    assert.equal(result.outcome, 'created')
    assert.deepEqual(client.writes(), [`POST ${NP_PATH}`])
  })

  it('an error from the API is a failed line with its message, not an exception', async () => {
    const client = new FakeClient()
    client.failures.set(`POST ${NP_PATH}`, [new ApiError(422, 'Invalid', 'spec.selector: Invalid value')])
    assert.deepEqual(await applyObject(client.asClient(), planned(policy({selector: '('})), options), {
      ref: 'networkpolicy.projectcalico.org/allow-dns',
      outcome: 'failed',
      message: 'Error from server (Invalid): spec.selector: Invalid value',
    })
  })

  it('Kubernetes policies (knp.default.*) are refused before any request', async () => {
    const client = new FakeClient()
    const result = await applyObject(client.asClient(), planned(policy({}, {name: 'knp.default.web'})), options)
    assert.equal(result.outcome, 'failed')
    assert.match(result.message ?? '', /must be managed through the Kubernetes API/)
    assert.deepEqual(client.requests, [])
  })
})

describe('apply of a WorkloadEndpoint: the pod is what changes', () => {
  const POD_PATH = '/api/v1/namespaces/prod/pods/web'
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'web', namespace: 'prod', labels: {app: 'web'}, uid: 'p1'},
    spec: {nodeName: 'n1', serviceAccountName: 'default', containers: []},
    status: {podIP: '10.0.0.5', podIPs: [{ip: '10.0.0.5'}], phase: 'Running'},
  }
  const endpoint = () => structuredClone(podToWorkloadEndpoints(pod, {mode: 'none'}).endpoints[0]) as KubeObject

  it('a label change is a merge patch of the pod labels (Calico labels left out, removed ones as null)', async () => {
    const client = new FakeClient().put(POD_PATH, pod)
    const wep = endpoint()
    assert.equal(wep.metadata.name, 'n1-k8s-web-eth0')
    delete wep.metadata.labels!.app
    wep.metadata.labels!.team = 'a'
    const result = await applyObject(client.asClient(), planned(wep), options)
    assert.deepEqual(result, {ref: 'workloadendpoint.projectcalico.org/n1-k8s-web-eth0', outcome: 'configured'})
    const patch = client.requests.at(-1)!
    assert.equal(`${patch.method} ${patch.path}`, `PATCH ${POD_PATH}`)
    assert.equal(patch.contentType, 'application/merge-patch+json')
    assert.deepEqual(patch.body, {metadata: {labels: {team: 'a', app: null}, resourceVersion: '1'}})
    assert.deepEqual(client.objects.get(POD_PATH)?.metadata.labels, {team: 'a'})
  })

  it('the same endpoint again is unchanged', async () => {
    const client = new FakeClient().put(POD_PATH, pod)
    assert.equal((await applyObject(client.asClient(), planned(endpoint()), options)).outcome, 'unchanged')
    assert.deepEqual(client.writes(), [])
  })

  it('spec fields and Calico labels are derived: refused with where the change belongs', async () => {
    const client = new FakeClient().put(POD_PATH, pod)
    const moved = endpoint()
    moved.spec!.node = 'n2'
    const r1 = await applyObject(client.asClient(), planned(moved), options)
    assert.equal(r1.outcome, 'failed')
    assert.match(r1.message ?? '', /spec\.node is derived from the pod/)
    const relabeled = endpoint()
    relabeled.metadata.labels!['projectcalico.org/namespace'] = 'other'
    const r2 = await applyObject(client.asClient(), planned(relabeled), options)
    assert.match(r2.message ?? '', /label projectcalico\.org\/namespace is set by Calico/)
    assert.deepEqual(client.writes(), [])
  })

  it('create of an endpoint, or one whose pod is gone, fails with what to do instead', async () => {
    const client = new FakeClient()
    const created = await applyObject(client.asClient(), planned(endpoint()), {...options, verb: 'create'})
    assert.match(created.message ?? '', /derived from pods and cannot be created; create the pod/)
    const gone = await applyObject(client.asClient(), planned(endpoint()), options)
    assert.match(gone.message ?? '', /pod "web" does not exist in namespace "prod"; create the pod instead/)
  })
})

describe('canonical', () => {
  it('equal content compares equal whatever the key order; undefined members do not count', () => {
    assert.equal(canonical({b: 1, a: {d: [1, {y: 2, x: 1}], c: undefined}}), '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}')
    assert.equal(canonical({a: 1, b: 2}), canonical({b: 2, a: 1}))
    assert.notEqual(canonical([1, 2]), canonical([2, 1]))
  })
})
