import {ResourceError, UsageError} from '../core/errors.js'
import {invalidNameMessage, invalidNamespaceMessage, nameProblems, namespaceProblems} from '../core/names.js'
import type {KubeObject} from '../kube/types.js'
import type {ManifestDocument} from '../manifests/read.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'
import {kindOfObject, KINDS} from '../resources/registry.js'

/** One object to write, with where it came from (for messages that name the file). */
export interface PlannedObject {
  descriptor: ResourceDescriptor
  object: KubeObject
  /** `networkpolicy.projectcalico.org/name`, kubectl's way of naming an object in output. */
  ref: string
  origin: string
}

/** A document of a kind xctl does not write (Namespace, Pod, Installation): skipped, with why, in input order. */
export interface SkippedObject {
  ref: string
  skip: string
}

export function objectRef(d: ResourceDescriptor, name: string): string {
  return `${d.kind.toLowerCase()}.${d.group}/${name}`
}

/**
 * Turns manifest documents into the objects to write: known kinds only, names present, namespaces resolved
 * the way kubectl resolves them. Returns problems instead of throwing so that all of them are reported at once.
 */
export function planObjects(
  docs: ManifestDocument[],
  namespaceFlag: string | undefined,
  defaultNamespace: string,
  options: {skipUnowned?: boolean} = {},
): {objects: PlannedObject[]; problems: string[]; inOrder: Array<PlannedObject | SkippedObject>} {
  const objects: PlannedObject[] = []
  const problems: string[] = []
  const inOrder: Array<PlannedObject | SkippedObject> = []
  for (const doc of docs) {
    const origin = `${doc.file}:${doc.position.line}:${doc.position.column}`
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${doc.file}:${e.line}:${e.column}: ${e.message}`)
      continue
    }
    const o = doc.object as KubeObject
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      problems.push(`${origin}: a document must be a mapping with apiVersion, kind and metadata`)
      continue
    }
    const d = kindOfObject(o.apiVersion, o.kind)
    if (!d && options.skipUnowned && typeof o.kind === 'string' && typeof o.apiVersion === 'string') {
      inOrder.push(unownedObject(o))
      continue
    }
    if (!d) {
      problems.push(
        `${origin}: ${o.kind ?? '(no kind)'} (${o.apiVersion ?? 'no apiVersion'}) is not ` +
          `a kind xctl writes; supported: ${KINDS.map((k) => `${k.apiVersion} ${k.kind}`).join(', ')} ` +
          `(use kubectl for other kinds)`,
      )
      continue
    }
    const name = o.metadata?.name
    if (typeof name !== 'string' || name === '') {
      problems.push(`${origin}: ${d.kind} has no metadata.name`)
      continue
    }
    const badName = nameProblems(d.kind, name)
    if (badName.length > 0) {
      problems.push(`${origin}: ${d.kind} ${invalidNameMessage(name, badName)}`)
      continue
    }
    const metadata = {...o.metadata}
    const namespaceProblem = resolveNamespace(d, metadata, namespaceFlag, defaultNamespace)
    if (namespaceProblem) {
      problems.push(`${origin}: ${namespaceProblem}`)
      continue
    }
    objects.push({descriptor: d, object: {...o, metadata}, ref: objectRef(d, name), origin})
    inOrder.push(objects[objects.length - 1])
  }
  return {objects, problems, inOrder}
}

/** Sets the namespace kubectl would use (the object's, else -n, else the context's); returns why it cannot. */
function resolveNamespace(
  d: ResourceDescriptor,
  metadata: KubeObject['metadata'],
  namespaceFlag: string | undefined,
  defaultNamespace: string,
): string | undefined {
  const name = metadata.name
  const badNamespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? namespaceProblems(metadata.namespace) : []
  if (badNamespace.length > 0) return `${d.kind} ${name}: ${invalidNamespaceMessage(metadata.namespace!, badNamespace)}`
  if (d.namespaced) {
    if (metadata.namespace && namespaceFlag && metadata.namespace !== namespaceFlag)
      return (
        `the namespace from the provided object "${metadata.namespace}" does not match the ` +
        `namespace "${namespaceFlag}". You must pass '--namespace=${metadata.namespace}' ` +
        `to perform this operation.`
      )
    metadata.namespace = metadata.namespace || namespaceFlag || defaultNamespace
  } else if (metadata.namespace) {
    return `namespace should not be specified for a non-namespaced resource. ${d.kind} is not a namespaced resource`
  }
  return undefined
}

/** kubectl's name for an object of another kind (`namespace/prod`, `installation.operator.tigera.io/default`). */
function unownedObject(o: KubeObject): SkippedObject {
  const slash = o.apiVersion!.indexOf('/')
  const group = slash === -1 ? '' : o.apiVersion!.slice(0, slash)
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '(no name)'
  return {
    ref: `${o.kind!.toLowerCase()}${group ? `.${group}` : ''}/${name}`,
    skip: `${o.kind} (${o.apiVersion}) is not a kind xctl writes; use kubectl for it`,
  }
}

export function failIfProblems(problems: string[], verb: string): void {
  if (problems.length === 0) return
  throw new ResourceError(
    `nothing was ${verb}: ${problems.length} problem${problems.length === 1 ? '' : 's'} ` +
      `in the input:\n  ${problems.join('\n  ')}`,
  )
}

export function parseDryRun(value: string | undefined): 'none' | 'client' | 'server' {
  const v = value ?? 'none'
  if (v === 'none' || v === 'client' || v === 'server') return v
  throw new UsageError(`invalid --dry-run value "${v}"`, 'use --dry-run=none, --dry-run=client or --dry-run=server')
}
