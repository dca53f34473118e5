import http from 'node:http'
import https from 'node:https'
import {StringDecoder} from 'node:string_decoder'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'
import {ClusterError} from '../core/errors.js'
import type {StreamRequest} from './client.js'
import {statusError} from './client.js'
import {formatBytes} from './text.js'
import {TransportError} from './transport.js'
import type {KubeObject} from './types.js'

/** One event of a watch as the API sends it (k8s.io/apimachinery/pkg/apis/meta/v1 WatchEvent). */
export interface RawWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: KubeObject & {code?: number; reason?: string; message?: string}
}

/** Error answers are read only this far before they become an ApiError. */
const ERROR_KEEP = 256 * 1024

/**
 * The events of one watch request, one JSON document per line, as they arrive. Ends when the server ends the
 * answer (its timeoutSeconds) or `signal` aborts; a dropped connection is a TransportError (ECONNRESET), an error
 * answer an ApiError. `maxEventBytes` bounds each event (--max-response-size), not the whole endless stream.
 */
export async function* watchEvents(
  x: StreamRequest,
  maxEventBytes: number,
  signal: AbortSignal,
): AsyncGenerator<RawWatchEvent> {
  if (signal.aborted) return
  const request = (x.https ? https : http).request({
    protocol: x.https ? 'https:' : 'http:',
    hostname: x.hostname,
    port: x.port,
    path: x.path,
    method: 'GET',
    headers: x.headers,
    agent: x.agent,
    servername: x.servername,
  })
  const onAbort = () => request.destroy()
  signal.addEventListener('abort', onAbort, {once: true})
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      request.on('response', resolve)
      request.on('error', (e) => reject(new TransportError(e.message, (e as NodeJS.ErrnoException).code ?? '')))
      request.end()
    })
    const status = res.statusCode ?? 0
    const body = decoded(res)
    if (status < 200 || status >= 300) {
      const text = await readSome(body)
      if (status === 401) x.onUnauthorized()
      throw statusError(status, text, Buffer.byteLength(text), String(res.headers['retry-after'] ?? ''))
    }
    yield* lines(body, res, maxEventBytes, signal)
  } catch (error) {
    if (signal.aborted) return
    throw error
  } finally {
    signal.removeEventListener('abort', onAbort)
    request.destroy()
  }
}

async function* lines(
  body: Readable,
  res: http.IncomingMessage,
  maxEventBytes: number,
  signal: AbortSignal,
): AsyncGenerator<RawWatchEvent> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let pendingBytes = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      pending += decoder.write(chunk)
      pendingBytes += chunk.length
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        pendingBytes = Buffer.byteLength(pending)
        if (line.trim() !== '') yield parseEvent(line)
      }
      if (pendingBytes > maxEventBytes)
        throw new TransportError(`a watch event is larger than ${formatBytes(maxEventBytes)}`, 'XCTL_TOO_LARGE')
    }
  } catch (error) {
    if (signal.aborted || error instanceof TransportError || error instanceof ClusterError) throw error
    throw new TransportError(`the watch connection broke (${(error as Error).message})`, 'ECONNRESET')
  }
  if (!res.complete && !signal.aborted)
    throw new TransportError('the server closed the watch connection mid-stream', 'ECONNRESET')
  if (pending.trim() !== '') yield parseEvent(pending)
}

function parseEvent(line: string): RawWatchEvent {
  let event: RawWatchEvent
  try {
    event = JSON.parse(line)
  } catch {
    throw new ClusterError(`the server sent a watch event that is not JSON: ${line.slice(0, 120)}`)
  }
  if (!event || typeof event.type !== 'string' || !event.object || typeof event.object !== 'object')
    throw new ClusterError(`the server sent a watch event without type and object: ${line.slice(0, 120)}`)
  event.object.metadata ??= {}
  return event
}

function decoded(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase()
  if (encoding !== 'gzip' && encoding !== 'x-gzip') return res
  const gunzip = createGunzip()
  res.on('error', (e) => gunzip.destroy(e))
  return res.pipe(gunzip)
}

async function readSome(body: Readable): Promise<string> {
  let text = ''
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8')
      if (text.length >= ERROR_KEEP) break
    }
  } catch {
    // what arrived is enough for the message
  }
  return text
}
