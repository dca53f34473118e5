import {formatCIDR, parseIPOrCIDR} from '../core/net.js'
import type {KubeObject} from '../kube/types.js'

/**
 * Kubernetes NetworkPolicies as Calico shows and enforces them (projectcalico/calico
 * libcalico-go/lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico, v3.31.7; v3.32 keeps the same
 * rules and drops the name prefix from its internal key only): a projectcalico.org/v3 NetworkPolicy named
 * `knp.default.<name>` in tier default at order 1000, selecting `projectcalico.org/orchestrator == 'k8s'` and the
 * podSelector, with one Allow rule per protocol and peer.
 *
 * The selector names no `projectcalico.org/network-interface`: in multus mode a Kubernetes NetworkPolicy applies to
 * every interface of the pods it selects (each endpoint carries the pod's labels and the orchestrator label).
 */
export const KNP_PREFIX = 'knp.default.'

/** `knp.default.<name>` → `<name>`; undefined for a name Calico does not derive from a Kubernetes policy. */
export function kubernetesPolicyName(name: string): string | undefined {
  return name.startsWith(KNP_PREFIX) ? name.slice(KNP_PREFIX.length) : undefined
}
const KNP_ORDER = 1000
const ORCHESTRATOR = "projectcalico.org/orchestrator == 'k8s'"

type Fields = Record<string, unknown>
type LabelSelector = {matchLabels?: Record<string, string>; matchExpressions?: Fields[]} | null | undefined

const fields = (v: unknown): Fields => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : {})
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** k8sSelectorToCalico: pod selectors gain the orchestrator term; an empty namespace selector is all(). */
export function k8sSelectorToCalico(s: LabelSelector, type: 'pod' | 'namespace'): string {
  const terms = type === 'pod' ? [ORCHESTRATOR] : []
  if (s === null || s === undefined) return terms.join(' && ')
  const labels = fields(s.matchLabels) as Record<string, string>
  const expressions = list(s.matchExpressions).map(fields)
  if (type === 'namespace' && Object.keys(labels).length === 0 && expressions.length === 0) return 'all()'
  for (const k of Object.keys(labels).sort()) terms.push(`${k} == '${labels[k]}'`)
  for (const e of expressions) {
    const values = list(e.values).map(String).join("', '")
    if (e.operator === 'In') terms.push(`${e.key} in { '${values}' }`)
    else if (e.operator === 'NotIn') terms.push(`${e.key} not in { '${values}' }`)
    else if (e.operator === 'Exists') terms.push(`has(${e.key})`)
    else if (e.operator === 'DoesNotExist') terms.push(`! has(${e.key})`)
  }
  return terms.join(' && ')
}

/** A Calico port as it serialises: a number, "min:max", or a port name. */
type Port = number | string

function calicoPort(port: unknown, endPort: unknown): Port {
  const text = `${String(port)}${endPort !== undefined && endPort !== null ? `:${String(endPort)}` : ''}`
  return /^\d+$/.test(text) ? Number(text) : text
}

/** SimplifyPorts: numeric ports merged into the fewest ranges; named ports first, as given. */
function simplifyPorts(ports: Port[]): Port[] {
  if (ports.length <= 1) return ports
  const named = ports.filter((p) => typeof p === 'string' && !/^\d+:\d+$/.test(p))
  const numbers: number[] = []
  for (const p of ports) {
    if (typeof p === 'number') numbers.push(p)
    else if (/^\d+:\d+$/.test(p)) {
      const [lo, hi] = p.split(':').map(Number)
      for (let i = lo; i <= hi; i++) numbers.push(i)
    }
  }
  if (numbers.length <= 1) return ports
  numbers.sort((a, b) => a - b)
  const out: Port[] = [...named]
  for (let i = 0; i < numbers.length;) {
    const first = numbers[i]
    let last = first
    while (i + 1 < numbers.length && numbers[i + 1] <= last + 1) last = numbers[++i]
    i++
    out.push(first === last ? first : `${first}:${last}`)
  }
  return out
}

