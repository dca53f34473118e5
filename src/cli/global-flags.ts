/**
 * The global flags' shapes, for the argv pass that runs before oclif is loaded (flags typed before the command).
 * BaseCommand.baseFlags holds their help; a test keeps the two in step.
 */
export const GLOBAL_FLAG_SHAPES: Record<string, {char?: string; takesValue: boolean}> = {
  kubeconfig: {takesValue: true},
  context: {takesValue: true},
  namespace: {char: 'n', takesValue: true},
  output: {char: 'o', takesValue: true},
  'request-timeout': {takesValue: true},
  'max-response-size': {takesValue: true},
  config: {char: 'c', takesValue: true},
  'allow-version-mismatch': {takesValue: false},
  debug: {takesValue: false},
}
