/**
 * Credentials must never reach output, errors or debug logs: bearer tokens, basic auth, PEM keys and
 * kubeconfig secret fields are masked wherever text leaves the process.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[^\s"']+/gi, '$1[REDACTED]'],
  [/(Basic\s+)[A-Za-z0-9+/=]+/gi, '$1[REDACTED]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [/((?:token|password|client-key-data|client-certificate-data|access-token|id-token|refresh-token|secret)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[REDACTED]'],
]

const secrets = new Set<string>()

/** Registers a secret value (e.g. a token read from the kubeconfig) so it is masked even in unexpected places. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value)
}

export function redact(text: string): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join('[REDACTED]')
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement)
  return out
}
