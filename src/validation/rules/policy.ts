import {isJsonObject} from '../../core/go-json.js'
import {parseSelector, type Selector} from '../../selector/index.js'
import type {Check} from '../context.js'
import {parseIPOrCIDR} from '../../core/net.js'
import {didYouMean, escapePointer, labelProblem, show} from '../text.js'
import {checkAnnotations} from './metadata.js'
import {
  checkCalicoApi,
  enterpriseOnly,
  checkInterfaceLabel,
  checkKnownFields,
  checkNamespace,
  checkSelector,
  expectType,
  isCalicoApi,
  nameOf,
  type KindRules,
  type SelectorCheck,
} from './common.js'

/**
 * Calico NetworkPolicy, GlobalNetworkPolicy and their staged variants (projectcalico.org/v3, and
 * crd.projectcalico.org/v1 read the same way), as libcalico-go's validator judges them (calicoctl.md §6).
 */

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`
const NP_NAME = new RegExp(`^((${LABEL})(\\.${LABEL})?|((?:knp|ossg)\\.default\\.(${SUBDOMAIN})))$`)
const GNP_NAME = new RegExp(`^(${LABEL}\\.)?${LABEL}$`)

const ACTIONS = ['Allow', 'Deny', 'Log', 'Pass']
const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite']
const PORT_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP', 6, 17, 132])
const ICMP_PROTOCOLS = new Set(['ICMP', 'ICMPv6', 1, 58])
const TYPES = ['Ingress', 'Egress']
/** projectcalico/api policy_common.go StagedAction (v3.32.1): Set;Delete;Learn;Ignore. */
const STAGED_ACTIONS = ['Set', 'Delete', 'Learn', 'Ignore']
const HEADER_OPERATORS = ['Exists', 'DoesNotExist', 'HasPrefix', 'HasSuffix', 'In', 'NotIn', 'MatchesRegex']

const SPEC_FIELDS = [
  'order',
  'tier',
  'selector',
  'types',
  'ingress',
  'egress',
  'serviceAccountSelector',
  'performanceHints',
]
const GLOBAL_FIELDS = ['namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward']
const RULE_FIELDS = [
  'action',
  'ipVersion',
  'protocol',
  'notProtocol',
  'icmp',
  'notICMP',
  'source',
  'destination',
  'http',
  'metadata',
]
const ENTITY_FIELDS = [
  'nets',
  'notNets',
  'selector',
  'notSelector',
  'namespaceSelector',
  'ports',
  'notPorts',
  'serviceAccounts',
  'services',
  'domains',
]

const NEVER_GLOBAL = (field: string): SelectorCheck => ({
  syntaxRule: 'policy/selector-syntax',
  globalRule: 'policy/selector-global',
  global: 'never',
  field,
})

const POLICY_KINDS = new Set(['NetworkPolicy', 'StagedNetworkPolicy'])
const GLOBAL_POLICY_KINDS = new Set(['GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy'])

export const policyRules: KindRules = {
  matches: (kind, apiVersion) => POLICY_KINDS.has(kind) && isCalicoApi(apiVersion),
  namespaced: true,
  check: (c, o) => checkPolicy(c, o, false),
}

export const globalPolicyRules: KindRules = {
  matches: (kind, apiVersion) => GLOBAL_POLICY_KINDS.has(kind) && isCalicoApi(apiVersion),
  namespaced: false,
  check: (c, o) => checkPolicy(c, o, true),
}

/** What a rule's source and destination add up to, for the checks that look at the whole rule. */
interface RuleFacts {
  families: Map<4 | 6, string>
  numericPorts?: string
  anyPorts?: string
}

function checkPolicy(c: Check, o: Record<string, unknown>, global: boolean): void {
  checkCalicoApi(c)
  const kind = c.resource.kind
  const staged = kind.startsWith('Staged')
  const name = nameOf(c, o, 'policy/name')
  if (name !== undefined) checkPolicyName(c, name, global)
  checkNamespace(c, o, !global)
  const spec = o.spec
  if (spec === undefined || spec === null) return
  if (!isJsonObject(spec)) {
    c.report('policy/field-type', '/spec', `spec is ${show(spec)}; it must be a mapping`)
    return
  }
  checkKnownFields(c, 'policy/unknown-field', '/spec', spec, specFields(global, staged), `${kind} spec`)
  if (staged) checkStagedAction(c, spec)
  checkOrder(c, spec.order)
  checkTier(c, spec, name)
  const sel = checkSelector(c, '/spec/selector', spec.selector, NEVER_GLOBAL('selector'))
  if (sel && typeof spec.selector === 'string') {
    checkInterfaceLabel(c, '/spec/selector', sel, spec.selector)
    if (c.settings.cluster && spec.selector.trim() !== '')
      deferSelects(c, sel, global ? spec.namespaceSelector : undefined)
  }
  checkSelector(c, '/spec/serviceAccountSelector', spec.serviceAccountSelector, NEVER_GLOBAL('serviceAccountSelector'))
  if (global) checkSelector(c, '/spec/namespaceSelector', spec.namespaceSelector, NEVER_GLOBAL('namespaceSelector'))
  const types = checkTypes(c, spec)
  checkRuleLists(c, spec, types, global)
  if (global) checkGlobalOptions(c, spec, types)
  if (spec.performanceHints !== undefined) checkPerformanceHints(c, spec.performanceHints)
}

/** The spec fields of each of the four policy kinds, built once. */
const SPEC_FIELD_LISTS = new Map<string, readonly string[]>()

function specFields(global: boolean, staged: boolean): readonly string[] {
  const key = `${global}/${staged}`
  let fields = SPEC_FIELD_LISTS.get(key)
  if (!fields) {
    fields = [...SPEC_FIELDS, ...(global ? GLOBAL_FIELDS : []), ...(staged ? ['stagedAction'] : [])]
    SPEC_FIELD_LISTS.set(key, fields)
  }
  return fields
}

function checkOrder(c: Check, order: unknown): void {
  if (order === undefined || order === null || (typeof order === 'number' && Number.isFinite(order))) return
  const numeric = typeof order === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(order)
  c.report(
    'policy/order',
    '/spec/order',
    `order is ${show(order)}; it must be a number${numeric ? ` (write ${order} without quotes)` : ''}`,
  )
}

function checkRuleLists(
  c: Check,
  spec: Record<string, unknown>,
  types: ReturnType<typeof checkTypes>,
  global: boolean,
): void {
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = spec[dir]
    if (rules === undefined || rules === null) continue
    if (!Array.isArray(rules)) {
      c.report(
        'policy/field-type',
        `/spec/${dir}`,
        `${dir} is ${show(rules)}; it must be a list of rules (- action: Allow ...)`,
      )
      continue
    }
    rules.forEach((r, i) => checkRule(c, `/spec/${dir}/${i}`, r, dir, global))
    const type = dir === 'ingress' ? 'Ingress' : 'Egress'
    if (types && types.length > 0 && !types.includes(type) && rules.length > 0) {
      c.report(
        'policy/types-rules',
        `/spec/${dir}`,
        `the policy has ${dir} rules but types (${types.join(', ')}) does not include ${type}, ` +
          `so Calico ignores them: add ${type} to types or remove the rules`,
        {atKey: true},
      )
    }
  }
}

/**
 * stagedAction: empty (Set), Set, Delete, Learn or Ignore; staging a Delete carries nothing but the tier
 * (validateStagedNetworkPolicy: "Spec fields, except Tier, should all be zero-value if stagedAction is Delete").
 */
function checkStagedAction(c: Check, spec: Record<string, unknown>): void {
  const action = spec.stagedAction
  if (action === undefined || action === null || action === '') return
  if (!STAGED_ACTIONS.includes(action as string)) {
    c.report(
      'policy/staged-action',
      '/spec/stagedAction',
      `stagedAction is ${show(action)}; it must be Set, Delete, Learn or Ignore${didYouMean(String(action), STAGED_ACTIONS)}`,
    )
    return
  }
  if (action !== 'Delete') return
  const zero = (v: unknown) =>
    v === undefined || v === null || v === '' || v === false || v === 0 || (Array.isArray(v) && v.length === 0)
  const set = Object.keys(spec).filter((k) => k !== 'stagedAction' && k !== 'tier' && !zero(spec[k]))
  if (set.length > 0)
    c.report(
      'policy/staged-action',
      `/spec/${escapePointer(set[0])}`,
      `stagedAction Delete stages the removal of the policy, so no other field but tier ` +
        `may be set (here: ${set.join(', ')}): remove them`,
      {atKey: true},
    )
}

/** `validate:"omitempty,unique,dive,oneof=AssumeNeededOnEveryNode"` (projectcalico/api networkpolicy.go). */
function checkPerformanceHints(c: Check, hints: unknown): void {
  if (!expectType(c, 'policy/field-type', '/spec/performanceHints', hints, 'array') || !Array.isArray(hints)) return
  const seen = new Set<unknown>()
  hints.forEach((h, i) => {
    const ptr = `/spec/performanceHints/${i}`
    if (h !== 'AssumeNeededOnEveryNode')
      c.report(
        'policy/performance-hints',
        ptr,
        `performanceHints[${i}] is ${show(h)}; the only hint is AssumeNeededOnEveryNode`,
      )
    else if (seen.has(h))
      c.report(
        'policy/performance-hints',
        ptr,
        `performanceHints lists ${show(h)} twice; Calico refuses duplicates: list it once`,
      )
    seen.add(h)
  })
}

function checkPolicyName(c: Check, name: string, global: boolean): void {
  if (name.length > 253) {
    c.report('policy/name', '/metadata/name', `name is ${name.length} characters long; at most 253 are allowed`)
    return
  }
  if (!global && /^(knp|ossg)\.default\./.test(name) && NP_NAME.test(name)) {
    // The validator accepts these names (networkPolicyNameRegex); only calicoctl refuses to write them.
    c.report(
      'policy/reserved-name',
      '/metadata/name',
      `names starting with ${name.slice(0, name.indexOf('.', name.indexOf('.') + 1) + 1)} ` +
        `are how Calico shows Kubernetes network policies: Calico's validator accepts the ` +
        `name, but calicoctl refuses to create or replace such a policy; rename it unless ` +
        `it comes from Kubernetes`,
    )
    return
  }
  if (!(global ? GNP_NAME : NP_NAME).test(name)) {
    const dots = name.split('.').length - 1
    const why =
      dots > 1
        ? `it has ${dots} dots, and at most one is allowed (<tier>.<name>)`
        : "each part must consist of lower case letters, digits or '-' and start and end with a letter or digit"
    c.report(
      'policy/name',
      '/metadata/name',
      `name ${show(name)} is not a valid ${global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'} name: ${why}`,
    )
  }
}

