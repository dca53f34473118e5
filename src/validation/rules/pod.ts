import {isJsonObject} from '../../core/go-json.js'
import {
  ELEMENT_KEYS,
  NETWORKS_ANNOTATION,
  parseNetworksAnnotation,
  type NetworkSelection,
  type NetworksParse,
  type NetworksProblem,
} from '../../multus/annotations.js'
import {MAX_ADDITIONAL_INTERFACES, podToWorkloadEndpoints, LIMIT_MESSAGE} from '../../workloadendpoints/convert.js'
import type {KubeObject} from '../../kube/types.js'
import {at, type Check} from '../context.js'
import {parseIP, parseMAC} from '../../core/net.js'
import {DNS1123_LABEL, didYouMean, escapePointer, labelProblem, show, subdomainProblem, toLabel} from '../text.js'
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
    if (!isJsonObject(meta)) return
    const annotations = isJsonObject(meta.annotations) ? meta.annotations : undefined
    const annPtr = `${template}/metadata/annotations`
    const refs =
      annotations && Object.hasOwn(annotations, NETWORKS_ANNOTATION)
        ? checkNetworks(c, `${annPtr}/${escapePointer(NETWORKS_ANNOTATION)}`, annotations[NETWORKS_ANNOTATION])
        : []
    if (annotations && refs.length > 0) checkAdditionalNetworkFeatures(c, annPtr, annotations, refs.length)
    if (c.settings.cluster) collectEndpoints(c, meta, at(o, `${template}/spec`))
  },
}

/** One network the annotation asks for. */
interface NetworkRef {
  index: number
  name: string
  namespace: string
  /** The element names its namespace: where Multus looks is not a guess. */
  namespaceGiven: boolean
  ifname?: string
  /** Where it is written: its offsets are read when a finding needs one (the JSON form scans for them then). */
  selection: NetworkSelection
  /** Worth looking up (a valid name that Multus would look for). */
  lookup: boolean
}

/** The networks annotation: returns the networks it asks for (also when some are broken). */
function checkNetworks(c: Check, ptr: string, value: unknown): NetworkRef[] {
  if (typeof value !== 'string') {
    const form = Array.isArray(value) ? 'a YAML list' : isJsonObject(value) ? 'a YAML mapping' : show(value)
    c.report(
      'pod/networks-parse',
      ptr,
      `the ${NETWORKS_ANNOTATION} annotation is ${form}, but annotation values are strings: ` +
        `quote it, e.g. '[{"name": "net-a"}]' or 'net-a,net-b'`,
    )
    return []
  }
  const podNs = c.resource.namespace ?? c.settings.defaultNamespace
  // The one reading of the annotation, shared with `get wep` (src/multus/annotations.ts).
  const parse = parseNetworksAnnotation(value, podNs)
  for (const problem of parse.problems) reportProblem(c, ptr, problem, podNs)
  const blocked = new Set(parse.problems.filter((p) => p.code !== 'json-unknown-key').map((p) => p.element))
  const refs = parse.selections.map((s): NetworkRef => ({
    index: s.index,
    name: s.name,
    namespace: s.namespace,
    namespaceGiven: s.namespaceGiven,
    ifname: s.interface,
    selection: s,
    lookup: s.name !== '' && !blocked.has(s.index),
  }))
  if (parse.form === 'json') checkJsonValues(c, ptr, parse)
  checkInterfaces(c, ptr, refs)
  if (refs.length > MAX_ADDITIONAL_INTERFACES) {
    const first = refs[MAX_ADDITIONAL_INTERFACES]
    c.report(
      'pod/networks-limit',
      ptr,
      `the pod asks for ${refs.length} additional networks; Calico Enterprise allows at ` +
        `most ${MAX_ADDITIONAL_INTERFACES} ("${LIMIT_MESSAGE}"), so in a cluster with multiInterfaceMode ` +
        `Multus the pod fails to start: remove ${refs.length - MAX_ADDITIONAL_INTERFACES}`,
      {offset: first.selection.offset},
    )
  }
  for (const ref of refs) {
    if (ref.ifname) c.knowledge.requestedIfnames.add(ref.ifname)
    if (ref.lookup) deferLookup(c, ptr, ref)
  }
  return refs
}

