import {escapeStrings} from '../printers/escape.js'
import {formatOrder} from '../resources/descriptor.js'
import type {
  DirectionEvaluation,
  EndpointDescription,
  EndpointList,
  PeerDescription,
  PolicyDescription,
  RuleDescription,
  TierSummary,
  WorkloadEndpointDescriptionList,
} from './types.js'

/**
 * Text for `describe` (kubectl describe's look: `Field:  value`, nested lists indented by two spaces).
 * Everything here is also in the -o yaml|json data; this only words it.
 */

const PAD = 14

function field(name: string, value: string, indent = ''): string {
  return `${indent}${`${name}:`.padEnd(PAD)}${value}\n`
}

function block(name: string, lines: string[], indent = ''): string {
  if (lines.length === 0) return field(name, '<none>', indent)
  const cont = ' '.repeat(indent.length + PAD)
  return (
    `${indent}${`${name}:`.padEnd(PAD)}${lines[0]}\n` +
    lines
      .slice(1)
      .map((l) => `${cont}${l}\n`)
      .join('')
  )
}

function labelLines(labels: Record<string, string>): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
}

function orderText(order: number | null): string {
  return order === null ? 'none' : formatOrder(order)
}

function tierText(t: TierSummary): string {
  return `${t.name} (order ${orderText(t.order)}, default action ${t.defaultAction}${t.found ? '' : ', tier not found'})`
}

function endpointName(e: {namespace: string; name: string}): string {
  return `${e.namespace}/${e.name}`
}

/** "2 endpoints: a, b" / "no endpoint" / "12 endpoints: a, b, c, ... (9 more)" */
function listText(list: EndpointList): string {
  if (list.count === 0) return 'no endpoint'
  const names = list.endpoints.map(endpointName).join(', ')
  const more = list.truncated ? `, ... (${list.count - list.endpoints.length} more)` : ''
  return `${list.count} endpoint${list.count === 1 ? '' : 's'}${names ? `: ${names}` : ''}${more}`
}

function ports(values: Array<string | number> | undefined): string {
  return values?.length ? values.join(',') : ''
}

function ruleHead(r: RuleDescription): string {
  const parts = [r.action || '<no action>']
  if (r.protocol !== undefined) parts.push(String(r.protocol))
  if (r.notProtocol !== undefined) parts.push(`not ${r.notProtocol}`)
  if (r.protocol === undefined && r.notProtocol === undefined) parts.push('(any protocol)')
  if (r.ipVersion !== undefined) parts.push(`IPv${r.ipVersion}`)
  if (r.icmp) parts.push(icmpText('icmp', r.icmp))
  if (r.notICMP) parts.push(icmpText('not icmp', r.notICMP))
  if (r.http)
    parts.push(
      `http${r.http.methods?.length ? ` methods ${r.http.methods.join(',')}` : ''}${r.http.paths?.length ? ` paths ${JSON.stringify(r.http.paths)}` : ''}`,
    )
  return parts.join(' ')
}

function icmpText(word: string, icmp: {type?: number; code?: number}): string {
  return `${word}${icmp.type !== undefined ? ` type ${icmp.type}` : ''}${icmp.code !== undefined ? ` code ${icmp.code}` : ''}`
}

/** One side of a rule, in one or more lines. */
function peerLines(p: PeerDescription, self: boolean): string[] {
  const terms: string[] = []
  if (p.selector) terms.push(`selector ${p.selector}`)
  if (p.notSelector) terms.push(`notSelector ${p.notSelector}`)
  if (p.serviceAccounts?.names) terms.push(`service accounts ${p.serviceAccounts.names.join(', ')}`)
  if (p.serviceAccounts?.selector) terms.push(`serviceAccounts.selector ${p.serviceAccounts.selector}`)
  const extra: string[] = []
  if (p.nets) extra.push(`nets ${p.nets.join(',')}`)
  if (p.notNets) extra.push(`not nets ${p.notNets.join(',')}`)
  if (p.ports) extra.push(`ports ${ports(p.ports)}`)
  if (p.notPorts) extra.push(`not ports ${ports(p.notPorts)}`)
  if (p.services)
    extra.push(
      `service ${p.services.namespace ? `${p.services.namespace}/` : ''}${p.services.name ?? ''} ` +
        `(its endpoints, not resolved here)`,
    )
  const sets = p.networkSets?.map(
    (x) => `${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name} (${x.nets.join(',') || 'no nets'})`,
  )
  if (sets?.length) extra.push(`network sets ${sets.join(', ')}`)
  const tail = extra.length > 0 ? `; ${extra.join('; ')}` : ''
  let line: string
  if (self) {
    line =
      terms.length > 0 || p.namespaceSelector
        ? `${p.scope} matching ${[...terms, ...(p.namespaceSelector ? [`namespaceSelector ${p.namespaceSelector}`] : [])].join(' and ')}`
        : p.scope
    if (p.endpoints) line += ` (${listText(p.endpoints)})`
  } else if (p.anyEndpoint) {
    line = p.nets ? 'any address in the nets' : 'any endpoint or address'
  } else {
    line = `${terms.length > 0 ? terms.join(' and ') : 'every endpoint'} in ${p.scope}: ${listText(p.endpoints!)}`
  }
  const out = [line + tail]
  for (const e of p.errors ?? []) out.push(`error: ${e}`)
  for (const e of p.explanation ?? []) out.push(`why: ${e}`)
  return out
}