/** spec.tier: a DNS label, a tier that exists, and a name both old and new Calico read the same way. */
function checkTier(c: Check, spec: Record<string, unknown>, name: string | undefined): void {
  const tier = tierOf(c, spec.tier)
  if (tier === null) return
  if (name !== undefined) checkTierPrefix(c, name, tier)
  requireTier(c, tier)
}

/** The tier named (undefined when none is), or null when spec.tier is reported as not a tier name. */
function tierOf(c: Check, raw: unknown): string | undefined | null {
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    c.report('policy/field-type', '/spec/tier', `tier is ${show(raw)}; it must be the name of a Tier`)
    return null
  }
  const tier = typeof raw === 'string' && raw !== '' ? raw : undefined
  if (tier !== undefined) {
    const problem = labelProblem(tier)
    if (problem) {
      c.report('policy/field-type', '/spec/tier', `tier ${show(tier)} is not a valid tier name: ${problem}`)
      return null
    }
  }
  return tier
}

/**
 * Calico v3.31 and older take the tier from the name's `<tier>.` prefix and refuse a name that disagrees with
 * spec.tier; v3.32 and newer read spec.tier alone. A name both read the same way works with either.
 */
function checkTierPrefix(c: Check, name: string, tier: string | undefined): void {
  const dot = name.indexOf('.')
  const prefix = dot > 0 && !/^(knp|ossg)\.default\./.test(name) ? name.slice(0, dot) : undefined
  if (tier !== undefined && tier !== 'default' && prefix !== tier) {
    c.report(
      'policy/tier-prefix',
      '/metadata/name',
      `the policy is in tier "${tier}" but named ${show(name)}: Calico v3.31 and older ` +
        `refuse it ("Incorrectly formatted policy name"), v3.32 and newer accept it; name ` +
        `it "${tier}.${prefix === undefined ? name : name.slice(dot + 1)}" to work with both`,
    )
  } else if (prefix !== undefined && prefix !== 'default' && tier === undefined) {
    c.report(
      'policy/tier-prefix',
      '/metadata/name',
      `spec.tier is not set: Calico v3.32 and newer put this policy in tier "default", ` +
        `v3.31 and older in tier "${prefix}" (from the name); set spec.tier: ${prefix}`,
    )
  } else if (prefix !== undefined && prefix !== 'default' && tier === 'default') {
    c.report(
      'policy/tier-prefix',
      '/metadata/name',
      `the name has the prefix "${prefix}." but spec.tier is default: Calico v3.31 and ` +
        `older refuse it ("Incorrectly formatted policy name"); drop the prefix or set spec.tier: ` +
        `${prefix}`,
    )
  }
}