/** One coded problem of the shared parser, as a finding with what Multus says and what to write instead. */
function reportProblem(c: Check, ptr: string, p: NetworksProblem, podNs: string): void {
  const offset = {offset: p.offset}
  const el = `element ${p.element}`
  switch (p.code) {
    case 'annotation-empty':
      return c.report(
        'pod/networks-parse',
        ptr,
        `the ${NETWORKS_ANNOTATION} annotation is empty: Multus refuses it (${p.multus}); ` +
          `name a network or remove the annotation`,
      )
    case 'item-empty':
      return c.report(
        'pod/networks-parse',
        ptr,
        `item ${p.element! + 1} is empty (a ${p.detail} ','): Multus looks for a NetworkAttachmentDefinition ` +
          `named "" and the pod fails ("cannot find a network-attachment-definition () in namespace ` +
          `(${podNs}): resource name may not be empty"); remove the extra ','`,
        offset,
      )
    case 'item-slashes':
      return c.report(
        'pod/networks-parse',
        ptr,
        `${show(p.text)} has more than one '/': Multus refuses the annotation (${p.multus}); ` +
          `write namespace/name@interface`,
        offset,
      )
    case 'item-ats':
      return c.report(
        'pod/networks-parse',
        ptr,
        `${show(p.text)} has more than one '@': Multus refuses the annotation (${p.multus}); write name@interface`,
        offset,
      )
    case 'item-not-dns1123':
      return reportNotDns1123(c, ptr, p)
    case 'item-no-name':
      return c.report(
        'pod/networks-parse',
        ptr,
        `${show(p.text)} names no network before ${p.detail === 'at' ? "'@'" : 'the end'}: ` +
          `Multus looks for a NetworkAttachmentDefinition named "" and the pod fails; write ` +
          `name@interface`,
        offset,
      )
    case 'item-ifname':
      return reportIfname(c, ptr, p)
    default:
      return reportJsonProblem(c, ptr, p, el)
  }
}

function reportJsonProblem(c: Check, ptr: string, p: NetworksProblem, el: string): void {
  const offset = {offset: p.offset}
  switch (p.code) {
    case 'json-syntax':
      return c.report(
        'pod/networks-parse',
        ptr,
        `the JSON form of ${NETWORKS_ANNOTATION} is not valid JSON: ${p.detail}; Multus refuses ` +
          `the annotation (${p.multus})`,
        offset,
      )
    case 'json-not-list':
      return c.report(
        'pod/networks-parse',
        ptr,
        `the JSON form must be a list of objects${p.detail === 'object' ? ': wrap the object in [ ]' : ''}; ` +
          `Multus refuses the annotation (${p.multus})`,
        offset,
      )
    case 'json-element-type':
      return c.report(
        'pod/networks-json-type',
        ptr,
        `${el} is ${show(JSON.parse(p.text!))}; each element is an object such as {"name": "net-a"} (${p.multus})`,
        offset,
      )
    case 'json-field-type': {
      const want = p.goType === 'string' ? 'a string' : p.goType!.startsWith('[]') ? 'a list' : 'an object'
      const hint = typeof p.value === 'string' && want === 'a list' ? ` (write [${show(p.value)}])` : ''
      return c.report(
        'pod/networks-json-type',
        ptr,
        `${el}: ${show(p.text)} is ${show(p.value)}; it must be ${want}${hint} (${p.multus})`,
        offset,
      )
    }
    case 'json-unknown-key':
      if (p.text!.includes('.') || p.text!.includes('/')) return
      return c.report(
        'pod/networks-json-unknown-key',
        ptr,
        `${el} has the key ${show(p.text)}, which Multus does not know and ignores${didYouMean(p.text!, Object.keys(ELEMENT_KEYS))} ` +
          `(un-namespaced keys are reserved; extensions use reverse-DNS keys)`,
        offset,
      )
    default:
      return reportJsonValueProblem(c, ptr, p, el)
  }
}

