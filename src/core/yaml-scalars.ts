/**
 * YAML scalar styles decoded with, optionally, the source offset of every decoded character, so a problem found
 * inside a string value (a NAD's `spec.config` JSON, a selector, an annotation) can be pointed at in the file even
 * when the string was folded over several lines, quoted with escapes, or written as a block scalar.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded'

/** Input the decoders do not accept; the caller then points at the scalar's start. */
class ScalarSyntax extends Error {}

const SPACE = 32
const TAB = 9
const LF = 10

const isWhite = (c: number) => c === SPACE || c === TAB

/** Collects decoded text and, when asked, the source offset of each decoded character. */
class Out {
  text = ''
  constructor(readonly map?: number[]) {}
  put(s: string, at: number): void {
    this.text += s
    if (this.map) for (let k = 0; k < s.length; k++) this.map.push(at)
  }
  /** Source characters copied as they are. */
  copy(src: string, a: number, b: number): void {
    this.text += src.slice(a, b)
    if (this.map) for (let k = a; k < b; k++) this.map.push(k)
  }
}

/**
 * A quoted scalar `src[start..end)`, quotes included: escapes (double) or `''` (single) decoded, line breaks
 * folded (one break → a space, each empty line → a newline, indentation and trailing blanks dropped).
 */
function decodeQuoted(src: string, start: number, end: number, style: 'single' | 'double', map?: number[]): string {
  const out = new Out(map)
  const stop = end - 1
  let i = start + 1
  while (i < stop) {
    const c = src.charCodeAt(i)
    if (style === 'single' && c === 39) {
      out.put("'", i)
      i += 2
    } else if (style === 'double' && c === 92) {
      if (src.charCodeAt(i + 1) === LF) {
        // An escaped line break joins the lines with nothing between them.
        i = foldBreak(src, i + 2, stop, out, i, true)
      } else {
        const esc = decodeEscape(src, i, stop)
        out.put(esc.text, i)
        i = esc.next
      }
    } else if (isWhite(c) || c === LF) {
      let j = i
      while (j < stop && isWhite(src.charCodeAt(j))) j++
      if (j < stop && src.charCodeAt(j) === LF) {
        i = foldBreak(src, j + 1, stop, out, j, false)
      } else {
        out.copy(src, i, j)
        i = j
      }
    } else {
      // Copy a run of ordinary characters at once.
      let j = i + 1
      while (j < stop) {
        const d = src.charCodeAt(j)
        if (d === LF || isWhite(d) || (style === 'single' ? d === 39 : d === 92)) break
        j++
      }
      out.copy(src, i, j)
      i = j
    }
  }
  map?.push(stop)
  return out.text
}

