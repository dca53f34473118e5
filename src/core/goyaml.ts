import jsyaml from 'js-yaml'
import {isJsonObject} from './go-json.js'
import {escapePointer} from './json-pointer.js'
import type {ScalarStyle} from './yaml-scalars.js'

/**
 * YAML read the way kubectl reads it: sigs.k8s.io/yaml decodes with go-yaml v2 (YAML 1.1 scalars, `<<` merges,
 * last duplicate key wins) and converts the result to JSON. js-yaml does the parsing (it accepts the continuation
 * lines go-yaml accepts, e.g. a NAD's `}'` under `config:`, and is linear in the input, anchors included); the
 * schema below resolves plain scalars as go-yaml v2's resolve.go does, and `finish` applies what go-yaml and the
 * JSON conversion do after parsing (merges in document order, NaN/Inf refused).
 */

/** Nesting deeper than this is refused (a finding), so hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 256
/** Alias expansion bound: a "billion laughs" document must fail fast instead of eating memory. */
const MAX_ALIAS_COUNT = 1000
/** Nodes copied out of anchors, all aliases together; beyond this the document counts as an alias bomb too. */
const MAX_ALIAS_NODES = 1_000_000

export type NodeStyle = ScalarStyle | 'block-map' | 'block-seq' | 'flow-map' | 'flow-seq' | 'alias'

/** Where a value sits in the source (offsets into the parsed text). */
export interface NodeInfo {
  /** First character of the value (quote, indicator, bracket, first key or dash). */
  start: number
  /** Just past the value's last character. */
  end: number
  /** The member's key, for mapping values. */
  key?: number
  style: NodeStyle
  /** Column where the line holding a block scalar is indented (-1 otherwise): needed to decode it again. */
  indent: number
}

/** JSON pointer (`/spec/config`) → where the value is. */
export interface PositionMap {
  get(pointer: string): NodeInfo | undefined
}

/** Why a document cannot be decoded, with the offset to point at. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly kind: 'syntax' | 'too-deep' | 'alias-limit',
  ) {
    super(message)
  }
}

// go-yaml v2 resolve.go: the plain scalars looked up in a table, exactly these spellings.
const TABLE = new Map<string, unknown>()
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) TABLE.set(s, true)
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) TABLE.set(s, false)
for (const s of ['', '~', 'null', 'Null', 'NULL']) TABLE.set(s, null)
for (const s of ['.nan', '.NaN', '.NAN']) TABLE.set(s, Number.NaN)
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) TABLE.set(s, Number.POSITIVE_INFINITY)
for (const s of ['-.inf', '-.Inf', '-.INF']) TABLE.set(s, Number.NEGATIVE_INFINITY)

const NOT_RESOLVED = Symbol('string')
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
/** A decimal that strconv.ParseInt(s, 0, 64) reads as itself: no leading 0 (octal), no sign. */
const SHORT_DECIMAL = /^(?:0|[1-9][0-9]*)$/
const INT64_MIN = -(1n << 63n)
const UINT64_MAX = (1n << 64n) - 1n

/** strconv.ParseInt(s, 0, 64), then ParseUint: a BigInt, or undefined when Go refuses it. */
function goParseInt(s: string): bigint | undefined {
  if (!GO_INT.test(s)) return undefined
  const negative = s[0] === '-'
  const signed = s[0] === '-' || s[0] === '+'
  let body = signed ? s.slice(1) : s
  // A leading 0 alone means octal in Go's base-0 syntax.
  if (body.length > 1 && body[0] === '0' && /[0-7]/.test(body[1])) body = '0o' + body.slice(1)
  let v = BigInt(body.toLowerCase())
  if (negative) v = -v
  if (v < INT64_MIN) return undefined
  // Above int64, ParseUint takes over, which refuses a sign.
  if (v > (1n << 63n) - 1n && (signed || v > UINT64_MAX)) return undefined
  return v
}

