import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {editFlags, multiInterfaceFlag} from '../src/cli/flags.js'
import {patchEdit, readAndEdit} from '../src/apply/edit.js'
import {parseDryRun} from '../src/apply/plan.js'
import {editAndWrite, summarize} from '../src/apply/run.js'
import {kindAndNames} from '../src/apply/targets.js'
import type {ClusterSource} from '../src/sources/cluster.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Patch extends BaseCommand<typeof Patch> {
  static summary = 'Change fields of resources with a strategic, merge or JSON patch.'
  static description =
    `The patch is applied to the object as xctl get shows it (projectcalico.org/v3), ` +
    `the result is checked as
apply checks it, and only then written. On a WorkloadEndpoint only the labels (its ` +
    `pod's) may change.`
  static strict = false
  static args = {kind: Args.string({description: 'KIND NAME... or KIND/NAME.', ignoreStdin: true})}
  static flags = {
    patch: Flags.string({char: 'p', summary: 'The patch, as JSON or YAML.', required: true}),
    type: Flags.string({
      summary: 'strategic (default; merges as merge does for these kinds), merge or json.',
      default: 'strategic',
    }),
    ...editFlags,
    ...multiInterfaceFlag,
  }
  static examples = [
    `<%= config.bin %> patch np plain -n production -p '{"spec":{"order":10}}'`,
    `<%= config.bin %> patch ippool/pool-a --type json -p '[{"op":"replace","path":"/spec/disabled","value":true}]'`,
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const edit = patchEdit(this.flags.patch, this.flags.type)
    const {kind, objects} = kindAndNames(this.positionals, 'patch')
    const source = (await this.openSource({})) as ClusterSource
    const request = {
      kind,
      names: objects,
      namespace: this.flags.namespace,
      multiInterfaceMode: this.flags['multi-interface-mode'],
    }
    const edited = await readAndEdit(source, request, edit)
    const report = await editAndWrite(source, edited, {
      verb: 'patch',
      dryRun,
      multiInterfaceMode: this.flags['multi-interface-mode'],
      report: (r, suffix) => this.outcome(r, suffix),
    })
    if (objects.length > 1) await this.write(`${summarize(report)}\n`)
    return this.result(report.results, report.exitCode)
  }
}
