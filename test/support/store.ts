// In-memory "etcd": buckets of objects keyed like etcd keys ("ns/name" or "name"), a global
// resourceVersion counter, and a compaction mark used to expire continue tokens.
// Each entry keeps its serialized JSON so list pages are built by string concatenation.

import {canonical, encode, orderMeta, withoutTypeMeta} from './serialize.js'

export interface Entry {
  key: string
  /** Stored object (storage apiVersion). Never mutated in place: writes replace the entry. */
  obj: Record<string, any>
  rv: number
  builtin: boolean
  /** Item JSON: built-ins without kind/apiVersion, custom resources with them. */
  itemJson: string
  metaJson?: string
}

export function makeEntry(key: string, obj: Record<string, any>, rv: number, builtin: boolean): Entry {
  const c = canonical(obj, builtin)
  return {key, obj: c, rv, builtin, itemJson: encode(builtin ? withoutTypeMeta(c) : c)}
}

/** ObjectMeta JSON in struct order (PartialObjectMetadata in tables). */
export function metaJson(e: Entry): string {
  if (e.metaJson === undefined) e.metaJson = encode(orderMeta(e.obj.metadata ?? {}))
  return e.metaJson
}

export class Bucket {
  readonly entries = new Map<string, Entry>()
  private sorted: string[] = []
  private dirty = false

  /** Keys in etcd (byte) order. */
  keys(): string[] {
    if (this.dirty) {
      this.sorted = [...this.entries.keys()].sort(cmp)
      this.dirty = false
    }
    return this.sorted
  }

  set(e: Entry, bulk = false): void {
    const isNew = !this.entries.has(e.key)
    this.entries.set(e.key, e)
    if (!isNew) return
    if (bulk || this.dirty) {
      this.dirty = true
      return
    }
    this.sorted.splice(lowerBound(this.sorted, e.key), 0, e.key)
  }

  delete(key: string): boolean {
    if (!this.entries.delete(key)) return false
    if (!this.dirty) {
      const i = lowerBound(this.sorted, key)
      if (this.sorted[i] === key) this.sorted.splice(i, 1)
    }
    return true
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** First index whose key is >= k. */
export function lowerBound(keys: string[], k: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < k) lo = mid + 1
    else hi = mid
  }
  return lo
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'
export type WatchListener = (storage: string, type: WatchEventType, entry: Entry) => void

interface HistoryEvent {
  storage: string
  type: WatchEventType
  entry: Entry
}

/** Events kept for watches that resume from a resourceVersion (the watch cache's window). */
const HISTORY = 10_000

export class Store {
  /** Last resourceVersion handed out (etcd revision). */
  rv = 0
  /** Reads at a revision below this fail as compacted. */
  compactedBelow = 0
  private readonly buckets = new Map<string, Bucket>()
  private readonly listeners = new Set<WatchListener>()
  private history: HistoryEvent[] = []
  /** Revisions at or below this are no longer in the history. */
  private historyFloor = 0

  bucket(storage: string): Bucket {
    let b = this.buckets.get(storage)
    if (!b) {
      b = new Bucket()
      this.buckets.set(storage, b)
    }
    return b
  }

  nextRV(): number {
    return ++this.rv
  }

  get(storage: string, key: string): Entry | undefined {
    return this.buckets.get(storage)?.entries.get(key)
  }

  put(storage: string, e: Entry, bulk = false): void {
    const existed = this.bucket(storage).entries.has(e.key)
    this.bucket(storage).set(e, bulk)
    this.emit(storage, existed ? 'MODIFIED' : 'ADDED', e, bulk)
  }

  remove(storage: string, key: string, rv: number): Entry | undefined {
    const b = this.buckets.get(storage)
    const e = b?.entries.get(key)
    if (!b || !e) return undefined
    b.delete(key)
    // a DELETED event carries the object at the deletion's revision
    const gone: Entry = {...e, rv, obj: {...e.obj, metadata: {...e.obj.metadata, resourceVersion: String(rv)}}}
    gone.itemJson = makeEntry(e.key, gone.obj, rv, e.builtin).itemJson
    this.emit(storage, 'DELETED', gone)
    return e
  }

  /** Compacts history: every revision so far becomes unreadable (continue tokens expire). */
  compact(): void {
    this.compactedBelow = this.nextRV()
  }

  subscribe(l: WatchListener): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  /** Events after `rv` for a bucket, or undefined when `rv` is older than what is kept. */
  eventsSince(storage: string, rv: number): HistoryEvent[] | undefined {
    if (rv < this.historyFloor || rv < this.compactedBelow - 1) return undefined
    return this.history.filter((h) => h.storage === storage && h.entry.rv > rv)
  }

  /** The oldest resourceVersion a watch can still resume from. */
  oldestWatchable(): number {
    return Math.max(this.historyFloor, this.compactedBelow - 1)
  }

  private emit(storage: string, type: WatchEventType, e: Entry, bulk = false): void {
    if (!bulk) {
      this.history.push({storage, type, entry: e})
      if (this.history.length > HISTORY * 1.5) {
        const dropped = this.history.splice(0, this.history.length - HISTORY)
        this.historyFloor = dropped[dropped.length - 1]!.entry.rv
      }
    } else {
      // bulk loads are state seeding, not watchable history
      this.historyFloor = e.rv
    }
    for (const l of this.listeners) l(storage, type, e)
  }
}
