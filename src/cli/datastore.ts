import {readFileSync} from 'node:fs'
import {parse as parseYaml} from 'yaml'
import {InputError, UsageError} from '../core/errors.js'

/** calicoctl's global flags that xctl accepts: `-c/--config` (a CalicoAPIConfig file) and --allow-version-mismatch. */
export interface DatastoreFlags {
  config?: string
  kubeconfig?: string
  'allow-version-mismatch'?: boolean
}

/**
 * calicoctl's datastore settings (projectcalico/calico calicoctl/calicoctl/commands/clientmgr): DATASTORE_TYPE and
 * the CalicoAPIConfig given with -c. xctl talks to the Kubernetes API only: `kubernetes` is honoured (the file's
 * spec.kubeconfig is used unless --kubeconfig is given), `etcdv3` is refused rather than silently ignored.
 */
export function resolveDatastore(flags: DatastoreFlags, env: NodeJS.ProcessEnv): void {
  let spec: Record<string, unknown> = {}
  if (flags.config) spec = readCalicoApiConfig(flags.config)
  const type = String(spec.datastoreType ?? env.DATASTORE_TYPE ?? 'kubernetes')
  const from = spec.datastoreType ? `datastoreType in ${flags.config}` : 'DATASTORE_TYPE'
  if (type !== 'kubernetes')
    throw new UsageError(
      `${from} is "${type}", but xctl works with the Kubernetes datastore only (etcdv3 is not supported)`,
      type === 'etcdv3'
        ? 'use calicoctl for an etcdv3 datastore, or set DATASTORE_TYPE=kubernetes'
        : 'set DATASTORE_TYPE=kubernetes, or leave it unset',
    )
  if (!flags.kubeconfig && typeof spec.kubeconfig === 'string' && spec.kubeconfig) flags.kubeconfig = spec.kubeconfig
}

function readCalicoApiConfig(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new InputError(`cannot read the config file given with -c/--config: ${(error as Error).message}`)
  }
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    throw new InputError(`${path}: not YAML: ${(error as Error).message}`)
  }
  const o = doc as {kind?: unknown; spec?: unknown} | null
  if (!o || typeof o !== 'object' || o.kind !== 'CalicoAPIConfig' || typeof o.spec !== 'object' || !o.spec)
    throw new InputError(`${path}: expected a CalicoAPIConfig (kind: CalicoAPIConfig, with a spec), as calicoctl reads`)
  return o.spec as Record<string, unknown>
}
