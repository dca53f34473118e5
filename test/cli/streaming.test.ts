import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {xctl} from '../helpers/cli.js'
import {startCluster, type TestCluster} from '../helpers/cluster.js'

/** Lists stream: with the second page held back by the server, the first page is already on stdout. */
let c: TestCluster
before(async () => {
  const pods = Array.from({length: 900}, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `s-${String(i).padStart(4, '0')}`, namespace: 'stream'},
    spec: {nodeName: 'n1', containers: [{name: 'c'}]},
    status: {podIP: `10.7.${i >> 8}.${i & 255}`},
  }))
  c = await startCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'stream'}}, ...pods]})
  c.server.pageDelayMs(2, 2500)
})
after(() => c.server.close())

for (const format of ['wide', 'json', 'yaml', 'name', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']) {
  test(`-o ${format}: the first page's objects print before the second page arrives`, async () => {
    const started = Date.now()
    let firstOutput = 0
    let firstText = ''
    const r = await xctl(['get', 'wep', '-n', 'stream', '-o', format], {
      env: c.env,
      // Through a real pipe, as a user's terminal or `| less` gets it.
      spawned: true,
      onStdout: (chunk) => {
        if (!firstOutput) {
          firstOutput = Date.now() - started
          firstText = chunk
        }
      },
    })
    const total = Date.now() - started
    assert.equal(r.code, 0, r.stderr)
    assert.ok(total - firstOutput >= 2000, `first output at ${firstOutput} ms of ${total} ms`)
    assert.match(firstText, /s-{1,2}0000/, 'the first chunk holds the first page')
    assert.match(r.stdout, /s-{1,2}0899/, 'and the last page arrives later')
  })
}
