import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
// @ts-expect-error: a plain ESM script without type declarations
import {STALE_MESSAGE, loadPages, manField, renderPages} from '../../scripts/man.mjs'

interface ManifestCommand {
  id: string
  hidden?: boolean
  examples?: Array<string | {command: string}>
  flags: Record<string, {name: string; char?: string; hidden?: boolean; helpGroup?: string}>
  args: Record<string, {name: string}>
}

const MAN = join(ROOT, 'man')
const manifest = (): {commands: Record<string, ManifestCommand>} =>
  JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
const pjson = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const pages = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^xctl.*\.1$/.test(f))
    .sort()
const roffName = (s: string) => s.replaceAll('-', '\\-')
const has = (cmd: string) => spawnSync(cmd, ['--version'], {encoding: 'utf8'}).error === undefined

test('man pages are fresh: regenerating them from the manifest gives man/ byte for byte', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'xctl-man-'))
  t.after(() => rmSync(out, {recursive: true, force: true}))
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/man.mjs'), '--out', out], {cwd: ROOT, encoding: 'utf8'})
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(pages(MAN), pages(out), STALE_MESSAGE)
  for (const f of pages(out))
    assert.ok(readFileSync(join(MAN, f)).equals(readFileSync(join(out, f))), `${STALE_MESSAGE} (man/${f} differs)`)
  assert.deepEqual(
    pjson().man,
    manField(loadPages()),
    `${STALE_MESSAGE} (package.json "man" lists every page, so npm install -g links them)`,
  )
  const check = spawnSync(process.execPath, [join(ROOT, 'scripts/man.mjs'), '--check'], {cwd: ROOT, encoding: 'utf8'})
  assert.equal(check.status, 0, check.stderr)
})

test(
  'in CI, the committed man pages are the generated ones',
  {skip: !process.env.CI && 'only in CI (CI is set)'},
  () => {
    const r = spawnSync('git', ['status', '--porcelain', '--', 'man'], {cwd: ROOT, encoding: 'utf8'})
    if (r.error || r.status !== 0) return // not a git checkout
    assert.equal(r.stdout, '', `${STALE_MESSAGE} and commit man/:\n${r.stdout}`)
  },
)

test('--check reports a stale page and names it', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'xctl-man-'))
  t.after(() => rmSync(out, {recursive: true, force: true}))
  // A copy of the project's inputs: generate its pages, then edit one by hand.
  // (the exit codes' meanings come from the built errors module)
  for (const f of ['scripts', 'package.json', 'oclif.manifest.json', 'dist/src/core/errors.js'])
    cpSync(join(ROOT, f), join(out, f), {recursive: true})
  const script = join(out, 'scripts/man.mjs')
  assert.equal(spawnSync(process.execPath, [script], {encoding: 'utf8'}).status, 0)
  assert.equal(spawnSync(process.execPath, [script, '--check'], {encoding: 'utf8'}).status, 0)
  const edited = join(out, 'man/xctl-get.1')
  writeFileSync(edited, readFileSync(edited, 'utf8').replace('Display', 'Show'))
  const r = spawnSync(process.execPath, [script, '--check'], {encoding: 'utf8'})
  assert.equal(r.status, 1)
  assert.match(r.stderr, /man pages are stale: run npm run build \(man\/xctl-get\.1\)/)
})

