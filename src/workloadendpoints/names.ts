import {currentInvocation} from '../core/streams.js'
import {createRequire} from 'node:module'

// node:crypto is loaded on first use: start-up time counts, and an empty list never needs a hash.
let crypto: typeof import('node:crypto') | undefined
function sha1(text: string): Buffer {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  // The one-shot hash (Node >= 20.12) costs a third of createHash().update().digest() per call.
  return crypto.hash ? crypto.hash('sha1', text, 'buffer') : crypto.createHash('sha1').update(text).digest()
}

/** `<node>-k8s-<pod>-<endpoint>`, every `-` inside a part doubled (libcalico-go names/workloadendpoint.go). */
export function workloadEndpointName(node: string, pod: string, endpoint: string): string {
  return new WorkloadEndpointNames(node, pod).of(endpoint)
}

/** The names of one pod's endpoints: node and pod are checked and escaped once, each endpoint name then. */
export class WorkloadEndpointNames {
  private readonly prefix: string

  constructor(node: string, pod: string) {
    this.prefix = `${escapePart(node)}-k8s-${escapePart(pod)}-`
  }

  of(endpoint: string): string {
    return this.prefix + escapePart(endpoint)
  }
}

/** A name part with its dashes doubled; a leading or trailing dash is refused as libcalico-go does. */
function escapePart(part: string): string {
  if (part.startsWith('-')) throw new Error(`field must not begin with a '-': ${part}`)
  if (part.endsWith('-')) throw new Error(`field must not end with a '-': ${part}`)
  return part.includes('-') ? part.replaceAll('-', '--') : part
}

export interface WorkloadEndpointNameParts {
  node: string
  orchestrator: string
  workload: string
  endpoint: string
}

/** Splits a WorkloadEndpoint name at single dashes (a double dash is an escaped dash); undefined if it is not one. */
export function parseWorkloadEndpointName(name: string): WorkloadEndpointNameParts | undefined {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < name.length; i++) {
    if (name[i] !== '-') {
      current += name[i]
    } else if (name[i + 1] === '-') {
      current += '-'
      i++
    } else {
      parts.push(current)
      current = ''
    }
  }
  parts.push(current)
  if (parts.length !== 4 || parts.some((p) => p === '')) return undefined
  const [node, orchestrator, workload, endpoint] = parts
  return {node, orchestrator, workload, endpoint}
}

/** The veth prefix Felix uses: the first entry of FELIX_INTERFACEPREFIX, else `cali`. */
export function interfacePrefix(env: NodeJS.ProcessEnv = currentInvocation().env): string {
  const first = (env.FELIX_INTERFACEPREFIX ?? '').split(',')[0].trim()
  return first || 'cali'
}

/**
 * Host-side interface names (Calico's VethNameForWorkload and the multus converter's calculateHostSideVethName):
 * index 0 → prefix + hex(sha1("ns.pod"))[:11]; index i ≥ 1 → prefix + "m" + i + base32(sha1("ns.pod"))[:9].
 */
export function hostInterfaceName(namespace: string, pod: string, index: number, prefix = 'cali'): string {
  return new HostInterfaceNames(namespace, pod, prefix).at(index)
}

/** The host-side names of one pod's interfaces: one hash and one base32 per pod, however many interfaces. */
export class HostInterfaceNames {
  private readonly digest: Buffer
  private base32?: string

  constructor(
    namespace: string,
    pod: string,
    private readonly prefix: string,
  ) {
    this.digest = sha1(`${namespace}.${pod}`)
  }

  at(index: number): string {
    if (index === 0) return this.prefix + this.digest.toString('hex', 0, 6).slice(0, 11)
    this.base32 ??= base32(this.digest).slice(0, 9)
    return `${this.prefix}m${index}${this.base32}`
  }
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 standard base32 (Go's base32.StdEncoding), enough of it for a prefix. */
function base32(bytes: Buffer): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return out
}
