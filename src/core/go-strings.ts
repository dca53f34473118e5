/**
 * Go's string order, which kubectl's outputs follow (sorted map keys in jsonpath and templates, label selectors'
 * sets): Go compares strings byte-wise in UTF-8, which orders them by code point (golang/go src/strings/compare.go).
 */

/** Unpaired surrogates: Go's JSON decoder reads each as U+FFFD (golang/go src/encoding/json/decode.go, unquote). */
const LONE_SURROGATE = /[\ud800-\udfff]/gu

/** The string Go holds for `s`: each unpaired surrogate replaced by U+FFFD. */
export function asGoString(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd')
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff

/**
 * Go's `a < b` as a sort comparator. JavaScript's `<` compares UTF-16 units and disagrees only where a surrogate
 * (an astral code point, or an unpaired one that Go holds as U+FFFD) meets another unit; those take the slow way.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if (isSurrogate(x) || isSurrogate(y)) {
      return compareWellFormed(asGoString(a), asGoString(b))
    }
    return x - y
  }
  return a.length - b.length
}

/** Code point order of strings whose surrogates are all paired: a surrogate ranks above every other unit. */
function compareWellFormed(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

/** A decoded map's keys in Go's order (fmt, range and json.Marshal sort them); keys holding undefined are absent. */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort(compareGoStrings)
}
