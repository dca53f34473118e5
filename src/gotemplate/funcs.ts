/**
 * text/template's builtin functions (golang/go src/text/template/funcs.go) and the two kubectl adds
 * (kubernetes/cli-runtime pkg/printers/template.go: exists, base64decode), with Go's argument rules and messages.
 */
import type {Arg, Command} from './parse.js'
import {argString} from './parse.js'
import {sprintf} from './printf.js'
import {Boxed, GoNum, isMap, MISSING, NO_FINAL, numberOf, sprint, sprintln, typeName, unbox} from './values.js'

/** What a function call needs of the executor (exec.ts): errors at the current node, and argument values. */
export interface Executor {
  fail(message: string): never
  at(node: Arg | Command): void
  evalArgValue(dot: unknown, node: Arg): unknown
}

type Kind = 'value' | 'any' | 'string'
interface Builtin {
  /** How the fixed parameters are evaluated (reflect.Value, interface{} or string) ... */
  params: Kind[]
  /** ... and the variadic one, if the function has one. */
  rest?: Kind
  run: (args: unknown[]) => unknown
}

class CallError extends Error {}
const err = (message: string): never => {
  throw new CallError(message)
}

const compare = (name: 'lt' | 'le' | 'gt' | 'ge'): Builtin => ({
  params: ['value', 'value'],
  run: ([a, b]) => {
    const less = lessThan(a, b)
    if (name === 'lt') return less
    if (name === 'ge') return !less
    const equal = equals(a, [b])
    return name === 'le' ? less || equal : !(less || equal)
  },
})

const BUILTINS: Record<string, Builtin> = {
  and: {params: ['value'], rest: 'value', run: () => undefined}, // short-circuits: see callBuiltin
  or: {params: ['value'], rest: 'value', run: () => undefined},
  not: {params: ['value'], run: ([a]) => !isTrue(unbox(a))},
  len: {params: ['value'], run: ([a]) => new GoNum(length(a), 'int')},
  index: {params: ['value'], rest: 'value', run: ([item, ...rest]) => index(item, rest)},
  slice: {params: ['value'], rest: 'value', run: ([item, ...rest]) => slice(item, rest)},
  eq: {params: ['value'], rest: 'value', run: ([a, ...rest]) => equals(a, rest)},
  ne: {params: ['value', 'value'], run: ([a, b]) => !equals(a, [b])},
  lt: compare('lt'),
  le: compare('le'),
  gt: compare('gt'),
  ge: compare('ge'),
  print: {params: [], rest: 'any', run: (args) => sprint(args)},
  println: {params: [], rest: 'any', run: (args) => sprintln(args)},
  printf: {params: ['string'], rest: 'any', run: ([f, ...args]) => sprintf(f as string, args)},
  html: {params: [], rest: 'any', run: (args) => htmlEscape(evalArgs(args))},
  js: {params: [], rest: 'any', run: (args) => jsEscape(evalArgs(args))},
  urlquery: {params: [], rest: 'any', run: (args) => queryEscape(evalArgs(args))},
  call: {params: ['value'], rest: 'value', run: ([fn]) => err(unbox(fn) === MISSING ? 'call of nil' : '')},
  exists: {params: ['any'], rest: 'any', run: ([item, ...rest]) => exists(item, rest)},
  base64decode: {params: ['string'], run: ([s]) => base64decode(s as string)},
}

export const FUNCTION_NAMES = new Set(Object.keys(BUILTINS))

/** Evaluates a function call the way exec.go evalCall does: argument count, argument types, then the call. */
export function callBuiltin(
  ex: Executor,
  name: string,
  dot: unknown,
  node: Arg | Command,
  args: Arg[],
  final: unknown,
) {
  const fn = BUILTINS[name]
  const numIn = args.length + (final === NO_FINAL ? 0 : 1)
  const fixed = fn.params.length
  if (fn.rest && numIn < fixed) ex.fail(`wrong number of args for ${name}: want at least ${fixed} got ${args.length}`)
  if (!fn.rest && numIn !== fixed) ex.fail(`wrong number of args for ${name}: want ${fixed} got ${numIn}`)
  const kindOf = (i: number) => (i < fixed ? fn.params[i] : fn.rest!)
  if (name === 'and' || name === 'or') {
    let value: unknown
    for (const a of args) {
      value = ex.evalArgValue(dot, a)
      if (isTrue(unbox(value)) === (name === 'or')) return value
    }
    return final === NO_FINAL ? value : final
  }
  const values = args.map((a, i) => evalArg(ex, dot, a, kindOf(i)))
  if (final !== NO_FINAL) values.push(convert(ex, final, kindOf(values.length)))
  ex.at(node)
  try {
    return fn.run(values)
  } catch (error) {
    if (!(error instanceof CallError)) throw error
    if (name === 'call')
      ex.fail(`error calling call: non-function ${argString(args[0])} of type ${typeName(values[0])}`)
    ex.fail(`error calling ${name}: ${error.message}`)
  }
}

