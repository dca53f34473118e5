import {ResourceError, UsageError, type XctlError} from '../core/errors.js'
import {compileGoTemplate, sprintValue, TemplateParseError, type GoTemplate} from '../gotemplate/index.js'
import {goJson} from '../jsonpath/values.js'
import type {KubeObject} from '../kube/types.js'
import {escapeStrings} from './escape.js'
import type {Printer, PrintOptions} from './printer.js'

/**
 * `-o go-template=TEMPLATE` (and `template=`, the files, `--template`): Go's text/template run once on what
 * `kubectl get` hands it, the object or the whole List (kubernetes/cli-runtime pkg/printers/template.go).
 * When the template fails, kubectl prints what it had written, then the template and the data it was given,
 * and fails; so does this printer (the text from end(), then `failure`).
 */
export class GoTemplatePrinter implements Printer {
  private readonly items: KubeObject[] = []
  failure?: XctlError

  private constructor(
    private readonly source: string,
    private readonly template: GoTemplate,
    private readonly options: PrintOptions,
  ) {}

  static create(source: string, options: PrintOptions): GoTemplatePrinter {
    try {
      return new GoTemplatePrinter(source, compileGoTemplate(source), options)
    } catch (error) {
      if (!(error instanceof TemplateParseError)) throw error
      throw new UsageError(
        `error parsing template ${source}, ${error.message}`,
        'check the template syntax, e.g. -o go-template=\'{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}\'',
      )
    }
  }

  page(objects: KubeObject[]): string {
    this.items.push(...objects)
    return ''
  }

  end(): string {
    const d = this.options.descriptor
    const data = this.options.single
      ? this.items[0]
      : {apiVersion: d.apiVersion, kind: `${d.kind}List`, metadata: {}, items: this.items}
    const shown = escapeStrings(data)
    try {
      return this.template.execute(shown, {missingKeyError: this.options.allowMissingKeys === false})
    } catch (error) {
      const partial = (error as {partial?: string}).partial
      if (partial === undefined) throw error
      const message = (error as Error).message
      this.failure = new ResourceError(`error executing template ${JSON.stringify(this.source)}: ${message}`)
      return (
        `${partial}Error executing template: ${message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${this.source}\n\traw data was:\n\t\t${goJson(shown)}\n` +
        `\tobject given to template engine was:\n\t\t${sprintValue(shown)}\n\n`
      )
    }
  }
}
