/**
 * Calico selector tokenizer: a port of libcalico-go/lib/selector/tokenizer/tokenizer.go
 * (v3.32). Same token kinds (named as Go's stringer prints them, since they appear in
 * error messages), same error messages, same quirks; plus each token's offset so
 * errors can carry a column.
 */
import {SelectorError} from './errors.js'

export type TokenKind =
  | 'TokLabel'
  | 'TokStringLiteral'
  | 'TokLBrace'
  | 'TokRBrace'
  | 'TokComma'
  | 'TokEq'
  | 'TokNe'
  | 'TokIn'
  | 'TokNot'
  | 'TokNotIn'
  | 'TokContains'
  | 'TokStartsWith'
  | 'TokEndsWith'
  | 'TokAll'
  | 'TokHas'
  | 'TokLParen'
  | 'TokRParen'
  | 'TokAnd'
  | 'TokOr'
  | 'TokGlobal'
  | 'TokEOF'

export interface Token {
  readonly kind: TokenKind
  /** Label name (TokLabel, TokHas) or literal content without quotes; '' otherwise. */
  readonly value: string
  /** 0-based UTF-16 offset of the token's first character (text length for TokEOF). */
  readonly offset: number
}

/** Calico's MaxLabelLength: label names longer than this are rejected. */
export const MAX_LABEL_LENGTH = 512

/** Go's `Token.String()`: `Kind(value)`, used verbatim in parser error messages. */
export function tokenString(t: Token): string {
  return `${t.kind}(${t.value})`
}

// [a-zA-Z0-9_./-]
function isIdentChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2e || // .
    c === 0x2f || // /
    c === 0x2d // -
  )
}

/**
 * Tokenizes the whole selector, ending with a TokEOF token. Like Calico, the entire
 * input is tokenized before parsing starts, so a tokenizer error wins over a parse
 * error that comes earlier in the text.
 */
export function tokenize(text: string): Token[] {
  const scanner = new Scanner(text)
  let i = 0
  for (;;) {
    i = scanner.skipWs(i)
    if (i >= text.length) {
      scanner.push('TokEOF', '', text.length)
      return scanner.tokens
    }
    const next = scanner.symbol(i) ?? scanner.word(i)
    // Calico's own guard; every branch consumes input, so this never fires.
    if (next <= i) scanner.fail('infinite loop detected in tokenizer', i)
    i = next
  }
}

/** Single-character tokens. */
const SINGLE: Record<string, TokenKind> = {
  '(': 'TokLParen',
  ')': 'TokRParen',
  '{': 'TokLBrace',
  '}': 'TokRBrace',
  ',': 'TokComma',
}

/** Two-character tokens whose first character is nothing on its own. */
const DOUBLE: Record<string, TokenKind> = {'=': 'TokEq', '&': 'TokAnd', '|': 'TokOr'}

/** The `name(` functions without arguments, and their tokens. */
const NULLARY: Array<[string, TokenKind]> = [
  ['all(', 'TokAll'],
  ['global(', 'TokGlobal'],
]

class Scanner {
  readonly tokens: Token[] = []
  private readonly n: number

  constructor(private readonly text: string) {
    this.n = text.length
  }

  push(kind: TokenKind, value: string, offset: number): void {
    this.tokens.push({kind, value, offset})
  }

  fail(message: string, at: number): never {
    throw new SelectorError(message, this.text, at)
  }

  /** Calico's whitespace is space and tab only. */
  skipWs(from: number): number {
    let j = from
    while (j < this.n) {
      const c = this.text.charCodeAt(j)
      if (c !== 0x20 && c !== 0x09) break
      j++
    }
    return j
  }

