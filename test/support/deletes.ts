// Deletes: one object (graceful pods, finalizers, namespace and CRD contents) and collections.

import {gr, keyOf, parseLabelParam} from './http-helpers.js'
import {type ResourceInfo} from './resources.js'
import {deepCopy, encode, rfc3339} from './serialize.js'
import {badRequest, conflict, notFound} from './status.js'
import {makeEntry, type Entry} from './store.js'
import {listJson, matches, objectJson, parseFieldParam} from './reads.js'
import {dryRunParam} from './writes.js'
import {sendJson} from './responses.js'
import {type Core, type Ctx} from './context.js'

export function deleteOptions(s: Core, ctx: Ctx): Record<string, any> {
  let o: Record<string, any> = {}
  if (ctx.body.trim()) {
    try {
      o = JSON.parse(ctx.body)
    } catch (e) {
      throw badRequest((e as Error).message)
    }
  }
  const g = ctx.query.get('gracePeriodSeconds')
  if (g !== null) o.gracePeriodSeconds = Number(g)
  const pp = ctx.query.get('propagationPolicy')
  if (pp) o.propagationPolicy = pp
  return o
}

export function deleteObject(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string, name: string): void {
  const dryRun = dryRunParam(s, ctx, 'DeleteOptions')
  const opts = deleteOptions(s, ctx)
  const e = s.store.get(ri.storage, keyOf(ri, ns, name))
  if (!e) throw notFound(gr(ri), name)
  const pre = opts.preconditions ?? {}
  if (pre.uid && pre.uid !== e.obj.metadata.uid)
    throw conflict(
      gr(ri),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${e.obj.metadata.uid}`,
    )
  if (pre.resourceVersion && pre.resourceVersion !== String(e.rv))
    throw conflict(
      gr(ri),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${e.rv}`,
    )
  const [code, body] = deleteEntry(s, ri, e, opts, dryRun)
  sendJson(s, ctx, code, body)
}

/** Deletes one object; returns the status code and body the real registry answers with. */
export function deleteEntry(
  s: Core,
  ri: ResourceInfo,
  e: Entry,
  opts: Record<string, any>,
  dryRun: boolean,
): [number, string] {
  const obj = deepCopy(e.obj)
  const meta = obj.metadata
  const now = rfc3339()
  const finalizers: string[] = meta.finalizers ?? []
  if (finalizers.length) {
    // stays, marked for deletion, until its finalizers are removed (Foreground behaves like
    // Background: the simulated garbage collector has no dependents to wait for)
    if (!meta.deletionTimestamp) {
      meta.deletionTimestamp = now
      meta.deletionGracePeriodSeconds = 0
    }
    if (dryRun) return [200, objectJson(s, ri, makeEntry(e.key, obj, e.rv, ri.builtin))]
    const rv = s.store.nextRV()
    meta.resourceVersion = String(rv)
    const ne = makeEntry(e.key, obj, rv, ri.builtin)
    s.store.put(ri.storage, ne)
    return [200, objectJson(s, ri, ne)]
  }
  let answer: Entry = e
  if (ri.builtin && ri.kind === 'Pod') {
    // graceful pod deletion: the answer shows the grace period; the kubelet (simulated) finishes at once
    const phase = obj.status?.phase
    const grace = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30
    if (obj.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed' && grace > 0) {
      meta.deletionTimestamp = rfc3339(new Date(Date.now() + grace * 1000))
      meta.deletionGracePeriodSeconds = grace
      answer = makeEntry(e.key, obj, e.rv, true)
    }
  } else if (ri.builtin && (ri.kind === 'Namespace' || ri.kind === 'CustomResourceDefinition')) {
    // the namespace / CRD finalizers run instantly: contents are removed with it
    meta.deletionTimestamp = now
    meta.deletionGracePeriodSeconds = 0
    if (ri.kind === 'Namespace') obj.status = {...(obj.status ?? {}), phase: 'Terminating'}
    answer = makeEntry(e.key, obj, e.rv, true)
    if (!dryRun) {
      if (ri.kind === 'Namespace') deleteNamespaceContents(s, meta.name)
      else for (const r of s.registry.removeCrd(meta.name)) clearBucket(s, r.storage)
    }
  }
  if (!dryRun) s.store.remove(ri.storage, e.key, s.store.nextRV())
  if (ri.returnDeletedObject) return [200, objectJson(s, ri, answer)]
  const details: Record<string, unknown> = {name: meta.name}
  if (ri.group) details.group = ri.group
  details.kind = ri.resource
  details.uid = meta.uid
  return [200, encode({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details})]
}

export function deleteNamespaceContents(s: Core, ns: string): void {
  const seen = new Set<string>()
  for (const r of s.registry.all()) {
    if (!r.namespaced || seen.has(r.storage)) continue
    seen.add(r.storage)
    const b = s.store.bucket(r.storage)
    for (const k of [...b.keys()]) if (k.startsWith(`${ns}/`)) s.store.remove(r.storage, k, s.store.nextRV())
  }
}

export function clearBucket(s: Core, storage: string): void {
  const b = s.store.bucket(storage)
  for (const k of [...b.keys()]) s.store.remove(storage, k, s.store.nextRV())
}

export function deleteCollection(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string): void {
  const dryRun = dryRunParam(s, ctx, 'DeleteOptions')
  const opts = deleteOptions(s, ctx)
  const ls = parseLabelParam(ctx.query.get('labelSelector'))
  const fs = parseFieldParam(s, ri, ctx.query.get('fieldSelector'))
  const b = s.store.bucket(ri.storage)
  const deleted: Entry[] = []
  for (const k of [...b.keys()]) {
    if (ns && !k.startsWith(`${ns}/`)) continue
    const e = b.entries.get(k)!
    if (!matches(s, ri, e, ls, fs)) continue
    deleteEntry(s, ri, e, opts, dryRun)
    deleted.push(e)
  }
  sendJson(s, ctx, 200, listJson(s, ri, deleted, {resourceVersion: String(s.store.rv)}))
}
