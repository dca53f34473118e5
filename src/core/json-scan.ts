/**
 * A JSON checker for strings that hold JSON (a NAD's `spec.config`, the JSON form of the networks annotation).
 * JSON.parse says only that the text is broken; this says where, what was expected there, and what Go's
 * encoding/json (used by Multus and the CNI plugins) prints for it. After a missing or extra comma it carries on,
 * so every place the JSON breaks is reported, not only the first. It also finds duplicate keys (JSON.parse and
 * Go both keep the last one silently) and, when asked, where each value starts. Iterative: no input can
 * exhaust the stack.
 */

import {escapePointer} from './json-pointer.js'

export interface JsonIssue {
  /** Offset in the text of the character where the JSON breaks. */
  offset: number
  /** What is wrong and what was expected, in plain words. */
  message: string
  /** What Go's encoding/json says (Multus wraps this text in its own error). */
  goMessage: string
  /** For an unexpected end: the `{` / `[` still open, outermost first (offset, and the pointer of the value it opens).
   */
  unclosed?: Array<{offset: number; pointer: string}>
  kind: 'syntax' | 'depth'
}

export interface JsonDuplicate {
  /** Pointer of the member (`/ipam/type`). */
  pointer: string
  key: string
  /** Offset of the second (later) key; the first is at `firstOffset`. */
  offset: number
  firstOffset: number
}

export interface JsonPosition {
  /** Offset of the member's key, when it has one. */
  key?: number
  /** Offset of the value's first character. */
  value: number
}

export interface JsonScan {
  errors: JsonIssue[]
  duplicates: JsonDuplicate[]
  positions?: Map<string, JsonPosition>
}

export interface ScanOptions {
  positions?: boolean
  maxErrors?: number
  maxDepth?: number
}

const DEFAULT_MAX_DEPTH = 512

interface Frame {
  array: boolean
  open: number
  /** How this container was reached from its parent (a key or an index), for pointers built on demand. */
  via: string
  parent?: Frame
  index: number
  /** An object's keys so far and where each is: a list (objects are small), a map once it grows. */
  names?: string[]
  offsets?: number[]
  byName?: Map<string, number>
  /** The frame's JSON pointer, once asked for. */
  pointer?: string
}

/** A frame's JSON pointer, built only when needed (positions, duplicates, unclosed brackets), then kept. */
function framePointer(f: Frame | undefined): string {
  const missing: Frame[] = []
  let x = f
  for (; x !== undefined && x.parent !== undefined && x.pointer === undefined; x = x.parent) missing.push(x)
  let pointer = x?.pointer ?? ''
  for (let k = missing.length - 1; k >= 0; k--) {
    const m = missing[k]
    pointer = m.pointer = `${pointer}/${m.parent!.array ? m.via : escapePointer(m.via)}`
  }
  return pointer
}

/** Up to this many keys an object's keys are searched in a list; past it, a map is built. */
const LINEAR_KEYS = 16

/** Records the key at `offset` in an object's frame; returns where it was first seen when it is a duplicate. */
function rememberKey(frame: Frame, key: string, offset: number): number | undefined {
  if (frame.byName) {
    const first = frame.byName.get(key)
    if (first === undefined) frame.byName.set(key, offset)
    return first
  }
  const names = (frame.names ??= [])
  const offsets = (frame.offsets ??= [])
  const k = names.indexOf(key)
  if (k !== -1) return offsets[k]
  names.push(key)
  offsets.push(offset)
  if (names.length > LINEAR_KEYS) frame.byName = new Map(names.map((n, j) => [n, offsets[j]]))
  return undefined
}

/** Go's quoteChar: how encoding/json shows the offending character. */
export function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const quoted = JSON.stringify(c)
  return `'${quoted.slice(1, -1)}'`
}

export function scanJson(text: string, options: ScanOptions = {}): JsonScan {
  const scanner = new JsonScanner(text, options)
  scanner.run(options.maxErrors ?? 20)
  return {errors: scanner.errors, duplicates: scanner.duplicates, positions: scanner.positions}
}

/** Deeper than this, the scanner decides. */
const SHALLOW = DEFAULT_MAX_DEPTH - 12

