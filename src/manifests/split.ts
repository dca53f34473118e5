import {isUtf8} from 'node:buffer'

/**
 * Cuts a stream of bytes into YAML documents without holding the whole input: documents are separated by `---`
 * (and ended by `...`) at the start of a line, which YAML forbids inside any scalar, so the cut needs no parsing.
 * Problems that make a document unreadable as text (invalid UTF-8, control characters, excessive size) are
 * found here, with their positions.
 */

/** Documents bigger than this (in characters) are reported and skipped rather than read into memory. */
const MAX_DOCUMENT_SIZE = 64 * 1024 * 1024

export type InputProblemKind = 'invalid-utf8' | 'binary' | 'too-large' | 'syntax'

export interface InputProblem {
  kind: InputProblemKind
  message: string
  /** Offset in the segment's text. */
  offset: number
}

export interface Segment {
  /** The document's text, from its `---` line (if any) up to the next marker. Empty when skipped. */
  text: string
  /** Position of the document in its file (0-based), counted as the `yaml` package counts them. */
  index: number
  /** 1-based line of `text[0]` in the file. */
  line: number
  /** Size of the document's source in characters (also when it was skipped). */
  size: number
  problems: InputProblem[]
  /** One value of a JSON stream: JSON only, no YAML fallback. */
  json?: boolean
}

export interface SplitOptions {
  maxDocumentSize?: number
}

// kubectl's YAML reader (apimachinery yaml.go) cuts at every line that starts with `---`, and refuses the file when
// anything but blanks or a comment follows on that line. `...` ends a document for go-yaml: what follows it, up to
// the next `---`, is never read.
// That is /^(?:---|\.\.\.(?=[ \t\r\n]|$))/m; MarkerSearch finds the same places with indexOf, which allocates no
// match object per document.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/

/** A whole text as segments. */
export function* splitText(text: string, options: SplitOptions = {}): Generator<Segment> {
  const splitter = new Splitter(options.maxDocumentSize ?? MAX_DOCUMENT_SIZE)
  yield* splitter.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, [])
  yield* splitter.finish()
}

/**
 * Byte chunks (a file or stdin) as segments, decoded as UTF-8 on the way; one batch per chunk, since an await
 * per document would cost more than parsing it.
 */
export async function* splitChunks(
  chunks: AsyncIterable<Uint8Array>,
  options: SplitOptions = {},
): AsyncGenerator<Segment[]> {
  const splitter = new Splitter(options.maxDocumentSize ?? MAX_DOCUMENT_SIZE)
  let carry: Uint8Array = new Uint8Array(0)
  let first = true
  for await (const chunk of chunks) {
    // Decode whole characters only; one cut by the chunk boundary is completed by the next chunk.
    const bytes = carry.length > 0 ? concat(carry, chunk) : chunk
    const complete = bytes.length - incompleteTail(bytes)
    const whole = bytes.subarray(0, complete)
    const bad: number[] = []
    let text: string
    if (isUtf8(whole)) {
      // Valid UTF-8 (the usual case): Buffer's decoder, several times faster than a streaming TextDecoder.
      text = Buffer.from(whole.buffer, whole.byteOffset, whole.length).toString('utf8')
    } else {
      text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(whole)
      const at = firstInvalid(bytes, complete)
      // The offset in characters of this chunk's decoded text (the carried bytes decode with it).
      if (at >= 0) bad.push(new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes.subarray(0, at)).length)
    }
    carry = bytes.slice(complete)
    if (first && text.length > 0) {
      // A byte-order mark opening the input is not text (TextDecoder's default, which this used to be).
      first = false
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1)
        for (let k = 0; k < bad.length; k++) bad[k]--
      }
    }
    const batch = [...splitter.push(text, bad)]
    if (batch.length > 0) yield batch
  }
  // A character cut off by the end of the input.
  const rest = carry.length > 0 ? new TextDecoder('utf-8', {ignoreBOM: true}).decode(carry) : ''
  yield [...splitter.push(rest, carry.length > 0 ? [0] : []), ...splitter.finish()]
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** Bytes at the end that start a multi-byte character whose other bytes have not arrived yet. */
function incompleteTail(bytes: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const b = bytes[bytes.length - k]
    if ((b & 0xc0) === 0x80) continue
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > k ? k : 0
  }
  return 0
}

