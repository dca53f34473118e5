#!/usr/bin/env node
// Records kubectl's decoding of every edge case and corpus file as golden JSON (test/manifests/goldens), so the
// differential test runs without kubectl. Run after adding files: node test/manifests/record-goldens.mjs
import {mkdirSync, writeFileSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {GOLDEN_DIR, goldenPath, inputFiles, kubectlDecode} from './goldens.mjs'

const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], {encoding: 'utf8'})
const kubectl = JSON.parse(version.stdout).clientVersion.gitVersion
mkdirSync(GOLDEN_DIR, {recursive: true})
let refused = 0
const files = inputFiles()
for (const file of files) {
  const {objects, error} = kubectlDecode(file)
  if (error) refused++
  writeFileSync(goldenPath(file), `${JSON.stringify({file, kubectl, objects, error}, null, 1)}\n`)
}
console.log(`${files.length} files recorded with kubectl ${kubectl} (${refused} refused)`)