/** A plain scalar as go-yaml v2 resolves it (timestamps stay strings when decoded into interface{}). */
export function resolveGoPlain(s: string): unknown {
  if (TABLE.has(s)) return TABLE.get(s)
  const c = s.charCodeAt(0)
  if (c === 46 /* . */) {
    // strconv.ParseFloat on the text as it is (no underscores).
    return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : NOT_RESOLVED
  }
  const digit = c >= 48 && c <= 57
  if (!digit && c !== 43 && c !== 45) return NOT_RESOLVED
  const plain = s.includes('_') ? s.replaceAll('_', '') : s
  // Most numbers in manifests are short decimals (ports, sizes): exact as doubles, no BigInt needed.
  if (plain.length <= 15 && SHORT_DECIMAL.test(plain)) return Number(plain)
  const int = goParseInt(plain)
  if (int !== undefined) return Number(int)
  if (GO_FLOAT.test(plain)) {
    const f = Number(plain)
    // ParseFloat reports overflow as an error: the scalar then stays a string.
    if (Number.isFinite(f)) return f === 0 ? 0 : f
  }
  return NOT_RESOLVED
}

/** Per-parse flags the schema raises, so the post-pass only runs when something needs it. */
const seen = {merge: false, nonFinite: false}

// Plain scalars that can resolve to something other than a string start with one of these (resolve.go's table).
const HINT = new Uint8Array(128)
for (const c of '+-.0123456789yYnNtTfFoO~<') HINT[c.charCodeAt(0)] = 1
/** The longest of TABLE's spellings that start with a letter (`false`, `False`, `FALSE`). */
const LONGEST_WORD = 5

/**
 * One implicit type for every non-string plain scalar: js-yaml asks each implicit type in turn, so one resolver
 * (with the value kept for construct) costs a single resolution per scalar. `<<` resolves to itself and is merged
 * by `finish` in document order, as go-yaml v2 does (js-yaml's own merge lets earlier keys win); the private tag
 * keeps js-yaml from merging.
 */
let resolved: unknown
const goScalar = new jsyaml.Type('tag:xctl,2026:go-scalar', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    if (data === null || data.length === 0) return false
    const c = data.charCodeAt(0)
    if (c >= 128 || HINT[c] === 0) return false
    // A word (first character past the digits) resolves only when it is one of TABLE's short spellings: `name`,
    // `namespace`, `networks` and most other keys are settled here without a lookup.
    if (c > 57 && data.length > LONGEST_WORD) return false
    if (data === '<<') {
      resolved = data
      return true
    }
    resolved = resolveGoPlain(data)
    return resolved !== NOT_RESOLVED
  },
  construct: () => {
    const v = resolved
    if (v === '<<') seen.merge = true
    else if (typeof v === 'number' && !Number.isFinite(v)) seen.nonFinite = true
    return v
  },
})

/** `!!int 1` and the like: the same resolution, and what it cannot resolve is go-yaml's error too. */
function explicitType(tag: string, accept: (v: unknown) => boolean): jsyaml.Type {
  return new jsyaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: string | null) => accept(resolveGoPlain(data ?? '')),
    construct: (data: string | null) => resolveGoPlain(data ?? ''),
  })
}

// go-yaml keeps these as the text when decoding into interface{}.
const asText = (tag: string) => new jsyaml.Type(tag, {kind: 'scalar', construct: (data: string | null) => data ?? ''})

const GO_YAML_V2_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [goScalar],
  explicit: [
    explicitType('tag:yaml.org,2002:null', (v) => v === null),
    explicitType('tag:yaml.org,2002:bool', (v) => typeof v === 'boolean'),
    explicitType('tag:yaml.org,2002:int', (v) => typeof v === 'number' && Number.isInteger(v)),
    explicitType('tag:yaml.org,2002:float', (v) => typeof v === 'number'),
    asText('tag:yaml.org,2002:timestamp'),
    asText('tag:yaml.org,2002:binary'),
  ],
})

export interface LoadEventState {
  position: number
  kind: string | null
  result: unknown
}
export type LoadListener = (event: 'open' | 'close', state: LoadEventState) => void

function loadOptions(listener?: LoadListener): jsyaml.LoadOptions {
  // maxDepth (js-yaml 4.3) is missing from @types/js-yaml.
  const options = {schema: GO_YAML_V2_SCHEMA, json: true, maxDepth: MAX_DEPTH + 1, listener}
  return options as jsyaml.LoadOptions
}

/** The options of every plain decode, made once (js-yaml only reads them). */
const PLAIN_LOAD = loadOptions()

