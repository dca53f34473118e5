import {test} from 'node:test'
import assert from 'node:assert/strict'
import {podToWorkloadEndpoints, LIMIT_MESSAGE} from '../../src/workloadendpoints/convert.js'
import {
  hostInterfaceName,
  parseWorkloadEndpointName,
  workloadEndpointName,
  interfacePrefix,
} from '../../src/workloadendpoints/names.js'
import type {KubeObject} from '../../src/kube/types.js'

function pod(
  overrides: {
    name?: string
    namespace?: string
    node?: string
    annotations?: Record<string, string>
    labels?: Record<string, string>
    spec?: object
    status?: object
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: overrides.name ?? 'podA',
      namespace: overrides.namespace ?? 'default',
      uid: 'u-1',
      resourceVersion: '7',
      labels: overrides.labels,
      annotations: overrides.annotations,
    },
    spec: {
      nodeName: overrides.node ?? 'nodeA',
      serviceAccountName: 'default',
      containers: [{name: 'c'}],
      ...overrides.spec,
    },
    status: {phase: 'Running', podIP: '10.1.2.3', ...overrides.status},
  }
}

test('host-side names follow Calico (sha1 hex for eth0, calim<i> + base32 for the others)', () => {
  assert.equal(hostInterfaceName('default', 'podA', 0), 'cali7f94ce7c295')
  assert.equal(hostInterfaceName('default', 'podA', 1), 'calim1P6KM47BJK')
  assert.equal(hostInterfaceName('default', 'podA', 2), 'calim2P6KM47BJK')
  assert.equal(hostInterfaceName('testNamespace', 'simplePod', 0), 'caliedff4356bd6')
  assert.equal(hostInterfaceName('testNamespace', 'simplePod', 1), 'calim15X7UGVV5N')
  assert.equal(hostInterfaceName('default', 'multus-test-pod-1', 0), 'calif887e436e8b')
  assert.equal(hostInterfaceName('default', 'multus-test-pod-1', 3), 'calim37CD6INXIX')
})

test('FELIX_INTERFACEPREFIX: the first entry is the prefix', () => {
  assert.equal(interfacePrefix({FELIX_INTERFACEPREFIX: 'tap,cali'}), 'tap')
  assert.equal(interfacePrefix({}), 'cali')
  assert.equal(hostInterfaceName('default', 'podA', 0, 'tap'), 'tap7f94ce7c295')
})

test('endpoint names double every dash inside a part and parse back', () => {
  assert.equal(workloadEndpointName('kind-worker', 'nginx-7d9c-abc', 'eth0'), 'kind--worker-k8s-nginx--7d9c--abc-eth0')
  assert.equal(workloadEndpointName('test-node', 'simplePod', 'net1'), 'test--node-k8s-simplePod-net1')
  assert.deepEqual(parseWorkloadEndpointName('kind--worker-k8s-nginx--7d9c--abc-eth0'), {
    node: 'kind-worker',
    orchestrator: 'k8s',
    workload: 'nginx-7d9c-abc',
    endpoint: 'eth0',
  })
  // A pod name can look like an endpoint name of another orchestrator; callers check orchestrator === 'k8s'.
  assert.equal(parseWorkloadEndpointName('multus-test-pod-1')?.orchestrator, 'test')
  assert.equal(parseWorkloadEndpointName('plainname'), undefined)
  assert.throws(() => workloadEndpointName('node', 'pod', '-x'), /must not begin with a '-'/)
})

test('mode none: one eth0 endpoint with Calico labels, profiles and /32 networks', () => {
  const {endpoints, error} = podToWorkloadEndpoints(pod({labels: {app: 'web'}}), {mode: 'none'})
  assert.equal(error, undefined)
  assert.equal(endpoints.length, 1)
  const [e] = endpoints
  assert.equal(e.metadata.name, 'nodeA-k8s-podA-eth0')
  assert.equal(e.metadata.namespace, 'default')
  assert.deepEqual(e.metadata.labels, {
    app: 'web',
    'projectcalico.org/namespace': 'default',
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': 'default',
  })
  assert.deepEqual(e.spec.profiles, ['kns.default', 'ksa.default.default'])
  assert.deepEqual(e.spec.ipNetworks, ['10.1.2.3/32'])
  assert.equal(e.spec.interfaceName, 'cali7f94ce7c295')
  assert.equal(e.spec.endpoint, 'eth0')
  assert.equal(e.spec.orchestrator, 'k8s')
  assert.equal(e.metadata.uid, 'u-1')
})

