import {UsageError} from '../core/errors.js'
import {checkName, checkNamespaceFlag} from '../core/names.js'
import type {KubeObject} from '../kube/types.js'
import type {InformerEvent} from '../kube/watch.js'
import {apiKindFor, storageModes} from '../resources/coordinates.js'
import {resolveMultiInterfaceMode} from '../resources/multi-interface.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import {findKind} from '../resources/registry.js'
import {ClusterSource, collectionPath} from '../sources/cluster.js'
import {POD, type ObjectSource} from '../sources/source.js'
import {podToWorkloadEndpoints} from '../workloadendpoints/convert.js'
import {interfacePrefix, parseWorkloadEndpointName} from '../workloadendpoints/names.js'
import {calicoSelectorFilter, exportObject, fieldSelectorFilter, withColumns, type GetRequest} from './get.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** A change to an object as users see it (a WorkloadEndpoint, not the pod it comes from). */
export interface WatchedEvent {
  type: WatchEventType
  object: KubeObject
}

/** Events in the order to print them; `initial` marks the first list (kubectl prints it as one table). */
export interface WatchBatch {
  initial: boolean
  events: WatchedEvent[]
}

export interface WatchResult {
  descriptor: ResourceDescriptor
  showNamespace: boolean
  batches: AsyncIterable<WatchBatch>
}

export interface WatchOptions {
  signal: AbortSignal
  chunkSize?: number
  /** Per-object problems (a pod whose interfaces cannot be read), reported as they happen. */
  warn: (message: string) => void
  /** --debug: reconnects, 410s and re-lists are logged. */
  debug?: (line: string) => void
}

/** Turns one stored object into what users see, keyed by name: none, one, or a pod's several endpoints. */
type Derive = (raw: KubeObject) => Map<string, KubeObject>

/**
 * `get KIND -w`: the kind's objects listed, then every change to them, as client-go's informer delivers them.
 * What is printed is derived state: an object appears (ADDED), changes (MODIFIED: only when what is shown changed)
 * or goes away (DELETED, also when it stops matching a client-side filter). After a re-list (410) only the
 * differences from what was already printed come out, so nothing prints twice.
 */
export async function watchObjects(source: ObjectSource, req: GetRequest, options: WatchOptions): Promise<WatchResult> {
  const descriptor = findKind(req.kind)
  for (const name of req.names) checkName(descriptor.kind, name)
  const namespaceFlag = checkNamespaceFlag(req.namespace)
  if (req.allNamespaces && namespaceFlag)
    throw new UsageError('cannot use both --namespace and --all-namespaces flags at the same time')
  if (req.node && descriptor.kind !== 'WorkloadEndpoint')
    throw new UsageError('--node applies to workloadendpoints only')
  if (req.names.length > 1)
    throw new UsageError(
      `watch is only supported on individual resources and resource collections, but ${req.names.length} ` +
        `resources were found`,
      'watch one name, or the whole kind (with -l to narrow it)',
    )
  if (!(source instanceof ClusterSource))
    throw new UsageError('--watch reads from a cluster', 'drop --local (and -f), or drop -w to read the files once')
  const namespace = !descriptor.namespaced || req.allNamespaces ? undefined : (namespaceFlag ?? source.defaultNamespace)
  const {path, fieldSelector, derive} = await target(source, descriptor, req, namespace, options.warn)
  const {listAndWatch} = await import('../kube/watch.js')
  const events = listAndWatch(source.client, path, {
    labelSelector: req.labelSelector,
    fieldSelector,
    chunkSize: options.chunkSize,
    signal: options.signal,
    debug: options.debug,
  })
  return {
    descriptor: withColumns(descriptor, req),
    showNamespace: descriptor.namespaced && (req.allNamespaces || req.namespace !== undefined),
    batches: changes(events, await refined(derive, req), descriptor.kind === 'WorkloadEndpoint'),
  }
}

