import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {xctl} from '../helpers/cli.js'
import {testCerts} from '../support/kubeconfig.js'
import {json, podList, startHostileServer, type HostileServer} from './server.js'

/** Credentials from every source (URL, token file, exec plugin) stay secret; exec plugins re-run after a 401. */
let s: HostileServer
before(async () => {
  s = await startHostileServer({requestCert: true})
})
after(() => s.close())

const PODS = '/api/v1/namespaces/default/pods'
const isPods = (url = '') => url.startsWith(`${PODS}?`)
const get = (kc: string, extra: string[] = []) =>
  xctl(['get', 'wep', '-n', 'default', '-o', 'name', '--kubeconfig', kc, ...extra])

let plugins = 0
/** An exec plugin that hands out the n-th of `credentials` on its n-th run (the last one after that). */
function execPlugin(credentials: object[]): {user: Record<string, unknown>; runs: () => number} {
  const id = ++plugins
  const counter = join(s.dir, `runs-${id}`)
  const creds = join(s.dir, `creds-${id}.json`)
  const script = join(s.dir, `plugin-${id}.cjs`)
  writeFileSync(counter, '0')
  writeFileSync(creds, JSON.stringify(credentials))
  writeFileSync(
    script,
    `const fs = require('fs')
const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1
fs.writeFileSync(${JSON.stringify(counter)}, String(n))
const all = JSON.parse(fs.readFileSync(${JSON.stringify(creds)}, 'utf8'))
process.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: all[Math.min(n, all.length) - 1]}))
`,
  )
  return {
    user: {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [script],
        interactiveMode: 'Never',
      },
    },
    runs: () => Number(readFileSync(counter, 'utf8')),
  }
}

test('an exec plugin is run again once after a 401 and the request retried with the new token', async () => {
  s.requests.length = 0
  const plugin = execPlugin([{token: 'exec-token-one-revoked'}, {token: 'exec-token-two-fresh'}])
  s.handle((req, res) => {
    if (req.headers.authorization !== 'Bearer exec-token-two-fresh')
      return json(res, 401, {kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401})
    json(res, 200, podList(1))
  })
  const r = await get(s.kubeconfig({user: plugin.user}))
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 1)
  assert.equal(plugin.runs(), 2)
  assert.deepEqual(
    s.requests.filter((q) => isPods(q.url)).map((q) => q.headers.authorization),
    ['Bearer exec-token-one-revoked', 'Bearer exec-token-two-fresh'],
  )

  // Still refused after the fresh credential: one re-run only, then the usual 401 message.
  const always = execPlugin([{token: 'exec-token-never-accepted'}])
  s.handle((req, res) => json(res, 401, {kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401}))
  const refused = await get(s.kubeconfig({user: always.user}))
  assert.equal(refused.code, 3)
  assert.match(refused.stderr, /You must be logged in to the server \(Unauthorized\)/)
  assert.equal(always.runs(), 2)
})

test('a client certificate rotated by an exec plugin is used on the next connection (not the first one forever)', async () => {
  s.requests.length = 0
  const c = testCerts()
  const first = new X509Certificate(c.clientCert).fingerprint256
  const second = new X509Certificate(c.otherClientCert).fingerprint256
  const plugin = execPlugin([
    {clientCertificateData: c.clientCert, clientKeyData: c.clientKey},
    {clientCertificateData: c.otherClientCert, clientKeyData: c.otherClientKey},
  ])
  s.handle((req, res) => {
    const seen = s.requests[s.requests.length - 1]?.clientCert
    if (seen !== second) return json(res, 401, {kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401})
    json(res, 200, podList(2))
  })
  const r = await get(s.kubeconfig({user: plugin.user}))
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 2)
  assert.deepEqual(
    s.requests.filter((q) => isPods(q.url)).map((q) => q.clientCert),
    [first, second],
  )
})

