import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {check, expectFinding, expectNo, invalid, rules, valid} from './helpers.js'

const TIER = `---
apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: internal-access
spec:
  order: 100
`

/** A NetworkPolicy in tier internal-access (defined after it); `spec` lines start at line 8. */
function np(spec: string, name = 'internal-access.allow'): string {
  return `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: production
spec:
  tier: internal-access
${spec}${TIER}`
}

/** A GlobalNetworkPolicy in the default tier; `spec` lines start at line 6. */
function gnp(spec: string, name = 'allow'): string {
  return `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`
}

test('valid policies', async () => {
  await valid(
    np(`  order: 10
  selector: app == 'db' && projectcalico.org/network-interface in {"net1", "eth0"}
  serviceAccountSelector: role == "x"
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: role == 'frontend'
      namespaceSelector: global()
      serviceAccounts: {names: [a], selector: has(b)}
    destination:
      ports: [6379, "8000:8080", http]
    http: {methods: [GET], paths: [{prefix: /api}]}
  - action: Deny
    protocol: ICMP
    icmp: {type: 8, code: 0}
    ipVersion: 4
    source:
      nets: [10.0.0.0/8, 192.168.1.1]
  egress:
  - action: Allow
    protocol: 17
    destination:
      services: {name: kube-dns, namespace: kube-system}
  - action: Pass
    notProtocol: UDPLite
`),
  )
  await valid(
    gnp(`  selector: all()
  namespaceSelector: team == "a"
  preDNAT: true
  applyOnForward: true
  ingress:
  - action: Deny
    source:
      notNets: [10.0.0.0/8]
`),
  )
  await valid(
    'apiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata:\n  name: s\nspec:\n  stagedAction: Set\n  selector: a == "b"\n',
  )
})

