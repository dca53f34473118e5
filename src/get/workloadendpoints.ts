import {getHeapStatistics, setFlagsFromString} from 'node:v8'

import {UsageError} from '../core/errors.js'
import type {KubeObject} from '../kube/types.js'
import {POD, type ObjectSource} from '../sources/source.js'
import {
  podToWorkloadEndpoints,
  type EndpointDetail,
  type MultiInterfaceMode,
  type WorkloadEndpoint,
} from '../workloadendpoints/convert.js'
import {parseWorkloadEndpointName} from '../workloadendpoints/names.js'

export interface WorkloadEndpointQuery {
  names: string[]
  /** undefined = all namespaces */
  namespace?: string
  labelSelector?: string
  node?: string
  mode: MultiInterfaceMode
  interfacePrefix: string
  /** `columns`: endpoints with only the fields the table and name printers read (convert.ts, EndpointDetail). */
  detail?: EndpointDetail
  /** Pods per list page (--chunk-size). */
  limit?: number
}

/** A pod that yields no endpoints although it should, or a name that matched nothing. */
export interface EndpointProblem {
  message: string
  notFound?: boolean
}

/**
 * WorkloadEndpoints page by page: pods are listed (selectors sent to the API) and converted as each page arrives.
 * Named endpoints (full WEP names or pod names) are fetched one pod at a time.
 */
export async function* workloadEndpointPages(
  source: ObjectSource,
  query: WorkloadEndpointQuery,
  problems: EndpointProblem[],
): AsyncGenerator<WorkloadEndpoint[]> {
  const convert = (pod: KubeObject) => {
    const result = podToWorkloadEndpoints(pod, {
      mode: query.mode,
      interfacePrefix: query.interfacePrefix,
      detail: query.detail,
    })
    if (result.error) problems.push({message: `pod ${pod.metadata.namespace}/${pod.metadata.name}: ${result.error}`})
    return result.endpoints
  }
  if (query.names.length > 0) {
    if (query.namespace === undefined)
      throw new UsageError(
        'a resource cannot be retrieved by name across all namespaces',
        'give the namespace with -n instead of -A',
      )
    for (const name of query.names) {
      const found = await endpointsNamed(source, query.namespace, name, convert)
      const kept = found.filter((e) => !query.node || e.spec.node === query.node)
      if (kept.length === 0)
        problems.push({
          message:
            `Error from server (NotFound): workloadendpoints.projectcalico.org "${name}" not ` +
            `found in namespace "${query.namespace}"`,
          notFound: true,
        })
      else yield kept
    }
    return
  }
  const fieldSelector = query.node ? `spec.nodeName=${query.node}` : undefined
  const heap = new HeapSizing()
  async function* converted(): AsyncGenerator<WorkloadEndpoint[]> {
    for await (const pods of source.list(POD, {
      namespace: query.namespace,
      labelSelector: query.labelSelector,
      fieldSelector,
      limit: query.limit,
    })) {
      yield pods.flatMap(convert)
      heap.check()
    }
  }
  const settleMax = query.detail === 'columns' ? SETTLE_MAX_OBJECTS : SETTLE_MAX_WHOLE_OBJECTS
  yield* settleFirstPages(converted(), SETTLE_MS, settleMax)
}

/** How long after the first page later pages are merged into it, and how many endpoints at most. */
export const SETTLE_MS = 300
export const SETTLE_MAX_OBJECTS = 6000
/**
 * The bound for whole endpoints, which go mostly to -o json and yaml, where nothing lines up: a whole endpoint
 * carries labels, annotations and ports (~2.5 KB as JSON) where a table's has a few fields, so 6,000 of them held
 * at the start of a 50,000-pod list raised peak RSS (bench/README.md, round 3). 2,000 is one default page (500
 * pods) with three extra networks per pod; a table of whole endpoints (custom-columns, -L) lines up that many.
 */
export const SETTLE_MAX_WHOLE_OBJECTS = 2000

/**
 * Pages that arrive within SETTLE_MS of the first are handed on as one page, so a table printer (whose widths come
 * from the first page it sees and then only grow) lines up every row of a list that ends inside the window, as
 * kubectl's does; a list that takes longer prints what it has when the window closes and then streams as before,
 * so the first rows of a slow list still appear within SETTLE_MS of its first page. SETTLE_MAX_OBJECTS bounds the
 * memory held meanwhile. Trade-off and measurements: bench/README.md, "Tables while pages stream in".
 */
