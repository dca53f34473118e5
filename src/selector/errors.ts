/**
 * The one error type the selector engine throws for bad input.
 *
 * `message` is Calico's own wording (libcalico-go/lib/selector), so it can be shown
 * next to calicoctl's output; the position is ours (Calico reports none).
 */
export class SelectorError extends Error {
  /** 1-based column (in Unicode code points) of the problem in `selector`. */
  readonly column: number
  /** 0-based UTF-16 offset of the problem in `selector` (for slicing). */
  readonly offset: number
  /** The selector text that failed to parse. */
  readonly selector: string

  constructor(message: string, selector: string, offset: number) {
    super(message)
    this.name = 'SelectorError'
    this.selector = selector
    this.offset = Math.max(0, Math.min(offset, selector.length))
    this.column = codePointColumn(selector, this.offset)
  }
}

// Count code points, not UTF-16 units, so a column matches what a terminal shows.
function codePointColumn(text: string, offset: number): number {
  let column = 1
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i)
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    column++
  }
  return column
}

/** How a hint's first line starts on stderr (the CLI writes `Hint: <hint>`). */
const HINT_PREFIX = 'Hint: '

/**
 * A hint that repeats the selector after `lead` and puts a caret under the error's column on the next line, aligned
 * for a hint printed after HINT_PREFIX.
 */
export function caretHint(lead: string, text: string, error: SelectorError): string {
  return `${lead}${text}\n${' '.repeat(HINT_PREFIX.length + lead.length + error.column - 1)}^`
}
