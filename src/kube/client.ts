import http from 'node:http'
import https from 'node:https'
import {readFileSync} from 'node:fs'
import {ApiError, ClusterError, XctlError} from '../cli/errors.js'
import type {ConnectionConfig} from './kubeconfig.js'
import type {Credential} from './exec.js'
import type {KubeObject, KubeList} from './types.js'

export interface ClientOptions {
  debug?: (line: string) => void
  /** Per-request bound in milliseconds (0 = none); a stalled server must never hang a CI job. */
  requestTimeoutMs?: number
  userAgent?: string
  /** Attempts for idempotent requests (GET) on 429, 5xx and dropped connections. */
  maxAttempts?: number
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
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
const RETRY_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'XCTL_TIMEOUT'])

/** A small Kubernetes REST client: kubeconfig auth, Status errors like kubectl, retries and paged lists. */
export class KubeClient {
  private agent?: http.Agent
  private readonly isHttps: boolean
  private credential?: Promise<Credential>

  constructor(
    readonly conn: ConnectionConfig,
    private readonly opts: ClientOptions = {},
  ) {
    this.isHttps = conn.server.startsWith('https:')
  }

  close(): void {
    this.agent?.destroy()
  }

  // One keep-alive agent per client; the client certificate (static or from an exec plugin) is part of it.
  private agentFor(cert?: Buffer, key?: Buffer): http.Agent {
    if (this.agent) return this.agent
    const c = this.conn
    this.agent = this.isHttps
      ? new https.Agent({keepAlive: true, ca: c.ca, cert, key, rejectUnauthorized: !c.insecureSkipTLSVerify, servername: c.tlsServerName})
      : new http.Agent({keepAlive: true})
    return this.agent
  }

  get server(): string {
    return this.conn.server
  }

  async get<T = KubeObject>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, {query})
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const retry = options.retry ?? method === 'GET'
    const attempts = retry ? (this.opts.maxAttempts ?? 4) : 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, options)
      } catch (error) {
        const wait = attempt < attempts ? retryDelay(error, attempt) : undefined
        if (wait === undefined) throw toUserError(error, this.conn.server)
        this.opts.debug?.(`retrying ${method} ${path} in ${wait} ms (attempt ${attempt + 1} of ${attempts}): ${describe(error)}`)
        await new Promise((r) => setTimeout(r, wait))
      }
    }
  }

  /**
   * Pages of a list, fetched `limit` at a time; the next page is requested while the caller handles this one.
   * An expired continue token (410) restarts the list once, skipping what was already yielded (lists come in key order).
   */
  async *list(path: string, options: ListOptions = {}): AsyncGenerator<KubeObject[]> {
    const limit = options.limit ?? 500
    let lastKey: string | undefined
    let restarted = false
    const fetchPage = (token?: string) => {
      const p = this.get<KubeList>(path, {limit, continue: token, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector})
      p.catch(() => {}) // awaited below; this only stops an unhandled rejection if the caller stops early
      return p
    }
    let next: Promise<KubeList> | undefined = fetchPage()
    while (next) {
      let page: KubeList
      try {
        page = await next
      } catch (error) {
        if (error instanceof ApiError && error.status === 410 && !restarted) {
          restarted = true
          this.opts.debug?.(`list ${path}: continue token expired (410), restarting the list after ${lastKey ?? 'the start'}`)
          next = fetchPage()
          continue
        }
        throw error
      }
      const token = page.metadata?.continue
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

  private async authHeaders(): Promise<{headers: Record<string, string>; cert?: Buffer; key?: Buffer}> {
    const c = this.conn
    const headers: Record<string, string> = {}
    let cert = c.clientCert
    let key = c.clientKey
    let token = c.token ?? (c.tokenFile ? readTokenFile(c.tokenFile) : undefined)
    if (!token && c.exec) {
      const {execCredential} = await import('./exec.js')
      this.credential ??= execCredential(c.exec, c.server)
      const cred = await this.credential
      if (cred.expiresAt && cred.expiresAt <= Date.now()) {
        this.credential = execCredential(c.exec, c.server)
      }
      const fresh = await this.credential
      token = fresh.token
      cert = fresh.clientCert ?? cert
      key = fresh.clientKey ?? key
    }
    if (!token && c.authProvider) token = await authProviderToken(c)
    if (token) {
      // Like kubectl: a bearer token is only ever sent over TLS.
      if (this.isHttps) headers.authorization = `Bearer ${token}`
      else this.opts.debug?.('not sending the bearer token: the server is plain http')
    } else if (c.username && c.password && this.isHttps) {
      headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
    }
    return {headers, cert, key}
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const url = new URL(this.conn.server + path)
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
    }
    const auth = await this.authHeaders()
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      'user-agent': this.opts.userAgent ?? 'xctl',
      ...auth.headers,
    }
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json'
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const started = Date.now()
    const transport = this.isHttps ? https : http
    const timeoutMs = this.opts.requestTimeoutMs ?? 0
    return new Promise<T>((resolvePromise, reject) => {
      const req = transport.request(
        url,
        {method, headers, agent: this.agentFor(auth.cert, auth.key)},
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('aborted', () => reject(Object.assign(new Error('the server closed the connection mid-response'), {code: 'ECONNRESET'})))
          res.on('end', () => {
            if (!res.complete) return reject(Object.assign(new Error('the server closed the connection mid-response'), {code: 'ECONNRESET'}))
            const text = Buffer.concat(chunks).toString('utf8')
            const status = res.statusCode ?? 0
            this.opts.debug?.(`${method} ${url.pathname}${url.search} ${status} ${Date.now() - started}ms`)
            if (status >= 200 && status < 300) {
              try {
                resolvePromise((text === '' ? {} : JSON.parse(text)) as T)
              } catch {
                reject(new ClusterError(`the server at ${this.conn.server} answered ${method} ${url.pathname} with a body that is not JSON`))
              }
              return
            }
            reject(statusError(status, text, res.headers['retry-after']))
          })
        },
      )
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          req.destroy(Object.assign(new Error(`no answer from the server within ${timeoutMs / 1000}s`), {code: 'XCTL_TIMEOUT'}))
        })
      }
      req.on('error', reject)
      if (body !== undefined) req.write(body)
      req.end()
    })
  }
}

