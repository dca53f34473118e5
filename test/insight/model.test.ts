import {test} from 'node:test'
import assert from 'node:assert/strict'
import {describeEndpoint, describePolicy} from '../../src/insight/describe.js'
import {LabelIndex} from '../../src/insight/label-index.js'
import {Insight} from '../../src/insight/model.js'
import {entityInfo, policyInfo, policyTypes} from '../../src/insight/policy.js'
import {compareTiers, TierCatalog} from '../../src/insight/tiers.js'
import type {KubeObject} from '../../src/kube/types.js'
import {parseSelector} from '../../src/selector/index.js'
import type {WorkloadEndpoint} from '../../src/workloadendpoints/convert.js'
import {FIXTURE, loadFiles} from './helpers.js'

function wep(ns: string, name: string, labels: Record<string, string>, sa = 'default'): WorkloadEndpoint {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'WorkloadEndpoint',
    metadata: {
      name: `node-k8s-${name}-eth0`,
      namespace: ns,
      labels: {
        ...labels,
        'projectcalico.org/namespace': ns,
        'projectcalico.org/orchestrator': 'k8s',
        'projectcalico.org/serviceaccount': sa,
      },
    },
    spec: {
      orchestrator: 'k8s',
      node: 'node',
      pod: name,
      endpoint: 'eth0',
      serviceAccountName: sa,
      profiles: [`kns.${ns}`, `ksa.${ns}.${sa}`],
      interfaceName: 'cali0',
    },
  }
}

test('effective labels: own labels, then namespace (pcns.) and service-account (pcsa.) profile labels; own labels win', () => {
  const insight = new Insight({
    endpoints: [wep('prod', 'a', {app: 'web', 'pcns.env': 'own'}, 'api')],
    namespaces: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod', labels: {env: 'prod', team: 'x'}}}],
    serviceAccounts: [
      {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'api', namespace: 'prod', labels: {role: 'api-sa'}}},
    ],
    policies: [],
    tiers: [],
  })
  assert.deepEqual(insight.endpoint(0).labels, {
    'pcns.env': 'own',
    'pcns.team': 'x',
    'pcns.projectcalico.org/name': 'prod',
    'pcsa.role': 'api-sa',
    'pcsa.projectcalico.org/name': 'api',
    app: 'web',
    'projectcalico.org/namespace': 'prod',
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': 'api',
  })
  const profiles = insight.profilesOf(insight.endpoint(0))
  assert.deepEqual(
    profiles.map((p) => [p.name, p.known, p.allows]),
    [
      ['kns.prod', true, true],
      ['ksa.prod.api', true, false],
    ],
  )
})

test('the label index answers equality, in, has, starts with and || from posting lists, and scans only for negations', () => {
  const index = new LabelIndex()
  for (let i = 0; i < 1000; i++)
    index.add(wep(`ns${i % 10}`, `p${i}`, {app: `app${i % 100}`, tier: i % 2 ? 'odd' : 'even'}), {
      app: `app${i % 100}`,
      tier: i % 2 ? 'odd' : 'even',
      ns: `ns${i % 10}`,
    })
  const q = (s: string) => index.query(parseSelector(s))
  assert.equal(q("app == 'app7'").length, 10)
  assert.equal(q("app == 'app7' && tier == 'odd'").length, 10)
  assert.equal(q("app == 'app8' && tier == 'odd'").length, 0)
  assert.equal(q("app in {'app1', 'app2'} && ns == 'ns1'").length, 10)
  assert.equal(q("app starts with 'app9'").length, 110)
  assert.equal(q("app == 'app1' || app == 'app2'").length, 20)
  assert.equal(q("has(app) && app ends with '99'").length, 10)
  assert.equal(index.fullScans, 0)
  assert.equal(q("tier != 'odd'").length, 500)
  assert.equal(index.fullScans, 1)
  assert.equal(q("app == 'app1' || tier != 'odd'").length, 510)
  assert.equal(index.fullScans, 2)
  assert.equal(q("app == 'app1' || tier != 'odd'").length, 510, 'cached')
  assert.equal(index.fullScans, 2)
  // Results come back in endpoint order.
  const ids = q("app in {'app3', 'app1'}")
  assert.deepEqual(
    [...ids],
    [...ids].sort((a, b) => a - b),
  )
})

test('policy types default as calicoctl does', () => {
  assert.deepEqual(policyTypes(undefined, true, false).types, ['Ingress'])
  assert.deepEqual(policyTypes(undefined, false, false).types, ['Ingress'])
  assert.deepEqual(policyTypes([], false, true).types, ['Egress'])
  assert.deepEqual(policyTypes(undefined, true, true).types, ['Ingress', 'Egress'])
  assert.deepEqual(policyTypes(['Egress'], true, false), {types: ['Egress'], defaulted: false})
})

