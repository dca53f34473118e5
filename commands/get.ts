import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {OUTPUT_FORMAT_SUMMARY} from '../src/printers/formats.js'
import {multiInterfaceFlag, readFlags, templateFlags} from '../src/cli/flags.js'
import {printKinds} from '../src/cli/get-many.js'
import type {CommandResult} from '../src/cli/result.js'
import type {PrintedKind} from '../src/cli/session.js'
import {requestTimeoutGiven} from '../src/cli/argv.js'

export default class Get extends BaseCommand<typeof Get> {
  static summary =
    'Display WorkloadEndpoints, NetworkAttachmentDefinitions, Calico policies (staged ' +
    'and Kubernetes ones too), network sets, host endpoints, tiers and IP pools.'
  static description =
    `KIND is one of: workloadendpoints (wep), networkattachmentdefinitions (nad, net-attach-def), ` +
    `networkpolicies (np, policy), globalnetworkpolicies (gnp), stagednetworkpolicies ` +
    `(snp), stagedglobalnetworkpolicies (sgnp), stagedkubernetesnetworkpolicies (sknp), ` +
    `kubernetesnetworkpolicies (knp: Kubernetes NetworkPolicies as Calico shows them, ` +
    `knp.default.<name>; read-only), networksets (netsets), globalnetworksets (gnetsets), ` +
    `hostendpoints (hep), tiers, ippools (pool), clusterinformations.
WorkloadEndpoints are derived from pods: with MULTI_INTERFACE_MODE=multus every ` +
    `pod interface is its own endpoint.
NAME may be a full endpoint name or a pod name (then all of that pod's endpoints).
Output formats (-o): ${OUTPUT_FORMAT_SUMMARY}.`
  static strict = false
  static args = {
    kind: Args.string({
      required: true,
      description:
        'Kind of resource (or an alias), e.g. workloadendpoints, wep, nad, gnp; several as wep,nad; or KIND/NAME.',
      ignoreStdin: true,
    }),
    name: Args.string({description: 'Names of resources (several may be given).', ignoreStdin: true}),
  }
  static flags = {
    ...readFlags,
    ...multiInterfaceFlag,
    ...templateFlags,
    node: Flags.string({summary: 'Only endpoints on this node (sent to the API as spec.nodeName).'}),
    'calico-selector': Flags.string({
      summary:
        'Keep objects whose labels match a Calico selector, e.g. "projectcalico.org/network-interface == \'net1\'".',
    }),
    'no-headers': Flags.boolean({summary: 'Print tables without the header row.'}),
    'sort-by': Flags.string({summary: 'Sort by a JSONPath field, e.g. .metadata.name (reads the whole list first).'}),
    'ignore-not-found': Flags.boolean({summary: 'Named objects that do not exist are no error (kubectl).'}),
    'show-labels': Flags.boolean({summary: 'Add a LABELS column to tables.'}),
    'label-columns': Flags.string({
      char: 'L',
      summary: 'Add a column with the value of these labels (comma-separated, or the flag repeated).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'show-kind': Flags.boolean({summary: 'Print NAME as kind.group/name.'}),
    'field-selector': Flags.string({
      summary: 'Keep objects whose fields match, e.g. metadata.name=web,spec.node!=node-1 (paths as -o yaml shows).',
    }),
    watch: Flags.boolean({char: 'w', summary: 'After listing, print each change until Ctrl-C (kubectl get -w).'}),
    'watch-only': Flags.boolean({summary: 'Print only the changes, not the list first.'}),
    'output-watch-events': Flags.boolean({
      summary: 'With -w: print the event type too (an EVENT column; {"type","object"} in JSON and YAML).',
    }),
    // a string checked by chunkSize() (src/get/get.ts): the fast path reads every value as text
    'chunk-size': Flags.string({
      summary: 'Objects per list page from the API (0 = the whole list at once).',
      default: '500',
    }),
    export: Flags.boolean({
      summary:
        'Strip cluster-specific fields (resourceVersion, uid, creationTimestamp, managedFields, namespace, status).',
    }),
  }
  static examples = [
    'MULTI_INTERFACE_MODE=multus <%= config.bin %> get workloadendpoints -o wide',
    '<%= config.bin %> get wep -A --calico-selector "projectcalico.org/network-interface == \'net1\'"',
    '<%= config.bin %> get wep multus-test-pod-1 -n default -o yaml',
    '<%= config.bin %> get wep -o wide --local -f examples/multus --multi-interface-mode multus',
    '<%= config.bin %> get nad -A -o wide',
  ]

  async run(): Promise<CommandResult<PrintedKind>> {
    return this.result(
      await printKinds(this.session, () => this.openSource(this.flags), this.positionals, {
        ...this.flags,
        requestTimeoutGiven: requestTimeoutGiven(this.argv),
      }),
    )
  }
}
