/**
 * Addresses as Go's net package reads them (what Multus, the CNI plugins and Calico use): IPv4 without leading
 * zeros, IPv6 with `::` and an optional trailing IPv4, CIDRs with a decimal prefix, MACs in the three notations
 * of net.ParseMAC.
 */

export interface IP {
  family: 4 | 6
  bytes: number[]
}

export interface CIDR {
  ip: IP
  prefix: number
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  const out: number[] = []
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    out.push(n)
  }
  return out
}

function parseIPv6(s: string): number[] | undefined {
  if (s.length < 2 || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined
  const double = s.indexOf('::')
  if (double !== -1 && s.indexOf('::', double + 1) !== -1) return undefined
  const groups = (text: string): number[] | undefined => {
    if (text === '') return []
    const out: number[] = []
    const parts = text.split(':')
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]
      if (k === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p)
        if (!v4) return undefined
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3])
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined
      out.push(parseInt(p, 16))
    }
    return out
  }
  let words: number[]
  if (double === -1) {
    const all = groups(s)
    if (!all || all.length !== 8) return undefined
    words = all
  } else {
    const head = groups(s.slice(0, double))
    const tail = groups(s.slice(double + 2))
    if (!head || !tail || head.length + tail.length > 7) return undefined
    words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail]
  }
  return words.flatMap((w) => [w >> 8, w & 0xff])
}

export function parseIP(s: string): IP | undefined {
  if (typeof s !== 'string') return undefined
  const v4 = parseIPv4(s)
  if (v4) return {family: 4, bytes: v4}
  const v6 = s.includes(':') ? parseIPv6(s) : undefined
  return v6 ? {family: 6, bytes: v6} : undefined
}

export function parseCIDR(s: string): CIDR | undefined {
  if (typeof s !== 'string') return undefined
  const slash = s.indexOf('/')
  if (slash === -1) return undefined
  const ip = parseIP(s.slice(0, slash))
  const p = s.slice(slash + 1)
  if (!ip || !/^[0-9]{1,3}$/.test(p)) return undefined
  const prefix = Number(p)
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined
  return {ip, prefix}
}

/** An IP (as a /32 or /128) or a CIDR. */
export function parseIPOrCIDR(s: string): CIDR | undefined {
  if (typeof s !== 'string') return undefined
  if (s.includes('/')) return parseCIDR(s)
  const ip = parseIP(s)
  return ip ? {ip, prefix: ip.family === 4 ? 32 : 128} : undefined
}

/** The network address of a CIDR (host bits cleared). */
export function networkOf(c: CIDR): number[] {
  return c.ip.bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, c.prefix - i * 8))
    return b & ((0xff << (8 - bits)) & 0xff)
  })
}

export function isStrictlyMasked(c: CIDR): boolean {
  return networkOf(c).every((b, i) => b === c.ip.bytes[i])
}

export function formatIP(ip: IP): string {
  if (ip.family === 4) return ip.bytes.join('.')
  const words: number[] = []
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i] << 8) | ip.bytes[i + 1])
  // Compress the longest run of zero words (RFC 5952), as Go prints it.
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen && j - i > 1) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = words.map((w) => w.toString(16))
  if (best === -1) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

export function formatCIDR(c: CIDR): string {
  return `${formatIP({family: c.ip.family, bytes: networkOf(c)})}/${c.prefix}`
}

/** Whether two CIDRs share any address. */
export function overlaps(a: CIDR, b: CIDR): boolean {
  if (a.ip.family !== b.ip.family) return false
  const prefix = Math.min(a.prefix, b.prefix)
  const na = networkOf({ip: a.ip, prefix})
  const nb = networkOf({ip: b.ip, prefix})
  return na.every((x, i) => x === nb[i])
}

/** Go's net.ParseMAC: 6, 8 or 20 bytes as xx:xx.., xx-xx.. or xxxx.xxxx..; returns the byte count. */
export function parseMAC(s: string): number | undefined {
  if (typeof s !== 'string') return undefined
  if (s.length >= 14 && s[4] === '.') {
    const groups = s.split('.')
    if (![3, 4, 10].includes(groups.length) || !groups.every((g) => /^[0-9a-fA-F]{4}$/.test(g))) return undefined
    return groups.length * 2
  }
  const sep = s[2]
  if (sep !== ':' && sep !== '-') return undefined
  const parts = s.split(sep)
  if (![6, 8, 20].includes(parts.length) || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined
  return parts.length
}