/**
 * Whether JSON that JSON.parse accepted can still hold something the scanner (with its default depth limit)
 * reports: a duplicate key (the text then has more keys than the parsed value) or nesting past the limit. When
 * it cannot, callers skip the scan: JSON.parse is native and many times faster.
 */
export function scanMayFind(text: string, value: unknown): boolean {
  const parsed = countParsedKeys(value)
  return parsed < 0 || parsed !== countTextKeys(text)
}

/** Members of every object in the value, or -1 when it nests deeper than SHALLOW. */
function countParsedKeys(value: unknown): number {
  let keys = 0
  const stack: Array<{v: unknown; depth: number}> = [{v: value, depth: 0}]
  while (stack.length > 0) {
    const {v, depth} = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth >= SHALLOW) return -1
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push({v: x, depth: depth + 1})
      continue
    }
    for (const k in v) {
      keys++
      const x = (v as Record<string, unknown>)[k]
      if (x !== null && typeof x === 'object') stack.push({v: x, depth: depth + 1})
    }
  }
  return keys
}

/** Strings followed by ':' in valid JSON text (outside strings, every '"' opens one). */
function countTextKeys(text: string): number {
  let keys = 0
  let open = text.indexOf('"')
  while (open !== -1) {
    let close = text.indexOf('"', open + 1)
    for (;;) {
      // The quote is escaped when an odd number of backslashes precede it.
      let slashes = 0
      while (text.charCodeAt(close - 1 - slashes) === 92) slashes++
      if (slashes % 2 === 0) break
      close = text.indexOf('"', close + 1)
    }
    if (close === -1) return -1
    let k = close + 1
    let c = text.charCodeAt(k)
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++k)
    if (c === 58) keys++
    open = text.indexOf('"', k)
  }
  return keys
}

type State = 'value' | 'after' | 'key'

/** One pass over the text: a state machine (value, key, after a value) over an explicit stack of open brackets. */
class JsonScanner {
  readonly errors: JsonIssue[] = []
  readonly duplicates: JsonDuplicate[] = []
  readonly positions: Map<string, JsonPosition> | undefined
  private readonly maxDepth: number
  private readonly n: number
  private readonly stack: Frame[] = []
  private i = 0
  private pointer = ''
  private keyOffset: number | undefined
  /** The key of the member whose value comes next. */
  private parentKey: string | undefined
  private state: State = 'value'

  constructor(
    private readonly text: string,
    options: ScanOptions,
  ) {
    this.n = text.length
    this.positions = options.positions ? new Map<string, JsonPosition>() : undefined
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  }

  run(maxErrors: number): void {
    while (this.errors.length < maxErrors) {
      const going = this.state === 'value' ? this.value() : this.state === 'key' ? this.key() : this.afterValue()
      if (!going) break
    }
  }

  private ws(): void {
    const {text, n} = this
    let i = this.i
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
    this.i = i
  }

  private fail(message: string, goMessage: string, at = this.i): void {
    this.errors.push({offset: at, message, goMessage, kind: 'syntax'})
  }

  private eof(): false {
    const {stack} = this
    const unclosed = stack.map((f) => ({offset: f.open, pointer: framePointer(f)}))
    const open = stack.length
    const message =
      open === 0
        ? 'the JSON ends where a value was expected'
        : `the JSON ends with ${open === 1 ? `one ${stack[0].array ? "'[' not closed by ']'" : "'{' not closed by '}'"}` : `${open} brackets not closed`}`
    this.errors.push({offset: this.n, message, goMessage: 'unexpected end of JSON input', unclosed, kind: 'syntax'})
    return false
  }

  /** Where a value is expected. */
  private value(): boolean {
    this.ws()
    if (this.i >= this.n) return this.eof()
    this.positions?.set(this.pointer, {key: this.keyOffset, value: this.i})
    this.keyOffset = undefined
    const c = this.text[this.i]
    if (c === '{' || c === '[') return this.open(c === '[')
    const scanned =
      c === '"'
        ? this.scanString()
        : c === '-' || (c >= '0' && c <= '9')
          ? this.scanNumber()
          : c === 't' || c === 'f' || c === 'n'
            ? this.scanLiteral(c === 't' ? 'true' : c === 'f' ? 'false' : 'null')
            : undefined
    if (scanned === undefined)
      this.fail(expectedValue(this.text, this.i), `invalid character ${goQuoteChar(c)} looking for beginning of value`)
    if (!scanned) return false
    this.state = 'after'
    return true
  }