/** One YAML document's value as kubectl decodes it (undefined for an empty document). Throws DecodeError. */
export function decodeYaml(text: string): unknown {
  seen.merge = false
  seen.nonFinite = false
  let value: unknown
  try {
    value = jsyaml.load(text, PLAIN_LOAD)
  } catch (error) {
    throw describeLoadError(text, error)
  }
  if (mayHaveNullWord(text) && NULL_KEY.test(text)) refuseNullKeys(text)
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw nonFiniteError(value)
    return value ?? undefined
  }
  // Aliases make shared objects (to copy), merges and NaN/Inf need the go-yaml treatment; otherwise nothing to do.
  if (seen.merge || seen.nonFinite || mayHaveAlias(text)) return finish(value)
  return value
}

// A plain null written where a key goes (cheap test; refuseNullKeys decides on the parsed nodes).
const NULL_KEY = /(?:^|[\s{,?])(?:~|null|Null|NULL)[ \t]*:(?:[\s]|$)/m

/** `~`, `null`, `Null` or `NULL` somewhere: plain substring searches, much faster than NULL_KEY on text without. */
function mayHaveNullWord(text: string): boolean {
  return text.includes('ull') || text.includes('~') || text.includes('ULL')
}

/**
 * sigs.k8s.io/yaml refuses a null mapping key when it converts to JSON; js-yaml would make it the key "null".
 * Found by walking the node tree (only for the rare documents the cheap test lets through).
 */
function refuseNullKeys(text: string): void {
  const {root} = frames(text)
  const stack = root ? [root] : []
  while (stack.length > 0) {
    const frame = stack.pop()!
    if (frame.kind === 'mapping') {
      for (const child of frame.children) {
        if (child.result === null && isKeyFrame(text, child) && contentStart(text, child.open, true) < child.end) {
          const at = contentStart(text, child.open, true)
          const message = 'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>'
          throw new DecodeError(`${message} (a null key; quote it to make it the text "null")`, at, 'syntax')
        }
      }
    }
    stack.push(...frame.children)
  }
}

/** An alias (`*name` where a node may start) is possible: a cheap over-approximation (`&&` in selectors is not one). */
function mayHaveAlias(text: string): boolean {
  return text.includes('*') && /(?:^|[\s[{,])\*[^\s,\]}]/.test(text) && /(?:^|[\s[{,])&[^\s,\]}&]/.test(text)
}

function nonFiniteError(v: number): DecodeError {
  const shown = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'
  const message = `error converting YAML to JSON: json: unsupported value: ${shown} (JSON has no such number)`
  return new DecodeError(message, 0, 'syntax')
}

/**
 * A fresh tree: aliases copied (counted, so an alias bomb stops early), `<<` merged as go-yaml v2 does, depth
 * bounded, NaN/Inf refused. Linear in the size of the result.
 */
function finish(root: unknown): unknown {
  const visited = new Set<object>()
  let aliases = 0
  let copied = 0
  const walk = (node: unknown, depth: number, inAlias: boolean): unknown => {
    if (typeof node === 'number' && !Number.isFinite(node)) throw nonFiniteError(node)
    if (node === null || typeof node !== 'object') return node
    if (depth > MAX_DEPTH) throw tooDeep(0)
    let alias = inAlias
    if (visited.has(node)) {
      alias = true
      if (++aliases > MAX_ALIAS_COUNT) throw aliasBomb()
    } else visited.add(node)
    if (alias && ++copied > MAX_ALIAS_NODES) throw aliasBomb()
    if (Array.isArray(node)) return node.map((v) => walk(v, depth + 1, alias))
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      const value = walk(v, depth + 1, alias)
      if (k === '<<' && seen.merge) merge(out, value)
      else out[k] = value
    }
    return out
  }
  return walk(root, 0, false)
}

function tooDeep(offset: number): DecodeError {
  return new DecodeError(`the document nests collections more than ${MAX_DEPTH} levels deep`, offset, 'too-deep')
}

function aliasBomb(): DecodeError {
  return new DecodeError(`the document expands YAML aliases more than ${MAX_ALIAS_COUNT} times`, 0, 'alias-limit')
}

