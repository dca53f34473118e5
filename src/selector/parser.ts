/**
 * Calico selector parser: a port of libcalico-go/lib/selector/parser/parser.go (v3.32),
 * with Calico's error messages, plus the `Selector` object handed to callers.
 *
 * Grammar (`||` binds loosest, then `&&`, then prefix `!`):
 *   selector  := <empty> | or
 *   or        := and ('||' and)*
 *   and       := operation ('&&' operation)*
 *   operation := '!'* ( has(label) | all() | global() | '(' or ')'
 *                     | label ('=='|'!='|contains|starts with|ends with) literal
 *                     | label ('in'|'not in') '{' [literal (',' literal)* [',']] '}' )
 */
import {compareGoStrings} from '../core/go-strings.js'
import {compile, nodeToString, toStringSet, walk, type Labels, type LabelValueNode, type SelectorNode} from './ast.js'
import {SelectorError} from './errors.js'
import {tokenString, tokenize, type Token} from './tokenizer.js'

/**
 * Deepest parenthesis nesting accepted. Calico has no limit (Go stacks grow); here a
 * limit turns a would-be stack overflow into a SelectorError. No real selector comes close.
 */
export const MAX_NESTING = 512

const VALUE_OPS: Partial<Record<Token['kind'], LabelValueNode['type']>> = {
  TokEq: 'eq',
  TokNe: 'ne',
  TokContains: 'contains',
  TokStartsWith: 'startsWith',
  TokEndsWith: 'endsWith',
}

class Parser {
  private pos = 0

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseRoot(): SelectorNode {
    // Empty (or blank) selector selects everything.
    if (this.peek().kind === 'TokEOF') return {type: 'all'}
    const node = this.parseOr(0)
    if (this.tokens.length - this.pos !== 1) {
      // Go prints the remaining token slice: `[TokRParen() TokEOF()]`.
      const rest = this.tokens.slice(this.pos).map(tokenString).join(' ')
      this.fail(`unexpected content at end of selector [${rest}]`, this.peek())
    }
    return node
  }

  private peek(ahead = 0): Token {
    // The token list always ends with TokEOF, which is never consumed.
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!
  }

  private fail(message: string, at: Token): never {
    throw new SelectorError(message, this.text, at.offset)
  }

  private parseOr(depth: number): SelectorNode {
    const first = this.parseAnd(depth)
    if (this.peek().kind !== 'TokOr') return first
    const operands = [first]
    while (this.peek().kind === 'TokOr') {
      this.pos++
      operands.push(this.parseAnd(depth))
    }
    return {type: 'or', operands}
  }

  private parseAnd(depth: number): SelectorNode {
    const first = this.parseOperation(depth)
    if (this.peek().kind !== 'TokAnd') return first
    const operands = [first]
    while (this.peek().kind === 'TokAnd') {
      this.pos++
      operands.push(this.parseOperation(depth))
    }
    return {type: 'and', operands}
  }

  private parseOperation(depth: number): SelectorNode {
    // Leading `!`s collapse to one boolean, as in Calico.
    let negated = false
    while (this.peek().kind === 'TokNot') {
      negated = !negated
      this.pos++
    }

    const t = this.peek()
    let node: SelectorNode
    switch (t.kind) {
      case 'TokHas':
        node = {type: 'has', label: t.value}
        this.pos++
        break
      case 'TokAll':
        node = {type: 'all'}
        this.pos++
        break
      case 'TokGlobal':
        node = {type: 'global'}
        this.pos++
        break
      case 'TokLabel':
        node = this.parseLabelOperation(t)
        break
      case 'TokLParen': {
        if (depth >= MAX_NESTING) this.fail('selector nested too deeply', t)
        this.pos++
        node = this.parseOr(depth + 1)
        const close = this.peek()
        if (close.kind !== 'TokRParen') this.fail('expected )', close)
        this.pos++
        break
      }
      default:
        return this.fail(`unexpected token: ${tokenString(t)}`, t)
    }

    if (!negated) return node
    // `!(!x)` is x. Calico would print it as `!!x`, which re-parses as x; collapsing
    // here keeps the canonical form stable under re-parsing (see index.ts).
    return node.type === 'not' ? node.operand : {type: 'not', operand: node}
  }

