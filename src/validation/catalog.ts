/** How bad a finding is; `--fail-level` compares against it. */
export type Severity = 'error' | 'warning'

/**
 * Every rule `xctl validate` applies, with a stable id (CI suppressions and SARIF alerts key on it), its
 * default severity, a title and the help shown in code scanning. Sources of the rules: k8snetworkplumbingwg/multus-cni
 * pkg/k8sclient and k8snetworkplumbingwg/network-attachment-definition-client pkg/apis/k8s.cni.cncf.io/v1/types.go
 * (NADs, the networks annotation), projectcalico/calico cni-plugin/pkg/types/types.go (Calico CNI config),
 * libcalico-go/lib/selector and libcalico-go/lib/validator/v3/validator.go (selectors, policies, tiers, pools).
 * Ids are never renamed or reused; a retired rule keeps its id reserved. `xctl validate --list-rules` prints them.
 */
export interface RuleInfo {
  severity: Severity
  title: string
  help: string
  /** Needs --cluster. */
  cluster?: true
  /** The upstream code the rule is ported from (repository path, and the version read). */
  source?: string
}

/** The upstream files rules are ported from (read at these versions). */
const UPSTREAM = {
  validator: 'projectcalico/calico libcalico-go/lib/validator/v3/validator.go (v3.32.1)',
  policyTypes: 'projectcalico/api pkg/apis/projectcalico/v3/policy_common.go, networkpolicy.go (v3.32.1)',
  tigeraApi: 'tigera/api pkg/apis/projectcalico/v3 (ippool.go, policy_common.go)',
  cniTypes: 'projectcalico/calico cni-plugin/pkg/types/types.go (v3.32.1)',
  libcni: 'containernetworking/cni libcni/conf.go',
  multus: 'k8snetworkplumbingwg/multus-cni pkg/k8sclient/k8sclient.go, pkg/types/types.go',
  decoding: 'kubernetes apimachinery (case-sensitive JSON field names)',
} as const

