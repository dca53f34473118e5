// What the server serves: built-in kinds, custom resources derived from the CRD objects in the
// store (as the apiextensions server does), and Calico's aggregated projectcalico.org/v3.

import {createHash} from 'node:crypto'

export type CalicoMode = 'crd-v1' | 'v3-crd' | 'apiserver-v3' | 'none'

export interface PrinterColumn {
  name: string
  type: string
  format?: string
  description?: string
  priority?: number
  jsonPath: string
}

export type TableKind =
  'pods' | 'nodes' | 'namespaces' | 'configmaps' | 'serviceaccounts' | 'events' | 'networkpolicies' | 'default' | 'cr'

export interface ResourceInfo {
  group: string
  version: string
  resource: string
  kind: string
  listKind: string
  singular: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  verbs: string[]
  statusSubresource: boolean
  /** Compiled-in type: struct JSON, list items without TypeMeta, strategic merge patch, go-restful 404s. */
  builtin: boolean
  /** Served by an aggregated API server (Calico's projectcalico.org/v3). */
  aggregated: boolean
  /** Delete answers with the object instead of a Status (registry.Store.ReturnDeletedObject). */
  returnDeletedObject: boolean
  allowUnconditionalUpdate: boolean
  hasGeneration: boolean
  /** Storage bucket; two API views may share one (calico-apiserver stores v3 in the v1 CRDs). */
  storage: string
  /** apiVersion objects are kept with in the bucket. */
  storageApiVersion: string
  table: TableKind
  printerColumns: PrinterColumn[]
  /** Allowed field selector labels, and the error for anything else. */
  fieldLabels: string[]
  fieldLabelError: (label: string) => string
  /** Name validation: namespaces are DNS-1123 labels, the rest subdomains. */
  nameIsLabel: boolean
}

export const apiVersionOf = (ri: {group: string; version: string}) =>
  ri.group ? `${ri.group}/${ri.version}` : ri.version

/** discovery.StorageVersionHash. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  const gvk = `${group}/${version}/${kind}`
  return createHash('sha256').update(gvk).digest().subarray(0, 8).toString('base64')
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
/** The order the CRD discovery controller lists verbs in. */
export const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']

const notSupported = (label: string) => `field label not supported: ${label}`

function builtin(
  p: Partial<ResourceInfo> & Pick<ResourceInfo, 'group' | 'version' | 'resource' | 'kind' | 'namespaced' | 'singular'>,
): ResourceInfo {
  return {
    listKind: `${p.kind}List`,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    statusSubresource: false,
    builtin: true,
    aggregated: false,
    returnDeletedObject: false,
    allowUnconditionalUpdate: true,
    hasGeneration: false,
    storage: `${p.group || 'core'}/${p.resource}`,
    storageApiVersion: apiVersionOf(p),
    table: 'default',
    printerColumns: [],
    fieldLabels: ['metadata.name', 'metadata.namespace'],
    fieldLabelError: notSupported,
    nameIsLabel: false,
    ...p,
  }
}

