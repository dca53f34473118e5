import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Config, Errors, Interfaces} from '@oclif/core'
import {ExitCode} from '../core/errors.js'
import {asProcessInvocation, processInvocation, withInvocation, type Invocation} from '../core/streams.js'
import {canonicalArgs, readManifest} from './argv.js'
import {GLOBAL_FLAG_SHAPES} from './global-flags.js'
import {tryFastGet, tryFastValidate} from './fast.js'
import {endQuietlyOnClosedPipes} from './pipes.js'
import {unknownCommandMessage} from './suggest.js'
import {OUTPUT_FORMAT_HINTS} from './completion.js'

const shapes = Object.entries(GLOBAL_FLAG_SHAPES)
/** Global flags that take a value, and those that do not, as users type them before the command. */
const VALUE_FLAGS = new Set(
  shapes.filter(([, s]) => s.takesValue).flatMap(([name, s]) => [`--${name}`, ...(s.char ? [`-${s.char}`] : [])]),
)
const BOOLEAN_FLAGS = new Set(shapes.filter(([, s]) => !s.takesValue).map(([name]) => `--${name}`))
/** Short global flags with the value attached, as kubectl users type them: `-oyaml`, `-nprod`. */
const ATTACHED_SHORT_VALUE = new RegExp(`^-[${shapes.map(([, s]) => s.char ?? '').join('')}][^-]`)

/**
 * kubectl and calicoctl users type global flags before the command (`xctl -n prod get wep`); oclif only
 * parses flags after the command id, so leading global flags are moved behind it.
 */
export function reorderGlobalFlags(argv: string[]): string[] {
  const leading: string[] = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg
    if (BOOLEAN_FLAGS.has(arg)) {
      leading.push(arg)
      i += 1
    } else if (VALUE_FLAGS.has(name)) {
      if (arg.includes('=')) {
        leading.push(arg)
        i += 1
      } else {
        leading.push(arg, ...argv.slice(i + 1, i + 2))
        i += 2
      }
    } else if (ATTACHED_SHORT_VALUE.test(arg)) {
      leading.push(arg)
      i += 1
    } else {
      break
    }
  }
  if (leading.length === 0 || i >= argv.length) return argv
  const rest = argv.slice(i)
  // The command id is the first word (two for a topic's command: `ipam show`); everything after it keeps its order.
  const words = isTopic(rest[0]) && rest.length > 1 && !rest[1].startsWith('-') ? 2 : 1
  return [...rest.slice(0, words), ...leading, ...rest.slice(words)]
}

function isTopic(word: string): boolean {
  return Object.keys(readManifest()?.commands ?? {}).some((id) => id.startsWith(`${word}:`))
}

export interface RunOptions {
  /** The name the CLI goes by in help, usage lines and messages: `kubectl xctl` when run as a kubectl plugin. */
  bin?: string
  /** The streams, environment and working directory of the run (default: the process's own). */
  invocation?: Invocation
  /** oclif's configuration, loaded once for many runs (tests running the CLI in-process). */
  config?: Config
}

/**
 * Shell completion (@oclif/plugin-autocomplete) completes the values of flags that declare `options`, but `-o` and
 * `--dry-run` are free-form (`custom-columns=…`, `jsonpath=…`) or checked by the command, and declaring options would
 * make oclif reject what they accept. While the completion scripts are generated, and only then, those flags get
 * their usual values as completion hints; parsing never sees them.
 */
export async function addCompletionHints(config: Config): Promise<void> {
  const {OUTPUT_FORMATS} = await import('../printers/factory.js')
  const printerFormats = OUTPUT_FORMATS.map((f) => f.replace(/=.*$/, '='))
  // The generated scripts put summaries in double quotes, where `$KUBECONFIG` would expand to nothing.
  const unexpandable = (text?: string) => text?.replace(/\$(?=[A-Za-z_{])/g, '')
  for (const command of config.commands) {
    command.summary = unexpandable(command.summary)
    for (const flag of Object.values(command.flags ?? {})) flag.summary = unexpandable(flag.summary)
    const output = (command as {outputFormats?: unknown}).outputFormats ?? OUTPUT_FORMAT_HINTS[command.id]
    const hints: Record<string, unknown> = {
      output: output === 'printers' ? printerFormats : output,
      'dry-run': ['none', 'client', 'server'],
    }
    for (const [name, values] of Object.entries(hints)) {
      const flag = command.flags?.[name]
      if (flag?.type === 'option' && !flag.options && Array.isArray(values)) flag.options = values.map(String)
    }
  }
}

/** Runs the CLI with `argv` (the words after the program name); returns the exit code. */
export async function runCli(argv: string[], binUrl: string, options: RunOptions = {}): Promise<number> {
  const invocation = options.invocation ?? processInvocation()
  if (!options.invocation) endQuietlyOnClosedPipes()
  const run = () => runArgs(argv, binUrl, options, invocation)
  await (options.invocation ? withInvocation(invocation, run) : asProcessInvocation(invocation, run))
  return invocation.exitCode
}

async function runArgs(argv: string[], binUrl: string, options: RunOptions, invocation: Invocation): Promise<void> {
  let bin = 'xctl'
  const {err} = invocation.streams
  // Completion runs on every <TAB>: it answers before oclif loads (and before the words are rewritten).
  if (argv[0] === '__complete') {
    const {runCompletion} = await import('./completion-run.js')
    return runCompletion(argv.slice(1))
  }
  // kubectl's flag grammar (`-n=x`, `-oyaml`, `--flag=false`) in one form for both the fast path and oclif.
  const args = reorderGlobalFlags(canonicalArgs(argv))
  const name = options.bin ?? bin
  if ((await tryFastGet(args, name, invocation)) || (await tryFastValidate(args, name, invocation))) return
  const unknown = unknownCommandMessage(args, name)
  if (unknown) {
    err.write(unknown)
    invocation.exitCode = ExitCode.usage
    return
  }
  // oclif is loaded only past the fast path: it costs more than a whole small `get`.
  const {run, flush, Config} = await import('@oclif/core')
  try {
    const completion = argv[0] === 'autocomplete'
    let load: string | Interfaces.LoadOptions = binUrl
    // Completion scripts are for the `xctl` executable (kubectl completes its plugins on its own).
    if (options.bin && !completion) {
      // oclif takes the name from package.json (oclif.bin); XCTL_* variables keep working through binAliases.
      const root = dirname(dirname(fileURLToPath(binUrl)))
      const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
      pjson.oclif = {...pjson.oclif, bin: options.bin, binAliases: [pjson.oclif?.bin ?? bin]}
      load = {root, pjson}
      bin = options.bin
    }
    if (options.config && !options.bin && !completion) load = options.config
    if (completion) {
      const config = await Config.load(load)
      await addCompletionHints(config)
      load = config
    }
    await run(args, load)
  } catch (error) {
    const e = error as Errors.CLIError & {oclif?: {exit?: number}; code?: string}
    if (e?.oclif?.exit === 0) return
    // Errors before a command runs: unknown command, bad top-level flag.
    err.write(`error: ${e?.message ?? String(error)}\n`)
    if (e?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(e?.message ?? '')) {
      err.write("Hint: the CLI is not built; run 'npm run build' first\n")
    } else {
      err.write(`See '${bin} --help' for the list of commands.\n`)
    }
    invocation.exitCode =
      e?.oclif?.exit !== undefined && e.oclif.exit !== 1 ? ExitCode.usage : invocation.exitCode || ExitCode.usage
  } finally {
    await flush()
  }
}
