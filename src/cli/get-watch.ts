import {UsageError} from '../core/errors.js'
import {getRequests, type GetFlags} from '../get/get.js'
import type {WatchBatch, WatchedEvent} from '../get/watch.js'
import type {KubeObject} from '../kube/types.js'
import {NAMESPACE_COLUMN, type ResourceDescriptor} from '../resources/descriptor.js'
import type {Printer, PrintOptions} from '../printers/printer.js'
import {detailFor, outputFormat} from '../printers/printer.js'
import type {ObjectSource} from '../sources/source.js'
import {parseDuration, type Session} from './session.js'

export interface WatchFlags extends GetFlags {
  output?: string
  template?: string
  'allow-missing-template-keys'?: boolean
  'no-headers'?: boolean
  'request-timeout'?: string
  debug?: boolean
  watch?: boolean
  'watch-only'?: boolean
  'output-watch-events'?: boolean
  /** --request-timeout was typed (its 60s default does not end a watch). */
  requestTimeoutGiven?: boolean
}

/** kubectl's exit status when Ctrl-C ends `get -w` (its interrupt handler exits 1, quietly). */
const INTERRUPTED_EXIT = 1

/**
 * `get KIND -w` / `--watch-only`: list (printed unless --watch-only), then print each change until Ctrl-C, or until
 * --request-timeout when it was given (kubectl ends a watch there, exit 0; xctl's 60s default does not apply).
 */
export async function printWatch(
  session: Session,
  openSource: () => Promise<ObjectSource>,
  positionals: string[],
  flags: WatchFlags,
): Promise<void> {
  if (flags.local)
    throw new UsageError('--watch cannot be used with --local', 'watch a cluster (drop --local), or drop -w')
  if (flags.filename?.length)
    throw new UsageError('--watch cannot be used with -f', 'watch the kind instead, e.g. get wep NAME -w')
  const output = outputFormat(flags)
  const requests = getRequests(positionals, flags, detailFor(output))
  if (requests.length > 1) throw new UsageError('you may only specify a single resource type', 'e.g. get wep -w')
  const timeoutMs = flags.requestTimeoutGiven ? parseDuration(flags['request-timeout'] ?? '0') : 0
  const source = await openSource()
  const controller = new AbortController()
  const onInterrupt = () => {
    session.exitCode = INTERRUPTED_EXIT
    controller.abort()
  }
  process.once('SIGINT', onInterrupt)
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(), timeoutMs) : undefined
  try {
    const {watchObjects} = await import('../get/watch.js')
    const result = await watchObjects(source, requests[0], {
      signal: controller.signal,
      chunkSize: requests[0].chunkSize,
      warn: (message) => session.warn(`error: ${message}`),
      debug: flags.debug ? session.debugLog : undefined,
    })
    const printer = await WatchPrinter.create(output, {
      descriptor: result.descriptor,
      showNamespace: result.showNamespace,
      noHeaders: Boolean(flags['no-headers']),
      single: true,
      color: session.color,
      template: flags.template,
      allowMissingKeys: flags['allow-missing-template-keys'],
      events: Boolean(flags['output-watch-events']),
    })
    for await (const batch of result.batches) {
      if (batch.initial && flags['watch-only']) continue
      await session.write(await printer.print(batch))
    }
  } finally {
    clearTimeout(timer)
    process.off('SIGINT', onInterrupt)
  }
}

const TABLE_FORMATS = new Set([undefined, 'ps', 'wide'])

/**
 * Events as kubectl prints them while watching: one table (header once, rows as they come, an EVENT column first
 * with --output-watch-events); YAML documents separated by `---`; JSON objects one after another; with
 * --output-watch-events the other formats print {type, object} (JSON: one compact line per event).
 */
class WatchPrinter {
  private printed = 0

  private constructor(
    private readonly format: string | undefined,
    private readonly options: PrintOptions & {events: boolean},
    /** Each object's event type, for the EVENT column. */
    private readonly types: WeakMap<KubeObject, string>,
    private readonly table?: Printer,
  ) {}

  static async create(format: string | undefined, options: PrintOptions & {events: boolean}): Promise<WatchPrinter> {
    const {createPrinter} = await import('../printers/factory.js')
    const isTable = TABLE_FORMATS.has(format) || /^custom-columns/.test(format ?? '')
    const types = new WeakMap<KubeObject, string>()
    if (!isTable) return new WatchPrinter(format, options, types)
    let tableOptions: PrintOptions = {...options, single: false}
    if (options.events && TABLE_FORMATS.has(format)) {
      // EVENT comes first, before NAMESPACE (kubectl's printer adds it as the first column)
      // padded to MODIFIED's width from the first row on, as kubectl's column is
      const event = {header: 'EVENT', value: (o: KubeObject) => (types.get(o) ?? '').padEnd(8)}
      const d = options.descriptor
      const lead = options.showNamespace ? [event, NAMESPACE_COLUMN] : [event]
      const descriptor: ResourceDescriptor = {
        ...d,
        columns: [...lead, ...d.columns],
        wideColumns: [...lead, ...d.wideColumns],
      }
      tableOptions = {...tableOptions, descriptor, showNamespace: false}
    }
    return new WatchPrinter(format, options, types, await createPrinter(format, tableOptions))
  }

  async print(batch: WatchBatch): Promise<string> {
    if (this.table) {
      for (const e of batch.events) this.types.set(e.object, e.type)
      return this.table.page(batch.events.map((e) => e.object))
    }
    let out = ''
    for (const event of batch.events) out += await this.one(event)
    return out
  }

  private async one(event: WatchedEvent): Promise<string> {
    const {events} = this.options
    if (events && (this.format === 'json' || this.format === undefined))
      return `${JSON.stringify({type: event.type, object: event.object})}\n`
    const {createPrinter} = await import('../printers/factory.js')
    const yaml = this.format === 'yaml' || this.format === 'yml'
    // kubectl prints the WatchEvent: YAML with sorted keys (object, type), templates with {type, object}
    const wrapped = yaml ? {object: event.object, type: event.type} : {type: event.type, object: event.object}
    const object = events && this.format !== 'name' ? (wrapped as unknown as KubeObject) : event.object
    const printer = await createPrinter(this.format, {...this.options, single: true})
    const text = printer.page([object]) + printer.end()
    const separator = yaml && this.printed > 0 ? '---\n' : ''
    this.printed++
    return separator + text
  }
}
