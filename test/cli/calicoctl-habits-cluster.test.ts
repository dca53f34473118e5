import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const MIXED = `apiVersion: v1
kind: Namespace
metadata: {name: production}
---
apiVersion: operator.tigera.io/v1
kind: Installation
metadata: {name: default}
spec: {calicoNetwork: {multiInterfaceMode: Multus}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny}
spec: {selector: all()}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: production}
spec: {containers: [{name: c, image: nginx}]}
`
const writes = (c: TestCluster) =>
  c.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))

describe("apply -f DIR with kinds xctl does not own; calicoctl's flags and datastore settings", () => {
  let c: TestCluster
  let dir: string
  before(async () => {
    c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}}]})
    dir = join(c.dir, 'manifests')
    mkdirSync(dir)
    writeFileSync(join(dir, 'all.yaml'), MIXED)
    writeFileSync(join(dir, 'empty.yaml'), '# nothing here\n')
  })
  after(() => c.server.close())

  test('other kinds get a "skipped" line with the reason, in input order; the rest is applied; exit 0', async () => {
    const r = await xctl(['apply', '-f', dir], {env: c.env})
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'namespace/production skipped (Namespace (v1) is not a kind xctl writes; use kubectl for it)',
      'installation.operator.tigera.io/default skipped (Installation (operator.tigera.io/v1) is not a kind xctl writes; use kubectl for it)',
      'globalnetworkpolicy.projectcalico.org/deny created',
      'pod/web skipped (Pod (v1) is not a kind xctl writes; use kubectl for it)',
      '4 object(s): 3 skipped, 1 created',
    ])
    assert.deepEqual(
      writes(c).map((w) => w.method),
      ['POST'],
    )
  })

  test('--fail-on-unowned makes them errors: nothing is written, exit 1', async () => {
    const before = writes(c).length
    const r = await xctl(['create', '-f', dir, '--fail-on-unowned'], {env: c.env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /nothing was created: 3 problems/)
    assert.match(r.stderr, /Namespace \(v1\) is not a kind xctl writes/)
    assert.equal(writes(c).length, before)
  })

  test('--skip-empty: input without resources is no error', async () => {
    const empty = join(dir, 'empty.yaml')
    const plain = await xctl(['apply', '-f', empty], {env: c.env})
    assert.equal(plain.code, 1)
    assert.match(plain.stderr, /holds no resources/)
    const skipped = await xctl(['apply', '-f', empty, '--skip-empty'], {env: c.env})
    assert.equal(skipped.code, 0, skipped.stderr)
    assert.equal(skipped.stdout, '0 object(s): none\n')
  })

  test('-c/--config: a kubernetes CalicoAPIConfig supplies the kubeconfig; etcdv3 is refused (exit 2)', async () => {
    const k8s = join(c.dir, 'calicoctl.cfg')
    writeFileSync(
      k8s,
      `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: kubernetes\n  kubeconfig: ${c.kubeconfig}\n`,
    )
    for (const noFast of [undefined, '1']) {
      const r = await xctl(['get', 'gnp', '-c', k8s, '-o', 'name', '--allow-version-mismatch'], {
        env: {XCTL_NO_FAST_PATH: noFast},
      })
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, 'globalnetworkpolicy.projectcalico.org/deny\n')
    }
    const etcd = join(c.dir, 'etcd.cfg')
    writeFileSync(
      etcd,
      'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec: {datastoreType: etcdv3, etcdEndpoints: "http://x:2379"}\n',
    )
    const refused = await xctl(['--config', etcd, 'get', 'gnp'], {env: c.env})
    assert.equal(refused.code, 2)
    assert.match(
      refused.stderr,
      /datastoreType in .*etcd\.cfg is "etcdv3", but xctl works with the Kubernetes datastore only/,
    )
    const missing = await xctl(['apply', '-c', join(c.dir, 'nope.cfg'), '-f', dir], {env: c.env})
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /cannot read the config file given with -c\/--config/)
  })

  test('DATASTORE_TYPE: kubernetes is honoured, etcdv3 refused before anything is sent', async () => {
    const ok = await xctl(['get', 'gnp', '-o', 'name'], {env: {...c.env, DATASTORE_TYPE: 'kubernetes'}})
    assert.equal(ok.code, 0, ok.stderr)
    const before = c.server.requests.length
    for (const noFast of [undefined, '1']) {
      const r = await xctl(['delete', 'gnp', 'deny'], {
        env: {...c.env, DATASTORE_TYPE: 'etcdv3', XCTL_NO_FAST_PATH: noFast},
      })
      assert.equal(r.code, 2)
      assert.match(r.stderr, /DATASTORE_TYPE is "etcdv3", but xctl works with the Kubernetes datastore only/)
      assert.match(r.stderr, /Hint: use calicoctl for an etcdv3 datastore/)
    }
    assert.equal(c.server.requests.length, before)
  })
})