export function objectKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`
}

function readTokenFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    throw new ClusterError(`cannot read the token file ${path} named in the kubeconfig: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
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

function statusError(status: number, text: string, retryAfter?: string): ApiError {
  let reason = httpReason(status)
  let message = text.trim() || `the server answered ${status}`
  let details: ApiError['details']
  try {
    const body = JSON.parse(text)
    if (body && body.kind === 'Status') {
      reason = body.reason || reason
      message = body.message || message
      details = body.details
    }
  } catch {
    // not a Status body: keep the raw text
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
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
    410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
  }
  return reasons[status] ?? (http.STATUS_CODES[status] ?? 'Unknown').replace(/\s+/g, '')
}

function retryDelay(error: unknown, attempt: number): number | undefined {
  const base = Math.min(4000, 250 * 2 ** (attempt - 1))
  const jittered = Math.round(base / 2 + Math.random() * base / 2)
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
function toUserError(error: unknown, server: string): Error {
  if (error instanceof XctlError) return error
  const e = error as NodeJS.ErrnoException
  const code = e?.code ?? ''
  if (code === 'ECONNREFUSED') return new ClusterError(`The connection to the server ${server} was refused - did you specify the right host or port?`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ClusterError(`Unable to connect to the server ${server}: cannot resolve the host name`, 'check the server address in the kubeconfig')
  if (code === 'XCTL_TIMEOUT') return new ClusterError(`Unable to connect to the server ${server}: ${e.message}`, 'raise --request-timeout, or check that the API server is healthy')
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO/.test(code)) {
    return new ClusterError(`Unable to connect to the server ${server}: TLS verification failed (${e.message})`, 'check certificate-authority-data in the kubeconfig matches the cluster')
  }
  return new ClusterError(`Unable to connect to the server ${server}: ${e?.message ?? String(error)}`)
}
