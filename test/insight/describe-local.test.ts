import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {ROOT, tableRows, xctl} from '../helpers/cli.js'

// The seed's scenario (examples/multus) through the built CLI with --local; policy variants come on stdin.
const MULTUS = {MULTI_INTERFACE_MODE: 'multus'}
const SCENARIO = ['00-namespaces.yaml', '01-installation.yaml', '03-pod.yaml', '06-production-pods.yaml'].flatMap(
  (f) => ['-f', `examples/multus/${f}`],
)
const POLICY = readFileSync(join(ROOT, 'examples/multus/05-policy.yaml'), 'utf8')
const NAME = 'internal-access.allow-tcp-6379'
const FIXTURE = ['--local', '-f', 'test/fixtures/insight/cluster.yaml']

function withInterface(iface: string, namespace = 'production'): string {
  return POLICY.replace("== 'cali1'", `== '${iface}'`).replace('namespace: production', `namespace: ${namespace}`)
}

test("seed: the policy selecting network-interface == 'cali1' applies to no endpoint, and the output says why", async () => {
  const r = await xctl(['describe', 'networkpolicy', NAME, '-n', 'production', '--local', '-f', 'examples/multus'], {
    env: MULTUS,
  })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Applies to: +no endpoint$/m)
  assert.match(
    r.stdout,
    /No endpoint has the label projectcalico\.org\/network-interface with the value "cali1"; the values that exist are eth0 \(3\), net1 \(3\), net3 \(1\), testiface \(1\)\./,
  )
  assert.match(r.stdout, /^Tier: +internal-access \(order 100, default action Deny\)$/m)
  assert.equal(r.stderr, '')
})

test('seed, as data: -o json and -o yaml carry the same answer', async () => {
  const json = await xctl(
    ['describe', 'np', NAME, '-n', 'production', '-o', 'json', '--local', '-f', 'examples/multus'],
    {env: MULTUS},
  )
  assert.equal(json.code, 0, json.stderr)
  const d = JSON.parse(json.stdout)
  assert.equal(d.kind, 'PolicyDescription')
  assert.deepEqual(d.appliesTo, {count: 0, endpoints: [], truncated: false, byInterface: {}})
  assert.match(d.explanation[0], /"cali1"/)
  assert.equal(
    d.policy.effectiveSelector,
    '(projectcalico.org/network-interface == "cali1" && projectcalico.org/namespace == "production")',
  )
  assert.deepEqual(
    d.ingress[0].source.endpoints.endpoints.map((e: {pod: string; interface: string}) => `${e.pod}/${e.interface}`),
    ['frontend-7d9c/eth0', 'frontend-7d9c/net1'],
  )
  const yaml = await xctl(
    ['describe', 'np', NAME, '-n', 'production', '-o', 'yaml', '--local', '-f', 'examples/multus'],
    {env: MULTUS},
  )
  assert.deepEqual(parseYaml(yaml.stdout), d)
})

test("== 'net1' applies to exactly the net1 endpoints of the production pods, not the default pod's (stays in its namespace)", async () => {
  const r = await xctl(['describe', 'np', NAME, '-n', 'production', '-o', 'json', '--local', ...SCENARIO, '-f', '-'], {
    env: MULTUS,
    input: withInterface('net1'),
  })
  assert.equal(r.code, 0, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.deepEqual(
    d.appliesTo.endpoints.map((e: {namespace: string; name: string}) => `${e.namespace}/${e.name}`),
    [
      'production/test--bo--72vg--kadm--infra--1-k8s-frontend--7d9c-net1',
      'production/test--bo--72vg--kadm--infra--1-k8s-database--0-net1',
    ],
  )
  assert.deepEqual(d.appliesTo.byInterface, {net1: 2})
  assert.deepEqual(
    d.outsideNamespace.endpoints.map((e: {namespace: string; pod: string}) => `${e.namespace}/${e.pod}`),
    ['default/multus-test-pod-1'],
  )
  const text = await xctl(['describe', 'np', NAME, '-n', 'production', '--local', ...SCENARIO, '-f', '-'], {
    env: MULTUS,
    input: withInterface('net1'),
  })
  assert.match(text.stdout, /^Applies to: +2 endpoints \(by interface: net1: 2\)$/m)
  assert.match(
    text.stdout,
    /^Not selected: 1 endpoint in other namespaces matches the selector, but a NetworkPolicy applies only to endpoints in its own namespace \(production\):\n {2}default\/test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1$/m,
  )
})

test("== 'net1' from the seed pod's side: no policy applies to it in default, and the output names the production policy that does not", async () => {
  const r = await xctl(
    [
      'describe',
      'wep',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1',
      '--local',
      ...SCENARIO,
      '-f',
      '-',
    ],
    {env: MULTUS, input: withInterface('net1')},
  )
  assert.equal(r.code, 0, r.stderr)
  assert.match(
    r.stdout,
    /No policy selects this endpoint for ingress: its profiles decide, and kns\.default allows all ingress traffic\./,
  )
  assert.match(
    r.stdout,
    /Not applied: this NetworkPolicy in other namespaces has a selector that matches this endpoint, but a NetworkPolicy applies only to endpoints in its own namespace:\n {2}production\/internal-access\.allow-tcp-6379/,
  )
})

test('a NetworkPolicy in a namespace without endpoints: says the namespace is empty and where the selector does match', async () => {
  const r = await xctl(['describe', 'np', NAME, '-n', 'staging', '--local', ...SCENARIO, '-f', '-'], {
    env: MULTUS,
    input: withInterface('net1', 'staging'),
  })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Why: Namespace staging does not exist/)
  assert.match(
    r.stdout,
    /Why: 3 endpoints match the selector projectcalico\.org\/network-interface == 'net1', but in other namespaces \(default: 1, production: 2\): a NetworkPolicy applies only to endpoints in its own namespace \(staging\)\./,
  )
})

