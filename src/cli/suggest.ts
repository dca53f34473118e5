import {closestWord} from '../resources/registry.js'
import {readManifest} from './argv.js'

/** Words oclif answers that are not commands of ours (plugins, help). */
const OTHER_WORDS = ['help', 'autocomplete']

/**
 * A first word that is no command (or a topic's second word that is none of its commands): kubectl's
 * "unknown command" with a "Did you mean" (exit 2), instead of oclif's `command gett:wep not found` (oclif joins
 * the words into a topic). Without a manifest (a development tree), oclif decides.
 */
export function unknownCommandMessage(args: string[], bin: string): string | undefined {
  const word = args[0]
  if (word === undefined || word.startsWith('-')) return undefined
  const commands = readManifest()?.commands
  if (!commands) return undefined
  // Hidden commands (__complete) run when typed exactly, but are never suggested.
  const ids = Object.keys(commands).filter((id) => !(commands[id] as {hidden?: boolean}).hidden)
  if (word in commands) return undefined
  const topics = [...new Set(ids.filter((k) => k.includes(':')).map((k) => k.split(':')[0]))]
  if (topics.includes(word)) return unknownInTopic(word, args[1], ids, bin)
  const known = [...ids.filter((k) => !k.includes(':')), ...topics, ...OTHER_WORDS]
  if (known.includes(word)) return undefined
  const guess = closestWord(word.toLowerCase(), known)
  return message(word, bin, guess)
}

/** `ipam sho` → `Did you mean ipam show?`; a bare topic or `--help` is oclif's (topic help). */
function unknownInTopic(topic: string, sub: string | undefined, ids: string[], bin: string): string | undefined {
  if (sub === undefined || sub.startsWith('-') || ids.includes(`${topic}:${sub}`)) return undefined
  const names = ids.filter((k) => k.startsWith(`${topic}:`)).map((k) => k.slice(topic.length + 1))
  const guess = closestWord(sub.toLowerCase(), names)
  return message(sub, `${bin} ${topic}`, guess && `${topic} ${guess}`)
}

function message(word: string, command: string, guess: string | undefined): string {
  const hint = guess ? `Did you mean ${guess}?\n` : ''
  return `error: unknown command "${word}" for "${command}"\n${hint}See '${command} --help' for the list of commands.\n`
}