/** A JSON-form element's name, namespace, mac, infiniband-guid or ips that Multus refuses. */
function reportJsonValueProblem(c: Check, ptr: string, p: NetworksProblem, el: string): void {
  switch (p.code) {
    case 'json-no-name':
    case 'json-namespaced-name':
    case 'json-name':
    case 'json-namespace':
      return reportJsonNameProblem(c, ptr, p, el)
    case 'mac':
    case 'infiniband-guid':
    case 'ips':
      return reportJsonAddressProblem(c, ptr, p, el)
    default:
      return
  }
}

/** The element names no NetworkAttachmentDefinition, or names one in a way Multus does not read. */
function reportJsonNameProblem(c: Check, ptr: string, p: NetworksProblem, el: string): void {
  const offset = {offset: p.offset}
  switch (p.code) {
    case 'json-no-name':
      return c.report(
        'pod/networks-name',
        ptr,
        `${el} has no "name": name the NetworkAttachmentDefinition, e.g. {"name": "net-a"}; ` +
          `Multus fails to find a network named ""`,
        offset,
      )
    case 'json-namespaced-name': {
      const name = p.text!
      const [ns, n] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)]
      return c.report(
        'pod/networks-namespaced-name',
        ptr,
        `${el}: "name": ${show(name)} is not split into namespace and name in the JSON form ` +
          `(multus#705); Multus looks for a NetworkAttachmentDefinition literally named ${show(name)}: ` +
          `write {"name": ${show(n)}, "namespace": ${show(ns)}}`,
        offset,
      )
    }
    case 'json-name':
      return c.report(
        'pod/networks-name',
        ptr,
        `${el}: ${show(p.text)} cannot be a NetworkAttachmentDefinition name: ${subdomainProblem(p.text!)}`,
        offset,
      )
    case 'json-namespace':
      return c.report(
        'pod/networks-name',
        ptr,
        `${el}: namespace ${show(p.text)} is not a valid namespace name: ${labelProblem(p.text!)}`,
        offset,
      )
    default:
      return
  }
}

/** A mac, infiniband-guid or ips value Multus cannot parse. */
function reportJsonAddressProblem(c: Check, ptr: string, p: NetworksProblem, el: string): void {
  const offset = {offset: p.offset}
  switch (p.code) {
    case 'mac':
      return c.report(
        'pod/networks-mac',
        ptr,
        `${el}: mac ${show(p.text)} is not a MAC address (Multus: ${p.multus}); write e.g. "02:23:45:67:89:01"`,
        offset,
      )
    case 'infiniband-guid':
      return c.report(
        'pod/networks-json-value',
        ptr,
        `${el}: infiniband-guid ${show(p.text)} is not an 8-byte GUID such as "c2:11:22:33:44:55:66:77" ` +
          `(Multus: ${p.multus})`,
        offset,
      )
    case 'ips':
      return c.report(
        'pod/networks-ips',
        ptr,
        `${el}: ips[${p.field}] ${show(p.text)} is not an IP address or CIDR (Multus: ${p.multus}); ` +
          `write e.g. "10.1.1.11/24"`,
        offset,
      )
    default:
      return
  }
}

function reportNotDns1123(c: Check, ptr: string, p: NetworksProblem): void {
  const part = p.text!
  const fix = toLabel(part)
  const dotted = p.detail === 'name' && part.includes('.') && subdomainProblem(part) === undefined
  const hint = dotted
    ? `; a name with dots can only be given in the JSON form: [{"name": "${part}"}]`
    : fix && fix !== part
      ? `; did you mean "${fix}"?`
      : ''
  return c.report(
    'pod/networks-parse',
    ptr,
    `network ${p.detail} ${show(part)} is not a DNS-1123 label, so Multus refuses the annotation (${p.multus})${hint}`,
    {offset: p.offset},
  )
}

function reportIfname(c: Check, ptr: string, p: NetworksProblem): void {
  const name = p.text!
  const rule = name.length > 15 ? 'pod/networks-ifname-length' : 'pod/networks-ifname-chars'
  const what =
    name.length > 15
      ? `is ${name.length} characters long; Linux allows at most 15, so`
      : "contains '/', ':' or whitespace;"
  return c.report(rule, ptr, `interface name ${show(name)} ${what} Multus refuses the annotation (${p.multus})`, {
    offset: p.offset,
  })
}

