import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stringify} from 'yaml'
import {loadConnectionConfig} from '../../src/kube/kubeconfig.js'
import {redact} from '../../src/core/redact.js'

const dir = mkdtempSync(join(tmpdir(), 'xctl-kc-'))
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> = {}): string {
  const path = join(dir, `kc-${Math.random().toString(36).slice(2)}`)
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{name: 'c', cluster}],
      users: [{name: 'u', user}],
      contexts: [{name: 'c', context: {cluster: 'c', user: 'u'}}],
    }),
  )
  return path
}

test('userinfo in the server URL becomes basic-auth credentials; the address kept for messages has none, and the password is masked', () => {
  const conn = loadConnectionConfig({kubeconfig: kubeconfig({server: 'https://admin:s3cret%40pw@api.example:6443/'})})
  assert.equal(conn.server, 'https://api.example:6443')
  assert.equal(conn.username, 'admin')
  assert.equal(conn.password, 's3cret@pw')
  assert.equal(
    redact('dial https://admin:s3cret%40pw@api.example:6443 failed, password s3cret@pw'),
    'dial https://admin:[REDACTED]@api.example:6443 failed, password [REDACTED]',
  )
  assert.equal(redact('see https://bob:other-pass@host/x'), 'see https://bob:[REDACTED]@host/x')
})

test('a server address without a scheme is https, as client-go reads it; one that is not http(s) is refused', () => {
  assert.equal(
    loadConnectionConfig({kubeconfig: kubeconfig({server: '10.0.0.1:6443'})}).server,
    'https://10.0.0.1:6443',
  )
  assert.throws(
    () => loadConnectionConfig({kubeconfig: kubeconfig({server: 'ftp://10.0.0.1'})}),
    /server address that is not http\(s\)/,
  )
})

test('insecure-skip-tls-verify with a CA file or data is refused; either alone is accepted', () => {
  const both = kubeconfig({
    server: 'https://h:6443',
    'insecure-skip-tls-verify': true,
    'certificate-authority-data': 'Zm9v',
  })
  assert.throws(
    () => loadConnectionConfig({kubeconfig: both}),
    (e: Error & {exitCode?: number}) =>
      e.message === 'specifying a root certificates file with the insecure flag is not allowed' && e.exitCode === 3,
  )
  const file = kubeconfig({
    server: 'https://h:6443',
    'insecure-skip-tls-verify': true,
    'certificate-authority': join(dir, 'no-such-ca.crt'),
  })
  assert.throws(() => loadConnectionConfig({kubeconfig: file}), /insecure flag is not allowed/)
  assert.equal(
    loadConnectionConfig({kubeconfig: kubeconfig({server: 'https://h:6443', 'insecure-skip-tls-verify': true})})
      .insecureSkipTLSVerify,
    true,
  )
})