test('unscheduled and host-network pods have no endpoints; finished pods keep them without networks', () => {
  assert.equal(podToWorkloadEndpoints(pod({spec: {nodeName: undefined}}), {mode: 'none'}).endpoints.length, 0)
  assert.equal(podToWorkloadEndpoints(pod({spec: {hostNetwork: true}}), {mode: 'none'}).endpoints.length, 0)
  const done = podToWorkloadEndpoints(pod({status: {phase: 'Succeeded'}}), {mode: 'none'}).endpoints
  assert.equal(done.length, 1)
  assert.equal(done[0].spec.ipNetworks, undefined)
})

test('IPs: podIPs first (v4 and v6), then podIP, then the Calico annotations', () => {
  const dual = podToWorkloadEndpoints(pod({status: {podIPs: [{ip: '10.0.0.1'}, {ip: 'fd00::1'}]}}), {mode: 'none'})
    .endpoints[0]
  assert.deepEqual(dual.spec.ipNetworks, ['10.0.0.1/32', 'fd00::1/128'])
  const ann = podToWorkloadEndpoints(
    pod({status: {podIP: undefined}, annotations: {'cni.projectcalico.org/podIPs': '10.9.9.9,fd00::9'}}),
    {mode: 'none'},
  ).endpoints[0]
  assert.deepEqual(ann.spec.ipNetworks, ['10.9.9.9/32', 'fd00::9/128'])
})

test('service account label only when shorter than 63 characters; profile always', () => {
  const long = 'x'.repeat(63)
  const e = podToWorkloadEndpoints(pod({spec: {serviceAccountName: long}}), {mode: 'none'}).endpoints[0]
  assert.equal(e.metadata.labels?.['projectcalico.org/serviceaccount'], undefined)
  assert.deepEqual(e.spec.profiles, ['kns.default', `ksa.default.${long}`])
})

test('ports: named or host ports only; floating IPs become NATs; containerID from the annotation', () => {
  const p = pod({
    annotations: {'cni.projectcalico.org/floatingIPs': '["1.2.3.4"]', 'cni.projectcalico.org/containerID': 'abc123'},
    spec: {
      containers: [
        {
          name: 'c',
          ports: [
            {containerPort: 80, name: 'http'},
            {containerPort: 81},
            {containerPort: 53, protocol: 'UDP', hostPort: 5353},
          ],
        },
      ],
    },
  })
  const e = podToWorkloadEndpoints(p, {mode: 'none'}).endpoints[0]
  assert.deepEqual(e.spec.ports, [
    {name: 'http', protocol: 'TCP', port: 80, hostPort: 0, hostIP: ''},
    {name: '', protocol: 'UDP', port: 53, hostPort: 5353, hostIP: ''},
  ])
  assert.deepEqual(e.spec.ipNATs, [{internalIP: '10.1.2.3', externalIP: '1.2.3.4'}])
  assert.equal(e.spec.containerID, 'abc123')
})

test('multus from the networks annotation: net<position> for unnamed interfaces and the three network labels', () => {
  const p = pod({
    name: 'multus-test-pod-1',
    node: 'test-bo-72vg-kadm-infra-0',
    annotations: {
      'k8s.v1.cni.cncf.io/networks': 'additional-calico-network, additional-calico-network@testiface, other/net-c',
    },
  })
  const {endpoints} = podToWorkloadEndpoints(p, {mode: 'multus'})
  assert.deepEqual(
    endpoints.map((e) => e.metadata.name),
    [
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net3',
    ],
  )
  assert.deepEqual(
    endpoints.map((e) => e.spec.interfaceName),
    ['calif887e436e8b', 'calim17CD6INXIX', 'calim27CD6INXIX', 'calim37CD6INXIX'],
  )
  assert.deepEqual(
    endpoints.map((e) => [
      e.metadata.labels?.['projectcalico.org/network'],
      e.metadata.labels?.['projectcalico.org/network-namespace'],
      e.metadata.labels?.['projectcalico.org/network-interface'],
    ]),
    [
      ['k8s-pod-network', 'default', 'eth0'],
      ['additional-calico-network', 'default', 'net1'],
      ['additional-calico-network', 'default', 'testiface'],
      ['net-c', 'other', 'net3'],
    ],
  )
  // Only the default interface has addresses until Multus reports the others.
  assert.deepEqual(
    endpoints.map((e) => e.spec.ipNetworks),
    [['10.1.2.3/32'], undefined, undefined, undefined],
  )
})

