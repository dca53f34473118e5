import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

const OBJECTS = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: plain, namespace: production, labels: {team: web, app.kubernetes.io/name: shop}}
spec: {selector: all(), order: 10}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: other, namespace: production}
spec: {selector: all(), order: 20}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny}
spec: {selector: all(), order: 30}
`

describe('get: several kinds, KIND/NAME, label and kind columns, field selectors, --ignore-not-found', () => {
  let c: TestCluster
  before(async () => {
    c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'production'}}]})
    const r = await xctl(['apply', '-f', '-'], {env: c.env, input: OBJECTS})
    assert.equal(r.code, 0, r.stderr)
  })
  after(() => c.server.close())
  const get = (args: string[], env: Record<string, string> = {}) => xctl(['get', ...args], {env: {...c.env, ...env}})

  for (const fast of [true, false]) {
    const env = fast ? {} : {XCTL_NO_FAST_PATH: '1'}
    const how = fast ? 'fast path' : 'oclif'
    test(`several kinds print one table each, separated by a blank line (${how})`, async () => {
      const r = await get(['np,gnp', '-n', 'production', '--no-headers', '-o', 'name'], env)
      assert.equal(r.code, 0, r.stderr)
      assert.deepEqual(r.stdout.trim().split('\n').sort(), [
        'globalnetworkpolicy.projectcalico.org/deny',
        'networkpolicy.projectcalico.org/other',
        'networkpolicy.projectcalico.org/plain',
      ])
      const t = await get(['np,gnp', '-n', 'production'], env)
      assert.match(t.stdout, /plain[^\n]*\n\nNAME[^\n]*\ndeny/)
    })

    test(`KIND/NAME arguments, grouped by kind (${how})`, async () => {
      const r = await get(['np/plain', 'gnp/deny', 'policy/other', '-n', 'production', '-o', 'name'], env)
      assert.equal(r.code, 0, r.stderr)
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'networkpolicy.projectcalico.org/plain',
        'networkpolicy.projectcalico.org/other',
        'globalnetworkpolicy.projectcalico.org/deny',
      ])
      const mixed = await get(['np/plain', 'other'], env)
      assert.equal(mixed.code, 2)
      assert.match(mixed.stderr, /no need to specify a resource type as a separate argument/)
    })

    test(`--show-labels, -L and --show-kind add columns (${how})`, async () => {
      const r = await get(['np', 'plain', '-n', 'production', '--show-labels', '-L', 'team', '--show-kind'], env)
      assert.equal(r.code, 0, r.stderr)
      const [header, row] = r.stdout.trim().split('\n')
      assert.deepEqual(header.split(/\s{2,}/), ['NAMESPACE', 'NAME', 'TIER', 'TEAM', 'LABELS'])
      assert.match(
        row,
        /^production\s+networkpolicy\.projectcalico\.org\/plain\s+default\s+web\s+app\.kubernetes\.io\/name=shop,team=web$/,
      )
      const none = await get(['np', 'other', '-n', 'production', '--show-labels'], env)
      assert.match(none.stdout, /<none>/)
    })

    test(`--field-selector on the fields as shown; a bad term is a usage error (${how})`, async () => {
      const r = await get(['np', '-n', 'production', '--field-selector', 'spec.order=20', '-o', 'name'], env)
      assert.equal(r.stdout, 'networkpolicy.projectcalico.org/other\n')
      const not = await get(['np', '-n', 'production', '--field-selector', 'metadata.name!=other', '-o', 'name'], env)
      assert.equal(not.stdout, 'networkpolicy.projectcalico.org/plain\n')
      const bad = await get(['np', '-n', 'production', '--field-selector', 'nonsense'], env)
      assert.equal(bad.code, 2)
    })

    test(`--ignore-not-found: a missing named object is no error (${how})`, async () => {
      const missing = await get(['np', 'ghost', '-n', 'production'], env)
      assert.equal(missing.code, 1)
      const ignored = await get(['np', 'ghost', 'plain', '-n', 'production', '--ignore-not-found', '-o', 'name'], env)
      assert.equal(ignored.code, 0, ignored.stderr)
      assert.equal(ignored.stderr, '')
      assert.equal(ignored.stdout, 'networkpolicy.projectcalico.org/plain\n')
    })
  }

  test('delete: --ignore-not-found is silent, -s/--skip-not-exists says skipped; both exit 0', async () => {
    const ignored = await xctl(['delete', 'np', 'ghost', '-n', 'production', '--ignore-not-found'], {env: c.env})
    assert.equal(ignored.code, 0, ignored.stderr)
    assert.equal(ignored.stdout + ignored.stderr, '')
    for (const flag of ['-s', '--skip-not-exists', '--skip-not-found']) {
      const r = await xctl(['delete', 'np', 'ghost', '-n', 'production', flag], {env: c.env})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, 'networkpolicy.projectcalico.org "ghost" skipped\n')
    }
    const plain = await xctl(['delete', 'np', 'ghost', '-n', 'production'], {env: c.env})
    assert.equal(plain.code, 1)
  })
})
