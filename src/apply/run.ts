import {ExitCode} from '../core/errors.js'
import {currentInvocation} from '../core/streams.js'
import {resolveMultiInterfaceMode} from '../resources/multi-interface.js'
import {readManifests, type ManifestDocument} from '../manifests/read.js'
import {detectCalicoStorage} from '../resources/calico-storage.js'
import type {ClusterSource} from '../sources/cluster.js'
import {applyObject, type ApplyResult, type Outcome, type WriteVerb} from './apply.js'
import {deleteObject, type DeleteTarget} from './delete.js'
import {failIfProblems, planObjects} from './plan.js'
import {errorsBeforeWrite} from '../validation/write-check.js'
import type {Edited} from './edit.js'

export interface WriteReport {
  results: ApplyResult[]
  /** Objects not attempted because the user interrupted. */
  notAttempted: string[]
  exitCode: number
}

export async function readDocuments(paths: string[], recursive: boolean): Promise<ManifestDocument[]> {
  const docs: ManifestDocument[] = []
  for await (const doc of readManifests(paths, {recursive})) docs.push(doc)
  return docs
}

/** What a write loop has done so far: printed when a second Ctrl-C or a SIGTERM ends the process at once. */
interface Progress {
  results: ApplyResult[]
  inFlight?: string
  remaining: string[]
}

/**
 * The first Ctrl-C stops the loop after the object in flight and cuts retry waits short (the write in flight may
 * finish). A second Ctrl-C, or SIGTERM (CI cancellation), exits at once with 130 / 143 after saying what was
 * written, what was in flight and what was not attempted: a hanging write must not keep the process alive.
 */
function interruptHandling(
  source: ClusterSource,
  progress: Progress,
): {interrupted: () => boolean; release: () => void} {
  const controller = new AbortController()
  source.client.useSignal(controller.signal)
  let hit = false
  // The run's stderr (the process's own when it is a real process, which is when signals arrive).
  const stderr = currentInvocation().streams.err
  const exitNow = (code: number, why: string) => {
    stderr.write(`\n${why}: exiting now.\n`)
    if (progress.inFlight)
      stderr.write(`${progress.inFlight} unknown (its request was in flight; check it with xctl get)\n`)
    for (const ref of progress.remaining) stderr.write(`${ref} not attempted (interrupted)\n`)
    const written = progress.results.filter((r) => !['failed', 'skipped', 'unchanged'].includes(r.outcome)).length
    stderr.write(
      `${written} object(s) written, ${progress.inFlight ? 1 : 0} unknown, ${progress.remaining.length} ` +
        `not attempted\n`,
    )
    process.exit(code)
  }
  const onInt = () => {
    if (hit) return exitNow(130, 'Interrupted again')
    hit = true
    controller.abort()
    stderr.write('\nInterrupted: stopping after the object in flight (Ctrl-C again to exit at once)...\n')
  }
  const onTerm = () => exitNow(143, 'Terminated')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return {interrupted: () => hit, release: () => (process.off('SIGINT', onInt), process.off('SIGTERM', onTerm))}
}

/** Runs `write` for each item until interrupted; interrupted and never-started items are reported as not attempted. */
async function writeLoop<T>(
  source: ClusterSource,
  items: T[],
  refOf: (item: T) => string,
  write: (item: T) => Promise<ApplyResult>,
  report: (r: ApplyResult) => Promise<void>,
): Promise<WriteReport> {
  const progress: Progress = {results: [], remaining: items.map(refOf)}
  const notAttempted: string[] = []
  const {interrupted, release} = interruptHandling(source, progress)
  try {
    for (const item of items) {
      const ref = progress.remaining.shift()!
      if (interrupted()) {
        notAttempted.push(ref)
        continue
      }
      progress.inFlight = ref
      const result = await write(item)
      progress.inFlight = undefined
      if (result.interrupted) {
        notAttempted.push(ref)
        continue
      }
      progress.results.push(result)
      await report(result)
    }
  } finally {
    release()
  }
  return {results: progress.results, notAttempted, exitCode: exitCodeOf(progress.results, notAttempted)}
}

/**
 * `xctl apply`: every document is checked first and nothing is written if any is invalid; then each object is
 * created, configured or left unchanged, one line each, and a failure does not stop the others.
 */
