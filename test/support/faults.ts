// Fault injection: canned failures, delays and dropped connections for chosen requests.

export interface FaultSpec {
  /** HTTP method to match (any if unset). */
  method?: string | undefined
  /** Tested against the path and against path+query (any if unset). */
  pathPattern?: RegExp | undefined
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number | undefined
  /** Answer with this status instead of serving the request. */
  status?: number | undefined
  /**
   * JSON body for `status`. Default: the real server's answer for that code (a Status; for 410 on a
   * continue request the inconsistent-continue Expired with its rv -1 token; for 429 the plain text of
   * API Priority and Fairness).
   */
  body?: object | undefined
  /** Seconds for a Retry-After header. */
  retryAfter?: number | undefined
  /** Wait this long before answering (alone: then serve the request normally). */
  delayMs?: number | undefined
  /** Close the connection before any header, or after half of the body. */
  dropConnection?: 'before-headers' | 'mid-body' | undefined
}

export interface Fault extends FaultSpec {
  /** Requests this fault has been applied to. */
  hits: number
  remove(): void
}

export class Faults {
  private list: Fault[] = []
  private conflicts = 0

  add(spec: FaultSpec): Fault {
    const f: Fault = {
      ...spec,
      hits: 0,
      remove: () => {
        this.list = this.list.filter((x) => x !== f)
      },
    }
    this.list.push(f)
    return f
  }

  clear(): void {
    this.list = []
    this.conflicts = 0
  }

  /** The next n updates (PUT, and PATCH of an existing object) fail with the real 409 Conflict. */
  conflictNextUpdates(n: number): void {
    this.conflicts += n
  }

  /** @internal consumes one pending injected conflict. */
  takeConflict(): boolean {
    if (this.conflicts <= 0) return false
    this.conflicts--
    return true
  }

  /** @internal finds (and counts) the fault for a request. */
  match(method: string, path: string, pathAndQuery: string): Fault | undefined {
    for (const f of this.list) {
      if (f.method && f.method.toUpperCase() !== method) continue
      if (f.pathPattern) {
        f.pathPattern.lastIndex = 0
        const hit = f.pathPattern.test(path) || ((f.pathPattern.lastIndex = 0), f.pathPattern.test(pathAndQuery))
        if (!hit) continue
      }
      f.hits++
      if (f.hits >= (f.times ?? 1)) f.remove()
      return f
    }
    return undefined
  }
}
