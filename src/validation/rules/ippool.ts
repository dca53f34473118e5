import {isJsonObject} from '../../core/go-json.js'
import type {Check} from '../context.js'
import {formatCIDR, isStrictlyMasked, overlaps, parseCIDR} from '../../core/net.js'
import {didYouMean, show, subdomainProblem} from '../text.js'
import {
  enterpriseOnly,
  checkCalicoApi,
  checkKnownFields,
  checkNamespace,
  checkSelector,
  expectType,
  isCalicoApi,
  nameOf,
  type KindRules,
} from './common.js'

const FIELDS = [
  'cidr',
  'vxlanMode',
  'ipipMode',
  'natOutgoing',
  'disabled',
  'disableBGPExport',
  'nodeSelector',
  'namespaceSelector',
  'blockSize',
  'allowedUses',
  'assignmentMode',
  'awsSubnetID',
  'ipip',
  'nat-outgoing',
]
const MODES = ['Always', 'CrossSubnet', 'Never']
const USES = ['Workload', 'Tunnel', 'LoadBalancer']
/** tigera/api ippool.go IPPoolAllowedUse: values only Calico Enterprise / Calico Cloud have. */
const ENTERPRISE_USES = ['HostSecondaryInterface', 'L2Workload']
const LINK_LOCAL = [parseCIDR('169.254.0.0/16')!, parseCIDR('fe80::/10')!]

/** IPPools (validateIPPoolSpec, calicoctl.md §6.3). Their names and CIDRs also satisfy NADs' ipv4_pools/ipv6_pools. */
export const ippoolRules: KindRules = {
  matches: (kind, apiVersion) => kind === 'IPPool' && isCalicoApi(apiVersion),
  namespaced: false,
  check(c, o) {
    checkCalicoApi(c)
    const name = nameOf(c, o, 'ippool/name')
    if (name !== undefined) {
      const problem = subdomainProblem(name)
      if (problem) c.report('ippool/name', '/metadata/name', `IPPool name ${show(name)} is not valid: ${problem}`)
      else c.knowledge.pools.add(name)
    }
    checkNamespace(c, o, false)
    const spec = o.spec
    if (!isJsonObject(spec)) {
      c.report(
        'ippool/cidr',
        spec === undefined ? '' : '/spec',
        'IPPool CIDR must be specified: add spec.cidr (e.g. 10.48.0.0/16)',
      )
      return
    }
    checkKnownFields(c, 'ippool/unknown-field', '/spec', spec, FIELDS, 'IPPool spec')
    for (const f of ['natOutgoing', 'disabled', 'disableBGPExport'])
      expectType(c, 'ippool/field-type', `/spec/${f}`, spec[f], 'boolean')
    const {family, prefix} = checkCidr(c, spec.cidr)
    checkBlockSize(c, spec, family, prefix)
    checkEncapsulation(c, spec, family)
    const mode = spec.assignmentMode
    if (mode !== undefined && mode !== null && mode !== 'Automatic' && mode !== 'Manual') {
      c.report(
        'ippool/assignment-mode',
        '/spec/assignmentMode',
        `assignmentMode ${show(mode)} is not valid: use Automatic or Manual${typeof mode === 'string' ? didYouMean(mode, ['Automatic', 'Manual']) : ''}`,
      )
    }
    checkAllowedUses(c, spec)
    if (spec.awsSubnetID !== undefined && spec.awsSubnetID !== null)
      enterpriseOnly(c, '/spec/awsSubnetID', 'IPPool awsSubnetID', {atKey: true})
    for (const f of ['nodeSelector', 'namespaceSelector']) {
      checkSelector(c, `/spec/${f}`, spec[f], {
        syntaxRule: 'ippool/selector',
        globalRule: 'ippool/selector',
        global: 'never',
        field: f,
      })
    }
  },
}

/** The pool's CIDR; its family and prefix length when it parses. */
function checkCidr(c: Check, raw: unknown): {family?: 4 | 6; prefix?: number} {
  let family: 4 | 6 | undefined
  let prefix: number | undefined
  if (raw === undefined || raw === null || raw === '') {
    c.report('ippool/cidr', '/spec', 'IPPool CIDR must be specified: add spec.cidr (e.g. 10.48.0.0/16)')
  } else if (typeof raw !== 'string' || !parseCIDR(raw)) {
    c.report(
      'ippool/cidr',
      '/spec/cidr',
      `cidr ${show(raw)} is not valid: IPPool CIDR must be a valid subnet such as 10.48.0.0/16`,
    )
  } else {
    const cidr = parseCIDR(raw)!
    family = cidr.ip.family
    prefix = cidr.prefix
    if (!isStrictlyMasked(cidr))
      c.report(
        'ippool/cidr',
        '/spec/cidr',
        `IP pool CIDR ${raw} is not strictly masked (host bits are set): write ${formatCIDR(cidr)}`,
      )
    const ll = LINK_LOCAL.find((l) => overlaps(l, cidr))
    if (ll)
      c.report(
        'ippool/link-local',
        '/spec/cidr',
        `IP pool ${raw} overlaps the link-local range ${formatCIDR(ll)}, which Calico does not allow in a pool`,
      )
    c.knowledge.pools.add(formatCIDR(cidr))
  }
  return {family, prefix}
}

