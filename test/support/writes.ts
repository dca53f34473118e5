// Writes: create, update (PUT), patch (merge, JSON, strategic, server-side apply), with the real defaults.

import {randomUUID} from 'node:crypto'
import YAML from 'yaml'
import {generateName, gr, keyOf, mediaType, stripVolatile} from './http-helpers.js'
import {fieldsOf, managedEntry, updateManagedFields} from './managed-fields.js'
import {PatchError, jsonPatch, mergePatch, strategicMergePatch} from './patch.js'
import {PROTOBUF, decodeProtobuf} from './protobuf.js'
import {apiVersionOf, crdStatus, type ResourceInfo} from './resources.js'
import {deepCopy, deepEqual, rfc3339} from './serialize.js'
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  genericResponse,
  invalid,
  notFound,
  unknownError,
  unsupportedMediaType,
} from './status.js'
import {makeEntry, type Entry} from './store.js'
import {validateObjectMeta} from './validation.js'
import {objectJson} from './reads.js'
import {sendJson} from './responses.js'
import {type Core, CORE_PATCH_TYPES, CR_PATCH_TYPES, type Ctx} from './context.js'

export function parseBody(s: Core, ctx: Ctx, ri: ResourceInfo): Record<string, any> {
  const ct = mediaType(ctx.req.headers['content-type'] ?? 'application/json')
  let obj: unknown
  try {
    if (ct === 'application/yaml') obj = YAML.parse(ctx.body)
    else if (ct === PROTOBUF && ri.builtin) obj = decodeProtobuf(ctx.raw)
    else if (ct === 'application/json' || ct === '' || ct === '*/*') obj = JSON.parse(ctx.body)
    else
      throw unsupportedMediaType(
        ri.builtin
          ? ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']
          : ['application/json', 'application/yaml'],
      )
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw badRequest(`the object provided is unrecognized (${(e as Error).message})`)
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw badRequest('the object provided is unrecognized (must be a JSON object)')
  return checkTypeMeta(s, ri, obj as Record<string, any>)
}

export function checkTypeMeta(s: Core, ri: ResourceInfo, obj: Record<string, any>): Record<string, any> {
  const want = apiVersionOf(ri)
  if (obj.apiVersion && obj.apiVersion !== want) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
    )
  }
  if (obj.kind && obj.kind !== ri.kind)
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${ri.kind})`)
  obj.apiVersion = want
  obj.kind = ri.kind
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {}
  return obj
}

export function dryRunParam(s: Core, ctx: Ctx, kindName: string): boolean {
  const dr = ctx.query.getAll('dryRun')
  if (!dr.length) return false
  if (dr.length === 1 && dr[0] === 'All') return true
  throw invalid('meta.k8s.io', kindName, '', [
    {
      type: 'Unsupported value',
      field: 'dryRun',
      value: {raw: `[]string{${dr.map((d) => JSON.stringify(d)).join(', ')}}`},
      detail: 'supported values: "All"',
    },
  ])
}

export function manager(s: Core, ctx: Ctx): string {
  const fm = ctx.query.get('fieldManager')
  if (fm) return fm
  // prefixFromUserAgent: the part before the first "/", printable, at most 128 characters
  return (ctx.req.headers['user-agent'] ?? '')
    .split('/')[0]!
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 128)
}

export function createObject(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string): void {
  const dryRun = dryRunParam(s, ctx, 'CreateOptions')
  const obj = parseBody(s, ctx, ri)
  const status = createEntry(s, ctx, ri, ns, obj, dryRun, 'Update')
  sendJson(s, ctx, 201, status)
}

/** Create path shared by POST and apply: returns the response JSON. */
export function createEntry(
  s: Core,
  ctx: Ctx,
  ri: ResourceInfo,
  ns: string,
  obj: Record<string, any>,
  dryRun: boolean,
  operation: 'Update' | 'Apply',
): string {
  const meta = obj.metadata
  if (ri.namespaced) {
    if (meta.namespace && meta.namespace !== ns)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    meta.namespace = ns
  } else delete meta.namespace
  // order of the real create path: admission (NamespaceLifecycle), validation, then storage
  if (ri.namespaced) {
    const nsEntry = s.store.get('core/namespaces', ns)
    if (!nsEntry) throw notFound({group: '', resource: 'namespaces'}, ns)
    if (nsEntry.obj.metadata?.deletionTimestamp)
      throw forbidden(
        gr(ri),
        meta.name ?? '',
        `unable to create new content in namespace ${ns} because it is being terminated`,
      )
  }
  if (meta.generateName && !meta.name) meta.name = generateName(meta.generateName)
  const errs = validateObjectMeta(meta, ri.nameIsLabel)
  if (errs.length) throw invalid(ri.group, ri.kind, meta.name ?? '', errs)
  const key = keyOf(ri, ns, meta.name)
  if (meta.resourceVersion && !dryRun) throw unknownError('resourceVersion should not be set on objects to be created')
  if (s.store.get(ri.storage, key)) throw alreadyExists(gr(ri), meta.name)

  const now = rfc3339()
  meta.uid = randomUUID()
  meta.creationTimestamp = now
  delete meta.deletionTimestamp
  delete meta.deletionGracePeriodSeconds
  delete meta.resourceVersion
  if (ri.hasGeneration) meta.generation = 1
  else delete meta.generation
  if (ri.statusSubresource && !ri.builtin) delete obj.status
  if (ri.builtin && ri.kind === 'Pod') defaultNewPod(s, obj)
  if (ri.builtin && ri.kind === 'Namespace') {
    // namespaceStrategy.PrepareForCreate
    obj.status = {phase: 'Active'}
    const fin: string[] = obj.spec?.finalizers ?? []
    obj.spec = {...(obj.spec ?? {}), finalizers: fin.includes('kubernetes') ? fin : [...fin, 'kubernetes']}
  }
  defaultObject(s, ri, obj)
  meta.managedFields = [
    managedEntry(manager(s, ctx), operation, apiVersionOf(ri), now, fieldsOf(obj, ri.builtin, false)),
  ]
  if (ri.kind === 'CustomResourceDefinition' && ri.builtin) obj.status = crdStatus(obj, now)

  const stored = {...obj, apiVersion: ri.storageApiVersion}
  if (dryRun) return objectJson(s, ri, makeEntry(key, stored, 0, ri.builtin))
  const rv = s.store.nextRV()
  meta.resourceVersion = String(rv)
  const e = makeEntry(key, {...obj, apiVersion: ri.storageApiVersion}, rv, ri.builtin)
  s.store.put(ri.storage, e)
  if (ri.kind === 'CustomResourceDefinition' && ri.builtin) s.registry.setCrd(e.obj)
  return objectJson(s, ri, e)
}

/** Defaults the API server (or its controllers, instantly) fills in for built-ins. */
export function defaultObject(s: Core, ri: ResourceInfo, obj: Record<string, any>): void {
  if (!ri.builtin) return
  if (ri.kind === 'Namespace') {
    obj.metadata.labels = {...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name}
    obj.spec = {finalizers: ['kubernetes'], ...(obj.spec ?? {})}
    obj.status = {phase: 'Active', ...(obj.status ?? {})}
  } else if (ri.kind === 'Pod') {
    obj.status ??= {}
    obj.status.phase ??= 'Pending'
  }
}

/** SetDefaults_Pod and the default admission plugins, for pods created through the API. */
export function defaultNewPod(s: Core, pod: Record<string, any>): void {
  const spec = (pod.spec ??= {})
  const containers: any[] = spec.containers ?? []
  for (const c of [...(spec.initContainers ?? []), ...containers]) {
    c.terminationMessagePath ??= '/dev/termination-log'
    c.terminationMessagePolicy ??= 'File'
    const tag = String(c.image ?? '')
      .split('/')
      .pop()!
    c.imagePullPolicy ??= !tag.includes(':') || tag.endsWith(':latest') ? 'Always' : 'IfNotPresent'
    c.resources ??= {}
    for (const p of c.ports ?? []) p.protocol ??= 'TCP'
  }
  spec.restartPolicy ??= 'Always'
  spec.terminationGracePeriodSeconds ??= 30
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default'
  spec.serviceAccount ??= spec.serviceAccountName
  spec.securityContext ??= {}
  spec.schedulerName ??= 'default-scheduler'
  spec.tolerations ??= [
    {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
    {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
  ]
  spec.priority ??= 0
  spec.enableServiceLinks ??= true
  spec.preemptionPolicy ??= 'PreemptLowerPriority'
  const res = containers.map((c) => c.resources ?? {})
  const hasAny = res.some((r) => Object.keys(r.requests ?? {}).length || Object.keys(r.limits ?? {}).length)
  const guaranteed =
    hasAny &&
    res.every((r) =>
      ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k]),
    )
  pod.status = {phase: 'Pending', qosClass: guaranteed ? 'Guaranteed' : hasAny ? 'Burstable' : 'BestEffort'}
}

export function updateObject(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string, name: string, status: boolean): void {
  const dryRun = dryRunParam(s, ctx, 'UpdateOptions')
  const obj = parseBody(s, ctx, ri)
  const meta = obj.metadata
  if (meta.name !== name)
    throw badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${name})`)
  if (ri.namespaced && meta.namespace && meta.namespace !== ns)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  const existing = s.store.get(ri.storage, keyOf(ri, ns, name))
  if (!existing) throw notFound(gr(ri), name)
  if (s.faults.takeConflict()) throw conflict(gr(ri), name)
  if (!meta.resourceVersion) {
    if (!ri.allowUnconditionalUpdate) {
      throw invalid(ri.group, ri.resource, name, [
        {
          type: 'Invalid value',
          field: 'metadata.resourceVersion',
          value: {raw: '0x0'},
          detail: 'must be specified for an update',
        },
      ])
    }
  } else if (meta.resourceVersion !== String(existing.rv)) {
    throw conflict(gr(ri), name)
  }
  sendJson(s, ctx, 200, updateEntry(s, ctx, ri, existing, obj, status, dryRun, 'Update'))
}