const rules = {
  // input: the files themselves
  'input/no-resources': {
    severity: 'error',
    title: 'The input holds no resources',
    help:
      'A file (or the whole input) contains no Kubernetes objects: it is empty, only comments, ' +
      'or only empty documents. An empty input is never a silent pass: check the path, ' +
      'the glob or the generator that produced the file.',
  },
  'input/syntax': {
    severity: 'error',
    title: 'YAML or JSON syntax error',
    help:
      'The document cannot be parsed. kubectl and the API server would refuse the whole ' +
      'file. The message says what the parser expected at the position shown.',
  },
  'input/invalid-utf8': {
    severity: 'error',
    title: 'The file is not valid UTF-8',
    help:
      'Manifests must be UTF-8 text. The position points at the first byte that is not ' +
      'valid UTF-8; re-save the file as UTF-8.',
  },
  'input/binary': {
    severity: 'error',
    title: 'Binary data or control characters',
    help:
      'The file holds NUL bytes or other control characters that YAML does not allow: it ' +
      'is probably not a manifest, or it was corrupted.',
  },
  'input/too-deep': {
    severity: 'error',
    title: 'Nesting too deep',
    help:
      'The document nests mappings or lists more deeply than any manifest needs (the limit ' +
      'protects the validator from hostile input). The document is not validated further.',
  },
  'input/alias-limit': {
    severity: 'error',
    title: 'Too many YAML alias expansions',
    help:
      'The document expands YAML aliases (*name) more than 1000 times, the shape of a "billion ' +
      'laughs" attack. It is not expanded or validated further.',
  },
  'input/document-too-large': {
    severity: 'error',
    title: 'Document too large',
    help:
      'One document is larger than the limit for a single document (64 MiB) and was skipped ' +
      'without being read into memory. Split it into smaller documents.',
  },
  'input/object-too-large': {
    severity: 'warning',
    title: 'Object larger than the API server accepts',
    help:
      'Kubernetes stores each object in etcd, whose default request limit is 1.5 MiB; the ' +
      'API server refuses larger objects ("etcdserver: request is too large").',
  },
  'input/not-an-object': {
    severity: 'error',
    title: 'A document that is not an object',
    help:
      'Each document must be a Kubernetes object: a mapping with apiVersion, kind and metadata. ' +
      'A list or a plain value is not a resource.',
  },
  'input/missing-kind': {
    severity: 'error',
    title: 'apiVersion or kind missing',
    help:
      'Every Kubernetes object needs apiVersion and kind (strings); without them kubectl ' +
      'refuses the document ("Object \'Kind\' is missing").',
  },
  'metadata/key-case': {
    severity: 'error',
    title: 'Top-level key with the wrong case',
    help:
      'Kubernetes and calicoctl read field names case-sensitively: "Metadata:" or "Spec:" ' +
      'is an unknown field, so the object has no metadata (or no spec) at all. Write the ' +
      'key in lower case (apiVersion, kind, metadata, spec).',
    source: UPSTREAM.decoding,
  },
  'metadata/labels': {
    severity: 'error',
    title: 'Invalid label key or value',
    help:
      'Label keys are qualified names ([prefix/]name: the prefix a lower-case DNS-1123 ' +
      'subdomain, the name at most 63 characters of letters, digits, -, _ and . starting ' +
      'and ending with a letter or digit); values are at most 63 such characters or empty. ' +
      'Calico refuses the resource otherwise.',
    source: UPSTREAM.validator,
  },
  'metadata/annotations': {
    severity: 'error',
    title: 'Invalid annotation key or annotations too large',
    help:
      'Annotation keys are qualified names (compared in lower case, so upper-case prefixes ' +
      'are fine) and all keys and values together may not exceed 256 KiB. Applies to metadata.annotations ' +
      "and to a rule's metadata.annotations.",
    source: UPSTREAM.validator,
  },
  'calico/enterprise-only': {
    severity: 'warning',
    title: 'Calico Enterprise / Calico Cloud only',
    help:
      'A field or value that only Calico Enterprise and Calico Cloud have (tigera/api). ' +
      'It is accepted unless --flavor oss is given or --cluster finds Calico Open Source ' +
      '(operator Installation variant Calico), where Calico refuses or ignores it.',
    source: UPSTREAM.tigeraApi,
  },
  'metadata/namespace': {
    severity: 'error',
    title: 'Invalid metadata.namespace',
    help:
      'A namespace is a DNS-1123 label; cluster-scoped kinds (GlobalNetworkPolicy, Tier, ' +
      'IPPool) must not set one (calicoctl: "namespace should not be specified for a non-namespaced ' +
      'resource").',
  },
  'calico/internal-api': {
    severity: 'warning',
    title: 'Calico resource written with the internal crd.projectcalico.org/v1 API',
    help:
      'crd.projectcalico.org/v1 is the storage form of Calico resources; writing it directly ' +
      "skips Calico's validation and defaulting. Write apiVersion projectcalico.org/v3 " +
      'and apply it through calicoctl, the Calico API server or native v3 CRDs. xctl validates ' +
      'it as the v3 resource.',
  },

  // NetworkAttachmentDefinition
  'nad/api-version': {
    severity: 'error',
    title: 'Wrong apiVersion for a NetworkAttachmentDefinition',
    help: 'NetworkAttachmentDefinition is served as k8s.cni.cncf.io/v1 only.',
  },
  'nad/name': {
    severity: 'error',
    title: 'Invalid NetworkAttachmentDefinition name',
    help:
      'The network-plumbing spec requires a DNS-1123 label (lower case letters, digits ' +
      'and -, at most 63 characters); the short form of the networks annotation cannot ' +
      'even refer to other names.',
  },
  'nad/config-missing': {
    severity: 'warning',
    title: 'spec.config is empty',
    help:
      'With no spec.config, Multus looks for a CNI configuration file with the same name ' +
      'in /etc/cni/multus/net.d on each node; pods fail if it is missing there. Put the ' +
      'CNI JSON in spec.config unless that is intended.',
  },
  'nad/config-type': {
    severity: 'error',
    title: 'spec.config is not a string',
    help:
      'The CRD declares spec.config as a string holding JSON. Write the JSON as a quoted ' +
      'YAML string or a block scalar (config: |), not as a YAML mapping.',
  },
  'nad/config-json': {
    severity: 'error',
    title: 'spec.config is not valid JSON',
    help:
      'Multus and the CNI plugins parse spec.config as JSON; a syntax error makes every ' +
      'pod that uses this network fail to start (Multus: "failed to unmarshal Spec.Config"). ' +
      'The finding points at the place in the file where the JSON breaks and says what ' +
      'was expected there.',
  },
  'nad/config-duplicate-key': {
    severity: 'warning',
    title: 'Duplicate key in spec.config',
    help: 'JSON parsers keep only the last of two equal keys, silently dropping the first value.',
  },
  'nad/config-not-object': {
    severity: 'error',
    title: 'spec.config is not a JSON object',
    help: 'A CNI configuration is a JSON object: a single plugin config (with "type") or a conflist (with "plugins").',
  },
  'nad/plugins': {
    severity: 'error',
    title: 'Invalid "plugins" list',
    help: 'A conflist needs "plugins": a non-empty list of plugin objects, each with a "type".',
  },
  'nad/plugin-type': {
    severity: 'error',
    title: 'Missing or invalid CNI "type"',
    help:
      'Each CNI plugin config needs "type", the plugin binary to run (e.g. "calico"); it ' +
      'may not contain / or \\. Without "type" Multus treats the config as a conflist.',
  },
  'nad/cni-name': {
    severity: 'error',
    title: 'Invalid CNI network name',
    help:
      'The CNI "name" must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$ (CNI spec); the calico ' +
      'plugin accepts ^[a-zA-Z0-9_.\\-]+$. When "name" is omitted Multus uses the NetworkAttachmentDefinition\'s ' +
      'name.',
  },
  'nad/cni-version': {
    severity: 'error',
    title: 'Unknown or unsupported cniVersion',
    help:
      'cniVersion must be a version the CNI spec defines (0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, ' +
      '1.0.0, 1.1.0). The calico and calico-ipam plugins support up to 1.0.0: with 1.1.0 ' +
      'pods stay in ContainerCreating with "incompatible CNI versions" (tigera/docs#2949).',
  },
  'nad/cni-version-missing': {
    severity: 'warning',
    title: 'cniVersion not set',
    help: 'The CNI spec requires cniVersion; plugins fall back to old defaults (calico: 0.2.0) when it is missing.',
  },
  'nad/conflist-flag': {
    severity: 'error',
    title: 'Invalid conflist flag (disableCheck, disableGC, loadOnlyInlinedPlugins)',
    help:
      'libcni reads these as a JSON boolean or the string "true"/"false" (any case); any ' +
      'other value makes it refuse the whole conflist. loadOnlyInlinedPlugins: true also ' +
      'needs a "plugins" list.',
    source: UPSTREAM.libcni,
  },
  'nad/reserved-key': {
    severity: 'warning',
    title: 'Reserved CNI key in the config',
    help:
      'The CNI spec reserves "runtimeConfig", "args" and keys starting with "cni.dev/" ' +
      'for the container runtime; values written in the config may be overwritten or misread.',
  },
  'nad/calico-ipam': {
    severity: 'error',
    title: 'calico plugin without ipam.type',
    help:
      'The calico plugin runs the IPAM plugin named in ipam.type (usually calico-ipam); ' +
      'without it no address can be assigned.',
  },
  'nad/calico-assign-ip': {
    severity: 'error',
    title: 'assign_ipv4/assign_ipv6 not a string',
    help:
      'calico-ipam reads assign_ipv4 and assign_ipv6 as the strings "true" and "false"; ' +
      'a JSON boolean fails to decode. Quote the value.',
  },
  'nad/calico-assign-ip-value': {
    severity: 'warning',
    title: 'assign_ipv4/assign_ipv6 value not "true" or "false"',
    help:
      'calico-ipam compares the strings exactly: IPv4 is assigned unless assign_ipv4 is ' +
      '"false", IPv6 only when assign_ipv6 is "true". Any other value silently means the ' +
      'default.',
  },
  'nad/calico-pools': {
    severity: 'error',
    title: 'Invalid ipv4_pools / ipv6_pools entry',
    help:
      'Each entry is an IPPool name or a CIDR of the right family; calico-ipam fails with ' +
      '"error parsing pool" otherwise.',
  },
  'nad/calico-pools-ignored': {
    severity: 'warning',
    title: 'ipv6_pools without IPv6 assignment',
    help: 'calico-ipam only uses ipv6_pools when assign_ipv6 is "true".',
  },
  'nad/calico-mtu': {
    severity: 'error',
    title: 'Invalid mtu',
    help: 'mtu is an integer; 0 means "use the node\'s MTU file", otherwise it must be between 68 and 65535.',
  },
  'nad/calico-unknown-key': {
    severity: 'warning',
    title: 'Key not known to the calico plugin',
    help:
      'The calico CNI plugin ignores keys it does not know, so a misspelt key silently ' +
      'has no effect. The message suggests the nearest known key.',
  },
  'nad/calico-value': {
    severity: 'error',
    title: 'Wrong JSON type for a calico plugin setting',
    help:
      'The calico plugin decodes its config into typed fields (Go): a value of the wrong ' +
      'JSON type makes the plugin fail on every pod.',
  },
  'nad/calico-setting': {
    severity: 'warning',
    title: 'Questionable calico plugin setting',
    help:
      'A value the calico plugin accepts but probably not what was meant (an unknown log ' +
      'level, datastore type or policy type, or no way to reach the Kubernetes API).',
  },
  'nad/pool-not-found': {
    severity: 'error',
    title: 'IP pool does not exist',
    help:
      'ipv4_pools/ipv6_pools name an IPPool (by name or CIDR) that is neither in the cluster ' +
      'nor in the input; calico-ipam fails when a pod is created.',
    cluster: true,
  },

  // Pods and pod templates: the networks annotation
  'pod/networks-parse': {
    severity: 'error',
    title: 'Networks annotation Multus cannot parse',
    help:
      'Multus refuses the k8s.v1.cni.cncf.io/networks annotation and the pod never starts; ' +
      "the message quotes Multus' error and says how to fix the value. Short form: name, " +
      'ns/name, name@ifname, ns/name@ifname, comma-separated.',
  },
  'pod/networks-name': {
    severity: 'error',
    title: 'Invalid network name or namespace',
    help:
      'A network reference must name a NetworkAttachmentDefinition (a DNS-1123 name) and ' +
      'a namespace (a DNS-1123 label).',
  },
  'pod/networks-namespaced-name': {
    severity: 'warning',
    title: '"ns/name" in the JSON form\'s name',
    help:
      'The JSON form does not split "namespace/name" in "name" (multus#705): Multus looks ' +
      'for a NetworkAttachmentDefinition literally named "ns/name". Put the namespace in ' +
      '"namespace".',
  },
  'pod/networks-ifname-length': {
    severity: 'error',
    title: 'Interface name longer than 15 characters',
    help: 'Linux interface names hold at most 15 characters (IFNAMSIZ-1); Multus refuses longer names.',
  },
  'pod/networks-ifname-chars': {
    severity: 'error',
    title: 'Forbidden character in an interface name',
    help: 'Interface names may not contain "/", ":" or whitespace, and may not be "." or "..".',
  },
  'pod/networks-ifname-reserved': {
    severity: 'error',
    title: 'Interface name already taken',
    help:
      "eth0 is the pod's default interface and lo the loopback; requesting either makes " +
      'the attachment fail ("interface name eth0 already exists").',
  },
  'pod/networks-ifname-duplicate': {
    severity: 'error',
    title: 'Same interface name twice',
    help: 'Two networks ask for the same interface name; the second attachment fails and the pod does not start.',
  },
  'pod/networks-ifname-collision': {
    severity: 'error',
    title: 'Interface name collides with an automatic net<N> name',
    help:
      'Multus names interfaces that request no name net<position> (net1, net2, ...). An ' +
      'explicit name of that form taken by another position collides with the automatic ' +
      'name and the pod fails to start. (Assumes no Multus defaultNetworks, which would ' +
      'shift the numbering.)',
  },
  'pod/networks-ifname-dns1123': {
    severity: 'warning',
    title: 'Interface name Calico Enterprise cannot read',
    help:
      'Multus accepts this interface name, but the network-attachment-definition client ' +
      'that Calico Enterprise uses requires a DNS-1123 label (lower case letters, digits, ' +
      "-); in multus mode the pod's endpoints may not be created. Use a name like net-a " +
      'or data0.',
  },
  'pod/networks-limit': {
    severity: 'error',
    title: 'More than 9 additional networks',
    help:
      'Calico Enterprise/Cloud in multus mode allows at most 9 additional networks per ' +
      'pod ("a maximum of 9 additional interfaces is allowed on a pod"); networking is ' +
      'not set up and the pod fails to start. (Reported offline as an error because the ' +
      'pod is refused wherever multiInterfaceMode is Multus.)',
  },
  'pod/networks-json-type': {
    severity: 'error',
    title: 'Wrong JSON type in the networks annotation',
    help:
      'Multus decodes each element into typed fields; a value of the wrong type (e.g. "ips" ' +
      'as a string instead of a list) makes it refuse the annotation.',
  },
  'pod/networks-json-unknown-key': {
    severity: 'warning',
    title: 'Unknown key in a network selection element',
    help:
      'Un-namespaced keys are reserved by the multi-network spec and unknown ones are ignored; ' +
      'extensions must use a reverse-DNS key. The message suggests the nearest known key.',
  },
  'pod/networks-ips': {
    severity: 'error',
    title: 'Invalid "ips" entry',
    help:
      'Each "ips" entry must be an IP address or a CIDR (Multus: "failed to parse IP address" ' +
      '/ "failed to parse CIDR").',
  },
  'pod/networks-mac': {
    severity: 'error',
    title: 'Invalid "mac"',
    help:
      'Multus parses "mac" with Go\'s net.ParseMAC (e.g. 02:23:45:67:89:01); anything else ' +
      'makes it refuse the annotation.',
  },
  'pod/networks-default-route': {
    severity: 'error',
    title: 'Invalid "default-route"',
    help:
      '"default-route" lists gateway IP addresses; across all networks at most one IPv4 ' +
      'and one IPv6 gateway may be given ("multus does not support ECMP for default-route").',
  },
  'pod/networks-ips-claim': {
    severity: 'error',
    title: '"ips" together with "ipam-claim-reference"',
    help: 'The multi-network spec makes it an error to request static IPs and an IPAMClaim in the same element.',
  },
  'pod/networks-json-value': {
    severity: 'error',
    title: 'Invalid value in a network selection element',
    help:
      'A value Multus or the CNI runtime refuses: an InfiniBand GUID, port mapping or bandwidth ' +
      'setting out of range.',
  },
  'pod/additional-network-feature': {
    severity: 'warning',
    title: 'Calico feature not supported on additional networks',
    help:
      'Floating IPs, specific IPs, per-pod IP pools and egress gateways apply to the default ' +
      'interface (eth0) only; Calico does not support them on additional Multus networks.',
  },
  'pod/network-not-found': {
    severity: 'error',
    title: 'NetworkAttachmentDefinition not found',
    help:
      'The annotation names a NetworkAttachmentDefinition that is neither in the cluster ' +
      'nor in the input; Multus fails with "cannot find a network-attachment-definition" ' +
      'and the pod stays in ContainerCreating.',
    cluster: true,
  },
  'pod/network-namespace': {
    severity: 'warning',
    title: 'NetworkAttachmentDefinition is in another namespace',
    help:
      "A network without a namespace is looked up in the pod's namespace, not in default " +
      '(multus#337). A definition with that name exists only in another namespace: write ' +
      '<namespace>/<name>.',
  },

  // Calico policies
  'policy/name': {
    severity: 'error',
    title: 'Invalid policy name',
    help:
      'NetworkPolicy names are DNS-1123 labels joined by at most one dot (knp.default. ' +
      'and ossg.default. are reserved); GlobalNetworkPolicy names are a label optionally ' +
      'prefixed by "<label>.".',
  },
  'policy/tier-prefix': {
    severity: 'warning',
    title: 'Policy name does not carry its tier',
    help:
      'Calico up to v3.31 requires a policy in tier T (not default) to be named T.<name>, ' +
      'and takes the tier from the name when spec.tier is empty; v3.32 dropped the prefix ' +
      'rule and defaults spec.tier to default. Set spec.tier and name the policy so both ' +
      'versions agree.',
  },
  'policy/tier-not-found': {
    severity: 'warning',
    title: 'Tier not found',
    help:
      'spec.tier names a Tier that is not in the input (offline) or not in the cluster ' +
      '(--cluster, then an error); Calico refuses policies in a tier that does not exist.',
  },
  'policy/selector-syntax': {
    severity: 'error',
    title: 'Selector syntax error',
    help:
      "The selector does not parse with Calico's selector grammar; the finding points " +
      'at the column inside the selector. Values must be quoted: label == "value".',
  },
  'policy/selector-global': {
    severity: 'error',
    title: 'global() in the wrong place',
    help: "global() may only be used as the whole namespaceSelector of a rule's source or destination.",
  },
  'policy/action': {
    severity: 'error',
    title: 'Invalid rule action',
    help: 'action is one of Allow, Deny, Log, Pass (case-sensitive).',
  },
  'policy/protocol': {
    severity: 'error',
    title: 'Invalid protocol',
    help:
      'protocol/notProtocol is TCP, UDP, ICMP, ICMPv6, SCTP or UDPLite (case-sensitive), ' +
      'or a number from 1 to 255.',
  },
  'policy/ports': {
    severity: 'error',
    title: 'Invalid port',
    help:
      'A port is a number from 1 to 65535, a range "min:max" with min <= max, or a named ' +
      'port (letters, digits, . _ -, up to 128 characters).',
  },
  'policy/ports-protocol': {
    severity: 'error',
    title: 'Ports without a port protocol',
    help:
      'Rules with numeric ports or port ranges must set protocol to TCP, UDP or SCTP; ports ' +
      'cannot be combined with other protocols.',
  },
  'policy/icmp': {
    severity: 'error',
    title: 'Invalid ICMP match',
    help:
      'icmp/notICMP need protocol ICMP or ICMPv6 (matching ipVersion 4 or 6); type is 0-254, ' +
      'code 0-255, and a code needs a type.',
  },
  'policy/ip-version': {
    severity: 'error',
    title: 'Invalid ipVersion',
    help: "A rule's ipVersion is the number 4 or 6 (unquoted); it restricts the rule to that IP family.",
  },
  'policy/nets': {
    severity: 'error',
    title: 'Invalid nets/notNets',
    help: 'Entries are IPs or CIDRs of one family matching ipVersion; 0.0.0.0/0 or ::/0 in notNets matches nothing.',
  },
  'policy/types': {
    severity: 'error',
    title: 'Invalid types',
    help: 'types lists Ingress and/or Egress, each at most once.',
  },
  'policy/types-rules': {
    severity: 'warning',
    title: 'Rules ignored by types',
    help: 'types does not include the direction of some rules, so Calico ignores them.',
  },
  'policy/services': {
    severity: 'error',
    title: 'Invalid services match',
    help:
      'services cannot be combined with selectors, nets, serviceAccounts or ports; it is ' +
      "only valid in an ingress rule's source or an egress rule's destination; GlobalNetworkPolicy " +
      'needs services.namespace.',
  },
  'policy/http': {
    severity: 'error',
    title: 'Invalid http match',
    help:
      'http matches are only valid on Allow rules in ingress, with protocol TCP or none; ' +
      'each path is exact or prefix (one of them), starts with / and holds no ?, # or space; ' +
      'methods are listed once each. headers (Calico Enterprise) need header, an operator ' +
      'and values.',
  },
  'policy/order': {
    severity: 'error',
    title: 'Invalid order',
    help:
      'order is a number (unquoted); policies with lower orders apply first, and a policy ' +
      'without an order applies last.',
  },
  'policy/gnp-options': {
    severity: 'error',
    title: 'Invalid doNotTrack / preDNAT / applyOnForward',
    help:
      'doNotTrack and preDNAT exclude each other, both need applyOnForward: true, and preDNAT ' +
      'policies cannot have egress rules.',
  },
  'policy/staged-action': {
    severity: 'error',
    title: 'Invalid stagedAction',
    help:
      "A staged policy's stagedAction is Set (stage the policy as written), Delete (stage " +
      'its removal), Learn or Ignore.',
  },
  'policy/field-type': {
    severity: 'error',
    title: 'Field of the wrong type',
    help:
      'The field has the wrong YAML type (e.g. a string where a list is expected); calicoctl ' +
      'and the API server refuse the resource.',
  },
  'policy/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help:
      'calicoctl decodes strictly and refuses unknown fields ("field in document is not ' +
      'recognized"); the API server prunes or refuses them. The message suggests the nearest ' +
      'known field.',
  },
  'policy/network-interface-label': {
    severity: 'warning',
    title: 'network-interface label compared with a host-side name',
    help:
      'projectcalico.org/network-interface holds the interface name inside the pod (eth0, ' +
      'net1, or the name requested in the networks annotation), not the host-side veth ' +
      '(cali..., calim...). The selector probably matches nothing.',
  },
  'policy/reserved-name': {
    severity: 'warning',
    title: 'Name reserved for Kubernetes network policies',
    help:
      'Names starting with knp.default. or ossg.default. are how Calico shows Kubernetes ' +
      'NetworkPolicies; the validator accepts them but calicoctl refuses to create or replace ' +
      'such a policy.',
    source: UPSTREAM.validator,
  },
  'policy/performance-hints': {
    severity: 'error',
    title: 'Invalid performanceHints',
    help: 'performanceHints lists each hint at most once; the only hint is AssumeNeededOnEveryNode.',
    source: UPSTREAM.policyTypes,
  },
  'policy/selects-nothing': {
    severity: 'warning',
    title: 'Selector matches no endpoint',
    help:
      "No workload or host endpoint in the cluster (or pod in the input) matches the policy's " +
      'selector, so the policy applies to nothing. Label values are often not what one ' +
      'expects: check them with xctl get wep -o yaml.',
    cluster: true,
  },

  // Tier
  'tier/name': {
    severity: 'error',
    title: 'Invalid tier name',
    help: 'A tier name is a DNS-1123 label of at most 63 characters.',
  },
  'tier/order': {
    severity: 'error',
    title: 'Invalid tier order',
    help:
      'order is a number; the built-in tiers have fixed orders: default 1e+06, kube-admin ' +
      '1000, kube-baseline 1e+07.',
  },
  'tier/default-action': {
    severity: 'error',
    title: 'Invalid defaultAction',
    help:
      'defaultAction is Deny (the default) or Pass; the built-in tiers have fixed ones: ' +
      'default Deny, kube-admin and kube-baseline Pass (CRD validation rules in tier.go).',
  },
  'tier/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help: 'A field Tier does not have; calicoctl refuses unknown fields. The message suggests the nearest known field.',
  },

  // IPPool
  'ippool/name': {
    severity: 'error',
    title: 'Invalid IP pool name',
    help: 'IPPool names are DNS-1123 subdomains (lower case letters, digits, - and ., at most 253 characters).',
  },
  'ippool/cidr': {
    severity: 'error',
    title: 'Invalid pool CIDR',
    help: 'cidr is required and must be a strictly masked CIDR (no host bits set), e.g. 10.48.0.0/16.',
  },
  'ippool/block-size': {
    severity: 'error',
    title: 'Invalid blockSize',
    help:
      'blockSize is 20-32 for IPv4 and 116-128 for IPv6, and may not be smaller than the ' +
      'pool\'s prefix ("IP pool size is too small for use with Calico IPAM").',
  },
  'ippool/encapsulation': {
    severity: 'error',
    title: 'Invalid ipipMode / vxlanMode',
    help:
      'ipipMode and vxlanMode are Always, CrossSubnet or Never; IPIP cannot be used with ' +
      'IPv6, and IPIP and VXLAN cannot both be enabled.',
  },
  'ippool/link-local': {
    severity: 'error',
    title: 'Pool overlaps link-local addresses',
    help: 'A pool may not overlap 169.254.0.0/16 or fe80::/10.',
  },
  'ippool/assignment-mode': {
    severity: 'error',
    title: 'Invalid assignmentMode',
    help: 'assignmentMode is Automatic or Manual.',
  },
  'ippool/allowed-uses': {
    severity: 'error',
    title: 'Invalid allowedUses',
    help:
      'allowedUses lists Workload, Tunnel and/or LoadBalancer (Calico Enterprise also HostSecondaryInterface ' +
      'and L2Workload). A LoadBalancer pool cannot also be Workload or Tunnel, cannot use ' +
      'IPIP or VXLAN, cannot set disableBGPExport and needs nodeSelector all(); a Tunnel ' +
      'pool cannot have a namespaceSelector.',
  },
  'ippool/selector': {
    severity: 'error',
    title: 'Invalid nodeSelector / namespaceSelector',
    help: "The selector must parse with Calico's selector grammar and may not use global().",
  },
  'ippool/field-type': {
    severity: 'error',
    title: 'Field of the wrong type',
    help: 'The field has the wrong YAML type; calicoctl and the API server refuse the resource.',
  },
  'ippool/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help:
      'A field IPPool does not have (v1-style ipip/nat-outgoing fields included); calicoctl ' +
      'refuses unknown fields. The message suggests the nearest known field.',
  },
  'networkset/name': {
    severity: 'error',
    title: 'Invalid NetworkSet or GlobalNetworkSet name',
    help:
      'Calico resource names are DNS-1123 subdomains: lower case letters, digits, "-" and ' +
      '".", at most 253 characters.',
  },
  'networkset/nets': {
    severity: 'error',
    title: 'Invalid nets entry',
    help:
      'Each entry of nets in a network set is an IP address or a CIDR (IPv4 or IPv6); Calico ' +
      'refuses the set otherwise.',
  },
  'networkset/reserved-label': {
    severity: 'error',
    title: 'Reserved label on a network set',
    help:
      'projectcalico.org/namespace is set by Calico itself when it maps a namespace into ' +
      'its data model; a network set may not carry it.',
  },
  'networkset/field-type': {
    severity: 'error',
    title: 'Field of the wrong type',
    help:
      'The field has the wrong YAML type (nets is a list of strings); calicoctl and the ' +
      'API server refuse the resource.',
  },
  'networkset/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help:
      'A field network sets do not have; calicoctl refuses unknown fields. The message ' +
      'suggests the nearest known field.',
  },
  'hostendpoint/name': {
    severity: 'error',
    title: 'Invalid HostEndpoint name',
    help:
      'Calico resource names are DNS-1123 subdomains: lower case letters, digits, "-" and ' +
      '".", at most 253 characters.',
  },
  'hostendpoint/node': {
    severity: 'error',
    title: 'HostEndpoint without a valid node',
    help: 'A host endpoint belongs to one node: spec.node must name it (a DNS-1123 subdomain).',
  },
  'hostendpoint/interface': {
    severity: 'error',
    title: 'HostEndpoint without an interface or expected IPs',
    help:
      'A host endpoint needs spec.interfaceName (1-15 characters, or * for every interface ' +
      'of the host) and/or spec.expectedIPs.',
  },
  'hostendpoint/expected-ips': {
    severity: 'error',
    title: 'Invalid expectedIPs entry',
    help: 'Each entry of expectedIPs is a single IPv4 or IPv6 address (no prefix length).',
  },
  'hostendpoint/profiles': {
    severity: 'error',
    title: 'Invalid profile name',
    help: 'Profiles are named like Calico resources (DNS-1123 subdomains), e.g. kns.default.',
  },
  'hostendpoint/ports': {
    severity: 'error',
    title: 'Invalid named port',
    help:
      'Each port of a host endpoint has a name (a Kubernetes port name: at most 15 lower ' +
      'case letters, digits or "-"), a protocol and a port number from 1 to 65535.',
  },
  'hostendpoint/field-type': {
    severity: 'error',
    title: 'Field of the wrong type',
    help: 'The field has the wrong YAML type; calicoctl and the API server refuse the resource.',
  },
  'hostendpoint/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help:
      'A field HostEndpoint does not have; calicoctl refuses unknown fields. The message ' +
      'suggests the nearest known field.',
  },
  'stagedk8s/name': {
    severity: 'error',
    title: 'Invalid StagedKubernetesNetworkPolicy name',
    help:
      'The name is a DNS-1123 subdomain of at most 253 characters; Calico shows the staged ' +
      'policy as knp.default.<name>.',
  },
  'stagedk8s/staged-action': {
    severity: 'error',
    title: 'Invalid stagedAction',
    help: 'stagedAction is Set (the default), Delete, Learn or Ignore; a staged Delete carries no other field.',
  },
  'stagedk8s/selector': {
    severity: 'error',
    title: 'Invalid label selector',
    help: 'matchExpressions operators are In, NotIn (both with values), Exists and DoesNotExist (without values).',
  },
  'stagedk8s/policy-types': {
    severity: 'error',
    title: 'Invalid policyTypes',
    help: 'policyTypes lists Ingress and/or Egress.',
  },
  'stagedk8s/peer': {
    severity: 'error',
    title: 'Invalid peer',
    help:
      'A peer is a podSelector and/or namespaceSelector, or an ipBlock (a CIDR with CIDRs ' +
      'to except); Calico cannot convert anything else.',
  },
  'stagedk8s/port': {
    severity: 'error',
    title: 'Invalid port',
    help:
      'A port is a number from 1 to 65535 or a port name, with protocol TCP, UDP or SCTP ' +
      'and an optional endPort not below the port.',
  },
  'stagedk8s/field-type': {
    severity: 'error',
    title: 'Field of the wrong type',
    help: 'The field has the wrong YAML type; calicoctl and the API server refuse the resource.',
  },
  'stagedk8s/unknown-field': {
    severity: 'warning',
    title: 'Unknown field',
    help: 'A field Kubernetes NetworkPolicy specs do not have; calicoctl refuses unknown fields.',
  },
} as const satisfies Record<string, RuleInfo>