function checkBlockSize(
  c: Check,
  spec: Record<string, unknown>,
  family: 4 | 6 | undefined,
  prefix: number | undefined,
): void {
  const block = spec.blockSize
  let blockSize: number | undefined = family === 4 ? 26 : family === 6 ? 122 : undefined
  if (block !== undefined && block !== null) {
    if (typeof block !== 'number' || !Number.isInteger(block)) {
      c.report('ippool/block-size', '/spec/blockSize', `blockSize is ${show(block)}; it must be a whole number`)
      blockSize = undefined
    } else {
      blockSize = block
      if (family === 4 && (block < 20 || block > 32))
        c.report(
          'ippool/block-size',
          '/spec/blockSize',
          `blockSize ${block} is out of range for an IPv4 pool: use 20-32 (default 26)`,
        )
      else if (family === 6 && (block < 116 || block > 128))
        c.report(
          'ippool/block-size',
          '/spec/blockSize',
          `blockSize ${block} is out of range for an IPv6 pool: use 116-128 (default 122)`,
        )
    }
  }
  // Only enabled pools must hold a whole block (validateIPPoolSpec: `if !pool.Disabled`).
  if (prefix !== undefined && blockSize !== undefined && prefix > blockSize && spec.disabled !== true) {
    c.report(
      'ippool/block-size',
      block !== undefined ? '/spec/blockSize' : '/spec/cidr',
      `the pool (/${prefix}) is smaller than its block size (/${blockSize}${block === undefined ? ', the default' : ''}): ` +
        `IP pool size is too small for use with Calico IPAM. It must be equal to or greater ` +
        `than the block size`,
    )
  }
}

function checkEncapsulation(c: Check, spec: Record<string, unknown>, family: 4 | 6 | undefined): void {
  for (const f of ['ipipMode', 'vxlanMode']) {
    const v = spec[f]
    if (v !== undefined && v !== null && v !== '' && !MODES.includes(v as string)) {
      c.report(
        'ippool/encapsulation',
        `/spec/${f}`,
        `${f} ${show(v)} is not valid: use Always, CrossSubnet or Never${typeof v === 'string' ? didYouMean(v, MODES) : ''}`,
      )
    }
  }
  const on = (v: unknown) => v === 'Always' || v === 'CrossSubnet'
  if (family === 6 && on(spec.ipipMode))
    c.report(
      'ippool/encapsulation',
      '/spec/ipipMode',
      'IPIP cannot be used with an IPv6 pool: set ipipMode: Never (use vxlanMode for IPv6 encapsulation)',
    )
  if (on(spec.ipipMode) && on(spec.vxlanMode))
    c.report(
      'ippool/encapsulation',
      '/spec/vxlanMode',
      'ipipMode and vxlanMode cannot both be enabled: choose one encapsulation',
    )
}

/**
 * allowedUses values and combinations (validateIPPoolSpec, validator.go v3.32.1; ippool.go CRD rules): LoadBalancer
 * stands alone, without IPIP/VXLAN or disableBGPExport, on all nodes; Tunnel addresses are not namespaced.
 */
function checkAllowedUses(c: Check, spec: Record<string, unknown>): void {
  const uses = spec.allowedUses
  if (uses === undefined || uses === null) return
  if (!Array.isArray(uses)) {
    c.report(
      'ippool/allowed-uses',
      '/spec/allowedUses',
      `allowedUses is ${show(uses)}; it must be a list of Workload, Tunnel, LoadBalancer`,
    )
    return
  }
  uses.forEach((u, i) => {
    const ptr = `/spec/allowedUses/${i}`
    if (ENTERPRISE_USES.includes(u as string)) enterpriseOnly(c, ptr, `allowedUses ${show(u)}`)
    else if (!USES.includes(u as string))
      c.report(
        'ippool/allowed-uses',
        ptr,
        `allowedUses[${i}] ${show(u)} is not valid (unknown use): use Workload, Tunnel or ` +
          `LoadBalancer${typeof u === 'string' ? didYouMean(u, [...USES, ...ENTERPRISE_USES]) : ''}`,
      )
  })
  if (uses.includes('LoadBalancer')) checkLoadBalancerPool(c, spec, uses)
  const ns = spec.namespaceSelector
  if (uses.includes('Tunnel') && typeof ns === 'string' && ns !== '') {
    c.report(
      'ippool/allowed-uses',
      '/spec/namespaceSelector',
      'IP Pool with AllowedUse Tunnel cannot have namespaceSelector specified - tunnel ' +
        'IPs are not namespaced resources: remove it or drop Tunnel',
    )
  }
}

/** A LoadBalancer pool stands alone: no other uses, no encapsulation, BGP export on, all nodes. */
function checkLoadBalancerPool(c: Check, spec: Record<string, unknown>, uses: unknown[]): void {
  const at = (use: string) => `/spec/allowedUses/${uses.indexOf(use)}`
  for (const other of ['Workload', 'Tunnel']) {
    if (uses.includes(other))
      c.report(
        'ippool/allowed-uses',
        at(other),
        `LoadBalancer cannot be used at the same time as: ${other}; use a separate pool for load balancer addresses`,
      )
  }
  const on = (v: unknown) => v === 'Always' || v === 'CrossSubnet'
  if (on(spec.ipipMode) || on(spec.vxlanMode))
    c.report(
      'ippool/allowed-uses',
      on(spec.ipipMode) ? '/spec/ipipMode' : '/spec/vxlanMode',
      'Neither IPIPMode nor VXLANMode can be enabled on AllowedUses LoadBalancer IP pool: set them to Never',
    )
  if (spec.disableBGPExport === true)
    c.report(
      'ippool/allowed-uses',
      '/spec/disableBGPExport',
      'a LoadBalancer pool cannot set disableBGPExport: true (Calico advertises load balancer ' +
        'addresses over BGP); remove it',
    )
  const sel = spec.nodeSelector
  // An empty nodeSelector is defaulted to all() when the pool is created.
  if (sel !== undefined && sel !== null && sel !== '' && sel !== 'all()')
    c.report(
      'ippool/allowed-uses',
      '/spec/nodeSelector',
      `IP Pool with AllowedUse LoadBalancer must have node selector set to all(), not ${show(sel)}`,
    )
}
