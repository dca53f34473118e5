import type {ManifestDocument, SourcePosition} from '../manifests/read.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'
import {RULES, type RuleId} from './catalog.js'
import type {Finding, Severity} from './findings.js'
import type {Knowledge} from './knowledge.js'

/** What a rule file knows about the resource it checks. */
export interface ResourceRef {
  kind: string
  apiVersion: string
  /** The namespace the object lands in (its own, else the default), for namespaced kinds. */
  namespace?: string
  name?: string
}

export interface ReportOptions {
  severity?: Severity
  /** Point at the member's key rather than its value (unknown fields, misplaced keys). */
  atKey?: boolean
  /** Point at this character of the string value at the pointer (inside spec.config, a selector, ...). */
  offset?: number
}

/** Settings every check can read. */
export interface CheckSettings {
  defaultNamespace: string
  mode: MultiInterfaceMode
  /** --cluster: cross-checks against the live cluster run at the end. */
  cluster: boolean
  /** `oss`: Calico Enterprise / Calico Cloud fields and values get a warning; `any` accepts them. */
  flavor: Flavor
}

/** The Calico product the manifests target: Open Source, Enterprise/Cloud, or not known (accept both). */
export type Flavor = 'oss' | 'enterprise' | 'any'

/**
 * One resource being validated: rules call report() with a rule id, a JSON pointer into the resource and a
 * message; the location in the file is worked out here.
 */
export class Check {
  readonly findings: Finding[] = []

  constructor(
    readonly doc: ManifestDocument,
    readonly resource: ResourceRef,
    readonly knowledge: Knowledge,
    readonly settings: CheckSettings,
  ) {}

  report(rule: RuleId, pointer: string, message: string, options: ReportOptions = {}): void {
    this.findings.push(this.finding(rule, pointer, message, options))
  }

  /** A finding without recording it (for checks decided at the end of the input). */
  finding(rule: RuleId, pointer: string, message: string, options: ReportOptions = {}): Finding {
    const at = this.position(pointer, options) ?? this.doc.position
    const f: Finding = {
      rule,
      severity: options.severity ?? RULES[rule].severity,
      message,
      file: this.doc.file,
      document: this.doc.index,
      line: at.line,
      column: at.column,
      path: pointer,
    }
    if (this.doc.listIndex !== undefined) f.item = this.doc.listIndex
    if (this.resource.kind) f.kind = this.resource.kind
    if (this.resource.namespace !== undefined) f.namespace = this.resource.namespace
    if (this.resource.name !== undefined) f.name = this.resource.name
    return f
  }

  /** Where a pointer (and optionally an offset inside its string) is in the file. */
  position(pointer: string, options: {atKey?: boolean; offset?: number} = {}): SourcePosition | undefined {
    const doc = this.doc
    // The whole document: its start is known without mapping anything.
    if (pointer === '' && options.offset === undefined && !options.atKey) return doc.position
    if (options.offset !== undefined && doc.locateInString) return doc.locateInString(pointer, options.offset)
    if (options.atKey && doc.locateKey) return doc.locateKey(pointer)
    return doc.locate(pointer)
  }

  /** `line 12, column 5`, for messages that refer to another place. */
  where(pointer: string, offset?: number): string {
    const at = this.position(pointer, {offset})
    return at ? `line ${at.line}, column ${at.column}` : 'an unknown place'
  }
}

/** The value at a JSON pointer of a plain object. */
export function at(root: unknown, pointer: string): unknown {
  if (pointer === '') return root
  let v = root
  for (const raw of pointer.slice(1).split('/')) {
    if (v === null || typeof v !== 'object') return undefined
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    v = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined
  }
  return v
}
