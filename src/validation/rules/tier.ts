import {isJsonObject} from '../../core/go-json.js'
import {goFloat} from '../../core/goformat.js'
import type {Check} from '../context.js'
import {didYouMean, labelProblem, show} from '../text.js'
import {checkCalicoApi, checkKnownFields, checkNamespace, isCalicoApi, nameOf, type KindRules} from './common.js'

/** Orders Calico fixes for its own tiers (v3.32 names, and the v3.31 names of the admin tiers). */
const FIXED_ORDERS: Record<string, number> = {
  default: 1e6,
  'kube-admin': 1000,
  'kube-baseline': 1e7,
  adminnetworkpolicy: 1000,
  baselineadminnetworkpolicy: 1e7,
}

/** Tiers (calicoctl.md §6.1): a DNS label, fixed orders for the built-in ones, defaultAction Deny or Pass. */
export const tierRules: KindRules = {
  matches: (kind, apiVersion) => kind === 'Tier' && isCalicoApi(apiVersion),
  namespaced: false,
  check(c, o) {
    checkCalicoApi(c)
    const name = nameOf(c, o, 'tier/name')
    if (name !== undefined) {
      const problem = labelProblem(name)
      if (problem)
        c.report(
          'tier/name',
          '/metadata/name',
          `tier name ${show(name)} is not valid: ${problem} (tier names are used as label values)`,
        )
      else c.knowledge.tiers.add(name)
    }
    checkNamespace(c, o, false)
    checkTierSpec(c, name, o.spec)
  },
}

/** Built-in tiers' fixed default actions (projectcalico/api tier.go CRD validation rules, v3.32.1). */
const FIXED_ACTIONS: Record<string, 'Deny' | 'Pass'> = {default: 'Deny', 'kube-admin': 'Pass', 'kube-baseline': 'Pass'}
/** Tiers whose order validateTier requires to be set (validator.go v3.32.1); the admin-tier names of v3.31 are not. */
const ORDER_REQUIRED = new Set(['default', 'kube-admin', 'kube-baseline'])

function checkTierSpec(c: Check, name: string | undefined, spec: unknown): void {
  if (spec !== undefined && spec !== null && !isJsonObject(spec)) {
    c.report('tier/order', '/spec', `spec is ${show(spec)}; it must be a mapping (order, defaultAction)`)
    return
  }
  const s = isJsonObject(spec) ? spec : {}
  if (isJsonObject(spec))
    checkKnownFields(c, 'tier/unknown-field', '/spec', spec, ['order', 'defaultAction'], 'Tier spec')
  const order = s.order
  if (order !== undefined && order !== null) {
    if (typeof order !== 'number' || !Number.isFinite(order)) {
      c.report(
        'tier/order',
        '/spec/order',
        `order is ${show(order)}; it must be a number${typeof order === 'string' && /^\d+(\.\d+)?$/.test(order) ? ` (write ${order} without quotes)` : ''}`,
      )
    } else if (name !== undefined && FIXED_ORDERS[name] !== undefined && order !== FIXED_ORDERS[name]) {
      c.report(
        'tier/order',
        '/spec/order',
        `${name} tier order must be ${goFloat(FIXED_ORDERS[name])}: it is fixed by Calico ` +
          `(this says ${goFloat(order)})`,
      )
    }
  } else if (name !== undefined && ORDER_REQUIRED.has(name)) {
    c.report(
      'tier/order',
      isJsonObject(spec) ? '/spec' : '',
      `${name} tier order must be ${goFloat(FIXED_ORDERS[name])}: set spec.order: ${FIXED_ORDERS[name]} ` +
        `(Calico refuses the built-in tier without it)`,
    )
  }
  const action = s.defaultAction
  if (action !== undefined && action !== null && action !== 'Deny' && action !== 'Pass') {
    c.report(
      'tier/default-action',
      '/spec/defaultAction',
      `defaultAction ${show(action)} is not valid: it must be Deny (the default) or Pass${typeof action === 'string' ? didYouMean(action, ['Deny', 'Pass']) : ''}`,
    )
    return
  }
  const fixed = name !== undefined ? FIXED_ACTIONS[name] : undefined
  const effective = action ?? 'Deny'
  if (fixed && effective !== fixed) {
    const said = action === undefined || action === null ? 'none is set, so it defaults to Deny' : `this says ${action}`
    c.report(
      'tier/default-action',
      action === undefined || action === null ? (isJsonObject(spec) ? '/spec' : '') : '/spec/defaultAction',
      `the '${name}' tier must have default action '${fixed}' (${said}): set spec.defaultAction: ${fixed}`,
    )
  }
}
