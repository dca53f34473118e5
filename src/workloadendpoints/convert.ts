import type {KubeObject} from '../kube/types.js'
import {
  NETWORKS_ANNOTATION,
  parseNetworksAnnotation,
  readNetworkStatus,
  type NetworksParse,
} from '../multus/annotations.js'
import {HostInterfaceNames, WorkloadEndpointNames} from './names.js'

/**
 * Pods → WorkloadEndpoints, as Calico's Kubernetes-datastore converter derives them
 * (libcalico-go conversion/workload_endpoint_default.go, and the Enterprise multus converter for multus mode).
 * Pure: objects in, objects out. Upstream: projectcalico/calico libcalico-go/lib/backend/k8s/conversion/
 * workload_endpoint_default.go and libcalico-go/lib/names/workloadendpoint.go; for multus mode a public copy of the
 * Enterprise converter, tomastigera/project-calico-calico libcalico-go/lib/backend/k8s/conversion/
 * workload_endpoint_multus.go.
 */

export type MultiInterfaceMode = 'none' | 'multus'

export interface ConvertOptions {
  mode: MultiInterfaceMode
  /** Felix's veth prefix (FELIX_INTERFACEPREFIX), `cali` by default. */
  interfacePrefix?: string
  /**
   * `columns`: only what the table and name printers show (name, namespace, pod, node, networks, interface names,
   * profiles, NATs), for outputs that print nothing else; labels, annotations, ports and the rest are not built.
   * Default `full`: the whole endpoint, as Calico's converter makes it.
   */
  detail?: EndpointDetail
}

export type EndpointDetail = 'full' | 'columns'

export interface WorkloadEndpointPort {
  name: string
  protocol: string
  port: number
  hostPort: number
  hostIP: string
}

export interface WorkloadEndpoint extends KubeObject {
  apiVersion: 'projectcalico.org/v3'
  kind: 'WorkloadEndpoint'
  spec: {
    orchestrator: 'k8s'
    node: string
    containerID?: string
    pod: string
    endpoint: string
    serviceAccountName?: string
    ipNetworks?: string[]
    ipNATs?: Array<{internalIP: string; externalIP: string}>
    profiles: string[]
    interfaceName: string
    ports?: WorkloadEndpointPort[]
    allowSpoofedSourcePrefixes?: string[]
  }
}

export interface ConvertResult {
  endpoints: WorkloadEndpoint[]
  /** Why this pod yields no endpoints although it should (Calico's converter would fail on it too). */
  error?: string
}

export const MAX_ADDITIONAL_INTERFACES = 9
export const LIMIT_MESSAGE = 'a maximum of 9 additional interfaces is allowed on a pod'
const DEFAULT_NETWORK = 'k8s-pod-network'

const LABEL_NAMESPACE = 'projectcalico.org/namespace'
const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator'
const LABEL_SERVICEACCOUNT = 'projectcalico.org/serviceaccount'
export const LABEL_NETWORK = 'projectcalico.org/network'
export const LABEL_NETWORK_NAMESPACE = 'projectcalico.org/network-namespace'
export const LABEL_NETWORK_INTERFACE = 'projectcalico.org/network-interface'

/** IsValidCalicoWorkloadEndpoint: scheduled and not host-networked. */
function hasWorkloadEndpoints(pod: KubeObject): boolean {
  return Boolean(pod.spec?.nodeName) && pod.spec?.hostNetwork !== true
}

function isFinished(pod: KubeObject): boolean {
  const phase = pod.status?.phase
  if (phase === 'Failed' || phase === 'Succeeded' || phase === 'Completed') return true
  const ann = pod.metadata.annotations ?? {}
  return (
    Boolean(pod.metadata.deletionTimestamp) &&
    (ann['cni.projectcalico.org/podIP'] === '' || ann['vpc.amazonaws.com/pod-ips'] === '')
  )
}

interface PodInterface {
  network: string
  networkNamespace: string
  inPodName: string
  /** Position used for the host-side name (0 = the default interface). */
  index: number
  ips: string[]
}

