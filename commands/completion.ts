import {Args} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {completionScript} from '../src/cli/completion-scripts.js'

export default class Completion extends BaseCommand<typeof Completion> {
  static summary = 'Print a shell completion script (bash or zsh): commands, flags, kinds and names from the cluster.'
  static description =
    `Load it in the current shell with source <(xctl completion bash), or add that line ` +
    `to ~/.bashrc (zsh: ~/.zshrc, after compinit).
Names (xctl get wep <TAB>) and namespaces (-n <TAB>) are read from the cluster the ` +
    `typed flags point at, with a 2-second limit; with --local -f FILE, from the file.`
  static args = {
    shell: Args.string({required: true, options: ['bash', 'zsh'], description: 'The shell to complete for.'}),
  }
  static examples = [
    'source <(<%= config.bin %> completion bash)',
    'source <(<%= config.bin %> completion zsh)',
    '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/<%= config.bin %>',
  ]

  async run(): Promise<void> {
    // As a kubectl plugin the bin is `kubectl xctl`; the script completes the `xctl` executable.
    const bin = this.config.bin.split(' ').at(-1) ?? 'xctl'
    await this.write(completionScript(this.args.shell as 'bash' | 'zsh', bin))
  }
}
