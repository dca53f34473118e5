/** Text that came from a server, made safe to print: control characters escaped, size bounded. */

const ERROR_BODY_LIMIT = 2048

// C0 controls except tab and newline, DEL and C1 controls: escape sequences must never reach a terminal raw.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** An error body for a message: at most about 2 KB, control characters escaped. */
export function cleanErrorBody(text: string, totalBytes = Buffer.byteLength(text)): string {
  const trimmed = text.trim()
  if (trimmed.length <= ERROR_BODY_LIMIT && totalBytes <= ERROR_BODY_LIMIT * 2) return escapeControl(trimmed)
  return `${escapeControl(trimmed.slice(0, ERROR_BODY_LIMIT))}... (${totalBytes} bytes in all, cut here)`
}

/** `268435456` → `256 MiB`, for messages about the response-size ceiling. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`
  }
  return `${bytes} bytes`
}
