import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {ROOT, xctl} from '../helpers/cli.js'

/** HOME and the XDG directories in a temporary directory, so nothing is written to the real ones. */
function sandbox(t: {after: (fn: () => void) => void}) {
  const home = mkdtempSync(join(tmpdir(), 'xctl-completion-'))
  t.after(() => rmSync(home, {recursive: true, force: true}))
  const env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    SHELL: '/bin/bash',
  }
  const functions = join(env.XDG_CACHE_HOME, 'xctl/autocomplete/functions')
  return {home, env, bashScript: join(functions, 'bash/xctl.bash'), zshScript: join(functions, 'zsh/_xctl')}
}

/** What bash would offer after `words` (the last word is the one being completed), with the generated function. */
function bashComplete(script: string, words: string[]): string[] {
  const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _xctl_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', script, ...words], {encoding: 'utf8'})
  assert.equal(r.status, 0, r.stderr)
  return r.stdout.split('\n').filter(Boolean)
}

test('xctl autocomplete bash prints the setup and writes the completion function (offline)', async (t) => {
  const {env, bashScript, home} = sandbox(t)
  const r = await xctl(['autocomplete', 'bash'], {env})
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /Setup Instructions for XCTL CLI Autocomplete/)
  assert.ok(r.stdout.includes('printf "$(xctl autocomplete script bash)" >> ~/.bashrc'))
  assert.ok(existsSync(bashScript), 'the bash function is cached under XDG_CACHE_HOME')
  const setup = await xctl(['autocomplete', 'script', 'bash'], {env})
  assert.equal(setup.code, 0, setup.stderr)
  assert.ok(setup.stdout.includes(`XCTL_AC_BASH_SETUP_PATH=${join(home, '.cache/xctl/autocomplete/bash_setup')}`))

  const fn = readFileSync(bashScript, 'utf8')
  assert.match(fn, /^get .*--output .*--multi-interface-mode/m)
  assert.match(fn, /^apply .*--filename .*--dry-run/m)
  if (spawnSync('bash', ['--version']).error) return
  assert.deepEqual(bashComplete(bashScript, ['xctl', 'ge']), ['get'])
  assert.ok(bashComplete(bashScript, ['xctl', '']).includes('version'))
  assert.deepEqual(bashComplete(bashScript, ['xctl', 'get', '--mul']), ['--multi-interface-mode'])
  // The plugin's bash function completes flags right after the command id only (not after `get wep`): see README.
  const flags = bashComplete(bashScript, ['xctl', 'get', '--'])
  for (const f of ['--namespace', '--output', '--kubeconfig', '--context', '--all-namespaces', '--local', '--filename'])
    assert.ok(flags.includes(f), f)
})

test('zsh completion has commands, short and long flags, -o formats and --multi-interface-mode values', async (t) => {
  const {env, zshScript} = sandbox(t)
  const r = await xctl(['autocomplete', 'zsh'], {env: {...env, SHELL: '/bin/zsh'}})
  assert.equal(r.code, 0, r.stderr)
  assert.ok(r.stdout.includes('printf "$(xctl autocomplete script zsh)" >> ~/.zshrc'))
  const fn = readFileSync(zshScript, 'utf8')
  assert.match(fn, /^#compdef xctl$/m)
  assert.match(fn, /"get\[Display WorkloadEndpoints/)
  assert.ok(fn.includes('"(-o --output)"{-o,--output}"[Output format'), '-o and --output')
  assert.ok(
    fn.includes(
      ':output options:(ps wide yaml json name custom-columns= custom-columns-file= jsonpath= jsonpath-file= go-template= go-template-file=)"',
    ),
    '-o values',
  )
  assert.ok(
    fn.includes(
      '--multi-interface-mode"[One endpoint per pod interface (multus) or per pod (none); overrides MULTI_INTERFACE_MODE.]:multi-interface-mode options:(multus none)"',
    ),
  )
  assert.ok(fn.includes(':dry-run options:(none client server)"'), '--dry-run values')
  assert.ok(fn.includes('"(-n --namespace)"{-n,--namespace}'))
  if (!spawnSync('zsh', ['--version']).error) {
    const syntax = spawnSync('zsh', ['-n', zshScript], {encoding: 'utf8'})
    assert.equal(syntax.status, 0, syntax.stderr)
  }
})

test('completion values are hints only: -o still takes any format and help does not list them', async () => {
  const r = await xctl([
    'get',
    'wep',
    '--local',
    '-f',
    'examples/multus',
    '--multi-interface-mode',
    'multus',
    '-o',
    'custom-columns=NAME:.metadata.name',
  ])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^NAME\n/)
  const help = await xctl(['get', '--help'])
  assert.doesNotMatch(help.stdout, /<options: ps\|wide/)
})

test('run as the kubectl plugin, xctl autocomplete still writes completion for xctl', async (t) => {
  const {env, zshScript} = sandbox(t)
  const r = await xctl(['autocomplete', 'zsh'], {env, bin: join(ROOT, 'bin/kubectl-xctl.js')})
  assert.equal(r.code, 0, r.stderr)
  assert.match(readFileSync(zshScript, 'utf8'), /^#compdef xctl$/m)
})

test('zsh really completes -o formats, --multi-interface-mode values, commands and flags (skipped without zsh)', async (t) => {
  if (spawnSync('zsh', ['--version']).error) return t.skip('zsh is not installed')
  const {env, zshScript} = sandbox(t)
  assert.equal((await xctl(['autocomplete', 'zsh'], {env})).code, 0)
  const complete = (line: string) => {
    const r = spawnSync('zsh', ['-f', join(ROOT, 'test/packaging/zsh-capture.zsh'), dirname(zshScript), line], {
      encoding: 'utf8',
      env: {PATH: process.env.PATH, HOME: env.HOME},
      timeout: 20_000,
    })
    return r.stdout.replaceAll('\r', '').split('\n').filter(Boolean)
  }
  assert.deepEqual(complete('xctl get -o '), [
    'ps',
    'wide',
    'yaml',
    'json',
    'name',
    'custom-columns=',
    'custom-columns-file=',
    'jsonpath=',
    'jsonpath-file=',
    'go-template=',
    'go-template-file=',
  ])
  assert.deepEqual(complete('xctl get wep --multi-interface-mode '), ['multus', 'none'])
  assert.ok(complete('xctl ').includes('get'))
  const flags = complete('xctl get wep -')
  for (const f of ['-n', '--namespace', '-o', '--output', '-A', '--local', '-f', '--kubeconfig', '--context'])
    assert.ok(flags.includes(f), f)
})
