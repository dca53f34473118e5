import {readFileSync} from 'node:fs'

let version: string | undefined

/**
 * xctl's version, read once from its package.json: the compiled modules (dist/src/ROOM/), the bundle
 * (dist/src/bundle/) and the sources run by tsx (src/ROOM/) sit two or three levels below it.
 */
export function clientVersion(): string {
  if (version !== undefined) return version
  version = '0.0.0'
  for (const up of ['../../', '../../../']) {
    try {
      const pjson = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8'))
      if (pjson.name === 'xctl' && typeof pjson.version === 'string') {
        version = pjson.version
        break
      }
    } catch {}
  }
  return version!
}

/** Go's names for Node's architectures, so the User-Agent reads like client-go's (`kubectl/v1.32.4 (linux/amd64)`). */
const GO_ARCH: Record<string, string> = {x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64'}

/** The User-Agent sent to the API server; its first segment also names the field manager of writes. */
export function userAgent(): string {
  return `xctl/v${clientVersion()} (${process.platform}/${GO_ARCH[process.arch] ?? process.arch})`
}