/** The policy's tier must exist: known already, or found later in the input (a deferred cross-check). */
function requireTier(c: Check, tier: string | undefined): void {
  const effective = tier ?? 'default'
  const k = c.knowledge
  if (k.tiers.has(effective) || k.cluster?.names.tiers.has(effective)) return
  const cluster = k.cluster
  const finding = c.finding('policy/tier-not-found', tier !== undefined ? '/spec/tier' : '/spec', '')
  k.defer(`tier\n${effective}`, finding, ({knowledge}) => {
    if (knowledge.tiers.has(effective)) return undefined
    if (cluster)
      return {
        rule: 'policy/tier-not-found',
        severity: 'error',
        message:
          `tier "${effective}" does not exist in the cluster (${cluster.server}) nor in the ` +
          `input: Calico refuses the policy (resource does not exist: Tier(${effective})); ` +
          `create the Tier first`,
      }
    return {
      rule: 'policy/tier-not-found',
      message:
        `tier "${effective}" is not defined in the input: Calico refuses the policy unless ` +
        `the Tier exists in the cluster (add the Tier, or check with --cluster)`,
    }
  })
}

function checkTypes(c: Check, spec: Record<string, unknown>): string[] | undefined {
  const types = spec.types
  if (types === undefined || types === null) return undefined
  if (!Array.isArray(types)) {
    c.report(
      'policy/types',
      '/spec/types',
      `types is ${show(types)}; it must be a list: [Ingress], [Egress] or [Ingress, Egress]`,
    )
    return undefined
  }
  const seen = new Set<string>()
  types.forEach((t, i) => {
    if (typeof t !== 'string' || !TYPES.includes(t)) {
      c.report(
        'policy/types',
        `/spec/types/${i}`,
        `types[${i}] is ${show(t)}; it must be Ingress or Egress${typeof t === 'string' ? didYouMean(t, TYPES) : ''}`,
      )
    } else if (seen.has(t)) {
      c.report('policy/types', `/spec/types/${i}`, `'${t}' type specified more than once: list each type once`)
    }
    if (typeof t === 'string') seen.add(t)
  })
  return types.filter((t): t is string => typeof t === 'string')
}

