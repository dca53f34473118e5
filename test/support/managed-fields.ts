// metadata.managedFields as kube-apiserver keeps them (k8s.io/apimachinery/pkg/util/managedfields): kubectl's
// client-side and server-side apply read them.

import {deepCopy, deepEqual, rfc3339} from './serialize.js'

export type FieldsTree = Record<string, any>

export function managedEntry(
  manager: string,
  operation: string,
  apiVersion: string,
  time: string,
  fieldsV1: FieldsTree,
  subresource?: string,
): Record<string, any> {
  const e: Record<string, any> = {manager, operation, apiVersion, time, fieldsType: 'FieldsV1', fieldsV1}
  if (subresource) e.subresource = subresource
  return e
}

/** The FieldsV1 set of an object: nested "f:<field>" maps; lists are atomic. */
export function fieldsOf(obj: Record<string, any>, builtin: boolean, statusOnly: boolean): FieldsTree {
  const out: FieldsTree = {}
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue
    if (statusOnly !== (k === 'status')) continue
    if (k === 'metadata') {
      const m: FieldsTree = {}
      for (const mk of ['labels', 'annotations']) {
        if (v?.[mk] && Object.keys(v[mk]).length)
          m[`f:${mk}`] = {'.': {}, ...Object.fromEntries(Object.keys(v[mk]).map((x) => [`f:${x}`, {}]))}
      }
      for (const mk of ['finalizers', 'ownerReferences']) if (v?.[mk]?.length) m[`f:${mk}`] = {}
      if (Object.keys(m).length) out['f:metadata'] = m
      continue
    }
    out[`f:${k}`] = tree(v, !builtin)
  }
  return out
}

export function tree(v: unknown, dot: boolean): FieldsTree {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
  const t: FieldsTree = dot ? {'.': {}} : {}
  for (const [k, x] of Object.entries(v)) t[`f:${k}`] = tree(x, dot)
  return t
}

/** Fields of `next` whose values differ from `old`. */
export function changedFields(
  old: Record<string, any>,
  next: Record<string, any>,
  builtin: boolean,
  statusOnly: boolean,
): FieldsTree {
  const all = fieldsOf(next, builtin, statusOnly)
  const prune = (t: FieldsTree, o: any, n: any): FieldsTree => {
    const out: FieldsTree = {}
    for (const [fk, sub] of Object.entries(t)) {
      if (fk === '.') continue
      const k = fk.slice(2)
      const ov = o?.[k]
      const nv = n?.[k]
      if (deepEqual(ov, nv)) continue
      const isMap = nv && typeof nv === 'object' && !Array.isArray(nv)
      out[fk] = isMap && ov && typeof ov === 'object' && !Array.isArray(ov) ? prune(sub, ov, nv) : sub
      if (isMap && '.' in sub && !(ov && typeof ov === 'object')) out[fk]['.'] = {}
    }
    return out
  }
  return prune(all, old, next)
}

export function unionFields(a: FieldsTree, b: FieldsTree): FieldsTree {
  const out: FieldsTree = {...a}
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? unionFields(out[k], v) : v
  return out
}

/** Drops fields that no longer exist in the object. */
export function keepExisting(t: FieldsTree, obj: any): FieldsTree {
  const out: FieldsTree = {}
  for (const [fk, sub] of Object.entries(t)) {
    if (fk === '.') {
      out[fk] = sub
      continue
    }
    const k = fk.slice(2)
    if (!obj || typeof obj !== 'object' || !(k in obj)) continue
    out[fk] = Object.keys(sub).length ? keepExisting(sub, obj[k]) : sub
  }
  return out
}

export function updateManagedFields(
  entries: any[] | undefined,
  old: Record<string, any>,
  next: Record<string, any>,
  manager: string,
  operation: string,
  apiVersion: string,
  statusOnly: boolean,
  builtin: boolean,
): any[] {
  const list = deepCopy(entries ?? []).map((e: any) => ({...e, fieldsV1: keepExisting(e.fieldsV1 ?? {}, next)}))
  const changed = changedFields(old, next, builtin, statusOnly)
  if (Object.keys(changed).length) {
    const sub = statusOnly ? 'status' : undefined
    const i = list.findIndex(
      (e: any) => e.manager === manager && e.operation === operation && (e.subresource ?? undefined) === sub,
    )
    const time = rfc3339()
    if (i >= 0) list[i] = {...list[i], apiVersion, time, fieldsV1: unionFields(list[i].fieldsV1, changed)}
    else list.push(managedEntry(manager, operation, apiVersion, time, changed, sub))
  }
  return list.filter((e: any) => Object.keys(e.fieldsV1 ?? {}).length)
}
