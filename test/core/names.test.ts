import {test} from 'node:test'
import assert from 'node:assert/strict'
import {
  checkName,
  checkNamespaceFlag,
  nameProblems,
  namespaceProblems,
  pathSegmentProblems,
} from '../../src/core/names.js'

test("kubectl's path-segment rule", () => {
  assert.deepEqual(pathSegmentProblems('.'), ["may not be '.'"])
  assert.deepEqual(pathSegmentProblems('..'), ["may not be '..'"])
  assert.deepEqual(pathSegmentProblems('a/%'), ["may not contain '/'", "may not contain '%'"])
  assert.deepEqual(pathSegmentProblems('a.b..c'), [])
})

test('the name rule of each kind', () => {
  assert.deepEqual(nameProblems('GlobalNetworkPolicy', 'security.allow-dns'), [])
  assert.deepEqual(nameProblems('IPPool', 'pool-1.example'), [])
  assert.match(nameProblems('Tier', 'a.b')[0], /RFC 1123 label/)
  assert.match(nameProblems('NetworkAttachmentDefinition', 'Net_A')[0], /RFC 1123 subdomain/)
  assert.deepEqual(nameProblems('NetworkPolicy', 'x'.repeat(254)).slice(0, 1), ['must be no more than 253 characters'])
  // Endpoint names carry interface names, which may hold upper case: only the path rule applies.
  assert.deepEqual(nameProblems('WorkloadEndpoint', 'node-k8s-pod-Net1'), [])
  assert.deepEqual(nameProblems('WorkloadEndpoint', '..'), ["may not be '..'"])
})

test('command-line names and namespaces: usage errors with kubectl wording; "" is the default namespace', () => {
  assert.throws(() => checkName('GlobalNetworkPolicy', '.'), {
    message: 'invalid resource name ".": [may not be \'.\']',
    exitCode: 2,
  })
  assert.throws(() => checkName('Tier', ''), {message: 'resource name may not be empty', exitCode: 2})
  assert.throws(() => checkNamespaceFlag('..'), {message: 'invalid namespace "..": [may not be \'..\']', exitCode: 2})
  assert.equal(checkNamespaceFlag(''), undefined)
  assert.equal(checkNamespaceFlag(undefined), undefined)
  assert.equal(checkNamespaceFlag('kube-system'), 'kube-system')
  assert.match(namespaceProblems('a.b')[0], /RFC 1123 label/)
})
