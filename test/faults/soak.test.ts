import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {applyManifests} from '../../src/apply/run.js'
import {getObjects} from '../../src/get/get.js'
import {loadConnectionConfig} from '../../src/kube/kubeconfig.js'
import {parseManifestText, type ManifestDocument} from '../../src/manifests/read.js'
import {ClusterSource} from '../../src/sources/cluster.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'
import {prng as rng} from '../helpers/prng.js'

/**
 * 200 get/apply cycles against the test server with random faults (seeded): every cycle must end in the expected
 * state, re-running apply after a failure converges, and nothing is ever duplicated.
 */
let c: TestCluster
before(async () => {
  c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'soak'}}]})
})
after(() => c.server.close())

const manifest = (cycle: number) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: net-${cycle % 5}, namespace: soak}
spec: {config: '{"cniVersion":"0.3.1","type":"calico","mtu":${1400 + cycle},"ipam":{"type":"calico-ipam"}}'}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: soak-${cycle % 3}}
spec: {order: ${cycle}, selector: "app == 'soak'"}
`

test('200 get/apply cycles with random faults end in the expected state', async () => {
  const random = rng(20261130)
  const source = new ClusterSource(loadConnectionConfig({kubeconfig: c.kubeconfig}), {
    requestTimeoutMs: 2000,
    maxAttempts: 4,
  })
  const faultKinds = [
    () => ({method: 'GET', status: 503}),
    () => ({method: 'GET', status: 429, retryAfter: 0}),
    () => ({method: 'GET', dropConnection: 'mid-body' as const}),
    () => ({method: 'PUT', status: 500}),
    () => ({method: 'POST', status: 503}),
    () => ({method: 'PUT', status: 409}),
  ]
  let faultsInjected = 0
  let reruns = 0
  try {
    for (let cycle = 0; cycle < 200; cycle++) {
      c.server.faults.clear()
      if (random() < 0.4) {
        c.server.faults.add({...faultKinds[Math.floor(random() * faultKinds.length)](), times: 1})
        faultsInjected++
      }
      const docs: ManifestDocument[] = [...parseManifestText(manifest(cycle), `cycle-${cycle}.yaml`)]
      let exitCode = 1
      for (let attempt = 0; attempt < 3 && exitCode !== 0; attempt++) {
        if (attempt > 0) reruns++
        const report = await applyManifests(source, docs, {dryRun: 'none', report: async () => {}})
        exitCode = report.exitCode
      }
      assert.equal(exitCode, 0, `cycle ${cycle} converged`)
      c.server.faults.clear()
      const got = await getObjects(source, {kind: 'gnp', names: [`soak-${cycle % 3}`], allNamespaces: false})
      const objects = []
      for await (const page of got.pages) objects.push(...page)
      assert.equal(objects.length, 1)
      assert.equal(objects[0].spec.order, cycle)
      const nad = c.server.get('k8s.cni.cncf.io/v1', 'network-attachment-definitions', 'soak', `net-${cycle % 5}`)
      assert.equal(JSON.parse(nad.spec.config).mtu, 1400 + cycle)
    }
  } finally {
    source.close()
  }
  assert.equal(c.server.list('k8s.cni.cncf.io/v1', 'network-attachment-definitions', 'soak').length, 5)
  assert.equal(c.server.list('crd.projectcalico.org/v1', 'globalnetworkpolicies').length, 3)
  assert.ok(faultsInjected > 50, `faults injected: ${faultsInjected}`)
  assert.ok(reruns > 0, 'some cycles needed a re-run')
})
