// Fidelity tests for the in-repo Kubernetes API test server: kubectl v1.32 is the judge.
// Run: node --import tsx --test test/support-tests/apiserver.test.ts

import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {gunzipSync} from 'node:zlib'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {after, before, describe, test, type TestContext} from 'node:test'

import {startApiServer, testCerts, type ApiServer, type ApiServerOptions} from '../support/apiserver.js'
import {generateCluster} from '../support/generate.js'

// ---------- helpers ----------

const KUBECTL = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((p) => existsSync(p))

const tmp = mkdtempSync(join(tmpdir(), 'xctl-apiserver-test-'))
after(() => rmSync(tmp, {recursive: true, force: true}))
let kcCount = 0

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs kubectl against a kubeconfig with a clean environment and a hard timeout. */
function kubectl(kubeconfig: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL!,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp, `cache-${kcCount++}`), '--request-timeout=20s', ...args],
      {env: {PATH: process.env.PATH ?? '', HOME: tmp}, timeout: 30_000, maxBuffer: 64 * 1024 * 1024},
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : -1) : 0
        resolve({code, stdout: String(stdout), stderr: String(stderr)})
      },
    )
    if (input !== undefined) child.stdin!.end(input)
  })
}

function needKubectl(t: TestContext): boolean {
  if (!KUBECTL) {
    t.skip('kubectl not installed')
    return false
  }
  return true
}

function kubeconfigFor(server: ApiServer, opts: Parameters<ApiServer['writeKubeconfig']>[1] = {}): string {
  return server.writeKubeconfig(join(tmp, `kubeconfig-${kcCount++}`), opts)
}

interface Resp {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

/** Raw HTTPS request trusting the test CA. */
function call(
  server: ApiServer,
  method: string,
  path: string,
  o: {token?: string | null; body?: string; headers?: Record<string, string>} = {},
): Promise<Resp> {
  const u = new URL(path, server.url)
  const headers: Record<string, string> = {'User-Agent': 'xctl-tests/1.0', ...(o.headers ?? {})}
  if (o.token !== null) headers.Authorization = `Bearer ${o.token ?? 'test-token'}`
  return new Promise((resolve, reject) => {
    const req = httpsRequest(u, {method, headers, ca: server.caData}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: any
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({status: res.statusCode ?? 0, headers: res.headers, text, json})
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(o.body)
  })
}

const pod = (ns: string, name: string, node: string, labels: Record<string, string>, ip: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: ns, labels},
  spec: {nodeName: node, containers: [{name: 'app', image: 'nginx:1.27'}]},
  status: {
    phase: 'Running',
    podIP: ip,
    podIPs: [{ip}],
    conditions: [{type: 'Ready', status: 'True'}],
    containerStatuses: [
      {name: 'app', ready: true, restartCount: 0, state: {running: {startedAt: '2024-01-01T00:00:00Z'}}},
    ],
  },
})

const FIXTURES = [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod'}},
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'dev'}},
  pod('prod', 'web-1', 'node-a', {app: 'web', tier: 'frontend'}, '10.244.1.10'),
  pod('prod', 'web-2', 'node-b', {app: 'web', tier: 'frontend'}, '10.244.2.11'),
  pod('prod', 'db-1', 'node-a', {app: 'db', tier: 'data'}, '10.244.1.12'),
  pod('dev', 'web-1', 'node-b', {app: 'web'}, '10.244.2.13'),
  pod('dev', 'job-1', 'node-a', {app: 'job'}, '10.244.1.14'),
  {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {name: 'blue-net', namespace: 'prod'},
    spec: {config: '{"cniVersion":"0.3.1","name":"blue-net","type":"calico","ipam":{"type":"calico-ipam"}}'},
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'NetworkPolicy',
    metadata: {name: 'default.allow-web', namespace: 'prod'},
    spec: {tier: 'default', order: 100, selector: "app == 'web'", types: ['Ingress'], ingress: [{action: 'Allow'}]},
  },
]

async function withServer(opts: ApiServerOptions, fn: (s: ApiServer) => Promise<void>): Promise<void> {
  const s = await startApiServer(opts)
  try {
    await fn(s)
  } finally {
    await s.close()
  }
}

// ---------- kubectl ----------

