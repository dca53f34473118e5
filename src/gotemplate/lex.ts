/**
 * The scanner of Go's text/template (golang/go src/text/template/parse/lex.go): text, `{{`/`}}` with the trim
 * markers `{{- ` and ` -}}`, comments, and the tokens inside actions. Positions are string offsets.
 */

export type TokenType =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'nil'
  | 'number'
  | 'char'
  | 'string'
  | 'rawString'
  | 'dot'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'leftParen'
  | 'rightParen'
  | 'comma'
  | 'punct'
  | 'eof'

export interface Token {
  type: TokenType
  value: string
  pos: number
  line: number
}

/** A syntax error as text/template words it: `template: output:LINE: MESSAGE`. */
export class TemplateParseError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
  ) {
    super(`template: output:${line}: ${detail}`)
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with'])
const SPACE = /[ \t\r\n]/
const ALNUM = /[\p{L}\p{Nd}_]/u

export function lex(input: string): Token[] {
  const tokens: Token[] = []
  let pos = 0
  let trimNext = false
  const lineAt = (p: number) => 1 + (input.slice(0, p).match(/\n/g)?.length ?? 0)
  const emit = (type: TokenType, start: number, end: number) =>
    tokens.push({type, value: input.slice(start, end), pos: start, line: lineAt(start)})
  while (pos < input.length) {
    let open = input.indexOf('{{', pos)
    if (open === -1) open = input.length
    const trimLeft = input.startsWith('{{- ', open) || /^\{\{-[\t\r\n]/.test(input.slice(open, open + 4))
    let textStart = pos
    let textEnd = open
    if (trimNext) while (textStart < textEnd && SPACE.test(input[textStart])) textStart++
    if (trimLeft) while (textEnd > textStart && SPACE.test(input[textEnd - 1])) textEnd--
    if (textEnd > textStart) emit('text', textStart, textEnd)
    if (open === input.length) break
    pos = open + (trimLeft ? 4 : 2)
    const afterComment = lexComment(input, pos, lineAt)
    if (afterComment !== undefined) {
      ;[pos, trimNext] = afterComment
      continue
    }
    emit('left', open, open + 2)
    ;[pos, trimNext] = lexAction(input, pos, emit, lineAt)
  }
  tokens.push({type: 'eof', value: '', pos: input.length, line: lineAt(input.length)})
  return tokens
}

/** `{{/* ... *\/}}`: nothing is emitted; returns where the text goes on and whether it is trimmed. */
function lexComment(input: string, start: number, lineAt: (p: number) => number): [number, boolean] | undefined {
  let pos = start
  if (!input.startsWith('/*', pos)) return undefined
  const close = input.indexOf('*/', pos + 2)
  if (close === -1) throw new TemplateParseError('unclosed comment', lineAt(start))
  pos = close + 2
  const trim = /^[ \t\r\n]-\}\}/.test(input.slice(pos, pos + 4))
  if (trim) return [pos + 4, true]
  if (!input.startsWith('}}', pos)) throw new TemplateParseError('comment ends before closing delimiter', lineAt(start))
  return [pos + 2, false]
}

type Emit = (type: TokenType, start: number, end: number) => void

/** The tokens of one action, up to and including `}}`; returns the position after it and whether it trims. */
function lexAction(input: string, start: number, emit: Emit, lineAt: (p: number) => number): [number, boolean] {
  let pos = start
  let depth = 0
  for (;;) {
    const trimRight = /^[ \t\r\n]-\}\}/.test(input.slice(pos, pos + 4))
    if (trimRight || input.startsWith('}}', pos)) {
      if (depth > 0) throw new TemplateParseError('unclosed left paren', lineAt(pos))
      const at = trimRight ? pos + 2 : pos
      emit('right', at, at + 2)
      return [at + 2, trimRight]
    }
    if (pos >= input.length) throw new TemplateParseError('unclosed action', lineAt(pos))
    const c = input[pos]
    if (SPACE.test(c)) {
      let end = pos
      while (end < input.length && SPACE.test(input[end]) && !/^[ \t\r\n]-\}\}/.test(input.slice(end, end + 4))) end++
      emit('space', pos, Math.max(end, pos + 1))
      pos = Math.max(end, pos + 1)
    } else if (c === '=') {
      emit('assign', pos, ++pos)
    } else if (c === ':') {
      if (input[pos + 1] !== '=') throw new TemplateParseError('expected :=', lineAt(pos))
      emit('declare', pos, (pos += 2))
    } else if (c === '|') {
      emit('pipe', pos, ++pos)
    } else if (c === '"') {
      pos = lexQuote(input, pos, emit, lineAt)
    } else if (c === '`') {
      const end = input.indexOf('`', pos + 1)
      if (end === -1) throw new TemplateParseError('unterminated raw quoted string', lineAt(pos))
      emit('rawString', pos, (pos = end + 1))
    } else if (c === "'") {
      pos = lexChar(input, pos, emit, lineAt)
    } else if (c === '$') {
      pos = lexWord(input, pos, pos + 1, 'variable', emit)
    } else if (c === '.' && !/[0-9]/.test(input[pos + 1] ?? '')) {
      if (ALNUM.test(input[pos + 1] ?? '')) pos = lexWord(input, pos, pos + 1, 'field', emit)
      else emit('dot', pos, ++pos)
    } else if (/[+\-.0-9]/.test(c)) {
      pos = lexNumber(input, pos, emit, lineAt)
    } else if (ALNUM.test(c)) {
      pos = lexWord(input, pos, pos, 'identifier', emit)
    } else if (c === '(') {
      depth++
      emit('leftParen', pos, ++pos)
    } else if (c === ')') {
      if (--depth < 0) throw new TemplateParseError('unexpected right paren', lineAt(pos))
      emit('rightParen', pos, ++pos)
    } else if (c === ',') {
      emit('comma', pos, ++pos)
    } else if (c >= ' ' && c <= '~') {
      emit('punct', pos, ++pos) // other printable ASCII: a token of its own that the parser finds unexpected
    } else {
      const cp = input.codePointAt(pos)!
      const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
      throw new TemplateParseError(`unrecognized character in action: ${u} '${String.fromCodePoint(cp)}'`, lineAt(pos))
    }
  }
}