test('selectors become what Felix evaluates: namespace terms, pcns./pcsa. prefixes, all() and global() in namespaceSelector', () => {
  const np = policyInfo({
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: {name: 'p', namespace: 'prod'},
    spec: {selector: "app == 'web'", serviceAccountSelector: "role == 'x'"},
  })
  assert.equal(
    np.appliesTo.selector!.toString(),
    '(app == "web" && projectcalico.org/namespace == "prod" && pcsa.role == "x")',
  )
  const gnp = policyInfo({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: {name: 'g'},
    spec: {selector: "app == 'web'", namespaceSelector: 'all()'},
  })
  assert.equal(gnp.appliesTo.selector!.toString(), '(app == "web" && has(projectcalico.org/namespace))')
  const s = (raw: Record<string, unknown>, ns?: string) => entityInfo(raw, ns).scope?.selector?.toString()
  assert.equal(s({selector: "app == 'a'"}, 'prod'), '(projectcalico.org/namespace == "prod" && app == "a")')
  assert.equal(s({selector: "app == 'a'"}), 'app == "a"', 'a global policy rule spans all namespaces')
  assert.equal(
    s({namespaceSelector: "env == 'dev'", selector: "app == 'a'"}, 'prod'),
    '(pcns.env == "dev" && app == "a")',
  )
  assert.equal(s({namespaceSelector: 'all()'}, 'prod'), 'has(projectcalico.org/namespace)')
  assert.equal(
    s({namespaceSelector: 'global()', selector: "app == 'a'"}, 'prod'),
    '(!has(projectcalico.org/namespace) && app == "a")',
  )
  assert.equal(
    s({serviceAccounts: {names: ['b', 'a'], selector: "role == 'x'"}}, 'prod'),
    '(projectcalico.org/namespace == "prod" && pcsa.role == "x" && projectcalico.org/serviceaccount in {"a", "b"})',
  )
  // notSelector alone confines the rule to the namespace; the notSelector itself is not scoped.
  const only = entityInfo({notSelector: "app == 'a'"}, 'prod')
  assert.equal(only.scope!.selector!.toString(), 'projectcalico.org/namespace == "prod"')
  assert.equal(only.notSelector!.toString(), 'app == "a"')
  assert.equal(entityInfo({nets: ['10.0.0.0/8']}, 'prod').scope, undefined, 'nets alone: no endpoint selector')
})

test('tiers: existing before missing, then by order with unset last, then by name; built-in default is 1e6', () => {
  const catalog = new TierCatalog([
    {metadata: {name: 'b'}, spec: {order: 10}},
    {metadata: {name: 'a'}, spec: {order: 10}},
    {metadata: {name: 'none'}, spec: {}},
    {metadata: {name: 'early'}, spec: {order: 1}},
  ] as KubeObject[])
  const sorted = ['none', 'missing', 'default', 'b', 'a', 'early']
    .map((n) => catalog.get(n))
    .sort(compareTiers)
    .map((t) => t.name)
  assert.deepEqual(sorted, ['early', 'a', 'b', 'default', 'none', 'missing'])
  assert.equal(catalog.get('default').order, 1e6)
  assert.equal(catalog.get('default').defaultAction, 'Deny')
})

test('describe workloadendpoint (fixture): tier order, policy order with ties by name, default actions, profiles last', async () => {
  const {insight} = await loadFiles([FIXTURE])
  const [web1] = insight.findEndpoints('prod', 'web-1')
  const d = describeEndpoint(insight, web1!, {limit: 10})
  const ingress = d.ingress.tiers.map((t) => [t.tier.name, t.endOfTier, t.policies.map((p) => p.name)])
  assert.deepEqual(ingress, [
    ['platform', 'Pass', ['platform.prod-only']],
    ['default', 'Deny', ['a-same-order', 'b-same-order']],
    ['unordered', 'Deny', ['unordered.last']],
  ])
  assert.match(d.ingress.summary, /denied at the end of tier default/)
  const egress = d.egress.tiers.map((t) => [t.tier.name, t.policies.map((p) => p.name)])
  assert.deepEqual(egress, [
    ['security', ['security.hosts-only']],
    ['default', ['no-order']],
  ])
  assert.deepEqual(
    d.ingress.profiles.map((p) => [p.name, p.action]),
    [
      ['kns.prod', 'Allow'],
      ['ksa.prod.web', 'None'],
    ],
  )
  assert.deepEqual(
    d.notAppliedFromOtherNamespaces.policies.map((p) => `${p.namespace}/${p.name}`),
    ['empty/in-empty'],
  )
  // No policy at all for dev/web-2's egress: the profiles decide.
  const web2 = describeEndpoint(insight, insight.findEndpoints('dev', 'web-2')[0]!, {limit: 10})
  assert.deepEqual(
    web2.egress.tiers.map((t) => t.tier.name),
    ['security'],
  )
  const api = describeEndpoint(insight, insight.findEndpoints('prod', 'api-1')[0]!, {limit: 10})
  assert.deepEqual(
    api.ingress.tiers.map((t) => t.policies.map((p) => p.name)),
    [['security.api-from-web-sa']],
  )
})