test("insecure-skip-tls-verify together with a CA is refused at load time, with kubectl's message", async () => {
  s.requests.length = 0
  const kc = s.kubeconfig({
    cluster: {
      server: s.url,
      'insecure-skip-tls-verify': true,
      'certificate-authority-data': Buffer.from(testCerts().ca).toString('base64'),
    },
  })
  const r = await get(kc)
  assert.equal(r.code, 3)
  assert.match(r.stderr, /^error: specifying a root certificates file with the insecure flag is not allowed\n/)
  assert.match(
    r.stderr,
    /Hint: cluster "hostile" in the kubeconfig sets both insecure-skip-tls-verify and a certificate authority/,
  )
  assert.equal(s.requests.length, 0)
})

/** A server that echoes every credential it was sent (and some it was not) in its error bodies. */
function echoing(extra = ''): void {
  s.handle((req, res) => {
    const auth = req.headers.authorization ?? ''
    const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : ''
    const message = `denied for ${auth} (${basic}) ${extra}`
    if (isPods(req.url))
      return json(res, 403, {kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message})
    res.writeHead(500, {'content-type': 'text/plain'})
    res.end(`internal error, your credentials were: ${auth} ${basic} ${extra}`)
  })
}

function assertNoSecret(r: {stdout: string; stderr: string}, secrets: string[], what: string): void {
  const all = r.stdout + r.stderr
  for (const secret of secrets)
    assert.ok(!all.includes(secret), `${what} leaked ${secret.slice(0, 12)}...: ${all.slice(0, 600)}`)
}

test('a password in the server URL is never printed: not in errors, not in --debug, not when a server echoes it', async () => {
  const password = 'url-userinfo-password-42'
  const serverWithUser = s.url.replace('https://', `https://admin:${password}@`)
  echoing()
  const kc = s.kubeconfig({server: serverWithUser, user: {}})
  for (const args of [
    ['get', 'wep', '-n', 'default'],
    ['get', 'nad', 'x', '-n', 'default'],
    ['version'],
    ['apply', '-f', '-'],
  ]) {
    const r = await xctl([...args, '--kubeconfig', kc, '--debug'], {
      input:
        'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n1, namespace: default}\nspec: {config: \'{"cniVersion":"0.3.1","type":"calico"}\'}\n',
    })
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /debug: /)
    assertNoSecret(r, [password, Buffer.from(`admin:${password}`).toString('base64')], args.join(' '))
  }
  const sent = s.requests.find((q) => isPods(q.url))
  assert.equal(
    sent?.headers.authorization,
    `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
    'the userinfo is sent as basic auth, as Go does',
  )
  // Unreachable: the address is printed, the password is not.
  const refusedKc = s.kubeconfig({server: `https://admin:${password}@127.0.0.1:1`, user: {}})
  const refused = await xctl(['get', 'wep', '--kubeconfig', refusedKc, '--debug'])
  assert.equal(refused.code, 3)
  assert.match(refused.stderr, /https:\/\/127\.0\.0\.1:1/)
  assertNoSecret(refused, [password], 'connection refused')
})

test('tokens from a token file and from an exec plugin, and exec client keys, are masked when a server echoes them', async () => {
  const fileToken = 'token-from-a-token-file-0123456789'
  const tokenFile = join(s.dir, 'token')
  writeFileSync(tokenFile, `${fileToken}\n`)
  const execToken = 'token-from-an-exec-plugin-0123456789'
  const c = testCerts()
  const keyLines = c.otherClientKey.split('\n').filter((l) => l && !l.startsWith('-----'))
  const cases: Array<[string, Record<string, unknown>, string[], string]> = [
    ['tokenFile', {tokenFile}, [fileToken], ''],
    ['exec token', execPlugin([{token: execToken}]).user, [execToken], ''],
    [
      'exec client key',
      execPlugin([{clientCertificateData: c.otherClientCert, clientKeyData: c.otherClientKey}]).user,
      keyLines,
      `key: ${keyLines.join(' ')}`,
    ],
  ]
  for (const [what, user, secrets, extra] of cases) {
    echoing(extra)
    const kc = s.kubeconfig({user})
    for (const args of [['get', 'wep', '-n', 'default'], ['version']]) {
      const r = await xctl([...args, '--kubeconfig', kc, '--debug'])
      assert.notEqual(r.code, 0, `${what}: ${r.stderr}`)
      assert.match(r.stderr, /Error from server|error:/)
      assertNoSecret(r, secrets, `${what}: ${args.join(' ')}`)
    }
  }
})
