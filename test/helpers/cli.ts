import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

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
  /** Called with the child process once it is started (e.g. to send it a signal). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
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

/** Runs the built CLI as a user would, with a clean environment (no stray KUBECONFIG or MULTI_INTERFACE_MODE). */
export function xctl(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1'}
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v
  return run(process.execPath, [options.bin ?? BIN, ...args], {...options, env})
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
