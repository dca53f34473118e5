import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {loadInsight, type Loaded} from '../../src/insight/load.js'
import {ManifestSource} from '../../src/sources/manifests.js'

export const FIXTURE = join(ROOT, 'test/fixtures/insight/cluster.yaml')
export const EXAMPLE = join(ROOT, 'examples/multus')

/** The insight model over manifests, as `describe --local -f` builds it. */
export async function loadFiles(
  paths: string[],
  options: {mode?: 'multus' | 'none'; namespace?: string} = {},
): Promise<Loaded> {
  const source = new ManifestSource(paths, options.namespace ?? 'default')
  return loadInsight(source, {multiInterfaceMode: options.mode ?? 'none', policies: 'all'})
}
