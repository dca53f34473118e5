import {ApiError, ClusterError} from '../core/errors.js'
import {toUserError, type KubeClient} from './client.js'
import type {KubeObject} from './types.js'
import {watchEvents, type RawWatchEvent} from './watch-stream.js'

/**
 * What a list-then-watch yields (client-go's reflector, k8s.io/client-go/tools/cache/reflector.go): the pages of
 * a list (`relist` when it replaces what came before, after a 410), SYNCED when a list is complete, then each
 * change. BOOKMARKs only move the resume point and are not yielded.
 */
export type InformerEvent =
  | {type: 'PAGE'; objects: KubeObject[]; relist: boolean}
  | {type: 'SYNCED'; relist: boolean}
  | {type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject}

export interface ListWatchOptions {
  labelSelector?: string
  fieldSelector?: string
  /** Objects per list page (kubectl's --chunk-size; 0 = one page). */
  chunkSize?: number
  /** Aborting it ends the watch quietly (Ctrl-C, or kubectl's --request-timeout on a watch). */
  signal: AbortSignal
  debug?: (line: string) => void
}

/** The reflector's watch timeout: a random 5 to 10 minutes, so that many clients do not reconnect together. */
const MIN_WATCH_TIMEOUT_S = 300
/** Waits between failed reconnects double from this, up to MAX_BACKOFF_MS (the reflector: 800 ms to 30 s). */
const FIRST_BACKOFF_MS = 800
const MAX_BACKOFF_MS = 30_000
/** Reconnects that fail in a row before the watch gives up (about 3 minutes of a cluster gone). */
const MAX_FAILURES = 10

class Gone extends Error {}

/**
 * Lists `path`, then watches it from the list's resourceVersion for as long as `signal` allows. A watch the server
 * ends (its timeout) or a dropped connection resumes from the last resourceVersion seen; a 410 (the version is
 * too old for the server's watch cache) lists again. Failures that retrying cannot fix end it with the usual error.
 */
export async function* listAndWatch(
  client: KubeClient,
  path: string,
  options: ListWatchOptions,
): AsyncGenerator<InformerEvent> {
  const {signal, debug} = options
  let resourceVersion = yield* list(client, path, options, false)
  let failures = 0
  while (!signal.aborted) {
    try {
      const request = await client.streamRequest(path, {
        watch: 1,
        resourceVersion,
        allowWatchBookmarks: 'true',
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        timeoutSeconds: Math.floor(MIN_WATCH_TIMEOUT_S * (1 + Math.random())),
      })
      debug?.(`GET ${request.path} (watch)`)
      for await (const event of watchEvents(request, client.maxResponseBytes, signal)) {
        failures = 0
        if (event.type === 'ERROR') throw watchError(event, client.server)
        resourceVersion = event.object.metadata.resourceVersion || resourceVersion
        if (event.type === 'BOOKMARK') continue
        yield {type: event.type, object: withType(event.object, path)}
      }
      debug?.(`watch ${path}: the server ended the watch; resuming from resourceVersion ${resourceVersion}`)
    } catch (error) {
      if (signal.aborted) return
      if (error instanceof Gone || (error instanceof ApiError && error.status === 410)) {
        debug?.(`watch ${path}: resourceVersion ${resourceVersion} is too old (410); listing again`)
        resourceVersion = yield* list(client, path, options, true)
        continue
      }
      if (!retriable(error) || ++failures >= MAX_FAILURES) throw toUserError(error, client.server, 'GET')
      const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1))
      debug?.(`watch ${path}: ${(error as Error).message}; reconnecting in ${wait} ms`)
      await pause(wait, signal)
    }
  }
}

async function* list(
  client: KubeClient,
  path: string,
  options: ListWatchOptions,
  relist: boolean,
): AsyncGenerator<InformerEvent, string> {
  const listMeta: {resourceVersion?: string} = {}
  const pages = client.list(path, {
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    limit: options.chunkSize,
    listMeta,
  })
  for await (const objects of pages) yield {type: 'PAGE', objects, relist}
  yield {type: 'SYNCED', relist}
  if (!listMeta.resourceVersion)
    throw new ClusterError(`the server's list of ${path} has no resourceVersion to watch from (from ${client.server})`)
  return listMeta.resourceVersion
}

/** An ERROR event: 410 Expired/Gone means "list again"; anything else is the Status it carries. */
function watchError(event: RawWatchEvent, server: string): Error {
  const status = event.object
  if (status.code === 410) return new Gone()
  if (typeof status.code === 'number' && status.code >= 400)
    return new ApiError(status.code, status.reason || 'Unknown', status.message || 'watch failed')
  return new ClusterError(`the watch ended with an error event the server did not explain (from ${server})`)
}

function retriable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 429 || error.status >= 500
  if (error instanceof ClusterError) return false
  const code = (error as NodeJS.ErrnoException)?.code ?? ''
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code)
}

/** Built-in objects in watch events carry kind and apiVersion already; this is only for odd servers. */
function withType(o: KubeObject, path: string): KubeObject {
  if (!o.apiVersion) {
    const parts = path.split('/')
    o.apiVersion = parts[1] === 'api' ? parts[2] : `${parts[2]}/${parts[3]}`
  }
  return o
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener('abort', done), resolve())
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, {once: true})
  })
}
