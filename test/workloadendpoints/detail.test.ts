import {test} from 'node:test'
import assert from 'node:assert/strict'
import {podToWorkloadEndpoints, type EndpointDetail} from '../../src/workloadendpoints/convert.js'
import {workloadEndpoint} from '../../src/resources/workloadendpoint.js'
import {createPrinter} from '../../src/printers/factory.js'
import {detailFor} from '../../src/printers/printer.js'
import type {KubeObject} from '../../src/kube/types.js'

const status = JSON.stringify([
  {name: 'k8s-pod-network', interface: 'eth0', ips: ['10.0.0.5'], default: true},
  {name: 'net-ns/macvlan-a', interface: 'net1', ips: ['192.168.1.5']},
  {name: 'sriov-b', interface: 'net2', ips: ['2001:db8::5']},
])

function pods(): KubeObject[] {
  const base = (name: string, extra: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'team-a', uid: `u-${name}`, labels: {app: name}, ...extra},
    spec: {
      nodeName: 'node-1',
      serviceAccountName: 'runner',
      containers: [{name: 'c', ports: [{name: 'h', containerPort: 80}]}],
    },
    status: {phase: 'Running', podIP: '10.0.0.5'},
  })
  return [
    base('multus-pod', {annotations: {'k8s.v1.cni.cncf.io/network-status': status}}),
    base('floating', {annotations: {'cni.projectcalico.org/floatingIPs': '["1.2.3.4"]'}}),
    base('requested', {annotations: {'k8s.v1.cni.cncf.io/networks': 'macvlan-a@eth9, other/sriov-b'}}),
    {...base('done', {}), status: {phase: 'Succeeded', podIP: '10.0.0.9'}},
  ]
}

function endpoints(detail: EndpointDetail): KubeObject[] {
  return pods().flatMap((p) => podToWorkloadEndpoints(p, {mode: 'multus', detail}).endpoints)
}

async function print(format: string | undefined, objects: KubeObject[]): Promise<string> {
  const options = {descriptor: workloadEndpoint, showNamespace: true, noHeaders: false, single: false, color: false}
  const printer = await createPrinter(format, options)
  return printer.page(objects) + printer.end()
}

test('ps, wide and name print the same from column-only endpoints as from whole ones', async () => {
  const whole = endpoints('full')
  const slim = endpoints('columns')
  assert.equal(slim.length, 8)
  for (const format of [undefined, 'ps', 'wide', 'name']) {
    assert.equal(detailFor(format), 'columns')
    assert.equal(await print(format, slim), await print(format, whole), `-o ${format ?? '(default)'}`)
  }
  // What the table shows really comes through: NATs, networks from network-status, every interface.
  const wide = await print('wide', slim)
  assert.match(wide, /\{10\.0\.0\.5 1\.2\.3\.4\}/)
  assert.match(wide, /192\.168\.1\.5\/32/)
  assert.match(wide, /ksa\.team-a\.runner/)
})

test('column-only endpoints leave out what no column shows; every other output gets whole endpoints', () => {
  const slim = endpoints('columns')[0]
  assert.equal(slim.metadata.labels, undefined)
  assert.equal(slim.spec.ports, undefined)
  const whole = endpoints('full')[0]
  assert.equal(whole.metadata.labels?.['projectcalico.org/network-interface'], 'eth0')
  assert.equal(whole.spec.ports?.length, 1)
  for (const format of ['yaml', 'json', 'jsonpath={.items[*].spec.ports}', 'custom-columns=L:.metadata.labels'])
    assert.equal(detailFor(format), 'full', format)
})
