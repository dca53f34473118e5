/**
 * What kubectl refuses in a decoded document before anything else happens: apimachinery's unstructured decoder
 * wants a mapping with a non-empty string `kind`, and decodes `apiVersion` and `metadata` into typed Go structs,
 * so a boolean label value (`enabled: yes`) or a numeric annotation fails there. The wording is kubectl's
 * (`kubectl label --local -f FILE probe- -o json` shows it), so users can search for it.
 */

import {goJson, goJsonType} from '../core/go-json.js'

const STRING_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion']
// metav1.Time fields decode from strings too.
STRING_FIELDS.push('creationTimestamp', 'deletionTimestamp')
const STRING_MAPS = ['labels', 'annotations']

/** The document as kubectl quotes it (json.Marshal of the decoded map); shortened for messages. */
function shownJson(v: unknown): string {
  const text = goJson(v)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** kubectl's error for this decoded document (one resource, or one item of a List), or undefined when it decodes. */
export function kubectlDecodeProblem(o: unknown): {message: string; pointer: string} | undefined {
  // A null item of a List: Go decodes null into a map without error, so kubectl finds no kind in it.
  if (o === null) return {message: `Object 'Kind' is missing in 'null'`, pointer: ''}
  if (typeof o !== 'object' || Array.isArray(o)) {
    return {message: `json: cannot unmarshal ${goJsonType(o)} into Go value of type unstructured.detector`, pointer: ''}
  }
  const r = o as Record<string, unknown>
  if (typeof r.kind !== 'string' || r.kind === '') {
    return {message: `Object 'Kind' is missing in '${shownJson(r)}'`, pointer: ''}
  }
  if (r.apiVersion !== undefined && r.apiVersion !== null && typeof r.apiVersion !== 'string') {
    return {message: unmarshal(r.apiVersion, 'metadataOnlyObject.apiVersion', 'string'), pointer: '/apiVersion'}
  }
  const m = r.metadata
  if (m === undefined || m === null) return undefined
  if (typeof m !== 'object' || Array.isArray(m)) {
    return {message: unmarshal(m, 'metadataOnlyObject.metadata', 'v1.ObjectMeta'), pointer: '/metadata'}
  }
  const meta = m as Record<string, unknown>
  for (const field of STRING_FIELDS) {
    const v = meta[field]
    if (v !== undefined && v !== null && typeof v !== 'string') return fieldProblem(v, field, 'string', [field])
  }
  for (const field of STRING_MAPS) {
    const v = meta[field]
    if (v === undefined || v === null) continue
    if (typeof v !== 'object' || Array.isArray(v)) return fieldProblem(v, field, 'map[string]string', [field])
    for (const key in v) {
      const value = (v as Record<string, unknown>)[key]
      if (value !== null && typeof value !== 'string') return fieldProblem(value, field, 'string', [field, key])
    }
  }
  return undefined
}

function fieldProblem(v: unknown, field: string, type: string, path: string[]): {message: string; pointer: string} {
  const pointer = ['', 'metadata', ...path].map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')
  return {message: unmarshal(v, `ObjectMeta.metadata.${field}`, type), pointer}
}

/** encoding/json's UnmarshalTypeError text. */
function unmarshal(v: unknown, field: string, type: string): string {
  return `json: cannot unmarshal ${goJsonType(v)} into Go struct field ${field} of type ${type}`
}
