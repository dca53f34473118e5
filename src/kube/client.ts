import http from 'node:http'
import https from 'node:https'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {ApiError, ClusterError, UsageError, XctlError} from '../core/errors.js'
import {registerPem, registerSecret} from '../core/redact.js'
import type {ConnectionConfig} from './kubeconfig.js'
import type {Credential} from './exec.js'
import type {KubeObject, KubeList} from './types.js'
import {cleanErrorBody, escapeControl} from './text.js'
import {exchange, timeoutMessage, TransportError, type RawAnswer} from './transport.js'

export interface ClientOptions {
  debug?: (line: string) => void
  /** Bound in milliseconds on each request, first byte sent to last byte read, retries included (0 = none). */
  requestTimeoutMs?: number
  userAgent?: string
  /** Attempts for idempotent requests (GET) on 429, 5xx and dropped connections. */
  maxAttempts?: number
  /** Ceiling on one answer's decompressed size (default 256 MiB): an endless or huge body ends with exit 3. */
  maxResponseBytes?: number
  /** Aborting it cancels retry and back-off waits at once (the first Ctrl-C of apply/delete). */
  signal?: AbortSignal
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>
  body?: unknown
  contentType?: string
  accept?: string
  /** Retry on transient failures. Defaults to true for GET only: writes are not blindly repeated. */
  retry?: boolean
}

export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  /** Filled with the list's resourceVersion once the last page is read (a watch starts from it). */
  listMeta?: {resourceVersion?: string}
}

/** A streamed GET, ready to send (see KubeClient.streamRequest). */
export interface StreamRequest {
  https: boolean
  hostname: string
  port: string
  path: string
  headers: Record<string, string>
  agent: http.Agent
  servername?: string
  /** A 401: the exec plugin's credential is fetched again for the next request. */
  onUnauthorized: () => void
}

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 2 ** 20
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
// Timeouts are not retried: like kubectl, --request-timeout bounds the request, not each attempt of it.
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])
const LOST_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'XCTL_TIMEOUT'])

/** The answer to a write was lost after the request went out: the write may or may not have happened. */
export class AnswerLostError extends ClusterError {}

/** The first Ctrl-C arrived while waiting to retry. */
export class InterruptedError extends ClusterError {
  constructor() {
    super('interrupted')
  }
}

/** A small Kubernetes REST client: kubeconfig auth, Status errors like kubectl, retries and paged lists. */
export class KubeClient {
  // One keep-alive agent per client certificate: a certificate rotated by an exec plugin gets a new agent.
  private readonly agents = new Map<string, http.Agent>()
  private readonly isHttps: boolean
  private readonly base: URL
  private credential?: Promise<Credential>

  constructor(
    readonly conn: ConnectionConfig,
    private readonly opts: ClientOptions = {},
  ) {
    this.isHttps = conn.server.startsWith('https:')
    this.base = new URL(conn.server)
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
  }

  /** From now on, aborting `signal` cancels retry waits (apply/delete install it for Ctrl-C). */
  useSignal(signal: AbortSignal): void {
    this.opts.signal = signal
  }

  private agentFor(cert?: Buffer, key?: Buffer): http.Agent {
    const id =
      cert || key
        ? createHash('sha256')
            .update(cert ?? '')
            .update('\0')
            .update(key ?? '')
            .digest('hex')
        : ''
    let agent = this.agents.get(id)
    if (!agent) {
      const c = this.conn
      agent = this.isHttps
        ? new https.Agent({
            keepAlive: true,
            ca: c.ca,
            cert,
            key,
            rejectUnauthorized: !c.insecureSkipTLSVerify,
            servername: c.tlsServerName,
          })
        : new http.Agent({keepAlive: true})
      this.agents.set(id, agent)
    }
    return agent
  }

  get server(): string {
    return this.conn.server
  }

  get maxResponseBytes(): number {
    return this.opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  }

