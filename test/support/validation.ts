// Name, label and annotation checks with the messages of k8s.io/apimachinery/pkg/util/validation.

import type {FieldError} from './status.js'

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`
  // Go builds "(e.g. 'a',  or 'b', regex ...)" with that double space.
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

const maxLenError = (n: number) => `must be no more than ${n} characters`

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`)
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`)

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push(maxLenError(63))
  if (!dns1123LabelRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        'my-name',
        '123-abc',
      ),
    )
  return errs
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = []
  if (v.length > 253) errs.push(maxLenError(253))
  if (!dns1123SubdomainRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    )
  return errs
}

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`)
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

export function isQualifiedName(v: string): string[] {
  const errs: string[] = []
  const parts = v.split('/')
  let name: string
  if (parts.length === 1) name = v
  else if (parts.length === 2) {
    const [prefix = '', rest = ''] = parts
    name = rest
    if (!prefix.length) errs.push('prefix part must be non-empty')
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`))
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]
  }
  if (!name.length) errs.push('name part must be non-empty')
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`)
  if (!qualifiedNameRe.test(name))
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`)
  return errs
}

const labelValueFmt = `(${qualifiedNameFmt})?`
const labelValueRe = new RegExp(`^${labelValueFmt}$`)

export function isValidLabelValue(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push(maxLenError(63))
  if (!labelValueRe.test(v))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    )
  return errs
}

/** ValidateObjectMeta's checks on name, labels and annotations. */
export function validateObjectMeta(meta: Record<string, any>, nameIsLabel: boolean): FieldError[] {
  const errs: FieldError[] = []
  const name = meta.name as string | undefined
  if (!name && !meta.generateName) {
    errs.push({type: 'Required value', field: 'metadata.name', detail: 'name or generateName is required'})
  } else if (name) {
    for (const m of nameIsLabel ? isDNS1123Label(name) : isDNS1123Subdomain(name)) {
      errs.push({type: 'Invalid value', field: 'metadata.name', value: name, detail: m})
    }
  }
  const labels = meta.labels as Record<string, unknown> | undefined
  if (labels && typeof labels === 'object') {
    for (const [k, v] of Object.entries(labels)) {
      for (const m of isQualifiedName(k))
        errs.push({type: 'Invalid value', field: 'metadata.labels', value: k, detail: m})
      if (typeof v === 'string') {
        for (const m of isValidLabelValue(v))
          errs.push({type: 'Invalid value', field: 'metadata.labels', value: v, detail: m})
      }
    }
  }
  const annotations = meta.annotations as Record<string, unknown> | undefined
  if (annotations && typeof annotations === 'object') {
    let total = 0
    for (const [k, v] of Object.entries(annotations)) {
      for (const m of isQualifiedName(k.toLowerCase()))
        errs.push({type: 'Invalid value', field: 'metadata.annotations', value: k, detail: m})
      total += k.length + (typeof v === 'string' ? v.length : 0)
    }
    if (total > 256 * 1024)
      errs.push({type: 'Too long', field: 'metadata.annotations', detail: 'may not be more than 262144 bytes'})
  }
  return errs
}
