import {getObjects, getRequest} from '../get/get.js'
import {KINDS} from '../resources/registry.js'
import {NAMESPACE, type ObjectSource} from '../sources/source.js'
import {currentInvocation} from '../core/streams.js'
import {candidates, type NameLookup, type TypedLine} from './completion.js'

/** How long a completion may wait for the cluster: a slow or absent one completes nothing instead of hanging. */
const TIMEOUT_MS = 2000

/**
 * `xctl __complete WORD... CURRENT`: the candidates, one per line, for the shell scripts of `xctl completion`.
 * Names come from the cluster (or `--local -f` files) the typed flags point at; any failure prints nothing.
 */
export async function runCompletion(words: string[]): Promise<void> {
  let source: ObjectSource | undefined
  const open = async (line: TypedLine) => {
    const {openSource} = await import('../sources/open.js')
    const f = line.flags
    const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined)
    source = await openSource({
      local: f.local === true,
      filename: str(f.filename) ? [str(f.filename)!] : undefined,
      kubeconfig: str(f.kubeconfig),
      context: str(f.context),
      namespace: str(f.namespace),
      requestTimeoutMs: TIMEOUT_MS,
      maxResponseBytes: 64 * 1024 * 1024,
    })
    return source
  }
  const lookup: NameLookup = {
    kinds: () => [...new Set(KINDS.flatMap((k) => k.aliases))].sort(),
    async names(kind, line) {
      const f = line.flags
      const req = getRequest(kind, [], {
        namespace: typeof f.namespace === 'string' ? f.namespace : undefined,
        'all-namespaces': f['all-namespaces'] === true,
        'multi-interface-mode': typeof f['multi-interface-mode'] === 'string' ? f['multi-interface-mode'] : undefined,
      })
      const result = await getObjects(await open(line), req)
      const names: string[] = []
      for await (const page of result.pages) for (const o of page) names.push(o.metadata.name ?? '')
      return [...new Set(names)].sort()
    },
    async namespaces(line) {
      const names: string[] = []
      for await (const page of (await open(line)).list(NAMESPACE, {}))
        for (const o of page) names.push(o.metadata.name ?? '')
      return names.sort()
    },
  }
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), TIMEOUT_MS + 500)))
    const found = await Promise.race([candidates(words, lookup), timeout])
    if (found.length > 0) currentInvocation().streams.out.write(found.join('\n') + '\n')
  } catch {
    // A completion never prints an error: the shell would show it in the middle of the command line.
  } finally {
    if (timer) clearTimeout(timer)
    source?.close()
  }
}