// go-yaml v2 decode.go merge(): a mapping, or a sequence of mappings applied last to first (earlier ones win).
function merge(out: Record<string, unknown>, value: unknown): void {
  const fail = () => new DecodeError('map merge requires map or sequence of maps as the value', 0, 'syntax')
  if (isJsonObject(value)) Object.assign(out, value)
  else if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      if (!isJsonObject(value[i])) throw fail()
      Object.assign(out, value[i])
    }
  } else throw fail()
}

interface Frame {
  open: number
  end: number
  kind: string | null
  result: unknown
  children: Frame[]
}

/** The node tree js-yaml walked, with where each node opened and closed (for positions and error places). */
function frames(text: string): {root?: Frame; stack: Frame[]} {
  const stack: Frame[] = [{open: 0, end: 0, kind: null, result: undefined, children: []}]
  const listener: LoadListener = (event, state) => {
    if (event === 'open') {
      const frame: Frame = {open: state.position, end: state.position, kind: null, result: undefined, children: []}
      stack[stack.length - 1].children.push(frame)
      stack.push(frame)
    } else {
      const frame = stack.pop()!
      frame.end = state.position
      frame.kind = state.kind
      frame.result = state.result
    }
  }
  try {
    jsyaml.load(text, loadOptions(listener))
  } catch {
    return {stack: stack.slice(1)}
  }
  return {root: stack[0].children[0], stack: []}
}

