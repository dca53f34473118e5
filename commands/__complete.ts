import {Command} from '@oclif/core'
import {runCompletion} from '../src/cli/completion-run.js'

/** The helper the completion scripts call (`xctl __complete WORD... CURRENT`); never shown in help. */
export default class Complete extends Command {
  static hidden = true
  static strict = false
  static summary = 'Print completion candidates for the words typed so far (used by xctl completion).'

  async run(): Promise<void> {
    await runCompletion(this.argv)
  }
}
