import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {ROOT, xctl} from '../helpers/cli.js'
import {RULE_IDS} from '../../src/validation/catalog.js'
import {MAX_SARIF_RESULTS, SarifReporter} from '../../src/validation/reporters/sarif.js'
import {validateSarif} from './sarif-schema.js'

const INPUT = 'test/fixtures/validation/golden-input'
const GOLDEN = join(ROOT, 'test/fixtures/validation/golden')
const EXT: Record<string, string> = {text: 'txt', json: 'json', junit: 'xml', sarif: 'sarif', github: 'txt'}
const tmp = mkdtempSync(join(tmpdir(), 'xctl-validate-cli-'))
test.after(() => rmSync(tmp, {recursive: true, force: true}))

/** The tool version changes with releases; goldens do not. */
const normalize = (s: string) => s.replace(/"(semanticVersion|version)":"\d+\.\d+\.\d+[^"]*"/g, '"$1":"VERSION"')

for (const format of Object.keys(EXT)) {
  test(`golden output: -o ${format} (UPDATE_GOLDEN=1 rewrites it)`, async () => {
    const r = await xctl(['validate', '-f', INPUT, '-o', format])
    assert.equal(r.code, 1, r.stderr)
    assert.equal(r.stderr, '')
    const file = join(GOLDEN, `validate.${format === 'github' ? 'github.txt' : EXT[format]}`)
    const actual = normalize(r.stdout)
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(dirname(file), {recursive: true})
      writeFileSync(file, actual)
    }
    assert.equal(actual, readFileSync(file, 'utf8'))
  })
}

test('the golden text output covers every input file and ends with the summary', async () => {
  const text = readFileSync(join(GOLDEN, 'validate.txt'), 'utf8')
  for (const f of readdirSync(join(ROOT, INPUT)).filter((n) => !n.includes('clean')))
    assert.match(text, new RegExp(`${INPUT}/${f}:\\d+:\\d+: (error|warning): `), f)
  assert.match(
    text.trimEnd().split('\n').pop()!,
    /^\d+ errors, \d+ warnings in 8 resources \(5 files; validated 1 NetworkAttachmentDefinition, 2 Pod, 1 Deployment, 1 NetworkPolicy, 1 IPPool, 1 Tier; 1 of other kinds passed through\)$/,
  )
})

test('SARIF: valid against the SARIF 2.1.0 schema, rules with help, relative URIs, results tied to rules', async () => {
  const log = JSON.parse(readFileSync(join(GOLDEN, 'validate.sarif'), 'utf8'))
  assert.deepEqual(validateSarif(log), [])
  const run = log.runs[0]
  const rules = run.tool.driver.rules as Array<{
    id: string
    help: {text: string}
    defaultConfiguration: {level: string}
  }>
  assert.equal(run.tool.driver.name, 'xctl')
  assert.deepEqual(
    rules.map((r) => r.id),
    RULE_IDS,
  )
  for (const r of rules) assert.ok(r.help.text.length > 20, r.id)
  assert.ok(run.results.length > 10)
  for (const res of run.results) {
    assert.equal(rules[res.ruleIndex].id, res.ruleId)
    const loc = res.locations[0].physicalLocation
    assert.match(loc.artifactLocation.uri, /^test\/fixtures\/validation\/golden-input\/\d\d-[a-z-]+\.(yaml|json)$/)
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1)
  }
  // The checker itself catches what GitHub would refuse.
  const broken = structuredClone(log)
  broken.runs[0].results[0].level = 'fatal'
  delete broken.runs[0].results[0].message
  broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0
  broken.runs[0].tool.driver.extra = 1
  assert.equal(validateSarif(broken).length, 4)
})

test("SARIF keeps within GitHub's 25,000 results per run and says how many were left out", async () => {
  let out = ''
  const reporter = new SarifReporter(async (c) => void (out += c), {
    failLevel: 'error',
    cwd: ROOT,
    toolVersion: '1.0.0',
    color: false,
  })
  const finding = {
    rule: 'policy/ports' as const,
    severity: 'error' as const,
    message: 'x',
    file: 'a.yaml',
    document: 0,
    line: 1,
    column: 1,
    path: '',
  }
  await reporter.late(Array.from({length: MAX_SARIF_RESULTS + 10}, () => finding))
  await reporter.end({
    summary: {
      files: 1,
      documents: 1,
      resources: 1,
      validated: {},
      passedThrough: {},
      errors: MAX_SARIF_RESULTS + 10,
      warnings: 0,
    },
    failed: true,
  })
  const log = JSON.parse(out)
  assert.equal(log.runs[0].results.length, MAX_SARIF_RESULTS)
  assert.match(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /^10 more results were left out/)
  assert.deepEqual(validateSarif(log), [])
})

test('GitHub annotations escape %, newlines, and : , in properties', async () => {
  const r = await xctl(['validate', '-f', '-', '-o', 'github'], {
    input:
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    k8s.v1.cni.cncf.io/networks: "a,b@x:y"\n',
  })
  assert.equal(r.code, 1)
  assert.match(
    r.stdout,
    /^::error file=<stdin>,line=6,col=39,title=pod\/networks-ifname-chars::interface name "x:y" contains '\/', ':' or whitespace; /m,
  )
  const lines = readFileSync(join(GOLDEN, 'validate.github.txt'), 'utf8').trimEnd().split('\n')
  for (const l of lines.slice(0, -1))
    assert.match(l, /^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[a-z]+\/[a-z0-9-]+::/)
})

