import http from 'node:http'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

type Obj = Record<string, unknown> & {metadata: {name: string; namespace?: string; labels?: Record<string, string>}}

/** Lists by API path (cluster-wide collections); namespaced paths are filtered from them. */
export interface FakeCluster {
  groups: string[]
  lists: Record<string, {apiVersion: string; kind: string; items: Obj[]}>
}

/**
 * A minimal Kubernetes API for --cluster tests: discovery, and GET of collections (all namespaces or one),
 * everything in one page. Anything else is a 404 Status. Returns the server and a kubeconfig pointing at it.
 */
export async function startFakeCluster(
  cluster: FakeCluster,
  dir: string,
): Promise<{kubeconfig: string; requests: string[]; close: () => Promise<void>}> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    requests.push(url.pathname)
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {'content-type': 'application/json'})
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/apis')
      return send(200, {
        kind: 'APIGroupList',
        groups: cluster.groups.map((gv) => ({name: gv.split('/')[0], versions: [{groupVersion: gv}]})),
      })
    const ns = /^(.*)\/namespaces\/([^/]+)\/([^/]+)$/.exec(url.pathname)
    const path = ns ? `${ns[1]}/${ns[3]}` : url.pathname
    const list = cluster.lists[path]
    if (!list) {
      // A single object: GET <collection>/<name>.
      const parent = cluster.lists[path.slice(0, path.lastIndexOf('/'))]
      const name = path.slice(path.lastIndexOf('/') + 1)
      const found = parent?.items.find((o) => o.metadata.name === name)
      if (found) return send(200, found)
      return send(404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        message: parent ? `"${name}" not found` : 'the server could not find the requested resource',
        details: parent ? {name} : undefined,
        code: 404,
      })
    }
    const items = ns ? list.items.filter((o) => o.metadata.namespace === ns[2]) : list.items
    send(200, {apiVersion: list.apiVersion, kind: list.kind, metadata: {resourceVersion: '1'}, items})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as {port: number}).port
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:${port}
users:
- name: nobody
  user: {}
contexts:
- name: fake
  context: {cluster: fake, user: nobody, namespace: default}
current-context: fake
`,
  )
  return {kubeconfig, requests, close: () => new Promise((r) => server.close(() => r()))}
}
