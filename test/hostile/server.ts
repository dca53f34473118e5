import https from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stringify} from 'yaml'
import {testCerts} from '../support/kubeconfig.js'

/**
 * A small misbehaving API server for the hostile-server suite: HTTPS on 127.0.0.1 only, one handler per test.
 * Every loop in a handler is bounded (bytes or time), and the server closes itself after `lifetimeMs`.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  /** Fingerprint of the client certificate, when the server asked for one. */
  clientCert?: string
}

export interface HostileServer {
  url: string
  dir: string
  requests: SeenRequest[]
  /** The handler answering every request from now on. */
  handle(handler: Handler): void
  /** A kubeconfig for this server; `user` replaces the default token user. */
  kubeconfig(options?: {
    user?: Record<string, unknown>
    cluster?: Record<string, unknown>
    server?: string
    name?: string
  }): string
  close(): Promise<void>
}

export const TOKEN = 'hostile-test-token-0123456789abcdef'

export interface HostileOptions {
  lifetimeMs?: number
  /** Ask clients for a certificate (signed by the test CA) and record its fingerprint per request. */
  requestCert?: boolean
}

export async function startHostileServer(options: HostileOptions = {}): Promise<HostileServer> {
  const lifetimeMs = options.lifetimeMs ?? 10 * 60_000
  const certs = testCerts()
  let handler: Handler = (_req, res) =>
    json(res, 404, {kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404})
  const requests: SeenRequest[] = []
  const tls = options.requestCert ? {requestCert: true, rejectUnauthorized: false, ca: certs.ca} : {}
  const server = https.createServer({key: certs.serverKey, cert: certs.serverCert, ...tls}, (req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate?.()
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        clientCert: peer?.fingerprint256,
      })
      if (!discovery(req, res)) handler(req, res, body)
    })
  })
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dir = mkdtempSync(join(tmpdir(), 'xctl-hostile-'))
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  setTimeout(() => void close(), lifetimeMs).unref()
  let count = 0
  return {
    url,
    dir,
    requests,
    handle: (h) => (handler = h),
    kubeconfig(options = {}) {
      const path = join(dir, options.name ?? `kubeconfig-${++count}`)
      const cluster = options.cluster ?? {
        server: options.server ?? url,
        'certificate-authority-data': Buffer.from(certs.ca).toString('base64'),
      }
      writeFileSync(
        path,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'hostile',
          clusters: [{name: 'hostile', cluster}],
          users: [{name: 'hostile', user: options.user ?? {token: TOKEN}}],
          contexts: [{name: 'hostile', context: {cluster: 'hostile', user: 'hostile', namespace: 'default'}}],
        }),
        {mode: 0o600},
      )
      return path
    },
    close,
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers})
  res.end(text)
}

/** A pod list page with `n` pods starting at `from`. */
export function podList(n: number, from = 0, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const items = Array.from({length: n}, (_, i) => ({
    metadata: {name: `pod-${String(from + i).padStart(5, '0')}`, namespace: 'default', uid: `u${from + i}`},
    spec: {nodeName: 'node-1', containers: [{name: 'c'}]},
    status: {phase: 'Running', podIP: `10.0.${(from + i) >> 8}.${(from + i) & 255}`},
  }))
  return {kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '1', ...extra}, items}
}

/** Writes `total` bytes of `chunk` repeated, respecting backpressure; stops early if the client goes away. */
export function stream(res: ServerResponse, chunk: Buffer, total: number, end = true): void {
  let sent = 0
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (end && !res.destroyed) res.end()
  }
  res.on('close', () => (sent = total))
  pump()
}

/** Discovery as xctl and kubectl ask for it: the Multus and Calico CRD groups exist. */
function discovery(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '').split('?')[0]
  if (path === '/apis') {
    const group = (name: string) => ({
      name,
      versions: [{groupVersion: `${name}/v1`, version: 'v1'}],
      preferredVersion: {groupVersion: `${name}/v1`, version: 'v1'},
    })
    json(res, 200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [group('k8s.cni.cncf.io'), group('crd.projectcalico.org')],
    })
    return true
  }
  if (path === '/api') {
    json(res, 200, {kind: 'APIVersions', versions: ['v1']})
    return true
  }
  return false
}
