import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {check, expectFinding, expectNo, invalid, rules, valid} from './helpers.js'

const needsQuotes = (v: string) => /^[[{"'@`!&*%|>]|: | #/.test(v) || v.trim() !== v || v === ''

/** A pod whose networks annotation is on line 7: plain from column 34, or single-quoted (text from column 35). */
function pod(value: string, extra = ''): string {
  const quoted = needsQuotes(value)
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: default
  annotations:
    k8s.v1.cni.cncf.io/networks: ${quoted ? `'${value}'` : value}
${extra}spec:
  containers: []
`
}
/** Column of the n-th `token` in the annotation value of pod(value). */
function col(value: string, token: string, nth = 0): number {
  const quoted = needsQuotes(value)
  let i = -1
  for (let k = 0; k <= nth; k++) i = value.indexOf(token, i + 1)
  assert.ok(i >= 0, `${token} not in ${value}`)
  return (quoted ? 35 : 34) + i
}

test('valid: both forms, pods without networks, the seed pod', async () => {
  await valid(pod('net-a,other/net-b@data0, net-c@net3'))
  await valid(
    pod(
      '[{"name": "net-a", "interface": "data0", "ips": ["10.2.2.42/24", "2001:db8::5/64"], "mac": "02:23:45:67:89:01", "default-route": ["10.2.2.1"], "portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}], "bandwidth": {"ingressRate": 2048}, "cni-args": {"spoofchk": "on"}, "k8s.ovn.org/x": 1}, {"Name": "net-b", "namespace": "other"}]',
    ),
  )
  await valid('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n')
  await valid(readFileSync('test/fixtures/validation/seed/seed-pod.yaml', 'utf8'))
})

test('short form: every Multus parse error, in Multus words, at the item', async () => {
  await invalid(
    pod(' '),
    'pod/networks-parse',
    7,
    34,
    /annotation is empty: Multus refuses it \(parsePodNetworkAnnotation: pod annotation does not have "network" as key\)/,
  )
  const trailing = 'net-a,net-b,'
  await invalid(
    pod(trailing),
    'pod/networks-parse',
    7,
    col(trailing, ',', 1),
    /item 3 is empty \(a trailing ','\).*cannot find a network-attachment-definition \(\) in namespace \(default\): resource name may not be empty/,
  )
  const doubled = 'net-a,,net-b'
  await invalid(pod(doubled), 'pod/networks-parse', 7, col(doubled, ',', 0), /item 2 is empty \(a doubled ','\)/)
  const slashes = 'root@someIP/root@someOtherIP/root@thirdIP'
  await invalid(
    pod(slashes),
    'pod/networks-parse',
    7,
    col(slashes, '/', 1),
    /more than one '\/'.*Invalid network object \(failed at '\/'\)/,
  )
  const ats = 'net1@a@b'
  await invalid(pod(ats), 'pod/networks-parse', 7, col(ats, '@', 1), /Invalid network object \(failed at '@'\)/)
  const upper = 'net-a, Bad_Net'
  await invalid(
    pod(upper),
    'pod/networks-parse',
    7,
    col(upper, 'Bad'),
    /network name "Bad_Net" is not a DNS-1123 label.*mismatch @ 'Bad_Net'\); did you mean "bad-net"\?/,
  )
  const ns = 'Default/net-a'
  await invalid(pod(ns), 'pod/networks-parse', 7, col(ns, 'Default'), /network namespace "Default"/)
  const dotted = 'my.net'
  await invalid(pod(dotted), 'pod/networks-parse', 7, col(dotted, 'my'), /can only be given in the JSON form/)
  const noName = 'other/@net1'
  await invalid(pod(noName), 'pod/networks-parse', 7, col(noName, '@'), /names no network before '@'/)
})

test('interface names: length, characters, eth0/lo, duplicates, net<N> collisions, NADC divergence', async () => {
  const long = 'net-a@very_long_ifname'
  await invalid(
    pod(long),
    'pod/networks-ifname-length',
    7,
    col(long, 'very'),
    /16 characters long; Linux allows at most 15, so Multus refuses the annotation .*Failed to parse interface name: must be less than 15 chars and not contain '\/' or spaces. interface name 'very_long_ifname'/,
  )
  const space = 'default/net1@myIfc Name'
  await invalid(
    pod(space),
    'pod/networks-ifname-chars',
    7,
    col(space, 'myIfc'),
    /contains '\/', ':' or whitespace; Multus refuses the annotation/,
  )
  const colon = 'net-a@a:b'
  await invalid(
    pod(colon),
    'pod/networks-ifname-chars',
    7,
    col(colon, 'a:b'),
    /CNI: "interface name contains \/ or : or whitespace characters"/,
  )
  const eth0 = 'net-a@eth0'
  await invalid(
    pod(eth0),
    'pod/networks-ifname-reserved',
    7,
    col(eth0, 'eth0'),
    /already taken in every pod \(the default network\).*interface name eth0 already exists/,
  )
  const lo = 'net-a@lo'
  await invalid(pod(lo), 'pod/networks-ifname-reserved', 7, col(lo, 'lo'), /the loopback/)
  const dup = 'net-a@data, net-b@data'
  await invalid(
    pod(dup),
    'pod/networks-ifname-duplicate',
    7,
    col(dup, 'data', 1),
    /also requested by network 1 \("net-a"\)/,
  )
  const collide = 'net-a@net2, net-b'
  await invalid(
    pod(collide),
    'pod/networks-ifname-collision',
    7,
    col(collide, 'net2'),
    /also the name Multus gives network 2 \("net-b"\), which requests no name/,
  )
  await valid(pod('net-a, net-b@net2'))
  const nadc = 'net1@my_interface'
  await invalid(
    pod(nadc),
    'pod/networks-ifname-dns1123',
    7,
    col(nadc, 'my_'),
    /fine for Multus, but Calico Enterprise reads the annotation with the network-attachment-definition client/,
    {code: 0},
  )
  const json = '[{"name": "a", "interface": "this-is-too-long-0"}, {"name": "b", "interface": "eth0"}]'
  await invalid(pod(json), 'pod/networks-ifname-length', 7, col(json, 'this-is'), /CNI: "interface name is too long"/)
  await invalid(pod(json), 'pod/networks-ifname-reserved', 7, col(json, 'eth0'))
})

test('more than 9 additional networks: an error at the 10th', async () => {
  const ten = Array.from({length: 10}, (_, i) => `n${i}`).join(',')
  await invalid(
    pod(ten),
    'pod/networks-limit',
    7,
    col(ten, 'n9'),
    /asks for 10 additional networks; Calico Enterprise allows at most 9 \("a maximum of 9 additional interfaces is allowed on a pod"\)/,
  )
  await valid(pod(Array.from({length: 9}, (_, i) => `n${i}`).join(',')))
})

test('JSON form: syntax with Go wording, shape, field types, values', async () => {
  const trailing = '[{"name": "a"},]'
  await invalid(
    pod(trailing),
    'pod/networks-parse',
    7,
    col(trailing, ']'),
    /trailing comma.*failed to parse pod Network Attachment Selection Annotation JSON format: invalid character '\]' looking for beginning of value/,
  )
  const bad = '[{"name": a}]'
  await invalid(
    pod(bad),
    'pod/networks-parse',
    7,
    col(bad, 'a}'),
    /invalid character 'a' looking for beginning of value/,
  )
  const object = '{"name": "a"}'
  await invalid(
    pod(object),
    'pod/networks-parse',
    7,
    col(object, '{'),
    /must be a list of objects: wrap the object in \[ \].*cannot unmarshal object into Go value of type \[\]\*types.NetworkSelectionElement/,
  )
  const str = '["net-a"]'
  await invalid(
    pod(str),
    'pod/networks-json-type',
    7,
    col(str, '"net-a"'),
    /element 0 is "net-a"; each element is an object.*cannot unmarshal string into Go value of type types.NetworkSelectionElement/,
  )
  const ipsString = '[{"name": "a", "ips": "10.0.0.1/24"}]'
  await invalid(
    pod(ipsString),
    'pod/networks-json-type',
    7,
    col(ipsString, '"10.'),
    /"ips" is "10.0.0.1\/24"; it must be a list \(write \["10.0.0.1\/24"\]\).*cannot unmarshal string into Go struct field NetworkSelectionElement.ips of type \[\]string/,
  )
  const ips = '[{"name": "a", "ips": ["10.1.1.300/24", "fe80::zz"]}]'
  const r = await invalid(pod(ips), 'pod/networks-ips', 7, col(ips, '10.1'), /failed to parse CIDR "10.1.1.300\/24"/)
  expectFinding(r, 'pod/networks-ips', 7, col(ips, 'fe80'), /failed to parse IP address "fe80::zz"/)
  const mac = '[{"name": "a", "mac": "02:23:45:67:89"}]'
  await invalid(
    pod(mac),
    'pod/networks-mac',
    7,
    col(mac, '02:'),
    /failed to mac: address 02:23:45:67:89: invalid MAC address/,
  )
  const routes =
    '[{"name": "a", "default-route": ["10.0.0.1"]}, {"name": "b", "default-route": ["10.0.1.1", "fd00::1"]}]'
  await invalid(
    pod(routes),
    'pod/networks-default-route',
    7,
    col(routes, '10.0.1.1'),
    /multus does not support ECMP for default-route/,
  )
  const gw = '[{"name": "a", "default-route": ["10.0.0.1/24"]}]'
  await invalid(
    pod(gw),
    'pod/networks-default-route',
    7,
    col(gw, '10.0'),
    /not an IP address \(a gateway address, without a prefix length\)/,
  )
  const claim = '[{"name": "a", "ips": ["10.0.0.5"], "ipam-claim-reference": "c1"}]'
  await invalid(
    pod(claim),
    'pod/networks-ips-claim',
    7,
    col(claim, '"c1"'),
    /sets both "ips" and "ipam-claim-reference"/,
  )
  const unknown = '[{"name": "a", "interfaces": "net5"}]'
  await invalid(
    pod(unknown),
    'pod/networks-json-unknown-key',
    7,
    col(unknown, '"interfaces"'),
    /does not know and ignores \(did you mean "interface"\?\)/,
    {code: 0},
  )
  const slash = '[{"name": "openshift-multus/macvlan-conf"}]'
  await invalid(
    pod(slash),
    'pod/networks-namespaced-name',
    7,
    col(slash, '"openshift'),
    /multus#705.*write \{"name": "macvlan-conf", "namespace": "openshift-multus"\}/,
    {code: 0},
  )
  const noName = '[{"interface": "net1"}]'
  await invalid(pod(noName), 'pod/networks-name', 7, col(noName, '{'), /element 0 has no "name"/)
  const badNs = '[{"name": "a", "namespace": "Other"}]'
  await invalid(
    pod(badNs),
    'pod/networks-name',
    7,
    col(badNs, '"Other"'),
    /namespace "Other" is not a valid namespace name/,
  )
  const ports = '[{"name": "a", "portMappings": [{"hostPort": 0, "containerPort": 80, "protocol": "icmp"}]}]'
  const p = await invalid(pod(ports), 'pod/networks-json-value', 7, col(ports, '0,'), /portMappings\[0\].hostPort is 0/)
  expectFinding(p, 'pod/networks-json-value', 7, col(ports, '"icmp"'), /must be TCP, UDP or SCTP/)
  const guid = '[{"name": "a", "infiniband-guid": "02:23:45:67:89:01"}]'
  await invalid(pod(guid), 'pod/networks-json-value', 7, col(guid, '02:'), /not an 8-byte GUID/)
  const bw = '[{"name": "a", "bandwidth": {"ingressRate": -1}}]'
  await invalid(pod(bw), 'pod/networks-json-value', 7, col(bw, '-1'), /bandwidth.ingressRate is -1/)
})

test('an annotation written as a YAML list instead of a string', async () => {
  const yaml =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    k8s.v1.cni.cncf.io/networks: [{"name": "a"}]\nspec: {}\n'
  await invalid(yaml, 'pod/networks-parse', 6, 34, /is a YAML list, but annotation values are strings: quote it/)
})

test('Calico features that do not work on additional networks, named', async () => {
  const extra = `    cni.projectcalico.org/floatingIPs: '["10.0.0.1"]'\n    cni.projectcalico.org/ipAddrs: '["10.1.0.5"]'\n    cni.projectcalico.org/ipv4pools: '["pool-a"]'\n    egress.projectcalico.org/selector: egress-code == 'red'\n`
  const yaml = pod('net-a', '').replace('spec:', `${extra}spec:`)
  const r = await invalid(
    yaml,
    'pod/additional-network-feature',
    8,
    5,
    /Floating IPs \(cni.projectcalico.org\/floatingIPs\) apply to the default interface eth0 only/,
    {code: 0},
  )
  expectFinding(r, 'pod/additional-network-feature', 9, 5, /Specific IPs/)
  expectFinding(
    r,
    'pod/additional-network-feature',
    10,
    5,
    /Per-pod IP pools.*ipam.ipv4_pools in the NetworkAttachmentDefinition instead/,
  )
  expectFinding(r, 'pod/additional-network-feature', 11, 5, /Egress gateways/)
  // Without additional networks the same annotations are fine.
  const none =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    cni.projectcalico.org/floatingIPs: \'["10.0.0.1"]\'\nspec: {}\n'
  await valid(none)
})

test('pod templates of workloads are checked at their own positions', async () => {
  const deploy =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  template:\n    metadata:\n      annotations:\n        k8s.v1.cni.cncf.io/networks: net-a@eth0\n    spec:\n      containers: []\n'
  await invalid(deploy, 'pod/networks-ifname-reserved', 10, 44)
  const cron =
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            k8s.v1.cni.cncf.io/networks: a,,b\n        spec:\n          containers: []\n'
  await invalid(cron, 'pod/networks-parse', 12, 43, /item 2 is empty/)
  for (const [kind, api] of [
    ['StatefulSet', 'apps/v1'],
    ['DaemonSet', 'apps/v1'],
    ['ReplicaSet', 'apps/v1'],
    ['Job', 'batch/v1'],
  ]) {
    const r = await check(deploy.replace('apps/v1', api).replace('Deployment', kind))
    assert.deepEqual(rules(r), ['pod/networks-ifname-reserved'], kind)
  }
})

test("a network defined in another namespace of the input: Multus looks in the pod's namespace (multus#337)", async () => {
  const definition = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: macvlan-conf
  namespace: kube-system
spec:
  config: '{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth0", "ipam": {"type": "dhcp"}}'
`
  // Defined first: the warning is on the pod's reference.
  await invalid(
    `${definition}---\n${pod('macvlan-conf')}`,
    'pod/network-namespace',
    15,
    34,
    /defined in namespace "kube-system" in the input, but without a namespace Multus looks in the pod's namespace "default" \(multus#337\); there is one in namespace "kube-system": write "kube-system\/macvlan-conf"/,
    {code: 0},
  )
  // Defined further down: the warning is on the definition, with the number of pods.
  const after = `${pod('macvlan-conf')}---\n${pod('macvlan-conf').replace('name: p', 'name: q')}---\n${definition}`
  await invalid(
    after,
    'pod/network-namespace',
    21,
    1,
    /2 pods in namespace "default" name the network "macvlan-conf" without a namespace, so Multus looks for it in "default", not here in "kube-system" \(multus#337\): write "kube-system\/macvlan-conf"/,
    {code: 0},
  )
  // Defined in the pod's namespace, even further down: fine.
  const r = await check(after.replace('namespace: kube-system', 'namespace: default'))
  expectNo(r, 'pod/network-namespace')
  assert.equal(r.code, 0)
})
