/**
 * Deterministic fuzzing of the selector engine. Three input streams:
 *  1. random strings over the selector alphabet (mostly errors),
 *  2. selectors rendered from random trees with random spelling and spacing
 *     (must parse, and must evaluate like the tree they came from),
 *  3. mutations of stream 2 (a mix).
 * For every input: only SelectorError is ever thrown, with a column inside the text;
 * a parsed selector's canonical form re-parses to itself and evaluates identically
 * (also against an independent tree interpreter), and equalityConstraints() is a
 * necessary condition for every matching label set.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {prng} from '../helpers/prng.js'
import {
  equalityConstraints,
  parseSelector,
  SelectorError,
  type Labels,
  type Selector,
  type SelectorNode,
} from '../../src/selector/index.js'

const SEED = 0x5eed_ca11
const RANDOM_STRINGS = 2500
const GENERATED = 2500
const MUTATIONS_PER_GENERATED = 1
const LABEL_SETS_PER_SELECTOR = 8

const rnd = prng(SEED)
const int = (n: number): number => Math.floor(rnd() * n)
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
const chance = (p: number): boolean => rnd() < p

const LABELS = ['a', 'b', 'c', 'k8s-app', 'x.y/z_0', '__proto__', 'in', 'not', 'contains', 'has', 'constructor']
const VALUES = ['', 'x', 'y', 'xy', 'yx', '"', "'", 'a b', '&&', 'é', '😀', 'in', '{']

const ALPHABET = [
  'a',
  'b',
  'x',
  'y',
  'k8s-app',
  '_',
  '.',
  '/',
  '-',
  '0',
  '9',
  'é',
  '😀',
  '(',
  ')',
  '{',
  '}',
  ',',
  '=',
  '==',
  '!',
  '!=',
  '&',
  '&&',
  '|',
  '||',
  '"',
  "'",
  '"x"',
  "'y'",
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '%',
  'has(',
  'all(',
  'global(',
  'all()',
  'global()',
  'in',
  'not',
  'notin',
  'not in',
  'contains',
  'starts',
  'with',
  'startswith',
  'ends',
  'endswith',
  'ends with',
]

// ---- random trees, rendered with random spelling --------------------------------------

type Gen =
  | {k: 'all' | 'global'}
  | {k: 'has'; label: string}
  | {k: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'; label: string; value: string}
  | {k: 'in' | 'notIn'; label: string; values: string[]}
  | {k: 'not'; x: Gen}
  | {k: 'and' | 'or'; xs: Gen[]}

function genTree(depth: number): Gen {
  if (depth <= 0 || chance(0.35)) {
    const r = rnd()
    const label = pick(LABELS)
    if (r < 0.05) return {k: chance(0.7) ? 'all' : 'global'}
    if (r < 0.2) return {k: 'has', label}
    if (r < 0.75)
      return {k: pick(['eq', 'ne', 'contains', 'startsWith', 'endsWith'] as const), label, value: pick(VALUES)}
    return {k: chance(0.5) ? 'in' : 'notIn', label, values: Array.from({length: int(4)}, () => pick(VALUES))}
  }
  const r = rnd()
  if (r < 0.25) return {k: 'not', x: genTree(depth - 1)}
  return {k: chance(0.5) ? 'and' : 'or', xs: Array.from({length: 2 + int(3)}, () => genTree(depth - 1))}
}

/** Independent semantics of a generated tree (Calico's rules). */
function genEval(g: Gen, l: Labels): boolean {
  const v = 'label' in g && Object.hasOwn(l, g.label) ? l[g.label] : undefined
  switch (g.k) {
    case 'all':
    case 'global':
      return true
    case 'has':
      return v !== undefined
    case 'eq':
      return v === g.value
    case 'ne':
      return v !== g.value
    case 'contains':
      return v !== undefined && v.includes(g.value)
    case 'startsWith':
      return v !== undefined && v.startsWith(g.value)
    case 'endsWith':
      return v !== undefined && v.endsWith(g.value)
    case 'in':
      return v !== undefined && g.values.includes(v)
    case 'notIn':
      return v === undefined || !g.values.includes(v)
    case 'not':
      return !genEval(g.x, l)
    case 'and':
      return g.xs.every((x) => genEval(x, l))
    case 'or':
      return g.xs.some((x) => genEval(x, l))
  }
}