test('the seed policy: the unquoted value is a selector error at its column; quoted, the host-side-looking name is a warning', async () => {
  const seed = readFileSync('test/fixtures/validation/seed/seed-policy.yaml', 'utf8')
  const r = await check(seed + TIER)
  expectFinding(
    r,
    'policy/selector-syntax',
    10,
    52,
    /does not parse: expected string \(column 40 of the selector\): values must be quoted, e.g. == 'cali1'/,
  )
  assert.deepEqual(rules(r), ['policy/selector-syntax'])
  assert.equal(r.code, 1)
  const quoted = await invalid(
    seed.replace('== cali1', "== 'cali1'") + TIER,
    'policy/network-interface-label',
    10,
    53,
    /compares projectcalico.org\/network-interface with "cali1", which looks like a host-side interface name; the label holds the interface name inside the pod \(eth0, net1, net2/,
    {code: 0},
  )
  assert.deepEqual(rules(quoted), ['policy/network-interface-label'])
  // With the seed's pod in the input, cali1 really is an in-pod name: no warning.
  const withPod = readFileSync('test/fixtures/validation/seed/seed-pod.yaml', 'utf8')
  const r2 = await check(`${seed.replace('== cali1', "== 'cali1'")}${TIER}---\n${withPod}`)
  expectNo(r2, 'policy/network-interface-label')
  // Host-side names in an `in` set too, anywhere in a rule.
  await invalid(
    np(
      `  ingress:\n  - action: Allow\n    source:\n      selector: projectcalico.org/network-interface in {'calim17CD6INXIX', 'net1'}\n`,
    ),
    'policy/network-interface-label',
    11,
    58,
    undefined,
    {code: 0},
  )
})

test('names and tiers', async () => {
  await invalid(np('', 'a.b.c'), 'policy/name', 4, 9, /it has 2 dots, and at most one is allowed/)
  await invalid(np('', 'Internal-access.x'), 'policy/name', 4, 9, /not a valid NetworkPolicy name/)
  // Calico's validator accepts knp.default. names (networkPolicyNameRegex); only calicoctl refuses to write them.
  const knp = await invalid(
    np('', 'knp.default.foo'),
    'policy/reserved-name',
    4,
    9,
    /validator accepts the name, but calicoctl refuses/,
    {code: 0},
  )
  expectNo(knp, 'policy/name')
  await invalid(gnp('', 'a.b.c'), 'policy/name', 4, 9, /GlobalNetworkPolicy/)
  await invalid(
    np('', 'allow'),
    'policy/tier-prefix',
    4,
    9,
    /in tier "internal-access" but named "allow": Calico v3.31 and older refuse it.*name it "internal-access.allow"/,
    {code: 0},
  )
  await invalid(
    gnp('  selector: all()\n', 'security.allow'),
    'policy/tier-prefix',
    4,
    9,
    /spec.tier is not set: Calico v3.32 and newer put this policy in tier "default", v3.31 and older in tier "security"/,
    {code: 0},
  )
  await invalid(
    gnp('  tier: default\n', 'security.allow'),
    'policy/tier-prefix',
    4,
    9,
    /has the prefix "security." but spec.tier is default/,
    {code: 0},
  )
  const missing = np('').replace(TIER, '')
  await invalid(
    missing,
    'policy/tier-not-found',
    7,
    9,
    /tier "internal-access" is not defined in the input: Calico refuses the policy unless the Tier exists in the cluster/,
    {code: 0},
  )
  await valid(gnp('  tier: default\n  selector: all()\n'))
  await valid(gnp('  tier: kube-admin\n', 'kube-admin.x'))
  await invalid(gnp('  tier: Security\n'), 'policy/field-type', 6, 9, /not a valid tier name/)
  await invalid(gnp('  order: "100"\n'), 'policy/order', 6, 10, /must be a number \(write 100 without quotes\)/)
  await invalid(
    'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: x\n  namespace: default\n',
    'metadata/namespace',
    5,
    3,
    /cluster-scoped: remove metadata.namespace/,
  )
  await invalid(
    'apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata:\n  name: x\n',
    'calico/internal-api',
    1,
    13,
    /internal storage form: write apiVersion projectcalico.org\/v3/,
    {code: 0},
  )
})

test('selectors: syntax errors at their column, global() placement', async () => {
  await invalid(gnp('  selector: a == "b\n'), 'policy/selector-syntax', 6, 18, /unterminated string.*close the quote/)
  await invalid(
    gnp('  selector: \'a = "b"\'\n'),
    'policy/selector-syntax',
    6,
    16,
    /expected ==.*write == \(two equals signs\)/,
  )
  await invalid(gnp('  selector: "has(a) &&"\n'), 'policy/selector-syntax', 6, 23, /the selector ends too early/)
  await invalid(
    gnp('  selector: global()\n'),
    'policy/selector-global',
    6,
    13,
    /global\(\) can only be used as a rule's whole namespaceSelector/,
  )
  await invalid(
    gnp('  ingress:\n  - action: Allow\n    source:\n      namespaceSelector: global() && a == "b"\n'),
    'policy/selector-global',
    9,
    26,
    /cannot be combined with other selectors/,
  )
  await invalid(gnp('  selector: 42\n'), 'policy/selector-syntax', 6, 13, /a selector is a string/)
})

test('rules: action, protocol, ipVersion, ICMP', async () => {
  const rule = (body: string) => gnp(`  ingress:\n  - ${body.replace(/\n/g, '\n    ')}\n`)
  await invalid(rule('protocol: TCP'), 'policy/action', 7, 5, /has no action: set action to Allow, Deny, Log or Pass/)
  await invalid(rule('action: allow'), 'policy/action', 7, 13, /case-sensitive: write Allow/)
  await invalid(rule('action: Accept'), 'policy/action', 7, 13, /must be Allow, Deny, Log or Pass/)
  await invalid(
    rule('action: Allow\nprotocol: tcp'),
    'policy/protocol',
    8,
    15,
    /protocol names are case-sensitive, write TCP/,
  )
  await invalid(rule('action: Allow\nprotocol: 256'), 'policy/protocol', 8, 15, /from 1 to 255/)
  await invalid(rule('action: Allow\nnotProtocol: 0'), 'policy/protocol', 8, 18, /from 1 to 255/)
  await invalid(rule('action: Allow\nipVersion: 5'), 'policy/ip-version', 8, 16, /must be 4 or 6/)
  await invalid(rule('action: Allow\nprotocol: ICMP\nicmp: {type: 255}'), 'policy/icmp', 9, 18, /from 0 to 254/)
  await invalid(
    rule('action: Allow\nprotocol: ICMP\nicmp: {code: 1}'),
    'policy/icmp',
    9,
    18,
    /ICMP code specified without an ICMP type/,
  )
  await invalid(
    rule('action: Allow\nicmp: {type: 8}'),
    'policy/icmp',
    8,
    5,
    /rules that specify ICMP fields must set protocol to ICMP/,
  )
  await invalid(
    rule('action: Allow\nprotocol: ICMP\nipVersion: 6'),
    'policy/icmp',
    9,
    16,
    /must set ipversion to '4' with protocol icmp/,
  )
  await invalid(rule('action: Allow\nprotocol: ICMPv6\nipVersion: 4'), 'policy/icmp', 9, 16, /ICMPv6 is IPv6 only/)
  await invalid(
    rule('action: Allow\nprotocl: TCP'),
    'policy/unknown-field',
    8,
    5,
    /has no field "protocl" \(did you mean "protocol"\?\)/,
    {code: 0},
  )
})

test('rules: ports and their protocol', async () => {
  const dest = (ports: string, extra = 'protocol: TCP\n    ') =>
    gnp(`  ingress:\n  - action: Allow\n    ${extra}destination:\n      ports: ${ports}\n`)
  await invalid(
    dest('["90:80"]'),
    'policy/ports',
    10,
    15,
    /minimum port number \(90\) is greater than maximum port number \(80\) in port range; write "80:90"/,
  )
  await invalid(dest('[0]'), 'policy/ports', 10, 15, /port number must be between 1 and 65535/)
  await invalid(dest('[70000]'), 'policy/ports', 10, 15, /between 1 and 65535/)
  await invalid(dest('["bad port!"]'), 'policy/ports', 10, 15, /invalid name for named port \(bad port!\)/)
  await invalid(
    dest('[6379]', ''),
    'policy/ports-protocol',
    9,
    15,
    /rules with numeric port or port range must set protocol to TCP or UDP or SCTP/,
  )
  await invalid(
    dest('[http]', 'protocol: ICMP\n    '),
    'policy/ports-protocol',
    10,
    15,
    /rules that specify ports must set protocol to TCP or UDP or SCTP/,
  )
  await valid(dest('[http]', ''))
  await invalid(dest('6379'), 'policy/field-type', 10, 14, /must be a list of ports \(write \[6379\]\)/)
})

test('rules: nets, services, http, types', async () => {
  const src = (body: string, extra = '') => gnp(`  ingress:\n  - action: Allow\n    ${extra}source:\n      ${body}\n`)
  await invalid(src('nets: [10.0.0.0/33]'), 'policy/nets', 9, 14, /not an IP address or CIDR \(invalid CIDR\)/)
  await invalid(src('nets: [10.0.0.0/8, "fd00::/8"]'), 'policy/nets', 9, 26, /mixes IPv4 and IPv6 nets/)
  await invalid(
    src('nets: ["fd00::/8"]', 'ipVersion: 4\n    '),
    'policy/nets',
    10,
    14,
    /rule IP version doesn't match CIDR version/,
  )
  await invalid(
    src('notNets: [0.0.0.0/0]'),
    'policy/nets',
    9,
    17,
    /catch-all CIDR in negation creates logical contradiction/,
  )
  await invalid(
    src('services: {name: a, namespace: b}\n      selector: x == "y"'),
    'policy/services',
    9,
    7,
    /cannot be combined with selector/,
  )
  await invalid(
    gnp('  ingress:\n  - action: Allow\n    destination:\n      services: {name: a, namespace: b}\n'),
    'policy/services',
    9,
    7,
    /only be matched in an ingress rule's source or an egress rule's destination/,
  )
  await invalid(
    src('services: {name: a}'),
    'policy/services',
    9,
    7,
    /must specify a namespace in a GlobalNetworkPolicy/,
  )
  await invalid(
    gnp('  ingress:\n  - action: Deny\n    http: {methods: [GET]}\n'),
    'policy/http',
    8,
    5,
    /only allowed on Allow rules in ingress/,
  )
  await invalid(
    gnp('  ingress:\n  - action: Allow\n    protocol: UDP\n    http: {methods: [GET]}\n'),
    'policy/http',
    9,
    5,
    /rules with HTTP match must have protocol TCP or unset/,
  )
  await invalid(
    gnp('  types: [ingress]\n'),
    'policy/types',
    6,
    11,
    /must be Ingress or Egress \(did you mean "Ingress"\?\)/,
  )
  await invalid(gnp('  types: [Ingress, Ingress]\n'), 'policy/types', 6, 20, /'Ingress' type specified more than once/)
  await invalid(
    gnp('  types: [Ingress]\n  egress:\n  - action: Allow\n'),
    'policy/types-rules',
    7,
    3,
    /has egress rules but types \(Ingress\) does not include Egress, so Calico ignores them/,
    {code: 0},
  )
  await invalid(gnp('  ingress:\n    action: Allow\n'), 'policy/field-type', 7, 5, /must be a list of rules/)
  await invalid(gnp('  selecor: all()\n'), 'policy/unknown-field', 6, 3, /did you mean "selector"/, {code: 0})
})

test('GlobalNetworkPolicy options and staged policies', async () => {
  await invalid(
    gnp('  doNotTrack: true\n  preDNAT: true\n  applyOnForward: true\n'),
    'policy/gnp-options',
    7,
    12,
    /doNotTrack and preDNAT cannot both be true/,
  )
  await invalid(
    gnp('  preDNAT: true\n'),
    'policy/gnp-options',
    6,
    12,
    /preDNAT policies must also set applyOnForward: true/,
  )
  await invalid(
    gnp('  preDNAT: true\n  applyOnForward: true\n  egress:\n  - action: Allow\n'),
    'policy/gnp-options',
    8,
    3,
    /cannot have egress rules/,
  )
  await invalid(
    'apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata:\n  name: s\nspec:\n  stagedAction: Remove\n',
    'policy/staged-action',
    6,
    17,
    /must be Set, Delete, Learn or Ignore/,
  )
  await valid(
    'apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata:\n  name: s\nspec:\n  stagedAction: Learn\n',
  )
})
