/**
 * fmt.Sprintf for the values a template sees (golang/go src/fmt/print.go doPrintf and format.go): flags
 * `+ - # 0 space`, width, precision, the verbs for bool, int, float64, string, slices and maps (verbs apply to each
 * element), and fmt's own complaints: `%!d(float64=1.5)`, `%!d(MISSING)`, `%!(EXTRA int=2)`, `%!(NOVERB)`.
 */
import {sortedKeys} from '../core/go-strings.js'
import {Boxed, formatFloatVerb, goQuote, isMap, MISSING, numberOf, sprintValue, typeName} from './values.js'

interface Spec {
  plus: boolean
  minus: boolean
  sharp: boolean
  zero: boolean
  space: boolean
  width?: number
  prec?: number
}

export function sprintf(format: string, args: unknown[]): string {
  let out = ''
  let argNum = 0
  let i = 0
  while (i < format.length) {
    const pct = format.indexOf('%', i)
    if (pct === -1) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, pct)
    i = pct + 1
    const spec: Spec = {plus: false, minus: false, sharp: false, zero: false, space: false}
    for (; i < format.length; i++) {
      const c = format[i]
      if (c === '+') spec.plus = true
      else if (c === '-') spec.minus = true
      else if (c === '#') spec.sharp = true
      else if (c === '0') spec.zero = true
      else if (c === ' ') spec.space = true
      else break
    }
    const width = /^\d+/.exec(format.slice(i))
    if (width) [spec.width, i] = [Number(width[0]), i + width[0].length]
    if (format[i] === '.') {
      const prec = /^\d*/.exec(format.slice(++i))![0]
      ;[spec.prec, i] = [Number(prec || '0'), i + prec.length]
    }
    if (i >= format.length) {
      out += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    out += formatArg(args[argNum++], verb, spec)
  }
  if (argNum < args.length)
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (isNil(a) ? '<nil>' : `${typeName(a)}=${sprintValue(a)}`))
      .join(', ')})`
  return out
}

function isNil(v: unknown): boolean {
  const x = v instanceof Boxed ? v.v : v
  return x === null || x === undefined || x === MISSING
}

function formatArg(arg: unknown, verb: string, spec: Spec): string {
  const v = arg instanceof Boxed ? arg.v : arg
  // fmt: %+v and %#v are flags of %v (field names, Go syntax), not a sign.
  if (verb === 'v' && spec.plus) spec = {...spec, plus: false}
  if (verb === 'v' && spec.sharp) return pad(isNil(v) ? '<nil>' : goSyntax(v), spec)
  if (verb === 'T') return pad(isNil(v) ? '<nil>' : typeName(v), spec)
  if (isNil(v)) return verb === 'v' ? pad('<nil>', spec) : `%!${verb}(<nil>)`
  // Inside a slice or map, a nil element prints as <nil> whatever the verb.
  const element = (e: unknown) => (isNil(e) ? '<nil>' : formatArg(e, verb, spec))
  if (Array.isArray(v)) return `[${v.map(element).join(' ')}]`
  if (isMap(v))
    return `map[${sortedKeys(v)
      .map((k) => `${formatArg(k, verb, spec)}:${element(v[k])}`)
      .join(' ')}]`
  const text = formatScalar(v, verb, spec)
  return text ?? `%!${verb}(${typeName(v)}=${sprintValue(v)})`
}

function formatScalar(v: unknown, verb: string, spec: Spec): string | undefined {
  if (typeof v === 'boolean') return verb === 'v' || verb === 't' ? pad(String(v), spec) : undefined
  if (typeof v === 'string') return formatString(v, verb, spec)
  const n = numberOf(v)
  if (!n) return undefined
  if (n.kind === 'float') {
    if (verb === 'x' || verb === 'X') return padNumber(hexFloat(n.value, verb), spec)
    if (!'veEfFgG'.includes(verb)) return undefined
    return padNumber(formatFloatVerb(n.value, verb === 'v' ? 'g' : verb, spec.prec), spec)
  }
  return formatInt(n.value, verb, spec)
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  const truncated = spec.prec === undefined ? s : [...s].slice(0, spec.prec).join('')
  if (verb === 'v' || verb === 's') return pad(truncated, spec)
  if (verb === 'q') return pad(spec.sharp && !s.includes('`') ? `\`${truncated}\`` : goQuote(truncated), spec)
  if (verb === 'x' || verb === 'X') {
    const hex = Buffer.from(truncated, 'utf8').toString('hex')
    return pad(verb === 'X' ? hex.toUpperCase() : hex, spec)
  }
  return undefined
}