/** Values Multus decodes but the CNI runtime or the spec refuse: GUID length, gateways, port mappings, bandwidth. */
function checkJsonValues(c: Check, ptr: string, parse: NetworksParse): void {
  const gateways: Record<4 | 6, number> = {4: 0, 6: 0}
  for (const s of parse.selections) {
    const el = s.json ?? {}
    const i = s.index
    const at = (path: string) => ({offset: (parse.offsetOf?.(i, path) ?? s.offset) + 1})
    if (
      Array.isArray(el.ips) &&
      el.ips.length > 0 &&
      typeof el['ipam-claim-reference'] === 'string' &&
      el['ipam-claim-reference'] !== ''
    ) {
      c.report(
        'pod/networks-ips-claim',
        ptr,
        `element ${i} sets both "ips" and "ipam-claim-reference"; the multi-network spec ` +
          `makes that an error: use one of them`,
        {offset: at('ipam-claim-reference').offset - 1},
      )
    }
    const guid = el['infiniband-guid']
    if (typeof guid === 'string' && parseMAC(guid) !== undefined && parseMAC(guid) !== 8) {
      c.report(
        'pod/networks-json-value',
        ptr,
        `element ${i}: infiniband-guid ${show(guid)} is not an 8-byte GUID such as "c2:11:22:33:44:55:66:77" ` +
          `(the InfiniBand CNI cannot set it)`,
        at('infiniband-guid'),
      )
    }
    checkDefaultRoutes(c, ptr, el, i, at, gateways)
    checkPortMappings(c, ptr, el, i, (path) => ({offset: at(path).offset - 1}))
    if (isJsonObject(el.bandwidth)) {
      for (const [key, v] of Object.entries(el.bandwidth)) {
        if (!['ingressRate', 'ingressBurst', 'egressRate', 'egressBurst'].includes(key)) continue
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          c.report(
            'pod/networks-json-value',
            ptr,
            `element ${i}: bandwidth.${key} is ${show(v)}; it must be a whole number of bits (per second for rates)`,
            {offset: at(`bandwidth/${key}`).offset - 1},
          )
      }
    }
  }
}

type At = (path: string) => {offset: number}

function checkDefaultRoutes(
  c: Check,
  ptr: string,
  el: Record<string, unknown>,
  i: number,
  at: At,
  gateways: Record<4 | 6, number>,
): void {
  const routes = el['default-route']
  if (!Array.isArray(routes)) return
  routes.forEach((r, k) => {
    if (typeof r !== 'string') return
    const ip = parseIP(r)
    if (!ip) {
      c.report(
        'pod/networks-default-route',
        ptr,
        `element ${i}: default-route[${k}] ${show(r)} is not an IP address (a gateway address, ` +
          `without a prefix length)`,
        at(`default-route/${k}`),
      )
      return
    }
    if (++gateways[ip.family] === 2) {
      c.report(
        'pod/networks-default-route',
        ptr,
        `a second IPv${ip.family} default-route gateway: at most one IPv4 and one IPv6 gateway ` +
          `may be given across all networks (Multus: multus does not support ECMP for default-route)`,
        at(`default-route/${k}`),
      )
    }
  })
}

function checkPortMappings(c: Check, ptr: string, el: Record<string, unknown>, i: number, at: At): void {
  if (!Array.isArray(el.portMappings)) return
  el.portMappings.forEach((m, k) => {
    const mp = `portMappings/${k}`
    if (!isJsonObject(m)) {
      c.report(
        'pod/networks-json-type',
        ptr,
        `element ${i}: portMappings[${k}] is ${show(m)}; each is an object {"hostPort": 8080, "containerPort": 80}`,
        at(mp),
      )
      return
    }
    for (const key of ['hostPort', 'containerPort']) {
      const v = m[key]
      if (v === undefined) continue
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535)
        c.report(
          'pod/networks-json-value',
          ptr,
          `element ${i}: portMappings[${k}].${key} is ${show(v)}; it must be a port number from 1 to 65535`,
          at(`${mp}/${key}`),
        )
    }
    if (m.protocol !== undefined && !(typeof m.protocol === 'string' && /^(tcp|udp|sctp)$/i.test(m.protocol))) {
      c.report(
        'pod/networks-json-value',
        ptr,
        `element ${i}: portMappings[${k}].protocol is ${show(m.protocol)}; it must be TCP, UDP or SCTP`,
        at(`${mp}/protocol`),
      )
    }
  })
}

