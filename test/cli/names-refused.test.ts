import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {xctl} from '../helpers/cli.js'

/**
 * Every command refuses names and namespaces that are not path segments (or not names of their kind) before any
 * request is sent. The server here would do what a careless proxy or API server does with `/gnps/.`: treat it as
 * the collection and delete everything. It records what reached it; the tests assert nothing did.
 */
interface Seen {
  method: string
  url: string
}
let server: Server
let seen: Seen[] = []
let dir: string
let env: Record<string, string>

before(async () => {
  server = createServer((req, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? ''})
    req.resume()
    res.setHeader('content-type', 'application/json')
    // Deletes and lists succeed; everything else looks like an empty list.
    res.end(JSON.stringify({kind: 'List', apiVersion: 'v1', metadata: {}, items: [], status: 'Success'}))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  dir = mkdtempSync(join(tmpdir(), 'xctl-names-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  )
  env = {KUBECONFIG: kubeconfig}
})
after(() => server.close())

const BAD_NAMES: Array<[string, RegExp]> = [
  ['.', /^error: invalid resource name "\.": \[may not be '\.'\]$/m],
  ['..', /^error: invalid resource name "\.\.": \[may not be '\.\.'\]$/m],
  ['a/b', /^error: invalid resource name "a\/b": \[may not contain '\/'\]$/m],
  ['a%2f', /^error: invalid resource name "a%2f": \[may not contain '%'\]$/m],
  ['', /^error: resource name may not be empty$/m],
  [
    'Upper_Case',
    /^error: invalid resource name "Upper_Case": \[a lowercase RFC 1123 (label|subdomain) must consist of/m,
  ],
]
const BAD_NAMESPACES: Array<[string, RegExp]> = [
  ['.', /^error: invalid namespace "\.": \[may not be '\.'\]$/m],
  ['..', /^error: invalid namespace "\.\.": \[may not be '\.\.'\]$/m],
  ['a/b', /^error: invalid namespace "a\/b": \[may not contain '\/'\]$/m],
  ['a%b', /^error: invalid namespace "a%b": \[may not contain '%'\]$/m],
  ['Prod', /^error: invalid namespace "Prod": \[a lowercase RFC 1123 label must consist of/m],
]
const KINDS = ['gnp', 'nad', 'np', 'tier', 'ippool', 'wep']

/** Command lines that name an object on the command line: exit 2 with kubectl's message, nothing sent. */
function nameCommands(name: string): string[][] {
  return [
    ...KINDS.flatMap((kind) => [
      ['get', kind, name],
      ['delete', kind, name],
      ...(['gnp', 'np', 'wep'].includes(kind) ? [['describe', kind, name]] : []),
    ]),
    ['get', 'gnp', 'ok-name', name, '-o', 'yaml'],
    ['delete', 'np', 'ok-name', name, '--skip-not-found', '--dry-run=server'],
  ].filter((argv) => !(argv[1] === 'wep' && name === 'Upper_Case')) // interface names may hold upper case
}

function namespaceCommands(ns: string): string[][] {
  return [
    ['get', 'nad', '-n', ns],
    ['get', 'wep', '-n', ns],
    ['get', 'np', 'x', `--namespace=${ns}`],
    ['delete', 'nad', 'x', '-n', ns],
    ['delete', 'gnp', 'x', '-n', ns],
    ['describe', 'np', 'x', '-n', ns],
    ['describe', 'wep', 'x', '-n', ns],
    ['eval', 'all()', '-n', ns],
    ['version', '-n', ns],
    [`-n=${ns}`, 'get', 'nad'],
    ['validate', '--cluster', '-f', 'examples/multus/02-network.yaml', '-n', ns],
    ['apply', '-f', 'examples/multus/02-network.yaml', '-n', ns],
  ]
}

for (const [name, message] of BAD_NAMES) {
  test(`the name ${JSON.stringify(name)} is refused by every command before any request`, async () => {
    for (const argv of nameCommands(name)) {
      seen = []
      const r = await xctl(argv, {env})
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message, argv.join(' '))
      assert.deepEqual(seen, [], `${argv.join(' ')} sent requests`)
      assert.equal(r.stdout, '')
    }
  })
}

for (const [ns, message] of BAD_NAMESPACES) {
  test(`the namespace ${JSON.stringify(ns)} is refused by every command before any request`, async () => {
    for (const argv of namespaceCommands(ns)) {
      seen = []
      const r = await xctl(argv, {env})
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message, argv.join(' '))
      assert.deepEqual(seen, [], `${argv.join(' ')} sent requests`)
    }
  })
}

/** A manifest whose object is named `name` (and lives in `namespace`). */
function manifest(
  kind: 'GlobalNetworkPolicy' | 'NetworkAttachmentDefinition',
  name: string,
  namespace?: string,
): string {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`)
  const apiVersion = kind === 'GlobalNetworkPolicy' ? 'projectcalico.org/v3' : 'k8s.cni.cncf.io/v1'
  const spec = kind === 'GlobalNetworkPolicy' ? {selector: 'all()'} : {config: '{"cniVersion":"0.3.1","type":"calico"}'}
  writeFileSync(file, JSON.stringify({apiVersion, kind, metadata: {name, ...(namespace ? {namespace} : {})}, spec}))
  return file
}

test('names and namespaces in -f files are refused (exit 1, file:line:col) by apply, delete, get and describe before any request', async () => {
  const cases: Array<[string, RegExp]> = [
    [manifest('GlobalNetworkPolicy', '.'), /:1:1: GlobalNetworkPolicy invalid resource name "\.": \[may not be '\.'\]/],
    [manifest('GlobalNetworkPolicy', '..'), /invalid resource name "\.\.": \[may not be '\.\.'\]/],
    [
      manifest('NetworkAttachmentDefinition', 'a%2fb', 'default'),
      /invalid resource name "a%2fb": \[may not contain '%'\]/,
    ],
    [
      manifest('NetworkAttachmentDefinition', 'net', '..'),
      /NetworkAttachmentDefinition net: invalid namespace "\.\.": \[may not be '\.\.'\]/,
    ],
    [manifest('NetworkAttachmentDefinition', 'net', 'a/b'), /invalid namespace "a\/b": \[may not contain '\/'\]/],
  ]
  for (const [file, message] of cases) {
    const kind = file.includes('..') ? 'gnp' : 'gnp'
    for (const argv of [
      ['apply', '-f', file],
      ['delete', '-f', file],
      ['get', kind, '-f', file],
      ['get', 'nad', '-f', file],
      ['describe', '-f', file],
    ]) {
      seen = []
      const r = await xctl(argv, {env})
      assert.deepEqual(seen, [], `${argv.join(' ')} sent requests`)
      // get/describe of a kind the file does not hold say so; otherwise the name is refused.
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.stderr}`)
      if (!/no (\w+ objects|WorkloadEndpoints)/.test(r.stderr)) assert.match(r.stderr, message, argv.join(' '))
    }
  }
})

