import {readSync} from 'node:fs'
import {open, readdir, stat} from 'node:fs/promises'
import {extname, join} from 'node:path'
import {currentInvocation, type InputStream} from '../core/streams.js'
import {InputError} from '../core/errors.js'
import {DecodeError, decodeYaml, MAX_DEPTH, positionMap, type NodeInfo, type PositionMap} from '../core/goyaml.js'
import {scalarOffsets} from '../core/yaml-scalars.js'
import {splitChunks, splitText, type Segment} from './split.js'

export interface SourcePosition {
  line: number
  column: number
}

/** Why a document could not be read: a YAML/JSON syntax error, or input that is not manifest text at all. */
export type ProblemKind = 'syntax' | 'invalid-utf8' | 'binary' | 'too-large' | 'too-deep' | 'alias-limit'

export interface SyntaxProblem extends SourcePosition {
  message: string
  kind?: ProblemKind
}

/** One resource read from a manifest, with what is needed to point back into its source. */
export interface ManifestDocument {
  /** The path as given (or `<stdin>`). */
  file: string
  /** Position of the YAML document in its file (0-based). */
  index: number
  /** When the resource came from a `List`, its position in `items`. */
  listIndex?: number
  object: unknown
  /** Where a JSON pointer (relative to this resource) starts in the source. */
  locate(pointer: string): SourcePosition | undefined
  /** The document's own start. */
  position: SourcePosition
  /** YAML/JSON syntax errors: the document cannot be trusted. */
  errors: SyntaxProblem[]
  /** Where the key of the member at `pointer` is (the value's position when it has no key). */
  locateKey?(pointer: string): SourcePosition | undefined
  /**
   * Where character `offset` of the string value at `pointer` comes from: quoting, escapes, line folding and
   * block-scalar indentation undone. Falls back to the value's start when the mapping cannot be made.
   */
  locateInString?(pointer: string, offset: number): SourcePosition | undefined
  /** Size of the document's source text, in characters. */
  size?: number
}

export interface ReadOptions {
  recursive?: boolean
  /** What `-` reads (default: the standard input of the run, src/core/streams.ts). */
  stdin?: InputStream
  /** Over-sized documents are reported and skipped (default MAX_DOCUMENT_SIZE characters). */
  maxDocumentSize?: number
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
// Small chunks keep few documents alive at once, which keeps garbage collection cheap
// (measured: 64 KiB is ~2x faster than 1 MiB).
const CHUNK_SIZE = 1 << 16

/** The files behind `-f` arguments: files as given, directories walked for .yaml/.yml/.json (subdirectories: -R). */
export async function expandPaths(paths: string[], recursive = false): Promise<string[]> {
  const files: string[] = []
  for (const path of paths) {
    if (path === '-') {
      files.push('-')
      continue
    }
    let info
    try {
      info = await stat(path)
    } catch (error) {
      throw new InputError(`cannot read ${path}: ${describeFsError(error)}`, 'check the path given to -f')
    }
    if (info.isDirectory()) files.push(...(await walk(path, recursive)))
    else files.push(path)
  }
  return files
}

async function walk(dir: string, recursive: boolean): Promise<string[]> {
  let entries
  try {
    entries = (await readdir(dir, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))
  } catch (error) {
    throw new InputError(
      `cannot read directory ${dir}: ${describeFsError(error)}`,
      'check the path given to -f and its permissions',
    )
  }
  const out: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await walk(path, recursive)))
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
      out.push(path)
    }
  }
  return out
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return (error as Error).message
}

/** A file's bytes, a chunk at a time (the buffer is reused: consume each chunk before asking for the next). */
async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`, 'check the path given to -f')
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_SIZE)
    for (;;) {
      let n: number
      try {
        // A synchronous read of a regular file's next chunk costs a fraction of a promise round trip through
        // the thread pool, and a CLI has nothing else to do meanwhile.
        n = readSync(handle.fd, buffer, 0, CHUNK_SIZE, null)
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${describeFsError(error)}`)
      }
      if (n === 0) return
      yield buffer.subarray(0, n)
    }
  } finally {
    await handle.close()
  }
}

