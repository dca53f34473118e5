/**
 * Go's float formatting (strconv.FormatFloat and fmt's %v, %e, %f, %g), in one place: jsonpath, templates,
 * tables (Calico's ORDER column) and validation messages all print numbers the way the Go tools do.
 * Port of the rules in golang/go src/strconv/ftoa.go (formatDigits, fmtE, fmtF); digits come from JavaScript's
 * shortest round-trip form or, for a fixed precision, from the exact decimal value rounded half to even as Go does.
 */

/** Decimal digits `0.d1d2d3... × 10^dp`, as strconv's decimalSlice. */
interface Digits {
  d: string
  dp: number
}

/** The shortest digits that read back as `v` (v finite, > 0). */
function shortestDigits(v: number): Digits {
  const [mantissa, exp] = v.toExponential().split('e')
  return {d: mantissa.replace('.', ''), dp: Number(exp) + 1}
}

/** The exact decimal value of a finite `v` > 0 (every float64 has one). */
function exactDigits(v: number): Digits {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, v)
  const bits = view.getBigUint64(0)
  const biased = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & 0xfffffffffffffn
  let exp = biased - 1075
  if (biased === 0) exp = -1074
  else mant |= 1n << 52n
  if (exp >= 0) return trimDigits(String(mant << BigInt(exp)), 0)
  // mant × 2^exp = mant × 5^-exp / 10^-exp
  return trimDigits(String(mant * 5n ** BigInt(-exp)), exp)
}

function trimDigits(s: string, pow10: number): Digits {
  const d = s.replace(/0+$/, '')
  return {d, dp: s.length + pow10}
}

/** Rounds to `n` significant digits, half to even on the exact value (strconv's decimal.Round). */
function roundDigits(x: Digits, n: number): Digits {
  if (n < 0) return {d: '', dp: x.dp}
  if (x.d.length <= n) return x
  const next = x.d.charCodeAt(n) - 48
  const rest = x.d.slice(n + 1)
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || (n > 0 && (x.d.charCodeAt(n - 1) - 48) % 2 === 1)))
  let d = x.d.slice(0, n)
  if (!up) return {d: d.replace(/0+$/, ''), dp: x.dp}
  let i = d.length - 1
  while (i >= 0 && d[i] === '9') i--
  if (i < 0) return {d: '1', dp: x.dp + 1}
  d = d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1)
  return {d, dp: x.dp}
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i] : '0'
}

/** %e: d.ddd e±dd, at least two exponent digits. */
function fmtE(x: Digits, prec: number, e: string): string {
  let s = x.d.length === 0 ? '0' : x.d[0]
  if (prec > 0) {
    s += '.'
    for (let i = 1; i <= prec; i++) s += digitAt(x, i)
  }
  const exp = x.d.length === 0 ? 0 : x.dp - 1
  return `${s}${e}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

/** %f: ddd.ddd */
function fmtF(x: Digits, prec: number): string {
  let s = ''
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) s += digitAt(x, i)
  else s = '0'
  if (prec > 0) {
    s += '.'
    for (let i = 1; i <= prec; i++) s += digitAt(x, x.dp + i - 1)
  }
  return s
}

/**
 * strconv.FormatFloat(v, verb, prec, 64) for verb e, E, f, g, G (prec -1 = the fewest digits that read back).
 * E.g. formatFloat(1e6, 'g', -1) → `1e+06`, formatFloat(100000, 'g', -1) → `100000`,
 * formatFloat(2.5, 'f', 0) → `2`.
 */
export function formatFloat(v: number, verb: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf'
  const sign = v < 0 || Object.is(v, -0) ? '-' : ''
  const abs = Math.abs(v)
  const shortest = prec < 0
  const e = verb === 'e' || verb === 'E'
  if (!shortest && (verb === 'g' || verb === 'G') && prec === 0) prec = 1
  let x: Digits = {d: '', dp: 0}
  if (abs !== 0 && shortest) x = shortestDigits(abs)
  else if (abs !== 0) {
    const exact = exactDigits(abs)
    x = roundDigits(exact, verb === 'f' ? exact.dp + prec : e ? prec + 1 : prec)
  }
  const nd = x.d.length
  if (shortest) prec = e ? Math.max(nd - 1, 0) : verb === 'f' ? Math.max(nd - x.dp, 0) : nd
  if (e) return sign + fmtE(x, prec, verb)
  if (verb === 'f') return sign + fmtF(x, prec)
  let eprec = prec
  if (eprec > nd && nd >= x.dp) eprec = nd
  if (shortest) eprec = 6 // ftoa.go: "if precision was the shortest possible, use precision 6 for this decision"
  const exp = x.dp - 1
  if (exp < -4 || exp >= eprec) return sign + fmtE(x, Math.min(prec, nd) - 1, verb === 'g' ? 'e' : 'E')
  return sign + fmtF(x, Math.max((prec > x.dp ? nd : prec) - x.dp, 0))
}

/** fmt's %v of a float64 (`%g` with the fewest digits): 1e+06, 1.5e-07, 100000, 123456.7. */
export function goFloat(v: number): string {
  return formatFloat(v, 'g', -1)
}

/** Whether a decoded JSON number is an int64 to Go (client-go's unstructured decoding), not a float64. */
export function isGoInt(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) < 2 ** 63
}

/** fmt's %v of a number from decoded JSON: int64 in decimal, float64 as goFloat. */
export function goNumber(v: number): string {
  return isGoInt(v) ? String(Object.is(v, -0) ? 0 : v) : goFloat(v)
}
