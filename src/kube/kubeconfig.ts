import {currentInvocation} from '../core/streams.js'
import {readFileSync, existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, resolve} from 'node:path'
import {ClusterError} from '../core/errors.js'
import {registerPem, registerSecret} from '../core/redact.js'
import {DecodeError, decodeYaml} from '../core/goyaml.js'

export interface KubeconfigOptions {
  /** `--kubeconfig`: one file, used alone (as kubectl does). */
  kubeconfig?: string
  /** `--context`: must name a context of the merged config. */
  context?: string
  env?: NodeJS.ProcessEnv
}

export interface ExecConfig {
  command: string
  args?: string[]
  env?: Array<{name: string; value: string}>
  apiVersion?: string
  interactiveMode?: string
}

/** Everything needed to open a connection, resolved from the kubeconfig (paths already made absolute). */
export interface ConnectionConfig {
  server: string
  contextName: string
  namespace: string
  /** Namespace set explicitly by the context (as opposed to the `default` fallback). */
  contextNamespace?: string
  ca?: Buffer
  insecureSkipTLSVerify: boolean
  tlsServerName?: string
  token?: string
  tokenFile?: string
  clientCert?: Buffer
  clientKey?: Buffer
  username?: string
  password?: string
  exec?: ExecConfig
  authProvider?: {name: string; config?: Record<string, string>}
  /** Where the settings came from, for error messages. */
  sources: string[]
  /** The raw merged kubeconfig, for the rare auth mechanisms delegated to client-node. */
  raw: RawKubeconfig
}

interface Named<T> {
  name: string
  [key: string]: unknown
  cluster?: T
  user?: T
  context?: T
}

export interface RawKubeconfig {
  clusters: Array<Named<Record<string, unknown>>>
  users: Array<Named<Record<string, unknown>>>
  contexts: Array<Named<Record<string, unknown>>>
  'current-context'?: string
}

interface LoadedFile {
  path: string
  config: RawKubeconfig
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'
const IN_CLUSTER_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'
const IN_CLUSTER_NS = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'

/** The kubeconfig files kubectl would read, in merge order. */
export function kubeconfigPaths(opts: KubeconfigOptions): {paths: string[]; explicit: boolean} {
  const env = opts.env ?? currentInvocation().env
  if (opts.kubeconfig) return {paths: [resolve(opts.kubeconfig)], explicit: true}
  if (env.KUBECONFIG) {
    const paths = env.KUBECONFIG.split(delimiter)
      .filter(Boolean)
      .map((p) => resolve(p))
    return {paths, explicit: false}
  }
  // HOME first, as os.homedir() and client-go's homedir.HomeDir() do (the run's environment, not the process's).
  return {paths: [resolve(env.HOME || homedir(), '.kube', 'config')], explicit: false}
}

function readKubeconfigFile(path: string): RawKubeconfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES')
      throw new ClusterError(
        `cannot read kubeconfig ${path}: permission denied`,
        'make the file readable by this user (chmod 600 and check its owner)',
      )
    throw new ClusterError(`cannot read kubeconfig ${path}: ${(error as Error).message}`)
  }
  let doc: unknown
  try {
    doc = text.trim() === '' ? {} : parseKubeconfigYaml(text)
  } catch (error) {
    throw new ClusterError(`kubeconfig ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (doc === null || doc === undefined) doc = {}
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ClusterError(
      `kubeconfig ${path} is not a kubeconfig (expected a mapping with clusters, users and contexts)`,
    )
  const d = doc as Record<string, unknown>
  const list = (key: string) =>
    Array.isArray(d[key])
      ? (d[key] as Array<Named<Record<string, unknown>>>).filter((x) => x && typeof x.name === 'string')
      : []
  const base = dirname(path)
  const clusters = list('clusters').map((c) => ({
    ...c,
    cluster: absolutize(c.cluster, ['certificate-authority'], base),
  }))
  const users = list('users').map((u) => ({
    ...u,
    user: absolutize(u.user, ['client-certificate', 'client-key', 'tokenFile'], base),
  }))
  return {
    clusters,
    users,
    contexts: list('contexts'),
    'current-context': typeof d['current-context'] === 'string' ? d['current-context'] : undefined,
  }
}

/** client-go reads kubeconfigs with sigs.k8s.io/yaml (go-yaml v2), as kubectl reads manifests: the same reader. */
function parseKubeconfigYaml(text: string): unknown {
  try {
    return decodeYaml(text)
  } catch (error) {
    if (error instanceof DecodeError) throw new Error(error.message, {cause: error})
    throw error
  }
}

// kubectl resolves relative file references against the kubeconfig file that holds them.
function absolutize(
  section: Record<string, unknown> | undefined,
  keys: string[],
  base: string,
): Record<string, unknown> {
  const out = {...section}
  for (const key of keys) {
    const value = out[key]
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) out[key] = resolve(base, value)
  }
  const exec = out.exec as ExecConfig | undefined
  if (exec && typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command)) {
    out.exec = {...exec, command: resolve(base, exec.command)}
  }
  return out
}

/** Merge like kubectl: for each named entry and for current-context, the first file that sets it wins. */
export function mergeKubeconfigs(files: LoadedFile[]): RawKubeconfig {
  const merged: RawKubeconfig = {clusters: [], users: [], contexts: []}
  for (const {config} of files) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of config[key]) {
        if (!merged[key].some((e) => e.name === entry.name)) merged[key].push(entry)
      }
    }
    if (!merged['current-context'] && config['current-context']) merged['current-context'] = config['current-context']
  }
  return merged
}

export function loadConnectionConfig(opts: KubeconfigOptions = {}): ConnectionConfig {
  const env = opts.env ?? currentInvocation().env
  const {paths, explicit} = kubeconfigPaths(opts)
  const present = paths.filter((p) => existsSync(p))
  if (explicit && present.length === 0) {
    throw new ClusterError(`kubeconfig ${paths[0]} does not exist`, 'check the path given to --kubeconfig')
  }
  if (present.length === 0) {
    const inCluster = inClusterConfig(env)
    if (inCluster) return inCluster
    const where = env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG} names no existing file` : `${paths[0]} does not exist`
    throw new ClusterError(
      `no kubeconfig found: ${where}`,
      'point KUBECONFIG or --kubeconfig at a kubeconfig file, or use --local -f FILE to ' +
        'read manifests instead of a cluster',
    )
  }
  const raw = mergeKubeconfigs(present.map((path) => ({path, config: readKubeconfigFile(path)})))
  return connectionOf(raw, selectContext(raw, opts.context, present), present)
}

