// SLOW (about 5-60 s, mostly `npm install`): packs xctl, installs the tarball globally into a temporary prefix
// and runs the installed CLI. Uses the npm cache (--prefer-offline): after `npm ci` it needs no network.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ROOT, run, tableRows} from '../helpers/cli.js'

/** npm's environment without what an enclosing `npm test` adds (lifecycle and package variables). */
function npmEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_(lifecycle|package|command|execpath|node_execpath)/i.test(k)) env[k] = v
  return {
    ...env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
  }
}

test(
  '[slow] the npm tarball installs globally into a temporary prefix; xctl, kubectl-xctl and the man pages work',
  {timeout: 300_000},
  async (t) => {
    assert.ok(
      existsSync(join(ROOT, 'oclif.manifest.json')) && existsSync(join(ROOT, 'dist/src/cli/entry.js')),
      'run npm run build first (npm test does)',
    )
    const tmp = mkdtempSync(join(tmpdir(), 'xctl-pack-'))
    t.after(() => rmSync(tmp, {recursive: true, force: true}))
    const env = npmEnv(tmp)
    const started = Date.now()

    // The build already ran (npm test builds first); --ignore-scripts keeps prepack from rebuilding dist/ under
    // the other test files that are running from it.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {env})
    assert.equal(pack.code, 0, pack.stderr)
    const [info] = JSON.parse(pack.stdout) as Array<{filename: string; files: Array<{path: string}>}>
    const files = info.files.map((f) => f.path)
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>
    }
    for (const f of [
      'package.json',
      'README.md',
      'bin/run.js',
      'bin/kubectl-xctl.js',
      'oclif.manifest.json',
      'dist/src/cli/entry.js',
      'man/xctl.1',
      'examples/multus/03-pod.yaml',
    ]) {
      assert.ok(files.includes(f), `the tarball has ${f}`)
    }
    for (const [id, command] of Object.entries(manifest.commands)) {
      assert.ok(files.includes(`dist/commands/${id.replaceAll(':', '/')}.js`), `the tarball has the ${id} command`)
      // Hidden commands (__complete, for the completion scripts) have no page, as they have no help.
      if (!(command as {hidden?: boolean}).hidden)
        assert.ok(files.includes(`man/xctl-${id.replaceAll(':', '-')}.1`), `the tarball has the ${id} man page`)
    }
    for (const f of files)
      assert.doesNotMatch(
        f,
        /^(test|scripts|src|commands|node_modules)\/|\.ts$|^dist\/test/,
        `the tarball leaves out ${f}`,
      )

    const prefix = join(tmp, 'prefix')
    const install = await run(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(tmp, info.filename),
      ],
      {env, cwd: tmp},
    )
    if (
      install.code !== 0 &&
      /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(install.stderr)
    ) {
      return t.skip('the dependencies are neither in the npm cache nor downloadable (run npm ci first)')
    }
    assert.equal(install.code, 0, install.stderr)
    const installSeconds = (Date.now() - started) / 1000

    // Run from a directory outside the repository, with nothing of the repository on the PATH.
    const bin = join(prefix, 'bin')
    const pkg = join(prefix, 'lib/node_modules/xctl')
    const runEnv = {PATH: `${bin}:${process.env.PATH}`, HOME: tmp, NO_COLOR: '1'}
    const version = await run(join(bin, 'xctl'), ['--version'], {cwd: tmp, env: runEnv})
    assert.equal(version.code, 0, version.stderr)
    assert.match(version.stdout, /^xctl\/0\.\d+\.\d+ /)

    const get = await run(
      join(bin, 'xctl'),
      ['get', 'wep', '--local', '-f', 'examples/multus/', '--multi-interface-mode', 'multus'],
      {cwd: pkg, env: runEnv},
    )
    assert.equal(get.code, 0, get.stderr)
    const rows = tableRows(get.stdout)
    assert.deepEqual(rows[0].slice(0, 2), ['WORKLOAD', 'NODE'])
    assert.ok(
      rows.some((r) => r.includes('multus-test-pod-1')),
      get.stdout,
    )

    const help = await run(join(bin, 'kubectl-xctl'), ['get', '--help'], {cwd: tmp, env: runEnv})
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /\$ kubectl xctl get KIND/)

    const completion = await run(join(bin, 'xctl'), ['autocomplete', 'script', 'bash'], {
      cwd: tmp,
      env: {...runEnv, XDG_CACHE_HOME: join(tmp, '.cache')},
    })
    assert.equal(completion.code, 0, completion.stderr)
    assert.match(completion.stdout, /XCTL_AC_BASH_SETUP_PATH=/)

    const documented = Object.entries(manifest.commands).filter(([, c]) => !(c as {hidden?: boolean}).hidden)
    for (const id of ['', ...documented.map(([id]) => id)]) {
      const page = id ? `xctl-${id.replaceAll(':', '-')}.1` : 'xctl.1'
      assert.ok(existsSync(join(prefix, 'share/man/man1', page)), `npm linked ${page} into {prefix}/share/man/man1`)
    }
    t.diagnostic(`pack + install ${installSeconds.toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s`)
  },
)
