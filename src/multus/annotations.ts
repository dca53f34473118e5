// Go's net parsing and a positioned JSON scanner: generic helpers that live under validation/ for now.
import {escapePointer} from '../core/json-pointer.js'
import {goJsonType, isJsonObject} from '../core/go-json.js'
import {scanJson, scanMayFind, type JsonIssue, type JsonPosition} from '../core/json-scan.js'
import {DNS1123_LABEL} from '../core/names.js'
import {parseIPOrCIDR, parseMAC} from '../core/net.js'

/**
 * The Multus pod annotations, parsed the way Multus itself parses them (multus-cni pkg/k8sclient), so that
 * conversion and validation agree with what happens on the node.
 */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks'
const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status'
const OLD_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status'

/** One element of the networks annotation, as Multus reads it. */
export interface NetworkSelection {
  name: string
  /** The namespace Multus looks in: the one written, else the pod's. */
  namespace: string
  /** Whether the element names its namespace (ns/name, or "namespace" in the JSON form). */
  namespaceGiven: boolean
  /** The requested in-pod interface name, if any. */
  interface?: string
  /** Position in the annotation (0-based). */
  index: number
  /** JSON form: the element's fields under Multus' key names (keys are matched case-insensitively, as Go does). */
  json?: Record<string, unknown>
  /** JSON form: the key as written for each Multus field (`Name` for name). */
  keys?: Record<string, string>
  /** Offsets in the annotation value: the element, its name, its interface name. */
  offset: number
  nameOffset: number
  interfaceOffset?: number
}

/** What can be wrong with the annotation; `refused` problems make Multus refuse it (the pod does not start). */
export type NetworksProblemCode =
  | 'annotation-empty'
  | 'item-empty'
  | 'item-slashes'
  | 'item-ats'
  | 'item-not-dns1123'
  | 'item-no-name'
  | 'item-ifname'
  | 'json-syntax'
  | 'json-not-list'
  | 'json-element-type'
  | 'json-field-type'
  | 'json-unknown-key'
  | 'json-no-name'
  | 'json-namespaced-name'
  | 'json-name'
  | 'json-namespace'
  | 'mac'
  | 'infiniband-guid'
  | 'ips'

export interface NetworksProblem {
  code: NetworksProblemCode
  /** Offset in the annotation value the problem points at. */
  offset: number
  /** Multus refuses the whole annotation (parsePodNetworkAnnotation fails). */
  refused: boolean
  /** Multus accepts the annotation but looks up a network named "", so the pod fails all the same. */
  emptyName?: true
  /** Multus' own error text, when it has one for this problem. */
  multus?: string
  /** The element (0-based), when the problem is inside one. */
  element?: number
  /** The text at fault (an item, a name part, a key, a value), for messages. */
  text?: string
  /** The field at fault (JSON form: Multus' key name), and its Go type for type errors. */
  field?: string
  goType?: string
  /** The decoded value at fault (type errors). */
  value?: unknown
  /** Extra facts for messages: the JSON type found, the scanner's plain-words message, the role of a name part. */
  detail?: string
}

export interface NetworksParse {
  form: 'short' | 'json'
  selections: NetworkSelection[]
  problems: NetworksProblem[]
  /** Why the pod cannot start: Multus' error for the first problem that refuses the annotation or names no network. */
  error?: string
  errorOffset?: number
  /** JSON form: where a value inside an element starts, by Multus' field name (`default-route/0`), whatever the key's
   * case. */
  offsetOf?(element: number, path: string): number | undefined
}

const MULTUS_PARSE = 'parsePodNetworkAnnotation: '
const MULTUS_JSON_ERROR = `${MULTUS_PARSE}failed to parse pod Network Attachment Selection Annotation JSON format: `
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const IFNAME_FORBIDDEN = /[ \t\n\v\f\r/]/

/**
 * Multus' NetworkSelectionElement (k8snetworkplumbingwg/multus-cni pkg/types/types.go): JSON key → Go type, for
 * decoding errors; ipam-claim-reference comes from the network-plumbing spec's client.
 */
export const ELEMENT_KEYS: Readonly<Record<string, string>> = {
  name: 'string',
  namespace: 'string',
  ips: '[]string',
  mac: 'string',
  'infiniband-guid': 'string',
  interface: 'string',
  interfaceRequest: 'string',
  'default-route': '[]net.IP',
  portMappings: '[]*types.PortMapEntry',
  bandwidth: '*types.BandwidthEntry',
  'cni-args': '*map[string]interface {}',
  deviceID: 'string',
  'ipam-claim-reference': 'string',
}
const KNOWN_KEYS = Object.keys(ELEMENT_KEYS)