/** Skips blanks, line breaks, comments and node properties (`&anchor`, `!tag`) to the node's first character. */
const BLANKS_AND_PROPERTIES = /(?:[ \t\r\n]+|#[^\n]*|[&!][^ \t\r\n,\]}]*)*/y
const BLANKS = /(?:[ \t\r\n]+|#[^\n]*)*/y

function contentStart(text: string, at: number, skipProperties: boolean): number {
  const re = skipProperties ? BLANKS_AND_PROPERTIES : BLANKS
  re.lastIndex = at
  re.exec(text)
  return re.lastIndex
}

function styleOf(text: string, start: number, kind: string | null): NodeStyle {
  const c = text[start]
  if (kind === 'mapping') return c === '{' ? 'flow-map' : 'block-map'
  if (kind === 'sequence') return c === '[' ? 'flow-seq' : 'block-seq'
  if (c === '*') return 'alias'
  if (c === "'") return 'single'
  if (c === '"') return 'double'
  if (c === '|') return 'literal'
  if (c === '>') return 'folded'
  return 'plain'
}

/** A key frame is followed by `:` (after blanks); a value frame by a line end, `,`, `}` or `]`. */
function isKeyFrame(text: string, frame: Frame): boolean {
  let i = frame.end
  // Bounded: reading past the end gives NaN, which deoptimizes the function (and costs a recompile).
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
  return i < text.length && text.charCodeAt(i) === 58
}

/** What a pointer's NodeInfo is made from when it is first asked for: the value's frame and its key's. */
type PendingInfo = {frame: Frame; key?: Frame; empty?: false} | {frame?: undefined; key: Frame; empty: true}

/**
 * The positions of one document. The walk only records which frame holds each pointer; the offsets, style and
 * indentation are worked out for the pointers asked for (a finding asks for one or two of a document's values).
 */
class LazyPositions implements PositionMap {
  private readonly entries = new Map<string, NodeInfo | PendingInfo>()
  constructor(private readonly text: string) {}

  set(pointer: string, pending: PendingInfo): void {
    this.entries.set(pointer, pending)
  }

  get(pointer: string): NodeInfo | undefined {
    const entry = this.entries.get(pointer)
    if (entry === undefined || 'style' in entry) return entry
    const info = this.info(entry)
    this.entries.set(pointer, info)
    return info
  }

  private info(pending: PendingInfo): NodeInfo {
    const text = this.text
    const key = pending.key === undefined ? undefined : contentStart(text, pending.key.open, true)
    // `key:` with nothing after it: the key is the best place to point at.
    if (pending.empty) return {start: key!, end: key!, key, style: 'plain', indent: -1}
    const frame = pending.frame
    const start = contentStart(text, frame.open, true)
    const style = styleOf(text, start, frame.kind)
    let indent = -1
    if (style === 'literal' || style === 'folded') {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1
      indent = 0
      while (text.charCodeAt(lineStart + indent) === 32) indent++
    }
    return {start, end: Math.max(start, trimEnd(text, frame.end)), key, style, indent}
  }
}

/** Where every value of the document is, by JSON pointer (built on demand: most documents never need it). */
export function positionMap(text: string): PositionMap {
  const map = new LazyPositions(text)
  const {root} = frames(text)
  if (!root) return map
  const visit = (outer: Frame, pointer: string, key?: Frame) => {
    const frame = unwrap(text, outer)
    map.set(pointer, {frame, key})
    if (frame.kind === 'sequence') {
      frame.children.forEach((child, i) => visit(child, `${pointer}/${i}`))
    } else if (frame.kind === 'mapping') {
      visitMembers(frame, pointer)
    }
  }
  const visitMembers = (frame: Frame, pointer: string) => {
    let pending: Frame | undefined
    for (const child of frame.children) {
      if (isKeyFrame(text, child)) {
        if (pending) recordEmpty(pending, pointer)
        pending = child
      } else if (pending) {
        const name = String(pending.result)
        // An empty value still gets a node from js-yaml, which has moved on to the next line: use the key.
        if (contentStart(text, child.open, true) >= child.end) recordEmpty(pending, pointer)
        else if (name !== '<<') visit(child, `${pointer}/${escapePointer(name)}`, pending)
        pending = undefined
      }
    }
    if (pending) recordEmpty(pending, pointer)
  }
  const recordEmpty = (key: Frame, pointer: string) =>
    map.set(`${pointer}/${escapePointer(String(key.result))}`, {key, empty: true})
  visit(root, '')
  return map
}

/**
 * js-yaml composes a flow collection that is a block sequence entry (`- {a: 1}`) inside a wrapper node of the same
 * kind: its one child, starting at the same character, holds the members.
 */
function unwrap(text: string, frame: Frame): Frame {
  const [only] = frame.children
  if (frame.children.length !== 1 || only.kind !== frame.kind || frame.kind === null) return frame
  return contentStart(text, only.open, true) === contentStart(text, frame.open, true) ? only : frame
}

// js-yaml may have moved past blanks, line breaks and comments after a node before closing it.
function trimEnd(text: string, end: number): number {
  let e = end
  for (;;) {
    while (e > 0 && /[ \t\r\n]/.test(text[e - 1])) e--
    const lineStart = text.lastIndexOf('\n', e - 1) + 1
    const hash = commentStart(text, lineStart, e)
    if (hash === -1) return e
    e = hash
  }
}

/** Where a comment starts on the line `text[from..to)`, or -1 (a `#` after a blank, outside quotes is not tracked). */
function commentStart(text: string, from: number, to: number): number {
  const line = text.slice(from, to)
  const m = /(?:^|[ \t])#/.exec(line)
  if (!m || /['"]/.test(line)) return -1
  return from + m.index + (m[0].length - 1)
}

/** js-yaml's exception as a DecodeError at the right place, with the wording users should see. */
function describeLoadError(text: string, error: unknown): DecodeError {
  if (!(error instanceof jsyaml.YAMLException)) {
    if (error instanceof RangeError) return tooDeep(0)
    return new DecodeError(String((error as Error)?.message ?? error), 0, 'syntax')
  }
  const reason = error.reason ?? error.message
  const at = (error.mark as {position?: number} | undefined)?.position ?? 0
  if (/nesting exceeded maxDepth/.test(reason)) {
    // The node at the limit, where it starts (the error itself is raised inside it).
    const {stack} = frames(text)
    const deepest = stack[MAX_DEPTH] ?? stack[stack.length - 1]
    const start = deepest ? contentStart(text, deepest.open, true) : at
    return tooDeep(start)
  }
  const quote = /within a (single|double) quoted scalar/.exec(reason)?.[1]
  if (quote) {
    const mark = quote === 'single' ? "'" : '"'
    const starts = frames(text).stack.map((f) => contentStart(text, f.open, true))
    const opened = starts.reverse().find((s) => text[s] === mark)
    if (opened !== undefined) {
      const message = `Missing closing ${mark}quote: the ${quote}-quoted string that starts here is never closed`
      return new DecodeError(message, opened, 'syntax')
    }
  }
  return new DecodeError(reason, at, 'syntax')
}
