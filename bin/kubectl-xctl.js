#!/usr/bin/env node
// kubectl finds plugins named kubectl-<name> on PATH: `kubectl xctl get wep` runs this file.
process.env.XCTL_PLUGIN_NAME = 'kubectl xctl'
const {runCli} = await import('../dist/src/cli/entry.js')
await runCli(process.argv.slice(2), import.meta.url)
