import {ApiError, ResourceError, UsageError} from '../core/errors.js'
import {AnswerLostError, InterruptedError, type KubeClient} from '../kube/client.js'
import {apiKindFor} from '../resources/coordinates.js'
import type {CalicoStorage, ResourceDescriptor} from '../resources/descriptor.js'
import {collectionPath} from '../sources/cluster.js'
import {reread, storedNames, type ApplyResult} from './apply.js'

export interface DeleteTarget {
  descriptor: ResourceDescriptor
  name: string
  namespace?: string
}

/** Deletes one object; a default-tier policy stored under its legacy `default.` name is found too. */
export async function deleteObject(
  client: KubeClient,
  target: DeleteTarget,
  storage: CalicoStorage,
  opts: {dryRun: 'none' | 'client' | 'server'; skipNotFound: boolean},
): Promise<ApplyResult> {
  const d = target.descriptor
  const ref = `${d.kind.toLowerCase()}.${d.group} "${target.name}"`
  if (d.derived) {
    return {
      ref,
      outcome: 'failed',
      message:
        `${ref}: WorkloadEndpoints are derived from pods and cannot be deleted; delete the ` +
        `pod, or remove the network from the pod's k8s.v1.cni.cncf.io/networks annotation`,
    }
  }
  const refused = d.refuseWrite?.(target.name)
  if (refused) return {ref, outcome: 'failed', message: `${ref}: ${refused}`}
  const path = collectionPath(apiKindFor(d, storage), d.namespaced ? target.namespace : undefined)
  const names = storedNames(d, storage, target.name)
  try {
    for (const name of names) {
      try {
        if (opts.dryRun === 'client') await client.get(`${path}/${encodeURIComponent(name)}`)
        else
          await client.request('DELETE', `${path}/${encodeURIComponent(name)}`, {
            query: opts.dryRun === 'server' ? {dryRun: 'All'} : undefined,
          })
        return {ref, outcome: 'deleted'}
      } catch (error) {
        const objectPath = `${path}/${encodeURIComponent(name)}`
        if (error instanceof AnswerLostError && opts.dryRun === 'none')
          return await afterLostDelete(client, objectPath, ref, error)
        if (!(error instanceof ApiError && error.status === 404 && name !== names[names.length - 1])) throw error
      }
    }
    throw new ResourceError(`${ref} not found`)
  } catch (error) {
    // A path the client refused to build (a name such as "."): the whole command stops with exit 2.
    if (error instanceof UsageError) throw error
    if (error instanceof InterruptedError)
      return {ref, outcome: 'failed', message: 'interrupted before it was deleted', interrupted: true}
    if (error instanceof ApiError && error.status === 404 && opts.skipNotFound) return {ref, outcome: 'skipped'}
    return {ref, outcome: 'failed', message: error instanceof Error ? error.message : String(error)}
  }
}

/** A delete whose answer was lost: gone (or being finalized) means deleted; still there means not. */
async function afterLostDelete(client: KubeClient, path: string, ref: string, lost: Error): Promise<ApplyResult> {
  const now = await reread(client, path, lost)
  if (!now || now.metadata.deletionTimestamp) return {ref, outcome: 'deleted'}
  const message =
    `${ref}: the connection was lost after the delete was sent (${lost.message}); read ` +
    `back: the object still exists; run delete again`
  return {ref, outcome: 'failed', message}
}
