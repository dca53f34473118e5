/**
 * Values from the cluster or from files (annotations, interface names, IPs, labels, names) may hold terminal
 * control sequences. Human-readable outputs show them escaped so that they cannot move the cursor, rewrite
 * earlier lines, ring the bell or reverse text; kubectl does the same for ESC and CR in its tables and describe
 * output (kubernetes/cli-runtime pkg/printers/terminal.go). YAML and JSON stay exact: their formats escape them.
 */

/** C0 controls, DEL, C1 controls, and the Unicode marks that reorder or hide text (bidi overrides, isolates). */
const UNSAFE_CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]'
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g')
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS)

const NAMED: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'}

function escapeChar(c: string): string {
  const named = NAMED[c]
  if (named) return named
  const code = c.charCodeAt(0)
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `a\x1b[31mb` for `a<ESC>[31mb`; the string itself when there is nothing to escape (the common case). */
export function escapeTerminal(text: string): string {
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text
}

/**
 * The same value with every string in it escaped, for templates (jsonpath) whose own literal text must stay as
 * written. Returns the very same object when nothing needed escaping, so clean data is not copied.
 */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeTerminal(value) as T
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((item, i) => {
      const escaped = escapeStrings(item)
      if (escaped !== item) (copy ??= [...value])[i] = escaped
    })
    return (copy ?? value) as T
  }
  if (value !== null && typeof value === 'object') {
    let copy: Record<string, unknown> | undefined
    const record = value as Record<string, unknown>
    for (const key in record) {
      const item = record[key]
      const escaped = escapeStrings(item)
      const escapedKey = escapeTerminal(key)
      if (escaped === item && escapedKey === key) continue
      copy ??= {...record}
      if (escapedKey !== key) delete copy[key]
      copy[escapedKey] = escaped
    }
    return (copy ?? value) as T
  }
  return value
}
