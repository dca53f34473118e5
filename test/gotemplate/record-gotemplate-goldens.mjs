#!/usr/bin/env node
// Records what kubectl prints for each template in fixtures/gotemplate-cases.json, run on
// test/printers/fixtures/template-object.yaml, into fixtures/gotemplate-goldens.json (used by
// gotemplate-goldens.test.ts).
// Run it again with a new kubectl: `node test/gotemplate/record-gotemplate-goldens.mjs`.
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'

const dir = new URL('fixtures/', import.meta.url).pathname
const file = new URL('../printers/fixtures/template-object.yaml', import.meta.url).pathname
const cases = JSON.parse(readFileSync(`${dir}gotemplate-cases.json`, 'utf8'))
const kubectl = (...args) =>
  spawnSync('kubectl', ['label', '--local', '-f', file, 'probe-', ...args], {encoding: 'utf8'})
const version = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], {encoding: 'utf8'}))
const object = JSON.parse(kubectl('-o', 'json').stdout)
const results = cases.map((template) => {
  const r = kubectl('-o', `go-template=${template}`)
  return {template, stdout: r.stdout, stderr: r.stderr, status: r.status}
})
const goldens = {kubectl: version.clientVersion.gitVersion, object, results}
writeFileSync(`${dir}gotemplate-goldens.json`, JSON.stringify(goldens, null, 1) + '\n')
console.log(`${results.length} templates recorded with kubectl ${goldens.kubectl}`)
