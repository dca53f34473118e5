import {ResourceError, UsageError} from '../core/errors.js'
import {emitYaml} from '../printers/yaml-emit.js'
import {
  globalNetworkPolicy,
  kubernetesNetworkPolicy,
  networkPolicy,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
  stagedNetworkPolicy,
} from '../resources/calico.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import {findKind} from '../resources/registry.js'
import {workloadEndpoint} from '../resources/workloadendpoint.js'
import type {ObjectSource} from '../sources/source.js'
import {describeEndpoint, describePolicy} from './describe.js'
import {loadInsight} from './load.js'
import {renderEndpoints, renderPolicy} from './render.js'
import {DESCRIPTION_API_VERSION, type PolicyDescription, type WorkloadEndpointDescriptionList} from './types.js'

export interface DescribeRequest {
  kind: string
  name: string
  namespace?: string
  multiInterfaceMode?: string
  /** Most endpoints listed per set (0 = all). */
  limit: number
}

export interface DescribeAnswer {
  data: PolicyDescription | WorkloadEndpointDescriptionList
  /** Notes for stderr (mode hints, lists that could not be read, pods that could not be converted). */
  warnings: string[]
}

const DESCRIBE_FORMATS = ['text', 'yaml', 'json']

const DESCRIBED_POLICIES: ResourceDescriptor[] = [
  networkPolicy,
  globalNetworkPolicy,
  kubernetesNetworkPolicy,
  stagedNetworkPolicy,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
]

/** `xctl describe KIND NAME` against a cluster or manifests. */
export async function describeObject(source: ObjectSource, req: DescribeRequest): Promise<DescribeAnswer> {
  const d = findKind(req.kind)
  if (d !== workloadEndpoint && !DESCRIBED_POLICIES.includes(d)) {
    throw new UsageError(
      `describe does not support ${d.kind}`,
      'describe workloadendpoint (wep), networkpolicy (np), globalnetworkpolicy (gnp), ' +
        'kubernetesnetworkpolicy (knp), stagednetworkpolicy (snp), stagedglobalnetworkpolicy ' +
        '(sgnp) or stagedkubernetesnetworkpolicy (sknp)',
    )
  }
  if (req.name === '') throw new UsageError('resource name may not be empty')
  const namespace = d.namespaced ? (req.namespace ?? source.defaultNamespace) : undefined
  const loaded = await loadInsight(source, {
    multiInterfaceMode: req.multiInterfaceMode,
    policies: d === workloadEndpoint ? 'all' : {descriptor: d, namespace, name: req.name},
  })
  const warnings = [
    ...loaded.hints.map((h) => `Hint: ${h}`),
    ...loaded.problems.map((p) => `warning: ${p.message} (left out of the answer)`),
  ]
  const {insight} = loaded
  if (d === workloadEndpoint) {
    const found = insight.findEndpoints(namespace!, req.name)
    if (found.length === 0) {
      const elsewhere = insight.namespacesWithEndpoint(req.name).filter((ns) => ns !== namespace)
      throw new ResourceError(
        `Error from server (NotFound): workloadendpoints.projectcalico.org "${req.name}" ` +
          `not found in namespace "${namespace}"`,
        elsewhere.length > 0
          ? `it exists in namespace ${elsewhere.join(', ')}: add -n ${elsewhere[0]}`
          : 'give a full endpoint name or a pod name (xctl get wep -A lists them)',
      )
    }
    const data: WorkloadEndpointDescriptionList = {
      apiVersion: DESCRIPTION_API_VERSION,
      kind: 'WorkloadEndpointDescriptionList',
      items: found.map((e) => describeEndpoint(insight, e, {limit: req.limit})),
    }
    return {data, warnings}
  }
  if (!loaded.policy) {
    const plural = d.storage?.('v3-crd').plural ?? `${d.kind.toLowerCase()}s`
    throw new ResourceError(
      `Error from server (NotFound): ${plural}.${d.group} "${req.name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`,
    )
  }
  return {data: describePolicy(insight, loaded.policy, {limit: req.limit}), warnings}
}

/** The answer as text (default), YAML or JSON. */
export function formatDescription(data: DescribeAnswer['data'], format: string | undefined): string {
  switch (format ?? 'text') {
    case 'text':
      return data.kind === 'PolicyDescription' ? renderPolicy(data) : renderEndpoints(data)
    case 'yaml':
    case 'yml':
      return emitYaml(data)
    case 'json':
      return JSON.stringify(data, null, 2) + '\n'
    default:
      throw new UsageError(`unrecognized output format '${format}'`, `describe prints ${DESCRIBE_FORMATS.join(', ')}`)
  }
}
