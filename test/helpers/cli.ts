import {spawn} from 'node:child_process'
import {resolve} from 'node:path'
import {Readable, Writable} from 'node:stream'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {currentInvocation, withInvocation, type Invocation} from '../../src/core/streams.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = `${ROOT}bin/run.js`

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  input?: string
  cwd?: string
  /** Called with each stdout chunk as it arrives (streaming tests). */
  onStdout?: (chunk: string) => void
  bin?: string
  /** Called with the child process once it is started (e.g. to send it a signal); implies spawned. */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
  /**
   * Run bin/run.js as its own process, as a user does (signals, pipes, start-up, exit codes set by the process).
   * Without it the CLI runs in this process with its own streams, environment and exit code; XCTL_TEST_SPAWNED=1
   * spawns every run.
   */
  spawned?: boolean
}

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  input?: string
  /** Kill the process after this long (a hang fails the test instead of blocking the run). */
  timeoutMs?: number
  onStdout?: (chunk: string) => void
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
}

/** Runs a program and collects its output, without blocking the event loop (test API servers live in this process). */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: options.cwd ?? ROOT, env: options.env ?? process.env})
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.stdout.on('data', (d) => {
      stdout += d
      options.onStdout?.(String(d))
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      resolve({code: code ?? -1, stdout, stderr})
    })
    child.stdin.end(options.input ?? '')
  })
}

/**
 * Runs the built CLI with a clean environment (no stray KUBECONFIG or MULTI_INTERFACE_MODE): in this process by
 * default (what a user sees: stdout, stderr, exit code), as its own process with `spawned` (see CliOptions).
 */
export function xctl(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1'}
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v
  const elsewhere = options.cwd !== undefined && resolve(options.cwd) !== process.cwd()
  // oclif reads its directories (XDG_CACHE_HOME, HOME), where completion scripts go, when it loads its
  // configuration, which in-process runs share: completion runs as its own process.
  const completion = args[0] === 'autocomplete'
  const spawned = options.spawned || process.env.XCTL_TEST_SPAWNED === '1' || options.onSpawn || options.bin
  if (spawned || elsewhere || completion) return run(process.execPath, [options.bin ?? BIN, ...args], {...options, env})
  return xctlInProcess(args, env, options)
}

/** What the in-process runs share: the bundle bin/run.js loads, and oclif's configuration, loaded once. */
let loaded: Promise<{runCli: RunCli; config: unknown}> | undefined
type RunCli = (argv: string[], binUrl: string, options: {invocation: Invocation; config: unknown}) => Promise<number>

async function load(): Promise<{runCli: RunCli; config: unknown}> {
  const entry = (await import(pathToFileURL(`${ROOT}dist/src/bundle/entry.js`).href)) as {runCli: RunCli}
  const {Config} = await import('@oclif/core')
  routeProcessWrites()
  return {runCli: entry.runCli, config: await Config.load(BIN)}
}

/** A stream that keeps what is written to it, as text. */
class Capture extends Writable {
  text = ''
  constructor(private readonly onChunk?: (chunk: string) => void) {
    super({decodeStrings: false})
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    const text = String(chunk)
    this.text += text
    this.onChunk?.(text)
    done()
  }
}

async function xctlInProcess(args: string[], env: Record<string, string>, options: CliOptions): Promise<CliResult> {
  const {runCli, config} = await (loaded ??= load())
  const out = new Capture(options.onStdout)
  const err = new Capture()
  const input = Readable.from(options.input === undefined ? [] : [options.input])
  const invocation: Invocation = {streams: {in: input, out, err}, env, cwd: process.cwd(), exitCode: 0}
  const exitCode = process.exitCode
  try {
    const code = await runCli(args, pathToFileURL(BIN).href, {invocation, config})
    return {code, stdout: out.text, stderr: err.text}
  } finally {
    process.exitCode = exitCode
  }
}

/** Runs one command in-process through oclif and returns what its run() returned, with what it printed. */
export async function commandResult<T>(
  id: string,
  args: string[],
  options: {env?: Record<string, string>; input?: string} = {},
): Promise<{result: T; stdout: string; stderr: string; code: number}> {
  const {config} = await (loaded ??= load())
  const out = new Capture()
  const err = new Capture()
  const input = Readable.from(options.input === undefined ? [] : [options.input])
  const env = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...options.env}
  const invocation: Invocation = {streams: {in: input, out, err}, env, cwd: process.cwd(), exitCode: 0}
  const runner = config as {runCommand: (id: string, argv: string[]) => Promise<T>}
  const result = await withInvocation(invocation, () => runner.runCommand(id, args))
  return {result, stdout: out.text, stderr: err.text, code: invocation.exitCode}
}

/**
 * oclif writes help, its own messages and warnings to process.stdout and process.stderr: during an in-process
 * run those writes go to the run's streams instead (the run is found through its AsyncLocalStorage context).
 */
function routeProcessWrites(): void {
  for (const [stream, pick] of [
    [process.stdout, (i: Invocation) => i.streams.out],
    [process.stderr, (i: Invocation) => i.streams.err],
  ] as const) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const target = pick(currentInvocation())
      if (target === stream) return write(chunk, ...rest)
      return target.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
    }) as typeof stream.write
  }
}

/** Splits a borderless table into rows of cells (columns separated by 2+ spaces). */
export function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/))
}

/** Runs the installed kubectl with a clean environment and a 30 s bound. */
export function kubectl(args: string[], options: {input?: string; timeoutMs?: number} = {}): Promise<CliResult> {
  return run('kubectl', args, {
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp'},
    timeoutMs: 30_000,
    ...options,
  })
}
