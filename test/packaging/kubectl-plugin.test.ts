import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ROOT, run, tableRows, xctl, type CliResult} from '../helpers/cli.js'

const PLUGIN = join(ROOT, 'bin/kubectl-xctl.js')
const LOCAL = ['--local', '-f', 'examples/multus', '--multi-interface-mode', 'multus']
const hasKubectl = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).error === undefined

test('bin/kubectl-xctl.js --help calls itself kubectl xctl in usage lines and examples', async () => {
  const top = await xctl(['--help'], {bin: PLUGIN})
  assert.equal(top.code, 0, top.stderr)
  assert.match(top.stdout, /^ {2}\$ kubectl xctl \[COMMAND\]$/m)
  const get = await xctl(['get', '--help'], {bin: PLUGIN})
  assert.equal(get.code, 0, get.stderr)
  assert.match(get.stdout, /^ {2}\$ kubectl xctl get KIND/m)
  assert.match(get.stdout, /kubectl xctl get wep -o wide --local -f examples\/multus/)
  assert.doesNotMatch(get.stdout, /\$ xctl /, 'no usage line or example names plain xctl')
  const bad = await xctl(['get', 'wep', '--bogus'], {bin: PLUGIN})
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /See 'kubectl xctl get --help'/)
  const unknown = await xctl(['frobnicate'], {bin: PLUGIN})
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /See 'kubectl xctl --help'/)
})

test('bin/kubectl-xctl.js runs commands like bin/run.js, global flags before the command included', async () => {
  const direct = await xctl(['get', 'wep', '-o', 'wide', ...LOCAL])
  const plugin = await xctl(['get', 'wep', '-o', 'wide', ...LOCAL], {bin: PLUGIN})
  assert.equal(plugin.code, 0, plugin.stderr)
  assert.equal(plugin.stdout, direct.stdout)
  const leading = await xctl(['-n', 'production', 'get', 'wep', ...LOCAL], {bin: PLUGIN})
  assert.equal(leading.code, 0, leading.stderr)
  assert.ok(
    tableRows(leading.stdout)
      .slice(1)
      .every((row) => row[0] === 'production'),
  )
})

/** Runs the installed kubectl with `dir` first on the PATH and no kubeconfig. */
function kubectl(args: string[], dir: string): Promise<CliResult> {
  return run('kubectl', args, {env: {PATH: `${dir}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1'}})
}

test(
  'kubectl finds kubectl-xctl on the PATH: kubectl xctl get wep (skipped without kubectl)',
  {skip: !hasKubectl && 'kubectl is not installed'},
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'xctl-kubectl-plugin-'))
    t.after(() => rmSync(dir, {recursive: true, force: true}))
    symlinkSync(PLUGIN, join(dir, 'kubectl-xctl'))

    const list = await kubectl(['plugin', 'list'], dir)
    assert.ok(list.stdout.includes(join(dir, 'kubectl-xctl')), list.stdout + list.stderr)

    const r = await kubectl(['xctl', 'get', 'wep', ...LOCAL], dir)
    assert.equal(r.code, 0, r.stderr)
    const direct = await xctl(['get', 'wep', ...LOCAL])
    assert.equal(r.stdout, direct.stdout)
    assert.ok(tableRows(r.stdout).length > 1)

    const wide = await kubectl(['xctl', 'get', 'wep', '-o', 'wide', ...LOCAL], dir)
    assert.equal(wide.code, 0, wide.stderr)
    assert.match(wide.stdout, /^NAME\s+WORKLOAD\s+NODE\s+NETWORKS\s+INTERFACE\s+PROFILES/m)

    const help = await kubectl(['xctl', 'get', '--help'], dir)
    assert.match(help.stdout, /\$ kubectl xctl get KIND/)

    // Exit codes pass through kubectl unchanged.
    const usage = await kubectl(['xctl', 'get', 'wep', '--bogus'], dir)
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /See 'kubectl xctl get --help'/)
  },
)
