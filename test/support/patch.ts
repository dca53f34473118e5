// Patch formats: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a strategic merge patch
// covering the list merge keys and directives kubectl sends for the built-in kinds served here.

import {deepCopy, deepEqual} from './serialize.js'

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v)

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return deepCopy(patch)
  const out: Record<string, any> = isObj(target) ? {...target} : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

// ---------- JSON patch ----------

export class PatchError extends Error {}

function parsePointer(p: string): string[] {
  if (p === '') return []
  if (!p.startsWith('/')) throw new PatchError(`JSON pointer must be empty or start with a "/": ${p}`)
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function container(doc: any, tokens: string[], path: string): [any, string] {
  let cur = doc
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)]
    else if (isObj(cur)) cur = cur[t]
    else cur = undefined
    if (cur === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`)
  }
  return [cur, tokens[tokens.length - 1] ?? '']
}

function getAt(doc: any, path: string): any {
  let cur = doc
  for (const t of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(t)]
    else if (isObj(cur)) cur = cur[t]
    else cur = undefined
    if (cur === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`)
  }
  return cur
}

function removeAt(doc: any, path: string): any {
  const tokens = parsePointer(path)
  const [parent, last] = container(doc, tokens, path)
  if (Array.isArray(parent)) {
    const i = Number(last)
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw new PatchError(`remove operation does not apply: doc is missing path: "${path}"`)
    return parent.splice(i, 1)[0]
  }
  if (!isObj(parent) || !(last in parent))
    throw new PatchError(`remove operation does not apply: doc is missing path: "${path}"`)
  const v = parent[last]
  delete parent[last]
  return v
}

function addAt(doc: any, path: string, value: any, replace: boolean): any {
  const tokens = parsePointer(path)
  if (!tokens.length) return value
  const [parent, last] = container(doc, tokens, path)
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last)
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length))
      throw new PatchError(`unable to access invalid index: ${last}`)
    if (replace) parent[i] = value
    else parent.splice(i, 0, value)
  } else if (isObj(parent)) {
    if (replace && !(last in parent))
      throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`)
    parent[last] = value
  } else {
    throw new PatchError(`doc is missing path: "${path}": missing value`)
  }
  return doc
}

/** Applies RFC 6902 operations; throws PatchError (the server answers 422). */
export function jsonPatch(docIn: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  let doc = deepCopy(docIn)
  for (const op of ops as any[]) {
    const path: string = op.path ?? ''
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, deepCopy(op.value), false)
        break
      case 'replace':
        doc = addAt(doc, path, deepCopy(op.value), true)
        break
      case 'remove':
        removeAt(doc, path)
        break
      case 'move': {
        const v = removeAt(doc, op.from)
        doc = addAt(doc, path, v, false)
        break
      }
      case 'copy':
        doc = addAt(doc, path, deepCopy(getAt(doc, op.from)), false)
        break
      case 'test':
        if (!deepEqual(getAt(doc, path), op.value)) throw new PatchError(`testing value ${path} failed: test failed`)
        break
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`)
    }
  }
  return doc
}

// ---------- strategic merge patch ----------

/** patchMergeKey of list fields in the core/v1 types served here (by field name). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  env: 'name',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
  ownerReferences: 'uid',
  addresses: 'type',
  secrets: 'name',
  resourceClaims: 'name',
  schedulingGates: 'name',
  topologySpreadConstraints: 'topologyKey',
}
/** Primitive lists with patchStrategy=merge. */
const MERGE_PRIMITIVE = new Set(['finalizers'])

export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  return smpMap(isObj(original) ? original : {}, isObj(patch) ? patch : {})
}

function smpMap(orig: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  if (patch.$patch === 'replace') {
    const {$patch: _p, ...rest} = patch
    return stripDirectives(rest)
  }
  if (patch.$patch === 'delete') return {}
  let out: Record<string, any> = {...orig}
  const orders: Record<string, any[]> = {}
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue
    if (k === '$retainKeys') continue
    if (k.startsWith('$setElementOrder/')) {
      orders[k.slice('$setElementOrder/'.length)] = v
      continue
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length)
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: any) => !(v as any[]).includes(x))
      continue
    }
    if (v === null) {
      delete out[k]
      continue
    }
    const cur = out[k]
    if (Array.isArray(v)) {
      out[k] = smpList(k, Array.isArray(cur) ? cur : [], v)
    } else if (isObj(v)) {
      out[k] = smpMap(isObj(cur) ? cur : {}, v)
    } else {
      out[k] = v
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys)
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)))
  }
  for (const [field, order] of Object.entries(orders)) {
    if (Array.isArray(out[field])) out[field] = applyOrder(field, out[field], order)
  }
  return out
}

function smpList(field: string, orig: any[], patch: any[]): any[] {
  const key = MERGE_KEYS[field]
  if (MERGE_PRIMITIVE.has(field)) {
    const out = [...orig]
    for (const v of patch) if (!out.some((x) => deepEqual(x, v))) out.push(v)
    return out
  }
  // merge by key only where the items really are keyed that way (field names repeat across types)
  if (!key || !patch.every((p) => isObj(p) && p[key] !== undefined)) return patch.map(stripDirectives)
  if (patch.some((p) => p.$patch === 'replace')) return patch.filter((p) => p.$patch !== 'replace').map(stripDirectives)
  const out = orig.map((x) => x)
  for (const p of patch) {
    const idx = out.findIndex((x) => isObj(x) && deepEqual(x[key], p[key]))
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1)
    } else if (idx >= 0) {
      out[idx] = smpMap(out[idx], p)
    } else {
      out.push(stripDirectives(p))
    }
  }
  return out
}

function applyOrder(field: string, list: any[], order: any[]): any[] {
  const key = MERGE_KEYS[field]
  const pos = (x: any) => order.findIndex((o) => (key && isObj(o) ? deepEqual(o[key], x?.[key]) : deepEqual(o, x)))
  const known = list.filter((x) => pos(x) >= 0).sort((a, b) => pos(a) - pos(b))
  return [...known, ...list.filter((x) => pos(x) < 0)]
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives)
  if (!isObj(v)) return v
  const out: Record<string, any> = {}
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue
    out[k] = stripDirectives(x)
  }
  return out
}
