/**
 * A fast YAML emitter for JSON-shaped data (what API objects are). Strings that could read back as anything
 * but the same string are double-quoted with JSON escapes, which YAML accepts; so output always round-trips.
 * Much faster than a general YAML library, which matters at 50,000 objects.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/
const IPV4ISH = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,3})?$/
// Words YAML 1.1 or 1.2 reads as booleans or null.
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~'].flatMap((w) => [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)]))

export function yamlScalar(s: string): string {
  if (s.length > 0 && s.length < 512 && (PLAIN.test(s) || IPV4ISH.test(s)) && !RESERVED.has(s)) return s
  return JSON.stringify(s)
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return yamlScalar(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value))
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.length === 0) return '[]'
  if (typeof value === 'object' && Object.keys(value as object).length === 0) return '{}'
  return undefined
}

/** `value` as a YAML block; `indent` is the current indentation. Lines end with \n. */
export function emitYaml(value: unknown, indent = ''): string {
  const s = scalar(value)
  if (s !== undefined) return `${indent}${s}\n`
  let out = ''
  if (Array.isArray(value)) {
    for (const item of value) out += emitSequenceItem(item, indent)
    return out
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue
    const key = yamlScalar(k)
    const vs = scalar(v)
    if (vs !== undefined) out += `${indent}${key}: ${vs}\n`
    else if (Array.isArray(v)) out += `${indent}${key}:\n${emitYaml(v, indent)}`
    else out += `${indent}${key}:\n${emitYaml(v, indent + '  ')}`
  }
  return out
}

/** One `- item` of a sequence at `indent`. */
export function emitSequenceItem(item: unknown, indent = ''): string {
  const s = scalar(item)
  if (s !== undefined) return `${indent}- ${s}\n`
  const body = emitYaml(item, indent + '  ')
  // The first line of the nested block takes the dash's place.
  return `${indent}- ${body.slice(indent.length + 2)}`
}
