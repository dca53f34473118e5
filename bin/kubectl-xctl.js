#!/usr/bin/env node
// kubectl runs executables named kubectl-<name> found on PATH as plugins: `kubectl xctl get wep` runs this file,
// and xctl's help, usage lines, examples and messages then call it `kubectl xctl`.
let entry
try {
  entry = await import('../dist/src/cli/entry.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.url ?? error.message).includes('/dist/')) throw error
  process.stderr.write("error: xctl is not built: run 'npm run build' (or 'npm ci && npm run build' in a fresh clone)\n")
  process.exit(3)
}
await entry.runCli(process.argv.slice(2), import.meta.url, {bin: 'kubectl xctl'})