interface SelectedContext {
  contextName: string
  clusterName: string
  ctx: Record<string, string>
  cluster: Record<string, unknown>
  userName?: string
  user: Record<string, unknown>
}

/** The context `--context` or current-context names, and the cluster and user it refers to. */
function selectContext(raw: RawKubeconfig, wanted: string | undefined, present: string[]): SelectedContext {
  const contextName = wanted || raw['current-context']
  const known = raw.contexts.map((c) => c.name)
  if (!contextName) {
    throw new ClusterError(
      `no current context is set in ${present.join(', ')}`,
      known.length
        ? `pass --context with one of: ${known.join(', ')}`
        : 'the kubeconfig has no contexts; add one with kubectl config set-context',
    )
  }
  const context = raw.contexts.find((c) => c.name === contextName)
  if (!context) {
    throw new ClusterError(
      `context "${contextName}" does not exist in the kubeconfig`,
      known.length ? `known contexts: ${known.join(', ')}` : 'the kubeconfig has no contexts',
    )
  }
  const ctx = (context.context ?? {}) as Record<string, string>
  const clusterEntry = raw.clusters.find((c) => c.name === ctx.cluster)
  if (!clusterEntry)
    throw new ClusterError(
      `context "${contextName}" refers to cluster "${ctx.cluster ?? ''}", which is not in the kubeconfig`,
    )
  const userEntry = ctx.user ? raw.users.find((u) => u.name === ctx.user) : undefined
  if (ctx.user && !userEntry)
    throw new ClusterError(`context "${contextName}" refers to user "${ctx.user}", which is not in the kubeconfig`)
  return {
    contextName,
    clusterName: String(ctx.cluster),
    ctx,
    cluster: (clusterEntry.cluster ?? {}) as Record<string, unknown>,
    userName: ctx.user,
    user: (userEntry?.user ?? {}) as Record<string, unknown>,
  }
}

function connectionOf(raw: RawKubeconfig, selected: SelectedContext, present: string[]): ConnectionConfig {
  const {contextName, clusterName, ctx, cluster, user} = selected
  const rawServer = typeof cluster.server === 'string' ? cluster.server : ''
  if (!rawServer) throw new ClusterError(`cluster "${ctx.cluster}" in the kubeconfig has no server address`)
  const {server, username: urlUser, password: urlPassword} = splitUserinfo(rawServer, clusterName)
  refuseInsecureWithCa(cluster, clusterName)
  const exec = checkedExec(user.exec, selected.userName ?? '')

  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
  for (const secret of [user.token, user.password, user['client-key-data']]) registerSecret(str(secret))
  const clientKey = dataOrFile(user['client-key-data'], user['client-key'], 'client-key')
  registerPem(clientKey)
  return {
    server,
    contextName,
    namespace: str(ctx.namespace) ?? 'default',
    contextNamespace: str(ctx.namespace),
    ca: dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority'),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']),
    token: str(user.token),
    tokenFile: str(user.tokenFile),
    clientCert: dataOrFile(user['client-certificate-data'], user['client-certificate'], 'client-certificate'),
    clientKey,
    // Go's HTTP client sends a server URL's userinfo as basic auth when nothing else authenticates.
    username: str(user.username) ?? urlUser,
    password: str(user.password) ?? urlPassword,
    exec,
    authProvider: user['auth-provider'] as ConnectionConfig['authProvider'],
    sources: present,
    raw,
  }
}

