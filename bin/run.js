#!/usr/bin/env node
import {readFileSync} from 'node:fs'

// `--version` answers without loading oclif: CI loops call it often and it must start as fast as node itself.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`xctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // Node 22+ keeps V8's compiled code between runs (a large share of start-up); Node 20 has no such switch.
  const {enableCompileCache} = await import('node:module')
  enableCompileCache?.()
  const {loadEntry} = await import('./load-entry.js')
  const entry = await loadEntry()
  process.exitCode = await entry.runCli(argv, import.meta.url)
}