test('rule peers: own namespace, namespaceSelector, all(), global(), service-account names and selector', async () => {
  const {insight} = await loadFiles([FIXTURE])
  const policy = (ns: string | undefined, name: string) =>
    describePolicy(insight, findPolicy(insight, ns, name), {limit: 10})
  const peers = (list: {count: number; endpoints: Array<{namespace: string; pod: string}>} | undefined) =>
    list?.endpoints.map((e) => `${e.namespace}/${e.pod}`)
  const a = policy('prod', 'a-same-order')
  assert.deepEqual(peers(a.ingress[0]!.source.endpoints), ['dev/web-2'], 'namespaceSelector env == dev')
  assert.deepEqual(
    peers(a.ingress[1]!.source.endpoints),
    ['prod/web-1', 'prod/api-1', 'dev/web-2'],
    'namespaceSelector all()',
  )
  assert.equal(a.ingress[2]!.source.endpoints!.count, 0)
  assert.match(
    a.ingress[2]!.source.explanation!.join(' '),
    /No namespace matches namespaceSelector env == 'staging'.*values that exist are dev, prod/,
  )
  const b = policy('prod', 'b-same-order')
  assert.deepEqual(peers(b.ingress[0]!.source.endpoints), ['prod/api-1'], 'no namespaceSelector: own namespace')
  const sa = policy(undefined, 'security.api-from-web-sa')
  assert.deepEqual(
    peers(sa.ingress[0]!.source.endpoints),
    ['prod/web-1', 'dev/web-2'],
    'serviceAccounts.names in a global policy: every namespace',
  )
  assert.deepEqual(sa.ingress[0]!.destination.ports, [8080])
  const noOrder = policy('prod', 'no-order')
  assert.deepEqual(
    peers(noOrder.egress[0]!.destination.endpoints),
    ['prod/api-1'],
    'serviceAccounts.selector on SA labels',
  )
  const hosts = policy(undefined, 'security.hosts-only')
  assert.equal(hosts.egress[0]!.destination.endpoints!.count, 0)
  assert.match(hosts.egress[0]!.destination.explanation![0]!, /global\(\) matches only non-namespaced endpoints/)
  const gnp = policy(undefined, 'platform.prod-only')
  assert.deepEqual(peers(gnp.appliesTo), ['prod/web-1'], 'a global policy namespaceSelector restricts it')
})

test('a policy that selects nothing says why: missing values (with the ones that exist), or an empty namespace', async () => {
  const {insight} = await loadFiles([FIXTURE])
  const nothing = describePolicy(insight, findPolicy(insight, 'prod', 'nothing'), {limit: 10})
  assert.equal(nothing.appliesTo.count, 0)
  assert.deepEqual(nothing.explanation, [
    'No endpoint has the label app with the value "nope"; the values that exist are api (1), web (2).',
    'No endpoint has the label tier.',
  ])
  const empty = describePolicy(insight, findPolicy(insight, 'empty', 'in-empty'), {limit: 10})
  assert.deepEqual(empty.explanation, [
    'Namespace empty has no workload endpoints.',
    "2 endpoints match the selector app == 'web', but in other namespaces (dev: 1, prod: 1): a NetworkPolicy applies only to endpoints in its own namespace (empty).",
  ])
})

test('--limit truncates lists but never the counts', async () => {
  const {insight} = await loadFiles([FIXTURE])
  const a = describePolicy(insight, findPolicy(insight, 'prod', 'a-same-order'), {limit: 1})
  assert.deepEqual(
    [
      a.ingress[1]!.source.endpoints!.count,
      a.ingress[1]!.source.endpoints!.endpoints.length,
      a.ingress[1]!.source.endpoints!.truncated,
    ],
    [3, 1, true],
  )
})

function findPolicy(insight: Insight, ns: string | undefined, name: string): KubeObject {
  const found = insight
    .allPolicies()
    .find((p) => p.metadata.name === name && (ns === undefined || p.metadata.namespace === ns))
  assert.ok(found, `${ns}/${name}`)
  return found
}
