import {ApiError, ResourceError, UsageError} from '../core/errors.js'
import {AnswerLostError, InterruptedError, type KubeClient} from '../kube/client.js'
import type {KubeObject} from '../kube/types.js'
import {apiKindFor} from '../resources/coordinates.js'
import type {CalicoStorage, ResourceDescriptor} from '../resources/descriptor.js'
import {collectionPath} from '../sources/cluster.js'
import {POD} from '../sources/source.js'
import {podToWorkloadEndpoints, type MultiInterfaceMode} from '../workloadendpoints/convert.js'
import {parseWorkloadEndpointName} from '../workloadendpoints/names.js'
import type {PlannedObject} from './plan.js'

export type Outcome =
  | 'created'
  | 'configured'
  | 'unchanged'
  | 'replaced'
  | 'deleted'
  | 'skipped'
  | 'failed'
  | 'labeled'
  | 'unlabeled'
  | 'not labeled'
  | 'patched'
  | 'patched (no change)'

/** apply creates or updates; create refuses what exists; replace refuses what does not (kubectl's three verbs). */
export type WriteVerb = 'apply' | 'create' | 'replace'

export interface ApplyResult {
  ref: string
  outcome: Outcome
  message?: string
  /** The first Ctrl-C cut a wait short before anything was written for this object. */
  interrupted?: boolean
}

export interface ApplyOptions {
  dryRun: 'none' | 'client' | 'server'
  storage: CalicoStorage
  mode: MultiInterfaceMode
  verb?: WriteVerb
  /** create: an object that exists already is skipped rather than failed (calicoctl create --skip-exists). */
  skipExists?: boolean
  /** Checked between objects: Ctrl-C stops after the object in flight. */
  interrupted?: () => boolean
  debug?: (line: string) => void
}

const MAX_CONFLICT_RETRIES = 5
const SERVER_SET = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]

/** Creates or updates one object: unchanged objects are not written; a 409 is retried against the fresh object. */
export async function applyObject(
  client: KubeClient,
  planned: PlannedObject,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const {descriptor: d, ref} = planned
  try {
    if (d.derived && options.verb === 'create')
      throw new ResourceError(
        `${ref}: WorkloadEndpoints are derived from pods and cannot be created; create the ` +
          `pod (with its networks annotation) instead`,
      )
    if (d.derived) return await applyWorkloadEndpoint(client, planned, options)
    const refused = d.refuseWrite?.(planned.object.metadata.name ?? '')
    if (refused) throw new ResourceError(`${ref}: ${refused}`)
    const kind = apiKindFor(d, options.storage)
    const wanted = d.toStorage
      ? d.toStorage(stripServerFields(planned.object), options.storage)
      : stripServerFields(planned.object)
    const ns = planned.object.metadata.namespace
    const path = collectionPath(kind, ns)
    const query = options.dryRun === 'server' ? {dryRun: 'All'} : undefined
    const names = storedNames(d, options.storage, wanted.metadata.name!)
    for (let attempt = 1; ; attempt++) {
      const {existing, objectPath} = await findStored(client, path, names)
      const refused = verbRefuses(options, existing !== undefined, kind.plural, d.group, wanted, ref)
      if (refused) return refused
      if (!existing) {
        if (options.dryRun !== 'client') await createOnce(client, path, wanted, query, options.debug)
        return {ref, outcome: 'created'}
      }
      const merged = mergeForUpdate(existing, wanted)
      if (sameContent(existing, merged)) return {ref, outcome: 'unchanged'}
      if (options.dryRun === 'client') return {ref, outcome: 'configured'}
      try {
        await client.request('PUT', objectPath, {body: merged, query})
        return {ref, outcome: 'configured'}
      } catch (error) {
        if (error instanceof AnswerLostError && !query)
          return await afterLostUpdate(client, objectPath, merged, ref, error)
        if (error instanceof ApiError && error.status === 409 && attempt < MAX_CONFLICT_RETRIES) {
          options.debug?.(`${ref}: conflict, re-reading and retrying (${attempt})`)
          continue
        }
        throw error
      }
    }
  } catch (error) {
    // A path the client refused to build (a name such as "."): the whole command stops with exit 2.
    if (error instanceof UsageError) throw error
    if (error instanceof InterruptedError)
      return {ref, outcome: 'failed', message: 'interrupted before it was written', interrupted: true}
    return {ref, outcome: 'failed', message: error instanceof Error ? error.message : String(error)}
  }
}

