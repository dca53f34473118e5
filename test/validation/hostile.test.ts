import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, openSync, closeSync, writeSync, writeFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BIN} from '../helpers/cli.js'
import {check, checkFiles, expectFinding, rules} from './helpers.js'
import {prng} from '../helpers/prng.js'

const dir = mkdtempSync(join(tmpdir(), 'xctl-hostile-'))
test.after(() => rmSync(dir, {recursive: true, force: true}))

const NAD =
  'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: ok\nspec:\n  config: \'{"cniVersion": "0.3.1", "type": "bridge"}\'\n'

test('invalid UTF-8: a finding at the first bad byte; other documents are still validated', async () => {
  const file = join(dir, 'latin1.yaml')
  const bytes = Buffer.concat([
    Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'),
    Buffer.from([0xe9]),
    Buffer.from(`\n---\n${NAD}`),
  ])
  writeFileSync(file, bytes)
  const r = await checkFiles([file])
  expectFinding(r, 'input/invalid-utf8', 4, 12, /not valid UTF-8.*re-save it as UTF-8/)
  assert.equal(r.summary.validated.NetworkAttachmentDefinition, 1)
  assert.equal(r.code, 1)
  // A multi-byte character cut by a chunk boundary is not an error.
  const long = join(dir, 'utf8.yaml')
  writeFileSync(long, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "${'é'.repeat(100_000)}"\n`)
  assert.deepEqual(rules(await checkFiles([long])), [])
})

test('binary data and control characters are findings, not crashes', async () => {
  const file = join(dir, 'random.bin.yaml')
  const r = prng(5)
  writeFileSync(file, Buffer.from(Array.from({length: 200_000}, () => Math.floor(r() * 256))))
  const res = await checkFiles([file])
  assert.ok(res.findings.length > 0)
  assert.ok(
    res.findings.every((f) => f.rule.startsWith('input/')),
    rules(res).join(','),
  )
  assert.equal(res.code, 1)
  const nul = await check(`${NAD}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\x00b\n`)
  expectFinding(nul, 'input/binary', 11, 10, /binary data \(a NUL byte\)/)
  const bell = await check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\x07\n')
  expectFinding(bell, 'input/binary', 4, 10, /control character U\+0007/)
})

test('deep nesting is bounded: block, flow, JSON, and through the yaml fallback', async () => {
  let block = ''
  for (let i = 0; i < 1000; i++) block += `${'  '.repeat(i)}a:\n`
  const started = Date.now()
  expectFinding(await check(block), 'input/too-deep', 257, 513, /more than 256 levels deep/)
  expectFinding(await check(`a: ${'['.repeat(200_000)}`), 'input/too-deep', 1, 259)
  expectFinding(await check(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'input/too-deep', 1, 1)
  // An anchor sends the document to the full parser.
  const r = await check(`x: &a 1\ny: ${'['.repeat(50_000)}${']'.repeat(50_000)}`)
  assert.deepEqual(rules(r), ['input/too-deep'])
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
})

test('YAML alias bombs stop at the alias limit', async () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (let i = 1; i < 9; i++)
    lines.push(
      `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
        .fill(`*${'abcdefghi'[i - 1]}`)
        .join(',')}]`,
    )
  const started = Date.now()
  const r = await check(`${lines.join('\n')}\n`)
  expectFinding(r, 'input/alias-limit', 1, 1, /expands YAML aliases more than 1000 times/)
  assert.equal(r.code, 1)
  assert.ok(Date.now() - started < 2000)
})

test(
  'a 100 MB file: the over-sized document is skipped without being held, the next one is validated',
  {timeout: 60_000},
  () => {
    const file = join(dir, 'huge.yaml')
    const fd = openSync(file, 'w')
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ')
    const chunk = Buffer.alloc(1 << 20, 'x')
    for (let i = 0; i < 100; i++) writeSync(fd, chunk)
    writeSync(fd, `\n---\n${NAD}`)
    closeSync(fd)
    const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'RSS_KB=%M'] : []
    const cmd = [...time, process.execPath, BIN, 'validate', '-f', file, '-o', 'json']
    const res = spawnSync(cmd[0], cmd.slice(1), {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: {PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1'},
    })
    assert.equal(res.status, 1, res.stderr)
    const out = JSON.parse(res.stdout)
    assert.deepEqual(
      out.findings.map((f: {rule: string; line: number}) => [f.rule, f.line]),
      [['input/document-too-large', 1]],
    )
    assert.match(
      out.findings[0].message,
      /the document is 100 MiB, more than the 64 MiB one document may have; it was skipped/,
    )
    assert.equal(out.summary.validated.NetworkAttachmentDefinition, 1)
    const rss = /RSS_KB=(\d+)/.exec(res.stderr)
    // Bounded by the document limit (64 MiB of text), not by the file size.
    if (rss) assert.ok(Number(rss[1]) < 400 * 1024, `peak RSS ${rss[1]} KB`)
  },
)

test('a 10 MB spec.config in a JSON document works and is fast', async () => {
  const file = join(dir, 'big-config.json')
  const config = JSON.stringify({cniVersion: '0.3.1', type: 'bridge', note: 'y'.repeat(10 * 1024 * 1024)})
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: {name: 'big'},
      spec: {config},
    }),
  )
  const started = Date.now()
  const r = await checkFiles([file])
  assert.deepEqual(rules(r), ['input/object-too-large'])
  assert.equal(r.code, 0)
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
})

test('many keys, long lines, many documents of nothing', async () => {
  const keys = Array.from({length: 100_000}, (_, i) => `  k${i}: v${i}`).join('\n')
  assert.deepEqual(rules(await check(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n${keys}\n`)), [
    'input/object-too-large',
  ])
  assert.deepEqual(
    rules(await check(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(1 << 19)}\n`)),
    [],
  )
  assert.deepEqual(
    rules(await check(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: ${'a'.repeat(2 << 20)}\n`)),
    ['input/object-too-large'],
  )
  const empty = await check('---\n'.repeat(10_000))
  assert.deepEqual(rules(empty), ['input/no-resources'])
})
