import type {WriteVerb} from '../apply/apply.js'
import {parseDryRun} from '../apply/plan.js'
import {applyManifests, readDocuments, summarize} from '../apply/run.js'
import type {ClusterSource} from '../sources/cluster.js'
import type {ObjectSource} from '../sources/source.js'
import type {CommandResult, WriteOutcome} from './result.js'

/** The flags of apply, create and replace (src/cli/flags.ts writeFlags), as parsed. */
export interface WriteFlagValues {
  filename: string[]
  recursive?: boolean
  namespace?: string
  'dry-run'?: string
  'multi-interface-mode'?: string
  'skip-empty'?: boolean
  'fail-on-unowned'?: boolean
  'skip-exists'?: boolean
}

export interface WriteIO {
  openSource: () => Promise<ObjectSource>
  outcome: (r: {ref: string; outcome: string; message?: string}, suffix: string) => Promise<void>
  write: (chunk: string) => Promise<void>
  /** A line on stderr. */
  warn: (line: string) => void
}

/** apply, create and replace: read -f, validate everything, write each object with `verb`. */
export async function writeManifests(
  verb: WriteVerb,
  flags: WriteFlagValues,
  io: WriteIO,
): Promise<CommandResult<WriteOutcome>> {
  const dryRun = parseDryRun(flags['dry-run'])
  const docs = await readDocuments(flags.filename, flags.recursive ?? false)
  const source = (await io.openSource()) as ClusterSource
  const report = await applyManifests(source, docs, {
    namespace: flags.namespace,
    dryRun,
    verb,
    skipExists: flags['skip-exists'],
    multiInterfaceMode: flags['multi-interface-mode'],
    skipEmpty: flags['skip-empty'],
    failOnUnowned: flags['fail-on-unowned'],
    report: io.outcome,
  })
  for (const ref of report.notAttempted) io.warn(`${ref} not attempted (interrupted)`)
  await io.write(`${summarize(report)}\n`)
  return {code: report.exitCode, items: report.results}
}