function ruleLines(r: RuleDescription, direction: 'ingress' | 'egress', indent: string): string {
  let out = `${indent}${r.index}) ${ruleHead(r)}\n`
  const sub = indent + '   '
  const selfIsDest = direction === 'ingress'
  const from = peerLines(r.source, !selfIsDest)
  const to = peerLines(r.destination, selfIsDest)
  out +=
    `${sub}from: ${from[0]}\n` +
    from
      .slice(1)
      .map((l) => `${sub}      ${l}\n`)
      .join('')
  out +=
    `${sub}to:   ${to[0]}\n` +
    to
      .slice(1)
      .map((l) => `${sub}      ${l}\n`)
      .join('')
  if (r.matchesEndpoint === false)
    out +=
      `${sub}note: this endpoint does not match the rule's ${selfIsDest ? 'destination' : 'source'}, ` +
      `so the rule never matches its traffic\n`
  if (r.annotations) out += `${sub}annotations: ${labelLines(r.annotations).join(', ')}\n`
  return out
}

/** Text for a policy; values from the cluster are shown with control characters escaped (see printers/escape). */
export function renderPolicy(description: PolicyDescription): string {
  const d = escapeStrings(description)
  const p = d.policy
  let out = field('Name', p.name)
  if (p.namespace !== undefined) out += field('Namespace', p.namespace)
  out += field('Kind', `${p.kind}${p.staged ? ` (staged, stagedAction ${p.staged}: enforces nothing)` : ''}`)
  if (p.kubernetesPolicy)
    out += field(
      'Converted',
      `from ${p.staged ? 'stagedkubernetesnetworkpolicies.projectcalico.org' : 'networkpolicies.networking.k8s.io'}/${p.kubernetesPolicy}`,
    )
  out += field('Tier', tierText(d.tier))
  out += field('Order', p.order === null ? 'none (after the ordered policies of its tier)' : orderText(p.order))
  out += field('Selector', p.selector || 'all() (empty)')
  if (p.namespaceSelector) out += field('NS selector', p.namespaceSelector)
  if (p.serviceAccountSelector) out += field('SA selector', p.serviceAccountSelector)
  out += field('Types', `${p.types.join(', ')}${p.typesDefaulted ? ' (defaulted: types not set)' : ''}`)
  const ifaces = Object.entries(d.appliesTo.byInterface)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')
  if (d.appliesTo.count === 0) {
    out += field('Applies to', 'no endpoint')
    for (const line of d.explanation) out += `  Why: ${line}\n`
  } else {
    out += field(
      'Applies to',
      `${d.appliesTo.count} endpoint${d.appliesTo.count === 1 ? '' : 's'} (by interface: ${ifaces})`,
    )
    for (const e of d.appliesTo.endpoints) out += `  ${endpointName(e)}\n`
    if (d.appliesTo.truncated)
      out += `  ... (${d.appliesTo.count - d.appliesTo.endpoints.length} more; --limit 0 lists all)\n`
  }
  if (d.outsideNamespace) {
    const o = d.outsideNamespace
    out += field(
      'Not selected',
      `${o.count} endpoint${o.count === 1 ? '' : 's'} in other namespaces ${o.count === 1 ? 'matches' : 'match'} ` +
        `the selector, but a NetworkPolicy applies only to endpoints in its own namespace ` +
        `(${p.namespace}):`,
    )
    for (const e of o.endpoints) out += `  ${endpointName(e)}\n`
    if (o.truncated) out += `  ... (${o.count - o.endpoints.length} more)\n`
  }
  for (const [title, rules, dir] of [
    ['Ingress rules', d.ingress, 'ingress'],
    ['Egress rules', d.egress, 'egress'],
  ] as const) {
    if (rules.length === 0) {
      out += field(title, '<none>')
      continue
    }
    out += `${title}:\n`
    for (const r of rules) out += ruleLines(r, dir, '  ')
  }
  for (const n of d.notes) out += `Note: ${n}\n`
  return out
}

