/**
 * Credentials must never reach output, errors or debug logs: bearer tokens, basic auth, PEM keys, passwords in
 * URLs and kubeconfig secret fields are masked wherever text leaves the process, whatever their source (kubeconfig,
 * token file, exec plugin).
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[^\s"']+/gi, '$1[REDACTED]'],
  [/(Basic\s+)[A-Za-z0-9+/=]+/gi, '$1[REDACTED]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [
    /((?:token|password|client-key-data|client-certificate-data|access-token|id-token|refresh-token|secret)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
    '$1[REDACTED]',
  ],
  // userinfo in a URL: https://admin:secret@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, '$1[REDACTED]@'],
]

const secrets = new Set<string>()

/** Registers a secret value (e.g. a token read from the kubeconfig) so it is masked even in unexpected places. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value)
}

/** A PEM key: the whole text and each base64 line, so that an echoed fragment is masked too. */
export function registerPem(pem: Buffer | undefined): void {
  if (!pem) return
  const text = pem.toString('utf8')
  registerSecret(text.trim())
  for (const line of text.split('\n'))
    if (!line.startsWith('-----') && line.trim().length >= 16) registerSecret(line.trim())
}

export function redact(text: string): string {
  let out = text
  // Longest first, so that a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[REDACTED]')
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement)
  return out
}
