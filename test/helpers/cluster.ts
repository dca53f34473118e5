import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import {startApiServer, type ApiServer, type ApiServerOptions} from '../support/apiserver.js'
import {ROOT} from './cli.js'

export interface TestCluster {
  server: ApiServer
  kubeconfig: string
  /** Environment for xctl: KUBECONFIG pointing at the test server over HTTPS with a token. */
  env: Record<string, string>
  dir: string
}

/** The bundled example's objects (examples/multus), as a cluster would hold them. */
export function exampleObjects(): object[] {
  const dir = join(ROOT, 'examples', 'multus')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o && !(o.apiVersion === 'projectcalico.org/v3'))
}

export async function startCluster(options: ApiServerOptions = {}): Promise<TestCluster> {
  const server = await startApiServer(options)
  const dir = mkdtempSync(join(tmpdir(), 'xctl-cluster-'))
  const kubeconfig = join(dir, 'kubeconfig')
  server.writeKubeconfig(kubeconfig, {token: 'test-token'})
  return {server, kubeconfig, env: {KUBECONFIG: kubeconfig}, dir}
}