function evalArg(ex: Executor, dot: unknown, node: Arg, kind: Kind): unknown {
  if (node.t === 'nil') {
    ex.at(node)
    if (kind === 'string') ex.fail('cannot assign nil to string')
    return MISSING
  }
  if (kind === 'string' && (node.t === 'number' || node.t === 'bool' || node.t === 'dot')) {
    if (node.t !== 'dot') {
      ex.at(node)
      ex.fail(`expected string; found ${argString(node)}`)
    }
  }
  return convert(ex, ex.evalArgValue(dot, node), kind)
}

/** exec.go validateType: an interface{} holding a string passes as a string; anything else is an error. */
function convert(ex: Executor, value: unknown, kind: Kind): unknown {
  if (kind !== 'string') return value
  if (value === MISSING) ex.fail('invalid value; expected string')
  const inner = value instanceof Boxed ? value.v : value
  if (typeof inner === 'string') return inner
  ex.fail(`wrong type for value; expected string; got ${typeName(inner === null ? value : inner)}`)
}

/** exec.go isTrue: empty strings, maps and slices, zero numbers, false and nil are false. */
export function isTrue(v: unknown): boolean {
  if (v === MISSING || v === null || v === undefined) return false
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0
  if (typeof v === 'boolean') return v
  const n = numberOf(v)
  if (n) return n.value !== 0
  if (isMap(v)) return Object.keys(v).length > 0
  return true
}

function length(item: unknown): number {
  if (item instanceof Boxed && (item.v === null || item.v === undefined)) err('len of nil pointer')
  const v = item instanceof Boxed ? item.v : item
  if (v === MISSING) err('reflect: call of reflect.Value.Type on zero Value')
  if (typeof v === 'string') return Buffer.byteLength(v)
  if (Array.isArray(v)) return v.length
  if (isMap(v)) return Object.keys(v).length
  return err(`len of type ${typeName(v)}`)
}

function indexArg(index: unknown, cap: number): number {
  const v = unbox(index)
  if (v === MISSING) err('cannot index slice/array with nil')
  const n = numberOf(v)
  if (!n || n.kind !== 'int') err(`cannot index slice/array with type ${typeName(v)}`)
  if (n!.value < 0 || n!.value > cap) err(`index out of range: ${n!.value}`)
  return n!.value
}

function index(item: unknown, indexes: unknown[]): unknown {
  let v = unbox(item)
  if (v === MISSING) err('index of untyped nil')
  for (const i of indexes) {
    if (v instanceof Boxed) {
      if (v.v === null || v.v === undefined) err('index of nil pointer')
      v = v.v
    }
    if (typeof v === 'string' || Array.isArray(v)) {
      const bytes = typeof v === 'string' ? Buffer.from(v) : undefined
      const len = bytes ? bytes.length : (v as unknown[]).length
      const x = indexArg(i, len)
      if (x === len) err('reflect: slice index out of range')
      v = bytes ? new GoNum(bytes[x], 'uint8') : new Boxed((v as unknown[])[x])
    } else if (isMap(v)) {
      const key = unbox(i)
      if (key === MISSING) err('value is nil; should be of type string')
      if (typeof key !== 'string') err(`value has type ${typeName(key)}; should be string`)
      v = new Boxed(Object.hasOwn(v, key as string) ? v[key as string] : null)
    } else err(`can't index item of type ${typeName(v)}`)
  }
  return v
}

