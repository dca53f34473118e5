import type {KubeObject} from '../kube/types.js'
import type {Printer, PrintOptions} from './printer.js'
import {emitSequenceItem, emitYaml} from './yaml-emit.js'

/** YAML; a List is written item by item (`items:` first, as kubectl's key order has it). */
export class YamlPrinter implements Printer {
  readonly objectsPerCall = 100
  private count = 0
  private single?: KubeObject

  constructor(private readonly options: PrintOptions) {}

  page(objects: KubeObject[]): string {
    if (this.options.single) {
      this.single ??= objects[0]
      return ''
    }
    let out =
      this.count === 0 && objects.length > 0 ? `apiVersion: ${this.options.descriptor.apiVersion}\nitems:\n` : ''
    for (const o of objects) out += emitSequenceItem(o)
    this.count += objects.length
    return out
  }

  end(): string {
    if (this.options.single) return this.single ? emitYaml(this.single) : ''
    const d = this.options.descriptor
    const head = this.count === 0 ? `apiVersion: ${d.apiVersion}\nitems: []\n` : ''
    return `${head}kind: ${d.kind}List\nmetadata: {}\n`
  }
}