/** Update path shared by PUT and PATCH; `obj` is the full new object in this resource's version. */
export function updateEntry(
  s: Core,
  ctx: Ctx,
  ri: ResourceInfo,
  existing: Entry,
  obj: Record<string, any>,
  statusOnly: boolean,
  dryRun: boolean,
  operation: 'Update' | 'Apply',
): string {
  const old = existing.obj
  const oldMeta = old.metadata ?? {}
  let next: Record<string, any>
  if (statusOnly) {
    next = {...deepCopy(old), status: obj.status}
  } else {
    next = obj
    if (ri.statusSubresource) {
      if (old.status !== undefined) next.status = deepCopy(old.status)
      else delete next.status
    }
  }
  const meta = (next.metadata = {...(statusOnly ? oldMeta : next.metadata)})
  meta.name = oldMeta.name
  if (ri.namespaced) meta.namespace = oldMeta.namespace
  else delete meta.namespace
  if (meta.uid && meta.uid !== oldMeta.uid)
    throw invalid(ri.group, ri.kind, oldMeta.name, [
      {type: 'Invalid value', field: 'metadata.uid', value: meta.uid, detail: 'field is immutable'},
    ])
  meta.uid = oldMeta.uid
  meta.creationTimestamp = oldMeta.creationTimestamp
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp
  else delete meta.deletionTimestamp
  if (oldMeta.deletionGracePeriodSeconds !== undefined)
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds
  else delete meta.deletionGracePeriodSeconds
  const errs = validateObjectMeta(meta, ri.nameIsLabel)
  if (errs.length) throw invalid(ri.group, ri.kind, oldMeta.name, errs)
  if (ri.hasGeneration) {
    const strip = (o: Record<string, any>) => {
      const {metadata: _m, status: st, ...rest} = o
      return ri.statusSubresource ? rest : {...rest, status: st}
    }
    meta.generation =
      (oldMeta.generation ?? 1) +
      (deepEqual(strip({...next, apiVersion: undefined}), strip({...old, apiVersion: undefined})) ? 0 : 1)
  } else delete meta.generation
  meta.resourceVersion = oldMeta.resourceVersion
  next.apiVersion = ri.storageApiVersion
  next.kind = ri.kind
  meta.managedFields = updateManagedFields(
    oldMeta.managedFields,
    old,
    next,
    manager(s, ctx),
    operation,
    apiVersionOf(ri),
    statusOnly,
    ri.builtin,
  )

  // no-op updates are not written (same bytes in etcd), so the resourceVersion stays
  if (deepEqual(stripVolatile(next), stripVolatile(old))) return objectJson(s, ri, existing)
  if (ri.kind === 'CustomResourceDefinition' && ri.builtin) next.status = crdStatus(next, oldMeta.creationTimestamp)
  if (dryRun) return objectJson(s, ri, makeEntry(existing.key, next, existing.rv, ri.builtin))

  if (meta.deletionTimestamp && !(meta.finalizers ?? []).length) {
    // the last finalizer is gone: the object is deleted now
    const e = makeEntry(existing.key, next, existing.rv, ri.builtin)
    s.store.remove(ri.storage, existing.key, s.store.nextRV())
    return objectJson(s, ri, e)
  }
  const rv = s.store.nextRV()
  meta.resourceVersion = String(rv)
  const e = makeEntry(existing.key, next, rv, ri.builtin)
  s.store.put(ri.storage, e)
  if (ri.kind === 'CustomResourceDefinition' && ri.builtin) s.registry.setCrd(e.obj)
  return objectJson(s, ri, e)
}

