import {ClusterError, ExitCode, UsageError, XctlError} from '../core/errors.js'
import {redact} from '../core/redact.js'
import type {GetResult} from '../get/get.js'
import type {KubeObject} from '../kube/types.js'
import type {ObjectSource} from '../sources/source.js'
import {outputFormat} from '../printers/printer.js'
import {currentInvocation, writeTo, type Invocation, type IOStreams} from '../core/streams.js'

/** The global flags every command takes. */
export interface GlobalFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
  output?: string
  template?: string
  'allow-missing-template-keys'?: boolean
  'request-timeout'?: string
  'max-response-size'?: string
  debug?: boolean
  'no-headers'?: boolean
}

/**
 * What `print` printed of one kind: how many objects, and the names (namespace/name) of the first
 * RESULT_NAMES_KEPT of them. Only the first ones: a list streams page by page in flat memory, and 200,000
 * names kept to the end would be ~26 MB of it.
 */
export interface PrintedKind {
  kind: string
  count: number
  names: string[]
}

export const RESULT_NAMES_KEPT = 1000

/**
 * What a command run needs besides its flags parser: the source it opened, printing with backpressure through the
 * run's streams (never process.stdout: tests run commands in-process), and the one mapping of errors to messages and
 * exit codes. Free of oclif, so the fast path for `get` can use it too.
 */
export class Session {
  private source?: ObjectSource

  constructor(
    private readonly flags: GlobalFlags,
    readonly invocation: Invocation = currentInvocation(),
  ) {}

  get streams(): IOStreams {
    return this.invocation.streams
  }

  get env(): NodeJS.ProcessEnv {
    return this.invocation.env
  }

  /** The code the run ends with (the last one set wins, as with process.exitCode). */
  get exitCode(): number {
    return this.invocation.exitCode
  }

  set exitCode(code: number) {
    this.invocation.exitCode = code
  }

  /** Colour only on a terminal, and never with NO_COLOR set. */
  get color(): boolean {
    return Boolean(this.streams.out.isTTY) && !this.env.NO_COLOR
  }

  /** A line on stderr (written at once: messages are short). */
  warn(line: string): void {
    this.streams.err.write(`${line}\n`)
  }

  readonly debugLog = (line: string): void => {
    if (this.flags.debug) this.warn(`debug: ${redact(line)}`)
  }

  /** The cluster, or with --local the manifests given with -f; closed by close(). */
  async openSource(flags: {local?: boolean; filename?: string[]; recursive?: boolean}): Promise<ObjectSource> {
    const {openSource} = await import('../sources/open.js')
    this.source = await openSource({
      ...flags,
      kubeconfig: this.flags.kubeconfig,
      context: this.flags.context,
      namespace: this.flags.namespace,
      debug: this.flags.debug ? this.debugLog : undefined,
      requestTimeoutMs: parseDuration(this.flags['request-timeout'] ?? '60s'),
      maxResponseBytes: parseByteSize(this.flags['max-response-size'] ?? '256Mi'),
    })
    return this.source
  }

  close(): void {
    this.source?.close()
  }

  /** Writes to stdout, waiting when the pipe is full so memory stays flat on huge outputs. */
  write(chunk: string): Promise<void> {
    return writeTo(this.streams.out, chunk)
  }

