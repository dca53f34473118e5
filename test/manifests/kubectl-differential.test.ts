import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {kubectlDecodeProblem} from '../../src/manifests/object.js'
import {readManifestBatches} from '../../src/manifests/read.js'
import {goldenPath, hasKubectl, inputFiles, kubectlDecodeAsync, ROOT} from './goldens.mjs'

interface Golden {
  file: string
  objects: Array<Record<string, unknown>>
  error: string | null
}

/** xctl's decoding of a file: the objects, and the first problem kubectl would also stop at (if any). */
async function xctlDecode(file: string): Promise<{objects: unknown[]; problem?: string}> {
  const objects: unknown[] = []
  let problem: string | undefined
  for await (const batch of readManifestBatches(join(ROOT, file))) {
    for (const doc of batch) {
      const p = doc.errors[0]?.message ?? kubectlDecodeProblem(doc.object)?.message
      if (p) problem ??= `${doc.errors[0]?.line ?? doc.position.line}: ${p}`
      else objects.push(doc.object)
    }
  }
  return {objects, problem}
}

/** `kubectl label` adds an empty labels map (and the metadata holding it) where the file had none. */
function withoutAddedLabels(kubectl: Record<string, unknown>, ours: unknown): unknown {
  const mine = (ours ?? {}) as Record<string, unknown>
  const metadata = kubectl.metadata as Record<string, unknown> | undefined
  if (!metadata || !isEmptyMap(metadata.labels)) return kubectl
  const ourMeta = mine.metadata as Record<string, unknown> | undefined
  if (ourMeta && ourMeta.labels !== undefined) return kubectl
  const {labels: _, ...rest} = metadata
  if (Object.keys(rest).length === 0 && mine.metadata === undefined) {
    const {metadata: __, ...top} = kubectl
    return top
  }
  return {...kubectl, metadata: rest}
}

const isEmptyMap = (v: unknown) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0

function golden(file: string): Golden {
  return JSON.parse(readFileSync(goldenPath(file), 'utf8')) as Golden
}

const files = inputFiles()

test('every edge case and corpus file has a kubectl golden', () => {
  const missing = files.filter((f) => !existsSync(goldenPath(f)))
  assert.deepEqual(missing, [], 'run node test/manifests/record-goldens.mjs')
  assert.ok(files.filter((f) => f.startsWith('test/manifests/edge/')).length >= 30)
  assert.ok(files.filter((f) => f.startsWith('test/corpus/')).length >= 300, 'at least 300 upstream manifests')
})

test('xctl decodes every file to the objects kubectl decodes, and refuses what kubectl refuses', async (t) => {
  const differ: string[] = []
  let refused = 0
  for (const file of files) {
    const g = golden(file)
    const ours = await xctlDecode(file)
    try {
      if (g.error === null) {
        assert.equal(ours.problem, undefined, `${file}: kubectl reads it, xctl refuses it`)
        assert.equal(ours.objects.length, g.objects.length, `${file}: number of objects`)
      } else {
        refused++
        assert.ok(ours.problem, `${file}: kubectl refuses it (${g.error}), xctl reads it`)
        assert.ok(ours.objects.length >= g.objects.length, `${file}: objects before the error`)
      }
      g.objects.forEach((o, i) =>
        assert.deepEqual(ours.objects[i], withoutAddedLabels(o, ours.objects[i]), `${file}: object ${i}`),
      )
    } catch (error) {
      differ.push((error as Error).message.split('\n')[0])
    }
  }
  t.diagnostic(
    `${files.length} files compared (${refused} refused by kubectl), ${files.length - differ.length} same, ${differ.length} differ`,
  )
  assert.deepEqual(differ, [])
})

test(
  'the goldens are what kubectl says today (skipped without kubectl)',
  {skip: !hasKubectl() && 'kubectl is not installed'},
  async () => {
    const stale: string[] = []
    const queue = [...files]
    const worker = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const g = golden(file)
        const live = await kubectlDecodeAsync(file)
        try {
          assert.deepEqual(live, {objects: g.objects, error: g.error})
        } catch {
          stale.push(file)
        }
      }
    }
    await Promise.all(Array.from({length: 4}, worker))
    assert.deepEqual(stale, [], 'goldens differ from the installed kubectl: run node test/manifests/record-goldens.mjs')
  },
)