describe('kubectl against the test server', () => {
  let server: ApiServer
  let kc: string
  before(async () => {
    server = await startApiServer({
      objects: FIXTURES,
      tokenUsers: {'ci-token': 'system:serviceaccount:ci:deployer'},
      tokens: ['test-token', 'ci-token'],
    })
    kc = kubeconfigFor(server)
  })
  after(() => server.close())

  test('get pods -A -o wide prints the real server-side columns', async (t) => {
    if (!needKubectl(t)) return
    const r = await kubectl(kc, ['get', 'pods', '-A', '-o', 'wide'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(
      lines[0]!,
      /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    )
    assert.equal(lines.length, 6)
    // etcd key order: namespace, then name
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join('/')),
      ['dev/job-1', 'dev/web-1', 'prod/db-1', 'prod/web-1', 'prod/web-2'],
    )
    assert.match(lines[4]!, /^prod\s+web-1\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.1\.10\s+node-a\s+<none>\s+<none>$/)
    const accept = server.requests.find((q) => q.path === '/api/v1/pods')!.headers.accept
    assert.match(String(accept), /as=Table;v=v1;g=meta\.k8s\.io/)
  })

  test('--chunk-size=2 pages through every pod with continue tokens', async (t) => {
    if (!needKubectl(t)) return
    const before = server.requests.length
    const r = await kubectl(kc, ['get', 'pods', '-A', '--chunk-size=2', '--no-headers'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim().split('\n').length, 5)
    const lists = server.requests.slice(before).filter((q) => q.path === '/api/v1/pods')
    assert.equal(lists.length, 3)
    assert.ok(lists.every((q) => q.query.limit === '2'))
    assert.equal(lists.filter((q) => q.query.continue).length, 2)
  })

  test('get of a missing pod gives the real NotFound error', async (t) => {
    if (!needKubectl(t)) return
    const r = await kubectl(kc, ['get', 'pod', 'nope', '-n', 'prod'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): pods "nope" not found')
  })

  test('get nad -A and networkpolicies.crd.projectcalico.org -A', async (t) => {
    if (!needKubectl(t)) return
    const nad = await kubectl(kc, ['get', 'nad', '-A'])
    assert.equal(nad.code, 0, nad.stderr)
    assert.match(nad.stdout, /^NAMESPACE\s+NAME\s+AGE\nprod\s+blue-net\s+\S+\n$/)
    const np = await kubectl(kc, ['get', 'networkpolicies.crd.projectcalico.org', '-A'])
    assert.equal(np.code, 0, np.stderr)
    assert.match(np.stdout, /^NAMESPACE\s+NAME\s+AGE\nprod\s+default\.allow-web\s+\S+\n$/)
    const crd = await kubectl(kc, ['get', 'crd', 'network-attachment-definitions.k8s.cni.cncf.io'])
    assert.equal(crd.code, 0, crd.stderr)
    assert.match(
      crd.stdout,
      /^NAME\s+CREATED AT\nnetwork-attachment-definitions\.k8s\.cni\.cncf\.io\s+\d{4}-\d\d-\d\dT/,
    )
  })

  test('label and field selectors', async (t) => {
    if (!needKubectl(t)) return
    const names = (r: Run) =>
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(0, 2).join('/'))
    const byLabel = await kubectl(kc, ['get', 'pods', '-A', '-l', 'app=web,tier!=data', '--no-headers'])
    assert.equal(byLabel.code, 0, byLabel.stderr)
    assert.deepEqual(names(byLabel), ['dev/web-1', 'prod/web-1', 'prod/web-2'])
    const setBased = await kubectl(kc, [
      'get',
      'pods',
      '-n',
      'prod',
      '-l',
      'tier in (data),app',
      '--no-headers',
      '-o',
      'name',
    ])
    assert.equal(setBased.stdout.trim(), 'pod/db-1')
    const byField = await kubectl(kc, ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-a', '--no-headers'])
    assert.equal(byField.code, 0, byField.stderr)
    assert.deepEqual(names(byField), ['dev/job-1', 'prod/db-1', 'prod/web-1'])
    const both = await kubectl(kc, [
      'get',
      'pods',
      '-A',
      '--field-selector',
      'metadata.namespace!=prod,status.phase=Running',
      '-l',
      '!tier',
      '-o',
      'name',
    ])
    assert.deepEqual(both.stdout.trim().split('\n'), ['pod/job-1', 'pod/web-1'])
    const bad = await kubectl(kc, ['get', 'pods', '--field-selector', 'spec.foo=bar'])
    assert.equal(bad.code, 1)
    // kubectl wraps the server's message
    assert.equal(
      bad.stderr.trim(),
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo',
    )
  })

  test('a forbid rule gives kubectl the real Forbidden error', async (t) => {
    if (!needKubectl(t)) return
    const ci = kubeconfigFor(server, {token: 'ci-token'})
    server.forbid.push({verb: 'list', resource: 'pods', namespace: 'prod'})
    try {
      const r = await kubectl(ci, ['get', 'pods', '-n', 'prod'])
      assert.equal(r.code, 1)
      assert.equal(
        r.stderr.trim(),
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "prod"',
      )
      const other = await kubectl(ci, ['get', 'pods', '-n', 'dev', '-o', 'name'])
      assert.equal(other.code, 0, other.stderr)
    } finally {
      server.forbid.length = 0
    }
    server.forbid.push({verb: 'list', resource: 'networkpolicies', group: 'crd.projectcalico.org'})
    try {
      const r = await kubectl(ci, ['get', 'networkpolicies.crd.projectcalico.org', '-A'])
      assert.equal(
        r.stderr.trim(),
        'Error from server (Forbidden): networkpolicies.crd.projectcalico.org is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "networkpolicies" in API group "crd.projectcalico.org" at the cluster scope',
      )
    } finally {
      server.forbid.length = 0
    }
  })

  test('a wrong token gives kubectl the Unauthorized error', async (t) => {
    if (!needKubectl(t)) return
    const r = await kubectl(kubeconfigFor(server, {token: 'wrong'}), ['get', 'pods'])
    assert.equal(r.code, 1)
    // discovery reads the 401 with Result.Raw(), which keeps client-go's generic message, not the Status body
    assert.match(
      r.stderr,
      /\nerror: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/,
    )
  })

  test('client certificate authentication', async (t) => {
    if (!needKubectl(t)) return
    const before = server.requests.length
    const r = await kubectl(kubeconfigFor(server, {clientCert: true}), ['get', 'ns', '-o', 'name'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /namespace\/prod/)
    const users = new Set(server.requests.slice(before).map((q) => q.user))
    assert.deepEqual([...users], ['xctl-tester'])
  })

  test('a client certificate from another CA is refused at the TLS level', async () => {
    const certs = testCerts()
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = httpsRequest(
          new URL('/api/v1/namespaces', server.url),
          {ca: server.caData, cert: certs.otherClientCert, key: certs.otherClientKey},
          resolve,
        )
        req.on('error', reject)
        req.end()
      }),
    )
  })

  test('a kubeconfig trusting another CA fails TLS verification', async (t) => {
    if (!needKubectl(t)) return
    const r = await kubectl(kubeconfigFor(server, {caData: testCerts().otherCa}), ['get', 'ns'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /certificate signed by unknown authority/)
  })
})

describe('kubectl writes', () => {
  const NAD = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: red-net
  namespace: prod
spec:
  config: '{"cniVersion":"0.3.1","name":"red-net","type":"calico"}'
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: prod
spec:
  order: 10
  selector: all()
  types: [Egress]
  egress:
  - action: Allow
    protocol: UDP
    destination:
      ports: [53]
`

  test('apply --dry-run=server persists nothing', async (t) => {
    if (!needKubectl(t)) return
    await withServer({objects: FIXTURES}, async (server) => {
      const r = await kubectl(kubeconfigFor(server), ['apply', '--dry-run=server', '--validate=false', '-f', '-'], NAD)
      assert.equal(r.code, 0, r.stderr)
      assert.equal(
        r.stdout,
        'networkattachmentdefinition.k8s.cni.cncf.io/red-net created (server dry run)\nnetworkpolicy.crd.projectcalico.org/allow-dns created (server dry run)\n',
      )
      assert.equal(server.get('k8s.cni.cncf.io/v1', 'NetworkAttachmentDefinition', 'prod', 'red-net'), undefined)
      assert.equal(server.get('crd.projectcalico.org/v1', 'networkpolicies', 'prod', 'allow-dns'), undefined)
      const posts = server.requests.filter((q) => q.method === 'POST')
      assert.equal(posts.length, 2)
      assert.ok(posts.every((q) => q.query.dryRun === 'All'))
    })
  })

  test('apply creates, a second apply of a changed object configures it, delete removes it', async (t) => {
    if (!needKubectl(t)) return
    await withServer({objects: FIXTURES}, async (server) => {
      const kc = kubeconfigFor(server)
      const r1 = await kubectl(kc, ['apply', '--validate=false', '-f', '-'], NAD)
      assert.equal(r1.code, 0, r1.stderr)
      assert.equal(
        r1.stdout,
        'networkattachmentdefinition.k8s.cni.cncf.io/red-net created\nnetworkpolicy.crd.projectcalico.org/allow-dns created\n',
      )
      const created = server.get('crd.projectcalico.org/v1', 'NetworkPolicy', 'prod', 'allow-dns')
      assert.equal(created.metadata.generation, 1)
      assert.equal(created.metadata.managedFields[0].manager, 'kubectl-client-side-apply')
      assert.equal(created.metadata.managedFields[0].operation, 'Update')

      const r2 = await kubectl(kc, ['apply', '--validate=false', '-f', '-'], NAD.replace('order: 10', 'order: 20'))
      assert.equal(r2.code, 0, r2.stderr)
      assert.equal(
        r2.stdout,
        'networkattachmentdefinition.k8s.cni.cncf.io/red-net unchanged\nnetworkpolicy.crd.projectcalico.org/allow-dns configured\n',
      )
      const updated = server.get('crd.projectcalico.org/v1', 'NetworkPolicy', 'prod', 'allow-dns')
      assert.equal(updated.spec.order, 20)
      assert.equal(updated.metadata.generation, 2)
      const patch = server.requests.find((q) => q.method === 'PATCH')!
      assert.equal(patch.headers['content-type'], 'application/merge-patch+json')

      const d = await kubectl(kc, ['delete', 'networkpolicies.crd.projectcalico.org', 'allow-dns', '-n', 'prod'])
      assert.equal(d.code, 0, d.stderr)
      assert.equal(d.stdout, 'networkpolicy.crd.projectcalico.org "allow-dns" deleted\n')
      assert.equal(server.get('crd.projectcalico.org/v1', 'NetworkPolicy', 'prod', 'allow-dns'), undefined)

      const p = await kubectl(kc, ['delete', 'pod', 'web-1', '-n', 'prod'])
      assert.equal(p.code, 0, p.stderr)
      assert.equal(p.stdout, 'pod "web-1" deleted\n')
      assert.equal(server.get('v1', 'Pod', 'prod', 'web-1'), undefined)
    })
  })

  test('apply of a core object uses a strategic merge patch; create in a missing namespace fails', async (t) => {
    if (!needKubectl(t)) return
    await withServer({objects: FIXTURES}, async (server) => {
      const kc = kubeconfigFor(server)
      const cm = (v: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\ndata:\n  level: "${v}"\n`
      assert.equal(
        (await kubectl(kc, ['apply', '--validate=false', '-f', '-'], cm('info'))).stdout,
        'configmap/settings created\n',
      )
      assert.equal(
        (await kubectl(kc, ['apply', '--validate=false', '-f', '-'], cm('debug'))).stdout,
        'configmap/settings configured\n',
      )
      assert.equal(server.get('v1', 'ConfigMap', 'prod', 'settings').data.level, 'debug')
      assert.equal(
        server.requests.find((q) => q.method === 'PATCH')!.headers['content-type'],
        'application/strategic-merge-patch+json',
      )
      const r = await kubectl(
        kc,
        ['apply', '--validate=false', '-f', '-'],
        cm('x').replace('namespace: prod', 'namespace: nowhere'),
      )
      assert.equal(r.code, 1)
      assert.match(
        r.stderr,
        /Error from server \(NotFound\): error when creating "STDIN": namespaces "nowhere" not found/,
      )
    })
  })
})