  private parseLabelOperation(label: Token): SelectorNode {
    // A label needs at least an operator and an operand before EOF.
    if (this.tokens.length - this.pos < 3) this.fail('unexpected end of string looking for op', this.peek(1))
    const op = this.peek(1)
    const rhs = this.peek(2)

    const valueOp = VALUE_OPS[op.kind]
    if (valueOp !== undefined) {
      if (rhs.kind !== 'TokStringLiteral') this.fail('expected string', rhs)
      this.pos += 3
      return {type: valueOp, label: label.value, value: rhs.value}
    }

    if (op.kind === 'TokIn' || op.kind === 'TokNotIn') {
      if (rhs.kind !== 'TokLBrace') this.fail('expected set literal', rhs)
      this.pos += 3
      const values: string[] = []
      // Literals separated by commas; a trailing comma is accepted, as in Calico.
      while (this.peek().kind === 'TokStringLiteral') {
        values.push(this.peek().value)
        this.pos++
        if (this.peek().kind !== 'TokComma') break
        this.pos++
      }
      const close = this.peek()
      if (close.kind !== 'TokRBrace') this.fail('expected }', close)
      this.pos++
      return {type: op.kind === 'TokIn' ? 'in' : 'notIn', label: label.value, values: toStringSet(values)}
    }

    return this.fail(`expected == or != not: ${tokenString(op)}`, op)
  }
}

/** A parsed Calico selector. Immutable; cheap to evaluate many times. */
export class Selector {
  /** The text it was parsed from. */
  readonly text: string
  /** The syntax tree (double negations through parentheses already collapsed). */
  readonly ast: SelectorNode
  /**
   * True if the labels satisfy the selector. Calico semantics: `!=` and `not in` hold
   * when the label is absent; `all()` and `global()` always hold. Only own string
   * properties of `labels` count as labels. Allocates nothing; may be detached
   * (`endpoints.filter(sel.matches)`).
   */
  readonly matches: (labels: Labels) => boolean

  private readonly canonical: string
  private readonly globalOnly: boolean
  private keys: readonly string[] | undefined

  /** @internal Use parseSelector(). */
  constructor(text: string, ast: SelectorNode, globalOnly: boolean) {
    this.text = text
    this.ast = ast
    this.globalOnly = globalOnly
    this.canonical = nodeToString(ast)
    this.matches = compile(ast)
  }

  /** Calico's canonical form, e.g. `!(has(b) || !has(a))`; re-parses to the same form. */
  toString(): string {
    return this.canonical
  }

  toJSON(): string {
    return this.canonical
  }

  /**
   * True if `global()` appears anywhere in the tree. Note Calico's validator tests raw
   * text instead (`selector` containing "global()"; a `namespaceSelector` containing
   * "global(" that is not isGlobalOnly()), so it also trips on a literal such as
   * `a == "global()"`; a validator wanting that exact behaviour should test the text.
   */
  usesGlobal(): boolean {
    let found = false
    walk(this.ast, (n) => {
      if (n.type === 'global') found = true
    })
    return found
  }

  /**
   * True if the text is exactly the one token `global()` (spaces allowed), which is
   * Calico's test for a namespaceSelector: `(global())` or `!!global()` do not count.
   */
  isGlobalOnly(): boolean {
    return this.globalOnly
  }

  /** Label names the selector refers to, sorted and de-duplicated. */
  labelKeys(): string[] {
    if (this.keys === undefined) {
      const keys = new Set<string>()
      walk(this.ast, (n) => {
        if ('label' in n) keys.add(n.label)
      })
      this.keys = [...keys].sort(compareGoStrings)
    }
    return [...this.keys]
  }
}

/**
 * Parses a Calico selector. An empty or blank selector is `all()`.
 * @throws SelectorError with Calico's message and the column of the problem.
 */
export function parseSelector(text: string): Selector {
  const tokens = tokenize(text)
  const ast = new Parser(text, tokens).parseRoot()
  const globalOnly = tokens.length === 2 && tokens[0]!.kind === 'TokGlobal'
  return new Selector(text, ast, globalOnly)
}

/** parseSelector() without throwing for bad selectors (other errors still throw). */
export function trySelector(text: string): {selector: Selector} | {error: SelectorError} {
  try {
    return {selector: parseSelector(text)}
  } catch (e) {
    if (e instanceof SelectorError) return {error: e}
    throw e
  }
}
