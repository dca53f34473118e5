import type {KubeObject} from '../kube/types.js'
import type {Printer, PrintOptions} from './printer.js'

/** JSON with two-space indentation (calicoctl); a List is written item by item as pages arrive. */
export class JsonPrinter implements Printer {
  private count = 0
  private single?: KubeObject

  constructor(private readonly options: PrintOptions) {}

  page(objects: KubeObject[]): string {
    if (this.options.single) {
      this.single ??= objects[0]
      return ''
    }
    let out = ''
    for (const o of objects) {
      out += (this.count === 0 ? this.head() + '\n' : ',\n') + indent(JSON.stringify(o, null, 2), '    ')
      this.count++
    }
    return out
  }

  end(): string {
    if (this.options.single) return this.single ? JSON.stringify(this.single, null, 2) + '\n' : ''
    if (this.count === 0) return this.head().replace(/\[$/, '[]') + '\n}\n'
    return '\n  ]\n}\n'
  }

  private head(): string {
    const d = this.options.descriptor
    return `{\n  "apiVersion": ${JSON.stringify(d.apiVersion)},\n  "kind": "${d.kind}List",\n  "metadata": {},\n  "items": [`
  }
}

function indent(text: string, prefix: string): string {
  return prefix + text.replaceAll('\n', '\n' + prefix)
}
