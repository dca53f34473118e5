import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {OUTPUT_FORMAT_SUMMARY} from '../src/printers/formats.js'
import {multiInterfaceFlag, readFlags, templateFlags} from '../src/cli/flags.js'
import {evalSelector} from '../src/insight/eval.js'
import type {CommandResult} from '../src/cli/result.js'
import type {PrintedKind} from '../src/cli/session.js'

export default class Eval extends BaseCommand<typeof Eval> {
  static summary = 'List the WorkloadEndpoints a Calico selector matches.'
  static description =
    `The selector is evaluated as a policy selector is: on the endpoint's labels plus ` +
    `those its profiles give it (pcns.<namespace label>, pcsa.<service-account label>, ` +
    `pcns.projectcalico.org/name, pcsa.projectcalico.org/name).
Without -A only one namespace counts (-n, else the current one), as for a NetworkPolicy; ` +
    `with -A every namespace, as for a GlobalNetworkPolicy.
Output formats (-o) as for get workloadendpoints: ${OUTPUT_FORMAT_SUMMARY}.`
  static args = {
    selector: Args.string({
      required: true,
      description: 'A Calico selector, e.g. "projectcalico.org/network-interface == \'net1\'".',
      ignoreStdin: true,
    }),
  }
  static flags = {
    'all-namespaces': readFlags['all-namespaces'],
    local: readFlags.local,
    filename: readFlags.filename,
    recursive: readFlags.recursive,
    ...multiInterfaceFlag,
    ...templateFlags,
    'no-headers': Flags.boolean({summary: 'Print tables without the header row.'}),
  }
  static examples = [
    'MULTI_INTERFACE_MODE=multus <%= config.bin %> eval "projectcalico.org/network-interface == \'net1\'" -A',
    "<%= config.bin %> eval \"role == 'frontend' && pcns.env == 'production'\" -A -o wide",
    '<%= config.bin %> eval "has(app)" -n default --local -f examples/multus',
  ]

  async run(): Promise<CommandResult<PrintedKind>> {
    const f = this.flags
    const source = await this.openSource(f)
    const result = await evalSelector(source, {
      selector: this.args.selector,
      namespace: f.namespace,
      allNamespaces: f['all-namespaces'],
      multiInterfaceMode: f['multi-interface-mode'],
    })
    return this.result([await this.print(result)])
  }
}
