import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {check, expectFinding, expectNo, invalid, nad, rules, valid} from './helpers.js'

const FIX = 'test/fixtures/validation/'
/** Column of `token` in a single-line config of nad() (the config text starts at line 7, column 12). */
const col = (config: string, token: string) => 12 + config.indexOf(token)

const GOOD =
  '{"cniVersion": "0.3.1", "type": "calico", "log_level": "info", "datastore_type": "kubernetes", "mtu": 1410, "ipam": {"type": "calico-ipam", "assign_ipv4": "true", "assign_ipv6": "false"}, "policy": {"type": "k8s"}, "kubernetes": {"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"}}'

test('valid: the Calico Enterprise example NAD, single-quoted and as a block scalar', async () => {
  await valid(nad(GOOD))
  await valid(`apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: additional-calico-network
spec:
  config: |
    {
      "cniVersion": "1.0.0",
      "name": "additional.calico_net-1",
      "plugins": [{"type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["10.0.0.0/24", "default-ipv4-ippool"]}, "policy": {"type": "k8s"}, "kubernetes": {"kubeconfig": "/k"}, "datastore_type": "kubernetes"}, {"type": "portmap", "capabilities": {"portMappings": true}}]
    }
`)
  await valid(
    nad(
      '{"cniVersion": "1.1.0", "type": "macvlan", "master": "eth1", "ipam": {"type": "host-local", "subnet": "10.1.0.0/16"}}',
    ),
  )
})

test('the seed NAD as it stands: every break in the JSON at its line and column, saying what is expected', async () => {
  const r = await check(readFileSync(`${FIX}seed/seed-nad.yaml`, 'utf8'))
  assert.deepEqual(rules(r), ['nad/config-json', 'nad/config-json', 'nad/config-json'])
  expectFinding(
    r,
    'nad/config-json',
    19,
    5,
    /expected ',' or '\}' after property value "false", found "policy".*Multus: invalid character '"' after object key:value pair/,
  )
  expectFinding(r, 'nad/config-json', 21, 5, /expected ',' or '\}' after property value "k8s", found "kubernetes"/)
  expectFinding(
    r,
    'nad/config-json',
    22,
    55,
    /4 brackets not closed: add '\}' for "kubernetes" \(opened at line 21, column 19\).*'\}' for the outermost object \(opened at line 8, column 12\)/,
  )
  assert.equal(r.code, 1)
})

test('the seed NAD exactly as scraped (no indentation, no closing quote): a YAML syntax error with its position', async () => {
  const r = await check(readFileSync(`${FIX}seed/seed-nad-raw.yaml`, 'utf8'))
  expectFinding(
    r,
    'input/syntax',
    4,
    9,
    /YAML syntax error: Missing closing 'quote: the single-quoted string that starts here is never closed/,
  )
  assert.equal(r.code, 1)
})

test('the seed pool list ["", "", "default-ipv4-ippool"]: each empty entry is an error', async () => {
  const r = await check(readFileSync(`${FIX}seed/seed-pools.yaml`, 'utf8'))
  expectFinding(
    r,
    'nad/calico-pools',
    13,
    24,
    /ipv4_pools\[0\] is an empty string: calico-ipam fails with error parsing pool ""/,
  )
  expectFinding(r, 'nad/calico-pools', 13, 28, /ipv4_pools\[1\]/)
  assert.equal(r.findings.length, 2)
  assert.equal(r.code, 1)
})

test('JSON errors are placed through every YAML scalar style', async () => {
  // double-quoted with escapes: the missing comma after "0.3.1" is at the \" before type
  const dq =
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: a}\nspec:\n  config: "{\\"cniVersion\\": \\"0.3.1\\" \\"type\\": \\"calico\\"}"\n'
  await invalid(dq, 'nad/config-json', 5, 39, /expected ',' or '\}' after property value "0.3.1", found "type"/)
  // literal block: line and column of the trailing comma's closing brace
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: a}\nspec:\n  config: |\n    {\n      "cniVersion": "0.3.1",\n      "type": "bridge",\n    }\n',
    'nad/config-json',
    9,
    5,
    /trailing comma: remove the ',' before '\}'/,
  )
  // folded block
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: a}\nspec:\n  config: >\n    {"cniVersion": "0.3.1",\n    "type": \'bridge\'}\n',
    'nad/config-json',
    7,
    13,
    /JSON strings must use double quotes/,
  )
  // plain multi-line scalar
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: a}\nspec:\n  config: {"cniVersion": "0.3.1",\n    "type": bridge}\n',
    'nad/config-type',
    5,
    11,
  )
  // single-quoted with an escaped quote ('') before the error
  const sq = `{"cniVersion": "0.3.1", "type": "bridge", "x": "it''s" "y": 1}`
  await invalid(nad(sq), 'nad/config-json', 7, col(sq, '"y"'), /after property value "it's"/)
})