/** Ports grouped by protocol ("" = no ports: any protocol); undefined = every port of that protocol. */
function portsByProtocol(ports: unknown[]): Map<string, Port[] | undefined> {
  const byProtocol = new Map<string, Port[] | undefined>()
  if (ports.length === 0) return new Map([['', undefined]])
  for (const p of ports.map(fields)) {
    const protocol = typeof p.protocol === 'string' && p.protocol ? p.protocol : 'TCP'
    if (p.port === undefined || p.port === null) byProtocol.set(protocol, undefined)
    else if (!byProtocol.has(protocol) || byProtocol.get(protocol) !== undefined)
      byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), calicoPort(p.port, p.endPort)])
  }
  return new Map([...byProtocol].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const normalise = (cidr: unknown) => {
  const parsed = typeof cidr === 'string' ? parseIPOrCIDR(cidr) : undefined
  return parsed ? formatCIDR({ip: parsed.ip, prefix: parsed.prefix}) : String(cidr)
}

/** k8sPeerToCalicoFields: an ipBlock becomes nets/notNets, else pod and namespace selectors. */
function peerFields(peer: Fields | undefined): Fields {
  if (!peer) return {}
  const block = peer.ipBlock === undefined || peer.ipBlock === null ? undefined : fields(peer.ipBlock)
  if (block) {
    const notNets = list(block.except).map(normalise)
    return {nets: [normalise(block.cidr)], ...(notNets.length ? {notNets} : {})}
  }
  const out: Fields = {selector: k8sSelectorToCalico(peer.podSelector as LabelSelector, 'pod')}
  const ns = k8sSelectorToCalico(peer.namespaceSelector as LabelSelector, 'namespace')
  if (ns) out.namespaceSelector = ns
  return out
}

/** k8sRuleToCalico: one Allow rule per protocol and peer. */
function rulesOf(peers: unknown[], ports: unknown[], ingress: boolean): Fields[] {
  const rules: Fields[] = []
  const sides: Array<Fields | undefined> = peers.length > 0 ? peers.map(fields) : [undefined]
  for (const [protocol, protocolPorts] of portsByProtocol(ports)) {
    const simplified = protocolPorts && simplifyPorts(protocolPorts)
    const portField = simplified?.length ? {ports: simplified} : {}
    for (const peer of sides) {
      const side = peerFields(peer)
      const rule: Fields = {action: 'Allow', ...(protocol ? {protocol} : {})}
      if (ingress) {
        if (Object.keys(side).length) rule.source = side
        if (simplified?.length) rule.destination = portField
      } else {
        const destination = {...portField, ...side}
        if (Object.keys(destination).length) rule.destination = destination
      }
      rules.push(rule)
    }
  }
  return rules
}

/** The spec Calico builds from a networking.k8s.io/v1 NetworkPolicySpec (tier default, order 1000). */
function k8sPolicySpecToCalico(k8sSpec: unknown): Fields {
  const spec = fields(k8sSpec)
  const ingress = list(spec.ingress).flatMap((r) => rulesOf(list(fields(r).from), list(fields(r).ports), true))
  const egress = list(spec.egress).flatMap((r) => rulesOf(list(fields(r).to), list(fields(r).ports), false))
  const declared = list(spec.policyTypes)
  const types = ['Ingress', 'Egress'].filter((t) => declared.includes(t))
  const out: Fields = {
    tier: 'default',
    order: KNP_ORDER,
    selector: k8sSelectorToCalico(fields(spec.podSelector), 'pod'),
  }
  if (ingress.length) out.ingress = ingress
  if (egress.length) out.egress = egress
  out.types = types.length > 0 ? types : ['Ingress']
  return out
}

function calicoMetadata(o: KubeObject): KubeObject['metadata'] {
  const meta: KubeObject['metadata'] = {name: KNP_PREFIX + (o.metadata.name ?? '')}
  if (o.metadata.namespace) meta.namespace = o.metadata.namespace
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp'] as const)
    if (o.metadata[key] !== undefined) (meta as Record<string, unknown>)[key] = o.metadata[key]
  return meta
}

/** A networking.k8s.io/v1 NetworkPolicy as Calico shows it. */
export function k8sPolicyToCalico(o: KubeObject): KubeObject {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: calicoMetadata(o),
    spec: k8sPolicySpecToCalico(o.spec),
  }
}

/**
 * A StagedKubernetesNetworkPolicy as the StagedNetworkPolicy Calico evaluates (conversion.go v3.31.7
 * StagedKubernetesNetworkPolicyToStagedName, ConvertStagedKubernetesPolicyToK8SEnforced): `knp.default.<name>`,
 * the same stagedAction.
 */
export function stagedK8sPolicyToCalico(o: KubeObject): KubeObject {
  const spec = fields(o.spec)
  const action = spec.stagedAction
  const converted = action === 'Delete' ? {tier: 'default'} : k8sPolicySpecToCalico(spec)
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'StagedNetworkPolicy',
    metadata: calicoMetadata(o),
    spec: {...(action ? {stagedAction: action} : {}), ...converted},
  }
}