  private open(array: boolean): boolean {
    const {stack} = this
    if (stack.length >= this.maxDepth) {
      this.errors.push({
        offset: this.i,
        message: `the JSON nests more than ${this.maxDepth} levels deep`,
        goMessage: 'exceeded max depth',
        kind: 'depth',
      })
      return false
    }
    const parent = stack[stack.length - 1]
    const via = parent === undefined ? '' : parent.array ? String(parent.index) : (this.parentKey ?? '')
    stack.push({array, open: this.i, via, parent, index: 0})
    this.i++
    this.ws()
    if (this.text[this.i] === (array ? ']' : '}')) {
      this.i++
      stack.pop()
      this.state = 'after'
    } else if (array) {
      if (this.positions) this.pointer = `${this.pointer}/0`
      this.state = 'value'
    } else {
      this.state = 'key'
    }
    return true
  }

  /** Where an object's key is expected. */
  private key(): boolean {
    this.ws()
    const frame = this.stack[this.stack.length - 1]
    if (this.i >= this.n) return this.eof()
    const c = this.text[this.i]
    if (c !== '"') {
      this.fail(
        expectedKey(this.text, this.i),
        `invalid character ${goQuoteChar(c)} looking for beginning of object key string`,
      )
      return false
    }
    const start = this.i
    if (!this.scanString()) return false
    const key = this.keyText(start)
    const first = rememberKey(frame, key, start)
    if (first !== undefined)
      this.duplicates.push({
        pointer: `${framePointer(frame)}/${escapePointer(key)}`,
        key,
        offset: start,
        firstOffset: first,
      })
    this.ws()
    if (this.i >= this.n) return this.eof()
    if (this.text[this.i] !== ':') {
      this.fail(
        `expected ':' after the property name ${JSON.stringify(truncate(key))}, found ${describeToken(this.text, this.i)}`,
        `invalid character ${goQuoteChar(this.text[this.i])} after object key`,
      )
      return false
    }
    this.i++
    this.parentKey = key
    if (this.positions) this.pointer = `${framePointer(frame)}/${escapePointer(key)}`
    this.keyOffset = start
    this.state = 'value'
    return true
  }

  /** The key just scanned (from `start` to the current offset), unescaped. */
  private keyText(start: number): string {
    const raw = this.text.slice(start + 1, this.i - 1)
    if (!raw.includes('\\')) return raw
    try {
      return JSON.parse(this.text.slice(start, this.i)) as string
    } catch {
      return raw
    }
  }

  /** After a value: the end of the text, a comma, or a closing bracket. */
  private afterValue(): boolean {
    this.ws()
    const {text, i, n} = this
    if (this.stack.length === 0) {
      if (i < n)
        this.fail(
          `unexpected ${describeToken(text, i)} after the end of the JSON value (only one value may be given)`,
          `invalid character ${goQuoteChar(text[i])} after top-level value`,
        )
      return false
    }
    const frame = this.stack[this.stack.length - 1]
    if (i >= n) return this.eof()
    return frame.array ? this.afterElement(frame, text[i]) : this.afterMember(text[i])
  }

  private afterElement(frame: Frame, c: string): boolean {
    if (c === ',') {
      this.i++
      this.ws()
      if (this.text[this.i] === ']') {
        this.fail("trailing comma: remove the ',' before ']'", `invalid character ']' looking for beginning of value`)
        return this.close()
      }
      this.nextElement(frame)
      return true
    }
    if (c === ']') return this.close()
    this.fail(
      `expected ',' or ']' after array element${previousValue(this.text, this.i)}, found ` +
        `${describeToken(this.text, this.i)}`,
      `invalid character ${goQuoteChar(c)} after array element`,
    )
    // A missing comma between two elements: carry on as if it were there.
    if (!startsValue(c)) return false
    this.nextElement(frame)
    return true
  }

