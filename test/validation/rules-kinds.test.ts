import {test} from 'node:test'
import {invalid, valid} from './helpers.js'

/**
 * NetworkSet, GlobalNetworkSet, HostEndpoint and StagedKubernetesNetworkPolicy rules, with cases from Calico's own
 * table (projectcalico/calico libcalico-go/lib/validator/v3/validator_test.go v3.32.1, the lines cited; the whole
 * table runs in upstream-cases.test.ts) and the messages and positions xctl gives.
 */
const doc = (kind: string, meta: string, spec: string) =>
  `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n${meta}spec:\n${spec}`

test('network sets: nets are IPs or CIDRs, names are subdomains, projectcalico.org/namespace is reserved', async () => {
  // validator_test.go:439 "should accept NetworkSetSpec with CIDRs and IPs"
  await valid(
    doc('NetworkSet', '  name: testset\n', '  nets: [10.0.0.1, 11.0.0.0/8, "dead:beef::", "dead:beef::/96"]\n'),
  )
  // :381 the same for GlobalNetworkSetSpec
  await valid(doc('GlobalNetworkSet', '  name: testset\n  labels: {a: b}\n', '  nets: [10.0.0.1]\n'))
  // :450 "should reject NetworkSetSpec with bad CIDR"
  await invalid(
    doc('NetworkSet', '  name: s\n', '  nets: [10.0.0.0/8, garbage]\n'),
    'networkset/nets',
    6,
    22,
    /nets\[1\] "garbage" is not an IP address or CIDR/,
  )
  // :472 / :414 "should reject ... with reserved labels"
  await invalid(
    doc(
      'GlobalNetworkSet',
      '  name: testset\n  labels:\n    projectcalico.org/namespace: foo\n',
      '  nets: [10.0.0.1]\n',
    ),
    'networkset/reserved-label',
    6,
    5,
    /projectcalico.org\/namespace is not a valid label name/,
  )
  // :486 "should reject NetworkSet with bad name"
  await invalid(
    doc('NetworkSet', '  name: test$set\n', '  nets: [10.0.0.1]\n'),
    'networkset/name',
    4,
    9,
    /not a valid NetworkSet name/,
  )
  await invalid(
    doc('GlobalNetworkSet', '  name: g\n  namespace: prod\n', '  nets: []\n'),
    'metadata/namespace',
    5,
    3,
    /GlobalNetworkSet is cluster-scoped/,
  )
  await invalid(
    doc('NetworkSet', '  name: s\n', '  net: [10.0.0.1]\n'),
    'networkset/unknown-field',
    6,
    3,
    /did you mean "nets"/,
    {
      code: 0,
    },
  )
})

