/**
 * Differential test: the same templates through the installed kubectl and through xctl, on the same object
 * (`kubectl label --local -f FILE probe- -o go-template=T` and `xctl get nad values --local -f FILE -o go-template=T`),
 * and on a List (`kubectl get nad` from a fake API server serving what `xctl get nad --local -f FILE` lists).
 * stdout must be identical; exit codes follow the house rules (kubectl exits 1 for everything; xctl 2 for a template
 * that does not parse). Skipped cleanly when kubectl is not on the PATH.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {kubectl, run, xctl, type CliResult} from '../helpers/cli.js'

const FIXTURES = new URL('fixtures/', import.meta.url).pathname
// The object and the -o file forms are shared with test/printers (and test/core/goformat.test.ts).
const PRINTER_FIXTURES = new URL('../printers/fixtures/', import.meta.url).pathname
const FILE = `${PRINTER_FIXTURES}template-object.yaml`
const CASES = JSON.parse(readFileSync(`${FIXTURES}gotemplate-cases.json`, 'utf8')) as string[]
const hasKubectl = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).status === 0
const skip = hasKubectl ? false : 'kubectl is not on the PATH'

/** The last line of stderr without kubectl's `error: ` or xctl's Hint. */
const message = (r: CliResult) =>
  r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('Hint: '))
    .pop()
    ?.replace(/^error: /, '')

function assertSame(k: CliResult, x: CliResult): void {
  assert.equal(x.stdout, k.stdout)
  if (k.code === 0) {
    assert.equal(x.code, 0, x.stderr)
    return
  }
  assert.equal(message(x), message(k))
  assert.equal(x.code, message(k)?.startsWith('error parsing template') ? 2 : 1)
}

/** Runs `fn` over the cases, a few at a time (each runs two processes). */
async function eachCase(cases: string[], fn: (template: string) => Promise<void>): Promise<void> {
  const failures: string[] = []
  const queue = [...cases]
  const worker = async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift())
      await fn(t).catch((error: Error) => failures.push(`${JSON.stringify(t)}: ${error.message}`))
  }
  await Promise.all([worker(), worker(), worker()])
  assert.deepEqual(failures, [])
}

describe('go-template: xctl and kubectl on one object', {skip}, () => {
  // Every golden (gotemplate-goldens.test.ts) runs in-process; here every fourth, through both CLIs, keeps it quick.
  const sample = CASES.filter((_, i) => i % 4 === 0)
  it(`${sample.length} of the templates of fixtures/gotemplate-cases.json print the same`, async () => {
    await eachCase(sample, async (template) => {
      const [k, x] = await Promise.all([
        run('kubectl', ['label', '--local', '-f', FILE, 'probe-', '-o', `go-template=${template}`]),
        xctl(['get', 'nad', 'values', '--local', '-f', FILE, '-o', `go-template=${template}`]),
      ])
      assertSame(k, x)
    })
  })

  it('the aliases and --template print the same as kubectl', async () => {
    const forms = [
      ['-o', 'template={{.metadata.name}}'],
      ['--template={{.metadata.name}}'],
      ['-o', 'go-template', '--template={{.metadata.name}}'],
      ['-o', 'templatefile', `--template=${FIXTURES}names.gotemplate`],
      ['-o', `go-template-file=${FIXTURES}names.gotemplate`],
    ]
    for (const form of forms) {
      const k = await run('kubectl', ['label', '--local', '-f', FILE, 'probe-', ...form])
      const x = await xctl(['get', 'nad', 'values', '--local', '-f', FILE, ...form])
      assertSame(k, x)
    }
  })
})

