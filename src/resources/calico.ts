import type {KubeObject} from '../kube/types.js'
import {calicoCoordinates, calicoFromStorage, calicoToStorage} from './calico-storage.js'
import {formatOrder, join, NAME_COLUMN, type Column, type ResourceDescriptor} from './descriptor.js'
import {KNP_PREFIX, k8sPolicyToCalico, kubernetesPolicyName} from './k8s-policy.js'

const tier: Column = {header: 'TIER', value: (o) => o.spec?.tier ?? 'default'}
const order: Column = {header: 'ORDER', value: (o) => formatOrder(o.spec?.order)}
const selector: Column = {header: 'SELECTOR', value: (o) => o.spec?.selector ?? ''}

const calico = (plural: string) => ({
  apiVersion: 'projectcalico.org/v3',
  group: 'projectcalico.org',
  storage: calicoCoordinates(plural),
  fromStorage: calicoFromStorage,
  toStorage: calicoToStorage,
})

export const networkPolicy: ResourceDescriptor = {
  kind: 'NetworkPolicy',
  aliases: [
    'networkpolicy',
    'networkpolicies',
    'policy',
    'policies',
    'np',
    'pol',
    'pols',
    'cnp',
    'caliconetworkpolicy',
    'caliconetworkpolicies',
  ],
  namespaced: true,
  ...calico('networkpolicies'),
  columns: [NAME_COLUMN, tier],
  wideColumns: [NAME_COLUMN, tier, order, selector],
  refuseWrite: (name) => {
    const k8sName = kubernetesPolicyName(name)
    return k8sName === undefined ? undefined : knpReadOnly(k8sName)
  },
}

/** calicoctl resourcemgr/networkpolicy.go: "kubernetes network policies must be managed through the kubernetes API". */
function knpReadOnly(k8sName: string): string {
  return (
    `Kubernetes network policies must be managed through the Kubernetes API: Calico only ` +
    `shows networkpolicies.networking.k8s.io "${k8sName}" as ${KNP_PREFIX}${k8sName}; ` +
    `change it with kubectl (kubectl apply -f FILE, kubectl edit networkpolicy ${k8sName}, ` +
    `kubectl delete networkpolicy ${k8sName})`
  )
}

export const stagedNetworkPolicy: ResourceDescriptor = {
  kind: 'StagedNetworkPolicy',
  aliases: ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols'],
  namespaced: true,
  ...calico('stagednetworkpolicies'),
  columns: [NAME_COLUMN, tier],
  wideColumns: [NAME_COLUMN, tier, order, selector],
  // libcalico-go clientv3/stagednetworkpolicy.go (v3.31.7):
  // "Cannot create a StagedNetworkPolicy with that name prefix".
  refuseWrite: (name) => {
    const k8sName = kubernetesPolicyName(name)
    return k8sName === undefined
      ? undefined
      : `a StagedNetworkPolicy may not be named ${KNP_PREFIX}... (Calico reserves the prefix ` +
          `for staged Kubernetes policies): write a StagedKubernetesNetworkPolicy named ${k8sName} ` +
          `instead`
  },
}

export const stagedGlobalNetworkPolicy: ResourceDescriptor = {
  kind: 'StagedGlobalNetworkPolicy',
  aliases: ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps'],
  namespaced: false,
  ...calico('stagedglobalnetworkpolicies'),
  columns: [NAME_COLUMN, tier],
  wideColumns: [NAME_COLUMN, tier, order, selector],
}