test('every command in the manifest has a page with its arguments, flags, global flags and examples', () => {
  const commands = Object.values(manifest().commands).filter((c) => !c.hidden)
  assert.ok(commands.length >= 4)
  const overview = readFileSync(join(MAN, 'xctl.1'), 'utf8')
  for (const c of commands) {
    const file = `xctl-${c.id.replaceAll(':', '-')}.1`
    assert.ok(existsSync(join(MAN, file)), `man/${file} exists`)
    const page = readFileSync(join(MAN, file), 'utf8')
    assert.match(page, new RegExp(`^\\.TH "XCTL\\\\-${c.id.toUpperCase().replaceAll(':', '\\\\-')}" "1"`, 'm'))
    assert.match(page, /^\.SH NAME\n/m)
    assert.match(page, /^\.SH SYNOPSIS\n\\fBxctl /m)
    assert.match(page, /^\.SH EXIT STATUS$/m)
    assert.match(page, /^\.SH GLOBAL OPTIONS$/m)
    for (const arg of Object.values(c.args))
      assert.ok(page.includes(`\\fI${roffName(arg.name.toUpperCase())}\\fR`), `${file}: argument ${arg.name}`)
    for (const flag of Object.values(c.flags).filter((f) => !f.hidden)) {
      // allowNo flags are listed as --[no-]NAME, as oclif's help shows them
      const prefix = (flag as {allowNo?: boolean}).allowNo ? '[no\\-]' : ''
      assert.ok(page.includes(`\\fB\\-\\-${prefix}${roffName(flag.name)}\\fR`), `${file}: --${flag.name}`)
      if (flag.char)
        assert.ok(
          page.includes(`\\fB\\-${flag.char}\\fR, \\fB\\-\\-${roffName(flag.name)}\\fR`),
          `${file}: -${flag.char}`,
        )
    }
    assert.ok(!page.includes('<%'), `${file}: help templates are rendered`)
    if (c.examples?.length) assert.match(page, /^\.SH EXAMPLES\n/m)
    assert.ok(overview.includes(`\\fBxctl ${roffName(c.id.replaceAll(':', ' '))}\\fR`), `xctl.1 lists ${c.id}`)
  }
  for (const section of ['COMMANDS', 'GLOBAL OPTIONS', 'ENVIRONMENT', 'EXIT STATUS', 'FILES', 'SEE ALSO'])
    assert.match(overview, new RegExp(`^\\.SH ${section}$`, 'm'))
  for (const env of ['KUBECONFIG', 'MULTI_INTERFACE_MODE', 'FELIX_INTERFACEPREFIX', 'NO_COLOR'])
    assert.ok(overview.includes(`\\fB${env}\\fR`), env)
  for (const code of ['0', '1', '2', '3']) assert.ok(overview.includes(`.TP\n\\fB${code}\\fR\n`), `exit code ${code}`)
})

