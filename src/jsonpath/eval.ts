/**
 * Evaluates one action's steps over a list of values, as client-go's JSONPath.walk does. Each step maps the current
 * list of values to the next; an empty list flows through quietly, which is how missing keys print nothing.
 */
import {compareGoStrings} from '../core/go-strings.js'
import type {Param, Step} from './parser.js'
import {GoFloat, NO_VALUE, goSprint, goTypeName, isGoInt, isMap, utf8Bytes} from './values.js'

export interface EvalOptions {
  allowMissingKeys: boolean
}

/**
 * A runtime error. `partial` is what client-go's failing step hands back alongside its error; it matters in one
 * place: an existence filter `[?(@.a[0])]` ignores the error and keeps the element if that value is non-empty.
 */
export class StepError extends Error {
  constructor(
    message: string,
    readonly partial: unknown[],
  ) {
    super(message)
  }
}

export function evalSteps(steps: Step[], input: unknown[], opts: EvalOptions): unknown[] {
  let values = input
  for (const step of steps) values = evalStep(step, values, opts)
  return values
}

function evalStep(step: Step, input: unknown[], opts: EvalOptions): unknown[] {
  switch (step.type) {
    case 'field':
      return evalField(step.name, input, opts)
    case 'wildcard':
      return input.flatMap(children)
    case 'recursive': {
      const out: unknown[] = []
      for (const v of input) descend(v, out)
      return out
    }
    case 'array':
      return evalArray(step.params, input)
    case 'union': {
      const out: unknown[] = []
      for (const branch of step.branches) {
        // No spread: lists can be huge.
        for (const v of rethrowWith(input, () => evalSteps(branch, input, opts))) out.push(v)
      }
      return out
    }
    case 'filter':
      return evalFilter(step, input, opts)
    case 'text':
      return [step.value] // a quoted string replaces whatever came before it
    case 'literal':
      return input.map(() => step.value)
    case 'identifier':
      if (step.name === 'range') return input
      if (step.name === 'end') throw new StepError('not in range, nothing to end', [])
      throw new StepError(`unrecognized identifier ${step.name}`, input)
  }
}

function evalField(name: string, input: unknown[], opts: EvalOptions): unknown[] {
  if (input.length === 0) return [] // nothing to look in is not "not found"
  const out: unknown[] = []
  for (const v of input) {
    if (isMap(v) && Object.hasOwn(v, name) && v[name] !== undefined) out.push(v[name])
  }
  if (out.length === 0 && !opts.allowMissingKeys) throw new StepError(`${name} is not found`, [])
  return out
}

/** What `*` yields: map values, array elements, or a string's bytes (Go indexes strings by byte). */
function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return utf8Bytes(v)
  if (isMap(v)) return Object.values(v).filter((x) => x !== undefined)
  return []
}

/** `..` yields every value that has children (non-empty maps, arrays, strings), parents before children. */
function descend(v: unknown, out: unknown[]): void {
  if (typeof v === 'string') {
    if (v !== '') out.push(v) // its children are bytes, which have none of their own
    return
  }
  const kids = children(v)
  if (kids.length === 0) return
  out.push(v)
  for (const k of kids) descend(k, out)
}

/** Index or slice, with client-go's bounds rules: out-of-range indexes are errors even with missing keys allowed. */
function evalArray([p0, p1, p2]: [Param, Param, Param], input: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const v of input) {
    if (v === null || v === undefined || v === NO_VALUE) continue // (client-go panics on NO_VALUE here)
    if (!Array.isArray(v)) throw new StepError(`${goTypeName(v)} is not array or slice`, input)
    const len = v.length
    let start = p0.known ? p0.value : 0
    if (start < 0) start += len
    let end = p1.known ? p1.value : len
    if (end < 0 || (end === 0 && p1.derived)) end += len // `[-1]` is derived as `[-1:0]`
    if (end === start) return out // client-go stops at the first empty selection, dropping later inputs
    if (start >= len || start < 0)
      throw new StepError(`array index out of bounds: index ${start}, length ${len}`, input)
    if (end > len || end < 0) throw new StepError(`array index out of bounds: index ${end - 1}, length ${len}`, input)
    if (start > end) throw new StepError(`starting index ${start} is greater than ending index ${end}`, input)
    const step = p2.known ? p2.value : 1
    if (step <= 0) throw new StepError('step must be > 0', input)
    for (let i = start; i < end; i += step) out.push(v[i])
  }
  return out
}

function evalFilter(step: Extract<Step, {type: 'filter'}>, input: unknown[], opts: EvalOptions): unknown[] {
  const out: unknown[] = []
  for (const v of input) {
    if (!Array.isArray(v)) throw new StepError(`${goSprint(v)} is not array or slice and cannot be filtered`, input)
    for (const item of v) {
      if (step.op === 'exists') {
        let lefts: unknown[]
        try {
          lefts = evalSteps(step.left, [item], opts)
        } catch (error) {
          if (!(error instanceof StepError)) throw error
          lefts = error.partial
        }
        if (lefts.length > 0) out.push(item)
        continue
      }
      const left = single(
        rethrowWith(input, () => evalSteps(step.left, [item], opts)),
        input,
      )
      if (left === undefined) continue
      const right = single(
        rethrowWith(input, () => evalSteps(step.right, [item], opts)),
        input,
      )
      if (right === undefined) continue
      const pass = rethrowWith(out, () => compare(step.op, left.value, right.value))
      if (pass) out.push(item)
    }
  }
  return out
}

/** A filter side must yield at most one value; none means "skip this element". */
function single(values: unknown[], input: unknown[]): {value: unknown} | undefined {
  if (values.length > 1) throw new StepError('can only compare one element at a time', input)
  return values.length === 0 ? undefined : {value: values[0]}
}

function rethrowWith<T>(partial: unknown[], fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof StepError) throw new StepError(error.message, partial)
    throw error
  }
}

// Comparisons follow text/template's eq/lt (client-go forks them): both sides must have the same basic kind, and
// int64 never equals float64 -- so `@.replicas==1.0` is an error on an integer field, as in kubectl.

type Kind = 'bool' | 'int' | 'float' | 'string'

function kindOf(v: unknown): Kind {
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float'
  if (v instanceof GoFloat) return 'float'
  throw new StepError('invalid type for comparison', [])
}

function sameKind(a: unknown, b: unknown): Kind {
  const k = kindOf(a)
  if (kindOf(b) !== k) throw new StepError('incompatible types for comparison', [])
  return k
}

const num = (v: unknown): number => (v instanceof GoFloat ? v.value : (v as number))

function equal(a: unknown, b: unknown): boolean {
  const k = sameKind(a, b)
  return k === 'string' || k === 'bool' ? a === b : num(a) === num(b)
}

function less(a: unknown, b: unknown): boolean {
  const k = sameKind(a, b)
  if (k === 'bool') throw new StepError('invalid type for comparison', [])
  return k === 'string' ? compareGoStrings(a as string, b as string) < 0 : num(a) < num(b)
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return equal(a, b)
    case '!=':
      return !equal(a, b)
    case '<':
      return less(a, b)
    case '<=':
      return less(a, b) || equal(a, b)
    case '>':
      return !(less(a, b) || equal(a, b))
    case '>=':
      return !less(a, b)
    default:
      throw new StepError(`unrecognized filter operator ${op}`, [])
  }
}
