import {Command, Flags, Interfaces} from '@oclif/core'
import type {GetResult} from '../get/get.js'
import type {ObjectSource} from '../sources/source.js'
import {checkNamespaceFlag} from '../core/names.js'
import {OUTPUT_FORMAT_SUMMARY} from '../printers/formats.js'
import {Session} from './session.js'
import {currentInvocation} from '../core/streams.js'
import type {CommandResult, WriteOutcome} from './result.js'
import {resolveDatastore} from './datastore.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every xctl command: the global flags and one parse; running and error reporting are the Session's
 * (0 ok, 1 resource or validation errors, 2 usage, 3 input or cluster unreachable/unauthorized).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    kubeconfig: Flags.string({
      summary: 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config).',
      helpGroup: 'GLOBAL',
    }),
    context: Flags.string({summary: 'The kubeconfig context to use.', helpGroup: 'GLOBAL'}),
    namespace: Flags.string({
      char: 'n',
      summary: "Namespace to use (default: the context's namespace, else default).",
      helpGroup: 'GLOBAL',
    }),
    output: Flags.string({
      char: 'o',
      summary: `Output format: ${OUTPUT_FORMAT_SUMMARY}; validate: text, json, junit, sarif, github.`,
      helpGroup: 'GLOBAL',
    }),
    'request-timeout': Flags.string({
      summary: 'How long each API request may take, first byte sent to last byte read (e.g. 30s, 1m; 0 = no limit).',
      default: '60s',
      helpGroup: 'GLOBAL',
    }),
    'max-response-size': Flags.string({
      summary: 'Largest answer accepted from the API server, after decompression (e.g. 512Mi, 1Gi).',
      default: '256Mi',
      helpGroup: 'GLOBAL',
    }),
    config: Flags.string({
      char: 'c',
      summary: "calicoctl's CalicoAPIConfig file: datastoreType kubernetes is honoured (its spec.kubeconfig is used).",
      helpGroup: 'GLOBAL',
    }),
    'allow-version-mismatch': Flags.boolean({
      summary: "Accepted for calicoctl's scripts: a client/cluster version difference is only ever a warning.",
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({
      summary: 'Log API requests and show stack traces on stderr (credentials are never printed).',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** All positional arguments in order (commands with `strict = false` take several names). */
  protected positionals: string[] = []
  protected session = new Session({})

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as unknown as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    // `-n ""` means the context's namespace (as in kubectl); `-n ..` and the like never reach a URL.
    flags.namespace = checkNamespaceFlag(flags.namespace)
    resolveDatastore(flags, currentInvocation().env)
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positionals = argv as string[]
    this.session = new Session(this.flags)
  }

  protected openSource(flags: {local?: boolean; filename?: string[]; recursive?: boolean}): Promise<ObjectSource> {
    return this.session.openSource(flags)
  }

  protected print(result: GetResult, format?: string): ReturnType<Session['print']> {
    return this.session.print(result, format)
  }

  protected write(chunk: string): Promise<void> {
    return this.session.write(chunk)
  }

  /** One write's outcome, as apply prints it: `REF OUTCOME` on stdout, `error: REF failed: WHY` on stderr. */
  protected async outcome(r: WriteOutcome, suffix: string): Promise<void> {
    if (r.outcome === 'failed') this.session.warn(`error: ${r.ref} failed: ${r.message ?? ''}`)
    else await this.write(`${r.ref} ${r.outcome}${suffix}${r.message ? ` (${r.message})` : ''}\n`)
  }

  /** The command's result: what it printed, and the exit code (by default the session's: 1 after problems). */
  protected result<I>(items: I[], code = this.session.exitCode): CommandResult<I> {
    return {code, items}
  }

  /** The exit code of the run is the one its result carries. */
  protected override async _run<R>(): Promise<R> {
    const result = await super._run<R>()
    const code = (result as Partial<CommandResult<unknown>> | undefined)?.code
    if (typeof code === 'number') this.session.exitCode = code
    return result
  }

  protected get debugLog(): (line: string) => void {
    return this.session.debugLog
  }

  public override async catch(error: Error & {oclif?: {exit?: number}}): Promise<void> {
    this.session.reportError(error, this.config.bin + (this.id ? ` ${this.id.replaceAll(':', ' ')}` : ''))
  }

  public override async finally(error: Error | undefined): Promise<void> {
    this.session.close()
    await super.finally(error)
  }
}