test('examples read `xctl ...` and copy as ASCII (hyphens and quotes escaped)', () => {
  const page = readFileSync(join(MAN, 'xctl-get.1'), 'utf8')
  assert.ok(
    page.includes(
      'xctl get wep \\-A \\-\\-calico\\-selector "projectcalico.org/network\\-interface == \\(aqnet1\\(aq"',
    ),
  )
  // Nothing but macros and the comment starts a line with a control character.
  for (const f of pages(MAN)) {
    for (const line of readFileSync(join(MAN, f), 'utf8').split('\n')) {
      if (/^[.']/.test(line)) assert.match(line, /^\.(\\"|(TH|SH|TP|PP|IP|RS|RE|nf|fi|br|nh|ad)\b)/, `${f}: ${line}`)
    }
  }
})

/** A command with every awkward character a description or example can hold. */
const tricky = {
  commands: {
    validate: {
      id: 'validate',
      summary: 'Check manifests offline.',
      description:
        ".dot at the start of a line\n'quote at the start\nBackslash C:\\temp\\new and \\fB not a font\n\nSecond paragraph with `code` and ~home and a^b.",
      examples: [
        '<%= config.bin %> <%= command.id %> -f manifests/ -R -o sarif > xctl.sarif',
        {description: 'GitHub annotations:', command: "<%= config.bin %> validate -f . -o github | grep '^::error'"},
      ],
      strict: true,
      aliases: ['lint'],
      exitCodes: {0: 'No findings.', 1: 'Findings.'},
      args: {},
      flags: {
        output: {
          name: 'output',
          char: 'o',
          type: 'option',
          options: ['text', 'json', 'sarif', 'github'],
          summary: 'Report format.',
          helpGroup: 'GLOBAL',
        },
        filename: {name: 'filename', char: 'f', type: 'option', multiple: true, required: true, summary: 'Files.'},
        strict: {name: 'strict', type: 'boolean', allowNo: true, summary: 'Warnings fail too.'},
        secret: {name: 'secret', type: 'boolean', hidden: true, summary: 'hidden'},
      },
    },
    hidden: {id: 'hidden', hidden: true, summary: 'never shown', args: {}, flags: {}},
  },
}

test('a new command gets its page and an overview entry; awkward text is escaped for roff', () => {
  const out: Map<string, string> = renderPages(tricky, {
    name: 'xctl',
    version: '9.9.9',
    description: 'test',
    oclif: {bin: 'xctl'},
  })
  assert.deepEqual([...out.keys()], ['xctl.1', 'xctl-validate.1'])
  const page = out.get('xctl-validate.1')!
  assert.ok(page.includes('\\&.dot at the start of a line'))
  assert.ok(page.includes('\\(aqquote at the start'))
  assert.ok(page.includes('C:\\etemp\\enew and \\efB not a font'))
  assert.ok(page.includes('xctl validate \\-f manifests/ \\-R \\-o sarif > xctl.sarif'))
  assert.ok(page.includes('\\fB\\-o\\fR, \\fB\\-\\-output\\fR=\\fBtext\\fR|\\fBjson\\fR|\\fBsarif\\fR|\\fBgithub\\fR'))
  assert.ok(page.includes('\\fB\\-\\-[no\\-]strict\\fR'))
  assert.ok(page.includes('.TP\n\\fB1\\fR\nFindings.'), "the command's own exit codes")
  assert.ok(!page.includes('secret'))
  assert.ok(out.get('xctl.1')!.includes('\\fBxctl validate\\fR'))
  assert.ok(!out.get('xctl.1')!.includes('never shown'))

  if (!has('groff')) return
  const dir = mkdtempSync(join(tmpdir(), 'xctl-man-'))
  try {
    writeFileSync(join(dir, 'p.1'), page)
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-P-cbou', join(dir, 'p.1')], {
      encoding: 'utf8',
      env: {...process.env, MANWIDTH: '200'},
    })
    assert.equal(r.stderr, '')
    const text = r.stdout.replace(/\s+/g, ' ')
    for (const s of [
      '.dot at the start',
      "'quote at the start",
      'C:\\temp\\new and \\fB not a font',
      '`code`',
      '~home',
      'a^b',
      "grep '^::error'",
      '--[no-]strict',
    ]) {
      assert.ok(text.includes(s), `renders ${s}`)
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('the pages render cleanly with groff/mandoc (skipped when neither is installed)', (t) => {
  const tools = ['groff', 'mandoc'].filter(has)
  if (tools.length === 0) return t.skip('neither groff nor mandoc is installed')
  for (const f of pages(MAN)) {
    if (tools.includes('groff')) {
      const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', join(MAN, f)], {encoding: 'utf8'})
      assert.equal(r.status, 0)
      assert.equal(r.stderr, '', `groff warnings for man/${f}`)
    }
    if (tools.includes('mandoc')) {
      const r = spawnSync('mandoc', ['-Tlint', '-W', 'error', join(MAN, f)], {encoding: 'utf8'})
      assert.equal(r.stdout + r.stderr, '', `mandoc errors for man/${f}`)
    }
  }
  if (tools.includes('groff')) {
    const text = spawnSync('groff', ['-man', '-Tutf8', '-P-cbou', join(MAN, 'xctl-get.1')], {encoding: 'utf8'}).stdout
    assert.match(text, /--multi-interface-mode=multus\|none/)
    assert.ok(
      text.includes('xctl get wep -A --calico-selector "projectcalico.org/network-interface == \'net1\'"'),
      'examples render as typed',
    )
  }
})
