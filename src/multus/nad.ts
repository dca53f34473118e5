/** What a NetworkAttachmentDefinition's `spec.config` (a JSON string) says, in short, for tables. */
export interface NadSummary {
  type: string
  cniVersion: string
  ipam: string
  pools: string
  mtu: string
  /** `ok`, `invalid: <reason>`, or `from file` for an empty config (Multus reads it from disk). */
  status: string
}

/** A JSON object as parsed: keys known, values unchecked. */
type Fields = Record<string, unknown>

const cache = new WeakMap<object, NadSummary>()

export function summarizeNad(nad: {spec?: {config?: unknown}}): NadSummary {
  const hit = cache.get(nad)
  if (hit) return hit
  const summary = summarize(nad.spec?.config)
  cache.set(nad, summary)
  return summary
}

function summarize(config: unknown): NadSummary {
  const empty = {type: '', cniVersion: '', ipam: '', pools: '', mtu: ''}
  if (config === undefined || config === '') return {...empty, status: 'from file'}
  if (typeof config !== 'string') return {...empty, status: 'invalid: spec.config must be a string'}
  let parsed: unknown
  try {
    parsed = JSON.parse(config)
  } catch (error) {
    return {...empty, status: `invalid: ${(error as Error).message}`}
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return {...empty, status: 'invalid: not a JSON object'}
  const c = parsed as Fields
  // A conflist: describe its first plugin (the main one; later ones are chained).
  const main: Fields = Array.isArray(c.plugins) ? ((c.plugins[0] as Fields | undefined) ?? {}) : c
  const ipam: Fields = main.ipam && typeof main.ipam === 'object' ? (main.ipam as Fields) : {}
  const pools = [
    ...(Array.isArray(ipam.ipv4_pools) ? ipam.ipv4_pools : []),
    ...(Array.isArray(ipam.ipv6_pools) ? ipam.ipv6_pools : []),
  ]
  const type = Array.isArray(c.plugins)
    ? c.plugins.map((p: Fields | null | undefined) => p?.type ?? '?').join(',')
    : String(c.type ?? '')
  return {
    type,
    cniVersion: String(c.cniVersion ?? ''),
    ipam: String(ipam.type ?? ''),
    pools: pools.join(','),
    mtu: main.mtu === undefined ? '' : String(main.mtu),
    status: !type ? 'invalid: no "type" (and no "plugins")' : 'ok',
  }
}
