import {test} from 'node:test'
import assert from 'node:assert/strict'
import {check, expectNo, invalid, nad, rules, valid} from './helpers.js'

/**
 * Issue 13: validate agrees with Calico's own validator (libcalico-go/lib/validator/v3/validator.go, v3.32.1),
 * the API types of projectcalico/api and tigera/api, Calico's CNI plugin types and libcni.
 */

const pool = (spec: string, meta = '') =>
  `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n${meta}spec:\n  cidr: 10.10.0.0/16\n${spec}`
const gnp = (spec: string, meta = '') =>
  `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: g\n${meta}spec:\n${spec}`
const tier = (name: string, spec: string) =>
  `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: ${name}\nspec:\n${spec}`

test('misses: label keys and values, annotation keys and total size in metadata', async () => {
  await invalid(
    pool('', '  labels:\n    ProjectCalico.org/label: v\n'),
    'metadata/labels',
    6,
    5,
    /label key "ProjectCalico.org\/label" is not valid: the prefix "ProjectCalico.org" must be a lower-case DNS-1123 subdomain/,
  )
  await invalid(
    pool('', `  labels:\n    a: ${'x'.repeat(64)}\n`),
    'metadata/labels',
    6,
    8,
    /value of label "a" is not valid: it is 64 characters long \(at most 63\)/,
  )
  await valid(pool('', `  labels:\n    projectcalico.org/Label: ${'x'.repeat(63)}\n`))
  await invalid(
    pool('', '  annotations:\n    projectcalico.org$label: v\n'),
    'metadata/annotations',
    6,
    5,
    /annotation key "projectcalico.org\$label" is not valid/,
  )
  // Annotation keys are compared in lower case: an upper-case prefix is fine.
  await valid(pool('', '  annotations:\n    ProjectCalico.org/Label: v\n'))
  // 256 KiB in keys and values together: "key" plus 256 KiB - 3 is the limit.
  await valid(pool('', `  annotations:\n    key: ${'x'.repeat(256 * 1024 - 3)}\n`))
  await invalid(
    pool('', `  annotations:\n    key: ${'x'.repeat(256 * 1024 - 2)}\n`),
    'metadata/annotations',
    5,
    3,
    /too large by 1 bytes/,
  )
})

test("misses: a rule's metadata.annotations are checked like an object's", async () => {
  await invalid(
    gnp('  ingress:\n  - action: Allow\n    metadata:\n      annotations:\n        bad$key: x\n'),
    'metadata/annotations',
    10,
    9,
    /annotation key "bad\$key"/,
  )
  await valid(gnp('  ingress:\n  - action: Allow\n    metadata:\n      annotations:\n        Example.com/Why: audit\n'))
})

test('misses: IPPool allowedUses combinations', async () => {
  await invalid(
    pool('  allowedUses: [LoadBalancer]\n  disableBGPExport: true\n'),
    'ippool/allowed-uses',
    8,
    21,
    /LoadBalancer pool cannot set disableBGPExport/,
  )
  await invalid(
    pool('  allowedUses: [LoadBalancer]\n  vxlanMode: Always\n'),
    'ippool/allowed-uses',
    8,
    14,
    /Neither IPIPMode nor VXLANMode/,
  )
  await invalid(
    pool('  allowedUses: [LoadBalancer]\n  ipipMode: CrossSubnet\n'),
    'ippool/allowed-uses',
    8,
    13,
    /Neither IPIPMode nor VXLANMode/,
  )
  await invalid(
    pool('  allowedUses: [LoadBalancer, Workload]\n'),
    'ippool/allowed-uses',
    7,
    31,
    /LoadBalancer cannot be used at the same time as: Workload/,
  )
  await invalid(
    pool('  allowedUses: [LoadBalancer]\n  nodeSelector: role == "edge"\n'),
    'ippool/allowed-uses',
    8,
    17,
    /must have node selector set to all\(\)/,
  )
  await valid(pool('  allowedUses: [LoadBalancer]\n  nodeSelector: all()\n'))
  await valid(pool('  allowedUses: [LoadBalancer]\n'))
  await invalid(
    pool('  allowedUses: [Tunnel]\n  namespaceSelector: team == "a"\n'),
    'ippool/allowed-uses',
    8,
    22,
    /Tunnel cannot have namespaceSelector/,
  )
  await valid(pool('  allowedUses: [Workload]\n  namespaceSelector: team == "a"\n'))
})

