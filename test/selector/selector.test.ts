import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  equalityConstraints,
  MAX_LABEL_LENGTH,
  MAX_NESTING,
  parseSelector,
  SelectorError,
  tokenize,
  trySelector,
  type Labels,
} from '../../src/selector/index.js'

/** Parses, asserting success, and returns the canonical form. */
function canon(text: string): string {
  return parseSelector(text).toString()
}

/** Asserts `text` is rejected with exactly this message and column. */
function rejects(text: string, message: string, column: number): void {
  assert.throws(
    () => parseSelector(text),
    (e: unknown) => {
      assert.ok(e instanceof SelectorError, `not a SelectorError: ${String(e)}`)
      assert.equal(e.message, message, `message for ${JSON.stringify(text)}`)
      assert.equal(e.column, column, `column for ${JSON.stringify(text)}`)
      assert.equal(e.selector, text)
      return true
    },
  )
}

describe('Calico parser_test.go selector table', () => {
  // [selector, labels that match, labels that do not match]
  const table: Array<[string, Labels[], Labels[]]> = [
    ['a == "b"', [{a: 'b'}, {a: 'b', c: 'd'}], [{}, {a: 'c'}, {c: 'd'}]],
    ['a == "b" && c == "d"', [{a: 'b', c: 'd'}], [{}, {a: 'b', c: 'e'}, {a: 'c', c: 'd'}, {c: 'd'}, {a: 'b'}]],
    ['a == "b" || c == "d"', [{a: 'b', c: 'd'}, {a: 'b'}, {c: 'd'}], [{}, {a: 'e', c: 'e'}, {c: 'e'}, {a: 'e'}]],
    [`a in {"'", '"', "c"}`, [{a: 'c'}, {a: '"'}, {a: "'"}], [{}, {a: 'e'}]],
    [`a not in {"'", '"', "c"}`, [{}, {a: 'e'}], [{a: 'c'}, {a: '"'}, {a: "'"}]],
    [`a == 'a'`, [{a: 'a'}], [{a: 'b'}, {}]],
    ['a == "a"', [{a: 'a'}], []],
    ['a != "b"', [{a: 'a'}], []],
    ['a != "a"', [{}], [{a: 'a'}]],
    [`a != 'a'`, [], [{a: 'a'}]],
    ['a contains "a"', [{a: 'a'}, {a: 'bab'}, {a: 'aaa', b: 'c'}], [{}, {a: 'b'}, {b: 'aaa'}]],
    ['a starts with "a"', [{a: 'a'}, {a: 'abb'}, {a: 'aaa', b: 'c'}], [{}, {a: 'b'}, {a: 'baa'}, {b: 'aaa'}]],
    ['a ends with "a"', [{a: 'a'}, {a: 'bba'}, {a: 'aaa', b: 'c'}], [{}, {a: 'b'}, {a: 'aab'}, {b: 'aaa'}]],
    ['a in {"a"}', [{a: 'a'}], [{a: 'b'}]],
    ['!a in {"a"}', [{a: 'b'}], []],
    ['a in {"a", "b"}', [{a: 'a'}, {a: 'b'}], [{a: 'c'}]],
    ['a not in {"d", "e"}', [{a: 'a'}], []],
    ['a not in {"a"}', [], [{a: 'a'}]],
    ['has(a)', [{a: 'b'}], []],
    ['!has(a)', [{b: 'b'}], [{a: 'b'}]],
    ['', [{}, {a: 'b'}], []],
    [' ', [{}], []],
    ['all()', [{}], []],
    [' all()', [{}, {a: 'b'}], []],
    ['global()', [{}], []],
    [' global()', [{}, {a: 'b'}], []],
    ['has(b)', [], [{a: 'b'}]],
    ['!!has(b)', [], [{a: 'b'}]],
    ['! has(a)', [], [{a: 'b'}]],
    ['!!! has(a)', [], [{a: 'b'}]],
    ['!!!has(a)', [], [{a: 'b'}]],
    ['!! ! has(a)', [], [{a: 'b'}]],
    ['! !!has(a)', [], [{a: 'b'}]],
    [`a == 'a1' && b == 'b1'`, [{a: 'a1', b: 'b1'}], []],
    [`a == 'a1' && b != 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    [`a != 'a1' && b == 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    [`a != 'a1' && b != 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    [`a != 'a1' && !b == 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    [`!a == 'a1' && b == 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    ['has(a) && !has(b)', [{a: 'a'}], []],
    ['!has(b) && has(a)', [{a: 'a'}], []],
    ['!(!has(a) || has(b))', [{a: 'a'}], []],
    ['!(has(b) || !has(a))', [{a: 'a'}], []],
    [`a == 'a1' || b == 'b1'`, [{a: 'a1', b: 'b1'}], []],
    [`a == 'a1' || b != 'b1'`, [{a: 'a1', b: 'b1'}], []],
    [`a != 'a1' || b == 'b1'`, [{a: 'a1', b: 'b1'}], []],
    [`a != 'a1' || b != 'b1'`, [], [{a: 'a1', b: 'b1'}]],
    [`! a == 'a1' || ! b == 'b1'`, [], [{a: 'a1', b: 'b1'}]],
  ]
  for (const [text, yes, no] of table) {
    it(`${JSON.stringify(text)} evaluates, also after canonicalising`, () => {
      const sel = parseSelector(text)
      const again = parseSelector(sel.toString())
      for (const labels of yes) {
        assert.equal(sel.matches(labels), true, `should match ${JSON.stringify(labels)}`)
        assert.equal(again.matches(labels), true)
      }
      for (const labels of no) {
        assert.equal(sel.matches(labels), false, `should not match ${JSON.stringify(labels)}`)
        assert.equal(again.matches(labels), false)
      }
    })
  }
})

describe('bad selectors (Calico badSelectors, with messages and columns)', () => {
  const bad: Array<[string, string, number]> = [
    ['b == b', 'expected string', 6],
    ['b contains b', 'expected string', 12],
    // Calico's multi-word operators skip trailing blanks before their word-boundary
    // check, so a label right after them makes the operator itself fail to tokenize.
    ['b starts with b', 'expected operator after label "b"', 3],
    ['b ends with b', 'expected operator after label "b"', 3],
    [`'b1' == b`, 'unexpected token: TokStringLiteral(b1)', 1],
    ['b', 'unexpected end of string looking for op', 2],
    ['a b', 'expected operator after label "a"', 3],
    ['!', 'unexpected token: TokEOF()', 2],
    ['foo == "bar" &', 'expected &&', 14],
    ['foo == "bar" |', 'expected ||', 14],
    ['foo != ||', 'expected string', 8],
    ['foo in {"", ||', 'expected }', 13],
    ['foo in ""', 'expected set literal', 8],
    ['"FOO', 'unterminated string', 1],
    [`"FOO'`, 'unterminated string', 1],
    [`'FOO`, 'unterminated string', 1],
    ['(', 'unexpected token: TokEOF()', 2],
    ['(a == "foo"', 'expected )', 12],
    [')', 'unexpected token: TokRParen()', 1],
    ['()', 'unexpected token: TokRParen()', 2],
    ['%', 'expected identifier', 1],
    ['a == "b" && %', 'expected identifier', 13],
    ['a == "b" || %', 'expected identifier', 13],
    // A label then only whitespace: the tokenizer is happy (the space is skipped), the
    // parser finds a label with no operator before the end.
    ['a ', 'unexpected end of string looking for op', 3],
    ['has(foo) &&', 'unexpected token: TokEOF()', 12],
  ]
  for (const [text, message, column] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => rejects(text, message, column))
  }
})

describe('other errors', () => {
  const cases: Array<[string, string, number]> = [
    ['a = "b"', 'expected ==', 3],
    ['a =', 'expected ==', 3],
    ['a == "b" c', 'unexpected content at end of selector [TokLabel(c) TokEOF()]', 10],
    ['a == "b")', 'unexpected content at end of selector [TokRParen() TokEOF()]', 9],
    ['has(a) has(b)', 'unexpected content at end of selector [TokHas(b) TokEOF()]', 8],
    [`a == "b" 'c' {`, 'unexpected content at end of selector [TokStringLiteral(c) TokLBrace() TokEOF()]', 10],
    ['a in {"x"', 'expected }', 10],
    ['a in {"x" "y"}', 'expected }', 11],
    ['a in {,}', 'expected }', 7],
    ['a in {"x",,}', 'expected }', 11],
    ['a in {x}', 'expected }', 7],
    ['a in x', 'expected set literal', 6],
    ['a not in x', 'expected operator after label "a"', 3],
    ['a notin x', 'expected operator after label "a"', 3],
    ['a starts with "x" && b starts with c', 'expected operator after label "b"', 24],
    ['a starts with {', 'expected string', 15],
    ['a not in "x"', 'expected set literal', 10],
    ['a == {', 'expected string', 6],
    ['a && b', 'expected == or != not: TokAnd()', 3],
    ['a (', 'expected == or != not: TokLParen()', 3],
    ['a "x"', 'expected == or != not: TokStringLiteral(x)', 3],
    ['a !x', 'expected == or != not: TokNot()', 3],
    ['a ! = "x"', 'expected ==', 5],
    ['(a == "b"', 'expected )', 10],
    ['((a == "b")', 'expected )', 12],
    ['a == "b" &&', 'unexpected token: TokEOF()', 12],
    ['&& a', 'unexpected token: TokAnd()', 1],
    ['{', 'unexpected token: TokLBrace()', 1],
    ['a == "x', 'unterminated string', 6],
    ['has(a b)', "no closing ')' after has(", 7],
    ['has( a', "no closing ')' after has(", 7],
    ['has()', 'expected identifier', 5],
    ['has(  )', 'expected identifier', 7],
    ['has(%)', 'expected identifier', 5],
    ['all(x)', "no closing ')' after all(", 5],
    ['all( ', "no closing ')' after all(", 6],
    ['global(x)', "no closing ')' after global(", 8],
    ['a has(b)', 'expected operator after label "a"', 3],
    ['a all()', 'expected operator after label "a"', 3],
    // Only space and tab are whitespace.
    ['a\n== "b"', 'expected operator after label "a"', 2],
    ['\n', 'expected identifier', 1],
    ['a == "b" &&\nb == "c"', 'expected identifier', 12],
    // Keyword spellings need their exact form (has( with no space, lower case).
    ['has (a)', 'expected == or != not: TokLParen()', 5],
    ['HAS(a)', 'expected == or != not: TokLParen()', 4],
  ]
  for (const [text, message, column] of cases) {
    it(`rejects ${JSON.stringify(text)}`, () => rejects(text, message, column))
  }

  it('reports columns in code points, not UTF-16 units', () => {
    rejects(`'😀' %`, 'expected identifier', 5)
    rejects('a == "é" é', 'expected identifier', 10)
    const err = trySelector(`'😀' %`)
    assert.ok('error' in err)
    assert.equal(err.error.offset, 5) // UTF-16 offset, for slicing
  })

  it('SelectorError is an Error with name, selector, column, offset', () => {
    const r = trySelector('a b')
    assert.ok('error' in r)
    assert.ok(r.error instanceof Error)
    assert.equal(r.error.name, 'SelectorError')
    assert.equal(r.error.selector, 'a b')
    assert.equal(r.error.column, 3)
    assert.equal(r.error.offset, 2)
  })
})

describe('canonical form (Calico canonicalisationTests and more)', () => {
  const cases: Array<[string, string]> = [
    ['', 'all()'],
    [' all() ', 'all()'],
    [' (all() )', 'all()'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
    [`a == "'"`, `a == "'"`],
    [`a == '"'`, `a == '"'`],
    [`a contains '"'`, `a contains '"'`],
    [`a contains "'"`, `a contains "'"`],
    [`a startswith '"'`, `a starts with '"'`],
    [`a endswith "'"`, `a ends with "'"`],
    [`a!='"'`, `a != '"'`],
    ['a in {"d"}', 'a in {"d"}'],
    ['a in {"a", "b"}', 'a in {"a", "b"}'],
    ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
    ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
    ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
    // Ours.
    [`a == 'b'`, 'a == "b"'],
    ['a in {}', 'a in {}'],
    ['a notin{}', 'a not in {}'],
    [`a in {'"', "'"}`, `a in {'"', "'"}`],
    ['a in {"x",}', 'a in {"x"}'],
    // Sorted by code point like Go (UTF-8 bytes), not by UTF-16 unit.
    ['a in {"😀", "Ａ", "b"}', 'a in {"b", "Ａ", "😀"}'],
    ['global()', 'global()'],
    ['  global(  ) ', 'global()'],
    ['has(  a/b.c-d_e  )', 'has(a/b.c-d_e)'],
    ['a == "b" && c == "d" && e == "f"', '(a == "b" && c == "d" && e == "f")'],
    ['(a == "b" && c == "d") && e == "f"', '((a == "b" && c == "d") && e == "f")'],
    ['a == "b" || c == "d" || e == "f"', '(a == "b" || c == "d" || e == "f")'],
    ['((((has(a)))))', 'has(a)'],
    ['!!has(a)', 'has(a)'],
    ['!!!has(a)', '!has(a)'],
    ['!(a == "b")', '!a == "b"'],
    ['!(a == "b" && c == "d")', '!(a == "b" && c == "d")'],
    // Calico prints `!!has(a)` here, which it re-parses as has(a); we collapse at once.
    ['!(!has(a))', 'has(a)'],
    ['!(!(!has(a)))', '!has(a)'],
    ['a==""', 'a == ""'],
    ['a contains ""', 'a contains ""'],
    ['a == "x y\tz"', 'a == "x y\tz"'],
  ]
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}, and round-trips`, () => {
      const sel = parseSelector(input)
      assert.equal(sel.toString(), expected)
      assert.equal(String(sel), expected)
      assert.equal(JSON.stringify({s: sel}), JSON.stringify({s: expected}))
      assert.equal(canon(expected), expected)
    })
  }
})

describe('operators', () => {
  const l: Labels = {app: 'web-frontend', tier: 'a', empty: ''}
  const cases: Array<[string, boolean]> = [
    ['app == "web-frontend"', true],
    ['app == "web"', false],
    ['app != "web"', true],
    ['app != "web-frontend"', false],
    ['app contains "front"', true],
    ['app contains "back"', false],
    ['app contains ""', true],
    ['app starts with "web"', true],
    ['app starts with "front"', false],
    ['app ends with "end"', true],
    ['app ends with "web"', false],
    ['tier in {"a", "b"}', true],
    ['tier in {"b"}', false],
    ['tier in {}', false],
    ['tier not in {"b"}', true],
    ['tier not in {"a"}', false],
    ['tier not in {}', true],
    ['has(app)', true],
    ['has(missing)', false],
    ['!has(missing)', true],
    ['all()', true],
    ['global()', true],
    ['has(empty)', true],
    ['empty == ""', true],
    ['empty != ""', false],
    ['empty starts with ""', true],
    ['app == "web-frontend" && tier == "a"', true],
    ['app == "web-frontend" && tier == "b"', false],
    ['app == "x" || tier == "a"', true],
    ['app == "x" || tier == "b"', false],
  ]
  for (const [text, want] of cases) {
    it(`${text} -> ${want}`, () => assert.equal(parseSelector(text).matches(l), want))
  }
})

describe('absent labels', () => {
  const cases: Array<[string, boolean]> = [
    ['a == "x"', false],
    ['a != "x"', true],
    ['a != ""', true],
    ['a contains ""', false],
    ['a starts with ""', false],
    ['a ends with ""', false],
    ['a in {"x"}', false],
    ['a in {""}', false],
    ['a in {}', false],
    ['a not in {"x"}', true],
    ['a not in {}', true],
    ['has(a)', false],
    ['!has(a)', true],
    ['!a == "x"', true],
    ['!a != "x"', false],
  ]
  for (const [text, want] of cases) {
    it(`${text} on {} -> ${want}`, () => assert.equal(parseSelector(text).matches({}), want))
  }

  it('does not take inherited object members for labels', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(parseSelector(`has(${key})`).matches({}), false, key)
      assert.equal(parseSelector(`${key} != "x"`).matches({}), true, key)
      assert.equal(parseSelector(`${key} not in {"x"}`).matches({}), true, key)
    }
  })

  it('sees labels named like object members when they are present', () => {
    const labels = JSON.parse('{"__proto__": "p", "constructor": "c"}') as Labels
    assert.equal(parseSelector('__proto__ == "p" && constructor == "c"').matches(labels), true)
    const bare = Object.assign(Object.create(null) as Record<string, string>, {a: 'x'})
    assert.equal(parseSelector('a == "x" && !has(toString)').matches(bare), true)
  })
})

describe('precedence: || lowest, then &&, then !', () => {
  const cases: Array<[string, string]> = [
    ['a == "1" || b == "1" && c == "1"', '(a == "1" || (b == "1" && c == "1"))'],
    ['a == "1" && b == "1" || c == "1"', '((a == "1" && b == "1") || c == "1")'],
    ['has(a) && has(b) || has(c) && has(d)', '((has(a) && has(b)) || (has(c) && has(d)))'],
    ['!has(a) && has(b)', '(!has(a) && has(b))'],
    ['!has(a) || has(b)', '(!has(a) || has(b))'],
    ['!(has(a) || has(b))', '!(has(a) || has(b))'],
    ['has(a) && (has(b) || has(c))', '(has(a) && (has(b) || has(c)))'],
    ['!a == "1" && b == "1"', '(!a == "1" && b == "1")'],
  ]
  for (const [input, expected] of cases) {
    it(`${input} groups as ${expected}`, () => assert.equal(canon(input), expected))
  }

  it('evaluates by precedence', () => {
    const sel = parseSelector('has(a) || has(b) && has(c)')
    assert.equal(sel.matches({a: ''}), true) // would be false as (a || b) && c
    assert.equal(sel.matches({b: ''}), false)
    assert.equal(sel.matches({b: '', c: ''}), true)
    const neg = parseSelector('!has(a) && has(b)')
    assert.equal(neg.matches({b: ''}), true)
    assert.equal(neg.matches({}), false) // read as !(has(a) && has(b)) it would be true
  })
})

describe('tokenizer', () => {
  const kinds = (text: string) => tokenize(text).map((t) => (t.value ? `${t.kind}(${t.value})` : t.kind))

  it('tokenizes Calico tokenizer_test.go examples', () => {
    assert.deepEqual(kinds('a not in "bar" && !has(foo) || b in c'), [
      'TokLabel(a)',
      'TokNotIn',
      'TokStringLiteral(bar)',
      'TokAnd',
      'TokNot',
      'TokHas(foo)',
      'TokOr',
      'TokLabel(b)',
      'TokIn',
      'TokLabel(c)',
      'TokEOF',
    ])
    assert.deepEqual(kinds('a notin"bar"&&!has(foo)||b in"c"'), [
      'TokLabel(a)',
      'TokNotIn',
      'TokStringLiteral(bar)',
      'TokAnd',
      'TokNot',
      'TokHas(foo)',
      'TokOr',
      'TokLabel(b)',
      'TokIn',
      'TokStringLiteral(c)',
      'TokEOF',
    ])
    assert.deepEqual(kinds('contains contains "contains"'), [
      'TokLabel(contains)',
      'TokContains',
      'TokStringLiteral(contains)',
      'TokEOF',
    ])
    assert.deepEqual(kinds('startswith starts with "v"'), [
      'TokLabel(startswith)',
      'TokStartsWith',
      'TokStringLiteral(v)',
      'TokEOF',
    ])
    assert.deepEqual(kinds('endswith ends with "v"'), [
      'TokLabel(endswith)',
      'TokEndsWith',
      'TokStringLiteral(v)',
      'TokEOF',
    ])
    assert.deepEqual(kinds('has(calico/k8s_NS-.1/role)'), ['TokHas(calico/k8s_NS-.1/role)', 'TokEOF'])
    assert.deepEqual(kinds('a not in {"a","B"}'), [
      'TokLabel(a)',
      'TokNotIn',
      'TokLBrace',
      'TokStringLiteral(a)',
      'TokComma',
      'TokStringLiteral(B)',
      'TokRBrace',
      'TokEOF',
    ])
  })

  it('records token offsets', () => {
    assert.deepEqual(
      tokenize(' a  ==  "b" ').map((t) => t.offset),
      [1, 4, 8, 12],
    )
  })

  it('accepts multi-word operators with any spacing, or none', () => {
    const spellings: Array<[string, string]> = [
      ['a startswith "x"', 'a starts with "x"'],
      ['a starts with "x"', 'a starts with "x"'],
      ['a starts   with "x"', 'a starts with "x"'],
      ['a starts\twith "x"', 'a starts with "x"'],
      ['a startswith"x"', 'a starts with "x"'],
      ['a endswith "x"', 'a ends with "x"'],
      ['a ends \t with "x"', 'a ends with "x"'],
      ['a notin {"x"}', 'a not in {"x"}'],
      ['a not   in {"x"}', 'a not in {"x"}'],
      ['a notin{"x"}', 'a not in {"x"}'],
      ['a in{"x"}', 'a in {"x"}'],
      ['a contains"x"', 'a contains "x"'],
      ["a=='x'", 'a == "x"'],
      ['a!="x"', 'a != "x"'],
      ['not not in {"x"}', 'not not in {"x"}'],
      ['in in {"in"}', 'in in {"in"}'],
      ['has == "x" && all == "y" && global == "z"', '(has == "x" && all == "y" && global == "z")'],
    ]
    for (const [input, expected] of spellings) assert.equal(canon(input), expected, input)
  })

  it('requires a word boundary after word operators', () => {
    for (const text of [
      'a containsx "x"',
      'a startswithx "x"',
      'a starts withx "x"',
      'a endswithx "x"',
      'a notinx {}',
      'a inx {}',
      'a in-{}',
      'a in/ {}',
      'a starts foo "x"',
      'a ends foo "x"',
      'a squiggles "x"',
      'a with "x"',
      'a nothing {}',
    ]) {
      rejects(text, 'expected operator after label "a"', 3)
    }
    // A non-label character ends the word: `(` here, which the parser then rejects.
    rejects('a in({})', 'expected set literal', 5)
  })

  it('accepts the label charset [a-zA-Z0-9_./-] and stops at anything else', () => {
    const label = 'aZ09_./-Calico.org/k8s-app'
    assert.equal(canon(`${label} == "x"`), `${label} == "x"`)
    assert.equal(canon(`has(${label})`), `has(${label})`)
    assert.equal(canon('-- == "x"'), '-- == "x"')
    assert.equal(canon('0 == "x"'), '0 == "x"')
    rejects('a:b == "x"', 'expected operator after label "a"', 2)
    rejects('a+b == "x"', 'expected operator after label "a"', 2)
    rejects('é == "x"', 'expected identifier', 1)
    rejects('has(a:b)', "no closing ')' after has(", 6)
  })

  it(`limits labels to ${MAX_LABEL_LENGTH} characters`, () => {
    const ok = 'a'.repeat(MAX_LABEL_LENGTH)
    const long = 'a'.repeat(MAX_LABEL_LENGTH + 1)
    assert.equal(canon(`${ok} == "x"`), `${ok} == "x"`)
    assert.equal(canon(`has(${ok})`), `has(${ok})`)
    rejects(`${long} == "x"`, `label too long: ${long}`, 1)
    rejects(`b == "x" && has(  ${long})`, `label too long: ${long}`, 19)
    // Values have no limit.
    assert.equal(parseSelector(`a == "${long}"`).matches({a: long}), true)
  })

  it('takes quotes literally: no escapes, the other quote is plain text', () => {
    assert.equal(parseSelector(`a == 'x"y'`).matches({a: 'x"y'}), true)
    assert.equal(parseSelector(`a == "it's"`).matches({a: "it's"}), true)
    assert.equal(parseSelector('a == "x\\"').matches({a: 'x\\'}), true) // backslash is literal
    assert.equal(parseSelector('a == "x\\" && b == "y"').matches({a: 'x\\', b: 'y'}), true)
    rejects('a == "x\\"y"', 'unterminated string', 11) // `"x\"`, label y, then a lone `"`
    assert.equal(parseSelector('a == "x\ny"').matches({a: 'x\ny'}), true) // newline inside a literal is fine
    assert.equal(parseSelector('a == "&& || ( ) { } , ! ="').matches({a: '&& || ( ) { } , ! ='}), true)
  })
})

describe('global()', () => {
  const cases: Array<[string, boolean, boolean]> = [
    // [selector, usesGlobal, isGlobalOnly]
    ['global()', true, true],
    ['  global(  ) ', true, true],
    ['\tglobal()', true, true],
    ['(global())', true, false], // Calico tokenizes; more than one token is not "only"
    ['!!global()', true, false],
    ['global() && has(a)', true, false],
    ['has(a) || global()', true, false],
    ['global() || global()', true, false],
    ['!global()', true, false],
    ['all()', false, false],
    ['', false, false],
    ['a == "global()"', false, false],
  ]
  for (const [text, uses, only] of cases) {
    it(`${JSON.stringify(text)}: usesGlobal ${uses}, isGlobalOnly ${only}`, () => {
      const sel = parseSelector(text)
      assert.equal(sel.usesGlobal(), uses)
      assert.equal(sel.isGlobalOnly(), only)
    })
  }
})

describe('Selector API', () => {
  it('exposes the source text and the tree', () => {
    const sel = parseSelector(' !has(a) && b in {"y", "x"} ')
    assert.equal(sel.text, ' !has(a) && b in {"y", "x"} ')
    assert.deepEqual(sel.ast, {
      type: 'and',
      operands: [
        {type: 'not', operand: {type: 'has', label: 'a'}},
        {type: 'in', label: 'b', values: ['x', 'y']},
      ],
    })
    assert.deepEqual(parseSelector('').ast, {type: 'all'})
    assert.deepEqual(parseSelector('a starts with "p"').ast, {type: 'startsWith', label: 'a', value: 'p'})
  })

  it('lists referenced label keys, sorted and unique', () => {
    assert.deepEqual(parseSelector('z == "x" && (has(b) || c in {"1"}) && !z != "y" && a ends with "q"').labelKeys(), [
      'a',
      'b',
      'c',
      'z',
    ])
    assert.deepEqual(parseSelector('all() || global()').labelKeys(), [])
    const sel = parseSelector('has(a)')
    sel.labelKeys().push('mutated')
    assert.deepEqual(sel.labelKeys(), ['a'])
  })

  it('lets matches be passed around detached', () => {
    const {matches} = parseSelector('tier == "a"')
    const eps: Labels[] = [{tier: 'a'}, {tier: 'b'}, {}]
    assert.deepEqual(eps.filter(matches), [{tier: 'a'}])
  })

  it('trySelector returns the selector or the error', () => {
    const ok = trySelector('has(a)')
    assert.ok('selector' in ok)
    assert.equal(ok.selector.toString(), 'has(a)')
    const bad = trySelector('has(a')
    assert.ok('error' in bad)
    assert.ok(bad.error instanceof SelectorError)
    assert.equal(bad.error.message, "no closing ')' after has(")
    assert.equal(bad.error.column, 6)
  })

  it(`accepts parentheses nested ${MAX_NESTING} deep and rejects deeper`, () => {
    const nest = (n: number) => '('.repeat(n) + '!a == "b"' + ')'.repeat(n)
    assert.equal(parseSelector(nest(MAX_NESTING)).matches({a: 'c'}), true)
    rejects(nest(MAX_NESTING + 1), 'selector nested too deeply', MAX_NESTING + 1)
    const deepTree = '(has(x) && '.repeat(MAX_NESTING) + 'a == "b"' + ')'.repeat(MAX_NESTING)
    const sel = parseSelector(deepTree)
    assert.equal(sel.matches({a: 'b', x: ''}), true)
    assert.equal(canon(sel.toString()), sel.toString())
    assert.throws(() => parseSelector('('.repeat(100_000)), SelectorError)
  })
})

describe('round trip: parse(toString(x)) is x', () => {
  const selectors = [
    'a == "b"',
    `a == '"'`,
    `a in {'"', "'", "x"}`,
    'a not in {}',
    '!has(a)',
    '!!!has(a)',
    '!(a == "b" || !(c != "d" && e contains "f"))',
    'a starts with "x" || a ends with "y" && !b in {"1", "2"}',
    '((a == "1" || b == "1") && (c == "1" || d == "1")) || global()',
    '!(!(!(!a == "b")))',
    'all() && !all()',
    '!(a == "b" && (c == "d"))',
    'x/y.z-w_0 notin {"", " "}',
  ]
  const labelSets: Labels[] = [{}, {a: 'b'}, {a: '"'}, {a: 'x', b: '1'}, {c: 'd', e: 'ff'}, {a: 'xy', b: '3', d: '1'}]
  for (const text of selectors) {
    it(JSON.stringify(text), () => {
      const sel = parseSelector(text)
      const again = parseSelector(sel.toString())
      assert.equal(again.toString(), sel.toString())
      assert.deepEqual(again.ast, sel.ast)
      for (const l of labelSets) assert.equal(again.matches(l), sel.matches(l), JSON.stringify(l))
    })
  }
})

describe('equalityConstraints', () => {
  const cases: Array<[string, Record<string, string[]> | null]> = [
    ['a == "x"', {a: ['x']}],
    ['a in {"y", "x", "y"}', {a: ['x', 'y']}],
    ['a == "x" && b in {"2", "1"} && has(c) && d != "q"', {a: ['x'], b: ['1', '2']}],
    ['a == "x" && a in {"x", "y"}', {a: ['x']}],
    ['a in {"x", "y", "z"} && a in {"z", "y"}', {a: ['y', 'z']}],
    ['a == "x" && a == "y"', {a: []}],
    ['a in {}', {a: []}],
    ['(a == "x" && b == "y") && c != "z"', {a: ['x'], b: ['y']}],
    ['(a == "x" || b == "y") && c == "z"', {c: ['z']}],
    ['!(!a == "x")', {a: ['x']}],
    ['z == "1" && a == "2"', {a: ['2'], z: ['1']}],
    ['a == "x" || b == "y"', null],
    ['a == "x" || a == "y"', null],
    ['!a == "x"', null],
    ['a != "x"', null],
    ['a not in {"x"}', null],
    ['has(a)', null],
    ['has(a) && a contains "x"', null],
    ['all()', null],
    ['', null],
    ['global()', null],
  ]
  for (const [text, want] of cases) {
    it(`${text} -> ${JSON.stringify(want)}`, () => {
      const got = equalityConstraints(parseSelector(text))
      if (want === null) assert.equal(got, null)
      else {
        assert.ok(got !== null)
        assert.deepEqual(Object.entries(got), Object.entries(want))
      }
    })
  }

  it('handles a label named __proto__', () => {
    const got = equalityConstraints(parseSelector('__proto__ == "x"'))
    assert.ok(got !== null)
    assert.deepEqual(Object.entries(got), [['__proto__', ['x']]])
    assert.equal(Object.getPrototypeOf(got), Object.prototype)
  })
})