/** Where to watch and how a stored object becomes what is shown. */
async function target(
  source: ClusterSource,
  d: ResourceDescriptor,
  req: GetRequest,
  namespace: string | undefined,
  warn: (message: string) => void,
): Promise<{path: string; fieldSelector?: string; derive: Derive}> {
  const name = req.names[0]
  if (d.kind === 'WorkloadEndpoint') {
    const mode = resolveMultiInterfaceMode(req.multiInterfaceMode).mode
    if (name !== undefined && namespace === undefined)
      throw new UsageError('a resource cannot be retrieved by name across all namespaces', 'give the namespace with -n')
    // A name is a pod name (all of its endpoints) or one endpoint's full name.
    const parts = name === undefined ? undefined : parseWorkloadEndpointName(name)
    const podName = parts?.orchestrator === 'k8s' ? parts.workload : name
    const selectors = [req.node && `spec.nodeName=${req.node}`, podName && `metadata.name=${podName}`]
    const prefix = interfacePrefix()
    const derive: Derive = (pod) => {
      const result = podToWorkloadEndpoints(pod, {mode, interfacePrefix: prefix, detail: 'full'})
      if (result.error) warn(`pod ${pod.metadata.namespace}/${pod.metadata.name}: ${result.error}`)
      const kept = result.endpoints.filter((e) => !parts || e.metadata.name === name || podName === name)
      return new Map(kept.map((e) => [e.metadata.name ?? '', e as KubeObject]))
    }
    return {
      path: collectionPath(POD, namespace),
      fieldSelector: selectors.filter(Boolean).join(',') || undefined,
      derive,
    }
  }
  const [mode] = await storageModes(source)
  const kind = apiKindFor(d, mode)
  const stored = name !== undefined && d.storedName ? d.storedName(name) : name
  const derive: Derive = (o) => {
    const shown = d.fromStorage ? d.fromStorage(o, mode) : o
    return new Map([[shown.metadata.name ?? '', shown]])
  }
  return {
    path: collectionPath(kind, d.namespaced ? namespace : undefined),
    fieldSelector: stored === undefined ? undefined : `metadata.name=${stored}`,
    derive,
  }
}

/** The client-side flags (--calico-selector, --field-selector, --export) applied to each derived object. */
async function refined(derive: Derive, req: GetRequest): Promise<Derive> {
  const keep: Array<(o: KubeObject) => boolean> = []
  if (req.calicoSelector !== undefined) keep.push(await calicoSelectorFilter(req.calicoSelector))
  if (req.fieldSelector) keep.push(fieldSelectorFilter(req.fieldSelector))
  if (keep.length === 0 && !req.export) return derive
  return (raw) => {
    const out = new Map<string, KubeObject>()
    for (const [name, o] of derive(raw)) if (keep.every((k) => k(o))) out.set(name, req.export ? exportObject(o) : o)
    return out
  }
}

interface Shown {
  object: KubeObject
  fingerprint: string
}

/**
 * The informer's events as changes to what is shown. `byContent`: derived objects (endpoints) count as changed
 * only when their content changed, since most pod updates (status, labels of other interfaces) leave them alone.
 */
async function* changes(
  events: AsyncIterable<InformerEvent>,
  derive: Derive,
  byContent: boolean,
): AsyncGenerator<WatchBatch> {
  const state = new Map<string, Map<string, Shown>>()
  let seen = new Set<string>()
  const fingerprint = (o: KubeObject) =>
    byContent ? JSON.stringify({...o, metadata: {...o.metadata, resourceVersion: undefined}}) : JSON.stringify(o)
  const apply = (raw: KubeObject, deleted: boolean, out: WatchedEvent[]) => {
    const key = `${raw.metadata.namespace ?? ''}/${raw.metadata.name ?? ''}`
    const before = state.get(key) ?? new Map<string, Shown>()
    const derived = derive(raw)
    const after = new Map<string, Shown>()
    if (!deleted) for (const [name, object] of derived) after.set(name, {object, fingerprint: fingerprint(object)})
    for (const [name, now] of after) {
      const was = before.get(name)
      if (!was) out.push({type: 'ADDED', object: now.object})
      else if (was.fingerprint !== now.fingerprint) out.push({type: 'MODIFIED', object: now.object})
    }
    // what went away is shown as it was last (or, for a deleted object, as the deletion event carries it)
    for (const [name, was] of before)
      if (!after.has(name)) out.push({type: 'DELETED', object: derived.get(name) ?? was.object})
    if (after.size > 0) state.set(key, after)
    else state.delete(key)
    return key
  }
  for await (const event of events) {
    const out: WatchedEvent[] = []
    if (event.type === 'PAGE') {
      for (const raw of event.objects) seen.add(apply(raw, false, out))
      if (out.length > 0) yield {initial: !event.relist, events: out}
    } else if (event.type === 'SYNCED') {
      if (event.relist) {
        // gone while the watch was broken: the re-list no longer has them
        for (const [key, shown] of state)
          if (!seen.has(key)) {
            for (const s of shown.values()) out.push({type: 'DELETED', object: s.object})
            state.delete(key)
          }
        if (out.length > 0) yield {initial: false, events: out}
      }
      seen = new Set()
    } else {
      apply(event.object, event.type === 'DELETED', out)
      if (out.length > 0) yield {initial: false, events: out}
    }
  }
}
