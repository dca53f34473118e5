import {open, readdir, stat} from 'node:fs/promises'
import {extname, join} from 'node:path'
import {LineCounter, parseAllDocuments, isMap, isScalar, isSeq, Scalar, type Document, type Node} from 'yaml'
import {InputError} from '../cli/errors.js'
import {MAX_DEPTH, parseFastYaml, TooDeep, UNSUPPORTED, type NodeInfo, type PositionMap} from './fast-yaml.js'
import {scalarOffsets, type ScalarStyle} from './scalars.js'
import {splitChunks, splitText, type Segment} from './split.js'

export {MAX_DOCUMENT_SIZE} from './split.js'
export {MAX_DEPTH} from './fast-yaml.js'

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
  /** Read from here instead of process.stdin for `-` (tests). */
  stdin?: () => Promise<string>
  /** Over-sized documents are reported and skipped (default MAX_DOCUMENT_SIZE characters). */
  maxDocumentSize?: number
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
/** Alias expansion bound: a "billion laughs" document must fail fast instead of eating memory. */
export const MAX_ALIAS_COUNT = 1000
// Small chunks keep few documents alive at once, which keeps garbage collection cheap (measured: 64 KiB is ~2x faster than 1 MiB).
const CHUNK_SIZE = 1 << 16

/** The files behind `-f` arguments: files as given, directories walked for .yaml/.yml/.json (sub-directories with -R). */
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
    throw new InputError(`cannot read directory ${dir}: ${describeFsError(error)}`, 'check the path given to -f and its permissions')
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** A whole file (or stdin) as text. */
export async function readText(file: string, options: ReadOptions = {}): Promise<string> {
  if (file === '-') return (options.stdin ?? readStdin)()
  const chunks: Uint8Array[] = []
  for await (const chunk of fileChunks(file)) chunks.push(chunk.slice())
  return Buffer.concat(chunks).toString('utf8')
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
        ;({bytesRead: n} = await handle.read(buffer, 0, CHUNK_SIZE, null))
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
  if (options.stdin) {
    yield Buffer.from(await options.stdin(), 'utf8')
    return
  }
  for await (const chunk of process.stdin) yield chunk as Buffer
}

/** Every resource in the given manifests, file by file, document by document (List kinds expanded). */
export async function* readManifests(paths: string[], options: ReadOptions = {}): AsyncGenerator<ManifestDocument> {
  for (const file of await expandPaths(paths, options.recursive)) yield* readManifestFile(file, options)
}

/** The resources of one file (`-` = stdin), streamed: only the documents of one chunk are held at a time. */
export async function* readManifestFile(file: string, options: ReadOptions = {}): AsyncGenerator<ManifestDocument> {
  for await (const batch of readManifestBatches(file, options)) yield* batch
}

/**
 * The same, a batch of documents per chunk read (64 KiB): for callers that handle many small documents,
 * where an await per document would cost more than the document itself.
 */
export async function* readManifestBatches(file: string, options: ReadOptions = {}): AsyncGenerator<ManifestDocument[]> {
  const chunks = file === '-' ? stdinChunks(options) : fileChunks(file)
  const name = file === '-' ? '<stdin>' : file
  for await (const segments of splitChunks(chunks, {maxDocumentSize: options.maxDocumentSize})) {
    const batch: ManifestDocument[] = []
    for (const segment of segments) for (const doc of documentsOf(segment, name)) batch.push(doc)
    yield batch
  }
}

