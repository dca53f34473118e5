import {OUTPUT_FORMATS} from '../printers/formats.js'
import {readManifest, type FlagDef} from './argv.js'

/**
 * The `-o` values each command prints, for shell completion (ours and @oclif/plugin-autocomplete's). A command can
 * declare its own with `static outputFormats = [...]`; commands in neither place get no `-o` values.
 */
export const OUTPUT_FORMAT_HINTS: Record<string, string[] | 'printers'> = {
  get: 'printers',
  eval: 'printers',
  describe: ['text', 'yaml', 'json'],
  validate: ['text', 'json', 'junit', 'sarif', 'github'],
  version: ['json', 'yaml'],
  'ipam:show': ['json', 'yaml'],
}

/** Commands whose first argument is a KIND and the next ones names of that kind. */
const KIND_COMMANDS = new Set(['get', 'describe', 'delete', 'label', 'patch'])
/** Flags whose value is a file: the shell completes it (`:files` tells the script so). */
const FILE_FLAGS = new Set(['filename', 'kubeconfig', 'config', 'custom-columns-file'])
export const FILES_DIRECTIVE = ':files'

interface CommandInfo {
  hidden?: boolean
  args?: Record<string, {options?: string[]}>
  flags?: Record<string, FlagDef>
  outputFormats?: string[]
}

/** What the words typed so far say: the command, its flags (for the cluster lookup) and its arguments. */
export interface TypedLine {
  command?: string
  flags: Record<string, string | true>
  positionals: string[]
  /** The flag whose value is being typed (`-n <TAB>`), if any. */
  valueFor?: FlagDef
  current: string
}

/** Reads the words after the program name; the last one is the word being completed (maybe empty). */
export function parseTyped(words: string[]): TypedLine {
  const commands = (readManifest()?.commands ?? {}) as Record<string, CommandInfo>
  const line: TypedLine = {flags: {}, positionals: [], current: words.at(-1) ?? ''}
  const done = words.slice(0, -1)
  for (let i = 0; i < done.length; i++) {
    const w = done[i]
    const defs = flagDefs(commands, line.command)
    if (w.startsWith('-') && w !== '-') {
      const [name, inline] = w.startsWith('--') ? splitLong(w) : [w.slice(1, 2), w.length > 2 ? w.slice(2) : undefined]
      const def = Object.values(defs).find((d) => d.name === name || d.char === name)
      if (def?.type === 'option' && inline === undefined) {
        if (i + 1 < done.length) line.flags[def.name] = done[++i]
        else line.valueFor = def
      } else if (def) line.flags[def.name] = inline?.replace(/^=/, '') ?? true
    } else if (line.command === undefined) line.command = w
    else if (isTopic(commands, line.command) && !commands[line.command]) line.command = `${line.command}:${w}`
    else line.positionals.push(w)
  }
  return line
}

function splitLong(w: string): [string, string | undefined] {
  const eq = w.indexOf('=')
  return eq === -1 ? [w.slice(2), undefined] : [w.slice(2, eq), w.slice(eq + 1)]
}

const isTopic = (commands: Record<string, CommandInfo>, word: string) =>
  Object.keys(commands).some((id) => id.startsWith(`${word}:`))

/** The command's flags; before a command, the global ones. */
function flagDefs(commands: Record<string, CommandInfo>, command: string | undefined): Record<string, FlagDef> {
  if (command && commands[command]) return commands[command].flags ?? {}
  const any = Object.values(commands).find((c) => c.flags?.namespace)
  return Object.fromEntries(Object.entries(any?.flags ?? {}).filter(([, f]) => f.helpGroup === 'GLOBAL'))
}

/** Where the candidates come from for names: the cluster, asked by the caller. */
export interface NameLookup {
  names(kind: string, line: TypedLine): Promise<string[]>
  namespaces(line: TypedLine): Promise<string[]>
  kinds(): string[]
}

/** The candidates for the word being typed (the shell filters them by prefix), or `:files`. */
export async function candidates(words: string[], lookup: NameLookup): Promise<string[]> {
  const commands = (readManifest()?.commands ?? {}) as Record<string, CommandInfo>
  const line = parseTyped(words)
  if (line.valueFor) return flagValues(line.valueFor, line, commands, lookup)
  if (line.current.startsWith('-')) {
    return Object.values(flagDefs(commands, line.command))
      .flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])])
      .filter((f) => line.current.startsWith('--') === f.startsWith('--') || line.current === '-')
      .sort()
  }
  if (line.command === undefined) {
    const ids = Object.entries(commands).filter(([, c]) => !c.hidden)
    return [...new Set(ids.map(([id]) => id.split(':')[0]))].sort()
  }
  if (isTopic(commands, line.command) && !commands[line.command]) {
    const prefix = `${line.command}:`
    return Object.keys(commands)
      .filter((id) => id.startsWith(prefix) && !commands[id].hidden)
      .map((id) => id.slice(prefix.length))
  }
  if (!KIND_COMMANDS.has(line.command))
    return Object.values(commands[line.command]?.args ?? {})[line.positionals.length]?.options ?? []
  const slash = line.current.indexOf('/')
  if (line.positionals.length === 0 && slash === -1) return lookup.kinds()
  if (slash !== -1) {
    const kind = line.current.slice(0, slash)
    return (await lookup.names(kind, line)).map((n) => `${kind}/${n}`)
  }
  if (line.positionals[0].includes('/')) return []
  return lookup.names(line.positionals[0], line)
}

async function flagValues(
  def: FlagDef,
  line: TypedLine,
  commands: Record<string, CommandInfo>,
  lookup: NameLookup,
): Promise<string[]> {
  if (FILE_FLAGS.has(def.name)) return [FILES_DIRECTIVE]
  if (def.name === 'namespace') return lookup.namespaces(line)
  if (def.name === 'nad') return lookup.names('nad', line)
  if (def.name === 'output') {
    const command = line.command ?? ''
    const hint = commands[command]?.outputFormats ?? OUTPUT_FORMAT_HINTS[command]
    if (hint === 'printers') return OUTPUT_FORMATS.map((f) => f.replace(/=.*$/, '='))
    return hint ?? []
  }
  return def.options ?? []
}
