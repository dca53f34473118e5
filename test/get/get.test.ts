/**
 * The read use-case (src/get/get.ts, resources.ts): how `get`'s arguments become requests, the namespace scope, the
 * objects as users see them (v1-stored policies as v3, legacy names, tiers by order), the flags that refine them
 * (--field-selector, --calico-selector, --export, --sort-by, --ignore-not-found) and the extra table columns.
 * Objects come from an in-memory source standing in for a cluster.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {ExitCode, ResourceError, UsageError} from '../../src/core/errors.js'
import {
  calicoSelectorFilter,
  chunkSize,
  describeTargets,
  exportObject,
  fieldSelectorFilter,
  getObjects,
  getRequest,
  getRequests,
  withColumns,
  type GetRequest,
} from '../../src/get/get.js'
import type {KubeObject} from '../../src/kube/types.js'
import {findKind} from '../../src/resources/registry.js'
import {apiVersionOf, type ApiKind, type ListQuery, type ObjectSource} from '../../src/sources/source.js'

/** A cluster in memory: objects by apiVersion and kind; `groups` is what discovery would answer. */
class MemorySource implements ObjectSource {
  readonly defaultNamespace = 'ctx-ns'
  readonly asked: string[] = []
  constructor(
    private readonly objects: KubeObject[],
    private readonly groups: Set<string> | undefined = new Set(['crd.projectcalico.org/v1']),
  ) {}
  private of(kind: ApiKind, namespace: string | undefined): KubeObject[] {
    return this.objects.filter(
      (o) =>
        o.apiVersion === apiVersionOf(kind) &&
        o.kind === kind.kind &&
        (namespace === undefined || o.metadata.namespace === namespace),
    )
  }
  async *list(kind: ApiKind, query: ListQuery): AsyncIterable<KubeObject[]> {
    this.asked.push(`list ${apiVersionOf(kind)} ${kind.plural} ${query.namespace ?? '*'}`)
    yield structuredClone(this.of(kind, query.namespace))
  }
  async get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    this.asked.push(`get ${apiVersionOf(kind)} ${kind.plural} ${namespace ?? '-'}/${name}`)
    return structuredClone(this.of(kind, namespace).find((o) => o.metadata.name === name))
  }
  async apiGroups(): Promise<Set<string> | undefined> {
    return this.groups
  }
  close(): void {}
}

const v1 = (kind: string, name: string, namespace?: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind,
  metadata: {name, ...(namespace ? {namespace} : {})},
  spec,
})

async function read(source: ObjectSource, req: GetRequest): Promise<{names: string[]; problems: string[]}> {
  const result = await getObjects(source, req)
  const names: string[] = []
  for await (const page of result.pages)
    names.push(...page.map((o) => `${o.metadata.namespace ?? '-'}/${o.metadata.name}`))
  return {names, problems: result.problems.map((p) => p.message)}
}

describe('requests from arguments', () => {
  it('getRequest maps the flags; -L takes comma lists; -f without --local reads the cluster', () => {
    const req = getRequest('np', ['a'], {
      namespace: 'prod',
      selector: 'app=web',
      'label-columns': ['app,tier', 'team'],
      filename: ['x.yaml'],
      recursive: true,
      'chunk-size': '50',
    })
    assert.equal(req.kind, 'np')
    assert.deepEqual(req.names, ['a'])
    assert.equal(req.namespace, 'prod')
    assert.equal(req.allNamespaces, false)
    assert.equal(req.labelSelector, 'app=web')
    assert.deepEqual(req.labelColumns, ['app', 'tier', 'team'])
    assert.deepEqual(req.files, {paths: ['x.yaml'], recursive: true})
    assert.equal(req.chunkSize, 50)
    assert.equal(req.detail, 'full')
    assert.equal(getRequest('np', [], {local: true, filename: ['x.yaml']}).files, undefined)
  })

  it("getRequests: KIND[,KIND] NAME... and kubectl's KIND/NAME form, one request per kind in the order typed", () => {
    assert.deepEqual(
      getRequests(['wep,nad', 'a'], {}).map((r) => [r.kind, r.names]),
      [
        ['wep', ['a']],
        ['nad', ['a']],
      ],
    )
    assert.deepEqual(
      getRequests(['np/a', 'gnp/b', 'policy/c'], {}).map((r) => [findKind(r.kind).kind, r.names]),
      [
        ['NetworkPolicy', ['a', 'c']],
        ['GlobalNetworkPolicy', ['b']],
      ],
    )
    assert.throws(() => getRequests(['np/a', 'b'], {}), {message: /no need to specify a resource type/, exitCode: 2})
    assert.throws(() => getRequests([','], {}), {message: 'no kind in ","'})
    assert.throws(() => getRequests(['wep,nope'], {}), {message: /resource type 'nope' is not supported/})
  })

  it('chunkSize: a whole number of objects per page, 0 for no paging', () => {
    assert.equal(chunkSize(undefined), undefined)
    assert.equal(chunkSize(0), 0)
    assert.equal(chunkSize('500'), 500)
    for (const bad of ['', '-1', '1.5', 'ten'])
      assert.throws(
        () => chunkSize(bad),
        (e: unknown) => e instanceof UsageError && e.exitCode === ExitCode.usage,
      )
  })
})