function directionText(title: string, d: DirectionEvaluation, dir: 'ingress' | 'egress'): string {
  let out = `${title}:\n`
  out += `  ${d.summary}\n`
  let n = 0
  for (const t of d.tiers) {
    out += `  Tier ${tierText(t.tier)}:\n`
    for (const p of t.policies) {
      n++
      const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name
      out += `    ${n}. ${p.kind} ${name} (order ${orderText(p.order)}; selector ${p.selector || 'all()'})\n`
      if (p.rules.length === 0) out += `       no ${dir} rules: matches no traffic\n`
      for (const r of p.rules) out += ruleLines(r, dir, '       ')
    }
    out += `    End of tier ${t.tier.name}: ${t.endOfTier === 'Deny' ? 'Deny (traffic no policy above allowed or passed is dropped)' : 'Pass (traffic goes on to the next tier, then the profiles)'}\n`
  }
  out += `  Profiles${d.tiers.length > 0 ? ' (reached only by traffic passed out of the last tier)' : ''}:\n`
  for (const p of d.profiles)
    out += `    ${p.name}: ${p.action === 'Allow' ? `Allow all ${dir} traffic` : 'no rules'}\n`
  return out + stagedText(d, dir)
}

/** Staged policies: listed apart, never counted; what they would do once enforced. */
function stagedText(d: DirectionEvaluation, dir: 'ingress' | 'egress'): string {
  if (d.staged.length === 0) return ''
  let out = `  Staged (not enforced; what each would do once enforced):\n`
  for (const [i, p] of d.staged.entries()) {
    const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name
    out +=
      `    S${i + 1}. ${p.kind} ${name} (stagedAction ${p.staged}; tier ${p.tier}; order ` +
      `${orderText(p.order)}; selector ${p.selector || 'all()'})\n`
    if (p.staged === 'Delete') out += `       would delete the enforced policy of this name\n`
    else if (p.rules.length === 0)
      out +=
        `       no ${dir} rules: once enforced, this endpoint's ${dir} traffic would be decided ` +
        `at the end of tier ${p.tier}\n`
    for (const r of p.rules) out += ruleLines(r, dir, '       ')
  }
  return out
}

export function renderEndpoints(list: WorkloadEndpointDescriptionList): string {
  return list.items.map(renderEndpoint).join('\n')
}

/** Text for an endpoint; values from the cluster are shown with control characters escaped (see printers/escape). */
export function renderEndpoint(description: EndpointDescription): string {
  const d = escapeStrings(description)
  const e = d.endpoint
  let out = field('Name', e.name)
  out += field('Namespace', e.namespace)
  out += field('Pod', e.pod)
  out += field('Node', e.node)
  out += field('Interface', `${e.interface} (host side ${e.hostInterface})`)
  if (e.network)
    out += field('Network', `${e.network}${e.networkNamespace ? ` (namespace ${e.networkNamespace})` : ''}`)
  out += field('IP networks', e.ipNetworks.join(', ') || '<none>')
  if (e.serviceAccount) out += field('Service acct', e.serviceAccount)
  out += field('Profiles', e.profiles.join(', ') || '<none>')
  out += block('Labels', labelLines(d.labels))
  const inherited = d.inheritedLabels.flatMap((p) =>
    labelLines(p.labels).map((l, i) =>
      i === 0 ? `${l}  (from ${p.name}${p.known ? '' : '; its own labels unknown'})` : l,
    ),
  )
  out += block('Inherited', inherited)
  out += '\n' + directionText('Ingress (in the order Calico evaluates it)', d.ingress, 'ingress')
  out += '\n' + directionText('Egress (in the order Calico evaluates it)', d.egress, 'egress')
  const elsewhere = d.notAppliedFromOtherNamespaces
  if (elsewhere.count > 0) {
    out +=
      `\nNot applied: ${elsewhere.count === 1 ? 'this NetworkPolicy' : `these ${elsewhere.count} NetworkPolicies`} ` +
      `in other namespaces ${elsewhere.count === 1 ? 'has a selector that matches' : 'have selectors that match'} ` +
      `this endpoint, but a NetworkPolicy applies only to endpoints in its own namespace:\n`
    for (const p of elsewhere.policies) out += `  ${p.namespace}/${p.name} (selector ${p.selector})\n`
    if (elsewhere.truncated) out += `  ... (${elsewhere.count - elsewhere.policies.length} more; --limit 0 lists all)\n`
  }
  return out
}