  /** Punctuation and symbolic operators at `i`: the offset after the token, or undefined if `i` starts a word. */
  symbol(i: number): number | undefined {
    const c = this.text[i]!
    const single = SINGLE[c]
    if (single) {
      this.push(single, '', i)
      return i + 1
    }
    const double = DOUBLE[c]
    if (double) {
      if (this.text[i + 1] !== c) this.fail(`expected ${c}${c}`, i)
      this.push(double, '', i)
      return i + 2
    }
    if (c === '!') {
      const ne = this.text[i + 1] === '='
      this.push(ne ? 'TokNe' : 'TokNot', '', i)
      return i + (ne ? 2 : 1)
    }
    if (c === '"' || c === "'") {
      // No escapes: the literal runs to the next quote of the same kind.
      const end = this.text.indexOf(c, i + 1)
      if (end === -1) this.fail('unterminated string', i)
      this.push('TokStringLiteral', this.text.slice(i + 1, end), i)
      return end + 1
    }
    return undefined
  }

  /** A word operator after a label, a function (`has(x)`, `all()`, `global()`), or a label. */
  word(i: number): number {
    const prev = this.tokens[this.tokens.length - 1]
    // Right after a label only a word operator may follow (symbols were handled before).
    if (prev?.kind === 'TokLabel') return this.operator(i, prev.value)
    if (this.text.startsWith('has(', i)) return this.has(i)
    for (const [word, kind] of NULLARY) {
      if (!this.text.startsWith(word, i)) continue
      const close = this.skipWs(i + word.length)
      if (this.text[close] !== ')') this.fail(`no closing ')' after ${word}`, close)
      this.push(kind, '', i)
      return close + 1
    }
    const end = this.cutIdentifier(i)
    this.push('TokLabel', this.text.slice(i, end), i)
    return end
  }

  private operator(i: number, label: string): number {
    let j: number
    if ((j = this.cutWord(i, 'contains')) >= 0) this.push('TokContains', '', i)
    else if ((j = this.cutWords(i, 'starts', 'with')) >= 0) this.push('TokStartsWith', '', i)
    else if ((j = this.cutWords(i, 'ends', 'with')) >= 0) this.push('TokEndsWith', '', i)
    else if ((j = this.cutWords(i, 'not', 'in')) >= 0) this.push('TokNotIn', '', i)
    else if ((j = this.cutWord(i, 'in')) >= 0) this.push('TokIn', '', i)
    else return this.fail(`expected operator after label "${label}"`, i)
    return j
  }

  private has(i: number): number {
    const identStart = this.skipWs(i + 4)
    const identEnd = this.cutIdentifier(identStart)
    const close = this.skipWs(identEnd)
    if (this.text[close] !== ')') this.fail("no closing ')' after has(", close)
    this.push('TokHas', this.text.slice(identStart, identEnd), i)
    return close + 1
  }

  /** Go's cutIdentifier: the longest run of label characters, 1..512 long. */
  private cutIdentifier(from: number): number {
    let j = from
    while (j < this.n && isIdentChar(this.text.charCodeAt(j))) j++
    if (j === from) this.fail('expected identifier', from)
    if (j - from > MAX_LABEL_LENGTH) this.fail(`label too long: ${this.text.slice(from, j)}`, from)
    return j
  }

  private wordBoundaryAt(j: number): boolean {
    return j >= this.n || !isIdentChar(this.text.charCodeAt(j))
  }

  /** Go's cutPrefixCheckBreak: the word, then a word boundary right after it. */
  private cutWord(from: number, word: string): number {
    return this.text.startsWith(word, from) && this.wordBoundaryAt(from + word.length) ? from + word.length : -1
  }

  /**
   * Go's cutMultiWordPrefixCheckBreak: the words with any spaces/tabs (or none) after each, then a word boundary.
   * Whitespace after the last word is skipped before that check too, so `a starts with x` fails here (Calico quirk)
   * while `a in x` does not.
   */
  private cutWords(from: number, ...words: string[]): number {
    let j = from
    for (const w of words) {
      if (!this.text.startsWith(w, j)) return -1
      j = this.skipWs(j + w.length)
    }
    return this.wordBoundaryAt(j) ? j : -1
  }
}
