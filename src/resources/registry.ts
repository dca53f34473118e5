import {UsageError} from '../core/errors.js'
import {
  clusterInformation,
  globalNetworkPolicy,
  globalNetworkSet,
  hostEndpoint,
  ipPool,
  kubernetesNetworkPolicy,
  networkPolicy,
  networkSet,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
  stagedNetworkPolicy,
  tierKind,
} from './calico.js'
import type {ResourceDescriptor} from './descriptor.js'
import {networkAttachmentDefinition} from './nad.js'
import {workloadEndpoint} from './workloadendpoint.js'

/**
 * Every kind xctl handles; a new kind is one more descriptor here. Kubernetes NetworkPolicies (knp) come after
 * Calico's: both are `NetworkPolicy` in projectcalico.org/v3, and a manifest of that kind is a Calico one.
 */
export const KINDS: ResourceDescriptor[] = [
  workloadEndpoint,
  networkAttachmentDefinition,
  networkPolicy,
  globalNetworkPolicy,
  stagedNetworkPolicy,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
  kubernetesNetworkPolicy,
  networkSet,
  globalNetworkSet,
  hostEndpoint,
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
  if (!found) {
    const guess = closestWord(
      name,
      KINDS.flatMap((k) => k.aliases),
    )
    throw new UsageError(
      `resource type '${typed}' is not supported${guess ? `. Did you mean ${guess}?` : ''}`,
      `supported kinds: ${KINDS.map((k) => `${k.aliases[1] ?? k.aliases[0]} (${k.aliases.slice(2).join(', ') || k.aliases[0]})`).join('; ')}`,
    )
  }
  return found
}

/** The candidate nearest to a mistyped word (at most 2 edits, or a third of its length), for "Did you mean X?". */
export function closestWord(typed: string, candidates: string[]): string | undefined {
  let best: {word: string; distance: number} | undefined
  for (const word of candidates) {
    const distance = editDistance(typed, word)
    if (!best || distance < best.distance) best = {word, distance}
  }
  const limit = Math.max(1, Math.min(2, Math.floor(typed.length / 3)))
  return best && best.distance <= limit ? best.word : undefined
}

/** Levenshtein distance, with a swap of neighbours counted as one edit (Damerau). */
function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) =>
    Array.from({length: b.length + 1}, (_, j) => (i ? (j ? 0 : i) : j)),
  )
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  return d[a.length][b.length]
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
