// An in-process stand-in for kube-apiserver v1.32, for tests and benchmarks.
// It follows the real server's paths, shapes, status codes and messages; see README.md beside it.

import {randomUUID} from 'node:crypto'
import http, {type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http'
import https from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import type {TLSSocket} from 'node:tls'
import {gzip} from 'node:zlib'
import YAML from 'yaml'

import {AGGREGATED_V2, aggregatedDiscovery, apiGroup, apiGroupList, apiVersions, resourceList} from './discovery.js'
import {Faults, type Fault} from './faults.js'
import {
  acceptsGzip,
  decodeContinue,
  encodeContinue,
  generateName,
  gr,
  keyOf,
  mediaType,
  orderListMeta,
  parseAccept,
  parseLabelParam,
  parseLimit,
  sleep,
  stripVolatile,
  verbFor,
  writePaced,
  type Accept,
  type ListMeta,
} from './http-helpers.js'
import {kubeconfigYaml, testCerts, writeKubeconfigFile, type KubeconfigOptions} from './kubeconfig.js'
import {fieldsOf, managedEntry, updateManagedFields} from './managed-fields.js'
import {PatchError, jsonPatch, mergePatch, strategicMergePatch} from './patch.js'
import {PROTOBUF, decodeProtobuf} from './protobuf.js'
import {Registry} from './registry.js'
import {
  apiVersionOf,
  crdStatus,
  crdsForMode,
  fieldSet,
  makeCrd,
  type CalicoMode,
  type ResourceInfo,
} from './resources.js'
import {matchFields, matchLabels, parseFieldSelector, type FieldTerm, type LabelSelector} from './selectors.js'
import {deepCopy, deepEqual, encode, rfc3339} from './serialize.js'
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  genericResponse,
  internalError,
  invalid,
  notAcceptable,
  notFound,
  unauthorized,
  unknownError,
  unsupportedMediaType,
} from './status.js'
import {Store, lowerBound, makeEntry, metaJson, type Entry} from './store.js'
import {columnsFor, rowFor} from './tables.js'
import {validateObjectMeta} from './validation.js'
import {Watches} from './watch.js'

export type {CalicoMode} from './resources.js'
export type {FaultSpec, Fault} from './faults.js'
export type {KubeconfigOptions} from './kubeconfig.js'
export {testCerts} from './kubeconfig.js'

export interface ForbidRule {
  verb?: string | undefined
  /** Resource, or "resource/subresource". */
  resource?: string | undefined
  group?: string | undefined
  namespace?: string | undefined
  name?: string | undefined
  user?: string | undefined
}

export interface ApiServerOptions {
  /** Serve HTTPS with the test server certificate (default true). */
  tls?: boolean | undefined
  /** Accepted bearer tokens (default ['test-token']). */
  tokens?: string[] | undefined
  /** User name per token (default "test-user"). */
  tokenUsers?: Record<string, string> | undefined
  /** Let requests without credentials through as system:anonymous (default false: 401). */
  allowAnonymous?: boolean | undefined
  /** Which Calico API groups exist (default 'crd-v1'). */
  calicoMode?: CalicoMode | undefined
  /** Largest page the server returns, whatever `limit` asked for. */
  maxPageSize?: number | undefined
  /** Objects to start with (CRDs among them register their kinds). */
  objects?: object[] | undefined
  /** Create default, kube-system, kube-public and kube-node-lease as a real cluster has (default true). */
  systemNamespaces?: boolean | undefined
  /** Authorization denials, also settable later through `server.forbid`. */
  forbid?: ForbidRule[] | undefined
  /** gzip responses over 128 KiB when the client accepts it, as the real server does (default true). */
  compression?: boolean | undefined
  /**
   * Cap each connection's response bodies at this many bytes per second, as a remote cluster's link would
   * (e.g. 6_250_000 for 50 Mbit/s); unset means as fast as loopback goes. Requests and headers are not paced.
   */
  bandwidthBytesPerSecond?: number | undefined
  /** How often open watches that allow bookmarks get one (default 60 s, as the real watch cache). */
  bookmarkIntervalMs?: number | undefined
  port?: number | undefined
  host?: string | undefined
}

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
const GZIP_THRESHOLD = 128 * 1024
const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io'
const CORE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]
const CR_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'

interface User {
  name: string
  groups: string[]
}

interface Ctx {
  req: IncomingMessage
  res: ServerResponse
  method: string
  path: string
  query: URLSearchParams
  body: string
  raw: Buffer
  user?: User
  fault?: Fault
  accept: Accept
}

interface ReqInfo {
  group: string
  version: string
  namespace: string
  resource: string
  name: string
  subresource: string
  verb: string
}

/** Starts a server on 127.0.0.1 (random port unless `port` is given). */
export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const impl = new ServerImpl(opts)
  await impl.listen()
  return impl
}

class ServerImpl implements ApiServer {
  url = ''
  port = 0
  readonly caData: string
  readonly requests: RecordedRequest[] = []
  readonly faults = new Faults()
  readonly forbid: ForbidRule[]
  private readonly store = new Store()
  private readonly registry: Registry
  private readonly server: http.Server
  private readonly tls: boolean
  private readonly tokens: string[]
  private readonly sockets = new Set<Socket>()
  private readonly tokenPages = new Map<string, number>()
  private readonly pageDelays = new Map<number, number>()
  private readonly watches: Watches