function checkGlobalOptions(c: Check, spec: Record<string, unknown>, types: string[] | undefined): void {
  for (const f of ['doNotTrack', 'preDNAT', 'applyOnForward'])
    expectType(c, 'policy/field-type', `/spec/${f}`, spec[f], 'boolean')
  if (spec.doNotTrack === true && spec.preDNAT === true) {
    c.report('policy/gnp-options', '/spec/preDNAT', 'doNotTrack and preDNAT cannot both be true: choose one')
  }
  if ((spec.doNotTrack === true || spec.preDNAT === true) && spec.applyOnForward !== true) {
    c.report(
      'policy/gnp-options',
      spec.doNotTrack === true ? '/spec/doNotTrack' : '/spec/preDNAT',
      `${spec.doNotTrack === true ? 'doNotTrack' : 'preDNAT'} policies must also set applyOnForward: true`,
    )
  }
  if (spec.preDNAT === true) {
    if (Array.isArray(spec.egress) && spec.egress.length > 0)
      c.report(
        'policy/gnp-options',
        '/spec/egress',
        'a preDNAT policy cannot have egress rules (it applies to traffic arriving at the host only)',
        {atKey: true},
      )
    if (types?.includes('Egress'))
      c.report('policy/gnp-options', '/spec/types', "a preDNAT policy's types cannot include Egress")
  }
}

function checkRule(c: Check, ptr: string, r: unknown, dir: 'ingress' | 'egress', global: boolean): void {
  const where = `${dir} rule ${ptr.slice(ptr.lastIndexOf('/') + 1)}`
  if (!isJsonObject(r)) {
    c.report(
      'policy/field-type',
      ptr,
      `${where} is ${show(r)}; each rule is a mapping with an action, e.g. - action: Allow`,
    )
    return
  }
  checkKnownFields(c, 'policy/unknown-field', ptr, r, RULE_FIELDS, where)
  // validateRuleMetadata: a rule's metadata.annotations are checked like an object's.
  if (isJsonObject(r.metadata)) checkAnnotations(c, `${ptr}/metadata/annotations`, r.metadata.annotations)
  checkAction(c, ptr, where, r.action)
  const ipVersion = checkIpVersion(c, ptr, r.ipVersion)
  const protocol = checkProtocol(c, `${ptr}/protocol`, r.protocol, 'protocol')
  checkProtocol(c, `${ptr}/notProtocol`, r.notProtocol, 'notProtocol')
  if (protocol === 'ICMP' || protocol === 1) {
    if (ipVersion === 6)
      c.report(
        'policy/icmp',
        `${ptr}/ipVersion`,
        "protocol ICMP is IPv4 only: must set ipversion to '4' with protocol icmp (use ICMPv6 for IPv6)",
      )
  } else if (protocol === 'ICMPv6' || protocol === 58) {
    if (ipVersion === 4)
      c.report(
        'policy/icmp',
        `${ptr}/ipVersion`,
        "protocol ICMPv6 is IPv6 only: must set ipversion to '6' with protocol icmpv6 (use ICMP for IPv4)",
      )
  }
  for (const f of ['icmp', 'notICMP'] as const) checkIcmp(c, `${ptr}/${f}`, r[f], f, protocol)
  const facts: RuleFacts = {families: new Map()}
  for (const side of ['source', 'destination'] as const) {
    const e = r[side]
    if (e === undefined || e === null) continue
    checkEntity(c, `${ptr}/${side}`, e, side, dir, global, facts)
  }
  checkFamilies(c, where, facts, ipVersion)
  checkPortsProtocol(c, where, facts, protocol, r.protocol)
  if (r.http !== undefined && r.http !== null) checkHttp(c, `${ptr}/http`, r.http, r.action, dir, protocol)
}

/** The protocol (name or number), or undefined when absent or invalid. */
function checkProtocol(c: Check, ptr: string, v: unknown, field: string): string | number | undefined {
  if (v === undefined || v === null) return undefined
  let n: number | undefined
  if (typeof v === 'number') n = v
  else if (typeof v === 'string' && /^\d+$/.test(v)) n = Number(v)
  if (n !== undefined) {
    if (Number.isInteger(n) && n >= 1 && n <= 255) return n
    c.report(
      'policy/protocol',
      ptr,
      `${field} ${show(v)} is not valid: a protocol number must be from 1 to 255 (protocol number invalid)`,
    )
    return undefined
  }
  if (typeof v === 'string') {
    if (PROTOCOLS.includes(v)) return v
    const fix = PROTOCOLS.find((p) => p.toLowerCase() === v.toLowerCase())
    c.report(
      'policy/protocol',
      ptr,
      `${field} ${show(v)} is not valid${fix ? `: protocol names are case-sensitive, write ${fix}` : `: use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number from 1 to 255${didYouMean(v, PROTOCOLS)}`}`,
    )
    return undefined
  }
  c.report('policy/protocol', ptr, `${field} is ${show(v)}; it must be a protocol name (TCP, UDP, ...) or number`)
  return undefined
}