async function* stdinChunks(options: ReadOptions): AsyncGenerator<Uint8Array> {
  for await (const chunk of options.stdin ?? currentInvocation().streams.in)
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
}

/** Every resource in the given manifests, file by file, document by document (List kinds expanded). */
export async function* readManifests(paths: string[], options: ReadOptions = {}): AsyncGenerator<ManifestDocument> {
  for (const file of await expandPaths(paths, options.recursive)) yield* readManifestFile(file, options)
}

/** The resources of one file (`-` = stdin), streamed: only the documents of one chunk are held at a time. */
async function* readManifestFile(file: string, options: ReadOptions = {}): AsyncGenerator<ManifestDocument> {
  for await (const batch of readManifestBatches(file, options)) yield* batch
}

/**
 * The same, a batch of documents per chunk read (64 KiB): for callers that handle many small documents,
 * where an await per document would cost more than the document itself. A batch decodes each document only when
 * the caller comes to it, so one decoded document is alive at a time rather than a chunk's worth: fewer objects
 * survive each young-generation garbage collection.
 */
export async function* readManifestBatches(
  file: string,
  options: ReadOptions = {},
): AsyncGenerator<Iterable<ManifestDocument>> {
  const name = file === '-' ? '<stdin>' : file
  const {form, chunks} = await sniff(file === '-' ? stdinChunks(options) : fileChunks(file))
  if (form !== 'yaml') {
    // JSON streams and UTF-16 files are read whole: they are rare, and neither can be cut at `---` lines.
    const parts: Uint8Array[] = []
    for await (const chunk of chunks) parts.push(Buffer.from(chunk))
    yield [...parseManifestText(decodeBytes(Buffer.concat(parts), form), name, options)]
    return
  }
  for await (const segments of splitChunks(chunks, {maxDocumentSize: options.maxDocumentSize})) {
    yield documentsOfAll(segments, name)
  }
}

function* documentsOfAll(segments: Segment[], file: string): Generator<ManifestDocument> {
  for (const segment of segments) yield* documentsOf(segment, file)
}

export function* parseManifestText(
  text: string,
  file: string,
  options: {maxDocumentSize?: number} = {},
): Generator<ManifestDocument> {
  const segments = isJsonStream(text) ? splitJsonStream(text) : splitText(text, options)
  for (const segment of segments) yield* documentsOf(segment, file)
}

type InputForm = 'yaml' | 'json' | 'utf16le' | 'utf16be'

/**
 * How kubectl will read the input: UTF-16 when it starts with a UTF-16 byte-order mark (kubectl decodes it), a
 * JSON stream when its first non-blank character is `{` (apimachinery's YAMLOrJSONDecoder), YAML otherwise.
 * The first chunk is copied and handed back in front of the rest.
 */
async function sniff(
  source: AsyncGenerator<Uint8Array>,
): Promise<{form: InputForm; chunks: AsyncGenerator<Uint8Array>}> {
  const first = await source.next()
  const head = first.done ? new Uint8Array(0) : Buffer.from(first.value)
  let form: InputForm = 'yaml'
  if (head[0] === 0xff && head[1] === 0xfe) form = 'utf16le'
  else if (head[0] === 0xfe && head[1] === 0xff) form = 'utf16be'
  else if (isJsonStream(new TextDecoder('utf-8').decode(head.subarray(0, 4096)))) form = 'json'
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head
    yield* source
  }
  return {form, chunks: chunks()}
}

