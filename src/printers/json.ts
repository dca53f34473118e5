import type {KubeObject} from '../kube/types.js'
import type {Printer, PrintOptions} from './printer.js'

/** JSON with two-space indentation (calicoctl); a List is written item by item as pages arrive. */
export class JsonPrinter implements Printer {
  readonly objectsPerCall = 100
  private count = 0
  private single?: KubeObject

  constructor(private readonly options: PrintOptions) {}

  page(objects: KubeObject[]): string {
    if (this.options.single) {
      this.single ??= objects[0]
      return ''
    }
    if (objects.length === 0) return ''
    const out = (this.count === 0 ? this.head() + '\n' : ',\n') + listItems(objects)
    this.count += objects.length
    return out
  }

  end(): string {
    if (this.options.single) return this.single ? JSON.stringify(this.single, null, 2) + '\n' : ''
    if (this.count === 0) return this.head().replace(/\[$/, '[]') + '\n}\n'
    return '\n  ]\n}\n'
  }

  private head(): string {
    const d = this.options.descriptor
    return (
      `{\n  "apiVersion": ${JSON.stringify(d.apiVersion)},\n  "kind": "${d.kind}List",\n ` +
      ` "metadata": {},\n  "items": [`
    )
  }
}

const ITEMS_OPEN = '{\n  "items": [\n'
const ITEMS_CLOSE = '\n  ]\n}'

/**
 * The page's objects as they sit inside `"items": [` (four spaces in, comma-separated), from one native
 * JSON.stringify of a wrapper: a flat string per page, rather than a stringify, a re-indent and a concatenation
 * per object (that garbage was most of the GC time at 50,000 pods).
 */
function listItems(objects: KubeObject[]): string {
  const text = JSON.stringify({items: objects}, null, 2)
  return text.slice(ITEMS_OPEN.length, text.length - ITEMS_CLOSE.length)
}