function checkIcmp(c: Check, ptr: string, v: unknown, field: string, protocol: string | number | undefined): void {
  if (v === undefined || v === null) return
  if (!isJsonObject(v)) {
    c.report('policy/field-type', ptr, `${field} is ${show(v)}; it must be a mapping such as {type: 8, code: 0}`)
    return
  }
  checkKnownFields(c, 'policy/unknown-field', ptr, v, ['type', 'code'], field)
  const {type, code} = v
  if (
    type !== undefined &&
    type !== null &&
    !(typeof type === 'number' && Number.isInteger(type) && type >= 0 && type <= 254)
  ) {
    c.report('policy/icmp', `${ptr}/type`, `${field}.type is ${show(type)}; an ICMP type is a number from 0 to 254`)
  }
  if (code !== undefined && code !== null) {
    if (!(typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 255))
      c.report('policy/icmp', `${ptr}/code`, `${field}.code is ${show(code)}; an ICMP code is a number from 0 to 255`)
    if (type === undefined || type === null)
      c.report('policy/icmp', `${ptr}/code`, `ICMP code specified without an ICMP type: set ${field}.type too`)
  }
  if (protocol === undefined || !ICMP_PROTOCOLS.has(protocol)) {
    c.report(
      'policy/icmp',
      ptr,
      `rules that specify ICMP fields must set protocol to ICMP (or ICMPv6)${protocol === undefined ? '' : `, not ${protocol}`}`,
      {atKey: true},
    )
  }
}

interface EntityCheck {
  c: Check
  ptr: string
  e: Record<string, unknown>
  side: 'source' | 'destination'
  dir: 'ingress' | 'egress'
  global: boolean
  facts: RuleFacts
}

function checkEntity(
  c: Check,
  ptr: string,
  e: unknown,
  side: 'source' | 'destination',
  dir: 'ingress' | 'egress',
  global: boolean,
  facts: RuleFacts,
): void {
  if (!isJsonObject(e)) {
    c.report('policy/field-type', ptr, `${side} is ${show(e)}; it must be a mapping (selector, nets, ports, ...)`)
    return
  }
  checkKnownFields(c, 'policy/unknown-field', ptr, e, ENTITY_FIELDS, side)
  if (e.domains !== undefined && e.domains !== null)
    enterpriseOnly(c, `${ptr}/domains`, `${side}.domains`, {atKey: true})
  const x: EntityCheck = {c, ptr, e, side, dir, global, facts}
  checkEntityNets(x)
  checkEntitySelectors(x)
  checkEntityPorts(x)
  checkEntityServiceAccounts(x)
  checkEntityServices(x)
}

function checkEntityNets({c, ptr, e, side, facts}: EntityCheck): void {
  for (const f of ['nets', 'notNets'] as const) {
    const nets = e[f]
    if (nets === undefined || nets === null) continue
    if (!Array.isArray(nets)) {
      c.report(
        'policy/field-type',
        `${ptr}/${f}`,
        `${side}.${f} is ${show(nets)}; it must be a list of CIDRs${typeof nets === 'string' ? ` (write [${nets}])` : ''}`,
      )
      continue
    }
    nets.forEach((n, i) => {
      const np = `${ptr}/${f}/${i}`
      const cidr = typeof n === 'string' ? parseIPOrCIDR(n) : undefined
      if (!cidr) {
        c.report('policy/nets', np, `${side}.${f}[${i}] ${show(n)} is not an IP address or CIDR (invalid CIDR)`)
        return
      }
      if (!facts.families.has(cidr.ip.family)) facts.families.set(cidr.ip.family, np)
      if (f === 'notNets' && cidr.prefix === 0)
        c.report(
          'policy/nets',
          np,
          `${show(n)} in notNets excludes every address, so the rule matches no traffic (catch-all ` +
            `CIDR in negation creates logical contradiction): remove it`,
        )
    })
  }
}

function checkEntitySelectors({c, ptr, e, side}: EntityCheck): void {
  for (const f of ['selector', 'notSelector'] as const) {
    const sel = checkSelector(c, `${ptr}/${f}`, e[f], NEVER_GLOBAL(`${side}.${f}`))
    if (sel && typeof e[f] === 'string') checkInterfaceLabel(c, `${ptr}/${f}`, sel, e[f] as string)
  }
  checkSelector(c, `${ptr}/namespaceSelector`, e.namespaceSelector, {
    syntaxRule: 'policy/selector-syntax',
    globalRule: 'policy/selector-global',
    global: 'whole',
    field: `${side}.namespaceSelector`,
  })
}

function checkEntityPorts({c, ptr, e, side, facts}: EntityCheck): void {
  for (const f of ['ports', 'notPorts'] as const) {
    const ports = e[f]
    if (ports === undefined || ports === null) continue
    if (!Array.isArray(ports)) {
      c.report(
        'policy/field-type',
        `${ptr}/${f}`,
        `${side}.${f} is ${show(ports)}; it must be a list of ports${typeof ports === 'number' || typeof ports === 'string' ? ` (write [${ports}])` : ''}`,
      )
      continue
    }
    ports.forEach((p, i) => {
      const pp = `${ptr}/${f}/${i}`
      const kind = checkPort(c, pp, p, `${side}.${f}[${i}]`)
      if (kind === 'numeric') facts.numericPorts ??= pp
      if (kind) facts.anyPorts ??= pp
    })
  }
}

