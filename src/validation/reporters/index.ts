import {UsageError} from '../../core/errors.js'
import {GithubReporter} from './github.js'
import {JsonReporter} from './json.js'
import {JunitReporter} from './junit.js'
import type {ReportOptions, Reporter} from './reporter.js'
import {SarifReporter} from './sarif.js'
import {TextReporter} from './text.js'

export type {Reporter, ReportOptions, RunResult} from './reporter.js'

const FORMATS = ['text', 'json', 'junit', 'sarif', 'github'] as const

/** The reporter for -o; one file per format. */
export function createReporter(
  format: string,
  write: (chunk: string) => Promise<void>,
  options: ReportOptions,
): Reporter {
  switch (format) {
    case 'text':
      return new TextReporter(write, options)
    case 'json':
      return new JsonReporter(write, options)
    case 'junit':
      return new JunitReporter(write, options)
    case 'sarif':
      return new SarifReporter(write, options)
    case 'github':
      return new GithubReporter(write, options)
    default:
      throw new UsageError(`unknown output format "${format}" for validate`, `use one of: ${FORMATS.join(', ')}`)
  }
}
