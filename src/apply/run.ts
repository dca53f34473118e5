import {ExitCode} from '../cli/errors.js'
import {resolveMultiInterfaceMode} from '../get/workloadendpoints.js'
import {readManifests, type ManifestDocument} from '../manifests/read.js'
import {detectCalicoStorage} from '../resources/calico-storage.js'
import type {ClusterSource} from '../sources/cluster.js'
import {applyObject, type ApplyResult} from './apply.js'
import {deleteObject, type DeleteTarget} from './delete.js'
import {failIfProblems, planObjects} from './plan.js'
import {errorsBeforeWrite} from '../validation/write-check.js'

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

/** Stops the write loop after the object in flight when the user presses Ctrl-C. */
function interruptFlag(): {interrupted: () => boolean; release: () => void} {
  let hit = false
  const onSignal = () => {
    hit = true
    process.stderr.write('\nInterrupted: stopping after the object in flight...\n')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {interrupted: () => hit, release: () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal))}
}

/**
 * `xctl apply`: every document is checked first and nothing is written if any is invalid; then each object is
 * created, configured or left unchanged, one line each, and a failure does not stop the others.
 */
export async function applyManifests(source: ClusterSource, docs: ManifestDocument[], opts: {namespace?: string; dryRun: 'none' | 'client' | 'server'; multiInterfaceMode?: string; report: (r: ApplyResult, suffix: string) => Promise<void>}): Promise<WriteReport> {
  const mode = resolveMultiInterfaceMode(opts.multiInterfaceMode).mode
  const {objects, problems} = planObjects(docs, opts.namespace, source.defaultNamespace)
  // YAML syntax problems are already in the plan's list; the rules add everything else.
  const syntaxFree = docs.filter((d) => d.errors.length === 0)
  problems.push(...(await errorsBeforeWrite(syntaxFree, opts.namespace ?? source.defaultNamespace, mode)))
  failIfProblems(problems, opts.dryRun === 'none' ? 'applied' : 'applied (dry run)')
  if (objects.length === 0) failIfProblems(['the input holds no resources'], 'applied')
  const storage = detectCalicoStorage(await source.apiGroups())
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const {interrupted, release} = interruptFlag()
  const results: ApplyResult[] = []
  const notAttempted: string[] = []
  try {
    for (const planned of objects) {
      if (interrupted()) {
        notAttempted.push(planned.ref)
        continue
      }
      const result = await applyObject(source.client, planned, {dryRun: opts.dryRun, storage, mode, interrupted})
      results.push(result)
      await opts.report(result, suffix)
    }
  } finally {
    release()
  }
  return {results, notAttempted, exitCode: exitCodeOf(results, notAttempted)}
}

export async function deleteTargets(source: ClusterSource, targets: DeleteTarget[], opts: {dryRun: 'none' | 'client' | 'server'; skipNotFound: boolean; report: (r: ApplyResult, suffix: string) => Promise<void>}): Promise<WriteReport> {
  const storage = detectCalicoStorage(await source.apiGroups())
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''
  const {interrupted, release} = interruptFlag()
  const results: ApplyResult[] = []
  const notAttempted: string[] = []
  try {
    for (const target of targets) {
      if (interrupted()) {
        notAttempted.push(`${target.descriptor.kind.toLowerCase()}.${target.descriptor.group} "${target.name}"`)
        continue
      }
      const result = await deleteObject(source.client, target, storage, opts)
      results.push(result)
      await opts.report(result, suffix)
    }
  } finally {
    release()
  }
  return {results, notAttempted, exitCode: exitCodeOf(results, notAttempted)}
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