function checkEntityServiceAccounts({c, ptr, e, side}: EntityCheck): void {
  const sa = e.serviceAccounts
  if (sa !== undefined && sa !== null) {
    if (!isJsonObject(sa))
      c.report(
        'policy/field-type',
        `${ptr}/serviceAccounts`,
        `${side}.serviceAccounts is ${show(sa)}; it must be a mapping with names and/or selector`,
      )
    else {
      checkKnownFields(
        c,
        'policy/unknown-field',
        `${ptr}/serviceAccounts`,
        sa,
        ['names', 'selector'],
        `${side}.serviceAccounts`,
      )
      expectType(
        c,
        'policy/field-type',
        `${ptr}/serviceAccounts/names`,
        sa.names,
        'string-array',
        `${side}.serviceAccounts.names`,
      )
      checkSelector(c, `${ptr}/serviceAccounts/selector`, sa.selector, NEVER_GLOBAL(`${side}.serviceAccounts.selector`))
    }
  }
}

function checkEntityServices({c, ptr, e, side, dir, global}: EntityCheck): void {
  const services = e.services
  if (services !== undefined && services !== null) {
    if (!isJsonObject(services)) {
      c.report(
        'policy/field-type',
        `${ptr}/services`,
        `${side}.services is ${show(services)}; it must be a mapping with name and namespace`,
      )
      return
    }
    checkKnownFields(c, 'policy/unknown-field', `${ptr}/services`, services, ['name', 'namespace'], `${side}.services`)
    if (typeof services.name !== 'string' || services.name === '')
      c.report('policy/services', `${ptr}/services`, `${side}.services needs the name of a Service`, {atKey: true})
    if (global && (typeof services.namespace !== 'string' || services.namespace === ''))
      c.report(
        'policy/services',
        `${ptr}/services`,
        `${side}.services must specify a namespace in a GlobalNetworkPolicy`,
        {atKey: true},
      )
    // validateEntityRule refuses selectors, serviceAccounts and nets next to services on either side; ports only
    // in the destination (validateRule: "cannot specify ports with a service selector"), so a source may have them.
    const set = (f: string) =>
      e[f] !== undefined && e[f] !== null && e[f] !== '' && !(Array.isArray(e[f]) && e[f].length === 0)
    const fields = [
      'selector',
      'notSelector',
      'namespaceSelector',
      'serviceAccounts',
      'nets',
      'notNets',
      ...(side === 'destination' ? ['ports', 'notPorts'] : []),
    ]
    const clash = fields.filter(set)
    if (clash.length > 0)
      c.report(
        'policy/services',
        `${ptr}/services`,
        `${side}.services cannot be combined with ${clash.join(', ')}${clash.some((f) => f.endsWith('orts')) ? ' (cannot specify ports with a service selector)' : ''}: ` +
          `the Service decides the endpoints${side === 'destination' ? ' and ports' : ''}`,
        {atKey: true},
      )
    if ((dir === 'ingress' && side === 'destination') || (dir === 'egress' && side === 'source')) {
      c.report(
        'policy/services',
        `${ptr}/services`,
        `services can only be matched in an ingress rule's source or an egress rule's destination, ` +
          `not in ${dir} ${side}`,
        {atKey: true},
      )
    }
  }
}

function checkAction(c: Check, ptr: string, where: string, action: unknown): void {
  if (action === undefined || action === null || action === '') {
    c.report('policy/action', ptr, `${where} has no action: set action to Allow, Deny, Log or Pass`)
  } else if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    const fix =
      typeof action === 'string' ? ACTIONS.find((a) => a.toLowerCase() === String(action).toLowerCase()) : undefined
    c.report(
      'policy/action',
      `${ptr}/action`,
      `action ${show(action)} is not valid: it must be Allow, Deny, Log or Pass${fix ? ` (case-sensitive: write ${fix})` : typeof action === 'string' ? didYouMean(action, ACTIONS) : ''}`,
    )
  }
}

function checkIpVersion(c: Check, ptr: string, value: unknown): 4 | 6 | undefined {
  let ipVersion: 4 | 6 | undefined
  if (value !== undefined && value !== null) {
    if (value === 4 || value === 6) ipVersion = value
    else
      c.report(
        'policy/ip-version',
        `${ptr}/ipVersion`,
        `ipVersion is ${show(value)}; it must be 4 or 6${typeof value === 'string' && /^[46]$/.test(value) ? ` (write ${value} without quotes)` : ''}`,
      )
  }
  return ipVersion
}

function checkFamilies(c: Check, where: string, facts: RuleFacts, ipVersion: 4 | 6 | undefined): void {
  if (facts.families.size > 1) {
    c.report(
      'policy/nets',
      facts.families.get(6)!,
      `${where} mixes IPv4 and IPv6 nets (rule contains both IPv4 and IPv6 CIDRs): split ` +
        `it into one rule per IP version`,
    )
  }
  for (const [family, at] of facts.families) {
    if (ipVersion !== undefined && family !== ipVersion)
      c.report(
        'policy/nets',
        at,
        `${where} has ipVersion ${ipVersion} but an IPv${family} net (rule IP version doesn't match CIDR version)`,
      )
  }
}