/** The ExecCredential versions client-go still speaks (k8s.io/client-go/plugin/pkg/client/auth/exec/exec.go). */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1']

/**
 * An exec plugin's settings, refused where client-go refuses them before running it (same messages as kubectl:
 * k8s.io/client-go/tools/clientcmd/validation.go validateAuthInfo, and exec.go newAuthenticator).
 */
function checkedExec(exec: unknown, userName: string): ExecConfig | undefined {
  if (exec === undefined || exec === null) return undefined
  const e = exec as ExecConfig
  const fix = `fix users[].user.exec of user "${userName}" in the kubeconfig`
  if (!e.apiVersion)
    throw new ClusterError(`apiVersion must be specified for ${userName} to use exec authentication plugin`, fix)
  if (!EXEC_API_VERSIONS.includes(e.apiVersion))
    throw new ClusterError(
      `exec plugin: invalid apiVersion "${e.apiVersion}"`,
      `use one of: ${EXEC_API_VERSIONS.join(', ')}`,
    )
  // v1 made interactiveMode mandatory; v1beta1 defaults it to IfAvailable.
  if (e.apiVersion.endsWith('/v1') && !e.interactiveMode)
    throw new ClusterError(`interactiveMode must be specified for ${userName} to use exec authentication plugin`, fix)
  return e
}

/**
 * `https://admin:secret@host`: the credentials are taken out of the address, so that the address can be printed in
 * messages and --debug logs, and the password is masked wherever it might appear.
 */
function splitUserinfo(raw: string, clusterName: string): {server: string; username?: string; password?: string} {
  let url: URL
  try {
    // client-go takes an address without a scheme (host:port) as https.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`)
  } catch {
    throw new ClusterError(
      `cluster "${clusterName}" in the kubeconfig has a server address that is not a URL`,
      'write it as https://HOST:PORT',
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ClusterError(
      `cluster "${clusterName}" in the kubeconfig has a server address that is not http(s)`,
      'write it as https://HOST:PORT',
    )
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined
  const password = url.password ? decodeURIComponent(url.password) : undefined
  registerSecret(password)
  registerSecret(url.password)
  url.username = ''
  url.password = ''
  return {server: url.toString().replace(/\/+$/, ''), username, password}
}

// client-go refuses this pair (k8s.io/client-go/transport/transport.go); kubectl prints exactly this message.
function refuseInsecureWithCa(cluster: Record<string, unknown>, clusterName: string): void {
  const hasCa = [cluster['certificate-authority-data'], cluster['certificate-authority']].some(
    (v) => typeof v === 'string' && v !== '',
  )
  if (cluster['insecure-skip-tls-verify'] === true && hasCa) {
    throw new ClusterError(
      'specifying a root certificates file with the insecure flag is not allowed',
      `cluster "${clusterName}" in the kubeconfig sets both insecure-skip-tls-verify and ` +
        `a certificate authority; remove one of them`,
    )
  }
}

function dataOrFile(data: unknown, file: unknown, what: string): Buffer | undefined {
  if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64')
  if (typeof file === 'string' && file !== '') {
    try {
      return readFileSync(file)
    } catch (error) {
      throw new ClusterError(
        `cannot read ${what} file ${file} named in the kubeconfig: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      )
    }
  }
  return undefined
}

/** A pod's service account, as kubectl uses it when no kubeconfig exists. */
function inClusterConfig(env: NodeJS.ProcessEnv): ConnectionConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST
  const port = env.KUBERNETES_SERVICE_PORT
  if (!host || !port || !existsSync(IN_CLUSTER_TOKEN)) return undefined
  const namespace = existsSync(IN_CLUSTER_NS) ? readFileSync(IN_CLUSTER_NS, 'utf8').trim() : 'default'
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    contextName: 'in-cluster',
    namespace,
    contextNamespace: namespace,
    ca: existsSync(IN_CLUSTER_CA) ? readFileSync(IN_CLUSTER_CA) : undefined,
    insecureSkipTLSVerify: false,
    tokenFile: IN_CLUSTER_TOKEN,
    sources: ['in-cluster service account'],
    raw: {clusters: [], users: [], contexts: []},
  }
}
