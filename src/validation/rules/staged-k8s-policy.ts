import {isJsonObject} from '../../core/go-json.js'
import {parseCIDR, parseIPOrCIDR} from '../../core/net.js'
import type {Check} from '../context.js'
import {didYouMean, escapePointer, show, subdomainProblem} from '../text.js'
import {
  checkCalicoApi,
  checkKnownFields,
  checkNamespace,
  expectType,
  isCalicoApi,
  nameOf,
  type KindRules,
} from './common.js'

/**
 * StagedKubernetesNetworkPolicy as Calico's validator checks it (projectcalico/calico
 * libcalico-go/lib/validator/v3/validator.go v3.32.1 validateStagedKubernetesNetworkPolicy): a name of at most 253
 * characters; with stagedAction Delete nothing else may be set ("Spec fields should all be zero-value if stagedAction
 * is Delete"); otherwise the spec is converted as a Kubernetes NetworkPolicy (conversion.go K8sNetworkPolicyToCalico)
 * and the result validated, so ports, protocols, CIDRs and selectors must convert.
 */
const STAGED_ACTIONS = ['Set', 'Delete', 'Learn', 'Ignore']
const SPEC_FIELDS = ['stagedAction', 'podSelector', 'ingress', 'egress', 'policyTypes']
const PROTOCOLS = ['TCP', 'UDP', 'SCTP']
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist']
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

export const stagedK8sPolicyRules: KindRules = {
  matches: (kind, apiVersion) => kind === 'StagedKubernetesNetworkPolicy' && isCalicoApi(apiVersion),
  namespaced: true,
  check(c, o) {
    checkCalicoApi(c)
    const name = nameOf(c, o, 'stagedk8s/name')
    const problem = name === undefined ? undefined : subdomainProblem(name)
    if (problem) c.report('stagedk8s/name', '/metadata/name', `name ${show(name)} is not valid: ${problem}`)
    checkNamespace(c, o, true)
    if (o.spec === undefined || o.spec === null) return
    if (!isJsonObject(o.spec)) {
      c.report('stagedk8s/field-type', '/spec', `spec is ${show(o.spec)}; it must be a mapping`)
      return
    }
    const spec = o.spec
    checkKnownFields(c, 'stagedk8s/unknown-field', '/spec', spec, SPEC_FIELDS, 'StagedKubernetesNetworkPolicy spec')
    const action = spec.stagedAction
    if (action !== undefined && action !== null && action !== '' && !STAGED_ACTIONS.includes(action as string)) {
      c.report(
        'stagedk8s/staged-action',
        '/spec/stagedAction',
        `stagedAction is ${show(action)}; it must be Set, Delete, Learn or Ignore${didYouMean(String(action), STAGED_ACTIONS)}`,
      )
      return
    }
    if (action === 'Delete') {
      const set = Object.keys(spec).filter((k) => k !== 'stagedAction' && !isZero(spec[k]))
      if (set.length > 0)
        c.report(
          'stagedk8s/staged-action',
          `/spec/${escapePointer(set[0])}`,
          `stagedAction Delete stages the removal of the Kubernetes policy, so no other field ` +
            `may be set (here: ${set.join(', ')}): remove them`,
          {atKey: true},
        )
      return
    }
    checkLabelSelector(c, '/spec/podSelector', spec.podSelector)
    checkPolicyTypes(c, spec.policyTypes)
    for (const [dir, peers] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const)
      checkRules(c, dir, peers, spec[dir])
  },
}

