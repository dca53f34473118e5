import {ResourceError} from '../core/errors.js'
import {isJsonObject} from '../core/go-json.js'

type Json = unknown

/** RFC 7386 JSON merge patch: maps merge, null removes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isJsonObject(patch)) return patch
  const out: Record<string, Json> = isJsonObject(target) ? {...target} : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}

/** RFC 6901 pointer → path segments (`~1` is `/`, `~0` is `~`). */
function segments(pointer: unknown, index: number): string[] {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/')))
    throw new ResourceError(`json patch operation ${index}: path ${JSON.stringify(pointer)} is not a JSON pointer`)
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function parentOf(doc: Json, path: string[], op: number): {parent: Json; key: string} {
  let node = doc
  for (const s of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(s)] : isJsonObject(node) ? node[s] : undefined
    if (node === undefined)
      throw new ResourceError(`json patch operation ${op}: /${path.join('/')} does not exist (no ${s})`)
  }
  return {parent: node, key: path[path.length - 1]}
}

function read(doc: Json, path: string[], op: number): Json {
  if (path.length === 0) return doc
  const {parent, key} = parentOf(doc, path, op)
  const value = Array.isArray(parent) ? parent[Number(key)] : isJsonObject(parent) ? parent[key] : undefined
  if (value === undefined) throw new ResourceError(`json patch operation ${op}: /${path.join('/')} does not exist`)
  return value
}

function remove(doc: Json, path: string[], op: number): Json {
  const value = read(doc, path, op)
  const {parent, key} = parentOf(doc, path, op)
  if (Array.isArray(parent)) parent.splice(Number(key), 1)
  else delete (parent as Record<string, Json>)[key]
  return value
}

function add(doc: Json, path: string[], value: Json, op: number, replace: boolean): Json {
  if (path.length === 0) return value
  const {parent, key} = parentOf(doc, path, op)
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key)
    if (!Number.isInteger(i) || i < 0 || i > parent.length - (replace ? 1 : 0))
      throw new ResourceError(`json patch operation ${op}: index ${key} is out of range`)
    parent.splice(i, replace ? 1 : 0, value)
  } else if (isJsonObject(parent)) {
    if (replace && !(key in parent))
      throw new ResourceError(`json patch operation ${op}: /${path.join('/')} does not exist`)
    parent[key] = value
  } else throw new ResourceError(`json patch operation ${op}: the parent of /${path.join('/')} is not an object`)
  return doc
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test; the first failing operation stops the patch. */
export function applyJsonPatch(document: Json, operations: unknown[]): Json {
  let doc = structuredClone(document)
  operations.forEach((raw, op) => {
    if (!isJsonObject(raw)) throw new ResourceError(`json patch operation ${op} is not an object`)
    const path = segments(raw.path, op)
    const clone = () => structuredClone(raw.value)
    switch (raw.op) {
      case 'add':
        doc = add(doc, path, clone(), op, false)
        break
      case 'replace':
        doc = add(doc, path, clone(), op, true)
        break
      case 'remove':
        remove(doc, path, op)
        break
      case 'move':
        doc = add(doc, path, remove(doc, segments(raw.from, op), op), op, false)
        break
      case 'copy':
        doc = add(doc, path, structuredClone(read(doc, segments(raw.from, op), op)), op, false)
        break
      case 'test':
        if (JSON.stringify(read(doc, path, op)) !== JSON.stringify(raw.value))
          throw new ResourceError(`json patch operation ${op}: test failed at /${path.join('/')}`)
        break
      default:
        throw new ResourceError(`json patch operation ${op}: unknown op ${JSON.stringify(raw.op)}`)
    }
  })
  return doc
}
