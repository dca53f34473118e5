import {UsageError} from '../core/errors.js'
import {compileTemplate, type JsonPathTemplate} from '../jsonpath/index.js'
import type {KubeObject} from '../kube/types.js'
import {escapeStrings} from './escape.js'
import type {Printer, PrintOptions} from './printer.js'

/**
 * `-o jsonpath=TEMPLATE` (kubectl's template language). The common `{range .items[*]}...{end}` form is rendered
 * item by item as pages arrive; any other template sees the whole List, as kubectl gives it.
 */
export class JsonPathPrinter implements Printer {
  private readonly items: KubeObject[] = []
  private started = false

  private constructor(
    private readonly template: JsonPathTemplate,
    private readonly options: PrintOptions,
    private readonly streaming?: {prefix: string; body: JsonPathTemplate; suffix: string},
  ) {}

  static create(spec: string, options: PrintOptions): JsonPathPrinter {
    let template: JsonPathTemplate
    try {
      template = compileTemplate(spec)
    } catch (error) {
      throw new UsageError(
        (error as Error).message,
        'check the template syntax, e.g. -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\n"}{end}\'',
      )
    }
    return new JsonPathPrinter(template, options, options.single ? undefined : template.isItemsRange())
  }

  page(objects: KubeObject[]): string {
    if (!this.streaming) {
      this.items.push(...objects)
      return ''
    }
    let out = this.started ? '' : this.streaming.prefix
    this.started = true
    // Values are escaped, the template's own text (`{"\n"}`) is not.
    for (const o of objects) out += this.streaming.body.execute(escapeStrings(o), this.executeOptions())
    return out
  }

  private executeOptions(): {allowMissingKeys: boolean} {
    return {allowMissingKeys: this.options.allowMissingKeys ?? true}
  }

  end(): string {
    if (this.streaming) return (this.started ? '' : this.streaming.prefix) + this.streaming.suffix
    const d = this.options.descriptor
    const data = this.options.single
      ? this.items[0]
      : {apiVersion: d.apiVersion, kind: `${d.kind}List`, metadata: {}, items: this.items}
    const text = this.template.execute(escapeStrings(data), this.executeOptions())
    return text // kubectl adds no newline of its own
  }
}
