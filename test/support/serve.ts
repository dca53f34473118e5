// Standalone test API server for benchmarks and manual runs:
//   node --import tsx test/support/serve.ts [--http] [--port N] [--pods N] [--namespaces N] [--nodes N]
//     [--networks N] [--calico-mode MODE] [--max-page-size N] [--anonymous] [--fixtures file-or-dir ...]
//     [--bandwidth-mbit N] [--no-compression] --kubeconfig OUT
// --bandwidth-mbit caps each connection's response bodies (e.g. 50 for a remote cluster's 50 Mbit/s link).
// Prints one JSON line {"url":...,"kubeconfig":...} on stdout and runs until SIGTERM/SIGINT.

import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import YAML from 'yaml'

import {startApiServer, type CalicoMode} from './apiserver.js'
import {generateCluster} from './generate.js'

interface Args {
  http: boolean
  port?: number
  pods: number
  namespaces?: number
  nodes?: number
  networks: number
  calicoMode?: CalicoMode
  maxPageSize?: number
  anonymous: boolean
  fixtures: string[]
  kubeconfig?: string | undefined
  bandwidthMbit?: number
  compression: boolean
}

function usage(msg: string): never {
  process.stderr.write(`serve: ${msg}\n`)
  process.exit(2)
}

function parseArgs(argv: string[]): Args {
  const a: Args = {http: false, pods: 0, networks: 1, anonymous: false, fixtures: [], compression: true}
  const num = (i: number, flag: string) => {
    const v = Number(argv[i])
    if (!Number.isInteger(v) || v < 0) usage(`${flag} needs a non-negative integer`)
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]
    switch (f) {
      case '--http':
        a.http = true
        break
      case '--anonymous':
        a.anonymous = true
        break
      case '--port':
        a.port = num(++i, f)
        break
      case '--pods':
        a.pods = num(++i, f)
        break
      case '--namespaces':
        a.namespaces = num(++i, f)
        break
      case '--nodes':
        a.nodes = num(++i, f)
        break
      case '--networks':
        a.networks = num(++i, f)
        break
      case '--bandwidth-mbit':
        a.bandwidthMbit = num(++i, f)
        if (a.bandwidthMbit === 0) usage('--bandwidth-mbit needs a positive number')
        break
      case '--no-compression':
        a.compression = false
        break
      case '--max-page-size':
        a.maxPageSize = num(++i, f)
        break
      case '--calico-mode': {
        const m = argv[++i] ?? ''
        if (!['crd-v1', 'v3-crd', 'apiserver-v3', 'none'].includes(m)) usage(`unknown --calico-mode ${m}`)
        a.calicoMode = m as CalicoMode
        break
      }
      case '--fixtures':
        // every following non-flag argument is a fixture path
        while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) a.fixtures.push(argv[++i]!)
        break
      case '--kubeconfig':
        a.kubeconfig = argv[++i]
        break
      default:
        usage(`unknown argument ${f}`)
    }
  }
  if (!a.kubeconfig) usage('--kubeconfig OUT is required')
  return a
}

function fixtureFiles(p: string): string[] {
  const st = statSync(p)
  if (!st.isDirectory()) return [p]
  return readdirSync(p)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(p, f))
}

function readFixtures(paths: string[]): object[] {
  const out: object[] = []
  for (const p of paths.flatMap(fixtureFiles)) {
    for (const doc of YAML.parseAllDocuments(readFileSync(p, 'utf8'))) {
      const v = doc.toJSON()
      if (v && typeof v === 'object') out.push(v)
    }
  }
  // namespaces first, as a real "kubectl apply" of a directory would need
  return [...out.filter((o: any) => o.kind === 'Namespace'), ...out.filter((o: any) => o.kind !== 'Namespace')]
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  const objects: object[] = []
  if (a.pods > 0) {
    objects.push(
      ...generateCluster({pods: a.pods, namespaces: a.namespaces, nodes: a.nodes, networksPerPod: a.networks}).objects,
    )
  }
  objects.push(...readFixtures(a.fixtures))
  const server = await startApiServer({
    tls: !a.http,
    port: a.port,
    calicoMode: a.calicoMode,
    maxPageSize: a.maxPageSize,
    compression: a.compression,
    bandwidthBytesPerSecond: a.bandwidthMbit ? (a.bandwidthMbit * 1_000_000) / 8 : undefined,
    // kubectl sends no credentials over plain http, so an http server must admit anonymous users
    allowAnonymous: a.anonymous || a.http,
    objects,
  })
  const kubeconfig = resolve(a.kubeconfig!)
  server.writeKubeconfig(kubeconfig)
  process.stdout.write(JSON.stringify({url: server.url, kubeconfig}) + '\n')
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main().catch((e) => {
  process.stderr.write(`serve: ${e?.stack ?? e}\n`)
  process.exit(1)
})