  private nextElement(frame: Frame): void {
    ++frame.index
    if (this.positions) this.pointer = `${framePointer(frame)}/${frame.index}`
    this.state = 'value'
  }

  private afterMember(c: string): boolean {
    if (c === ',') {
      this.i++
      this.ws()
      if (this.text[this.i] === '}') {
        this.fail(
          "trailing comma: remove the ',' before '}'",
          `invalid character '}' looking for beginning of object key string`,
        )
        return this.close()
      }
      this.state = 'key'
      return true
    }
    if (c === '}') return this.close()
    this.fail(
      `expected ',' or '}' after property value${previousValue(this.text, this.i)}, found ` +
        `${describeToken(this.text, this.i)}${c === '"' ? " (a ',' is missing, or a '}' closing the object)" : ''}`,
      `invalid character ${goQuoteChar(c)} after object key:value pair`,
    )
    // A missing comma before the next key: carry on as if it were there.
    if (c !== '"') return false
    this.state = 'key'
    return true
  }

  /** Steps over the closing bracket at the current offset; a value has ended. */
  private close(): true {
    this.i++
    this.stack.pop()
    this.state = 'after'
    return true
  }

  private scanString(): boolean {
    const {text, n} = this
    const start = this.i
    this.i++
    for (;;) {
      // Jump to the next quote or backslash; check control characters in between.
      let j = this.i
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === 34 || c === 92 || c < 32) break
        j++
      }
      this.i = j
      if (j >= n) {
        this.errors.push({
          offset: start,
          message: `the string that starts here is never closed (missing '"')`,
          goMessage: 'unexpected end of JSON input',
          kind: 'syntax',
        })
        return false
      }
      const c = text.charCodeAt(j)
      if (c === 34) {
        this.i++
        return true
      }
      if (c < 32) {
        this.fail(
          c === 10
            ? 'a line break inside a JSON string: strings cannot span lines (close the string, or write \\n)'
            : `a control character (U+${c.toString(16).padStart(4, '0').toUpperCase()}) inside ` +
                `a JSON string: escape it`,
          `invalid character ${goQuoteChar(text[j])} in string literal`,
        )
        return false
      }
      if (!this.scanEscape()) return false
    }
  }

  /** A backslash escape at the current offset. */
  private scanEscape(): boolean {
    const {text} = this
    const i = this.i
    const e = text[i + 1]
    if (e === undefined) {
      this.i++
      return this.eof()
    }
    if ('"\\/bfnrt'.includes(e)) {
      this.i += 2
      return true
    }
    if (e !== 'u') {
      this.fail(
        `invalid escape \\${e} in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
        `invalid character ${goQuoteChar(e)} in string escape code`,
        i + 1,
      )
      return false
    }
    for (let k = 2; k < 6; k++) {
      const h = text[i + k]
      if (h === undefined) {
        this.i += k
        return this.eof()
      }
      if (!/[0-9a-fA-F]/.test(h)) {
        this.fail(
          `invalid \\u escape: expected 4 hexadecimal digits, found ${JSON.stringify(h)}`,
          `invalid character ${goQuoteChar(h)} in \\u hexadecimal character escape`,
          i + k,
        )
        this.i += k
        return false
      }
    }
    this.i += 6
    return true
  }

  private scanNumber(): boolean {
    const {text} = this
    if (text[this.i] === '-') {
      this.i++
      if (!this.digitOr(`expected a digit after '-'`, 'in numeric literal')) return false
    }
    if (text[this.i] === '0') this.i++
    else this.skipDigits()
    if (text[this.i] === '.') {
      this.i++
      if (!this.digitOr('expected a digit after the decimal point', 'after decimal point in numeric literal'))
        return false
      this.skipDigits()
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++
      if (text[this.i] === '+' || text[this.i] === '-') this.i++
      if (!this.digitOr('expected a digit in the exponent', 'in exponent of numeric literal')) return false
      this.skipDigits()
    }
    return true
  }

  private skipDigits(): void {
    while (this.text[this.i] >= '0' && this.text[this.i] <= '9') this.i++
  }

  /** True if a digit comes next; otherwise reports what came instead (`expected`, and Go's `... <where>`). */
  private digitOr(expected: string, where: string): boolean {
    const c = this.text[this.i]
    if (c >= '0' && c <= '9') return true
    if (this.i >= this.n) return this.eof()
    this.fail(`${expected}, found ${describeToken(this.text, this.i)}`, `invalid character ${goQuoteChar(c)} ${where}`)
    return false
  }

  private scanLiteral(word: string): boolean {
    const {text} = this
    const i = this.i
    for (let k = 0; k < word.length; k++) {
      const c = text[i + k]
      if (c === undefined) {
        this.i += k
        return this.eof()
      }
      if (c !== word[k]) {
        const token = /^[A-Za-z_][\w.-]*/.exec(text.slice(i, i + 40))?.[0] ?? word
        this.fail(
          k > 0 || token.length > 1
            ? `${JSON.stringify(token)} is not a JSON value: strings must be in double quotes (write ` +
                `"${token}"), and the only bare words are true, false and null`
            : expectedValue(text, i),
          `invalid character ${goQuoteChar(c)} in literal ${word} (expecting ${goQuoteChar(word[k])})`,
          i + k,
        )
        return false
      }
    }
    this.i += word.length
    return true
  }
}

function startsValue(c: string): boolean {
  return (
    c === '"' || c === '{' || c === '[' || c === '-' || (c >= '0' && c <= '9') || c === 't' || c === 'f' || c === 'n'
  )
}

function truncate(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s
}

/** The token at `i`, for messages: a quoted string, a word, or the character. */
function describeToken(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text'
  const c = text[i]
  if (c === '"') {
    const end = text.indexOf('"', i + 1)
    const nl = text.indexOf('\n', i + 1)
    if (end !== -1 && (nl === -1 || end < nl) && end - i <= 42) return text.slice(i, end + 1)
    return `'"'`
  }
  const word = /^[A-Za-z0-9_.-]+/.exec(text.slice(i, i + 40))?.[0]
  if (word) return word.length > 1 ? JSON.stringify(word) : `'${word}'`
  if (c === '\n') return 'a line break'
  return `'${c}'`
}

/** ` "false"`: the value just before a missing comma, to make the message easy to match with the file. */
function previousValue(text: string, i: number): string {
  let j = i - 1
  while (j >= 0 && /\s/.test(text[j])) j--
  if (j < 0) return ''
  const end = j + 1
  if (text[j] === '"') {
    const start = text.lastIndexOf('"', j - 1)
    if (start !== -1 && end - start <= 42) return ` ${text.slice(start, end)}`
    return ''
  }
  const m = /[A-Za-z0-9_.+-]+$/.exec(text.slice(Math.max(0, end - 40), end))
  if (m) return ` ${m[0]}`
  if (text[j] === '}' || text[j] === ']') return ` (the ${text[j] === '}' ? 'object' : 'array'} closed here)`
  return ''
}

function expectedValue(text: string, i: number): string {
  const c = text[i]
  if (c === "'") return 'JSON strings must use double quotes ("), not single quotes'
  if (c === '}' || c === ']') return `expected a value, found '${c}' (is there a trailing comma before it?)`
  if (c === '/' || c === '#') return 'JSON does not allow comments'
  if (/[A-Za-z_]/.test(c)) {
    const word = /^[A-Za-z0-9_.-]+/.exec(text.slice(i, i + 40))?.[0] ?? c
    return (
      `${JSON.stringify(word)} is not a JSON value: strings must be in double quotes (write ` +
      `"${word}"), and the only bare words are true, false and null`
    )
  }
  return (
    `expected a value (a "string", number, {object}, [array], true, false or null), found ` +
    `${describeToken(text, i)}`
  )
}

function expectedKey(text: string, i: number): string {
  const c = text[i]
  if (c === "'") return 'property names must be in double quotes, not single quotes'
  if (/[A-Za-z_]/.test(c)) {
    const word = /^[A-Za-z0-9_.-]+/.exec(text.slice(i, i + 40))?.[0] ?? c
    return `property names must be in double quotes: write "${word}"`
  }
  if (c === '/' || c === '#') return 'JSON does not allow comments'
  return `expected a property name in double quotes, found ${describeToken(text, i)}`
}
