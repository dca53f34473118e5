import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stringify} from 'yaml'
import {execCredential} from '../../src/kube/exec.js'
import {loadConnectionConfig, type ExecConfig} from '../../src/kube/kubeconfig.js'

// Each case was run through kubectl v1.32 against the in-repo API test server (test/support/serve.ts) with the same
// plugin; the comments quote what kubectl printed.
const dir = mkdtempSync(join(tmpdir(), 'xctl-exec-'))
const V1 = 'client.authentication.k8s.io/v1'

/** A plugin that records its args, env and KUBERNETES_EXEC_INFO, then prints `output` and exits with `code`. */
function plugin(output: unknown, code = 0): {exec: ExecConfig; seen: () => {args: string[]; foo?: string; info: any}} {
  const name = `plugin-${Math.random().toString(36).slice(2)}`
  const record = join(dir, `${name}.seen`)
  const script = join(dir, `${name}.cjs`)
  const text = typeof output === 'string' ? output : JSON.stringify(output)
  writeFileSync(
    script,
    `require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({args: process.argv.slice(2), ` +
      `foo: process.env.FOO, info: JSON.parse(process.env.KUBERNETES_EXEC_INFO)}))
process.stderr.write('plugin says: secret-ish detail\\n')
process.stdout.write(${JSON.stringify(text)})
process.exit(${code})
`,
  )
  return {
    exec: {apiVersion: V1, command: process.execPath, args: [script, 'one', 'two'], env: [{name: 'FOO', value: 'bar'}]},
    seen: () => JSON.parse(readFileSync(record, 'utf8')),
  }
}
const credential = (status: object, apiVersion = V1) => ({apiVersion, kind: 'ExecCredential', status})

test('the plugin gets its args and env, and KUBERNETES_EXEC_INFO of its apiVersion, non-interactive', async () => {
  const p = plugin(credential({token: 'tok', expirationTimestamp: '2030-01-01T00:00:00Z'}))
  const cred = await execCredential(p.exec, 'https://h:6443')
  assert.equal(cred.token, 'tok')
  assert.equal(cred.expiresAt, Date.parse('2030-01-01T00:00:00Z'))
  const seen = p.seen()
  assert.deepEqual(seen.args, ['one', 'two'])
  assert.equal(seen.foo, 'bar')
  // kubectl: {"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}
  assert.equal(seen.info.apiVersion, V1)
  assert.equal(seen.info.kind, 'ExecCredential')
  assert.equal(seen.info.spec.interactive, false)
})

test('an expiry in the past is still returned as such (the caller re-runs the plugin), a client cert pair too', async () => {
  const p = plugin(
    credential({clientCertificateData: 'CERT', clientKeyData: 'KEY', expirationTimestamp: '2000-01-01T00:00:00Z'}),
  )
  const cred = await execCredential(p.exec, 'https://h:6443')
  assert.equal(cred.token, undefined)
  assert.equal(cred.clientCert?.toString(), 'CERT')
  assert.equal(cred.clientKey?.toString(), 'KEY')
  assert.ok(cred.expiresAt! < Date.now())
})

test('a credential of another apiVersion than configured is refused, as client-go refuses it', async () => {
  // kubectl: "exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version
  // client.authentication.k8s.io/v1beta1"
  const p = plugin(credential({token: 'tok'}, 'client.authentication.k8s.io/v1beta1'))
  await assert.rejects(
    execCredential(p.exec, 'https://h:6443'),
    (e: Error & {exitCode?: number}) =>
      e.exitCode === 3 &&
      e.message ===
        'exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1',
  )
})

test('a failing plugin is named with its exit code; its stderr is not repeated (it may hold secrets)', async () => {
  // kubectl: "getting credentials: exec: executable ... failed with exit code 3"
  const p = plugin('', 3)
  await assert.rejects(
    execCredential(p.exec, 'https://h:6443'),
    (e: Error & {exitCode?: number; hint?: string}) =>
      e.exitCode === 3 &&
      e.message === `the kubeconfig exec plugin "${process.execPath}" failed with exit code 3` &&
      !`${e.message} ${e.hint}`.includes('secret-ish'),
  )
  await assert.rejects(
    execCredential({...p.exec, command: join(dir, 'no-such-plugin')}, 'https://h:6443'),
    /cannot run the kubeconfig exec plugin ".*no-such-plugin": ENOENT/,
  )
})

test('output that is not an ExecCredential, or one with no token and no cert pair, is refused', async () => {
  // kubectl: "decoding stdout: couldn't get version/kind; json parse error"; "exec plugin didn't return a token or
  // cert/key pair"
  await assert.rejects(execCredential(plugin('not json').exec, 'https://h'), /did not print an ExecCredential JSON/)
  await assert.rejects(execCredential(plugin('null').exec, 'https://h'), /did not print an ExecCredential JSON/)
  await assert.rejects(execCredential(plugin(credential({})).exec, 'https://h'), /returned no token and no client/)
})

function kubeconfigWithExec(exec: Record<string, unknown>): string {
  const path = join(dir, `kc-${Math.random().toString(36).slice(2)}`)
  writeFileSync(
    path,
    stringify({
      'current-context': 'c',
      clusters: [{name: 'c', cluster: {server: 'https://h:6443'}}],
      contexts: [{name: 'c', context: {cluster: 'c', user: 'u'}}],
      users: [{name: 'u', user: {exec}}],
    }),
  )
  return path
}

test("exec settings client-go refuses are refused at load time with kubectl's messages", () => {
  const load = (exec: Record<string, unknown>) => () => loadConnectionConfig({kubeconfig: kubeconfigWithExec(exec)})
  const refused = (message: string) => (e: Error & {exitCode?: number}) => e.exitCode === 3 && e.message === message
  assert.throws(load({command: 'p'}), refused('apiVersion must be specified for u to use exec authentication plugin'))
  assert.throws(
    load({command: 'p', apiVersion: 'client.authentication.k8s.io/v2', interactiveMode: 'Never'}),
    refused('exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"'),
  )
  assert.throws(
    load({command: 'p', apiVersion: V1}),
    refused('interactiveMode must be specified for u to use exec authentication plugin'),
  )
  // v1beta1 defaults interactiveMode; a command with a slash resolves against the kubeconfig's directory.
  const ok = loadConnectionConfig({
    kubeconfig: kubeconfigWithExec({command: './plugin.sh', apiVersion: 'client.authentication.k8s.io/v1beta1'}),
  })
  assert.equal(ok.exec?.command, join(dir, 'plugin.sh'))
})
