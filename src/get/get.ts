import {UsageError} from '../cli/errors.js'
import {checkName, checkNamespaceFlag} from '../core/names.js'
import type {KubeObject} from '../kube/types.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import {findKind} from '../resources/registry.js'
import type {ObjectSource} from '../sources/source.js'
import {interfacePrefix} from '../workloadendpoints/names.js'
import {resourcePages} from './resources.js'
import {installationUsesMultus, resolveMultiInterfaceMode, workloadEndpointPages, type EndpointProblem} from './workloadendpoints.js'

export interface GetRequest {
  kind: string
  names: string[]
  namespace?: string
  allNamespaces: boolean
  labelSelector?: string
  node?: string
  multiInterfaceMode?: string
  calicoSelector?: string
  export?: boolean
  sortBy?: string
}

export interface GetResult {
  descriptor: ResourceDescriptor
  pages: AsyncIterable<KubeObject[]>
  /** Filled while pages are consumed: per-object failures (exit 1) that do not stop the listing. */
  problems: EndpointProblem[]
  /** One-line notes for stderr (never stdout), once the pages have been read. */
  hints: () => Promise<string[]>
  showNamespace: boolean
  /** Names were given: a single result prints bare in YAML/JSON. */
  named: boolean
}

/** The flags of `xctl get`, as both the oclif command and the fast path parse them. */
export interface GetFlags {
  namespace?: string
  'all-namespaces'?: boolean
  selector?: string
  node?: string
  'multi-interface-mode'?: string
  'calico-selector'?: string
  export?: boolean
  'sort-by'?: string
}

export function getRequest(kind: string, names: string[], f: GetFlags): GetRequest {
  return {
    kind, names, namespace: f.namespace, allNamespaces: Boolean(f['all-namespaces']), labelSelector: f.selector, node: f.node,
    multiInterfaceMode: f['multi-interface-mode'], calicoSelector: f['calico-selector'], export: f.export, sortBy: f['sort-by'],
  }
}

/** Resolves the kind and the namespace scope, then streams the matching objects as users see them. */
export async function getObjects(source: ObjectSource, req: GetRequest): Promise<GetResult> {
  const descriptor = findKind(req.kind)
  // Checked before any URL is built from them (a name `.` would otherwise address the whole collection).
  for (const name of req.names) checkName(descriptor.kind, name)
  req = {...req, namespace: checkNamespaceFlag(req.namespace)}
  if (req.allNamespaces && req.namespace) throw new UsageError('cannot use both --namespace and --all-namespaces flags at the same time')
  const namespace = !descriptor.namespaced || req.allNamespaces ? undefined : (req.namespace ?? source.defaultNamespace)
  if (req.node && descriptor.kind !== 'WorkloadEndpoint') throw new UsageError('--node applies to workloadendpoints only')
  const problems: EndpointProblem[] = []
  const hints: string[] = []
  let pages: AsyncIterable<KubeObject[]>
  let hintCheck: Promise<void> = Promise.resolve()
  if (descriptor.kind === 'WorkloadEndpoint') {
    const mode = resolveMultiInterfaceMode(req.multiInterfaceMode)
    if (mode.warning) hints.push(mode.warning)
    pages = workloadEndpointPages(source, {names: req.names, namespace, labelSelector: req.labelSelector, node: req.node, mode: mode.mode, interfacePrefix: interfacePrefix()}, problems)
    if (!mode.explicit) {
      // Asked once there is an endpoint to speak of (an empty list needs no hint), alongside the later pages.
      pages = onFirstObjects(pages, () => {
        hintCheck = installationUsesMultus(source).then((multus) => {
          if (multus) hints.push("this cluster's Installation sets multiInterfaceMode: Multus; set MULTI_INTERFACE_MODE=multus (or --multi-interface-mode multus) to see one endpoint per pod interface")
        })
      })
    }
  } else {
    pages = resourcePages(source, descriptor, {names: req.names, namespace, labelSelector: req.labelSelector}, problems)
  }
  if (req.calicoSelector !== undefined) pages = filterPages(pages, await calicoSelectorFilter(req.calicoSelector))
  if (req.export) pages = mapPages(pages, exportObject)
  if (req.sortBy) pages = await sortPages(pages, req.sortBy)
  const showNamespace = descriptor.namespaced && (req.allNamespaces || req.namespace !== undefined)
  return {descriptor, pages, problems, hints: () => hintCheck.then(() => hints, () => hints), showNamespace, named: req.names.length > 0}
}

async function calicoSelectorFilter(expr: string): Promise<(o: KubeObject) => boolean> {
  const {parseSelector, SelectorError} = await import('../selector/index.js')
  try {
    const selector = parseSelector(expr)
    return (o) => selector.matches(o.metadata.labels ?? {})
  } catch (error) {
    if (error instanceof SelectorError) throw new UsageError(`invalid --calico-selector: ${error.message} (at column ${error.column})`, `selector: ${expr}\n${' '.repeat(error.column + 15)}^`)
    throw error
  }
}

async function* onFirstObjects(pages: AsyncIterable<KubeObject[]>, start: () => void): AsyncGenerator<KubeObject[]> {
  let started = false
  for await (const page of pages) {
    if (!started && page.length > 0) {
      started = true
      start()
    }
    yield page
  }
}

async function* filterPages(pages: AsyncIterable<KubeObject[]>, keep: (o: KubeObject) => boolean): AsyncGenerator<KubeObject[]> {
  for await (const page of pages) yield page.filter(keep)
}

async function* mapPages(pages: AsyncIterable<KubeObject[]>, fn: (o: KubeObject) => KubeObject): AsyncGenerator<KubeObject[]> {
  for await (const page of pages) yield page.map(fn)
}

/** `--sort-by` needs every object before the first can print (kubectl also reads the whole list for it). */
async function sortPages(pages: AsyncIterable<KubeObject[]>, expr: string): Promise<AsyncIterable<KubeObject[]>> {
  const {fieldValue} = await import('../jsonpath/index.js').then((m) => ({fieldValue: m.fieldPath(expr)}))
  return (async function* () {
    const all: KubeObject[] = []
    for await (const page of pages) all.push(...page)
    const keyed = all.map((o) => ({o, k: fieldValue(o)}))
    keyed.sort((a, b) => {
      const na = Number(a.k)
      const nb = Number(b.k)
      if (a.k !== '' && b.k !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb
      return a.k < b.k ? -1 : a.k > b.k ? 1 : 0
    })
    yield keyed.map((x) => x.o)
  })()
}

/** What `--export` strips so the output applies cleanly elsewhere (another namespace or cluster). */
export function exportObject(o: KubeObject): KubeObject {
  const {resourceVersion, uid, creationTimestamp, managedFields, generation, selfLink, namespace, deletionTimestamp, deletionGracePeriodSeconds, ownerReferences, ...metadata} = o.metadata
  void [resourceVersion, uid, creationTimestamp, managedFields, generation, selfLink, namespace, deletionTimestamp, deletionGracePeriodSeconds, ownerReferences]
  const {status, ...rest} = o
  void status
  return {...rest, metadata}
}