/** kubectl's messages: create of an object that exists, replace of one that does not. */
function verbRefuses(
  options: ApplyOptions,
  exists: boolean,
  plural: string,
  group: string,
  wanted: KubeObject,
  ref: string,
): ApplyResult | undefined {
  const where = wanted.metadata.namespace ? ` in namespace "${wanted.metadata.namespace}"` : ''
  const what = `${plural}.${group} "${wanted.metadata.name}"`
  if (options.verb === 'create' && exists) {
    if (options.skipExists) return {ref, outcome: 'skipped', message: 'it exists already (--skip-exists)'}
    return {ref, outcome: 'failed', message: `Error from server (AlreadyExists): ${what} already exists`}
  }
  if (options.verb === 'replace' && !exists)
    return {ref, outcome: 'failed', message: `Error from server (NotFound): ${what} not found${where}`}
  return undefined
}

/** An update whose answer was lost: the object is read again and the update reported as applied or not. */
async function afterLostUpdate(
  client: KubeClient,
  path: string,
  merged: KubeObject,
  ref: string,
  lost: Error,
): Promise<ApplyResult> {
  const now = await reread(client, path, lost)
  if (now && sameContent(now, merged)) return {ref, outcome: 'configured'}
  const message =
    `the connection was lost after the update was sent (${lost.message}); read back: ` +
    `the update is NOT stored; run apply again`
  return {ref, outcome: 'failed', message}
}

/** Reads an object back after a lost answer; a failure to read says that the outcome is unknown. */
export async function reread(client: KubeClient, path: string, lost: Error): Promise<KubeObject | undefined> {
  try {
    return await getOrUndefined(client, path)
  } catch (error) {
    throw new ResourceError(
      `the connection was lost after the request was sent (${lost.message}), and reading the object back failed too ` +
        `(${(error as Error).message}): it may or may not have been written; check with xctl get`,
    )
  }
}

/**
 * POST is not idempotent: when the answer is lost (timeout, dropped connection) the object may exist anyway,
 * so it is looked up before the create is repeated.
 */
async function createOnce(
  client: KubeClient,
  path: string,
  wanted: KubeObject,
  query: Record<string, string> | undefined,
  debug?: (line: string) => void,
): Promise<void> {
  const objectPath = `${path}/${encodeURIComponent(wanted.metadata.name!)}`
  for (let attempt = 1; ; attempt++) {
    try {
      await client.request('POST', path, {body: wanted, query})
      return
    } catch (error) {
      // Our earlier, unanswered create landed after all.
      if (attempt > 1 && error instanceof ApiError && error.status === 409 && error.reason === 'AlreadyExists') return
      if (!(error instanceof AnswerLostError) || query) throw error
      debug?.(`create of ${objectPath} got no answer; checking whether it happened before trying again`)
      if (await reread(client, objectPath, error)) return
      if (attempt >= 3) throw new ResourceError(`${error.message}; read back: the object was NOT created`)
    }
  }
}

/**
 * The names an object may be stored under. With crd.projectcalico.org/v1 storage, Calico <= v3.31 stored a
 * default-tier policy `foo` as `default.foo`; v3.32+ reads both until kube-controllers' policy_name_migrator
 * renames it (libcalico-go/lib/backend/k8s/resources/customresource.go, determinePolicyName).
 */