describe('go-template: xctl and kubectl on a List', {skip}, () => {
  let server: Server
  let cacheDir: string
  let kubectl: (output: string) => Promise<CliResult>
  const LIST_CASES = [
    '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}',
    '{{len .items}} {{(index .items 0).spec.numbers}}',
    '{{range $i, $o := .items}}{{$i}} {{$o.metadata.namespace}}/{{$o.metadata.name}} {{$o.spec.order}}{{"\\n"}}{{end}}',
    '{{range .items}}{{range .spec.list}}{{if .ip}}{{.ip}} {{end}}{{end}}{{end}}',
    '{{.items}}',
    // Not compared: the List's own apiVersion/kind (kubectl: v1 List; xctl, as for -o json: the kind's List) and so
    // the data dump after a failing template.
  ]

  before(async () => {
    const listed = await xctl(['get', 'nad', '--local', '-f', FILE, '-o', 'json'])
    const items = JSON.parse(listed.stdout).items
    const group = 'k8s.cni.cncf.io'
    const nad = {name: 'network-attachment-definitions', singularName: 'network-attachment-definition'}
    const routes: Record<string, unknown> = {
      '/api': {kind: 'APIVersions', versions: ['v1']},
      '/apis': {
        kind: 'APIGroupList',
        groups: [{name: group, versions: [{groupVersion: `${group}/v1`, version: 'v1'}]}],
      },
      '/api/v1': {kind: 'APIResourceList', groupVersion: 'v1', resources: []},
      [`/apis/${group}/v1`]: {
        kind: 'APIResourceList',
        groupVersion: `${group}/v1`,
        resources: [{...nad, namespaced: true, kind: 'NetworkAttachmentDefinition', verbs: ['get', 'list']}],
      },
      [`/apis/${group}/v1/namespaces/default/${nad.name}`]: {
        apiVersion: `${group}/v1`,
        kind: 'NetworkAttachmentDefinitionList',
        metadata: {resourceVersion: '1'},
        items,
      },
    }
    server = createServer((req, res) => {
      const body = routes[(req.url ?? '').split('?')[0]]
      res.writeHead(body ? 200 : 404, {'Content-Type': 'application/json'})
      res.end(JSON.stringify(body ?? {kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    cacheDir = mkdtempSync(join(tmpdir(), 'xctl-gotemplate-'))
    const env = {...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1'}
    const flags = ['--kubeconfig=/dev/null', `--cache-dir=${cacheDir}`, `--server=http://127.0.0.1:${port}`]
    kubectl = (output) => run('kubectl', ['get', nad.name, '-n', 'default', ...flags, '-o', output], {env})
  })

  after(() => {
    server?.close()
    if (cacheDir) rmSync(cacheDir, {recursive: true, force: true})
  })

  it('templates on the list print the same', async () => {
    for (const template of LIST_CASES) {
      const x = await xctl(['get', 'nad', '--local', '-f', FILE, '-o', `go-template=${template}`])
      assertSame(await kubectl(`go-template=${template}`), x)
    }
  })

  it('the file forms (go-template-file, jsonpath-file, custom-columns-file) print the same', async () => {
    const outputs = [
      `go-template-file=${FIXTURES}names.gotemplate`,
      `jsonpath-file=${PRINTER_FIXTURES}names.jsonpath`,
      `custom-columns-file=${PRINTER_FIXTURES}columns.txt`,
    ]
    for (const output of outputs) {
      const x = await xctl(['get', 'nad', '--local', '-f', FILE, '-o', output])
      assertSame(await kubectl(output), x)
    }
  })
})

describe('the last line of a failed template, as kubectl prints it', {skip}, () => {
  it('parse and execution errors: "error: error parsing ..." and "error: error executing ..."', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xctl-errline-'))
    const file = join(dir, 'nad.yaml')
    writeFileSync(
      file,
      'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: x}\nspec: {config: "{}"}\n',
    )
    for (const output of ['go-template={{ end }}', 'go-template={{ 1 2 }}', 'jsonpath={.a[}']) {
      const k = await kubectl(['label', '--local', '-f', file, 'probe-', '-o', output])
      const x = await xctl(['get', 'nad', '--local', '-f', file, '-o', output])
      const firstError = (r: CliResult) => r.stderr.split('\n').find((l) => /^error: /.test(l))
      assert.equal(firstError(x), firstError(k), output)
      assert.match(firstError(x) ?? '', /^error: error (parsing|executing) /, x.stderr)
    }
  })
})
