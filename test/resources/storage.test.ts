/**
 * How Calico objects are stored in the Kubernetes datastore (src/resources/calico-storage.ts, coordinates.ts):
 * which storage a cluster has, and the conversion between what users see (projectcalico.org/v3) and
 * crd.projectcalico.org/v1 (libcalico-go/lib/backend/k8s/resources/resources.go, discovery.go; v3.32.1).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {KubeObject} from '../../src/kube/types.js'
import {
  calicoCoordinates,
  calicoFromStorage,
  calicoToStorage,
  detectCalicoStorage,
  METADATA_ANNOTATION,
  TIER_LABEL,
} from '../../src/resources/calico-storage.js'
import {storageModes} from '../../src/resources/coordinates.js'
import type {ObjectSource} from '../../src/sources/source.js'

const policy = (metadata: KubeObject['metadata'], spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata,
  spec,
})

describe('which storage the cluster has', () => {
  it('the aggregated API (v3 beside v1 CRDs) wins; native v3 CRDs only without v1 ones; else v1', () => {
    const groups = (...g: string[]) => new Set(['v1', 'apps/v1', ...g])
    assert.equal(detectCalicoStorage(groups('projectcalico.org/v3', 'crd.projectcalico.org/v1')), 'apiserver-v3')
    assert.equal(detectCalicoStorage(groups('projectcalico.org/v3')), 'v3-crd')
    assert.equal(detectCalicoStorage(groups('crd.projectcalico.org/v1')), 'crd-v1')
    // No Calico API at all: v1 is calicoctl's default too, and its errors then name the v1 CRDs.
    assert.equal(detectCalicoStorage(groups()), 'crd-v1')
  })

  it('coordinates per storage: same plural, group and version by mode', () => {
    const tiers = calicoCoordinates('tiers')
    assert.deepEqual(tiers('crd-v1'), {group: 'crd.projectcalico.org', version: 'v1', plural: 'tiers'})
    assert.deepEqual(tiers('v3-crd'), {group: 'projectcalico.org', version: 'v3', plural: 'tiers'})
    assert.deepEqual(tiers('apiserver-v3'), {group: 'projectcalico.org', version: 'v3', plural: 'tiers'})
  })

  it("storageModes: the cluster's own mode; manifests (no discovery) may hold either form", async () => {
    const source = (groups: Set<string> | undefined) => ({apiGroups: async () => groups}) as unknown as ObjectSource
    assert.deepEqual(await storageModes(source(new Set(['projectcalico.org/v3']))), ['v3-crd'])
    assert.deepEqual(await storageModes(source(new Set())), ['crd-v1'])
    assert.deepEqual(await storageModes(source(undefined)), ['v3-crd', 'crd-v1'])
  })
})

describe('writing to crd.projectcalico.org/v1', () => {
  it('v3 metadata goes into the projectcalico.org/metadata annotation; the name only for policies', () => {
    const stored = calicoToStorage(
      policy(
        {
          name: 'allow-dns',
          namespace: 'prod',
          resourceVersion: '7',
          labels: {app: 'web', 'projectcalico.org/x': 'y'},
          annotations: {note: 'n'},
        },
        {selector: 'all()'},
      ),
      'crd-v1',
    )
    assert.equal(stored.apiVersion, 'crd.projectcalico.org/v1')
    assert.equal(stored.metadata.name, 'allow-dns')
    assert.equal(stored.metadata.namespace, 'prod')
    assert.equal(stored.metadata.resourceVersion, '7')
    // Only Calico's own labels are copied onto the CR itself.
    assert.deepEqual(stored.metadata.labels, {'projectcalico.org/x': 'y'})
    assert.deepEqual(JSON.parse(stored.metadata.annotations![METADATA_ANNOTATION]), {
      name: 'allow-dns',
      labels: {app: 'web', 'projectcalico.org/x': 'y'},
      annotations: {note: 'n'},
    })
    assert.deepEqual(stored.spec, {selector: 'all()', tier: 'default'})

    const pool = calicoToStorage(
      {apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: {name: 'p'}, spec: {cidr: '10.0.0.0/16'}},
      'crd-v1',
    )
    assert.deepEqual(JSON.parse(pool.metadata.annotations![METADATA_ANNOTATION]), {})
    assert.deepEqual(pool.spec, {cidr: '10.0.0.0/16'})
  })

  it('a policy outside the default tier carries the tier label', () => {
    const stored = calicoToStorage(policy({name: 'security.block'}, {tier: 'security'}), 'crd-v1')
    assert.equal(stored.metadata.labels?.[TIER_LABEL], 'security')
    assert.equal(calicoToStorage(policy({name: 'p'}), 'crd-v1').metadata.labels, undefined)
  })

  it('v3 storage keeps the object as given, with the policy tier filled in', () => {
    const o = policy({name: 'p', labels: {app: 'web'}}, {selector: 'all()'})
    const stored = calicoToStorage(o, 'v3-crd')
    assert.equal(stored.apiVersion, 'projectcalico.org/v3')
    assert.deepEqual(stored.metadata, o.metadata)
    assert.equal(stored.spec?.tier, 'default')
  })
})

describe('reading back what users see', () => {
  it('round trip through v1 storage gives the v3 object back', () => {
    const o = policy(
      {name: 'allow-dns', namespace: 'prod', labels: {app: 'web'}, annotations: {note: 'n'}},
      {tier: 'default', selector: 'all()'},
    )
    assert.deepEqual(calicoFromStorage(calicoToStorage(o, 'crd-v1'), 'crd-v1'), o)
    const tiered = policy({name: 'security.block', labels: {app: 'web'}}, {tier: 'security'})
    assert.deepEqual(calicoFromStorage(calicoToStorage(tiered, 'crd-v1'), 'crd-v1'), tiered)
  })

  it('legacy (≤ v3.31) default-tier names lose their default. prefix; the tier comes from the label', () => {
    const legacy: KubeObject = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'GlobalNetworkPolicy',
      metadata: {name: 'default.allow-dns', uid: 'u', resourceVersion: '3', labels: {[TIER_LABEL]: 'default'}},
      spec: {selector: 'all()'},
    }
    const seen = calicoFromStorage(legacy, 'crd-v1')
    assert.equal(seen.apiVersion, 'projectcalico.org/v3')
    assert.equal(seen.metadata.name, 'allow-dns')
    assert.equal(seen.metadata.uid, 'u')
    assert.equal(seen.metadata.resourceVersion, '3')
    assert.equal(seen.metadata.labels, undefined)
    assert.equal(seen.spec?.tier, 'default')
    const inTier = calicoFromStorage(
      {...legacy, metadata: {name: 'security.block', labels: {[TIER_LABEL]: 'security'}}, spec: {}},
      'crd-v1',
    )
    assert.equal(inTier.metadata.name, 'security.block')
    assert.equal(inTier.spec?.tier, 'security')
  })

  it('a broken metadata annotation is ignored, not fatal', () => {
    const seen = calicoFromStorage(
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPPool',
        metadata: {name: 'p', annotations: {[METADATA_ANNOTATION]: '{not json', other: 'kept'}},
        spec: {},
      },
      'crd-v1',
    )
    assert.deepEqual(seen.metadata, {name: 'p', annotations: {other: 'kept'}})
  })
})
