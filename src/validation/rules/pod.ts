import {isJsonForm, NETWORKS_ANNOTATION} from '../../multus/annotations.js'
import {MAX_ADDITIONAL_INTERFACES, podToWorkloadEndpoints, LIMIT_MESSAGE} from '../../workloadendpoints/convert.js'
import type {KubeObject} from '../../kube/types.js'
import {at, isObject, type Check} from '../context.js'
import {scanJson} from '../json-scan.js'
import {parseIP, parseIPOrCIDR, parseMAC} from '../net.js'
import {DNS1123_LABEL, didYouMean, escapePointer, jsonType, labelProblem, show, subdomainProblem, toLabel} from '../text.js'
import type {KindRules} from './common.js'

/**
 * Pods and the pod templates of workloads: the k8s.v1.cni.cncf.io/networks annotation, parsed the way Multus
 * parses it (multus.md §2), with every problem placed inside the annotation's value, and the Calico features
 * that do not work on additional networks (§5.3).
 */

/** Where the pod template sits in each workload kind. */
const TEMPLATES: Record<string, {groups: RegExp; template: string}> = {
  Pod: {groups: /^v1$/, template: ''},
  PodTemplate: {groups: /^v1$/, template: '/template'},
  ReplicationController: {groups: /^v1$/, template: '/spec/template'},
  Deployment: {groups: /^(apps|extensions)\//, template: '/spec/template'},
  StatefulSet: {groups: /^apps\//, template: '/spec/template'},
  DaemonSet: {groups: /^(apps|extensions)\//, template: '/spec/template'},
  ReplicaSet: {groups: /^(apps|extensions)\//, template: '/spec/template'},
  Job: {groups: /^batch\//, template: '/spec/template'},
  CronJob: {groups: /^batch\//, template: '/spec/jobTemplate/spec/template'},
}

export const podRules: KindRules = {
  matches: (kind, apiVersion) => TEMPLATES[kind]?.groups.test(apiVersion) ?? false,
  namespaced: true,
  check(c, o) {
    const template = TEMPLATES[c.resource.kind].template
    const meta = at(o, `${template}/metadata`)
    if (!isObject(meta)) return
    const annotations = isObject(meta.annotations) ? meta.annotations : undefined
    const annPtr = `${template}/metadata/annotations`
    const refs = annotations && Object.hasOwn(annotations, NETWORKS_ANNOTATION) ? checkNetworks(c, `${annPtr}/${escapePointer(NETWORKS_ANNOTATION)}`, annotations[NETWORKS_ANNOTATION]) : []
    if (annotations && refs.length > 0) checkAdditionalNetworkFeatures(c, annPtr, annotations, refs.length)
    if (c.settings.cluster) collectEndpoints(c, meta, at(o, `${template}/spec`))
  },
}

/** One network the annotation asks for. */
interface NetworkRef {
  index: number
  name: string
  namespace: string
  ifname?: string
  /** Offsets in the annotation value: the element, its name, its interface name. */
  at: number
  nameAt: number
  ifnameAt?: number
  /** Worth looking up (a valid name that Multus would look for). */
  lookup: boolean
}

const MULTUS_PARSE = 'parsePodNetworkAnnotation: '
const MULTUS_JSON = `${MULTUS_PARSE}failed to parse pod Network Attachment Selection Annotation JSON format: `

/** The networks annotation: returns the networks it asks for (also when some are broken). */
function checkNetworks(c: Check, ptr: string, value: unknown): NetworkRef[] {
  if (typeof value !== 'string') {
    const form = Array.isArray(value) ? 'a YAML list' : isObject(value) ? 'a YAML mapping' : show(value)
    c.report('pod/networks-parse', ptr, `the ${NETWORKS_ANNOTATION} annotation is ${form}, but annotation values are strings: quote it, e.g. '[{"name": "net-a"}]' or 'net-a,net-b'`)
    return []
  }
  const podNs = c.resource.namespace ?? c.settings.defaultNamespace
  const refs = isJsonForm(value) ? jsonForm(c, ptr, value, podNs) : shortForm(c, ptr, value, podNs)
  checkInterfaces(c, ptr, refs, isJsonForm(value))
  if (refs.length > MAX_ADDITIONAL_INTERFACES) {
    const first = refs[MAX_ADDITIONAL_INTERFACES]
    c.report('pod/networks-limit', ptr, `the pod asks for ${refs.length} additional networks; Calico Enterprise allows at most ${MAX_ADDITIONAL_INTERFACES} ("${LIMIT_MESSAGE}"), so in a cluster with multiInterfaceMode Multus the pod fails to start: remove ${refs.length - MAX_ADDITIONAL_INTERFACES}`, {offset: first.at})
  }
  for (const ref of refs) {
    if (ref.ifname) c.knowledge.requestedIfnames.add(ref.ifname)
    if (ref.lookup) deferLookup(c, ptr, ref)
  }
  return refs
}

function shortForm(c: Check, ptr: string, value: string, podNs: string): NetworkRef[] {
  if (value.trim() === '') {
    c.report('pod/networks-parse', ptr, `the ${NETWORKS_ANNOTATION} annotation is empty: Multus refuses it (${MULTUS_PARSE}pod annotation does not have "network" as key); name a network or remove the annotation`)
    return []
  }
  const refs: NetworkRef[] = []
  let start = 0
  const items = value.split(',')
  items.forEach((raw, index) => {
    const lead = raw.length - raw.trimStart().length
    const item = raw.trim()
    const itemAt = start + lead
    start += raw.length + 1
    if (item === '') {
      const comma = index === 0 ? 0 : itemAt - lead - 1
      c.report('pod/networks-parse', ptr, `item ${index + 1} is empty (a ${index === items.length - 1 ? 'trailing' : 'doubled'} ','): Multus looks for a NetworkAttachmentDefinition named "" and the pod fails ("cannot find a network-attachment-definition () in namespace (${podNs}): resource name may not be empty"); remove the extra ','`, {offset: Math.max(0, comma)})
      return
    }
    const slash = item.split('/')
    if (slash.length > 2) {
      c.report('pod/networks-parse', ptr, `${show(item)} has more than one '/': Multus refuses the annotation (${MULTUS_PARSE}parsePodNetworkObjectName: Invalid network object (failed at '/')); write namespace/name@interface`, {offset: itemAt + slash[0].length + 1 + slash[1].length})
      return
    }
    const rest = slash.length === 2 ? slash[1] : slash[0]
    const restAt = itemAt + (slash.length === 2 ? slash[0].length + 1 : 0)
    const parts = rest.split('@')
    if (parts.length > 2) {
      c.report('pod/networks-parse', ptr, `${show(item)} has more than one '@': Multus refuses the annotation (${MULTUS_PARSE}parsePodNetworkObjectName: Invalid network object (failed at '@')); write name@interface`, {offset: restAt + parts[0].length + 1 + parts[1].length})
      return
    }
    const ns = slash.length === 2 ? slash[0].trim() : ''
    const name = parts[0].trim()
    const nameAt = restAt + (parts[0].length - parts[0].trimStart().length)
    const ifRaw = parts.length === 2 ? parts[1] : undefined
    const ifname = ifRaw?.trim()
    const ifnameAt = ifRaw === undefined ? undefined : restAt + parts[0].length + 1 + (ifRaw.length - ifRaw.trimStart().length)
    let ok = true
    for (const [part, role, offset] of [[ns, 'namespace', itemAt], [name, 'name', nameAt]] as const) {
      if (part !== '' && !DNS1123_LABEL.test(part)) {
        ok = false
        const fix = toLabel(part)
        const dotted = role === 'name' && part.includes('.') && subdomainProblem(part) === undefined
        c.report('pod/networks-parse', ptr, `network ${role} ${show(part)} is not a DNS-1123 label, so Multus refuses the annotation (${MULTUS_PARSE}parsePodNetworkObjectName: Failed to parse: one or more items did not match comma-delimited format (must consist of lower case alphanumeric characters). Must start and end with an alphanumeric character), mismatch @ '${part}')${dotted ? '; a name with dots can only be given in the JSON form: [{"name": "' + part + '"}]' : fix && fix !== part ? `; did you mean "${fix}"?` : ''}`, {offset})
      }
    }
    if (name === '') {
      ok = false
      c.report('pod/networks-parse', ptr, `${show(item)} names no network before ${ifname !== undefined ? "'@'" : 'the end'}: Multus looks for a NetworkAttachmentDefinition named "" and the pod fails; write name@interface`, {offset: nameAt})
    }
    refs.push({index: refs.length, name, namespace: ns || podNs, ifname: ifname || undefined, at: itemAt, nameAt, ifnameAt: ifname ? ifnameAt : undefined, lookup: ok})
  })
  return refs
}

/** Multus' NetworkSelectionElement: JSON key → Go type (for its decoding errors). */
const ELEMENT_KEYS: Record<string, string> = {
  name: 'string', namespace: 'string', ips: '[]string', mac: 'string', 'infiniband-guid': 'string', interface: 'string',
  interfaceRequest: 'string', 'default-route': '[]net.IP', portMappings: '[]*types.PortMapEntry', bandwidth: '*types.BandwidthEntry',
  'cni-args': '*map[string]interface {}', deviceID: 'string', 'ipam-claim-reference': 'string',
}

function goTypeMatches(value: unknown, goType: string): boolean {
  if (value === null) return true
  if (goType === 'string') return typeof value === 'string'
  if (goType === '[]string' || goType === '[]net.IP') return Array.isArray(value) && value.every((v) => typeof v === 'string' || v === null)
  if (goType.startsWith('[]')) return Array.isArray(value)
  return isObject(value)
}

function jsonForm(c: Check, ptr: string, value: string, podNs: string): NetworkRef[] {
  const scan = scanJson(value, {positions: true})
  if (scan.errors.length > 0) {
    for (const e of scan.errors.slice(0, 5)) {
      c.report('pod/networks-parse', ptr, `the JSON form of ${NETWORKS_ANNOTATION} is not valid JSON: ${e.message}; Multus refuses the annotation (${MULTUS_JSON}${e.goMessage})`, {offset: Math.min(e.offset, Math.max(0, value.length - 1))})
    }
    return []
  }
  const list: unknown = JSON.parse(value)
  const positions = scan.positions!
  const valueAt = (p: string) => positions.get(p)?.value ?? 0
  const keyAt = (p: string) => positions.get(p)?.key ?? valueAt(p)
  if (!Array.isArray(list)) {
    c.report('pod/networks-parse', ptr, `the JSON form must be a list of objects${isObject(list) ? ': wrap the object in [ ]' : ''}; Multus refuses the annotation (${MULTUS_JSON}json: cannot unmarshal ${jsonType(list)} into Go value of type []*types.NetworkSelectionElement)`, {offset: valueAt('')})
    return []
  }
  const refs: NetworkRef[] = []
  const gateways: Record<4 | 6, number> = {4: 0, 6: 0}
  list.forEach((el, i) => {
    const ep = `/${i}`
    if (!isObject(el)) {
      c.report('pod/networks-json-type', ptr, `element ${i} is ${show(el)}; each element is an object such as {"name": "net-a"} (${MULTUS_JSON}json: cannot unmarshal ${jsonType(el)} into Go value of type types.NetworkSelectionElement)`, {offset: valueAt(ep)})
      return
    }
    let typesOk = true
    const known = Object.keys(ELEMENT_KEYS)
    // Go matches JSON keys to fields case-insensitively (the last match wins): read the element as Multus does.
    const fields: Record<string, unknown> = {}
    const keyOf: Record<string, string> = {}
    for (const [key, v] of Object.entries(el)) {
      const kp = `${ep}/${escapePointer(key)}`
      const canonical = ELEMENT_KEYS[key] !== undefined ? key : known.find((k) => k.toLowerCase() === key.toLowerCase())
      if (canonical !== undefined) {
        fields[canonical] = v
        keyOf[canonical] = key
      }
      if (canonical === undefined) {
        if (!key.includes('.') && !key.includes('/')) {
          c.report('pod/networks-json-unknown-key', ptr, `element ${i} has the key ${show(key)}, which Multus does not know and ignores${didYouMean(key, known)} (un-namespaced keys are reserved; extensions use reverse-DNS keys)`, {offset: keyAt(kp)})
        }
        continue
      }
      if (!goTypeMatches(v, ELEMENT_KEYS[canonical])) {
        typesOk = false
        const want = ELEMENT_KEYS[canonical] === 'string' ? 'a string' : ELEMENT_KEYS[canonical].startsWith('[]') ? 'a list' : 'an object'
        c.report('pod/networks-json-type', ptr, `element ${i}: ${show(key)} is ${show(v)}; it must be ${want}${typeof v === 'string' && want === 'a list' ? ` (write [${show(v)}])` : ''} (${MULTUS_JSON}json: cannot unmarshal ${jsonType(v)} into Go struct field NetworkSelectionElement.${canonical} of type ${ELEMENT_KEYS[canonical]})`, {offset: valueAt(kp)})
      }
    }
    const f = fields
    const at = (field: string) => valueAt(`${ep}/${escapePointer(keyOf[field] ?? field)}`)
    const name = typeof f.name === 'string' ? f.name : ''
    const namespace = typeof f.namespace === 'string' && f.namespace !== '' ? f.namespace : ''
    let lookup = typesOk
    if (name === '') {
      lookup = false
      if (f.name === undefined || f.name === '' || f.name === null) c.report('pod/networks-name', ptr, `element ${i} has no "name": name the NetworkAttachmentDefinition, e.g. {"name": "net-a"}; Multus fails to find a network named ""`, {offset: valueAt(ep)})
    } else if (name.includes('/')) {
      lookup = false
      const [ns, n] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)]
      c.report('pod/networks-namespaced-name', ptr, `element ${i}: "name": ${show(name)} is not split into namespace and name in the JSON form (multus#705); Multus looks for a NetworkAttachmentDefinition literally named ${show(name)}: write {"name": ${show(n)}, "namespace": ${show(ns)}}`, {offset: at('name')})
    } else if (subdomainProblem(name)) {
      lookup = false
      c.report('pod/networks-name', ptr, `element ${i}: ${show(name)} cannot be a NetworkAttachmentDefinition name: ${subdomainProblem(name)}`, {offset: at('name')})
    }
    if (namespace !== '' && labelProblem(namespace)) {
      lookup = false
      c.report('pod/networks-name', ptr, `element ${i}: namespace ${show(namespace)} is not a valid namespace name: ${labelProblem(namespace)}`, {offset: at('namespace')})
    }
    const ifKey = typeof f.interface === 'string' && f.interface !== '' ? 'interface' : typeof f.interfaceRequest === 'string' && f.interfaceRequest !== '' ? 'interfaceRequest' : undefined
    const ifname = ifKey ? (f[ifKey] as string) : undefined
    checkElementValues(c, ptr, f, i, (p) => valueAt(p.replace(/^(\/\d+\/)([^/]+)/, (_m, head: string, field: string) => head + escapePointer(keyOf[field] ?? field))), gateways)
    refs.push({index: i, name, namespace: namespace || podNs, ifname, at: valueAt(ep), nameAt: f.name !== undefined ? at('name') + 1 : valueAt(ep), ifnameAt: ifKey ? at(ifKey) + 1 : undefined, lookup})
  })
  return refs
}

/** ips, mac, infiniband-guid, default-route, portMappings, bandwidth of one element. */
function checkElementValues(c: Check, ptr: string, el: Record<string, unknown>, i: number, valueAt: (p: string) => number, gateways: Record<4 | 6, number>): void {
  const ep = `/${i}`
  if (Array.isArray(el.ips)) {
    el.ips.forEach((ip, k) => {
      if (typeof ip !== 'string') return
      if (!parseIPOrCIDR(ip)) {
        const multus = ip.includes('/') ? `failed to parse CIDR "${ip}"` : `failed to parse IP address "${ip}"`
        c.report('pod/networks-ips', ptr, `element ${i}: ips[${k}] ${show(ip)} is not an IP address or CIDR (Multus: ${multus}); write e.g. "10.1.1.11/24"`, {offset: valueAt(`${ep}/ips/${k}`) + 1})
      }
    })
    if (el.ips.length > 0 && typeof el['ipam-claim-reference'] === 'string' && el['ipam-claim-reference'] !== '') {
      c.report('pod/networks-ips-claim', ptr, `element ${i} sets both "ips" and "ipam-claim-reference"; the multi-network spec makes that an error: use one of them`, {offset: valueAt(`${ep}/ipam-claim-reference`)})
    }
  }
  if (typeof el.mac === 'string' && parseMAC(el.mac) === undefined) {
    c.report('pod/networks-mac', ptr, `element ${i}: mac ${show(el.mac)} is not a MAC address (Multus: failed to mac: address ${el.mac}: invalid MAC address); write e.g. "02:23:45:67:89:01"`, {offset: valueAt(`${ep}/mac`) + 1})
  }
  const guid = el['infiniband-guid']
  if (typeof guid === 'string' && parseMAC(guid) !== 8) {
    c.report('pod/networks-json-value', ptr, `element ${i}: infiniband-guid ${show(guid)} is not an 8-byte GUID such as "c2:11:22:33:44:55:66:77" (Multus: failed to validate infiniband GUID)`, {offset: valueAt(`${ep}/infiniband-guid`) + 1})
  }
  const routes = el['default-route']
  if (Array.isArray(routes)) {
    routes.forEach((r, k) => {
      if (typeof r !== 'string') return
      const ip = parseIP(r)
      const rp = `${ep}/default-route/${k}`
      if (!ip) {
        c.report('pod/networks-default-route', ptr, `element ${i}: default-route[${k}] ${show(r)} is not an IP address (a gateway address, without a prefix length)`, {offset: valueAt(rp) + 1})
        return
      }
      if (++gateways[ip.family] === 2) {
        c.report('pod/networks-default-route', ptr, `a second IPv${ip.family} default-route gateway: at most one IPv4 and one IPv6 gateway may be given across all networks (Multus: multus does not support ECMP for default-route)`, {offset: valueAt(rp) + 1})
      }
    })
  }
  if (Array.isArray(el.portMappings)) {
    el.portMappings.forEach((m, k) => {
      const mp = `${ep}/portMappings/${k}`
      if (!isObject(m)) {
        c.report('pod/networks-json-type', ptr, `element ${i}: portMappings[${k}] is ${show(m)}; each is an object {"hostPort": 8080, "containerPort": 80}`, {offset: valueAt(mp)})
        return
      }
      for (const key of ['hostPort', 'containerPort']) {
        const v = m[key]
        if (v === undefined) continue
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) c.report('pod/networks-json-value', ptr, `element ${i}: portMappings[${k}].${key} is ${show(v)}; it must be a port number from 1 to 65535`, {offset: valueAt(`${mp}/${key}`)})
      }
      if (m.protocol !== undefined && !(typeof m.protocol === 'string' && /^(tcp|udp|sctp)$/i.test(m.protocol))) {
        c.report('pod/networks-json-value', ptr, `element ${i}: portMappings[${k}].protocol is ${show(m.protocol)}; it must be TCP, UDP or SCTP`, {offset: valueAt(`${mp}/protocol`)})
      }
    })
  }
  if (isObject(el.bandwidth)) {
    for (const [key, v] of Object.entries(el.bandwidth)) {
      if (!['ingressRate', 'ingressBurst', 'egressRate', 'egressBurst'].includes(key)) continue
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) c.report('pod/networks-json-value', ptr, `element ${i}: bandwidth.${key} is ${show(v)}; it must be a whole number of bits (per second for rates)`, {offset: valueAt(`${ep}/bandwidth/${key}`)})
    }
  }
}

/** Interface names: length, characters, reserved names, duplicates, and collisions with automatic net<N> names. */
function checkInterfaces(c: Check, ptr: string, refs: NetworkRef[], json: boolean): void {
  const seen = new Map<string, NetworkRef>()
  for (const ref of refs) {
    const name = ref.ifname
    if (name === undefined) continue
    const offset = ref.ifnameAt
    if (name.length > 15) {
      const why = json ? 'the interface cannot be created (CNI: "interface name is too long")' : `Multus refuses the annotation (${MULTUS_PARSE}parsePodNetworkObjectName: Failed to parse interface name: must be less than 15 chars and not contain '/' or spaces. interface name '${name}')`
      c.report('pod/networks-ifname-length', ptr, `interface name ${show(name)} is ${name.length} characters long; Linux allows at most 15, so ${why}`, {offset})
      continue
    }
    if (name === '.' || name === '..' || /[/:\s]/.test(name)) {
      const multus = !json && /[/\s]/.test(name) ? `Multus refuses the annotation (${MULTUS_PARSE}parsePodNetworkObjectName: Failed to parse interface name: must be less than 15 chars and not contain '/' or spaces. interface name '${name}')` : 'the interface cannot be created (CNI: "interface name contains / or : or whitespace characters")'
      c.report('pod/networks-ifname-chars', ptr, `interface name ${show(name)} ${name === '.' || name === '..' ? 'is . or ..' : "contains '/', ':' or whitespace"}; ${multus}`, {offset})
      continue
    }
    if (name === 'eth0' || name === 'lo') {
      c.report('pod/networks-ifname-reserved', ptr, `interface name ${show(name)} is already taken in every pod (${name === 'eth0' ? 'the default network' : 'the loopback'}): the attachment fails with "interface name ${name} already exists"; choose another name, e.g. net${ref.index + 1}`, {offset})
      continue
    }
    const twin = seen.get(name)
    if (twin) {
      c.report('pod/networks-ifname-duplicate', ptr, `interface name ${show(name)} is also requested by network ${twin.index + 1} (${show(twin.name)}): the second attachment fails with "interface name ${name} already exists"`, {offset})
      continue
    }
    seen.set(name, ref)
    const auto = /^net([1-9][0-9]*)$/.exec(name)
    if (auto) {
      const k = Number(auto[1]) - 1
      const other = refs[k]
      if (k !== ref.index && other && other.ifname === undefined) {
        c.report('pod/networks-ifname-collision', ptr, `interface name ${show(name)} is also the name Multus gives network ${k + 1} (${show(other.name)}), which requests no name: the two collide and the pod fails; name that network explicitly or choose another name here`, {offset})
        continue
      }
    }
    if (!DNS1123_LABEL.test(name)) {
      c.report('pod/networks-ifname-dns1123', ptr, `interface name ${show(name)} is fine for Multus, but Calico Enterprise reads the annotation with the network-attachment-definition client, which requires a DNS-1123 label: in multus mode this pod's endpoints may not be created; use e.g. ${show(toLabel(name) || 'net1')}`, {offset})
    }
  }
}

/**
 * The NetworkAttachmentDefinition must exist where Multus looks (the input counts as existing): with --cluster
 * a missing one is an error; offline, one found only in another namespace is a warning (multus#337).
 */
function deferLookup(c: Check, ptr: string, ref: NetworkRef): void {
  const {name, namespace} = ref
  const k = c.knowledge
  const inInput = k.nads.get(name)
  if (inInput?.has(namespace)) return
  const inCluster = k.cluster?.names.nads.get(name)
  if (inCluster?.has(namespace)) return
  const elsewhere = () => [...new Set([...(k.nads.get(name) ?? []), ...(k.cluster?.names.nads.get(name) ?? [])])].sort()
  const hint = (others: string[]) => (others.length > 0 ? `; there is one in namespace ${others.map((n) => `"${n}"`).join(', ')}: write "${others[0]}/${name}"` : '')
  if (k.cluster) {
    // Missing from the cluster: an error unless the input defines it further down.
    const server = k.cluster.server
    const finding = c.finding('pod/network-not-found', ptr, '', {offset: ref.nameAt})
    k.defer(`nad\n${namespace}/${name}`, finding, ({knowledge}) => {
      if (knowledge.nads.get(name)?.has(namespace)) return undefined
      return {rule: 'pod/network-not-found', message: `no NetworkAttachmentDefinition "${name}" in namespace "${namespace}" (neither in the cluster ${server} nor in the input): Multus fails with "cannot find a network-attachment-definition (${name}) in namespace (${namespace})" and the pod stays in ContainerCreating${hint(elsewhere())}`}
    })
    return
  }
  if (inInput && inInput.size > 0) {
    const others = elsewhere()
    c.report('pod/network-namespace', ptr, `NetworkAttachmentDefinition "${name}" is defined in namespace ${others.map((n) => `"${n}"`).join(', ')} in the input, but without a namespace Multus looks in the pod's namespace "${namespace}" (multus#337)${hint(others)}`, {offset: ref.nameAt})
    return
  }
  const key = `${namespace}/${name}`
  k.pendingNadRefs.set(key, (k.pendingNadRefs.get(key) ?? 0) + 1)
}

/** Calico features that only apply to eth0 (multus.md §5.3): annotations that do nothing for additional networks. */
const FEATURES: Array<[RegExp, string]> = [
  [/^cni\.projectcalico\.org\/floatingIPs$/, 'Floating IPs'],
  [/^cni\.projectcalico\.org\/ipAddrs$/, 'Specific IPs'],
  [/^cni\.projectcalico\.org\/ipAddrsNoIpam$/, 'Specific IPs'],
  [/^cni\.projectcalico\.org\/ipv[46]pools$/, 'Per-pod IP pools'],
  [/^egress\.projectcalico\.org\//, 'Egress gateways'],
]

function checkAdditionalNetworkFeatures(c: Check, annPtr: string, annotations: Record<string, unknown>, count: number): void {
  for (const key of Object.keys(annotations)) {
    const feature = FEATURES.find(([re]) => re.test(key))?.[1]
    if (!feature) continue
    const instead = feature === 'Per-pod IP pools' ? ' (pin pools per network with ipam.ipv4_pools in the NetworkAttachmentDefinition instead)' : ''
    c.report('pod/additional-network-feature', `${annPtr}/${escapePointer(key)}`, `${feature} (${key}) apply to the default interface eth0 only: Calico does not support them on additional networks, so ${count === 1 ? "the pod's additional network gets" : `the pod's ${count} additional networks get`} none of it${instead}`, {atKey: true})
  }
}

/** With --cluster: the endpoints this pod (or each pod of the template) will have, for selector checks. */
function collectEndpoints(c: Check, meta: Record<string, unknown>, spec: unknown): void {
  const ns = c.resource.namespace ?? c.settings.defaultNamespace
  const pod: KubeObject = {
    metadata: {name: typeof meta.name === 'string' && meta.name ? meta.name : 'pod', namespace: ns, labels: isObject(meta.labels) ? (meta.labels as Record<string, string>) : {}, annotations: isObject(meta.annotations) ? (meta.annotations as Record<string, string>) : {}},
    spec: {nodeName: 'node', serviceAccountName: isObject(spec) && typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default'},
  }
  try {
    for (const wep of podToWorkloadEndpoints(pod, {mode: c.settings.mode}).endpoints) c.knowledge.addEndpoint(ns, wep.metadata.labels ?? {})
  } catch {
    // a pod the converter cannot read has findings of its own
  }
}
