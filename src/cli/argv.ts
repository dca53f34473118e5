import {readFileSync} from 'node:fs'
import {clientVersion} from '../core/build-info.js'

/** A flag as oclif's manifest describes it (commands' flags plus the global ones, which carry helpGroup GLOBAL). */
export interface FlagDef {
  name: string
  char?: string
  type: 'boolean' | 'option'
  multiple?: boolean
  options?: string[]
  default?: unknown
  allowNo?: boolean
  helpGroup?: string
}

export type FlagDefs = Record<string, FlagDef>
export interface Manifest {
  version?: string
  commands?: Record<string, {flags?: FlagDefs}>
}

/** oclif's manifest, when it belongs to this build (a stale one would describe other flags). */
let cached: {manifest?: Manifest} | undefined

export function readManifest(): Manifest | undefined {
  cached ??= {manifest: loadManifest()}
  return cached.manifest
}

function loadManifest(): Manifest | undefined {
  try {
    const root = new URL('../../../', import.meta.url)
    const manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8'))
    return manifest.version === clientVersion() ? manifest : undefined
  } catch {
    return undefined
  }
}

/** The values Go's strconv.ParseBool accepts, which is what pflag takes after `--flag=`. */
const BOOL_VALUES: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
}

/**
 * Rewrites kubectl's flag grammar (spf13/pflag) into one form both oclif and the fast path read the same way:
 * `--name=value` for flags with a value and `--name` for true booleans. pflag accepts `-n x`, `-nx`, `-n=x`,
 * `--namespace x`, `--namespace=x`, grouped booleans (`-AR`), `-Aoyaml`, and `--flag=true|false`; oclif would read
 * `-n=x` as the namespace `=x`. Tokens it does not understand are left as typed, for oclif to report.
 */
export function canonicalArgs(argv: string[], manifest: Manifest | undefined = readManifest()): string[] {
  const commands = manifest?.commands ?? {}
  const globals = globalFlagDefs(commands)
  const commandIndex = findCommandIndex(argv, globals)
  const defs = (commandIndex !== -1 && commands[argv[commandIndex]]?.flags) || globals
  return rewrite(argv, defs)
}

function globalFlagDefs(commands: Record<string, {flags?: FlagDefs}>): FlagDefs {
  // Any command that has the base flags (the hidden __complete has none).
  const hasGlobals = (flags?: FlagDefs) => Object.values(flags ?? {}).some((d) => d.helpGroup === 'GLOBAL')
  const any = Object.values(commands).find((c) => hasGlobals(c.flags))?.flags ?? {}
  return Object.fromEntries(Object.entries(any).filter(([, d]) => d.helpGroup === 'GLOBAL'))
}

/** The position of the command id: the first word that is neither a global flag nor its value. */
function findCommandIndex(argv: string[], globals: FlagDefs): number {
  const byChar = charMap(globals)
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') return -1
    if (!arg.startsWith('-') || arg === '-') return i
    const long = arg.startsWith('--')
    const def = long ? globals[arg.slice(2).split('=')[0]] : byChar.get(arg[1])
    if (!def) return -1
    const attached = long ? arg.includes('=') : arg.length > 2
    if (def.type === 'option' && !attached) i += 1
  }
  return -1
}

function charMap(defs: FlagDefs): Map<string, FlagDef> {
  return new Map(
    Object.values(defs)
      .filter((d) => d.char)
      .map((d) => [d.char!, d]),
  )
}

function rewrite(argv: string[], defs: FlagDefs): string[] {
  const byChar = charMap(defs)
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    const next = argv[i + 1]
    const step =
      arg.startsWith('--') && arg.length > 2
        ? longFlag(arg, next, defs)
        : arg.startsWith('-') && arg.length > 1
          ? shortFlags(arg, next, byChar)
          : undefined
    if (!step) {
      out.push(arg)
      continue
    }
    out.push(...step.tokens)
    if (step.usedNext) i += 1
  }
  return out
}

interface Step {
  tokens: string[]
  usedNext: boolean
}

function longFlag(arg: string, next: string | undefined, defs: FlagDefs): Step | undefined {
  const eq = arg.indexOf('=')
  const def = defs[eq === -1 ? arg.slice(2) : arg.slice(2, eq)]
  if (!def) return undefined
  const inline = eq === -1 ? undefined : arg.slice(eq + 1)
  if (def.type === 'boolean') return booleanTokens(def, inline)
  if (inline !== undefined) return {tokens: [`--${def.name}=${inline}`], usedNext: false}
  return next === undefined ? undefined : {tokens: [`--${def.name}=${next}`], usedNext: true}
}

function booleanTokens(def: FlagDef, inline: string | undefined): Step | undefined {
  const value = inline === undefined ? true : BOOL_VALUES[inline]
  if (value === undefined) return undefined
  if (value) return {tokens: [`--${def.name}`], usedNext: false}
  // `--flag=false` on a flag that is false by default changes nothing (oclif has no `=false` form).
  return def.allowNo ? {tokens: [`--no-${def.name}`], usedNext: false} : {tokens: [], usedNext: false}
}

/** pflag's shorthand groups: booleans may be grouped; a flag with a value takes the rest of the word or the next. */
function shortFlags(arg: string, next: string | undefined, byChar: Map<string, FlagDef>): Step | undefined {
  const tokens: string[] = []
  for (let j = 1; j < arg.length; j++) {
    const def = byChar.get(arg[j])
    if (!def) return undefined
    const rest = arg.slice(j + 1)
    if (def.type === 'boolean') {
      if (rest.startsWith('=')) {
        const step = booleanTokens(def, rest.slice(1))
        return step && {tokens: [...tokens, ...step.tokens], usedNext: false}
      }
      tokens.push(`--${def.name}`)
      continue
    }
    const attached = rest.startsWith('=') ? rest.slice(1) : rest
    if (rest !== '') return {tokens: [...tokens, `--${def.name}=${attached}`], usedNext: false}
    return next === undefined ? undefined : {tokens: [...tokens, `--${def.name}=${next}`], usedNext: true}
  }
  return {tokens, usedNext: false}
}

/** Whether --request-timeout was typed: its 60s default does not end a watch (kubectl's default is no limit). */
export function requestTimeoutGiven(argv: string[]): boolean {
  return argv.some((a) => a === '--request-timeout' || a.startsWith('--request-timeout='))
}
