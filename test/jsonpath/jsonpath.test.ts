/**
 * The JSONPath engine against kubectl's behaviour. Expected strings were taken from kubectl v1.32 (the last
 * section re-checks a sample live, serving the same objects to the installed kubectl from a fake API server).
 */
import assert from 'node:assert/strict'
import {execFile, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {compileTemplate, fieldPath, JsonPathError} from '../../src/jsonpath/index.js'

const jp = (template: string, data: unknown, allowMissingKeys = true): string =>
  compileTemplate(template).execute(data, {allowMissingKeys})

// ---- fixtures: what kubectl's jsonpath engine is given for `kubectl get pods` / `get workloadendpoints` ----

const pod = (name: string, namespace: string, labels: Record<string, string>, spec: object, status: object) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace, labels},
  spec,
  status,
})

const POD_ITEMS = [
  {
    ...pod(
      'web-0',
      'default',
      {app: 'web', 'app.kubernetes.io/name': 'web', 'projectcalico.org/namespace': 'default'},
      {
        nodeName: 'node1',
        containers: [
          {name: 'nginx', image: 'nginx:1.25', ports: [{containerPort: 80, protocol: 'TCP'}]},
          {name: 'sidecar', image: 'busybox', ports: []},
        ],
      },
      {
        phase: 'Running',
        podIP: '10.244.1.5',
        podIPs: [{ip: '10.244.1.5'}, {ip: 'fd00::5'}],
        containerStatuses: [
          {name: 'nginx', ready: true, restartCount: 0},
          {name: 'sidecar', ready: true, restartCount: 3},
        ],
      },
    ),
    metadata: {
      name: 'web-0',
      namespace: 'default',
      labels: {app: 'web', 'app.kubernetes.io/name': 'web', 'projectcalico.org/namespace': 'default'},
      annotations: {'k8s.v1.cni.cncf.io/networks': 'macvlan-conf', 'cni.projectcalico.org/podIP': '10.244.1.5/32'},
    },
  },
  pod(
    'web-1',
    'default',
    {app: 'web'},
    {nodeName: 'node1', containers: [{name: 'nginx', image: 'nginx:1.25'}]},
    {phase: 'Pending', containerStatuses: [{name: 'nginx', ready: false, restartCount: 0}]},
  ),
  pod(
    'db-0',
    'prod',
    {app: 'db', tier: 'backend'},
    {
      nodeName: 'node2',
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16',
          ports: [{containerPort: 5432, name: 'pg'}],
          resources: {limits: {memory: '1Gi', cpu: '500m'}},
        },
      ],
    },
    {phase: 'Running', podIP: '10.244.2.7', containerStatuses: [{name: 'postgres', ready: true, restartCount: 12}]},
  ),
]

/** kubectl get wraps what it lists in this List before applying the template. */
const asList = (items: unknown[]) => ({apiVersion: 'v1', items, kind: 'List', metadata: {resourceVersion: ''}})

const PODS = asList(POD_ITEMS)

const wep = (name: string, endpoint: string, iface: string, ipNetworks: string[]) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'WorkloadEndpoint',
  metadata: {
    name,
    namespace: 'default',
    labels: {
      app: 'web',
      'projectcalico.org/namespace': 'default',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'default',
    },
  },
  spec: {
    orchestrator: 'k8s',
    node: 'node1',
    pod: 'web-0',
    endpoint,
    interfaceName: iface,
    ipNetworks,
    profiles: ['kns.default', 'ksa.default.default'],
  },
})

const WEP_ITEMS = [
  wep('node1-k8s-web--0-eth0', 'eth0', 'cali1a2b3c4d5e6', ['10.244.1.5/32']),
  wep('node1-k8s-web--0-net1', 'net1', 'net1', ['192.168.50.5/24', 'fd00:50::5/64']),
]
const WEPS = asList(WEP_ITEMS)

/** Values whose printing follows Go's rules rather than JavaScript's. */
const VALUES = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name: 'values', namespace: 'default', labels: {z: '1', a: '2'}},
  spec: {
    int: 5,
    neg: -3,
    float: 1.5,
    million: 1000000,
    millionAndAHalf: 1000000.5,
    tiny: 0.00001,
    huge: 1e21,
    // eslint-disable-next-line no-loss-of-precision -- the test is about how a number beyond int64 prints
    beyondInt64: 12345678901234567890,
    yes: true,
    nothing: null,
    html: 'a<b>&c',
    htmlMap: {s: 'a<b>&c'},
    empty: '',
    unicode: 'é',
    list: [1, 'two', {x: 1}, [3, 4], null, true, 2.5],
    map: {b: 1, a: {z: [1, 2]}, c: null},
  },
}

