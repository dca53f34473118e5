// Decoding of Kubernetes protobuf request bodies for the few kinds kubectl's typed clients send
// that way (kubectl create namespace / configmap / serviceaccount). Responses stay JSON, which
// clients accept because they always list application/json after protobuf.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]) // "k8s\0"

type Field = {no: number; wire: number; value: bigint | Buffer}

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0
  const varint = (): bigint => {
    let result = 0n
    let shift = 0n
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint')
      const b = buf[pos++]!
      result |= BigInt(b & 0x7f) << shift
      if (!(b & 0x80)) return result
      shift += 7n
    }
  }
  while (pos < buf.length) {
    const key = Number(varint())
    const no = key >>> 3
    const wire = key & 7
    if (wire === 0) yield {no, wire, value: varint()}
    else if (wire === 2) {
      const len = Number(varint())
      yield {no, wire, value: buf.subarray(pos, pos + len)}
      pos += len
    } else if (wire === 1) {
      yield {no, wire, value: buf.subarray(pos, pos + 8)}
      pos += 8
    } else if (wire === 5) {
      yield {no, wire, value: buf.subarray(pos, pos + 4)}
      pos += 4
    } else throw new Error(`unsupported wire type ${wire}`)
  }
}

const str = (v: bigint | Buffer) => (v as Buffer).toString('utf8') || undefined
const num = (v: bigint | Buffer) => Number(v as bigint)

/** Decodes a message with a schema: field number -> [json name, decoder, repeated?]. */
type Decoder = (v: bigint | Buffer) => unknown
type Schema = Record<number, [string, Decoder, ('rep' | 'map')?]>

function message(schema: Schema): (v: bigint | Buffer) => Record<string, unknown> {
  return (v) => {
    const out: Record<string, any> = {}
    for (const f of fields(v as Buffer)) {
      const spec = schema[f.no]
      if (!spec) continue
      const [name, dec, mode] = spec
      if (mode === 'map') {
        let k = ''
        let val: unknown = ''
        for (const e of fields(f.value as Buffer)) {
          if (e.no === 1) k = str(e.value) ?? ''
          if (e.no === 2) val = dec(e.value)
        }
        ;(out[name] ??= {})[k] = val ?? ''
      } else {
        // gogo-protobuf writes empty strings; Go's JSON drops them (omitempty)
        const val = dec(f.value)
        if (val === undefined) continue
        if (mode === 'rep') (out[name] ??= []).push(val)
        else out[name] = val
      }
    }
    return out
  }
}

const time = (v: bigint | Buffer) => {
  const t = message({1: ['seconds', num], 2: ['nanos', num]})(v) as {seconds?: number}
  return new Date((t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
const bool = (v: bigint | Buffer) => (v as bigint) !== 0n
const b64 = (v: bigint | Buffer) => (v as Buffer).toString('base64')

const ownerReference = message({
  1: ['kind', str],
  3: ['name', str],
  4: ['uid', str],
  5: ['apiVersion', str],
  6: ['controller', bool],
  7: ['blockOwnerDeletion', bool],
})
const objectMeta = message({
  1: ['name', str],
  2: ['generateName', str],
  3: ['namespace', str],
  5: ['uid', str],
  6: ['resourceVersion', str],
  7: ['generation', num],
  8: ['creationTimestamp', time],
  9: ['deletionTimestamp', time],
  10: ['deletionGracePeriodSeconds', num],
  11: ['labels', str, 'map'],
  12: ['annotations', str, 'map'],
  13: ['ownerReferences', ownerReference, 'rep'],
  14: ['finalizers', str, 'rep'],
})
const objectReference = message({
  1: ['kind', str],
  2: ['namespace', str],
  3: ['name', str],
  4: ['uid', str],
  5: ['apiVersion', str],
  6: ['resourceVersion', str],
  7: ['fieldPath', str],
})

const KINDS: Record<string, (v: Buffer) => Record<string, unknown>> = {
  Namespace: message({
    1: ['metadata', objectMeta],
    2: ['spec', message({1: ['finalizers', str, 'rep']})],
    3: ['status', message({1: ['phase', str]})],
  }),
  ConfigMap: message({
    1: ['metadata', objectMeta],
    2: ['data', str, 'map'],
    3: ['binaryData', b64, 'map'],
    4: ['immutable', bool],
  }),
  ServiceAccount: message({
    1: ['metadata', objectMeta],
    2: ['secrets', objectReference, 'rep'],
    3: ['imagePullSecrets', message({1: ['name', str]}), 'rep'],
    4: ['automountServiceAccountToken', bool],
  }),
}

/** Decodes a runtime.Unknown-wrapped protobuf object; throws if the kind is not supported here. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]')
  const unknown = message({1: ['typeMeta', message({1: ['apiVersion', str], 2: ['kind', str]})], 2: ['raw', (v) => v]})(
    body.subarray(4),
  )
  const tm = (unknown.typeMeta ?? {}) as {apiVersion?: string; kind?: string}
  const dec = tm.kind ? KINDS[tm.kind] : undefined
  if (!dec)
    throw new Error(`protobuf decoding of ${tm.apiVersion ?? ''}/${tm.kind ?? ''} is not supported by the test server`)
  return {apiVersion: tm.apiVersion, kind: tm.kind, ...dec(unknown.raw as Buffer)}
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf'