export function* parseManifestText(text: string, file: string, options: {maxDocumentSize?: number} = {}): Generator<ManifestDocument> {
  for (const segment of splitText(text, options)) yield* documentsOf(segment, file)
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

/** How positions inside one document are found: from the fast parser's map, or from the `yaml` package's nodes. */
interface Locator {
  locate(path: Array<string | number>, pointer: string): number | undefined
  locateKey(path: Array<string | number>, pointer: string): number | undefined
  /** The scalar source behind a string value, to map offsets inside it. */
  scalar(path: Array<string | number>, pointer: string): {start: number; end: number; style: ScalarStyle; indent: number} | undefined
}

function* documentsOf(segment: Segment, file: string): Generator<ManifestDocument> {
  const lines = new LineMap(segment.text, segment.line)
  const fail = (message: string, offset: number, kind: ProblemKind): ManifestDocument => {
    const at = lines.at(Math.max(0, Math.min(offset, segment.text.length)))
    return {file, index: segment.index, object: undefined, locate: () => undefined, position: at, errors: [{message, kind, ...at}], size: segment.size}
  }
  if (segment.problems.length > 0) {
    const p = segment.problems[0]
    yield fail(p.message, p.offset, p.kind)
    return
  }
  const text = segment.text
  let object: unknown
  let locator: Locator
  try {
    const parsed = parseFast(text)
    if (parsed !== UNSUPPORTED) {
      object = parsed
      locator = fastLocator(text)
    } else {
      const full = parseFull(text, lines)
      if ('errors' in full) {
        yield {file, index: segment.index, object: undefined, locate: () => undefined, position: full.errors[0], errors: full.errors, size: segment.size}
        return
      }
      object = full.object
      locator = full.locator
    }
  } catch (error) {
    if (error instanceof TooDeep) {
      yield fail(error.message, error.offset, 'too-deep')
      return
    }
    throw error
  }
  if (object === null || object === undefined) return
  const position = (path: Array<string | number>) => {
    const offset = locator.locate(path, pathPointer(path))
    return offset === undefined ? undefined : lines.at(offset)
  }
  const make = (base: Array<string | number>, extra: {listIndex?: number; object: unknown; position: SourcePosition}): ManifestDocument => {
    const full = (pointer: string) => [...base, ...pointerSegments(pointer)]
    // A fixed shape without spreads: one of these is made per document.
    return {
      file,
      index: segment.index,
      listIndex: extra.listIndex,
      object: extra.object,
      position: extra.position,
      errors: [],
      size: segment.size,
      locate: (pointer) => position(full(pointer)),
      locateKey: (pointer) => {
        const path = full(pointer)
        const offset = locator.locateKey(path, pathPointer(path))
        return offset === undefined ? undefined : lines.at(offset)
      },
      locateInString: (pointer, offset) => {
        const path = full(pointer)
        const actual = valueAt(object, path)
        // Most strings are written on one line as they are: find the one place the text holds them, without
        // building the document's position map.
        if (typeof actual === 'string' && offset >= 0 && offset <= actual.length) {
          const at = literalOccurrence(text, actual)
          if (at !== undefined) return lines.at(at + offset)
        }
        const scalar = locator.scalar(path, pathPointer(path))
        if (scalar && typeof actual === 'string') {
          try {
            const {value, map} = scalarOffsets(text, scalar.start, scalar.end, scalar.style, scalar.indent)
            if (value === actual && offset >= 0 && offset < map.length) return lines.at(map[offset])
          } catch {
            // an unusual scalar: point at its start
          }
        }
        return position(path)
      },
    }
  }
  const o = object as Record<string, unknown>
  if (o && typeof o === 'object' && !Array.isArray(o) && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    for (let i = 0; i < o.items.length; i++) {
      yield make(['items', i], {listIndex: i, object: o.items[i], position: position(['items', i]) ?? lines.at(0)})
    }
    return
  }
  // The root's start without building the position map (most documents never need it).
  const body = skipMarkerLine(text)
  const first = /[^\s#]|#[^\n]*/g
  let rootAt = body
  for (first.lastIndex = body; ; ) {
    const m = first.exec(text)
    if (!m || m[0][0] !== '#') {
      rootAt = m ? m.index : body
      break
    }
  }
  yield make([], {object, position: lines.at(rootAt)})
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
  const plain = before === ' ' && (text[first - 2] === ':' || text[first - 2] === '-') && (after === undefined || after === '\n' || (after === ' ' && text[first + value.length + 1] === '#'))
  // A plain scalar cannot start with a quote or carry blanks at its ends.
  if (!plain || value !== value.trim() || value[0] === "'" || value[0] === '"') return undefined
  return first
}

/** JSON documents go through JSON.parse (fastest); YAML through the fast parser; UNSUPPORTED means "use `yaml`". */
function parseFast(text: string): unknown {
  const body = skipMarkerLine(text)
  const first = firstContentChar(text, body)
  if (first === '{' || first === '[') {
    try {
      const value = JSON.parse(text.slice(body))
      checkDepth(value)
      return value
    } catch (error) {
      if (error instanceof TooDeep) throw error
      // not JSON after all (YAML flow style, or a syntax error for `yaml` to describe)
    }
  }
  return parseFastYaml(text, 0)
}

function skipMarkerLine(text: string): number {
  if (!text.startsWith('---')) return 0
  const nl = text.indexOf('\n')
  const rest = nl === -1 ? text.slice(3) : text.slice(3, nl)
  return /^(?:[ \t]+(?:#.*)?)?$/.test(rest) ? (nl === -1 ? text.length : nl + 1) : 0
}

function firstContentChar(text: string, from: number): string | undefined {
  const m = /[^\s]/.exec(text.slice(from, from + 4096))
  return m?.[0]
}

/** JSON.parse accepts any depth; deeper than MAX_DEPTH is refused like YAML is. */
function checkDepth(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d >= MAX_DEPTH) throw new TooDeep(0)
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1])
  }
}