export function storedNames(d: ResourceDescriptor, storage: CalicoStorage, name: string): string[] {
  return storage === 'crd-v1' && d.kind.endsWith('NetworkPolicy') && !name.includes('.')
    ? [name, `default.${name}`]
    : [name]
}

/** The stored object under the first of `names` that exists, and its path (the first name's when none does). */
async function findStored(
  client: KubeClient,
  path: string,
  names: string[],
): Promise<{existing?: KubeObject; objectPath: string}> {
  for (const name of names) {
    const objectPath = `${path}/${encodeURIComponent(name)}`
    const existing = await getOrUndefined(client, objectPath)
    if (existing) return {existing, objectPath}
  }
  return {objectPath: `${path}/${encodeURIComponent(names[0]!)}`}
}

async function getOrUndefined(client: KubeClient, path: string): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(path)
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.details?.name) return undefined
    if (
      error instanceof ApiError &&
      error.status === 404 &&
      !/could not find the requested resource/.test(error.apiMessage)
    )
      return undefined
    throw error
  }
}

function stripServerFields(o: KubeObject): KubeObject {
  const metadata = {...o.metadata}
  for (const k of SERVER_SET) delete metadata[k]
  const {status, ...rest} = o
  void status
  return {...rest, metadata}
}

/** The existing object with what the input declares: labels, annotations and spec replace the stored ones
 * (calicoctl). */
function mergeForUpdate(existing: KubeObject, wanted: KubeObject): KubeObject {
  const metadata = {...existing.metadata}
  delete metadata.managedFields
  if (wanted.metadata.labels) metadata.labels = wanted.metadata.labels
  else delete metadata.labels
  if (wanted.metadata.annotations) metadata.annotations = wanted.metadata.annotations
  else delete metadata.annotations
  const merged: KubeObject = {...existing, metadata}
  for (const [k, v] of Object.entries(wanted))
    if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind' && k !== 'status') merged[k] = v
  for (const k of Object.keys(existing))
    if (!(k in wanted) && !['apiVersion', 'kind', 'metadata', 'status'].includes(k)) delete merged[k]
  return merged
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const pick = (o: KubeObject) => {
    const {metadata, status, apiVersion, kind, ...rest} = o
    void [status, apiVersion, kind]
    return canonical({labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {}, ...rest})
  }
  return pick(a) === pick(b)
}

/** JSON with sorted keys, so equal content compares equal whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

const DERIVED_LABEL = /^projectcalico\.org\//

/**
 * WorkloadEndpoints are derived from pods: only the pod's own labels may change through one. Everything else is
 * refused with a message that says where the change belongs.
 */
async function applyWorkloadEndpoint(
  client: KubeClient,
  planned: PlannedObject,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const wep = planned.object
  const {pod, podPath, podName} = await readOwningPod(client, planned)
  const current = podToWorkloadEndpoints(pod, {mode: options.mode}).endpoints.find(
    (e) => e.metadata.name === wep.metadata.name,
  )
  if (!current)
    throw new ResourceError(
      `${planned.ref}: pod "${podName}" has no such endpoint in ${options.mode} mode; endpoints ` +
        `come from the pod's networks annotation and network-status`,
    )
  refuseDerivedFieldChanges(planned.ref, wep, current)
  refuseDerivedLabelChanges(planned.ref, wep, current)
  const podLabels = Object.fromEntries(
    Object.entries(wep.metadata.labels ?? {}).filter(([k]) => !DERIVED_LABEL.test(k)),
  )
  const before = pod.metadata.labels ?? {}
  if (canonical(before) === canonical(podLabels)) return {ref: planned.ref, outcome: 'unchanged'}
  if (options.dryRun !== 'client') await patchPodLabels(client, pod, podPath, podLabels, options.dryRun === 'server')
  return {ref: planned.ref, outcome: 'configured'}
}

