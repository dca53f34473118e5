// Loads the built CLI, or says how to build it (a fresh clone has no dist/ yet). The entry is the esbuild bundle of
// src/cli/entry.ts: one file (plus lazily loaded chunks) instead of some forty modules, which `get` feels at start-up.
export async function loadEntry() {
  try {
    return await import('../dist/src/bundle/entry.js')
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.url ?? error.message).includes('/dist/')) throw error
    process.stderr.write(
      "error: xctl is not built: run 'npm run build' (or 'npm ci && npm run build' in a fresh clone)\n",
    )
    process.exit(3)
  }
}
