import type {DocumentResult, Finding} from '../findings.js'
import {Output, summaryLine, type ReportOptions, type Reporter, type RunResult} from './reporter.js'

const RED = '\x1b[31m'
const YELLOW = '\x1b[33m'
const DIM = '\x1b[2m'
const RESET = '\x1b[0m'

/** `file:line:col: error: message [rule-id]`, one line per finding, then a summary line. */
export class TextReporter implements Reporter {
  private readonly out: Output

  constructor(
    write: (chunk: string) => Promise<void>,
    private readonly options: ReportOptions,
  ) {
    this.out = new Output(write)
  }

  document(result: DocumentResult): Promise<void> | undefined {
    if (result.findings.length === 0) return undefined
    return this.out.push(result.findings.map((f) => this.line(f)).join(''))
  }

  late(findings: Finding[]): Promise<void> | undefined {
    return this.out.push(findings.map((f) => this.line(f)).join(''))
  }

  async end({summary}: RunResult): Promise<void> {
    this.out.push(`${summaryLine(summary)}\n`)
    await this.out.flush()
  }

  private line(f: Finding): string {
    const message = f.message.replace(/\s*\n\s*/g, ' ')
    if (!this.options.color) return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${message} [${f.rule}]\n`
    const color = f.severity === 'error' ? RED : YELLOW
    return `${f.file}:${f.line}:${f.column}: ${color}${f.severity}${RESET}: ${message} ${DIM}[${f.rule}]${RESET}\n`
  }
}
