/**
 * Selector syntax tree, its canonical form and its evaluation. Mirrors
 * libcalico-go/lib/selector/parser/ast.go (v3.32): same node kinds, same `String()`
 * output, same absent-label semantics.
 */

import {compareGoStrings} from '../core/go-strings.js'

/** Labels as found on a Kubernetes object. Only own string properties count as present. */
export type Labels = Readonly<Record<string, string>>

export interface AllNode {
  readonly type: 'all'
}
export interface GlobalNode {
  readonly type: 'global'
}
export interface HasNode {
  readonly type: 'has'
  readonly label: string
}
/** `label == "v"`, `label != "v"`, `label contains "v"`, `label starts with "v"`, `label ends with "v"`. */
export interface LabelValueNode {
  readonly type: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'
  readonly label: string
  readonly value: string
}
/** `label in {...}` / `label not in {...}`; `values` sorted (by code point) and de-duplicated. */
export interface LabelSetNode {
  readonly type: 'in' | 'notIn'
  readonly label: string
  readonly values: readonly string[]
}
export interface NotNode {
  readonly type: 'not'
  readonly operand: SelectorNode
}
/** Two or more operands (a single operand is never wrapped). */
export interface AndNode {
  readonly type: 'and'
  readonly operands: readonly SelectorNode[]
}
/** Two or more operands (a single operand is never wrapped). */
export interface OrNode {
  readonly type: 'or'
  readonly operands: readonly SelectorNode[]
}

export type SelectorNode = AllNode | GlobalNode | HasNode | LabelValueNode | LabelSetNode | NotNode | AndNode | OrNode

/** Go's ConvertToStringSetInPlace: sorted, duplicates removed. */
export function toStringSet(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareGoStrings)
  const out: string[] = []
  for (const v of sorted) if (out.length === 0 || out[out.length - 1] !== v) out.push(v)
  return out
}

// A literal holding `"` is written with single quotes. (It cannot also hold `'`:
// literals have no escapes, so the canonical form always re-parses.)
function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`
}

const OP_TEXT: Record<LabelValueNode['type'], string> = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
}

/** Calico's canonical form (`Selector.String()` in Go). */
export function nodeToString(node: SelectorNode): string {
  switch (node.type) {
    case 'all':
      return 'all()'
    case 'global':
      return 'global()'
    case 'has':
      return `has(${node.label})`
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return node.label + OP_TEXT[node.type] + quote(node.value)
    case 'in':
    case 'notIn':
      return `${node.label} ${node.type === 'in' ? 'in' : 'not in'} {${node.values.map(quote).join(', ')}}`
    case 'not':
      return '!' + nodeToString(node.operand)
    case 'and':
      return '(' + node.operands.map(nodeToString).join(' && ') + ')'
    case 'or':
      return '(' + node.operands.map(nodeToString).join(' || ') + ')'
  }
}

/** Calls `visit` on every node, parents before children. */
export function walk(node: SelectorNode, visit: (n: SelectorNode) => void): void {
  visit(node)
  if (node.type === 'not') walk(node.operand, visit)
  else if (node.type === 'and' || node.type === 'or') for (const op of node.operands) walk(op, visit)
}

export type Predicate = (labels: Labels) => boolean

const hasOwn = Object.prototype.hasOwnProperty

// The label's value if present. The typeof/hasOwn test keeps inherited members such as
// `constructor` from counting as labels; it costs nothing when the label is missing.
function get(labels: Labels, key: string): string | undefined {
  const v = labels[key]
  if (v === undefined) return undefined
  return typeof v === 'string' && hasOwn.call(labels, key) ? v : undefined
}

/**
 * Compiles a tree into a closure tree. Evaluation then allocates nothing: every
 * constant (label names, values, sets, operand arrays) is captured at compile time.
 */
export function compile(node: SelectorNode): Predicate {
  switch (node.type) {
    case 'all':
    case 'global':
      return () => true
    case 'has': {
      const k = node.label
      return (l) => get(l, k) !== undefined
    }
    case 'not': {
      const f = compile(node.operand)
      return (l) => !f(l)
    }
    case 'and':
      return compileAnd(node.operands.map(compile))
    case 'or':
      return compileOr(node.operands.map(compile))
    case 'in':
    case 'notIn':
      return compileSet(node.type, node.label, new Set(node.values))
    default:
      return compileComparison(node)
  }
}

type ComparisonNode = Extract<SelectorNode, {type: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'}>

function compileComparison(node: ComparisonNode): Predicate {
  const k = node.label
  const want = node.value
  switch (node.type) {
    case 'eq':
      return (l) => get(l, k) === want
    case 'ne':
      // True when the label is absent, as in Calico.
      return (l) => get(l, k) !== want
    case 'contains':
      return (l) => {
        const v = get(l, k)
        return v !== undefined && v.includes(want)
      }
    case 'startsWith':
      return (l) => {
        const v = get(l, k)
        return v !== undefined && v.startsWith(want)
      }
    case 'endsWith':
      return (l) => {
        const v = get(l, k)
        return v !== undefined && v.endsWith(want)
      }
  }
}

function compileSet(type: 'in' | 'notIn', k: string, set: Set<string>): Predicate {
  if (type === 'in')
    return (l) => {
      const v = get(l, k)
      return v !== undefined && set.has(v)
    }
  // True when the label is absent, as in Calico.
  return (l) => {
    const v = get(l, k)
    return v === undefined || !set.has(v)
  }
}

function compileAnd(fs: Predicate[]): Predicate {
  if (fs.length === 2) {
    const [a, b] = fs as [Predicate, Predicate]
    return (l) => a(l) && b(l)
  }
  return (l) => {
    for (let i = 0; i < fs.length; i++) if (!fs[i]!(l)) return false
    return true
  }
}

function compileOr(fs: Predicate[]): Predicate {
  if (fs.length === 2) {
    const [a, b] = fs as [Predicate, Predicate]
    return (l) => a(l) || b(l)
  }
  return (l) => {
    for (let i = 0; i < fs.length; i++) if (fs[i]!(l)) return true
    return false
  }
}
