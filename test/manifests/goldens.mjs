// kubectl's decoding of a manifest file, as golden JSON: `kubectl label --local -f FILE probe- -o json` decodes the
// file exactly as `kubectl apply -f` does, offline. Shared by the recorder (record-goldens.mjs) and the
// differential test (kubectl-differential.test.ts).
import {spawn, spawnSync} from 'node:child_process'
import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'

export const ROOT = new URL('../..', import.meta.url).pathname
export const GOLDEN_DIR = join(ROOT, 'test/manifests/goldens')
/** The inputs: the edge cases (one per behaviour) and the vendored upstream corpus. */
export const INPUT_DIRS = ['test/manifests/edge', 'test/corpus']

export function inputFiles() {
  const out = []
  const walk = (dir) => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const path = join(dir, name)
      if (statSync(join(ROOT, path)).isDirectory()) walk(path)
      else if (!name.endsWith('.md')) out.push(path)
    }
  }
  for (const dir of INPUT_DIRS) walk(dir)
  return out
}

export function goldenPath(file) {
  return join(GOLDEN_DIR, `${file.replaceAll('/', '__')}.json`)
}

/** kubectl's pretty-printed objects, one after another. */
export function parseObjects(text) {
  const objects = []
  let depth = 0
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
    } else if (c === '{') {
      if (depth++ === 0) start = i
    } else if (c === '}' && --depth === 0) objects.push(JSON.parse(text.slice(start, i + 1)))
  }
  return objects
}

/** Runs kubectl on one file (relative to the repository): {objects, error}. */
export function kubectlDecode(file) {
  const r = spawnSync('kubectl', ['label', '--local', '-f', file, 'probe-', '-o', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: {PATH: process.env.PATH ?? '', HOME: '/tmp'},
  })
  if (r.error) throw r.error
  const error = r.status === 0 ? null : r.stderr.trim()
  return {objects: parseObjects(r.stdout), error}
}

/** The same decoding, without blocking: the live re-check runs several kubectl processes at once. */
export function kubectlDecodeAsync(file) {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['label', '--local', '-f', file, 'probe-', '-o', 'json'], {
      cwd: ROOT,
      env: {PATH: process.env.PATH ?? '', HOME: '/tmp'},
      timeout: 30_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({objects: parseObjects(stdout), error: code === 0 ? null : stderr.trim()}))
  })
}

export function hasKubectl() {
  return !spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).error
}

export {relative}
