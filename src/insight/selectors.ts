import {nodeToString, type SelectorNode} from '../selector/ast.js'
import {parseSelector, Selector, SelectorError} from '../selector/index.js'

/**
 * Selector rewriting as Calico does it before Felix sees a policy (libcalico-go
 * syncersv1/updateprocessors: networkpolicyprocessor.go, globalnetworkpolicyprocessor.go, rules.go):
 * namespace and service-account selectors are matched against the labels profiles give endpoints,
 * so their label names get the `pcns.` / `pcsa.` prefixes.
 */

export const NAMESPACE_PREFIX = 'pcns.'
export const SERVICE_ACCOUNT_PREFIX = 'pcsa.'
export const LABEL_NAMESPACE = 'projectcalico.org/namespace'
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount'
/** The label a namespace or service-account profile carries with the object's own name. */
export const LABEL_NAME = 'projectcalico.org/name'

const ALL: SelectorNode = {type: 'all'}

/** parser.PrefixVisitor: every label name in the tree gets `prefix`. */
export function prefixLabels(node: SelectorNode, prefix: string): SelectorNode {
  switch (node.type) {
    case 'all':
    case 'global':
      return node
    case 'has':
      return {type: 'has', label: prefix + node.label}
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return {type: node.type, label: prefix + node.label, value: node.value}
    case 'in':
    case 'notIn':
      return {type: node.type, label: prefix + node.label, values: node.values}
    case 'not':
      return {type: 'not', operand: prefixLabels(node.operand, prefix)}
    case 'and':
    case 'or':
      return {type: node.type, operands: node.operands.map((op) => prefixLabels(op, prefix))}
  }
}

/** Calico's `strings.Replace(sel, "all()", ...)` / `"global()"` on a selector, done on the tree. */
export function replaceNodes(node: SelectorNode, type: 'all' | 'global', by: SelectorNode): SelectorNode {
  if (node.type === type) return by
  if (node.type === 'not') return {type: 'not', operand: replaceNodes(node.operand, type, by)}
  if (node.type === 'and' || node.type === 'or')
    return {type: node.type, operands: node.operands.map((op) => replaceNodes(op, type, by))}
  return node
}

/** `a && b && ...` (an empty list is all()). */
export function and(nodes: SelectorNode[]): SelectorNode {
  const ops = nodes.flatMap((n) => (n.type === 'and' ? n.operands : [n]))
  if (ops.length === 0) return ALL
  if (ops.length === 1) return ops[0]!
  return {type: 'and', operands: ops}
}

export function eq(label: string, value: string): SelectorNode {
  return {type: 'eq', label, value}
}

export function hasLabel(label: string): SelectorNode {
  return {type: 'has', label}
}

export function notNode(operand: SelectorNode): SelectorNode {
  return {type: 'not', operand}
}

/** A Selector for a tree built here (its text is the canonical form). */
export function selectorOf(node: SelectorNode): Selector {
  return new Selector(nodeToString(node), node, false)
}

/** A selector from a policy: parsed, or the reason it cannot be. */
export type ParsedField = {selector: Selector; text: string} | {error: string; text: string}

const parsed = new Map<string, ParsedField>()

/** Policies repeat selectors a lot, so parses are remembered by text. */
export function parseField(text: string | undefined): ParsedField | undefined {
  if (text === undefined || text === null || text === '') return undefined
  const t = String(text)
  let f = parsed.get(t)
  if (f === undefined) {
    try {
      f = {selector: parseSelector(t), text: t}
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error
      f = {error: `${error.message} (at column ${error.column})`, text: t}
    }
    if (parsed.size > 100_000) parsed.clear()
    parsed.set(t, f)
  }
  return f
}
