/**
 * From manifest documents to the objects to write (src/apply/plan.ts) and to the objects to delete
 * (src/apply/targets.ts): kinds, names and namespaces resolved as kubectl resolves them, every problem reported at
 * once with the file position, before anything is written.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {failIfProblems, parseDryRun, planObjects, type PlannedObject} from '../../src/apply/plan.js'
import {kindAndNames, targetsFromArgs, targetsFromDocuments} from '../../src/apply/targets.js'
import {ExitCode, ResourceError, UsageError} from '../../src/core/errors.js'
import {parseManifestText} from '../../src/manifests/read.js'

const docs = (text: string) => [...parseManifestText(text, 'policies.yaml')]

const INPUT = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: in-file-namespace, namespace: prod}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: no-namespace}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: legacy-form}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: macvlan}
`

describe('planObjects', () => {
  it("known kinds with kubectl's refs; namespaces: the object's, else -n, else the context's", () => {
    const {objects, problems} = planObjects(docs(INPUT), undefined, 'ctx-ns')
    assert.deepEqual(problems, [])
    assert.deepEqual(
      objects.map((p) => [p.ref, p.object.metadata.namespace, p.origin]),
      [
        ['networkpolicy.projectcalico.org/in-file-namespace', 'prod', 'policies.yaml:1:1'],
        ['networkpolicy.projectcalico.org/no-namespace', 'ctx-ns', 'policies.yaml:5:1'],
        ['globalnetworkpolicy.projectcalico.org/legacy-form', undefined, 'policies.yaml:9:1'],
        ['networkattachmentdefinition.k8s.cni.cncf.io/macvlan', 'ctx-ns', 'policies.yaml:13:1'],
      ],
    )
    // The input documents are not modified (the namespace is set on a copy).
    assert.equal((docs(INPUT)[1].object as {metadata: {namespace?: string}}).metadata.namespace, undefined)
    assert.equal(planObjects(docs(INPUT), 'prod', 'ctx-ns').objects[1].object.metadata.namespace, 'prod')
  })

  it("a namespace that contradicts -n, or one on a cluster-wide kind, is refused with kubectl's message", () => {
    const {objects, problems} = planObjects(docs(INPUT), 'dev', 'ctx-ns')
    assert.equal(objects.length, 3)
    assert.deepEqual(problems, [
      'policies.yaml:1:1: the namespace from the provided object "prod" does not match the namespace "dev". ' +
        "You must pass '--namespace=prod' to perform this operation.",
    ])
    const global = planObjects(
      docs('apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security, namespace: prod}\n'),
      undefined,
      'default',
    )
    assert.deepEqual(global.problems, [
      'policies.yaml:1:1: namespace should not be specified for a non-namespaced resource. Tier is not a namespaced resource',
    ])
  })

  it('every problem at once, each with its file position: syntax, no name, bad name, unknown kind', () => {
    const {objects, problems} = planObjects(
      docs(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: Not_A_Label}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
- a list
---
key: [unclosed
`),
      undefined,
      'default',
    )
    assert.deepEqual(objects, [])
    assert.equal(problems.length, 5)
    assert.equal(problems[0], 'policies.yaml:1:1: NetworkPolicy has no metadata.name')
    assert.match(problems[1], /^policies\.yaml:5:1: Tier invalid resource name "Not_A_Label"/)
    assert.match(
      problems[2],
      /^policies\.yaml:9:1: Namespace \(v1\) is not a kind xctl writes; supported: .*use kubectl/,
    )
    assert.equal(problems[3], 'policies.yaml:13:1: a document must be a mapping with apiVersion, kind and metadata')
    assert.match(problems[4], /^policies\.yaml:1[56]:\d+: /)
  })

  it('with skipUnowned, kinds of other tools are kept in order as skipped, named as kubectl names them', () => {
    const {objects, problems, inOrder} = planObjects(
      docs(`apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: operator.tigera.io/v1
kind: Installation
metadata: {name: default}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: p}
`),
      undefined,
      'default',
      {skipUnowned: true},
    )
    assert.deepEqual(problems, [])
    assert.equal(objects.length, 1)
    assert.deepEqual(
      inOrder.map((x) => ('skip' in x ? `skip ${x.ref}` : `write ${(x as PlannedObject).ref}`)),
      [
        'skip namespace/prod',
        'skip installation.operator.tigera.io/default',
        'write globalnetworkpolicy.projectcalico.org/p',
      ],
    )
  })

  it('failIfProblems: exit 1, nothing written, every problem listed', () => {
    assert.doesNotThrow(() => failIfProblems([], 'applied'))
    assert.throws(
      () => failIfProblems(['a.yaml:1:1: x', 'a.yaml:5:1: y'], 'applied'),
      (e: unknown) =>
        e instanceof ResourceError &&
        e.exitCode === ExitCode.resource &&
        e.message === 'nothing was applied: 2 problems in the input:\n  a.yaml:1:1: x\n  a.yaml:5:1: y',
    )
    assert.throws(() => failIfProblems(['x'], 'deleted'), {
      message: 'nothing was deleted: 1 problem in the input:\n  x',
    })
  })

  it("parseDryRun: kubectl's three values; anything else is a usage error", () => {
    assert.equal(parseDryRun(undefined), 'none')
    assert.equal(parseDryRun('client'), 'client')
    assert.equal(parseDryRun('server'), 'server')
    assert.throws(
      () => parseDryRun('true'),
      (e: unknown) => e instanceof UsageError && e.exitCode === ExitCode.usage,
    )
  })
})

describe('delete targets', () => {
  it('KIND NAME...: one target per name, in the given namespace; names are checked first', () => {
    const targets = targetsFromArgs(['gnp', 'a', 'b'], 'prod')
    assert.deepEqual(
      targets.map((t) => [t.descriptor.kind, t.name, t.namespace]),
      [
        ['GlobalNetworkPolicy', 'a', 'prod'],
        ['GlobalNetworkPolicy', 'b', 'prod'],
      ],
    )
    assert.throws(() => targetsFromArgs([], 'prod'), {message: 'give a KIND and NAMEs, or -f PATH', exitCode: 2})
    assert.throws(() => targetsFromArgs(['np'], 'prod'), {message: 'give at least one NetworkPolicy name to delete'})
    assert.throws(() => targetsFromArgs(['np', '..'], 'prod'), {exitCode: 2})
  })

  it('-f: the objects the manifests name, namespaces resolved as for apply; a problem deletes nothing', () => {
    const targets = targetsFromDocuments(docs(INPUT), undefined, 'ctx-ns')
    assert.deepEqual(
      targets.map((t) => `${t.descriptor.kind} ${t.namespace ?? '-'}/${t.name}`),
      [
        'NetworkPolicy prod/in-file-namespace',
        'NetworkPolicy ctx-ns/no-namespace',
        'GlobalNetworkPolicy -/legacy-form',
        'NetworkAttachmentDefinition ctx-ns/macvlan',
      ],
    )
    assert.throws(() => targetsFromDocuments(docs(INPUT), 'dev', 'ctx-ns'), {
      message: /^nothing was deleted: 1 problem in the input/,
      exitCode: 1,
    })
  })

  it("kindAndNames: KIND NAME... or kubectl's KIND/NAME..., one kind at a time", () => {
    assert.deepEqual(kindAndNames(['wep', 'a', 'b'], 'label'), {kind: 'wep', objects: ['a', 'b']})
    assert.deepEqual(kindAndNames(['np/a', 'policy/b'], 'patch'), {kind: 'np', objects: ['a', 'b']})
    assert.throws(() => kindAndNames(['np/a', 'gnp/b'], 'label'), {
      message: 'xctl label takes objects of one kind at a time',
    })
    assert.throws(() => kindAndNames(['np/a', 'b'], 'label'), {message: /no need to specify a resource type/})
    assert.throws(() => kindAndNames(['np'], 'patch'), {message: 'give at least one NetworkPolicy name to patch'})
    assert.throws(() => kindAndNames(['nope', 'a'], 'label'), {exitCode: 2})
  })
})
