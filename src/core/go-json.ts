/**
 * Go's encoding/json as the Go tools show it to users: the type names in its UnmarshalTypeError and json.Marshal's
 * text (golang/go src/encoding/json/decode.go and encode.go). Multus, kubectl and validation messages quote
 * them, and kubectl's jsonpath prints maps and lists with json.Marshal.
 */
import {asGoString, sortedKeys} from './go-strings.js'

/**
 * The name for a decoded JSON value (`json: cannot unmarshal <type> into ...`): "string", "number", "bool",
 * "array", "object". Go never reports a null (it decodes into any type), so "null" is only what callers that
 * mention one show.
 */
export function goJsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return 'object'
  if (typeof value === 'boolean') return 'bool'
  return typeof value
}

/** A decoded JSON object (Go's map[string]interface{}): not null, not an array. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** json.Marshal of a decoded value: compact, map keys in Go's order, HTML-safe strings. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return goJsonString(v)
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null' // JS and Go agree on number form
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`
  const m = v as Record<string, unknown>
  return `{${sortedKeys(m)
    .map((k) => `${goJsonString(k)}:${goJson(m[k])}`)
    .join(',')}}`
}

/**
 * A JSON string as encode.go writes it: <, >, &, U+2028 and U+2029 escaped (HTMLEscape is on by default), and an
 * unpaired surrogate as the U+FFFD that Go's decoder made of it (JSON.stringify would write `\ud800`).
 */
function goJsonString(s: string): string {
  return JSON.stringify(asGoString(s)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