export function podToWorkloadEndpoints(pod: KubeObject, options: ConvertOptions): ConvertResult {
  if (!hasWorkloadEndpoints(pod)) return {endpoints: []}
  const namespace = pod.metadata.namespace ?? 'default'
  const podName = pod.metadata.name ?? ''
  const finished = isFinished(pod)
  const podIPs = finished ? [] : podIPNetworks(pod)
  const multus = options.mode === 'multus'
  let interfaces: PodInterface[]
  if (multus) {
    const found = multusInterfaces(pod, namespace, podIPs)
    if (typeof found === 'string') return {endpoints: [], error: found}
    interfaces = found
  } else {
    interfaces = [{network: DEFAULT_NETWORK, networkNamespace: namespace, inPodName: 'eth0', index: 0, ips: podIPs}]
  }
  const prefix = options.interfacePrefix ?? 'cali'
  const columnsOnly = options.detail === 'columns'
  const shared = columnsOnly ? podColumns(pod, namespace, podName, prefix) : podShared(pod, namespace, podName, prefix)
  const endpoints: WorkloadEndpoint[] = []
  let names: WorkloadEndpointNames
  try {
    names = new WorkloadEndpointNames(pod.spec.nodeName, podName)
  } catch (error) {
    return {endpoints: [], error: (error as Error).message}
  }
  for (const iface of interfaces) {
    let name: string
    try {
      name = names.of(iface.inPodName)
    } catch (error) {
      return {endpoints: [], error: (error as Error).message}
    }
    endpoints.push(
      columnsOnly
        ? columnsEndpoint(pod, shared, name, iface, finished)
        : buildEndpoint(pod, shared, name, iface, finished, multus),
    )
  }
  return {endpoints}
}

/**
 * What every endpoint of one pod has in common, worked out once per pod rather than once per interface:
 * the hash behind the host-side names, profiles, ports and the labels before the per-interface ones.
 * Endpoints of a pod share these arrays and the annotations object; nothing downstream mutates them.
 */
interface PodShared {
  namespace: string
  serviceAccount: string | undefined
  labels: Record<string, string>
  annotations: Record<string, string> | undefined
  profiles: string[]
  ports: WorkloadEndpointPort[]
  names: HostInterfaceNames
}

function podShared(pod: KubeObject, namespace: string, podName: string, prefix: string): PodShared {
  const ann = pod.metadata.annotations ?? {}
  const sa: string | undefined = pod.spec?.serviceAccountName || undefined
  // Copied key by key: an object spread with computed keys after it made slow dictionary-mode objects.
  const labels: Record<string, string> = {}
  const own = pod.metadata.labels
  for (const key in own) labels[key] = own[key]
  labels[LABEL_NAMESPACE] = namespace
  labels[LABEL_ORCHESTRATOR] = 'k8s'
  if (sa && sa.length < 63) labels[LABEL_SERVICEACCOUNT] = sa
  const status = ann['k8s.v1.cni.cncf.io/network-status']
  return {
    namespace,
    serviceAccount: sa,
    labels,
    annotations: status ? {'k8s.v1.cni.cncf.io/network-status': status} : undefined,
    profiles: sa ? [`kns.${namespace}`, `ksa.${namespace}.${sa}`] : [`kns.${namespace}`],
    ports: podPorts(pod),
    names: new HostInterfaceNames(namespace, podName, prefix),
  }
}

/** The part of PodShared the columns read: no labels, annotations or ports are copied. */
function podColumns(pod: KubeObject, namespace: string, podName: string, prefix: string): PodShared {
  const sa: string | undefined = pod.spec?.serviceAccountName || undefined
  return {
    namespace,
    serviceAccount: sa,
    labels: {},
    annotations: undefined,
    profiles: sa ? [`kns.${namespace}`, `ksa.${namespace}.${sa}`] : [`kns.${namespace}`],
    ports: [],
    names: new HostInterfaceNames(namespace, podName, prefix),
  }
}

/** An endpoint with the fields the table and name printers read, each with the value buildEndpoint gives it. */
function columnsEndpoint(
  pod: KubeObject,
  shared: PodShared,
  name: string,
  iface: PodInterface,
  finished: boolean,
): WorkloadEndpoint {
  const spec = {orchestrator: 'k8s', node: pod.spec.nodeName} as WorkloadEndpoint['spec']
  spec.pod = pod.metadata.name ?? ''
  spec.endpoint = iface.inPodName
  if (iface.ips.length > 0) spec.ipNetworks = iface.ips
  if (iface.index === 0 && !finished) {
    const nats = floatingIPNATs(pod.metadata.annotations?.['cni.projectcalico.org/floatingIPs'], iface.ips)
    if (nats.length > 0) spec.ipNATs = nats
  }
  spec.profiles = shared.profiles
  spec.interfaceName = shared.names.at(iface.index)
  const metadata = {name, namespace: shared.namespace}
  return {apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata, spec} as WorkloadEndpoint
}

