// Responses: JSON/YAML/pretty negotiation, gzip, paced writes, injected faults.

import {randomUUID} from 'node:crypto'
import {gzip} from 'node:zlib'
import YAML from 'yaml'
import type {Fault} from './faults.js'
import {acceptsGzip, decodeContinue, encodeContinue, writePaced} from './http-helpers.js'
import {encode} from './serialize.js'
import {ApiError, expired, internalError, notAcceptable} from './status.js'
import {type Core, GZIP_THRESHOLD, INCONSISTENT_CONTINUE, type Ctx} from './context.js'

export function sendFault(s: Core, ctx: Ctx, f: Fault): void {
  const headers: Record<string, string> = {}
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter)
  if (f.body) return sendJson(s, ctx, f.status!, encode(f.body), 'application/json', headers)
  if (f.status === 429) {
    // API Priority and Fairness answers in plain text
    return sendText(s, ctx, 429, 'Too many requests, please try again later.\n', headers)
  }
  const canned: Record<number, ApiError> = {
    500: internalError('injected fault'),
    503: new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
    504: new ApiError(
      504,
      'Timeout',
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    ),
    409: new ApiError(409, 'Conflict', 'the server reported a conflict'),
    410: expiredFor(s, ctx),
  }
  const err = canned[f.status!] ?? new ApiError(f.status!, '', `injected fault ${f.status}`)
  sendJson(s, ctx, err.code, encode(err.toStatus()), 'application/json', headers)
}

/** The 410 a real server gives this request: the inconsistent-continue answer for a continue request. */
export function expiredFor(s: Core, ctx: Ctx): ApiError {
  const cont = ctx.query.get('continue')
  if (cont) {
    try {
      return expired(INCONSISTENT_CONTINUE, encodeContinue(decodeContinue(cont).start, -1))
    } catch {
      // not a token we can read: fall through to the plain answer
    }
  }
  return expired('The resourceVersion for the provided list is too old.')
}

export function sendStatus(s: Core, ctx: Ctx, err: ApiError): void {
  sendJson(s, ctx, err.code, encode(err.toStatus()), 'application/json', err.headers)
}

export function sendText(s: Core, ctx: Ctx, code: number, text: string, headers: Record<string, string> = {}): void {
  writeBody(s, ctx, code, Buffer.from(text), {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
}

export function sendJson(
  s: Core,
  ctx: Ctx,
  code: number,
  json: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  if (ctx.accept.unacceptable && code < 300) throw notAcceptable(['application/json', 'application/yaml'])
  let body = json
  let ct = contentType
  if (ctx.accept.yaml && contentType === 'application/json') {
    body = YAML.stringify(JSON.parse(json))
    ct = 'application/yaml'
  } else if (isPretty(ctx)) {
    body = encode(JSON.parse(json), 2)
  }
  writeBody(s, ctx, code, Buffer.from(body + '\n'), {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'Content-Type': ct,
    ...headers,
  })
}

export function writeBody(s: Core, ctx: Ctx, code: number, buf: Buffer, headers: Record<string, string>): void {
  const {res, req} = ctx
  const finish = (payload: Buffer, extra: Record<string, string>) => {
    if (res.destroyed) return
    const all = {...headers, ...extra, 'Content-Length': String(payload.length)}
    if (ctx.fault?.dropConnection === 'mid-body') {
      res.writeHead(code, all)
      res.write(payload.subarray(0, Math.max(1, payload.length >> 1)), () => req.socket.destroy())
      return
    }
    res.writeHead(code, all)
    if (s.opts.bandwidthBytesPerSecond) writePaced(res, payload, s.opts.bandwidthBytesPerSecond)
    else res.end(payload)
  }
  const wantsGzip = (s.opts.compression ?? true) && acceptsGzip(req.headers['accept-encoding'])
  // As kube-apiserver: only a body over (not at) the threshold is compressed.
  if (wantsGzip && buf.length > GZIP_THRESHOLD) {
    gzip(buf, {level: 1}, (err, z) =>
      err ? finish(buf, {}) : finish(z, {'Content-Encoding': 'gzip', Vary: 'Accept-Encoding'}),
    )
  } else {
    finish(buf, {})
  }
}

function isPretty(ctx: Ctx): boolean {
  const p = ctx.query.get('pretty')
  if (p !== null && p !== '') return p === 'true' || p === '1' || p === 'True' || p === 'TRUE' || p === 't' || p === 'T'
  const ua = String(ctx.req.headers['user-agent'] ?? '')
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0')
}
