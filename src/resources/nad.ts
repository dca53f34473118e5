import {summarizeNad} from '../multus/nad.js'
import {NAME_COLUMN, type Column, type ResourceDescriptor} from './descriptor.js'

const type: Column = {header: 'TYPE', value: (o) => summarizeNad(o).type}
const cniVersion: Column = {header: 'CNIVERSION', value: (o) => summarizeNad(o).cniVersion}

export const networkAttachmentDefinition: ResourceDescriptor = {
  kind: 'NetworkAttachmentDefinition',
  aliases: [
    'networkattachmentdefinition',
    'networkattachmentdefinitions',
    'network-attachment-definition',
    'network-attachment-definitions',
    'nad',
    'nads',
    'net-attach-def',
    'net-attach-defs',
  ],
  namespaced: true,
  apiVersion: 'k8s.cni.cncf.io/v1',
  group: 'k8s.cni.cncf.io',
  storage: () => ({group: 'k8s.cni.cncf.io', version: 'v1', plural: 'network-attachment-definitions'}),
  columns: [NAME_COLUMN, type, cniVersion],
  wideColumns: [
    NAME_COLUMN,
    type,
    cniVersion,
    {header: 'IPAM', value: (o) => summarizeNad(o).ipam},
    {header: 'POOLS', value: (o) => summarizeNad(o).pools},
    {header: 'MTU', value: (o) => summarizeNad(o).mtu},
    {header: 'CONFIG', value: (o) => summarizeNad(o).status},
  ],
}
