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
