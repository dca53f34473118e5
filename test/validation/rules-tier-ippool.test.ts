import {test} from 'node:test'
import {invalid, valid} from './helpers.js'

const tier = (name: string, spec: string) =>
  `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: ${name}\nspec:\n${spec}`
const pool = (spec: string, name = 'pool-a') =>
  `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n${spec}`

test('tiers', async () => {
  await valid(tier('security', '  order: 100\n  defaultAction: Pass\n'))
  await valid(tier('default', '  order: 1000000\n'))
  await invalid(tier('Security', '  order: 1\n'), 'tier/name', 4, 9, /not valid: it must consist of lower case letters/)
  await invalid(tier('a'.repeat(64), '  order: 1\n'), 'tier/name', 4, 9, /64 characters long \(at most 63\)/)
  await invalid(tier('default', '  order: 100\n'), 'tier/order', 6, 10, /default tier order must be 1e\+06/)
  await invalid(tier('kube-admin', '  order: 1\n'), 'tier/order', 6, 10, /kube-admin tier order must be 1000/)
  await invalid(tier('kube-baseline', '  order: 1\n'), 'tier/order', 6, 10, /kube-baseline tier order must be 1e\+07/)
  await invalid(tier('security', '  order: "100"\n'), 'tier/order', 6, 10, /write 100 without quotes/)
  await invalid(
    tier('security', '  defaultAction: Allow\n'),
    'tier/default-action',
    6,
    18,
    /must be Deny \(the default\) or Pass/,
  )
  await invalid(tier('security', '  ordr: 1\n'), 'tier/unknown-field', 6, 3, /did you mean "order"/, {code: 0})
})

test('IP pools', async () => {
  await valid(
    pool(
      '  cidr: 10.48.0.0/16\n  blockSize: 24\n  ipipMode: CrossSubnet\n  natOutgoing: true\n  nodeSelector: all()\n  allowedUses: [Workload, Tunnel]\n  assignmentMode: Automatic\n',
    ),
  )
  await valid(pool('  cidr: fd00:10::/64\n  vxlanMode: Always\n'))
  await invalid(pool('  natOutgoing: true\n'), 'ippool/cidr', 6, 3, /IPPool CIDR must be specified/)
  await invalid(pool('  cidr: 10.48.0.0/33\n'), 'ippool/cidr', 6, 9, /IPPool CIDR must be a valid subnet/)
  await invalid(
    pool('  cidr: 10.48.0.1/16\n'),
    'ippool/cidr',
    6,
    9,
    /not strictly masked \(host bits are set\): write 10.48.0.0\/16/,
  )
  await invalid(
    pool('  cidr: 169.254.0.0/24\n'),
    'ippool/link-local',
    6,
    9,
    /overlaps the link-local range 169.254.0.0\/16/,
  )
  await invalid(pool('  cidr: fe80::/64\n'), 'ippool/link-local', 6, 9, /fe80::\/10/)
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  blockSize: 33\n'),
    'ippool/block-size',
    7,
    14,
    /out of range for an IPv4 pool: use 20-32/,
  )
  await invalid(pool('  cidr: fd00::/64\n  blockSize: 64\n'), 'ippool/block-size', 7, 14, /use 116-128/)
  await invalid(
    pool('  cidr: 10.48.0.0/28\n'),
    'ippool/block-size',
    6,
    9,
    /smaller than its block size \(\/26, the default\): IP pool size is too small/,
  )
  await invalid(
    pool('  cidr: fd00::/64\n  ipipMode: Always\n'),
    'ippool/encapsulation',
    7,
    13,
    /IPIP cannot be used with an IPv6 pool/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  ipipMode: Always\n  vxlanMode: CrossSubnet\n'),
    'ippool/encapsulation',
    8,
    14,
    /cannot both be enabled/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  ipipMode: always\n'),
    'ippool/encapsulation',
    7,
    13,
    /did you mean "Always"/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  assignmentMode: Auto\n'),
    'ippool/assignment-mode',
    7,
    19,
    /Automatic or Manual/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  allowedUses: [Workloads]\n'),
    'ippool/allowed-uses',
    7,
    17,
    /did you mean "Workload"/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  nodeSelector: kubernetes.io/os = linux\n'),
    'ippool/selector',
    7,
    34,
    /expected ==/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  nodeSelector: global()\n'),
    'ippool/selector',
    7,
    17,
    /global\(\) can only be used/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  natOutgoing: "true"\n'),
    'ippool/field-type',
    7,
    16,
    /must be true or false/,
  )
  await invalid(
    pool('  cidr: 10.48.0.0/16\n  nat: true\n'),
    'ippool/unknown-field',
    7,
    3,
    /IPPool spec has no field "nat"/,
    {code: 0},
  )
  await invalid(pool('  cidr: 10.48.0.0/16\n', 'Pool_A'), 'ippool/name', 4, 9, /not valid/)
})
