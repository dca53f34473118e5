/**
 * A port of client-go's util/jsonpath parser. It keeps that parser's quirks on purpose, because templates written
 * for kubectl must mean the same here: `['a.b']` is re-parsed as `.a.b` (so dots in keys need `\.` even inside
 * brackets), unions are split on every comma, filters are split by a regular expression, and `range`/`end` are
 * plain identifiers that only the executor gives meaning to.
 */
import {GoFloat} from './values.js'

/** One slice bound; `derived` marks the end of a plain index `[i]`, which is `i+1`. */
export interface Param {
  known: boolean
  value: number
  derived: boolean
}

export type Literal = number | boolean | GoFloat

export type Step =
  | {type: 'field'; name: string}
  | {type: 'wildcard'}
  | {type: 'recursive'}
  | {type: 'array'; params: [Param, Param, Param]}
  | {type: 'union'; branches: Step[][]}
  | {type: 'filter'; left: Step[]; op: string; right: Step[]}
  | {type: 'text'; value: string}
  | {type: 'literal'; value: Literal}
  | {type: 'identifier'; name: string}

/** Text outside braces, or the steps of one `{...}` action. */
export type Chunk = string | Step[]

/** A syntax error; the message is client-go's wording, without kubectl's "error parsing jsonpath" prefix. */
export class ParseError extends Error {}

export function parse(template: string): Chunk[] {
  return new Parser(template).parse()
}

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}'])

const isTerminator = (r: string): boolean => r === '' || TERMINATORS.has(r)
const isDigit = (r: string): boolean => /^\p{Nd}$/u.test(r)
const isAlphaNumeric = (r: string): boolean => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r)

class Parser {
  private pos = 0

  constructor(private readonly input: string) {}

  parse(): Chunk[] {
    const chunks: Chunk[] = []
    while (this.pos < this.input.length) {
      const open = this.input.indexOf('{', this.pos)
      if (open === -1) {
        chunks.push(this.input.slice(this.pos))
        break
      }
      if (open > this.pos) chunks.push(this.input.slice(this.pos, open))
      this.pos = open + 1
      chunks.push(this.parseAction())
    }
    return chunks
  }

  /** The whole code point at the cursor ('' at the end), so letters outside the BMP classify correctly. */
  private peek(): string {
    const c = this.input.codePointAt(this.pos)
    return c === undefined ? '' : String.fromCodePoint(c)
  }

  private parseAction(): Step[] {
    const steps: Step[] = []
    for (;;) {
      if (this.input.startsWith('}', this.pos)) {
        this.pos++
        return steps
      }
      if (this.input.startsWith('[?(', this.pos)) {
        steps.push(this.parseFilter())
        continue
      }
      if (this.input.startsWith('..', this.pos)) {
        if (steps.at(-1)?.type === 'recursive') throw new ParseError('invalid multiple recursive descent')
        this.pos += 2
        steps.push({type: 'recursive'})
        if (isAlphaNumeric(this.peek())) steps.push(this.parseField()) // `..name` has no dot of its own
        continue
      }
      const r = this.peek()
      if (r === '' || r === '\r' || r === '\n') throw new ParseError('unclosed action')
      if (r === '+' || r === '-' || isDigit(r)) steps.push(this.parseNumber())
      else if (isAlphaNumeric(r)) steps.push(this.parseIdentifier())
      else {
        this.pos += r.length
        if (r === '[') steps.push(...this.parseArray())
        else if (r === '"' || r === "'") steps.push(this.parseQuote(r))
        else if (r === '.') steps.push(this.parseField())
        // `@` and `$` both mean "the current object", which is where evaluation already is
        else if (r !== ' ' && r !== '@' && r !== '$')
          throw new ParseError(`unrecognized character in action: ${formatRune(r)}`)
      }
    }
  }

  /** A field name runs to the next unescaped terminator; `\` escapes one character and is then dropped. */
  private parseField(): Step {
    const start = this.pos
    for (;;) {
      const r = this.peek()
      if (r === '\\') {
        this.pos++
        this.pos += this.peek().length
      } else if (isTerminator(r)) break
      else this.pos += r.length
    }
    const raw = this.input.slice(start, this.pos)
    return raw === '*' ? {type: 'wildcard'} : {type: 'field', name: raw.replaceAll('\\', '')}
  }

  /** Keywords (`range`, `end`) and booleans; anything else fails only when executed, as in client-go. */
  private parseIdentifier(): Step {
    const start = this.pos
    while (!isTerminator(this.peek())) this.pos += this.peek().length
    const value = this.input.slice(start, this.pos)
    if (value === 'true' || value === 'false') return {type: 'literal', value: value === 'true'}
    return {type: 'identifier', name: value}
  }

