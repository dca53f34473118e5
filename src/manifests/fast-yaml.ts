import {decodeBlock, decodePlain, decodeQuoted, resolvePlain, ScalarSyntax, type ScalarStyle} from './scalars.js'

/**
 * A fast parser for the YAML that manifests are written in: block mappings and sequences, plain, quoted and block
 * scalars, flow collections, comments. It is about 8x faster than the `yaml` package, which matters when a CI job
 * validates tens of thousands of documents. Anything outside that subset (anchors, aliases, tags, explicit keys,
 * directives, tabs in indentation, CR line endings, duplicate or non-string keys, odd indentation, any syntax
 * error) makes it give up with UNSUPPORTED, and the caller parses the document with the `yaml` package instead,
 * which is complete and reports errors well. Where it does answer, the result equals `yaml`'s
 * `parseDocument(text).toJS()` (YAML 1.2 core schema); test/validation/fast-yaml.test.ts compares the two.
 */
export const UNSUPPORTED: unique symbol = Symbol('unsupported')

/** Nesting deeper than this is refused (a finding), so hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 256

export class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(`the document nests collections more than ${MAX_DEPTH} levels deep`)
  }
}

export type NodeStyle = ScalarStyle | 'block-map' | 'block-seq' | 'flow-map' | 'flow-seq'

/** Where a value sits in the source (offsets into the parsed text). */
export interface NodeInfo {
  /** First character of the value (quote, indicator, bracket, first key or dash). */
  start: number
  /** Just past the value's last character. */
  end: number
  /** The member's key, for mapping values. */
  key?: number
  style: NodeStyle
  /** Column of the key or `-` owning the value (-1 at the root); block scalars need it to be decoded again. */
  indent: number
}

/** JSON pointer (`/spec/config`) → where the value is. */
export type PositionMap = Map<string, NodeInfo>

const BAIL = new Error('unsupported')

const SPACE = 32
const TAB = 9
const LF = 10
const HASH = 35
const COLON = 58
const DASH = 45

function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key
}

/**
 * Parses one document (`text[start..]`; a leading `---` line is skipped). Returns the value, `undefined` for an
 * empty document, or UNSUPPORTED. Throws TooDeep. With `positions`, records where every value is.
 */
export function parseFastYaml(text: string, start = 0, positions?: PositionMap): unknown {
  try {
    return new FastParser(text, start, positions).document()
  } catch (error) {
    if (error === BAIL || error instanceof ScalarSyntax) return UNSUPPORTED
    if (error instanceof TooDeep) throw error
    if (error instanceof RangeError) throw new TooDeep(start)
    throw error
  }
}

class FastParser {
  private p: number
  private lineStart: number
  private depth = 0
  private readonly n: number

  constructor(
    private readonly s: string,
    start: number,
    private readonly pos?: PositionMap,
  ) {
    this.p = start
    this.lineStart = start
    this.n = s.length
  }

