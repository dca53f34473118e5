/**
 * kubectl-compatible JSONPath templates (`-o jsonpath=...`) and custom-columns field specs, following
 * k8s.io/client-go/util/jsonpath as kubectl v1.32 uses it. Data must be plain decoded JSON, as the API server sent
 * it. See parser.ts for the syntax, eval.ts for evaluation and values.ts for Go's printing rules.
 */
import {StepError, evalSteps, type EvalOptions} from './eval.js'
import {ParseError, parse, type Step} from './parser.js'
import {NO_VALUE, goSprint, printResult} from './values.js'

export class JsonPathError extends Error {
  /** client-go's own message (e.g. `unterminated array`), without kubectl's prefix. */
  readonly reason: string

  constructor(message: string, reason = message) {
    super(message)
    this.name = 'JsonPathError'
    this.reason = reason
  }
}

export interface ExecuteOptions {
  /** kubectl's --allow-missing-template-keys; `get -o jsonpath` defaults it to true. */
  allowMissingKeys?: boolean
}

/**
 * Top-level pieces of a template. `range` and `end` are resolved once here rather than by counters at run time as
 * client-go does; `skip` is how far ahead execution resumes after the loop (see link()).
 */
type Node =
  | {kind: 'text'; text: string}
  | {kind: 'action'; steps: Step[]}
  | {kind: 'range'; steps: Step[]; skip: number; closed: boolean}
  | {kind: 'end'}

export class JsonPathTemplate {
  /** @internal use compileTemplate() */
  constructor(
    private readonly source: string,
    private readonly nodes: Node[],
  ) {}

  /** The template's output for `data`, exactly as `kubectl get -o jsonpath=...` prints it (no newline added). */
  execute(data: unknown, {allowMissingKeys = true}: ExecuteOptions = {}): string {
    let out = ''
    this.run(data, {allowMissingKeys}, (values) => {
      out += values.map(printResult).join(' ')
    })
    return out
  }

  /** Each action's raw values, in output order (client-go's FindResults). */
  results(data: unknown, {allowMissingKeys = true}: ExecuteOptions = {}): unknown[][] {
    const all: unknown[][] = []
    this.run(data, {allowMissingKeys}, (values) => all.push(values))
    return all
  }

  /**
   * For a template of the form `TEXT{range .items[*]}BODY{end}TEXT`, the parts, so that a List can be printed item by
   * item as its pages arrive: prefix + body.execute(item) for each item + suffix is exactly execute(list).
   * TEXT may include quoted-string actions like `{"\n"}`. Undefined for any other template.
   */
  isItemsRange(): {prefix: string; body: JsonPathTemplate; suffix: string} | undefined {
    const i = this.nodes.findIndex((n) => staticText(n) === undefined)
    const range = this.nodes[i]
    if (range?.kind !== 'range' || !range.closed || !isAllItems(range.steps)) return undefined
    const end = i + range.skip
    const after = this.nodes.slice(end + 1)
    if (!after.every((n) => staticText(n) !== undefined)) return undefined
    return {
      prefix: this.nodes.slice(0, i).map(staticText).join(''),
      body: new JsonPathTemplate(this.source, this.nodes.slice(i + 1, end)),
      suffix: after.map(staticText).join(''),
    }
  }

  private run(data: unknown, opts: EvalOptions, emit: (values: unknown[]) => void): void {
    try {
      this.runFrom(0, data ?? NO_VALUE, 0, opts, emit)
    } catch (error) {
      if (!(error instanceof StepError)) throw error
      throw new JsonPathError(
        `error executing jsonpath ${JSON.stringify(this.source)}: ${error.message}`,
        error.message,
      )
    }
  }

  /** Runs nodes from `from` until the end of the template, or until the `{end}` closing the current range body. */
  private runFrom(
    from: number,
    value: unknown,
    depth: number,
    opts: EvalOptions,
    emit: (values: unknown[]) => void,
  ): void {
    for (let i = from; i < this.nodes.length; i++) {
      const node = this.nodes[i]
      switch (node.kind) {
        case 'text':
          emit([node.text])
          break
        case 'action':
          emit(evalSteps(node.steps, [value], opts))
          break
        case 'end':
          if (depth === 0) throw new StepError('not in range, nothing to end', [])
          return
        case 'range': {
          const items = evalSteps(node.steps, [value], opts)
          for (const item of items) this.runFrom(i + 1, item ?? NO_VALUE, depth + 1, opts, emit)
          // With nothing to iterate, client-go still walks the body once, on no value, to find its end: the output
          // is dropped but errors (a missing key, when those are errors) still surface.
          if (items.length === 0) this.runFrom(i + 1, NO_VALUE, depth + 1, opts, () => {})
          i += node.skip
          break
        }
      }
    }
  }
}

