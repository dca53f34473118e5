import {ApiError} from '../core/errors.js'
import {resourcePages} from '../get/resources.js'
import {workloadEndpointPages, type EndpointProblem} from '../get/workloadendpoints.js'
import {installationUsesMultus, resolveMultiInterfaceMode} from '../resources/multi-interface.js'
import type {KubeObject} from '../kube/types.js'
import {
  globalNetworkPolicy,
  globalNetworkSet,
  kubernetesNetworkPolicy,
  networkPolicy,
  networkSet,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
  stagedNetworkPolicy,
  tierKind,
} from '../resources/calico.js'
import {stagedK8sPolicyToCalico} from '../resources/k8s-policy.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import {NAMESPACE, type ApiKind, type ObjectSource} from '../sources/source.js'
import type {MultiInterfaceMode, WorkloadEndpoint} from '../workloadendpoints/convert.js'
import {interfacePrefix} from '../workloadendpoints/names.js'
import {Insight} from './model.js'

export const SERVICE_ACCOUNT: ApiKind = {
  group: '',
  version: 'v1',
  plural: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
}

export interface LoadOptions {
  /** --multi-interface-mode (else MULTI_INTERFACE_MODE). */
  multiInterfaceMode?: string
  /** Which policies to read: all of them, or only these named ones (describe networkpolicy NAME). */
  policies: 'all' | {descriptor: ResourceDescriptor; namespace?: string; name: string}
}

export interface Loaded {
  insight: Insight
  /** The named policy (when one was asked for and exists). */
  policy?: KubeObject
  /** Per-pod conversion failures (printed on stderr; they make the exit code 1). */
  problems: EndpointProblem[]
  /** One-line notes for stderr. */
  hints: string[]
}

/**
 * Reads what describe needs from the cluster or the manifests, all lists at once: pods (every namespace, as policy
 * rules may reach any), namespaces and service accounts (their labels reach endpoints through profiles; when they
 * cannot be read, only their names are known), tiers, and the policies.
 */
export async function loadInsight(source: ObjectSource, options: LoadOptions): Promise<Loaded> {
  const mode = resolveMultiInterfaceMode(options.multiInterfaceMode)
  const hints: string[] = []
  if (mode.warning) hints.push(mode.warning)
  const problems: EndpointProblem[] = []
  const policyProblems: EndpointProblem[] = []
  const [endpoints, namespaces, serviceAccounts, tiers, policies, networkSets, multus] = await Promise.all([
    readEndpoints(source, mode.mode, problems),
    optionalList(source, NAMESPACE, hints, 'namespaces'),
    optionalList(source, SERVICE_ACCOUNT, hints, 'service accounts'),
    calicoList(source, tierKind, hints),
    options.policies === 'all' ? allPolicies(source, hints) : namedPolicy(source, options.policies, policyProblems),
    Promise.all([calicoList(source, networkSet, []), calicoList(source, globalNetworkSet, [])]).then((l) => l.flat()),
    mode.explicit ? Promise.resolve(false) : installationUsesMultus(source),
  ])
  if (multus)
    hints.push(
      "this cluster's Installation sets multiInterfaceMode: Multus; set MULTI_INTERFACE_MODE=multus " +
        '(or --multi-interface-mode multus) to see one endpoint per pod interface',
    )
  const insight = new Insight({endpoints, namespaces, serviceAccounts, tiers, policies, networkSets, mode: mode.mode})
  return {insight, policy: options.policies === 'all' ? undefined : policies[0], problems, hints}
}

/**
 * Every policy Calico evaluates, as projectcalico.org/v3 objects: Calico's, Kubernetes NetworkPolicies converted
 * (knp.default.<name>), and the staged kinds (StagedKubernetesNetworkPolicies converted to StagedNetworkPolicies).
 * Staged kinds and Kubernetes policies are optional: a cluster without them just has none (no hint).
 */
async function allPolicies(source: ObjectSource, hints: string[]): Promise<KubeObject[]> {
  const lists = await Promise.all([
    calicoList(source, networkPolicy, hints),
    calicoList(source, globalNetworkPolicy, hints),
    calicoList(source, kubernetesNetworkPolicy, []),
    calicoList(source, stagedNetworkPolicy, []),
    calicoList(source, stagedGlobalNetworkPolicy, []),
    calicoList(source, stagedKubernetesNetworkPolicy, []).then((l) => l.map(stagedK8sPolicyToCalico)),
  ])
  return lists.flat()
}

/** The one policy `describe KIND NAME` asks for (a StagedKubernetesNetworkPolicy as Calico converts it). */
async function namedPolicy(
  source: ObjectSource,
  wanted: {descriptor: ResourceDescriptor; namespace?: string; name: string},
  problems: EndpointProblem[],
): Promise<KubeObject[]> {
  const query = {names: [wanted.name], namespace: wanted.namespace}
  const found = await collect(resourcePages(source, wanted.descriptor, query, problems))
  return wanted.descriptor === stagedKubernetesNetworkPolicy ? found.map(stagedK8sPolicyToCalico) : found
}

async function readEndpoints(
  source: ObjectSource,
  mode: MultiInterfaceMode,
  problems: EndpointProblem[],
): Promise<WorkloadEndpoint[]> {
  const out: WorkloadEndpoint[] = []
  for await (const page of workloadEndpointPages(
    source,
    {names: [], mode, interfacePrefix: interfacePrefix()},
    problems,
  ))
    for (const e of page) out.push(e)
  return out
}

/** A list that only enriches the answer: when the API refuses it (forbidden, absent), say so and go on without it. */
export async function optionalList(
  source: ObjectSource,
  kind: ApiKind,
  hints: string[],
  what: string,
  namespace?: string,
): Promise<KubeObject[] | undefined> {
  try {
    const list = await collect(source.list(kind, {namespace}))
    // A cluster always has namespaces: none at all means manifests that do not include them (labels unknown).
    return list.length > 0 ? list : undefined
  } catch (error) {
    if (error instanceof ApiError && error.status < 500 && error.status !== 401) {
      hints.push(
        `could not list ${what} (${error.reason}); labels they give endpoints through profiles ` +
          `are unknown, only their names are used`,
      )
      return undefined
    }
    throw error
  }
}

/** Calico resources; a cluster without the Calico API (404) simply has none. */
export async function calicoList(
  source: ObjectSource,
  d: ResourceDescriptor,
  hints: string[],
  namespace?: string,
): Promise<KubeObject[]> {
  try {
    return await collect(resourcePages(source, d, {names: [], namespace}, []))
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      hints.push(`the cluster serves no ${d.kind} resources (is Calico's API installed?)`)
      return []
    }
    throw error
  }
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = []
  for await (const page of pages) for (const x of page) out.push(x)
  return out
}