test('JUnit: one testsuite per file, one testcase per resource, failures for errors only', () => {
  const xml = readFileSync(join(GOLDEN, 'validate.xml'), 'utf8')
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="xctl validate" tests="9" failures="5" errors="0">/,
  )
  assert.equal((xml.match(/<testsuite /g) ?? []).length, 5)
  assert.match(
    xml,
    /<testcase classname="test\/fixtures\/validation\/golden-input\/04-clean.json" name="IPPool default-ipv4-ippool \(document 0, item 0\)"\/>/,
  )
  assert.match(
    xml,
    /<failure type="nad\/config-json" message="spec.config is not valid JSON: expected &apos;|<failure type="nad\/config-json" message="spec.config is not valid JSON: expected ','/,
  )
})

test('exit codes: 0 clean, 1 findings at the fail level, 2 usage, 3 unreadable input', async () => {
  const clean = await xctl(['validate', '-f', `${INPUT}/04-clean.json`])
  assert.equal(clean.code, 0, clean.stdout + clean.stderr)
  assert.equal(
    clean.stdout,
    'no problems in 3 resources (1 file; validated 1 IPPool, 1 Tier; 1 of other kinds passed through)\n',
  )
  const warnOnly =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    k8s.v1.cni.cncf.io/networks: net1@my_if\n'
  assert.equal((await xctl(['validate', '-f', '-'], {input: warnOnly})).code, 0)
  assert.equal((await xctl(['validate', '-f', '-', '--fail-level', 'warning'], {input: warnOnly})).code, 1)
  assert.equal((await xctl(['validate', '-f', `${INPUT}/01-seed-nad.yaml`])).code, 1)
  const syntax = await xctl(['validate', '-f', '-'], {input: 'a: [\n'})
  assert.equal(syntax.code, 1)
  assert.match(syntax.stdout, /^<stdin>:2:1: error: YAML syntax error: .*\[input\/syntax\]$/m)
  const missing = await xctl(['validate', '-f', 'no/such/file.yaml'])
  assert.equal(missing.code, 3)
  assert.match(missing.stderr, /^error: cannot read no\/such\/file.yaml: no such file or directory/)
  assert.equal(missing.stdout, '')
  for (const args of [
    ['validate'],
    ['validate', '-f', INPUT, '-o', 'xml'],
    ['validate', '-f', INPUT, '--fail-level', 'fatal'],
    ['validate', '-f', INPUT, '--bogus'],
  ]) {
    const r = await xctl(args)
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, '')
  }
})

test('an input with no resources is a finding, never a silent pass', async () => {
  const empty = join(tmp, 'empty')
  mkdirSync(empty)
  const dir = await xctl(['validate', '-f', empty])
  assert.equal(dir.code, 1)
  assert.match(
    dir.stdout,
    /no \.yaml, \.yml or \.json files in .*\(use -R to include sub-directories\) \[input\/no-resources\]/,
  )
  const stdin = await xctl(['validate', '-f', '-'], {input: '# nothing\n'})
  assert.equal(stdin.code, 1)
  assert.match(stdin.stdout, /^<stdin>:1:1: error: the standard input holds no resources/)
  // -R walks sub-directories.
  mkdirSync(join(empty, 'sub'))
  writeFileSync(join(empty, 'sub', 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n')
  assert.equal((await xctl(['validate', '-f', empty, '-R'])).code, 0)
})

test('--list-rules documents every rule id', async () => {
  const r = await xctl(['validate', '--list-rules'])
  assert.equal(r.code, 0)
  for (const id of RULE_IDS)
    assert.match(r.stdout, new RegExp(`^${id.replace('/', '\\/')}\\s+(error|warning)\\s+\\S`, 'm'))
  const json = JSON.parse((await xctl(['validate', '--list-rules', '-o', 'json'])).stdout)
  assert.deepEqual(
    json.map((x: {id: string}) => x.id),
    RULE_IDS,
  )
})

test('offline: no kubeconfig is read and no cluster module is loaded', async () => {
  const r = await xctl(['validate', '-f', `${INPUT}/04-clean.json`, '--kubeconfig', '/nonexistent/kubeconfig'], {
    env: {KUBECONFIG: '/nonexistent'},
  })
  assert.equal(r.code, 0, r.stderr)
  // Static imports reachable from the built command must not include the cluster side.
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
      else seen.add(spec)
    }
  }
  visit(join(ROOT, 'dist/commands/validate.js'))
  const bad = [...seen].filter((f) =>
    /\/kube\/|sources\/(cluster|open)\.js|validation\/cluster\.js|@kubernetes\/client-node/.test(f),
  )
  assert.deepEqual(bad, [])
  assert.ok([...seen].some((f) => f.endsWith('validation/engine.js')))
})

test('--list-rules names the upstream code each rule follows', async () => {
  const r = await xctl(['validate', '--list-rules'])
  assert.match(
    r.stdout,
    /^ippool\/allowed-uses\s+error\s+Invalid allowedUses\n\s+upstream: projectcalico\/calico libcalico-go\/lib\/validator\/v3\/validator\.go \(v3\.32\.1\)/m,
  )
  assert.match(r.stdout, /^nad\/conflist-flag .*\n\s+upstream: containernetworking\/cni libcni\/conf\.go$/m)
  const json = JSON.parse((await xctl(['validate', '--list-rules', '-o', 'json'])).stdout) as Array<{
    id: string
    source: string
  }>
  for (const rule of json) assert.ok(rule.source.length > 3, rule.id)
  assert.match(json.find((x) => x.id === 'calico/enterprise-only')!.source, /tigera\/api/)
})
