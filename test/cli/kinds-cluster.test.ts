import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const NAMESPACES = [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}}]

/** A Kubernetes NetworkPolicy, written with kubectl's API (networking.k8s.io/v1). */
const K8S_POLICY = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {name: 'allow-web', namespace: 'production'},
  spec: {
    podSelector: {matchLabels: {app: 'web'}},
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {podSelector: {matchLabels: {role: 'client'}}},
          {ipBlock: {cidr: '10.1.2.3/16', except: ['10.1.9.0/24']}},
        ],
        ports: [{port: 80}, {port: 81}, {protocol: 'UDP', port: 53}],
      },
    ],
  },
}

const KINDS_YAML = `apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: try-deny, namespace: production}
spec:
  stagedAction: Set
  order: 50
  selector: app == 'web'
  ingress: [{action: Deny}]
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: try-global}
spec: {stagedAction: Delete}
---
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: try-k8s, namespace: production}
spec:
  stagedAction: Set
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: partners, namespace: production, labels: {role: partner}}
spec: {nets: [198.51.100.0/24, 203.0.113.7]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: blocklist, labels: {feed: bad}}
spec: {nets: [192.0.2.0/24]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node1-eth0, labels: {role: host}}
spec: {node: node1, interfaceName: eth0, expectedIPs: [192.0.2.10], profiles: [kns.default]}
`

const table = (out: string) => out.trimEnd().split('\n')

