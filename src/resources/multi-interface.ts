import {currentInvocation} from '../core/streams.js'
import {ApiError} from '../core/errors.js'
import {INSTALLATION, type ObjectSource} from '../sources/source.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'

/**
 * The multi-interface mode: the flag, else MULTI_INTERFACE_MODE (as calicoctl reads it), else none.
 * `explicit` tells whether the user chose it (so a hint about the cluster's setting is worth printing).
 */
export function resolveMultiInterfaceMode(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = currentInvocation().env,
): {mode: MultiInterfaceMode; explicit: boolean; warning?: string} {
  if (flag) return {mode: flag.toLowerCase() === 'multus' ? 'multus' : 'none', explicit: true}
  const value = env.MULTI_INTERFACE_MODE
  if (value === undefined || value === '') return {mode: 'none', explicit: false}
  const lower = value.toLowerCase()
  if (lower === 'multus' || lower === 'none') return {mode: lower, explicit: true}
  return {
    mode: 'none',
    explicit: true,
    warning: `MULTI_INTERFACE_MODE="${value}" is not one of multus, none; using none`,
  }
}

/** Installation "default" with multiInterfaceMode Multus means the user probably wants multus mode. */
export async function installationUsesMultus(source: ObjectSource): Promise<boolean> {
  try {
    const installation = await source.get(INSTALLATION, undefined, 'default')
    return String(installation?.spec?.calicoNetwork?.multiInterfaceMode ?? '').toLowerCase() === 'multus'
  } catch (error) {
    // Only a hint: a missing operator API or no permission to read it is not the user's problem here.
    if (error instanceof ApiError) return false
    throw error
  }
}