/** Offset of the first byte that does not start a valid UTF-8 sequence within `bytes[0..end)`. */
function firstInvalid(bytes: Uint8Array, end: number): number {
  let i = 0
  while (i < end) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80]
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800]
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000]
    else return i
    if (i + need >= end) return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if ((c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

/**
 * The cutting itself. Each chunk is scanned once, with the last three characters of the previous one held back
 * (a `---` may straddle two chunks): scanning the whole pending text per chunk would be quadratic on a huge
 * document. A document's text is kept as a list of chunks and joined once, when it ends.
 */
class Splitter {
  /** The current document's text so far, and its length. */
  private parts: string[] = []
  private length = 0
  /** Up to 3 characters not yet given to the document: they may begin a marker. */
  private held = ''
  /** Absolute offset of held[0], and whether it starts a line. */
  private heldAt = 0
  private heldAtLineStart = true
  /** Line of the current document's first character. */
  private docLine = 1
  private docLines = 0
  /** Absolute offset of the current document's first character. */
  private docAt = 0
  /** The current document was opened by `---` (counts even when empty) or follows a `...` line (dropped). */
  private explicit = false
  private endMarker = false
  /** Over-sized: text is counted, not kept. */
  private skipping = false
  private index = 0
  private bad: number[] = []
  private directives = ''
  private directivesLine = 0

  constructor(private readonly max: number) {}

  *push(text: string, badOffsets: number[]): Generator<Segment> {
    const window = this.held + text
    const windowAt = this.heldAt
    for (const b of badOffsets) this.bad.push(windowAt + this.held.length + b)
    yield* this.scan(window, windowAt, false)
  }

  *finish(): Generator<Segment> {
    const window = this.held
    yield* this.scan(window, this.heldAt, true)
    this.commit(this.held)
    this.held = ''
    yield* this.close()
  }

  private *scan(window: string, windowAt: number, final: boolean): Generator<Segment> {
    const markers = new MarkerSearch(window)
    let from = 0
    let cursor = 0
    for (;;) {
      const at = markers.next(from)
      if (at === -1) break
      if (at === 0 && !this.heldAtLineStart) {
        from = 1
        continue
      }
      // `---` at the very end may still become `----x`: wait for the next character.
      if (at + 3 >= window.length && !final) break
      this.commit(window.slice(cursor, at))
      yield* this.close()
      this.docAt = windowAt + at
      this.explicit = window.charCodeAt(at) !== 46
      this.endMarker = !this.explicit
      cursor = at
      from = at + 3
    }
    if (final) {
      this.held = window.slice(cursor)
      return
    }
    // Keep back what may begin a marker; give the rest to the document.
    const keep = Math.max(cursor, window.length - 3)
    this.commit(window.slice(cursor, keep))
    this.held = window.slice(keep)
    this.heldAt = windowAt + keep
    this.heldAtLineStart = keep === 0 ? this.heldAtLineStart : window.charCodeAt(keep - 1) === 10
  }

  /** Adds text to the current document (or only counts it, past the size limit). */
  private commit(text: string): void {
    if (text === '') return
    this.docLines += countLines(text, 0, text.length)
    this.length += text.length
    if (!this.skipping && this.length > this.max) {
      this.skipping = true
      this.parts = []
    }
    if (!this.skipping) this.parts.push(text)
  }

  /** Ends the current document and emits it when it is one. */
  private *close(): Generator<Segment> {
    const line = this.docLine
    const size = this.length
    const start = this.docAt
    const bad = this.takeBadOffsets(start, start + size)
    let text = this.parts.length === 1 ? this.parts[0] : this.parts.join('')
    const skipped = this.skipping
    this.docLine = line + this.docLines
    this.docLines = 0
    this.parts = []
    this.length = 0
    this.skipping = false
    if (skipped) {
      yield this.tooLarge(line, size)
      return
    }
    let textLine = line
    let shift = 0
    if (this.endMarker) return
    if (this.directives) {
      text = this.directives + text
      textLine = this.directivesLine
      shift -= this.directives.length
      this.directives = ''
    }
    if (!this.explicit && !/^[ \t]*[^\s#]/m.test(text)) return
    if (!this.explicit && !/^[^%#\s]/m.test(text) && /^%/m.test(text)) {
      // Only directives (and comments): they belong to the next document.
      this.directives = text
      this.directivesLine = textLine
      return
    }
    const problems = textProblems(text, this.explicit, bad, start + shift)
    yield {text, index: this.index++, line: textLine, size: text.length, problems}
  }

  /** The invalid-UTF-8 offsets inside [start, end), dropped from those still to come. */
  private takeBadOffsets(start: number, end: number): number[] {
    let bad: number[] = []
    if (this.bad.length > 0) {
      bad = this.bad.filter((b) => b >= start && b < end)
      this.bad = this.bad.filter((b) => b >= end)
    }
    return bad
  }

  /** An over-sized document: reported by its size, its text never kept. */
  private tooLarge(line: number, size: number): Segment {
    const message =
      `the document is ${formatSize(size)}, more than the ${formatSize(this.max)} one document ` +
      `may have; it was skipped (split it into smaller documents)`
    return {text: '', index: this.index++, line, size, problems: [{kind: 'too-large', offset: 0, message}]}
  }
}

/**
 * What makes a document's text unreadable, at most one problem: text after its `---`, else invalid UTF-8 (`bad`
 * holds absolute offsets; `textAt` is the absolute offset of text[0]), else a control character.
 */
function textProblems(text: string, explicit: boolean, bad: number[], textAt: number): InputProblem[] {
  const problems: InputProblem[] = []
  // `---` alone on its line (nearly always): nothing after it to check.
  const bare = text.length === 3 || text.charCodeAt(3) === 10
  const separator = explicit && !bare ? /^---[ \t]*([^\n]*?)[ \t\r]*(?:\n|$)/.exec(text) : null
  if (separator && separator[1] !== '' && separator[1][0] !== '#') {
    problems.push({
      kind: 'syntax',
      offset: 0,
      message: `invalid Yaml document separator: ${separator[1]} (kubectl allows only a comment after ---)`,
    })
  } else if (bad.length > 0) {
    const offset = Math.max(0, bad[0] - textAt)
    problems.push({
      kind: 'invalid-utf8',
      offset,
      message: 'the file is not valid UTF-8 (manifests must be UTF-8 text): re-save it as UTF-8',
    })
  } else {
    const control = CONTROL.exec(text)
    if (control) problems.push(controlCharacterProblem(control[0].charCodeAt(0), control.index))
  }
  return problems
}

function controlCharacterProblem(code: number, offset: number): InputProblem {
  return {
    kind: 'binary',
    offset,
    message:
      code === 0
        ? 'the file holds binary data (a NUL byte), not YAML or JSON text'
        : `the file holds the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}, ` +
          `which YAML does not allow; remove it`,
  }
}

/** Line terminators as the `m` flag of a RegExp knows them (`^` matches after one, `$` before one). */
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029

/**
 * The next `---` or `...` (followed by a blank, a line end or the end of the text) that starts a line, at or after
 * an offset. Each kind's next occurrence is remembered, so the text is searched once for each.
 */
class MarkerSearch {
  private dashes = -2
  private dots = -2
  constructor(private readonly text: string) {}

  next(from: number): number {
    if (this.dashes !== -1 && this.dashes < from) this.dashes = this.find('---', from)
    if (this.dots !== -1 && this.dots < from) this.dots = this.find('...', from)
    if (this.dashes === -1) return this.dots
    return this.dots === -1 ? this.dashes : Math.min(this.dashes, this.dots)
  }

  private find(marker: string, from: number): number {
    const text = this.text
    for (let at = text.indexOf(marker, from); at !== -1; at = text.indexOf(marker, at + 1)) {
      if (at > 0 && !isLineTerminator(text.charCodeAt(at - 1))) continue
      if (marker === '---') return at
      const after = text.charCodeAt(at + 3)
      if (at + 3 === text.length || after === 32 || after === 9 || isLineTerminator(after)) return at
    }
    return -1
  }
}

function countLines(text: string, from: number, to: number): number {
  let n = 0
  let i = text.indexOf('\n', from)
  while (i !== -1 && i < to) {
    n++
    i = text.indexOf('\n', i + 1)
  }
  return n
}

function formatSize(n: number): string {
  const mib = 1024 * 1024
  if (n >= mib) return `${Number((n / mib).toFixed(1))} MiB`
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`
  return `${n} characters`
}
