import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {UsageError} from '../src/core/errors.js'
import {multiInterfaceFlag} from '../src/cli/flags.js'
import {listRules} from '../src/validation/run.js'
import {validateFiles} from '../src/cli/validate-files.js'
import type {CommandResult} from '../src/cli/result.js'
import type {ValidationSummary} from '../src/validation/findings.js'

export default class Validate extends BaseCommand<typeof Validate> {
  static summary =
    'Check NetworkAttachmentDefinitions, pod network annotations, Calico policies, tiers and IP pools, offline.'
  static description =
    `Reports every problem, not the first: file:line:col, the field, what is wrong and ` +
    `what would be right, and a rule id (--list-rules lists them).
Reads files, directories (-R for sub-directories) and - (stdin); multi-document ` +
    `YAML, JSON and List kinds. Other kinds pass through.
Needs no cluster; --cluster also checks against the live cluster (NADs, IP pools ` +
    `and tiers exist, policy selectors match endpoints).
Output (-o): text (default), json, junit, sarif (GitHub code scanning), github (workflow ` +
    `annotations).
Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, 3 input unreadable ` +
    `(or cluster unreachable with --cluster).`
  static flags = {
    filename: Flags.string({
      char: 'f',
      summary: 'File or directory to validate (- for stdin); repeatable.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    recursive: Flags.boolean({char: 'R', summary: 'Walk directories given with -f recursively.'}),
    'fail-level': Flags.option({
      options: ['error', 'warning'] as const,
      default: 'error' as const,
      summary: 'Exit 1 when there are findings of this severity or worse.',
    })(),
    cluster: Flags.boolean({
      summary:
        'Also check against the cluster (kubeconfig): referenced NADs, pools and tiers exist; ' +
        'selectors match endpoints.',
    }),
    'list-rules': Flags.boolean({
      summary: 'Print the rule ids with their severity, title and upstream source, then exit.',
    }),
    flavor: Flags.option({
      options: ['oss', 'enterprise'] as const,
      summary:
        'The Calico the manifests are for: oss warns about Calico Enterprise / Calico Cloud ' +
        "fields (default: accept both; with --cluster, the cluster's).",
    })(),
    ...multiInterfaceFlag,
  }
  static examples = [
    '<%= config.bin %> validate -f manifests/ -R',
    '<%= config.bin %> validate -f nad.yaml -o sarif > xctl.sarif',
    'kubectl get nad -A -o yaml | <%= config.bin %> validate -f -',
    '<%= config.bin %> validate -f policies/ --cluster --fail-level warning',
  ]

  async run(): Promise<CommandResult<ValidationSummary>> {
    const f = this.flags
    if (f['list-rules']) return this.write(listRules(f.output ?? 'text')).then(() => this.result([]))
    if (!f.filename?.length)
      throw new UsageError('validate needs -f PATH', 'e.g. xctl validate -f manifests/ -R (use - for stdin)')
    const source = f.cluster ? await this.openSource({}) : undefined
    if (source) await source.apiGroups()
    const {failed, summary} = await validateFiles(f, this.session, this.config.version, source)
    return this.result([summary], failed ? 1 : 0)
  }
}