function formatInt(n: number, verb: string, spec: Spec): string | undefined {
  const abs = Math.abs(n)
  const sign = n < 0 ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  let digits: string
  switch (verb) {
    case 'v':
    case 'd':
      digits = String(abs)
      break
    case 'b':
      digits = abs.toString(2)
      break
    case 'o':
      digits = (spec.sharp ? '0' : '') + abs.toString(8)
      break
    case 'O':
      digits = '0o' + abs.toString(8)
      break
    case 'x':
      digits = (spec.sharp ? '0x' : '') + abs.toString(16)
      break
    case 'X':
      digits = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase()
      break
    case 'c':
      return pad(String.fromCodePoint(n), spec)
    case 'q':
      return pad(`'${goQuote(String.fromCodePoint(n)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`, spec)
    case 'U':
      return pad(`U+${n.toString(16).toUpperCase().padStart(4, '0')}`, spec)
    default:
      return undefined
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0')
  return padNumber(sign + digits, spec.prec === undefined ? spec : {...spec, zero: false})
}

/** Numbers: a `+` flag shows the sign, `0` pads with zeros after it. */
function padNumber(text: string, spec: Spec): string {
  if (spec.plus && !/^[+\- ]/.test(text)) text = '+' + text
  else if (spec.space && !/^[+\- ]/.test(text)) text = ' ' + text
  if (spec.zero && !spec.minus && spec.width !== undefined && /\d/.test(text)) {
    const sign = /^[+\- ]/.test(text) ? text[0] : ''
    return sign + text.slice(sign.length).padStart(spec.width - sign.length, '0')
  }
  return pad(text, spec)
}

function pad(text: string, spec: Spec): string {
  const width = spec.width ?? 0
  const length = [...text].length
  if (length >= width) return text
  return spec.minus ? text + ' '.repeat(width - length) : ' '.repeat(width - length) + text
}

/** %x of a float64: Go's hexadecimal mantissa and binary exponent, shortest (-0x1.8p+01). */
function hexFloat(v: number, verb: string): string {
  if (!Number.isFinite(v)) return formatFloatVerb(v, 'g', undefined)
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, v)
  const bits = view.getBigUint64(0)
  const sign = bits >> 63n ? '-' : ''
  let exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & 0xfffffffffffffn
  if (exp === 0 && mant === 0n) exp = 1023
  else if (exp === 0) {
    // Subnormal: shift the leading one into the implicit bit's place.
    exp = 1
    while (!(mant & (1n << 52n))) [mant, exp] = [mant << 1n, exp - 1]
    mant &= 0xfffffffffffffn
  }
  const e = exp - 1023
  const fraction = mant.toString(16).padStart(13, '0').replace(/0+$/, '')
  const lead = v === 0 ? '0' : '1'
  const exponent = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  const text = `${sign}0x${lead}${fraction ? `.${fraction}` : ''}p${exponent}`
  return verb === 'X' ? text.toUpperCase() : text
}

/** %#v: the value as Go source (`map[string]interface {}{"a":1}`, `[]interface {}{"q", interface {}(nil)}`). */
function goSyntax(v: unknown): string {
  if (v instanceof Boxed) v = v.v
  if (v === null || v === undefined || v === MISSING) return 'interface {}(nil)'
  if (typeof v === 'string') return goQuote(v)
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`
  if (isMap(v))
    return `map[string]interface {}{${sortedKeys(v)
      .map((k) => `${goQuote(k)}:${goSyntax(v[k])}`)
      .join(', ')}}`
  return sprintValue(v)
}
