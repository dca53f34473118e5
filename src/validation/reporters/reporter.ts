import type {ValidationSink} from '../engine.js'
import type {DocumentResult, Finding, Severity, ValidationSummary} from '../findings.js'

/** What every report needs besides the findings. */
export interface ReportOptions {
  /** Findings at or above this severity fail the run (exit 1). */
  failLevel: Severity
  /** Directory paths are made relative to (SARIF and GitHub want repository-relative paths). */
  cwd: string
  toolVersion: string
  color: boolean
}

export interface RunResult {
  summary: ValidationSummary
  failed: boolean
}

/** One output format: findings stream in through the sink, then end() closes the report. */
export interface Reporter extends ValidationSink {
  end(result: RunResult): void | Promise<void>
}

/**
 * Buffered writes: output is handed on in 64 KiB pieces, so a document without findings costs no write and
 * a full pipe still holds the validation back (backpressure).
 */
export class Output {
  private buffer = ''

  constructor(
    private readonly write: (chunk: string) => Promise<void>,
    private readonly limit = 1 << 16,
  ) {}

  push(text: string): Promise<void> | undefined {
    this.buffer += text
    return this.buffer.length >= this.limit ? this.flush() : undefined
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return
    const chunk = this.buffer
    this.buffer = ''
    await this.write(chunk)
  }
}

export function summaryLine(s: ValidationSummary): string {
  const problems =
    s.errors + s.warnings === 0
      ? 'no problems'
      : [
          s.errors > 0 && `${s.errors} error${s.errors === 1 ? '' : 's'}`,
          s.warnings > 0 && `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
        ]
          .filter(Boolean)
          .join(', ')
  const validated = Object.entries(s.validated)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ')
  const passed = Object.values(s.passedThrough).reduce((a, b) => a + b, 0)
  const parts = [validated && `validated ${validated}`, passed > 0 && `${passed} of other kinds passed through`]
    .filter(Boolean)
    .join('; ')
  return (
    `${problems} in ${s.resources} resource${s.resources === 1 ? '' : 's'} (${s.files} ` +
    `file${s.files === 1 ? '' : 's'}${parts ? `; ${parts}` : ''})`
  )
}

/** Reporters that print one line per finding as documents are validated, then a summary line (text, github). */
export abstract class LinePerFindingReporter implements Reporter {
  private readonly out: Output

  constructor(
    write: (chunk: string) => Promise<void>,
    protected readonly options: ReportOptions,
  ) {
    this.out = new Output(write)
  }

  protected abstract format(f: Finding): string

  document(result: DocumentResult): Promise<void> | undefined {
    if (result.findings.length === 0) return undefined
    return this.out.push(result.findings.map((f) => this.format(f)).join(''))
  }

  late(findings: Finding[]): Promise<void> | undefined {
    return this.out.push(findings.map((f) => this.format(f)).join(''))
  }

  async end({summary}: RunResult): Promise<void> {
    this.out.push(`${summaryLine(summary)}\n`)
    await this.out.flush()
  }
}
