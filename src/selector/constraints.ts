import {compareGoStrings} from '../core/go-strings.js'
import {toStringSet, type SelectorNode} from './ast.js'
import type {Selector} from './parser.js'

/**
 * Equality constraints that every matching label set must satisfy, for pre-filtering
 * endpoints through a label index (label -> value -> endpoints) before calling
 * `matches()`.
 *
 * Looks only at the conjuncts of the whole selector: the root itself, or the operands
 * of a root `&&` (parenthesised `&&` groups inside it are flattened, so
 * `(a == "x" && b == "y") && c != "z"` yields a and b). A conjunct counts if it is
 * `label == "v"` or `label in {...}`; every other kind (`!=`, `not in`, `has()`,
 * `contains`, `!`, `||`, ...) is skipped, never inverted or expanded.
 *
 * Returns a plain object mapping each such label to its allowed values (sorted by code
 * point, de-duplicated). Guarantee: if `sel.matches(labels)` then, for every key k,
 * `labels[k]` is present and is one of `result[k]`. Several terms on one label are
 * intersected, so an empty array means no label set can match. It is a necessary
 * condition only: candidates must still be checked with `matches()`.
 *
 * Returns null when no conjunct qualifies (e.g. a root `||`, `!`, `all()`,
 * `has(a) && b != "x"`): the caller then has to scan every endpoint.
 */
export function equalityConstraints(sel: Selector): Record<string, string[]> | null {
  const allowed = new Map<string, string[]>()
  const visit = (node: SelectorNode): void => {
    if (node.type === 'and') {
      for (const op of node.operands) visit(op)
      return
    }
    let values: readonly string[]
    if (node.type === 'eq') values = [node.value]
    else if (node.type === 'in') values = node.values
    else return
    const prev = allowed.get(node.label)
    allowed.set(node.label, prev === undefined ? toStringSet(values) : prev.filter((v) => values.includes(v)))
  }
  visit(sel.ast)
  if (allowed.size === 0) return null
  // fromEntries defines own properties, so a label named `__proto__` is safe.
  return Object.fromEntries([...allowed].sort(([a], [b]) => compareGoStrings(a, b)))
}
