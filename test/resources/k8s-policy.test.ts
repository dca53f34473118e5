/**
 * Kubernetes NetworkPolicies as Calico shows them (src/resources/k8s-policy.ts), after libcalico-go
 * lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico (v3.31.7) and its conversion_test.go cases.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  k8sPolicyToCalico,
  k8sSelectorToCalico,
  kubernetesPolicyName,
  stagedK8sPolicyToCalico,
} from '../../src/resources/k8s-policy.js'

const ORCHESTRATOR = "projectcalico.org/orchestrator == 'k8s'"

describe('Kubernetes NetworkPolicy → Calico NetworkPolicy', () => {
  it('knp.default.<name>, tier default, order 1000, the orchestrator term before the pod selector', () => {
    const calico = k8sPolicyToCalico({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'web', namespace: 'prod', uid: 'u1', resourceVersion: '5', labels: {dropped: 'yes'}},
      spec: {podSelector: {matchLabels: {app: 'web'}}},
    })
    assert.deepEqual(calico, {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {name: 'knp.default.web', namespace: 'prod', uid: 'u1', resourceVersion: '5'},
      // No policyTypes given: ingress only (conversion.go: "apply to only ingress traffic").
      spec: {tier: 'default', order: 1000, selector: `${ORCHESTRATOR} && app == 'web'`, types: ['Ingress']},
    })
    assert.equal(kubernetesPolicyName('knp.default.web'), 'web')
    assert.equal(kubernetesPolicyName('web'), undefined)
  })

  it('selectors: labels sorted, then expressions; an empty namespace selector is all()', () => {
    assert.equal(
      k8sSelectorToCalico(
        {
          matchLabels: {b: '2', a: '1'},
          matchExpressions: [
            {key: 'env', operator: 'In', values: ['prod', 'staging']},
            {key: 'tier', operator: 'NotIn', values: ['db']},
            {key: 'team', operator: 'Exists'},
            {key: 'legacy', operator: 'DoesNotExist'},
          ],
        },
        'pod',
      ),
      `${ORCHESTRATOR} && a == '1' && b == '2' && env in { 'prod', 'staging' } && tier not in { 'db' } && ` +
        `has(team) && ! has(legacy)`,
    )
    assert.equal(k8sSelectorToCalico({}, 'namespace'), 'all()')
    assert.equal(k8sSelectorToCalico(undefined, 'namespace'), '')
    assert.equal(k8sSelectorToCalico({}, 'pod'), ORCHESTRATOR)
  })

  it('rules: one Allow rule per protocol and peer; numeric ports merged into ranges; ipBlock as nets', () => {
    const {spec} = k8sPolicyToCalico({
      metadata: {name: 'p'},
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{podSelector: {matchLabels: {app: 'a'}}}, {namespaceSelector: {}}],
            ports: [{port: 81}, {port: 80}, {port: 82}, {port: 443}, {protocol: 'UDP', port: 53}],
          },
        ],
        egress: [{to: [{ipBlock: {cidr: '10.0.0.1/8', except: ['10.1.0.0/16']}}]}],
      },
    })
    assert.deepEqual(spec?.ingress, [
      {
        action: 'Allow',
        protocol: 'TCP',
        source: {selector: `${ORCHESTRATOR} && app == 'a'`},
        destination: {ports: ['80:82', 443]},
      },
      {
        action: 'Allow',
        protocol: 'TCP',
        source: {selector: ORCHESTRATOR, namespaceSelector: 'all()'},
        destination: {ports: ['80:82', 443]},
      },
      {
        action: 'Allow',
        protocol: 'UDP',
        source: {selector: `${ORCHESTRATOR} && app == 'a'`},
        destination: {ports: [53]},
      },
      {
        action: 'Allow',
        protocol: 'UDP',
        source: {selector: ORCHESTRATOR, namespaceSelector: 'all()'},
        destination: {ports: [53]},
      },
    ])
    // CIDRs are normalised to their network address, as Calico stores them.
    assert.deepEqual(spec?.egress, [{action: 'Allow', destination: {nets: ['10.0.0.0/8'], notNets: ['10.1.0.0/16']}}])
    assert.deepEqual(spec?.types, ['Ingress', 'Egress'])
  })

  it('a staged Kubernetes policy becomes the StagedNetworkPolicy Calico evaluates; a staged Delete carries only the tier', () => {
    const staged = stagedK8sPolicyToCalico({
      metadata: {name: 'web', namespace: 'prod'},
      spec: {stagedAction: 'Set', podSelector: {}},
    })
    assert.equal(staged.kind, 'StagedNetworkPolicy')
    assert.equal(staged.metadata.name, 'knp.default.web')
    assert.equal(staged.spec?.stagedAction, 'Set')
    assert.equal(staged.spec?.order, 1000)
    const deleted = stagedK8sPolicyToCalico({metadata: {name: 'web'}, spec: {stagedAction: 'Delete'}})
    assert.deepEqual(deleted.spec, {stagedAction: 'Delete', tier: 'default'})
  })
})
