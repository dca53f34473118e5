/**
 * The parser of Go's text/template (golang/go src/text/template/parse/parse.go and node.go): the same tree, the
 * same checks at parse time (unknown functions, undefined variables) and the same messages.
 */
import {lex, TemplateParseError, type Token, type TokenType} from './lex.js'
import {goQuote} from './values.js'

export type Arg =
  | {t: 'field'; pos: number; idents: string[]}
  | {t: 'variable'; pos: number; idents: string[]}
  | {t: 'chain'; pos: number; node: Arg; fields: string[]}
  | {t: 'identifier'; pos: number; name: string}
  | {t: 'dot'; pos: number}
  | {t: 'nil'; pos: number}
  | {t: 'bool'; pos: number; value: boolean}
  | {t: 'number'; pos: number; text: string; value: number; isFloat: boolean}
  | {t: 'string'; pos: number; text: string; value: string}
  | Pipe

export interface Command {
  t: 'command'
  pos: number
  args: Arg[]
}

export interface Pipe {
  t: 'pipe'
  pos: number
  isAssign: boolean
  decl: string[]
  cmds: Command[]
}

export type Node =
  | {t: 'text'; pos: number; text: string}
  | {t: 'action'; pos: number; pipe: Pipe}
  | Control
  | TemplateCall
  | {t: 'break' | 'continue'; pos: number}

export interface Control {
  t: 'if' | 'with' | 'range'
  pos: number
  pipe: Pipe
  list: Node[]
  elseList?: Node[]
}

export interface TemplateCall {
  t: 'template'
  pos: number
  name: string
  pipe?: Pipe
}

export interface Tree {
  root: Node[]
  /** `{{define "name"}}` and `{{block}}` bodies. */
  defines: Map<string, Node[]>
}

type End = {t: 'end' | 'else'; pos: number}

export function parseTemplate(text: string, functions: Set<string>): Tree {
  return new Parser(lex(text), functions).parseAll()
}

class Parser {
  private i = 0
  private vars: string[] = ['$']
  private rangeDepth = 0
  private readonly defines = new Map<string, Node[]>()

  constructor(
    private readonly tokens: Token[],
    private readonly functions: Set<string>,
  ) {}

