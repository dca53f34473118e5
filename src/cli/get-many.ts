import {getObjects, getRequests, type GetFlags} from '../get/get.js'
import {detailFor, outputFormat} from '../printers/printer.js'
import type {ObjectSource} from '../sources/source.js'
import type {PrintedKind, Session} from './session.js'
import type {WatchFlags} from './get-watch.js'

/**
 * `get` with one or more kinds (`wep,nad`, `np/a gnp/b`): each kind prints in turn, as kubectl does; tables are
 * separated by a blank line, and a problem with one kind (exit 1) does not stop the next.
 */
export async function printKinds(
  session: Session,
  openSource: () => Promise<ObjectSource>,
  positionals: string[],
  flags: GetFlags & WatchFlags & {output?: string; template?: string},
): Promise<PrintedKind[]> {
  if (flags.watch || flags['watch-only']) {
    const {printWatch} = await import('./get-watch.js')
    await printWatch(session, openSource, positionals, flags)
    return []
  }
  const output = outputFormat(flags)
  // Kinds are checked before the cluster is contacted: a typo is a usage error even with no kubeconfig.
  // What the printer reads decides how much of each object is built (tables: only their columns).
  const requests = getRequests(positionals, flags, detailFor(output))
  const source = await openSource()
  const table = !output || output === 'ps' || output === 'wide'
  const printed: PrintedKind[] = []
  for (const [i, request] of requests.entries()) {
    if (i > 0 && table) await session.write('\n')
    printed.push(await session.print(await getObjects(source, request)))
  }
  return printed
}
