/**
 * What `xctl describe` prints with `-o yaml|json`: the same answers as the text, as data.
 * Field names are stable; new fields may be added. Endpoint lists hold at most `--limit` entries
 * (`count` is always the full number, `truncated` says whether entries were left out).
 *
 *   describe workloadendpoint → WorkloadEndpointDescriptionList (one item per endpoint: a pod name gives all of its
 *   interfaces)
 *   describe networkpolicy / globalnetworkpolicy → PolicyDescription
 */

export const DESCRIPTION_API_VERSION = 'xctl.projectcalico.org/v1alpha1'

/** An endpoint, as listed in answers. */
export interface EndpointRef {
  namespace: string
  name: string
  pod: string
  /** The interface inside the pod (eth0, net1, ...). */
  interface: string
}

export interface EndpointList {
  count: number
  endpoints: EndpointRef[]
  truncated: boolean
}

export interface TierSummary {
  name: string
  /** null = no order: after every ordered tier. */
  order: number | null
  defaultAction: 'Deny' | 'Pass'
  /** false: no Tier object of that name was read (built-in tiers are assumed to exist). */
  found: boolean
}

export interface PolicySummary {
  kind: 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy'
  /**
   * Staged policies only: their stagedAction (Set, Delete, Learn, Ignore). A staged policy never allows or denies
   * anything; what is shown is what it would do once enforced.
   */
  staged?: string
  /** Kubernetes NetworkPolicies (knp.default.<name>): the networking.k8s.io/v1 object Calico converted. */
  kubernetesPolicy?: string
  name: string
  namespace?: string
  tier: string
  /** null = no order: after the tier's ordered policies. */
  order: number | null
  selector: string
  types: Array<'Ingress' | 'Egress'>
  /** `types` was not set and is what Calico defaults it to. */
  typesDefaulted: boolean
}

/** One side (source or destination) of a rule. */
export interface PeerDescription {
  /** The fields as written. */
  selector?: string
  notSelector?: string
  namespaceSelector?: string
  serviceAccounts?: {names?: string[]; selector?: string}
  nets?: string[]
  notNets?: string[]
  ports?: Array<string | number>
  notPorts?: Array<string | number>
  services?: {name?: string; namespace?: string}
  /** NetworkSets and GlobalNetworkSets whose labels the selectors match: the rule matches their nets too. */
  networkSets?: Array<{kind: 'NetworkSet' | 'GlobalNetworkSet'; name: string; namespace?: string; nets: string[]}>
  /** Where the selectors look, in words: "namespace production", "all namespaces", ... */
  scope: string
  /** The selector Calico evaluates against endpoint labels (namespace/service-account parts as pcns./pcsa. labels). */
  effectiveSelector?: string
  /** No endpoint selector: any endpoint (and any address, unless nets say otherwise). */
  anyEndpoint: boolean
  /** The endpoints the selectors match (absent when anyEndpoint). */
  endpoints?: EndpointList
  /** Why no endpoint matches, when none does. */
  explanation?: string[]
  /** Fields that do not parse: Calico would refuse the policy. */
  errors?: string[]
}

export interface RuleDescription {
  /** 1-based, in the order of the policy's ingress or egress list. */
  index: number
  action: string
  protocol?: string | number
  notProtocol?: string | number
  ipVersion?: number
  icmp?: {type?: number; code?: number}
  notICMP?: {type?: number; code?: number}
  http?: {methods?: string[]; paths?: unknown[]}
  annotations?: Record<string, string>
  source: PeerDescription
  destination: PeerDescription
  /**
   * describe workloadendpoint only: whether the described endpoint is on the rule's own side
   * (the destination of an ingress rule, the source of an egress rule). false = the rule never matches its traffic.
   */
  matchesEndpoint?: boolean
}

export interface PolicyDescription {
  apiVersion: typeof DESCRIPTION_API_VERSION
  kind: 'PolicyDescription'
  policy: PolicySummary & {
    namespaceSelector?: string
    serviceAccountSelector?: string
    effectiveSelector?: string
    hostEndpointsOnly?: string
  }
  tier: TierSummary
  /** The endpoints (one per pod interface) the policy applies to. */
  appliesTo: EndpointList & {byInterface: Record<string, number>}
  /** Why it applies to nothing (plain sentences), when it does. */
  explanation: string[]
  /** NetworkPolicy: endpoints in other namespaces that match the selector but are not selected. */
  outsideNamespace?: EndpointList
  ingress: RuleDescription[]
  egress: RuleDescription[]
  notes: string[]
}

export interface ProfileDescription {
  name: string
  /** Labels the profile gives the endpoint. */
  labels: Record<string, string>
  /** The namespace / service account was read (false: assumed, its own labels unknown). */
  known: boolean
  /** What the profile does to traffic that reaches it: namespace profiles allow all; service-account profiles have no
   * rules. */
  action: 'Allow' | 'None'
}

export interface AppliedPolicy extends PolicySummary {
  rules: RuleDescription[]
}

export interface TierEvaluation {
  tier: TierSummary
  /** In evaluation order. */
  policies: AppliedPolicy[]
  /** What happens at the end of the tier to traffic no policy in it allowed, denied or passed. */
  endOfTier: 'Deny' | 'Pass'
}

export interface DirectionEvaluation {
  /** The tiers with at least one policy that selects the endpoint for this direction, in evaluation order. */
  tiers: TierEvaluation[]
  /** Reached when no tier applies, or when traffic is passed out of the last tier. */
  profiles: ProfileDescription[]
  /** One sentence: what decides this direction's traffic. */
  summary: string
  /**
   * Staged policies that would select this endpoint for this direction, in tier and policy order: they enforce
   * nothing (the summary ignores them); their rules are what they would do once enforced.
   */
  staged: AppliedPolicy[]
}

export interface EndpointDescription {
  endpoint: {
    name: string
    namespace: string
    pod: string
    node: string
    interface: string
    hostInterface: string
    network?: string
    networkNamespace?: string
    ipNetworks: string[]
    profiles: string[]
    serviceAccount?: string
  }
  /** The WorkloadEndpoint's own labels. */
  labels: Record<string, string>
  /** Labels inherited through the profiles, per profile. */
  inheritedLabels: ProfileDescription[]
  ingress: DirectionEvaluation
  egress: DirectionEvaluation
  /**
   * NetworkPolicies in other namespaces whose selector matches this endpoint's labels: they do not apply to it,
   * because a NetworkPolicy selects only endpoints in its own namespace.
   */
  notAppliedFromOtherNamespaces: {count: number; policies: PolicySummary[]; truncated: boolean}
}

export interface WorkloadEndpointDescriptionList {
  apiVersion: typeof DESCRIPTION_API_VERSION
  kind: 'WorkloadEndpointDescriptionList'
  items: EndpointDescription[]
}
