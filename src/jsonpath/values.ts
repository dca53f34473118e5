/**
 * Go's view of decoded JSON, which kubectl's jsonpath printing and filter comparisons depend on.
 *
 * kubectl hands the engine an "unstructured" object: JSON integers become int64, other numbers float64, objects
 * map[string]interface{}. In JavaScript an integral number is taken as int64 (1.0 and 1 cannot be told apart after
 * JSON.parse), except beyond int64's range, where Go's decoder also falls back to float64.
 */

import {goFloat, goNumber, isGoInt} from '../core/goformat.js'
import {goJson, isJsonObject} from '../core/go-json.js'
import {sortedKeys} from '../core/go-strings.js'

export {goJson, isGoInt}

/** A float literal written in a template with an integral value (`1.0`): Go keeps it a float64, unlike `1`. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/**
 * The current object while a range visits a null element (or when the data itself is null): Go's invalid
 * reflect.Value, which kubectl prints as `<no value>` where a real null prints `null`.
 */
export const NO_VALUE: unique symbol = Symbol('no value')

export type JsonMap = Record<string, unknown>

/** A decoded JSON object, not one of this engine's own number values. */
export function isMap(v: unknown): v is JsonMap {
  return isJsonObject(v) && !(v instanceof GoFloat)
}

/** The Go type name client-go puts in "... is not array or slice" errors. */
export function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64'
  if (v instanceof GoFloat) return 'float64'
  if (Array.isArray(v)) return '[]interface {}'
  return 'map[string]interface {}'
}

/** A string's UTF-8 bytes: what Go yields when `*` or `..` walks into a string. */
export function utf8Bytes(s: string): number[] {
  return Array.from(new TextEncoder().encode(s))
}

/** fmt's %v (what custom-columns prints): `map[a:b c:d]`, `[a b]`, `<nil>`, strings raw. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (v === NO_VALUE) return '<invalid reflect.Value>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return goNumber(v)
  if (typeof v === 'boolean') return String(v)
  if (v instanceof GoFloat) return goFloat(v.value)
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`
  const m = v as JsonMap
  return `map[${sortedKeys(m)
    .map((k) => `${k}:${goSprint(m[k])}`)
    .join(' ')}]`
}

/** One result as `kubectl -o jsonpath` prints it: maps and arrays as JSON, null as `null`, scalars like fmt. */
export function printResult(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (v === NO_VALUE) return '<no value>'
  if (typeof v === 'object' && !(v instanceof GoFloat)) return goJson(v)
  return goSprint(v)
}
