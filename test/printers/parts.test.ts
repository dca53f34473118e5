// A page handed to the json and yaml printers in parts prints the same bytes as the page whole: the session
// relies on it (Printer.objectsPerCall) so that a page's output never exists as one string.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createPrinter} from '../../src/printers/factory.js'
import {findKind} from '../../src/resources/registry.js'
import type {KubeObject} from '../../src/kube/types.js'

const pools = (n: number, from = 0): KubeObject[] =>
  Array.from({length: n}, (_, i) => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: {name: `pool-${from + i}`, labels: {'a/b': 'c'}},
    spec: {cidr: `10.${(from + i) % 256}.0.0/16`, natOutgoing: true, blockSize: 26},
  }))

const options = {descriptor: findKind('ippool'), showNamespace: false, noHeaders: false, single: false, color: false}

async function printed(format: string, pages: KubeObject[][]): Promise<string> {
  const printer = await createPrinter(format, options)
  let out = ''
  for (const page of pages) out += printer.page(page)
  return out + printer.end()
}

for (const format of ['json', 'yaml']) {
  test(`-o ${format}: pages handed over in parts print the same as whole pages`, async () => {
    const printer = await createPrinter(format, options)
    const per = printer.objectsPerCall!
    assert.ok(per > 0 && per < 500, 'the printer says how many objects one call may take')
    const first = pools(250)
    const second = pools(3, 250)
    const whole = await printed(format, [first, second])
    const parts = await printed(format, [first.slice(0, per), first.slice(per, 2 * per), first.slice(2 * per), second])
    assert.equal(parts, whole)
    assert.equal(await printed(format, [[], first, []]), await printed(format, [first]))
  })
}

test('tables are never split: a page sets the column widths', async () => {
  const printer = await createPrinter('wide', options)
  assert.equal(printer.objectsPerCall, undefined)
})
