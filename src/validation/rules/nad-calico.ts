import {escapePointer} from '../../core/json-pointer.js'
import {goJsonType, isJsonObject} from '../../core/go-json.js'
import {formatCIDR, parseCIDR, parseIP} from '../../core/net.js'
import {didYouMean, show, subdomainProblem} from '../text.js'
import type {ConfigView} from './nad-config-view.js'

/**
 * The calico CNI plugin's config and calico-ipam's `ipam` section inside a NAD (multus.md §4.1-4.2; keys from
 * cni-plugin/pkg/types NetConf). The plugin decodes its config with Go's encoding/json: unknown keys are
 * silently ignored (so a typo has no effect), a value of the wrong JSON type fails every pod.
 */
type GoType = 'string' | 'bool' | 'int' | 'uint64' | 'object' | '[]string' | 'any'

const CALICO_KEYS: Record<string, GoType> = {
  cniVersion: 'string',
  name: 'string',
  type: 'string',
  mode: 'string',
  vxlan_mac_prefix: 'string',
  vxlan_vni: 'uint64',
  ipam: 'object',
  args: 'object',
  mtu: 'int',
  num_queues: 'int',
  nodename: 'string',
  nodename_file: 'string',
  nodename_file_optional: 'bool',
  ipam_lock_file: 'string',
  datastore_type: 'string',
  etcd_endpoints: 'string',
  etcd_discovery_srv: 'string',
  etcd_scheme: 'string',
  etcd_key_file: 'string',
  etcd_cert_file: 'string',
  etcd_ca_cert_file: 'string',
  etcd_authority: 'string',
  log_level: 'string',
  log_file_path: 'string',
  log_file_max_size: 'int',
  log_file_max_age: 'int',
  log_file_max_count: 'int',
  policy: 'object',
  kubernetes: 'object',
  feature_control: 'object',
  container_settings: 'object',
  include_default_routes: 'bool',
  dataplane_options: 'object',
  readiness_gates: '[]string',
  policy_setup_timeout_seconds: 'int',
  endpoint_status_dir: 'string',
  require_mtu_file: 'bool',
  hostname: 'string',
  capabilities: 'object',
  dns: 'object',
  runtimeConfig: 'object',
  prevResult: 'any',
  qps: 'int',
  burst: 'int',
  calico_api_group: 'string',
  windows_pod_deletion_timestamp_timeout: 'int',
  windows_use_single_network: 'bool',
  windows_disable_default_deny_all_policy: 'bool',
  windows_loopback_DSR: 'bool',
}
/**
 * Keys the Calico Enterprise CNI plugin reads (its source is not public; named in the product's NAD docs): the
 * VRF "network" and "device_type". Accepted; with --flavor oss, a warning that Calico Open Source ignores them.
 */
const ENTERPRISE_KEYS: Record<string, GoType> = {network: 'any', device_type: 'any'}
const IPAM_KEYS: Record<string, GoType> = {
  type: 'string',
  name: 'string',
  subnet: 'string',
  assign_ipv4: 'string',
  assign_ipv6: 'string',
  ipv4_pools: '[]string',
  ipv6_pools: '[]string',
}
const POLICY_KEYS: Record<string, GoType> = {
  type: 'string',
  k8s_api_root: 'string',
  k8s_auth_token: 'string',
  k8s_client_certificate: 'string',
  k8s_client_key: 'string',
  k8s_certificate_authority: 'string',
}
const KUBERNETES_KEYS: Record<string, GoType> = {k8s_api_root: 'string', kubeconfig: 'string', node_name: 'string'}
const FEATURE_KEYS: Record<string, GoType> = {ip_addrs_no_ipam: 'bool', floating_ips: 'bool'}
const CONTAINER_KEYS: Record<string, GoType> = {allow_ip_forwarding: 'bool'}

const LOG_LEVELS = ['debug', 'info', 'warning', 'warn', 'error']
const DATASTORES = ['kubernetes', 'etcdv3']

function goField(path: string): string {
  return `NetConf.${path.split('/').filter(Boolean).join('.')}`
}

function matchesGo(value: unknown, type: GoType): boolean {
  // JSON null leaves a Go field untouched: never an error.
  if (value === null || type === 'any') return true
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'bool':
      return typeof value === 'boolean'
    case 'int':
      return typeof value === 'number' && Number.isInteger(value)
    case 'uint64':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0
    case 'object':
      return isJsonObject(value)
    case '[]string':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
  }
}

const EXPECTED: Record<GoType, string> = {
  string: 'a string',
  bool: 'true or false',
  int: 'a whole number',
  uint64: 'a whole number >= 0',
  object: 'a JSON object',
  '[]string': 'a list of strings',
  any: 'anything',
}

