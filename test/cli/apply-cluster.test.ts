import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {parse as parseYaml} from 'yaml'
import {kubectl, xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const NAMESPACES = [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}},
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'staging'}},
]

const NAD = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: calico-b
  namespace: production
spec:
  config: '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam"}}'
`
const POLICY = (selector: string) => `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: internal-access
spec:
  order: 100
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: internal-access.allow-tcp-6379
  namespace: production
spec:
  tier: internal-access
  selector: ${JSON.stringify(selector)}
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: [6379]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: plain
  namespace: production
spec:
  selector: all()
`
const writes = (c: TestCluster) =>
  c.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))

for (const calicoMode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
  describe(`apply and delete with Calico storage ${calicoMode}`, () => {
    let c: TestCluster
    before(async () => {
      c = await startCluster({objects: NAMESPACES, calicoMode})
    })
    after(() => c.server.close())

    test('apply creates, then reports unchanged, then configured; every object gets a line and a summary follows', async () => {
      const first = await xctl(['apply', '-f', '-'], {
        env: c.env,
        input: NAD + '---\n' + POLICY("projectcalico.org/network-interface == 'net1'"),
      })
      assert.equal(first.code, 0, first.stderr)
      assert.deepEqual(first.stdout.trim().split('\n'), [
        'networkattachmentdefinition.k8s.cni.cncf.io/calico-b created',
        'tier.projectcalico.org/internal-access created',
        'networkpolicy.projectcalico.org/internal-access.allow-tcp-6379 created',
        'networkpolicy.projectcalico.org/plain created',
        '4 object(s): 4 created',
      ])
      const again = await xctl(['apply', '-f', '-'], {
        env: c.env,
        input: NAD + '---\n' + POLICY("projectcalico.org/network-interface == 'net1'"),
      })
      assert.equal(again.code, 0, again.stderr)
      assert.match(again.stdout, /allow-tcp-6379 unchanged/)
      assert.match(again.stdout, /4 unchanged/)
      const changed = await xctl(['apply', '-f', '-'], {
        env: c.env,
        input: POLICY("projectcalico.org/network-interface == 'net2'"),
      })
      assert.match(changed.stdout, /networkpolicy.projectcalico.org\/internal-access.allow-tcp-6379 configured/)
      assert.match(changed.stdout, /tier.projectcalico.org\/internal-access unchanged/)
    })

    test('get reads back what apply wrote, as projectcalico.org/v3, in this storage mode', async () => {
      const r = await xctl(['get', 'np', '-n', 'production', '-o', 'wide'], {env: c.env})
      assert.equal(r.code, 0, r.stderr)
      assert.match(
        r.stdout,
        /internal-access\.allow-tcp-6379\s+internal-access\s+projectcalico\.org\/network-interface == 'net2'/,
      )
      assert.match(r.stdout, /plain\s+default\s+all\(\)/)
      const y = parseYaml((await xctl(['get', 'np', 'plain', '-n', 'production', '-o', 'yaml'], {env: c.env})).stdout)
      assert.equal(y.apiVersion, 'projectcalico.org/v3')
      assert.equal(y.metadata.name, 'plain')
      assert.equal(y.spec.tier, 'default')
      const tiers = await xctl(['get', 'tiers'], {env: c.env})
      assert.match(tiers.stdout, /internal-access\s+100/)
      if (calicoMode === 'crd-v1') {
        const stored = c.server.get('crd.projectcalico.org/v1', 'networkpolicies', 'production', 'plain')
        assert.ok(stored.metadata.annotations['projectcalico.org/metadata'])
      } else {
        assert.ok(c.server.get('projectcalico.org/v3', 'networkpolicies', 'production', 'plain'))
      }
    })

    test('every kind reads back in every output format', async () => {
      const more = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-all}
spec: {tier: internal-access, order: 2000, selector: all(), types: [Ingress]}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: pool-a}
spec: {cidr: 10.20.0.0/16, ipipMode: Always, nodeSelector: all()}
`
      const applied = await xctl(['apply', '-f', '-'], {
        env: c.env,
        input: more + '---\n' + NAD.replace('calico-b', 'calico-formats'),
      })
      assert.equal(applied.code, 0, applied.stderr)
      const expected: Record<string, string> = {
        gnp: 'deny-all',
        ippools: 'pool-a',
        tiers: 'internal-access',
        'nad -A': 'calico-formats',
        'np -A': 'allow-tcp-6379',
      }
      for (const [kind, name] of Object.entries(expected)) {
        for (const format of [
          'ps',
          'wide',
          'yaml',
          'json',
          'name',
          'custom-columns=N:.metadata.name',
          'jsonpath={.items[*].metadata.name}',
        ]) {
          const r = await xctl(['get', ...kind.split(' '), '-o', format], {env: c.env})
          assert.equal(r.code, 0, `${kind} -o ${format}: ${r.stderr}`)
          assert.ok(r.stdout.includes(name), `${kind} -o ${format} shows ${name}: ${r.stdout}`)
          if (format === 'json')
            assert.equal(
              JSON.parse(r.stdout).apiVersion,
              kind.startsWith('nad') ? 'k8s.cni.cncf.io/v1' : 'projectcalico.org/v3',
            )
        }
      }
      const wide = await xctl(['get', 'ippools', '-o', 'wide'], {env: c.env})
      assert.match(wide.stdout, /pool-a\s+10\.20\.0\.0\/16\s+false\s+Always\s+Never/)
    })

    test('dry runs write nothing: client sends no write, server sends dryRun=All', async () => {
      const before = writes(c).length
      const client = await xctl(['apply', '--dry-run=client', '-f', '-'], {env: c.env, input: POLICY('app == "x"')})
      assert.equal(client.code, 0, client.stderr)
      assert.match(client.stdout, /configured \(dry run\)/)
      assert.equal(writes(c).length, before)
      const server = await xctl(['apply', '--dry-run=server', '-f', '-'], {
        env: c.env,
        input: POLICY('app == "x"').replace('name: plain', 'name: brand-new'),
      })
      assert.equal(server.code, 0, server.stderr)
      assert.match(server.stdout, /brand-new created \(server dry run\)/)
      assert.ok(
        writes(c)
          .slice(before)
          .every((r) => r.query.dryRun === 'All'),
      )
      const r = await xctl(['get', 'np', 'brand-new', '-n', 'production'], {env: c.env})
      assert.equal(r.code, 1)
    })

    test('invalid input writes nothing, and every problem is named', async () => {
      const before = writes(c).length
      const brokenNad = NAD.replace('calico-b', 'calico-broken').replace('"type": "calico",', '"type": "calico"')
      const badSelector = POLICY('app == ').split('---\n')[1]
      const bad = `${NAD}---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {namespace: production}\nspec: {}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\n${brokenNad}---\n${badSelector}`
      // Other kinds are "skipped" lines by default (issue 15); --fail-on-unowned lists them with the problems.
      const r = await xctl(['apply', '-f', '-', '--fail-on-unowned'], {env: c.env, input: bad})
      assert.equal(r.code, 1)
      assert.match(r.stderr, /nothing was applied/)
      assert.match(r.stderr, /NetworkPolicy has no metadata.name/)
      assert.match(r.stderr, /Widget \(example.com\/v1\) is not a kind xctl writes/)
      assert.match(r.stderr, /<stdin>:\d+:\d+: .*\[nad\/config-json\]/)
      assert.match(r.stderr, /<stdin>:\d+:\d+: .*\[policy\/selector-syntax\]/)
      assert.equal(writes(c).length, before)
    })

    test('a 409 conflict is retried against the fresh object', async () => {
      c.server.faults.conflictNextUpdates(1)
      const r = await xctl(['apply', '-f', '-'], {env: c.env, input: POLICY('app == "retry"')})
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /allow-tcp-6379 configured/)
    })

    test("a refused write names the object and the server's message; the others still apply; exit 1", async () => {
      c.server.forbid.push({verb: 'create', resource: 'network-attachment-definitions'})
      try {
        const r = await xctl(['apply', '-f', '-'], {
          env: c.env,
          input: NAD.replace('calico-b', 'calico-c') + '---\n' + POLICY('app == "after-403"'),
        })
        assert.equal(r.code, 1)
        assert.match(
          r.stderr,
          /networkattachmentdefinition.k8s.cni.cncf.io\/calico-c failed: Error from server \(Forbidden\): network-attachment-definitions.k8s.cni.cncf.io is forbidden/,
        )
        assert.match(r.stdout, /allow-tcp-6379 configured/)
        assert.match(r.stdout, /1 failed/)
      } finally {
        c.server.forbid.length = 0
      }
    })

    test('delete by name and by file, with --skip-not-found', async () => {
      const r = await xctl(['delete', 'networkpolicy', 'plain', '-n', 'production'], {env: c.env})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, 'networkpolicy.projectcalico.org "plain" deleted\n')
      const again = await xctl(['delete', 'networkpolicy', 'plain', '-n', 'production'], {env: c.env})
      assert.equal(again.code, 1)
      assert.match(again.stderr, /NotFound/)
      const skip = await xctl(['delete', 'np', 'plain', '-n', 'production', '--skip-not-found'], {env: c.env})
      assert.equal(skip.code, 0)
      const byFile = await xctl(['delete', '-f', '-'], {env: c.env, input: NAD})
      assert.equal(byFile.code, 0, byFile.stderr)
      assert.match(byFile.stdout, /networkattachmentdefinition.k8s.cni.cncf.io "calico-b" deleted/)
      assert.equal(
        c.server.get('k8s.cni.cncf.io/v1', 'network-attachment-definitions', 'production', 'calico-b'),
        undefined,
      )
    })
  })
}