  async get<T = KubeObject>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, {query})
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const target = this.target(path, options.query)
    const retry = options.retry ?? method === 'GET'
    const attempts = retry ? (this.opts.maxAttempts ?? 4) : 1
    const timeoutMs = this.opts.requestTimeoutMs ?? 0
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity
    let reauthenticated = false
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, target, options, deadline)
      } catch (error) {
        if (!reauthenticated && error instanceof ApiError && error.status === 401 && this.credential) {
          // client-go runs the exec plugin again after a 401 (the token may have been revoked early),
          // then retries once.
          reauthenticated = true
          this.credential = undefined
          this.opts.debug?.(`${method} ${target}: 401, running the exec plugin again`)
          attempt--
          continue
        }
        const wait = attempt < attempts ? retryDelay(error, attempt) : undefined
        if (wait === undefined || Date.now() + wait >= deadline) throw toUserError(error, this.conn.server, method)
        this.opts.debug?.(
          `retrying ${method} ${target} in ${wait} ms (attempt ${attempt + 1} of ${attempts}): ${describe(error)}`,
        )
        await this.pause(wait)
      }
    }
  }

  /** A retry wait that the first Ctrl-C cuts short. */
  private pause(ms: number): Promise<void> {
    const signal = this.opts.signal
    if (signal?.aborted) return Promise.reject(new InterruptedError())
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => (clearTimeout(timer), reject(new InterruptedError()))
      const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms)
      signal?.addEventListener('abort', onAbort, {once: true})
    })
  }

  /**
   * The request target: the server's own path prefix, then `path` exactly as given (already segment-encoded).
   * No URL parser touches it, so `.` and `..` are never resolved; and they are refused, so that a name such as
   * `.` can never address a collection.
   */
  private target(path: string, query?: RequestOptions['query']): string {
    const segments = path.split('/').slice(1)
    const bad =
      !path.startsWith('/') ||
      segments.some((s) => {
        let decoded = s
        try {
          decoded = decodeURIComponent(s)
        } catch {}
        return s === '' || decoded === '.' || decoded === '..' || decoded.includes('/')
      })
    if (bad) {
      throw new UsageError(
        `refusing to send a request to ${escapeControl(path)}: a name or namespace in it is empty, "." or ".."`,
        'give the real name of the object and of its namespace',
      )
    }
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v))
    const qs = params.toString()
    return `${this.base.pathname.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`
  }

  /**
   * Pages of a list, fetched `limit` at a time; the next page is requested while the caller handles this one.
   * An expired continue token (410) restarts the list once, skipping what was already yielded
   * (lists come in key order).
   * A continue token seen before would loop forever: it is an error.
   */
  async *list(path: string, options: ListOptions = {}): AsyncGenerator<KubeObject[]> {
    const limit = options.limit ?? 500
    const plural = path.split('/').pop() ?? path
    const seenTokens = new Set<string>()
    let lastKey: string | undefined
    let restarted = false
    const fetchPage = (token?: string) => {
      const p = this.get<unknown>(path, {
        limit,
        continue: token,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      })
      p.catch(() => {}) // awaited below; this only stops an unhandled rejection if the caller stops early
      return p
    }
    let next: Promise<unknown> | undefined = fetchPage()
    while (next) {
      let page: KubeList
      try {
        page = checkList(await next, plural, this.conn.server)
      } catch (error) {
        if (error instanceof ApiError && error.status === 410 && !restarted) {
          restarted = true
          if (options.listMeta) options.listMeta.resourceVersion = undefined
          seenTokens.clear() // a fresh list hands out the same tokens again
          this.opts.debug?.(
            `list ${path}: continue token expired (410), restarting the list after ${lastKey ?? 'the start'}`,
          )
          next = fetchPage()
          continue
        }
        throw error
      }
      const token = page.metadata?.continue
      // the first page's version is the list's (later pages repeat it)
      if (options.listMeta && !options.listMeta.resourceVersion)
        options.listMeta.resourceVersion = page.metadata?.resourceVersion
      if (token && seenTokens.has(token)) {
        throw new ClusterError(
          `the server at ${this.conn.server} sent the same continue token twice while listing ${plural}; ` +
            'stopping instead of listing the same objects forever',
          'check the API server or the proxy in front of it',
        )
      }
      if (token) seenTokens.add(token)
      next = token ? fetchPage(token) : undefined
      const kind = page.kind?.endsWith('List') ? page.kind.slice(0, -4) : undefined
      let items = page.items ?? []
      for (const item of items) {
        // The API omits apiVersion/kind on items of built-in kinds; callers want whole objects.
        if (!item.apiVersion && page.apiVersion) item.apiVersion = page.apiVersion
        if (!item.kind && kind) item.kind = kind
      }
      if (restarted && lastKey !== undefined) {
        const after = lastKey
        items = items.filter((i) => objectKey(i) > after)
      }
      if (items.length > 0) lastKey = objectKey(items[items.length - 1])
      yield items
    }
  }

  /**
   * Everything a streamed request (a watch: src/kube/watch.ts) needs to go out as request() would send it:
   * the target, credentials, headers and this client's keep-alive agent.
   */
  async streamRequest(path: string, query?: RequestOptions['query']): Promise<StreamRequest> {
    const auth = await this.authHeaders()
    return {
      https: this.isHttps,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port,
      path: this.target(path, query),
      headers: {
        accept: 'application/json',
        'accept-encoding': 'gzip',
        'user-agent': this.opts.userAgent ?? 'xctl',
        ...auth.headers,
      },
      agent: this.agentFor(auth.cert, auth.key),
      servername: this.conn.tlsServerName,
      onUnauthorized: () => {
        this.credential = undefined
      },
    }
  }

  private async authHeaders(): Promise<{headers: Record<string, string>; cert?: Buffer; key?: Buffer}> {
    const c = this.conn
    const headers: Record<string, string> = {}
    let cert = c.clientCert
    let key = c.clientKey
    let token = c.token ?? (c.tokenFile ? readTokenFile(c.tokenFile) : undefined)
    if (!token && c.exec) {
      const fresh = await this.execCredential()
      token = fresh.token
      cert = fresh.clientCert ?? cert
      key = fresh.clientKey ?? key
    }
    if (!token && c.authProvider) token = await authProviderToken(c)
    registerSecret(token)
    if (token) {
      // Like kubectl: a bearer token is only ever sent over TLS.
      if (this.isHttps) headers.authorization = `Bearer ${token}`
      else this.opts.debug?.('not sending the bearer token: the server is plain http')
    } else if (c.username && c.password && this.isHttps) {
      headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
    }
    return {headers, cert, key}
  }

  /** The exec plugin's credential, run again when it expires or after a 401; every secret in it is masked in output. */
  private async execCredential(): Promise<Credential> {
    const c = this.conn
    const {execCredential} = await import('./exec.js')
    this.credential ??= execCredential(c.exec!, c.server)
    let cred = await this.credential
    if (cred.expiresAt && cred.expiresAt <= Date.now()) {
      this.credential = execCredential(c.exec!, c.server)
      cred = await this.credential
    }
    registerSecret(cred.token)
    registerPem(cred.clientKey)
    return cred
  }

  private async once<T>(method: string, target: string, options: RequestOptions, deadline: number): Promise<T> {
    const auth = await this.authHeaders()
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body)
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      // client-go's default: lists are an order of magnitude smaller on the wire.
      'accept-encoding': 'gzip',
      'user-agent': this.opts.userAgent ?? 'xctl',
      ...auth.headers,
    }
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json'
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const started = Date.now()
    if (deadline !== Infinity && deadline - started <= 0) {
      throw new TransportError(timeoutMessage(false, this.opts.requestTimeoutMs ?? 0), 'XCTL_TIMEOUT')
    }
    const answer = await exchange({
      https: this.isHttps,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port,
      path: target,
      method,
      headers,
      body,
      agent: this.agentFor(auth.cert, auth.key),
      servername: this.conn.tlsServerName,
      timeoutMs: deadline === Infinity ? 0 : deadline - started,
      limitMs: this.opts.requestTimeoutMs ?? 0,
      maxBytes: this.maxResponseBytes,
    })
    const gzip = answer.headers['content-encoding'] === 'gzip' ? 'gzip, ' : ''
    this.opts.debug?.(`${method} ${target} ${answer.status} ${Date.now() - started}ms (${gzip}${answer.bytes} bytes)`)
    return this.decode<T>(method, target, answer)
  }

  private decode<T>(method: string, target: string, answer: RawAnswer): T {
    const {status, text} = answer
    const where = `${method} ${target.split('?')[0]}`
    if (status >= 300 && status < 400) {
      const location = escapeControl(String(answer.headers.location ?? '(no location)').slice(0, 300))
      throw new ClusterError(
        `the server at ${this.conn.server} answered ${where} with a redirect (${status}) ` +
          `to ${location}; xctl does not follow redirects`,
        'point the kubeconfig at the API server itself (its server: field), not at a page that forwards to it',
      )
    }
    if (status < 200 || status >= 300) throw statusError(status, text, answer.bytes, answer.headers['retry-after'])
    try {
      return (text === '' ? {} : JSON.parse(text)) as T
    } catch {
      const start = cleanErrorBody(text.slice(0, 200), answer.bytes)
      throw new ClusterError(
        `the server at ${this.conn.server} answered ${where} with a body that is not JSON: ${start}`,
      )
    }
  }
}