describe('kubectl and API kinds', () => {
  test('kubectl create namespace/configmap (protobuf bodies) and server-side apply', async (t) => {
    if (!needKubectl(t)) return
    await withServer({}, async (server) => {
      const kc = kubeconfigFor(server)
      assert.equal((await kubectl(kc, ['create', 'namespace', 'team-a'])).stdout, 'namespace/team-a created\n')
      const ns = server.get('v1', 'Namespace', undefined, 'team-a')
      assert.deepEqual(ns.status, {phase: 'Active'})
      assert.deepEqual(ns.metadata.labels, {'kubernetes.io/metadata.name': 'team-a'})
      assert.equal(
        server.requests.find((q) => q.method === 'POST')!.headers['content-type'],
        'application/vnd.kubernetes.protobuf',
      )
      const cm = await kubectl(kc, ['create', 'configmap', 'c1', '-n', 'team-a', '--from-literal=k=v'])
      assert.equal(cm.stdout, 'configmap/c1 created\n', cm.stderr)
      assert.deepEqual(server.get('v1', 'configmaps', 'team-a', 'c1').data, {k: 'v'})

      const nad =
        'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: n1\n  namespace: team-a\nspec:\n  config: "{}"\n'
      const ssa = await kubectl(kc, ['apply', '--server-side', '--validate=false', '-f', '-'], nad)
      assert.equal(ssa.stdout, 'networkattachmentdefinition.k8s.cni.cncf.io/n1 serverside-applied\n', ssa.stderr)
      const obj = server.get('k8s.cni.cncf.io/v1', 'nad', 'team-a', 'n1')
      assert.deepEqual(
        obj.metadata.managedFields.map((m: any) => [m.manager, m.operation]),
        [['kubectl', 'Apply']],
      )
      const patch = server.requests.find((q) => q.method === 'PATCH')!
      assert.equal(patch.headers['content-type'], 'application/apply-patch+yaml')
      assert.equal(patch.query.fieldManager, 'kubectl')
    })
  })

  test('v3-crd mode: native projectcalico.org/v3 CRDs with their printer columns', async (t) => {
    if (!needKubectl(t)) return
    const objects = [
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod'}},
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: {name: 'allow-web', namespace: 'prod'},
        spec: {tier: 'default', order: 100},
      },
    ]
    await withServer({calicoMode: 'v3-crd', objects}, async (server) => {
      const r = await kubectl(kubeconfigFor(server), ['get', 'cnp', '-A'])
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /^NAMESPACE\s+NAME\s+TIER\s+ORDER\nprod\s+allow-web\s+default\s+100\n$/)
      const none = await kubectl(kubeconfigFor(server), ['get', 'networkpolicies.crd.projectcalico.org'])
      assert.equal(none.code, 1)
      assert.match(none.stderr, /the server doesn't have a resource type "networkpolicies"/)
    })
  })

  test('apiserver-v3 mode: the aggregated v3 API reads and writes the v1 CRD objects', async (t) => {
    if (!needKubectl(t)) return
    const objects = [
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'prod'}},
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPPool',
        metadata: {name: 'default-ipv4-ippool'},
        spec: {cidr: '10.244.0.0/16'},
      },
    ]
    await withServer({calicoMode: 'apiserver-v3', objects}, async (server) => {
      const kc = kubeconfigFor(server)
      const r = await kubectl(kc, ['get', 'ippools'])
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /^NAME\s+CREATED AT\ndefault-ipv4-ippool\s+\d{4}-/)
      assert.ok(server.requests.some((q) => q.path === '/apis/projectcalico.org/v3/ippools'))
      const v3 = server.get('projectcalico.org/v3', 'IPPool', undefined, 'default-ipv4-ippool')
      assert.equal(v3.apiVersion, 'projectcalico.org/v3')
      assert.equal(v3.spec.cidr, '10.244.0.0/16')
    })
  })

  test('a CRD created through the API serves its kind', async (t) => {
    if (!needKubectl(t)) return
    await withServer({}, async (server) => {
      const kc = kubeconfigFor(server)
      const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
`
      assert.equal(
        (await kubectl(kc, ['apply', '--validate=false', '-f', '-'], crd)).stdout,
        'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
      )
      const w =
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: default\nspec:\n  size: 3\n'
      const c = await kubectl(kc, ['apply', '--validate=false', '-f', '-'], w)
      assert.equal(c.stdout, 'widget.example.com/w1 created\n', c.stderr)
      const g = await kubectl(kc, ['get', 'wg'])
      assert.match(g.stdout, /^NAME\s+SIZE\nw1\s+3\n$/)
    })
  })
})

describe('watch', () => {
  test('streams events after a list resourceVersion; too old versions get a 410 ERROR event', async () => {
    await withServer({objects: FIXTURES}, async (server) => {
      const list = await call(server, 'GET', '/api/v1/namespaces/prod/configmaps')
      const rv = list.json.metadata.resourceVersion
      const events: any[] = []
      const done = new Promise<void>((resolve, reject) => {
        const req = httpsRequest(
          new URL(`/api/v1/namespaces/prod/configmaps?watch=true&resourceVersion=${rv}`, server.url),
          {ca: server.caData, headers: {Authorization: 'Bearer test-token'}},
          (res) => {
            let buf = ''
            res.on('data', (d) => {
              buf += d
              let i
              while ((i = buf.indexOf('\n')) >= 0) {
                events.push(JSON.parse(buf.slice(0, i)))
                buf = buf.slice(i + 1)
                if (events.length === 2) {
                  req.destroy()
                  resolve()
                }
              }
            })
          },
        )
        req.on('error', (e) => (events.length === 2 ? resolve() : reject(e)))
        req.end()
      })
      await new Promise((r) => setTimeout(r, 50))
      const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c1'}, data: {a: '1'}}
      assert.equal(
        (await call(server, 'POST', '/api/v1/namespaces/prod/configmaps', {body: JSON.stringify(cm)})).status,
        201,
      )
      assert.equal((await call(server, 'DELETE', '/api/v1/namespaces/prod/configmaps/c1')).status, 200)
      await done
      assert.deepEqual(
        events.map((e) => [e.type, e.object.kind, e.object.metadata.name]),
        [
          ['ADDED', 'ConfigMap', 'c1'],
          ['DELETED', 'ConfigMap', 'c1'],
        ],
      )

      server.expireContinueTokens()
      const old = await call(server, 'GET', `/api/v1/namespaces/prod/configmaps?watch=true&resourceVersion=${rv}`)
      const ev = JSON.parse(old.text.trim())
      assert.equal(ev.type, 'ERROR')
      assert.equal(ev.object.code, 410)
      assert.equal(ev.object.reason, 'Expired')
      assert.match(ev.object.message, /^too old resource version: \d+ \(\d+\)$/)
    })
  })
})

// ---------- direct HTTP ----------

describe('direct HTTP', () => {
  let server: ApiServer
  before(async () => {
    server = await startApiServer({objects: FIXTURES})
  })
  after(() => server.close())

  test('list items of core kinds carry no apiVersion/kind; custom resource items do', async () => {
    const pods = await call(server, 'GET', '/api/v1/namespaces/prod/pods')
    assert.equal(pods.status, 200)
    assert.equal(pods.json.kind, 'PodList')
    assert.equal(pods.json.apiVersion, 'v1')
    assert.ok(/^\d+$/.test(pods.json.metadata.resourceVersion))
    assert.equal(pods.json.items.length, 3)
    for (const item of pods.json.items) {
      assert.equal(item.kind, undefined)
      assert.equal(item.apiVersion, undefined)
    }
    const one = await call(server, 'GET', '/api/v1/namespaces/prod/pods/web-1')
    assert.equal(one.json.kind, 'Pod')
    assert.equal(one.json.apiVersion, 'v1')
    assert.ok(
      one.text.startsWith('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-1","namespace":"prod","uid":'),
    )

    const nads = await call(server, 'GET', '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions')
    assert.equal(nads.json.kind, 'NetworkAttachmentDefinitionList')
    assert.deepEqual(Object.keys(nads.json), ['apiVersion', 'items', 'kind', 'metadata'])
    assert.equal(nads.json.metadata.continue, '')
    assert.equal(nads.json.items[0].apiVersion, 'k8s.cni.cncf.io/v1')
    assert.equal(nads.json.items[0].kind, 'NetworkAttachmentDefinition')
  })

  test('limit/continue, remainingItemCount, and the 410 Expired flow', async () => {
    const p1 = await call(server, 'GET', '/api/v1/pods?limit=2')
    assert.deepEqual(
      p1.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`),
      ['dev/job-1', 'dev/web-1'],
    )
    assert.equal(p1.json.metadata.remainingItemCount, 3)
    const token = p1.json.metadata.continue
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString())
    assert.deepEqual(decoded, {
      v: 'meta.k8s.io/v1',
      rv: Number(p1.json.metadata.resourceVersion),
      start: 'dev/web-1\u0000',
    })

    server.expireContinueTokens()
    const gone = await call(server, 'GET', `/api/v1/pods?limit=2&continue=${token}`)
    assert.equal(gone.status, 410)
    assert.equal(gone.json.kind, 'Status')
    assert.equal(gone.json.reason, 'Expired')
    assert.equal(gone.json.code, 410)
    assert.match(
      gone.json.message,
      /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/,
    )
    const inconsistent = gone.json.metadata.continue
    assert.deepEqual(JSON.parse(Buffer.from(inconsistent, 'base64url').toString()), {
      v: 'meta.k8s.io/v1',
      rv: -1,
      start: 'dev/web-1\u0000',
    })
    const rest = await call(server, 'GET', `/api/v1/pods?limit=10&continue=${inconsistent}`)
    assert.equal(rest.status, 200)
    assert.deepEqual(
      rest.json.items.map((i: any) => i.metadata.name),
      ['db-1', 'web-1', 'web-2'],
    )
    assert.equal(rest.json.metadata.continue, undefined)

    const bad = await call(server, 'GET', '/api/v1/pods?limit=2&continue=not-a-token')
    assert.equal(bad.status, 400)
    assert.match(bad.json.message, /^invalid continue token: continue key is not valid/)
  })

  test('the server may return short pages (maxPageSize)', async () => {
    await withServer({objects: FIXTURES, maxPageSize: 2}, async (s) => {
      const r = await call(s, 'GET', '/api/v1/pods?limit=4')
      assert.equal(r.json.items.length, 2)
      assert.ok(r.json.metadata.continue)
      let all = r.json.items.length
      let cont = r.json.metadata.continue
      while (cont) {
        const n = await call(s, 'GET', `/api/v1/pods?limit=4&continue=${cont}`)
        all += n.json.items.length
        cont = n.json.metadata.continue
      }
      assert.equal(all, 5)
    })
  })

  test('bad selectors are 400 BadRequest with the real messages', async () => {
    const f = await call(server, 'GET', '/api/v1/pods?fieldSelector=spec.foo%3Dbar')
    assert.equal(f.status, 400)
    assert.deepEqual(f.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'field label not supported: spec.foo',
      reason: 'BadRequest',
      code: 400,
    })
    const l = await call(server, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent('app in web')}`)
    assert.equal(l.status, 400)
    assert.equal(l.json.message, "unable to parse requirement: found 'web' expected: '('")
    const nad = await call(
      server,
      'GET',
      '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions?fieldSelector=spec.config%3Dx',
    )
    assert.equal(nad.json.message, 'field label not supported: spec.config')
  })

  test('errors: NotFound, unknown resources, non-API paths, conflicts, invalid updates, media types', async () => {
    const nf = await call(server, 'GET', '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/x')
    assert.equal(nf.status, 404)
    assert.equal(nf.json.message, 'networkpolicies.crd.projectcalico.org "x" not found')
    assert.deepEqual(nf.json.details, {name: 'x', group: 'crd.projectcalico.org', kind: 'networkpolicies'})

    const unknown = await call(server, 'GET', '/api/v1/widgets')
    assert.equal(unknown.status, 404)
    assert.equal(unknown.json.message, 'the server could not find the requested resource')
    assert.deepEqual(unknown.json.details, {})
    const page = await call(server, 'GET', '/nope')
    assert.equal(page.status, 404)
    assert.equal(page.text, '404 page not found\n')

    const exists = await call(server, 'POST', '/api/v1/namespaces/prod/pods', {
      body: JSON.stringify(pod('prod', 'web-1', 'n', {}, '1.1.1.1')),
    })
    assert.equal(exists.status, 409)
    assert.equal(exists.json.reason, 'AlreadyExists')
    assert.equal(exists.json.message, 'pods "web-1" already exists')

    const np = await call(
      server,
      'GET',
      '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web',
    )
    const body = np.json
    const noRv = structuredClone(body)
    delete noRv.metadata.resourceVersion
    const put = await call(
      server,
      'PUT',
      np.json.metadata.name && '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web',
      {body: JSON.stringify(noRv)},
    )
    assert.equal(put.status, 422)
    assert.equal(
      put.json.message,
      'networkpolicies.crd.projectcalico.org "default.allow-web" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    )
    const stale = structuredClone(body)
    stale.metadata.resourceVersion = '1'
    const c = await call(
      server,
      'PUT',
      '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web',
      {body: JSON.stringify(stale)},
    )
    assert.equal(c.status, 409)
    assert.equal(
      c.json.message,
      'Operation cannot be fulfilled on networkpolicies.crd.projectcalico.org "default.allow-web": the object has been modified; please apply your changes to the latest version and try again',
    )

    const smp = await call(
      server,
      'PATCH',
      '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web',
      {
        body: '{"spec":{"order":5}}',
        headers: {'Content-Type': 'application/strategic-merge-patch+json'},
      },
    )
    assert.equal(smp.status, 415)
    assert.equal(smp.json.reason, 'UnsupportedMediaType')
    assert.equal(
      smp.json.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    )

    const anon = await call(server, 'GET', '/api/v1/pods', {token: null})
    assert.equal(anon.status, 401)
    assert.deepEqual(anon.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    })
  })

  test('write semantics: generateName, delete answers, finalizers, namespace cleanup, patch errors, dry run', async () => {
    await withServer({objects: FIXTURES}, async (s) => {
      const gen = await call(s, 'POST', '/api/v1/namespaces/dev/configmaps', {
        body: JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {generateName: 'cfg-'}}),
      })
      assert.equal(gen.status, 201)
      assert.match(gen.json.metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      assert.deepEqual(
        gen.json.metadata.managedFields.map((m: any) => [m.manager, m.operation, m.fieldsType]),
        [['xctl-tests', 'Update', 'FieldsV1']],
      )

      const cmDel = await call(s, 'DELETE', `/api/v1/namespaces/dev/configmaps/${gen.json.metadata.name}`)
      assert.deepEqual(cmDel.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {name: gen.json.metadata.name, kind: 'configmaps', uid: gen.json.metadata.uid},
      })
      const npDel = await call(
        s,
        'DELETE',
        '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web',
      )
      assert.equal(npDel.json.kind, 'Status')
      assert.equal(npDel.json.details.group, 'crd.projectcalico.org')
      assert.equal(npDel.json.details.kind, 'networkpolicies')
      const podDel = await call(s, 'DELETE', '/api/v1/namespaces/prod/pods/web-2')
      assert.equal(podDel.json.kind, 'Pod')
      assert.equal(podDel.json.metadata.deletionGracePeriodSeconds, 30)
      assert.equal(s.get('v1', 'Pod', 'prod', 'web-2'), undefined)

      // dry run deletes nothing
      const dry = await call(s, 'DELETE', '/api/v1/namespaces/prod/pods/web-1?dryRun=All')
      assert.equal(dry.status, 200)
      assert.ok(s.get('v1', 'Pod', 'prod', 'web-1'))

      // finalizers hold an object until the last one is removed
      const held = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'held', finalizers: ['example.com/hold']}}
      assert.equal(
        (await call(s, 'POST', '/api/v1/namespaces/dev/configmaps', {body: JSON.stringify(held)})).status,
        201,
      )
      const marked = await call(s, 'DELETE', '/api/v1/namespaces/dev/configmaps/held')
      assert.ok(marked.json.metadata.deletionTimestamp)
      assert.ok(s.get('v1', 'ConfigMap', 'dev', 'held'))
      const release = await call(s, 'PATCH', '/api/v1/namespaces/dev/configmaps/held', {
        body: '{"metadata":{"finalizers":null}}',
        headers: {'Content-Type': 'application/merge-patch+json'},
      })
      assert.equal(release.status, 200)
      assert.equal(s.get('v1', 'ConfigMap', 'dev', 'held'), undefined)

      const jp = await call(s, 'PATCH', '/api/v1/namespaces/prod/pods/web-1', {
        body: '[{"op":"test","path":"/spec/nodeName","value":"other"}]',
        headers: {'Content-Type': 'application/json-patch+json'},
      })
      assert.equal(jp.status, 422)
      assert.equal(jp.json.message, 'the server rejected our request due to an error in our request')
      const ssa = await call(s, 'PATCH', '/api/v1/namespaces/prod/pods/web-1', {
        body: '{}',
        headers: {'Content-Type': 'application/apply-patch+yaml'},
      })
      assert.equal(ssa.status, 422)
      assert.equal(
        ssa.json.message,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      )

      const nsDel = await call(s, 'DELETE', '/api/v1/namespaces/prod')
      assert.equal(nsDel.json.status.phase, 'Terminating')
      assert.deepEqual(s.list('v1', 'pods', 'prod'), [])
      assert.deepEqual(s.list('k8s.cni.cncf.io/v1', 'nad', 'prod'), [])
      const missing = await call(s, 'POST', '/api/v1/namespaces/prod/configmaps', {
        body: JSON.stringify({metadata: {name: 'x'}}),
      })
      assert.equal(missing.status, 404)
      assert.equal(missing.json.message, 'namespaces "prod" not found')
      const badName = await call(s, 'POST', '/api/v1/namespaces/dev/configmaps', {
        body: JSON.stringify({metadata: {name: 'Bad_Name'}}),
      })
      assert.equal(badName.status, 422)
      assert.match(
        badName.json.message,
        /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
      )
    })
  })

  test('pods/status subresource updates status only', async () => {
    const cur = (await call(server, 'GET', '/api/v1/namespaces/dev/pods/job-1')).json
    cur.status.phase = 'Succeeded'
    cur.spec.nodeName = 'elsewhere'
    const r = await call(server, 'PUT', '/api/v1/namespaces/dev/pods/job-1/status', {body: JSON.stringify(cur)})
    assert.equal(r.status, 200)
    assert.equal(r.json.status.phase, 'Succeeded')
    assert.equal(r.json.spec.nodeName, 'node-a')
    assert.ok(Number(r.json.metadata.resourceVersion) > Number(cur.metadata.resourceVersion))
  })

  test('discovery documents', async () => {
    const api = await call(server, 'GET', '/api')
    assert.equal(api.json.kind, 'APIVersions')
    assert.deepEqual(api.json.versions, ['v1'])
    const v1 = await call(server, 'GET', '/api/v1')
    const pods = v1.json.resources.find((r: any) => r.name === 'pods')
    assert.deepEqual(pods, {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    })
    assert.ok(v1.json.resources.some((r: any) => r.name === 'pods/status'))
    const group = await call(server, 'GET', '/apis/k8s.cni.cncf.io/v1')
    const nad = group.json.resources.find((r: any) => r.name === 'network-attachment-definitions')
    assert.deepEqual(nad.shortNames, ['nad', 'net-attach-def'])
    assert.equal(nad.namespaced, true)
    const agg = await call(server, 'GET', '/apis', {
      headers: {Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'},
    })
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
    assert.equal(agg.json.kind, 'APIGroupDiscoveryList')
    assert.ok(agg.json.items.some((g: any) => g.metadata.name === 'crd.projectcalico.org'))
    assert.ok(!agg.json.items.some((g: any) => g.metadata.name === 'projectcalico.org'))
    const version = await call(server, 'GET', '/version')
    assert.equal(version.json.gitVersion, 'v1.32.4')
  })

  test('calicoMode selects the Calico API groups', async () => {
    const groups = async (mode: ApiServerOptions['calicoMode']) =>
      withServer({calicoMode: mode}, async (s) => {
        const r = await call(s, 'GET', '/apis')
        ;(groups as any).last = r.json.groups.map((g: any) => g.name)
      }).then(() => (groups as any).last as string[])
    assert.deepEqual(await groups('crd-v1'), [
      'networking.k8s.io',
      'apiextensions.k8s.io',
      'crd.projectcalico.org',
      'k8s.cni.cncf.io',
      'operator.tigera.io',
    ])
    assert.deepEqual(await groups('v3-crd'), [
      'networking.k8s.io',
      'apiextensions.k8s.io',
      'k8s.cni.cncf.io',
      'operator.tigera.io',
      'projectcalico.org',
    ])
    assert.deepEqual(await groups('apiserver-v3'), [
      'networking.k8s.io',
      'apiextensions.k8s.io',
      'projectcalico.org',
      'crd.projectcalico.org',
      'k8s.cni.cncf.io',
      'operator.tigera.io',
    ])
    assert.deepEqual(await groups('none'), [
      'networking.k8s.io',
      'apiextensions.k8s.io',
      'k8s.cni.cncf.io',
      'operator.tigera.io',
    ])
  })
})

describe('faults', () => {
  test('injected status, retry-after, dropped connections, conflicts and page delays', async () => {
    await withServer({objects: FIXTURES}, async (server) => {
      const f = server.faults.add({method: 'GET', pathPattern: /\/api\/v1\/pods$/, status: 429, retryAfter: 2})
      const r = await call(server, 'GET', '/api/v1/pods')
      assert.equal(r.status, 429)
      assert.equal(r.headers['retry-after'], '2')
      assert.equal(f.hits, 1)
      assert.equal((await call(server, 'GET', '/api/v1/pods')).status, 200)

      server.faults.add({
        pathPattern: /namespaces$/,
        status: 503,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'ServiceUnavailable',
          code: 503,
        },
        times: 2,
      })
      assert.equal((await call(server, 'GET', '/api/v1/namespaces')).status, 503)
      assert.equal((await call(server, 'GET', '/api/v1/namespaces')).status, 503)
      assert.equal((await call(server, 'GET', '/api/v1/namespaces')).status, 200)

      server.faults.add({pathPattern: /pods/, dropConnection: 'before-headers'})
      await assert.rejects(call(server, 'GET', '/api/v1/pods'))
      server.faults.add({pathPattern: /pods/, dropConnection: 'mid-body'})
      await assert.rejects(call(server, 'GET', '/api/v1/pods'))

      server.faults.conflictNextUpdates(1)
      const np = '/apis/crd.projectcalico.org/v1/namespaces/prod/networkpolicies/default.allow-web'
      const patch = {body: '{"spec":{"order":1}}', headers: {'Content-Type': 'application/merge-patch+json'}}
      const c = await call(server, 'PATCH', np, patch)
      assert.equal(c.status, 409)
      assert.equal(c.json.reason, 'Conflict')
      assert.equal((await call(server, 'PATCH', np, patch)).status, 200)

      server.pageDelayMs(2, 300)
      const t0 = Date.now()
      const p1 = await call(server, 'GET', '/api/v1/pods?limit=2')
      const t1 = Date.now()
      await call(server, 'GET', `/api/v1/pods?limit=2&continue=${p1.json.metadata.continue}`)
      assert.ok(t1 - t0 < 250, `first page took ${t1 - t0}ms`)
      assert.ok(Date.now() - t1 >= 290, 'second page was not delayed')
    })
  })
})

describe('generated clusters', () => {
  test('generateCluster produces realistic pods and serves them', async () => {
    const c = generateCluster({pods: 40, namespaces: 4, nodes: 3, networksPerPod: 2})
    const p = c.pods[1] as any
    const status = JSON.parse(p.metadata.annotations['k8s.v1.cni.cncf.io/network-status'])
    assert.equal(status[0].default, true)
    assert.equal(status[0].interface, 'eth0')
    assert.equal(status.length, 3)
    assert.equal(c.networkAttachmentDefinitions.length, 8)
    await withServer({objects: c.objects}, async (s) => {
      const r = await call(s, 'GET', '/api/v1/pods?limit=15')
      assert.equal(r.json.items.length, 15)
      assert.equal(r.json.metadata.remainingItemCount, 25)
    })
  })
})

describe('transfer as from a remote cluster', () => {
  /** GET with the test token, the body kept as bytes (it may be gzipped). */
  function rawGet(server: ApiServer, path: string, headers: Record<string, string> = {}) {
    return new Promise<{headers: Record<string, string | string[] | undefined>; body: Buffer; ms: number}>(
      (resolve, reject) => {
        const started = performance.now()
        const req = httpsRequest(
          new URL(path, server.url),
          {headers: {Authorization: 'Bearer test-token', ...headers}, ca: server.caData},
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c) => chunks.push(c))
            res.on('end', () =>
              resolve({headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started}),
            )
            res.on('error', reject)
          },
        )
        req.on('error', reject)
        req.end()
      },
    )
  }
  const cluster = generateCluster({pods: 300, namespaces: 3, nodes: 3, networksPerPod: 2})

  test('bodies over 128 KiB are gzipped when the client asks as kube-apiserver parses Accept-Encoding', async () => {
    await withServer({objects: cluster.objects}, async (s) => {
      const plain = await rawGet(s, '/api/v1/pods')
      assert.ok(plain.body.length > 128 * 1024, `list is only ${plain.body.length} bytes`)
      assert.equal(plain.headers['content-encoding'], undefined)
      const zipped = await rawGet(s, '/api/v1/pods', {'Accept-Encoding': 'deflate, gzip'})
      assert.equal(zipped.headers['content-encoding'], 'gzip')
      assert.equal(zipped.headers.vary, 'Accept-Encoding')
      assert.ok(
        zipped.body.length < plain.body.length / 4,
        `gzip gave ${zipped.body.length} of ${plain.body.length} bytes`,
      )
      assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString()).items, JSON.parse(plain.body.toString()).items)
      // Only an exact `gzip` token counts (parameters are not parsed upstream); small bodies stay plain.
      assert.equal(
        (await rawGet(s, '/api/v1/pods', {'Accept-Encoding': 'gzip;q=1.0'})).headers['content-encoding'],
        undefined,
      )
      assert.equal(
        (await rawGet(s, '/api/v1/pods?limit=5', {'Accept-Encoding': 'gzip'})).headers['content-encoding'],
        undefined,
      )
    })
    await withServer({objects: cluster.objects, compression: false}, async (s) => {
      assert.equal(
        (await rawGet(s, '/api/v1/pods', {'Accept-Encoding': 'gzip'})).headers['content-encoding'],
        undefined,
      )
    })
  })

  test('a bandwidth cap paces each connection; kubectl still reads through it', async (t) => {
    const bytesPerSecond = 2_000_000
    await withServer({objects: cluster.objects, bandwidthBytesPerSecond: bytesPerSecond}, async (s) => {
      const r = await rawGet(s, '/api/v1/pods')
      const floor = (r.body.length / bytesPerSecond) * 1000
      assert.ok(
        r.ms >= floor * 0.95,
        `${r.body.length} bytes took ${r.ms.toFixed(0)} ms, below the cap's ${floor.toFixed(0)} ms`,
      )
      assert.ok(
        r.ms < floor * 3 + 500,
        `${r.body.length} bytes took ${r.ms.toFixed(0)} ms for a ${floor.toFixed(0)} ms floor`,
      )
      const zipped = await rawGet(s, '/api/v1/pods', {'Accept-Encoding': 'gzip'})
      assert.ok(
        zipped.ms < r.ms / 2,
        `gzip (${zipped.body.length} bytes) took ${zipped.ms.toFixed(0)} ms, plain ${r.ms.toFixed(0)} ms`,
      )
      if (!needKubectl(t)) return
      const k = await kubectl(kubeconfigFor(s), ['get', 'pods', '-A', '--no-headers'])
      assert.equal(k.code, 0, k.stderr)
      assert.equal(k.stdout.trim().split('\n').length, 300)
    })
  })
})
