import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {writeManifests} from '../src/cli/write.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Replace extends BaseCommand<typeof Replace> {
  static summary = 'Replace NetworkAttachmentDefinitions and Calico resources with the manifests; missing objects fail.'
  static description =
    `Every document is validated first; nothing is written if any is invalid. An object ` +
    `that does not exist
fails (exit 1); the others are still replaced. A WorkloadEndpoint replaces only ` +
    `its pod's own labels.`
  static flags = {...writeFlags, ...multiInterfaceFlag}
  static examples = [
    '<%= config.bin %> replace -f policy.yaml',
    '<%= config.bin %> replace -f policies/ -R --dry-run=server',
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    return writeManifests('replace', this.flags, {
      openSource: () => this.openSource({}),
      outcome: (r, suffix) => this.outcome(r, suffix),
      write: (chunk) => this.write(chunk),
      warn: (line) => this.session.warn(line),
    })
  }
}