  parseAll(): Tree {
    const root: Node[] = []
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'left' && this.peekNonSpaceAt(this.i + 1).value === 'define') {
        this.next()
        this.nextNonSpace()
        this.parseDefinition()
        continue
      }
      const n = this.textOrAction()
      if (n.t === 'end' || n.t === 'else') this.fail(`unexpected {{${n.t}}}`)
      root.push(n as Node)
    }
    return {root, defines: this.defines}
  }

  fail(message: string, token: Token = this.tokens[Math.max(this.i - 1, 0)]): never {
    throw new TemplateParseError(message, token.line)
  }

  private peek(): Token {
    return this.tokens[this.i]
  }
  private next(): Token {
    return this.tokens[this.i++]
  }
  private peekNonSpaceAt(i: number): Token {
    while (this.tokens[i].type === 'space') i++
    return this.tokens[i]
  }
  private peekNonSpace(): Token {
    while (this.peek().type === 'space') this.i++
    return this.peek()
  }
  private nextNonSpace(): Token {
    this.peekNonSpace()
    return this.next()
  }
  private expect(type: TokenType, context: string): Token {
    const token = this.nextNonSpace()
    if (token.type !== type) this.unexpected(token, context)
    return token
  }

  private unexpected(token: Token, context: string): never {
    this.fail(`unexpected ${describe(token)} in ${context}`, token)
  }

  private parseDefinition(): void {
    const name = this.expect('string', 'define clause')
    this.expect('right', 'define clause')
    const [list, end] = this.itemList()
    if (end.t !== 'end') this.fail(`unexpected {{${end.t}}} in define clause`)
    this.defines.set(unquote(name, this), list)
  }

  private itemList(): [Node[], End] {
    const list: Node[] = []
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction()
      if (n.t === 'end' || n.t === 'else') return [list, n as End]
      list.push(n as Node)
    }
    this.fail('unexpected EOF', this.peek())
  }

  private textOrAction(): Node | End {
    const token = this.nextNonSpace()
    if (token.type === 'text') return {t: 'text', pos: token.pos, text: token.value}
    if (token.type === 'left') return this.action()
    this.unexpected(token, 'input')
  }

  private action(): Node | End {
    const token = this.nextNonSpace()
    if (token.type === 'keyword') {
      switch (token.value) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(token.value)
        case 'end':
          return {t: 'end', pos: this.expect('right', 'end').pos}
        case 'else':
          return this.elseControl(token)
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(`{{${token.value}}} outside {{range}}`)
          this.expect('right', token.value)
          return {t: token.value, pos: token.pos}
        case 'template':
          return this.templateControl()
        case 'block': {
          const node = this.templateControl('block clause')
          const [list, end] = this.itemList()
          if (end.t !== 'end') this.fail(`unexpected {{${end.t}}} in block clause`)
          this.defines.set(node.t === 'template' ? node.name : '', list)
          return node
        }
      }
      this.fail(`unexpected <${token.value}> in command`, token)
    }
    this.i--
    const start = this.peek()
    const pipe = this.pipeline('command', 'right')
    return {t: 'action', pos: start.pos, pipe}
  }

  private elseControl(token: Token): End {
    const peek = this.peekNonSpace()
    // "else if" and "else with" start a nested control without an {{end}} of their own.
    if (peek.type === 'keyword' && (peek.value === 'if' || peek.value === 'with')) return {t: 'else', pos: peek.pos}
    this.expect('right', 'else')
    return {t: 'else', pos: token.pos}
  }

  private control(kind: 'if' | 'with' | 'range'): Node {
    const mark = this.vars.length
    const pipe = this.pipeline(kind, 'right')
    if (kind === 'range') this.rangeDepth++
    const [list, next] = this.itemList()
    if (kind === 'range') this.rangeDepth--
    let elseList: Node[] | undefined
    if (next.t === 'else') {
      const peek = this.peek()
      if (kind !== 'range' && peek.type === 'keyword' && peek.value === kind) {
        this.next()
        elseList = [this.control(kind)]
      } else {
        const [rest, end] = this.itemList()
        if (end.t !== 'end') this.fail(`expected end; found {{${end.t}}}`)
        elseList = rest
      }
    }
    this.vars.length = mark
    return {t: kind, pos: pipe.pos, pipe, list, elseList}
  }

  private templateControl(context = 'template clause'): Node {
    const token = this.expect(this.peekNonSpace().type === 'rawString' ? 'rawString' : 'string', context)
    const name = unquote(token, this)
    let pipe: Pipe | undefined
    if (this.peekNonSpace().type !== 'right') pipe = this.pipeline(context, 'right')
    else this.next()
    return {t: 'template', pos: token.pos, name, pipe}
  }

  private pipeline(context: string, end: TokenType): Pipe {
    const start = this.peekNonSpace()
    const pipe: Pipe = {t: 'pipe', pos: start.pos, isAssign: false, decl: [], cmds: []}
    this.declarations(pipe, context)
    for (;;) {
      const token = this.nextNonSpace()
      if (token.type === end) {
        this.checkPipeline(pipe, context)
        return pipe
      }
      if (!OPERAND_START.has(token.type)) this.unexpected(token, context)
      this.i--
      pipe.cmds.push(this.command())
    }
  }

  private declarations(pipe: Pipe, context: string): void {
    for (;;) {
      const v = this.peekNonSpace()
      if (v.type !== 'variable') return
      const save = this.i
      this.next()
      const next = this.peekNonSpace()
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign'
        this.next()
        pipe.decl.push(v.value)
        this.vars.push(v.value)
        return
      }
      if (next.type === 'comma') {
        this.next()
        pipe.decl.push(v.value)
        this.vars.push(v.value)
        if (context === 'range' && pipe.decl.length < 2) {
          if (['variable', 'right', 'rightParen'].includes(this.peekNonSpace().type)) continue
          this.fail('range can only initialize variables')
        }
        this.fail(`too many declarations in ${context}`)
      }
      this.i = save
      return
    }
  }

  private checkPipeline(pipe: Pipe, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`)
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].t))
        this.fail(`non executable command in pipeline stage ${i + 2}`)
    })
  }

  private command(): Command {
    const cmd: Command = {t: 'command', pos: this.peekNonSpace().pos, args: []}
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand) cmd.args.push(operand)
      const token = this.next()
      if (token.type === 'space') continue
      if (token.type === 'right' || token.type === 'rightParen') this.i--
      else if (token.type !== 'pipe') this.unexpected(token, 'operand')
      break
    }
    if (cmd.args.length === 0) this.fail('empty command')
    return cmd
  }

  private operand(): Arg | undefined {
    const node = this.term()
    if (!node || this.peek().type !== 'field') return node
    const pos = this.peek().pos
    const fields: string[] = []
    while (this.peek().type === 'field') fields.push(this.next().value.slice(1))
    if (node.t === 'field' || node.t === 'variable') return {t: node.t, pos, idents: [...node.idents, ...fields]}
    if (['bool', 'string', 'number', 'nil', 'dot'].includes(node.t))
      this.fail(`unexpected . after term ${JSON.stringify(argString(node))}`)
    return {t: 'chain', pos, node, fields}
  }

  private term(): Arg | undefined {
    const token = this.nextNonSpace()
    const pos = token.pos
    switch (token.type) {
      case 'identifier':
        if (!this.functions.has(token.value)) this.fail(`function "${token.value}" not defined`)
        return {t: 'identifier', pos, name: token.value}
      case 'dot':
        return {t: 'dot', pos}
      case 'nil':
        return {t: 'nil', pos}
      case 'variable': {
        const [name, ...fields] = token.value.split('.')
        if (!this.vars.includes(name)) this.fail(`undefined variable "${name}"`)
        return {t: 'variable', pos, idents: [name, ...fields]}
      }
      case 'field':
        return {t: 'field', pos, idents: [token.value.slice(1)]}
      case 'bool':
        return {t: 'bool', pos, value: token.value === 'true'}
      case 'number':
      case 'char':
        return parseNumber(token, this)
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen')
      case 'string':
      case 'rawString':
        return {t: 'string', pos, text: token.value, value: unquote(token, this)}
    }
    this.i--
    return undefined
  }
}

const OPERAND_START = new Set<TokenType>([
  'bool',
  'char',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
])

/** How text/template shows a token in "unexpected ..." messages (lex.go item.String). */
function describe(token: Token): string {
  if (token.type === 'eof') return 'EOF'
  if (token.type === 'keyword') return `<${token.value}>`
  if (token.type === 'right') return '"}}"'
  // Go: fmt.Sprintf("%.10q...", i.val) past 10 runes (text/template/parse/lex.go, item.String).
  const runes = [...token.value]
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`
  return goQuote(token.value)
}

