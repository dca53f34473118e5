import type {KubeObject} from '../kube/types.js'
import {NAMESPACE_COLUMN, type Column} from '../resources/descriptor.js'
import {escapeTerminal} from './escape.js'
import type {Printer, PrintOptions} from './printer.js'

const GAP = 3 // calicoctl and kubectl pad columns with three spaces

/**
 * Borderless aligned columns (calicoctl's tabwriter look). Widths come from the first page and only grow,
 * so rows print as pages arrive instead of after the whole list.
 */
export class TablePrinter implements Printer {
  private readonly columns: Column[]
  private widths: number[]
  private started = false

  constructor(
    columns: Column[],
    private readonly options: Pick<PrintOptions, 'showNamespace' | 'noHeaders' | 'color'>,
    private readonly bold: (s: string) => string = (s) => s,
  ) {
    this.columns = options.showNamespace ? [NAMESPACE_COLUMN, ...columns] : columns
    this.widths = this.columns.map((c) => (options.noHeaders ? 0 : c.header.length))
  }

  page(objects: KubeObject[]): string {
    const rows = objects.map((o) => this.columns.map((c) => escapeTerminal(c.value(o))))
    for (const row of rows) row.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i], cell.length)))
    let out = this.started ? '' : this.header()
    this.started = true
    for (const row of rows) out += this.line(row)
    return out
  }

  end(): string {
    if (this.started) return ''
    this.started = true
    return this.header()
  }

  private header(): string {
    if (this.options.noHeaders) return ''
    const line = this.line(this.columns.map((c) => c.header))
    return this.options.color ? this.bold(line.slice(0, -1)) + '\n' : line
  }

  private line(cells: string[]): string {
    let out = ''
    const last = cells.length - 1
    cells.forEach((cell, i) => (out += i === last ? cell : cell.padEnd(this.widths[i] + GAP)))
    return out.trimEnd() + '\n'
  }
}