/** The input on https://kubernetes.io/docs/reference/kubectl/jsonpath/ */
const DOC = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: {name: '127.0.0.1', labels: {'kubernetes.io/hostname': '127.0.0.1'}},
      status: {capacity: {cpu: '4'}, addresses: [{type: 'LegacyHostIP', address: '127.0.0.1'}]},
    },
    {
      kind: 'None',
      metadata: {name: '127.0.0.2'},
      status: {
        capacity: {cpu: '8'},
        addresses: [
          {type: 'LegacyHostIP', address: '127.0.0.2'},
          {type: 'another', address: '127.0.0.3'},
        ],
      },
    },
  ],
  users: [
    {name: 'myself', user: {}},
    {name: 'e2e', user: {username: 'admin', password: 'secret'}},
  ],
}

// ---- behaviour ----

describe('the kubectl JSONPath docs page', () => {
  // The page still shows Go's old %v output (`map[cpu:4]`, `[127.0.0.1 127.0.0.2]`); kubectl has printed maps and
  // arrays as JSON, and several results space-separated, for years. These are what kubectl v1.32 prints.
  const cases: [string, string][] = [
    ['kind is {.kind}', 'kind is List'],
    ['{.kind}', 'List'],
    ["{['kind']}", 'List'],
    ['{..name}', '127.0.0.1 127.0.0.2 myself e2e'],
    ['{.items[*].metadata.name}', '127.0.0.1 127.0.0.2'],
    ['{.users[0].name}', 'myself'],
    ["{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['{.users[?(@.name=="e2e")].user.password}', 'secret'],
    [
      '{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}',
      '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ',
    ],
    ["{range .items[*]}{.metadata.name}{'\\t'}{end}", '127.0.0.1\t127.0.0.2\t'],
    ['{.items[0].metadata.labels.kubernetes\\.io/hostname}', '127.0.0.1'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{.status.startTime}{"\\n"}{end}', '127.0.0.1\t\n127.0.0.2\t\n'],
    [
      '{.items[0]}',
      '{"kind":"None","metadata":{"labels":{"kubernetes.io/hostname":"127.0.0.1"},"name":"127.0.0.1"},"status":{"addresses":[{"address":"127.0.0.1","type":"LegacyHostIP"}],"capacity":{"cpu":"4"}}}',
    ],
  ]
  for (const [template, expected] of cases) it(template, () => assert.equal(jp(template, DOC), expected))

  it('{@} is the whole input, as JSON with sorted keys', () => {
    assert.deepEqual(JSON.parse(jp('{@}', DOC)), DOC)
    assert.ok(jp('{@}', DOC).startsWith('{"items":[{"kind":"None","metadata":{"labels"'))
  })

  it("{['name\\.type']}: an escaped dot inside brackets is part of the key", () => {
    assert.equal(jp("{['name\\.type']}", {'name.type': 'List'}), 'List')
  })
})

describe('paths over a list of pods', () => {
  const cases: [string, string][] = [
    ['{.items[*].metadata.name}', 'web-0 web-1 db-0'],
    ['{$.items[*].metadata.name}', 'web-0 web-1 db-0'],
    ['{@.items[0].metadata.name}', 'web-0'],
    ['{.items[0].metadata.name}', 'web-0'],
    ['{.items[-1].metadata.name}', 'db-0'],
    ['{.items[1:3].metadata.name}', 'web-1 db-0'],
    ['{.items[:2].metadata.name}', 'web-0 web-1'],
    ['{.items[::2].metadata.name}', 'web-0 db-0'],
    ['{.items[-2:].metadata.name}', 'web-1 db-0'],
    ['{.items[0,2].metadata.name}', 'web-0 db-0'],
    ['{.items[3:3].metadata.name}', ''],
    ["{.items[0]['metadata.name','status.phase']}", 'web-0 Running'],
    ["{.items[*].metadata['name','namespace']}", 'web-0 web-1 db-0 default default prod'],
    ["{.items[*]['metadata']['name']}", 'web-0 web-1 db-0'],
    ['{.items[2].metadata.labels.*}', 'db backend'],
    ['{.items[2].spec.*.*.name}', 'postgres'],
    ['{..image}', 'nginx:1.25 busybox nginx:1.25 postgres:16'],
    ['{.items[0]..ip}', '10.244.1.5 fd00::5'],
    ['{.items[0].status.podIPs[*].ip}', '10.244.1.5 fd00::5'],
    ['{.items[0].status.podIPs}', '[{"ip":"10.244.1.5"},{"ip":"fd00::5"}]'],
    ['{.items[2].spec.containers[0].resources.limits}', '{"cpu":"500m","memory":"1Gi"}'],
    [
      '{.items[0].metadata.labels}',
      '{"app":"web","app.kubernetes.io/name":"web","projectcalico.org/namespace":"default"}',
    ],
    ['{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'web'],
    ['{.items[0].metadata.annotations.k8s\\.v1\\.cni\\.cncf\\.io/networks}', 'macvlan-conf'],
    ['{.items[*].status.containerStatuses[*].restartCount}', '0 3 0 12'],
    // kubectl quirk: an empty selection (sidecar's `ports: []`) ends `[*]` for all later inputs too
    ['{.items[*].spec.containers[*].ports[*].containerPort}', '80'],
    ['{range .items[*].spec.containers[*]}{.ports[*].containerPort} {end}', '80   5432 '],
    ['{.items[0].metadata.name} is {.items[0].status.phase}', 'web-0 is Running'],
    ['{ .items[0].metadata.name }', 'web-0'],
    ['{.items[1].status.podIP}', ''],
    ['{.items[*].status.podIP}', '10.244.1.5 10.244.2.7'],
    ['{.items[*].metadata.name}{"\\n"}', 'web-0 web-1 db-0\n'],
    ['{.}', ''], // the empty field name, which no object has
  ]
  for (const [template, expected] of cases) it(template, () => assert.equal(jp(template, PODS), expected))
})

describe('filters', () => {
  const cases: [string, string][] = [
    ['{.items[?(@.status.phase=="Running")].metadata.name}', 'web-0 db-0'],
    ["{.items[?(@.status.phase=='Running')].metadata.name}", 'web-0 db-0'],
    ['{.items[?( @.status.phase == "Running" )].metadata.name}', 'web-0 db-0'],
    ['{.items[?(@.status.phase!="Running")].metadata.name}', 'web-1'],
    ['{.items[?(@.status.podIP)].metadata.name}', 'web-0 db-0'],
    ['{.items[?(@.metadata.labels.tier)].metadata.name}', 'db-0'],
    ['{.items[*].status.containerStatuses[?(@.restartCount>2)].name}', 'sidecar postgres'],
    ['{.items[*].status.containerStatuses[?(@.restartCount>=3)].name}', 'sidecar postgres'],
    ['{.items[*].status.containerStatuses[?(@.restartCount<3)].name}', 'nginx nginx'],
    ['{.items[*].status.containerStatuses[?(@.restartCount<=0)].name}', 'nginx nginx'],
    ['{.items[*].status.containerStatuses[?(@.restartCount==-1)].name}', ''],
    ['{.items[*].status.containerStatuses[?(@.ready==false)].name}', 'nginx'],
    ['{.items[*].status.containerStatuses[?(@.ready!=true)].name}', 'nginx'],
    ['{.items[?(@.metadata.name<"db-1")].metadata.name}', 'db-0'],
    ['{.items[?(@.metadata.name>"db-1")].metadata.name}', 'web-0 web-1'],
    // right-hand side is a path too; elements where either side is missing are skipped
    ['{.items[?(@.metadata.namespace==@.metadata.labels.projectcalico\\.org/namespace)].metadata.name}', 'web-0'],
    ['{.items[?(@.metadata.labels.app=="db")].spec.containers[?(@.name=="postgres")].image}', 'postgres:16'],
    // kubectl quirk: an index error inside an existence test counts as existing (empty `ports` passes)
    ['{.items[*].spec.containers[?(@.ports[0])].name}', 'nginx sidecar postgres'],
    ['{.items[*].spec.containers[?(@.ports[*])].name}', 'nginx postgres'],
  ]
  for (const [template, expected] of cases) it(template, () => assert.equal(jp(template, PODS), expected))

  it('float literals compare with floats, int literals with ints; booleans and strings with their own kind', () => {
    const data = {xs: [{v: 0.5}, {v: 2.5}], ns: [1, 5, 10], bs: [true, false], ss: ['a', 's', 'z']}
    assert.equal(jp('{.xs[?(@.v>1.0)].v}', data), '2.5')
    assert.equal(jp('{.ns[?(@>4)]}', data), '5 10')
    assert.equal(jp('{.ns[?(@>=+5)]}', data), '5 10')
    assert.equal(jp('{.bs[?(@==true)]}', data), 'true')
    assert.equal(jp('{.ss[?(@>="s")]}', data), 's z')
    assert.equal(jp('{.ss[?(@!="s")]}', data), 'a z')
    assert.equal(jp('{.ss[?(@)]}', data), 'a s z') // `@` alone always exists
  })

  it('errors like kubectl on incomparable values', () => {
    const data = {xs: [{v: 0.5}], ns: [1, 'two'], bs: [true], nul: [{v: null}]}
    const reason = (t: string) => {
      try {
        jp(t, data)
      } catch (error) {
        assert.ok(error instanceof JsonPathError)
        return error.reason
      }
      return 'no error'
    }
    assert.equal(reason('{.xs[?(@.v>1)]}'), 'incompatible types for comparison') // float64 vs int
    assert.equal(reason('{.ns[?(@==1.0)]}'), 'incompatible types for comparison') // int64 vs float64
    assert.equal(reason('{.ns[?(@=="1")]}'), 'incompatible types for comparison')
    assert.equal(reason('{.bs[?(@<true)]}'), 'invalid type for comparison')
    assert.equal(reason('{.nul[?(@.v=="x")]}'), 'invalid type for comparison')
    assert.equal(reason('{.ns[?(@="x")]}'), 'unrecognized filter operator =')
    assert.equal(reason('{.ns[?(@==x)]}'), 'unrecognized identifier x')
    assert.equal(reason('{.xs[0][?(@.v)]}'), 'map[v:0.5] is not array or slice and cannot be filtered')
    assert.equal(reason('{.ns[?(@.*==1)]}'), 'can only compare one element at a time') // `*` of "two": 3 bytes
    assert.equal(reason('{.ns[?(@.x==1)]}'), 'no error')
  })
})

describe('WorkloadEndpoints: label keys with dots and slashes', () => {
  const cases: [string, string][] = [
    ['{.items[*].metadata.labels.projectcalico\\.org/namespace}', 'default default'],
    ["{.items[0].metadata.labels['projectcalico\\.org/orchestrator']}", 'k8s'],
    // kubectl re-parses a bracketed key as a dotted path, so the dots must still be escaped
    ["{.items[0].metadata.labels['projectcalico.org/orchestrator']}", ''],
    ['{.items[0].metadata.labels.projectcalico.org/namespace}', ''],
    ['{.items[?(@.metadata.labels.projectcalico\\.org/orchestrator=="k8s")].spec.endpoint}', 'eth0 net1'],
    ['{.items[?(@.spec.endpoint=="net1")].spec.ipNetworks}', '["192.168.50.5/24","fd00:50::5/64"]'],
    [
      '{range .items[*]}{.spec.endpoint}{" "}{.spec.ipNetworks[0]}{"\\n"}{end}',
      'eth0 10.244.1.5/32\nnet1 192.168.50.5/24\n',
    ],
    ['{.items[1].spec.ipNetworks[-1]}', 'fd00:50::5/64'],
    ['{.items[0].spec.profiles}', '["kns.default","ksa.default.default"]'],
    [
      '{.items[0].metadata.labels}',
      '{"app":"web","projectcalico.org/namespace":"default","projectcalico.org/orchestrator":"k8s","projectcalico.org/serviceaccount":"default"}',
    ],
  ]
  for (const [template, expected] of cases) it(template, () => assert.equal(jp(template, WEPS), expected))
})

describe('printing', () => {
  const cases: [string, string][] = [
    ['{.spec.int}', '5'],
    ['{.spec.neg}', '-3'],
    ['{.spec.float}', '1.5'],
    ['{.spec.million}', '1000000'], // an int64: no exponent, no trailing .0
    ['{.spec.millionAndAHalf}', '1.0000005e+06'], // Go's %v of a float64
    ['{.spec.tiny}', '1e-05'],
    ['{.spec.huge}', '1e+21'],
    ['{.spec.beyondInt64}', '1.2345678901234567e+19'],
    ['{.spec.yes}', 'true'],
    ['{.spec.nothing}', 'null'],
    ['{.spec.html}', 'a<b>&c'], // strings print raw...
    ['{.spec.htmlMap}', '{"s":"a\\u003cb\\u003e\\u0026c"}'], // ...but inside JSON Go escapes HTML characters
    ['{.spec.empty}', ''],
    ['{.spec.list}', '[1,"two",{"x":1},[3,4],null,true,2.5]'],
    ['{.spec.list[*]}', '1 two {"x":1} [3,4] null true 2.5'],
    ['{.spec.map}', '{"a":{"z":[1,2]},"b":1,"c":null}'],
    ['{.spec.map.*}', '1 {"z":[1,2]} null'], // Go's map order is random; we keep the document's
    ['{.metadata}', '{"labels":{"a":"2","z":"1"},"name":"values","namespace":"default"}'],
    ['{.spec.unicode.*}', '195 169'], // `*` on a string yields its UTF-8 bytes
    ['{.spec.int}{.spec.float}', '51.5'], // separate actions are not separated
    ['{.spec.list[0:2]} {.spec.list[5:]}', '1 two true 2.5'],
    ['{1}{-1}{+1}{1.50}{2.0}{true}', '1-111.52true'],
    ['{.spec.list[*] "x"}', 'x'], // a quoted string replaces what came before it in the action
    ['{.spec.list[*] 1}', '1 1 1 1 1 1 1'],
  ]
  for (const [template, expected] of cases) it(template, () => assert.equal(jp(template, VALUES), expected))

  it('string literals and their escapes; text outside braces is literal', () => {
    assert.equal(jp('{"\\n"}{"\\t"}{\'\\t\'}', {}), '\n\t\t')
    assert.equal(jp('{"\\u00e9\\x41\\101"}{"\\xc3\\xa9"}{"\\U0001F600"}', {}), 'éAAé😀')
    assert.equal(jp('{"{"}{"}"}', {}), '{}')
    assert.equal(jp('a\\nb}{"\\""}', {}), 'a\\nb}"')
    assert.equal(jp('', {}), '')
    assert.equal(jp('no actions', {}), 'no actions')
  })
})

describe('range', () => {
  it('iterates, with text around and inside', () => {
    assert.equal(
      jp('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', PODS),
      'web-0\tRunning\nweb-1\tPending\ndb-0\tRunning\n',
    )
    assert.equal(jp('pods: {range .items[*]}{.metadata.name},{end} done', PODS), 'pods: web-0,web-1,db-0, done')
  })

  it('nests', () => {
    assert.equal(
      jp('{range .items[*]}{.metadata.name}:{range .spec.containers[*]} {.name}={.image}{end}{"\\n"}{end}', PODS),
      'web-0: nginx=nginx:1.25 sidecar=busybox\nweb-1: nginx=nginx:1.25\ndb-0: postgres=postgres:16\n',
    )
    assert.equal(
      jp('{range .items[*]}{range .status.containerStatuses[*]}{range .name}<{@}>{end}{end}{end}', PODS),
      '<nginx><sidecar><nginx><postgres>',
    )
  })

  it('runs over any path; `@` and `$` are the current item', () => {
    assert.equal(jp('{range .items[*].metadata.name}{@};{end}', PODS), 'web-0;web-1;db-0;')
    assert.equal(jp('{range .items[*]}{$.metadata.name};{end}', PODS), 'web-0;web-1;db-0;')
    assert.equal(jp('{range .items[0]}{.metadata.name}{end}', PODS), 'web-0')
    assert.equal(jp('{range .items}{.metadata.name}{end}', PODS), '') // one value: the array itself
    assert.equal(jp('{range .items[*]}{range .items[*]}x{end}{end}', PODS), '')
    assert.equal(jp('{range .nothing[*]}x{end}y', PODS), 'y')
    // ranging over a null element makes Go's invalid value current, printed differently from a null field
    assert.equal(jp('{range .xs[*]}[{@}]{end} {.xs[0]}', {xs: [null, 1]}), '[<no value>][1] null')
  })

  it('an unclosed range runs to the end, then kubectl runs the rest once more on the outer object', () => {
    assert.equal(jp('{range .items[*]}{.metadata.name}', PODS), 'web-0web-1db-0')
    assert.equal(jp('{range .items[*]}{.metadata.name} ', PODS), 'web-0 web-1 db-0  ')
    assert.equal(jp('{range .items[*]}A{range .spec.containers[*]}B{end}C', PODS), 'ABBCABCABCC')
  })

  it('`end` outside a range is an execution error', () => {
    assert.throws(() => jp('{end}', PODS), {
      name: 'JsonPathError',
      message: 'error executing jsonpath "{end}": not in range, nothing to end',
    })
    assert.throws(() => jp('{range .items[*]}{end}{end}', PODS), {message: /not in range, nothing to end$/})
  })
})

describe('missing keys and execution errors', () => {
  it('missing keys print nothing by default (kubectl get sets AllowMissingKeys)', () => {
    assert.equal(jp('[{.spec.nope}][{.items[*].spec.nope}][{.nope.nope[0]}]', PODS), '[][][]')
  })

  it('with allowMissingKeys false, the first missing key is an error', () => {
    assert.throws(() => jp('{.metadata.nope}', PODS, false), {
      name: 'JsonPathError',
      message: 'error executing jsonpath "{.metadata.nope}": nope is not found',
      reason: 'nope is not found',
    })
    assert.throws(() => jp('{.spec.nope.deeper}', PODS, false), {reason: 'spec is not found'})
    assert.equal(jp('{.items[*].status.podIP}', PODS, false), '10.244.1.5 10.244.2.7') // some found: fine
    assert.throws(() => jp('{.items[?(@.status.podIP=="x")]}', PODS, false), {reason: 'podIP is not found'})
    assert.equal(jp('{.items[?(@.status.podIP)].metadata.name}', PODS, false), 'web-0 db-0')
  })

  it('index errors are errors even when missing keys are allowed, as in kubectl', () => {
    assert.throws(() => jp('{.items[3].metadata.name}', PODS), {
      message: 'error executing jsonpath "{.items[3].metadata.name}": array index out of bounds: index 3, length 3',
    })
    assert.throws(() => jp('{.items[-4]}', PODS), {reason: 'array index out of bounds: index -1, length 3'})
    assert.throws(() => jp('{.items[1:9]}', PODS), {reason: 'array index out of bounds: index 8, length 3'})
    assert.throws(() => jp('{.items[2:1]}', PODS), {reason: 'starting index 2 is greater than ending index 1'})
    assert.throws(() => jp('{.items[::0]}', PODS), {reason: 'step must be > 0'})
    assert.throws(() => jp('{.metadata[0]}', PODS), {reason: 'map[string]interface {} is not array or slice'})
    assert.throws(() => jp('{.kind[0]}', PODS), {reason: 'string is not array or slice'})
    assert.throws(() => jp('{.items[0].status.containerStatuses[0].restartCount[0]}', PODS), {
      reason: 'int64 is not array or slice',
    })
    assert.throws(() => jp('{.metadata[?(@.x)]}', PODS), {
      reason: 'map[resourceVersion:] is not array or slice and cannot be filtered',
    })
    assert.throws(() => jp('{range .items[*]}{.nope}{end}', PODS, false), {reason: 'nope is not found'})
    // kubectl walks an empty range's body once (on no value) to find its end, so even an empty list errors...
    assert.throws(() => jp('{range .items[*]}{.metadata.name}{end}', asList([]), false), {
      reason: 'metadata is not found',
    })
    // ...but prints nothing from it
    assert.equal(jp('{range .items[*]}{"x"}{end}ok', asList([]), false), 'ok')
    assert.throws(() => jp('{foo}', PODS), {reason: 'unrecognized identifier foo'})
  })
})

describe('syntax errors', () => {
  const cases: [string, string][] = [
    ['{.a[}', 'unterminated array'],
    ['{.a', 'unclosed action'],
    ['}{', 'unclosed action'],
    ['{.a\n}', 'unclosed action'],
    ['{.a[?(@.x=="a"', 'unterminated filter'],
    ['{.a[?(@.x=="a")}', 'unclosed array expect ]'],
    ['{.a[x]}', 'invalid array index x'],
    ['{.a[ 0 ]}', 'invalid array index  0 '],
    ['{.a[1:2:3:4]}', 'invalid array index 1:2:3:4'],
    ['{.a[abc,1]}', 'invalid array index abc'],
    ['{.a[-]}', 'array index - is not a number'],
    ['{"abc}', 'unterminated quoted string'],
    ['{"\\\\"}', 'unterminated quoted string'], // kubectl's scanner takes `\\"` for an escaped quote
    ['{"a\\qb"}', 'unquote string "a\\qb" error invalid syntax'],
    ["{'a\\\"b'}", `unquote string 'a\\"b' error invalid syntax`],
    ['{#}', "unrecognized character in action: U+0023 '#'"],
    ['{\t}', 'unrecognized character in action: U+0009'],
    ['{.a[?(@.x=~"a")]}', "unrecognized character in action: U+007E '~'"], // kubectl has no regex match
    ['{.a..*}', "unrecognized character in action: U+002A '*'"],
    ['{....a}', 'invalid multiple recursive descent'],
    ['{1.2.3}', 'cannot parse number 1.2.3'],
    ['{-}', 'cannot parse number -'],
  ]
  for (const [template, reason] of cases) {
    it(JSON.stringify(template), () => {
      assert.throws(() => compileTemplate(template), {
        name: 'JsonPathError',
        message: `error parsing jsonpath ${template}, ${reason}`,
        reason,
      })
    })
  }

  it('accepts what kubectl accepts', () => {
    for (const t of [
      '{.a..b..c}',
      '{.a[0,]}',
      '{.a[?(@.x=="a)")]}',
      '{.a[?()]}',
      '{.a}}',
      '{range.items[*]}{end}',
      '{foo}',
      '{}',
    ]) {
      assert.doesNotThrow(() => compileTemplate(t), t)
    }
  })
})

describe('isItemsRange (streaming a List item by item)', () => {
  const parts = (t: string) => compileTemplate(t).isItemsRange()

  it('splits TEXT{range .items[*]}BODY{end}TEXT', () => {
    const p = parts('NAMES:{"\\n"}{range .items[*]}{.metadata.name}{"\\n"}{end}--{"\\n"}')
    assert.ok(p)
    assert.equal(p.prefix, 'NAMES:\n')
    assert.equal(p.suffix, '--\n')
    assert.equal(p.body.execute(POD_ITEMS[0]), 'web-0\n')
  })

  it('prefix + body per item + suffix is exactly execute(list)', () => {
    for (const t of [
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
      '{range @.items[*]}[{range .spec.containers[*]}{.name} {end}]{end}',
      'x{range $.items[:]}{.metadata.labels}{end}y',
      '{range .items[*]}{.status.podIPs[*].ip}{"\\n"}{end}',
    ]) {
      const p = parts(t)
      assert.ok(p, t)
      assert.equal(p.prefix + POD_ITEMS.map((i) => p.body.execute(i)).join('') + p.suffix, jp(t, PODS), t)
    }
  })

  it('is undefined for anything else', () => {
    for (const t of [
      '{.items[*].metadata.name}',
      '{.kind}{range .items[*]}{.metadata.name}{end}',
      '{range .items[*]}{.metadata.name}{end}{.kind}',
      '{range .items[0:2]}{.metadata.name}{end}',
      '{range .items[?(@.x)]}{.metadata.name}{end}',
      '{range .spec[*]}{.name}{end}',
      '{range .items[*]}{.metadata.name}',
      '{range .items[*]}{end}{end}',
      '{range .items[*]}{end}{range .items[*]}{end}',
      '{@}{range .items[*]}{end}',
      'just text',
    ]) {
      assert.equal(parts(t), undefined, t)
    }
  })
})

describe('fieldPath (custom-columns cells)', () => {
  const cell = (spec: string, obj: unknown) => fieldPath(spec)(obj)
  const [web0, web1] = POD_ITEMS
  const [eth0, net1] = WEP_ITEMS

  it('accepts the four spellings kubectl relaxes', () => {
    for (const spec of ['.metadata.name', '{.metadata.name}', 'metadata.name', '{metadata.name}'])
      assert.equal(cell(spec, web0), 'web-0')
  })

  it('prints like kubectl -o custom-columns', () => {
    assert.equal(cell('.spec.ipNetworks[0]', net1), '192.168.50.5/24')
    assert.equal(cell('.spec.ipNetworks', net1), '[192.168.50.5/24 fd00:50::5/64]')
    assert.equal(cell('.spec.ipNetworks[*]', net1), '192.168.50.5/24,fd00:50::5/64')
    assert.equal(cell('.metadata.labels.projectcalico\\.org/namespace', eth0), 'default')
    assert.equal(cell('.metadata.labels.projectcalico.org/namespace', eth0), '<none>')
    assert.equal(cell('.metadata.labels', web1), 'map[app:web]')
    assert.equal(cell('.status.podIP', web1), '<none>')
    assert.equal(cell('.status.containerStatuses[*].restartCount', POD_ITEMS[0]), '0,3')
    assert.equal(cell('.spec.containers[?(@.name=="nginx")].ports', web0), '[map[containerPort:80 protocol:TCP]]')
    assert.equal(cell('..containerPort', web0), '80')
    assert.equal(cell('', web0), '<none>')
    assert.equal(cell('.spec.map', VALUES), 'map[a:map[z:[1 2]] b:1 c:<nil>]')
    assert.equal(cell('.spec.list', VALUES), '[1 two map[x:1] [3 4] <nil> true 2.5]')
    assert.equal(cell('.spec.nothing', VALUES), '<nil>')
    assert.equal(cell('.spec.empty', VALUES), '')
    assert.equal(cell('.spec.millionAndAHalf', VALUES), '1.0000005e+06')
    assert.equal(cell('.spec.html', VALUES), 'a<b>&c')
    assert.equal(cell('.s', {s: 'a\x1b[31mred\rX'}), 'a^[[31mred\\rX')
  })

  it('fails like kubectl', () => {
    assert.throws(() => fieldPath('{.a}{.b}'), {
      name: 'JsonPathError',
      message:
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    })
    assert.throws(() => fieldPath('.spec.ipNetworks['), {name: 'JsonPathError', message: 'unterminated array'})
    assert.throws(() => cell('.spec.ipNetworks[5]', eth0), {
      name: 'JsonPathError',
      message: 'array index out of bounds: index 5, length 1',
    })
  })
})

it('stays linear on a large list', {timeout: 20_000}, () => {
  const items = Array.from({length: 50_000}, (_, i) => ({metadata: {name: `p${i}`, labels: {'a.b/c': String(i % 7)}}}))
  const big = asList(items)
  const out = jp('{range .items[*]}{.metadata.name}{"\\n"}{end}', big)
  assert.equal(
    out.length,
    items.reduce((n, i) => n + i.metadata.name.length + 1, 0),
  )
  assert.equal(jp("{.items[*]['metadata.name']}", big).split(' ').length, 50_000)
  assert.equal(jp('{.items[?(@.metadata.labels.a\\.b/c=="3")].metadata.name}', big).split(' ').length, 7143)
  assert.equal(jp('{..name}', big).split(' ').length, 50_000)
})

// ---- cross-check with the installed kubectl ----

const hasKubectl = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).status === 0

describe('cross-checked against the installed kubectl', {skip: hasKubectl ? false : 'kubectl is not installed'}, () => {
  // A fake API server: just enough discovery for `kubectl get pods|workloadendpoints|configmap` to work offline.
  const wepList = {
    apiVersion: 'projectcalico.org/v3',
    kind: 'WorkloadEndpointList',
    metadata: {resourceVersion: '1'},
    items: WEP_ITEMS,
  }
  const routes: Record<string, unknown> = {
    '/api': {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: []},
    '/apis': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        {
          name: 'projectcalico.org',
          versions: [{groupVersion: 'projectcalico.org/v3', version: 'v3'}],
          preferredVersion: {groupVersion: 'projectcalico.org/v3', version: 'v3'},
        },
      ],
    },
    '/api/v1': {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        {name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list']},
        {name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list']},
      ],
    },
    '/apis/projectcalico.org/v3': {
      kind: 'APIResourceList',
      groupVersion: 'projectcalico.org/v3',
      resources: [
        {
          name: 'workloadendpoints',
          singularName: 'workloadendpoint',
          namespaced: true,
          kind: 'WorkloadEndpoint',
          verbs: ['get', 'list'],
        },
      ],
    },
    '/api/v1/pods': {apiVersion: 'v1', kind: 'PodList', metadata: {resourceVersion: '1'}, items: POD_ITEMS},
    '/apis/projectcalico.org/v3/workloadendpoints': wepList,
    '/api/v1/namespaces/default/configmaps/values': VALUES,
  }
  let server: Server
  let cacheDir: string
  let kubectl: (...args: string[]) => Promise<string>

  before(async () => {
    server = createServer((req, res) => {
      const body = routes[(req.url ?? '').split('?')[0]]
      res.writeHead(body ? 200 : 404, {'Content-Type': 'application/json'})
      res.end(
        JSON.stringify(body ?? {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404}),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    cacheDir = mkdtempSync(join(tmpdir(), 'xctl-jsonpath-'))
    const run = promisify(execFile)
    kubectl = async (...args) => {
      const base = [
        '--kubeconfig=/dev/null',
        `--cache-dir=${cacheDir}`,
        `--server=http://127.0.0.1:${port}`,
        '--request-timeout=20s',
      ]
      // lists across namespaces (-A), so kubectl does not object to the pod in "prod"
      if (!args[1].includes('/')) base.push('-A')
      else base.push('-n', 'default')
      const env = {...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1'}
      return (await run('kubectl', [...args, ...base], {env, encoding: 'utf8'})).stdout
    }
  })

  after(() => {
    server?.close()
    if (cacheDir) rmSync(cacheDir, {recursive: true, force: true})
  })

  const jsonpathCases: [string, unknown, string][] = [
    ['pods', PODS, '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\t"}{.status.podIP}{"\\n"}{end}'],
    ['pods', PODS, '{range .items[*]}{.metadata.name}:{range .spec.containers[*]} {.name}={.image}{end}{"\\n"}{end}'],
    ['pods', PODS, '{.items[?(@.status.phase=="Running")].metadata.name}'],
    ['pods', PODS, '{.items[*].status.containerStatuses[?(@.restartCount>2)].name}'],
    ['pods', PODS, '{.items[*].spec.containers[?(@.ports[0])].name}'],
    ['pods', PODS, '{.items[*].spec.containers[*].ports[*].containerPort}'],
    ['pods', PODS, "{.items[*].metadata['name','namespace']}"],
    ['pods', PODS, '{.items[-1:].metadata.name} {.items[::2].metadata.name} {.items[0,2].status.podIPs}'],
    ['pods', PODS, '{.items[0].metadata.labels} {.items[0].metadata.labels.app\\.kubernetes\\.io/name}'],
    ['pods', PODS, '{.items[2].spec.containers[0].resources}'],
    ['pods', PODS, '{range .items[*]}{.metadata.name}{end} tail'],
    [
      'workloadendpoints',
      WEPS,
      '{range .items[*]}{.metadata.name}{"\\t"}{.spec.ipNetworks[0]}{"\\t"}{.metadata.labels.projectcalico\\.org/namespace}{"\\n"}{end}',
    ],
    [
      'workloadendpoints',
      WEPS,
      "{.items[*].metadata.labels['projectcalico\\.org/orchestrator']}|{.items[0].metadata.labels['projectcalico.org/orchestrator']}",
    ],
    ['workloadendpoints', WEPS, '{.items[?(@.spec.endpoint=="net1")].spec.ipNetworks}'],
    [
      'configmap/values',
      VALUES,
      '{.spec.int} {.spec.float} {.spec.million} {.spec.millionAndAHalf} {.spec.tiny} {.spec.huge} {.spec.beyondInt64}',
    ],
    [
      'configmap/values',
      VALUES,
      '{.spec.yes} {.spec.nothing} {.spec.html} {.spec.htmlMap} {.spec.list} {.spec.map} {.spec.unicode.*}',
    ],
    ['configmap/values', VALUES, '{.spec.list[*]}|{.spec.nope}|{"\\u00e9\\t"}'],
    ['configmap/values', VALUES, '{range .spec.list[*]}[{@}]{end}'],
  ]
  for (const [resource, data, template] of jsonpathCases) {
    it(`get ${resource} -o jsonpath=${template}`, async () => {
      assert.equal(jp(template, data), await kubectl('get', resource, '-o', `jsonpath=${template}`))
    })
  }

  const columnCases: [string, unknown[], string][] = [
    ['pods', POD_ITEMS, '.metadata.name'],
    ['pods', POD_ITEMS, '{.status.podIP}'],
    ['pods', POD_ITEMS, 'metadata.labels'],
    ['pods', POD_ITEMS, '.status.containerStatuses[*].restartCount'],
    ['pods', POD_ITEMS, '.spec.containers[0].ports'],
    ['workloadendpoints', WEP_ITEMS, '.spec.ipNetworks'],
    ['workloadendpoints', WEP_ITEMS, '.spec.ipNetworks[0]'],
    ['workloadendpoints', WEP_ITEMS, '.metadata.labels.projectcalico\\.org/namespace'],
    ['configmap/values', [VALUES], '.spec'],
  ]
  for (const [resource, items, spec] of columnCases) {
    it(`get ${resource} -o custom-columns=X:${spec}`, async () => {
      const out = await kubectl('get', resource, '-o', `custom-columns=X:${spec}`)
      const rows = out
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.trimEnd())
      assert.deepEqual(items.map(fieldPath(spec)), rows)
    })
  }
})