/** Multus' format detection: any of `[`, `{`, `"` means the JSON list form. */
export function isJsonForm(value: string): boolean {
  return /[[{"]/.test(value)
}

/**
 * The k8s.v1.cni.cncf.io/networks annotation, read as Multus' parsePodNetworkAnnotation reads it
 * (k8snetworkplumbingwg/multus-cni pkg/k8sclient/k8sclient.go): the networks asked for, with offsets, and every
 * problem with a code. Conversion (get wep) and validation both use this one reading.
 */
export function parseNetworksAnnotation(value: string, podNamespace: string): NetworksParse {
  const parse: NetworksParse = isJsonForm(value)
    ? parseJsonForm(value, podNamespace)
    : parseShortForm(value, podNamespace)
  const first = parse.problems.find((p) => p.refused || p.emptyName)
  if (first) {
    parse.error =
      first.multus ??
      `cannot find a network-attachment-definition () in namespace (${podNamespace}): resource name may not be empty`
    parse.errorOffset = first.offset
  }
  return parse
}

function parseShortForm(value: string, podNamespace: string): NetworksParse {
  const parse: NetworksParse = {form: 'short', selections: [], problems: []}
  if (value === '' || value.trim() === '') {
    // Multus tests for "" only; blanks become one empty item, whose lookup fails: either way the pod fails.
    parse.problems.push({
      code: 'annotation-empty',
      offset: 0,
      refused: true,
      multus: `${MULTUS_PARSE}pod annotation does not have "network" as key`,
    })
    return parse
  }
  let start = 0
  const items = value.split(',')
  items.forEach((raw, index) => {
    const lead = raw.length - raw.trimStart().length
    const itemAt = start + lead
    start += raw.length + 1
    const item = raw.trim()
    if (item === '') {
      const comma = index === 0 ? 0 : itemAt - lead - 1
      parse.problems.push({
        code: 'item-empty',
        offset: Math.max(0, comma),
        refused: false,
        emptyName: true,
        element: index,
        detail: index === items.length - 1 ? 'trailing' : 'doubled',
      })
      return
    }
    const selection = parseShortItem(item, itemAt, parse.selections.length, podNamespace, parse.problems)
    if (selection) parse.selections.push(selection)
  })
  return parse
}

/** One `namespace/name@ifname` item (parsePodNetworkObjectName); undefined when Multus refuses it. */
function parseShortItem(
  item: string,
  itemAt: number,
  index: number,
  podNamespace: string,
  problems: NetworksProblem[],
): NetworkSelection | undefined {
  const parts = splitShortItem(item, itemAt)
  if ('refusal' in parts) return refuseShortItem(problems, item, index, parts)
  const refusal = shortItemNamesRefusal(parts, itemAt)
  if (refusal) return refuseShortItem(problems, item, index, refusal)
  const {namespace, name, nameAt, ifRaw, ifname, ifnameAt} = parts
  if (name === '')
    problems.push({
      code: 'item-no-name',
      offset: nameAt,
      refused: false,
      emptyName: true,
      element: index,
      text: item,
      detail: ifRaw !== undefined ? 'at' : 'end',
    })
  return {
    name,
    namespace: namespace || podNamespace,
    namespaceGiven: namespace !== '',
    interface: ifname || undefined,
    index,
    offset: itemAt,
    nameOffset: nameAt,
    interfaceOffset: ifname ? ifnameAt : undefined,
  }
}

/** Why Multus refuses an item, in its words; `extra` overrides the problem's text and detail. */
interface ShortItemRefusal {
  refusal: NetworksProblemCode
  offset: number
  multus: string
  extra?: Partial<NetworksProblem>
}

function refuseShortItem(
  problems: NetworksProblem[],
  item: string,
  index: number,
  refusal: ShortItemRefusal,
): undefined {
  problems.push({
    code: refusal.refusal,
    offset: refusal.offset,
    refused: true,
    multus: `${MULTUS_PARSE}parsePodNetworkObjectName: ${refusal.multus}`,
    element: index,
    text: item,
    ...refusal.extra,
  })
  return undefined
}

/** A namespace or name that is not a DNS-1123 label, or an interface name Linux would refuse, in Multus's order. */
function shortItemNamesRefusal(parts: ShortItemParts, itemAt: number): ShortItemRefusal | undefined {
  const {namespace, name, nameAt, ifname, ifnameAt} = parts
  const bad = notDns1123(namespace, itemAt, name, nameAt)
  if (bad)
    return {
      refusal: 'item-not-dns1123',
      offset: bad.offset,
      multus:
        `Failed to parse: one or more items did not match comma-delimited format (must consist ` +
        `of lower case alphanumeric characters). Must start and end with an alphanumeric ` +
        `character), mismatch @ '${bad.part}'`,
      extra: {text: bad.part, detail: bad.role},
    }
  if (ifname !== '' && (ifname.length > 15 || IFNAME_FORBIDDEN.test(ifname))) {
    return {
      refusal: 'item-ifname',
      offset: ifnameAt!,
      multus:
        `Failed to parse interface name: must be less than 15 chars and not contain '/' or ` +
        `spaces. interface name '${ifname}'`,
      extra: {text: ifname},
    }
  }
  return undefined
}

/** The namespace or name (in that order) that is not a DNS-1123 label, if one is not. */
function notDns1123(
  namespace: string,
  namespaceAt: number,
  name: string,
  nameAt: number,
): {part: string; role: 'namespace' | 'name'; offset: number} | undefined {
  if (namespace !== '' && !DNS1123_LABEL.test(namespace))
    return {part: namespace, role: 'namespace', offset: namespaceAt}
  if (name !== '' && !DNS1123_LABEL.test(name)) return {part: name, role: 'name', offset: nameAt}
  return undefined
}

interface ShortItemParts {
  namespace: string
  name: string
  nameAt: number
  /** The text after '@', untrimmed; undefined without an '@'. */
  ifRaw?: string
  ifname: string
  ifnameAt?: number
}

/** `namespace/name@ifname` cut at its separators (trimmed, with offsets); more than one '/' or '@' is refused. */
function splitShortItem(item: string, itemAt: number): ShortItemParts | ShortItemRefusal {
  const slash = item.split('/')
  if (slash.length > 2)
    return {
      refusal: 'item-slashes',
      offset: itemAt + slash[0].length + 1 + slash[1].length,
      multus: "Invalid network object (failed at '/')",
    }
  const rest = slash.length === 2 ? slash[1] : slash[0]
  const restAt = itemAt + (slash.length === 2 ? slash[0].length + 1 : 0)
  const parts = rest.split('@')
  if (parts.length > 2)
    return {
      refusal: 'item-ats',
      offset: restAt + parts[0].length + 1 + parts[1].length,
      multus: "Invalid network object (failed at '@')",
    }
  const ifRaw = parts.length === 2 ? parts[1] : undefined
  return {
    namespace: slash.length === 2 ? slash[0].trim() : '',
    name: parts[0].trim(),
    nameAt: restAt + (parts[0].length - parts[0].trimStart().length),
    ifRaw,
    ifname: ifRaw?.trim() ?? '',
    ifnameAt:
      ifRaw === undefined ? undefined : restAt + parts[0].length + 1 + (ifRaw.length - ifRaw.trimStart().length),
  }
}

function goTypeMatches(value: unknown, goType: string): boolean {
  if (value === null) return true
  if (goType === 'string') return typeof value === 'string'
  if (goType === '[]string' || goType === '[]net.IP')
    return Array.isArray(value) && value.every((v) => typeof v === 'string' || v === null)
  if (goType.startsWith('[]')) return Array.isArray(value)
  return isJsonObject(value)
}

function parseJsonForm(value: string, podNamespace: string): NetworksParse {
  const parse: NetworksParse = {form: 'json', selections: [], problems: []}
  let list: unknown
  let parseError: unknown
  try {
    list = JSON.parse(value)
  } catch (error) {
    parseError = error
  }
  // Positions are worked out when something asks for one (a finding): most annotations have none.
  let positions: Map<string, JsonPosition> | undefined
  if (parseError !== undefined || scanMayFind(value, list)) {
    const scan = scanJson(value, {positions: true})
    if (scan.errors.length > 0) {
      reportJsonSyntax(parse, value, scan.errors)
      return parse
    }
    if (parseError !== undefined) throw parseError
    positions = scan.positions
  }
  const positionOf = (p: string) => (positions ??= scanJson(value, {positions: true}).positions!).get(p)
  const valueAt = (p: string) => positionOf(p)?.value ?? 0
  const keyAt = (p: string) => positionOf(p)?.key ?? valueAt(p)
  if (!Array.isArray(list)) {
    // Go decodes null into an empty list: no networks, no error.
    if (list !== null)
      parse.problems.push({
        code: 'json-not-list',
        offset: valueAt(''),
        refused: true,
        multus:
          `${MULTUS_JSON_ERROR}json: cannot unmarshal ${goJsonType(list)} into Go value of ` +
          `type []*types.NetworkSelectionElement`,
        detail: goJsonType(list),
      })
    return parse
  }
  parse.offsetOf = (element, path) => {
    const [field, ...rest] = path.split('/')
    const key = parse.selections.find((s) => s.index === element)?.keys?.[field] ?? field
    return positionOf([`/${element}`, escapePointer(key), ...rest].join('/'))?.value
  }
  readElements(list, parse, podNamespace, {valueAt, keyAt})
  return parse
}

/** Multus refuses text that is not JSON with Go's message; the first five errors are shown. */
function reportJsonSyntax(parse: NetworksParse, value: string, errors: JsonIssue[]): void {
  for (const e of errors.slice(0, 5)) {
    parse.problems.push({
      code: 'json-syntax',
      offset: Math.min(e.offset, Math.max(0, value.length - 1)),
      refused: true,
      multus: `${MULTUS_JSON_ERROR}${e.goMessage}`,
      detail: e.message,
    })
  }
}

/** Each element of the list as a selection; one that is not an object is refused as Go's decoder refuses it. */
function readElements(list: unknown[], parse: NetworksParse, podNamespace: string, at: Locate): void {
  list.forEach((el, i) => {
    if (!isJsonObject(el)) {
      parse.problems.push({
        code: 'json-element-type',
        offset: at.valueAt(`/${i}`),
        refused: true,
        element: i,
        multus:
          `${MULTUS_JSON_ERROR}json: cannot unmarshal ${goJsonType(el)} into Go value of type ` +
          `types.NetworkSelectionElement`,
        text: JSON.stringify(el),
        detail: goJsonType(el),
      })
      return
    }
    const selection = readElement(el, i, podNamespace, parse.problems, at)
    parse.selections.push(selection)
  })
}

interface Locate {
  valueAt(pointer: string): number
  keyAt(pointer: string): number
}

/**
 * One element, decoded as Go's encoding/json decodes it into NetworkSelectionElement: keys match fields
 * case-insensitively (of two keys for one field the later wins), unknown keys are ignored.
 */
function readElement(
  el: Record<string, unknown>,
  i: number,
  podNamespace: string,
  problems: NetworksProblem[],
  at: Locate,
): NetworkSelection {
  const ep = `/${i}`
  const {fields, keys} = decodeElement(el, i, problems, at)
  const fieldAt = (field: string) => at.valueAt(`${ep}/${escapePointer(keys[field] ?? field)}`)
  const name = typeof fields.name === 'string' ? fields.name : ''
  const namespace = typeof fields.namespace === 'string' ? fields.namespace : ''
  const ifKey =
    typeof fields.interface === 'string' && fields.interface !== ''
      ? 'interface'
      : typeof fields.interfaceRequest === 'string' && fields.interfaceRequest !== ''
        ? 'interfaceRequest'
        : undefined
  checkElementNames(name, namespace, fields, i, problems, fieldAt, () => at.valueAt(ep))
  checkElementAddresses(fields, i, problems, fieldAt, (p) =>
    at.valueAt(`${ep}/${escapePointer(keys[p.split('/')[0]] ?? '')}/${p.split('/').slice(1).join('/')}`),
  )
  return new JsonSelection(
    name,
    namespace || podNamespace,
    namespace !== '',
    ifKey ? (fields[ifKey] as string) : undefined,
    i,
    fields,
    keys,
    at,
    ifKey,
  )
}

/**
 * An element of the JSON form. Its offsets are getters: finding them means scanning the JSON, which only a finding
 * needs.
 */
class JsonSelection implements NetworkSelection {
  readonly interface: string | undefined

  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly namespaceGiven: boolean,
    ifname: string | undefined,
    readonly index: number,
    readonly json: Record<string, unknown>,
    readonly keys: Record<string, string>,
    private readonly at: Locate,
    private readonly ifKey: string | undefined,
  ) {
    this.interface = ifname
  }

  private fieldAt(field: string): number {
    return this.at.valueAt(`/${this.index}/${escapePointer(this.keys[field] ?? field)}`)
  }

  get offset(): number {
    return this.at.valueAt(`/${this.index}`)
  }

  get nameOffset(): number {
    return this.json.name !== undefined ? this.fieldAt('name') + 1 : this.offset
  }

  get interfaceOffset(): number | undefined {
    return this.ifKey ? this.fieldAt(this.ifKey) + 1 : undefined
  }
}

/** The element's members under Multus' field names, and the key as written for each; type errors reported. */
function decodeElement(
  el: Record<string, unknown>,
  i: number,
  problems: NetworksProblem[],
  at: Locate,
): {fields: Record<string, unknown>; keys: Record<string, string>} {
  const fields: Record<string, unknown> = {}
  const keys: Record<string, string> = {}
  for (const key in el) {
    const v = el[key]
    const canonical = Object.hasOwn(ELEMENT_KEYS, key)
      ? key
      : KNOWN_KEYS.find((k) => k.toLowerCase() === key.toLowerCase())
    if (canonical === undefined) {
      problems.push({
        code: 'json-unknown-key',
        offset: at.keyAt(`/${i}/${escapePointer(key)}`),
        refused: false,
        element: i,
        text: key,
      })
      continue
    }
    fields[canonical] = v
    keys[canonical] = key
    const goType = ELEMENT_KEYS[canonical]
    if (goTypeMatches(v, goType)) continue
    problems.push({
      code: 'json-field-type',
      offset: at.valueAt(`/${i}/${escapePointer(key)}`),
      refused: true,
      element: i,
      text: key,
      field: canonical,
      goType,
      value: v,
      detail: goJsonType(v),
      multus:
        `${MULTUS_JSON_ERROR}json: cannot unmarshal ${goJsonType(v)} into Go struct field ` +
        `NetworkSelectionElement.${canonical} of type ${goType}`,
    })
  }
  return {fields, keys}
}

/** Names Multus cannot find: none, "ns/name" (not split in the JSON form, multus#705), or not a valid name. */
function checkElementNames(
  name: string,
  namespace: string,
  fields: Record<string, unknown>,
  i: number,
  problems: NetworksProblem[],
  fieldAt: (f: string) => number,
  elementAt: () => number,
): void {
  if (name === '') {
    if (fields.name === undefined || fields.name === '' || fields.name === null)
      problems.push({code: 'json-no-name', offset: elementAt(), refused: false, emptyName: true, element: i})
  } else if (name.includes('/')) {
    problems.push({code: 'json-namespaced-name', offset: fieldAt('name'), refused: false, element: i, text: name})
  } else if (!(name.length <= 253 && DNS1123_SUBDOMAIN.test(name))) {
    problems.push({code: 'json-name', offset: fieldAt('name'), refused: false, element: i, text: name})
  }
  if (namespace !== '' && !(namespace.length <= 63 && DNS1123_LABEL.test(namespace))) {
    problems.push({code: 'json-namespace', offset: fieldAt('namespace'), refused: false, element: i, text: namespace})
  }
}

/** mac, infiniband-guid and ips: Multus validates them after decoding and refuses the annotation. */
function checkElementAddresses(
  fields: Record<string, unknown>,
  i: number,
  problems: NetworksProblem[],
  fieldAt: (f: string) => number,
  inside: (p: string) => number,
): void {
  const mac = fields.mac
  if (typeof mac === 'string' && mac !== '' && parseMAC(mac) === undefined) {
    problems.push({
      code: 'mac',
      offset: fieldAt('mac') + 1,
      refused: true,
      element: i,
      text: mac,
      multus: `${MULTUS_PARSE}failed to mac: address ${mac}: invalid MAC address`,
    })
  }
  const guid = fields['infiniband-guid']
  if (typeof guid === 'string' && guid !== '' && parseMAC(guid) === undefined) {
    problems.push({
      code: 'infiniband-guid',
      offset: fieldAt('infiniband-guid') + 1,
      refused: true,
      element: i,
      text: guid,
      multus: `${MULTUS_PARSE}failed to validate infiniband GUID: address ${guid}: invalid MAC address`,
    })
  }
  if (Array.isArray(fields.ips)) {
    fields.ips.forEach((ip, k) => {
      if (typeof ip !== 'string' || parseIPOrCIDR(ip)) return
      const multus = ip.includes('/')
        ? `failed to parse CIDR "${ip}": invalid CIDR address: ${ip}`
        : `failed to parse IP address "${ip}"`
      problems.push({
        code: 'ips',
        offset: inside(`ips/${k}`) + 1,
        refused: true,
        element: i,
        text: ip,
        field: String(k),
        multus,
      })
    })
  }
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
    return parsed
      .filter((e) => e && typeof e === 'object')
      .map((e) => ({
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
