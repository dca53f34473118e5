import type {RuleId, Severity} from './catalog.js'

export type {Severity}

/** One problem found in the input: what, where, and which rule says so. */
export interface Finding {
  rule: RuleId
  severity: Severity
  /** What is wrong and what would be right. */
  message: string
  /** The file as given on the command line (`<stdin>` for `-`). */
  file: string
  /** Position of the YAML document in the file (0-based). */
  document: number
  /** Position in a `List`'s items, when the resource came from one. */
  item?: number
  /** 1-based line and column (UTF-16 units, as editors and SARIF count). */
  line: number
  column: number
  /** JSON pointer of the field in the resource (`/spec/config`); empty for the whole document. */
  path: string
  kind?: string
  namespace?: string
  name?: string
}

/** One document (or list item) as it was validated, with its findings in source order. */
export interface DocumentResult {
  file: string
  document: number
  item?: number
  /** Absent when the document could not be read as a resource. */
  kind?: string
  apiVersion?: string
  namespace?: string
  name?: string
  /** Validated by xctl's rules (false: a kind xctl passes through). */
  judged: boolean
  findings: Finding[]
}

export interface ValidationSummary {
  files: number
  documents: number
  /** Resources read (list items counted one by one). */
  resources: number
  /** Resources validated, by kind. */
  validated: Record<string, number>
  /** Resources of kinds xctl does not judge, by kind. */
  passedThrough: Record<string, number>
  errors: number
  warnings: number
}

export const SEVERITY_RANK: Record<Severity, number> = {warning: 1, error: 2}

export function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
}
