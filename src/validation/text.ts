/** Name rules and wording helpers shared by the rule files. */
import {escapePointer} from '../core/json-pointer.js'
import {DNS1123_LABEL} from '../core/names.js'

export {DNS1123_LABEL, escapePointer}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** Why a DNS-1123 label is invalid, or undefined when it is fine. */
export function labelProblem(value: string, max = 63): string | undefined {
  if (value === '') return 'it is empty'
  if (value.length > max) return `it is ${value.length} characters long (at most ${max})`
  if (!DNS1123_LABEL.test(value))
    return "it must consist of lower case letters, digits or '-', and start and end with a letter or digit"
  return undefined
}

export function subdomainProblem(value: string): string | undefined {
  if (value === '') return 'it is empty'
  if (value.length > 253) return `it is ${value.length} characters long (at most 253)`
  if (!DNS1123_SUBDOMAIN.test(value))
    return "it must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit"
  return undefined
}

/** A lower-case DNS-1123 label close to `value`, to suggest (e.g. `My_Net` → `my-net`). */
export function toLabel(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]
}

/** The known word nearest to `word` (case-insensitive edit distance), if near enough to be a likely typo. */
export function nearest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const k of known) {
    const d = levenshtein(w, k.toLowerCase())
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3))
  return best !== undefined && bestDistance <= limit ? best : undefined
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const n = nearest(word, known)
  return n ? ` (did you mean "${n}"?)` : ''
}

/** A value as it reads in YAML/JSON, shortened for messages. */
export function show(value: unknown, max = 60): string {
  let text: string
  if (typeof value === 'string') text = JSON.stringify(value)
  else if (value === undefined) text = 'nothing'
  else {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = String(value)
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
