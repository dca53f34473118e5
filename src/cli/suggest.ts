import {closestWord} from '../resources/registry.js'
import {readManifest} from './argv.js'

/** Words oclif answers that are not commands of ours (plugins, help). */
const OTHER_WORDS = ['help', 'autocomplete']

/**
 * A first word that is no command: kubectl's "unknown command" with a "Did you mean" (exit 2), instead of oclif's
 * `command gett:wep not found` (oclif joins the words into a topic). Without a manifest (a development tree),
 * oclif decides.
 */
export function unknownCommandMessage(args: string[], bin: string): string | undefined {
  const word = args[0]
  if (word === undefined || word.startsWith('-')) return undefined
  const commands = readManifest()?.commands
  if (!commands) return undefined
  const known = [...Object.keys(commands), ...OTHER_WORDS]
  if (known.includes(word) || known.some((k) => k.startsWith(`${word}:`))) return undefined
  const guess = closestWord(word.toLowerCase(), known)
  return `error: unknown command "${word}" for "${bin}"\n${guess ? `Did you mean ${guess}?\n` : ''}See '${bin} --help' for the list of commands.\n`
}
