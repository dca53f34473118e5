import {UsageError} from '../core/errors.js'
import type {KubeObject} from './types.js'

/**
 * Kubernetes label and field selectors, evaluated locally for `--local` manifests exactly as the API server
 * would evaluate them server-side (`-l` is sent to the server when reading a cluster).
 */
type Requirement = {key: string; op: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin'; values: string[]}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/

export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = []
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim()
    if (part === '') continue
    let m: RegExpExecArray | null
    if ((m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(part))) {
      reqs.push({
        key: checkKey(m[1], text),
        op: m[2] as 'in' | 'notin',
        values: m[3]
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      })
    } else if ((m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part))) {
      reqs.push({key: checkKey(m[1], text), op: m[2] === '!=' ? '!=' : '=', values: [m[3]]})
    } else if ((m = /^!\s*(\S+)$/.exec(part))) {
      reqs.push({key: checkKey(m[1], text), op: '!exists', values: []})
    } else if (KEY.test(part)) {
      reqs.push({key: part, op: 'exists', values: []})
    } else {
      throw new UsageError(
        `unable to parse label selector "${text}" near "${part}"`,
        'use kubectl syntax: key=value, key!=value, key in (a,b), key notin (a), key, !key',
      )
    }
  }
  return reqs
}

function checkKey(key: string, text: string): string {
  if (!KEY.test(key)) throw new UsageError(`invalid label key "${key}" in selector "${text}"`)
  return key
}

// Commas separate requirements except inside the parentheses of a set.
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts
}

export function matchesLabelSelector(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key)
    switch (r.op) {
      case 'exists':
        return has
      case '!exists':
        return !has
      case '=':
        return has && l[r.key] === r.values[0]
      case '!=':
        return !has || l[r.key] !== r.values[0]
      case 'in':
        return has && r.values.includes(l[r.key])
      case 'notin':
        return !has || !r.values.includes(l[r.key])
    }
  })
}

const FIELD_PATHS: Record<string, (o: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  'spec.nodeName': (o) => o.spec?.nodeName,
  'status.phase': (o) => o.status?.phase,
}

/** The field selectors xctl builds itself (names, --node), evaluated on manifests. */
export function matchesFieldSelector(selector: string | undefined, o: KubeObject): boolean {
  if (!selector) return true
  return selector.split(',').every((part) => {
    const m = /^([\w.]+)\s*(==|!=|=)\s*(.*)$/.exec(part.trim())
    if (!m || !FIELD_PATHS[m[1]]) throw new UsageError(`field label not supported: ${part.trim()}`)
    const value = FIELD_PATHS[m[1]](o) ?? ''
    return m[2] === '!=' ? value !== m[3] : value === m[3]
  })
}
