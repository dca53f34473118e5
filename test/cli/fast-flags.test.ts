import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseFlags} from '../../src/cli/fast.js'

const defs = {
  namespace: {name: 'namespace', char: 'n', type: 'option' as const},
  output: {name: 'output', char: 'o', type: 'option' as const},
  'all-namespaces': {name: 'all-namespaces', char: 'A', type: 'boolean' as const},
  filename: {name: 'filename', char: 'f', type: 'option' as const, multiple: true},
  mode: {name: 'mode', type: 'option' as const, options: ['a', 'b']},
  'request-timeout': {name: 'request-timeout', type: 'option' as const, default: '60s'},
}

test('parses long, short, attached and repeated flags like oclif, with defaults', () => {
  assert.deepEqual(parseFlags(['wep', '-n', 'x', '--output=wide', '-A', '-f', 'a', '-fb', 'name1'], defs), {
    flags: {namespace: 'x', output: 'wide', 'all-namespaces': true, filename: ['a', 'b'], 'request-timeout': '60s'},
    positionals: ['wep', 'name1'],
  })
  assert.deepEqual(parseFlags(['wep', '-oyaml', '-', '--mode', 'b'], defs)?.flags.output, 'yaml')
  assert.deepEqual(parseFlags(['wep', '-f', '-'], defs)?.flags.filename, ['-'])
})

test('anything unsure is left to oclif (undefined)', () => {
  for (const args of [
    ['wep', '--help'],
    ['wep', '-h'],
    ['wep', '--bogus'],
    ['wep', '-n'],
    ['wep', '-n', 'a', '-n', 'b'],
    ['wep', '--mode', 'c'],
    ['wep', '-A=true'],
    ['wep', '-An', 'x'],
  ]) {
    assert.equal(parseFlags(args, defs), undefined, args.join(' '))
  }
})
