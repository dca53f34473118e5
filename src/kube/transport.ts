import http from 'node:http'
import https from 'node:https'
import type * as zlib from 'node:zlib'
import {StringDecoder} from 'node:string_decoder'
import type {Readable} from 'node:stream'
import {formatBytes} from './text.js'

/** One HTTP exchange: a deadline from start to last byte, a ceiling on the decompressed body, gzip as a stream. */
export interface Exchange {
  https: boolean
  hostname: string
  port: string
  /** Already encoded, never normalised: `/x/.` stays `/x/.` (the caller refuses such paths anyway). */
  path: string
  method: string
  headers: Record<string, string>
  body?: string
  agent: http.Agent
  servername?: string
  /** Milliseconds for the whole exchange, connect to last byte (0 = none). */
  timeoutMs: number
  /** The --request-timeout the user gave, for the message. */
  limitMs: number
  /** Ceiling on the decompressed body of a successful answer. */
  maxBytes: number
}

export interface RawAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  /** Decompressed bytes seen; for error answers only the first few KB are kept in `text`. */
  bytes: number
}

/** Error answers are read only this far (a long Status still parses): an error page of megabytes is cut, not kept. */
const ERROR_KEEP = 256 * 1024

export type TransportCode = 'XCTL_TIMEOUT' | 'XCTL_TOO_LARGE' | 'XCTL_BAD_GZIP' | 'XCTL_BAD_ENCODING' | 'ECONNRESET'

export class TransportError extends Error {
  /** The request was fully sent before it failed: a write may have happened. */
  afterSend = false
  constructor(
    message: string,
    readonly code: TransportCode | string,
  ) {
    super(message)
  }
}

export function exchange(x: Exchange): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    let settled = false
    let sent = false
    let answering = false
    const transport = x.https ? https : http
    const request = transport.request({
      protocol: x.https ? 'https:' : 'http:',
      hostname: x.hostname,
      port: x.port,
      path: x.path,
      method: x.method,
      headers: x.headers,
      agent: x.agent,
      servername: x.servername,
    })
    const timer =
      x.timeoutMs > 0
        ? setTimeout(() => fail(new TransportError(timeoutMessage(answering, x.limitMs), 'XCTL_TIMEOUT')), x.timeoutMs)
        : undefined
    function fail(error: Error): void {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      const e =
        error instanceof TransportError
          ? error
          : new TransportError(error.message, (error as NodeJS.ErrnoException).code ?? '')
      e.afterSend = sent
      request.destroy()
      reject(e)
    }
    function done(answer: RawAnswer): void {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      resolve(answer)
    }
    request.on('finish', () => (sent = true))
    request.on('error', fail)
    request.on('response', (res) => {
      answering = true
      readAnswer(res, x, fail, done, () => request.destroy())
    })
    if (x.body !== undefined) request.write(x.body)
    request.end()
  })
}

export function timeoutMessage(answering: boolean, ms: number): string {
  return answering
    ? `the server's answer did not finish within ${ms / 1000}s`
    : `no answer from the server within ${ms / 1000}s`
}

/** The answer's bytes as sent (gunzipped as they stream in), or undefined after failing on an unknown encoding. */
function decodedBody(res: http.IncomingMessage, fail: (e: Error) => void): Readable | undefined {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  if (encoding === '' || encoding === 'identity') return res
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    // zlib is loaded for gzip answers only (Node 20.16+): small answers, such as an empty list, come plain.
    const {createGunzip} = process.getBuiltinModule('node:zlib') as typeof zlib
    const gunzip = createGunzip()
    gunzip.on('error', (e) =>
      fail(new TransportError(`the server's gzip-compressed answer is corrupt (${e.message})`, 'XCTL_BAD_GZIP')),
    )
    return res.pipe(gunzip)
  }
  const what = `the server answered with content-encoding "${encoding.slice(0, 40)}", which xctl does not understand`
  fail(new TransportError(what, 'XCTL_BAD_ENCODING'))
  return undefined
}

function readAnswer(
  res: http.IncomingMessage,
  x: Exchange,
  fail: (e: Error) => void,
  done: (a: RawAnswer) => void,
  stop: () => void,
): void {
  const status = res.statusCode ?? 0
  const ok = status >= 200 && status < 300
  const limit = ok ? x.maxBytes : ERROR_KEEP
  const body = decodedBody(res, fail)
  if (!body) return
  // Each chunk becomes text as it arrives, so its bytes are garbage at once: a page is held as pieces of text,
  // then as the one string JSON.parse reads, never also as a list of buffers and their concatenation.
  const decoder = new StringDecoder('utf8')
  let pieces: string[] = []
  let bytes = 0
  const finish = () => {
    try {
      pieces.push(decoder.end())
      const text = pieces.length === 1 ? pieces[0] : pieces.join('')
      pieces = []
      done({status, headers: res.headers, text, bytes})
    } catch {
      // Only reachable with a ceiling raised past what one JavaScript string can hold (~512 MiB).
      fail(
        new TransportError(
          `the server's answer is larger than this program can hold as text (${formatBytes(bytes)})`,
          'XCTL_TOO_LARGE',
        ),
      )
    }
  }
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes <= limit) return void pieces.push(decoder.write(chunk))
    if (ok)
      return fail(new TransportError(`the server's answer is larger than ${formatBytes(x.maxBytes)}`, 'XCTL_TOO_LARGE'))
    // An error page: keep its beginning, stop reading the rest.
    pieces.push(decoder.write(chunk.subarray(0, Math.max(0, limit - (bytes - chunk.length)))))
    finish()
    stop()
  })
  body.on('end', () =>
    res.complete ? finish() : fail(new TransportError('the server closed the connection mid-response', 'ECONNRESET')),
  )
  res.on('error', (e) =>
    fail(new TransportError(`the server closed the connection mid-response (${e.message})`, 'ECONNRESET')),
  )
  res.on('close', () => {
    if (!res.complete) fail(new TransportError('the server closed the connection mid-response', 'ECONNRESET'))
  })
}
