import {ApiError, UsageError} from '../core/errors.js'
import type {GetResult} from '../get/get.js'
import {workloadEndpointPages, type EndpointProblem} from '../get/workloadendpoints.js'
import {installationUsesMultus, resolveMultiInterfaceMode} from '../resources/multi-interface.js'
import type {KubeObject} from '../kube/types.js'
import {workloadEndpoint} from '../resources/workloadendpoint.js'
import {caretHint, equalityConstraints, parseSelector, SelectorError, type Selector} from '../selector/index.js'
import {NAMESPACE, type ObjectSource} from '../sources/source.js'
import {interfacePrefix} from '../workloadendpoints/names.js'
import {globalNetworkSet, networkSet} from '../resources/calico.js'
import {calicoList, optionalList, SERVICE_ACCOUNT} from './load.js'
import {networkSetInfo} from './network-sets.js'
import {catalogFrom, EffectiveLabels, type ProfileCatalog} from './profiles.js'
import {LABEL_NAMESPACE, NAMESPACE_PREFIX, SERVICE_ACCOUNT_PREFIX} from './selectors.js'

export interface EvalRequest {
  selector: string
  namespace?: string
  allNamespaces: boolean
  multiInterfaceMode?: string
}

/** A selector as the user typed it, or a usage error pointing at the column. */
function parseUserSelector(text: string, what = 'selector'): Selector {
  try {
    return parseSelector(text)
  } catch (error) {
    if (error instanceof SelectorError)
      throw new UsageError(
        `invalid ${what}: ${error.message} (at column ${error.column})`,
        caretHint(`${what}: `, text, error),
      )
    throw error
  }
}

/**
 * `xctl eval SELECTOR`: the endpoints a Calico selector matches, evaluated on effective labels (the endpoint's own,
 * then `pcns.`/`pcsa.` labels from its namespace and service account), as a policy selector is. With -n (or the
 * default namespace) only that namespace's endpoints count, as for a NetworkPolicy; with -A every namespace, as for
 * a GlobalNetworkPolicy. Endpoints stream page by page: one selector over one pass needs no index, but `==`/`in`
 * terms on pod labels are sent to the API as a label selector, and a `projectcalico.org/namespace == X` term narrows
 * the listing to that namespace.
 */
export async function evalSelector(source: ObjectSource, req: EvalRequest): Promise<GetResult> {
  if (req.allNamespaces && req.namespace)
    throw new UsageError('cannot use both --namespace and --all-namespaces flags at the same time')
  const selector = parseUserSelector(req.selector)
  const constraints = equalityConstraints(selector) ?? {}
  let namespace = req.allNamespaces ? undefined : (req.namespace ?? source.defaultNamespace)
  const nsValues = constraints[LABEL_NAMESPACE]
  if (namespace === undefined && nsValues?.length === 1) namespace = nsValues[0]
  const mode = resolveMultiInterfaceMode(req.multiInterfaceMode)
  const hints: string[] = []
  if (mode.warning) hints.push(mode.warning)
  const keys = selector.labelKeys()
  const needNamespaces = keys.some((k) => k.startsWith(NAMESPACE_PREFIX))
  const needServiceAccounts = keys.some((k) => k.startsWith(SERVICE_ACCOUNT_PREFIX))
  const [namespaces, serviceAccounts, multus] = await Promise.all([
    needNamespaces ? optionalList(source, NAMESPACE, hints, 'namespaces') : undefined,
    needServiceAccounts ? optionalList(source, SERVICE_ACCOUNT, hints, 'service accounts', namespace) : undefined,
    mode.explicit ? false : installationUsesMultus(source),
  ])
  if (multus)
    hints.push(
      "this cluster's Installation sets multiInterfaceMode: Multus; set MULTI_INTERFACE_MODE=multus " +
        '(or --multi-interface-mode multus) to see one endpoint per pod interface',
    )
  const catalog = catalogFrom(namespaces, serviceAccounts)
  const effective = new EffectiveLabels(catalog)
  const problems: EndpointProblem[] = []
  const pages = workloadEndpointPages(
    source,
    {
      names: [],
      namespace,
      labelSelector: podLabelSelector(constraints),
      mode: mode.mode,
      interfacePrefix: interfacePrefix(),
    },
    problems,
  )
  return {
    descriptor: workloadEndpoint,
    pages: filter(pages, (e) => selector.matches(effective.of(e))),
    problems,
    hints: async () => [...hints, ...(await networkSetHint(source, selector, catalog, namespace))],
    showNamespace: req.allNamespaces || req.namespace !== undefined,
    named: false,
  }
}

/**
 * Network sets the selector matches, scoped as the endpoints are (-n: that namespace's NetworkSets, as a
 * NetworkPolicy rule; -A: every set, GlobalNetworkSets too, as a GlobalNetworkPolicy rule): as a rule selector it
 * would match their nets as well. Said on stderr; the endpoints stay the answer on stdout.
 */
async function networkSetHint(
  source: ObjectSource,
  selector: Selector,
  catalog: ProfileCatalog,
  namespace: string | undefined,
): Promise<string[]> {
  // Only a note: sets that cannot be read (no Calico API, no permission) leave it out rather than fail eval.
  const quiet = (p: Promise<KubeObject[]>) =>
    p.catch((error) => (error instanceof ApiError ? [] : Promise.reject(error)))
  const lists = await Promise.all([
    quiet(calicoList(source, networkSet, [], namespace)),
    namespace === undefined ? quiet(calicoList(source, globalNetworkSet, [])) : [],
  ])
  const sets = lists.flat().map((o) => networkSetInfo(o, catalog))
  const matched = sets.filter((x) => selector.matches(x.labels))
  if (matched.length === 0) return []
  const names = matched.map(
    (x) => `${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name} (${x.nets.join(',') || 'no nets'})`,
  )
  return [`as a rule selector it also matches the nets of ${names.join(', ')}`]
}

const QUALIFIED_KEY =
  /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/

/**
 * The `==`/`in` terms on pod labels as a Kubernetes label selector (`k in (a,b)`), so the API filters pods.
 * Labels Calico adds (projectcalico.org/*) or profiles give (pcns.*, pcsa.*) are not pod labels and stay local.
 */
function podLabelSelector(constraints: Record<string, string[]>): string | undefined {
  const terms: string[] = []
  for (const [key, values] of Object.entries(constraints)) {
    if (
      key.startsWith('projectcalico.org/') ||
      key.startsWith(NAMESPACE_PREFIX) ||
      key.startsWith(SERVICE_ACCOUNT_PREFIX)
    )
      continue
    if (!QUALIFIED_KEY.test(key) || values.length === 0 || !values.every((v) => LABEL_VALUE.test(v))) continue
    terms.push(values.length === 1 ? `${key}=${values[0]}` : `${key} in (${values.join(',')})`)
  }
  return terms.length > 0 ? terms.join(',') : undefined
}

async function* filter<T extends KubeObject>(pages: AsyncIterable<T[]>, keep: (o: T) => boolean): AsyncGenerator<T[]> {
  for await (const page of pages) yield page.filter(keep)
}
