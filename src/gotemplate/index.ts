/**
 * Go's text/template as kubectl runs it for `-o go-template` (kubernetes/cli-runtime pkg/printers/template.go):
 * the template is named "output", kubectl's functions (exists, base64decode) are added to the builtins, and a
 * missing map key prints `<no value>` unless missing keys are errors (--allow-missing-template-keys=false).
 */
import {Executor, TemplateExecError} from './exec.js'
import {FUNCTION_NAMES} from './funcs.js'
import {TemplateParseError} from './lex.js'
import {parseTemplate} from './parse.js'

export {TemplateExecError, TemplateParseError}
export {sprintValue} from './values.js'

export interface GoTemplate {
  /** Runs the template on decoded JSON; a TemplateExecError carries the text written before it (`partial`). */
  execute(data: unknown, options?: {missingKeyError?: boolean}): string
}

/** Parses a template; syntax errors are TemplateParseErrors worded as Go words them. */
export function compileGoTemplate(text: string): GoTemplate {
  const tree = parseTemplate(text, FUNCTION_NAMES)
  return {
    execute: (data, options = {}) => new Executor(tree, text, Boolean(options.missingKeyError)).execute(data),
  }
}