/** Known keys (Go matches names case-insensitively), types, and unknown keys with the nearest known one. */
const NAMES = new WeakMap<Record<string, GoType>, string[]>()

function checkKeys(
  cfg: ConfigView,
  ptr: string,
  obj: Record<string, unknown>,
  known: Record<string, GoType>,
  where: string,
  skip: (key: string) => boolean = () => false,
): void {
  let names = NAMES.get(known)
  if (!names) NAMES.set(known, (names = Object.keys(known)))
  for (const key in obj) {
    const value = obj[key]
    const canonical = Object.hasOwn(known, key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase())
    if (
      canonical !== undefined &&
      (key === 'assign_ipv4' || key === 'assign_ipv6' || matchesGo(value, known[canonical]))
    )
      continue
    const keyPtr = `${ptr}/${escapePointer(key)}`
    if (canonical === undefined) {
      if (skip(key)) continue
      cfg.report(
        'nad/calico-unknown-key',
        keyPtr,
        `${where} has no setting ${show(key)}${didYouMean(key, names)}; the plugin ignores it`,
        true,
      )
      continue
    }
    const type = known[canonical]
    if (key === 'assign_ipv4' || key === 'assign_ipv6') continue
    if (!matchesGo(value, type)) {
      const hint =
        typeof value === 'string' && type === 'int' && /^-?\d+$/.test(value)
          ? `: write ${value} without quotes`
          : typeof value === 'string' && type === 'bool' && /^(true|false)$/i.test(value)
            ? `: write ${value.toLowerCase()} without quotes`
            : ''
      cfg.report(
        'nad/calico-value',
        keyPtr,
        `${where.replace(/^the /, '')} setting ${show(key)} is ${show(value)}; it must be ` +
          `${EXPECTED[type]}${hint} (the plugin fails on every pod: json: cannot unmarshal ` +
          `${goJsonType(value)} into Go struct field ${goField(keyPtr)} of type ${type})`,
      )
    }
  }
}

/** A plugin config with "type": "calico". */
export function checkCalicoPlugin(cfg: ConfigView, ptr: string, p: Record<string, unknown>): void {
  checkKeys(cfg, ptr, p, CALICO_KEYS, 'the calico plugin', (k) => Object.hasOwn(ENTERPRISE_KEYS, k))
  for (const key of Object.keys(ENTERPRISE_KEYS)) {
    if (p[key] === undefined || cfg.check.settings.flavor !== 'oss') continue
    cfg.report(
      'calico/enterprise-only',
      `${ptr}/${key}`,
      `the calico plugin setting ${show(key)} is a Calico Enterprise / Calico Cloud feature: ` +
        `the Calico Open Source plugin ignores it`,
      true,
    )
  }
  checkPluginIpam(cfg, ptr, p.ipam)
  checkPluginValues(cfg, ptr, p)
  checkPluginSections(cfg, ptr, p)
  checkPluginReach(cfg, ptr, p)
}

function checkPluginIpam(cfg: ConfigView, ptr: string, ipam: unknown): void {
  if (ipam === undefined || ipam === null) {
    cfg.report(
      'nad/calico-ipam',
      ptr,
      'the calico plugin has no "ipam": add "ipam": {"type": "calico-ipam"} so pods on this network get addresses',
    )
  } else if (isJsonObject(ipam)) {
    if (ipam.type === undefined || ipam.type === null || ipam.type === '')
      cfg.report('nad/calico-ipam', `${ptr}/ipam`, 'ipam has no "type": name the IPAM plugin, usually "calico-ipam"')
    else if (ipam.type === 'calico-ipam') checkCalicoIpam(cfg, `${ptr}/ipam`, ipam)
  }
}

/** mtu, log_level, datastore_type, policy_setup_timeout_seconds: values the plugin refuses or misreads. */
function checkPluginValues(cfg: ConfigView, ptr: string, p: Record<string, unknown>): void {
  const mtu = p.mtu
  if (typeof mtu === 'number' && Number.isInteger(mtu) && mtu !== 0 && (mtu < 68 || mtu > 65535)) {
    cfg.report(
      'nad/calico-mtu',
      `${ptr}/mtu`,
      `mtu ${mtu} is out of range: use 68-65535 (1280 or more for IPv6), or 0 to take the node's MTU`,
    )
  } else if (typeof mtu === 'number' && !Number.isInteger(mtu)) {
    cfg.report('nad/calico-mtu', `${ptr}/mtu`, `mtu ${mtu} is not a whole number`)
  }
  if (typeof p.log_level === 'string' && !LOG_LEVELS.includes(p.log_level.toLowerCase())) {
    cfg.report(
      'nad/calico-setting',
      `${ptr}/log_level`,
      `log_level ${show(p.log_level)} is not a level the plugin knows (debug, info, warning, ` +
        `error); it logs at info${didYouMean(p.log_level, LOG_LEVELS)}`,
    )
  }
  if (typeof p.datastore_type === 'string' && !DATASTORES.includes(p.datastore_type)) {
    cfg.report(
      'nad/calico-setting',
      `${ptr}/datastore_type`,
      `datastore_type ${show(p.datastore_type)} is neither "kubernetes" nor "etcdv3"${didYouMean(p.datastore_type, DATASTORES)}`,
    )
  }
  if (typeof p.policy_setup_timeout_seconds === 'number' && p.policy_setup_timeout_seconds < 0) {
    cfg.report(
      'nad/calico-value',
      `${ptr}/policy_setup_timeout_seconds`,
      `policy_setup_timeout_seconds is ${p.policy_setup_timeout_seconds}; it must be 0 ` +
        `or more (calico: "invalid pod startup delay")`,
    )
  }
}

