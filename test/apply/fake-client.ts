// A KubeClient stand-in for the apply room's unit tests: objects kept by path, every request recorded, and 404s
// shaped as the API server sends them (a Status naming the object), so the code under test sees what it would see.
import {ApiError} from '../../src/core/errors.js'
import {AnswerLostError, type KubeClient, type RequestOptions} from '../../src/kube/client.js'
import type {KubeObject} from '../../src/kube/types.js'

export interface RecordedRequest {
  method: string
  path: string
  body?: unknown
  query?: RequestOptions['query']
  contentType?: string
}

export class FakeClient {
  readonly objects = new Map<string, KubeObject>()
  readonly requests: RecordedRequest[] = []
  private version = 1
  /** Answers to give instead of the normal one, by `METHOD path`, each used once. */
  readonly failures = new Map<string, Error[]>()
  /** `METHOD path` of writes that happen but whose answer is lost (a dropped connection after the send). */
  readonly lostAnswers = new Set<string>()

  put(path: string, o: KubeObject): this {
    this.objects.set(path, structuredClone({...o, metadata: {...o.metadata, resourceVersion: String(this.version++)}}))
    return this
  }

  asClient(): KubeClient {
    return this as unknown as KubeClient
  }

  private fail(method: string, path: string): void {
    const error = this.failures.get(`${method} ${path}`)?.shift()
    if (error) throw error
  }

  async get<T = KubeObject>(path: string): Promise<T> {
    this.requests.push({method: 'GET', path})
    this.fail('GET', path)
    const o = this.objects.get(path)
    if (!o) {
      const name = decodeURIComponent(path.split('/').pop() ?? '')
      throw new ApiError(404, 'NotFound', `"${name}" not found`, {name})
    }
    return structuredClone(o) as T
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    this.requests.push({method, path, body: options.body, query: options.query, contentType: options.contentType})
    this.fail(method, path)
    const body = options.body as KubeObject
    if (options.query?.dryRun) return body as T
    if (method === 'POST') this.put(`${path}/${encodeURIComponent(body.metadata.name!)}`, body)
    else if (method === 'PUT') this.put(path, body)
    else if (method === 'DELETE') {
      if (!this.objects.delete(path)) {
        const name = decodeURIComponent(path.split('/').pop() ?? '')
        throw new ApiError(404, 'NotFound', `"${name}" not found`, {name})
      }
    } else if (method === 'PATCH') {
      const now = this.objects.get(path)!
      const labels = {...now.metadata.labels}
      const patch = (body as {metadata: {labels: Record<string, string | null>}}).metadata.labels
      for (const [k, v] of Object.entries(patch))
        if (v === null) delete labels[k]
        else labels[k] = v
      this.put(path, {...now, metadata: {...now.metadata, labels}})
    }
    if (this.lostAnswers.delete(`${method} ${path}`)) throw new AnswerLostError('socket hang up')
    return body as T
  }

  /** The writes sent, as `METHOD path`. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
  }
}
