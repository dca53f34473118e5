#!/usr/bin/env node
import {readFileSync} from 'node:fs'

// `--version` answers without loading oclif: CI loops call it often and it must start as fast as node itself.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`xctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  let entry
  try {
    entry = await import('../dist/src/cli/entry.js')
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.url ?? error.message).includes('/dist/')) throw error
    process.stderr.write("error: xctl is not built: run 'npm run build' (or 'npm ci && npm run build' in a fresh clone)\n")
    process.exit(3)
  }
  await entry.runCli(argv, import.meta.url)
}
