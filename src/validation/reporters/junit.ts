import {SEVERITY_RANK, type DocumentResult, type Finding} from '../findings.js'
import {Output, summaryLine, type ReportOptions, type Reporter, type RunResult} from './reporter.js'

interface Case {
  name: string
  findings: Finding[]
}

/**
 * JUnit XML for CI test tabs: one testsuite per file, one testcase per resource; a resource fails when it has a
 * finding at or above the fail level (all its findings are in the failure text), lower findings go to
 * system-out. Written at the end, since cross-reference findings arrive last.
 */
export class JunitReporter implements Reporter {
  private readonly out: Output
  private readonly files = new Map<string, Map<string, Case>>()

  constructor(
    write: (chunk: string) => Promise<void>,
    private readonly options: ReportOptions,
  ) {
    this.out = new Output(write)
  }

  document(result: DocumentResult): undefined {
    const cases = this.suite(result.file)
    const key = caseKey(result.document, result.item)
    const existing = cases.get(key)
    if (existing) existing.findings.push(...result.findings)
    else cases.set(key, {name: caseName(result), findings: [...result.findings]})
    return undefined
  }

  late(findings: Finding[]): undefined {
    for (const f of findings) {
      const cases = this.suite(f.file)
      const key = caseKey(f.document, f.item)
      const c = cases.get(key) ?? {name: `document ${f.document}`, findings: []}
      c.findings.push(f)
      cases.set(key, c)
    }
    return undefined
  }

  async end({summary}: RunResult): Promise<void> {
    const threshold = SEVERITY_RANK[this.options.failLevel]
    let tests = 0
    let failures = 0
    const suites: string[] = []
    for (const [file, cases] of this.files) {
      let suiteFailures = 0
      const body: string[] = []
      for (const c of cases.values()) {
        const failing = c.findings.filter((f) => SEVERITY_RANK[f.severity] >= threshold)
        const other = c.findings.filter((f) => SEVERITY_RANK[f.severity] < threshold)
        let xml = `    <testcase classname="${attr(file)}" name="${attr(c.name)}"`
        if (failing.length === 0 && other.length === 0) {
          body.push(`${xml}/>\n`)
          continue
        }
        xml += '>\n'
        if (failing.length > 0) {
          suiteFailures++
          const first = failing[0]
          xml += `      <failure type="${attr(first.rule)}" message="${attr(first.message)}">${text(failing.map(line).join('\n'))}</failure>\n`
        }
        if (other.length > 0) xml += `      <system-out>${text(other.map(line).join('\n'))}</system-out>\n`
        body.push(`${xml}    </testcase>\n`)
      }
      tests += cases.size
      failures += suiteFailures
      suites.push(
        `  <testsuite name="${attr(file)}" tests="${cases.size}" failures="${suiteFailures}" ` +
          `errors="0" skipped="0">\n${body.join('')}  </testsuite>\n`,
      )
    }
    this.out.push(
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="xctl validate" tests="${tests}" ` +
        `failures="${failures}" errors="0">\n`,
    )
    for (const s of suites) this.out.push(s)
    this.out.push(`  <!-- ${comment(summaryLine(summary))} -->\n</testsuites>\n`)
    await this.out.flush()
  }

  private suite(file: string): Map<string, Case> {
    let cases = this.files.get(file)
    if (!cases) this.files.set(file, (cases = new Map()))
    return cases
  }
}

function caseKey(document: number, item?: number): string {
  return item === undefined ? `${document}` : `${document}/${item}`
}

function caseName(r: DocumentResult): string {
  const where = `document ${r.document}${r.item !== undefined ? `, item ${r.item}` : ''}`
  if (!r.kind) return where
  const name = r.name ? `${r.namespace ? `${r.namespace}/` : ''}${r.name}` : '(no name)'
  return `${r.kind} ${name} (${where})`
}

function line(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`
}

// XML 1.0 cannot carry most control characters, even escaped.
function clean(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '\ufffd')
}

function attr(s: string): string {
  return clean(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function comment(s: string): string {
  return clean(s).replace(/--/g, '- -')
}
