// Label and field selectors, parsed like k8s.io/apimachinery/pkg/labels and pkg/fields so that
// errors carry the real server's messages.

import {aggregate, fieldErrorString, type FieldError} from './status.js'
import {isQualifiedName, isValidLabelValue} from './validation.js'

// ---------- label selectors ----------

type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!'

export interface Requirement {
  key: string
  op: Op
  values: string[]
}

export type LabelSelector = Requirement[]

enum Tok {
  Error,
  End,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
}

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const isSpecial = (c: string) => '=!(),><'.includes(c)

function lex(s: string): Array<[Tok, string]> {
  const out: Array<[Tok, string]> = []
  let pos = 0
  for (;;) {
    while (pos < s.length && isWhitespace(s.charAt(pos))) pos++
    if (pos >= s.length) {
      out.push([Tok.End, ''])
      return out
    }
    if (isSpecial(s.charAt(pos))) {
      // longest run of special symbols that still forms a known token
      let buf = ''
      let last: [Tok, string] | undefined
      while (pos < s.length && isSpecial(s.charAt(pos))) {
        buf += s.charAt(pos)
        const tok = string2token[buf]
        if (tok !== undefined) {
          last = [tok, buf]
          pos++
        } else if (last) {
          break
        } else {
          pos++
        }
      }
      out.push(last ?? [Tok.Error, `error expected: keyword found '${buf}'`])
    } else {
      let buf = ''
      while (pos < s.length && !isSpecial(s.charAt(pos)) && !isWhitespace(s.charAt(pos))) buf += s.charAt(pos++)
      out.push([string2token[buf] ?? Tok.Identifier, buf])
    }
  }
}

class SelectorParseError extends Error {}

