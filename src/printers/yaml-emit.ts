/**
 * A fast YAML emitter for JSON-shaped data (what API objects are). Strings that could read back as anything
 * but the same string are double-quoted with JSON escapes, which YAML accepts; so output always round-trips.
 * Much faster than a general YAML library, which matters at 50,000 objects.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/
const IPV4ISH = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,3})?$/
// Words YAML 1.1 or 1.2 reads as booleans or null.
const RESERVED = new Set(
  ['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~'].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0].toUpperCase() + w.slice(1),
  ]),
)

export function yamlScalar(s: string): string {
  if (s.length > 0 && s.length < 512 && (PLAIN.test(s) || IPV4ISH.test(s)) && !RESERVED.has(s)) return s
  return JSON.stringify(s)
}

// Keys repeat in every object (apiVersion, metadata, labels...): each is checked once.
const keyCache = new Map<string, string>()
function yamlKey(k: string): string {
  let key = keyCache.get(k)
  if (key === undefined) {
    key = yamlScalar(k)
    if (keyCache.size < 10_000) keyCache.set(k, key)
  }
  return key
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false
  return true
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return yamlScalar(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value))
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.length === 0) return '[]'
  if (typeof value === 'object' && isEmptyObject(value as object)) return '{}'
  return undefined
}

/**
 * `value` as a YAML block; `indent` is the current indentation and `first` replaces it on the first line (a
 * sequence item's `- `), so no block is built and then sliced, which flattened every item. Lines end with \n.
 */
export function emitYaml(value: unknown, indent = '', first = indent): string {
  const s = scalar(value)
  if (s !== undefined) return `${first}${s}\n`
  let out = ''
  let lead = first
  if (Array.isArray(value)) {
    for (const item of value) {
      out += emitSequenceItem(item, indent, lead)
      lead = indent
    }
    return out
  }
  // for...in rather than Object.entries: no [key, value] array per property (API objects are plain JSON).
  const object = value as Record<string, unknown>
  for (const k in object) {
    const v = object[k]
    if (v === undefined) continue
    const key = yamlKey(k)
    const vs = scalar(v)
    if (vs !== undefined) out += `${lead}${key}: ${vs}\n`
    else if (Array.isArray(v)) out += `${lead}${key}:\n${emitYaml(v, indent)}`
    else out += `${lead}${key}:\n${emitYaml(v, indent + '  ')}`
    lead = indent
  }
  return out
}

/** One `- item` of a sequence at `indent` (`first`: the indentation of its first line, if not `indent`). */
export function emitSequenceItem(item: unknown, indent = '', first = indent): string {
  const s = scalar(item)
  if (s !== undefined) return `${first}- ${s}\n`
  return emitYaml(item, indent + '  ', first + '- ')
}