/** Interface names: length, characters, reserved names, duplicates, and collisions with automatic net<N> names. */
function checkInterfaces(c: Check, ptr: string, refs: NetworkRef[]): void {
  const seen = new Map<string, NetworkRef>()
  for (const ref of refs) {
    const name = ref.ifname
    if (name === undefined || reportUncreatableIfname(c, ptr, ref, name)) continue
    const twin = seen.get(name)
    if (twin) {
      c.report(
        'pod/networks-ifname-duplicate',
        ptr,
        `interface name ${show(name)} is also requested by network ${twin.index + 1} (${show(twin.name)}): ` +
          `the second attachment fails with "interface name ${name} already exists"`,
        {offset: ref.selection.interfaceOffset},
      )
      continue
    }
    seen.set(name, ref)
    if (reportAutomaticNameCollision(c, ptr, ref, name, refs)) continue
    if (!DNS1123_LABEL.test(name)) {
      c.report(
        'pod/networks-ifname-dns1123',
        ptr,
        `interface name ${show(name)} is fine for Multus, but Calico Enterprise reads the ` +
          `annotation with the network-attachment-definition client, which requires a DNS-1123 ` +
          `label: in multus mode this pod's endpoints may not be created; use e.g. ${show(toLabel(name) || 'net1')}`,
        {offset: ref.selection.interfaceOffset},
      )
    }
  }
}

/**
 * A name the interface cannot get (too long, bad characters, eth0/lo): reported, true. Names Multus itself
 * refuses (the short form: longer than 15, '/' or blanks) come from the parser; these fail when the CNI plugin
 * creates the interface.
 */
function reportUncreatableIfname(c: Check, ptr: string, ref: NetworkRef, name: string): boolean {
  if (name.length > 15) {
    const why = 'the interface cannot be created (CNI: "interface name is too long")'
    c.report(
      'pod/networks-ifname-length',
      ptr,
      `interface name ${show(name)} is ${name.length} characters long; Linux allows at most 15, so ${why}`,
      {offset: ref.selection.interfaceOffset},
    )
    return true
  }
  if (name === '.' || name === '..' || /[/:\s]/.test(name)) {
    const why = 'the interface cannot be created (CNI: "interface name contains / or : or whitespace characters")'
    c.report(
      'pod/networks-ifname-chars',
      ptr,
      `interface name ${show(name)} ${name === '.' || name === '..' ? 'is . or ..' : "contains '/', ':' or whitespace"}; ` +
        `${why}`,
      {offset: ref.selection.interfaceOffset},
    )
    return true
  }
  if (name === 'eth0' || name === 'lo') {
    c.report(
      'pod/networks-ifname-reserved',
      ptr,
      `interface name ${show(name)} is already taken in every pod (${name === 'eth0' ? 'the default network' : 'the loopback'}): ` +
        `the attachment fails with "interface name ${name} already exists"; choose another ` +
        `name, e.g. net${ref.index + 1}`,
      {offset: ref.selection.interfaceOffset},
    )
    return true
  }
  return false
}

