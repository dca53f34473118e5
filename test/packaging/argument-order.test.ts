import {test} from 'node:test'
import assert from 'node:assert/strict'
import {reorderGlobalFlags} from '../../src/cli/entry.js'
import {tableRows, xctl} from '../helpers/cli.js'

const LOCAL = ['--local', '-f', 'examples/multus', '--multi-interface-mode', 'multus']

test('reorderGlobalFlags moves leading global flags behind the command id and keeps everything else in order', () => {
  const cases: Array<[string[], string[]]> = [
    [
      ['-n', 'prod', 'get', 'wep'],
      ['get', '-n', 'prod', 'wep'],
    ],
    [
      ['--namespace=prod', 'get', 'wep', '-o', 'wide'],
      ['get', '--namespace=prod', 'wep', '-o', 'wide'],
    ],
    [
      ['--context', 'x', '--kubeconfig=/k', '-o', 'yaml', 'get', 'wep', 'a', 'b'],
      ['get', '--context', 'x', '--kubeconfig=/k', '-o', 'yaml', 'wep', 'a', 'b'],
    ],
    [
      ['-oyaml', '-nprod', 'get', 'wep'],
      ['get', '-oyaml', '-nprod', 'wep'],
    ],
    [
      ['--debug', '--request-timeout', '5s', 'version'],
      ['version', '--debug', '--request-timeout', '5s'],
    ],
    // Nothing to move, or nothing to move it behind: unchanged.
    [
      ['get', 'wep', '-n', 'prod'],
      ['get', 'wep', '-n', 'prod'],
    ],
    [
      ['-n', 'prod'],
      ['-n', 'prod'],
    ],
    [['--kubeconfig'], ['--kubeconfig']],
    [[], []],
    // A value that looks like a command is still the flag's value.
    [
      ['-n', 'get', 'get', 'wep'],
      ['get', '-n', 'get', 'wep'],
    ],
    // Flags that are not global stay where they are (oclif reports them).
    [
      ['-A', 'get', 'wep'],
      ['-A', 'get', 'wep'],
    ],
  ]
  for (const [input, expected] of cases) assert.deepEqual(reorderGlobalFlags(input), expected, input.join(' '))
})

test('-n before or after the command, in every spelling, gives the same endpoints', async () => {
  const reference = await xctl(['get', 'wep', '-n', 'production', ...LOCAL])
  assert.equal(reference.code, 0, reference.stderr)
  const rows = tableRows(reference.stdout)
  assert.ok(rows.length > 1 && rows.slice(1).every((r) => r[0] === 'production'), reference.stdout)
  for (const args of [
    ['-n', 'production', 'get', 'wep', ...LOCAL],
    ['--namespace', 'production', 'get', 'wep', ...LOCAL],
    ['--namespace=production', 'get', 'wep', ...LOCAL],
    ['-nproduction', 'get', 'wep', ...LOCAL],
    ['get', '-n', 'production', 'wep', ...LOCAL],
    ['get', 'wep', ...LOCAL, '-n', 'production'],
    ['get', 'wep', ...LOCAL, '--namespace=production'],
  ]) {
    const r = await xctl(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, reference.stdout, args.join(' '))
  }
})

test('-o, --context, --kubeconfig, --debug and --request-timeout work before the command', async () => {
  const yaml = await xctl(['get', 'wep', '-o', 'yaml', ...LOCAL])
  assert.equal(yaml.code, 0, yaml.stderr)
  assert.match(yaml.stdout, /^apiVersion: projectcalico.org\/v3\nitems:/)
  for (const args of [
    ['-o', 'yaml', 'get', 'wep', ...LOCAL],
    ['-oyaml', 'get', 'wep', ...LOCAL],
    ['--output=yaml', 'get', 'wep', ...LOCAL],
    ['--context', 'x', '-o', 'yaml', 'get', 'wep', ...LOCAL],
    ['--kubeconfig=/nonexistent/kubeconfig', '-o', 'yaml', 'get', 'wep', ...LOCAL],
    ['--kubeconfig', '/nonexistent/kubeconfig', '--context=x', 'get', 'wep', '-o', 'yaml', ...LOCAL],
    ['--request-timeout', '5s', '-o', 'yaml', 'get', 'wep', ...LOCAL],
    ['--debug', '-o', 'yaml', 'get', 'wep', ...LOCAL],
  ]) {
    const r = await xctl(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stdout, yaml.stdout, args.join(' '))
  }
  const name = await xctl(['-o', 'name', '-n', 'production', 'get', 'wep', ...LOCAL])
  assert.equal(name.code, 0, name.stderr)
  assert.match(name.stdout, /^workloadendpoint\.projectcalico\.org\/\S+\n/)
  const json = await xctl(['-o', 'json', 'version', '--client'])
  assert.equal(json.code, 0, json.stderr)
  assert.equal(JSON.parse(json.stdout).clientVersion, '0.1.0')
})

test('a global flag before nothing, or without its value, is a usage error (exit 2)', async () => {
  for (const args of [['-n', 'production'], ['--kubeconfig'], ['--bogus', 'get', 'wep']]) {
    const r = await xctl(args)
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.match(r.stderr, /^error: /m)
  }
})

test('the argv pass knows every global flag exactly as BaseCommand declares it', async () => {
  const {GLOBAL_FLAG_SHAPES} = await import('../../src/cli/global-flags.js')
  const {BaseCommand} = await import('../../src/cli/base.js')
  const declared = Object.fromEntries(
    Object.entries(BaseCommand.baseFlags).map(([name, f]) => {
      const flag = f as {char?: string; type: string}
      return [name, {...(flag.char ? {char: flag.char} : {}), takesValue: flag.type === 'option'}]
    }),
  )
  assert.deepEqual(GLOBAL_FLAG_SHAPES, declared)
})

test('--max-response-size before the command is moved behind it like every global flag', () => {
  assert.deepEqual(reorderGlobalFlags(['--max-response-size', '1Gi', 'get', 'wep']), [
    'get',
    '--max-response-size',
    '1Gi',
    'wep',
  ])
})