/** The pod an endpoint is derived from: named by spec.pod or by the endpoint's full name. */
async function readOwningPod(
  client: KubeClient,
  planned: PlannedObject,
): Promise<{pod: KubeObject; podPath: string; podName: string}> {
  const wep = planned.object
  const ns = wep.metadata.namespace!
  const parts = parseWorkloadEndpointName(wep.metadata.name!)
  const podName = wep.spec?.pod || parts?.workload
  if (!podName)
    throw new ResourceError(
      `cannot tell which pod ${planned.ref} belongs to: set spec.pod or use the endpoint's full name`,
    )
  const podPath = `${collectionPath(POD, ns)}/${encodeURIComponent(podName)}`
  const pod = await getOrUndefined(client, podPath)
  if (!pod)
    throw new ResourceError(
      `${planned.ref}: WorkloadEndpoints are derived from pods and pod "${podName}" does ` +
        `not exist in namespace "${ns}"; create the pod instead`,
    )
  pod.apiVersion ??= 'v1'
  pod.kind ??= 'Pod'
  return {pod, podPath, podName}
}

/** spec and annotations come from the pod and its networks; a difference names the first differing spec field. */
function refuseDerivedFieldChanges(ref: string, wep: KubeObject, current: KubeObject): void {
  for (const [field, want, have] of [
    ['spec', canonical(wep.spec ?? {}), canonical(current.spec)],
    ['metadata.annotations', canonical(wep.metadata.annotations ?? {}), canonical(current.metadata.annotations ?? {})],
  ] as const) {
    if (want !== have) {
      const differing =
        field === 'spec'
          ? Object.keys({...wep.spec, ...current.spec}).filter(
              (k) => canonical(wep.spec?.[k]) !== canonical((current.spec as Record<string, unknown>)[k]),
            )
          : []
      throw new ResourceError(
        `${ref}: ${field}${differing.length ? `.${differing[0]}` : ''} is derived ` +
          `from the pod and cannot be changed here; change the pod (its spec or networks annotation) ` +
          `or the NetworkAttachmentDefinition instead`,
      )
    }
  }
}

/** projectcalico.org/ labels are set by Calico, not by the pod's owner. */
function refuseDerivedLabelChanges(ref: string, wep: KubeObject, current: KubeObject): void {
  const wanted = wep.metadata.labels ?? {}
  for (const key of new Set([...Object.keys(wanted), ...Object.keys(current.metadata.labels ?? {})])) {
    if (DERIVED_LABEL.test(key) && wanted[key] !== current.metadata.labels?.[key]) {
      throw new ResourceError(
        `${ref}: label ${key} is set by Calico from the pod (namespace, service account ` +
          `or network) and cannot be changed here; change the pod or its networks annotation ` +
          `instead`,
      )
    }
  }
}

/**
 * A merge patch of the pod's labels (null removes one), guarded by resourceVersion. When the answer is lost the pod
 * is read back to tell whether the change landed.
 */
async function patchPodLabels(
  client: KubeClient,
  pod: KubeObject,
  podPath: string,
  podLabels: Record<string, string>,
  serverDryRun: boolean,
): Promise<void> {
  const before = pod.metadata.labels ?? {}
  const patch: Record<string, string | null> = {...podLabels}
  for (const k of Object.keys(before)) if (!(k in podLabels)) patch[k] = null
  const query = serverDryRun ? {dryRun: 'All'} : undefined
  try {
    await client.request('PATCH', podPath, {
      body: {metadata: {labels: patch, resourceVersion: pod.metadata.resourceVersion}},
      contentType: 'application/merge-patch+json',
      query,
    })
  } catch (error) {
    if (!(error instanceof AnswerLostError) || query) throw error
    const now = await reread(client, podPath, error)
    if (canonical(now?.metadata.labels ?? {}) !== canonical(podLabels)) {
      throw new ResourceError(
        `the connection was lost after the label change was sent (${error.message}); read ` +
          `back: the pod's labels are NOT changed; run apply again`,
      )
    }
  }
}
