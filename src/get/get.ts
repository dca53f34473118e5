import {ResourceError, UsageError} from '../core/errors.js'
import {
  checkName,
  checkNamespaceFlag,
  invalidNameMessage,
  invalidNamespaceMessage,
  nameProblems,
  namespaceProblems,
} from '../core/names.js'
import type {KubeObject} from '../kube/types.js'
import type {Column, ResourceDescriptor} from '../resources/descriptor.js'
import {findKind, kindOfObject} from '../resources/registry.js'
import type {ObjectSource} from '../sources/source.js'
import {interfacePrefix} from '../workloadendpoints/names.js'
import {resourcePages} from './resources.js'
import {workloadEndpointPages, type EndpointProblem} from './workloadendpoints.js'
import {installationUsesMultus, resolveMultiInterfaceMode} from '../resources/multi-interface.js'

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
  /** What the printer reads of each object (from printers' detailFor); `full` when not given. */
  detail?: ObjectDetail
  /** kubectl's --ignore-not-found: named objects that do not exist are no error. */
  ignoreNotFound?: boolean
  /** kubectl's --show-labels, -L/--label-columns and --show-kind: more table columns, a kind-qualified NAME. */
  showLabels?: boolean
  labelColumns?: string[]
  showKind?: boolean
  /** kubectl's --field-selector, on the objects as xctl shows them (metadata.name, spec.node, ...). */
  fieldSelector?: string
  /** `-f PATH` without --local: fetch from the cluster the objects these manifests name (kubectl, calicoctl). */
  files?: {paths: string[]; recursive: boolean}
  /** kubectl's --chunk-size: objects per list page (0 = no paging). */
  chunkSize?: number
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
  'ignore-not-found'?: boolean
  'show-labels'?: boolean
  'label-columns'?: string[]
  'show-kind'?: boolean
  'field-selector'?: string
  local?: boolean
  filename?: string[]
  recursive?: boolean
  'chunk-size'?: number | string
}

export type ObjectDetail = 'columns' | 'full'

/** `detail`: what the printer reads of each object (src/printers/printer.ts, detailFor), `full` if unsure. */
export function getRequest(kind: string, names: string[], f: GetFlags, detail: ObjectDetail = 'full'): GetRequest {
  return {
    kind,
    names,
    namespace: f.namespace,
    allNamespaces: Boolean(f['all-namespaces']),
    labelSelector: f.selector,
    node: f.node,
    multiInterfaceMode: f['multi-interface-mode'],
    calicoSelector: f['calico-selector'],
    export: f.export,
    sortBy: f['sort-by'],
    detail,
    ignoreNotFound: f['ignore-not-found'],
    showLabels: f['show-labels'],
    labelColumns: f['label-columns']?.flatMap((l) => l.split(',')).filter(Boolean),
    showKind: f['show-kind'],
    fieldSelector: f['field-selector'],
    files: !f.local && f.filename?.length ? {paths: f.filename, recursive: Boolean(f.recursive)} : undefined,
    chunkSize: chunkSize(f['chunk-size']),
  }
}

/** Resolves the kind and the namespace scope, then streams the matching objects as users see them. */
export async function getObjects(source: ObjectSource, req: GetRequest): Promise<GetResult> {
  const descriptor = findKind(req.kind)
  req = checkRequest(descriptor, req)
  const namespace = !descriptor.namespaced || req.allNamespaces ? undefined : (req.namespace ?? source.defaultNamespace)
  if (req.node && descriptor.kind !== 'WorkloadEndpoint')
    throw new UsageError('--node applies to workloadendpoints only')
  const problems: EndpointProblem[] = []
  const hints: string[] = []
  const targets = await readFileTargets(source, descriptor, req, hints)
  // Set once the first endpoint is read (see workloadEndpointPagesFor); hints wait for it.
  const multusHint: MultusHintCheck = {done: Promise.resolve()}
  let pages =
    descriptor.kind === 'WorkloadEndpoint'
      ? workloadEndpointPagesFor(source, req, namespace, targets, problems, hints, multusHint)
      : resourcePagesFor(source, descriptor, req, namespace, targets, problems)
  pages = await refinePages(pages, req, problems)
  const showNamespace = descriptor.namespaced && (req.allNamespaces || req.namespace !== undefined)
  const named = req.names.length > 0 || targets !== undefined
  return {
    descriptor: withColumns(descriptor, req),
    pages,
    problems,
    hints: () =>
      multusHint.done.then(
        () => hints,
        () => hints,
      ),
    showNamespace,
    named,
  }
}