export function objectKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`
}

/** A page must be a Kubernetes list: a broken proxy answering `[]` or `null` must not look like an empty cluster. */
function checkList(body: unknown, plural: string, server: string): KubeList {
  const list = body as KubeList
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
  const itemsOk = Array.isArray(list?.items)
    ? list.items.every((i) => isObject(i) && (i.metadata === undefined || isObject(i.metadata)))
    : list?.items === undefined || list?.items === null
  const listLike = isObject(body) && itemsOk && (Array.isArray(list.items) || String(list.kind ?? '').endsWith('List'))
  if (!listLike || (list.metadata !== undefined && !isObject(list.metadata))) {
    throw new ClusterError(
      `the server's answer is not a list of ${escapeControl(plural)} (from ${server})`,
      'check the server address in the kubeconfig; a proxy or load balancer may be answering instead of the API server',
    )
  }
  if (typeof list.metadata?.continue !== 'string' && list.metadata?.continue !== undefined) {
    throw new ClusterError(
      `the server's answer is not a list of ${escapeControl(plural)}: its continue token ` +
        `is not a string (from ${server})`,
    )
  }
  for (const item of list.items ?? []) item.metadata ??= {}
  return list
}

function readTokenFile(path: string): string {
  try {
    const token = readFileSync(path, 'utf8').trim()
    registerSecret(token)
    return token
  } catch (error) {
    throw new ClusterError(
      `cannot read the token file ${path} named in the kubeconfig: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  }
}

/** Rare legacy auth providers (oidc, azure, gcp) are delegated to @kubernetes/client-node, loaded only here. */
async function authProviderToken(conn: ConnectionConfig): Promise<string | undefined> {
  const {KubeConfig} = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  kc.loadFromString(JSON.stringify({...conn.raw, 'current-context': conn.contextName}))
  const opts: {headers?: Record<string, string>} = {}
  await kc.applyToHTTPSOptions(opts as never)
  const header = opts.headers?.Authorization ?? opts.headers?.authorization
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined
}

class RetryAfter extends ApiError {
  retryAfterSeconds?: number
}

/** A failed answer as kubectl prints it; bodies that are not a Status are cut to about 2 KB and cleaned. */
export function statusError(status: number, text: string, bytes: number, retryAfter?: string): ApiError {
  let reason = httpReason(status)
  let message = text.trim() ? cleanErrorBody(text, bytes) : `the server answered ${status}`
  let details: ApiError['details']
  try {
    const body = JSON.parse(text)
    if (body && body.kind === 'Status') {
      reason = typeof body.reason === 'string' && body.reason ? escapeControl(body.reason.slice(0, 100)) : reason
      message = typeof body.message === 'string' && body.message ? cleanErrorBody(body.message) : message
      details = body.details
    }
  } catch {
    // not a Status body (or cut short): keep the cleaned text
  }
  if (status === 401) message = 'You must be logged in to the server (Unauthorized)'
  const error = new RetryAfter(status, reason, message, details)
  if (status === 401) error.message = `error: ${message}`
  const seconds = retryAfter ? Number(retryAfter) : NaN
  if (Number.isFinite(seconds)) error.retryAfterSeconds = seconds
  return error
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  }
  return reasons[status] ?? (http.STATUS_CODES[status] ?? 'Unknown').replace(/\s+/g, '')
}

function retryDelay(error: unknown, attempt: number): number | undefined {
  const base = Math.min(4000, 250 * 2 ** (attempt - 1))
  const jittered = Math.round(base / 2 + (Math.random() * base) / 2)
  if (error instanceof ApiError) {
    if (!RETRY_STATUSES.has(error.status)) return undefined
    const after = (error as RetryAfter).retryAfterSeconds
    return after !== undefined ? Math.min(after * 1000, 10_000) : jittered
  }
  const code = (error as NodeJS.ErrnoException)?.code
  return code && RETRY_CODES.has(code) ? jittered : undefined
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Network and TLS failures become messages that name the server and say what to check. */
export function toUserError(error: unknown, server: string, method: string): Error {
  if (error instanceof XctlError) return error
  const e = error as TransportError
  const code = e?.code ?? ''
  if (code === 'ECONNREFUSED')
    return new ClusterError(
      `The connection to the server ${server} was refused - did you specify the right host or port?`,
    )
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ClusterError(
      `Unable to connect to the server ${server}: cannot resolve the host name`,
      'check the server address in the kubeconfig',
    )
  if (code === 'XCTL_TOO_LARGE') {
    return new ClusterError(
      `${e.message} (from ${server}); stopped reading there`,
      'if a list is really this large, raise the ceiling with --max-response-size (e.g. ' +
        '--max-response-size 1Gi), or narrow it with -n or -l',
    )
  }
  if (code === 'XCTL_BAD_GZIP' || code === 'XCTL_BAD_ENCODING')
    return new ClusterError(`${e.message} (from ${server})`, 'check the API server or the proxy in front of it')
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO/.test(code)) {
    return new ClusterError(
      `Unable to connect to the server ${server}: TLS verification failed (${e.message})`,
      'check certificate-authority-data in the kubeconfig matches the cluster',
    )
  }
  const hint = code === 'XCTL_TIMEOUT' ? 'raise --request-timeout, or check that the API server is healthy' : undefined
  const message = `Unable to connect to the server ${server}: ${escapeControl(e?.message ?? String(error))}`
  // A write that went out and got no answer may have happened: callers re-read before reporting it.
  if (method !== 'GET' && e?.afterSend && LOST_ANSWER_CODES.has(code)) return new AnswerLostError(message, hint)
  return new ClusterError(message, hint)
}
