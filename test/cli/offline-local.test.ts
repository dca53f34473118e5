import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {ROOT, xctl} from '../helpers/cli.js'

/**
 * The README's walk-through promises that every step runs offline on examples/multus. Its commands are read from
 * the README itself (code spans and blocks of the walk-through section) so the test follows the text.
 */
function walkThroughCommands(): Array<{env: Record<string, string>; args: string[]; line: string}> {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8')
  const section = readme.slice(readme.indexOf('## Walk-through'), readme.indexOf('## Commands'))
  const spans = [...section.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])
  const lines = section.split('\n').map((l) => l.trim().replace(/^\$ /, ''))
  return [...spans, ...lines]
    .map((l) => l.replace(/\s+#.*$/, ''))
    .filter((l) => /^(MULTI_INTERFACE_MODE=multus )?xctl /.test(l) && /(--local|validate) /.test(l))
    .filter((l, i, all) => all.indexOf(l) === i)
    .map((line) => {
      const env: Record<string, string> = {KUBECONFIG: '/nonexistent'}
      let rest = line
      if (rest.startsWith('MULTI_INTERFACE_MODE=multus ')) {
        env.MULTI_INTERFACE_MODE = 'multus'
        rest = rest.slice('MULTI_INTERFACE_MODE=multus '.length)
      }
      // Split like a shell: double-quoted words keep their single quotes and spaces.
      const args = [...rest.slice('xctl '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2])
      return {env, args, line}
    })
}

test('every walk-through command runs offline (--local -f, no cluster, no kubeconfig) and succeeds', async () => {
  const commands = walkThroughCommands()
  const verbs = new Set(commands.map((c) => c.args[0]))
  for (const verb of ['version', 'validate', 'get', 'describe', 'eval', 'ipam']) assert.ok(verbs.has(verb), verb)
  for (const {env, args, line} of commands) {
    const r = await xctl(args, {env})
    const problems = args[0] === 'validate' ? [0, 1] : [0]
    assert.ok(problems.includes(r.code), `${line}: exit ${r.code}\n${r.stderr}`)
    assert.ok(r.stdout.length > 0, `${line}: no output`)
    assert.doesNotMatch(r.stderr, /^error|kubeconfig|cluster/im, line)
  }
})

test('what the walk-through says each step shows, offline', async () => {
  const env = {KUBECONFIG: '/nonexistent'}
  const version = await xctl(['version', '--local', '-f', 'examples/multus'], {env})
  assert.equal(version.code, 0, version.stderr)
  assert.equal(
    version.stdout,
    'Client Version:       0.1.0\nRead From:            examples/multus\n' +
      'Multi-interface Mode: multus (from the Installation; set MULTI_INTERFACE_MODE=multus)\n',
  )
  const bare = await xctl(['version', '--local'], {env})
  assert.equal(bare.code, 0, bare.stderr)
  assert.match(bare.stdout, /^Client Version: +0\.1\.0\nMulti-interface Mode: +none/)
  const noLocal = await xctl(['version', '-f', 'examples/multus'], {env})
  assert.equal(noLocal.code, 2)
  const hint = await xctl(['get', 'wep', '--local', '-f', 'examples/multus'], {env})
  assert.match(hint.stderr, /Installation sets multiInterfaceMode: Multus/)
  const describe = await xctl(
    ['describe', 'np', 'internal-access.allow-tcp-6379', '-n', 'production', '--local', '-f', 'examples/multus'],
    {env: {...env, MULTI_INTERFACE_MODE: 'multus'}},
  )
  assert.match(
    describe.stdout,
    /Applies to: +no endpoint\n +Why: No endpoint has the label projectcalico\.org\/network-interface with the value "cali1"/,
  )
  const ipam = await xctl(
    [
      'ipam',
      'show',
      '--nad',
      'additional-calico-network',
      '--local',
      '-f',
      'examples/multus',
      '-f',
      'test/fixtures/ipam/blocks.yaml',
    ],
    {env},
  )
  assert.equal(ipam.code, 0, ipam.stderr)
  assert.match(ipam.stderr, /asks for pool "20\.0\.0\.0\/16": no IP pool has that name or CIDR/)
})
