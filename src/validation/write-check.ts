import type {ManifestDocument} from '../manifests/read.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'
import {validateDocument} from './engine.js'
import {Knowledge} from './knowledge.js'

/**
 * `xctl validate`'s per-kind rules, run by apply before anything is written: one line per error
 * (warnings never block a write; cross-references to the cluster are left to the API server).
 */
export async function errorsBeforeWrite(
  docs: ManifestDocument[],
  defaultNamespace: string,
  mode: MultiInterfaceMode,
): Promise<string[]> {
  const knowledge = new Knowledge()
  const settings = {defaultNamespace, mode, cluster: false, flavor: 'any' as const}
  const findings = docs.flatMap((doc) => validateDocument(doc, knowledge, settings).findings)
  findings.push(...(await knowledge.resolve(undefined)))
  return findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.rule}]`)
}
