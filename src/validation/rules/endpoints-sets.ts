import {isJsonObject} from '../../core/go-json.js'
import {parseIP, parseIPOrCIDR} from '../../core/net.js'
import type {RuleId} from '../catalog.js'
import type {Check} from '../context.js'
import {show, subdomainProblem} from '../text.js'
import {
  checkCalicoApi,
  checkKnownFields,
  checkNamespace,
  enterpriseOnly,
  expectType,
  isCalicoApi,
  nameOf,
  type KindRules,
} from './common.js'

/**
 * NetworkSet, GlobalNetworkSet and HostEndpoint as Calico's validator checks them (projectcalico/calico
 * libcalico-go/lib/validator/v3/validator.go v3.32.1: validateObjectMeta, validateNetworkSet,
 * validateGlobalNetworkSet, validateHostEndpointSpec and the struct tags of projectcalico/api
 * pkg/apis/projectcalico/v3/{networkset,globalnetworkset,hostendpoint}.go).
 */

/** validateObjectMeta: every Calico resource name is a DNS-1123 subdomain. */
function checkName(c: Check, o: Record<string, unknown>, rule: RuleId): void {
  const name = nameOf(c, o, rule)
  if (name === undefined) return
  const problem = subdomainProblem(name)
  if (problem) c.report(rule, '/metadata/name', `name ${show(name)} is not a valid ${c.resource.kind} name: ${problem}`)
}

/** The spec mapping, or undefined (reported) when it is something else. */
function specOf(c: Check, o: Record<string, unknown>, rule: RuleId): Record<string, unknown> | undefined {
  if (o.spec === undefined || o.spec === null) return undefined
  if (isJsonObject(o.spec)) return o.spec
  c.report(rule, '/spec', `spec is ${show(o.spec)}; it must be a mapping`)
  return undefined
}

const RESERVED_NAMESPACE_LABEL = 'projectcalico.org/namespace'

function networkSetRules(kind: 'NetworkSet' | 'GlobalNetworkSet'): KindRules {
  return {
    matches: (k, apiVersion) => k === kind && isCalicoApi(apiVersion),
    namespaced: kind === 'NetworkSet',
    check(c, o) {
      checkCalicoApi(c)
      checkName(c, o, 'networkset/name')
      checkNamespace(c, o, kind === 'NetworkSet')
      const labels = isJsonObject(o.metadata) && isJsonObject(o.metadata.labels) ? o.metadata.labels : {}
      if (RESERVED_NAMESPACE_LABEL in labels)
        c.report(
          'networkset/reserved-label',
          `/metadata/labels/${RESERVED_NAMESPACE_LABEL.replace('/', '~1')}`,
          `${RESERVED_NAMESPACE_LABEL} is not a valid label name: Calico sets it itself from the namespace; remove it`,
          {atKey: true},
        )
      const spec = specOf(c, o, 'networkset/field-type')
      if (!spec) return
      checkKnownFields(c, 'networkset/unknown-field', '/spec', spec, ['nets', 'allowedEgressDomains'], `${kind} spec`)
      if (spec.allowedEgressDomains !== undefined)
        enterpriseOnly(c, '/spec/allowedEgressDomains', 'allowedEgressDomains', {atKey: true})
      if (!expectType(c, 'networkset/field-type', '/spec/nets', spec.nets, 'array') || !Array.isArray(spec.nets)) return
      spec.nets.forEach((n, i) => {
        if (typeof n !== 'string' || !parseIPOrCIDR(n))
          c.report('networkset/nets', `/spec/nets/${i}`, `nets[${i}] ${show(n)} is not an IP address or CIDR`)
      })
    },
  }
}

export const networkSetKindRules = networkSetRules('NetworkSet')
export const globalNetworkSetKindRules = networkSetRules('GlobalNetworkSet')

const HEP_FIELDS = ['node', 'interfaceName', 'expectedIPs', 'profiles', 'ports']
/** validator.go interfaceRegex, and `*` (all of the host's interfaces). */
const INTERFACE = /^[a-zA-Z0-9_.-]{1,15}$/
/** Kubernetes IsValidPortName (apimachinery validation.go), which validatePortName applies. */
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/
const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'UDPLite']

