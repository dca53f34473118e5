// The house rules as tests: the room graph (dependency-cruiser), ESLint and Prettier must be clean in CI.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'

const ROOT = new URL('../..', import.meta.url).pathname
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`

function run(cmd: string, args: string[]) {
  return spawnSync(bin(cmd), args, {cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20})
}

test('the rooms import one way: no cycles, core imports nothing of ours, nothing but commands imports cli', () => {
  const r = run('depcruise', ['src', 'commands', 'test/support', '--config', '.dependency-cruiser.cjs'])
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('ESLint finds no errors', () => {
  const r = run('eslint', ['--quiet', '.'])
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('the code is formatted by Prettier', () => {
  const r = run('prettier', ['--check', '.'])
  assert.equal(r.status, 0, r.stdout + r.stderr)
})
