import {UsageError} from '../core/errors.js'
import {clusterInformation, globalNetworkPolicy, ipPool, networkPolicy, tierKind} from './calico.js'
import type {ResourceDescriptor} from './descriptor.js'
import {networkAttachmentDefinition} from './nad.js'
import {workloadEndpoint} from './workloadendpoint.js'

/** Every kind xctl handles; a new kind is one more descriptor here. */
export const KINDS: ResourceDescriptor[] = [
  workloadEndpoint,
  networkAttachmentDefinition,
  networkPolicy,
  globalNetworkPolicy,
  tierKind,
  ipPool,
  clusterInformation,
]

/** The kind a user typed (any alias, any case, or `plural.group` as kubectl accepts). */
export function findKind(typed: string): ResourceDescriptor {
  const name = typed.toLowerCase()
  const found = KINDS.find(
    (k) => k.aliases.includes(name) || k.kind.toLowerCase() === name || matchesQualified(k, name),
  )
  if (!found)
    throw new UsageError(
      `resource type '${typed}' is not supported`,
      `supported kinds: ${KINDS.map((k) => `${k.aliases[1] ?? k.aliases[0]} (${k.aliases.slice(2).join(', ') || k.aliases[0]})`).join('; ')}`,
    )
  return found
}

function matchesQualified(k: ResourceDescriptor, name: string): boolean {
  const dot = name.indexOf('.')
  if (dot === -1) return false
  const [head, group] = [name.slice(0, dot), name.slice(dot + 1)]
  return (group === k.group || group === 'crd.projectcalico.org') && k.aliases.includes(head)
}

/** The descriptor for a manifest's apiVersion/kind (v1 Calico CRDs are read as their v3 kind). */
export function kindOfObject(apiVersion: unknown, kind: unknown): ResourceDescriptor | undefined {
  if (typeof kind !== 'string') return undefined
  return KINDS.find(
    (k) =>
      k.kind === kind &&
      (apiVersion === k.apiVersion || (k.group === 'projectcalico.org' && apiVersion === 'crd.projectcalico.org/v1')),
  )
}
