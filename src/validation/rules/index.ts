import {isJsonObject} from '../../core/go-json.js'
import type {KindRules} from './common.js'
import {globalNetworkSetKindRules, hostEndpointKindRules, networkSetKindRules} from './endpoints-sets.js'
import {ippoolRules} from './ippool.js'
import {nadRules} from './nad.js'
import {podRules} from './pod.js'
import {globalPolicyRules, policyRules} from './policy.js'
import {stagedK8sPolicyRules} from './staged-k8s-policy.js'
import {tierRules} from './tier.js'

export type {KindRules} from './common.js'

/** Namespaces are passed through, but their labels matter to GlobalNetworkPolicy namespaceSelectors (--cluster). */
const namespaceFacts: KindRules = {
  matches: (kind, apiVersion) => kind === 'Namespace' && apiVersion === 'v1',
  namespaced: false,
  observeOnly: true,
  check(c, o) {
    const meta = o.metadata
    if (!c.settings.cluster || !isJsonObject(meta) || typeof meta.name !== 'string') return
    c.knowledge.endpoints.namespaceLabels.set(
      meta.name,
      isJsonObject(meta.labels) ? (meta.labels as Record<string, string>) : {},
    )
  },
}

/** One rule set per kind; the first that matches a resource checks it. */
export const RULE_SETS: KindRules[] = [
  nadRules,
  podRules,
  policyRules,
  globalPolicyRules,
  stagedK8sPolicyRules,
  networkSetKindRules,
  globalNetworkSetKindRules,
  hostEndpointKindRules,
  tierRules,
  ippoolRules,
  namespaceFacts,
]
