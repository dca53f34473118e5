// metav1.Status errors with the messages and shapes of k8s.io/apimachinery/pkg/api/errors.

export interface StatusCause {
  reason?: string | undefined
  message?: string | undefined
  field?: string | undefined
}

export interface StatusDetails {
  name?: string | undefined
  group?: string | undefined
  kind?: string | undefined
  uid?: string | undefined
  causes?: StatusCause[] | undefined
  retryAfterSeconds?: number | undefined
}

export interface GroupResource {
  group: string
  resource: string
}

/** "pods" for the core group, "networkpolicies.crd.projectcalico.org" otherwise (schema.GroupResource.String). */
export function grString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource
}

/** An error the server answers with a Status object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly listContinue?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  /** The Status object, keys in metav1.Status field order. */
  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {kind: 'Status', apiVersion: 'v1'}
    s.metadata = this.listContinue ? {continue: this.listContinue} : {}
    s.status = 'Failure'
    if (this.message) s.message = this.message
    if (this.reason) s.reason = this.reason
    if (this.details) s.details = orderDetails(this.details)
    s.code = this.code
    return s
  }
}

function orderDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {}
  if (d.name) out.name = d.name
  if (d.group) out.group = d.group
  if (d.kind) out.kind = d.kind
  if (d.uid) out.uid = d.uid
  if (d.causes && d.causes.length) out.causes = d.causes
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds
  return out
}

const details = (gr: GroupResource, name?: string): StatusDetails => ({name, group: gr.group, kind: gr.resource})

export const notFound = (gr: GroupResource, name: string) =>
  new ApiError(404, 'NotFound', `${grString(gr)} "${name}" not found`, details(gr, name))

export const alreadyExists = (gr: GroupResource, name: string) =>
  new ApiError(409, 'AlreadyExists', `${grString(gr)} "${name}" already exists`, details(gr, name))

export const OPTIMISTIC_LOCK_MSG =
  'the object has been modified; please apply your changes to the latest version and try again'

export const conflict = (gr: GroupResource, name: string, msg = OPTIMISTIC_LOCK_MSG) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${msg}`, details(gr, name))

export function forbidden(gr: GroupResource, name: string, msg: string): ApiError {
  const m = name ? `${grString(gr)} "${name}" is forbidden: ${msg}` : `${grString(gr)} is forbidden: ${msg}`
  return new ApiError(403, 'Forbidden', m, details(gr, name))
}

export const badRequest = (msg: string) => new ApiError(400, 'BadRequest', msg)

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized')

export const expired = (msg: string, listContinue?: string) =>
  new ApiError(410, 'Expired', msg, undefined, listContinue)

export const methodNotSupported = (gr: GroupResource, verb: string) =>
  new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${grString(gr)}"`, {
    group: gr.group,
    kind: gr.resource,
  })

export const unsupportedMediaType = (accepted: string[]) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  )

export const notAcceptable = (accepted: string[]) =>
  new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`)

export const internalError = (msg: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${msg}`, {causes: [{message: msg}]})

/** A plain (non-Status) error a storage layer returns: 500 with no reason, as ErrorToAPIStatus renders it. */
export const unknownError = (msg: string) => new ApiError(500, '', msg)

/** NewGenericServerResponse as go-restful's service error handler uses it (empty details). */
export function genericResponse(code: number): ApiError {
  const table: Record<number, [string, string]> = {
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
  }
  const [reason, message] = table[code] ?? [
    '',
    `the server responded with the status code ${code} but did not return more information`,
  ]
  return new ApiError(code, reason, message, {})
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  'Invalid value' | 'Required value' | 'Unsupported value' | 'Forbidden' | 'Duplicate value' | 'Too long'

const causeReason: Record<FieldErrorType, string> = {
  'Invalid value': 'FieldValueInvalid',
  'Required value': 'FieldValueRequired',
  'Unsupported value': 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  'Duplicate value': 'FieldValueDuplicate',
  'Too long': 'FieldValueTooLong',
}

/** A Go value as field.Error prints it: strings %q, numbers %v, anything else pre-rendered. */
export type GoValue = string | number | boolean | {raw: string} | undefined

export interface FieldError {
  type: FieldErrorType
  field: string
  value?: GoValue
  detail?: string
}

export function goQuote(s: string): string {
  return JSON.stringify(s)
}

function renderValue(v: GoValue): string {
  if (v === undefined) return 'null'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'object') return v.raw
  return String(v)
}

export function fieldErrorBody(e: FieldError): string {
  let s: string
  if (e.type === 'Required value' || e.type === 'Forbidden' || e.type === 'Too long') s = e.type
  else s = `${e.type}: ${renderValue(e.value)}`
  if (e.detail) s += `: ${e.detail}`
  return s
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`
}

/** utilerrors.Aggregate rendering: one error alone, several in brackets. */
export function aggregate(msgs: string[]): string {
  return msgs.length === 1 ? msgs.join('') : `[${msgs.join(', ')}]`
}

/** NewInvalid: qualifiedKind is "Pod" / "NetworkPolicy.crd.projectcalico.org" (or a resource for some callers). */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
  const qk = group ? `${kind}.${group}` : kind
  const msg = errs.length
    ? `${qk} "${name}" is invalid: ${aggregate(errs.map(fieldErrorString))}`
    : `${qk} "${name}" is invalid`
  return new ApiError(422, 'Invalid', msg, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({reason: causeReason[e.type], message: fieldErrorBody(e), field: e.field})),
  })
}
