import type {ManifestDocument} from '../manifests/read.js'

/**
 * The per-kind rules of `xctl validate`, run before anything is written. Returns one line per error
 * (warnings do not block a write).
 */
export async function validateBeforeWrite(docs: ManifestDocument[]): Promise<string[]> {
  void docs
  return [] // wired to src/validation when it lands
}