function checkPortsProtocol(
  c: Check,
  where: string,
  facts: RuleFacts,
  protocol: ReturnType<typeof checkProtocol>,
  rawProtocol: unknown,
): void {
  const portProtocol = protocol !== undefined && PORT_PROTOCOLS.has(protocol)
  // An invalid protocol has its own finding; saying "no protocol" as well would mislead.
  const protocolInvalid = rawProtocol !== undefined && rawProtocol !== null && protocol === undefined
  if (protocolInvalid) {
    // nothing more to say about ports
  } else if (facts.numericPorts && !portProtocol) {
    c.report(
      'policy/ports-protocol',
      facts.numericPorts,
      `${where} matches port numbers but ${protocol === undefined ? 'sets no protocol' : `its protocol is ${protocol}`}: ` +
        `rules with numeric port or port range must set protocol to TCP or UDP or SCTP`,
    )
  } else if (facts.anyPorts && protocol !== undefined && !portProtocol) {
    c.report(
      'policy/ports-protocol',
      facts.anyPorts,
      `${where} matches ports but its protocol is ${protocol}: rules that specify ports ` +
        `must set protocol to TCP or UDP or SCTP`,
    )
  }
}

/** 'numeric' (a number or range), 'named', or undefined when invalid. */
const inPortRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535

function checkPort(c: Check, ptr: string, p: unknown, where: string): 'numeric' | 'named' | undefined {
  const inRange = inPortRange
  if (typeof p === 'number') {
    if (inRange(p)) return 'numeric'
    c.report('policy/ports', ptr, `${where} is ${p}: port range invalid, port number must be between 1 and 65535`)
    return undefined
  }
  if (typeof p !== 'string') {
    c.report('policy/ports', ptr, `${where} is ${show(p)}; a port is a number, a range "min:max", or a named port`)
    return undefined
  }
  const parts = p.split(':')
  if (parts.length === 1) {
    if (/^\d+$/.test(p)) {
      if (inRange(Number(p))) return 'numeric'
      c.report('policy/ports', ptr, `${where} is ${p}: port range invalid, port number must be between 1 and 65535`)
      return undefined
    }
    if (/^[a-zA-Z0-9_.-]{1,128}$/.test(p)) return 'named'
    c.report(
      'policy/ports',
      ptr,
      `${where} ${show(p)} is not a port: invalid name for named port (${p}); named ports ` +
        `use letters, digits, '.', '_' and '-'`,
    )
    return undefined
  }
  if (parts.length === 2 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1])) {
    const [min, max] = parts.map(Number)
    if (!inRange(min) || !inRange(max)) {
      c.report('policy/ports', ptr, `${where} ${show(p)}: port range invalid, port number must be between 1 and 65535`)
      return undefined
    }
    if (min > max) {
      c.report(
        'policy/ports',
        ptr,
        `${where} ${show(p)}: minimum port number (${min}) is greater than maximum port number ` +
          `(${max}) in port range; write "${max}:${min}"`,
      )
      return undefined
    }
    return 'numeric'
  }
  c.report(
    'policy/ports',
    ptr,
    `${where} ${show(p)} is not a port: write a number (80), a range ("8000:8080") or a named port ("http")`,
  )
  return undefined
}

function checkHttp(
  c: Check,
  ptr: string,
  http: unknown,
  action: unknown,
  dir: string,
  protocol: string | number | undefined,
): void {
  if (!isJsonObject(http)) {
    c.report('policy/field-type', ptr, `http is ${show(http)}; it must be a mapping with methods and/or paths`)
    return
  }
  checkKnownFields(c, 'policy/unknown-field', ptr, http, ['methods', 'paths', 'headers'], 'http')
  if (action !== 'Allow' || dir !== 'ingress')
    c.report(
      'policy/http',
      ptr,
      `http matches are only allowed on Allow rules in ingress, not on ${show(action)} ${dir} rules`,
      {atKey: true},
    )
  if (protocol !== undefined && protocol !== 'TCP' && protocol !== 6)
    c.report('policy/http', ptr, `rules with HTTP match must have protocol TCP or unset, not ${protocol}`, {
      atKey: true,
    })
  if (
    expectType(c, 'policy/field-type', `${ptr}/methods`, http.methods, 'string-array', 'http.methods') &&
    Array.isArray(http.methods)
  ) {
    const seen = new Set<string>()
    http.methods.forEach((m: string, i) => {
      if (seen.has(m))
        c.report(
          'policy/http',
          `${ptr}/methods/${i}`,
          `http.methods lists ${show(m)} twice: Invalid methods (duplicates); list each method once`,
        )
      seen.add(m)
    })
  }
  if (http.paths !== undefined && http.paths !== null) {
    if (!Array.isArray(http.paths))
      c.report(
        'policy/field-type',
        `${ptr}/paths`,
        `http.paths is ${show(http.paths)}; it must be a list of {exact: ...} or {prefix: ...}`,
      )
    else http.paths.forEach((p, i) => checkHttpPath(c, `${ptr}/paths/${i}`, p, i))
  }
  if (http.headers !== undefined && http.headers !== null) checkHttpHeaders(c, `${ptr}/headers`, http.headers)
}

