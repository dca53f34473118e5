import type {KubeObject} from '../kube/types.js'
import {calicoCoordinates, calicoFromStorage, calicoToStorage} from './calico-storage.js'
import {formatOrder, NAME_COLUMN, type Column, type ResourceDescriptor} from './descriptor.js'

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
  wideColumns: [NAME_COLUMN, order, {header: 'DEFAULTACTION', value: (o) => o.spec?.defaultAction ?? 'Deny'}],
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