// After a line break inside a flow scalar: empty lines become newlines, a lone break becomes a space (nothing
// after an escaped break), and the next line's indentation is dropped. Returns the next content offset.
function foldBreak(src: string, i: number, stop: number, out: Out, breakAt: number, escaped: boolean): number {
  let newlines = 0
  for (;;) {
    let j = i
    while (j < stop && isWhite(src.charCodeAt(j))) j++
    if (j < stop && src.charCodeAt(j) === LF) {
      out.put('\n', j)
      newlines++
      i = j + 1
      continue
    }
    if (newlines === 0 && !escaped) out.put(' ', breakAt)
    return j
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
}

function decodeEscape(src: string, i: number, stop: number): {text: string; next: number} {
  const e = src[i + 1]
  if (e !== undefined && Object.hasOwn(ESCAPES, e)) return {text: ESCAPES[e], next: i + 2}
  const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0
  const hex = src.slice(i + 2, i + 2 + width)
  if (width === 0 || i + 2 + width > stop || !/^[0-9a-fA-F]+$/.test(hex))
    throw new ScalarSyntax(`invalid escape sequence \\${e ?? ''}`)
  const code = parseInt(hex, 16)
  if (code > 0x10ffff) throw new ScalarSyntax(`invalid escape sequence \\${e}${hex}`)
  return {text: String.fromCodePoint(code), next: i + 2 + width}
}

/** A plain scalar over `src[start..end)`: each line trimmed, one break → a space, each empty line → a newline. */
function decodePlain(src: string, start: number, end: number, map?: number[]): string {
  const out = new Out(map)
  let i = start
  let first = true
  let empties = 0
  let breakAt = start
  for (;;) {
    let e = src.indexOf('\n', i)
    if (e === -1 || e > end) e = end
    let a = i
    let b = e
    while (a < b && isWhite(src.charCodeAt(a))) a++
    while (b > a && isWhite(src.charCodeAt(b - 1))) b--
    if (a === b) {
      if (!first) empties++
    } else {
      if (!first) {
        if (empties > 0) for (let k = 0; k < empties; k++) out.put('\n', breakAt)
        else out.put(' ', breakAt)
      }
      out.copy(src, a, b)
      first = false
      empties = 0
    }
    breakAt = e
    if (e >= end) break
    i = e + 1
  }
  map?.push(end)
  return out.text
}

interface BlockHeader {
  folded: boolean
  chomp: 'clip' | 'strip' | 'keep'
  /** Explicit indentation indicator (1-9); 0 when detected from the first line. */
  indicator: number
}

/**
 * A block scalar whose header (`|`, `>-`, `|2+` ...) is at `start`; `parentIndent` is the column of the key or
 * `-` that owns it (-1 at the document root). Returns the value and the offset where the scalar's lines end
 * (the start of the first line that is not part of it).
 */
function decodeBlock(
  src: string,
  start: number,
  parentIndent: number,
  map?: number[],
): {value: string; end: number; header: BlockHeader} {
  const header: BlockHeader = {folded: src[start] === '>', chomp: 'clip', indicator: 0}
  const headerEnd = readBlockHeader(src, start, header)
  // Each line: [content start, line end]; empty lines have start === end.
  const starts: number[] = []
  const ends: number[] = []
  const end = collectBlockLines(src, headerEnd + 1, parentIndent, header.indicator, starts, ends)
  const out = new Out(map)
  let last = starts.length - 1
  while (last >= 0 && starts[last] === ends[last]) last--
  joinBlockLines(src, starts, ends, last, header.folded, out)
  chompBlock(header.chomp, starts, ends, last, out)
  map?.push(end)
  return {value: out.text, end, header}
}

/**
 * Reads the chomping and indentation indicators (either order, each at most once) into `header`; only blanks and a
 * comment may follow them. Returns the offset of the header line's end.
 */
function readBlockHeader(src: string, start: number, header: BlockHeader): number {
  let i = start + 1
  for (let k = 0; k < 2; k++) {
    const c = src[i]
    if ((c === '-' || c === '+') && header.chomp === 'clip') {
      header.chomp = c === '-' ? 'strip' : 'keep'
      i++
    } else if (c !== undefined && c >= '1' && c <= '9' && header.indicator === 0) {
      header.indicator = Number(c)
      i++
    }
  }
  let headerEnd = src.indexOf('\n', i)
  if (headerEnd === -1) headerEnd = src.length
  if (!/^(?:[ \t]+(?:#.*)?)?$/.test(src.slice(i, headerEnd)))
    throw new ScalarSyntax('unexpected text after a block scalar indicator')
  return headerEnd
}

/**
 * Records the block's lines from `pos` into `starts`/`ends` (content start past the indentation, line end) until
 * a line indented at or below the parent. Without an indicator the first non-empty line sets the indentation
 * (https://yaml.org/spec/1.2.2/#8111-block-indentation-indicator). Returns the offset where the scalar's lines end.
 */
function collectBlockLines(
  src: string,
  pos: number,
  parentIndent: number,
  indicator: number,
  starts: number[],
  ends: number[],
): number {
  let indent = indicator > 0 ? parentIndent + indicator : -1
  let maxLeading = 0
  while (pos < src.length) {
    let e = src.indexOf('\n', pos)
    if (e === -1) e = src.length
    let j = pos
    while (j < e && src.charCodeAt(j) === SPACE) j++
    const spaces = j - pos
    if (j === e) {
      if (indent === -1) maxLeading = Math.max(maxLeading, spaces)
      else if (spaces > indent) throw new ScalarSyntax('whitespace-only line inside a block scalar')
      starts.push(e)
      ends.push(e)
      pos = e + 1
      continue
    }
    if (indent === -1) {
      if (spaces <= parentIndent) return pos
      indent = spaces
      if (maxLeading > indent) throw new ScalarSyntax('leading empty lines are more indented than the block scalar')
    }
    if (spaces < indent) {
      if (src.charCodeAt(j) === TAB) throw new ScalarSyntax('tab in block scalar indentation')
      return pos
    }
    starts.push(pos + indent)
    ends.push(e)
    pos = e + 1
  }
  return src.length
}

/**
 * Lines 0..last joined: literal keeps every break; folded turns a lone break between two normal lines into a space
 * and keeps breaks around more-indented lines (https://yaml.org/spec/1.2.2/#813-folded-style).
 */
function joinBlockLines(src: string, starts: number[], ends: number[], last: number, folded: boolean, out: Out): void {
  let prev = -1
  let prevMore = false
  for (let n = 0; n <= last; n++) {
    if (starts[n] === ends[n]) continue
    const more = isWhite(src.charCodeAt(starts[n]))
    if (prev === -1) {
      for (let k = 0; k < n; k++) out.put('\n', ends[k])
    } else if (!folded || more || prevMore) {
      out.put('\n', ends[prev])
      for (let k = prev + 1; k < n; k++) out.put('\n', ends[k])
    } else if (n > prev + 1) {
      for (let k = prev + 1; k < n; k++) out.put('\n', ends[k])
    } else {
      out.put(' ', ends[prev])
    }
    out.copy(src, starts[n], ends[n])
    prev = n
    prevMore = more
  }
}

/**
 * The final line break and trailing empty lines: clip keeps one break, strip none, keep all
 * (https://yaml.org/spec/1.2.2/#8112-block-chomping-indicator).
 */
function chompBlock(chomp: BlockHeader['chomp'], starts: number[], ends: number[], last: number, out: Out): void {
  if (last >= 0) {
    if (chomp !== 'strip') out.put('\n', ends[last])
    if (chomp === 'keep') for (let n = last + 1; n < starts.length; n++) out.put('\n', ends[n])
  } else if (chomp === 'keep' && starts.length > 0) {
    throw new ScalarSyntax('an empty block scalar that keeps its line breaks')
  }
}

/**
 * A scalar's decoded string and the source offset of each of its characters (`map[value.length]` is the end):
 * the one entry point for "where in the file is character N of this value".
 */
export function scalarOffsets(
  src: string,
  start: number,
  end: number,
  style: ScalarStyle,
  parentIndent: number,
): {value: string; map: number[]} {
  const map: number[] = []
  let value: string
  if (style === 'single' || style === 'double') value = decodeQuoted(src, start, end, style, map)
  else if (style === 'plain') value = decodePlain(src, start, end, map)
  else value = decodeBlock(src, start, parentIndent, map).value
  return {value, map}
}
