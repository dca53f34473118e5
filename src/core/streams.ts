import {AsyncLocalStorage} from 'node:async_hooks'

/** Bytes or text read a chunk at a time: process.stdin, a Readable, or a test's chunks in an array. */
export type InputStream = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

/** A stream written to; `isTTY` and `columns` say whether it is a terminal, as process.stdout does. */
export interface OutputStream {
  write(chunk: string): boolean
  once(event: 'drain', listener: () => void): unknown
  isTTY?: boolean
  columns?: number
}

/**
 * Where one command run reads and writes, as kubectl's IOStreams (k8s.io/cli-runtime/pkg/genericiooptions) and
 * oclif's `this.log`: the process's streams by default, a test's buffers when a test runs the CLI in-process.
 */
export interface IOStreams {
  in: InputStream
  out: OutputStream
  err: OutputStream
}

/** One run of the CLI: its streams, environment, working directory and the exit code it ends with. */
export interface Invocation {
  streams: IOStreams
  env: NodeJS.ProcessEnv
  cwd: string
  exitCode: number
}

function processStreams(): IOStreams {
  return {
    // Read when first used: creating process.stdin sets up a pipe or terminal stream (~1.8 ms); only `-f -` reads it.
    get in() {
      return process.stdin
    },
    out: process.stdout,
    err: process.stderr,
  }
}

/** The invocation of a real process: its stdin, stdout, stderr, environment and working directory. */
export function processInvocation(): Invocation {
  return {streams: processStreams(), env: process.env, cwd: process.cwd(), exitCode: 0}
}

// One store per process, shared by every copy of this module (the esbuild bundle of the entry and the compiled
// modules oclif loads the commands from are two copies).
const STORE_KEY = Symbol.for('xctl.invocation')
const globals = globalThis as {[STORE_KEY]?: AsyncLocalStorage<Invocation>}
const store = (globals[STORE_KEY] ??= new AsyncLocalStorage<Invocation>())
// The process's own run, also one per process for the same reason.
const PROCESS_KEY = Symbol.for('xctl.processInvocation')
const processGlobals = globalThis as {[PROCESS_KEY]?: Invocation}

/** The run this code is part of: the one given to withInvocation, else the process's own. */
export function currentInvocation(): Invocation {
  return store.getStore() ?? (processGlobals[PROCESS_KEY] ??= processInvocation())
}

/** Runs `fn` as part of `invocation`: everything it awaits sees it through currentInvocation(). */
export function withInvocation<T>(invocation: Invocation, fn: () => Promise<T>): Promise<T> {
  return store.run(invocation, fn)
}

/**
 * Runs `fn` as the process's own run (one per process), which currentInvocation() then answers without
 * AsyncLocalStorage: its first run() makes Node 20 call a hook on every promise created from then on.
 */
export function asProcessInvocation<T>(invocation: Invocation, fn: () => Promise<T>): Promise<T> {
  processGlobals[PROCESS_KEY] = invocation
  return fn()
}

/**
 * The most text handed to a stream at once. Node copies what a pipe cannot take at once into a native buffer
 * (StreamBase::WriteString, src/stream_base.cc in nodejs/node; 3 bytes per character reserved for UTF-8), so a
 * page of output written whole (~5 MB at 500 pods of -o json) is held twice until a slow reader takes it; in
 * pieces it is held once, and the wait for 'drain' comes after each piece rather than after the page.
 */
export const WRITE_PIECE_CHARS = 64 * 1024

/** Writes to a stream a piece at a time, waiting when it is full so memory stays flat on huge outputs. */
export async function writeTo(stream: OutputStream, chunk: string): Promise<void> {
  for (let start = 0; start < chunk.length;) {
    let end = Math.min(start + WRITE_PIECE_CHARS, chunk.length)
    // A piece never ends between the two halves of a surrogate pair (each half alone is not valid UTF-8).
    if (end < chunk.length && isHighSurrogate(chunk.charCodeAt(end - 1))) end--
    const piece = start === 0 && end === chunk.length ? chunk : chunk.slice(start, end)
    if (!stream.write(piece)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()))
    start = end
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}
