#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx), prints the spec report,
// then the closing line CI reads: "N passed, N failed".
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const filter = process.argv.slice(2)

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return find(path)
    return name.endsWith('.test.ts') ? [path] : []
  })
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort()
const tap = join(mkdtempSync(join(tmpdir(), 'xctl-test-')), 'report.tap')
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  {cwd: root, stdio: 'inherit', env: {...process.env, XCTL_TEST: '1'}},
)
child.on('close', (code) => {
  let report = ''
  try {
    report = readFileSync(tap, 'utf8')
  } catch {}
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0)
  const passed = count('pass')
  const failed = count('fail') + count('cancelled')
  const skipped = count('skipped')
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1)
})