function endpointLabels(shared: PodShared, iface: PodInterface, multus: boolean): Record<string, string> {
  if (!multus) return shared.labels
  const labels: Record<string, string> = {}
  const base = shared.labels
  for (const key in base) labels[key] = base[key]
  labels[LABEL_NETWORK] = iface.network
  labels[LABEL_NETWORK_NAMESPACE] = iface.networkNamespace
  labels[LABEL_NETWORK_INTERFACE] = iface.inPodName
  return labels
}

function buildEndpoint(
  pod: KubeObject,
  shared: PodShared,
  name: string,
  iface: PodInterface,
  finished: boolean,
  multus: boolean,
): WorkloadEndpoint {
  const ann = pod.metadata.annotations ?? {}
  const pm = pod.metadata
  const metadata: KubeObject['metadata'] = {name}
  if (pm.generateName) metadata.generateName = pm.generateName
  metadata.namespace = shared.namespace
  if (pm.uid) metadata.uid = pm.uid
  if (pm.resourceVersion) metadata.resourceVersion = pm.resourceVersion
  if (pm.creationTimestamp) metadata.creationTimestamp = pm.creationTimestamp
  metadata.labels = endpointLabels(shared, iface, multus)
  if (shared.annotations) metadata.annotations = shared.annotations

  const spec = {orchestrator: 'k8s', node: pod.spec.nodeName} as WorkloadEndpoint['spec']
  if (ann['cni.projectcalico.org/containerID']) spec.containerID = ann['cni.projectcalico.org/containerID']
  spec.pod = pm.name ?? ''
  spec.endpoint = iface.inPodName
  if (shared.serviceAccount) spec.serviceAccountName = shared.serviceAccount
  if (iface.ips.length > 0) spec.ipNetworks = iface.ips
  // Floating IPs and the like are features of the default interface only (multus.md §5.3).
  if (iface.index === 0 && !finished) {
    const nats = floatingIPNATs(ann['cni.projectcalico.org/floatingIPs'], iface.ips)
    if (nats.length > 0) spec.ipNATs = nats
  }
  spec.profiles = shared.profiles
  spec.interfaceName = shared.names.at(iface.index)
  if (shared.ports.length > 0) spec.ports = shared.ports
  if (iface.index === 0) {
    const spoof = jsonStringList(ann['cni.projectcalico.org/allowedSourcePrefixes'])
    if (spoof.length > 0) spec.allowSpoofedSourcePrefixes = spoof
  }
  return {apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata, spec} as WorkloadEndpoint
}

// The pods of one workload carry the same networks annotation: each distinct value is parsed once.
const networksCache = new Map<string, NetworksParse>()

function parsedNetworks(value: string, namespace: string): NetworksParse {
  const key = `${namespace}\u0000${value}`
  let parsed = networksCache.get(key)
  if (parsed === undefined) {
    if (networksCache.size >= 1000) networksCache.clear()
    parsed = parseNetworksAnnotation(value, namespace)
    networksCache.set(key, parsed)
  }
  return parsed
}