/** Kinds with only ObjectMeta selectable fields (pkg/apis/core/v1/conversion.go). */
const metaOnlyFieldError = (kind: string) => (label: string) => `field label "${label}" not supported for "${kind}"`

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  builtin({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    table: 'configmaps',
    fieldLabelError: metaOnlyFieldError('ConfigMap'),
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    table: 'events',
    fieldLabels: [
      'metadata.name',
      'metadata.namespace',
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    statusSubresource: true,
    returnDeletedObject: true,
    table: 'namespaces',
    fieldLabels: ['metadata.name', 'status.phase'],
    nameIsLabel: true,
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    statusSubresource: true,
    table: 'nodes',
    fieldLabels: ['metadata.name', 'spec.unschedulable'],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    returnDeletedObject: true,
    table: 'pods',
    fieldLabels: [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    returnDeletedObject: true,
    table: 'serviceaccounts',
    fieldLabelError: metaOnlyFieldError('ServiceAccount'),
  }),
  builtin({
    // Kubernetes NetworkPolicy: a real cluster always has it, and it shares the plural with Calico's
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    singular: 'networkpolicy',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    table: 'networkpolicies',
    fieldLabelError: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
  }),
  builtin({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    statusSubresource: true,
    returnDeletedObject: true,
    allowUnconditionalUpdate: false,
    hasGeneration: true,
    table: 'default',
  }),
]

/** Field values a field selector can match for an object of this resource. */
export function fieldSet(ri: ResourceInfo, obj: any): Record<string, string> {
  const f: Record<string, string> = {'metadata.name': obj.metadata?.name ?? ''}
  if (ri.namespaced) f['metadata.namespace'] = obj.metadata?.namespace ?? ''
  if (ri.kind === 'Pod' && ri.builtin) {
    f['spec.nodeName'] = obj.spec?.nodeName ?? ''
    f['spec.restartPolicy'] = obj.spec?.restartPolicy ?? ''
    f['spec.schedulerName'] = obj.spec?.schedulerName ?? ''
    f['spec.serviceAccountName'] = obj.spec?.serviceAccountName ?? ''
    f['spec.hostNetwork'] = String(obj.spec?.hostNetwork ?? false)
    f['status.phase'] = obj.status?.phase ?? ''
    f['status.podIP'] = obj.status?.podIP ?? ''
    f['status.podIPs'] = (obj.status?.podIPs ?? []).map((p: any) => p.ip).join(',')
    f['status.nominatedNodeName'] = obj.status?.nominatedNodeName ?? ''
  } else if (ri.kind === 'Node' && ri.builtin) {
    f['spec.unschedulable'] = String(obj.spec?.unschedulable ?? false)
  } else if (ri.kind === 'Namespace' && ri.builtin) {
    f['status.phase'] = obj.status?.phase ?? ''
  } else if (ri.kind === 'Event' && ri.builtin) {
    const io = obj.involvedObject ?? {}
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'])
      f[`involvedObject.${k}`] = io[k] ?? ''
    f.reason = obj.reason ?? ''
    f.reportingComponent = obj.reportingComponent ?? ''
    f.source = obj.source?.component ?? ''
    f.type = obj.type ?? ''
  }
  return f
}

// ---------- CRDs ----------

export interface CrdSpec {
  group: string
  version: string
  kind: string
  plural: string
  singular?: string
  namespaced: boolean
  shortNames?: string[]
  categories?: string[]
  status?: boolean
  printerColumns?: PrinterColumn[]
  schema?: object
}

const PRESERVE_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: {type: 'string'},
    kind: {type: 'string'},
    metadata: {type: 'object'},
    spec: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
    status: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
  },
}

/** A CustomResourceDefinition object as `kubectl get crd -o json` shows it once established. */
export function makeCrd(s: CrdSpec, created: string): Record<string, any> {
  const names: Record<string, any> = {
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.singular ?? s.kind.toLowerCase(),
  }
  if (s.shortNames?.length) names.shortNames = s.shortNames
  if (s.categories?.length) names.categories = s.categories
  const version: Record<string, any> = {
    name: s.version,
    served: true,
    storage: true,
    schema: {openAPIV3Schema: s.schema ?? PRESERVE_SCHEMA},
  }
  if (s.printerColumns?.length) version.additionalPrinterColumns = s.printerColumns
  if (s.status) version.subresources = {status: {}}
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: `${s.plural}.${s.group}`, creationTimestamp: created},
    spec: {
      group: s.group,
      names,
      scope: s.namespaced ? 'Namespaced' : 'Cluster',
      versions: [version],
      conversion: {strategy: 'None'},
    },
  }
}

/** What the establishing and naming controllers write into a CRD's status. */
export function crdStatus(crd: any, now: string): Record<string, any> {
  const versions = (crd.spec?.versions ?? []) as any[]
  return {
    acceptedNames: crd.spec?.names ?? {},
    conditions: [
      {
        lastTransitionTime: now,
        message: 'no conflicts found',
        reason: 'NoConflicts',
        status: 'True',
        type: 'NamesAccepted',
      },
      {
        lastTransitionTime: now,
        message: 'the initial names have been accepted',
        reason: 'InitialNamesAccepted',
        status: 'True',
        type: 'Established',
      },
    ],
    storedVersions: versions.filter((v) => v.storage).map((v) => v.name),
  }
}

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  jsonPath: '.metadata.creationTimestamp',
}

/** The ResourceInfo of each served version of a CRD object. */
export function resourcesFromCrd(crd: any): ResourceInfo[] {
  const spec = crd.spec ?? {}
  const names = spec.names ?? {}
  const versions = (spec.versions ?? []) as any[]
  const storageVersion = versions.find((v) => v.storage)?.name ?? versions[0]?.name
  return versions
    .filter((v) => v.served)
    .map((v) => {
      const cols = (v.additionalPrinterColumns ?? []) as PrinterColumn[]
      return {
        group: spec.group,
        version: v.name,
        resource: names.plural,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: CRD_VERBS,
        statusSubresource: !!v.subresources?.status,
        builtin: false,
        aggregated: false,
        returnDeletedObject: false,
        allowUnconditionalUpdate: false,
        hasGeneration: true,
        storage: `${spec.group}/${names.plural}`,
        storageApiVersion: `${spec.group}/${storageVersion}`,
        table: 'cr',
        printerColumns: cols.length ? cols : [AGE_COLUMN],
        fieldLabels: spec.scope === 'Namespaced' ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'],
        fieldLabelError: notSupported,
        nameIsLabel: false,
      } satisfies ResourceInfo
    })
}

