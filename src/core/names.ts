import {UsageError} from './errors.js'

/**
 * Names and namespaces are checked before any URL is built from them: a name such as `.` or `..` would otherwise
 * make `/globalnetworkpolicies/.` resolve to the collection, and `delete` would act on every object.
 * A ground module: it imports nothing of ours but the errors, so every layer may use it.
 */

/** kubectl's path-segment rule (k8s.io/apimachinery pkg/api/validation/path: IsValidPathSegmentName). */
export function pathSegmentProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  const problems: string[] = []
  for (const illegal of ['/', '%']) if (name.includes(illegal)) problems.push(`may not contain '${illegal}'`)
  return problems
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const LABEL_RE = new RegExp(`^${LABEL}$`)
/** The DNS-1123 label pattern alone, without the length limit (Multus applies only the pattern). */
export const DNS1123_LABEL = LABEL_RE
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN}$`)

/** apimachinery's IsDNS1123Label, with its messages. */
function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = []
  if (value.length > 63) problems.push('must be no more than 63 characters')
  if (!LABEL_RE.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
        `end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`,
    )
  }
  return problems
}

/** apimachinery's IsDNS1123Subdomain, with its messages. */
function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = []
  if (value.length > 253) problems.push('must be no more than 253 characters')
  if (!SUBDOMAIN_RE.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
        (`start and end with an alphanumeric character (e.g. 'example.com', regex used for ` +
          `validation is '${SUBDOMAIN}')`),
    )
  }
  return problems
}

/**
 * The name rule of each kind, as the API server (or Calico's validator) applies it. WorkloadEndpoint names are
 * derived from node, pod and interface names (interfaces may hold upper case), so only the path rule holds there.
 */
const KIND_RULES: Record<string, (name: string) => string[]> = {
  WorkloadEndpoint: () => [],
  Tier: dns1123LabelProblems,
}

/** Why `name` cannot name an object of `kind`; empty when it can. */
export function nameProblems(kind: string, name: string): string[] {
  const segment = pathSegmentProblems(name)
  if (segment.length > 0) return segment
  return (KIND_RULES[kind] ?? dns1123SubdomainProblems)(name)
}

/** kubectl's message for a bad name: `invalid resource name ".": [may not be '.']`. */
export function invalidNameMessage(name: string, problems: string[]): string {
  return name === ''
    ? 'resource name may not be empty'
    : `invalid resource name ${JSON.stringify(name)}: [${problems.join(', ')}]`
}

/** Refuses a name given on the command line (exit 2) before it reaches a URL. */
export function checkName(kind: string, name: string): void {
  if (name === '') throw new UsageError('resource name may not be empty')
  const problems = nameProblems(kind, name)
  if (problems.length > 0) throw new UsageError(invalidNameMessage(name, problems))
}

/** Why `namespace` cannot be a namespace: kubectl's path rule, then the server's (a DNS-1123 label). */
export function namespaceProblems(namespace: string): string[] {
  const segment = pathSegmentProblems(namespace)
  return segment.length > 0 ? segment : dns1123LabelProblems(namespace)
}

export function invalidNamespaceMessage(namespace: string, problems: string[]): string {
  return `invalid namespace ${JSON.stringify(namespace)}: [${problems.join(', ')}]`
}

/**
 * The namespace from -n, normalised as kubectl does: an empty one means "not given" (the context's namespace).
 * Anything that cannot be a namespace is refused (exit 2) before it reaches a URL.
 */
export function checkNamespaceFlag(namespace: string | undefined): string | undefined {
  if (namespace === undefined || namespace === '') return undefined
  const problems = namespaceProblems(namespace)
  if (problems.length > 0) throw new UsageError(invalidNamespaceMessage(namespace, problems))
  return namespace
}