function fastLocator(text: string): Locator {
  let positions: PositionMap | undefined | null
  const map = (): PositionMap | undefined => {
    if (positions === undefined) {
      const m: PositionMap = new Map()
      try {
        positions = parseFastYaml(text, 0, m) === UNSUPPORTED ? null : m
      } catch {
        positions = null
      }
      // JSON the fast parser cannot follow: ask `yaml` for positions instead.
      if (positions === null) fallback = parseFull(text, undefined)
    }
    return positions ?? undefined
  }
  let fallback: ReturnType<typeof parseFull> | undefined
  const nearest = (pointer: string): NodeInfo | undefined => {
    const m = map()
    if (!m) return undefined
    let p = pointer
    for (;;) {
      const info = m.get(p)
      if (info) return info
      if (p === '') return undefined
      p = p.slice(0, p.lastIndexOf('/'))
    }
  }
  const viaFallback = () => (fallback && 'locator' in fallback ? fallback.locator : undefined)
  return {
    locate(path, pointer) {
      const info = nearest(pointer)
      return info ? info.start : viaFallback()?.locate(path, pointer)
    },
    locateKey(path, pointer) {
      const info = map()?.get(pointer)
      if (info) return info.key ?? info.start
      return viaFallback()?.locateKey(path, pointer) ?? this.locate(path, pointer)
    },
    scalar(path, pointer) {
      const info = map()?.get(pointer)
      if (info && (info.style === 'plain' || info.style === 'single' || info.style === 'double' || info.style === 'literal' || info.style === 'folded')) {
        return {start: info.start, end: info.end, style: info.style, indent: info.indent}
      }
      return viaFallback()?.scalar(path, pointer)
    },
  }
}

