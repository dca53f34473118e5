import type {GetFlags} from '../get/get.js'
import {printKinds} from './get-many.js'
import type {DatastoreFlags} from './datastore.js'
import {checkNamespaceFlag} from '../core/names.js'
import {readManifest, requestTimeoutGiven, type FlagDef} from './argv.js'
import {Session, type GlobalFlags} from './session.js'
import type {Invocation} from '../core/streams.js'
import type {ValidateFlags} from './validate-files.js'

/**
 * `xctl get` without oclif: loading oclif costs more than the whole of a small `get`, and `get` is what scripts
 * and CI loops call most. The flags are read from oclif's own manifest (so they are defined once, in
 * commands/get.ts); anything this simple parser is unsure about (help, unknown or repeated flags, bad values)
 * goes to oclif instead, which then reports it as usual.
 */
type Parsed = {flags: Record<string, unknown>; positionals: string[]}

export function parseFlags(args: string[], defs: Record<string, FlagDef>): Parsed | undefined {
  const flags: Record<string, unknown> = {}
  const positionals: string[] = []
  const byChar = new Map(
    Object.values(defs)
      .filter((d) => d.char)
      .map((d) => [d.char!, d]),
  )
  const set = (def: FlagDef, value: unknown): boolean => {
    if (def.options && !def.options.includes(String(value))) return false
    if (def.multiple) flags[def.name] = [...((flags[def.name] as unknown[]) ?? []), value]
    else if (def.name in flags) return false
    else flags[def.name] = value
    return true
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    let def: FlagDef | undefined
    let inline: string | undefined
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=')
      def = defs[eq === -1 ? arg.slice(2) : arg.slice(2, eq)]
      inline = eq === -1 ? undefined : arg.slice(eq + 1)
    } else if (arg.startsWith('-') && arg.length > 1 && arg !== '-') {
      def = byChar.get(arg[1])
      inline = arg.length > 2 ? arg.slice(2) : undefined
    } else {
      positionals.push(arg)
      continue
    }
    if (!def) return undefined
    if (def.type === 'boolean') {
      if (inline !== undefined || !set(def, true)) return undefined
      continue
    }
    const value = inline ?? args[++i]
    if (value === undefined || !set(def, value)) return undefined
  }
  for (const def of Object.values(defs))
    if (!(def.name in flags) && def.default !== undefined) flags[def.name] = def.default
  return {flags, positionals}
}

/** Runs `get` directly when it can; false means "let oclif do it". */
export async function tryFastGet(argv: string[], bin: string, invocation: Invocation): Promise<boolean> {
  if (argv[0] !== 'get' || invocation.env.XCTL_NO_FAST_PATH) return false
  const defs = readManifest()?.commands?.get?.flags
  const parsed = defs && parseFlags(argv.slice(1), defs)
  if (!parsed || parsed.positionals.length === 0 || parsed.positionals.includes('help')) return false
  const flags = parsed.flags as GlobalFlags &
    GetFlags &
    DatastoreFlags & {local?: boolean; filename?: string[]; recursive?: boolean}
  const session = new Session(flags, invocation)
  try {
    flags.namespace = checkNamespaceFlag(flags.namespace)
    // Without -c and DATASTORE_TYPE there is nothing to resolve (the Kubernetes datastore); the module brings the
    // `yaml` package (~25 ms of a 100 ms empty `get` to load), which only -c needs.
    if (flags.config !== undefined || invocation.env.DATASTORE_TYPE !== undefined) {
      const {resolveDatastore} = await import('./datastore.js')
      resolveDatastore(flags, invocation.env)
    }
    await printKinds(session, () => session.openSource(flags), parsed.positionals, {
      ...flags,
      requestTimeoutGiven: requestTimeoutGiven(argv),
    })
  } catch (error) {
    session.reportError(error as Error, `${bin} get`)
  } finally {
    session.close()
  }
  return true
}

/**
 * `xctl validate -f ...` without oclif, as commands/validate.ts runs it: CI runs it on every push and oclif's
 * loading is a good part of a small run. --cluster, --list-rules, -c, DATASTORE_TYPE, help and anything the
 * simple parser is unsure about go to oclif.
 */
export async function tryFastValidate(argv: string[], bin: string, invocation: Invocation): Promise<boolean> {
  const {env} = invocation
  if (argv[0] !== 'validate' || env.XCTL_NO_FAST_PATH || env.DATASTORE_TYPE !== undefined) return false
  const manifest = readManifest()
  const defs = manifest?.commands?.validate?.flags
  const parsed = defs && parseFlags(argv.slice(1), defs)
  if (!parsed || parsed.positionals.length > 0) return false
  const flags = parsed.flags as unknown as ValidateFlags & GlobalFlags & DatastoreFlags
  if (flags.cluster || flags['list-rules'] || flags.config || !flags.filename?.length) return false
  const session = new Session(flags, invocation)
  try {
    flags.namespace = checkNamespaceFlag(flags.namespace)
    const {validateFiles} = await import('./validate-files.js')
    const {failed} = await validateFiles(flags, session, manifest!.version!)
    if (failed) session.exitCode = 1
  } catch (error) {
    session.reportError(error as Error, `${bin} validate`)
  } finally {
    session.close()
  }
  return true
}
