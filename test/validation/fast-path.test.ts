import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BIN, run, xctl} from '../helpers/cli.js'

const INPUT = 'test/fixtures/validation/golden-input'
const TRACE_IMPORTS = join('test', 'helpers', 'trace-imports.mjs')

/** `validate -f` runs without oclif (src/cli/fast.ts); what users see must be what the oclif command prints. */
const CASES: string[][] = [
  ['validate', '-f', INPUT],
  ['validate', '-f', INPUT, '-o', 'json'],
  ['validate', '-f', INPUT, '-o', 'sarif', '--fail-level', 'warning'],
  ['validate', '-f', `${INPUT}/04-clean.json`, '-n', 'prod', '--flavor', 'oss'],
  ['validate', '-f', INPUT, '-o', 'nope'],
  ['validate', '-f', '/nonexistent/manifests'],
  ['validate', '-f', INPUT, '-n', '../x'],
  ['validate', '-f', INPUT, '--multi-interface-mode', 'multus', '-R'],
]

for (const args of CASES) {
  test(`fast path and oclif agree: xctl ${args.join(' ')}`, async () => {
    const [fast, oclif] = await Promise.all([xctl(args), xctl(args, {env: {XCTL_NO_FAST_PATH: '1'}})])
    assert.equal(fast.code, oclif.code, `${fast.stderr}\n---\n${oclif.stderr}`)
    assert.equal(fast.stdout, oclif.stdout)
    assert.equal(fast.stderr, oclif.stderr)
  })
}

test('validate -f loads neither oclif nor the yaml package', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xctl-fast-validate-'))
  try {
    const trace = join(dir, 'modules.txt')
    const r = await run(process.execPath, ['--import', `./${TRACE_IMPORTS}`, BIN, 'validate', '-f', INPUT], {
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', XCTL_TRACE_FILE: trace},
    })
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stdout, /\d+ errors?, \d+ warnings? in \d+ resources/)
    const modules = readFileSync(trace, 'utf8')
    assert.match(modules, /bundle\/entry\.js/)
    assert.doesNotMatch(modules, /@oclif\/core/)
    assert.doesNotMatch(modules, /node_modules\/yaml\//)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
