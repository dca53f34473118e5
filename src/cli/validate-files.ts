import type {ObjectSource} from '../sources/source.js'
import type {ValidationSummary} from '../validation/findings.js'
import {openClusterFacts, runValidation, validationFlavor, validationMode} from '../validation/run.js'
import type {Session} from './session.js'

/** validate's own flags, as oclif and the fast path both parse them. */
export interface ValidateFlags {
  filename?: string[]
  recursive?: boolean
  namespace?: string
  output?: string
  'fail-level': 'error' | 'warning'
  cluster?: boolean
  'list-rules'?: boolean
  flavor?: 'oss' | 'enterprise'
  'multi-interface-mode'?: string
}

/**
 * One `xctl validate -f` run from its flags, shared by the command and the fast path so the two cannot drift:
 * the mode and flavor (the cluster's when --cluster gave a source), the reporter for -o, and whether it failed.
 */
export async function validateFiles(
  flags: ValidateFlags,
  session: Session,
  toolVersion: string,
  source?: ObjectSource,
): Promise<{failed: boolean; summary: ValidationSummary}> {
  const mode = await validationMode(flags['multi-interface-mode'], source)
  const flavor = await validationFlavor(flags.flavor, source)
  return runValidation(
    {
      paths: flags.filename ?? [],
      recursive: flags.recursive,
      defaultNamespace: flags.namespace,
      mode,
      flavor,
      format: flags.output ?? 'text',
      failLevel: flags['fail-level'],
      color: session.color,
      cwd: session.invocation.cwd,
      toolVersion,
      cluster: source ? openClusterFacts(source, mode) : undefined,
    },
    (chunk) => session.write(chunk),
  )
}
