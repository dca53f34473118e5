/**
 * Go's view of the values a template sees (kubectl hands it the object decoded as map[string]interface{}:
 * JSON integers int64, other numbers float64) and fmt's printing of them (golang/go src/fmt/print.go).
 */
import {formatFloat, goFloat, isGoInt} from '../core/goformat.js'
import {isJsonObject} from '../core/go-json.js'
import {sortedKeys} from '../core/go-strings.js'

/** Go's invalid reflect.Value: a missing map key, printed `<no value>`. */
export const MISSING: unique symbol = Symbol('no value')

/** The "no previous command" marker of a pipeline's first command (Go's missingVal). */
export const NO_FINAL: unique symbol = Symbol('no final')

/** A value held in an interface{} (a map's or slice's element): null is a nil interface. */
export class Boxed {
  constructor(readonly v: unknown) {}
}

/** A number that is not from the data: `int` constants and results (len), runes and bytes. */
export class GoNum {
  constructor(
    readonly value: number,
    readonly type: 'int' | 'float64' | 'uint8' | 'int32',
  ) {}
}

export type JsonMap = Record<string, unknown>

/** A decoded JSON object, not one of this engine's own number values. */
export function isMap(v: unknown): v is JsonMap {
  return isJsonObject(v) && !(v instanceof GoNum) && !(v instanceof Boxed)
}

/** The value inside an interface (Go's indirectInterface); a nil interface becomes MISSING. */
export function unbox(v: unknown): unknown {
  if (v instanceof Boxed) return v.v === null || v.v === undefined ? MISSING : v.v
  return v === null || v === undefined ? MISSING : v
}

export type NumberKind = 'int' | 'float' | undefined

/** A number's Go kind and value, for fmt verbs and comparisons. */
export function numberOf(v: unknown): {kind: NumberKind; value: number; type: string} | undefined {
  if (typeof v === 'number')
    return isGoInt(v) ? {kind: 'int', value: v, type: 'int64'} : {kind: 'float', value: v, type: 'float64'}
  if (v instanceof GoNum) return {kind: v.type === 'float64' ? 'float' : 'int', value: v.value, type: v.type}
  return undefined
}

/** Go's type name, as %T and error messages print it. */
export function typeName(v: unknown): string {
  if (v instanceof Boxed) return 'interface {}'
  if (v === MISSING || v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  const n = numberOf(v)
  if (n) return n.type
  if (Array.isArray(v)) return '[]interface {}'
  return 'map[string]interface {}'
}

/** fmt's %v: `map[a:b c:d]`, `[a b]`, `<nil>`, numbers as Go prints int64 and float64. */
export function sprintValue(v: unknown): string {
  v = v instanceof Boxed ? v.v : v
  if (v === null || v === undefined || v === MISSING) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  const n = numberOf(v)
  if (n) return n.kind === 'float' ? goFloat(n.value) : String(n.value === 0 ? 0 : n.value)
  if (Array.isArray(v)) return `[${v.map(sprintValue).join(' ')}]`
  const m = v as JsonMap
  return `map[${sortedKeys(m)
    .map((k) => `${k}:${sprintValue(m[k])}`)
    .join(' ')}]`
}

/** fmt.Sprint: operands are separated by a space when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = ''
  args.forEach((a, i) => {
    const isString = (x: unknown) => typeof (x instanceof Boxed ? x.v : x) === 'string'
    if (i > 0 && !isString(a) && !isString(args[i - 1])) out += ' '
    out += sprintValue(a)
  })
  return out
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: unknown[]): string {
  return args.map(sprintValue).join(' ') + '\n'
}

/** strconv.Quote: Go's escapes for control characters, printable Unicode as is. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    const simple: Record<number, string> = {7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r'}
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (simple[cp]) out += simple[cp]
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return out + '"'
}

/** fmt's %e, %f, %g family for a float64. */
export function formatFloatVerb(v: number, verb: string, prec: number | undefined): string {
  const lower = verb.toLowerCase() as 'e' | 'f' | 'g'
  const p = prec ?? (lower === 'g' ? -1 : 6)
  const upper = verb === 'E' || verb === 'G'
  return formatFloat(v, (upper ? lower.toUpperCase() : lower) as 'e' | 'E' | 'f' | 'g' | 'G', p)
}
