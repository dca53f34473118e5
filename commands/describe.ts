import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, readFlags} from '../src/cli/flags.js'
import {ResourceError, UsageError} from '../src/core/errors.js'
import {checkName} from '../src/core/names.js'
import {describeTargets} from '../src/get/get.js'
import {findKind} from '../src/resources/registry.js'
import {describeObject, formatDescription} from '../src/insight/run.js'
import type {CommandResult} from '../src/cli/result.js'

export default class Describe extends BaseCommand<typeof Describe> {
  static summary =
    'Show the policies Calico applies to an endpoint, or what a policy applies to and what its rules match.'
  static description =
    `KIND is workloadendpoint (wep), networkpolicy (np), globalnetworkpolicy (gnp), kubernetesnetworkpolicy ` +
    `(knp), stagednetworkpolicy (snp), stagedglobalnetworkpolicy (sgnp) or stagedkubernetesnetworkpolicy ` +
    `(sknp).
A workloadendpoint NAME is a full endpoint name, or a pod name (then every interface ` +
    `of the pod). Its description lists its labels, the labels its profiles give it (pcns.*, ` +
    `pcsa.*), and, for ingress and egress separately, the policies that select it in ` +
    `the order Calico evaluates them (tiers by order, policies by order then name), each ` +
    `tier's default action at its end, and the profiles last; each rule shows its action, ` +
    `protocol and ports and the endpoints its selectors match.
A policy's description lists the endpoints (one per pod interface) it applies to, ` +
    `and what each rule's source and destination match. A NetworkPolicy selects only ` +
    `endpoints in its own namespace, and so do its rules unless they have a namespaceSelector. ` +
    `When a policy applies to nothing, it says why.
Kubernetes NetworkPolicies appear as Calico converts them: knp.default.<name> in ` +
    `tier default at order 1000, on every interface of the pods they select. Staged policies ` +
    `are listed apart and never counted as allowing or denying: what is shown is what ` +
    `they would do once enforced. A rule selector that matches a NetworkSet's or GlobalNetworkSet's ` +
    `labels matches its nets too, and the sets are listed.
Output (-o): text (default), yaml or json (the same answers as data: kind WorkloadEndpointDescriptionList ` +
    `or PolicyDescription).`
  static args = {
    kind: Args.string({
      description:
        'workloadendpoint (wep), networkpolicy (np), globalnetworkpolicy (gnp), knp, snp, ' +
        'sgnp or sknp; with -f (no --local), optional.',
      ignoreStdin: true,
    }),
    name: Args.string({
      description: 'Endpoint or pod name; or policy name. With -f (no --local), the objects the files name.',
      ignoreStdin: true,
    }),
  }
  static flags = {
    local: readFlags.local,
    filename: readFlags.filename,
    recursive: readFlags.recursive,
    ...multiInterfaceFlag,
    limit: Flags.integer({
      summary: 'How many endpoints to list per set (the count is always given); 0 lists all.',
      default: 10,
      min: 0,
    }),
  }
  static examples = [
    'MULTI_INTERFACE_MODE=multus <%= config.bin %> describe networkpolicy internal-access.allow-tcp-6379 -n production',
    '<%= config.bin %> describe wep multus-test-pod-1 --local -f examples/multus --multi-interface-mode multus',
    '<%= config.bin %> describe gnp default-deny -o yaml',
  ]

  async run(): Promise<CommandResult<unknown>> {
    const f = this.flags
    const fromFiles = !f.local && Boolean(f.filename?.length)
    const {kind, name} = this.args
    if (!fromFiles && (!kind || name === undefined))
      throw new UsageError(
        'give a KIND and a NAME',
        'e.g. xctl describe wep my-pod -n default, or xctl describe -f FILE',
      )
    if (fromFiles && name !== undefined)
      throw new UsageError(
        'when -f is given, a NAME may not be given as well',
        'e.g. xctl describe -f FILE, or xctl describe KIND NAME',
      )
    if (!fromFiles) checkName(findKind(kind!).kind, name!)
    const targets = fromFiles
      ? await describeTargets(f.filename!, Boolean(f.recursive), kind, f.namespace)
      : [{kind: kind!, name: name!, namespace: f.namespace}]
    const source = await this.openSource(f)
    let first = true
    const described: unknown[] = []
    for (const target of targets) {
      try {
        const answer = await describeObject(source, {
          ...target,
          multiInterfaceMode: f['multi-interface-mode'],
          limit: f.limit,
        })
        await this.write(
          (first ? '' : (f.output ?? 'text') === 'text' ? '\n' : '---\n') + formatDescription(answer.data, f.output),
        )
        first = false
        described.push(answer.data)
        for (const w of answer.warnings) this.session.warn(w)
      } catch (error) {
        // With -f, one object that is not found is reported (as kubectl does) and the others still print.
        if (!fromFiles || !(error instanceof ResourceError)) throw error
        this.session.reportError(error, `${this.config.bin} describe`)
      }
    }
    return this.result(described)
  }
}