/** Go's zero value as YAML writes it (an empty podSelector {} is the zero LabelSelector). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true
  if (Array.isArray(v)) return v.length === 0
  if (isJsonObject(v)) return Object.values(v).every(isZero)
  return false
}

function checkLabelSelector(c: Check, ptr: string, s: unknown): void {
  if (s === undefined || s === null) return
  if (!expectType(c, 'stagedk8s/field-type', ptr, s, 'object') || !isJsonObject(s)) return
  checkKnownFields(c, 'stagedk8s/unknown-field', ptr, s, ['matchLabels', 'matchExpressions'], 'a label selector')
  expectType(c, 'stagedk8s/field-type', `${ptr}/matchLabels`, s.matchLabels, 'object')
  const exprs = s.matchExpressions
  if (!expectType(c, 'stagedk8s/field-type', `${ptr}/matchExpressions`, exprs, 'array') || !Array.isArray(exprs)) return
  exprs.forEach((e, i) => {
    const ep = `${ptr}/matchExpressions/${i}`
    if (!isJsonObject(e) || typeof e.key !== 'string' || e.key === '') {
      c.report('stagedk8s/selector', ep, `matchExpressions[${i}] needs a key`)
      return
    }
    if (!OPERATORS.includes(e.operator as string)) {
      c.report(
        'stagedk8s/selector',
        `${ep}/operator`,
        `operator ${show(e.operator)} is not valid: it must be In, NotIn, Exists or DoesNotExist${didYouMean(String(e.operator), OPERATORS)}`,
      )
      return
    }
    const values = Array.isArray(e.values) ? e.values : []
    const wantsValues = e.operator === 'In' || e.operator === 'NotIn'
    if (wantsValues && values.length === 0)
      c.report('stagedk8s/selector', ep, `operator ${e.operator} needs values: list at least one`)
    if (!wantsValues && values.length > 0)
      c.report('stagedk8s/selector', `${ep}/values`, `operator ${e.operator} takes no values: remove them`)
  })
}

function checkPolicyTypes(c: Check, types: unknown): void {
  if (!expectType(c, 'stagedk8s/field-type', '/spec/policyTypes', types, 'array') || !Array.isArray(types)) return
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      c.report(
        'stagedk8s/policy-types',
        `/spec/policyTypes/${i}`,
        `policyTypes[${i}] ${show(t)} must be Ingress or Egress`,
      )
  })
}

function checkRules(c: Check, dir: 'ingress' | 'egress', peersField: 'from' | 'to', rules: unknown): void {
  if (!expectType(c, 'stagedk8s/field-type', `/spec/${dir}`, rules, 'array') || !Array.isArray(rules)) return
  rules.forEach((r, i) => {
    const ptr = `/spec/${dir}/${i}`
    if (!isJsonObject(r)) {
      c.report('stagedk8s/field-type', ptr, `${dir}[${i}] is ${show(r)}; it must be a mapping (${peersField}, ports)`)
      return
    }
    checkKnownFields(c, 'stagedk8s/unknown-field', ptr, r, [peersField, 'ports'], `a Kubernetes ${dir} rule`)
    const peers = r[peersField]
    if (expectType(c, 'stagedk8s/field-type', `${ptr}/${peersField}`, peers, 'array') && Array.isArray(peers))
      peers.forEach((p, j) => checkPeer(c, `${ptr}/${peersField}/${j}`, p))
    const ports = r.ports
    if (expectType(c, 'stagedk8s/field-type', `${ptr}/ports`, ports, 'array') && Array.isArray(ports))
      ports.forEach((p, j) => checkPort(c, `${ptr}/ports/${j}`, p))
  })
}

function checkPeer(c: Check, ptr: string, p: unknown): void {
  if (!isJsonObject(p)) return
  checkKnownFields(c, 'stagedk8s/unknown-field', ptr, p, ['podSelector', 'namespaceSelector', 'ipBlock'], 'a peer')
  checkLabelSelector(c, `${ptr}/podSelector`, p.podSelector)
  checkLabelSelector(c, `${ptr}/namespaceSelector`, p.namespaceSelector)
  if (p.ipBlock === undefined || p.ipBlock === null) return
  if ((p.podSelector ?? p.namespaceSelector) !== undefined)
    c.report('stagedk8s/peer', `${ptr}/ipBlock`, 'ipBlock cannot be combined with podSelector or namespaceSelector')
  const block = isJsonObject(p.ipBlock) ? p.ipBlock : {}
  if (typeof block.cidr !== 'string' || !parseCIDR(block.cidr))
    c.report('stagedk8s/peer', `${ptr}/ipBlock`, `ipBlock.cidr ${show(block.cidr)} is not a CIDR (e.g. 10.0.0.0/16)`)
  const except = Array.isArray(block.except) ? block.except : []
  except.forEach((e, k) => {
    if (typeof e !== 'string' || !parseIPOrCIDR(e))
      c.report('stagedk8s/peer', `${ptr}/ipBlock/except/${k}`, `ipBlock.except[${k}] ${show(e)} is not a CIDR`)
  })
}

function checkPort(c: Check, ptr: string, p: unknown): void {
  if (!isJsonObject(p)) return
  checkKnownFields(c, 'stagedk8s/unknown-field', ptr, p, ['protocol', 'port', 'endPort'], 'a port')
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol as string))
    c.report('stagedk8s/port', `${ptr}/protocol`, `protocol ${show(p.protocol)} must be TCP, UDP or SCTP`)
  const port = p.port
  const numeric = typeof port === 'number'
  if (numeric && (!Number.isInteger(port) || port < 1 || port > 65535))
    c.report('stagedk8s/port', `${ptr}/port`, `port ${show(port)} must be from 1 to 65535`)
  if (typeof port === 'string' && (port.length > 15 || !PORT_NAME.test(port) || !/[a-z]/.test(port)))
    c.report('stagedk8s/port', `${ptr}/port`, `port ${show(port)} is neither a number nor a port name (IANA_SVC_NAME)`)
  if (p.endPort === undefined || p.endPort === null) return
  if (!numeric)
    c.report('stagedk8s/port', `${ptr}/endPort`, 'endPort needs a numeric port (a range cannot start at a named port)')
  else if (typeof p.endPort !== 'number' || p.endPort < port || p.endPort > 65535)
    c.report('stagedk8s/port', `${ptr}/endPort`, `endPort ${show(p.endPort)} must be from port (${port}) to 65535`)
}
