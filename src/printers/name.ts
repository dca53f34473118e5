import type {KubeObject} from '../kube/types.js'
import {escapeTerminal} from './escape.js'
import type {Printer, PrintOptions} from './printer.js'

/** `-o name`: `<kind>.<group>/<name>`, as kubectl prints it. */
export class NamePrinter implements Printer {
  private readonly prefix: string

  constructor(options: PrintOptions) {
    const d = options.descriptor
    this.prefix = `${d.kind.toLowerCase()}${d.group ? `.${d.group}` : ''}/`
  }

  page(objects: KubeObject[]): string {
    return objects.map((o) => `${this.prefix}${escapeTerminal(o.metadata.name ?? '')}\n`).join('')
  }

  end(): string {
    return ''
  }
}
