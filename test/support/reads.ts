// Reads: get, list (paging, continue tokens, selectors), tables, and watch requests handed to watch.ts.

import {
  decodeContinue,
  encodeContinue,
  gr,
  keyOf,
  orderListMeta,
  parseLabelParam,
  parseLimit,
  sleep,
  type ListMeta,
} from './http-helpers.js'
import {apiVersionOf, fieldSet, type ResourceInfo} from './resources.js'
import {matchFields, matchLabels, parseFieldSelector, type FieldTerm, type LabelSelector} from './selectors.js'
import {encode} from './serialize.js'
import {badRequest, expired, notFound} from './status.js'
import {lowerBound, metaJson, type Entry} from './store.js'
import {columnsFor, rowFor} from './tables.js'
import {sendJson} from './responses.js'
import {type Core, TABLE_CT, INCONSISTENT_CONTINUE, type Ctx} from './context.js'

export function getObject(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string, name: string): void {
  const e = s.store.get(ri.storage, keyOf(ri, ns, name))
  if (!e) throw notFound(gr(ri), name)
  if (ctx.accept.table) {
    const t = tableJson(s, ri, [e], {resourceVersion: String(e.rv)}, ctx.accept.includeObject)
    return sendJson(s, ctx, 200, t, TABLE_CT)
  }
  sendJson(s, ctx, 200, objectJson(s, ri, e))
}

/** Full object JSON (with kind/apiVersion) as this resource's version shows it. */
export function objectJson(s: Core, ri: ResourceInfo, e: Entry): string {
  if (ri.builtin)
    return `{"kind":${JSON.stringify(ri.kind)},"apiVersion":${JSON.stringify(apiVersionOf(ri))},${e.itemJson.slice(1)}`
  return itemJson(s, ri, e)
}

/** List item JSON: built-ins carry no TypeMeta, custom resources do. */
export function itemJson(s: Core, ri: ResourceInfo, e: Entry): string {
  if (ri.builtin || ri.storageApiVersion === apiVersionOf(ri)) return e.itemJson
  // aggregated view of a v1 CRD object: sorted keys put apiVersion first
  const from = `{"apiVersion":${JSON.stringify(ri.storageApiVersion)}`
  return e.itemJson.startsWith(from)
    ? `{"apiVersion":${JSON.stringify(apiVersionOf(ri))}${e.itemJson.slice(from.length)}`
    : e.itemJson
}

export function listObjects(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string): Promise<void> | void {
  const q = ctx.query
  const labelSel = parseLabelParam(q.get('labelSelector'))
  const fieldSel = parseFieldParam(s, ri, q.get('fieldSelector'))
  const rvParam = q.get('resourceVersion') ?? ''
  const cont = q.get('continue') ?? ''
  let limit = parseLimit(q.get('limit'))
  if (rvParam === '0' && !cont) limit = 0 // served from the watch cache, which does not paginate
  if (limit && s.opts.maxPageSize) limit = Math.min(limit, s.opts.maxPageSize)

  const bucket = s.store.bucket(ri.storage)
  const keys = bucket.keys()
  const prefix = ns ? `${ns}/` : ''
  const rangeStart = prefix ? lowerBound(keys, prefix) : 0
  const rangeEnd = prefix ? lowerBound(keys, `${ns}0`) : keys.length // '0' sorts right after '/'
  let start = rangeStart
  let listRV = s.store.rv
  let pageNo = 1
  if (cont) {
    if (rvParam && rvParam !== '0') throw badRequest('specifying resource version is not allowed when using continue')
    const tok = decodeContinue(cont)
    if (tok.rv !== -1 && tok.rv < s.store.compactedBelow) {
      throw expired(INCONSISTENT_CONTINUE, encodeContinue(tok.start, -1))
    }
    if (tok.rv !== -1) listRV = tok.rv
    start = Math.max(lowerBound(keys, prefix + tok.start), rangeStart)
    pageNo = s.tokenPages.get(cont) ?? 2
  }

  const items: Entry[] = []
  let i = start
  let hasMore = false
  let lastKey = ''
  for (; i < rangeEnd; i++) {
    if (limit && items.length >= limit) {
      hasMore = true
      break
    }
    lastKey = keys[i]!
    const e = bucket.entries.get(lastKey)!
    if (matches(s, ri, e, labelSel, fieldSel)) items.push(e)
  }
  const meta: ListMeta = {resourceVersion: String(listRV)}
  if (hasMore) {
    meta.continue = encodeContinue(lastKey.slice(prefix.length) + '\u0000', listRV)
    s.tokenPages.set(meta.continue, pageNo + 1)
    if (!labelSel.length && !fieldSel.length) meta.remainingItemCount = rangeEnd - i
  }
  const delay = pageNo >= 2 ? (s.pageDelays.get(pageNo) ?? 0) : 0
  const send = () => {
    if (ctx.accept.table)
      return sendJson(s, ctx, 200, tableJson(s, ri, items, meta, ctx.accept.includeObject), TABLE_CT)
    sendJson(s, ctx, 200, listJson(s, ri, items, meta))
  }
  if (delay) return sleep(delay).then(send)
  send()
}