describe('getObjects', () => {
  const cluster = () =>
    new MemorySource([
      v1('NetworkPolicy', 'default.allow-dns', 'ctx-ns', {selector: 'all()'}),
      v1('NetworkPolicy', 'deny', 'prod'),
      v1('Tier', 'none'),
      v1('Tier', 'default', undefined, {order: 1000000}),
      v1('Tier', 'security', undefined, {order: 100}),
    ])

  it("the context's namespace, -n, or -A; v1-stored policies come out as v3 with legacy names cut", async () => {
    const source = cluster()
    const req = (f: Parameters<typeof getRequest>[2]) => getRequest('np', [], f)
    assert.deepEqual((await read(source, req({}))).names, ['ctx-ns/allow-dns'])
    assert.deepEqual((await read(source, req({namespace: 'prod'}))).names, ['prod/deny'])
    assert.deepEqual((await read(source, req({'all-namespaces': true}))).names, ['ctx-ns/allow-dns', 'prod/deny'])
    assert.equal(source.asked[0], 'list crd.projectcalico.org/v1 networkpolicies ctx-ns')
    const result = await getObjects(source, req({}))
    for await (const [o] of result.pages) assert.equal(o.apiVersion, 'projectcalico.org/v3')
    assert.equal(result.showNamespace, false)
    assert.equal((await getObjects(source, req({'all-namespaces': true}))).showNamespace, true)
  })

  it('a name finds the legacy default.<name> too; a missing one is a NotFound problem, dropped by --ignore-not-found', async () => {
    const source = cluster()
    assert.deepEqual(await read(source, getRequest('np', ['allow-dns', 'gone'], {})), {
      names: ['ctx-ns/allow-dns'],
      problems: [
        'Error from server (NotFound): networkpolicies.projectcalico.org "gone" not found in namespace "ctx-ns"',
      ],
    })
    assert.deepEqual((await read(source, getRequest('np', ['gone'], {'ignore-not-found': true}))).problems, [])
  })

  it('tiers come out by order, unset last, as calicoctl lists them', async () => {
    assert.deepEqual((await read(cluster(), getRequest('tiers', [], {}))).names, ['-/security', '-/default', '-/none'])
  })

  it('usage errors before any request: -n with -A, --node on another kind, a bad name', async () => {
    const source = cluster()
    await assert.rejects(getObjects(source, getRequest('np', [], {namespace: 'a', 'all-namespaces': true})), {
      message: 'cannot use both --namespace and --all-namespaces flags at the same time',
      exitCode: 2,
    })
    await assert.rejects(getObjects(source, getRequest('np', [], {node: 'n1'})), {
      message: '--node applies to workloadendpoints only',
    })
    await assert.rejects(getObjects(source, getRequest('np', ['..'], {})), {exitCode: 2})
    assert.deepEqual(source.asked, [])
  })

  it('--field-selector, --calico-selector, --sort-by and --export refine what is read', async () => {
    const source = new MemorySource([
      {...v1('GlobalNetworkPolicy', 'b', undefined, {order: 20}), metadata: {name: 'b', labels: {team: 'x'}}},
      {...v1('GlobalNetworkPolicy', 'a', undefined, {order: 100}), metadata: {name: 'a', uid: 'u', labels: {}}},
      {...v1('GlobalNetworkPolicy', 'c', undefined, {order: 3}), metadata: {name: 'c', labels: {team: 'y'}}},
    ])
    const names = async (f: Parameters<typeof getRequest>[2]) => (await read(source, getRequest('gnp', [], f))).names
    assert.deepEqual(await names({'field-selector': 'spec.order!=20'}), ['-/a', '-/c'])
    assert.deepEqual(await names({'calico-selector': 'has(team)'}), ['-/b', '-/c'])
    // Numbers sort as numbers (3 < 20 < 100), not as text.
    assert.deepEqual(await names({'sort-by': '.spec.order'}), ['-/c', '-/b', '-/a'])
    const exported = await getObjects(source, getRequest('gnp', ['a'], {export: true}))
    for await (const [o] of exported.pages) assert.equal(o.metadata.uid, undefined)
  })
})

