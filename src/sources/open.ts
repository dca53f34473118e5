import {UsageError} from '../cli/errors.js'
import type {ObjectSource} from './source.js'

export interface SourceFlags {
  local?: boolean
  filename?: string[]
  recursive?: boolean
  kubeconfig?: string
  context?: string
  namespace?: string
  debug?: (line: string) => void
  requestTimeoutMs?: number
  maxResponseBytes?: number
}

/**
 * The cluster (kubeconfig) or, with --local, the manifests given with -f. The cluster modules are imported
 * only here, so offline runs never load them.
 */
export async function openSource(flags: SourceFlags): Promise<ObjectSource> {
  if (flags.local) {
    if (!flags.filename?.length) throw new UsageError('--local needs -f PATH', 'e.g. xctl get wep --local -f examples/multus')
    const {ManifestSource} = await import('./manifests.js')
    return new ManifestSource(flags.filename, flags.namespace ?? 'default', {recursive: flags.recursive})
  }
  const {loadConnectionConfig} = await import('../kube/kubeconfig.js')
  const {ClusterSource} = await import('./cluster.js')
  const conn = loadConnectionConfig({kubeconfig: flags.kubeconfig, context: flags.context})
  flags.debug?.(`using context "${conn.contextName}" (${conn.server}) from ${conn.sources.join(', ')}`)
  return new ClusterSource(conn, {debug: flags.debug, requestTimeoutMs: flags.requestTimeoutMs, maxResponseBytes: flags.maxResponseBytes, userAgent: 'xctl/0.1.0'})
}