/** kubectl's way of printing a LabelSelector (metav1.FormatLabelSelector): `app=web,tier in (a,b)`, `<none>`. */
function formatLabelSelector(s: unknown): string {
  if (!s || typeof s !== 'object') return '<none>'
  const {matchLabels, matchExpressions} = s as {matchLabels?: Record<string, string>; matchExpressions?: unknown[]}
  const terms = Object.entries(matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
  for (const e of Array.isArray(matchExpressions) ? matchExpressions : []) {
    const {key, operator, values} = (e ?? {}) as {key?: string; operator?: string; values?: unknown[]}
    const set = `(${(values ?? []).map(String).join(',')})`
    if (operator === 'In') terms.push(`${key} in ${set}`)
    else if (operator === 'NotIn') terms.push(`${key} notin ${set}`)
    else if (operator === 'Exists') terms.push(String(key))
    else if (operator === 'DoesNotExist') terms.push(`!${key}`)
  }
  return terms.length > 0 ? terms.join(',') : '<none>'
}

export const stagedKubernetesNetworkPolicy: ResourceDescriptor = {
  kind: 'StagedKubernetesNetworkPolicy',
  aliases: [
    'stagedkubernetesnetworkpolicy',
    'stagedkubernetesnetworkpolicies',
    'stagedkubernetespolicy',
    'sknp',
    'stagedkubernetespolicies',
    'skpol',
    'skpols',
  ],
  namespaced: true,
  ...calico('stagedkubernetesnetworkpolicies'),
  columns: [NAME_COLUMN],
  // calicoctl prints the Go struct ({map[app:web] []}); kubectl's selector form says the same, readably.
  wideColumns: [NAME_COLUMN, {header: 'PODSELECTOR', value: (o) => formatLabelSelector(o.spec?.podSelector)}],
}

/**
 * Kubernetes NetworkPolicies (networking.k8s.io/v1) as Calico shows them: projectcalico.org/v3 NetworkPolicies
 * named knp.default.<name> in tier default, order 1000 (src/resources/k8s-policy.ts). Read-only: calicoctl refuses
 * to write them, and so does xctl (kubectl writes the Kubernetes object).
 */
export const kubernetesNetworkPolicy: ResourceDescriptor = {
  kind: 'NetworkPolicy',
  // kubectl's full names of the Kubernetes kind reach it too (networkpolicies alone is Calico's, as in calicoctl).
  aliases: [
    'kubernetesnetworkpolicy',
    'kubernetesnetworkpolicies',
    'knp',
    'knps',
    'networkpolicies.networking.k8s.io',
    'networkpolicy.networking.k8s.io',
  ],
  namespaced: true,
  apiVersion: 'projectcalico.org/v3',
  group: 'projectcalico.org',
  storage: () => ({group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies'}),
  fromStorage: (o) => k8sPolicyToCalico(o),
  storedName: (name) => kubernetesPolicyName(name) ?? name,
  columns: [NAME_COLUMN, tier],
  wideColumns: [NAME_COLUMN, tier, order, selector],
  refuseWrite: (name) => knpReadOnly(kubernetesPolicyName(name) ?? name),
}

/** joinAndTruncate(.Spec.Nets, ",", 80) (calicoctl commands/common/printer.go): cut to 77 characters and "...". */
function joinAndTruncate(values: unknown, max = 80): string {
  let out = ''
  for (const [i, v] of (Array.isArray(values) ? values : []).entries()) {
    out += (i > 0 ? ',' : '') + String(v)
    if (out.length > max) return out.slice(0, max - 3) + '...'
  }
  return out
}

const nets: Column = {header: 'NETS', value: (o) => joinAndTruncate(o.spec?.nets)}

export const networkSet: ResourceDescriptor = {
  kind: 'NetworkSet',
  // Never `ns`: that is kubectl's namespaces.
  aliases: ['networkset', 'networksets', 'netsets'],
  namespaced: true,
  ...calico('networksets'),
  columns: [NAME_COLUMN],
  wideColumns: [NAME_COLUMN, nets],
}

export const globalNetworkSet: ResourceDescriptor = {
  kind: 'GlobalNetworkSet',
  aliases: ['globalnetworkset', 'globalnetworksets', 'gnetsets'],
  namespaced: false,
  ...calico('globalnetworksets'),
  columns: [NAME_COLUMN],
  wideColumns: [NAME_COLUMN, nets],
}

const node: Column = {header: 'NODE', value: (o) => o.spec?.node ?? ''}

export const hostEndpoint: ResourceDescriptor = {
  kind: 'HostEndpoint',
  aliases: ['hostendpoint', 'hostendpoints', 'hep', 'heps'],
  namespaced: false,
  ...calico('hostendpoints'),
  columns: [NAME_COLUMN, node],
  wideColumns: [
    NAME_COLUMN,
    node,
    {header: 'INTERFACE', value: (o) => o.spec?.interfaceName ?? ''},
    {header: 'IPS', value: (o) => join(o.spec?.expectedIPs)},
    {header: 'PROFILES', value: (o) => join(o.spec?.profiles)},
  ],
}

export const globalNetworkPolicy: ResourceDescriptor = {
  kind: 'GlobalNetworkPolicy',
  aliases: ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps'],
  namespaced: false,
  ...calico('globalnetworkpolicies'),
  columns: [NAME_COLUMN, tier],
  wideColumns: [NAME_COLUMN, tier, order, selector],
}

/** calicoctl lists tiers by order, unset order last. */
function byOrder(a: KubeObject, b: KubeObject): number {
  const oa = a.spec?.order ?? Infinity
  const ob = b.spec?.order ?? Infinity
  return oa === ob ? 0 : oa < ob ? -1 : 1
}

export const tierKind: ResourceDescriptor = {
  kind: 'Tier',
  aliases: ['tier', 'tiers'],
  namespaced: false,
  ...calico('tiers'),
  columns: [NAME_COLUMN, order],
  // calicoctl's wide view of tiers is its ps view (calicoctl/calicoctl/resourcemgr/tier.go).
  wideColumns: [NAME_COLUMN, order],
  compare: byOrder,
}

const orNever = (v: unknown) => (v ? String(v) : 'Never')
const cidr: Column = {header: 'CIDR', value: (o) => o.spec?.cidr ?? ''}
const nodeSelector: Column = {header: 'SELECTOR', value: (o) => o.spec?.nodeSelector ?? ''}

export const ipPool: ResourceDescriptor = {
  kind: 'IPPool',
  aliases: ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'],
  namespaced: false,
  ...calico('ippools'),
  columns: [NAME_COLUMN, cidr, nodeSelector],
  wideColumns: [
    NAME_COLUMN,
    cidr,
    {header: 'NAT', value: (o) => String(o.spec?.natOutgoing ?? false)},
    {header: 'IPIPMODE', value: (o) => orNever(o.spec?.ipipMode)},
    {header: 'VXLANMODE', value: (o) => orNever(o.spec?.vxlanMode)},
    {header: 'DISABLED', value: (o) => String(o.spec?.disabled ?? false)},
    {header: 'DISABLEBGPEXPORT', value: (o) => String(o.spec?.disableBGPExport ?? false)},
    nodeSelector,
    {header: 'ASSIGNMENTMODE', value: (o) => o.spec?.assignmentMode ?? 'Automatic'},
  ],
}

export const clusterInformation: ResourceDescriptor = {
  kind: 'ClusterInformation',
  aliases: ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos'],
  namespaced: false,
  ...calico('clusterinformations'),
  columns: [
    NAME_COLUMN,
    {header: 'CLUSTERGUID', value: (o) => o.spec?.clusterGUID ?? ''},
    {header: 'CLUSTERTYPE', value: (o) => o.spec?.clusterType ?? ''},
    {header: 'CALICOVERSION', value: (o) => o.spec?.calicoVersion ?? ''},
    {header: 'DATASTOREREADY', value: (o) => String(o.spec?.datastoreReady ?? '')},
  ],
  get wideColumns() {
    return this.columns
  },
}