/** Names and -n checked, and -n with -A refused, before any URL is built from them. */
function checkRequest(descriptor: ResourceDescriptor, req: GetRequest): GetRequest {
  // A name `.` would otherwise address the whole collection.
  for (const name of req.names) checkName(descriptor.kind, name)
  req = {...req, namespace: checkNamespaceFlag(req.namespace)}
  if (req.allNamespaces && req.namespace)
    throw new UsageError('cannot use both --namespace and --all-namespaces flags at the same time')
  return req
}

/** The objects `-f` names, when given; NAMEs on the command line may not be given as well. */
async function readFileTargets(
  source: ObjectSource,
  descriptor: ResourceDescriptor,
  req: GetRequest,
  hints: string[],
): Promise<FileTargets | undefined> {
  const targets = req.files
    ? await targetsInFiles(req.files, descriptor, req.namespace, source.defaultNamespace, hints)
    : undefined
  if (targets && req.names.length > 0) {
    throw new UsageError(
      'when -f is given, NAMEs may not be given as well',
      `e.g. get ${req.kind} -f FILE, or get ${req.kind} NAME`,
    )
  }
  return targets
}

/** The Installation check behind the multiInterfaceMode hint, once it has started. */
interface MultusHintCheck {
  done: Promise<void>
}

/**
 * WorkloadEndpoints derived from the pods asked for; when the mode was not chosen, the first endpoint read starts
 * a check of whether the cluster's Installation uses Multus, to hint at the mode that shows every interface.
 */
function workloadEndpointPagesFor(
  source: ObjectSource,
  req: GetRequest,
  namespace: string | undefined,
  targets: FileTargets | undefined,
  problems: EndpointProblem[],
  hints: string[],
  multusHint: MultusHintCheck,
): AsyncIterable<KubeObject[]> {
  const mode = resolveMultiInterfaceMode(req.multiInterfaceMode)
  if (mode.warning) hints.push(mode.warning)
  const query = {
    labelSelector: req.labelSelector,
    node: req.node,
    mode: mode.mode,
    interfacePrefix: interfacePrefix(),
    detail: columnsAreEnough(req) ? ('columns' as const) : ('full' as const),
    limit: req.chunkSize,
  }
  let pages = targets
    ? concatPages(targets, (names, ns) => workloadEndpointPages(source, {...query, names, namespace: ns}, problems))
    : workloadEndpointPages(source, {...query, names: req.names, namespace}, problems)
  if (!mode.explicit) {
    // Asked once there is an endpoint to speak of (an empty list needs no hint), alongside the later pages.
    pages = onFirstObjects(pages, () => {
      multusHint.done = installationUsesMultus(source).then((multus) => {
        if (multus)
          hints.push(
            "this cluster's Installation sets multiInterfaceMode: Multus; set MULTI_INTERFACE_MODE=multus " +
              '(or --multi-interface-mode multus) to see one endpoint per pod interface',
          )
      })
    })
  }
  return pages
}

/**
 * Whether the table's columns are all the printer reads of an endpoint. Selectors, --sort-by and --export read
 * fields no column shows: they need whole endpoints. Labels and field values not in the columns need whole objects too.
 */
function columnsAreEnough(req: GetRequest): boolean {
  return (
    req.detail === 'columns' &&
    req.calicoSelector === undefined &&
    !req.sortBy &&
    !req.export &&
    !req.showLabels &&
    !req.labelColumns?.length &&
    !req.fieldSelector
  )
}