test('JSON problems: unquoted names, comments, bad values, control characters', async () => {
  const c1 = '{cniVersion: "0.3.1"}'
  await invalid(
    nad(c1),
    'nad/config-json',
    7,
    col(c1, 'cniVersion'),
    /property names must be in double quotes: write "cniVersion".*looking for beginning of object key string/,
  )
  const c2 = '{"cniVersion": "0.3.1", "type": calico}'
  await invalid(
    nad(c2),
    'nad/config-json',
    7,
    col(c2, 'calico'),
    /"calico" is not a JSON value: strings must be in double quotes/,
  )
  const c3 = '{"cniVersion": "0.3.1", // note\n    "type": "bridge"}'
  await invalid(nad(c3), 'nad/config-json', 7, col(c3, '//'), /JSON does not allow comments/)
  const c4 = '{"mtu": 14x0}'
  await invalid(nad(c4), 'nad/config-json', 7, col(c4, 'x'), /after property value 14/)
})

test('the NAD object: apiVersion, name, spec.config type and presence', async () => {
  await invalid(
    nad(GOOD).replace('k8s.cni.cncf.io/v1', "''"),
    'nad/api-version',
    1,
    13,
    /apiVersion is empty; a NetworkAttachmentDefinition is apiVersion: k8s.cni.cncf.io\/v1/,
  )
  await invalid(
    nad(GOOD).replace('name: net-a', 'name: My_Net'),
    'nad/name',
    4,
    9,
    /not a valid NetworkAttachmentDefinition name: it must consist of lower case letters/,
  )
  await invalid(
    nad(GOOD).replace('name: net-a', `name: ${'a'.repeat(64)}`),
    'nad/name',
    4,
    9,
    /64 characters long \(at most 63\)/,
  )
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\nspec:\n  config: ""\n',
    'nad/config-missing',
    6,
    11,
    /Multus then looks for a CNI config file named after this NAD in \/etc\/cni\/multus\/net.d/,
    {code: 0},
  )
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\n',
    'nad/config-missing',
    1,
    1,
    undefined,
    {code: 0},
  )
  await invalid(
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\nspec:\n  config:\n    cniVersion: 0.3.1\n    type: calico\n',
    'nad/config-type',
    7,
    5,
    /spec.config is a YAML mapping, but it must be a string holding JSON: write "config: \|"/,
  )
  await invalid(nad('[1, 2]'), 'nad/config-not-object', 7, 12, /a CNI config is a JSON object/)
})

test('CNI rules: type, plugins, name, cniVersion, reserved keys, duplicate keys', async () => {
  const noType = '{"cniVersion": "0.3.1", "name": "x"}'
  await invalid(nad(noType), 'nad/plugin-type', 7, 12, /has no "type"/)
  const path = '{"cniVersion": "0.3.1", "type": "/opt/cni/bin/calico", "ipam": {"type": "calico-ipam"}}'
  await invalid(nad(path), 'nad/plugin-type', 7, col(path, '"/opt'), /contains '\/'/)
  const upper = '{"cniVersion": "0.3.1", "type": "Calico"}'
  await invalid(nad(upper), 'nad/plugin-type', 7, col(upper, '"Calico"'), /case-sensitive.*did you mean "calico"/)
  const empty = '{"cniVersion": "0.3.1", "name": "n", "plugins": []}'
  await invalid(nad(empty), 'nad/plugins', 7, col(empty, '[]'), /non-empty list/)
  const pluginNoType = '{"cniVersion": "0.3.1", "name": "n", "plugins": [{"type": "bridge"}, {"capabilities": {}}]}'
  await invalid(
    nad(pluginNoType),
    'nad/plugin-type',
    7,
    col(pluginNoType, '{"capabilities"'),
    /plugins\[1\] has no "type"/,
  )
  const badName = '{"cniVersion": "0.3.1", "name": "my net", "type": "bridge"}'
  await invalid(nad(badName), 'nad/cni-name', 7, col(badName, '"my net"'), /must start with a letter or digit/)
  const v110 = '{"cniVersion": "1.1.0", "type": "calico", "ipam": {"type": "calico-ipam"}}'
  await invalid(
    nad(v110),
    'nad/cni-version',
    7,
    col(v110, '"1.1.0"'),
    /newer than the calico plugins support \(up to 1.0.0\).*incompatible CNI versions.*tigera\/docs#2949.*use "1.0.0"/,
  )
  const v03 = '{"cniVersion": "0.3", "type": "bridge"}'
  await invalid(nad(v03), 'nad/cni-version', 7, col(v03, '"0.3"'), /not a CNI spec version.*did you mean "0.3.0"/)
  const noVersion = '{"type": "bridge"}'
  await invalid(nad(noVersion), 'nad/cni-version-missing', 7, 12, /add "cniVersion"/, {code: 0})
  const reserved = '{"cniVersion": "0.3.1", "type": "bridge", "runtimeConfig": {"mac": "x"}}'
  await invalid(nad(reserved), 'nad/reserved-key', 7, col(reserved, '"runtimeConfig"'), /reserved by the CNI spec/, {
    code: 0,
  })
  const dup = '{"cniVersion": "0.3.1", "type": "bridge", "type": "macvlan"}'
  const r = await invalid(
    nad(dup),
    'nad/config-duplicate-key',
    7,
    col(dup, '"type": "macvlan"'),
    /has "type" twice in the top level \(first at line 7, column 36\); only the last value counts/,
    {code: 0},
  )
  assert.equal(r.findings.length, 1)
})