test('host endpoints: a node, an interface or expected IPs, named ports', async () => {
  // :946, :951, :956 accepted; :373 interfaceName "*"
  await valid(doc('HostEndpoint', '  name: h\n', '  node: node01\n  interfaceName: eth0\n'))
  await valid(doc('HostEndpoint', '  name: h\n', '  node: node01\n  expectedIPs: [1.2.3.4, "aabb:aabb::ffff"]\n'))
  await valid(doc('HostEndpoint', '  name: h\n', '  node: node01\n  interfaceName: "*"\n'))
  // :314 / :354 named ports, also with clashing names
  await valid(
    doc(
      'HostEndpoint',
      '  name: h\n',
      '  node: node01\n  interfaceName: eth0\n  ports:\n  - {name: a-valid-port, protocol: TCP, port: 1234}\n  - {name: a-valid-port, protocol: UDP, port: 5456}\n',
    ),
  )
  // :962 "should reject host endpoint with no config"
  await invalid(
    doc('HostEndpoint', '  name: h\n', '  node: node01\n'),
    'hostendpoint/interface',
    6,
    3,
    /no interface or expected IPs/,
  )
  // :341 "should reject HostEndpointSpec with a missing node"
  await invalid(
    doc('HostEndpoint', '  name: h\n', '  interfaceName: eth0\n'),
    'hostendpoint/node',
    6,
    3,
    /no node has been specified/,
  )
  // :328 "should reject HostEndpointSpec with an unnamed port"
  await invalid(
    doc(
      'HostEndpoint',
      '  name: h\n',
      '  node: node01\n  interfaceName: eth0\n  ports:\n  - {protocol: TCP, port: 1234}\n',
    ),
    'hostendpoint/ports',
    9,
    5,
    /ports\[0\] needs a name/,
  )
  // :981 "should reject host endpoint with no prefix and dots at the start of the name"
  await invalid(
    doc('HostEndpoint', '  name: h\n', '  node: node01\n  interfaceName: eth0\n  profiles: [.fun]\n'),
    'hostendpoint/profiles',
    8,
    14,
    /profiles\[0\] ".fun" is not a profile name/,
  )
  await invalid(
    doc('HostEndpoint', '  name: h\n', '  node: node01\n  interfaceName: this-is-too-long0\n'),
    'hostendpoint/interface',
    7,
    18,
    /is not an interface name/,
  )
  await invalid(
    doc('HostEndpoint', '  name: h\n', '  node: node01\n  expectedIPs: [10.0.0.0/8]\n'),
    'hostendpoint/expected-ips',
    7,
    17,
    /"10.0.0.0\/8" is not an IP address/,
  )
})

test('staged Kubernetes policies: stagedAction, Delete carries nothing else, the spec must convert', async () => {
  const sknp = (spec: string) => doc('StagedKubernetesNetworkPolicy', '  name: p\n  namespace: prod\n', spec)
  await valid(sknp('  stagedAction: Set\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n'))
  await valid(sknp('  stagedAction: Delete\n  podSelector: {}\n'))
  await invalid(
    sknp('  stagedAction: Warning\n'),
    'stagedk8s/staged-action',
    7,
    17,
    /must be Set, Delete, Learn or Ignore/,
  )
  await invalid(
    sknp('  stagedAction: Delete\n  podSelector: {matchLabels: {app: web}}\n'),
    'stagedk8s/staged-action',
    8,
    3,
    /no other field may be set \(here: podSelector\)/,
  )
  await invalid(
    sknp('  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.1}}]\n'),
    'stagedk8s/peer',
    8,
    22,
    /ipBlock.cidr "10.0.0.1" is not a CIDR/,
  )
  await invalid(
    sknp('  egress:\n  - ports: [{protocol: ICMP, port: 1}]\n'),
    'stagedk8s/port',
    8,
    24,
    /must be TCP, UDP or SCTP/,
  )
  await invalid(
    sknp('  podSelector:\n    matchExpressions: [{key: app, operator: Has}]\n'),
    'stagedk8s/selector',
    8,
    45,
    /operator "Has" is not valid/,
  )
})

test('staged Calico policies (rules shared with NetworkPolicy): stagedAction and the knp. prefix', async () => {
  const snp = (name: string, spec: string) => doc('StagedNetworkPolicy', `  name: ${name}\n  namespace: prod\n`, spec)
  // validator_test.go:2917 "allow k8s policy name" (the validator accepts it; calicoctl refuses to write it)
  await invalid(
    snp('knp.default.thing', '  stagedAction: Delete\n'),
    'policy/reserved-name',
    4,
    9,
    /how Calico shows Kubernetes/,
    {
      code: 0,
    },
  )
  // :2956 "should reject a valid StagedAction value 'Delete' if any other Spec field is set"
  await invalid(
    snp('thing', '  stagedAction: Delete\n  selector: foo == "bar"\n'),
    'policy/staged-action',
    8,
    3,
    /no other field but tier/,
  )
  // :2897 / :2901 names
  await valid(snp('thing', '  stagedAction: Delete\n'))
  await invalid(snp('t.h.i.ng', '  stagedAction: Delete\n'), 'policy/name', 4, 9, /at most one is allowed/)
})
