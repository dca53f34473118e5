import {isAbsolute, relative, sep} from 'node:path'
import type {Finding} from '../findings.js'
import {LinePerFindingReporter} from './reporter.js'

/** GitHub Actions workflow commands, shown as annotations:
 * `::error file=...,line=...,col=...,title=<rule>::message`. */
export class GithubReporter extends LinePerFindingReporter {
  protected format(f: Finding): string {
    const file = repoPath(f.file, this.options.cwd)
    return `::${f.severity} file=${property(file)},line=${f.line},col=${f.column},title=${property(f.rule)}::${data(f.message)}\n`
  }
}

/** A path relative to the working directory (the repository root in a workflow), with forward slashes. */
function repoPath(file: string, cwd: string): string {
  if (file === '<stdin>') return file
  const rel = isAbsolute(file) ? relative(cwd, file) : file
  return rel.split(sep).join('/').replace(/^\.\//, '')
}

// Escaping as @actions/core does it.
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