// ---------- the CRDs this project cares about ----------

const NAD_SCHEMA = {
  description:
    'NetworkAttachmentDefinition is a CRD schema specified by the Network Plumbing Working Group to express the intent for attaching pods to one or more logical or physical networks. More information available at: https://github.com/k8snetworkplumbingwg/multi-net-spec',
  type: 'object',
  properties: {
    apiVersion: {type: 'string'},
    kind: {type: 'string'},
    metadata: {type: 'object'},
    spec: {
      description: 'NetworkAttachmentDefinition spec defines the desired state of a network attachment',
      type: 'object',
      properties: {
        config: {
          description: 'NetworkAttachmentDefinition config is a JSON-formatted CNI configuration',
          type: 'string',
        },
      },
    },
  },
}

export const NAD_CRD: CrdSpec = {
  group: 'k8s.cni.cncf.io',
  version: 'v1',
  kind: 'NetworkAttachmentDefinition',
  plural: 'network-attachment-definitions',
  singular: 'network-attachment-definition',
  namespaced: true,
  shortNames: ['nad', 'net-attach-def'],
  schema: NAD_SCHEMA,
}

export const INSTALLATION_CRD: CrdSpec = {
  group: 'operator.tigera.io',
  version: 'v1',
  kind: 'Installation',
  plural: 'installations',
  namespaced: false,
  status: true,
}

interface CalicoKind {
  plural: string
  kind: string
  namespaced?: boolean
}

/** libcalico-go/config/crd/crd.projectcalico.org_*.yaml (v3.32): no short names, no printer columns. */
const CALICO_V1_KINDS: CalicoKind[] = [
  {plural: 'bgpconfigurations', kind: 'BGPConfiguration'},
  {plural: 'bgpfilters', kind: 'BGPFilter'},
  {plural: 'bgppeers', kind: 'BGPPeer'},
  {plural: 'blockaffinities', kind: 'BlockAffinity'},
  {plural: 'caliconodestatuses', kind: 'CalicoNodeStatus'},
  {plural: 'clusterinformations', kind: 'ClusterInformation'},
  {plural: 'felixconfigurations', kind: 'FelixConfiguration'},
  {plural: 'globalnetworkpolicies', kind: 'GlobalNetworkPolicy'},
  {plural: 'globalnetworksets', kind: 'GlobalNetworkSet'},
  {plural: 'hostendpoints', kind: 'HostEndpoint'},
  {plural: 'ipamblocks', kind: 'IPAMBlock'},
  {plural: 'ipamconfigs', kind: 'IPAMConfig'},
  {plural: 'ipamhandles', kind: 'IPAMHandle'},
  {plural: 'ippools', kind: 'IPPool'},
  {plural: 'ipreservations', kind: 'IPReservation'},
  {plural: 'kubecontrollersconfigurations', kind: 'KubeControllersConfiguration'},
  {plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true},
  {plural: 'networksets', kind: 'NetworkSet', namespaced: true},
  {plural: 'stagedglobalnetworkpolicies', kind: 'StagedGlobalNetworkPolicy'},
  {plural: 'stagedkubernetesnetworkpolicies', kind: 'StagedKubernetesNetworkPolicy', namespaced: true},
  {plural: 'stagednetworkpolicies', kind: 'StagedNetworkPolicy', namespaced: true},
  {plural: 'tiers', kind: 'Tier'},
]

const col = (name: string, type: string, jsonPath: string, description?: string): PrinterColumn =>
  description ? {name, type, jsonPath, description} : {name, type, jsonPath}

/** api/config/crd/projectcalico.org_*.yaml (v3.32 native v3 CRDs, tech preview). */
const CALICO_V3_CRD_EXTRAS: Record<string, Partial<CrdSpec>> = {
  networkpolicies: {
    shortNames: ['cnp', 'caliconetworkpolicy'],
    printerColumns: [col('Tier', 'string', '.spec.tier'), col('Order', 'number', '.spec.order')],
  },
  globalnetworkpolicies: {
    shortNames: ['gnp', 'cgnp'],
    printerColumns: [
      col('Tier', 'string', '.spec.tier'),
      col('Order', 'number', '.spec.order'),
      col('Age', 'date', '.metadata.creationTimestamp'),
    ],
  },
  globalnetworksets: {shortNames: ['gns'], printerColumns: [col('Age', 'date', '.metadata.creationTimestamp')]},
  hostendpoints: {
    shortNames: ['hep', 'heps'],
    printerColumns: [
      col(
        'Node',
        'string',
        '.spec.node',
        'The node name identifying the Calico node instance that is targeted by this HostEndpoint',
      ),
      col(
        'Interface',
        'string',
        '.spec.interfaceName',
        'The name of the interface that is targeted by this HostEndpoint',
      ),
    ],
  },
  tiers: {
    status: true,
    printerColumns: [
      col('Order', 'integer', '.spec.order', 'Order in which the tier is applied'),
      col('DefaultAction', 'string', '.spec.defaultAction', 'Default action for the tier'),
      col('Status', 'string', ".status.conditions[?(@.type=='Ready')].reason", 'Current status of the tier'),
    ],
  },
  caliconodestatuses: {status: true},
}

