// Deterministic synthetic clusters: namespaces, nodes, service accounts, Calico NADs and
// Deployment-style pods with Multus annotations, shaped like what a real cluster returns.

import {rfc3339} from './serialize.js'
import {prng} from './prng.js'

export interface GenerateOptions {
  pods?: number | undefined
  namespaces?: number | undefined
  nodes?: number | undefined
  /** Additional (Multus) networks per pod; each namespace gets that many NADs (default 1). */
  networksPerPod?: number | undefined
  /** Write a k8s.v1.cni.cncf.io/network-status annotation as Multus does (default true). */
  withNetworkStatus?: boolean | undefined
  /** PRNG seed (default 1): the same options give the same cluster. */
  seed?: number | undefined
  /** Reference time for creation timestamps (default now). */
  now?: Date | undefined
}

export interface GeneratedCluster {
  namespaces: object[]
  nodes: object[]
  serviceAccounts: object[]
  networkAttachmentDefinitions: object[]
  pods: object[]
  /** Everything, namespaces first, ready for startApiServer({objects}) or server.load(). */
  objects: object[]
}

const APPS = ['web', 'api', 'worker', 'cache', 'db-proxy', 'frontend', 'billing', 'search']
const TIERS = ['frontend', 'backend', 'data']

/** arr[i] for an index known to be in range. */
const at = <T>(arr: readonly T[], i: number): T => arr[i % arr.length]!

const rng = (seed: number): (() => number) => prng(seed >>> 0 || 1)

