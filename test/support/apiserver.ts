// An in-process stand-in for kube-apiserver v1.32, for tests and benchmarks.
// It follows the real server's paths, shapes, status codes and messages; see README.md beside it.

import {randomUUID} from 'node:crypto'
import http, {type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http'
import https from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import type {TLSSocket} from 'node:tls'
import {AGGREGATED_V2, aggregatedDiscovery, apiGroup, apiGroupList, apiVersions, resourceList} from './discovery.js'
import {Faults} from './faults.js'
import {gr, keyOf, parseAccept, sleep, verbFor} from './http-helpers.js'
import {kubeconfigYaml, testCerts, writeKubeconfigFile, type KubeconfigOptions} from './kubeconfig.js'
import {Registry} from './registry.js'
import {apiVersionOf, crdStatus, crdsForMode, makeCrd, type ResourceInfo} from './resources.js'
import {deepCopy, encode, rfc3339} from './serialize.js'
import {ApiError, forbidden, genericResponse, notFound, unauthorized} from './status.js'
import {Store, makeEntry} from './store.js'
import {Watches} from './watch.js'
import {getObject, listObjects, watchObjects} from './reads.js'
import {createObject, defaultObject, patchObject, updateObject} from './writes.js'
import {deleteCollection, deleteObject} from './deletes.js'
import {sendFault, sendJson, sendStatus, sendText} from './responses.js'
import type {Ctx, ReqInfo, User} from './context.js'
import type {ApiServerOptions, ForbidRule} from './options.js'

export type {CalicoMode} from './resources.js'
export type {FaultSpec, Fault} from './faults.js'
export type {KubeconfigOptions} from './kubeconfig.js'
export {testCerts} from './kubeconfig.js'

export type {ForbidRule, ApiServerOptions} from './options.js'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: string
  /** Authenticated user, if any. */
  user?: string
  time: number
}

export interface ApiServer {
  /** e.g. https://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  /** PEM of the CA that signed the server certificate. */
  readonly caData: string
  /** Every request that reached the server, in arrival order. */
  readonly requests: RecordedRequest[]
  readonly faults: Faults
  /** Authorization denials (403 Forbidden), checked on every resource request. */
  readonly forbid: ForbidRule[]
  /** Current resourceVersion (etcd revision). */
  readonly resourceVersion: number
  close(): Promise<void>
  writeKubeconfig(path: string, opts?: KubeconfigOptions): string
  /** Creates or replaces objects directly in storage (no admission, no validation). */
  load(objects: object | object[]): void
  get(apiVersion: string, kindOrResource: string, namespace: string | undefined, name: string): any
  list(apiVersion: string, kindOrResource: string, namespace?: string): any[]
  /** Compacts the store: every continue token handed out so far now gets 410 Expired. */
  expireContinueTokens(): void
  /** Watches being served now. */
  readonly openWatches: number
  /** Sends a BOOKMARK with the current resourceVersion on every open watch that allows bookmarks. */
  sendBookmarks(): void
  /** Cuts the connection of every open watch mid-stream (a dropped link; clients should resume). */
  dropWatches(): void
  /** Ends every open watch with an ERROR 410 Expired event and compacts, so resuming needs a new list. */
  expireWatches(): void
  /** Delays the n-th page (n >= 2) of every paged list by `delayMs` (0 removes the delay). */
  pageDelayMs(n: number, delayMs: number): void
}

const DEFAULT_TOKEN = 'test-token'
const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
}
/** Starts a server on 127.0.0.1 (random port unless `port` is given). */
export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const impl = new ServerImpl(opts)
  await impl.listen()
  return impl
}

export class ServerImpl implements ApiServer {
  url = ''
  port = 0
  readonly caData: string
  readonly requests: RecordedRequest[] = []
  readonly faults = new Faults()
  readonly forbid: ForbidRule[]
  readonly store = new Store()
  readonly registry: Registry
  readonly server: http.Server
  readonly tls: boolean
  readonly tokens: string[]
  readonly sockets = new Set<Socket>()
  readonly tokenPages = new Map<string, number>()
  readonly pageDelays = new Map<number, number>()
  readonly watches: Watches