test('validate reports a bad name in a file as a finding and sends no write', async () => {
  const file = manifest('GlobalNetworkPolicy', '..')
  seen = []
  const r = await xctl(['validate', '-f', file], {env})
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stdout + r.stderr, /\.\./)
  assert.deepEqual(seen, [])
  const c = await xctl(['validate', '--cluster', '-f', file], {env})
  assert.equal(c.code, 1, c.stderr)
  assert.deepEqual(
    seen.filter((s) => s.method !== 'GET' || /\/\.\.?($|\?)/.test(s.url)),
    [],
  )
})

test('-n "" means the context namespace, as in kubectl; a context namespace that is not one is refused', async () => {
  seen = []
  const r = await xctl(['get', 'nad', '-n', ''], {env})
  assert.equal(r.code, 0, r.stderr)
  assert.ok(
    seen.some((s) => s.url.startsWith('/apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions')),
    JSON.stringify(seen),
  )
  const kc = join(dir, 'kc-dots')
  const {port} = server.address() as {port: number}
  writeFileSync(
    kc,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: ".."}}]
current-context: x
`,
  )
  seen = []
  const bad = await xctl(['delete', 'nad', 'x'], {env: {KUBECONFIG: kc}})
  assert.equal(bad.code, 2, bad.stderr)
  assert.match(bad.stderr, /context "x": invalid namespace "\.\.": \[may not be '\.\.'\]/)
  assert.deepEqual(seen, [])
  const fine = await xctl(['get', 'nad', '-n', 'default'], {env: {KUBECONFIG: kc}})
  assert.equal(fine.code, 0, fine.stderr)
})