/** `net<N>` requested while network N requests no name, so Multus names it net<N> too: reported, true. */
function reportAutomaticNameCollision(
  c: Check,
  ptr: string,
  ref: NetworkRef,
  name: string,
  refs: NetworkRef[],
): boolean {
  const auto = /^net([1-9][0-9]*)$/.exec(name)
  if (!auto) return false
  const k = Number(auto[1]) - 1
  const other = refs[k]
  if (k === ref.index || !other || other.ifname !== undefined) return false
  c.report(
    'pod/networks-ifname-collision',
    ptr,
    `interface name ${show(name)} is also the name Multus gives network ${k + 1} (${show(other.name)}), ` +
      `which requests no name: the two collide and the pod fails; name that network explicitly ` +
      `or choose another name here`,
    {offset: ref.selection.interfaceOffset},
  )
  return true
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
  // Offline, most references make no message (the closures below are for the ones that do).
  if (!k.cluster && (ref.namespaceGiven || !(inInput && inInput.size > 0))) {
    if (!ref.namespaceGiven) countPendingRef(k, `${namespace}/${name}`)
    return
  }
  const elsewhere = () => [...new Set([...(k.nads.get(name) ?? []), ...(k.cluster?.names.nads.get(name) ?? [])])].sort()
  const hint = (others: string[]) =>
    others.length > 0
      ? `; there is one in namespace ${others.map((n) => `"${n}"`).join(', ')}: write "${others[0]}/${name}"`
      : ''
  if (k.cluster) {
    // Missing from the cluster: an error unless the input defines it further down.
    const server = k.cluster.server
    const finding = c.finding('pod/network-not-found', ptr, '', {offset: ref.selection.nameOffset})
    k.defer(`nad\n${namespace}/${name}`, finding, ({knowledge}) => {
      if (knowledge.nads.get(name)?.has(namespace)) return undefined
      return {
        rule: 'pod/network-not-found',
        message:
          `no NetworkAttachmentDefinition "${name}" in namespace "${namespace}" (neither in ` +
          `the cluster ${server} nor in the input): Multus fails with "cannot find a network-attachment-definition ` +
          `(${name}) in namespace (${namespace})" and the pod stays in ContainerCreating${hint(elsewhere())}`,
      }
    })
    return
  }
  // A namespace written in the annotation is where Multus looks: offline there is nothing to second-guess (the
  // NetworkAttachmentDefinition may well be in the cluster); the multus#337 hint is for names without one.
  if (ref.namespaceGiven) return
  if (inInput && inInput.size > 0) {
    const others = elsewhere()
    c.report(
      'pod/network-namespace',
      ptr,
      `NetworkAttachmentDefinition "${name}" is defined in namespace ${others.map((n) => `"${n}"`).join(', ')} ` +
        `in the input, but without a namespace Multus looks in the pod's namespace "${namespace}" ` +
        `(multus#337)${hint(others)}`,
      {offset: ref.selection.nameOffset},
    )
    return
  }
  countPendingRef(k, `${namespace}/${name}`)
}

/** A reference to a NetworkAttachmentDefinition that may come later in the input (counted, not located). */
function countPendingRef(k: Check['knowledge'], key: string): void {
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

function checkAdditionalNetworkFeatures(
  c: Check,
  annPtr: string,
  annotations: Record<string, unknown>,
  count: number,
): void {
  for (const key of Object.keys(annotations)) {
    // Every feature key is under projectcalico.org/: most annotations are settled without the RegExps.
    if (!key.includes('projectcalico.org/')) continue
    const feature = FEATURES.find(([re]) => re.test(key))?.[1]
    if (!feature) continue
    const instead =
      feature === 'Per-pod IP pools'
        ? ' (pin pools per network with ipam.ipv4_pools in the NetworkAttachmentDefinition instead)'
        : ''
    c.report(
      'pod/additional-network-feature',
      `${annPtr}/${escapePointer(key)}`,
      `${feature} (${key}) apply to the default interface eth0 only: Calico does not support ` +
        `them on additional networks, so ${count === 1 ? "the pod's additional network gets" : `the pod's ${count} additional networks get`} ` +
        `none of it${instead}`,
      {atKey: true},
    )
  }
}

/** With --cluster: the endpoints this pod (or each pod of the template) will have, for selector checks. */
function collectEndpoints(c: Check, meta: Record<string, unknown>, spec: unknown): void {
  const ns = c.resource.namespace ?? c.settings.defaultNamespace
  const pod: KubeObject = {
    metadata: {
      name: typeof meta.name === 'string' && meta.name ? meta.name : 'pod',
      namespace: ns,
      labels: isJsonObject(meta.labels) ? (meta.labels as Record<string, string>) : {},
      annotations: isJsonObject(meta.annotations) ? (meta.annotations as Record<string, string>) : {},
    },
    spec: {
      nodeName: 'node',
      serviceAccountName:
        isJsonObject(spec) && typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default',
    },
  }
  try {
    for (const wep of podToWorkloadEndpoints(pod, {mode: c.settings.mode}).endpoints)
      c.knowledge.addEndpoint(ns, wep.metadata.labels ?? {})
  } catch {
    // a pod the converter cannot read has findings of its own
  }
}