describe('WorkloadEndpoints are derived from pods', () => {
  let c: TestCluster
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'production',
      labels: {app: 'web'},
      annotations: {'k8s.v1.cni.cncf.io/networks': 'calico-b'},
    },
    spec: {nodeName: 'node-1', serviceAccountName: 'default', containers: [{name: 'c', image: 'nginx'}]},
    status: {phase: 'Running', podIP: '10.0.0.1'},
  }
  before(async () => {
    c = await startCluster({objects: [...NAMESPACES, pod]})
  })
  after(() => c.server.close())
  const env = () => ({...c.env, MULTI_INTERFACE_MODE: 'multus'})

  test("applying a WEP with a changed pod label patches the pod's labels only", async () => {
    const wep = parseYaml(
      (
        await xctl(['get', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production', '-o', 'yaml', '--export'], {
          env: env(),
        })
      ).stdout,
    )
    wep.metadata.labels.tier = 'frontend'
    const r = await xctl(['apply', '-n', 'production', '-f', '-'], {env: env(), input: JSON.stringify(wep)})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /workloadendpoint.projectcalico.org\/node--1-k8s-web--0-net1 configured/)
    assert.deepEqual(c.server.get('v1', 'pods', 'production', 'web-0').metadata.labels, {app: 'web', tier: 'frontend'})
  })

  test('a change to a derived field is refused with what to change instead; deleting a WEP is refused', async () => {
    const wep = parseYaml(
      (await xctl(['get', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production', '-o', 'yaml'], {env: env()})).stdout,
    )
    wep.spec.interfaceName = 'cali1'
    const r = await xctl(['apply', '-f', '-'], {env: env(), input: JSON.stringify(wep)})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /spec.interfaceName is derived from the pod.*change the pod .*NetworkAttachmentDefinition/)
    const label = parseYaml(
      (await xctl(['get', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production', '-o', 'yaml'], {env: env()})).stdout,
    )
    label.metadata.labels['projectcalico.org/network-interface'] = 'cali1'
    const r2 = await xctl(['apply', '-f', '-'], {env: env(), input: JSON.stringify(label)})
    assert.equal(r2.code, 1)
    assert.match(r2.stderr, /label projectcalico.org\/network-interface is set by Calico/)
    const del = await xctl(['delete', 'wep', 'node--1-k8s-web--0-net1', '-n', 'production'], {env: env()})
    assert.equal(del.code, 1)
    assert.match(del.stderr, /derived from pods and cannot be deleted; delete the pod/)
  })
})

describe('round trips with kubectl', () => {
  const kubectlVersion = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'})
  const hasKubectl = kubectlVersion.status === 0
  let c: TestCluster
  before(async () => {
    c = await startCluster({objects: NAMESPACES, calicoMode: 'v3-crd'})
  })
  after(() => c.server.close())

  test(
    'xctl get -o yaml --export is accepted by kubectl apply --dry-run=server, and kubectl output by xctl apply',
    {skip: !hasKubectl && 'kubectl not installed'},
    async () => {
      const applied = await xctl(['apply', '-f', '-'], {env: c.env, input: NAD + '---\n' + POLICY('app == "db"')})
      assert.equal(applied.code, 0, applied.stderr)
      for (const kind of ['nad', 'np']) {
        const exported = await xctl(['get', kind, '-n', 'production', '-o', 'yaml', '--export'], {env: c.env})
        const k = await kubectl(
          ['--kubeconfig', c.kubeconfig, 'apply', '--dry-run=server', '--validate=false', '-n', 'staging', '-f', '-'],
          {input: exported.stdout},
        )
        assert.equal(k.code, 0, k.stderr)
        assert.match(k.stdout, /created \(server dry run\)/)
      }
      const fromKubectl = await kubectl([
        '--kubeconfig',
        c.kubeconfig,
        'get',
        'network-attachment-definitions',
        'calico-b',
        '-n',
        'production',
        '-o',
        'yaml',
      ])
      assert.equal(fromKubectl.code, 0, fromKubectl.stderr)
      const back = await xctl(['apply', '-f', '-'], {env: c.env, input: fromKubectl.stdout})
      assert.equal(back.code, 0, back.stderr)
      assert.match(back.stdout, /calico-b unchanged/)
    },
  )
})