export function patchObject(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string, name: string, status: boolean): void {
  const ct = mediaType(ctx.req.headers['content-type'] ?? '')
  const accepted = ri.builtin || ri.aggregated ? CORE_PATCH_TYPES : CR_PATCH_TYPES
  if (!accepted.includes(ct)) throw unsupportedMediaType(accepted)
  const dryRun = dryRunParam(s, ctx, 'PatchOptions')
  const key = keyOf(ri, ns, name)
  const existing = s.store.get(ri.storage, key)

  if (ct === 'application/apply-patch+yaml') {
    if (!ctx.query.get('fieldManager')) {
      throw invalid('meta.k8s.io', 'PatchOptions', '', [
        {type: 'Required value', field: 'fieldManager', detail: 'is required for apply patch'},
      ])
    }
    let applied: unknown
    try {
      applied = YAML.parse(ctx.body)
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`)
    }
    if (!applied || typeof applied !== 'object') throw badRequest('error decoding YAML: the patch is not an object')
    const a = checkTypeMeta(s, ri, applied as Record<string, any>)
    if (a.metadata.name && a.metadata.name !== name)
      throw badRequest(`the name of the object (${a.metadata.name}) does not match the name on the URL (${name})`)
    a.metadata.name = name
    if (!existing) {
      if (status) throw notFound(gr(ri), name)
      return sendJson(s, ctx, 201, createEntry(s, ctx, ri, ns, a, dryRun, 'Apply'))
    }
    if (s.faults.takeConflict()) throw conflict(gr(ri), name)
    const current = JSON.parse(objectJson(s, ri, existing))
    const merged = mergePatch(current, a) as Record<string, any>
    return sendJson(s, ctx, 200, updateEntry(s, ctx, ri, existing, merged, status, dryRun, 'Apply'))
  }

  if (!existing) throw notFound(gr(ri), name)
  if (s.faults.takeConflict()) throw conflict(gr(ri), name)
  const current = JSON.parse(objectJson(s, ri, existing))
  let patch: unknown
  try {
    patch = JSON.parse(ctx.body)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  let patched: any
  try {
    if (ct === 'application/json-patch+json') patched = jsonPatch(current, patch)
    else if (ct === 'application/merge-patch+json') patched = mergePatch(current, patch)
    else patched = strategicMergePatch(current, patch)
  } catch (e) {
    if (e instanceof PatchError) throw genericResponse(422)
    throw e
  }
  if (!patched || typeof patched !== 'object') throw badRequest('the patch did not produce an object')
  patched.metadata ??= {}
  if (patched.metadata.name !== name)
    throw badRequest(
      `the name of the object (${patched.metadata.name ?? ''}) does not match the name on the URL (${name})`,
    )
  const rvPre = patched.metadata.resourceVersion
  if (rvPre && rvPre !== String(existing.rv)) throw conflict(gr(ri), name)
  sendJson(s, ctx, 200, updateEntry(s, ctx, ri, existing, patched, status, dryRun, 'Update'))
}