/** Default upstream source per rule family, for rules that do not name their own. */
const FAMILY_SOURCES: Array<[string, string]> = [
  ['input/', 'xctl (YAML 1.2 reading, as kubectl does)'],
  ['nad/calico-', UPSTREAM.cniTypes],
  ['nad/', 'k8snetworkplumbingwg/multus-cni pkg/types, containernetworking/cni libcni/conf.go'],
  ['pod/', UPSTREAM.multus],
  ['policy/', `${UPSTREAM.validator}; ${UPSTREAM.policyTypes}`],
  ['tier/', `${UPSTREAM.validator}; projectcalico/api pkg/apis/projectcalico/v3/tier.go (v3.32.1)`],
  ['ippool/', `${UPSTREAM.validator}; projectcalico/api pkg/apis/projectcalico/v3/ippool.go (v3.32.1)`],
  ['metadata/', UPSTREAM.validator],
  ['networkset/', `${UPSTREAM.validator}; projectcalico/api pkg/apis/projectcalico/v3/networkset.go (v3.32.1)`],
  ['hostendpoint/', `${UPSTREAM.validator}; projectcalico/api pkg/apis/projectcalico/v3/hostendpoint.go (v3.32.1)`],
  [
    'stagedk8s/',
    `${UPSTREAM.validator} validateStagedKubernetesNetworkPolicy; libcalico-go/lib/backend/k8s/conversion/conversion.go`,
  ],
  ['calico/', 'projectcalico/calico docs: crd.projectcalico.org/v1 is the storage API'],
]

/** Where a rule comes from upstream, for --list-rules. */
export function ruleSource(id: RuleId): string {
  const own = (RULES[id] as RuleInfo).source
  return own ?? FAMILY_SOURCES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'xctl'
}

export type RuleId = keyof typeof rules

export const RULES: Readonly<Record<RuleId, RuleInfo>> = rules

export const RULE_IDS = Object.keys(rules) as RuleId[]
