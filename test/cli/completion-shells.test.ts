import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {dirname} from 'node:path'
import {BIN, run, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
const PATH = `${dirname(process.execPath)}:/usr/bin:/bin`

/**
 * Runs the bash script as bash runs it on <TAB>: COMP_WORDS/COMP_CWORD set for the line typed (the last word is the
 * one being completed), the completion function called, COMPREPLY printed one per line.
 */
async function bashComplete(words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const script = (await xctl(['completion', 'bash'])).stdout
  const code = `${script}
COMP_WORDS=(${[BIN, ...words].map(quote).join(' ')})
COMP_CWORD=${words.length}
_xctl_complete
printf '%s\\n' "\${COMPREPLY[@]}"`
  const r = await run('bash', ['--norc', '-c', code], {env: {PATH, HOME: '/tmp', ...env}, timeoutMs: 20_000})
  assert.equal(r.stderr, '')
  return r.stdout.split('\n').filter(Boolean)
}

test('bash: commands, topics, subcommands, flags and flag values complete', async () => {
  const commands = await bashComplete([''])
  for (const c of ['apply', 'completion', 'get', 'ipam', 'validate', 'version']) assert.ok(commands.includes(c), c)
  assert.ok(!commands.includes('__complete'), 'the hidden helper is never offered')
  assert.deepEqual(
    await bashComplete(['va']),
    ['validate', 'version'].filter((c) => c.startsWith('va')),
  )
  assert.deepEqual(await bashComplete(['ipam', '']), ['show'])
  assert.deepEqual(await bashComplete(['ipam', 'show', '--show-b']), ['--show-blocks', '--show-borrowed'])
  assert.deepEqual(await bashComplete(['get', '-o', 'js']), ['json', 'jsonpath=', 'jsonpath-file='])
  assert.deepEqual(await bashComplete(['ipam', 'show', '-o', '']), ['json', 'yaml'])
  assert.deepEqual(await bashComplete(['completion', '']), ['bash', 'zsh'])
  assert.deepEqual(await bashComplete(['get', '--multi-interface-mode', '']), ['multus', 'none'])
  assert.ok(await bashComplete(['get', '--']).then((f) => f.includes('--namespace')))
})

test('bash: kinds with their aliases after get/describe/delete/label/patch; files after -f', async () => {
  assert.deepEqual(
    await bashComplete(['get', 'we']),
    ['wep', 'weps', 'workloadendpoint', 'workloadendpoints'].filter((k) => k.startsWith('we')),
  )
  const kinds = await bashComplete(['describe', ''])
  for (const k of ['wep', 'nad', 'net-attach-def', 'gnp', 'ippools', 'pool', 'tiers']) assert.ok(kinds.includes(k), k)
  const files = await bashComplete(['apply', '-f', 'examples/multus/0'])
  assert.ok(files.includes('examples/multus/02-network.yaml'), files.join())
})

test('bash: names from --local -f files, and KIND/NAME', async () => {
  const local = ['--local', '-f', 'examples/multus']
  assert.deepEqual(await bashComplete(['get', 'nad', ...local, '']), ['additional-calico-network'])
  assert.deepEqual(await bashComplete(['get', ...local, 'nad/add']), ['nad/additional-calico-network'])
  assert.deepEqual(await bashComplete(['ipam', 'show', ...local, '--nad', '']), ['additional-calico-network'])
  assert.deepEqual(await bashComplete(['get', 'np', '-n', 'production', ...local, '']), [
    'internal-access.allow-tcp-6379',
  ])
})

describe('bash: names and namespaces from the cluster', () => {
  let c: TestCluster
  before(async () => {
    c = await startCluster({objects: exampleObjects()})
  })
  after(() => c.server.close())

  test('wep, nad and namespace names come from the API; a KIND needs no cluster', async () => {
    const env = {...c.env, MULTI_INTERFACE_MODE: 'multus'}
    assert.deepEqual(await bashComplete(['get', 'wep', '-n', 'default', ''], env), [
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-eth0',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net1',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-net3',
      'test--bo--72vg--kadm--infra--0-k8s-multus--test--pod--1-testiface',
    ])
    assert.deepEqual(await bashComplete(['describe', 'nad', 'add'], env), ['additional-calico-network'])
    const namespaces = await bashComplete(['get', 'wep', '-n', ''], env)
    for (const ns of ['default', 'kube-system', 'production']) assert.ok(namespaces.includes(ns), namespaces.join())
    assert.ok(c.server.requests.some((r) => r.path === '/api/v1/namespaces'))
  })

  test('an unreachable or refusing cluster completes nothing, quickly and silently', async () => {
    const started = Date.now()
    assert.deepEqual(
      await bashComplete(['get', 'wep', ''], {KUBECONFIG: 'test/fixtures/ipam/unreachable.kubeconfig'}),
      [],
    )
    assert.deepEqual(await bashComplete(['get', 'wep', ''], {KUBECONFIG: '/nonexistent'}), [])
    c.server.faults.add({pathPattern: /network-attachment-definitions/, status: 403, times: 1})
    assert.deepEqual(await bashComplete(['get', 'nad', ''], c.env), [])
    assert.ok(Date.now() - started < 15_000)
  })
})

const zsh = spawnSync('zsh', ['--version']).status === 0
test(
  'zsh: the script offers the same candidates through compadd',
  {skip: zsh ? false : 'zsh is not installed'},
  async () => {
    const script = (await xctl(['completion', 'zsh'])).stdout
    assert.match(script, /^#compdef xctl\n/)
    const code = `compdef() { :; }
compadd() { shift; print -l -- "$@"; }
_files() { print -- FILES; }
${script}
words=(${[BIN, 'ipam', ''].map(quote).join(' ')}); CURRENT=3
_xctl_complete
words=(${[BIN, 'apply', '-f', ''].map(quote).join(' ')}); CURRENT=4
_xctl_complete`
    const r = await run('zsh', ['-f', '-c', code], {env: {PATH, HOME: '/tmp'}, timeoutMs: 20_000})
    assert.equal(r.stdout, 'show\nFILES\n', r.stderr)
  },
)

test('completion: as a kubectl plugin the script still completes the xctl executable', async () => {
  const r = await xctl(['completion', 'bash'], {bin: `${dirname(BIN)}/kubectl-xctl.js`})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /\ncomplete -F _xctl_complete xctl\n$/)
})

test('completion: an unknown shell is a usage error (exit 2)', async () => {
  const r = await xctl(['completion', 'fish'])
  assert.equal(r.code, 2)
  assert.equal(r.stdout, '')
})