  document(): unknown {
    const s = this.s
    // A `---` marker line may only carry a comment here; anything else goes to the full parser.
    if (s.startsWith('---', this.p)) {
      const eol = this.lineEnd(this.p + 3)
      if (!/^(?:[ \t]+(?:#.*)?)?$/.test(s.slice(this.p + 3, eol))) throw BAIL
      this.p = eol < this.n ? eol + 1 : this.n
      this.lineStart = this.p
    }
    const indent = this.nextContent()
    if (indent < 0) return undefined
    if (indent !== 0) throw BAIL
    const value = this.blockNode(indent, -1, '')
    if (this.nextContent() >= 0) throw BAIL
    return value
  }

  private lineEnd(from: number): number {
    const e = this.s.indexOf('\n', from)
    return e === -1 ? this.n : e
  }

  /**
   * Skips empty and comment lines from the start of a line; leaves `p` on the first content character and
   * returns its column, or -1 at the end of the document.
   */
  private nextContent(): number {
    const s = this.s
    let p = this.p
    for (;;) {
      let i = p
      while (i < this.n && s.charCodeAt(i) === SPACE) i++
      if (i >= this.n) {
        this.p = this.n
        return -1
      }
      const c = s.charCodeAt(i)
      if (c === LF) {
        p = i + 1
        continue
      }
      if (c === HASH) {
        const e = s.indexOf('\n', i)
        if (e === -1) {
          this.p = this.n
          return -1
        }
        p = e + 1
        continue
      }
      if (c === TAB || c === 13) throw BAIL
      this.p = i
      this.lineStart = p
      return i - p
    }
  }

  /** After a value on the current line: only blanks or a comment may follow, then the line ends. */
  private endLine(): void {
    const s = this.s
    let i = this.p
    while (i < this.n && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++
    if (i < this.n) {
      const c = s.charCodeAt(i)
      if (c === HASH && (s.charCodeAt(i - 1) === SPACE || s.charCodeAt(i - 1) === TAB)) i = this.lineEnd(i)
      else if (c !== LF) throw BAIL
    }
    this.p = i < this.n ? i + 1 : this.n
    this.lineStart = this.p
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new TooDeep(this.p)
  }

  private record(ptr: string, info: NodeInfo): void {
    this.pos!.set(ptr, info)
  }

  /** A node starting at `p`, the first content of a line at column `indent`. */
  private blockNode(indent: number, parentIndent: number, ptr: string): unknown {
    const s = this.s
    const c = s.charCodeAt(this.p)
    if (c === DASH && this.isBlank(this.p + 1)) return this.blockSeq(indent, ptr)
    const colon = this.keyColon()
    if (colon >= 0) return this.blockMap(indent, ptr, colon)
    return this.inlineValue(parentIndent, ptr, undefined)
  }

  /** True when the character at `i` is a space, a tab, a line break or the end. */
  private isBlank(i: number): boolean {
    if (i >= this.n) return true
    const c = this.s.charCodeAt(i)
    return c === SPACE || c === LF || c === TAB
  }

  /**
   * When the line from `p` is `key: ...`, the offset of the `:`; else -1. Quoted keys must close on the line.
   */
  private keyColon(): number {
    const s = this.s
    let i = this.p
    const c = s.charCodeAt(i)
    if (c === 34 || c === 39) {
      const close = this.quotedEnd(i, true)
      if (close < 0) return -1
      i = close
      while (i < this.n && s.charCodeAt(i) === SPACE) i++
      return s.charCodeAt(i) === COLON && this.isBlank(i + 1) ? i : -1
    }
    if (c === 91 || c === 123) return -1
    if (c === 63 /* ? */ && this.isBlank(i + 1)) throw BAIL
    for (; i < this.n; i++) {
      const d = s.charCodeAt(i)
      if (d === LF) return -1
      if (d === COLON && this.isBlank(i + 1)) return i
      if (d === HASH && (s.charCodeAt(i - 1) === SPACE || s.charCodeAt(i - 1) === TAB)) return -1
    }
    return -1
  }

  /** Offset just past the closing quote of the quoted scalar at `i`, or -1 (`singleLine`: when it closes on its line). */
  private quotedEnd(i: number, singleLine: boolean): number {
    const s = this.s
    const q = s.charCodeAt(i)
    let j = i + 1
    for (;;) {
      const k = s.indexOf(q === 39 ? "'" : '"', j)
      if (k === -1) return -1
      if (singleLine) {
        // Only the span up to the quote is searched: indexOf would scan a one-line document to its end each time.
        for (let p = j; p < k; p++) if (s.charCodeAt(p) === LF) return -1
      }
      if (q === 39) {
        if (s.charCodeAt(k + 1) === 39) {
          j = k + 2
          continue
        }
        return k + 1
      }
      let backslashes = 0
      for (let b = k - 1; b > i && s.charCodeAt(b) === 92; b--) backslashes++
      if (backslashes % 2 === 1) {
        j = k + 1
        continue
      }
      return k + 1
    }
  }

  private blockMap(indent: number, ptr: string, firstColon: number): Record<string, unknown> {
    this.enter()
    const s = this.s
    const obj: Record<string, unknown> = {}
    const start = this.p
    let colon = firstColon
    let end = start
    for (;;) {
      const keyStart = this.p
      const key = this.mapKey(keyStart, colon)
      if (key === '__proto__' || key === '<<' || Object.hasOwn(obj, key)) throw BAIL
      this.p = colon + 1
      const childPtr = this.pos ? `${ptr}/${escapePointer(key)}` : ''
      obj[key] = this.valueAfterIndicator(indent, childPtr, keyStart, true)
      if (this.pos) {
        // Nested collections are recorded without their key; add it.
        const info = this.pos.get(childPtr)
        if (info && info.key === undefined) info.key = keyStart
      }
      end = this.p
      const next = this.nextContent()
      if (next < indent) {
        this.p = next < 0 ? this.n : this.lineStart
        break
      }
      if (next > indent) throw BAIL
      colon = this.keyColon()
      if (colon < 0) throw BAIL
    }
    if (this.pos) this.record(ptr, {start, end, style: 'block-map', indent})
    this.depth--
    return obj
  }

  /** The key from `p` up to its colon. */
  private mapKey(start: number, colon: number): string {
    const s = this.s
    const c = s.charCodeAt(start)
    if (c === 34 || c === 39) {
      const close = this.quotedEnd(start, true)
      const raw = s.slice(start + 1, close - 1)
      if (c === 39) return raw.includes("'") ? decodeQuoted(s, start, close, 'single') : raw
      return raw.includes('\\') ? decodeQuoted(s, start, close, 'double') : raw
    }
    // Indicators that cannot start a plain key.
    if (c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 44 || c === 93 || c === 125 || c === COLON || c === HASH) throw BAIL
    if (c === DASH && this.isBlank(start + 1)) throw BAIL
    let e = colon
    while (e > start && (s.charCodeAt(e - 1) === SPACE || s.charCodeAt(e - 1) === TAB)) e--
    const key = s.slice(start, e)
    if (typeof resolvePlain(key) !== 'string') throw BAIL
    return key
  }

  /**
   * The value after `key:` or `- ` (p just past the indicator). `owner` is the column of the key or dash.
   * Leaves p at the start of the line after the value.
   */
  private valueAfterIndicator(owner: number, ptr: string, keyStart: number | undefined, inMap: boolean): unknown {
    const s = this.s
    let i = this.p
    while (i < this.n && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++
    const c = i < this.n ? s.charCodeAt(i) : LF
    if (c === LF || (c === HASH && i > this.p)) {
      this.p = i
      this.endLine()
      const at = this.p
      const next = this.nextContent()
      if (next > owner) return this.blockNode(next, owner, ptr)
      if (inMap && next === owner && s.charCodeAt(this.p) === DASH && this.isBlank(this.p + 1)) return this.blockSeq(next, ptr)
      this.p = next < 0 ? this.n : this.lineStart
      if (this.pos) this.record(ptr, {start: at, end: at, key: keyStart, style: 'plain', indent: owner})
      return null
    }
    if (c === HASH) throw BAIL
    this.p = i
    if (!inMap) {
      // A sequence entry may hold a compact mapping (`- name: x`) or sequence (`- - a`).
      const col = i - this.lineStart
      if (c === DASH && this.isBlank(i + 1)) return this.blockSeq(col, ptr)
      const colon = this.keyColon()
      if (colon >= 0) return this.blockMap(col, ptr, colon)
    }
    return this.inlineValue(owner, ptr, keyStart)
  }

  /** A scalar or flow collection starting at p on the current line (the line is then finished). */
  private inlineValue(owner: number, ptr: string, keyStart: number | undefined): unknown {
    const s = this.s
    const start = this.p
    const c = s.charCodeAt(start)
    if (c === 124 || c === 62) {
      const {value, end} = decodeBlock(s, start, owner)
      if (this.pos) this.record(ptr, {start, end, key: keyStart, style: c === 124 ? 'literal' : 'folded', indent: owner})
      this.p = end
      this.lineStart = end
      return value
    }
    if (c === 34 || c === 39) {
      const close = this.quotedEnd(start, false)
      if (close < 0) throw BAIL
      const value = this.quoted(start, close, owner)
      if (this.pos) this.record(ptr, {start, end: close, key: keyStart, style: c === 39 ? 'single' : 'double', indent: owner})
      this.p = close
      if (this.keyFollows()) throw BAIL
      this.endLine()
      return value
    }
    if (c === 91 || c === 123) {
      const value = this.flow(owner, ptr, keyStart)
      if (this.keyFollows()) throw BAIL
      this.endLine()
      return value
    }
    if (c === 38 || c === 42 || c === 33 || c === 37 || c === 64 || c === 96 || c === 44 || c === 93 || c === 125 || c === 63) throw BAIL
    if (c === DASH && this.isBlank(start + 1)) throw BAIL
    return this.plainBlock(owner, ptr, keyStart)
  }

  /** After a quoted scalar or flow collection: a `:` would make it a key, which only the full parser handles. */
  private keyFollows(): boolean {
    let i = this.p
    while (i < this.n && this.s.charCodeAt(i) === SPACE) i++
    return this.s.charCodeAt(i) === COLON
  }

  /** A quoted scalar: its continuation lines must be indented past the owner. */
  private quoted(start: number, close: number, owner: number): string {
    const s = this.s
    const q = s.charCodeAt(start)
    const raw = s.slice(start + 1, close - 1)
    const multiline = raw.includes('\n')
    if (!multiline && (q === 39 ? !raw.includes("'") : !raw.includes('\\'))) return raw
    if (multiline) {
      // An escaped line break followed by an empty line: `yaml` folds it differently from the spec; leave it to `yaml`.
      if (raw.includes('\r') || (q === 34 && /\\\n[ \t]*\n/.test(raw))) throw BAIL
      let nl = s.indexOf('\n', start)
      while (nl !== -1 && nl < close) {
        let j = nl + 1
        while (j < close && s.charCodeAt(j) === SPACE) j++
        const d = s.charCodeAt(j)
        if (d === TAB) throw BAIL
        // Blank lines are fine; text lines must be indented past the owner.
        if (d !== LF && j < close - 1 && j - (nl + 1) <= owner) throw BAIL
        if (j >= close - 1 && j - (nl + 1) <= owner && j === close - 1) throw BAIL
        nl = s.indexOf('\n', nl + 1)
      }
    }
    return decodeQuoted(s, start, close, q === 39 ? 'single' : 'double')
  }

  /** A plain scalar in block context, possibly continued on more-indented lines. */
  private plainBlock(owner: number, ptr: string, keyStart: number | undefined): unknown {
    const s = this.s
    const start = this.p
    let contentEnd = this.plainLineEnd(start)
    let lineEnd = this.lineEnd(contentEnd)
    let multi = false
    let commentEnded = s.charCodeAt(this.skipBlanks(contentEnd)) === HASH
    // Continuation lines: more indented than the owner, not comments.
    while (!commentEnded && lineEnd < this.n) {
      let q = lineEnd + 1
      let next = -1
      while (q < this.n) {
        let j = q
        while (j < this.n && s.charCodeAt(j) === SPACE) j++
        if (j >= this.n) break
        const d = s.charCodeAt(j)
        if (d === LF) {
          q = j + 1
          continue
        }
        if (d === TAB || d === 13) throw BAIL
        if (j - q <= owner || d === HASH) break
        next = j
        break
      }
      if (next < 0) break
      const e = this.plainLineEnd(next)
      multi = true
      contentEnd = e
      lineEnd = this.lineEnd(e)
      commentEnded = s.charCodeAt(this.skipBlanks(e)) === HASH
    }
    let trimmed = contentEnd
    while (trimmed > start && (s.charCodeAt(trimmed - 1) === SPACE || s.charCodeAt(trimmed - 1) === TAB)) trimmed--
    if (this.pos) this.record(ptr, {start, end: trimmed, key: keyStart, style: 'plain', indent: owner})
    this.p = lineEnd < this.n ? lineEnd + 1 : this.n
    this.lineStart = this.p
    if (multi) return decodePlain(s, start, trimmed)
    return resolvePlain(s.slice(start, trimmed))
  }

  private skipBlanks(i: number): number {
    while (i < this.n && (this.s.charCodeAt(i) === SPACE || this.s.charCodeAt(i) === TAB)) i++
    return i
  }

  /** End of plain-scalar text on this line (before a comment or the line break); a `: ` inside means a mapping. */
  private plainLineEnd(i: number): number {
    const s = this.s
    for (; i < this.n; i++) {
      const c = s.charCodeAt(i)
      if (c === LF) return i
      if (c === 13) throw BAIL
      if (c === COLON && this.isBlank(i + 1)) throw BAIL
      if (c === HASH && (s.charCodeAt(i - 1) === SPACE || s.charCodeAt(i - 1) === TAB)) return i
    }
    return i
  }

  private blockSeq(indent: number, ptr: string): unknown[] {
    this.enter()
    const s = this.s
    const arr: unknown[] = []
    const start = this.p
    let end = start
    for (;;) {
      this.p += 1
      const childPtr = this.pos ? `${ptr}/${arr.length}` : ''
      arr.push(this.valueAfterIndicator(indent, childPtr, undefined, false))
      end = this.p
      const next = this.nextContent()
      if (next < indent) {
        this.p = next < 0 ? this.n : this.lineStart
        break
      }
      if (next > indent) throw BAIL
      if (!(s.charCodeAt(this.p) === DASH && this.isBlank(this.p + 1))) {
        // Back at the owning mapping's indentation (a sequence written at its key's column).
        this.p = this.lineStart
        break
      }
    }
    if (this.pos) this.record(ptr, {start, end, style: 'block-seq', indent})
    this.depth--
    return arr
  }

  /** Skips whitespace, line breaks and comments inside a flow collection; continuation lines must be indented past the owner. */
  private flowSpace(owner: number): void {
    const s = this.s
    let i = this.p
    for (;;) {
      const c = s.charCodeAt(i)
      if (c === SPACE || c === TAB) {
        i++
      } else if (c === LF) {
        i++
        let j = i
        while (j < this.n && s.charCodeAt(j) === SPACE) j++
        const d = s.charCodeAt(j)
        // Content must be indented past the owner; a closing bracket may sit at the owner's column.
        if (d !== LF && d !== HASH && j < this.n && (j - i < owner || (j - i === owner && d !== 93 && d !== 125))) throw BAIL
        if (d === TAB) throw BAIL
        i = j
      } else if (c === HASH) {
        const prev = s.charCodeAt(i - 1)
        if (prev !== SPACE && prev !== TAB && prev !== LF) throw BAIL
        i = this.lineEnd(i)
      } else if (c === 13) {
        throw BAIL
      } else {
        break
      }
      if (i >= this.n) throw BAIL
    }
    this.p = i
  }

  private flow(owner: number, ptr: string, keyStart: number | undefined): unknown {
    this.enter()
    const s = this.s
    const start = this.p
    const open = s.charCodeAt(start)
    this.p++
    let value: unknown
    if (open === 91) {
      const arr: unknown[] = []
      for (;;) {
        this.flowSpace(owner)
        if (s.charCodeAt(this.p) === 93) break
        arr.push(this.flowValue(owner, this.pos ? `${ptr}/${arr.length}` : ''))
        this.flowSpace(owner)
        const c = s.charCodeAt(this.p)
        if (c === 44) {
          this.p++
          continue
        }
        if (c === 93) break
        throw BAIL
      }
      value = arr
    } else {
      const obj: Record<string, unknown> = {}
      for (;;) {
        this.flowSpace(owner)
        if (s.charCodeAt(this.p) === 125) break
        const kStart = this.p
        const key = this.flowKey()
        if (key === '__proto__' || key === '<<' || Object.hasOwn(obj, key)) throw BAIL
        this.flowSpace(owner)
        const childPtr = this.pos ? `${ptr}/${escapePointer(key)}` : ''
        let c = s.charCodeAt(this.p)
        if (c === COLON) {
          this.p++
          this.flowSpace(owner)
          c = s.charCodeAt(this.p)
          if (c === 44 || c === 125) {
            obj[key] = null
            if (this.pos) this.record(childPtr, {start: this.p, end: this.p, key: kStart, style: 'plain', indent: owner})
          } else {
            obj[key] = this.flowValue(owner, childPtr, kStart)
          }
        } else {
          obj[key] = null
          if (this.pos) this.record(childPtr, {start: this.p, end: this.p, key: kStart, style: 'plain', indent: owner})
        }
        this.flowSpace(owner)
        c = s.charCodeAt(this.p)
        if (c === 44) {
          this.p++
          continue
        }
        if (c === 125) break
        throw BAIL
      }
      value = obj
    }
    this.p++
    if (this.pos) this.record(ptr, {start, end: this.p, key: keyStart, style: open === 91 ? 'flow-seq' : 'flow-map', indent: owner})
    this.depth--
    return value
  }

  private flowKey(): string {
    const s = this.s
    const start = this.p
    const c = s.charCodeAt(start)
    if (c === 34 || c === 39) {
      const close = this.quotedEnd(start, true)
      if (close < 0) throw BAIL
      this.p = close
      const raw = s.slice(start + 1, close - 1)
      if (c === 39) return raw.includes("'") ? decodeQuoted(s, start, close, 'single') : raw
      return raw.includes('\\') ? decodeQuoted(s, start, close, 'double') : raw
    }
    const text = this.flowPlain()
    if (typeof resolvePlain(text) !== 'string' || text === '') throw BAIL
    return text
  }

  private flowValue(owner: number, ptr: string, keyStart?: number): unknown {
    const s = this.s
    const start = this.p
    const c = s.charCodeAt(start)
    if (c === 91 || c === 123) {
      const v = this.flow(owner, ptr, keyStart)
      return v
    }
    if (c === 34 || c === 39) {
      const close = this.quotedEnd(start, false)
      if (close < 0) throw BAIL
      const v = this.quoted(start, close, owner)
      if (this.pos) this.record(ptr, {start, end: close, key: keyStart, style: c === 39 ? 'single' : 'double', indent: owner})
      this.p = close
      // `["a": 1]` (a pair inside a sequence) is left to the full parser.
      if (s.charCodeAt(this.skipBlanks(this.p)) === COLON) throw BAIL
      return v
    }
    const text = this.flowPlain()
    if (this.pos) this.record(ptr, {start, end: start + text.length, key: keyStart, style: 'plain', indent: owner})
    // A flow-sequence entry followed by ':' would be a single-pair mapping.
    if (s.charCodeAt(this.skipBlanks(this.p)) === COLON) throw BAIL
    return resolvePlain(text)
  }

  /** A plain scalar inside a flow collection (single line). */
  private flowPlain(): string {
    const s = this.s
    const start = this.p
    const c = s.charCodeAt(start)
    if (c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 63 || c === HASH || c === 44 || c === 93 || c === 125 || c === 34 || c === 39) throw BAIL
    if ((c === DASH || c === COLON) && this.isFlowBlank(start + 1)) throw BAIL
    let i = start
    for (; i < this.n; i++) {
      const d = s.charCodeAt(i)
      if (d === 44 || d === 91 || d === 93 || d === 123 || d === 125 || d === LF || d === 13) break
      if (d === COLON && this.isFlowBlank(i + 1)) break
      if (d === HASH && (s.charCodeAt(i - 1) === SPACE || s.charCodeAt(i - 1) === TAB)) break
    }
    let e = i
    while (e > start && (s.charCodeAt(e - 1) === SPACE || s.charCodeAt(e - 1) === TAB)) e--
    if (e === start) throw BAIL
    // A plain scalar continued on the next line inside a flow collection: leave it to the full parser.
    if (s.charCodeAt(i) === LF) {
      let j = i + 1
      while (j < this.n && (s.charCodeAt(j) === SPACE || s.charCodeAt(j) === TAB)) j++
      const d = s.charCodeAt(j)
      if (!(d === 44 || d === 93 || d === 125 || d === COLON || d === HASH || d === LF)) throw BAIL
    }
    this.p = e
    return s.slice(start, e)
  }

  private isFlowBlank(i: number): boolean {
    if (i >= this.n) return true
    const c = this.s.charCodeAt(i)
    return c === SPACE || c === LF || c === TAB || c === 44 || c === 91 || c === 93 || c === 123 || c === 125
  }
}