/** Any other kind: the objects -f names, or those the NAMEs and the label selector pick. */
function resourcePagesFor(
  source: ObjectSource,
  descriptor: ResourceDescriptor,
  req: GetRequest,
  namespace: string | undefined,
  targets: FileTargets | undefined,
  problems: EndpointProblem[],
): AsyncIterable<KubeObject[]> {
  return targets
    ? concatPages(targets, (names, ns) => resourcePages(source, descriptor, {names, namespace: ns}, problems))
    : resourcePages(
        source,
        descriptor,
        {names: req.names, namespace, labelSelector: req.labelSelector, limit: req.chunkSize},
        problems,
      )
}

/** What the flags do to the objects read: filters, --ignore-not-found, --export, --sort-by. */
async function refinePages(
  pages: AsyncIterable<KubeObject[]>,
  req: GetRequest,
  problems: EndpointProblem[],
): Promise<AsyncIterable<KubeObject[]>> {
  if (req.calicoSelector !== undefined) pages = filterPages(pages, await calicoSelectorFilter(req.calicoSelector))
  if (req.fieldSelector) pages = filterPages(pages, fieldSelectorFilter(req.fieldSelector))
  if (req.ignoreNotFound) pages = afterPages(pages, () => dropNotFound(problems))
  if (req.export) pages = mapPages(pages, exportObject)
  if (req.sortBy) pages = await sortPages(pages, req.sortBy)
  return pages
}

/**
 * `get KIND[,KIND...] [NAME...]` or `get KIND/NAME...` (kubectl's forms): one request per kind, in the order typed.
 */
export function getRequests(positionals: string[], f: GetFlags, detail: ObjectDetail = 'full'): GetRequest[] {
  // KIND/NAME form when the first argument has one (`get np a/b` keeps "a/b" as a name, refused as such).
  const slashed = positionals[0]?.includes('/') ? positionals.filter((a) => a.includes('/')) : []
  if (slashed.length > 0) {
    if (slashed.length !== positionals.length)
      throw new UsageError(
        'there is no need to specify a resource type as a separate argument when passing ' +
          'arguments in resource/name form',
        "e.g. 'xctl get wep/NAME nad/NAME' instead of 'xctl get wep wep/NAME'",
      )
    const byKind = new Map<string, {typed: string; names: string[]}>()
    for (const arg of slashed) {
      const [typed, name] = [arg.slice(0, arg.indexOf('/')), arg.slice(arg.indexOf('/') + 1)]
      const kind = findKind(typed).kind
      byKind.set(kind, {typed, names: [...(byKind.get(kind)?.names ?? []), name]})
    }
    return [...byKind.values()].map(({typed, names}) => getRequest(typed, names, f, detail))
  }
  const [kinds, ...names] = positionals
  const typed = kinds.split(',').filter(Boolean)
  if (typed.length === 0) throw new UsageError(`no kind in "${kinds}"`, 'e.g. xctl get wep,nad')
  for (const k of typed) findKind(k)
  return typed.map((k) => getRequest(k, names, f, detail))
}

