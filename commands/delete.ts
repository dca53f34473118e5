import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {parseDryRun} from '../src/apply/plan.js'
import {deleteTargets, readDocuments, summarize} from '../src/apply/run.js'
import {targetsFromArgs, targetsFromDocuments} from '../src/apply/targets.js'
import type {ClusterSource} from '../src/sources/cluster.js'
import type {CommandResult, WriteOutcome} from '../src/cli/result.js'

export default class Delete extends BaseCommand<typeof Delete> {
  static summary =
    'Delete NetworkAttachmentDefinitions and Calico resources by kind and name, or as listed in manifests.'
  static strict = false
  static args = {
    kind: Args.string({description: 'Kind of resource (or an alias).', ignoreStdin: true}),
    name: Args.string({description: 'Names of resources (several may be given).', ignoreStdin: true}),
  }
  static flags = {
    filename: Flags.string({
      char: 'f',
      summary: 'Delete the objects named in these manifests (- for stdin).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    recursive: Flags.boolean({char: 'R', summary: 'Walk directories recursively.'}),
    'skip-not-found': Flags.boolean({
      char: 's',
      aliases: ['skip-not-exists'],
      summary: 'Treat objects that do not exist as deleted, with a "skipped" line (calicoctl: -s/--skip-not-exists).',
    }),
    'ignore-not-found': Flags.boolean({summary: 'Treat objects that do not exist as deleted, silently (kubectl).'}),
    'dry-run': Flags.string({summary: 'none (default), client or server.', default: 'none'}),
  }
  static examples = [
    '<%= config.bin %> delete networkpolicy internal-access.allow-tcp-6379 -n production',
    '<%= config.bin %> delete -f examples/multus/05-policy.yaml --skip-not-found',
  ]

  async run(): Promise<CommandResult<WriteOutcome>> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const source = (await this.openSource({})) as ClusterSource
    const targets = this.flags.filename
      ? targetsFromDocuments(
          await readDocuments(this.flags.filename, this.flags.recursive),
          this.flags.namespace,
          source.defaultNamespace,
        )
      : targetsFromArgs(this.positionals, this.flags.namespace ?? source.defaultNamespace)
    const report = await deleteTargets(source, targets, {
      dryRun,
      skipNotFound: this.flags['skip-not-found'] || this.flags['ignore-not-found'],
      report: (r, suffix) =>
        r.outcome === 'failed'
          ? Promise.resolve(this.session.warn(`error: ${r.message}`))
          : r.outcome === 'skipped' && this.flags['ignore-not-found']
            ? Promise.resolve()
            : this.write(`${r.ref} ${r.outcome}${suffix}\n`),
    })
    if (targets.length > 1) await this.write(`${summarize(report)}\n`)
    return this.result(report.results, report.exitCode)
  }
}
