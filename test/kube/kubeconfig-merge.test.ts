import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {stringify} from 'yaml'
import {loadConnectionConfig} from '../../src/kube/kubeconfig.js'

// Each case was run through kubectl v1.32 (`kubectl config view`, `config view --flatten --minify`, `--context`)
// with the same files; the comments say what kubectl showed.
const dir = mkdtempSync(join(tmpdir(), 'xctl-kc-merge-'))
const a = join(dir, 'a')
const b = join(dir, 'b')
mkdirSync(join(b, 'certs'), {recursive: true})
mkdirSync(a, {recursive: true})
writeFileSync(join(a, 'ca.crt'), 'AAA')
writeFileSync(join(b, 'certs', 'ca.crt'), 'BBB')
writeFileSync(join(b, 'client.crt'), 'CCC')
writeFileSync(
  join(a, 'config'),
  stringify({
    'current-context': 'ctx-a',
    clusters: [{name: 'shared', cluster: {server: 'https://a.example:6443', 'certificate-authority': 'ca.crt'}}],
    contexts: [
      {name: 'ctx-a', context: {cluster: 'shared', user: 'ua', namespace: 'from-a'}},
      {name: 'ctx-mixed', context: {cluster: 'only-b', user: 'ub'}},
    ],
    users: [{name: 'ua', user: {token: 'tok-a'}}],
  }),
)
writeFileSync(
  join(b, 'config'),
  stringify({
    'current-context': 'ctx-b',
    clusters: [
      {name: 'shared', cluster: {server: 'https://b.example:6443'}},
      {name: 'only-b', cluster: {server: 'https://onlyb.example:6443', 'certificate-authority': 'certs/ca.crt'}},
    ],
    contexts: [
      {name: 'ctx-a', context: {cluster: 'only-b', user: 'ub', namespace: 'from-b'}},
      {name: 'ctx-b', context: {cluster: 'only-b', user: 'ub'}},
    ],
    users: [{name: 'ub', user: {token: 'tok-b', 'client-certificate': '../b/client.crt'}}],
  }),
)
const list = (...paths: string[]) => ({KUBECONFIG: paths.join(delimiter)})

test('KUBECONFIG lists merge first-file-wins per entry and for current-context', () => {
  // kubectl: current-context ctx-a, cluster "shared" at a.example, ctx-a from a's file (namespace from-a).
  const conn = loadConnectionConfig({env: list(join(a, 'config'), join(b, 'config'))})
  assert.equal(conn.contextName, 'ctx-a')
  assert.equal(conn.server, 'https://a.example:6443')
  assert.equal(conn.namespace, 'from-a')
  assert.equal(conn.token, 'tok-a')
  assert.deepEqual(conn.sources, [join(a, 'config'), join(b, 'config')])
  // The other order: b's entries win.
  const reversed = loadConnectionConfig({env: list(join(b, 'config'), join(a, 'config'))})
  assert.equal(reversed.contextName, 'ctx-b')
  assert.equal(reversed.server, 'https://onlyb.example:6443')
  assert.equal(
    loadConnectionConfig({env: list(join(b, 'config'), join(a, 'config')), context: 'ctx-a'}).namespace,
    'from-b',
  )
})

test('a context in one file may name a cluster and user from another file', () => {
  const conn = loadConnectionConfig({env: list(join(a, 'config'), join(b, 'config')), context: 'ctx-mixed'})
  assert.equal(conn.server, 'https://onlyb.example:6443')
  assert.equal(conn.token, 'tok-b')
})

test('relative paths resolve against the file that names them, not the working directory', () => {
  // kubectl config view --flatten --minify: ctx-b's CA is b/certs/ca.crt (QkJC), its client cert b/client.crt (Q0ND);
  // ctx-a's CA is a/ca.crt.
  const env = list(join(a, 'config'), join(b, 'config'))
  const cwd = process.cwd()
  try {
    process.chdir(tmpdir())
    const fromB = loadConnectionConfig({env, context: 'ctx-b'})
    assert.equal(fromB.ca?.toString(), 'BBB')
    assert.equal(fromB.clientCert?.toString(), 'CCC')
    assert.equal(loadConnectionConfig({env, context: 'ctx-a'}).ca?.toString(), 'AAA')
  } finally {
    process.chdir(cwd)
  }
})

test('files missing from a KUBECONFIG list are skipped; a list with no existing file is refused with exit 3', () => {
  const conn = loadConnectionConfig({env: list(join(dir, 'missing'), join(b, 'config'), join(dir, 'also-missing'))})
  assert.equal(conn.contextName, 'ctx-b')
  assert.deepEqual(conn.sources, [join(b, 'config')])
  assert.throws(
    () => loadConnectionConfig({env: {KUBECONFIG: join(dir, 'missing')}}),
    (e: Error & {exitCode?: number}) =>
      e.exitCode === 3 && /no kubeconfig found: KUBECONFIG=.*missing names no existing file/.test(e.message),
  )
})

test('--kubeconfig reads one file alone, ignoring KUBECONFIG; a missing one is refused', () => {
  const conn = loadConnectionConfig({kubeconfig: join(b, 'config'), env: list(join(a, 'config'))})
  assert.equal(conn.contextName, 'ctx-b')
  assert.throws(
    () => loadConnectionConfig({kubeconfig: join(dir, 'missing'), env: list(join(a, 'config'))}),
    (e: Error & {exitCode?: number}) => e.exitCode === 3 && /kubeconfig .*missing does not exist/.test(e.message),
  )
})

test('--context naming no context is refused with exit 3, the name, and the known contexts', () => {
  // kubectl: "context was not found for specified context: nope".
  assert.throws(
    () => loadConnectionConfig({env: list(join(a, 'config'), join(b, 'config')), context: 'nope'}),
    (e: Error & {exitCode?: number; hint?: string}) =>
      e.exitCode === 3 &&
      e.message === 'context "nope" does not exist in the kubeconfig' &&
      e.hint === 'known contexts: ctx-a, ctx-mixed, ctx-b',
  )
})