export function calicoV1Crds(): CrdSpec[] {
  return CALICO_V1_KINDS.map((k) => ({
    group: 'crd.projectcalico.org',
    version: 'v1',
    kind: k.kind,
    plural: k.plural,
    namespaced: !!k.namespaced,
    status: k.plural === 'caliconodestatuses',
  }))
}

export function calicoV3Crds(): CrdSpec[] {
  return CALICO_V1_KINDS.map((k): CrdSpec => {
    const plural = k.plural === 'ipamconfigs' ? 'ipamconfigurations' : k.plural
    const kind = k.kind === 'IPAMConfig' ? 'IPAMConfiguration' : k.kind
    return {
      group: 'projectcalico.org',
      version: 'v3',
      kind,
      plural,
      namespaced: !!k.namespaced,
      ...CALICO_V3_CRD_EXTRAS[plural],
    }
  }).concat([{group: 'projectcalico.org', version: 'v3', kind: 'Profile', plural: 'profiles', namespaced: false}])
}

/** Short names calico-apiserver registers (as `kubectl api-resources` lists them). */
const AGGREGATED_SHORT_NAMES: Record<string, string[]> = {
  bgpconfigurations: ['bgpconfig', 'bgpconfigs'],
  blockaffinities: ['blockaffinity', 'affinity', 'affinities'],
  caliconodestatuses: ['caliconodestatus'],
  clusterinformations: ['clusterinfo'],
  felixconfigurations: ['felixconfig', 'felixconfigs'],
  globalnetworkpolicies: ['gnp', 'cgnp', 'calicoglobalnetworkpolicies'],
  hostendpoints: ['hep', 'heps'],
  ipamconfigurations: ['ipamconfig'],
  networkpolicies: ['cnp', 'caliconetworkpolicy', 'caliconetworkpolicies'],
  networksets: ['netsets'],
}

/**
 * projectcalico.org/v3 as served by calico-apiserver. It stores into the crd.projectcalico.org/v1
 * CRDs, so each v3 resource shares the v1 bucket (objects are shown with the v3 apiVersion).
 */
export function calicoAggregatedResources(): ResourceInfo[] {
  const kinds = CALICO_V1_KINDS.filter((k) => !['ipamblocks', 'ipamhandles', 'ipamconfigs'].includes(k.plural))
  const out: ResourceInfo[] = kinds.map((k) => ({
    group: 'projectcalico.org',
    version: 'v3',
    resource: k.plural,
    kind: k.kind,
    listKind: `${k.kind}List`,
    singular: k.kind.toLowerCase(),
    namespaced: !!k.namespaced,
    shortNames: AGGREGATED_SHORT_NAMES[k.plural] ?? [],
    categories: [],
    verbs: ALL_VERBS,
    statusSubresource: k.plural === 'caliconodestatuses',
    builtin: false,
    aggregated: true,
    returnDeletedObject: true,
    allowUnconditionalUpdate: false,
    hasGeneration: true,
    storage: `crd.projectcalico.org/${k.plural}`,
    storageApiVersion: 'crd.projectcalico.org/v1',
    table: 'default',
    printerColumns: [],
    fieldLabels: k.namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'],
    fieldLabelError: notSupported,
    nameIsLabel: false,
  }))
  const base = out[0]!
  for (const [plural, kind] of [
    ['ipamconfigurations', 'IPAMConfiguration'],
    ['profiles', 'Profile'],
  ] as const) {
    out.push({
      ...base,
      resource: plural,
      kind,
      listKind: `${kind}List`,
      singular: kind.toLowerCase(),
      namespaced: false,
      shortNames: AGGREGATED_SHORT_NAMES[plural] ?? [],
      statusSubresource: false,
      storage: `projectcalico.org/${plural}`,
      storageApiVersion: 'projectcalico.org/v3',
      fieldLabels: ['metadata.name'],
    })
  }
  return out.sort((a, b) => (a.resource < b.resource ? -1 : 1))
}

/** The CRDs a server in this mode starts with. */
export function crdsForMode(mode: CalicoMode): CrdSpec[] {
  const crds = [NAD_CRD, INSTALLATION_CRD]
  if (mode === 'crd-v1' || mode === 'apiserver-v3') crds.push(...calicoV1Crds())
  if (mode === 'v3-crd') crds.push(...calicoV3Crds())
  return crds
}
