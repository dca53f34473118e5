import {Command, Flags, Interfaces} from '@oclif/core'
import {ClusterError, ExitCode, UsageError, XctlError} from './errors.js'
import {redact} from './redact.js'
import type {GetResult} from '../get/get.js'
import type {KubeObject} from '../kube/types.js'
import type {ObjectSource} from '../sources/source.js'

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const page of pages) out.push(page)
  return out
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every xctl command: the global flags, one parse, and the one place where errors become messages and exit codes
 * (0 ok, 1 resource or validation errors, 2 usage, 3 input or cluster unreachable/unauthorized).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    kubeconfig: Flags.string({summary: 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config).', helpGroup: 'GLOBAL'}),
    context: Flags.string({summary: 'The kubeconfig context to use.', helpGroup: 'GLOBAL'}),
    namespace: Flags.string({char: 'n', summary: "Namespace to use (default: the context's namespace, else default).", helpGroup: 'GLOBAL'}),
    output: Flags.string({char: 'o', summary: 'Output format: ps (default), wide, yaml, json, name, custom-columns=SPEC, jsonpath=TEMPLATE; validate: text, json, junit, sarif, github.', helpGroup: 'GLOBAL'}),
    'request-timeout': Flags.string({summary: 'How long to wait for each API request before giving up (e.g. 30s, 1m; 0 = no limit).', default: '60s', helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({summary: 'Log API requests and show stack traces on stderr (credentials are never printed).', helpGroup: 'GLOBAL'}),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** All positional arguments in order (commands with `strict = false` take several names). */
  protected positionals: string[] = []

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as unknown as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positionals = argv as string[]
  }

  /** The cluster, or with --local the manifests given with -f; closed when the command ends. */
  protected async openSource(flags: {local?: boolean; filename?: string[]; recursive?: boolean}): Promise<ObjectSource> {
    const {openSource} = await import('../sources/open.js')
    this.source = await openSource({
      ...flags,
      kubeconfig: this.flags.kubeconfig,
      context: this.flags.context,
      namespace: this.flags.namespace,
      debug: this.flags.debug ? this.debugLog : undefined,
      requestTimeoutMs: this.requestTimeoutMs(),
    })
    return this.source
  }

  /**
   * Streams pages of objects through the printer chosen by -o, then reports hints and per-object problems
   * on stderr; problems make the exit code 1 without hiding what did print.
   */
  protected async print(result: GetResult, format = this.flags.output): Promise<void> {
    const {createPrinter} = await import('../printers/factory.js')
    const collected = result.named ? await collect(result.pages) : undefined
    const pages: AsyncIterable<KubeObject[]> | KubeObject[][] = collected ?? result.pages
    const single = collected !== undefined && collected.flat().length === 1
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
    const printer = await createPrinter(format, {descriptor: result.descriptor, showNamespace: result.showNamespace, noHeaders: Boolean((this.flags as {'no-headers'?: boolean})['no-headers']), single, color})
    let printed = 0
    try {
      for await (const page of pages) {
        await this.write(printer.page(page))
        printed += page.length
      }
    } catch (error) {
      // A list that breaks off must not look complete: the closing part (a List's end) is not written,
      // and a failure after output began is a cluster failure (exit 3) that says so.
      if (printed === 0 || !(error instanceof XctlError)) throw error
      throw new ClusterError(`the list is incomplete: ${printed} object(s) were printed before this failure: ${error.message}`, error.hint)
    }
    await this.write(printer.end())
    for (const hint of await result.hints) process.stderr.write(`Hint: ${hint}\n`)
    for (const problem of result.problems) process.stderr.write(`${/^(Error|error)/.test(problem.message) ? '' : 'error: '}${problem.message}\n`)
    if (result.problems.length > 0) process.exitCode = ExitCode.resource
  }

  private source?: ObjectSource

  public override async finally(error: Error | undefined): Promise<void> {
    this.source?.close()
    await super.finally(error)
  }

  /** Writes to stdout, waiting when the pipe is full so memory stays flat on huge outputs. */
  protected async write(chunk: string): Promise<void> {
    if (chunk === '') return
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve))
  }

  protected debugLog = (line: string): void => {
    if (this.flags?.debug) process.stderr.write(`debug: ${redact(line)}\n`)
  }

  protected requestTimeoutMs(): number {
    return parseDuration(this.flags['request-timeout'] ?? '60s')
  }

  public override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; hint?: string}): Promise<void> {
    const cmd = this.config.bin + (this.id ? ` ${this.id}` : '')
    if (error instanceof XctlError) {
      process.exitCode = error.exitCode
      process.stderr.write(`${formatMessage(error.message)}\n`)
      if (error.hint) process.stderr.write(`Hint: ${redact(error.hint)}\n`)
    } else if (error?.oclif?.exit !== undefined && error.oclif.exit !== 1) {
      // Parser errors from oclif (unknown flag, bad value, missing argument) are usage errors.
      process.exitCode = error.oclif.exit === 0 ? 0 : ExitCode.usage
      if (error.oclif.exit !== 0) process.stderr.write(`error: ${redact(error.message)}\nSee '${cmd} --help' for usage.\n`)
    } else {
      process.exitCode = ExitCode.resource
      process.stderr.write(`error: ${redact(error?.message ?? String(error))}\n`)
    }
    if (this.flags?.debug && error?.stack) process.stderr.write(`${redact(error.stack)}\n`)
  }
}

function formatMessage(message: string): string {
  const text = redact(message)
  return /^(Error|error|Warning)\b/.test(text) ? text : `error: ${text}`
}

/** kubectl-style durations: `30s`, `1m`, `500ms`, a bare number of seconds, `0` for none. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim())
  if (!m) throw new UsageError(`invalid duration "${value}"`, 'use a number with a unit, e.g. 30s, 1m or 500ms (0 means no limit)')
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return Math.round(n * {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[unit]!)
}