export function generateCluster(o: GenerateOptions = {}): GeneratedCluster {
  const podCount = o.pods ?? 100
  const nsCount = Math.max(1, o.namespaces ?? 10)
  const nodeCount = Math.max(1, o.nodes ?? 5)
  const nets = Math.max(0, o.networksPerPod ?? 1)
  const withStatus = o.withNetworkStatus ?? true
  const now = (o.now ?? new Date()).getTime()
  const rand = rng(o.seed ?? 1)
  const hex = (n: number) => Array.from({length: n}, () => Math.floor(rand() * 16).toString(16)).join('')
  const uid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'.charAt(Math.floor(rand() * 4))}${hex(3)}-${hex(12)}`
  const alnum = 'bcdfghjklmnpqrstvwxz2456789'
  const suffix = (n: number) => Array.from({length: n}, () => alnum.charAt(Math.floor(rand() * alnum.length))).join('')
  const mac = () => ['0a', ...Array.from({length: 5}, () => hex(2))].join(':')
  const ago = (maxDays: number) => rfc3339(new Date(now - Math.floor(rand() * maxDays * 86400_000) - 60_000))
  const clusterCreated = rfc3339(new Date(now - 40 * 86400_000))

  const namespaces = Array.from({length: nsCount}, (_, i) => {
    const name = `team-${String(i + 1).padStart(2, '0')}`
    return {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        uid: uid(),
        creationTimestamp: clusterCreated,
        labels: {'kubernetes.io/metadata.name': name, team: name},
      },
      spec: {finalizers: ['kubernetes']},
      status: {phase: 'Active'},
    }
  })

  const nodes = Array.from({length: nodeCount}, (_, i) => {
    const name = `node-${String(i + 1).padStart(3, '0')}`
    const ip = `172.18.${Math.floor(i / 250)}.${(i % 250) + 2}`
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        uid: uid(),
        creationTimestamp: clusterCreated,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(i === 0 ? {'node-role.kubernetes.io/control-plane': ''} : {}),
        },
        annotations: {
          'projectcalico.org/IPv4Address': `${ip}/16`,
          'projectcalico.org/IPv4VXLANTunnelAddr': `10.244.${i}.0`,
        },
      },
      spec: {podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`]},
      status: {
        addresses: [
          {address: ip, type: 'InternalIP'},
          {address: name, type: 'Hostname'},
        ],
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: rfc3339(new Date(now)),
            lastTransitionTime: clusterCreated,
          },
        ],
        nodeInfo: {
          architecture: 'amd64',
          containerRuntimeVersion: 'containerd://1.7.24',
          kernelVersion: '6.1.0-28-amd64',
          kubeProxyVersion: 'v1.32.4',
          kubeletVersion: 'v1.32.4',
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
        },
      },
    }
  })

  const serviceAccounts: object[] = []
  const nads: object[] = []
  for (const ns of namespaces) {
    const nsName = ns.metadata.name
    for (const sa of ['default', ...APPS.slice(0, 3)]) {
      serviceAccounts.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {name: sa, namespace: nsName, uid: uid(), creationTimestamp: clusterCreated},
      })
    }
    for (let n = 1; n <= nets; n++) {
      const name = `net-${n}`
      const config = {
        cniVersion: '0.3.1',
        name,
        type: 'calico',
        log_level: 'info',
        datastore_type: 'kubernetes',
        mtu: 1410,
        ipam: {type: 'calico-ipam', assign_ipv4: 'true', assign_ipv6: 'false', ipv4_pools: [`net-${n}-pool`]},
        policy: {type: 'k8s'},
        kubernetes: {kubeconfig: '/etc/cni/net.d/calico-kubeconfig'},
      }
      nads.push({
        apiVersion: 'k8s.cni.cncf.io/v1',
        kind: 'NetworkAttachmentDefinition',
        metadata: {name, namespace: nsName, uid: uid(), creationTimestamp: clusterCreated},
        spec: {config: JSON.stringify(config)},
      })
    }
  }

  const pods: object[] = []
  for (let i = 0; i < podCount; i++) {
    const ns = at(namespaces, i).metadata.name
    const app = at(APPS, Math.floor(rand() * APPS.length))
    const hash = suffix(10)
    const rs = `${app}-${hash}`
    const name = `${rs}-${suffix(5)}`
    const node = at(nodes, Math.floor(rand() * nodeCount))
    const nodeIdx = nodes.indexOf(node)
    const podIP = `10.244.${nodeIdx}.${(i % 250) + 2}`
    const created = ago(30)
    const started = created
    const networks = Array.from({length: nets}, (_, n) => `net-${n + 1}`)
    const annotations: Record<string, string> = {
      'cni.projectcalico.org/containerID': hex(64),
      'cni.projectcalico.org/podIP': `${podIP}/32`,
      'cni.projectcalico.org/podIPs': `${podIP}/32`,
    }
    if (networks.length) {
      // both forms Multus accepts: short "ns/name@if" and the JSON list
      annotations['k8s.v1.cni.cncf.io/networks'] =
        i % 2 === 0
          ? networks.map((n) => `${ns}/${n}`).join(',')
          : JSON.stringify(networks.map((n, k) => ({name: n, namespace: ns, interface: `net${k + 1}`})))
    }
    if (withStatus) {
      const status = [
        {name: 'k8s-pod-network', interface: 'eth0', ips: [podIP], mac: mac(), default: true, dns: {}},
        ...networks.map((n, k) => ({
          name: `${ns}/${n}`,
          interface: `net${k + 1}`,
          ips: [`192.168.${100 + k}.${(i % 250) + 2}`],
          mac: mac(),
          dns: {},
        })),
      ]
      annotations['k8s.v1.cni.cncf.io/network-status'] = JSON.stringify(status, null, 4)
    }
    const tier = at(TIERS, APPS.indexOf(app))
    const sa = APPS.slice(0, 3).includes(app) ? app : 'default'
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${rs}-`,
        namespace: ns,
        uid: uid(),
        creationTimestamp: created,
        labels: {app, 'pod-template-hash': hash, tier, version: 'v1'},
        annotations,
        ownerReferences: [
          {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(), controller: true, blockOwnerDeletion: true},
        ],
      },
      spec: {
        containers: [
          {
            name: app,
            image: `registry.example.com/${app}:1.${i % 7}.0`,
            ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}],
            resources: {requests: {cpu: '100m', memory: '128Mi'}},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            imagePullPolicy: 'IfNotPresent',
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: sa,
        serviceAccount: sa,
        nodeName: node.metadata.name,
        securityContext: {},
        schedulerName: 'default-scheduler',
        tolerations: [
          {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
          {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
        ],
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      status: {
        phase: 'Running',
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
          (type) => ({
            type,
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: started,
          }),
        ),
        hostIP: at(node.status.addresses, 0).address,
        hostIPs: [{ip: at(node.status.addresses, 0).address}],
        podIP,
        podIPs: [{ip: podIP}],
        startTime: started,
        containerStatuses: [
          {
            name: app,
            state: {running: {startedAt: started}},
            lastState: {},
            ready: true,
            restartCount: 0,
            image: `registry.example.com/${app}:1.${i % 7}.0`,
            imageID: `registry.example.com/${app}@sha256:${hex(64)}`,
            containerID: `containerd://${hex(64)}`,
            started: true,
          },
        ],
        qosClass: 'Burstable',
      },
    })
  }

  return {
    namespaces,
    nodes,
    serviceAccounts,
    networkAttachmentDefinitions: nads,
    pods,
    objects: [...namespaces, ...nodes, ...serviceAccounts, ...nads, ...pods],
  }
}