export async function* settleFirstPages<T>(
  pages: AsyncIterable<T[]>,
  windowMs = SETTLE_MS,
  maxObjects = SETTLE_MAX_OBJECTS,
): AsyncGenerator<T[]> {
  const iterator = pages[Symbol.asyncIterator]()
  try {
    yield* settle(iterator, windowMs, maxObjects)
  } finally {
    // A consumer that stops early also stops the listing (a no-op once it has ended).
    void iterator.return?.()?.catch(() => {})
  }
}

async function* settle<T>(iterator: AsyncIterator<T[]>, windowMs: number, maxObjects: number): AsyncGenerator<T[]> {
  const first = await iterator.next()
  if (first.done) return
  const held: T[] = [...first.value]
  const deadline = nowMs() + windowMs
  let timer: NodeJS.Timeout | undefined
  const windowClosed = new Promise<'closed'>((resolve) => (timer = setTimeout(() => resolve('closed'), windowMs)))
  try {
    while (held.length < maxObjects && nowMs() < deadline) {
      const next = iterator.next()
      let outcome: IteratorResult<T[]> | 'closed'
      try {
        outcome = await Promise.race([next, windowClosed])
      } catch (error) {
        // What arrived before a failure is printed first, so the failure reads as an incomplete list.
        if (held.length > 0) yield held.splice(0)
        throw error
      }
      if (outcome === 'closed') {
        yield held.splice(0)
        const late = await next
        if (late.done) return
        yield late.value
        break
      }
      if (outcome.done) {
        yield held
        return
      }
      for (const o of outcome.value) held.push(o)
    }
  } finally {
    clearTimeout(timer)
  }
  if (held.length > 0) yield held.splice(0)
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
}

/** A monotonic clock in milliseconds; `performance` would load Node's perf_hooks (~0.5 ms) for these two reads. */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

/**
 * A list that is printed page by page leaves each page garbage once printed, so a large heap only raises peak RSS.
 * V8 grows the young generation up to 16 MiB per semi-space when allocation is fast, and lets the old one grow
 * well past what is live before a full collection; the pages touched stay resident either way. Keeping the young
 * generation at its initial 1 MiB and the old one within 25% of what survived the last full collection cut
 * peak RSS from 140 MB to ~87 MB at 10,000 pods and from 85 MB to ~75 MB at 1,000 (bench/README.md). Both flags
 * are read when V8 next sizes a space, so setting them at run time takes effect. A caller that keeps every
 * endpoint (describe, eval) would pay ~40% more CPU per flag in collections, so once the heap in use passes
 * RETAINED_BYTES (a streamed get stays under ~40 MB) the semi-spaces double again and old space may double before a
 * full collection; V8's dynamic old-space heuristics do not come back once the flag was set (measured: ~+20% CPU
 * left on a synthetic 600,000-object build, against ~+75% without this).
 */
const RETAINED_BYTES = 64 * 1024 * 1024

class HeapSizing {
  private small = true

  constructor() {
    setFlagsFromString('--semi-space-growth-factor=1')
    setFlagsFromString('--heap-growing-percent=25')
  }

  check(): void {
    if (!this.small || getHeapStatistics().used_heap_size < RETAINED_BYTES) return
    this.small = false
    setFlagsFromString('--semi-space-growth-factor=2')
    setFlagsFromString('--heap-growing-percent=100')
  }
}

/** A name is a full endpoint name (`node-k8s-pod-eth0`) or a pod name (all of its endpoints). */
async function endpointsNamed(
  source: ObjectSource,
  namespace: string,
  name: string,
  convert: (pod: KubeObject) => WorkloadEndpoint[],
): Promise<WorkloadEndpoint[]> {
  const parts = parseWorkloadEndpointName(name)
  if (parts && parts.orchestrator === 'k8s') {
    const pod = await source.get(POD, namespace, parts.workload)
    const match = pod ? convert(pod).filter((e) => e.metadata.name === name) : []
    if (match.length > 0) return match
  }
  const pod = await source.get(POD, namespace, name)
  return pod ? convert(pod) : []
}
