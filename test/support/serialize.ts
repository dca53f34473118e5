// JSON encoding the way the API server's serializers produce it.
// Built-in kinds are Go structs (fields in declaration order); custom resources are
// map[string]interface{} (keys sorted at every level). Go's encoder escapes <, > and &.

const OBJECT_META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]

const DEFAULT_ORDER = ['kind', 'apiVersion', 'metadata', 'spec', 'status']
const TOP_LEVEL_ORDER: Record<string, string[]> = {
  ConfigMap: ['kind', 'apiVersion', 'metadata', 'immutable', 'data', 'binaryData'],
  ServiceAccount: ['kind', 'apiVersion', 'metadata', 'secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Event: [
    'kind',
    'apiVersion',
    'metadata',
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ],
}

function reorder(obj: Record<string, any>, order: string[]): Record<string, any> {
  const out: Record<string, any> = {}
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k]
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k]
  return out
}

/** ObjectMeta in struct order, dropping empty maps/lists (omitempty). */
export function orderMeta(meta: Record<string, any>): Record<string, any> {
  const m: Record<string, any> = {}
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v) && v.length === 0) continue
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && k !== 'fieldsV1') continue
    m[k] = v
  }
  return reorder(m, OBJECT_META_ORDER)
}

export function sortKeysDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeysDeep)
  if (v && typeof v === 'object') {
    const out: Record<string, any> = {}
    for (const k of Object.keys(v).sort()) out[k] = sortKeysDeep(v[k])
    return out
  }
  return v
}

/** Normalizes an object to the key order the real server emits. */
export function canonical(obj: Record<string, any>, builtin: boolean): Record<string, any> {
  const withMeta = obj.metadata ? {...obj, metadata: orderMeta(obj.metadata)} : obj
  if (!builtin) return sortKeysDeep(withMeta)
  return reorder(withMeta, TOP_LEVEL_ORDER[obj.kind] ?? DEFAULT_ORDER)
}

const HTML_CHARS = /[<>&\u2028\u2029]/
const HTML_CHARS_G = /[<>&\u2028\u2029]/g
const HTML_ESC: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/** JSON.stringify with encoding/json's HTML escaping (indent for ?pretty=true). */
export function encode(v: unknown, indent?: number): string {
  const s = JSON.stringify(v, null, indent)
  return HTML_CHARS.test(s) ? s.replace(HTML_CHARS_G, (c) => HTML_ESC[c] ?? c) : s
}

/** Drops kind/apiVersion: list items of built-in kinds carry no TypeMeta. */
export function withoutTypeMeta(obj: Record<string, any>): Record<string, any> {
  const {kind: _k, apiVersion: _a, ...rest} = obj
  return rest
}

export function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]))
}

/** RFC 3339 in UTC with whole seconds, as metav1.Time marshals. */
export function rfc3339(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
