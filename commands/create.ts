import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {writeManifests} from '../src/cli/write.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Create extends BaseCommand<typeof Create> {
  static summary = 'Create NetworkAttachmentDefinitions and Calico resources from manifests; existing objects fail.'
  static description =
    `Every document is validated first; nothing is written if any is invalid. An object ` +
    `that exists already
fails (exit 1) unless --skip-exists is given; the others are still created.`
  static flags = {
    ...writeFlags,
    'skip-exists': Flags.boolean({summary: 'Skip objects that exist already instead of failing (calicoctl).'}),
    ...multiInterfaceFlag,
  }
  static examples = [
    '<%= config.bin %> create -f examples/multus/02-network.yaml',
    '<%= config.bin %> create -f policies/ --skip-exists',
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    return writeManifests('create', this.flags, {
      openSource: () => this.openSource({}),
      outcome: (r, suffix) => this.outcome(r, suffix),
      write: (chunk) => this.write(chunk),
      warn: (line) => this.session.warn(line),
    })
  }
}