function lexWord(input: string, start: number, from: number, type: TokenType, emit: Emit): number {
  let end = from
  while (end < input.length && ALNUM.test(input[end])) end++
  const word = input.slice(start, end)
  if (type === 'identifier')
    type = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : type
  emit(type, start, end)
  return end
}

function lexQuote(input: string, start: number, emit: Emit, lineAt: (p: number) => number): number {
  let pos = start + 1
  for (;;) {
    const c = input[pos]
    if (c === undefined || c === '\n') throw new TemplateParseError('unterminated quoted string', lineAt(start))
    if (c === '\\') pos += 2
    else if (c === '"') break
    else pos++
  }
  emit('string', start, pos + 1)
  return pos + 1
}

function lexChar(input: string, start: number, emit: Emit, lineAt: (p: number) => number): number {
  let pos = start + 1
  for (;;) {
    const c = input[pos]
    if (c === undefined || c === '\n') throw new TemplateParseError('unterminated character constant', lineAt(start))
    if (c === '\\') pos += 2
    else if (c === "'") break
    else pos++
  }
  emit('char', start, pos + 1)
  return pos + 1
}

/** Go's number syntax: hex (with hex floats), binary, octal, decimal with exponents, underscores, an imaginary i. */
const NUMBER = new RegExp(
  '^[+-]?(0[xX][0-9a-fA-F_]*\\.?[0-9a-fA-F_]*([pP][+-]?[0-9_]+)?|0[bBoO][0-9_]+|[0-9_]*\\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?',
)

function lexNumber(input: string, start: number, emit: Emit, lineAt: (p: number) => number): number {
  const m = NUMBER.exec(input.slice(start))!
  const end = start + m[0].length
  if (m[0] === '' || /^[+-]?$/.test(m[0]) || ALNUM.test(input[end] ?? '') || input[end] === '.')
    throw new TemplateParseError(`bad number syntax: "${input.slice(start, end + 1)}"`, lineAt(start))
  emit('number', start, end)
  return end
}