function slice(item: unknown, indexes: unknown[]): unknown {
  const v = unbox(item)
  if (v === MISSING) err('slice of untyped nil')
  if (indexes.length > 3) err(`too many slice indexes: ${indexes.length}`)
  let len: number
  if (typeof v === 'string') {
    if (indexes.length === 3) err('cannot 3-index slice a string')
    len = Buffer.byteLength(v)
  } else if (Array.isArray(v)) len = v.length
  else return err(`can't slice item of type ${typeName(v)}`)
  const idx = [0, len, len]
  indexes.forEach((x, i) => (idx[i] = indexArg(x, len)))
  if (idx[0] > idx[1]) err(`invalid slice index: ${idx[0]} > ${idx[1]}`)
  if (indexes.length === 3 && idx[1] > idx[2]) err(`invalid slice index: ${idx[1]} > ${idx[2]}`)
  if (typeof v === 'string') return Buffer.from(v).subarray(idx[0], idx[1]).toString()
  return (v as unknown[]).slice(idx[0], idx[1])
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other'

function basicKind(v: unknown): BasicKind {
  if (v === MISSING) return 'invalid'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'string'
  const n = numberOf(v)
  if (n) return n.kind === 'float' ? 'float' : 'int'
  return 'other'
}

function scalar(v: unknown): unknown {
  const n = numberOf(v)
  return n ? n.value : v
}

function equals(first: unknown, others: unknown[]): boolean {
  const a = unbox(first)
  const k1 = basicKind(a)
  if (others.length === 0) err('missing argument for comparison')
  for (const other of others) {
    const b = unbox(other)
    const k2 = basicKind(b)
    if (k1 !== k2) {
      if (a !== MISSING && b !== MISSING) err('incompatible types for comparison')
      continue
    }
    if (k1 === 'other') err(sprintf('non-comparable type %s: %v', [b, typeName(b)]))
    if (k1 === 'invalid' || scalar(a) === scalar(b)) return true
  }
  return false
}

function lessThan(x: unknown, y: unknown): boolean {
  const a = unbox(x)
  const b = unbox(y)
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') err('invalid type for comparison')
  if (k1 !== k2) err('incompatible types for comparison')
  if (k1 === 'bool') err('invalid type for comparison')
  if (k1 === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0
  return (scalar(a) as number) < (scalar(b) as number)
}

/** funcs.go evalArgs: one string as is, otherwise fmt.Sprint with `<no value>` for nil. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof unbox(args[0]) === 'string') return unbox(args[0]) as string
  return sprint(args.map((a) => (unbox(a) === MISSING ? '<no value>' : a)))
}

function htmlEscape(s: string): string {
  const map: Record<string, string> = {
    '"': '&#34;',
    "'": '&#39;',
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '\0': '\uFFFD',
  }
  return s.replace(/["'&<>\0]/g, (c) => map[c])
}

function jsEscape(s: string): string {
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  return s.replace(/[\\'"<>&=\x00-\x1f\x7f]/g, (c) => ('\\\'"'.includes(c) ? `\\${c}` : hex(c)))
}

function queryEscape(s: string): string {
  return Array.from(Buffer.from(s))
    .map((b) => {
      const c = String.fromCharCode(b)
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c
      return c === ' ' ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

/** kubectl's exists: whether `index` would find something that is not nil. */
function exists(item: unknown, indices: unknown[]): boolean {
  let v: unknown = item
  for (const i of indices) {
    const inner = unbox(v)
    if (inner === MISSING) return false
    const key = unbox(i)
    if (typeof inner === 'string' || Array.isArray(inner)) {
      const n = numberOf(key)
      const len = typeof inner === 'string' ? Buffer.byteLength(inner) : inner.length
      if (!n || n.kind !== 'int' || n.value < 0 || n.value >= len) return false
      v = typeof inner === 'string' ? new GoNum(Buffer.from(inner)[n.value], 'uint8') : inner[n.value]
    } else if (isMap(inner)) {
      if (typeof key !== 'string') return false
      v = Object.hasOwn(inner, key) ? inner[key] : null
    } else return false
  }
  return unbox(v) !== MISSING
}

const BASE64 = /[A-Za-z0-9+/]/

/** Go's base64.StdEncoding.DecodeString (encoding/base64 decodeQuantum): padding required, \r and \n skipped. */
function base64decode(s: string): string {
  const src = Buffer.from(s)
  const bad = base64Error(src)
  if (bad !== undefined) err(`base64 decode failed: illegal base64 data at input byte ${bad}`)
  return Buffer.from(src.toString('latin1').replace(/[\r\n]/g, ''), 'base64').toString('utf8')
}

/** Where Go's decoder reports corrupt input, or undefined when the input decodes. */
function base64Error(src: Buffer): number | undefined {
  const newline = (i: number) => src[i] === 0x0a || src[i] === 0x0d
  let si = 0
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? undefined : si - j
      const c = String.fromCharCode(src[si++])
      if (BASE64.test(c)) continue
      if (newline(si - 1)) {
        j--
        continue
      }
      if (c !== '=' || j < 2) return si - 1
      if (j === 2) {
        while (si < src.length && newline(si)) si++
        if (si === src.length) return src.length
        if (src[si] !== 0x3d) return si - 1
        si++
      }
      while (si < src.length && newline(si)) si++
      return si < src.length ? si : undefined
    }
  }
}
