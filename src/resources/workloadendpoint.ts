import type {KubeObject} from '../kube/types.js'
import {join, NAME_COLUMN, type Column, type ResourceDescriptor} from './descriptor.js'

const workload: Column = {header: 'WORKLOAD', value: (o) => o.spec?.workload || o.spec?.pod || ''}
const node: Column = {header: 'NODE', value: (o) => o.spec?.node ?? ''}
const networks: Column = {header: 'NETWORKS', value: (o) => join(o.spec?.ipNetworks)}
const iface: Column = {header: 'INTERFACE', value: (o) => o.spec?.interfaceName ?? ''}
const profiles: Column = {header: 'PROFILES', value: (o) => join(o.spec?.profiles)}
// calicoctl joins IPNAT structs with Go's %v: {internal external}.
const nats: Column = {
  header: 'NATS',
  value: (o) =>
    (o.spec?.ipNATs ?? [])
      .map((n: {internalIP: string; externalIP: string}) => `{${n.internalIP} ${n.externalIP}}`)
      .join(','),
}

/** WorkloadEndpoints are not stored in the Kubernetes datastore: they are derived from Pods. */
export const workloadEndpoint: ResourceDescriptor = {
  kind: 'WorkloadEndpoint',
  aliases: ['workloadendpoint', 'workloadendpoints', 'wep', 'weps'],
  namespaced: true,
  apiVersion: 'projectcalico.org/v3',
  group: 'projectcalico.org',
  columns: [workload, node, networks, iface],
  wideColumns: [NAME_COLUMN, workload, node, networks, iface, profiles, nats],
  extraColumns: [{header: 'ORCHESTRATOR', value: (o: KubeObject) => o.spec?.orchestrator ?? ''}],
  derived: true,
}
