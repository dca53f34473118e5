import {readFile, readdir, stat} from 'node:fs/promises'
import {extname, join} from 'node:path'
import {LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node} from 'yaml'
import {InputError} from '../cli/errors.js'

export interface SourcePosition {
  line: number
  column: number
}

export interface SyntaxProblem extends SourcePosition {
  message: string
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
}

export interface ReadOptions {
  recursive?: boolean
  /** Read from here instead of process.stdin for `-` (tests). */
  stdin?: () => Promise<string>
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
/** Alias expansion bound: a "billion laughs" document must fail fast instead of eating memory. */
export const MAX_ALIAS_COUNT = 1000

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
  const entries = (await readdir(dir, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))
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
  return (error as Error).message
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function readText(file: string, options: ReadOptions = {}): Promise<string> {
  if (file === '-') return (options.stdin ?? readStdin)()
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`)
  }
}

/** Every resource in the given manifests, file by file, document by document (List kinds expanded). */
export async function* readManifests(paths: string[], options: ReadOptions = {}): AsyncGenerator<ManifestDocument> {
  for (const file of await expandPaths(paths, options.recursive)) {
    const text = await readText(file, options)
    yield* parseManifestText(text, file === '-' ? '<stdin>' : file)
  }
}

export function* parseManifestText(text: string, file: string): Generator<ManifestDocument> {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {lineCounter, uniqueKeys: true, prettyErrors: false})
  const list = Array.isArray(docs) ? docs : [docs]
  const pos = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset)
    return {line: p.line, column: p.col}
  }
  let index = 0
  for (const doc of list as Document.Parsed[]) {
    const docIndex = index++
    const errors = doc.errors.map((e) => ({message: e.message.split('\n')[0], ...pos(e.pos[0])}))
    const position = pos(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0)
    if (errors.length > 0) {
      yield {file, index: docIndex, object: undefined, locate: () => undefined, position: errors[0], errors}
      continue
    }
    if (doc.contents === null || isEmptyDocument(doc)) continue
    let object: unknown
    try {
      object = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]
      yield {file, index: docIndex, object: undefined, locate: () => undefined, position, errors: [{message, ...position}]}
      continue
    }
    if (object === null || object === undefined) continue
    const locateIn = (base: Array<string | number>) => (pointer: string) => {
      const node = doc.getIn([...base, ...pointerSegments(pointer)], true) as Node | undefined
      const range = (node as Node | undefined)?.range ?? findKeyRange(doc, [...base, ...pointerSegments(pointer)])
      return range ? pos(range[0]) : undefined
    }
    const o = object as Record<string, unknown>
    if (o && typeof o === 'object' && !Array.isArray(o) && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      const items = doc.getIn(['items'], true)
      for (let i = 0; i < o.items.length; i++) {
        const itemNode = isSeq(items) ? (items.items[i] as Node | undefined) : undefined
        yield {file, index: docIndex, listIndex: i, object: o.items[i], locate: locateIn(['items', i]), position: itemNode?.range ? pos(itemNode.range[0]) : position, errors: []}
      }
      continue
    }
    yield {file, index: docIndex, object, locate: locateIn([]), position, errors: []}
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

/** RFC 6901 pointer → path segments (array indexes as numbers). */
export function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}