/** A pod's interfaces in multus mode: from network-status when Multus wrote it, else from the networks annotation. */
function multusInterfaces(pod: KubeObject, namespace: string, podIPs: string[]): PodInterface[] | string {
  const ann = pod.metadata.annotations ?? {}
  const networksValue = ann[NETWORKS_ANNOTATION]
  const networks = networksValue !== undefined ? parsedNetworks(networksValue, namespace) : undefined
  if (networks && networks.selections.length > MAX_ADDITIONAL_INTERFACES) return LIMIT_MESSAGE
  const statuses = readNetworkStatus(ann)
  if (statuses && statuses.length > 0) {
    if (statuses.length > MAX_ADDITIONAL_INTERFACES + 1) return LIMIT_MESSAGE
    const finished = isFinished(pod)
    const result: PodInterface[] = [
      {
        network: statuses[0].name || DEFAULT_NETWORK,
        networkNamespace: namespace,
        inPodName: statuses[0].interface || 'eth0',
        index: 0,
        ips: podIPs,
      },
    ]
    for (let i = 1; i < statuses.length; i++) {
      const s = statuses[i]
      if (!s.interface) continue
      const requested = networks?.selections.find((n) => n.interface === s.interface)
      // Multus ≥ 3.6 writes "<namespace>/<nad>"; a label value cannot hold '/', so the name is split.
      const slash = s.name.indexOf('/')
      const nsFromName = slash === -1 ? undefined : s.name.slice(0, slash)
      result.push({
        network: slash === -1 ? s.name : s.name.slice(slash + 1),
        networkNamespace: requested?.namespace ?? nsFromName ?? namespace,
        inPodName: s.interface,
        index: i,
        ips: finished ? [] : (s.ips ?? []).map(toHostNetwork),
      })
    }
    return result
  }
  if (networks?.error) return networks.error
  const result: PodInterface[] = [
    {network: DEFAULT_NETWORK, networkNamespace: namespace, inPodName: 'eth0', index: 0, ips: podIPs},
  ]
  for (const sel of networks?.selections ?? []) {
    // Multus names unnamed interfaces net<position>; the converter assumes no multus defaultNetworks.
    result.push({
      network: sel.name,
      networkNamespace: sel.namespace,
      inPodName: sel.interface ?? `net${sel.index + 1}`,
      index: sel.index + 1,
      ips: [],
    })
  }
  return result
}

/** getPodIPs: status.podIPs, status.podIP, then the Calico annotations; each as a /32 or /128. */
function podIPNetworks(pod: KubeObject): string[] {
  const st = pod.status ?? {}
  const ann = pod.metadata.annotations ?? {}
  let ips: string[] = []
  if (Array.isArray(st.podIPs) && st.podIPs.length > 0) ips = st.podIPs.map((p: {ip?: string}) => p?.ip).filter(Boolean)
  else if (st.podIP) ips = [st.podIP]
  else if (ann['cni.projectcalico.org/podIPs']) ips = ann['cni.projectcalico.org/podIPs'].split(',')
  else if (ann['cni.projectcalico.org/podIP']) ips = [ann['cni.projectcalico.org/podIP']]
  else if (ann['vpc.amazonaws.com/pod-ips']) ips = ann['vpc.amazonaws.com/pod-ips'].split(',')
  return ips
    .map((ip) => ip.trim())
    .filter(Boolean)
    .map(toHostNetwork)
}

function toHostNetwork(ip: string): string {
  if (ip.includes('/')) return ip
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`
}

function floatingIPNATs(
  annotation: string | undefined,
  ipNetworks: string[],
): Array<{internalIP: string; externalIP: string}> {
  const external = jsonStringList(annotation)
  if (external.length === 0) return []
  const v4 = ipNetworks.find((n) => !n.includes(':'))?.split('/')[0]
  const v6 = ipNetworks.find((n) => n.includes(':'))?.split('/')[0]
  const nats: Array<{internalIP: string; externalIP: string}> = []
  for (const ip of external) {
    const internal = ip.includes(':') ? v6 : v4
    if (internal) nats.push({internalIP: internal, externalIP: ip})
  }
  return nats
}

function jsonStringList(value: string | undefined): string[] {
  if (!value) return []
  try {
    const parsed = JSON.parse(value)
    return Array.isArray(parsed) ? parsed.filter((x) => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Named or host ports of all containers (Calico skips unnamed ports without a host port). */
function podPorts(pod: KubeObject): WorkloadEndpointPort[] {
  const ports: WorkloadEndpointPort[] = []
  for (const container of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of container?.ports ?? []) {
      if (!p?.containerPort || (!p.hostPort && !p.name)) continue
      const protocol = p.protocol ? String(p.protocol).toUpperCase() : 'TCP'
      if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) continue
      ports.push({
        name: p.name ?? '',
        protocol,
        port: p.containerPort,
        hostPort: p.hostPort ?? 0,
        hostIP: p.hostIP ?? '',
      })
    }
  }
  return ports
}