/** Parses a label selector; throws Error with the apimachinery message on bad input. */
export function parseLabelSelector(selector: string): LabelSelector {
  const items = lex(selector)
  let position = 0
  // In the "values" context the keywords in/notin are plain identifiers.
  const look = (values: boolean): [Tok, string] => {
    const [t, l] = items[position] ?? [Tok.End, '']
    return values && (t === Tok.In || t === Tok.NotIn) ? [Tok.Identifier, l] : [t, l]
  }
  const consume = (values: boolean): [Tok, string] => {
    const r = look(values)
    position++
    return r
  }
  const fail = (m: string): never => {
    throw new SelectorParseError(m)
  }

  const parseRequirement = (): Requirement => {
    let [tok, lit] = consume(true)
    let op: Op | undefined
    if (tok === Tok.DoesNotExist) {
      op = '!'
      ;[tok, lit] = consume(true)
    }
    if (tok !== Tok.Identifier) fail(`found '${lit}', expected: identifier`)
    const key = lit
    const keyErrs = isQualifiedName(key)
    // the parser passes a nil field.Path, which prints as "<nil>"
    if (keyErrs.length)
      fail(fieldErrorString({type: 'Invalid value', field: '<nil>', value: key, detail: keyErrs.join('; ')}))
    const [next] = look(true)
    // "!key" never takes an operator: whatever follows is the outer loop's problem
    if (op === '!') return validate({key, op, values: []})
    if (next === Tok.End || next === Tok.Comma) return validate({key, op: 'exists', values: []})
    const [ot, ol] = consume(false)
    const opMap: Partial<Record<Tok, Op>> = {
      [Tok.In]: 'in',
      [Tok.Equals]: '=',
      [Tok.DoubleEquals]: '==',
      [Tok.GreaterThan]: 'gt',
      [Tok.LessThan]: 'lt',
      [Tok.NotIn]: 'notin',
      [Tok.NotEquals]: '!=',
    }
    const parsedOp = opMap[ot]
    if (!parsedOp) fail(`found '${ol}', expected: in, notin, =, ==, !=, gt, lt`)
    let values: string[]
    if (parsedOp === 'in' || parsedOp === 'notin') values = parseValues()
    else values = parseExactValue()
    return validate({key, op: parsedOp as Op, values})
  }

  const parseValues = (): string[] => {
    const [t, l] = consume(true)
    if (t !== Tok.OpenPar) fail(`found '${l}' expected: '('`)
    const [t2, l2] = look(true)
    if (t2 === Tok.Identifier || t2 === Tok.Comma) {
      const s = parseIdentifiersList()
      if (consume(true)[0] !== Tok.ClosedPar) fail(`found '${l2}', expected: ')'`)
      return s
    }
    if (t2 === Tok.ClosedPar) {
      consume(true)
      return ['']
    }
    return fail(`found '${l2}', expected: ',', ')' or identifier`)
  }

  const parseIdentifiersList = (): string[] => {
    const s = new Set<string>()
    for (;;) {
      const [t, l] = consume(true)
      if (t === Tok.Identifier) {
        s.add(l)
        const [t2, l2] = look(true)
        if (t2 === Tok.Comma) continue
        if (t2 === Tok.ClosedPar) return [...s].sort()
        fail(`found '${l2}', expected: ',' or ')'`)
      } else if (t === Tok.Comma) {
        if (s.size === 0) s.add('')
        const [t2] = look(true)
        if (t2 === Tok.ClosedPar) {
          s.add('')
          return [...s].sort()
        }
        if (t2 === Tok.Comma) s.add('')
      } else {
        fail(`found '${l}', expected: ',', or identifier`)
      }
    }
  }

  const parseExactValue = (): string[] => {
    const [t] = look(true)
    if (t === Tok.End || t === Tok.Comma) return ['']
    const [t2, l2] = consume(true)
    if (t2 === Tok.Identifier) return [l2]
    return fail(`found '${l2}', expected: identifier`)
  }

  const reqs: Requirement[] = []
  try {
    for (;;) {
      const [tok, lit] = look(true)
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        try {
          reqs.push(parseRequirement())
        } catch (e) {
          if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`)
          throw e
        }
        const [t, l] = consume(true)
        if (t === Tok.End) break
        if (t === Tok.Comma) {
          const [t2, l2] = look(true)
          if (t2 !== Tok.Identifier && t2 !== Tok.DoesNotExist) fail(`found '${l2}', expected: identifier after ','`)
        } else {
          fail(`found '${l}', expected: ',' or 'end of string'`)
        }
      } else if (tok === Tok.End) {
        break
      } else {
        fail(`found '${lit}', expected: !, identifier, or 'end of string'`)
      }
    }
  } catch (e) {
    if (e instanceof SelectorParseError) throw new Error(e.message, {cause: e})
    throw e
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

// NewRequirement's checks (values and operator arity).
function validate(r: Requirement): Requirement {
  const errs: FieldError[] = []
  if ((r.op === 'in' || r.op === 'notin') && r.values.length === 0)
    errs.push({
      type: 'Invalid value',
      field: 'values',
      value: {raw: '[]string{}'},
      detail: "for 'in', 'notin' operators, values set can't be empty",
    })
  if (r.op === 'gt' || r.op === 'lt') {
    r.values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v))
        errs.push({
          type: 'Invalid value',
          field: `values[${i}]`,
          value: v,
          detail: "for 'Gt', 'Lt' operators, the value must be an integer",
        })
    })
  }
  r.values.forEach((v, i) => {
    const ve = isValidLabelValue(v)
    if (ve.length) errs.push({type: 'Invalid value', field: `values[${i}][${r.key}]`, value: v, detail: ve.join('; ')})
  })
  if (errs.length) throw new SelectorParseError(aggregate(errs.map(fieldErrorString)))
  return r
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const ls = labels ?? {}
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(ls, r.key)
    const v = ls[r.key] ?? ''
    switch (r.op) {
      case 'in':
      case '=':
      case '==':
        if (!has || !r.values.includes(v)) return false
        break
      case 'notin':
      case '!=':
        if (has && r.values.includes(v)) return false
        break
      case 'exists':
        if (!has) return false
        break
      case '!':
        if (has) return false
        break
      case 'gt':
      case 'lt': {
        if (!has || !/^[+-]?\d+$/.test(v)) return false
        const n = Number(v)
        const want = Number(r.values[0])
        if (r.op === 'gt' ? !(n > want) : !(n < want)) return false
        break
      }
    }
  }
  return true
}

// ---------- field selectors ----------

export interface FieldTerm {
  field: string
  value: string
  negate: boolean
}

function splitTerms(s: string): string[] {
  if (!s) return []
  const terms: string[] = []
  let start = 0
  let escaped = false
  for (let i = 0; i < s.length; i++) {
    if (escaped) escaped = false
    else if (s[i] === '\\') escaped = true
    else if (s[i] === ',') {
      terms.push(s.slice(start, i))
      start = i + 1
    }
  }
  terms.push(s.slice(start))
  return terms
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c
      else throw new Error(`invalid field selector: invalid escape sequence: \\${c}`)
      inSlash = false
    } else if (c === '\\') inSlash = true
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c}`)
    else out += c
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\')
  return out
}

/** fields.ParseSelector. */
export function parseFieldSelector(selector: string): FieldTerm[] {
  const parts = splitTerms(selector).sort()
  const out: FieldTerm[] = []
  for (const part of parts) {
    if (!part) continue
    let found: FieldTerm | undefined
    outer: for (let i = 0; i < part.length; i++) {
      const rest = part.slice(i)
      for (const op of ['!=', '==', '=']) {
        if (rest.startsWith(op)) {
          found = {field: part.slice(0, i), value: unescapeValue(part.slice(i + op.length)), negate: op === '!='}
          break outer
        }
      }
    }
    if (!found) throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`)
    out.push(found)
  }
  return out
}

export function matchFields(terms: FieldTerm[], fields: Record<string, string>): boolean {
  for (const t of terms) {
    const v = fields[t.field] ?? ''
    if (t.negate ? v === t.value : v !== t.value) return false
  }
  return true
}
