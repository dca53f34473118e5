import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {Parser} from '@oclif/core'
import {canonicalArgs, type FlagDef, type Manifest} from '../../src/cli/argv.js'
import {reorderGlobalFlags} from '../../src/cli/entry.js'
import {parseFlags} from '../../src/cli/fast.js'
import {BaseCommand} from '../../src/cli/base.js'
import {ROOT, kubectl, run, xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/**
 * kubectl's flag grammar (spf13/pflag) for every flag of every command, read from oclif's manifest so that a new
 * flag is covered the day it is added: each shape kubectl accepts must give oclif and the fast path the same value.
 */
const manifest: Manifest = JSON.parse(readFileSync(`${ROOT}oclif.manifest.json`, 'utf8'))
const commands = Object.entries(manifest.commands ?? {})

/** A value the flag accepts, and how oclif reports it. */
function sample(def: FlagDef): {typed: string; parsed: unknown} {
  if (def.options?.length) return {typed: def.options[0], parsed: def.options[0]}
  if (def.name === 'limit') return {typed: '7', parsed: 7}
  if (def.name === 'request-timeout') return {typed: '5s', parsed: '5s'}
  return {typed: `v-${def.name}`, parsed: `v-${def.name}`}
}

/** Every way kubectl lets a user give `def` its value (booleans: true). */
function shapes(def: FlagDef, value: string): string[][] {
  if (def.type === 'boolean') {
    const long = [[`--${def.name}`], [`--${def.name}=true`], [`--${def.name}=True`], [`--${def.name}=1`]]
    return def.char ? [...long, [`-${def.char}`], [`-${def.char}=true`]] : long
  }
  const long = [[`--${def.name}=${value}`], [`--${def.name}`, value]]
  return def.char ? [...long, [`-${def.char}`, value], [`-${def.char}${value}`], [`-${def.char}=${value}`]] : long
}

async function oclifParse(id: string, argv: string[]): Promise<Record<string, unknown>> {
  const {default: command} = await import(`../../commands/${id.replaceAll(':', '/')}.js`)
  const {flags} = await Parser.parse(argv, {
    flags: {...BaseCommand.baseFlags, ...command.flags},
    args: command.args,
    strict: command.strict,
  })
  return flags
}

/** Commands with a required flag: its name, then how it is given. */
const REQUIRED: Record<string, string[]> = {
  apply: ['filename', '--filename=r.yaml'],
  create: ['filename', '--filename=r.yaml'],
  replace: ['filename', '--filename=r.yaml'],
  patch: ['patch', '--patch={}'],
}

for (const [id, entry] of commands) {
  test(`${id}: every flag in every shape kubectl accepts reaches oclif and the fast path with the same value`, async () => {
    const defs = entry.flags ?? {}
    const positional =
      id === 'eval'
        ? ['all()']
        : id === 'completion'
          ? ['bash']
          : ['get', 'delete', 'describe', 'label', 'patch'].includes(id)
            ? ['gnp', 'x']
            : []
    for (const def of Object.values(defs)) {
      const {typed, parsed} = sample(def)
      const want = def.type === 'boolean' ? true : def.multiple ? [parsed] : parsed
      for (const shape of shapes(def, typed)) {
        // apply, create and replace require -f, patch -p: given once more when another flag is under test.
        const required = def.name === REQUIRED[id]?.[0] ? [] : (REQUIRED[id] ?? []).slice(1)
        const placements = [
          [id, ...required, ...shape, ...positional],
          [id, ...positional, ...shape, ...required],
        ]
        if (def.helpGroup === 'GLOBAL') placements.push([...shape, id, ...positional, ...required])
        for (const argv of placements) {
          const canonical = reorderGlobalFlags(canonicalArgs(argv, manifest))
          assert.equal(canonical[0], id, `${argv.join(' ')} → ${canonical.join(' ')}`)
          const flags = await oclifParse(id, canonical.slice(1))
          assert.deepEqual(flags[def.name], want, `oclif: ${argv.join(' ')} → ${canonical.join(' ')}`)
          const fast = parseFlags(canonical.slice(1), defs as Record<string, FlagDef>)
          assert.deepEqual(fast?.flags[def.name], def.name === 'limit' ? typed : want, `fast: ${argv.join(' ')}`)
          assert.deepEqual(fast?.positionals, positional, `fast: ${argv.join(' ')}`)
        }
      }
      if (def.type === 'boolean' && !def.default) {
        for (const off of [`--${def.name}=false`, `--${def.name}=0`, ...(def.char ? [`-${def.char}=false`] : [])]) {
          const required = (REQUIRED[id] ?? []).slice(1)
          const flags = await oclifParse(
            id,
            reorderGlobalFlags(canonicalArgs([id, off, ...positional, ...required], manifest)).slice(1),
          )
          assert.ok(!flags[def.name], `${off} turns ${def.name} off`)
        }
      }
    }
  })
}

test('grouped shorthands, a value that starts with a dash, -- and unknown flags behave as in pflag', () => {
  const c = (argv: string[]) => canonicalArgs(argv, manifest)
  assert.deepEqual(c(['get', 'wep', '-AR', '-oyaml']), [
    'get',
    'wep',
    '--all-namespaces',
    '--recursive',
    '--output=yaml',
  ])
  assert.deepEqual(c(['get', 'wep', '-Aowide']), ['get', 'wep', '--all-namespaces', '--output=wide'])
  assert.deepEqual(c(['get', 'wep', '-l', '-x']), ['get', 'wep', '--selector=-x'])
  assert.deepEqual(c(['get', 'wep', '-o=custom-columns=NAME:.metadata.name']), [
    'get',
    'wep',
    '--output=custom-columns=NAME:.metadata.name',
  ])
  assert.deepEqual(c(['apply', '-f', '-']), ['apply', '--filename=-'])
  assert.deepEqual(c(['get', 'wep', '--', '-n=x']), ['get', 'wep', '--', '-n=x'])
  // Left as typed for oclif to report: unknown flags, a missing value, a boolean with a bad value.
  assert.deepEqual(c(['get', 'wep', '--bogus=1', '-Z', '-n']), ['get', 'wep', '--bogus=1', '-Z', '-n'])
  assert.deepEqual(c(['get', 'wep', '--all-namespaces=maybe']), ['get', 'wep', '--all-namespaces=maybe'])
})

let cluster: TestCluster
before(async () => {
  cluster = await startCluster({objects: exampleObjects()})
})
after(() => cluster.server.close())

/** What a `get` asked the API for: the pod list's path and selector. */
function lastPodList(): string {
  const r = cluster.server.requests.filter((q) => q.method === 'GET' && /\/pods$/.test(q.path)).at(-1)
  return r ? `${r.path}?labelSelector=${r.query.labelSelector ?? ''}` : 'none'
}

test('the same shapes mean the same to kubectl and to xctl (fast path and oclif), checked on the API server', async () => {
  const cases: string[][] = [
    ['-n=production'],
    ['-nproduction'],
    ['-n', 'production'],
    ['--namespace=production'],
    ['--namespace', 'production'],
    ['-A'],
    ['-A=true'],
    ['--all-namespaces=true'],
    ['--all-namespaces=false'],
    ['-l=role=frontend', '-A'],
    ['-lrole=frontend'],
    ['-o=name'],
    ['-oname', '-n=production'],
    ['--output=wide'],
    ['-n', ''],
    ['--namespace='],
  ]
  const kubeEnv = {...process.env, KUBECONFIG: cluster.kubeconfig}
  for (const shape of cases) {
    // kubectl takes only its global flags (here -n) before the command.
    for (const before of shape[0].startsWith('-n') || shape[0].startsWith('--namespace') ? [false, true] : [false]) {
      const k = await run('kubectl', before ? [...shape, 'get', 'pods'] : ['get', 'pods', ...shape], {
        env: kubeEnv,
        timeoutMs: 30_000,
      })
      assert.equal(k.code, 0, `kubectl ${shape.join(' ')}: ${k.stderr}`)
      const want = lastPodList()
      for (const fast of [true, false]) {
        const env = {...cluster.env, ...(fast ? {} : {XCTL_NO_FAST_PATH: '1'})}
        const x = await xctl(before ? [...shape, 'get', 'wep'] : ['get', 'wep', ...shape], {env})
        assert.equal(x.code, 0, `xctl ${shape.join(' ')} (fast ${fast}): ${x.stderr}`)
        assert.equal(lastPodList(), want, `xctl ${before ? 'before' : 'after'} ${JSON.stringify(shape)} (fast ${fast})`)
      }
    }
  }
})

test('shapes kubectl refuses are refused (exit 2)', async () => {
  for (const shape of [['--all-namespaces=maybe'], ['-n'], ['--bogus']]) {
    const k = await kubectl(['get', 'pods', ...shape])
    assert.notEqual(k.code, 0, `kubectl ${shape.join(' ')}`)
    for (const fast of [true, false]) {
      const x = await xctl(['get', 'wep', ...shape], {env: {...cluster.env, ...(fast ? {} : {XCTL_NO_FAST_PATH: '1'})}})
      assert.equal(x.code, 2, `${shape.join(' ')}: ${x.stderr}`)
    }
  }
})
