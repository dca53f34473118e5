#!/usr/bin/env node
// Turns the DescribeTable entries of Calico's validator test (libcalico-go/lib/validator/v3/validator_test.go)
// into data: each Entry becomes a resource (JSON) and whether Calico accepts it. Our own translator: it reads
// the Go composite literals, maps Go field names to JSON names with the json tags of the API types, and wraps
// fragments (a Rule, an EntityRule, ICMPFields, an HTTPMatch, a Protocol) into the smallest resource holding them.
// Kinds xctl does not model are listed as skipped with the reason.
//
//   node test/validation/upstream-cases/port.mjs <calico checkout or git dir> <ref> > cases.json
//
// The output is committed (validator_test.v3.32.1.json); this script is only needed to refresh it.
import {execFileSync} from 'node:child_process'

const [repo, ref = 'v3.32.1'] = process.argv.slice(2)
const show = (path) =>
  execFileSync('git', ['--git-dir', repo, 'show', `${ref}:${path}`], {encoding: 'utf8', maxBuffer: 64 << 20})
const listDir = (dir) =>
  execFileSync('git', ['--git-dir', repo, 'ls-tree', '--name-only', `${ref}:${dir}`], {encoding: 'utf8'})
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_'))

// Go field name → JSON name, and string constants, from the API types.
const JSON_NAMES = new Map([['ObjectMeta', 'metadata']])
const CONSTANTS = new Map()
for (const dir of ['api/pkg/apis/projectcalico/v3', 'api/pkg/lib/numorstring']) {
  for (const file of listDir(dir)) {
    const text = show(`${dir}/${file}`)
    for (const m of text.matchAll(/^\s*(\w+)\s+[^`\n]*`[^`]*json:"([^",]*)/gm))
      if (m[2] && m[2] !== '-' && !JSON_NAMES.has(m[1])) JSON_NAMES.set(m[1], m[2])
    for (const m of text.matchAll(/^\s*(\w+)\s+\w+\s*=\s*"([^"]*)"/gm)) CONSTANTS.set(`api.${m[1]}`, m[2])
    for (const m of text.matchAll(/^\s*(\w+)\s*=\s*float64\(([\d_.]+)\)/gm))
      CONSTANTS.set(`api.${m[1]}`, Number(m[2].replaceAll('_', '')))
  }
}

const source = show('libcalico-go/lib/validator/v3/validator_test.go')
const lines = source.split('\n')

// ---- a small Go expression reader -------------------------------------------------------------------------
function tokenize(text, base) {
  const tokens = []
  let i = 0
  let line = base
  while (i < text.length) {
    const c = text[i]
    if (c === '\n') {
      line++
      i++
      continue
    }
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      tokens.push({t: 'str', v: JSON.parse(text.slice(i, j + 1)), line})
      i = j + 1
      continue
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1)
      tokens.push({t: 'str', v: text.slice(i + 1, j), line})
      i = j + 1
      continue
    }
    const num = /^(0x[0-9a-fA-F]+|\d[\d_]*(\.\d+)?)/.exec(text.slice(i))
    if (num) {
      tokens.push({t: 'num', v: Number(num[0].replaceAll('_', '')), line})
      i += num[0].length
      continue
    }
    const id = /^[A-Za-z_][\w.]*/.exec(text.slice(i))
    if (id) {
      tokens.push({t: 'id', v: id[0], line})
      i += id[0].length
      continue
    }
    tokens.push({t: 'p', v: c, line})
    i++
  }
  return tokens
}

class Reader {
  constructor(tokens, vars) {
    this.k = tokens
    this.i = 0
    this.vars = vars
  }
  peek(o = 0) {
    return this.k[this.i + o]
  }
  next() {
    return this.k[this.i++]
  }
  eat(v) {
    const t = this.next()
    if (t?.v !== v) throw new Error(`expected ${v} at line ${t?.line}, got ${t?.v}`)
    return t
  }
  is(v, o = 0) {
    return this.peek(o)?.v === v
  }

  expr() {
    let left = this.unary()
    while (this.is('+') || this.is('-')) {
      const op = this.next().v
      const right = this.unary()
      left = op === '+' ? left + right : left - right
    }
    return left
  }

  unary() {
    if (this.is('&') || this.is('*')) {
      this.next()
      return this.unary()
    }
    if (this.is('-')) {
      this.next()
      return -this.unary()
    }
    return this.primary()
  }

  primary() {
    const t = this.peek()
    if (t.t === 'str' || t.t === 'num') {
      this.next()
      return t.v
    }
    if (this.is('[') && this.is(']', 1)) {
      this.next()
      this.next()
      const type = this.typeName()
      return this.composite(`[]${type}`)
    }
    if (t.v === 'map' && this.is('[', 1)) {
      this.next()
      this.eat('[')
      this.typeName()
      this.eat(']')
      const type = this.typeName()
      return this.composite(`map:${type}`)
    }
    if (this.is('{')) return this.composite(undefined)
    if (t.t !== 'id') throw new Error(`unexpected ${t.v} at line ${t.line}`)
    this.next()
    if (this.is('{')) return this.composite(t.v)
    if (this.is('(')) return this.call(t.v)
    if (this.is('[')) return this.slice(t.v)
    return this.variable(t.v, t.line)
  }

  typeName() {
    let name = ''
    while (this.is('*') || this.is('[') || this.is(']')) name += this.next().v
    return name + this.next().v
  }

  composite(type) {
    this.eat('{')
    const fields = {}
    const items = []
    let keyed = false
    while (!this.is('}')) {
      if (this.peek().t === 'id' && this.is(':', 1)) {
        keyed = true
        const key = this.next().v
        this.eat(':')
        fields[key] = this.expr()
      } else if (this.peek().t === 'str' && this.is(':', 1)) {
        keyed = true
        const key = this.next().v
        this.eat(':')
        fields[key] = this.expr()
      } else {
        const elementType = type?.startsWith('[]') ? type.slice(2).replace(/^\*/, '') : undefined
        items.push(this.is('{') ? this.composite(elementType) : this.expr())
      }
      if (this.is(',')) this.next()
    }
    this.eat('}')
    if (type?.startsWith('[]')) return items
    if (type?.startsWith('map:')) return fields
    return {$type: type, ...(keyed ? fields : {$items: items})}
  }

  call(fn) {
    this.eat('(')
    const args = []
    while (!this.is(')')) {
      args.push(this.expr())
      if (this.is(',')) this.next()
    }
    this.eat(')')
    return callFunction(fn, args)
  }

  slice(name) {
    this.eat('[')
    const from = this.is(':') ? 0 : this.expr()
    this.eat(':')
    const to = this.expr()
    this.eat(']')
    return this.variable(name).slice(from, to)
  }

  variable(name, line) {
    if (Object.hasOwn(this.vars, name)) return this.vars[name]
    if (CONSTANTS.has(name)) return CONSTANTS.get(name)
    if (name === 'true' || name === 'false') return name === 'true'
    if (name === 'nil') return null
    throw new Unportable(`uses ${name}, which this translator does not know (line ${line})`)
  }
}

class Unportable extends Error {}

function callFunction(fn, args) {
  switch (fn) {
    case 'string':
    case 'float64':
    case 'int':
    case 'uint8':
    case 'uint32':
    case 'ptr.To':
      return args[0]
    case 'protocolFromString':
    case 'numorstring.ProtocolFromString':
    case 'numorstring.ProtocolFromStringV1':
      return {$type: 'numorstring.Protocol', value: args[0]}
    case 'protocolFromInt':
    case 'numorstring.ProtocolFromInt':
      return {$type: 'numorstring.Protocol', value: args[0]}
    case 'numorstring.SinglePort':
      return args[0]
    case 'numorstring.NamedPort':
      return args[0]
    case 'numorstring.PortFromRange':
      return `${args[0]}:${args[1]}`
    case 'numorstring.PortFromString':
      return /^\d+$/.test(args[0]) ? Number(args[0]) : args[0]
    default:
      throw new Unportable(`calls ${fn}`)
  }
}

// The values set up in init() before the tables (only the ones the tables use).
const maxAnnotationsLength = 256 * 1024
const VARS = {
  Vneg1: -1,
  V0: 0,
  V4: 4,
  V6: 6,
  V128: 128,
  V254: 254,
  V255: 255,
  V256: 256,
  Vffffffff: 0xffffffff,
  V100000000: 0x100000000,
  tierOrder: 100,
  defaultTierOrder: 1e6,
  adminTierOrder: 1000,
  baselineTierOrder: 1e7,
  defaultTierBadOrder: 10,
  defaultActionDeny: 'Deny',
  defaultActionPass: 'Pass',
  Vtrue: true,
  Vfalse: false,
  maxAnnotationsLength,
  longValue: 'x'.repeat(maxAnnotationsLength),
  value63: 'x'.repeat(63),
  value64: 'x'.repeat(64),
  maxNameLength: 253,
  assignmentModeAutomatic: 'Automatic',
  assignmentModeInvalid: '',
  'numorstring.NumOrStringString': 'string',
  'numorstring.NumOrStringNum': 'num',
  'names.DefaultTierName': 'default',
  'names.KubeAdminTierName': 'kube-admin',
  'names.KubeBaselineTierName': 'kube-baseline',
  protoTCP: {$type: 'numorstring.Protocol', value: 'TCP'},
  protoUDP: {$type: 'numorstring.Protocol', value: 'UDP'},
  protoSCTP: {$type: 'numorstring.Protocol', value: 'SCTP'},
  protoNumeric: {$type: 'numorstring.Protocol', value: 123},
}
for (const m of source.matchAll(/^\t(\w+)\s*:=\s*"([^"]*)"/gm)) VARS[m[1]] = m[2]

// ---- Go values → JSON ----------------------------------------------------------------------------------------
function toJson(v) {
  if (Array.isArray(v)) return v.map(toJson)
  if (v === null || typeof v !== 'object') return v
  if (v.$type === 'numorstring.Protocol') return 'value' in v ? v.value : v.Type === 'string' ? v.StrVal : v.NumVal
  if (v.$type === 'numorstring.Port') return portJson(v)
  if (!('$type' in v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]))
  const out = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === '$type' || k === '$items') continue
    const name = JSON_NAMES.get(k) ?? k[0].toLowerCase() + k.slice(1)
    out[name] = toJson(x)
  }
  return out
}

function portJson(p) {
  // YAML writes a port as a number, "min:max" or a name: a name with numbers cannot be written at all.
  if (p.PortName && (p.MinPort || p.MaxPort))
    throw new Unportable('a named port with port numbers cannot be written in YAML or JSON')
  if (p.PortName) return p.PortName
  const min = p.MinPort ?? 0
  const max = p.MaxPort ?? 0
  return min === max ? min : `${min}:${max}`
}

/** The smallest resource holding a value of `type`, or a reason it cannot be ported. */
function wrap(type, value) {
  const meta = {name: 'upstream-case'}
  const np = (spec) => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: {...meta, namespace: 'default'},
    spec,
  })
  const resource = (kind) => ({apiVersion: 'projectcalico.org/v3', kind, ...value})
  switch (type) {
    case 'api.NetworkPolicy':
    case 'api.GlobalNetworkPolicy':
    case 'api.StagedNetworkPolicy':
    case 'api.StagedGlobalNetworkPolicy':
    case 'api.Tier':
    case 'api.IPPool':
      return resource(type.slice(4))
    case 'api.IPPoolSpec':
      return {apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: meta, spec: value}
    case 'api.NetworkSet':
    case 'api.GlobalNetworkSet':
      return resource(type.slice(4))
    case 'api.HostEndpointSpec':
    case 'api.NetworkSetSpec':
    case 'api.GlobalNetworkSetSpec':
      return {apiVersion: 'projectcalico.org/v3', kind: type.slice(4, -4), metadata: meta, spec: value}
    case 'api.Rule': {
      // Services are only allowed in an egress rule's destination or an ingress rule's source.
      const direction = value.destination?.services ? 'egress' : 'ingress'
      return np({[direction]: [value]})
    }
    case 'api.EntityRule': {
      const ports = value.ports?.length || value.notPorts?.length
      return np({ingress: [{action: 'Allow', ...(ports ? {protocol: 'TCP'} : {}), source: value}]})
    }
    case 'api.ICMPFields':
      return np({ingress: [{action: 'Allow', protocol: 'ICMP', icmp: value}]})
    case 'api.HTTPMatch':
      return np({ingress: [{action: 'Allow', http: value}]})
    case 'numorstring.Protocol':
      return np({ingress: [{action: 'Allow', protocol: value}]})
    default:
      return undefined
  }
}

// ---- the tables ------------------------------------------------------------------------------------------------
function entries(tableName, verdict) {
  const start = lines.findIndex((l) => l.includes(`DescribeTable("${tableName}"`))
  const out = []
  let depth = 0
  let i = start
  // The table ends where its parentheses close.
  for (; i < lines.length; i++) {
    const entry = /^\t\tEntry\(/.test(lines[i])
    if (entry) {
      let j = i
      let text = ''
      let d = 0
      do {
        text += `${lines[j]}\n`
        for (const ch of lines[j].replace(/"(\\.|[^"\\])*"|`[^`]*`/g, '""')) d += ch === '(' ? 1 : ch === ')' ? -1 : 0
        j++
      } while (d > 0)
      out.push({line: i + 1, text})
      i = j - 1
      continue
    }
    for (const ch of lines[i].replace(/"(\\.|[^"\\])*"|`[^`]*`/g, '""')) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0
    if (i > start && depth <= 0) break
  }
  return out.map(({line, text}) => port(line, text, verdict))
}

function port(line, text, verdict) {
  const r = new Reader(tokenize(text, line), VARS)
  r.eat('Entry')
  r.eat('(')
  const name = r.next().v
  r.eat(',')
  const typeToken = r.peek(r.is('&') ? 1 : 0)
  try {
    const value = r.expr()
    r.eat(',')
    const valid = verdict(r.expr())
    const type = typeof value === 'object' && value?.$type ? value.$type : typeToken.v
    const object = wrap(type, toJson(value))
    if (!object)
      return {line, name, skipped: `${type.replace(/^(api|internalapi)\./, '')}: a kind or field xctl does not model`}
    return {line, name, valid, object}
  } catch (error) {
    if (error instanceof Unportable) return {line, name, skipped: error.message}
    return {line, name, skipped: `the translator cannot read this Go expression (${error.message})`}
  }
}

const all = [
  ...entries('Validator', (v) => v === true),
  ...entries('Validator errors', () => false),
  ...entries('Tier validation tests', (v) => v === ''),
]
const cases = all.filter((c) => !c.skipped)
const skipped = all.filter((c) => c.skipped).map(({line, name, skipped: reason}) => ({line, name, reason}))
if (process.argv.includes('--readme')) {
  process.stdout.write(readme(cases, skipped))
  process.exit(0)
}

function readme(cases, skipped) {
  const byReason = new Map()
  for (const s of skipped) {
    const reason = s.reason.replace(/ \(line \d+\)$/, '')
    byReason.set(reason, [...(byReason.get(reason) ?? []), s.line])
  }
  const rows = [...byReason]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, at]) => `| ${reason} | ${at.length} | ${at.join(', ')} |`)
  return `# Calico's validator test table, as data

\`validator_test.v3.32.1.json\` holds the \`Entry(...)\` cases of the \`Validator\`, \`Validator errors\` and \`Tier validation
tests\` tables of projectcalico/calico \`libcalico-go/lib/validator/v3/validator_test.go\` at ${ref}, each with the
upstream line of its Entry, whether Calico accepts it, and the resource it becomes. \`../upstream-cases.test.ts\` runs
them all: an accepted case must give no error-level finding, a rejected one at least one.

- Ported: ${cases.length} cases (${cases.filter((c) => c.valid).length} accepted by Calico, ${cases.filter((c) => !c.valid).length} rejected).
- Not ported: ${skipped.length} cases, below. Most test kinds xctl does not model (FelixConfiguration, BGP, endpoints,
  nodes, network sets, controllers); a few use helpers or values the translator does not read.

Fragments are wrapped in the smallest resource that holds them: a Rule in a NetworkPolicy's ingress rules (egress when
its destination matches services), an EntityRule as the source of an ingress Allow rule (protocol TCP when it has
ports), ICMPFields with protocol ICMP, an HTTPMatch in an ingress Allow rule, a Protocol as a rule's protocol, an
IPPoolSpec in an IPPool; HostEndpointSpec, NetworkSetSpec and GlobalNetworkSetSpec in their resources.

Refresh (after fetching projectcalico/calico):
\`\`\`
node test/validation/upstream-cases/port.mjs <calico git dir> ${ref} > test/validation/upstream-cases/validator_test.${ref}.json
node test/validation/upstream-cases/port.mjs <calico git dir> ${ref} --readme > test/validation/upstream-cases/README.md
\`\`\`

## Not ported

| Why | Cases | Upstream lines |
|---|---|---|
${rows.join('\n')}
`
}

// Long runs of one character (annotation-size cases) are stored as {"$repeat": "x", "count": n}.
const compact = (key, v) =>
  typeof v === 'string' && v.length > 256 && /^(.)\1*$/s.test(v) ? {$repeat: v[0], count: v.length} : v
process.stdout.write(
  `${JSON.stringify({source: 'projectcalico/calico libcalico-go/lib/validator/v3/validator_test.go', ref, cases, skipped}, compact, 1)}\n`,
)
