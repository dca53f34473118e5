import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {writeManifests} from '../src/cli/write.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Apply extends BaseCommand<typeof Apply> {
  static summary = 'Create or update NetworkAttachmentDefinitions and Calico resources from manifests.'
  static description =
    `Every document is validated first; nothing is written if any is invalid. Each object ` +
    `then gets one line
(created, configured, unchanged or failed) and a summary follows. Applying a WorkloadEndpoint ` +
    `changes only its pod's own labels.`
  static flags = {...writeFlags, ...multiInterfaceFlag}
  static examples = [
    '<%= config.bin %> apply -f examples/multus/02-network.yaml',
    '<%= config.bin %> apply -f policies/ -R --dry-run=server',
    '<%= config.bin %> get np -n prod -o yaml --export | <%= config.bin %> apply -n staging -f -',
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    return writeManifests('apply', this.flags, {
      openSource: () => this.openSource({}),
      outcome: (r, suffix) => this.outcome(r, suffix),
      write: (chunk) => this.write(chunk),
      warn: (line) => this.session.warn(line),
    })
  }
}
