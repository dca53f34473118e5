// Test certificates (test/support/certs) and kubeconfig files pointing at a test server.

import {readFileSync, writeFileSync} from 'node:fs'
import YAML from 'yaml'

const certFile = (name: string) => readFileSync(new URL(`./certs/${name}`, import.meta.url), 'utf8')

/** PEM strings of the committed test PKI (see certs/README.md). */
export interface TestCerts {
  ca: string
  caKey: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  otherCa: string
  otherClientCert: string
  otherClientKey: string
}

let cached: TestCerts | undefined

export function testCerts(): TestCerts {
  cached ??= {
    ca: certFile('ca.crt'),
    caKey: certFile('ca.key'),
    serverCert: certFile('server.crt'),
    serverKey: certFile('server.key'),
    clientCert: certFile('client.crt'),
    clientKey: certFile('client.key'),
    otherCa: certFile('other-ca.crt'),
    otherClientCert: certFile('other-client.crt'),
    otherClientKey: certFile('other-client.key'),
  }
  return cached
}

export interface KubeconfigOptions {
  /** Bearer token for the user (default: the server's first accepted token). */
  token?: string | undefined
  /** Default namespace of the context. */
  namespace?: string | undefined
  /** Context (and cluster/user) name; default "xctl-test". */
  context?: string | undefined
  /** Authenticate with the test client certificate instead of a token. */
  clientCert?: boolean | undefined
  /** insecure-skip-tls-verify instead of certificate-authority-data. */
  insecure?: boolean | undefined
  /** PEM to put in certificate-authority-data (default: the test CA; use testCerts().otherCa for wrong-CA tests). */
  caData?: string | undefined
  /** Client certificate and key PEMs (default: the test client cert when clientCert is set). */
  clientCertData?: string | undefined
  clientKeyData?: string | undefined
  /** Write no credentials at all. */
  noAuth?: boolean | undefined
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

export function kubeconfigYaml(
  server: string,
  defaultToken: string | undefined,
  defaultCa: string,
  o: KubeconfigOptions = {},
): string {
  const name = o.context ?? 'xctl-test'
  const cluster: Record<string, unknown> = {server}
  if (server.startsWith('https:')) {
    if (o.insecure) cluster['insecure-skip-tls-verify'] = true
    else cluster['certificate-authority-data'] = b64(o.caData ?? defaultCa)
  }
  const user: Record<string, unknown> = {}
  if (!o.noAuth) {
    if (o.clientCert || o.clientCertData) {
      const certs = testCerts()
      user['client-certificate-data'] = b64(o.clientCertData ?? certs.clientCert)
      user['client-key-data'] = b64(o.clientKeyData ?? certs.clientKey)
    } else if (o.token ?? defaultToken) {
      user.token = o.token ?? defaultToken
    }
  }
  const context: Record<string, unknown> = {cluster: name, user: name}
  if (o.namespace) context.namespace = o.namespace
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name, cluster}],
    users: [{name, user}],
    contexts: [{name, context}],
    'current-context': name,
    preferences: {},
  })
}

export function writeKubeconfigFile(path: string, yaml: string): string {
  writeFileSync(path, yaml, {mode: 0o600})
  return path
}
