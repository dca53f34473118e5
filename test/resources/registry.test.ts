/**
 * The kind descriptors (src/resources/registry.ts, calico.ts, nad.ts, workloadendpoint.ts): the names users type,
 * where each kind lives in the API, and its table columns. Aliases and headings are calicoctl's (v3.32.1
 * calicoctl/calicoctl/resourcemgr/<kind>.go, registerResource): a user coming from calicoctl types the same words
 * and reads the same headings.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ExitCode, UsageError} from '../../src/core/errors.js'
import type {KubeObject} from '../../src/kube/types.js'
import {apiKindFor} from '../../src/resources/coordinates.js'
import {formatOrder, type ResourceDescriptor} from '../../src/resources/descriptor.js'
import {closestWord, findKind, kindOfObject, KINDS} from '../../src/resources/registry.js'

const object = (spec: Record<string, unknown>, name = 'x'): KubeObject => ({metadata: {name}, spec})
const headers = (columns: ResourceDescriptor['columns']) => columns.map((c) => c.header)
const row = (d: ResourceDescriptor, o: KubeObject, wide = false) =>
  Object.fromEntries((wide ? d.wideColumns : d.columns).map((c) => [c.header, c.value(o)]))

// calicoctl's aliases per kind (resourcemgr/*.go, v3.32.1), and whether the kind is namespaced.
const CALICOCTL_ALIASES: Array<[string, boolean, string[]]> = [
  ['WorkloadEndpoint', true, ['workloadendpoint', 'workloadendpoints', 'wep', 'weps']],
  ['NetworkPolicy', true, ['networkpolicy', 'networkpolicies', 'policy', 'policies', 'np', 'pol', 'pols']],
  ['GlobalNetworkPolicy', false, ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps']],
  [
    'StagedNetworkPolicy',
    true,
    ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'stagedpolicies', 'snp', 'spol', 'spols'],
  ],
  ['StagedGlobalNetworkPolicy', false, ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps']],
  [
    'StagedKubernetesNetworkPolicy',
    true,
    [
      'stagedkubernetesnetworkpolicy',
      'stagedkubernetesnetworkpolicies',
      'stagedkubernetespolicy',
      'stagedkubernetespolicies',
      'sknp',
      'skpol',
      'skpols',
    ],
  ],
  ['Tier', false, ['tier', 'tiers']],
  ['IPPool', false, ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools']],
  ['HostEndpoint', false, ['hostendpoint', 'hostendpoints', 'hep', 'heps']],
  ['NetworkSet', true, ['networkset', 'networksets', 'netsets']],
  ['GlobalNetworkSet', false, ['globalnetworkset', 'globalnetworksets', 'gnetsets']],
  ['ClusterInformation', false, ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos']],
]

describe('findKind: the names users type', () => {
  it("every calicoctl alias names calicoctl's kind, in any case", () => {
    for (const [kind, namespaced, aliases] of CALICOCTL_ALIASES)
      for (const alias of aliases) {
        for (const typed of [alias, alias.toUpperCase()]) {
          const d = findKind(typed)
          assert.equal(d.kind, kind, typed)
          assert.equal(d.namespaced, namespaced, typed)
          // `networkpolicies` and friends are Calico's kinds, never the Kubernetes policies shown as knp.
          assert.equal(d.apiVersion, 'projectcalico.org/v3', typed)
        }
      }
  })

  it('NADs by their CRD names and short names; kubectl-style plural.group names', () => {
    for (const typed of [
      'nad',
      'nads',
      'net-attach-def',
      'network-attachment-definitions',
      'NetworkAttachmentDefinition',
    ])
      assert.equal(findKind(typed).kind, 'NetworkAttachmentDefinition', typed)
    assert.equal(findKind('network-attachment-definitions.k8s.cni.cncf.io').kind, 'NetworkAttachmentDefinition')
    assert.equal(findKind('networkpolicies.projectcalico.org'), findKind('np'))
    // v1 CRD names reach the same v3 kind.
    assert.equal(findKind('globalnetworkpolicies.crd.projectcalico.org').kind, 'GlobalNetworkPolicy')
    // kubectl's name of the Kubernetes kind is the knp view, not Calico's NetworkPolicy.
    const knp = findKind('networkpolicies.networking.k8s.io')
    assert.equal(knp, findKind('knp'))
    assert.notEqual(knp, findKind('networkpolicies'))
    assert.equal(knp.storage!('crd-v1').group, 'networking.k8s.io')
  })

  it("an unknown kind is a usage error with calicoctl's wording and a guess; ns stays kubectl's namespaces", () => {
    assert.throws(
      () => findKind('wepp'),
      (e: unknown) => {
        assert.ok(e instanceof UsageError)
        assert.equal(e.exitCode, ExitCode.usage)
        assert.equal(e.message, "resource type 'wepp' is not supported. Did you mean wep?")
        assert.match(e.hint ?? '', /workloadendpoints \(wep, weps\)/)
        return true
      },
    )
    assert.throws(() => findKind('ns'), {message: /^resource type 'ns' is not supported/})
    assert.throws(() => findKind('profiles'), {message: "resource type 'profiles' is not supported"})
    // A group that is not the kind's own does not qualify it.
    assert.throws(() => findKind('networkpolicies.example.com'), UsageError)
  })

  it('closestWord: a swap of neighbours is one edit; far-off words get no guess', () => {
    assert.equal(closestWord('gpn', ['gnp', 'np']), 'gnp')
    assert.equal(closestWord('ippol', ['ippool', 'tier']), 'ippool')
    assert.equal(closestWord('xyz', ['wep', 'nad']), undefined)
    // Short words allow one edit only.
    assert.equal(closestWord('ab', ['abcd']), undefined)
  })
})

describe('kindOfObject: the kind of a manifest', () => {
  it('by apiVersion and kind; v1 Calico CRDs read as their v3 kind; foreign kinds are not ours', () => {
    assert.equal(kindOfObject('projectcalico.org/v3', 'NetworkPolicy'), findKind('np'))
    assert.equal(kindOfObject('crd.projectcalico.org/v1', 'GlobalNetworkPolicy'), findKind('gnp'))
    assert.equal(kindOfObject('k8s.cni.cncf.io/v1', 'NetworkAttachmentDefinition'), findKind('nad'))
    assert.equal(kindOfObject('projectcalico.org/v3', 'WorkloadEndpoint'), findKind('wep'))
    assert.equal(kindOfObject('networking.k8s.io/v1', 'NetworkPolicy'), undefined)
    assert.equal(kindOfObject('v1', 'Pod'), undefined)
    assert.equal(kindOfObject('projectcalico.org/v3', 'Profile'), undefined)
    assert.equal(kindOfObject('k8s.cni.cncf.io/v2', 'NetworkAttachmentDefinition'), undefined)
    assert.equal(kindOfObject('projectcalico.org/v3', undefined), undefined)
  })
})

describe('API coordinates', () => {
  it('Calico kinds: projectcalico.org/v3, or crd.projectcalico.org/v1 when the cluster stores v1 CRDs', () => {
    for (const d of KINDS.filter((k) => k.group === 'projectcalico.org' && !k.derived && k !== findKind('knp'))) {
      const v3 = apiKindFor(d, 'v3-crd')
      const plural = `${d.kind.toLowerCase()}s`.replace(/ys$/, 'ies')
      assert.deepEqual(v3, {group: 'projectcalico.org', version: 'v3', plural, kind: d.kind, namespaced: d.namespaced})
      assert.deepEqual(apiKindFor(d, 'apiserver-v3'), v3)
      assert.deepEqual(apiKindFor(d, 'crd-v1'), {...v3, group: 'crd.projectcalico.org', version: 'v1'})
    }
  })

  it('NADs and Kubernetes policies live in their own groups whatever the Calico storage', () => {
    for (const mode of ['crd-v1', 'v3-crd', 'apiserver-v3'] as const) {
      assert.deepEqual(findKind('nad').storage!(mode), {
        group: 'k8s.cni.cncf.io',
        version: 'v1',
        plural: 'network-attachment-definitions',
      })
      assert.deepEqual(findKind('knp').storage!(mode), {
        group: 'networking.k8s.io',
        version: 'v1',
        plural: 'networkpolicies',
      })
    }
    // Endpoints are computed from pods: nothing is stored under their own coordinates.
    assert.equal(findKind('wep').derived, true)
    assert.equal(findKind('wep').storage, undefined)
  })
})

describe("table columns (calicoctl's headings)", () => {
  it('-o ps and -o wide headings per kind', () => {
    const expected: Array<[string, string[], string[]]> = [
      [
        'wep',
        ['WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'],
        ['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'],
      ],
      ['np', ['NAME', 'TIER'], ['NAME', 'TIER', 'ORDER', 'SELECTOR']],
      ['gnp', ['NAME', 'TIER'], ['NAME', 'TIER', 'ORDER', 'SELECTOR']],
      ['snp', ['NAME', 'TIER'], ['NAME', 'TIER', 'ORDER', 'SELECTOR']],
      ['sgnp', ['NAME', 'TIER'], ['NAME', 'TIER', 'ORDER', 'SELECTOR']],
      ['sknp', ['NAME'], ['NAME', 'PODSELECTOR']],
      [
        'ippool',
        ['NAME', 'CIDR', 'SELECTOR'],
        ['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR', 'ASSIGNMENTMODE'],
      ],
      ['hep', ['NAME', 'NODE'], ['NAME', 'NODE', 'INTERFACE', 'IPS', 'PROFILES']],
      ['netsets', ['NAME'], ['NAME', 'NETS']],
      ['gnetsets', ['NAME'], ['NAME', 'NETS']],
      [
        'clusterinfo',
        ['NAME', 'CLUSTERGUID', 'CLUSTERTYPE', 'CALICOVERSION', 'DATASTOREREADY'],
        ['NAME', 'CLUSTERGUID', 'CLUSTERTYPE', 'CALICOVERSION', 'DATASTOREREADY'],
      ],
    ]
    for (const [alias, ps, wide] of expected) {
      assert.deepEqual(headers(findKind(alias).columns), ps, alias)
      assert.deepEqual(headers(findKind(alias).wideColumns), wide, alias)
    }
    // Tiers: calicoctl's NAME ORDER, wide or not.
    assert.deepEqual(headers(findKind('tier').columns), ['NAME', 'ORDER'])
    assert.deepEqual(headers(findKind('tier').wideColumns), ['NAME', 'ORDER'])
    assert.deepEqual(headers(findKind('wep').extraColumns ?? []), ['ORCHESTRATOR'])
  })

  it('endpoint cells: the pod when no workload, joined lists, NATs as Go prints IPNAT structs', () => {
    const wep = object({
      pod: 'web-0',
      node: 'n1',
      ipNetworks: ['10.0.0.1/32', 'fd00::1/128'],
      interfaceName: 'cali1234',
      profiles: ['kns.default', 'ksa.default.default'],
      ipNATs: [
        {internalIP: '10.0.0.1', externalIP: '1.2.3.4'},
        {internalIP: '10.0.0.2', externalIP: '1.2.3.5'},
      ],
    })
    assert.deepEqual(row(findKind('wep'), wep, true), {
      NAME: 'x',
      WORKLOAD: 'web-0',
      NODE: 'n1',
      NETWORKS: '10.0.0.1/32,fd00::1/128',
      INTERFACE: 'cali1234',
      PROFILES: 'kns.default,ksa.default.default',
      NATS: '{10.0.0.1 1.2.3.4},{10.0.0.2 1.2.3.5}',
    })
    assert.equal(row(findKind('wep'), object({workload: 'w', pod: 'p'})).WORKLOAD, 'w')
  })

  it("policy cells: tier default when unset, ORDER as Go's %v of a float64", () => {
    assert.deepEqual(row(findKind('gnp'), object({order: 1000000, selector: "app == 'web'"}), true), {
      NAME: 'x',
      TIER: 'default',
      ORDER: '1e+06',
      SELECTOR: "app == 'web'",
    })
    assert.equal(row(findKind('np'), object({tier: 'security', order: 100.5}), true).ORDER, '100.5')
    assert.equal(formatOrder(undefined), '')
    assert.equal(formatOrder(1000), '1000')
    assert.equal(formatOrder(0), '0')
  })

  it("IP pool cells: calicoctl's defaults for unset fields", () => {
    assert.deepEqual(row(findKind('ippool'), object({cidr: '10.0.0.0/16'}), true), {
      NAME: 'x',
      CIDR: '10.0.0.0/16',
      NAT: 'false',
      IPIPMODE: 'Never',
      VXLANMODE: 'Never',
      DISABLED: 'false',
      DISABLEBGPEXPORT: 'false',
      SELECTOR: '',
      ASSIGNMENTMODE: 'Automatic',
    })
    const set = object({natOutgoing: true, vxlanMode: 'CrossSubnet', nodeSelector: 'all()'})
    assert.deepEqual(
      [
        row(findKind('ippool'), set, true).NAT,
        row(findKind('ippool'), set, true).VXLANMODE,
        row(findKind('ippool'), set).SELECTOR,
      ],
      ['true', 'CrossSubnet', 'all()'],
    )
  })

  it('network set NETS: joinAndTruncate(nets, ",", 80) as calicoctl cuts it', () => {
    const nets = Array.from({length: 10}, (_, i) => `10.0.${i}.0/24`)
    const cell = row(findKind('netsets'), object({nets}), true).NETS
    assert.equal(cell.length, 80)
    assert.equal(cell, nets.join(',').slice(0, 77) + '...')
    assert.equal(row(findKind('gnetsets'), object({nets: ['10.0.0.0/8']}), true).NETS, '10.0.0.0/8')
  })

  it('host endpoint and staged Kubernetes policy cells', () => {
    const hep = object({node: 'n1', interfaceName: 'eth0', expectedIPs: ['10.0.0.1', '10.0.0.2'], profiles: ['p']})
    assert.deepEqual(row(findKind('hep'), hep, true), {
      NAME: 'x',
      NODE: 'n1',
      INTERFACE: 'eth0',
      IPS: '10.0.0.1,10.0.0.2',
      PROFILES: 'p',
    })
    const sknp = object({
      podSelector: {
        matchLabels: {tier: 'b', app: 'web'},
        matchExpressions: [{key: 'env', operator: 'In', values: ['a', 'b']}],
      },
    })
    assert.equal(row(findKind('sknp'), sknp, true).PODSELECTOR, 'app=web,tier=b,env in (a,b)')
    assert.equal(row(findKind('sknp'), object({podSelector: {}}), true).PODSELECTOR, '<none>')
  })

  it('tiers list by order, unset order last (calicoctl tier.go sort.SliceStable)', () => {
    const tiers = [object({}, 'none'), object({order: 1000000}, 'default'), object({order: 100}, 'security')]
    assert.deepEqual(
      [...tiers].sort(findKind('tier').compare).map((t) => t.metadata.name),
      ['security', 'default', 'none'],
    )
  })
})

describe('writes Calico refuses', () => {
  it('knp.default.* policies belong to Kubernetes: Calico NetworkPolicies and knp refuse them', () => {
    assert.equal(findKind('np').refuseWrite!('allow-dns'), undefined)
    assert.match(findKind('np').refuseWrite!('knp.default.web') ?? '', /kubectl .*networkpolicy web/)
    assert.match(findKind('snp').refuseWrite!('knp.default.web') ?? '', /StagedKubernetesNetworkPolicy named web/)
    assert.match(findKind('knp').refuseWrite!('web') ?? '', /managed through the Kubernetes API/)
    assert.equal(findKind('gnp').refuseWrite, undefined)
  })

  it('knp objects are looked up under their Kubernetes name', () => {
    assert.equal(findKind('knp').storedName!('knp.default.web'), 'web')
    assert.equal(findKind('knp').storedName!('web'), 'web')
  })
})