test('multus from the JSON form of the annotation', () => {
  const p = pod({
    annotations: {'k8s.v1.cni.cncf.io/networks': '[{"name":"a"},{"name":"b","namespace":"x","interface":"data0"}]'},
  })
  const {endpoints} = podToWorkloadEndpoints(p, {mode: 'multus'})
  assert.deepEqual(
    endpoints.map((e) => e.spec.endpoint),
    ['eth0', 'net1', 'data0'],
  )
  assert.equal(endpoints[2].metadata.labels?.['projectcalico.org/network-namespace'], 'x')
})

test('multus from network-status: real interface names and IPs, the namespace prefix split off the network name', () => {
  const status = JSON.stringify([
    {name: 'k8s-pod-network', ips: ['10.1.2.3'], default: true},
    {name: 'default/calico-a', interface: 'net1', ips: ['10.5.0.1']},
    {name: 'calico-b', interface: 'data', ips: ['fd00::5']},
  ])
  const p = pod({
    annotations: {
      'k8s.v1.cni.cncf.io/network-status': status,
      'k8s.v1.cni.cncf.io/networks': 'calico-a,other/calico-b@data',
    },
  })
  const {endpoints} = podToWorkloadEndpoints(p, {mode: 'multus'})
  assert.deepEqual(
    endpoints.map((e) => [e.spec.endpoint, e.spec.interfaceName, e.spec.ipNetworks?.join()]),
    [
      ['eth0', 'cali7f94ce7c295', '10.1.2.3/32'],
      ['net1', 'calim1P6KM47BJK', '10.5.0.1/32'],
      ['data', 'calim2P6KM47BJK', 'fd00::5/128'],
    ],
  )
  assert.equal(endpoints[1].metadata.labels?.['projectcalico.org/network'], 'calico-a')
  assert.equal(endpoints[2].metadata.labels?.['projectcalico.org/network-namespace'], 'other')
  assert.equal(endpoints[0].metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'], status)
})

test('the deprecated networks-status annotation is read when network-status is absent', () => {
  const status = JSON.stringify([
    {name: 'k8s-pod-network', ips: ['10.1.2.3']},
    {name: 'n', interface: 'net1', ips: ['10.5.0.1']},
  ])
  const {endpoints} = podToWorkloadEndpoints(pod({annotations: {'k8s.v1.cni.cncf.io/networks-status': status}}), {
    mode: 'multus',
  })
  assert.deepEqual(
    endpoints.map((e) => e.spec.endpoint),
    ['eth0', 'net1'],
  )
})

test("more than 9 additional networks: no endpoints and Calico's message", () => {
  const ten = Array.from({length: 10}, (_, i) => `n${i}`).join(',')
  const result = podToWorkloadEndpoints(pod({annotations: {'k8s.v1.cni.cncf.io/networks': ten}}), {mode: 'multus'})
  assert.equal(result.endpoints.length, 0)
  assert.equal(result.error, LIMIT_MESSAGE)
  const nine = Array.from({length: 9}, (_, i) => `n${i}`).join(',')
  assert.equal(
    podToWorkloadEndpoints(pod({annotations: {'k8s.v1.cni.cncf.io/networks': nine}}), {mode: 'multus'}).endpoints
      .length,
    10,
  )
  // In mode none the annotation does not matter.
  assert.equal(
    podToWorkloadEndpoints(pod({annotations: {'k8s.v1.cni.cncf.io/networks': ten}}), {mode: 'none'}).endpoints.length,
    1,
  )
})

test("a malformed networks annotation is reported with Multus' own words", () => {
  const result = podToWorkloadEndpoints(pod({annotations: {'k8s.v1.cni.cncf.io/networks': 'a/b/c'}}), {mode: 'multus'})
  assert.equal(result.endpoints.length, 0)
  assert.match(result.error ?? '', /Invalid network object \(failed at '\/'\)/)
})
