/** Exit codes are a contract with CI jobs: keep them stable. */
export const ExitCode = {
  ok: 0,
  resource: 1,
  usage: 2,
  input: 3,
} as const

/** What each exit code means, for help and man pages. */
export const EXIT_CODE_MEANINGS: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.ok, 'Success.'],
  [ExitCode.resource, 'A resource is missing, invalid or was refused by the cluster; also: validation findings.'],
  [ExitCode.usage, 'Usage error: unknown command, flag, kind or output format, or a bad flag value.'],
  [ExitCode.input, 'Input cannot be read, or the cluster cannot be reached or refuses the credentials.'],
]

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** Every user-facing failure is one of these: a message that says what to do, and its exit code. */
export class XctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** Wrong flags, arguments or flag combinations (exit 2). */
export class UsageError extends XctlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint)
  }
}

/** A resource is missing, invalid or was refused (exit 1). */
export class ResourceError extends XctlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.resource, hint)
  }
}

/** Input files cannot be read or parsed at all (exit 3). */
export class InputError extends XctlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.input, hint)
  }
}

/** The cluster cannot be reached, or we cannot authenticate to it (exit 3). */
export class ClusterError extends XctlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.input, hint)
  }
}

/** A Kubernetes API `Status` failure, printed the way kubectl prints it. */
export class ApiError extends XctlError {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly apiMessage: string,
    readonly details?: {name?: string; group?: string; kind?: string},
  ) {
    super(`Error from server (${reason}): ${apiMessage}`, apiExitCode(status))
  }
}

function apiExitCode(status: number): ExitCodeValue {
  // Authentication and authorization failures stop a CI job the same way an unreachable cluster does.
  if (status === 401 || status === 403) return ExitCode.input
  if (status >= 500) return ExitCode.input
  return ExitCode.resource
}
