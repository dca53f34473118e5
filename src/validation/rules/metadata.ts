import {isJsonObject} from '../../core/go-json.js'
import type {Check} from '../context.js'
import {escapePointer, show} from '../text.js'

/**
 * Labels and annotations as Calico's validator checks them (projectcalico/calico
 * libcalico-go/lib/validator/v3/validator.go v3.32.1: validateObjectMetaLabels, validateObjectMetaAnnotations),
 * which use Kubernetes' IsQualifiedName and IsValidLabelValue (apimachinery pkg/util/validation).
 */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** Total bytes of annotation keys and values Calico accepts (totalAnnotationSizeLimitB). */
const MAX_ANNOTATIONS_BYTES = 256 * 1024

/** Why `key` is not a Kubernetes qualified name ([prefix/]name), or undefined. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/')
  if (parts.length > 2) return "a qualified name has at most one '/' ([prefix/]name)"
  const name = parts[parts.length - 1]
  if (parts.length === 2) {
    const prefix = parts[0]
    if (prefix === '') return "the prefix before '/' is empty"
    if (prefix.length > 253) return `the prefix is ${prefix.length} characters long (at most 253)`
    if (!DNS1123_SUBDOMAIN.test(prefix))
      return `the prefix ${show(prefix)} must be a lower-case DNS-1123 subdomain (e.g. example.com)`
  }
  if (name === '') return 'the name part is empty'
  if (name.length > 63) return `the name part is ${name.length} characters long (at most 63)`
  if (!QUALIFIED_NAME_PART.test(name))
    return "the name part must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"
  return undefined
}

/** Why a label value is invalid, or undefined. */
function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined
  if (value.length > 63) return `it is ${value.length} characters long (at most 63)`
  if (!QUALIFIED_NAME_PART.test(value))
    return "it must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"
  return undefined
}

/** Label and annotation keys repeat across documents: their verdicts are kept (bounded). */
const KEY_VERDICTS_SIZE = 4096
const keyVerdicts = new Map<string, string | undefined>()

function keyProblem(key: string): string | undefined {
  if (keyVerdicts.has(key)) return keyVerdicts.get(key)
  if (keyVerdicts.size >= KEY_VERDICTS_SIZE) keyVerdicts.clear()
  const problem = qualifiedNameProblem(key)
  keyVerdicts.set(key, problem)
  return problem
}

/** metadata.labels and metadata.annotations of the object at `metaPtr`. */
export function checkLabelsAndAnnotations(c: Check, metaPtr: string, meta: unknown): void {
  if (!isJsonObject(meta)) return
  const labels = meta.labels
  if (isJsonObject(labels)) {
    for (const key in labels) {
      const value = labels[key]
      const problem = keyProblem(key)
      if (problem)
        c.report(
          'metadata/labels',
          `${metaPtr}/labels/${escapePointer(key)}`,
          `label key ${show(key)} is not valid: ${problem}`,
          {
            atKey: true,
          },
        )
      if (typeof value !== 'string') continue
      const valueProblem = labelValueProblem(value)
      if (valueProblem)
        c.report(
          'metadata/labels',
          `${metaPtr}/labels/${escapePointer(key)}`,
          `the value of label ${show(key)} is not valid: ${valueProblem}`,
        )
    }
  }
  checkAnnotations(c, `${metaPtr}/annotations`, meta.annotations)
}

/** Annotation keys (compared in lower case, as Calico does) and their total size. */
export function checkAnnotations(c: Check, ptr: string, annotations: unknown): void {
  if (!isJsonObject(annotations)) return
  // UTF-8 takes at most 3 bytes per UTF-16 unit: bytes are counted only when the limit may be reached.
  let units = 0
  for (const key in annotations) {
    const value = annotations[key]
    const problem = keyProblem(key.toLowerCase())
    if (problem)
      c.report(
        'metadata/annotations',
        `${ptr}/${escapePointer(key)}`,
        `annotation key ${show(key)} is not valid: ${problem}`,
        {atKey: true},
      )
    units += key.length + (typeof value === 'string' ? value.length : 0)
  }
  if (units * 3 <= MAX_ANNOTATIONS_BYTES) return
  let total = 0
  for (const key in annotations) {
    const value = annotations[key]
    total += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0)
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    c.report(
      'metadata/annotations',
      ptr,
      `the annotations total ${total} bytes: the total size of annotations is too large ` +
        `by ${total - MAX_ANNOTATIONS_BYTES} bytes (at most ${MAX_ANNOTATIONS_BYTES}, 256 ` +
        `KiB)`,
      {atKey: true},
    )
  }
}