  constructor(readonly opts: ApiServerOptions) {
    const certs = testCerts()
    this.caData = certs.ca
    this.tls = opts.tls ?? true
    this.tokens = opts.tokens ?? [DEFAULT_TOKEN]
    this.forbid = [...(opts.forbid ?? [])]
    this.registry = new Registry(opts.calicoMode ?? 'crd-v1')
    this.watches = new Watches(this.store, opts.bookmarkIntervalMs ?? 60_000)
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, {'Content-Type': 'text/plain'})
          res.end(String(e?.stack ?? e))
        } else res.destroy()
      })
    }
    if (this.tls) {
      const s = https.createServer(
        {key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false},
        handler,
      )
      // A client certificate that does not verify fails the connection (Go: VerifyClientCertIfGiven).
      s.on('secureConnection', (sock: TLSSocket) => {
        const peer = sock.getPeerCertificate()
        if (peer && Object.keys(peer).length && !sock.authorized) sock.destroy()
      })
      this.server = s
    } else {
      this.server = http.createServer(handler)
    }
    this.server.keepAliveTimeout = 60_000
    this.server.on(this.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.bootstrap()
  }

  get resourceVersion(): number {
    return this.store.rv
  }

  async listen(): Promise<void> {
    const host = this.opts.host ?? '127.0.0.1'
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.opts.port ?? 0, host, () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
    const h = host.includes(':') ? `[${host}]` : host
    this.url = `${this.tls ? 'https' : 'http'}://${h}:${this.port}`
  }

  async close(): Promise<void> {
    this.watches.closeAll()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      for (const s of this.sockets) s.destroy()
      this.server.closeAllConnections?.()
    })
  }

  writeKubeconfig(path: string, o: KubeconfigOptions = {}): string {
    return writeKubeconfigFile(path, kubeconfigYaml(this.url, this.tokens[0], this.caData, o))
  }

  expireContinueTokens(): void {
    this.store.compact()
  }

  get openWatches(): number {
    return this.watches.count
  }

  sendBookmarks(): void {
    this.watches.bookmark()
  }

  dropWatches(): void {
    this.watches.drop()
  }

  expireWatches(): void {
    this.watches.expire()
  }

  pageDelayMs(n: number, delayMs: number): void {
    if (delayMs > 0) this.pageDelays.set(n, delayMs)
    else this.pageDelays.delete(n)
  }

  // ---------- direct state access ----------

  bootstrap(): void {
    const now = rfc3339()
    for (const spec of crdsForMode(this.opts.calicoMode ?? 'crd-v1')) this.load(makeCrd(spec, now))
    if (this.opts.systemNamespaces ?? true) {
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
        this.load({apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns, creationTimestamp: now}})
      }
    }
    if (this.opts.objects) this.load(this.opts.objects)
  }

  load(objects: object | object[]): void {
    const list = Array.isArray(objects) ? objects : [objects]
    for (const raw of list as any[]) {
      if (raw?.kind === 'List' && Array.isArray(raw.items)) {
        this.load(raw.items)
        continue
      }
      const ri = this.registry.resolve(raw?.apiVersion, raw?.kind ?? '')
      if (!ri) throw new Error(`test apiserver: no resource serves ${raw?.apiVersion} ${raw?.kind} (calicoMode?)`)
      const obj = deepCopy(raw)
      const meta = (obj.metadata ??= {})
      if (!meta.name) throw new Error(`test apiserver: ${raw.kind} without metadata.name`)
      if (ri.namespaced) meta.namespace ||= 'default'
      else delete meta.namespace
      meta.uid ||= randomUUID()
      meta.creationTimestamp ||= rfc3339()
      if (ri.hasGeneration) meta.generation ??= 1
      defaultObject(this, ri, obj)
      obj.apiVersion = ri.storageApiVersion
      const rv = this.store.nextRV()
      meta.resourceVersion = String(rv)
      this.store.put(ri.storage, makeEntry(keyOf(ri, meta.namespace, meta.name), obj, rv, ri.builtin), true)
      if (ri.kind === 'CustomResourceDefinition' && ri.builtin) this.registerCrd(obj)
    }
  }

  get(apiVersion: string, kindOrResource: string, namespace: string | undefined, name: string): any {
    const ri = this.mustResolve(apiVersion, kindOrResource)
    const e = this.store.get(ri.storage, keyOf(ri, namespace, name))
    return e && this.view(ri, e.obj)
  }

  list(apiVersion: string, kindOrResource: string, namespace?: string): any[] {
    const ri = this.mustResolve(apiVersion, kindOrResource)
    const b = this.store.bucket(ri.storage)
    const prefix = ri.namespaced && namespace ? `${namespace}/` : ''
    return b
      .keys()
      .filter((k) => k.startsWith(prefix))
      .map((k) => this.view(ri, b.entries.get(k)!.obj))
  }

  mustResolve(apiVersion: string, kindOrResource: string): ResourceInfo {
    const ri = this.registry.resolve(apiVersion, kindOrResource)
    if (!ri) throw new Error(`test apiserver: unknown resource ${apiVersion} ${kindOrResource}`)
    return ri
  }

  /** A copy of a stored object as this resource's API version shows it. */
  view(ri: ResourceInfo, obj: Record<string, any>): any {
    const o = deepCopy(obj)
    o.apiVersion = apiVersionOf(ri)
    o.kind = ri.kind
    return o
  }

  registerCrd(crd: any): void {
    crd.status = crdStatus(crd, crd.metadata.creationTimestamp ?? rfc3339())
    const e = this.store.get('apiextensions.k8s.io/customresourcedefinitions', crd.metadata.name)
    if (e) this.store.put('apiextensions.k8s.io/customresourcedefinitions', makeEntry(e.key, crd, e.rv, true))
    this.registry.setCrd(crd)
  }

  // ---------- HTTP ----------

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks)
    const body = raw.toString('utf8')
    const u = new URL(req.url ?? '/', 'http://x')
    const method = (req.method ?? 'GET').toUpperCase()
    const record: RecordedRequest = {
      method,
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body,
      time: Date.now(),
    }
    this.requests.push(record)
    const ctx: Ctx = {
      req,
      res,
      method,
      path: u.pathname,
      query: u.searchParams,
      body,
      raw,
      accept: parseAccept(req.headers.accept, u.searchParams),
    }

    const fault = this.faults.match(method, u.pathname, u.pathname + u.search)
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs)
      if (fault.dropConnection === 'before-headers') {
        req.socket.destroy()
        return
      }
      ctx.fault = fault
      if (fault.status) return sendFault(this, ctx, fault)
    }

    try {
      const user = this.authenticate(req)
      if (!user) throw unauthorized()
      ctx.user = user
      record.user = user.name
      await this.route(ctx)
    } catch (e) {
      if (e instanceof ApiError) return sendStatus(this, ctx, e)
      throw e
    }
  }

  authenticate(req: IncomingMessage): User | undefined {
    const sock = req.socket as TLSSocket
    if (this.tls && sock.authorized) {
      const cert = sock.getPeerCertificate()
      const subj = cert?.subject as unknown as Record<string, string | string[]> | undefined
      if (subj?.CN) {
        const o = subj.O
        return {name: String(subj.CN), groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated']}
      }
    }
    const auth = req.headers.authorization
    if (auth) {
      const tok = /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1]?.trim()
      if (!tok || !this.tokens.includes(tok)) return undefined
      return {name: this.opts.tokenUsers?.[tok] ?? 'test-user', groups: ['system:authenticated']}
    }
    if (this.opts.allowAnonymous) return {name: 'system:anonymous', groups: ['system:unauthenticated']}
    return undefined
  }

  async route(ctx: Ctx): Promise<void> {
    const p = ctx.path.replace(/\/+$/, '') || '/'
    if (p === '/version') return sendJson(this, ctx, 200, encode(VERSION_INFO))
    if (p === '/healthz' || p === '/livez' || p === '/readyz') return sendText(this, ctx, 200, 'ok')
    if (p === '/api') {
      if (ctx.accept.aggregated) return this.sendAggregated(ctx, true)
      return sendJson(this, ctx, 200, encode(apiVersions(this.url.replace(/^https?:\/\//, ''))))
    }
    if (p === '/apis') {
      if (ctx.accept.aggregated) return this.sendAggregated(ctx, false)
      return sendJson(this, ctx, 200, encode(apiGroupList(this.registry)))
    }
    const parts = p.split('/').slice(1)
    const [top, second = '', third = ''] = parts
    if (top === 'api') {
      // everything under /api is the go-restful "/api" web service: unknown routes get a JSON 404
      if (second !== 'v1') throw genericResponse(404)
      if (parts.length === 2) return sendJson(this, ctx, 200, encode(resourceList(this.registry, '', 'v1')))
      return this.resourceRequest(ctx, '', 'v1', parts.slice(2))
    }
    if (top === 'apis' && parts.length >= 2) {
      const [group, version] = [second, third]
      const g = this.registry.group(group)
      if (!g) return sendText(this, ctx, 404, '404 page not found\n')
      if (parts.length === 2) return sendJson(this, ctx, 200, encode(apiGroup(this.registry, group)))
      if (!g.versions.includes(version)) {
        if (g.crd) return sendText(this, ctx, 404, '404 page not found\n')
        throw genericResponse(404)
      }
      if (parts.length === 3) return sendJson(this, ctx, 200, encode(resourceList(this.registry, group, version)))
      return this.resourceRequest(ctx, group, version, parts.slice(3))
    }
    return sendText(this, ctx, 404, '404 page not found\n')
  }

  sendAggregated(ctx: Ctx, core: boolean): void {
    const ct = ctx.accept.aggregated!
    const apiVersion = ct === AGGREGATED_V2 ? 'apidiscovery.k8s.io/v2' : 'apidiscovery.k8s.io/v2beta1'
    sendJson(this, ctx, 200, encode(aggregatedDiscovery(this.registry, core, apiVersion)), ct)
  }

  // ---------- resource requests ----------

  async resourceRequest(ctx: Ctx, group: string, version: string, rest: string[]): Promise<void> {
    let parts = rest
    let watchPath = false
    if (parts[0] === 'watch') {
      watchPath = true
      parts = parts.slice(1)
    }
    let namespace = ''
    if (parts[0] === 'namespaces' && parts[1] !== undefined) {
      namespace = parts[1]
      if (parts.length > 2 && parts[2] !== 'status' && parts[2] !== 'finalize') parts = parts.slice(2)
    }
    const [resource = '', name = '', subresource = ''] = parts
    const isWatch = watchPath || ['true', '1'].includes(ctx.query.get('watch') ?? '')
    const verb = verbFor(ctx.method, !!name, isWatch)
    const info: ReqInfo = {group, version, namespace, resource, name, subresource, verb}
    this.authorize(ctx, info)

    const g = this.registry.group(group)
    const crdServed = !!group && !!g?.crd
    const noRoute = (): Promise<void> | void => {
      if (crdServed) return sendText(this, ctx, 404, '404 page not found\n')
      throw genericResponse(404)
    }
    const ri = this.registry.lookup(group, version, resource)
    if (!ri || parts.length > 3) return noRoute()
    const nsInPath = !!namespace && !(ri.resource === 'namespaces' && ri.builtin)
    if (ri.namespaced && !nsInPath && (name || (verb !== 'list' && verb !== 'watch'))) return noRoute()
    if (!ri.namespaced && nsInPath) return noRoute()
    if (!verb) return crdServed ? noRoute() : sendStatus(this, ctx, genericResponse(405))
    if (subresource && !(subresource === 'status' && ri.statusSubresource)) {
      if (crdServed) throw notFound(gr(ri), name)
      return noRoute()
    }
    if (subresource && !['get', 'update', 'patch'].includes(verb))
      return crdServed ? noRoute() : sendStatus(this, ctx, genericResponse(405))
    if ((verb === 'create' && name) || ((verb === 'update' || verb === 'patch') && !name))
      return sendStatus(this, ctx, genericResponse(405))
    // e.g. deletecollection of namespaces
    if (!subresource && !ri.verbs.includes(verb)) return sendStatus(this, ctx, genericResponse(405))
    const ns = ri.namespaced ? namespace : ''

    switch (verb) {
      case 'get':
        return getObject(this, ctx, ri, ns, name)
      case 'list':
        return listObjects(this, ctx, ri, ns)
      case 'watch':
        return watchObjects(this, ctx, ri, ns)
      case 'create':
        return createObject(this, ctx, ri, ns)
      case 'update':
        return updateObject(this, ctx, ri, ns, name, !!subresource)
      case 'patch':
        return patchObject(this, ctx, ri, ns, name, !!subresource)
      case 'delete':
        return deleteObject(this, ctx, ri, ns, name)
      case 'deletecollection':
        return deleteCollection(this, ctx, ri, ns)
    }
  }

  authorize(ctx: Ctx, info: ReqInfo): void {
    const user = ctx.user!
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource
    for (const r of this.forbid) {
      if (r.user && r.user !== user.name) continue
      if (r.verb && r.verb !== info.verb) continue
      if (r.group !== undefined && r.group !== info.group) continue
      if (r.resource && r.resource !== info.resource && r.resource !== res) continue
      if (r.namespace !== undefined && r.namespace !== info.namespace) continue
      if (r.name && r.name !== info.name) continue
      const where = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope'
      const msg = `User "${user.name}" cannot ${info.verb} resource "${res}" in API group "${info.group}" ${where}`
      throw forbidden({group: info.group, resource: info.resource}, info.name, msg)
    }
  }
}
