/**
 * A JSON checker for strings that hold JSON (a NAD's `spec.config`, the JSON form of the networks annotation).
 * JSON.parse says only that the text is broken; this says where, what was expected there, and what Go's
 * encoding/json (used by Multus and the CNI plugins) prints for it. After a missing or extra comma it carries on,
 * so every place the JSON breaks is reported, not only the first. It also finds duplicate keys (JSON.parse and
 * Go both keep the last one silently) and, when asked, where each value starts. Iterative: no input can
 * exhaust the stack.
 */

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
  keys?: Map<string, number>
}

/** A frame's JSON pointer, built only when needed (duplicates, unclosed brackets). */
function framePointer(f: Frame | undefined): string {
  let out = ''
  for (let x = f; x && x.parent !== undefined; x = x.parent)
    out = `/${x.parent.array ? x.via : escapePointer(x.via)}${out}`
  return out
}

/** Go's quoteChar: how encoding/json shows the offending character. */
export function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const quoted = JSON.stringify(c)
  return `'${quoted.slice(1, -1)}'`
}

function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key
}

export function scanJson(text: string, options: ScanOptions = {}): JsonScan {
  const errors: JsonIssue[] = []
  const duplicates: JsonDuplicate[] = []
  const positions = options.positions ? new Map<string, JsonPosition>() : undefined
  const maxErrors = options.maxErrors ?? 20
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  const n = text.length
  const stack: Frame[] = []
  let i = 0
  let pointer = ''
  let keyOffset: number | undefined
  /** The key of the member whose value comes next. */
  let parentKey: string | undefined
  type State = 'value' | 'after' | 'key'
  let state: State = 'value'

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
  }
  const fail = (message: string, goMessage: string, at = i): void => {
    errors.push({offset: at, message, goMessage, kind: 'syntax'})
  }
  const eof = (): void => {
    const unclosed = stack.map((f) => ({offset: f.open, pointer: framePointer(f)}))
    const open = stack.length
    const message =
      open === 0
        ? 'the JSON ends where a value was expected'
        : `the JSON ends with ${open === 1 ? `one ${stack[0].array ? "'[' not closed by ']'" : "'{' not closed by '}'"}` : `${open} brackets not closed`}`
    errors.push({offset: n, message, goMessage: 'unexpected end of JSON input', unclosed, kind: 'syntax'})
  }

  outer: while (errors.length < maxErrors) {
    if (state === 'value') {
      ws()
      if (i >= n) {
        eof()
        break
      }
      positions?.set(pointer, {key: keyOffset, value: i})
      keyOffset = undefined
      const c = text[i]
      if (c === '{' || c === '[') {
        if (stack.length >= maxDepth) {
          errors.push({
            offset: i,
            message: `the JSON nests more than ${maxDepth} levels deep`,
            goMessage: 'exceeded max depth',
            kind: 'depth',
          })
          break
        }
        const array = c === '['
        const parent = stack[stack.length - 1]
        const via = parent === undefined ? '' : parent.array ? String(parent.index) : (parentKey ?? '')
        stack.push({array, open: i, via, parent, index: 0, keys: array ? undefined : new Map()})
        i++
        ws()
        if (text[i] === (array ? ']' : '}')) {
          i++
          stack.pop()
          state = 'after'
        } else if (array) {
          if (positions) pointer = `${pointer}/0`
          state = 'value'
        } else {
          state = 'key'
        }
        continue
      }
      if (c === '"') {
        if (!scanString()) break
        state = 'after'
        continue
      }
      if (c === '-' || (c >= '0' && c <= '9')) {
        if (!scanNumber()) break
        state = 'after'
        continue
      }
      if (c === 't' || c === 'f' || c === 'n') {
        if (!scanLiteral(c === 't' ? 'true' : c === 'f' ? 'false' : 'null')) break
        state = 'after'
        continue
      }
      fail(expectedValue(text, i), `invalid character ${goQuoteChar(c)} looking for beginning of value`)
      break
    }

    if (state === 'key') {
      ws()
      const frame = stack[stack.length - 1]
      if (i >= n) {
        eof()
        break
      }
      const c = text[i]
      if (c !== '"') {
        fail(expectedKey(text, i), `invalid character ${goQuoteChar(c)} looking for beginning of object key string`)
        break
      }
      const start = i
      if (!scanString()) break
      const raw = text.slice(start + 1, i - 1)
      let key = raw
      if (raw.includes('\\')) {
        try {
          key = JSON.parse(text.slice(start, i)) as string
        } catch {
          key = raw
        }
      }
      const first = frame.keys!.get(key)
      if (first !== undefined)
        duplicates.push({
          pointer: `${framePointer(frame)}/${escapePointer(key)}`,
          key,
          offset: start,
          firstOffset: first,
        })
      else frame.keys!.set(key, start)
      ws()
      if (i >= n) {
        eof()
        break
      }
      if (text[i] !== ':') {
        fail(
          `expected ':' after the property name ${JSON.stringify(truncate(key))}, found ${describeToken(text, i)}`,
          `invalid character ${goQuoteChar(text[i])} after object key`,
        )
        break
      }
      i++
      parentKey = key
      if (positions) pointer = `${framePointer(frame)}/${escapePointer(key)}`
      keyOffset = start
      state = 'value'
      continue
    }

    // after a value
    ws()
    if (stack.length === 0) {
      if (i < n)
        fail(
          `unexpected ${describeToken(text, i)} after the end of the JSON value (only one value may be given)`,
          `invalid character ${goQuoteChar(text[i])} after top-level value`,
        )
      break
    }
    const frame = stack[stack.length - 1]
    if (i >= n) {
      eof()
      break
    }
    const c = text[i]
    if (frame.array) {
      if (c === ',') {
        i++
        ws()
        if (text[i] === ']') {
          fail("trailing comma: remove the ',' before ']'", `invalid character ']' looking for beginning of value`)
          i++
          stack.pop()
          state = 'after'
          continue
        }
        ++frame.index
        if (positions) pointer = `${framePointer(frame)}/${frame.index}`
        state = 'value'
        continue
      }
      if (c === ']') {
        i++
        stack.pop()
        continue
      }
      fail(
        `expected ',' or ']' after array element${previousValue(text, i)}, found ${describeToken(text, i)}`,
        `invalid character ${goQuoteChar(c)} after array element`,
      )
      // A missing comma between two elements: carry on as if it were there.
      if (startsValue(c)) {
        ++frame.index
        if (positions) pointer = `${framePointer(frame)}/${frame.index}`
        state = 'value'
        continue
      }
      break
    }
    if (c === ',') {
      i++
      ws()
      if (text[i] === '}') {
        fail(
          "trailing comma: remove the ',' before '}'",
          `invalid character '}' looking for beginning of object key string`,
        )
        i++
        stack.pop()
        state = 'after'
        continue
      }
      state = 'key'
      continue
    }
    if (c === '}') {
      i++
      stack.pop()
      continue
    }
    fail(
      `expected ',' or '}' after property value${previousValue(text, i)}, found ${describeToken(text, i)}${c === '"' ? " (a ',' is missing, or a '}' closing the object)" : ''}`,
      `invalid character ${goQuoteChar(c)} after object key:value pair`,
    )
    if (c === '"') {
      state = 'key'
      continue outer
    }
    break
  }
  return {errors, duplicates, positions}

  function scanString(): boolean {
    const start = i
    i++
    for (;;) {
      // Jump to the next quote or backslash; check control characters in between.
      let j = i
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === 34 || c === 92 || c < 32) break
        j++
      }
      i = j
      if (i >= n) {
        errors.push({
          offset: start,
          message: `the string that starts here is never closed (missing '"')`,
          goMessage: 'unexpected end of JSON input',
          kind: 'syntax',
        })
        return false
      }
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return true
      }
      if (c < 32) {
        const ch = text[i]
        fail(
          c === 10
            ? 'a line break inside a JSON string: strings cannot span lines (close the string, or write \\n)'
            : `a control character (U+${c.toString(16).padStart(4, '0').toUpperCase()}) inside a JSON string: escape it`,
          `invalid character ${goQuoteChar(ch)} in string literal`,
        )
        return false
      }
      // a backslash
      const e = text[i + 1]
      if (e === undefined) {
        i++
        eof()
        return false
      }
      if ('"\\/bfnrt'.includes(e)) {
        i += 2
        continue
      }
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          const h = text[i + k]
          if (h === undefined) {
            i += k
            eof()
            return false
          }
          if (!/[0-9a-fA-F]/.test(h)) {
            fail(
              `invalid \\u escape: expected 4 hexadecimal digits, found ${JSON.stringify(h)}`,
              `invalid character ${goQuoteChar(h)} in \\u hexadecimal character escape`,
              i + k,
            )
            i += k
            return false
          }
        }
        i += 6
        continue
      }
      fail(
        `invalid escape \\${e} in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
        `invalid character ${goQuoteChar(e)} in string escape code`,
        i + 1,
      )
      return false
    }
  }

  function scanNumber(): boolean {
    if (text[i] === '-') {
      i++
      if (!(text[i] >= '0' && text[i] <= '9')) {
        if (i >= n) return eofFalse()
        fail(
          `expected a digit after '-', found ${describeToken(text, i)}`,
          `invalid character ${goQuoteChar(text[i])} in numeric literal`,
        )
        return false
      }
    }
    if (text[i] === '0') i++
    else while (text[i] >= '0' && text[i] <= '9') i++
    if (text[i] === '.') {
      i++
      if (!(text[i] >= '0' && text[i] <= '9')) {
        if (i >= n) return eofFalse()
        fail(
          `expected a digit after the decimal point, found ${describeToken(text, i)}`,
          `invalid character ${goQuoteChar(text[i])} after decimal point in numeric literal`,
        )
        return false
      }
      while (text[i] >= '0' && text[i] <= '9') i++
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++
      if (text[i] === '+' || text[i] === '-') i++
      if (!(text[i] >= '0' && text[i] <= '9')) {
        if (i >= n) return eofFalse()
        fail(
          `expected a digit in the exponent, found ${describeToken(text, i)}`,
          `invalid character ${goQuoteChar(text[i])} in exponent of numeric literal`,
        )
        return false
      }
      while (text[i] >= '0' && text[i] <= '9') i++
    }
    return true
  }

  function scanLiteral(word: string): boolean {
    for (let k = 0; k < word.length; k++) {
      const c = text[i + k]
      if (c === undefined) {
        i += k
        return eofFalse()
      }
      if (c !== word[k]) {
        const token = /^[A-Za-z_][\w.-]*/.exec(text.slice(i, i + 40))?.[0] ?? word
        fail(
          k > 0 || token.length > 1
            ? `${JSON.stringify(token)} is not a JSON value: strings must be in double quotes (write "${token}"), and the only bare words are true, false and null`
            : expectedValue(text, i),
          `invalid character ${goQuoteChar(c)} in literal ${word} (expecting ${goQuoteChar(word[k])})`,
          i + k,
        )
        return false
      }
    }
    i += word.length
    return true
  }

  function eofFalse(): boolean {
    eof()
    return false
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
export function describeToken(text: string, i: number): string {
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
    return `${JSON.stringify(word)} is not a JSON value: strings must be in double quotes (write "${word}"), and the only bare words are true, false and null`
  }
  return `expected a value (a "string", number, {object}, [array], true, false or null), found ${describeToken(text, i)}`
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
