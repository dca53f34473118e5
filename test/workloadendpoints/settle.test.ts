import {test} from 'node:test'
import assert from 'node:assert/strict'
import {settleFirstPages} from '../../src/get/workloadendpoints.js'

/** Pages of numbers, each after its own delay (ms, from the previous page). */
async function* paced(pages: Array<[number, number[]]>): AsyncGenerator<number[]> {
  for (const [delay, page] of pages) {
    await new Promise((r) => setTimeout(r, delay))
    yield page
  }
}

async function seen(pages: AsyncIterable<number[]>): Promise<Array<{at: number; page: number[]}>> {
  const started = performance.now()
  const out: Array<{at: number; page: number[]}> = []
  for await (const page of pages) out.push({at: performance.now() - started, page})
  return out
}

test('pages that arrive within the window become one page (a table lines up as after a whole list)', async () => {
  const got = await seen(
    settleFirstPages(
      paced([
        [0, [1, 2]],
        [20, [3]],
        [20, [4, 5]],
      ]),
      300,
      100,
    ),
  )
  assert.deepEqual(
    got.map((g) => g.page),
    [[1, 2, 3, 4, 5]],
  )
})

test('a late page: what arrived is handed on when the window closes, then pages stream as they come', async () => {
  const got = await seen(
    settleFirstPages(
      paced([
        [0, [1]],
        [20, [2]],
        [600, [3]],
        [10, [4]],
      ]),
      150,
      100,
    ),
  )
  assert.deepEqual(
    got.map((g) => g.page),
    [[1, 2], [3], [4]],
  )
  assert.ok(got[0].at < 450, `first page handed on at ${got[0].at.toFixed(0)} ms, not at the window's end`)
  assert.ok(got[1].at - got[0].at >= 300, 'the late page came later')
})

test('at most maxObjects are held; an empty list yields nothing; errors pass through', async () => {
  const got = await seen(
    settleFirstPages(
      paced([
        [0, [1, 2]],
        [5, [3, 4]],
        [5, [5]],
        [5, [6]],
      ]),
      1000,
      3,
    ),
  )
  assert.deepEqual(
    got.map((g) => g.page),
    [[1, 2, 3, 4], [5], [6]],
  )
  assert.deepEqual(await seen(settleFirstPages(paced([]), 100, 10)), [])
  async function* failing(): AsyncGenerator<number[]> {
    yield [1]
    throw new Error('list broke')
  }
  const before: number[][] = []
  await assert.rejects(async () => {
    for await (const page of settleFirstPages(failing(), 100, 10)) before.push(page)
  }, /list broke/)
  assert.deepEqual(before, [[1]], 'what arrived before the failure is handed on first')
})