/** The table's columns with what --show-kind, -L and --show-labels add (kubectl's placement: after the kind's own). */
export function withColumns(d: ResourceDescriptor, req: GetRequest): ResourceDescriptor {
  if (!req.showKind && !req.showLabels && !req.labelColumns?.length) return d
  const qualify = (c: Column): Column =>
    req.showKind && c.header === 'NAME'
      ? {header: 'NAME', value: (o) => `${d.kind.toLowerCase()}.${d.group}/${c.value(o)}`}
      : c
  const labelColumns: Column[] = (req.labelColumns ?? []).map((key) => ({
    header: (key.split('/').pop() ?? key).toUpperCase(),
    value: (o) => o.metadata.labels?.[key] ?? '',
  }))
  if (req.showLabels)
    labelColumns.push({
      header: 'LABELS',
      value: (o) =>
        Object.entries(o.metadata.labels ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    })
  return {
    ...d,
    columns: [...d.columns.map(qualify), ...labelColumns],
    wideColumns: [...d.wideColumns.map(qualify), ...labelColumns],
  }
}

/** `--field-selector a.b=x,c!=y`: any dotted path of the object as shown; checked before a request is sent. */
export function fieldSelectorFilter(selector: string): (o: KubeObject) => boolean {
  const terms = selector.split(',').map((part) => {
    const m = /^([\w.-]+)\s*(==|!=|=)\s*(.*)$/.exec(part.trim())
    if (!m)
      throw new UsageError(
        `invalid field selector term "${part.trim()}"`,
        'e.g. --field-selector metadata.name=web,spec.node!=n1',
      )
    return {path: m[1].split('.'), negate: m[2] === '!=', value: m[3]}
  })
  const read = (o: KubeObject, path: string[]) => {
    let v: unknown = o
    for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return (o) => terms.every((t) => (read(o, t.path) === t.value) !== t.negate)
}

async function* afterPages(pages: AsyncIterable<KubeObject[]>, done: () => void): AsyncGenerator<KubeObject[]> {
  yield* pages
  done()
}

function dropNotFound(problems: EndpointProblem[]): void {
  const kept = problems.filter((p) => !p.notFound)
  problems.splice(0, problems.length, ...kept)
}

/** KIND for describe: the kinds it explains, by the kind a manifest gives. */
const DESCRIBED_KINDS: Record<string, string> = {
  Pod: 'wep',
  WorkloadEndpoint: 'wep',
  NetworkPolicy: 'np',
  GlobalNetworkPolicy: 'gnp',
}

/**
 * `describe -f FILE` against the cluster: the endpoints (pods) and policies the manifests name, each with the
 * namespace kubectl would use; only those of KIND when it is given.
 */
export async function describeTargets(
  paths: string[],
  recursive: boolean,
  kind: string | undefined,
  namespaceFlag: string | undefined,
): Promise<Array<{kind: string; name: string; namespace?: string}>> {
  const kinds = kind ? [findKind(kind)] : ['wep', 'np', 'gnp'].map(findKind)
  const out: Array<{kind: string; name: string; namespace?: string}> = []
  const hints: string[] = []
  for (const d of kinds) {
    const targets = await targetsInFiles({paths, recursive}, d, namespaceFlag, '', hints).catch((error) => {
      if (error instanceof NoObjectsInFiles) return new Map() as FileTargets
      throw error
    })
    for (const [namespace, names] of targets)
      for (const name of names)
        out.push({kind: DESCRIBED_KINDS[d.kind] ?? d.kind, name, namespace: namespace || undefined})
  }
  if (out.length === 0)
    throw new ResourceError(
      'no WorkloadEndpoints, Pods or policies in the files given with -f',
      'describe explains workloadendpoints (pods), networkpolicies and globalnetworkpolicies',
    )
  return out
}

/** Objects named in manifests, grouped by namespace in the order they appear. */
type FileTargets = Map<string | undefined, string[]>

/** The files hold no object of the kind asked for: describe, which looks for several kinds, skips that kind. */
class NoObjectsInFiles extends ResourceError {}

/**
 * The objects of `d`'s kind that the manifests name (Pods too, for WorkloadEndpoints: a pod name names all of its
 * endpoints). Namespaces resolve as in kubectl (the object's, else -n, else the context's); a name or namespace
 * that cannot be one, or a document that cannot be read, stops everything before a request is sent (exit 1).
 */
async function targetsInFiles(
  files: {paths: string[]; recursive: boolean},
  d: ResourceDescriptor,
  namespaceFlag: string | undefined,
  defaultNamespace: string,
  hints: string[],
): Promise<FileTargets> {
  const {readManifests} = await import('../manifests/read.js')
  const targets: FileTargets = new Map()
  const problems: string[] = []
  const skipped: string[] = []
  for await (const doc of readManifests(files.paths, {recursive: files.recursive})) {
    const origin = `${doc.file}:${doc.position.line}:${doc.position.column}`
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${doc.file}:${e.line}:${e.column}: ${e.message}`)
      continue
    }
    const o = doc.object as KubeObject | undefined
    if (!o || typeof o !== 'object' || Array.isArray(o)) continue
    const isPod = d.kind === 'WorkloadEndpoint' && o.apiVersion === 'v1' && o.kind === 'Pod'
    if (!isPod && kindOfObject(o.apiVersion, o.kind) !== d) {
      skipped.push(`${o.kind ?? '(no kind)'} ${o.metadata?.name ?? ''}`.trim())
      continue
    }
    const problem = fileTargetProblem(o, d, namespaceFlag)
    if (problem) {
      problems.push(`${origin}: ${problem}`)
      continue
    }
    const namespace = d.namespaced ? o.metadata.namespace || namespaceFlag || defaultNamespace : undefined
    targets.set(namespace, [...(targets.get(namespace) ?? []), o.metadata.name!])
  }
  if (problems.length > 0)
    throw new ResourceError(
      `nothing was read: ${problems.length} problem${problems.length === 1 ? '' : 's'} ` +
        `in the input:\n  ${problems.join('\n  ')}`,
    )
  if (targets.size === 0)
    throw new NoObjectsInFiles(
      `no ${d.kind} objects in the files given with -f`,
      skipped.length ? `they hold: ${skipped.slice(0, 5).join(', ')}` : undefined,
    )
  if (skipped.length > 0)
    hints.push(
      `left out ${skipped.length} object(s) of other kinds in the files given with -f: ` +
        `${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', ...' : ''}`,
    )
  return targets
}

function fileTargetProblem(
  o: KubeObject,
  d: ResourceDescriptor,
  namespaceFlag: string | undefined,
): string | undefined {
  const name = o.metadata?.name
  if (typeof name !== 'string' || name === '') return `${o.kind} has no metadata.name`
  const badName = nameProblems(o.kind === 'Pod' ? 'Pod' : d.kind, name)
  if (badName.length > 0) return `${o.kind} ${invalidNameMessage(name, badName)}`
  const ns = o.metadata.namespace
  if (!d.namespaced || typeof ns !== 'string' || ns === '') return undefined
  const badNamespace = namespaceProblems(ns)
  if (badNamespace.length > 0) return `${o.kind} ${name}: ${invalidNamespaceMessage(ns, badNamespace)}`
  if (namespaceFlag && ns !== namespaceFlag) {
    return (
      `the namespace from the provided object "${ns}" does not match the namespace "${namespaceFlag}". ` +
      `You must pass '--namespace=${ns}' to perform this operation.`
    )
  }
  return undefined
}

async function* concatPages(
  targets: FileTargets,
  pagesFor: (names: string[], namespace: string | undefined) => AsyncIterable<KubeObject[]>,
): AsyncGenerator<KubeObject[]> {
  for (const [namespace, names] of targets) yield* pagesFor(names, namespace)
}

export async function calicoSelectorFilter(expr: string): Promise<(o: KubeObject) => boolean> {
  const {parseSelector, SelectorError} = await import('../selector/index.js')
  try {
    const selector = parseSelector(expr)
    return (o) => selector.matches(o.metadata.labels ?? {})
  } catch (error) {
    if (error instanceof SelectorError)
      throw new UsageError(
        `invalid --calico-selector: ${error.message} (at column ${error.column})`,
        `selector: ${expr}\n${' '.repeat(error.column + 15)}^`,
      )
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

async function* filterPages(
  pages: AsyncIterable<KubeObject[]>,
  keep: (o: KubeObject) => boolean,
): AsyncGenerator<KubeObject[]> {
  for await (const page of pages) yield page.filter(keep)
}

async function* mapPages(
  pages: AsyncIterable<KubeObject[]>,
  fn: (o: KubeObject) => KubeObject,
): AsyncGenerator<KubeObject[]> {
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

/** What `--export` strips so the output applies cleanly elsewhere (another namespace or cluster): server-set
 * metadata, the namespace and the status. */
const EXPORT_DROPPED = new Set([
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'managedFields',
  'generation',
  'selfLink',
  'namespace',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
])

export function exportObject(o: KubeObject): KubeObject {
  const metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !EXPORT_DROPPED.has(k)))
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'status')) as KubeObject
  return {...rest, metadata}
}

/** kubectl's --chunk-size: a whole number of objects per list page, 0 for the whole list in one answer. */
export function chunkSize(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value === '' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`invalid --chunk-size "${value}"`, 'give a whole number of objects per page, 0 for no paging')
  return n
}
