/**
 * What every command's run() returns (oclif hands it back from `run`): the exit code and what the command
 * printed, as values, so a caller (a test, a script embedding xctl) need not parse the text.
 */
export interface CommandResult<T> {
  /** 0 ok, 1 resource or validation errors, 2 usage, 3 input or cluster unreachable (src/core/errors.ts). */
  code: number
  /** get: each kind printed; apply and the other writes: one outcome per object; validate: the findings. */
  items: T[]
}

/** One object's outcome in apply, create, replace, delete, label and patch: `REF OUTCOME` as printed. */
export interface WriteOutcome {
  ref: string
  outcome: string
  message?: string
}
