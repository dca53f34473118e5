/**
 * The Multus pod annotations, parsed the way Multus itself parses them (multus-cni pkg/k8sclient), so that
 * conversion and validation agree with what happens on the node. Facts: ../shared/reference/multus.md §2-3.
 */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks'
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status'
export const OLD_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status'

/** One element of the networks annotation. */
export interface NetworkSelection {
  name: string
  namespace: string
  /** The requested in-pod interface name, if any. */
  interface?: string
  /** Position in the annotation (0-based). */
  index: number
  /** The JSON-form object as written (absent for the short form). */
  json?: Record<string, unknown>
  /** Short form: where the item starts in the annotation value (after blanks), for pointing at it. */
  offset?: number
}

export interface NetworksParse {
  form: 'short' | 'json'
  selections: NetworkSelection[]
  /** Multus' own error text, if Multus would refuse the annotation (the pod would not start). */
  error?: string
  /** Short form: where in the value the item that fails starts. */
  errorOffset?: number
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const IFNAME_FORBIDDEN = /[ \t\n\v\f\r/]/

/** Multus' format detection: any of `[`, `{`, `"` means the JSON list form. */
export function isJsonForm(value: string): boolean {
  return /[[{"]/.test(value)
}

export function parseNetworksAnnotation(value: string, podNamespace: string): NetworksParse {
  if (isJsonForm(value)) return parseJsonForm(value, podNamespace)
  const selections: NetworkSelection[] = []
  if (value.trim() === '') return {form: 'short', selections, error: 'parsePodNetworkAnnotation: pod annotation does not have "network" as key'}
  const items = value.split(',')
  let start = 0
  for (let index = 0; index < items.length; index++) {
    const raw = items[index]
    const item = raw.trim()
    const offset = start + (item === '' ? 0 : raw.indexOf(item))
    start += raw.length + 1
    const parsed = parseShortItem(item, podNamespace)
    if (typeof parsed === 'string') return {form: 'short', selections, error: `parsePodNetworkAnnotation: ${parsed}`, errorOffset: offset}
    selections.push({...parsed, index, offset})
  }
  return {form: 'short', selections}
}

function parseShortItem(item: string, podNamespace: string): Omit<NetworkSelection, 'index'> | string {
  const slash = item.split('/')
  if (slash.length > 2) return "parsePodNetworkObjectName: Invalid network object (failed at '/')"
  const namespace = slash.length === 2 ? slash[0].trim() : ''
  const rest = slash.length === 2 ? slash[1] : slash[0]
  const at = rest.split('@')
  if (at.length > 2) return "parsePodNetworkObjectName: Invalid network object (failed at '@')"
  const name = at[0].trim()
  const ifname = at.length === 2 ? at[1].trim() : ''
  for (const part of [namespace, name]) {
    if (part !== '' && !DNS1123_LABEL.test(part)) {
      return `parsePodNetworkObjectName: Failed to parse: one or more items did not match comma-delimited format (must consist of lower case alphanumeric characters). Must start and end with an alphanumeric character), mismatch @ '${part}'`
    }
  }
  if (name === '') return `parsePodNetworkObjectName: empty network name in item '${item}'`
  if (ifname !== '' && (ifname.length > 15 || IFNAME_FORBIDDEN.test(ifname))) {
    return `parsePodNetworkObjectName: Failed to parse interface name: must be less than 15 chars and not contain '/' or spaces. interface name '${ifname}'`
  }
  return {name, namespace: namespace || podNamespace, interface: ifname || undefined}
}

function parseJsonForm(value: string, podNamespace: string): NetworksParse {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    return {form: 'json', selections: [], error: `parsePodNetworkAnnotation: failed to parse pod Network Attachment Selection Annotation JSON format: ${(error as Error).message}`}
  }
  if (!Array.isArray(parsed)) {
    return {form: 'json', selections: [], error: 'parsePodNetworkAnnotation: failed to parse pod Network Attachment Selection Annotation JSON format: the value must be a JSON list of objects'}
  }
  const selections: NetworkSelection[] = []
  for (let index = 0; index < parsed.length; index++) {
    const el = parsed[index]
    if (!el || typeof el !== 'object' || Array.isArray(el)) {
      return {form: 'json', selections, error: `parsePodNetworkAnnotation: failed to parse pod Network Attachment Selection Annotation JSON format: element ${index} is not an object`}
    }
    const obj = el as Record<string, unknown>
    if (typeof obj.name !== 'string' || obj.name === '') {
      return {form: 'json', selections, error: `parsePodNetworkAnnotation: element ${index} has no "name"`}
    }
    const ns = typeof obj.namespace === 'string' && obj.namespace !== '' ? obj.namespace : podNamespace
    const iface = typeof obj.interface === 'string' && obj.interface !== '' ? obj.interface : typeof obj.interfaceRequest === 'string' && obj.interfaceRequest !== '' ? obj.interfaceRequest : undefined
    selections.push({name: obj.name, namespace: ns, interface: iface, index, json: obj})
  }
  return {form: 'json', selections}
}

/** One entry of the network-status annotation written by Multus after the pod's networks are set up. */
export interface NetworkStatusEntry {
  name: string
  interface?: string
  ips?: string[]
  mac?: string
  default?: boolean
}

/** The network-status annotation (or its deprecated plural twin); undefined when absent or unreadable. */
export function readNetworkStatus(annotations: Record<string, string> | undefined): NetworkStatusEntry[] | undefined {
  const raw = annotations?.[NETWORK_STATUS_ANNOTATION] ?? annotations?.[OLD_NETWORK_STATUS_ANNOTATION]
  if (!raw) return undefined
  try {
    const parsed = JSON.parse(raw)
    if (!Array.isArray(parsed)) return undefined
    return parsed.filter((e) => e && typeof e === 'object').map((e) => ({
      name: typeof e.name === 'string' ? e.name : '',
      interface: typeof e.interface === 'string' ? e.interface : undefined,
      ips: Array.isArray(e.ips) ? e.ips.filter((ip: unknown) => typeof ip === 'string') : undefined,
      mac: typeof e.mac === 'string' ? e.mac : undefined,
      default: e.default === true,
    }))
  } catch {
    return undefined
  }
}