test('describe wep by pod name: every interface, its labels, inherited profile labels, the policy in its tier with the default action', async () => {
  const r = await xctl(
    ['describe', 'wep', 'database-0', '-n', 'production', '-o', 'json', '--local', ...SCENARIO, '-f', '-'],
    {env: MULTUS, input: withInterface('net1')},
  )
  assert.equal(r.code, 0, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.equal(d.kind, 'WorkloadEndpointDescriptionList')
  assert.deepEqual(
    d.items.map((i: {endpoint: {interface: string}}) => i.endpoint.interface),
    ['eth0', 'net1'],
  )
  const [eth0, net1] = d.items
  assert.equal(eth0.ingress.tiers.length, 0)
  assert.deepEqual(net1.endpoint, {
    name: 'test--bo--72vg--kadm--infra--1-k8s-database--0-net1',
    namespace: 'production',
    pod: 'database-0',
    node: 'test-bo-72vg-kadm-infra-1',
    interface: 'net1',
    hostInterface: 'calim13RUPTVYXG',
    ipNetworks: [],
    profiles: ['kns.production', 'ksa.production.database'],
    network: 'additional-calico-network',
    networkNamespace: 'default',
    serviceAccount: 'database',
  })
  assert.deepEqual(
    net1.inheritedLabels.map((p: {name: string; labels: object}) => [p.name, p.labels]),
    [
      ['kns.production', {'pcns.env': 'production', 'pcns.projectcalico.org/name': 'production'}],
      ['ksa.production.database', {'pcsa.projectcalico.org/name': 'database'}],
    ],
  )
  const tier = net1.ingress.tiers[0]
  assert.deepEqual(
    [tier.tier.name, tier.endOfTier, tier.policies.map((p: {name: string}) => p.name)],
    ['internal-access', 'Deny', [NAME]],
  )
  const rule = tier.policies[0].rules[0]
  assert.deepEqual(
    [rule.action, rule.protocol, rule.destination.ports, rule.source.endpoints.count, rule.matchesEndpoint],
    ['Allow', 'TCP', [6379], 2, true],
  )
  assert.deepEqual(net1.egress.tiers[0].policies[0].rules[0].destination.anyEndpoint, true)
  assert.deepEqual(
    net1.ingress.profiles.map((p: {name: string; action: string}) => [p.name, p.action]),
    [
      ['kns.production', 'Allow'],
      ['ksa.production.database', 'None'],
    ],
  )
})

test('describe wep text: sections in evaluation order, each tier ending with its default action, profiles last', async () => {
  const r = await xctl(['describe', 'wep', 'web-1', '-n', 'prod', ...FIXTURE])
  assert.equal(r.code, 0, r.stderr)
  const ingress = r.stdout.slice(r.stdout.indexOf('Ingress ('), r.stdout.indexOf('Egress ('))
  const order = [
    ...ingress.matchAll(/^ {2}Tier (\S+)|^ {4}\d+\. \S+ (\S+)|^ {4}End of tier (\S+): (\w+)|^ {2}(Profiles)/gm),
  ].map((m) => m.slice(1).filter(Boolean).join(' '))
  assert.deepEqual(order, [
    'platform',
    'platform.prod-only',
    'platform Pass',
    'default',
    'prod/a-same-order',
    'prod/b-same-order',
    'default Deny',
    'unordered',
    'prod/unordered.last',
    'unordered Deny',
    'Profiles',
  ])
  assert.match(r.stdout, /^Inherited: +pcns\.env=prod {2}\(from kns\.prod\)$/m)
  assert.match(
    r.stdout,
    /from: selector app == 'web' in namespaces matching env == 'dev': 1 endpoint: dev\/node--b-k8s-web--2-eth0/,
  )
})

test('describe gnp: namespaceSelector restricts a global policy; a rule with global() reaches no workload endpoint', async () => {
  const r = await xctl(['describe', 'gnp', 'security.hosts-only', ...FIXTURE, '-o', 'json'])
  assert.equal(r.code, 0, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.equal(d.appliesTo.count, 3)
  assert.equal(d.policy.namespace, undefined)
  assert.equal(d.egress[0].destination.scope, 'non-namespaced endpoints only (global())')
  assert.match(d.egress[0].destination.explanation[0], /global\(\) matches only non-namespaced endpoints/)
})

test('exit codes: not found 1 (with a hint when the name is in another namespace), bad kind 2, bad output 2, missing files 3', async () => {
  const missing = await xctl(['describe', 'wep', 'nope', ...FIXTURE])
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /workloadendpoints\.projectcalico\.org "nope" not found in namespace "default"/)
  const elsewhere = await xctl(['describe', 'wep', 'web-1', ...FIXTURE])
  assert.equal(elsewhere.code, 1)
  assert.match(elsewhere.stderr, /Hint: it exists in namespace prod: add -n prod/)
  const np = await xctl(['describe', 'np', 'nope', '-n', 'prod', ...FIXTURE])
  assert.equal(np.code, 1)
  assert.match(np.stderr, /networkpolicies\.projectcalico\.org "nope" not found in namespace "prod"/)
  const kind = await xctl(['describe', 'ippool', 'x', ...FIXTURE])
  assert.equal(kind.code, 2)
  assert.match(kind.stderr, /describe does not support IPPool/)
  const out = await xctl(['describe', 'np', 'nothing', '-n', 'prod', '-o', 'wide', ...FIXTURE])
  assert.equal(out.code, 2)
  const file = await xctl(['describe', 'np', 'x', '--local', '-f', 'does/not/exist.yaml'])
  assert.equal(file.code, 3, file.stderr)
})

test('eval: the endpoints a selector matches, as get wep prints them; -n scopes like a NetworkPolicy, -A like a global one', async () => {
  const all = await xctl(
    ['eval', "projectcalico.org/network-interface == 'net1'", '-A', '--local', '-f', 'examples/multus'],
    {env: MULTUS},
  )
  assert.equal(all.code, 0, all.stderr)
  const rows = tableRows(all.stdout)
  assert.deepEqual(rows[0], ['NAMESPACE', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'])
  assert.deepEqual(
    rows.slice(1).map((r) => `${r[0]}/${r[1]}`),
    ['default/multus-test-pod-1', 'production/frontend-7d9c', 'production/database-0'],
  )
  const ns = await xctl(
    [
      'eval',
      "projectcalico.org/network-interface == 'net1'",
      '-n',
      'production',
      '-o',
      'name',
      '--local',
      '-f',
      'examples/multus',
    ],
    {env: MULTUS},
  )
  assert.deepEqual(ns.stdout.trim().split('\n'), [
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--1-k8s-frontend--7d9c-net1',
    'workloadendpoint.projectcalico.org/test--bo--72vg--kadm--infra--1-k8s-database--0-net1',
  ])
  const none = await xctl(
    ['eval', "projectcalico.org/network-interface == 'cali1'", '-A', '--local', '-f', 'examples/multus'],
    {env: MULTUS},
  )
  assert.equal(none.code, 0)
  assert.equal(tableRows(none.stdout).length, 1, 'header only')
})

test('eval sees profile labels: pcns. namespace labels and pcsa. service-account labels', async () => {
  const byNs = await xctl(['eval', "pcns.env == 'prod' && app == 'web'", '-A', '-o', 'json', ...FIXTURE])
  assert.equal(byNs.code, 0, byNs.stderr)
  assert.deepEqual(
    JSON.parse(byNs.stdout).items.map((i: {spec: {pod: string}}) => i.spec.pod),
    ['web-1'],
  )
  const bySa = await xctl(['eval', "pcsa.role == 'api-sa'", '-n', 'prod', '-o', 'yaml', ...FIXTURE])
  assert.deepEqual(
    parseYaml(bySa.stdout).items.map((i: {spec: {pod: string}}) => i.spec.pod),
    ['api-1'],
  )
  const byName = await xctl(['eval', "pcns.projectcalico.org/name in {'dev'}", '-A', '-o', 'name', ...FIXTURE])
  assert.equal(byName.stdout.trim(), 'workloadendpoint.projectcalico.org/node--b-k8s-web--2-eth0')
})

test('eval: a bad selector is a usage error (2) that points at the column', async () => {
  const r = await xctl(['eval', "role == 'frontend' &&& x", ...FIXTURE])
  assert.equal(r.code, 2)
  const lines = r.stderr.split('\n')
  assert.equal(lines[0], 'error: invalid selector: expected && (at column 22)')
  assert.equal(lines[1], "Hint: selector: role == 'frontend' &&& x")
  assert.equal(lines[2]!.indexOf('^'), lines[1]!.indexOf('&&&') + 2)
  const both = await xctl(['eval', 'all()', '-A', '-n', 'x', ...FIXTURE])
  assert.equal(both.code, 2)
})
