import {installationUsesMultus, resolveMultiInterfaceMode} from '../resources/multi-interface.js'
import {ApiError} from '../core/errors.js'
import {INSTALLATION, type ObjectSource} from '../sources/source.js'
import type {Flavor} from './context.js'
import type {MultiInterfaceMode} from '../workloadendpoints/convert.js'
import {RULE_IDS, RULES, ruleSource, type RuleId} from './catalog.js'
import type {ClusterFacts} from './knowledge.js'
import {validate, type ValidateOptions} from './engine.js'
import {SEVERITY_RANK, type Severity} from './findings.js'
import {createReporter, type RunResult} from './reporters/index.js'

export interface RunOptions extends ValidateOptions {
  format: string
  failLevel: Severity
  color: boolean
  cwd: string
  toolVersion: string
}

/**
 * `xctl validate`: the reporter for -o, the validation streamed into it, and whether the run fails
 * (findings at or above --fail-level → exit 1).
 */
export async function runValidation(options: RunOptions, write: (chunk: string) => Promise<void>): Promise<RunResult> {
  const reporter = createReporter(options.format, write, {
    failLevel: options.failLevel,
    cwd: options.cwd,
    toolVersion: options.toolVersion,
    color: options.color,
  })
  const summary = await validate(options, reporter)
  const threshold = SEVERITY_RANK[options.failLevel]
  const failed = summary.errors > 0 || (threshold <= SEVERITY_RANK.warning && summary.warnings > 0)
  const result = {summary, failed}
  await reporter.end(result)
  return result
}

/** `--list-rules`: every rule id with its default severity, title and the upstream code it follows. */
export function listRules(format: string): string {
  if (format === 'json') {
    const entries = RULE_IDS.map((id) => ({
      id,
      severity: RULES[id].severity,
      title: RULES[id].title,
      help: RULES[id].help,
      source: ruleSource(id),
      ...(RULES[id].cluster ? {cluster: true} : {}),
    }))
    return `${JSON.stringify(entries, null, 2)}\n`
  }
  const width = Math.max(...RULE_IDS.map((id) => id.length))
  const line = (id: RuleId) =>
    `${id.padEnd(width)}  ${RULES[id].severity.padEnd(7)}  ${RULES[id].title}${RULES[id].cluster ? ' (--cluster)' : ''}\n${' '.repeat(width + 11)}upstream: ` +
    `${ruleSource(id)}\n`
  return RULE_IDS.map(line).join('')
}

/** How pods become endpoints: the flag or MULTI_INTERFACE_MODE; unless told, with --cluster, the cluster's
 * Installation. */
export async function validationMode(flag: string | undefined, source?: ObjectSource): Promise<MultiInterfaceMode> {
  const chosen = resolveMultiInterfaceMode(flag)
  if (source && !chosen.explicit && (await installationUsesMultus(source))) return 'multus'
  return chosen.mode
}

/**
 * Which Calico the manifests are for: the flag; unless told, with --cluster, the operator Installation's variant
 * (Calico → oss, TigeraSecureEnterprise → enterprise); otherwise both are accepted.
 */
export async function validationFlavor(flag: 'oss' | 'enterprise' | undefined, source?: ObjectSource): Promise<Flavor> {
  if (flag) return flag
  if (!source) return 'any'
  try {
    const installation = await source.get(INSTALLATION, undefined, 'default')
    const variant = String(installation?.spec?.variant ?? installation?.status?.variant ?? '')
    return variant === 'Calico' ? 'oss' : variant === 'TigeraSecureEnterprise' ? 'enterprise' : 'any'
  } catch (error) {
    // Only a hint: no operator API, or no permission to read it, leaves the product unknown.
    if (error instanceof ApiError) return 'any'
    throw error
  }
}

/** --cluster: what the checks need from the cluster; the module that reads it is loaded only here. */
export function openClusterFacts(source: ObjectSource, mode: MultiInterfaceMode): () => Promise<ClusterFacts> {
  const server = source.server ?? 'the cluster'
  return async () => (await import('./cluster.js')).clusterFacts(source, server, mode)
}