test("misses: the built-in tiers' defaultAction (and order) are fixed", async () => {
  await invalid(
    tier('default', '  order: 1000000\n  defaultAction: Pass\n'),
    'tier/default-action',
    7,
    18,
    /the 'default' tier must have default action 'Deny'/,
  )
  await valid(tier('default', '  order: 1000000\n  defaultAction: Deny\n'))
  await valid(tier('default', '  order: 1000000\n'))
  await invalid(
    tier('kube-admin', '  order: 1000\n'),
    'tier/default-action',
    6,
    3,
    /the 'kube-admin' tier must have default action 'Pass' \(none is set, so it defaults to Deny\)/,
  )
  await invalid(
    tier('kube-baseline', '  order: 10000000\n  defaultAction: Deny\n'),
    'tier/default-action',
    7,
    18,
    /'kube-baseline' tier must have default action 'Pass'/,
  )
  await valid(tier('kube-baseline', '  order: 10000000\n  defaultAction: Pass\n'))
  await invalid(tier('kube-admin', '  defaultAction: Pass\n'), 'tier/order', 6, 3, /kube-admin tier order must be 1000/)
  // Other tiers may say either.
  await valid(tier('security', '  order: 100\n  defaultAction: Pass\n'))
})

test('misses: duplicate performanceHints, HTTP paths and methods', async () => {
  await invalid(
    gnp('  performanceHints: [AssumeNeededOnEveryNode, AssumeNeededOnEveryNode]\n'),
    'policy/performance-hints',
    6,
    47,
    /lists "AssumeNeededOnEveryNode" twice/,
  )
  const http = (h: string) => gnp(`  ingress:\n  - action: Allow\n    http:\n${h}`)
  await invalid(
    http('      paths:\n      - exact: /a\n        prefix: /b\n'),
    'policy/http',
    10,
    9,
    /sets both exact and prefix/,
  )
  await invalid(http('      paths:\n      - {}\n'), 'policy/http', 10, 9, /sets neither exact nor prefix/)
  await invalid(
    http('      paths:\n      - exact: a/b\n'),
    'policy/http',
    10,
    16,
    /must start with \/ and not contain \?, # or a space/,
  )
  await invalid(http('      paths:\n      - prefix: "/a?b"\n'), 'policy/http', 10, 17, /must start with \//)
  await invalid(
    http('      methods: [GET, PUT, GET]\n'),
    'policy/http',
    9,
    27,
    /lists "GET" twice: Invalid methods \(duplicates\)/,
  )
  await valid(http('      methods: [GET, PUT]\n      paths:\n      - exact: /a\n      - prefix: /b\n'))
})

test('misses: libcni reads disableCheck, disableGC and loadOnlyInlinedPlugins as booleans', async () => {
  const list = (extra: string) => nad(`{"cniVersion": "1.0.0", "name": "n", ${extra}"plugins": [{"type": "bridge"}]}`)
  await invalid(
    list('"disableCheck": "yes", '),
    'nad/conflist-flag',
    7,
    65,
    /disableCheck is "yes"; it must be true or false \(libcni refuses the conflist: error parsing configuration list: invalid value "yes" for disableCheck\)/,
  )
  await invalid(
    list('"loadOnlyInlinedPlugins": 1, '),
    'nad/conflist-flag',
    7,
    75,
    /invalid type float64 for loadOnlyInlinedPlugins/,
  )
  await valid(list('"disableCheck": "TRUE", "disableGC": false, '))
  await invalid(
    nad('{"cniVersion": "1.0.0", "name": "n", "loadOnlyInlinedPlugins": true}'),
    'nad/conflist-flag',
    7,
    75,
    /no 'plugins' key/,
  )
})

test('false errors: a disabled pool may be smaller than its block; knp.default. names; services with source ports', async () => {
  await invalid(
    pool('  blockSize: 26\n').replace('10.10.0.0/16', '10.10.0.0/28'),
    'ippool/block-size',
    7,
    14,
    /smaller than its block size/,
  )
  await valid(pool('  blockSize: 26\n  disabled: true\n').replace('10.10.0.0/16', '10.10.0.0/28'))
  const knp = await check(
    'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: knp.default.allow-dns\n  namespace: default\nspec:\n  selector: all()\n',
  )
  assert.deepEqual(rules(knp), ['policy/reserved-name'])
  assert.equal(knp.findings[0].severity, 'warning')
  assert.equal(knp.code, 0)
  // validateRule refuses ports next to services in the destination only; a source may have them.
  await valid(
    gnp(
      '  ingress:\n  - action: Allow\n    protocol: TCP\n    source:\n      services: {name: web, namespace: prod}\n      ports: [8080]\n',
    ),
  )
  await invalid(
    gnp(
      '  egress:\n  - action: Allow\n    protocol: TCP\n    destination:\n      services: {name: web, namespace: prod}\n      ports: [8080]\n',
    ),
    'policy/services',
    10,
    7,
    /cannot be combined with ports \(cannot specify ports with a service selector\)/,
  )
})

test('Calico Enterprise / Calico Cloud: accepted; with --flavor oss a warning that names the product', async () => {
  const hsi = pool('  allowedUses: [HostSecondaryInterface]\n')
  await valid(hsi)
  await valid(hsi, {flavor: 'enterprise'})
  await invalid(
    hsi,
    'calico/enterprise-only',
    7,
    17,
    /allowedUses "HostSecondaryInterface" is a Calico Enterprise \/ Calico Cloud feature/,
    {flavor: 'oss'},
  )
  await invalid(pool('  allowedUses: [Gateway]\n'), 'ippool/allowed-uses', 7, 17, /unknown use/)
  const domains = gnp('  egress:\n  - action: Allow\n    destination:\n      domains: [example.com]\n')
  await valid(domains)
  await invalid(domains, 'calico/enterprise-only', 9, 7, /destination.domains is a Calico Enterprise/, {flavor: 'oss'})
  const headers = gnp(
    '  ingress:\n  - action: Allow\n    http:\n      headers:\n      - {header: X-Team, operator: In, values: [a]}\n',
  )
  await valid(headers)
  await invalid(headers, 'calico/enterprise-only', 9, 7, /http.headers is a Calico Enterprise/, {flavor: 'oss'})
  await invalid(
    gnp(
      '  ingress:\n  - action: Allow\n    http:\n      headers:\n      - {header: X-Team, operator: Equals, values: [a]}\n',
    ),
    'policy/http',
    10,
    36,
    /operator is "Equals"; it must be one of Exists, DoesNotExist/,
  )
  await valid(pool('  awsSubnetID: subnet-0123\n'))
  await invalid(
    pool('  awsSubnetID: subnet-0123\n'),
    'calico/enterprise-only',
    7,
    3,
    /IPPool awsSubnetID is a Calico Enterprise/,
    {flavor: 'oss'},
  )
})

test('Calico Enterprise CNI keys: "network" (VRF) and device_type accepted; qps, burst, windows_*, calico_api_group are read by the plugin', async () => {
  const calico = (extra: string) =>
    nad(`{"cniVersion": "1.0.0", "type": "calico", ${extra}"ipam": {"type": "calico-ipam"}}`)
  const enterprise = calico('"network": "vrf-blue", "device_type": "vrf", ')
  await valid(enterprise)
  const oss = await check(enterprise, {flavor: 'oss'})
  assert.deepEqual(rules(oss), ['calico/enterprise-only', 'calico/enterprise-only'])
  assert.match(
    oss.findings[0].message,
    /"network" is a Calico Enterprise \/ Calico Cloud feature: the Calico Open Source plugin ignores it/,
  )
  await valid(
    calico(
      '"qps": 50, "burst": 100, "calico_api_group": "projectcalico.org/v3", "windows_use_single_network": true, "windows_loopback_DSR": false, ',
    ),
  )
  await invalid(
    calico('"qps": "50", '),
    'nad/calico-value',
    7,
    61,
    /setting "qps" is "50"; it must be a whole number: write 50 without quotes/,
  )
  await invalid(
    calico('"windows_use_single_netwrk": true, '),
    'nad/calico-unknown-key',
    7,
    54,
    /did you mean "windows_use_single_network"/,
  )
})

test('pod/network-namespace: a JSON-form element that names its namespace is not "written without a namespace"', async () => {
  const input = (networks: string) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: net-a
  namespace: infra
spec:
  config: '{"cniVersion": "1.0.0", "type": "bridge"}'
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: app
  annotations:
    k8s.v1.cni.cncf.io/networks: '${networks}'
spec: {}
`
  const named = await check(input('[{"name": "net-a", "namespace": "other"}]'))
  expectNo(named, 'pod/network-namespace')
  const shortNamed = await check(input('other/net-a'))
  expectNo(shortNamed, 'pod/network-namespace')
  // Without a namespace the multus#337 hint still applies.
  await invalid(
    input('[{"name": "net-a"}]'),
    'pod/network-namespace',
    15,
    46,
    /without a namespace Multus looks in the pod's namespace "app"/,
  )
})

test('capitalised Metadata:/Spec: is reported as a key with the wrong case, not as a missing name', async () => {
  const r = await check(
    'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nMetadata:\n  name: g\nSpec:\n  selector: all()\n',
  )
  assert.deepEqual(rules(r), ['metadata/key-case', 'metadata/key-case'])
  assert.match(
    r.findings[0].message,
    /the key "Metadata" has the wrong case: field names are case-sensitive, so this is not metadata at all; write metadata:/,
  )
  assert.equal(r.findings[1].line, 5)
  assert.equal(r.code, 1)
  const kind = await check('apiVersion: v1\nKind: Pod\nmetadata:\n  name: p\n')
  assert.deepEqual(rules(kind), ['metadata/key-case'])
  assert.match(kind.findings[0].message, /"Kind" has the wrong case.*write kind:/)
})