  /**
   * Streams pages of objects through the printer chosen by -o, then reports hints and per-object problems
   * on stderr; problems make the exit code 1 without hiding what did print.
   */
  async print(result: GetResult, format = outputFormat(this.flags)): Promise<PrintedKind> {
    // The first page is requested while the printer code loads.
    const factory = import('../printers/factory.js')
    const collected = result.named ? await collect(result.pages) : undefined
    // Named objects are all read first, so they print as one page (one table, aligned).
    const pages: AsyncIterable<KubeObject[]> = collected ? fromArray([collected.flat()]) : prefetchFirst(result.pages)
    const {createPrinter} = await factory
    const single = collected !== undefined && collected.flat().length === 1
    const color = this.color
    const printer = await createPrinter(format, {
      descriptor: result.descriptor,
      showNamespace: result.showNamespace,
      noHeaders: Boolean(this.flags['no-headers']),
      single,
      color,
      template: this.flags.template,
      allowMissingKeys: this.flags['allow-missing-template-keys'],
    })
    let printed = 0
    const names: string[] = []
    try {
      const perCall = printer.objectsPerCall ?? Infinity
      for await (const page of pages) {
        if (page.length <= perCall) await this.write(printer.page(page))
        else for (let i = 0; i < page.length; i += perCall) await this.write(printer.page(page.slice(i, i + perCall)))
        printed += page.length
        for (let i = 0; i < page.length && names.length < RESULT_NAMES_KEPT; i++) names.push(qualifiedName(page[i]!))
      }
    } catch (error) {
      // A list that breaks off must not look complete: the closing part (a List's end) is not written,
      // and a failure after output began is a cluster failure (exit 3) that says so.
      if (printed === 0 || !(error instanceof XctlError)) throw error
      throw new ClusterError(
        `the list is incomplete: ${printed} object(s) were printed before this failure: ${error.message}`,
        error.hint,
      )
    }
    await this.write(printer.end())
    if (printer.failure) throw printer.failure
    for (const hint of await result.hints()) this.warn(`Hint: ${hint}`)
    for (const problem of result.problems) this.warn(formatMessage(problem.message))
    if (result.problems.length > 0) this.exitCode = ExitCode.resource
    return {kind: result.descriptor.kind, count: printed, names}
  }

  /** The one place where errors become messages and exit codes (0 ok, 1 resource, 2 usage, 3 input/cluster). */
  reportError(error: Error & {oclif?: {exit?: number}}, command: string): void {
    if (error instanceof XctlError) {
      this.exitCode = error.exitCode
      this.warn(formatMessage(error.message))
      if (error.hint) this.warn(`Hint: ${redact(error.hint)}`)
    } else if (error?.oclif?.exit !== undefined && error.oclif.exit !== 1) {
      // Parser errors from oclif (unknown flag, bad value, missing argument) are usage errors.
      this.exitCode = error.oclif.exit === 0 ? 0 : ExitCode.usage
      if (error.oclif.exit !== 0) this.warn(`error: ${redact(error.message)}\nSee '${command} --help' for usage.`)
    } else {
      this.exitCode = ExitCode.resource
      this.warn(`error: ${redact(error?.message ?? String(error))}`)
    }
    if (this.flags.debug && error?.stack) this.warn(redact(error.stack))
  }
}

function qualifiedName(o: KubeObject): string {
  const {namespace, name} = o.metadata ?? {}
  return namespace ? `${namespace}/${name}` : String(name)
}

async function* fromArray<T>(pages: T[][]): AsyncGenerator<T[]> {
  yield* pages
}

/** Starts reading the first page now; the pages are then yielded as usual. */
function prefetchFirst<T>(pages: AsyncIterable<T[]>): AsyncIterable<T[]> {
  const iterator = pages[Symbol.asyncIterator]()
  const first = iterator.next()
  first.catch(() => {}) // awaited below; this only stops an unhandled rejection if printing never starts
  return (async function* () {
    for (let next = await first; !next.done; next = await iterator.next()) yield next.value
  })()
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const page of pages) out.push(page)
  return out
}

function formatMessage(message: string): string {
  const text = redact(message)
  return ALREADY_LABELLED.test(text) ? text : `error: ${text}`
}

/**
 * kubectl's CheckErr prefixes "error: " unless the message has it already; API errors print as
 * "Error from server (Reason): ..." (k8s.io/kubectl/pkg/cmd/util/helpers.go, StandardErrorMessage).
 */
const ALREADY_LABELLED = /^(error: |Error from server\b|Warning\b)/

/** kubectl-style durations: `30s`, `1m`, `500ms`, a bare number of seconds, `0` for none. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim())
  if (!m)
    throw new UsageError(
      `invalid duration "${value}"`,
      'use a number with a unit, e.g. 30s, 1m or 500ms (0 means no limit)',
    )
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return Math.round(n * {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[unit]!)
}

/** Kubernetes-style quantities for --max-response-size: `512Mi`, `1Gi`, `300M`, or plain bytes. */
export function parseByteSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(value.trim())
  const units: Record<string, number> = {'': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9}
  const bytes = m ? Math.floor(Number(m[1]) * units[m[2] ?? '']!) : NaN
  if (!(bytes > 0))
    throw new UsageError(`invalid size "${value}"`, 'use a number of bytes or a quantity such as 512Mi or 1Gi')
  return bytes
}
