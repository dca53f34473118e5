import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BIN, ROOT} from '../helpers/cli.js'

/** The modules a command loads, recorded by a loader hook. */
function modulesLoadedBy(args: string[]): string[] {
  const trace = join(mkdtempSync(join(tmpdir(), 'xctl-trace-')), 'modules.txt')
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/trace-imports.mjs'), BIN, ...args], {
    cwd: ROOT,
    env: {PATH: process.env.PATH, HOME: process.env.HOME, XCTL_TRACE_FILE: trace, MULTI_INTERFACE_MODE: 'multus'},
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stderr)
  return existsSync(trace) ? readFileSync(trace, 'utf8').trim().split('\n') : []
}

test('--version loads neither oclif nor the Kubernetes client', () => {
  const modules = modulesLoadedBy(['--version'])
  assert.ok(
    modules.some((m) => m.endsWith('/bin/run.js')),
    'the trace hook saw the entry point',
  )
  assert.deepEqual(
    modules.filter((m) => /client-node|@oclif/.test(m)),
    [],
  )
})

test('--help and offline commands never load @kubernetes/client-node', () => {
  for (const args of [['--help'], ['get', '--help'], ['get', 'wep', '--local', '-f', 'examples/multus']]) {
    const modules = modulesLoadedBy(args)
    assert.ok(modules.length > 5, `trace recorded modules for ${args.join(' ')}`)
    assert.deepEqual(
      modules.filter((m) => m.includes('@kubernetes/client-node')),
      [],
      args.join(' '),
    )
  }
})

test('offline get does not load the cluster modules at all', () => {
  const modules = modulesLoadedBy(['get', 'wep', '--local', '-f', 'examples/multus'])
  // Unbundled (dist/src/kube/client.js) or as the bundle's lazily loaded chunks (dist/src/bundle/cluster-HASH.js).
  const cluster = /\/(client|kubeconfig|cluster)(-[A-Z0-9]+)?\.js$/
  assert.deepEqual(
    modules.filter((m) => m.includes('/dist/') && cluster.test(m)),
    [],
  )
  assert.ok(
    modules.some((m) => /\/manifests(-[A-Z0-9]+)?\.js$/.test(m)),
    'the manifest source was loaded (the check above is not vacuous)',
  )
})

test('get runs without loading oclif, and prints exactly what the oclif path prints', async () => {
  const modules = modulesLoadedBy(['get', 'wep', '-A', '-o', 'wide', '--local', '-f', 'examples/multus'])
  assert.deepEqual(
    modules.filter((m) => m.includes('@oclif')),
    [],
  )
  const {xctl} = await import('../helpers/cli.js')
  const cases = [
    ['get', 'wep', '-A', '-o', 'wide', '--local', '-f', 'examples/multus', '--multi-interface-mode', 'multus'],
    ['get', 'wep', 'multus-test-pod-1', '-oyaml', '--local', '-f', 'examples/multus', '-R'],
    ['-n', 'production', 'get', 'nad', '--local', '-f', 'examples/multus', '--no-headers'],
    ['get', 'wep', 'nope', '--local', '-f', 'examples/multus'],
    ['get', 'wep', '-o', 'bogus', '--local', '-f', 'examples/multus'],
  ]
  for (const args of cases) {
    const fast = await xctl(args)
    const slow = await xctl(args, {env: {XCTL_NO_FAST_PATH: '1'}})
    assert.deepEqual(fast, slow, args.join(' '))
  }
})

test('what the fast path is unsure of goes to oclif: help, unknown flags, bad option values', async () => {
  const {xctl} = await import('../helpers/cli.js')
  const help = await xctl(['get', '--help'])
  assert.match(help.stdout, /USAGE/)
  const unknown = await xctl(['get', 'wep', '--bogus'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Nonexistent flag: --bogus/)
  const option = await xctl(['get', 'wep', '--multi-interface-mode', 'weird', '--local', '-f', 'examples/multus'])
  assert.equal(option.code, 2)
  assert.match(option.stderr, /Expected --multi-interface-mode=weird to be one of: multus, none/)
  const missing = await xctl(['get'])
  assert.equal(missing.code, 2)
})
