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

/** True if `label` is a whole, valid Calico label name (Go's `tokenizer.ValidLabel`). */
export function isValidLabel(label: string): boolean {
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH) return false
  for (let i = 0; i < label.length; i++) if (!isIdentChar(label.charCodeAt(i))) return false
  return true
}

/**
 * Tokenizes the whole selector, ending with a TokEOF token. Like Calico, the entire
 * input is tokenized before parsing starts, so a tokenizer error wins over a parse
 * error that comes earlier in the text.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const n = text.length
  let i = 0

  // Calico's whitespace is space and tab only.
  const skipWs = (from: number): number => {
    let j = from
    while (j < n) {
      const c = text.charCodeAt(j)
      if (c !== 0x20 && c !== 0x09) break
      j++
    }
    return j
  }
  const fail = (message: string, at: number): never => {
    throw new SelectorError(message, text, at)
  }
  const push = (kind: TokenKind, value: string, offset: number): void => {
    tokens.push({kind, value, offset})
  }
  // Go's cutIdentifier: the longest run of label characters, 1..512 long.
  const cutIdentifier = (from: number): number => {
    let j = from
    while (j < n && isIdentChar(text.charCodeAt(j))) j++
    if (j === from) fail('expected identifier', from)
    if (j - from > MAX_LABEL_LENGTH) fail(`label too long: ${text.slice(from, j)}`, from)
    return j
  }
  const wordBoundaryAt = (j: number): boolean => j >= n || !isIdentChar(text.charCodeAt(j))
  // Go's cutPrefixCheckBreak: the word, then a word boundary right after it.
  const cutWord = (from: number, word: string): number =>
    text.startsWith(word, from) && wordBoundaryAt(from + word.length) ? from + word.length : -1
  // Go's cutMultiWordPrefixCheckBreak: the words with any spaces/tabs (or none) after
  // each, then a word boundary. Whitespace after the last word is skipped before that
  // check too, so `a starts with x` fails here (Calico quirk) while `a in x` does not.
  const cutWords = (from: number, ...words: string[]): number => {
    let j = from
    for (const w of words) {
      if (!text.startsWith(w, j)) return -1
      j = skipWs(j + w.length)
    }
    return wordBoundaryAt(j) ? j : -1
  }

  for (;;) {
    i = skipWs(i)
    if (i >= n) {
      push('TokEOF', '', n)
      return tokens
    }
    const start = i
    const prev = tokens.length > 0 ? tokens[tokens.length - 1]! : undefined
    const c = text[i]
    switch (c) {
      case '(':
        push('TokLParen', '', start)
        i++
        break
      case ')':
        push('TokRParen', '', start)
        i++
        break
      case '"':
      case "'": {
        // No escapes: the literal runs to the next quote of the same kind.
        const end = text.indexOf(c, i + 1)
        if (end === -1) fail('unterminated string', start)
        push('TokStringLiteral', text.slice(i + 1, end), start)
        i = end + 1
        break
      }
      case '{':
        push('TokLBrace', '', start)
        i++
        break
      case '}':
        push('TokRBrace', '', start)
        i++
        break
      case ',':
        push('TokComma', '', start)
        i++
        break
      case '=':
        if (text[i + 1] !== '=') fail('expected ==', start)
        push('TokEq', '', start)
        i += 2
        break
      case '!':
        if (text[i + 1] === '=') {
          push('TokNe', '', start)
          i += 2
        } else {
          push('TokNot', '', start)
          i++
        }
        break
      case '&':
        if (text[i + 1] !== '&') fail('expected &&', start)
        push('TokAnd', '', start)
        i += 2
        break
      case '|':
        if (text[i + 1] !== '|') fail('expected ||', start)
        push('TokOr', '', start)
        i += 2
        break
      default: {
        if (prev?.kind === 'TokLabel') {
          // Right after a label only a word operator may follow (symbols were handled above).
          let j: number
          if ((j = cutWord(i, 'contains')) >= 0) push('TokContains', '', start)
          else if ((j = cutWords(i, 'starts', 'with')) >= 0) push('TokStartsWith', '', start)
          else if ((j = cutWords(i, 'ends', 'with')) >= 0) push('TokEndsWith', '', start)
          else if ((j = cutWords(i, 'not', 'in')) >= 0) push('TokNotIn', '', start)
          else if ((j = cutWord(i, 'in')) >= 0) push('TokIn', '', start)
          else return fail(`expected operator after label "${prev.value}"`, start)
          i = j
        } else if (text.startsWith('has(', i)) {
          const identStart = skipWs(i + 4)
          const identEnd = cutIdentifier(identStart)
          const close = skipWs(identEnd)
          if (text[close] !== ')') fail("no closing ')' after has(", close)
          push('TokHas', text.slice(identStart, identEnd), start)
          i = close + 1
        } else if (text.startsWith('all(', i)) {
          const close = skipWs(i + 4)
          if (text[close] !== ')') fail("no closing ')' after all(", close)
          push('TokAll', '', start)
          i = close + 1
        } else if (text.startsWith('global(', i)) {
          const close = skipWs(i + 7)
          if (text[close] !== ')') fail("no closing ')' after global(", close)
          push('TokGlobal', '', start)
          i = close + 1
        } else {
          const end = cutIdentifier(i)
          push('TokLabel', text.slice(i, end), start)
          i = end
        }
      }
    }
    // Calico's own guard; every branch above consumes input, so this never fires.
    if (i <= start) fail('infinite loop detected in tokenizer', start)
  }
}
