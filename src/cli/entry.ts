import {run, flush, Errors} from '@oclif/core'
import {ExitCode} from './errors.js'

/** Global flags that take a value, and those that do not, as users type them before the command. */
const VALUE_FLAGS = new Set(['--kubeconfig', '--context', '-n', '--namespace', '-o', '--output', '--request-timeout'])
const BOOLEAN_FLAGS = new Set(['--debug'])

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
    } else {
      break
    }
  }
  if (leading.length === 0 || i >= argv.length) return argv
  const rest = argv.slice(i)
  // The command id is the first word; everything after it keeps its order.
  return [rest[0], ...leading, ...rest.slice(1)]
}

export async function runCli(argv: string[], binUrl: string): Promise<void> {
  try {
    await run(reorderGlobalFlags(argv), binUrl)
  } catch (error) {
    const e = error as Errors.CLIError & {oclif?: {exit?: number}; code?: string}
    if (e?.oclif?.exit === 0) return
    // Errors before a command runs: unknown command, bad top-level flag.
    process.stderr.write(`error: ${e?.message ?? String(error)}\n`)
    if (e?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(e?.message ?? '')) {
      process.stderr.write("Hint: the CLI is not built; run 'npm run build' first\n")
    } else {
      process.stderr.write("See 'xctl --help' for the list of commands.\n")
    }
    process.exitCode = e?.oclif?.exit !== undefined && e.oclif.exit !== 1 ? ExitCode.usage : process.exitCode || ExitCode.usage
  } finally {
    await flush()
  }
}
