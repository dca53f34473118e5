// Request and response helpers of the API test server: content negotiation, pacing, paging tokens, names.

import type {ServerResponse} from 'node:http'
import type {Socket} from 'node:net'

import {AGGREGATED_V2, AGGREGATED_V2BETA1} from './discovery.js'
import type {ResourceInfo} from './resources.js'
import {parseLabelSelector, type LabelSelector} from './selectors.js'
import {badRequest, type GroupResource} from './status.js'

export interface Accept {
  table: boolean
  yaml: boolean
  aggregated?: string
  includeObject: string
  unacceptable: boolean
}

/**
 * kube-apiserver's negotiateContentEncoding (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
 * responsewriters/writers.go): some comma-separated token, trimmed, is exactly `gzip`; q-values are not read.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false
  return String(header)
    .split(',')
    .some((token) => token.trim() === 'gzip')
}

const PACE_CHUNK = 16 * 1024
/** When each paced connection's link is next free (ms, performance.now() clock). */
const linkFreeAt = new WeakMap<Socket, number>()

/**
 * Writes `payload` at no more than `bytesPerSecond` on this response's connection: each 16 KiB chunk is handed
 * to the socket when the simulated link would have finished carrying it. Times are kept on an absolute clock per
 * connection, so timer lateness does not lower the average rate and back-to-back responses share the link.
 */
export function writePaced(res: ServerResponse, payload: Buffer, bytesPerSecond: number): void {
  const socket = res.socket
  let offset = 0
  const next = (): void => {
    if (res.destroyed || !socket) return
    const chunk = payload.subarray(offset, offset + PACE_CHUNK)
    offset += chunk.length
    const now = performance.now()
    const done = Math.max(now, linkFreeAt.get(socket) ?? 0) + (chunk.length / bytesPerSecond) * 1000
    linkFreeAt.set(socket, done)
    setTimeout(() => {
      if (res.destroyed) return
      if (offset >= payload.length) res.end(chunk)
      else res.write(chunk, next)
    }, done - now)
  }
  next()
}

export interface ListMeta {
  resourceVersion: string
  continue?: string
  remainingItemCount?: number
}

export function orderListMeta(m: ListMeta): ListMeta {
  const out: ListMeta = {resourceVersion: m.resourceVersion}
  if (m.continue) out.continue = m.continue
  if (m.remainingItemCount !== undefined) out.remainingItemCount = m.remainingItemCount
  return out
}

export function gr(ri: ResourceInfo): GroupResource {
  return {group: ri.group, resource: ri.resource}
}

export function keyOf(ri: ResourceInfo, ns: string | undefined, name: string): string {
  return ri.namespaced ? `${ns ?? ''}/${name}` : name
}

export function verbFor(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : named ? 'get' : 'list'
    case 'POST':
      return 'create'
    case 'PUT':
      return 'update'
    case 'PATCH':
      return 'patch'
    case 'DELETE':
      return named ? 'delete' : 'deletecollection'
    default:
      return ''
  }
}

export function parseAccept(header: string | undefined, q: URLSearchParams): Accept {
  const a: Accept = {
    table: false,
    yaml: false,
    includeObject: q.get('includeObject') ?? 'Metadata',
    unacceptable: false,
  }
  if (!header) return a
  let acceptable = false
  for (const part of header.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim())
    const p: Record<string, string> = {}
    for (const kv of params) {
      const i = kv.indexOf('=')
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim()
    }
    const mt = type.toLowerCase()
    if (mt === 'application/json' && p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) {
      if (!acceptable) a.table = true
      acceptable = true
    } else if (mt === 'application/json' && p.as === 'APIGroupDiscoveryList' && p.g === 'apidiscovery.k8s.io') {
      if (!a.aggregated && (p.v === 'v2' || p.v === 'v2beta1'))
        a.aggregated = p.v === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1
    } else if (mt === 'application/json' && !p.as) {
      acceptable = true
    } else if (mt === 'application/yaml' && !p.as) {
      if (!acceptable) a.yaml = true
      acceptable = true
    } else if (mt === '*/*' || mt === 'application/*') {
      acceptable = true
    }
  }
  a.unacceptable = !acceptable && !a.aggregated
  return a
}

export const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase()

export function parseLabelParam(s: string | null): LabelSelector {
  if (!s) return []
  try {
    return parseLabelSelector(s)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
}

export function parseLimit(s: string | null): number {
  if (s === null || s === '') return 0
  if (!/^-?\d+$/.test(s)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = Number(s)
  return n > 0 ? n : 0
}

/** storage.EncodeContinue: base64url({"v":"meta.k8s.io/v1","rv":N,"start":"<key after prefix>\u0000"}). */
export function encodeContinue(start: string, rv: number): string {
  return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64url')
}

export function decodeContinue(token: string): {start: string; rv: number} {
  const invalidToken = (why: string) => badRequest(`invalid continue token: ${why}`)
  if (!/^[A-Za-z0-9_-]*$/.test(token)) throw invalidToken('continue key is not valid: illegal base64 data')
  let c: any
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch (e) {
    throw invalidToken(`continue key is not valid: ${(e as Error).message}`)
  }
  if (c?.v !== 'meta.k8s.io/v1')
    throw invalidToken(`continue key is not valid: server does not recognize this encoded version ${c?.v ?? ''}`)
  if (!c.rv)
    throw invalidToken('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  if (!c.start) throw invalidToken('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)')
  const key = String(c.start)
  if (key.split('/').some((s) => s === '..' || s === '.')) throw invalidToken(`continue key is not valid: ${key}`)
  return {start: key, rv: Number(c.rv)}
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789'
export function generateName(base: string): string {
  let s = base.length > 58 ? base.slice(0, 58) : base
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]
  return s
}

export function stripVolatile(o: Record<string, any>): Record<string, any> {
  const {resourceVersion: _r, managedFields: _m, ...meta} = o.metadata ?? {}
  return {...o, metadata: meta}
}
