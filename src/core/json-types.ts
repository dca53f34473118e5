/**
 * The JSON type names Go's encoding/json puts in its UnmarshalTypeError (`json: cannot unmarshal <type> into Go
 * value of type ...`): "string", "number", "bool", "array", "object" (golang/go src/encoding/json/decode.go,
 * literalStore, array and object). Multus, kubectl and validation messages quote them.
 */

/**
 * The name for a decoded JSON value. Go never reports a null (it decodes into any type), so "null" is only what
 * callers that mention one show.
 */
export function goJsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return 'object'
  if (typeof value === 'boolean') return 'bool'
  return typeof value
}
