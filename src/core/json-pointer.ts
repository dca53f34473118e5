/** JSON Pointer (RFC 6901) reference tokens: `~` is written `~0` and `/` is written `~1`. */

/** One key or index as a pointer token. */
export function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key
}

/** A pointer token back to its key (`~1` first, so `~01` stays `~1`). */
export function unescapePointer(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~')
}