const ws = (): string => pick(['', '', ' ', '  ', '\t', ' \t '])
const ws1 = (): string => pick([' ', ' ', '  ', '\t']) // at least one blank
function quoteLit(v: string): string {
  if (v.includes('"')) return `'${v}'`
  if (v.includes("'")) return `"${v}"`
  return chance(0.5) ? `"${v}"` : `'${v}'`
}

const OP_SPELLINGS: Record<string, string[]> = {
  eq: ['=='],
  ne: ['!='],
  contains: ['contains'],
  startsWith: ['starts with', 'startswith', 'starts  with', 'starts\twith'],
  endsWith: ['ends with', 'endswith', 'ends   with'],
  in: ['in'],
  notIn: ['not in', 'notin', 'not \t in'],
}

function render(g: Gen, parent: Gen['k'] | null): string {
  const text = renderBare(g)
  const composite = g.k === 'and' || g.k === 'or'
  // Parentheses required by precedence, plus some that are not.
  const needed = composite && (parent === 'not' || (g.k === 'or' && parent === 'and'))
  return needed || chance(0.1) ? `(${ws()}${text}${ws()})` : text
}

function renderBare(g: Gen): string {
  switch (g.k) {
    case 'all':
      return `all(${ws()})`
    case 'global':
      return `global(${ws()})`
    case 'has':
      return `has(${ws()}${g.label}${ws()})`
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const op = pick(OP_SPELLINGS[g.k]!)
      const before = /^[a-z]/.test(op) ? ws1() : ws()
      return `${g.label}${before}${op}${ws()}${quoteLit(g.value)}`
    }
    case 'in':
    case 'notIn': {
      const items = g.values.map((v) => ws() + quoteLit(v) + ws())
      const trailing = items.length > 0 && chance(0.2) ? ',' : ''
      return `${g.label}${ws1()}${pick(OP_SPELLINGS[g.k]!)}${ws()}{${items.join(',')}${trailing}${ws()}}`
    }
    case 'not':
      // `!` applied an even number of extra times changes nothing.
      return `${chance(0.15) ? '!!' : ''}!${ws()}${render(g.x, 'not')}`
    case 'and':
    case 'or': {
      const sep = g.k === 'and' ? '&&' : '||'
      return g.xs.map((x) => render(x, g.k)).join(`${ws()}${sep}${ws()}`)
    }
  }
}

// ---- inputs ----------------------------------------------------------------------------

function randomString(): string {
  let s = ''
  const n = int(25)
  for (let i = 0; i < n; i++) s += pick(ALPHABET)
  return s
}

function mutate(s: string): string {
  let out = s
  const times = 1 + int(3)
  for (let t = 0; t < times; t++) {
    const i = int(out.length + 1)
    switch (int(7)) {
      case 0: // delete a character
        out = out.slice(0, i) + out.slice(i + 1)
        break
      case 1: // insert a piece of the alphabet
        out = out.slice(0, i) + pick(ALPHABET) + out.slice(i)
        break
      case 2: // replace a character
        out = out.slice(0, i) + pick(ALPHABET) + out.slice(i + 1)
        break
      case 3: // swap two neighbours
        out = out.slice(0, i) + out.slice(i + 1, i + 2) + out.slice(i, i + 1) + out.slice(i + 2)
        break
      case 4: // duplicate a slice
        out = out.slice(0, i) + out.slice(int(out.length), i + int(8)) + out.slice(i)
        break
      case 5: // truncate
        out = out.slice(0, i)
        break
      default: // drop all blanks
        out = out.replace(/[ \t]/g, '')
    }
  }
  return out
}

function randomLabels(): Labels {
  // Filled as a null-prototype object, then copied through JSON so that `__proto__`
  // becomes an ordinary own key, as in a parsed manifest.
  const l: Record<string, string> = Object.create(null) as Record<string, string>
  const n = int(5)
  for (let i = 0; i < n; i++) l[pick(LABELS)] = pick(VALUES)
  return JSON.parse(JSON.stringify(l)) as Labels
}

// ---- reference interpreter of the parser's tree ---------------------------------------

