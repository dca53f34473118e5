import {isAbsolute, relative, resolve, sep} from 'node:path'
import {pathToFileURL} from 'node:url'
import {RULE_IDS, RULES} from '../catalog.js'
import type {DocumentResult, Finding} from '../findings.js'
import {Output, type ReportOptions, type Reporter, type RunResult} from './reporter.js'

/** GitHub code scanning keeps at most 25,000 results per run (and shows 5,000); more would fail the upload. */
export const MAX_SARIF_RESULTS = 25_000
const MAX_MESSAGE = 1000

const RULE_INDEX = new Map(RULE_IDS.map((id, i) => [id, i]))

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, tool.driver with every rule (id, descriptions, help, default
 * level), results with ruleId, level, message and a physical location (repository-relative URI, start line
 * and column). Results are streamed; the driver is written after them (member order does not matter in JSON).
 */
export class SarifReporter implements Reporter {
  private readonly out: Output
  private count = 0
  private omitted = 0

  constructor(
    write: (chunk: string) => Promise<void>,
    private readonly options: ReportOptions,
  ) {
    this.out = new Output(write)
    this.out.push(
      '{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n ' +
        ' "runs": [\n    {\n      "results": [',
    )
  }

  document(result: DocumentResult): Promise<void> | undefined {
    if (result.findings.length === 0) return undefined
    return this.out.push(result.findings.map((f) => this.result(f)).join(''))
  }

  late(findings: Finding[]): Promise<void> | undefined {
    return this.out.push(findings.map((f) => this.result(f)).join(''))
  }

  async end(_result: RunResult): Promise<void> {
    const rules = RULE_IDS.map((id) => {
      const r = RULES[id]
      return {
        id,
        shortDescription: {text: r.title},
        fullDescription: {text: r.help},
        help: {text: r.help, markdown: `**${r.title}** (\`${id}\`)\n\n${r.help}`},
        defaultConfiguration: {level: r.severity},
        properties: {tags: [id.split('/')[0], ...(r.cluster ? ['cluster'] : [])]},
      }
    })
    const invocation: Record<string, unknown> = {executionSuccessful: true}
    if (this.omitted > 0) {
      invocation.toolExecutionNotifications = [
        {
          level: 'warning',
          message: {
            text:
              `${this.omitted} more results were left out: GitHub code scanning accepts at most ` +
              `${MAX_SARIF_RESULTS} results per run (see the json output for all of them)`,
          },
        },
      ]
    }
    const driver = {name: 'xctl', semanticVersion: this.options.toolVersion, version: this.options.toolVersion, rules}
    this.out.push(
      `${this.count > 0 ? '\n      ' : ''}],\n      "columnKind": "utf16CodeUnits",\n  ` +
        `    "invocations": ${JSON.stringify([invocation])},\n      "tool": {"driver": ${JSON.stringify(driver)}}\n ` +
        `   }\n  ]\n}\n`,
    )
    await this.out.flush()
  }

  private result(f: Finding): string {
    if (this.count >= MAX_SARIF_RESULTS) {
      this.omitted++
      return ''
    }
    const message = f.message.length > MAX_MESSAGE ? `${f.message.slice(0, MAX_MESSAGE - 1)}…` : f.message
    const r = {
      ruleId: f.rule,
      ruleIndex: RULE_INDEX.get(f.rule),
      level: f.severity,
      message: {text: message},
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(f.file, this.options.cwd),
            region: {startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column)},
          },
        },
      ],
    }
    return `${this.count++ === 0 ? '\n        ' : ',\n        '}${JSON.stringify(r)}`
  }
}

/** A repository-relative URI when the file is under the working directory, else an absolute file URI. */
function artifact(file: string, cwd: string): {uri: string; uriBaseId?: string} {
  if (file === '<stdin>') return {uri: 'stdin'}
  const abs = isAbsolute(file) ? file : resolve(cwd, file)
  const rel = relative(cwd, abs)
  if (rel.startsWith('..') || isAbsolute(rel)) return {uri: pathToFileURL(abs).href}
  return {uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%'}
}