/** Parses a template; throws JsonPathError worded as kubectl's `error parsing jsonpath <template>, <reason>`. */
export function compileTemplate(template: string): JsonPathTemplate {
  try {
    return build(template)
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    throw new JsonPathError(`error parsing jsonpath ${template}, ${error.message}`, error.message)
  }
}

function build(template: string): JsonPathTemplate {
  const nodes = parse(template).map((chunk): Node => {
    if (typeof chunk === 'string') return {kind: 'text', text: chunk}
    const has = (name: string) => chunk.some((s) => s.type === 'identifier' && s.name === name)
    if (has('end')) return {kind: 'end'}
    if (has('range')) {
      const steps = chunk.filter((s) => !(s.type === 'identifier' && s.name === 'range'))
      return {kind: 'range', steps, skip: 0, closed: false}
    }
    return {kind: 'action', steps: chunk}
  })
  link(nodes)
  return new JsonPathTemplate(template, nodes)
}

/**
 * Pairs each `range` with its `end`. client-go resumes after the last `{end}` its loop body reached: for a closed
 * range that is its own end. An unclosed range's body runs to the end of the template, and execution then resumes
 * after the last `{end}` inside it -- or, if there is none, right after the range, so kubectl prints that body once
 * more against the outer object. We reproduce that rather than reject the template.
 */
function link(nodes: Node[]): void {
  const open: number[] = []
  let lastEnd = -1
  nodes.forEach((node, i) => {
    if (node.kind === 'range') open.push(i)
    if (node.kind !== 'end') return
    lastEnd = i
    const r = open.pop()
    if (r !== undefined) Object.assign(nodes[r], {skip: i - r, closed: true})
  })
  for (const r of open) if (lastEnd > r) Object.assign(nodes[r], {skip: lastEnd - r})
}

/** The fixed text a node prints, if it does not depend on the data: plain text or a lone quoted string. */
function staticText(node: Node): string | undefined {
  if (node.kind === 'text') return node.text
  if (node.kind === 'action' && node.steps.length === 1 && node.steps[0].type === 'text') return node.steps[0].value
  return undefined
}

/** `.items[*]` (or `[:]`): every element of the top-level items. */
function isAllItems(steps: Step[]): boolean {
  const [field, all] = steps
  return (
    steps.length === 2 &&
    field.type === 'field' &&
    field.name === 'items' &&
    all.type === 'array' &&
    all.params.every((p) => !p.known)
  )
}

// kubectl's RelaxedJSONPathExpression: accepts `a.b`, `.a.b`, `{a.b}` and `{.a.b}`.
const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/

/**
 * A custom-columns field spec (`.metadata.name`, `{.spec.ipNetworks[0]}`, `.metadata.labels.a\.b/c`) as a function
 * printing one object's cell like `kubectl -o custom-columns`: `<none>` when nothing matches, several values joined
 * by `,`, values in Go's %v form (`map[a:b]`, `[a b]`, `<nil>`), terminal escapes neutralised. Errors (a bad spec,
 * or an index out of range at run time) are JsonPathErrors carrying kubectl's bare message.
 */
export function fieldPath(expr: string): (obj: unknown) => string {
  let template: JsonPathTemplate
  if (expr === '') {
    template = build('')
  } else {
    const m = RELAXED.exec(expr)
    if (!m) {
      throw new JsonPathError(
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
      )
    }
    try {
      template = build(`{.${m[1] || m[2]}}`)
    } catch (error) {
      if (error instanceof ParseError) throw new JsonPathError(error.message)
      throw error
    }
  }
  return (obj) => {
    let values: unknown[][]
    try {
      values = template.results(obj)
    } catch (error) {
      if (error instanceof JsonPathError) throw new JsonPathError(error.reason)
      throw error
    }
    const cells = values.length === 0 || values[0].length === 0 ? ['<none>'] : []
    for (const v of values.flat()) cells.push(kubectlEscapeTerminal(goSprint(v)))
    return cells.join(',')
  }
}

/**
 * kubectl's printers.EscapeTerminal (kubernetes/cli-runtime pkg/printers/terminal.go: ESC as `^[`, CR as `\r`), which
 * its custom-columns printer applies to each cell. Narrower than the printers room's escapeTerminal on purpose: the
 * cells read as kubectl's do, and the table printer then escapes what is left (BEL, LF, bidi marks).
 */
function kubectlEscapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r')
}
