import {ResourceError, UsageError} from '../core/errors.js'
import {getObjects, getRequest} from '../get/get.js'
import type {KubeObject} from '../kube/types.js'
import {parseManifestText} from '../manifests/read.js'
import {parse as parseYaml} from 'yaml'
import {findKind} from '../resources/registry.js'
import type {ObjectSource} from '../sources/source.js'
import {objectRef, type PlannedObject} from './plan.js'
import {applyJsonPatch, mergePatch} from './patch.js'

/** What `label` does to each object: KEY=VALUE sets, KEY- removes (kubectl's argument grammar). */
export interface LabelChange {
  set: Record<string, string>
  remove: string[]
  overwrite: boolean
}

/** Splits `label` arguments into object names and label changes (an argument with `=` or a trailing `-`). */
export function parseLabelArgs(args: string[]): {names: string[]; set: Record<string, string>; remove: string[]} {
  const names: string[] = []
  const set: Record<string, string> = {}
  const remove: string[] = []
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq > 0) set[arg.slice(0, eq)] = arg.slice(eq + 1)
    else if (arg.endsWith('-') && arg.length > 1) remove.push(arg.slice(0, -1))
    else if (eq === 0)
      throw new UsageError(`invalid label spec: ${arg}`, 'give KEY=VALUE to set a label, KEY- to remove it')
    else names.push(arg)
  }
  for (const key of remove)
    if (key in set)
      throw new UsageError(`can not both modify and remove the following label(s) in the same command: ${key}`)
  if (Object.keys(set).length === 0 && remove.length === 0)
    throw new UsageError('at least one label update is required', 'e.g. xctl label wep NAME app=web, or app- to remove')
  return {names, set, remove}
}

export function labelEdit(change: LabelChange): (o: KubeObject) => KubeObject {
  return (o) => {
    const labels = {...(o.metadata.labels ?? {})}
    for (const [key, value] of Object.entries(change.set)) {
      if (!change.overwrite && key in labels && labels[key] !== value)
        throw new ResourceError(`'${key}' already has a value (${labels[key]}), and --overwrite is false`)
      labels[key] = value
    }
    for (const key of change.remove) delete labels[key]
    return {...o, metadata: {...o.metadata, labels}}
  }
}

/**
 * `patch -p`: JSON or YAML, as kubectl reads it. xctl's kinds carry no strategic-merge keys (Calico's types and NADs
 * are custom resources, for which the API server refuses strategic patches), so `strategic`, kubectl's default,
 * merges as `merge` does: maps merge, lists are replaced.
 */
export function patchEdit(text: string, type: string): (o: KubeObject) => KubeObject {
  if (type !== 'strategic' && type !== 'merge' && type !== 'json')
    throw new UsageError(`--type must be one of [json merge strategic], not "${type}"`)
  let patch: unknown
  try {
    patch = parseYaml(text)
  } catch (error) {
    throw new UsageError(`unable to parse "${text}": ${(error as Error).message}`, 'give the patch as JSON or YAML')
  }
  if (type === 'json') {
    if (!Array.isArray(patch))
      throw new UsageError('a json patch must be a list of operations, e.g. [{"op": "replace", ...}]')
    return (o) => applyJsonPatch(o, patch as unknown[]) as KubeObject
  }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch))
    throw new UsageError(`a ${type} patch must be a mapping, e.g. '{"metadata": {"labels": {"app": "web"}}}'`)
  return (o) => mergePatch(o, patch) as KubeObject
}

/** One object to edit, or why it cannot be (not found, a label conflict, a patch that does not apply). */
export type Edited = {planned: PlannedObject; document: ReturnType<typeof documentOf>} | {problem: string}

/** Reads each object as `get` shows it (projectcalico.org/v3, endpoints from their pods) and applies the edit. */
export async function readAndEdit(
  source: ObjectSource,
  req: {kind: string; names: string[]; namespace?: string; multiInterfaceMode?: string},
  edit: (o: KubeObject) => KubeObject,
): Promise<Edited[]> {
  const descriptor = findKind(req.kind)
  const out: Edited[] = []
  for (const name of req.names) {
    const flags = {namespace: req.namespace, 'multi-interface-mode': req.multiInterfaceMode}
    const result = await getObjects(source, getRequest(req.kind, [name], flags))
    const found: KubeObject[] = []
    for await (const page of result.pages) found.push(...page)
    if (found.length === 0) {
      out.push({problem: result.problems[0]?.message ?? `${objectRef(descriptor, name)} not found`})
      continue
    }
    const ref = objectRef(descriptor, name)
    try {
      const object = edit(structuredClone(found[0]))
      if (object.metadata?.name !== name || object.metadata?.namespace !== found[0].metadata.namespace)
        throw new ResourceError('metadata.name and metadata.namespace cannot be changed')
      out.push({planned: {descriptor, object, ref, origin: ref}, document: documentOf(object, ref)})
    } catch (error) {
      if (error instanceof UsageError) throw error
      out.push({problem: `${ref}: ${(error as Error).message}`})
    }
  }
  return out
}

/** The edited object as a manifest document, so that `validate`'s rules check it before it is written. */
function documentOf(object: KubeObject, ref: string) {
  return [...parseManifestText(JSON.stringify(object, null, 2), `${ref} (edited)`)][0]
}