/** The nested sections' keys (policy, kubernetes, feature_control, container_settings). */
function checkPluginSections(cfg: ConfigView, ptr: string, p: Record<string, unknown>): void {
  const policy = p.policy
  if (isJsonObject(policy)) {
    checkKeys(cfg, `${ptr}/policy`, policy, POLICY_KEYS, 'the calico plugin\'s "policy"')
    if (typeof policy.type === 'string' && policy.type !== 'k8s') {
      cfg.report(
        'nad/calico-setting',
        `${ptr}/policy/type`,
        `policy.type ${show(policy.type)} is not supported: the only policy type is "k8s"`,
      )
    }
  }
  if (isJsonObject(p.kubernetes))
    checkKeys(cfg, `${ptr}/kubernetes`, p.kubernetes, KUBERNETES_KEYS, 'the calico plugin\'s "kubernetes"')
  if (isJsonObject(p.feature_control))
    checkKeys(cfg, `${ptr}/feature_control`, p.feature_control, FEATURE_KEYS, 'the calico plugin\'s "feature_control"')
  if (isJsonObject(p.container_settings))
    checkKeys(
      cfg,
      `${ptr}/container_settings`,
      p.container_settings,
      CONTAINER_KEYS,
      'the calico plugin\'s "container_settings"',
    )
}

/** Whether the plugin can reach the API server, and its readiness gates. */
function checkPluginReach(cfg: ConfigView, ptr: string, p: Record<string, unknown>): void {
  if (p.datastore_type === 'kubernetes') {
    const k = isJsonObject(p.kubernetes) ? p.kubernetes : {}
    const pol = isJsonObject(p.policy) ? p.policy : {}
    if (!k.kubeconfig && !k.k8s_api_root && !pol.k8s_api_root) {
      cfg.report(
        'nad/calico-setting',
        `${ptr}/datastore_type`,
        'datastore_type is "kubernetes" but neither kubernetes.kubeconfig nor a k8s_api_root ' +
          'is set: the plugin cannot reach the API server; add "kubernetes": {"kubeconfig": ' +
          '"/etc/cni/net.d/calico-kubeconfig"}',
      )
    }
  }
  if (Array.isArray(p.readiness_gates)) {
    p.readiness_gates.forEach((g, i) => {
      if (typeof g === 'string' && !/^https?:\/\/\S+$/.test(g))
        cfg.report(
          'nad/calico-value',
          `${ptr}/readiness_gates/${i}`,
          `readiness_gates[${i}] ${show(g)} is not an http(s) URL (calico: "invalid URL set for ReadinessGates")`,
        )
    })
  }
}