const ESCAPES: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v'}

/** strconv.Unquote for "..." and `...` literals. */
function unquote(token: Token, parser: {fail(m: string): never}): string {
  const text = token.value
  if (text.startsWith('`')) return text.slice(1, -1).replace(/\r/g, '')
  let out = ''
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]
    if (c !== '\\') {
      out += c
      continue
    }
    const e = text[++i]
    if (e in ESCAPES) out += ESCAPES[e]
    else if (e === '\\' || e === '"' || e === "'") out += e
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = text.slice(i + 1, i + 1 + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) parser.fail('invalid syntax')
      out += e === 'x' ? Buffer.from([parseInt(hex, 16)]).toString('latin1') : String.fromCodePoint(parseInt(hex, 16))
      i += n
    } else if (/[0-7]/.test(e)) {
      out += String.fromCharCode(parseInt(text.slice(i, i + 3), 8))
      i += 2
    } else parser.fail('invalid syntax')
  }
  return out
}

/** Number and character constants (parse/node.go newNumber): ints stay ints, `1.0` and `1e3` are floats. */
function parseNumber(token: Token, parser: {fail(m: string): never}): Arg {
  const text = token.value
  if (token.type === 'char') {
    const s = unquote({...token, value: `"${text.slice(1, -1)}"`}, parser)
    const cp = s.codePointAt(0)
    if (cp === undefined || String.fromCodePoint(cp) !== s) parser.fail(`malformed character constant: ${text}`)
    return {t: 'number', pos: token.pos, text, value: cp, isFloat: false}
  }
  if (text.endsWith('i')) parser.fail(`complex numbers are not supported: ${text}`)
  const clean = text.replace(/_/g, '')
  const sign = clean.startsWith('-') ? -1 : 1
  const body = clean.replace(/^[+-]/, '')
  const hexInt = /^0[xX][0-9a-fA-F]+$/.test(body)
  const isFloat = !hexInt && /[.eEpP]/.test(body)
  let value: number
  if (/^0[xX]/.test(body) && !hexInt) parser.fail(`hexadecimal floats are not supported: ${text}`)
  if (hexInt || /^0[bBoO]/.test(body)) value = Number(body.toLowerCase())
  else if (!isFloat && /^0[0-7]+$/.test(body)) value = parseInt(body, 8)
  else value = Number(body)
  if (Number.isNaN(value)) parser.fail(`illegal number syntax: ${JSON.stringify(text)}`)
  return {t: 'number', pos: token.pos, text, value: sign * value, isFloat}
}

/** A node as text/template prints it in error messages (node.go String methods). */
export function argString(n: Arg | Command): string {
  switch (n.t) {
    case 'field':
      return n.idents.map((i) => `.${i}`).join('')
    case 'variable':
      return n.idents.join('.')
    case 'chain':
      return (
        (n.node.t === 'pipe' ? `(${argString(n.node)})` : argString(n.node)) + n.fields.map((f) => `.${f}`).join('')
      )
    case 'identifier':
      return n.name
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return String(n.value)
    case 'number':
    case 'string':
      return n.text
    case 'command':
      return n.args.map((a) => (a.t === 'pipe' ? `(${argString(a)})` : argString(a))).join(' ')
    case 'pipe': {
      const decl = n.decl.length ? `${n.decl.join(', ')} ${n.isAssign ? '=' : ':='} ` : ''
      return decl + n.cmds.map(argString).join(' | ')
    }
  }
}