export async function applyManifests(
  source: ClusterSource,
  docs: ManifestDocument[],
  opts: {
    namespace?: string
    dryRun: 'none' | 'client' | 'server'
    multiInterfaceMode?: string
    verb?: WriteVerb
    skipExists?: boolean
    /** calicoctl's --skip-empty: input without resources is no error. */
    skipEmpty?: boolean
    /** Objects of kinds xctl does not write are errors (nothing written), not "skipped" lines. */
    failOnUnowned?: boolean
    report: (r: ApplyResult, suffix: string) => Promise<void>
  },
): Promise<WriteReport> {
  const verb = opts.verb ?? 'apply'
  const mode = resolveMultiInterfaceMode(opts.multiInterfaceMode).mode
  const {problems, inOrder} = planObjects(docs, opts.namespace, source.defaultNamespace, {
    skipUnowned: !opts.failOnUnowned,
  })
  // YAML syntax problems are already in the plan's list; the rules add everything else.
  const syntaxFree = docs.filter((d) => d.errors.length === 0)
  problems.push(...(await errorsBeforeWrite(syntaxFree, opts.namespace ?? source.defaultNamespace, mode)))
  const done = PAST_TENSE[verb]
  failIfProblems(problems, opts.dryRun === 'none' ? done : `${done} (dry run)`)
  if (inOrder.length === 0 && !opts.skipEmpty) failIfProblems(['the input holds no resources'], done)
  const storage = detectCalicoStorage(await source.apiGroups())
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const options = {dryRun: opts.dryRun, storage, mode, verb, skipExists: opts.skipExists}
  const write = async (item: (typeof inOrder)[number]): Promise<ApplyResult> =>
    'skip' in item
      ? {ref: item.ref, outcome: 'skipped', message: item.skip}
      : renamed(await applyObject(source.client, item, options), verb)
  return writeLoop(
    source,
    inOrder,
    (p) => p.ref,
    write,
    (r) => opts.report(r, suffix),
  )
}

const PAST_TENSE: Record<WriteVerb | EditVerb, string> = {
  apply: 'applied',
  create: 'created',
  replace: 'replaced',
  label: 'labeled',
  unlabel: 'unlabeled',
  patch: 'patched',
}

/** `unlabel`: a label command that only removes labels (kubectl then says `unlabeled`). */
export type EditVerb = 'label' | 'unlabel' | 'patch'

/** kubectl's words for an update: `replaced`, `labeled` / `not labeled`, `patched` / `patched (no change)`. */
const UPDATE_WORDS: Partial<Record<WriteVerb | EditVerb, Partial<Record<Outcome, Outcome>>>> = {
  replace: {configured: 'replaced', unchanged: 'replaced'},
  label: {configured: 'labeled', unchanged: 'not labeled'},
  unlabel: {configured: 'unlabeled', unchanged: 'not labeled'},
  patch: {configured: 'patched', unchanged: 'patched (no change)'},
}

export function renamed(result: ApplyResult, verb: WriteVerb | EditVerb): ApplyResult {
  const word = UPDATE_WORDS[verb]?.[result.outcome]
  return word ? {...result, outcome: word} : result
}

export async function deleteTargets(
  source: ClusterSource,
  targets: DeleteTarget[],
  opts: {
    dryRun: 'none' | 'client' | 'server'
    skipNotFound: boolean
    report: (r: ApplyResult, suffix: string) => Promise<void>
  },
): Promise<WriteReport> {
  const storage = detectCalicoStorage(await source.apiGroups())
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const refOf = (t: DeleteTarget) => `${t.descriptor.kind.toLowerCase()}.${t.descriptor.group} "${t.name}"`
  return writeLoop(
    source,
    targets,
    refOf,
    (target) => deleteObject(source.client, target, storage, opts),
    (r) => opts.report(r, suffix),
  )
}

function exitCodeOf(results: ApplyResult[], notAttempted: string[]): number {
  return results.some((r) => r.outcome === 'failed') || notAttempted.length > 0 ? ExitCode.resource : ExitCode.ok
}

export function summarize(report: WriteReport): string {
  const counts = new Map<string, number>()
  for (const r of report.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1)
  const parts = [...counts].map(([k, v]) => `${v} ${k}`)
  if (report.notAttempted.length) parts.push(`${report.notAttempted.length} not attempted (interrupted)`)
  return `${report.results.length + report.notAttempted.length} object(s): ${parts.join(', ') || 'none'}`
}

/**
 * `xctl label` and `xctl patch`: every object is read and edited, and all of them are checked with validate's
 * rules before any is written (as apply does); each is then written back as `replace` would write it.
 */
export async function editAndWrite(
  source: ClusterSource,
  edited: Edited[],
  opts: {
    verb: EditVerb
    dryRun: 'none' | 'client' | 'server'
    multiInterfaceMode?: string
    report: (r: ApplyResult, suffix: string) => Promise<void>
  },
): Promise<WriteReport> {
  const mode = resolveMultiInterfaceMode(opts.multiInterfaceMode).mode
  const problems = edited.flatMap((e) => ('problem' in e ? [e.problem] : []))
  const ready = edited.flatMap((e) => ('planned' in e ? [e] : []))
  problems.push(
    ...(await errorsBeforeWrite(
      ready.map((e) => e.document),
      source.defaultNamespace,
      mode,
    )),
  )
  failIfProblems(problems, opts.dryRun === 'none' ? PAST_TENSE[opts.verb] : `${PAST_TENSE[opts.verb]} (dry run)`)
  const storage = detectCalicoStorage(await source.apiGroups())
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const options = {dryRun: opts.dryRun, storage, mode, verb: 'replace' as const}
  return writeLoop(
    source,
    ready.map((e) => e.planned),
    (p) => p.ref,
    async (planned) => renamed(await applyObject(source.client, planned, options), opts.verb),
    (r) => opts.report(r, suffix),
  )
}