/** validateHTTPPaths: exact or prefix (not both, not neither), starting with / and free of ?, # and space. */
function checkHttpPath(c: Check, ptr: string, p: unknown, i: number): void {
  const where = `http.paths[${i}]`
  if (!isJsonObject(p)) {
    c.report('policy/http', ptr, `${where} is ${show(p)}; each path is {exact: "/x"} or {prefix: "/x"}`)
    return
  }
  checkKnownFields(c, 'policy/unknown-field', ptr, p, ['exact', 'prefix'], where)
  const exact = typeof p.exact === 'string' ? p.exact : ''
  const prefix = typeof p.prefix === 'string' ? p.prefix : ''
  if (exact !== '' && prefix !== '') {
    c.report(
      'policy/http',
      ptr,
      `${where} sets both exact and prefix: Invalid path match; write one entry per path, each with exact or prefix`,
    )
    return
  }
  const v = exact || prefix
  if (v === '') {
    c.report(
      'policy/http',
      ptr,
      `${where} sets neither exact nor prefix: Invalid path match; write {exact: "/x"} or {prefix: "/x"}`,
    )
    return
  }
  if (!v.startsWith('/') || /[? #]/.test(v)) {
    c.report(
      'policy/http',
      `${ptr}/${exact ? 'exact' : 'prefix'}`,
      `${where} ${show(v)} is not a valid path: it must start with / and not contain ?, # or a space (RFC 3986)`,
    )
  }
}

/** Calico Enterprise's header criteria (tigera/api policy_common.go HTTPHeaderCriteria). */
function checkHttpHeaders(c: Check, ptr: string, headers: unknown): void {
  enterpriseOnly(c, ptr, 'http.headers', {atKey: true})
  if (!Array.isArray(headers)) {
    c.report(
      'policy/field-type',
      ptr,
      `http.headers is ${show(headers)}; it must be a list of {header, operator, values}`,
    )
    return
  }
  headers.forEach((h, i) => {
    const hp = `${ptr}/${i}`
    if (!isJsonObject(h)) {
      c.report(
        'policy/http',
        hp,
        `http.headers[${i}] is ${show(h)}; each is {header: X-Name, operator: In, values: [...]}`,
      )
      return
    }
    checkKnownFields(c, 'policy/unknown-field', hp, h, ['header', 'operator', 'values'], `http.headers[${i}]`)
    if (typeof h.header !== 'string' || h.header === '')
      c.report('policy/http', hp, `http.headers[${i}] needs "header", the header's name`, {atKey: true})
    if (typeof h.operator !== 'string' || !HEADER_OPERATORS.includes(h.operator)) {
      c.report(
        'policy/http',
        h.operator === undefined ? hp : `${hp}/operator`,
        `http.headers[${i}].operator is ${show(h.operator)}; it must be one of ${HEADER_OPERATORS.join(', ')}${typeof h.operator === 'string' ? didYouMean(h.operator, HEADER_OPERATORS) : ''}`,
      )
    }
    if (h.values === undefined || h.values === null)
      c.report(
        'policy/http',
        hp,
        `http.headers[${i}] needs "values" (a list of strings; [] for Exists and DoesNotExist)`,
        {atKey: true},
      )
    else expectType(c, 'policy/field-type', `${hp}/values`, h.values, 'string-array', `http.headers[${i}].values`)
  })
}

/** With --cluster: at the end, check that the selector matches some endpoint (cluster or input). */
function deferSelects(c: Check, sel: Selector, namespaceSelector: unknown): void {
  const namespace = c.resource.namespace
  const text = sel.toString()
  const nsSel = typeof namespaceSelector === 'string' && namespaceSelector.trim() !== '' ? namespaceSelector : undefined
  const finding = c.finding('policy/selects-nothing', '/spec/selector', '')
  c.knowledge.defer(`selects\n${namespace ?? '*'}\n${nsSel ?? ''}\n${text}`, finding, async ({knowledge, cluster}) => {
    const sets = [knowledge.endpoints, ...(cluster ? [await cluster.endpoints()] : [])]
    const nsFilter = nsSel ? parseSelector(nsSel) : undefined
    for (const s of sets) {
      for (const [ns, list] of s.workloads) {
        if (namespace !== undefined && ns !== namespace) continue
        if (nsFilter) {
          const labels = {
            ...(s.namespaceLabels.get(ns) ?? knowledge.endpoints.namespaceLabels.get(ns) ?? {}),
            'projectcalico.org/name': ns,
          }
          if (!nsFilter.matches(labels)) continue
        }
        if (list.some((l) => sel.matches(l))) return undefined
      }
      if (namespace === undefined && !nsFilter && s.hosts.some((l) => sel.matches(l))) return undefined
    }
    const where = namespace !== undefined ? `in namespace "${namespace}"` : 'anywhere'
    return {
      rule: 'policy/selects-nothing',
      message:
        `selector ${show(text, 100)} matches no endpoint ${where} in the cluster${cluster ? ` (${cluster.server})` : ''} ` +
        `or the input (mode ${c.settings.mode}): the policy applies to nothing; check the ` +
        `endpoints' labels with xctl get wep -o yaml`,
    }
  })
}
