import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {xctl} from '../helpers/cli.js'
import {startFakeCluster, type FakeCluster} from './fake-cluster.js'

const dir = mkdtempSync(join(tmpdir(), 'xctl-validate-cluster-'))
test.after(() => rmSync(dir, {recursive: true, force: true}))

const nad = (name: string, namespace: string) => ({
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: {name, namespace},
  spec: {config: '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam"}}'},
})
const pod = (name: string, namespace: string, labels: Record<string, string>, networks?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace, labels, ...(networks ? {annotations: {'k8s.v1.cni.cncf.io/networks': networks}} : {})},
  spec: {nodeName: 'node-1', serviceAccountName: 'default'},
  status: {phase: 'Running', podIP: '10.48.0.5'},
})

const CLUSTER: FakeCluster = {
  groups: ['crd.projectcalico.org/v1', 'k8s.cni.cncf.io/v1'],
  lists: {
    '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions': {
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinitionList',
      items: [nad('net-a', 'kube-system'), nad('net-b', 'default')],
    },
    '/apis/crd.projectcalico.org/v1/ippools': {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPoolList',
      items: [
        {
          apiVersion: 'crd.projectcalico.org/v1',
          kind: 'IPPool',
          metadata: {name: 'default-ipv4-ippool'},
          spec: {cidr: '10.48.0.0/16'},
        },
      ],
    },
    '/apis/crd.projectcalico.org/v1/tiers': {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'TierList',
      items: [{apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: {name: 'security'}, spec: {order: 100}}],
    },
    '/apis/crd.projectcalico.org/v1/hostendpoints': {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'HostEndpointList',
      items: [
        {
          apiVersion: 'crd.projectcalico.org/v1',
          kind: 'HostEndpoint',
          metadata: {name: 'h1', labels: {role: 'gateway'}},
          spec: {node: 'node-1'},
        },
      ],
    },
    '/api/v1/pods': {
      apiVersion: 'v1',
      kind: 'PodList',
      items: [pod('web-1', 'default', {app: 'web'}, 'net-b@data0'), pod('db-1', 'prod', {app: 'db'})],
    },
    '/api/v1/namespaces': {
      apiVersion: 'v1',
      kind: 'NamespaceList',
      items: [
        {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default', labels: {team: 'a'}}},
        {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod', labels: {team: 'b'}}},
      ],
    },
  },
}

const INPUT = `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: default
  labels: {app: client}
  annotations:
    k8s.v1.cni.cncf.io/networks: net-a, net-b, net-c
spec: {}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: net-c
  namespace: default
spec:
  config: '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["missing-pool", "10.48.0.0/16", "default-ipv4-ippool", "local-pool"]}}'
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: local-pool
spec:
  cidr: 10.60.0.0/16
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.web
spec:
  tier: security
  selector: app == "web" && projectcalico.org/network-interface == "data0"
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: nope.nothing
  namespace: default
spec:
  tier: nope
  selector: app == "nothing"
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: client
  namespace: default
spec:
  selector: app == "client"
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: gateways
spec:
  selector: role == "gateway"
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: team-b-db
spec:
  namespaceSelector: team == "b"
  selector: app == "web"
`

test('--cluster: NADs, pools and tiers must exist (cluster or input); selectors must match some endpoint', async () => {
  const fake = await startFakeCluster(CLUSTER, dir)
  try {
    const r = await xctl(['validate', '-f', '-', '--cluster', '--kubeconfig', fake.kubeconfig, '-o', 'json'], {
      input: INPUT,
      env: {MULTI_INTERFACE_MODE: 'multus'},
    })
    assert.equal(r.code, 1, r.stderr)
    const findings = JSON.parse(r.stdout).findings as Array<{
      rule: string
      severity: string
      line: number
      column: number
      message: string
    }>
    const got = findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.severity}`)
    assert.deepEqual(
      got.sort(),
      [
        '17:101 nad/pool-not-found error',
        '40:9 policy/tier-not-found error',
        '41:13 policy/selects-nothing warning',
        '64:13 policy/selects-nothing warning',
        '8:34 pod/network-not-found error',
      ].sort(),
    )
    const text = (rule: string) => findings.find((f) => f.rule === rule)!.message
    assert.match(
      text('pod/network-not-found'),
      /no NetworkAttachmentDefinition "net-a" in namespace "default" \(neither in the cluster http:\/\/127.0.0.1:\d+ nor in the input\).*cannot find a network-attachment-definition \(net-a\) in namespace \(default\).*there is one in namespace "kube-system": write "kube-system\/net-a"/,
    )
    assert.match(text('nad/pool-not-found'), /ipv4_pools\[0\]: no IPPool named "missing-pool" in the cluster/)
    assert.match(text('policy/tier-not-found'), /tier "nope" does not exist in the cluster/)
    // The cluster was read once per kind, whatever the number of references.
    assert.equal(fake.requests.filter((p) => p === '/api/v1/pods').length, 1)
  } finally {
    await fake.close()
  }
})

test('--cluster in mode none: the network-interface label does not exist, so the selector matches nothing', async () => {
  const fake = await startFakeCluster(CLUSTER, dir)
  try {
    const input =
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: security.web\nspec:\n  tier: security\n  selector: app == "web" && projectcalico.org/network-interface == "data0"\n'
    const none = await xctl(
      ['validate', '-f', '-', '--cluster', '--kubeconfig', fake.kubeconfig, '--multi-interface-mode', 'none'],
      {input},
    )
    assert.equal(none.code, 0, none.stderr)
    assert.match(
      none.stdout,
      /^<stdin>:7:13: warning: selector .* matches no endpoint anywhere in the cluster \(http:\/\/127.0.0.1:\d+\) or the input \(mode none\)/m,
    )
    const multus = await xctl(
      ['validate', '-f', '-', '--cluster', '--kubeconfig', fake.kubeconfig, '--multi-interface-mode', 'multus'],
      {input},
    )
    assert.equal(multus.stdout, 'no problems in 1 resource (1 file; validated 1 GlobalNetworkPolicy)\n')
  } finally {
    await fake.close()
  }
  // Unless told, the mode is the cluster's own (Installation multiInterfaceMode).
  const withInstallation: FakeCluster = {
    ...CLUSTER,
    lists: {
      ...CLUSTER.lists,
      '/apis/operator.tigera.io/v1/installations': {
        apiVersion: 'operator.tigera.io/v1',
        kind: 'InstallationList',
        items: [
          {
            apiVersion: 'operator.tigera.io/v1',
            kind: 'Installation',
            metadata: {name: 'default'},
            spec: {calicoNetwork: {multiInterfaceMode: 'Multus'}},
          },
        ],
      },
    },
  }
  const fake2 = await startFakeCluster(withInstallation, dir)
  try {
    const input =
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: security.web\nspec:\n  tier: security\n  selector: app == "web" && projectcalico.org/network-interface == "data0"\n'
    const auto = await xctl(['validate', '-f', '-', '--cluster', '--kubeconfig', fake2.kubeconfig], {input})
    assert.equal(auto.stdout, 'no problems in 1 resource (1 file; validated 1 GlobalNetworkPolicy)\n', auto.stderr)
  } finally {
    await fake2.close()
  }
})

test('--cluster with an unreachable cluster: exit 3 before any output', async () => {
  const fake = await startFakeCluster(CLUSTER, dir)
  await fake.close()
  const r = await xctl(
    ['validate', '-f', '-', '--cluster', '--kubeconfig', fake.kubeconfig, '--request-timeout', '2s'],
    {input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'},
  )
  assert.equal(r.code, 3, r.stderr)
  assert.equal(r.stdout, '')
  assert.match(r.stderr, /refused|Unable to connect/)
})

test('--flavor: Enterprise-only fields are accepted, warned about with --flavor oss or on a cluster whose Installation is Calico', async () => {
  const input =
    'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: hsi\nspec:\n  cidr: 10.70.0.0/16\n  allowedUses: [HostSecondaryInterface]\n'
  const accepted = await xctl(['validate', '-f', '-'], {input})
  assert.equal(accepted.stdout, 'no problems in 1 resource (1 file; validated 1 IPPool)\n', accepted.stderr)
  const oss = await xctl(['validate', '-f', '-', '--flavor', 'oss'], {input})
  assert.equal(oss.code, 0)
  assert.match(
    oss.stdout,
    /^<stdin>:7:17: warning: allowedUses "HostSecondaryInterface" is a Calico Enterprise \/ Calico Cloud feature: Calico Open Source does not have it and refuses or ignores it \[calico\/enterprise-only\]$/m,
  )
  assert.equal((await xctl(['validate', '-f', '-', '--flavor', 'oss', '--fail-level', 'warning'], {input})).code, 1)
  assert.equal((await xctl(['validate', '-f', '-', '--flavor', 'cloud'], {input})).code, 2)
  const installation = (variant: string): FakeCluster => ({
    ...CLUSTER,
    lists: {
      ...CLUSTER.lists,
      '/apis/operator.tigera.io/v1/installations': {
        apiVersion: 'operator.tigera.io/v1',
        kind: 'InstallationList',
        items: [
          {apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: {name: 'default'}, spec: {variant}},
        ],
      },
    },
  })
  for (const [variant, warned] of [
    ['Calico', true],
    ['TigeraSecureEnterprise', false],
  ] as const) {
    const fake = await startFakeCluster(installation(variant), dir)
    try {
      const r = await xctl(['validate', '-f', '-', '--cluster', '--kubeconfig', fake.kubeconfig], {input})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(/calico\/enterprise-only/.test(r.stdout), warned, `${variant}: ${r.stdout}`)
    } finally {
      await fake.close()
    }
  }
})
