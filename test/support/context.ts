// What the request handlers share: the request context and constants of the real server.

import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Fault} from './faults.js'
import type {Accept} from './http-helpers.js'
import type {Faults} from './faults.js'
import type {ApiServerOptions} from './options.js'
import type {Registry} from './registry.js'
import type {Store} from './store.js'
import type {Watches} from './watch.js'

/** The server, as the handlers in reads.ts, writes.ts, deletes.ts and responses.ts use it. */
export interface Core {
  readonly opts: ApiServerOptions
  readonly store: Store
  readonly registry: Registry
  readonly faults: Faults
  readonly watches: Watches
  /** The page number each continue token leads to (pageDelays are per page). */
  readonly tokenPages: Map<string, number>
  /** Delay before the n-th page of a list, in ms (pageDelayMs; streaming tests). */
  readonly pageDelays: Map<number, number>
}

export const GZIP_THRESHOLD = 128 * 1024
export const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io'
export const CORE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]
export const CR_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
]
export const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'

export interface User {
  name: string
  groups: string[]
}

export interface Ctx {
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

export interface ReqInfo {
  group: string
  version: string
  namespace: string
  resource: string
  name: string
  subresource: string
  verb: string
}
