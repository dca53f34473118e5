import {currentInvocation} from '../core/streams.js'
import {spawn} from 'node:child_process'
import {ClusterError} from '../core/errors.js'
import type {ExecConfig} from './kubeconfig.js'

export interface Credential {
  token?: string
  clientCert?: Buffer
  clientKey?: Buffer
  expiresAt?: number
}

/** Runs a kubeconfig exec credential plugin (client.authentication.k8s.io ExecCredential), as kubectl does. */
export async function execCredential(exec: ExecConfig, server: string): Promise<Credential> {
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1'
  const env = {...currentInvocation().env}
  for (const {name, value} of exec.env ?? []) env[name] = value
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion,
    kind: 'ExecCredential',
    spec: {interactive: false, cluster: {server}},
  })
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(exec.command, exec.args ?? [], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', (e) =>
      reject(
        new ClusterError(
          `cannot run the kubeconfig exec plugin "${exec.command}": ${(e as NodeJS.ErrnoException).code ?? e.message}`,
          'install it or fix users[].user.exec.command in the kubeconfig',
        ),
      ),
    )
    child.on('close', (code) => {
      // The plugin's own stderr may echo secrets; report only its exit status.
      if (code !== 0)
        reject(
          new ClusterError(
            `the kubeconfig exec plugin "${exec.command}" failed with exit code ${code}`,
            err ? 'run it by hand to see its message' : undefined,
          ),
        )
      else resolve(out)
    })
  })
  const parsed = parseExecCredential(exec.command, output)
  // client-go refuses a credential of another version than it asked for (exec.go refreshCredsLocked).
  if (parsed.apiVersion !== apiVersion)
    throw new ClusterError(
      `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${parsed.apiVersion ?? ''}`,
      `make "${exec.command}" print an ExecCredential of ${apiVersion}, or change users[].user.exec.apiVersion`,
    )
  const s = parsed.status ?? {}
  if (!s.token && !(s.clientCertificateData && s.clientKeyData))
    throw new ClusterError(`the kubeconfig exec plugin "${exec.command}" returned no token and no client certificate`)
  return {
    token: s.token,
    clientCert: s.clientCertificateData ? Buffer.from(s.clientCertificateData) : undefined,
    clientKey: s.clientKeyData ? Buffer.from(s.clientKeyData) : undefined,
    expiresAt: s.expirationTimestamp ? Date.parse(s.expirationTimestamp) : undefined,
  }
}

interface ExecCredentialJson {
  apiVersion?: string
  status?: {token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string}
}

function parseExecCredential(command: string, output: string): ExecCredentialJson {
  let parsed: unknown
  try {
    parsed = JSON.parse(output)
  } catch {
    parsed = undefined
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ClusterError(`the kubeconfig exec plugin "${command}" did not print an ExecCredential JSON object`)
  return parsed as ExecCredentialJson
}
