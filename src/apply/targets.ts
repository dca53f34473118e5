import {UsageError} from '../core/errors.js'
import {checkName} from '../core/names.js'
import type {ManifestDocument} from '../manifests/read.js'
import {findKind} from '../resources/registry.js'
import type {DeleteTarget} from './delete.js'
import {failIfProblems, planObjects} from './plan.js'

/** `delete KIND NAME...` */
export function targetsFromArgs(positionals: string[], namespace: string): DeleteTarget[] {
  const [kind, ...names] = positionals
  if (!kind)
    throw new UsageError('give a KIND and NAMEs, or -f PATH', 'e.g. xctl delete networkpolicy my-policy -n production')
  const descriptor = findKind(kind)
  if (names.length === 0) throw new UsageError(`give at least one ${descriptor.kind} name to delete`)
  for (const name of names) checkName(descriptor.kind, name)
  return names.map((name) => ({descriptor, name, namespace}))
}

/** `delete -f PATH`: the objects the manifests name. */
export function targetsFromDocuments(
  docs: ManifestDocument[],
  namespaceFlag: string | undefined,
  defaultNamespace: string,
): DeleteTarget[] {
  const {objects, problems} = planObjects(docs, namespaceFlag, defaultNamespace)
  failIfProblems(problems, 'deleted')
  return objects.map((p) => ({
    descriptor: p.descriptor,
    name: p.object.metadata.name!,
    namespace: p.object.metadata.namespace,
  }))
}

/** `KIND NAME...` or `KIND/NAME...` (kubectl's two forms) for the verbs that edit objects in place. */
export function kindAndNames(args: string[], verb: string): {kind: string; objects: string[]} {
  const slashed = args[0]?.includes('/') ? args.filter((a) => a.includes('/')) : []
  if (slashed.length > 0) {
    if (slashed.length !== args.length)
      throw new UsageError(
        `there is no need to specify a resource type as a separate argument when passing ` +
          `arguments in resource/name form (e.g. 'xctl ${verb} KIND/NAME' instead of 'xctl ` +
          `${verb} KIND KIND/NAME')`,
      )
    const kinds = new Set(slashed.map((a) => findKind(a.slice(0, a.indexOf('/'))).kind))
    if (kinds.size > 1) throw new UsageError(`xctl ${verb} takes objects of one kind at a time`)
    return {
      kind: slashed[0].slice(0, slashed[0].indexOf('/')),
      objects: slashed.map((a) => a.slice(a.indexOf('/') + 1)),
    }
  }
  const [kind, ...objects] = args
  if (!kind)
    throw new UsageError(
      `give a KIND and NAMEs, or KIND/NAME`,
      `e.g. xctl ${verb} networkpolicy my-policy -n production ...`,
    )
  findKind(kind)
  if (objects.length === 0) throw new UsageError(`give at least one ${findKind(kind).kind} name to ${verb}`)
  return {kind, objects}
}