function refEval(node: SelectorNode, l: Labels): boolean {
  const get = (k: string): string | undefined => (Object.hasOwn(l, k) ? l[k] : undefined)
  switch (node.type) {
    case 'all':
    case 'global':
      return true
    case 'has':
      return get(node.label) !== undefined
    case 'eq':
      return get(node.label) === node.value
    case 'ne':
      return get(node.label) !== node.value
    case 'contains':
      return get(node.label)?.includes(node.value) ?? false
    case 'startsWith':
      return get(node.label)?.startsWith(node.value) ?? false
    case 'endsWith':
      return get(node.label)?.endsWith(node.value) ?? false
    case 'in': {
      const v = get(node.label)
      return v !== undefined && node.values.includes(v)
    }
    case 'notIn': {
      const v = get(node.label)
      return v === undefined || !node.values.includes(v)
    }
    case 'not':
      return !refEval(node.operand, l)
    case 'and':
      return node.operands.every((x) => refEval(x, l))
    case 'or':
      return node.operands.some((x) => refEval(x, l))
  }
}

// ---- the checks --------------------------------------------------------------------------

const codePoints = (s: string): number => [...s].length
const stats = {parsed: 0, rejected: 0, slowestMs: 0}

/** Checks every property for one input; returns whether it parsed. */
function check(text: string, tree?: Gen): boolean {
  const t0 = performance.now()
  let sel: Selector
  try {
    sel = parseSelector(text)
  } catch (e) {
    if (!(e instanceof SelectorError)) {
      assert.fail(`non-SelectorError for ${JSON.stringify(text)}: ${String(e)}`)
    }
    assert.ok(e.message.length > 0)
    assert.equal(e.selector, text)
    assert.ok(e.column >= 1 && e.column <= codePoints(text) + 1, `column ${e.column} for ${JSON.stringify(text)}`)
    assert.ok(e.offset >= 0 && e.offset <= text.length)
    stats.rejected++
    stats.slowestMs = Math.max(stats.slowestMs, performance.now() - t0)
    assert.equal(tree, undefined, `generated selector rejected: ${JSON.stringify(text)}: ${e.message}`)
    return false
  }
  stats.slowestMs = Math.max(stats.slowestMs, performance.now() - t0)
  stats.parsed++

  const canonical = sel.toString()
  let again: Selector
  try {
    again = parseSelector(canonical)
  } catch (e) {
    assert.fail(`canonical form of ${JSON.stringify(text)} does not parse: ${JSON.stringify(canonical)}: ${String(e)}`)
  }
  assert.equal(again.toString(), canonical, `canonical form not stable for ${JSON.stringify(text)}`)
  assert.deepEqual(again.ast, sel.ast)

  const constraints = equalityConstraints(sel)
  for (let i = 0; i < LABEL_SETS_PER_SELECTOR; i++) {
    const l = randomLabels()
    const got = sel.matches(l)
    const where = `${JSON.stringify(text)} on ${JSON.stringify(l)}`
    assert.equal(again.matches(l), got, `canonical evaluates differently: ${where}`)
    assert.equal(refEval(sel.ast, l), got, `closure and tree disagree: ${where}`)
    if (tree !== undefined) assert.equal(genEval(tree, l), got, `wrong meaning: ${where}`)
    if (got && constraints !== null) {
      for (const [k, vs] of Object.entries(constraints)) {
        assert.ok(
          Object.hasOwn(l, k) && vs.includes(l[k]!),
          `constraint ${k} in ${JSON.stringify(vs)} broken: ${where}`,
        )
      }
    }
  }
  return true
}

describe('selector fuzz', {timeout: 5000}, () => {
  it(`random strings (${RANDOM_STRINGS}) only ever raise SelectorError`, () => {
    for (let i = 0; i < RANDOM_STRINGS; i++) check(randomString())
  })

  it(`generated selectors (${GENERATED}) parse, mean what they say, and survive mutation`, () => {
    for (let i = 0; i < GENERATED; i++) {
      const tree = genTree(1 + int(4))
      const text = ws() + render(tree, null) + ws()
      check(text, tree)
      for (let m = 0; m < MUTATIONS_PER_GENERATED; m++) check(mutate(text))
    }
  })

  it('ran a useful mix, quickly', () => {
    // Both outcomes must be well represented, and no single input may stall.
    assert.ok(stats.parsed > 2000, `parsed ${stats.parsed}`)
    assert.ok(stats.rejected > 1500, `rejected ${stats.rejected}`)
    assert.ok(stats.slowestMs < 250, `slowest input took ${stats.slowestMs} ms`)
  })
})
