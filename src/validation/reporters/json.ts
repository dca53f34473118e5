import type {DocumentResult, Finding} from '../findings.js'
import {Output, type ReportOptions, type Reporter, type RunResult} from './reporter.js'

/**
 * `{"findings": [...], "summary": {...}}`, streamed: one finding per line, the summary last.
 * Finding fields: rule, severity, file, document, item (list items only), line, column, path (JSON pointer),
 * kind, namespace, name, message.
 */
export class JsonReporter implements Reporter {
  private readonly out: Output
  private count = 0

  constructor(
    write: (chunk: string) => Promise<void>,
    private readonly options: ReportOptions,
  ) {
    this.out = new Output(write)
    this.out.push('{\n  "findings": [')
  }

  document(result: DocumentResult): Promise<void> | undefined {
    if (result.findings.length === 0) return undefined
    return this.out.push(result.findings.map((f) => this.entry(f)).join(''))
  }

  late(findings: Finding[]): Promise<void> | undefined {
    return this.out.push(findings.map((f) => this.entry(f)).join(''))
  }

  async end({summary, failed}: RunResult): Promise<void> {
    const s = {...summary, failLevel: this.options.failLevel, failed}
    this.out.push(`${this.count > 0 ? '\n  ' : ''}],\n  "summary": ${JSON.stringify(s)}\n}\n`)
    await this.out.flush()
  }

  private entry(f: Finding): string {
    const o: Record<string, unknown> = {rule: f.rule, severity: f.severity, file: f.file, document: f.document}
    if (f.item !== undefined) o.item = f.item
    Object.assign(o, {line: f.line, column: f.column, path: f.path})
    if (f.kind) o.kind = f.kind
    if (f.namespace !== undefined) o.namespace = f.namespace
    if (f.name !== undefined) o.name = f.name
    o.message = f.message
    return `${this.count++ === 0 ? '\n    ' : ',\n    '}${JSON.stringify(o)}`
  }
}