/** calico-ipam's settings: assign_ipv4/assign_ipv6 strings, pools by CIDR or name. */
export function checkCalicoIpam(cfg: ConfigView, ptr: string, ipam: Record<string, unknown>): void {
  checkKeys(cfg, ptr, ipam, IPAM_KEYS, 'calico-ipam')
  const assign: Record<string, 'true' | 'false'> = {}
  for (const family of ['4', '6'] as const) {
    const key = `assign_ipv${family}`
    const v = ipam[key]
    const keyPtr = `${ptr}/${key}`
    if (v === undefined || v === null) continue
    if (typeof v === 'boolean') {
      cfg.report(
        'nad/calico-assign-ip',
        keyPtr,
        `${key} is the JSON boolean ${v}; calico-ipam reads it as a string and fails to decode ` +
          `a boolean: write "${v}" (quoted)`,
      )
      assign[family] = v ? 'true' : 'false'
    } else if (typeof v !== 'string') {
      cfg.report(
        'nad/calico-assign-ip',
        keyPtr,
        `${key} is ${show(v)}; calico-ipam expects the string "true" or "false"`,
      )
    } else if (v !== 'true' && v !== 'false') {
      const means =
        family === '4' ? 'IPv4 stays on (only "false" turns it off)' : 'IPv6 stays off (only "true" turns it on)'
      cfg.report(
        'nad/calico-assign-ip-value',
        keyPtr,
        `${key} is ${show(v)}; calico-ipam compares it with "true"/"false" exactly, so ${means}${/^(true|false)$/i.test(v) ? `: write "${v.toLowerCase()}"` : ''}`,
      )
    } else {
      assign[family] = v
    }
  }
  if (assign['4'] === 'false' && assign['6'] !== 'true') {
    cfg.report(
      'nad/calico-assign-ip-value',
      `${ptr}/assign_ipv4`,
      'assign_ipv4 is "false" and assign_ipv6 is not "true": calico-ipam assigns no address at all',
    )
  }
  for (const family of [4, 6] as const) {
    const key = `ipv${family}_pools`
    const pools = ipam[key]
    if (!Array.isArray(pools)) continue
    if (family === 6 && pools.length > 0 && assign['6'] !== 'true') {
      cfg.report(
        'nad/calico-pools-ignored',
        `${ptr}/${key}`,
        'ipv6_pools is ignored: calico-ipam only assigns IPv6 when assign_ipv6 is "true"',
        true,
      )
    }
    pools.forEach((entry, i) => checkPool(cfg, `${ptr}/${key}/${i}`, key, entry, family))
  }
}

function checkPool(cfg: ConfigView, ptr: string, key: string, entry: unknown, family: 4 | 6): void {
  if (typeof entry !== 'string') return
  const where = `${key}[${ptr.slice(ptr.lastIndexOf('/') + 1)}]`
  const ref = poolReference(cfg, ptr, key, where, entry, family)
  if (ref !== undefined) deferPoolLookup(cfg, ptr, where, entry, ref)
}

/** The pool an entry names (its canonical CIDR, or the IPPool name); undefined, reported, when it names none. */
function poolReference(
  cfg: ConfigView,
  ptr: string,
  key: string,
  where: string,
  entry: string,
  family: 4 | 6,
): string | undefined {
  if (entry.trim() === '') {
    cfg.report(
      'nad/calico-pools',
      ptr,
      `${where} is an empty string: calico-ipam fails with error parsing pool ""; write ` +
        `an IPPool name or CIDR, or remove the entry`,
    )
    return undefined
  }
  if (entry.includes('/')) {
    const cidr = parseCIDR(entry)
    if (!cidr) {
      cfg.report(
        'nad/calico-pools',
        ptr,
        `${where} ${show(entry)} is not a valid CIDR (nor an IPPool name, which cannot contain '/')`,
      )
      return undefined
    }
    if (cidr.ip.family !== family) {
      cfg.report(
        'nad/calico-pools',
        ptr,
        `${where} ${show(entry)} is an IPv${cidr.ip.family} CIDR in ${key} (calico-ipam: ` +
          `"${entry.split('/')[0]}" isn't a IPv${family} address); move it to ipv${cidr.ip.family}_pools`,
      )
      return undefined
    }
    // The canonical form is only looked up with --cluster (deferPoolLookup): not worth formatting otherwise.
    return cfg.check.knowledge.cluster ? formatCIDR(cidr) : entry
  }
  if (parseIP(entry)) {
    cfg.report(
      'nad/calico-pools',
      ptr,
      `${where} ${show(entry)} is an address without a prefix length: write the pool's ` +
        `CIDR (e.g. ${entry}/${family === 4 ? 24 : 64}) or the IPPool's name`,
    )
    return undefined
  }
  const problem = subdomainProblem(entry)
  if (problem) {
    cfg.report('nad/calico-pools', ptr, `${where} ${show(entry)} is neither a CIDR nor a valid IPPool name: ${problem}`)
    return undefined
  }
  return entry
}

/** With --cluster: the pool must exist in the cluster or in the input (IPPools later in the input count). */
function deferPoolLookup(cfg: ConfigView, ptr: string, where: string, entry: string, ref: string): void {
  const c = cfg.check
  const cluster = c.knowledge.cluster
  if (!cluster || c.knowledge.pools.has(ref) || cluster.names.pools.has(ref)) return
  // Not in the cluster: an error unless an IPPool further down the input provides it.
  const finding = c.finding('nad/pool-not-found', cfg.pointer, '', {offset: cfg.offset(ptr)})
  c.knowledge.defer(`pool\n${ref}`, finding, ({knowledge}) => {
    if (knowledge.pools.has(ref)) return undefined
    return {
      rule: 'nad/pool-not-found',
      message:
        `${where}: no IPPool ${entry.includes('/') ? 'with CIDR' : 'named'} ${show(entry)} ` +
        `in the cluster (${cluster.server}) or in the input; calico-ipam fails with "error ` +
        `parsing pool" when a pod uses this network`,
    }
  })
}
