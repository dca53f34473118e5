/**
 * The template forms of -o as a user runs them: the file forms, kubectl's aliases and flags (--template,
 * --allow-missing-template-keys), what each failure says and its exit code (2 a template that does not parse,
 * 3 a file that cannot be read, 1 a template that fails on the data), and that help lists every format.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {xctl} from '../helpers/cli.js'

const FILE = new URL('fixtures/template-object.yaml', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'xctl-template-forms-'))
after(() => rmSync(dir, {recursive: true, force: true}))
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}
const get = (...args: string[]) => xctl(['get', 'nad', 'values', '--local', '-f', FILE, ...args])

describe('go-template forms', () => {
  it('-o go-template, template=, --template alone, and the file forms print the same', async () => {
    const file = write('name.tmpl', '{{.metadata.name}} {{.spec.order}}\n')
    const outputs = await Promise.all([
      get('-o', 'go-template={{.metadata.name}} {{.spec.order}}\n'),
      get('-o', 'template={{.metadata.name}} {{.spec.order}}\n'),
      get('--template', '{{.metadata.name}} {{.spec.order}}\n'),
      get('-o', `go-template-file=${file}`),
      get('-o', `templatefile=${file}`),
      get('-o', 'go-template-file', '--template', file),
    ])
    for (const r of outputs) assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'values 1.0000005e+06\n', ''])
  })

  it('a list is one template run over the List (kubectl get), so .items ranges over the objects', async () => {
    const r = await xctl([
      'get',
      'nad',
      '-A',
      '--local',
      '-f',
      FILE,
      '-o',
      'go-template={{range .items}}[{{.metadata.name}}]{{end}}',
    ])
    assert.deepEqual([r.code, r.stdout], [0, '[values]'])
  })

  it('a template that does not parse is a usage error (exit 2) in kubectl words, before anything is read', async () => {
    const r = await get('-o', 'go-template={{.a.b')
    assert.equal(r.code, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /error parsing template \{\{\.a\.b, template: output:1: unclosed action/)
  })

  it('a missing template is a usage error', async () => {
    for (const form of [
      ['-o', 'go-template'],
      ['-o', 'go-template='],
      ['-o', 'jsonpath'],
    ]) {
      const r = await get(...form)
      assert.equal(r.code, 2, form.join(' '))
      assert.match(r.stderr, /template format specified but no template given/)
    }
  })

  it('a file that cannot be read exits 3 and names the file, for every file form', async () => {
    for (const kind of ['go-template-file', 'templatefile', 'jsonpath-file', 'custom-columns-file']) {
      const r = await get('-o', `${kind}=${dir}/nope.txt`)
      assert.equal(r.code, 3, kind)
      assert.match(r.stderr, new RegExp(`error reading --template ${dir}/nope.txt, open ${dir}/nope.txt: no such file`))
    }
  })

  it('a template that fails on the data prints what it wrote and the data, then exits 1 (as kubectl)', async () => {
    const r = await get('-o', 'go-template={{.metadata.name}} {{.spec.none.x}}')
    assert.equal(r.code, 1)
    assert.match(
      r.stdout,
      /^values Error executing template: template: output:1:26: executing "output" at <\.spec\.none\.x>/,
    )
    assert.match(
      r.stdout,
      /\ttemplate was:\n\t\t\{\{\.metadata\.name\}\} \{\{\.spec\.none\.x\}\}\n\traw data was:\n\t\t\{"apiVersion"/,
    )
    assert.match(r.stderr, /error executing template .*nil pointer evaluating interface \{\}\.x/)
  })

  it('--allow-missing-template-keys=false makes a missing key an error for go-template and jsonpath', async () => {
    const loose = await get('-o', 'go-template={{.spec.nope}}')
    assert.deepEqual([loose.code, loose.stdout], [0, '<no value>'])
    const strict = await get('-o', 'go-template={{.spec.nope}}', '--allow-missing-template-keys=false')
    assert.equal(strict.code, 1)
    assert.match(strict.stderr, /map has no entry for key "nope"/)
    const jsonpath = await get('-o', 'jsonpath={.spec.nope}', '--allow-missing-template-keys=false')
    assert.equal(jsonpath.code, 1)
    assert.match(jsonpath.stderr, /nope is not found/)
  })

  it('eval takes the template forms too', async () => {
    const r = await xctl([
      'eval',
      'all()',
      '-A',
      '--local',
      '-f',
      'examples/multus',
      '-o',
      'go-template={{len .items}}',
    ])
    assert.deepEqual([r.code, r.stdout], [0, '3'])
  })
})

describe('jsonpath-file and custom-columns-file', () => {
  it('-o jsonpath-file reads the template from the file (its newline included)', async () => {
    const file = write('jp.txt', '{.metadata.name} {.spec.numbers[0]}\n')
    const r = await get('-o', `jsonpath-file=${file}`)
    assert.deepEqual([r.code, r.stdout], [0, 'values 1000000\n'])
  })

  it('-o custom-columns-file: a line of headings, a line of JSONPath specs', async () => {
    const file = write(
      'cols.txt',
      'NAME   ORDER        NET\n.metadata.name  {.spec.order}  .metadata.labels.projectcalico\\.org/network\n',
    )
    const r = await get('-o', `custom-columns-file=${file}`)
    assert.deepEqual([r.code, r.stdout], [0, 'NAME     ORDER           NET\nvalues   1.0000005e+06   blue\n'])
  })

  it('a custom-columns file kubectl would refuse is a usage error with kubectl words', async () => {
    const cases: [string, RegExp][] = [
      ['', /invalid template, missing header line/],
      ['NAME\n', /invalid template, missing spec line/],
      ['NAME NODE\n.metadata.name\n', /number of headers \(2\) and field specifications \(1\) don't match/],
    ]
    for (const [text, message] of cases) {
      const r = await get('-o', `custom-columns-file=${write('bad.txt', text)}`)
      assert.equal(r.code, 2, JSON.stringify(text))
      assert.match(r.stderr, message)
    }
  })
})

describe('help', () => {
  it('get --help lists every output format from the one list', async () => {
    const r = await xctl(['get', '--help'])
    r.stdout = r.stdout.replace(/\s+/g, ' ')
    assert.match(
      r.stdout,
      /custom-columns-file=FILE, jsonpath=TEMPLATE, jsonpath-file=FILE, go-template=TEMPLATE, go-template-file=FILE/,
    )
    assert.match(r.stdout, /--template/)
  })
})
