import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {editFlags, multiInterfaceFlag} from '../src/cli/flags.js'
import {labelEdit, parseLabelArgs, readAndEdit} from '../src/apply/edit.js'
import {parseDryRun} from '../src/apply/plan.js'
import {editAndWrite, summarize} from '../src/apply/run.js'
import {kindAndNames} from '../src/apply/targets.js'
import type {ClusterSource} from '../src/sources/cluster.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Label extends BaseCommand<typeof Label> {
  static summary = 'Set (KEY=VALUE) or remove (KEY-) labels on resources; on a WorkloadEndpoint, on its pod.'
  static description =
    `Every object is read and changed first, and checked as apply checks it; nothing ` +
    `is written if any change
is refused. A label that has another value is refused unless --overwrite is given.`
  static strict = false
  static args = {kind: Args.string({description: 'KIND, KIND NAME... or KIND/NAME.', ignoreStdin: true})}
  static flags = {
    overwrite: Flags.boolean({summary: 'Allow labels that have a value to be given another one.'}),
    ...editFlags,
    ...multiInterfaceFlag,
  }
  static examples = [
    '<%= config.bin %> label np plain -n production team=payments',
    '<%= config.bin %> label wep/node1-k8s-web-eth0 -n prod app- --dry-run=client',
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const {names, set, remove} = parseLabelArgs(this.positionals)
    const {kind, objects} = kindAndNames(names, 'label')
    const source = (await this.openSource({})) as ClusterSource
    const request = {
      kind,
      names: objects,
      namespace: this.flags.namespace,
      multiInterfaceMode: this.flags['multi-interface-mode'],
    }
    const edited = await readAndEdit(source, request, labelEdit({set, remove, overwrite: this.flags.overwrite}))
    const report = await editAndWrite(source, edited, {
      verb: Object.keys(set).length === 0 ? 'unlabel' : 'label',
      dryRun,
      multiInterfaceMode: this.flags['multi-interface-mode'],
      report: (r, suffix) => this.outcome(r, suffix),
    })
    if (objects.length > 1) await this.write(`${summarize(report)}\n`)
    return this.result(report.results, report.exitCode)
  }
}