  private parseNumber(): Step {
    const start = this.pos
    if (this.input[this.pos] === '+' || this.input[this.pos] === '-') this.pos++
    for (let r = this.peek(); r === '.' || isDigit(r); r = this.peek()) this.pos += r.length
    const text = this.input.slice(start, this.pos)
    // strconv.Atoi first (int64 range), then ParseFloat; a float keeps its float type even when integral.
    if (/^[+-]?[0-9]+$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n) {
      return {type: 'literal', value: Number(text)}
    }
    const f = Number(text)
    if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text) && Number.isFinite(f)) {
      return {type: 'literal', value: Number.isInteger(f) ? new GoFloat(f) : f}
    }
    throw new ParseError(`cannot parse number ${text}`)
  }

  /** After `[`: a union, a quoted key, or an index/slice. */
  private parseArray(): Step[] {
    const close = this.scanTo(']', 'unterminated array')
    let text = this.input.slice(this.pos, close)
    this.pos = close + 1
    if (text === '*') text = ':'

    const parts = text.split(',')
    if (parts.length > 1) {
      return [{type: 'union', branches: parts.map((p) => parseSubAction(`[${p.replace(/^ +| +$/g, '')}]`))}]
    }
    const key = /^'([^']*)'$/.exec(text)
    if (key) return parseSubAction(`.${key[1]}`)

    const m = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/.exec(text)
    if (!m) throw new ParseError(`invalid array index ${text}`)
    const params: [Param, Param, Param] = [
      {known: false, value: 0, derived: false},
      {known: false, value: 0, derived: false},
      {known: false, value: 0, derived: false},
    ]
    for (let i = 0; i < 3; i++) {
      let s = m[i + 1] ?? ''
      if (s === '') {
        // no second part at all: a plain index, i.e. the one-element slice [i:i+1]
        if (i === 1) params[1] = {known: true, value: params[0].value + 1, derived: true}
        continue
      }
      if (i > 0) s = s.slice(1)
      if (i > 0 && s === '') continue
      const n = Number(s)
      if (!/^-?[0-9]+$/.test(s) || !Number.isSafeInteger(n)) throw new ParseError(`array index ${s} is not a number`)
      params[i] = {known: true, value: n, derived: false}
    }
    return [{type: 'array', params}]
  }

  /**
   * `[?(left op right)]` or `[?(path)]`. The closing `)` is the first one outside the (single) quoted string; the
   * two sides are then parsed as actions of their own.
   */
  private parseFilter(): Step {
    this.pos += 3
    const start = this.pos
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const c = this.input[this.pos++]
      if (c === undefined || c === '\n') throw new ParseError('unterminated filter')
      if (c === '"' || c === "'") {
        if (!begin) {
          begin = true
          pair = c
        } else if (c === pair && this.input[this.pos - 2] !== '\\') end = true
      } else if (c === ')' && begin === end) break
    }
    if (this.input[this.pos++] !== ']') throw new ParseError('unclosed array expect ]')
    const text = this.input.slice(start, this.pos - 2)
    const m = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/.exec(text)
    if (!m) return {type: 'filter', left: parseSubAction(text), op: 'exists', right: []}
    return {type: 'filter', left: parseSubAction(m[1]), op: m[2], right: parseSubAction(m[3])}
  }

  private parseQuote(quote: string): Step {
    const start = this.pos - 1
    for (;;) {
      const c = this.input[this.pos++]
      if (c === undefined || c === '\n') throw new ParseError('unterminated quoted string')
      if (c === quote && this.input[this.pos - 2] !== '\\') break
    }
    const raw = this.input.slice(start, this.pos)
    const value = unquote(raw)
    if (value === undefined) throw new ParseError(`unquote string ${raw} error invalid syntax`)
    return {type: 'text', value}
  }

  /** Index of the next `c` on this line. */
  private scanTo(c: string, error: string): number {
    for (let i = this.pos; ; i++) {
      const x = this.input[i]
      if (x === undefined || x === '\n') throw new ParseError(error)
      if (x === c) return i
    }
  }
}

/** client-go parses pieces of brackets and filters by wrapping them in braces and parsing again; so do we. */
function parseSubAction(text: string): Step[] {
  return new Parser(`{${text}}`).parse()[0] as Step[]
}

/** Go's %#U: `U+0023 '#'`, without the quoted character when it is not printable. */
function formatRune(r: string): string {
  const hex = r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
  return r === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(r) ? `U+${hex} '${r}'` : `U+${hex}`
}

const SIMPLE_ESCAPES: Record<string, number> = {a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92}

/**
 * Go's strconv.Unquote, extended (as client-go does) to single quotes. Works in bytes because `\xHH` and octal
 * escapes produce raw bytes that only become text together; returns undefined on invalid syntax.
 */
function unquote(raw: string): string | undefined {
  const quote = raw[0]
  if (raw.length < 2 || raw.at(-1) !== quote) return undefined
  const body = raw.slice(1, -1)
  const bytes: number[] = []
  const encoder = new TextEncoder()
  const pushRune = (cp: number) => bytes.push(...encoder.encode(String.fromCodePoint(cp)))
  for (let i = 0; i < body.length;) {
    const ch = String.fromCodePoint(body.codePointAt(i)!)
    if (ch === quote) return undefined
    if (ch !== '\\') {
      bytes.push(...encoder.encode(ch))
      i += ch.length
      continue
    }
    const e = body[i + 1]
    i += 2
    if (e === undefined) return undefined
    if (e in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[e])
    else if (e === "'" || e === '"') {
      if (e !== quote) return undefined // Go accepts only the escape of the string's own quote
      bytes.push(e.charCodeAt(0))
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i, i + n)
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined
      const v = parseInt(hex, 16)
      i += n
      if (e === 'x') bytes.push(v)
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined
      else pushRune(v)
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2)
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined
      bytes.push(parseInt(oct, 8))
      i += 2
    } else return undefined
  }
  return new TextDecoder().decode(Uint8Array.from(bytes))
}