function decodeBytes(bytes: Uint8Array, form: InputForm): string {
  if (form === 'utf16le' || form === 'utf16be')
    return new TextDecoder(form === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}

function isJsonStream(text: string): boolean {
  return /^[\s\ufeff]*\{/.test(text.slice(0, 4096))
}

/**
 * The values of a JSON stream, one segment each (kubectl reads objects one after another, with or without
 * blanks between them). Something that is not JSON ends the stream with an error, as it ends kubectl's reading.
 */
function* splitJsonStream(text: string): Generator<Segment> {
  let i = 0
  let line = 1
  let index = 0
  const skipBlanks = () => {
    while (i < text.length && /[\s\ufeff]/.test(text[i])) if (text[i++] === '\n') line++
  }
  for (skipBlanks(); i < text.length; skipBlanks()) {
    const start = i
    const end = jsonValueEnd(text, i)
    const body = text.slice(start, end)
    if (end === start) {
      const message =
        `invalid character ${JSON.stringify(text[i])} after a JSON object: a file that starts ` +
        `with '{' is read as a stream of JSON objects (no '---' separators)`
      yield {
        text: text.slice(start),
        index,
        line,
        size: text.length - start,
        problems: [{kind: 'syntax', offset: 0, message}],
        json: true,
      }
      return
    }
    yield {text: body, index: index++, line, size: body.length, problems: [], json: true}
    for (let k = start; k < end; k++) if (text.charCodeAt(k) === 10) line++
    i = end
  }
}

/** Just past the object or array starting at `i` (brackets counted outside strings), or `i` when none starts. */
function jsonValueEnd(text: string, i: number): number {
  if (text[i] !== '{' && text[i] !== '[') return i
  let depth = 0
  for (let k = i; k < text.length; k++) {
    const c = text[k]
    if (c === '"') {
      for (k++; k < text.length && text[k] !== '"'; k++) if (text[k] === '\\') k++
    } else if (c === '{' || c === '[') depth++
    else if ((c === '}' || c === ']') && --depth === 0) return k + 1
  }
  return text.length
}

/** Turns offsets in a segment into file lines and columns (1-based; columns in UTF-16 units). */
class LineMap {
  private starts?: number[]
  private asked = false
  constructor(
    private readonly text: string,
    private readonly firstLine: number,
  ) {}

  at(offset: number): SourcePosition {
    if (!this.starts && !this.asked) {
      // Most documents are asked once, for a place near their start: count lines up to it only.
      this.asked = true
      let line = 0
      let lineStart = 0
      for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) {
        line++
        lineStart = i + 1
      }
      return {line: this.firstLine + line, column: offset - lineStart + 1}
    }
    if (!this.starts) {
      const starts = [0]
      let i = this.text.indexOf('\n')
      while (i !== -1) {
        starts.push(i + 1)
        i = this.text.indexOf('\n', i + 1)
      }
      this.starts = starts
    }
    const starts = this.starts
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return {line: this.firstLine + lo, column: offset - starts[lo] + 1}
  }
}

/** Where values are, from js-yaml's walk of the document (built on the first question). */
class Locator {
  private map?: PositionMap
  constructor(private readonly text: string) {}

  private positions(): PositionMap {
    this.map ??= positionMap(this.text)
    return this.map
  }

  /** The value at `pointer`, or its nearest ancestor that is written in the text (merged and aliased keys are not). */
  nearest(pointer: string): NodeInfo | undefined {
    const m = this.positions()
    let p = pointer
    for (;;) {
      const info = m.get(p)
      if (info) return info
      if (p === '') return undefined
      p = p.slice(0, p.lastIndexOf('/'))
    }
  }

  exact(pointer: string): NodeInfo | undefined {
    return this.positions().get(pointer)
  }
}

function* documentsOf(segment: Segment, file: string): Generator<ManifestDocument> {
  const fail = (message: string, offset: number, kind: ProblemKind): ManifestDocument => {
    const at = new LineMap(segment.text, segment.line).at(Math.max(0, Math.min(offset, segment.text.length)))
    return {
      file,
      index: segment.index,
      object: undefined,
      locate: () => undefined,
      position: at,
      errors: [{message, kind, ...at}],
      size: segment.size,
    }
  }
  if (segment.problems.length > 0) {
    const p = segment.problems[0]
    yield fail(p.message, p.offset, p.kind)
    return
  }
  const text = segment.text
  let object: unknown
  try {
    object = decode(text, segment.json === true)
  } catch (error) {
    if (error instanceof DecodeError) {
      yield fail(error.message, error.offset, error.kind)
      return
    }
    throw error
  }
  if (object === null || object === undefined) return
  const source = new DocumentSource(file, segment)
  const o = object as Record<string, unknown>
  if (
    o &&
    typeof o === 'object' &&
    !Array.isArray(o) &&
    typeof o.kind === 'string' &&
    o.kind.endsWith('List') &&
    Array.isArray(o.items)
  ) {
    for (let i = 0; i < o.items.length; i++) {
      const base = ['items', i]
      yield new ReadDocument(source, object, base, i, o.items[i])
    }
    return
  }
  yield new ReadDocument(source, object, [], undefined, object)
}

/**
 * What the documents of one segment share: its text, and (made on the first question: most documents have no
 * findings and are never asked) its lines and positions.
 */
class DocumentSource {
  private lineMap?: LineMap
  private positions?: Locator
  constructor(
    readonly file: string,
    readonly segment: Segment,
  ) {}

  get lines(): LineMap {
    this.lineMap ??= new LineMap(this.segment.text, this.segment.line)
    return this.lineMap
  }

  get locator(): Locator {
    this.positions ??= new Locator(this.segment.text)
    return this.positions
  }

  /** Where the value at `path` (or its nearest ancestor written in the text) starts. */
  position(path: Array<string | number>): SourcePosition | undefined {
    const info = this.locator.nearest(pathPointer(path))
    return info === undefined ? undefined : this.lines.at(info.start)
  }
}

/**
 * One resource read from a segment (the document, or an item of its List). A class: one is made per document, and
 * methods on the prototype cost nothing per document where closures would.
 */
class ReadDocument implements ManifestDocument {
  readonly file: string
  readonly index: number
  readonly errors: SyntaxProblem[] = []
  readonly size: number
  private start?: SourcePosition

  constructor(
    private readonly source: DocumentSource,
    /** The whole decoded document (a List's items are looked up in it). */
    private readonly root: unknown,
    private readonly base: Array<string | number>,
    readonly listIndex: number | undefined,
    readonly object: unknown,
  ) {
    this.file = source.file
    this.index = source.segment.index
    this.size = source.segment.size
  }

  /** Where the resource starts (worked out when a finding or a message asks). */
  get position(): SourcePosition {
    const source = this.source
    this.start ??=
      this.base.length === 0
        ? source.lines.at(rootStart(source.segment.text))
        : (source.position(this.base) ?? source.lines.at(0))
    return this.start
  }

  private full(pointer: string): Array<string | number> {
    return [...this.base, ...pointerSegments(pointer)]
  }

  locate(pointer: string): SourcePosition | undefined {
    return this.source.position(this.full(pointer))
  }

  locateKey(pointer: string): SourcePosition | undefined {
    const path = this.full(pointer)
    const info = this.source.locator.exact(pathPointer(path))
    if (info) return this.source.lines.at(info.key ?? info.start)
    return this.source.position(path)
  }

  locateInString(pointer: string, offset: number): SourcePosition | undefined {
    const {segment, lines, locator} = this.source
    const path = this.full(pointer)
    return (
      locateInString(segment.text, lines, locator, valueAt(this.root, path), path, offset) ?? this.source.position(path)
    )
  }
}

/** The root's start without building the position map (most documents never need it). */
function rootStart(text: string): number {
  const body = skipMarkerLine(text)
  const first = /[^\s#]|#[^\n]*/g
  for (first.lastIndex = body; ;) {
    const m = first.exec(text)
    if (!m || m[0][0] !== '#') return m ? m.index : body
  }
}

/** Where character `offset` of the string at `path` comes from in the text. */
function locateInString(
  text: string,
  lines: LineMap,
  locator: Locator,
  actual: unknown,
  path: Array<string | number>,
  offset: number,
): SourcePosition | undefined {
  if (typeof actual !== 'string' || offset < 0 || offset > actual.length) return undefined
  // Most strings are written on one line as they are: find the one place the text holds them, without
  // building the document's position map.
  const at = literalOccurrence(text, actual)
  if (at !== undefined) return lines.at(at + offset)
  const info = locator.exact(pathPointer(path))
  if (
    !info ||
    !(
      info.style === 'plain' ||
      info.style === 'single' ||
      info.style === 'double' ||
      info.style === 'literal' ||
      info.style === 'folded'
    )
  )
    return undefined
  try {
    const {value, map} = scalarOffsets(text, info.start, info.end, info.style, info.indent)
    if (value === actual && offset < map.length) return lines.at(map[offset])
  } catch {
    // an unusual scalar: the caller points at its start
  }
  return undefined
}

/**
 * Where `value` is written literally as a whole single-line scalar, if that happens exactly once in the text
 * (plain after `key: ` or `- `, or quoted without escapes); otherwise undefined and the caller maps properly.
 */
function literalOccurrence(text: string, value: string): number | undefined {
  if (value.length < 4 || value.includes('\n')) return undefined
  const first = text.indexOf(value)
  if (first === -1 || text.indexOf(value, first + 1) !== -1) return undefined
  const before = text[first - 1]
  const after = text[first + value.length]
  // Quoted: the quote itself (and, in double quotes, a backslash) would have been escaped in the source.
  if (before === "'" && after === "'") return value.includes("'") ? undefined : first
  if (before === '"' && after === '"') return value.includes('"') || value.includes('\\') ? undefined : first
  const plain =
    before === ' ' &&
    (text[first - 2] === ':' || text[first - 2] === '-') &&
    (after === undefined || after === '\n' || (after === ' ' && text[first + value.length + 1] === '#'))
  // A plain scalar cannot start with a quote or carry blanks at its ends.
  if (!plain || value !== value.trim() || value[0] === "'" || value[0] === '"') return undefined
  return first
}

/**
 * A document's value as kubectl decodes it. A JSON document goes through JSON.parse (fastest, and what a JSON
 * stream must be); YAML, and JSON that JSON.parse refuses in a YAML file, through the go-yaml-v2 reader.
 */
function decode(text: string, json: boolean): unknown {
  const body = skipMarkerLine(text)
  const first = firstContentChar(text, body)
  if (json || first === '{' || first === '[') {
    let value: unknown
    try {
      value = JSON.parse(text.slice(body))
    } catch (error) {
      if (json) throw jsonError(text, body, error as Error)
      return decodeYaml(withoutLeadingBom(text))
    }
    checkDepth(value)
    return value
  }
  return decodeYaml(withoutLeadingBom(text))
}

/** kubectl reads a byte-order mark at the start of any document as nothing (the YAML reader drops it). */
function withoutLeadingBom(text: string): string {
  const i = text.indexOf('\ufeff')
  if (i === -1) return text
  return /^(?:---[^\n]*\n)?(?:[ \t]*(?:#[^\n]*)?\n)*$/.test(text.slice(0, i))
    ? text.slice(0, i) + text.slice(i + 1)
    : text
}

function jsonError(text: string, body: number, error: Error): DecodeError {
  const at = /at position (\d+)/.exec(error.message)
  const offset = at ? body + Number(at[1]) : text.length
  const message = error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of JSON input')
  return new DecodeError(`invalid JSON: ${message}`, offset, 'syntax')
}

function skipMarkerLine(text: string): number {
  if (!text.startsWith('---')) return 0
  const nl = text.indexOf('\n')
  return nl === -1 ? text.length : nl + 1
}

/** The first character that is not blank (RegExp `\s`) nor a byte-order mark, within 4096 characters of `from`. */
function firstContentChar(text: string, from: number): string | undefined {
  const end = Math.min(text.length, from + 4096)
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i)
    // The common case first: a printable ASCII character.
    if (c > 32 && c < 127) return text[i]
    if (!isRegExpSpace(c)) return text[i]
  }
  return undefined
}

/** What `\s` matches (ECMAScript WhiteSpace and LineTerminator; U+FEFF is among them). */
function isRegExpSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** JSON.parse accepts any depth; deeper than MAX_DEPTH is refused like YAML is. */
function checkDepth(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d >= MAX_DEPTH)
      throw new DecodeError(`the document nests collections more than ${MAX_DEPTH} levels deep`, 0, 'too-deep')
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1])
  }
}

function valueAt(root: unknown, path: Array<string | number>): unknown {
  let v = root
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[seg as string]
  }
  return v
}

function pathPointer(path: Array<string | number>): string {
  let out = ''
  for (const seg of path) out += '/' + String(seg).replaceAll('~', '~0').replaceAll('/', '~1')
  return out
}

/** RFC 6901 pointer → path segments (array indexes as numbers). */
function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}
