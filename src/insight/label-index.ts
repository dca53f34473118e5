import type {SelectorNode} from '../selector/ast.js'
import type {Selector} from '../selector/index.js'
import type {WorkloadEndpoint} from '../workloadendpoints/convert.js'

/** One endpoint as policy sees it: the WorkloadEndpoint and its effective labels (own labels, then its profiles'). */
export interface IndexedEndpoint {
  /** Position in the index (also the order endpoints are listed in). */
  readonly id: number
  readonly wep: WorkloadEndpoint
  readonly namespace: string
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
}

/** How an id list is produced, and an upper bound on its size (to choose the most selective conjunct). */
interface Plan {
  size: number
  ids: () => readonly number[]
  /** The ids are exactly the matches (a lone term, or an `||` of them): no need to check each with matches(). */
  exact: boolean
}

/**
 * Label → value → endpoint ids, over effective labels. A selector is answered by planning from its
 * structure: an `==`/`in`/`has`/`contains`/`starts with`/`ends with` conjunct (of the root `&&`, or of
 * every branch of an `||`) yields candidate ids from the index; the smallest candidate set is then checked
 * with `matches()`. Selectors with no such conjunct (`!`, `!=`, `not in`, `all()`) scan every endpoint.
 * Results are cached by canonical selector text, ids ascending (= the order endpoints were added).
 */
export class LabelIndex {
  readonly endpoints: IndexedEndpoint[] = []
  private readonly byLabel = new Map<string, Map<string, number[]>>()
  private labelCount = new Map<string, number>()
  private readonly cache = new Map<string, readonly number[]>()
  private marks = new Uint32Array(0)
  private generation = 0
  /** How many queries could not use the index (for tests and the bench). */
  fullScans = 0

  add(wep: WorkloadEndpoint, labels: Record<string, string>): IndexedEndpoint {
    const id = this.endpoints.length
    const e: IndexedEndpoint = {id, wep, namespace: wep.metadata.namespace ?? '', name: wep.metadata.name ?? '', labels}
    this.endpoints.push(e)
    for (const key in labels) {
      const value = labels[key]!
      let values = this.byLabel.get(key)
      if (values === undefined) this.byLabel.set(key, (values = new Map()))
      const ids = values.get(value)
      if (ids === undefined) values.set(value, [id])
      else ids.push(id)
    }
    if (this.cache.size > 0) this.cache.clear()
    if (this.labelCount.size > 0) this.labelCount = new Map()
    return e
  }

  get size(): number {
    return this.endpoints.length
  }

  /** Ids of the endpoints whose effective labels match, ascending. */
  query(selector: Selector): readonly number[] {
    const key = selector.toString()
    const cached = this.cache.get(key)
    if (cached) return cached
    const plan = this.plan(selector.ast)
    let result: number[]
    if (plan === null) {
      this.fullScans++
      result = []
      for (const e of this.endpoints) if (selector.matches(e.labels)) result.push(e.id)
    } else {
      const candidates = plan.ids()
      if (plan.exact) {
        result = [...candidates]
      } else {
        result = []
        for (const id of candidates) if (selector.matches(this.endpoints[id]!.labels)) result.push(id)
      }
    }
    this.cache.set(key, result)
    return result
  }

  /** Whether the index could answer this selector without scanning every endpoint. */
  isIndexed(selector: Selector): boolean {
    return this.plan(selector.ast) !== null
  }

  /** The values a label takes across all endpoints, with how many endpoints have each. */
  values(label: string): Map<string, number> {
    const out = new Map<string, number>()
    for (const [value, ids] of this.byLabel.get(label) ?? []) out.set(value, ids.length)
    return out
  }

  /** The endpoints that have `label` = `value`. */
  withLabel(label: string, value: string): readonly number[] {
    return this.byLabel.get(label)?.get(value) ?? []
  }

  hasLabel(label: string): boolean {
    return this.byLabel.has(label)
  }

  private plan(node: SelectorNode): Plan | null {
    switch (node.type) {
      case 'eq': {
        const ids = this.byLabel.get(node.label)?.get(node.value) ?? []
        return {size: ids.length, ids: () => ids, exact: true}
      }
      case 'in': {
        const values = this.byLabel.get(node.label)
        const lists = values ? node.values.map((v) => values.get(v)).filter((l): l is number[] => l !== undefined) : []
        return this.unionPlan(lists)
      }
      case 'has':
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        // The label must be present: the candidates are the endpoints with a qualifying value.
        const values = this.byLabel.get(node.label)
        if (!values) return {size: 0, ids: () => [], exact: true}
        const test = valueTest(node)
        return {
          size: this.countWithLabel(node.label, values),
          ids: () => this.union([...values].filter(([v]) => test(v)).map(([, ids]) => ids)),
          exact: true,
        }
      }
      case 'and': {
        let best: Plan | null = null
        for (const op of node.operands) {
          const p = this.plan(op)
          if (p !== null && (best === null || p.size < best.size)) best = p
          if (best?.size === 0) break
        }
        return best && {...best, exact: best.size === 0}
      }
      case 'or': {
        const plans: Plan[] = []
        for (const op of node.operands) {
          const p = this.plan(op)
          if (p === null) return null
          plans.push(p)
        }
        return {
          size: plans.reduce((n, p) => n + p.size, 0),
          ids: () => this.union(plans.map((p) => p.ids())),
          exact: plans.every((p) => p.exact),
        }
      }
      default:
        return null
    }
  }

  /** How many endpoints carry a label (computed on first use). */
  private countWithLabel(label: string, values: Map<string, number[]>): number {
    let n = this.labelCount.get(label)
    if (n === undefined) {
      n = 0
      for (const ids of values.values()) n += ids.length
      this.labelCount.set(label, n)
    }
    return n
  }

  private unionPlan(lists: readonly (readonly number[])[]): Plan {
    return {size: lists.reduce((n, l) => n + l.length, 0), ids: () => this.union(lists), exact: true}
  }

  /** Ascending, de-duplicated union of id lists. */
  private union(lists: readonly (readonly number[])[]): readonly number[] {
    if (lists.length === 0) return []
    if (lists.length === 1) return lists[0]!
    if (this.marks.length < this.endpoints.length) this.marks = new Uint32Array(this.endpoints.length)
    const gen = ++this.generation
    const out: number[] = []
    for (const list of lists) {
      for (const id of list) {
        if (this.marks[id] !== gen) {
          this.marks[id] = gen
          out.push(id)
        }
      }
    }
    return out.sort((a, b) => a - b)
  }
}

function valueTest(node: SelectorNode): (v: string) => boolean {
  switch (node.type) {
    case 'contains':
      return (v) => v.includes(node.value)
    case 'startsWith':
      return (v) => v.startsWith(node.value)
    case 'endsWith':
      return (v) => v.endsWith(node.value)
    default:
      return () => true
  }
}