  constructor(private readonly opts: ApiServerOptions) {
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

  private bootstrap(): void {
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
      this.defaultObject(ri, obj)
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

  private mustResolve(apiVersion: string, kindOrResource: string): ResourceInfo {
    const ri = this.registry.resolve(apiVersion, kindOrResource)
    if (!ri) throw new Error(`test apiserver: unknown resource ${apiVersion} ${kindOrResource}`)
    return ri
  }

  /** A copy of a stored object as this resource's API version shows it. */
  private view(ri: ResourceInfo, obj: Record<string, any>): any {
    const o = deepCopy(obj)
    o.apiVersion = apiVersionOf(ri)
    o.kind = ri.kind
    return o
  }

  private registerCrd(crd: any): void {
    crd.status = crdStatus(crd, crd.metadata.creationTimestamp ?? rfc3339())
    const e = this.store.get('apiextensions.k8s.io/customresourcedefinitions', crd.metadata.name)
    if (e) this.store.put('apiextensions.k8s.io/customresourcedefinitions', makeEntry(e.key, crd, e.rv, true))
    this.registry.setCrd(crd)
  }

  // ---------- HTTP ----------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
      if (fault.status) return this.sendFault(ctx, fault)
    }

    try {
      const user = this.authenticate(req)
      if (!user) throw unauthorized()
      ctx.user = user
      record.user = user.name
      await this.route(ctx)
    } catch (e) {
      if (e instanceof ApiError) return this.sendStatus(ctx, e)
      throw e
    }
  }

