import {userAgent} from '../core/build-info.js'
import {UsageError} from '../core/errors.js'
import {invalidNamespaceMessage, namespaceProblems} from '../core/names.js'
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
    if (!flags.filename?.length)
      throw new UsageError('--local needs -f PATH', 'e.g. xctl get wep --local -f examples/multus')
    const {ManifestSource} = await import('./manifests.js')
    return new ManifestSource(flags.filename, flags.namespace ?? 'default', {recursive: flags.recursive})
  }
  const {loadConnectionConfig} = await import('../kube/kubeconfig.js')
  const {ClusterSource} = await import('./cluster.js')
  const conn = loadConnectionConfig({kubeconfig: flags.kubeconfig, context: flags.context})
  const contextProblems = flags.namespace === undefined && conn.namespace ? namespaceProblems(conn.namespace) : []
  if (contextProblems.length > 0) {
    throw new UsageError(
      `context "${conn.contextName}": ${invalidNamespaceMessage(conn.namespace, contextProblems)}`,
      'fix the namespace of this context in the kubeconfig, or give -n NAMESPACE',
    )
  }
  flags.debug?.(`using context "${conn.contextName}" (${conn.server}) from ${conn.sources.join(', ')}`)
  return new ClusterSource(conn, {
    debug: flags.debug,
    requestTimeoutMs: flags.requestTimeoutMs,
    maxResponseBytes: flags.maxResponseBytes,
    userAgent: userAgent(),
  })
}
