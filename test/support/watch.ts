// Watch requests: `?watch=true` streams one JSON event per line, as kube-apiserver's JSON watch encoder does
// (k8s.io/apiserver/pkg/endpoints/handlers/watch.go). Resuming from a resourceVersion replays the store's history
// (the watch cache's window); a version older than that gets an ERROR event with a 410 Expired Status.

import {randomUUID} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'

import {apiVersionOf, type ResourceInfo} from './resources.js'
import {encode} from './serialize.js'
import {expired} from './status.js'
import type {Entry, Store, WatchEventType} from './store.js'

/** What a watch needs from the server: filtering and the JSON of objects as a list or table shows them. */
export interface WatchContext {
  req: IncomingMessage
  res: ServerResponse
  query: URLSearchParams
  ri: ResourceInfo
  namespace: string
  matches: (e: Entry) => boolean
  /** The event's object: the full object, or a one-row Table when the client asked for tables. */
  objectJson: (e: Entry) => string
}

interface OpenWatch {
  res: ServerResponse
  ri: ResourceInfo
  bookmarks: boolean
  end: () => void
}

/** kube-apiserver's default --min-request-timeout (1800s); a watch without timeoutSeconds ends within it. */
const DEFAULT_TIMEOUT_SECONDS = 1800

export class Watches {
  private readonly open = new Set<OpenWatch>()

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
  ) {}

  get count(): number {
    return this.open.size
  }

  /** Sends a BOOKMARK (the current resourceVersion) on every open watch that allowed them. */
  bookmark(): void {
    for (const w of this.open) if (w.bookmarks) writeBookmark(w.res, w.ri, this.store.rv)
  }

  /** Ends every open watch (the server is closing): no timer or subscription outlives it. */
  closeAll(): void {
    for (const w of this.open) w.end()
  }

  /** Closes every open watch's connection without ending the response: what a dropped link looks like. */
  drop(): void {
    for (const w of this.open) {
      w.res.socket?.destroy()
      w.end()
    }
  }

  /**
   * Ends every open watch with the ERROR event a real server sends when the watch cache can no longer serve it
   * (410 Expired), and compacts the store so that resuming from any version seen so far is refused too.
   */
  expire(): void {
    const rv = this.store.rv
    // compacted past the current version: a client resuming from anything it has seen must list again
    this.store.nextRV()
    this.store.compact()
    for (const w of this.open) {
      const msg = `too old resource version: ${rv} (${this.store.oldestWatchable()})`
      w.res.write(`{"type":"ERROR","object":${encode(expired(msg).toStatus())}}\n`)
      w.end()
    }
  }

  /** Serves one watch request until timeoutSeconds, the client leaving, or drop()/expire(). */
  serve(ctx: WatchContext): Promise<void> {
    const {res, query} = ctx
    const rvParam = query.get('resourceVersion') ?? ''
    const timeout = Number(query.get('timeoutSeconds') ?? '') || DEFAULT_TIMEOUT_SECONDS
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Audit-Id': randomUUID(),
      'Transfer-Encoding': 'chunked',
    })
    res.flushHeaders() // clients wait for the headers before they read events
    const inScope = (e: Entry) => (!ctx.namespace || e.obj.metadata?.namespace === ctx.namespace) && ctx.matches(e)
    const write = (type: WatchEventType, e: Entry) => res.write(`{"type":"${type}","object":${ctx.objectJson(e)}}\n`)
    if (rvParam === '' || rvParam === '0') {
      // no resourceVersion: synthetic ADDED events for the current state first
      const b = this.store.bucket(ctx.ri.storage)
      for (const k of b.keys()) {
        const e = b.entries.get(k)!
        if (inScope(e)) write('ADDED', e)
      }
    } else {
      const since = this.store.eventsSince(ctx.ri.storage, Number(rvParam))
      if (!since) {
        const msg = `too old resource version: ${rvParam} (${this.store.oldestWatchable()})`
        res.end(`{"type":"ERROR","object":${encode(expired(msg).toStatus())}}\n`)
        return Promise.resolve()
      }
      for (const h of since) if (inScope(h.entry)) write(h.type, h.entry)
    }
    return new Promise<void>((resolve) => {
      const unsubscribe = this.store.subscribe((storage, type, e) => {
        if (storage === ctx.ri.storage && inScope(e)) write(type, e)
      })
      const bookmarks = query.get('allowWatchBookmarks') === 'true'
      const ticker = bookmarks
        ? setInterval(() => writeBookmark(res, ctx.ri, this.store.rv), this.bookmarkIntervalMs)
        : undefined
      const w: OpenWatch = {res, ri: ctx.ri, bookmarks, end: () => done()}
      const done = () => {
        if (!this.open.delete(w)) return
        clearTimeout(timer)
        clearInterval(ticker)
        unsubscribe()
        if (!res.writableEnded) res.end()
        resolve()
      }
      this.open.add(w)
      const timer = setTimeout(() => {
        // the real server sends a last bookmark as the watch times out, so the client resumes from there
        if (bookmarks) writeBookmark(res, ctx.ri, this.store.rv)
        done()
      }, timeout * 1000)
      // A client that went away while the watch was being set up has no 'close' left to send: end it now, or its
      // timers would keep the server's process alive for the whole timeoutSeconds.
      if (res.destroyed || ctx.req.socket.destroyed) done()
      else res.once('close', done)
    })
  }
}

/** A BOOKMARK carries only the kind and the resourceVersion the client has now seen everything up to. */
function writeBookmark(res: ServerResponse, ri: ResourceInfo, rv: number): void {
  if (res.writableEnded) return
  const object = {kind: ri.kind, apiVersion: apiVersionOf(ri), metadata: {resourceVersion: String(rv)}}
  res.write(`{"type":"BOOKMARK","object":${encode(object)}}\n`)
}