for (const calicoMode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
  describe(`staged policies, network sets, host endpoints and Kubernetes policies with Calico storage ${calicoMode}`, () => {
    let c: TestCluster
    before(async () => {
      c = await startCluster({objects: [...NAMESPACES, K8S_POLICY], calicoMode})
    })
    after(() => c.server.close())

    test('apply writes every new kind where the storage mode keeps it; get lists them with calicoctl columns', async () => {
      const applied = await xctl(['apply', '-f', '-'], {env: c.env, input: KINDS_YAML})
      assert.equal(applied.code, 0, applied.stderr)
      assert.deepEqual(table(applied.stdout), [
        'stagednetworkpolicy.projectcalico.org/try-deny created',
        'stagedglobalnetworkpolicy.projectcalico.org/try-global created',
        'stagedkubernetesnetworkpolicy.projectcalico.org/try-k8s created',
        'networkset.projectcalico.org/partners created',
        'globalnetworkset.projectcalico.org/blocklist created',
        'hostendpoint.projectcalico.org/node1-eth0 created',
        '6 object(s): 6 created',
      ])
      const group = calicoMode === 'crd-v1' ? 'crd.projectcalico.org' : 'projectcalico.org'
      const posted = c.server.requests.filter((r) => r.method === 'POST').map((r) => r.path)
      assert.ok(posted.includes(`/apis/${group}/${calicoMode === 'crd-v1' ? 'v1' : 'v3'}/hostendpoints`), posted.join())

      const snp = await xctl(['get', 'snp', '-n', 'production', '-o', 'wide'], {env: c.env})
      assert.equal(snp.code, 0, snp.stderr)
      assert.deepEqual(table(snp.stdout), [
        'NAMESPACE    NAME       TIER      ORDER   SELECTOR',
        "production   try-deny   default   50      app == 'web'",
      ])
      const sgnp = await xctl(['get', 'sgnps'], {env: c.env})
      assert.deepEqual(table(sgnp.stdout), ['NAME         TIER', 'try-global   default'])
      const sknp = await xctl(['get', 'sknp', '-n', 'production', '-o', 'wide'], {env: c.env})
      assert.deepEqual(table(sknp.stdout), ['NAMESPACE    NAME      PODSELECTOR', 'production   try-k8s   app=web'])
      const netsets = await xctl(['get', 'netsets', '-A', '-o', 'wide'], {env: c.env})
      assert.deepEqual(table(netsets.stdout), [
        'NAMESPACE    NAME       NETS',
        'production   partners   198.51.100.0/24,203.0.113.7',
      ])
      const gnetsets = await xctl(['get', 'gnetsets', '-o', 'wide'], {env: c.env})
      assert.deepEqual(table(gnetsets.stdout), ['NAME        NETS', 'blocklist   192.0.2.0/24'])
      const heps = await xctl(['get', 'heps', '-o', 'wide'], {env: c.env})
      assert.deepEqual(table(heps.stdout), [
        'NAME         NODE    INTERFACE   IPS          PROFILES',
        'node1-eth0   node1   eth0        192.0.2.10   kns.default',
      ])
    })

    test('objects read back as projectcalico.org/v3 with their labels, whatever the storage', async () => {
      const r = await xctl(['get', 'networkset', 'partners', '-n', 'production', '-o', 'json'], {env: c.env})
      assert.equal(r.code, 0, r.stderr)
      const o = JSON.parse(r.stdout)
      assert.equal(o.apiVersion, 'projectcalico.org/v3')
      assert.equal(o.kind, 'NetworkSet')
      assert.deepEqual(o.metadata.labels, {role: 'partner'})
      assert.deepEqual(o.spec.nets, ['198.51.100.0/24', '203.0.113.7'])
      const staged = JSON.parse(
        (await xctl(['get', 'snp', 'try-deny', '-n', 'production', '-o', 'json'], {env: c.env})).stdout,
      )
      assert.equal(staged.spec.stagedAction, 'Set')
      assert.equal(staged.spec.tier, 'default')
    })

    test('Kubernetes NetworkPolicies show as knp.default.<name> in tier default, order 1000, converted as Calico does', async () => {
      const list = await xctl(['get', 'knp', '-n', 'production', '-o', 'wide'], {env: c.env})
      assert.equal(list.code, 0, list.stderr)
      assert.deepEqual(table(list.stdout), [
        'NAMESPACE    NAME                    TIER      ORDER   SELECTOR',
        "production   knp.default.allow-web   default   1000    projectcalico.org/orchestrator == 'k8s' && app == 'web'",
      ])
      for (const name of ['knp.default.allow-web', 'allow-web']) {
        const one = await xctl(['get', 'knp', name, '-n', 'production', '-o', 'json'], {env: c.env})
        assert.equal(one.code, 0, one.stderr)
        const o = JSON.parse(one.stdout)
        assert.equal(o.metadata.name, 'knp.default.allow-web')
        assert.deepEqual(o.spec.ingress, [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: {selector: "projectcalico.org/orchestrator == 'k8s' && role == 'client'"},
            destination: {ports: ['80:81']},
          },
          {
            action: 'Allow',
            protocol: 'TCP',
            source: {nets: ['10.1.0.0/16'], notNets: ['10.1.9.0/24']},
            destination: {ports: ['80:81']},
          },
          {
            action: 'Allow',
            protocol: 'UDP',
            source: {selector: "projectcalico.org/orchestrator == 'k8s' && role == 'client'"},
            destination: {ports: [53]},
          },
          {
            action: 'Allow',
            protocol: 'UDP',
            source: {nets: ['10.1.0.0/16'], notNets: ['10.1.9.0/24']},
            destination: {ports: [53]},
          },
        ])
        assert.deepEqual(o.spec.types, ['Ingress'])
      }
      const name = await xctl(['get', 'knp', '-n', 'production', '-o', 'name'], {env: c.env})
      assert.equal(name.stdout, 'networkpolicy.projectcalico.org/knp.default.allow-web\n')
    })

    test('writing a Kubernetes policy through Calico is refused, naming kubectl; nothing reaches the API', async () => {
      const writes = () => c.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).length
      const before = writes()
      const del = await xctl(['delete', 'knp', 'allow-web', '-n', 'production'], {env: c.env})
      assert.equal(del.code, 1)
      assert.match(del.stderr, /must be managed through the Kubernetes API.*kubectl delete networkpolicy allow-web/)
      const label = await xctl(['label', 'knp', 'knp.default.allow-web', 'a=b', '-n', 'production'], {env: c.env})
      assert.equal(label.code, 1)
      assert.match(label.stderr, /kubectl/)
      const disguised = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: knp.default.allow-web, namespace: production}
spec: {selector: all()}
`
      const apply = await xctl(['apply', '-f', '-'], {env: c.env, input: disguised})
      assert.equal(apply.code, 1)
      assert.match(
        apply.stderr,
        /knp\.default\.allow-web.*Kubernetes network policies must be managed through the Kubernetes API/,
      )
      const k8sManifest = JSON.stringify({...K8S_POLICY, spec: {podSelector: {}}})
      const viaApply = await xctl(['apply', '-f', '-'], {env: c.env, input: k8sManifest})
      assert.match(viaApply.stdout, /networkpolicy.networking.k8s.io\/allow-web skipped .*use kubectl/)
      assert.equal(writes(), before)
      const still = await xctl(['get', 'knp', '-n', 'production', '-o', 'name'], {env: c.env})
      assert.equal(still.stdout, 'networkpolicy.projectcalico.org/knp.default.allow-web\n')
    })

    test('label and patch work on network sets and host endpoints as on other Calico kinds', async () => {
      const l = await xctl(['label', 'netsets', 'partners', '-n', 'production', 'tier=gold'], {env: c.env})
      assert.equal(l.code, 0, l.stderr)
      assert.match(l.stdout, /networkset.projectcalico.org\/partners labeled/)
      const p = await xctl(
        ['patch', 'hep/node1-eth0', '-p', '{"spec":{"expectedIPs":["192.0.2.11"]}}', '--type', 'merge'],
        {
          env: c.env,
        },
      )
      assert.equal(p.code, 0, p.stderr)
      const o = JSON.parse((await xctl(['get', 'hep', 'node1-eth0', '-o', 'json'], {env: c.env})).stdout)
      assert.deepEqual(o.spec.expectedIPs, ['192.0.2.11'])
      const set = JSON.parse(
        (await xctl(['get', 'networkset', 'partners', '-n', 'production', '-o', 'json'], {env: c.env})).stdout,
      )
      assert.deepEqual(set.metadata.labels, {role: 'partner', tier: 'gold'})
      const bad = await xctl(
        ['patch', 'hep/node1-eth0', '-p', '{"spec":{"expectedIPs":["192.0.2.0/24"]}}', '--type', 'merge'],
        {
          env: c.env,
        },
      )
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /expectedIPs\[0\] "192.0.2.0\/24" is not an IP address/)
    })

    test('delete removes the new kinds', async () => {
      const r = await xctl(['delete', 'hep', 'node1-eth0'], {env: c.env})
      assert.equal(r.code, 0, r.stderr)
      const gone = await xctl(['get', 'hep', 'node1-eth0'], {env: c.env})
      assert.equal(gone.code, 1)
      assert.match(gone.stderr, /hostendpoints.projectcalico.org "node1-eth0" not found/)
      const s = await xctl(['delete', '-f', '-'], {env: c.env, input: KINDS_YAML.split('---')[0]})
      assert.equal(s.code, 0, s.stderr)
    })
  })
}
