import type {KubeObject} from '../kube/types.js'

/**
 * Tiers (calicoctl.md §6.1): `default` (order 1e6) always exists; Calico ≥ 3.32 also creates `kube-admin` (1000)
 * and `kube-baseline` (1e7), both passing unmatched traffic on. A tier's defaultAction (Deny unless Pass) applies at
 * its end to traffic of an endpoint that some policy in the tier selected. Felix sorts tiers that exist before
 * tiers that do not, then by order (unset last), then by name.
 */
export interface TierInfo {
  name: string
  order?: number
  defaultAction: 'Deny' | 'Pass'
  /** Read from the source (true), created by Calico itself (false, `builtin`), or missing (false). */
  found: boolean
  builtin: boolean
}

const BUILTIN: Record<string, {order: number; defaultAction: 'Deny' | 'Pass'}> = {
  default: {order: 1e6, defaultAction: 'Deny'},
  'kube-admin': {order: 1000, defaultAction: 'Pass'},
  'kube-baseline': {order: 1e7, defaultAction: 'Pass'},
}

export class TierCatalog {
  private readonly tiers = new Map<string, TierInfo>()

  constructor(objects: KubeObject[]) {
    for (const [name, t] of Object.entries(BUILTIN)) this.tiers.set(name, {name, ...t, found: false, builtin: true})
    for (const o of objects) {
      const name = o.metadata.name ?? ''
      const order = o.spec?.order === undefined || o.spec?.order === null ? undefined : Number(o.spec.order)
      this.tiers.set(name, {
        name,
        order: order !== undefined && Number.isFinite(order) ? order : undefined,
        defaultAction: o.spec?.defaultAction === 'Pass' ? 'Pass' : 'Deny',
        found: true,
        builtin: name in BUILTIN,
      })
    }
  }

  get(name: string): TierInfo {
    return this.tiers.get(name) ?? {name, defaultAction: 'Deny', found: false, builtin: false}
  }
}

function tierExists(t: TierInfo): boolean {
  return t.found || t.builtin
}

/** Felix TierLess. */
export function compareTiers(a: TierInfo, b: TierInfo): number {
  const va = tierExists(a)
  const vb = tierExists(b)
  if (va !== vb) return va ? -1 : 1
  const oa = a.order ?? Infinity
  const ob = b.order ?? Infinity
  if (oa !== ob) return oa < ob ? -1 : 1
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
