/**
 * Deleting one object (src/apply/delete.ts): the request sent per storage mode, legacy `default.` names,
 * --ignore-not-found, dry runs, and the kinds that cannot be deleted (derived endpoints, Kubernetes policies).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {deleteObject, type DeleteTarget} from '../../src/apply/delete.js'
import {findKind} from '../../src/resources/registry.js'
import {FakeClient} from './fake-client.js'

const opts = {dryRun: 'none' as const, skipNotFound: false}
const target = (kind: string, name: string, namespace?: string): DeleteTarget => ({
  descriptor: findKind(kind),
  name,
  namespace,
})
const GNP_V3 = '/apis/projectcalico.org/v3/globalnetworkpolicies'
const NP_V1 = '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies'

describe('deleteObject', () => {
  it('a DELETE of the object at its coordinates for the storage mode', async () => {
    const client = new FakeClient().put(`${GNP_V3}/p`, {metadata: {name: 'p'}})
    const result = await deleteObject(client.asClient(), target('gnp', 'p'), 'v3-crd', opts)
    assert.deepEqual(result, {ref: 'globalnetworkpolicy.projectcalico.org "p"', outcome: 'deleted'})
    assert.deepEqual(client.writes(), [`DELETE ${GNP_V3}/p`])
    // Namespaced kinds: the target's namespace is in the path.
    const nad = new FakeClient().put('/apis/k8s.cni.cncf.io/v1/namespaces/prod/network-attachment-definitions/m', {
      metadata: {name: 'm'},
    })
    await deleteObject(nad.asClient(), target('nad', 'm', 'prod'), 'crd-v1', opts)
    assert.deepEqual(nad.writes(), ['DELETE /apis/k8s.cni.cncf.io/v1/namespaces/prod/network-attachment-definitions/m'])
  })

  it('v1 storage: a default-tier policy stored under its legacy default.<name> is found and deleted', async () => {
    const client = new FakeClient().put(`${NP_V1}/default.allow-dns`, {metadata: {name: 'default.allow-dns'}})
    const result = await deleteObject(client.asClient(), target('np', 'allow-dns', 'prod'), 'crd-v1', opts)
    assert.equal(result.outcome, 'deleted')
    assert.deepEqual(client.writes(), [`DELETE ${NP_V1}/allow-dns`, `DELETE ${NP_V1}/default.allow-dns`])
  })

  it('not found: a failed line naming the object, or skipped with --ignore-not-found', async () => {
    const client = new FakeClient()
    const missing = await deleteObject(client.asClient(), target('gnp', 'nope'), 'v3-crd', opts)
    assert.deepEqual(missing, {
      ref: 'globalnetworkpolicy.projectcalico.org "nope"',
      outcome: 'failed',
      message: 'Error from server (NotFound): "nope" not found',
    })
    const skipped = await deleteObject(client.asClient(), target('gnp', 'nope'), 'v3-crd', {
      ...opts,
      skipNotFound: true,
    })
    assert.equal(skipped.outcome, 'skipped')
  })

  it('--dry-run=client only reads; --dry-run=server sends dryRun=All', async () => {
    const client = new FakeClient().put(`${GNP_V3}/p`, {metadata: {name: 'p'}})
    assert.equal(
      (await deleteObject(client.asClient(), target('gnp', 'p'), 'v3-crd', {...opts, dryRun: 'client'})).outcome,
      'deleted',
    )
    assert.deepEqual(client.writes(), [])
    await deleteObject(client.asClient(), target('gnp', 'p'), 'v3-crd', {...opts, dryRun: 'server'})
    assert.deepEqual(client.requests.at(-1)?.query, {dryRun: 'All'})
    assert.ok(client.objects.has(`${GNP_V3}/p`))
  })

  it('a delete whose answer was lost is read back: gone means deleted', async () => {
    const client = new FakeClient().put(`${GNP_V3}/p`, {metadata: {name: 'p'}})
    client.lostAnswers.add(`DELETE ${GNP_V3}/p`)
    assert.equal((await deleteObject(client.asClient(), target('gnp', 'p'), 'v3-crd', opts)).outcome, 'deleted')
  })

  it('endpoints and Kubernetes policies cannot be deleted here: failed with what to do, no request', async () => {
    const client = new FakeClient()
    const wep = await deleteObject(client.asClient(), target('wep', 'n1-k8s-web-eth0', 'prod'), 'v3-crd', opts)
    assert.equal(wep.outcome, 'failed')
    assert.match(wep.message ?? '', /derived from pods and cannot be deleted; delete the pod/)
    const knp = await deleteObject(client.asClient(), target('np', 'knp.default.web', 'prod'), 'v3-crd', opts)
    assert.match(knp.message ?? '', /kubectl delete networkpolicy web/)
    assert.deepEqual(client.requests, [])
  })
})