export const hostEndpointKindRules: KindRules = {
  matches: (k, apiVersion) => k === 'HostEndpoint' && isCalicoApi(apiVersion),
  namespaced: false,
  check(c, o) {
    checkCalicoApi(c)
    checkName(c, o, 'hostendpoint/name')
    checkNamespace(c, o, false)
    const spec = specOf(c, o, 'hostendpoint/field-type') ?? {}
    if (isJsonObject(o.spec))
      checkKnownFields(c, 'hostendpoint/unknown-field', '/spec', spec, HEP_FIELDS, 'HostEndpoint spec')
    const where = isJsonObject(o.spec) ? '/spec' : ''
    checkHostEndpointNode(c, spec.node, where)
    const iface = spec.interfaceName
    const ips = spec.expectedIPs
    if (expectType(c, 'hostendpoint/field-type', '/spec/interfaceName', iface, 'string') && typeof iface === 'string')
      if (iface !== '' && iface !== '*' && !INTERFACE.test(iface))
        c.report(
          'hostendpoint/interface',
          '/spec/interfaceName',
          `interfaceName ${show(iface)} is not an interface name: 1-15 letters, digits, '_', ` +
            `'.' or '-' (or * for all of the host's interfaces)`,
        )
    if (expectType(c, 'hostendpoint/field-type', '/spec/expectedIPs', ips, 'array') && Array.isArray(ips))
      ips.forEach((ip, i) => {
        if (typeof ip !== 'string' || !parseIP(ip))
          c.report(
            'hostendpoint/expected-ips',
            `/spec/expectedIPs/${i}`,
            `expectedIPs[${i}] ${show(ip)} is not an IP address`,
          )
      })
    if ((typeof iface !== 'string' || iface === '') && !(Array.isArray(ips) && ips.length > 0))
      c.report(
        'hostendpoint/interface',
        where,
        'no interface or expected IPs have been specified: set interfaceName (or * for all ' +
          'interfaces) and/or expectedIPs',
      )
    checkProfiles(c, spec.profiles)
    checkPorts(c, spec.ports)
  },
}

function checkHostEndpointNode(c: Check, node: unknown, where: string): void {
  if (node === undefined || node === null || node === '') {
    c.report('hostendpoint/node', where, 'no node has been specified: set spec.node to the name of the host')
    return
  }
  if (!expectType(c, 'hostendpoint/field-type', '/spec/node', node, 'string')) return
  const problem = subdomainProblem(node as string)
  if (problem) c.report('hostendpoint/node', '/spec/node', `node ${show(node)} is not a node name: ${problem}`)
}

function checkProfiles(c: Check, profiles: unknown): void {
  if (!expectType(c, 'hostendpoint/field-type', '/spec/profiles', profiles, 'array') || !Array.isArray(profiles)) return
  profiles.forEach((p, i) => {
    const problem = typeof p === 'string' ? subdomainProblem(p) : 'it is not a string'
    if (problem)
      c.report(
        'hostendpoint/profiles',
        `/spec/profiles/${i}`,
        `profiles[${i}] ${show(p)} is not a profile name: ${problem}`,
      )
  })
}

function checkPorts(c: Check, ports: unknown): void {
  if (!expectType(c, 'hostendpoint/field-type', '/spec/ports', ports, 'array') || !Array.isArray(ports)) return
  ports.forEach((p, i) => {
    const ptr = `/spec/ports/${i}`
    if (!isJsonObject(p)) {
      c.report('hostendpoint/ports', ptr, `ports[${i}] is ${show(p)}; it must be a mapping (name, protocol, port)`)
      return
    }
    checkKnownFields(c, 'hostendpoint/unknown-field', ptr, p, ['name', 'protocol', 'port'], 'a HostEndpoint port')
    if (
      typeof p.name !== 'string' ||
      p.name === '' ||
      p.name.length > 15 ||
      !PORT_NAME.test(p.name) ||
      !/[a-z]/.test(p.name)
    )
      c.report(
        'hostendpoint/ports',
        p.name === undefined ? ptr : `${ptr}/name`,
        `ports[${i}] needs a name: at most 15 lower case letters, digits or '-', with at ` +
          `least one letter (this is ${show(p.name)})`,
      )
    if (
      p.protocol !== undefined &&
      !PORT_PROTOCOLS.includes(p.protocol as string) &&
      !(typeof p.protocol === 'number' && p.protocol >= 1 && p.protocol <= 255)
    )
      c.report(
        'hostendpoint/ports',
        `${ptr}/protocol`,
        `ports[${i}].protocol ${show(p.protocol)} is not a protocol (TCP, UDP, SCTP, ...)`,
      )
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
      c.report(
        'hostendpoint/ports',
        p.port === undefined ? ptr : `${ptr}/port`,
        `ports[${i}].port ${show(p.port)} must be a port number from 1 to 65535`,
      )
  })
}
