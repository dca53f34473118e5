import type {Finding} from '../findings.js'
import {LinePerFindingReporter} from './reporter.js'

const RED = '\x1b[31m'
const YELLOW = '\x1b[33m'
const DIM = '\x1b[2m'
const RESET = '\x1b[0m'

/** `file:line:col: error: message [rule-id]`, one line per finding, then a summary line. */
export class TextReporter extends LinePerFindingReporter {
  protected format(f: Finding): string {
    const message = f.message.replace(/\s*\n\s*/g, ' ')
    if (!this.options.color) return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${message} [${f.rule}]\n`
    const color = f.severity === 'error' ? RED : YELLOW
    return `${f.file}:${f.line}:${f.column}: ${color}${f.severity}${RESET}: ${message} ${DIM}[${f.rule}]${RESET}\n`
  }
}
