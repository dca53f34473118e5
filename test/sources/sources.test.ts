/**
 * Where objects come from (src/sources/): --local manifests (files, directories, stdin) behind the same interface as
 * a cluster, with errors that name the file and line and carry the exit code of their class (3: input cannot be
 * read; 2: usage), and the cluster source as opened from a kubeconfig (no request is sent here).
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {ClusterError, ExitCode, InputError, UsageError} from '../../src/core/errors.js'
import {withInvocation} from '../../src/core/streams.js'
import type {KubeObject} from '../../src/kube/types.js'
import {ClusterSource, collectionPath} from '../../src/sources/cluster.js'
import {ManifestSource} from '../../src/sources/manifests.js'
import {openSource} from '../../src/sources/open.js'
import {apiVersionOf, INSTALLATION, NAMESPACE, POD, type ApiKind} from '../../src/sources/source.js'

const dir = mkdtempSync(join(tmpdir(), 'xctl-sources-test-'))
after(() => rmSync(dir, {recursive: true, force: true}))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), {recursive: true})
  writeFileSync(path, text)
  return path
}

const NP: ApiKind = {
  group: 'projectcalico.org',
  version: 'v3',
  plural: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
}

async function listed(source: {list: ManifestSource['list']}, kind: ApiKind, query = {}): Promise<string[]> {
  const out: string[] = []
  for await (const page of source.list(kind, query))
    out.push(...page.map((o: KubeObject) => `${o.metadata.namespace ?? '-'}/${o.metadata.name}`))
  return out
}

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec: {nodeName: n1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, labels: {app: db}}
spec: {nodeName: n2}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow}
`

describe('ManifestSource (--local -f)', () => {
  const pods = file('pods.yaml', PODS)

  it('lists by kind; objects without a namespace land in the default one, as kubectl apply would put them', async () => {
    const source = new ManifestSource([pods], 'ctx-ns')
    assert.deepEqual(await listed(source, POD), ['prod/web', 'ctx-ns/db'])
    assert.deepEqual(await listed(source, POD, {namespace: 'prod'}), ['prod/web'])
    assert.deepEqual(await listed(source, POD, {namespace: 'ctx-ns'}), ['ctx-ns/db'])
    assert.deepEqual(await listed(source, NP), ['ctx-ns/allow'])
    // Cluster-wide kinds are not given a namespace.
    assert.deepEqual(await listed(source, NAMESPACE), [])
  })

  it('label and field selectors as the API applies them', async () => {
    const source = new ManifestSource([pods], 'default')
    assert.deepEqual(await listed(source, POD, {labelSelector: 'app in (web)'}), ['prod/web'])
    assert.deepEqual(await listed(source, POD, {fieldSelector: 'spec.nodeName=n2'}), ['default/db'])
    assert.deepEqual(await listed(source, POD, {fieldSelector: 'metadata.namespace=default'}), ['default/db'])
  })

  it('get by namespace and name; no discovery offline', async () => {
    const source = new ManifestSource([pods], 'default')
    assert.equal((await source.get(POD, 'prod', 'web'))?.metadata.labels?.app, 'web')
    assert.equal(await source.get(POD, 'default', 'web'), undefined)
    assert.equal(await source.apiGroups(), undefined)
  })

  it('directories (with -R, subdirectories) and stdin as -', async () => {
    file('tree/a.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n')
    file('tree/sub/b.json', '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}')
    assert.deepEqual(await listed(new ManifestSource([join(dir, 'tree')], 'd'), POD), ['d/a'])
    assert.deepEqual(await listed(new ManifestSource([join(dir, 'tree')], 'd', {recursive: true}), POD), ['d/a', 'd/b'])
    const stdin = new ManifestSource(['-'], 'd', {
      stdin: ['apiVersion: v1\nkind: Pod\n', 'metadata: {name: from-stdin}\n'],
    })
    assert.deepEqual(await listed(stdin, POD), ['d/from-stdin'])
  })

  it('a YAML error is an input error (exit 3) naming file, line and column, with how to see every problem', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n')
    await assert.rejects(listed(new ManifestSource([bad], 'd'), POD), (e: unknown) => {
      assert.ok(e instanceof InputError)
      assert.equal(e.exitCode, ExitCode.input)
      assert.match(e.message, new RegExp(`^${bad}:\\d+:\\d+: `))
      assert.equal(e.hint, `fix the YAML/JSON syntax (xctl validate -f ${bad} lists every problem)`)
      return true
    })
  })

  it('documents kubectl refuses (no kind, a label that is not a string) are refused the same way, at the field', async () => {
    const noKind = file('no-kind.yaml', 'apiVersion: v1\nmetadata: {name: x}\n')
    await assert.rejects(listed(new ManifestSource([noKind], 'd'), POD), {
      message: `${noKind}:1:1: Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'`,
      exitCode: ExitCode.input,
    })
    const numberLabel = file('label.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    n: 1\n')
    await assert.rejects(listed(new ManifestSource([numberLabel], 'd'), POD), {
      message: new RegExp(`^${numberLabel}:6:8: .*cannot unmarshal number`),
      exitCode: ExitCode.input,
    })
  })

  it('a path that does not exist is an input error that names it', async () => {
    const missing = join(dir, 'nope.yaml')
    await assert.rejects(listed(new ManifestSource([missing], 'd'), POD), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e))
      assert.match(e.message, /nope\.yaml/)
      return true
    })
  })
})

describe('openSource', () => {
  const kubeconfig = (namespace: string) =>
    file(
      `kubeconfig-${namespace || 'none'}`,
      `apiVersion: v1
kind: Config
current-context: test
contexts:
- name: test
  context: {cluster: c, user: u${namespace ? `, namespace: ${namespace}` : ''}}
clusters:
- name: c
  cluster: {server: 'https://127.0.0.1:6443'}
users:
- name: u
  user: {token: secret}
`,
    )

  it('--local needs -f (usage error); with it, the manifests', async () => {
    await assert.rejects(
      openSource({local: true}),
      (e: unknown) => e instanceof UsageError && e.message === '--local needs -f PATH',
    )
    const local = await openSource({local: true, filename: [join(dir, 'pods.yaml')], namespace: 'prod'})
    assert.ok(local instanceof ManifestSource)
    assert.equal(local.defaultNamespace, 'prod')
    assert.equal((await openSource({local: true, filename: ['x']})).defaultNamespace, 'default')
  })

  it("the cluster of the kubeconfig's context, its namespace the default one", async () => {
    const lines: string[] = []
    const source = await openSource({kubeconfig: kubeconfig('team-a'), debug: (l) => lines.push(l)})
    assert.ok(source instanceof ClusterSource)
    assert.equal(source.defaultNamespace, 'team-a')
    assert.match(lines[0], /^using context "test" \(https:\/\/127\.0\.0\.1:6443\) from /)
    assert.doesNotMatch(lines.join('\n'), /secret/)
    source.close()
  })

  it('a context namespace that cannot be one is a usage error unless -n replaces it', async () => {
    await assert.rejects(openSource({kubeconfig: kubeconfig('Bad_NS')}), (e: unknown) => {
      assert.ok(e instanceof UsageError)
      assert.match(e.message, /^context "test": invalid namespace "Bad_NS"/)
      return true
    })
    const source = await openSource({kubeconfig: kubeconfig('Bad_NS'), namespace: 'ok'})
    source.close()
  })

  it('a kubeconfig that does not exist cannot reach a cluster: exit 3', async () => {
    await withInvocation(
      {streams: {in: [], out: process.stdout, err: process.stderr}, env: {}, cwd: dir, exitCode: 0},
      async () => {
        await assert.rejects(openSource({kubeconfig: join(dir, 'missing')}), (e: unknown) => {
          assert.ok(e instanceof ClusterError)
          assert.equal(e.exitCode, ExitCode.input)
          assert.match(e.message, /missing does not exist/)
          return true
        })
      },
    )
  })
})

describe('API paths', () => {
  it('core and group kinds, namespaced or not; path segments encoded', () => {
    assert.equal(collectionPath(POD, 'prod'), '/api/v1/namespaces/prod/pods')
    assert.equal(collectionPath(POD), '/api/v1/pods')
    assert.equal(collectionPath(NP, 'a b'), '/apis/projectcalico.org/v3/namespaces/a%20b/networkpolicies')
    assert.equal(collectionPath(INSTALLATION, 'ignored'), '/apis/operator.tigera.io/v1/installations')
    assert.equal(apiVersionOf(POD), 'v1')
    assert.equal(apiVersionOf(INSTALLATION), 'operator.tigera.io/v1')
  })
})