export function matches(s: Core, ri: ResourceInfo, e: Entry, ls: LabelSelector, fs: FieldTerm[]): boolean {
  if (ls.length && !matchLabels(ls, e.obj.metadata?.labels)) return false
  if (fs.length && !matchFields(fs, fieldSet(ri, e.obj))) return false
  return true
}

export function parseFieldParam(_s: Core, ri: ResourceInfo, selector: string | null): FieldTerm[] {
  if (!selector) return []
  let terms: FieldTerm[]
  try {
    terms = parseFieldSelector(selector)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  for (const t of terms) {
    if (ri.kind === 'Pod' && ri.builtin && t.field === 'spec.host') t.field = 'spec.nodeName'
    if (!ri.fieldLabels.includes(t.field)) throw badRequest(ri.fieldLabelError(t.field))
  }
  return terms
}

export function listJson(s: Core, ri: ResourceInfo, items: Entry[], meta: ListMeta): string {
  const body = items.map((e) => itemJson(s, ri, e)).join(',')
  if (ri.builtin) {
    return `{"kind":${JSON.stringify(ri.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(ri))},"metadata":${encode(orderListMeta(meta))},"items":[${body}]}`
  }
  // unstructured lists: sorted keys, and "continue" is always set
  const m: Record<string, unknown> = {continue: meta.continue ?? ''}
  if (meta.remainingItemCount !== undefined) m.remainingItemCount = meta.remainingItemCount
  m.resourceVersion = meta.resourceVersion
  return `{"apiVersion":${JSON.stringify(apiVersionOf(ri))},"items":[${body}],"kind":${JSON.stringify(ri.listKind)},"metadata":${encode(m)}}`
}

export function tableJson(s: Core, ri: ResourceInfo, items: Entry[], meta: ListMeta, includeObject: string): string {
  const now = Date.now()
  const rows = items.map((e) => {
    const row = rowFor(ri, e.obj, now)
    let json = `{"cells":${encode(row.cells)}`
    if (row.conditions) json += `,"conditions":${encode(row.conditions)}`
    if (includeObject === 'Object') json += `,"object":${objectJson(s, ri, e)}`
    else if (includeObject === 'None') json += `,"object":null`
    else json += `,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${metaJson(e)}}`
    return json + '}'
  })
  const head = `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${encode(orderListMeta(meta))}`
  return `${head},"columnDefinitions":${encode(columnsFor(ri))},"rows":[${rows.join(',')}]}`
}

export function watchObjects(s: Core, ctx: Ctx, ri: ResourceInfo, ns: string): Promise<void> {
  const labelSel = parseLabelParam(ctx.query.get('labelSelector'))
  const fieldSel = parseFieldParam(s, ri, ctx.query.get('fieldSelector'))
  return s.watches.serve({
    req: ctx.req,
    res: ctx.res,
    query: ctx.query,
    ri,
    namespace: ns,
    matches: (e) => matches(s, ri, e, labelSel, fieldSel),
    objectJson: (e) =>
      ctx.accept.table
        ? tableJson(s, ri, [e], {resourceVersion: String(e.rv)}, ctx.accept.includeObject)
        : objectJson(s, ri, e),
  })
}