test('calico plugin: ipam, assign_ipv4/6 as strings, pools, mtu, value types, unknown keys, settings', async () => {
  const cases: Array<[string, string, string, RegExp, number?]> = [
    [
      '{"cniVersion": "0.3.1", "type": "calico"}',
      'nad/calico-ipam',
      '{',
      /no "ipam": add "ipam": \{"type": "calico-ipam"\}/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"assign_ipv4": "true"}}',
      'nad/calico-ipam',
      '{"assign',
      /ipam has no "type"/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "assign_ipv4": true}}',
      'nad/calico-assign-ip',
      'true}',
      /the JSON boolean true; calico-ipam reads it as a string.*write "true" \(quoted\)/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "assign_ipv6": "True"}}',
      'nad/calico-assign-ip-value',
      '"True"',
      /IPv6 stays off \(only "true" turns it on\): write "true"/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "assign_ipv4": "false"}}',
      'nad/calico-assign-ip-value',
      '"false"',
      /assigns no address at all/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["fd00::/64"]}}',
      'nad/calico-pools',
      '"fd00',
      /IPv6 CIDR in ipv4_pools \(calico-ipam: "fd00::" isn't a IPv4 address\); move it to ipv6_pools/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["10.0.0.0"]}}',
      'nad/calico-pools',
      '"10.',
      /address without a prefix length: write the pool's CIDR \(e.g. 10.0.0.0\/24\)/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["10.0.0.0/33"]}}',
      'nad/calico-pools',
      '"10.',
      /not a valid CIDR/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv4_pools": ["Pool_A"]}}',
      'nad/calico-pools',
      '"Pool',
      /neither a CIDR nor a valid IPPool name/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "ipv6_pools": ["fd00::/64"]}}',
      'nad/calico-pools-ignored',
      '"ipv6_pools"',
      /only assigns IPv6 when assign_ipv6 is "true"/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "mtu": 20, "ipam": {"type": "calico-ipam"}}',
      'nad/calico-mtu',
      '20',
      /use 68-65535/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "mtu": "1410", "ipam": {"type": "calico-ipam"}}',
      'nad/calico-value',
      '"1410"',
      /must be a whole number: write 1410 without quotes.*cannot unmarshal string into Go struct field NetConf.mtu of type int/,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "nodename_file_optinal": false, "ipam": {"type": "calico-ipam"}}',
      'nad/calico-unknown-key',
      '"nodename_file_optinal"',
      /no setting "nodename_file_optinal" \(did you mean "nodename_file_optional"\?\); the plugin ignores it/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "ipam": {"type": "calico-ipam", "asign_ipv4": "true"}}',
      'nad/calico-unknown-key',
      '"asign_ipv4"',
      /did you mean "assign_ipv4"/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "log_level": "verbose", "ipam": {"type": "calico-ipam"}}',
      'nad/calico-setting',
      '"verbose"',
      /not a level the plugin knows/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "datastore_type": "kubernetes", "ipam": {"type": "calico-ipam"}}',
      'nad/calico-setting',
      '"kubernetes"',
      /neither kubernetes.kubeconfig nor a k8s_api_root is set/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "policy": {"type": "k8"}, "ipam": {"type": "calico-ipam"}}',
      'nad/calico-setting',
      '"k8"',
      /the only policy type is "k8s"/,
      0,
    ],
    [
      '{"cniVersion": "0.3.1", "type": "calico", "nodename_file_optional": "false", "ipam": {"type": "calico-ipam"}}',
      'nad/calico-value',
      '"false"',
      /must be true or false: write false without quotes/,
    ],
  ]
  for (const [config, rule, token, message, code] of cases) {
    await invalid(nad(config), rule, 7, col(config, token), message, {code})
  }
})

test('empty spec.config warns but does not fail; --fail-level warning makes it fail', async () => {
  const yaml =
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\nspec:\n  config: ""\n'
  await invalid(yaml, 'nad/config-missing', 6, 11, undefined, {code: 0})
  await invalid(yaml, 'nad/config-missing', 6, 11, undefined, {code: 1, failLevel: 'warning'})
})

test('a 10 MB JSON spec.config string validates, fast, with positions near its end', async () => {
  const filler = 'x'.repeat(10 * 1024 * 1024)
  const config = `{"cniVersion": "0.3.1", "type": "bridge", "note": "${filler}", "mtu": 1500 "bad": 1}`
  const started = Date.now()
  const r = await check(nad(config))
  const took = Date.now() - started
  expectFinding(r, 'nad/config-json', 7, col(config, '"bad"'), /after property value 1500/)
  expectNo(r, 'input/document-too-large')
  expectFinding(r, 'input/object-too-large', 1, 1)
  assert.ok(took < 5000, `took ${took} ms`)
})
