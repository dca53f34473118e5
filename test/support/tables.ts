// Server-side printing: meta.k8s.io/v1 Table column definitions and cells, after
// pkg/printers/internalversion (built-ins), the CRD table convertor and rest.DefaultTableConvertor.

import type {ResourceInfo} from './resources.js'

export interface ColumnDefinition {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

export interface Row {
  cells: unknown[]
  conditions?: Array<Record<string, string>>
}

const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'
const CREATED_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

const c = (name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
})
const NAME = c('Name', 'string', NAME_DESC, 0, 'name')
const AGE = c('Age', 'string', CREATED_DESC)

const COLUMNS: Record<string, ColumnDefinition[]> = {
  pods: [
    NAME,
    c('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    c('Status', 'string', 'The aggregate status of the containers in this pod.'),
    c(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE,
    c(
      'IP',
      'string',
      'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      1,
    ),
    c(
      'Node',
      'string',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
      1,
    ),
    c(
      'Nominated Node',
      'string',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
      1,
    ),
    c(
      'Readiness Gates',
      'string',
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      1,
    ),
  ],
  nodes: [
    NAME,
    c('Status', 'string', 'The status of the node'),
    c('Roles', 'string', 'The roles of the node'),
    AGE,
    c('Version', 'string', 'Kubelet Version reported by the node.'),
    c(
      'Internal-IP',
      'string',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    c(
      'External-IP',
      'string',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    c(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    c(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    c(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  events: [
    c('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    c('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    c(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    c('Object', 'string', 'The object that this event is about.'),
    c(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
      1,
    ),
    c('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    c('Message', 'string', 'A human-readable description of the status of this operation.'),
    c(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      1,
    ),
    c('Count', 'string', 'The number of times this event has occurred.', 1),
    c('Name', 'string', NAME_DESC, 1, 'name'),
  ],
  namespaces: [NAME, c('Status', 'string', 'The status of the namespace'), AGE],
  configmaps: [NAME, c('Data', 'string', 'Data contains the configuration data.'), AGE],
  serviceaccounts: [
    NAME,
    c(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    AGE,
  ],
  networkpolicies: [
    NAME,
    c(
      'Pod-Selector',
      'string',
      'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.',
    ),
    AGE,
  ],
  default: [NAME, c('Created At', 'date', CREATED_DESC)],
}

/** duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.trunc(ms / 60000)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 180) return `${minutes}m`
  const hours = Math.trunc(ms / 3600000)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** translateTimestampSince. */
export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}

export function columnsFor(ri: ResourceInfo): ColumnDefinition[] {
  if (ri.table !== 'cr') return COLUMNS[ri.table] ?? COLUMNS.default!
  return [
    NAME,
    ...ri.printerColumns.map((p) =>
      c(
        p.name,
        p.type,
        p.description || `Custom resource definition column (in JSONPath format): ${p.jsonPath}`,
        p.priority ?? 0,
        p.format ?? '',
      ),
    ),
  ]
}

export function rowFor(ri: ResourceInfo, obj: any, now = Date.now()): Row {
  const meta = obj.metadata ?? {}
  switch (ri.table) {
    case 'pods':
      return podRow(obj, now)
    case 'nodes':
      return {cells: nodeCells(obj, now)}
    case 'namespaces':
      return {cells: [meta.name, obj.status?.phase ?? '', age(meta.creationTimestamp, now)]}
    case 'configmaps':
      return {
        cells: [
          meta.name,
          Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length,
          age(meta.creationTimestamp, now),
        ],
      }
    case 'serviceaccounts':
      return {cells: [meta.name, (obj.secrets ?? []).length, age(meta.creationTimestamp, now)]}
    case 'events':
      return {cells: eventCells(obj, now)}
    case 'networkpolicies':
      return {cells: [meta.name, formatLabelSelector(obj.spec?.podSelector), age(meta.creationTimestamp, now)]}
    case 'cr':
      return {cells: [meta.name, ...ri.printerColumns.map((p) => crCell(p.type, obj, p.jsonPath, now))]}
    default:
      return {cells: [meta.name, meta.creationTimestamp ?? '0001-01-01T00:00:00Z']}
  }
}

// ---- pods (printPod) ----

function podRow(pod: any, now: number): Row {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const containers: any[] = spec.containers ?? []
  const initContainers: any[] = spec.initContainers ?? []
  let restarts = 0
  let restartableInitRestarts = 0
  let totalContainers = containers.length
  let readyContainers = 0
  let lastRestart = 0
  let lastRestartableInitRestart = 0
  const phase: string = status.phase ?? ''
  let reason: string = status.reason || phase
  for (const cond of status.conditions ?? []) {
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated'
  }
  const row: Row = {cells: []}
  if (phase === 'Succeeded')
    row.conditions = [
      {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
    ]
  if (phase === 'Failed')
    row.conditions = [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]

  const restartable = new Set(initContainers.filter((ic) => ic.restartPolicy === 'Always').map((ic) => ic.name))
  totalContainers += restartable.size
  const finishedAt = (cs: any) => Date.parse(cs.lastState?.terminated?.finishedAt ?? '') || 0

  let initializing = false
  const initStatuses: any[] = status.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]
    restarts += cs.restartCount ?? 0
    lastRestart = Math.max(lastRestart, finishedAt(cs))
    if (restartable.has(cs.name)) {
      restartableInitRestarts += cs.restartCount ?? 0
      lastRestartableInitRestart = Math.max(lastRestartableInitRestart, finishedAt(cs))
    }
    const st = cs.state ?? {}
    if (st.terminated && (st.terminated.exitCode ?? 0) === 0) continue
    if (restartable.has(cs.name) && cs.started) {
      if (cs.ready) readyContainers++
      continue
    }
    if (st.terminated) {
      reason = st.terminated.reason
        ? `Init:${st.terminated.reason}`
        : st.terminated.signal
          ? `Init:Signal:${st.terminated.signal}`
          : `Init:ExitCode:${st.terminated.exitCode ?? 0}`
    } else if (st.waiting?.reason && st.waiting.reason !== 'PodInitializing') {
      reason = `Init:${st.waiting.reason}`
    } else {
      reason = `Init:${i}/${initContainers.length}`
    }
    initializing = true
    break
  }
  const initializedTrue = (status.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True')
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts
    lastRestart = lastRestartableInitRestart
    let hasRunning = false
    const statuses: any[] = status.containerStatuses ?? []
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]
      const st = cs.state ?? {}
      restarts += cs.restartCount ?? 0
      lastRestart = Math.max(lastRestart, finishedAt(cs))
      if (st.waiting?.reason) reason = st.waiting.reason
      else if (st.terminated?.reason) reason = st.terminated.reason
      else if (st.terminated)
        reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`
      else if (cs.ready && st.running) {
        hasRunning = true
        readyContainers++
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
      reason = ready ? 'Running' : 'NotReady'
    }
  }
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown'
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating'

  let restartsStr = String(restarts)
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`

  const podIP = (status.podIPs ?? [])[0]?.ip || '<none>'
  let readinessGates = '<none>'
  const gates: any[] = spec.readinessGates ?? []
  if (gates.length) {
    let trueCount = 0
    for (const g of gates) {
      const cond = (status.conditions ?? []).find((c: any) => c.type === g.conditionType)
      if (cond?.status === 'True') trueCount++
    }
    readinessGates = `${trueCount}/${gates.length}`
  }
  row.cells = [
    pod.metadata?.name,
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsStr,
    age(pod.metadata?.creationTimestamp, now),
    podIP,
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ]
  return row
}

// ---- nodes (printNode) ----

function nodeCells(node: any, now: number): unknown[] {
  const status: string[] = []
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready')
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady')
  if (!status.length) status.push('Unknown')
  if (node.spec?.unschedulable) status.push('SchedulingDisabled')
  const roles = new Set<string>()
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length)
      if (r) roles.add(r)
    } else if (k === 'kubernetes.io/role' && v) roles.add(v)
  }
  const addr = (t: string) => (node.status?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>'
  const info = node.status?.nodeInfo ?? {}
  return [
    node.metadata?.name,
    status.join(','),
    [...roles].sort().join(',') || '<none>',
    age(node.metadata?.creationTimestamp, now),
    info.kubeletVersion ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ]
}

// ---- custom resources (apiextensions tableconvertor) ----

function crCell(type: string, obj: any, path: string, now: number): unknown {
  const found = evalJsonPath(obj, path)
  if (!found.length || found[0] === undefined || found[0] === null) return null
  const v = found[0]
  switch (type) {
    case 'string':
      return typeof v === 'object' ? JSON.stringify(v) : String(v)
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null
    case 'number':
      return typeof v === 'number' ? v : null
    case 'boolean':
      return typeof v === 'boolean' ? v : null
    case 'date':
      if (typeof v !== 'string') return null
      return Number.isNaN(Date.parse(v)) ? '<invalid>' : age(v, now)
    default:
      return null
  }
}

/** The JSONPath subset printer columns use: .a.b, [n], ['k'], [?(@.k=='v')]. */
export function evalJsonPath(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj]
  const re =
    /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*['"]([^'"]*)['"]\)\]|\[\*\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(path))) {
    const next: unknown[] = []
    for (const v of cur) {
      if (v === null || typeof v !== 'object') continue
      const o = v as any
      if (m[1] !== undefined) {
        if (m[1] in o) next.push(o[m[1]])
      } else if (m[2] !== undefined) {
        if (Array.isArray(o) && +m[2] < o.length) next.push(o[+m[2]])
      } else if (m[3] !== undefined) {
        if (m[3] in o) next.push(o[m[3]])
      } else if (m[4] !== undefined) {
        if (Array.isArray(o)) {
          for (const item of o) {
            const val = m[4]
              .split('.')
              .reduce<any>((acc, k) => (acc && typeof acc === 'object' ? acc[k] : undefined), item)
            if (val !== undefined && String(val) === m[5]) next.push(item)
          }
        }
      } else if (Array.isArray(o)) {
        next.push(...o)
      }
    }
    cur = next
  }
  return cur
}

/** metav1.FormatLabelSelector: requirements sorted by key, "<none>" when empty. */
export function formatLabelSelector(sel: any): string {
  if (!sel || typeof sel !== 'object') return '<none>'
  const reqs: Array<[string, string]> = []
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`])
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',')
    const s =
      e.operator === 'In'
        ? `${e.key} in (${vals})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${vals})`
          : e.operator === 'Exists'
            ? e.key
            : `!${e.key}`
    reqs.push([e.key, s])
  }
  reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return reqs.map((r) => r[1]).join(',') || '<none>'
}

// ---- events (printEvent) ----

function eventCells(ev: any, now: number): unknown[] {
  const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now)
  let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first
  let count = ev.count ?? 0
  if (ev.series) {
    last = age(ev.series.lastObservedTime, now)
    count = ev.series.count ?? 0
  } else if (!count) count = 1
  const io = ev.involvedObject ?? {}
  const kind = String(io.kind ?? '').toLowerCase()
  const target = io.name ? `${kind}/${io.name}` : kind
  let source = ev.source?.component ?? ''
  if (source && ev.source?.host) source += `, ${ev.source.host}`
  if (!source)
    source = [ev.reportingController ?? ev.reportingComponent, ev.reportingInstance].filter(Boolean).join(', ')
  return [
    last,
    ev.type ?? '',
    ev.reason ?? '',
    target,
    io.fieldPath ?? '',
    source,
    String(ev.message ?? '').trim(),
    first,
    count,
    ev.metadata?.name,
  ]
}