describe('filters and columns', () => {
  const o: KubeObject = {
    metadata: {name: 'web', namespace: 'prod', labels: {app: 'web', 'example.com/team': 'a'}},
    spec: {node: 'n1', ports: [1]},
  }

  it('fieldSelectorFilter: =, == and != on any dotted path; a bad term is a usage error', () => {
    assert.equal(fieldSelectorFilter('metadata.name=web,spec.node!=n2')(o), true)
    assert.equal(fieldSelectorFilter('spec.node==n2')(o), false)
    assert.equal(fieldSelectorFilter('spec.missing=')(o), true)
    assert.equal(fieldSelectorFilter('spec.ports=[1]')(o), true)
    assert.throws(() => fieldSelectorFilter('metadata.name'), {message: 'invalid field selector term "metadata.name"'})
  })

  it('calicoSelectorFilter: Calico selectors on labels; a syntax error says where', async () => {
    assert.equal((await calicoSelectorFilter("app == 'web' && has(example.com/team)"))(o), true)
    assert.equal((await calicoSelectorFilter("app == 'db'"))(o), false)
    await assert.rejects(calicoSelectorFilter('app =='), (e: unknown) => {
      assert.ok(e instanceof UsageError)
      assert.match(e.message, /^invalid --calico-selector: .* \(at column \d+\)$/)
      return true
    })
  })

  it('exportObject: server-set metadata, the namespace and the status go; the rest stays', () => {
    const full: KubeObject = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'p',
        namespace: 'prod',
        uid: 'u',
        resourceVersion: '1',
        creationTimestamp: 't',
        labels: {a: 'b'},
      },
      spec: {selector: 'all()'},
      status: {x: 1},
    }
    assert.deepEqual(exportObject(full), {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {name: 'p', labels: {a: 'b'}},
      spec: {selector: 'all()'},
    })
  })

  it('withColumns: -L, --show-labels and --show-kind as kubectl places them', () => {
    const d = withColumns(findKind('hep'), {
      ...getRequest('hep', [], {'label-columns': ['app,example.com/team'], 'show-labels': true, 'show-kind': true}),
    })
    assert.deepEqual(
      d.columns.map((c) => c.header),
      ['NAME', 'NODE', 'APP', 'TEAM', 'LABELS'],
    )
    assert.deepEqual(
      d.columns.map((c) => c.value(o)),
      ['hostendpoint.projectcalico.org/web', 'n1', 'web', 'a', 'app=web,example.com/team=a'],
    )
    assert.equal(d.wideColumns.at(-1)?.header, 'LABELS')
    const plain = findKind('hep')
    assert.equal(withColumns(plain, getRequest('hep', [], {})), plain)
    assert.equal(
      withColumns(plain, getRequest('hep', [], {'show-labels': true}))
        .columns.at(-1)
        ?.value({metadata: {}}),
      '<none>',
    )
  })
})

describe('describeTargets: what describe -f names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xctl-get-test-'))
  after(() => rmSync(dir, {recursive: true, force: true}))
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }

  it("pods and policies with their namespaces (the object's, else -n); other kinds are left out", async () => {
    const path = file(
      'm.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-all}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
`,
    )
    assert.deepEqual(await describeTargets([path], false, undefined, 'prod'), [
      {kind: 'wep', name: 'web', namespace: 'prod'},
      {kind: 'np', name: 'allow', namespace: 'prod'},
      {kind: 'gnp', name: 'deny-all', namespace: undefined},
    ])
    // No -n: the context's namespace, filled in by the caller.
    assert.equal((await describeTargets([path], false, 'np', undefined))[0].namespace, undefined)
    // A namespace in the file that contradicts -n is refused as kubectl refuses it.
    await assert.rejects(describeTargets([path], false, undefined, 'dev'), {
      message: /the namespace from the provided object "prod" does not match the namespace "dev"/,
      exitCode: 1,
    })
    assert.deepEqual(await describeTargets([path], false, 'gnp', undefined), [
      {kind: 'gnp', name: 'deny-all', namespace: undefined},
    ])
  })

  it('files without endpoints or policies are a resource error (exit 1)', async () => {
    const path = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n')
    await assert.rejects(
      describeTargets([path], false, undefined, undefined),
      (e: unknown) => e instanceof ResourceError && /^no WorkloadEndpoints, Pods or policies/.test(e.message),
    )
  })
})