/** The complete `yaml` parser, for what the fast parser leaves: errors, anchors, tags and the like. */
function parseFull(text: string, lines: LineMap | undefined): {object: unknown; locator: Locator} | {errors: SyntaxProblem[]} {
  const at = (offset: number) => (lines ?? new LineMap(text, 1)).at(offset)
  let docs
  try {
    docs = parseAllDocuments(text, {lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false})
  } catch (error) {
    if (error instanceof RangeError) return {errors: [{message: `the document nests too deeply to be read (more than ${MAX_DEPTH} levels)`, kind: 'too-deep', ...at(0)}]}
    throw error
  }
  const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[]
  const doc = list.find((d) => d.errors.length > 0) ?? list[0]
  if (!doc) return {object: undefined, locator: {locate: () => undefined, locateKey: () => undefined, scalar: () => undefined}}
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => {
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
        if (/Maximum call stack/.test(message)) return {message: `the document nests too deeply to be read (more than ${MAX_DEPTH} levels)`, kind: 'too-deep' as const, ...at(e.pos[0])}
        // `yaml` reports a missing closing quote where the text ends; the opening quote is where to look.
        const quote = /^Missing closing (['"])quote/.exec(message)?.[1]
        const open = quote ? unclosedQuote(text, quote) : undefined
        if (open !== undefined) return {message: `${message}: the ${quote === "'" ? 'single' : 'double'}-quoted string that starts here is never closed`, kind: 'syntax' as const, ...at(open)}
        return {message, kind: 'syntax' as const, ...at(e.pos[0])}
      }),
    }
  }
  let object: unknown
  try {
    object = isEmptyDocument(doc) ? undefined : doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (error) {
    const start = doc.contents?.range?.[0] ?? 0
    if (error instanceof RangeError) return {errors: [{message: `the document nests too deeply to be read (more than ${MAX_DEPTH} levels)`, kind: 'too-deep', ...at(start)}]}
    const message = (error as Error).message.split('\n')[0]
    const kind = /alias/i.test(message) ? ('alias-limit' as const) : ('syntax' as const)
    const text = kind === 'alias-limit' ? `${message}: the document expands YAML aliases more than ${MAX_ALIAS_COUNT} times` : message
    return {errors: [{message: text, kind, ...at(start)}]}
  }
  if (object !== null && typeof object === 'object') {
    try {
      checkDepth(object)
    } catch (error) {
      if (error instanceof TooDeep) return {errors: [{message: error.message, kind: 'too-deep', ...at(doc.contents?.range?.[0] ?? 0)}]}
      throw error
    }
  }
  const nodeAt = (path: Array<string | number>) => doc.getIn(path, true) as Node | undefined
  return {
    object,
    locator: {
      locate(path) {
        const node = nodeAt(path)
        const range = node?.range ?? findKeyRange(doc, path)
        return range?.[0]
      },
      locateKey(path) {
        if (path.length === 0) return doc.contents?.range?.[0]
        const parent = doc.getIn(path.slice(0, -1), true)
        if (isMap(parent)) {
          const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(path[path.length - 1]))
          const key = pair?.key as Node | undefined
          if (key?.range) return key.range[0]
        }
        return this.locate(path, '')
      },
      scalar(path) {
        const node = nodeAt(path)
        if (!isScalar(node) || !node.range) return undefined
        const style = scalarStyle(node.type)
        if (!style) return undefined
        const start = node.range[0]
        const lineStart = text.lastIndexOf('\n', start - 1) + 1
        let indent = 0
        while (text.charCodeAt(lineStart + indent) === 32) indent++
        return {start, end: node.range[1], style, indent: style === 'literal' || style === 'folded' ? indent : -1}
      },
    },
  }
}

/** Where a quoted scalar that never closes starts (quotes that start a value, skipping comments and plain text). */
function unclosedQuote(text: string, quote: string): number | undefined {
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? text.length : nl + 1
      continue
    }
    if ((c === "'" || c === '"') && (i === 0 || /[\s:\-[{,]/.test(text[i - 1]))) {
      let j = i + 1
      for (;;) {
        const k = text.indexOf(c, j)
        if (k === -1) return c === quote ? i : undefined
        if (c === "'" && text[k + 1] === "'") j = k + 2
        else if (c === '"' && backslashes(text, k) % 2 === 1) j = k + 1
        else {
          i = k + 1
          break
        }
      }
      continue
    }
    i++
  }
  return undefined
}

function backslashes(text: string, at: number): number {
  let n = 0
  while (at - 1 - n >= 0 && text[at - 1 - n] === '\\') n++
  return n
}

function scalarStyle(type: Scalar['type']): ScalarStyle | undefined {
  switch (type) {
    case Scalar.PLAIN:
      return 'plain'
    case Scalar.QUOTE_SINGLE:
      return 'single'
    case Scalar.QUOTE_DOUBLE:
      return 'double'
    case Scalar.BLOCK_LITERAL:
      return 'literal'
    case Scalar.BLOCK_FOLDED:
      return 'folded'
    default:
      return undefined
  }
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents as Node | null
  return c === null || (!isMap(c) && !isSeq(c) && (c as {value?: unknown}).value === null)
}

/** A missing node's nearest present ancestor is a better place to point at than nothing. */
function findKeyRange(doc: Document.Parsed, path: Array<string | number>): [number, number, number] | undefined {
  for (let n = path.length - 1; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined
    if (node?.range) return node.range
  }
  return undefined
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
export function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}