  private authenticate(req: IncomingMessage): User | undefined {
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

  private async route(ctx: Ctx): Promise<void> {
    const p = ctx.path.replace(/\/+$/, '') || '/'
    if (p === '/version') return this.sendJson(ctx, 200, encode(VERSION_INFO))
    if (p === '/healthz' || p === '/livez' || p === '/readyz') return this.sendText(ctx, 200, 'ok')
    if (p === '/api') {
      if (ctx.accept.aggregated) return this.sendAggregated(ctx, true)
      return this.sendJson(ctx, 200, encode(apiVersions(this.url.replace(/^https?:\/\//, ''))))
    }
    if (p === '/apis') {
      if (ctx.accept.aggregated) return this.sendAggregated(ctx, false)
      return this.sendJson(ctx, 200, encode(apiGroupList(this.registry)))
    }
    const parts = p.split('/').slice(1)
    const [top, second = '', third = ''] = parts
    if (top === 'api') {
      // everything under /api is the go-restful "/api" web service: unknown routes get a JSON 404
      if (second !== 'v1') throw genericResponse(404)
      if (parts.length === 2) return this.sendJson(ctx, 200, encode(resourceList(this.registry, '', 'v1')))
      return this.resourceRequest(ctx, '', 'v1', parts.slice(2))
    }
    if (top === 'apis' && parts.length >= 2) {
      const [group, version] = [second, third]
      const g = this.registry.group(group)
      if (!g) return this.sendText(ctx, 404, '404 page not found\n')
      if (parts.length === 2) return this.sendJson(ctx, 200, encode(apiGroup(this.registry, group)))
      if (!g.versions.includes(version)) {
        if (g.crd) return this.sendText(ctx, 404, '404 page not found\n')
        throw genericResponse(404)
      }
      if (parts.length === 3) return this.sendJson(ctx, 200, encode(resourceList(this.registry, group, version)))
      return this.resourceRequest(ctx, group, version, parts.slice(3))
    }
    return this.sendText(ctx, 404, '404 page not found\n')
  }

  private sendAggregated(ctx: Ctx, core: boolean): void {
    const ct = ctx.accept.aggregated!
    const apiVersion = ct === AGGREGATED_V2 ? 'apidiscovery.k8s.io/v2' : 'apidiscovery.k8s.io/v2beta1'
    this.sendJson(ctx, 200, encode(aggregatedDiscovery(this.registry, core, apiVersion)), ct)
  }

  // ---------- resource requests ----------

  private async resourceRequest(ctx: Ctx, group: string, version: string, rest: string[]): Promise<void> {
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
      if (crdServed) return this.sendText(ctx, 404, '404 page not found\n')
      throw genericResponse(404)
    }
    const ri = this.registry.lookup(group, version, resource)
    if (!ri || parts.length > 3) return noRoute()
    const nsInPath = !!namespace && !(ri.resource === 'namespaces' && ri.builtin)
    if (ri.namespaced && !nsInPath && (name || (verb !== 'list' && verb !== 'watch'))) return noRoute()
    if (!ri.namespaced && nsInPath) return noRoute()
    if (!verb) return crdServed ? noRoute() : this.sendStatus(ctx, genericResponse(405))
    if (subresource && !(subresource === 'status' && ri.statusSubresource)) {
      if (crdServed) throw notFound(gr(ri), name)
      return noRoute()
    }
    if (subresource && !['get', 'update', 'patch'].includes(verb))
      return crdServed ? noRoute() : this.sendStatus(ctx, genericResponse(405))
    if ((verb === 'create' && name) || ((verb === 'update' || verb === 'patch') && !name))
      return this.sendStatus(ctx, genericResponse(405))
    // e.g. deletecollection of namespaces
    if (!subresource && !ri.verbs.includes(verb)) return this.sendStatus(ctx, genericResponse(405))
    const ns = ri.namespaced ? namespace : ''

    switch (verb) {
      case 'get':
        return this.getObject(ctx, ri, ns, name)
      case 'list':
        return this.listObjects(ctx, ri, ns)
      case 'watch':
        return this.watchObjects(ctx, ri, ns)
      case 'create':
        return this.createObject(ctx, ri, ns)
      case 'update':
        return this.updateObject(ctx, ri, ns, name, !!subresource)
      case 'patch':
        return this.patchObject(ctx, ri, ns, name, !!subresource)
      case 'delete':
        return this.deleteObject(ctx, ri, ns, name)
      case 'deletecollection':
        return this.deleteCollection(ctx, ri, ns)
    }
  }

  private authorize(ctx: Ctx, info: ReqInfo): void {
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

  // ---- get ----

  private getObject(ctx: Ctx, ri: ResourceInfo, ns: string, name: string): void {
    const e = this.store.get(ri.storage, keyOf(ri, ns, name))
    if (!e) throw notFound(gr(ri), name)
    if (ctx.accept.table) {
      const t = this.tableJson(ri, [e], {resourceVersion: String(e.rv)}, ctx.accept.includeObject)
      return this.sendJson(ctx, 200, t, TABLE_CT)
    }
    this.sendJson(ctx, 200, this.objectJson(ri, e))
  }

  /** Full object JSON (with kind/apiVersion) as this resource's version shows it. */
  private objectJson(ri: ResourceInfo, e: Entry): string {
    if (ri.builtin)
      return `{"kind":${JSON.stringify(ri.kind)},"apiVersion":${JSON.stringify(apiVersionOf(ri))},${e.itemJson.slice(1)}`
    return this.itemJson(ri, e)
  }

  /** List item JSON: built-ins carry no TypeMeta, custom resources do. */
  private itemJson(ri: ResourceInfo, e: Entry): string {
    if (ri.builtin || ri.storageApiVersion === apiVersionOf(ri)) return e.itemJson
    // aggregated view of a v1 CRD object: sorted keys put apiVersion first
    const from = `{"apiVersion":${JSON.stringify(ri.storageApiVersion)}`
    return e.itemJson.startsWith(from)
      ? `{"apiVersion":${JSON.stringify(apiVersionOf(ri))}${e.itemJson.slice(from.length)}`
      : e.itemJson
  }

  // ---- list ----

  private listObjects(ctx: Ctx, ri: ResourceInfo, ns: string): Promise<void> | void {
    const q = ctx.query
    const labelSel = parseLabelParam(q.get('labelSelector'))
    const fieldSel = this.parseFieldParam(ri, q.get('fieldSelector'))
    const rvParam = q.get('resourceVersion') ?? ''
    const cont = q.get('continue') ?? ''
    let limit = parseLimit(q.get('limit'))
    if (rvParam === '0' && !cont) limit = 0 // served from the watch cache, which does not paginate
    if (limit && this.opts.maxPageSize) limit = Math.min(limit, this.opts.maxPageSize)

    const bucket = this.store.bucket(ri.storage)
    const keys = bucket.keys()
    const prefix = ns ? `${ns}/` : ''
    const rangeStart = prefix ? lowerBound(keys, prefix) : 0
    const rangeEnd = prefix ? lowerBound(keys, `${ns}0`) : keys.length // '0' sorts right after '/'
    let start = rangeStart
    let listRV = this.store.rv
    let pageNo = 1
    if (cont) {
      if (rvParam && rvParam !== '0') throw badRequest('specifying resource version is not allowed when using continue')
      const tok = decodeContinue(cont)
      if (tok.rv !== -1 && tok.rv < this.store.compactedBelow) {
        throw expired(INCONSISTENT_CONTINUE, encodeContinue(tok.start, -1))
      }
      if (tok.rv !== -1) listRV = tok.rv
      start = Math.max(lowerBound(keys, prefix + tok.start), rangeStart)
      pageNo = this.tokenPages.get(cont) ?? 2
    }

    const items: Entry[] = []
    let i = start
    let hasMore = false
    let lastKey = ''
    for (; i < rangeEnd; i++) {
      if (limit && items.length >= limit) {
        hasMore = true
        break
      }
      lastKey = keys[i]!
      const e = bucket.entries.get(lastKey)!
      if (this.matches(ri, e, labelSel, fieldSel)) items.push(e)
    }
    const meta: ListMeta = {resourceVersion: String(listRV)}
    if (hasMore) {
      meta.continue = encodeContinue(lastKey.slice(prefix.length) + '\u0000', listRV)
      this.tokenPages.set(meta.continue, pageNo + 1)
      if (!labelSel.length && !fieldSel.length) meta.remainingItemCount = rangeEnd - i
    }
    const delay = pageNo >= 2 ? (this.pageDelays.get(pageNo) ?? 0) : 0
    const send = () => {
      if (ctx.accept.table)
        return this.sendJson(ctx, 200, this.tableJson(ri, items, meta, ctx.accept.includeObject), TABLE_CT)
      this.sendJson(ctx, 200, this.listJson(ri, items, meta))
    }
    if (delay) return sleep(delay).then(send)
    send()
  }

  private matches(ri: ResourceInfo, e: Entry, ls: LabelSelector, fs: FieldTerm[]): boolean {
    if (ls.length && !matchLabels(ls, e.obj.metadata?.labels)) return false
    if (fs.length && !matchFields(fs, fieldSet(ri, e.obj))) return false
    return true
  }

  private parseFieldParam(ri: ResourceInfo, s: string | null): FieldTerm[] {
    if (!s) return []
    let terms: FieldTerm[]
    try {
      terms = parseFieldSelector(s)
    } catch (e) {
      throw badRequest((e as Error).message)
    }
    for (const t of terms) {
      if (ri.kind === 'Pod' && ri.builtin && t.field === 'spec.host') t.field = 'spec.nodeName'
      if (!ri.fieldLabels.includes(t.field)) throw badRequest(ri.fieldLabelError(t.field))
    }
    return terms
  }

  private listJson(ri: ResourceInfo, items: Entry[], meta: ListMeta): string {
    const body = items.map((e) => this.itemJson(ri, e)).join(',')
    if (ri.builtin) {
      return `{"kind":${JSON.stringify(ri.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(ri))},"metadata":${encode(orderListMeta(meta))},"items":[${body}]}`
    }
    // unstructured lists: sorted keys, and "continue" is always set
    const m: Record<string, unknown> = {continue: meta.continue ?? ''}
    if (meta.remainingItemCount !== undefined) m.remainingItemCount = meta.remainingItemCount
    m.resourceVersion = meta.resourceVersion
    return `{"apiVersion":${JSON.stringify(apiVersionOf(ri))},"items":[${body}],"kind":${JSON.stringify(ri.listKind)},"metadata":${encode(m)}}`
  }

  private tableJson(ri: ResourceInfo, items: Entry[], meta: ListMeta, includeObject: string): string {
    const now = Date.now()
    const rows = items.map((e) => {
      const row = rowFor(ri, e.obj, now)
      let s = `{"cells":${encode(row.cells)}`
      if (row.conditions) s += `,"conditions":${encode(row.conditions)}`
      if (includeObject === 'Object') s += `,"object":${this.objectJson(ri, e)}`
      else if (includeObject === 'None') s += `,"object":null`
      else s += `,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${metaJson(e)}}`
      return s + '}'
    })
    const head = `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${encode(orderListMeta(meta))}`
    return `${head},"columnDefinitions":${encode(columnsFor(ri))},"rows":[${rows.join(',')}]}`
  }

  // ---- watch ----

  private watchObjects(ctx: Ctx, ri: ResourceInfo, ns: string): Promise<void> {
    const labelSel = parseLabelParam(ctx.query.get('labelSelector'))
    const fieldSel = this.parseFieldParam(ri, ctx.query.get('fieldSelector'))
    return this.watches.serve({
      req: ctx.req,
      res: ctx.res,
      query: ctx.query,
      ri,
      namespace: ns,
      matches: (e) => this.matches(ri, e, labelSel, fieldSel),
      objectJson: (e) =>
        ctx.accept.table
          ? this.tableJson(ri, [e], {resourceVersion: String(e.rv)}, ctx.accept.includeObject)
          : this.objectJson(ri, e),
    })
  }

  // ---- writes ----

  private parseBody(ctx: Ctx, ri: ResourceInfo): Record<string, any> {
    const ct = mediaType(ctx.req.headers['content-type'] ?? 'application/json')
    let obj: unknown
    try {
      if (ct === 'application/yaml') obj = YAML.parse(ctx.body)
      else if (ct === PROTOBUF && ri.builtin) obj = decodeProtobuf(ctx.raw)
      else if (ct === 'application/json' || ct === '' || ct === '*/*') obj = JSON.parse(ctx.body)
      else
        throw unsupportedMediaType(
          ri.builtin
            ? ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']
            : ['application/json', 'application/yaml'],
        )
    } catch (e) {
      if (e instanceof ApiError) throw e
      throw badRequest(`the object provided is unrecognized (${(e as Error).message})`)
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw badRequest('the object provided is unrecognized (must be a JSON object)')
    return this.checkTypeMeta(ri, obj as Record<string, any>)
  }

  private checkTypeMeta(ri: ResourceInfo, obj: Record<string, any>): Record<string, any> {
    const want = apiVersionOf(ri)
    if (obj.apiVersion && obj.apiVersion !== want) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
      )
    }
    if (obj.kind && obj.kind !== ri.kind)
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${ri.kind})`)
    obj.apiVersion = want
    obj.kind = ri.kind
    if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {}
    return obj
  }

  private dryRun(ctx: Ctx, kindName: string): boolean {
    const dr = ctx.query.getAll('dryRun')
    if (!dr.length) return false
    if (dr.length === 1 && dr[0] === 'All') return true
    throw invalid('meta.k8s.io', kindName, '', [
      {
        type: 'Unsupported value',
        field: 'dryRun',
        value: {raw: `[]string{${dr.map((d) => JSON.stringify(d)).join(', ')}}`},
        detail: 'supported values: "All"',
      },
    ])
  }

  private manager(ctx: Ctx): string {
    const fm = ctx.query.get('fieldManager')
    if (fm) return fm
    // prefixFromUserAgent: the part before the first "/", printable, at most 128 characters
    return (ctx.req.headers['user-agent'] ?? '')
      .split('/')[0]!
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 128)
  }

  private createObject(ctx: Ctx, ri: ResourceInfo, ns: string): void {
    const dryRun = this.dryRun(ctx, 'CreateOptions')
    const obj = this.parseBody(ctx, ri)
    const status = this.create(ctx, ri, ns, obj, dryRun, 'Update')
    this.sendJson(ctx, 201, status)
  }

  /** Create path shared by POST and apply: returns the response JSON. */
  private create(
    ctx: Ctx,
    ri: ResourceInfo,
    ns: string,
    obj: Record<string, any>,
    dryRun: boolean,
    operation: 'Update' | 'Apply',
  ): string {
    const meta = obj.metadata
    if (ri.namespaced) {
      if (meta.namespace && meta.namespace !== ns)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      meta.namespace = ns
    } else delete meta.namespace
    // order of the real create path: admission (NamespaceLifecycle), validation, then storage
    if (ri.namespaced) {
      const nsEntry = this.store.get('core/namespaces', ns)
      if (!nsEntry) throw notFound({group: '', resource: 'namespaces'}, ns)
      if (nsEntry.obj.metadata?.deletionTimestamp)
        throw forbidden(
          gr(ri),
          meta.name ?? '',
          `unable to create new content in namespace ${ns} because it is being terminated`,
        )
    }
    if (meta.generateName && !meta.name) meta.name = generateName(meta.generateName)
    const errs = validateObjectMeta(meta, ri.nameIsLabel)
    if (errs.length) throw invalid(ri.group, ri.kind, meta.name ?? '', errs)
    const key = keyOf(ri, ns, meta.name)
    if (meta.resourceVersion && !dryRun)
      throw unknownError('resourceVersion should not be set on objects to be created')
    if (this.store.get(ri.storage, key)) throw alreadyExists(gr(ri), meta.name)

    const now = rfc3339()
    meta.uid = randomUUID()
    meta.creationTimestamp = now
    delete meta.deletionTimestamp
    delete meta.deletionGracePeriodSeconds
    delete meta.resourceVersion
    if (ri.hasGeneration) meta.generation = 1
    else delete meta.generation
    if (ri.statusSubresource && !ri.builtin) delete obj.status
    if (ri.builtin && ri.kind === 'Pod') this.defaultNewPod(obj)
    if (ri.builtin && ri.kind === 'Namespace') {
      // namespaceStrategy.PrepareForCreate
      obj.status = {phase: 'Active'}
      const fin: string[] = obj.spec?.finalizers ?? []
      obj.spec = {...(obj.spec ?? {}), finalizers: fin.includes('kubernetes') ? fin : [...fin, 'kubernetes']}
    }
    this.defaultObject(ri, obj)
    meta.managedFields = [
      managedEntry(this.manager(ctx), operation, apiVersionOf(ri), now, fieldsOf(obj, ri.builtin, false)),
    ]
    if (ri.kind === 'CustomResourceDefinition' && ri.builtin) obj.status = crdStatus(obj, now)

    const stored = {...obj, apiVersion: ri.storageApiVersion}
    if (dryRun) return this.objectJson(ri, makeEntry(key, stored, 0, ri.builtin))
    const rv = this.store.nextRV()
    meta.resourceVersion = String(rv)
    const e = makeEntry(key, {...obj, apiVersion: ri.storageApiVersion}, rv, ri.builtin)
    this.store.put(ri.storage, e)
    if (ri.kind === 'CustomResourceDefinition' && ri.builtin) this.registry.setCrd(e.obj)
    return this.objectJson(ri, e)
  }

  /** Defaults the API server (or its controllers, instantly) fills in for built-ins. */
  private defaultObject(ri: ResourceInfo, obj: Record<string, any>): void {
    if (!ri.builtin) return
    if (ri.kind === 'Namespace') {
      obj.metadata.labels = {...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name}
      obj.spec = {finalizers: ['kubernetes'], ...(obj.spec ?? {})}
      obj.status = {phase: 'Active', ...(obj.status ?? {})}
    } else if (ri.kind === 'Pod') {
      obj.status ??= {}
      obj.status.phase ??= 'Pending'
    }
  }

  /** SetDefaults_Pod and the default admission plugins, for pods created through the API. */
  private defaultNewPod(pod: Record<string, any>): void {
    const spec = (pod.spec ??= {})
    const containers: any[] = spec.containers ?? []
    for (const c of [...(spec.initContainers ?? []), ...containers]) {
      c.terminationMessagePath ??= '/dev/termination-log'
      c.terminationMessagePolicy ??= 'File'
      const tag = String(c.image ?? '')
        .split('/')
        .pop()!
      c.imagePullPolicy ??= !tag.includes(':') || tag.endsWith(':latest') ? 'Always' : 'IfNotPresent'
      c.resources ??= {}
      for (const p of c.ports ?? []) p.protocol ??= 'TCP'
    }
    spec.restartPolicy ??= 'Always'
    spec.terminationGracePeriodSeconds ??= 30
    spec.dnsPolicy ??= 'ClusterFirst'
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default'
    spec.serviceAccount ??= spec.serviceAccountName
    spec.securityContext ??= {}
    spec.schedulerName ??= 'default-scheduler'
    spec.tolerations ??= [
      {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
      {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
    ]
    spec.priority ??= 0
    spec.enableServiceLinks ??= true
    spec.preemptionPolicy ??= 'PreemptLowerPriority'
    const res = containers.map((c) => c.resources ?? {})
    const hasAny = res.some((r) => Object.keys(r.requests ?? {}).length || Object.keys(r.limits ?? {}).length)
    const guaranteed =
      hasAny &&
      res.every((r) =>
        ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k]),
      )
    pod.status = {phase: 'Pending', qosClass: guaranteed ? 'Guaranteed' : hasAny ? 'Burstable' : 'BestEffort'}
  }

  private updateObject(ctx: Ctx, ri: ResourceInfo, ns: string, name: string, status: boolean): void {
    const dryRun = this.dryRun(ctx, 'UpdateOptions')
    const obj = this.parseBody(ctx, ri)
    const meta = obj.metadata
    if (meta.name !== name)
      throw badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${name})`)
    if (ri.namespaced && meta.namespace && meta.namespace !== ns)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    const existing = this.store.get(ri.storage, keyOf(ri, ns, name))
    if (!existing) throw notFound(gr(ri), name)
    if (this.faults.takeConflict()) throw conflict(gr(ri), name)
    if (!meta.resourceVersion) {
      if (!ri.allowUnconditionalUpdate) {
        throw invalid(ri.group, ri.resource, name, [
          {
            type: 'Invalid value',
            field: 'metadata.resourceVersion',
            value: {raw: '0x0'},
            detail: 'must be specified for an update',
          },
        ])
      }
    } else if (meta.resourceVersion !== String(existing.rv)) {
      throw conflict(gr(ri), name)
    }
    this.sendJson(ctx, 200, this.update(ctx, ri, existing, obj, status, dryRun, 'Update'))
  }

  /** Update path shared by PUT and PATCH; `obj` is the full new object in this resource's version. */
  private update(
    ctx: Ctx,
    ri: ResourceInfo,
    existing: Entry,
    obj: Record<string, any>,
    statusOnly: boolean,
    dryRun: boolean,
    operation: 'Update' | 'Apply',
  ): string {
    const old = existing.obj
    const oldMeta = old.metadata ?? {}
    let next: Record<string, any>
    if (statusOnly) {
      next = {...deepCopy(old), status: obj.status}
    } else {
      next = obj
      if (ri.statusSubresource) {
        if (old.status !== undefined) next.status = deepCopy(old.status)
        else delete next.status
      }
    }
    const meta = (next.metadata = {...(statusOnly ? oldMeta : next.metadata)})
    meta.name = oldMeta.name
    if (ri.namespaced) meta.namespace = oldMeta.namespace
    else delete meta.namespace
    if (meta.uid && meta.uid !== oldMeta.uid)
      throw invalid(ri.group, ri.kind, oldMeta.name, [
        {type: 'Invalid value', field: 'metadata.uid', value: meta.uid, detail: 'field is immutable'},
      ])
    meta.uid = oldMeta.uid
    meta.creationTimestamp = oldMeta.creationTimestamp
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp
    else delete meta.deletionTimestamp
    if (oldMeta.deletionGracePeriodSeconds !== undefined)
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds
    else delete meta.deletionGracePeriodSeconds
    const errs = validateObjectMeta(meta, ri.nameIsLabel)
    if (errs.length) throw invalid(ri.group, ri.kind, oldMeta.name, errs)
    if (ri.hasGeneration) {
      const strip = (o: Record<string, any>) => {
        const {metadata: _m, status: s, ...rest} = o
        return ri.statusSubresource ? rest : {...rest, status: s}
      }
      meta.generation =
        (oldMeta.generation ?? 1) +
        (deepEqual(strip({...next, apiVersion: undefined}), strip({...old, apiVersion: undefined})) ? 0 : 1)
    } else delete meta.generation
    meta.resourceVersion = oldMeta.resourceVersion
    next.apiVersion = ri.storageApiVersion
    next.kind = ri.kind
    meta.managedFields = updateManagedFields(
      oldMeta.managedFields,
      old,
      next,
      this.manager(ctx),
      operation,
      apiVersionOf(ri),
      statusOnly,
      ri.builtin,
    )

    // no-op updates are not written (same bytes in etcd), so the resourceVersion stays
    if (deepEqual(stripVolatile(next), stripVolatile(old))) return this.objectJson(ri, existing)
    if (ri.kind === 'CustomResourceDefinition' && ri.builtin) next.status = crdStatus(next, oldMeta.creationTimestamp)
    if (dryRun) return this.objectJson(ri, makeEntry(existing.key, next, existing.rv, ri.builtin))

    if (meta.deletionTimestamp && !(meta.finalizers ?? []).length) {
      // the last finalizer is gone: the object is deleted now
      const e = makeEntry(existing.key, next, existing.rv, ri.builtin)
      this.store.remove(ri.storage, existing.key, this.store.nextRV())
      return this.objectJson(ri, e)
    }
    const rv = this.store.nextRV()
    meta.resourceVersion = String(rv)
    const e = makeEntry(existing.key, next, rv, ri.builtin)
    this.store.put(ri.storage, e)
    if (ri.kind === 'CustomResourceDefinition' && ri.builtin) this.registry.setCrd(e.obj)
    return this.objectJson(ri, e)
  }

  private patchObject(ctx: Ctx, ri: ResourceInfo, ns: string, name: string, status: boolean): void {
    const ct = mediaType(ctx.req.headers['content-type'] ?? '')
    const accepted = ri.builtin || ri.aggregated ? CORE_PATCH_TYPES : CR_PATCH_TYPES
    if (!accepted.includes(ct)) throw unsupportedMediaType(accepted)
    const dryRun = this.dryRun(ctx, 'PatchOptions')
    const key = keyOf(ri, ns, name)
    const existing = this.store.get(ri.storage, key)

    if (ct === 'application/apply-patch+yaml') {
      if (!ctx.query.get('fieldManager')) {
        throw invalid('meta.k8s.io', 'PatchOptions', '', [
          {type: 'Required value', field: 'fieldManager', detail: 'is required for apply patch'},
        ])
      }
      let applied: unknown
      try {
        applied = YAML.parse(ctx.body)
      } catch (e) {
        throw badRequest(`error decoding YAML: ${(e as Error).message}`)
      }
      if (!applied || typeof applied !== 'object') throw badRequest('error decoding YAML: the patch is not an object')
      const a = this.checkTypeMeta(ri, applied as Record<string, any>)
      if (a.metadata.name && a.metadata.name !== name)
        throw badRequest(`the name of the object (${a.metadata.name}) does not match the name on the URL (${name})`)
      a.metadata.name = name
      if (!existing) {
        if (status) throw notFound(gr(ri), name)
        return this.sendJson(ctx, 201, this.create(ctx, ri, ns, a, dryRun, 'Apply'))
      }
      if (this.faults.takeConflict()) throw conflict(gr(ri), name)
      const current = JSON.parse(this.objectJson(ri, existing))
      const merged = mergePatch(current, a) as Record<string, any>
      return this.sendJson(ctx, 200, this.update(ctx, ri, existing, merged, status, dryRun, 'Apply'))
    }

    if (!existing) throw notFound(gr(ri), name)
    if (this.faults.takeConflict()) throw conflict(gr(ri), name)
    const current = JSON.parse(this.objectJson(ri, existing))
    let patch: unknown
    try {
      patch = JSON.parse(ctx.body)
    } catch (e) {
      throw badRequest((e as Error).message)
    }
    let patched: any
    try {
      if (ct === 'application/json-patch+json') patched = jsonPatch(current, patch)
      else if (ct === 'application/merge-patch+json') patched = mergePatch(current, patch)
      else patched = strategicMergePatch(current, patch)
    } catch (e) {
      if (e instanceof PatchError) throw genericResponse(422)
      throw e
    }
    if (!patched || typeof patched !== 'object') throw badRequest('the patch did not produce an object')
    patched.metadata ??= {}
    if (patched.metadata.name !== name)
      throw badRequest(
        `the name of the object (${patched.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      )
    const rvPre = patched.metadata.resourceVersion
    if (rvPre && rvPre !== String(existing.rv)) throw conflict(gr(ri), name)
    this.sendJson(ctx, 200, this.update(ctx, ri, existing, patched, status, dryRun, 'Update'))
  }

  private deleteOptions(ctx: Ctx): Record<string, any> {
    let o: Record<string, any> = {}
    if (ctx.body.trim()) {
      try {
        o = JSON.parse(ctx.body)
      } catch (e) {
        throw badRequest((e as Error).message)
      }
    }
    const g = ctx.query.get('gracePeriodSeconds')
    if (g !== null) o.gracePeriodSeconds = Number(g)
    const pp = ctx.query.get('propagationPolicy')
    if (pp) o.propagationPolicy = pp
    return o
  }

  private deleteObject(ctx: Ctx, ri: ResourceInfo, ns: string, name: string): void {
    const dryRun = this.dryRun(ctx, 'DeleteOptions')
    const opts = this.deleteOptions(ctx)
    const e = this.store.get(ri.storage, keyOf(ri, ns, name))
    if (!e) throw notFound(gr(ri), name)
    const pre = opts.preconditions ?? {}
    if (pre.uid && pre.uid !== e.obj.metadata.uid)
      throw conflict(
        gr(ri),
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${e.obj.metadata.uid}`,
      )
    if (pre.resourceVersion && pre.resourceVersion !== String(e.rv))
      throw conflict(
        gr(ri),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${e.rv}`,
      )
    const [code, body] = this.delete(ri, e, opts, dryRun)
    this.sendJson(ctx, code, body)
  }

  /** Deletes one object; returns the status code and body the real registry answers with. */
  private delete(ri: ResourceInfo, e: Entry, opts: Record<string, any>, dryRun: boolean): [number, string] {
    const obj = deepCopy(e.obj)
    const meta = obj.metadata
    const now = rfc3339()
    const finalizers: string[] = meta.finalizers ?? []
    if (finalizers.length) {
      // stays, marked for deletion, until its finalizers are removed (Foreground behaves like
      // Background: the simulated garbage collector has no dependents to wait for)
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = now
        meta.deletionGracePeriodSeconds = 0
      }
      if (dryRun) return [200, this.objectJson(ri, makeEntry(e.key, obj, e.rv, ri.builtin))]
      const rv = this.store.nextRV()
      meta.resourceVersion = String(rv)
      const ne = makeEntry(e.key, obj, rv, ri.builtin)
      this.store.put(ri.storage, ne)
      return [200, this.objectJson(ri, ne)]
    }
    let answer: Entry = e
    if (ri.builtin && ri.kind === 'Pod') {
      // graceful pod deletion: the answer shows the grace period; the kubelet (simulated) finishes at once
      const phase = obj.status?.phase
      const grace = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30
      if (obj.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed' && grace > 0) {
        meta.deletionTimestamp = rfc3339(new Date(Date.now() + grace * 1000))
        meta.deletionGracePeriodSeconds = grace
        answer = makeEntry(e.key, obj, e.rv, true)
      }
    } else if (ri.builtin && (ri.kind === 'Namespace' || ri.kind === 'CustomResourceDefinition')) {
      // the namespace / CRD finalizers run instantly: contents are removed with it
      meta.deletionTimestamp = now
      meta.deletionGracePeriodSeconds = 0
      if (ri.kind === 'Namespace') obj.status = {...(obj.status ?? {}), phase: 'Terminating'}
      answer = makeEntry(e.key, obj, e.rv, true)
      if (!dryRun) {
        if (ri.kind === 'Namespace') this.deleteNamespaceContents(meta.name)
        else for (const r of this.registry.removeCrd(meta.name)) this.clearBucket(r.storage)
      }
    }
    if (!dryRun) this.store.remove(ri.storage, e.key, this.store.nextRV())
    if (ri.returnDeletedObject) return [200, this.objectJson(ri, answer)]
    const details: Record<string, unknown> = {name: meta.name}
    if (ri.group) details.group = ri.group
    details.kind = ri.resource
    details.uid = meta.uid
    return [200, encode({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details})]
  }

  private deleteNamespaceContents(ns: string): void {
    const seen = new Set<string>()
    for (const r of this.registry.all()) {
      if (!r.namespaced || seen.has(r.storage)) continue
      seen.add(r.storage)
      const b = this.store.bucket(r.storage)
      for (const k of [...b.keys()]) if (k.startsWith(`${ns}/`)) this.store.remove(r.storage, k, this.store.nextRV())
    }
  }

  private clearBucket(storage: string): void {
    const b = this.store.bucket(storage)
    for (const k of [...b.keys()]) this.store.remove(storage, k, this.store.nextRV())
  }

  private deleteCollection(ctx: Ctx, ri: ResourceInfo, ns: string): void {
    const dryRun = this.dryRun(ctx, 'DeleteOptions')
    const opts = this.deleteOptions(ctx)
    const ls = parseLabelParam(ctx.query.get('labelSelector'))
    const fs = this.parseFieldParam(ri, ctx.query.get('fieldSelector'))
    const b = this.store.bucket(ri.storage)
    const deleted: Entry[] = []
    for (const k of [...b.keys()]) {
      if (ns && !k.startsWith(`${ns}/`)) continue
      const e = b.entries.get(k)!
      if (!this.matches(ri, e, ls, fs)) continue
      this.delete(ri, e, opts, dryRun)
      deleted.push(e)
    }
    this.sendJson(ctx, 200, this.listJson(ri, deleted, {resourceVersion: String(this.store.rv)}))
  }

  // ---------- responses ----------

  private sendFault(ctx: Ctx, f: Fault): void {
    const headers: Record<string, string> = {}
    if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter)
    if (f.body) return this.sendJson(ctx, f.status!, encode(f.body), 'application/json', headers)
    if (f.status === 429) {
      // API Priority and Fairness answers in plain text
      return this.sendText(ctx, 429, 'Too many requests, please try again later.\n', headers)
    }
    const canned: Record<number, ApiError> = {
      500: internalError('injected fault'),
      503: new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
      504: new ApiError(
        504,
        'Timeout',
        'Timeout: request did not complete within requested timeout - context deadline exceeded',
      ),
      409: new ApiError(409, 'Conflict', 'the server reported a conflict'),
      410: this.expiredFor(ctx),
    }
    const err = canned[f.status!] ?? new ApiError(f.status!, '', `injected fault ${f.status}`)
    this.sendJson(ctx, err.code, encode(err.toStatus()), 'application/json', headers)
  }

  /** The 410 a real server gives this request: the inconsistent-continue answer for a continue request. */
  private expiredFor(ctx: Ctx): ApiError {
    const cont = ctx.query.get('continue')
    if (cont) {
      try {
        return expired(INCONSISTENT_CONTINUE, encodeContinue(decodeContinue(cont).start, -1))
      } catch {
        // not a token we can read: fall through to the plain answer
      }
    }
    return expired('The resourceVersion for the provided list is too old.')
  }

  private sendStatus(ctx: Ctx, err: ApiError): void {
    this.sendJson(ctx, err.code, encode(err.toStatus()), 'application/json', err.headers)
  }

  private sendText(ctx: Ctx, code: number, text: string, headers: Record<string, string> = {}): void {
    this.write(ctx, code, Buffer.from(text), {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    })
  }

  private sendJson(
    ctx: Ctx,
    code: number,
    json: string,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ): void {
    if (ctx.accept.unacceptable && code < 300) throw notAcceptable(['application/json', 'application/yaml'])
    let body = json
    let ct = contentType
    if (ctx.accept.yaml && contentType === 'application/json') {
      body = YAML.stringify(JSON.parse(json))
      ct = 'application/yaml'
    } else if (isPretty(ctx)) {
      body = encode(JSON.parse(json), 2)
    }
    this.write(ctx, code, Buffer.from(body + '\n'), {
      'Audit-Id': randomUUID(),
      'Cache-Control': 'no-cache, private',
      'Content-Type': ct,
      ...headers,
    })
  }

  private write(ctx: Ctx, code: number, buf: Buffer, headers: Record<string, string>): void {
    const {res, req} = ctx
    const finish = (payload: Buffer, extra: Record<string, string>) => {
      if (res.destroyed) return
      const all = {...headers, ...extra, 'Content-Length': String(payload.length)}
      if (ctx.fault?.dropConnection === 'mid-body') {
        res.writeHead(code, all)
        res.write(payload.subarray(0, Math.max(1, payload.length >> 1)), () => req.socket.destroy())
        return
      }
      res.writeHead(code, all)
      if (this.opts.bandwidthBytesPerSecond) writePaced(res, payload, this.opts.bandwidthBytesPerSecond)
      else res.end(payload)
    }
    const wantsGzip = (this.opts.compression ?? true) && acceptsGzip(req.headers['accept-encoding'])
    // As kube-apiserver: only a body over (not at) the threshold is compressed.
    if (wantsGzip && buf.length > GZIP_THRESHOLD) {
      gzip(buf, {level: 1}, (err, z) =>
        err ? finish(buf, {}) : finish(z, {'Content-Encoding': 'gzip', Vary: 'Accept-Encoding'}),
      )
    } else {
      finish(buf, {})
    }
  }
}

function isPretty(ctx: Ctx): boolean {
  const p = ctx.query.get('pretty')
  if (p !== null && p !== '') return p === 'true' || p === '1' || p === 'True' || p === 'TRUE' || p === 't' || p === 'T'
  const ua = String(ctx.req.headers['user-agent'] ?? '')
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0')
}
