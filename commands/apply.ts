import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {parseDryRun} from '../src/apply/plan.js'
import {applyManifests, readDocuments, summarize} from '../src/apply/run.js'
import type {ClusterSource} from '../src/sources/cluster.js'

export default class Apply extends BaseCommand<typeof Apply> {
  static summary = 'Create or update NetworkAttachmentDefinitions and Calico resources from manifests.'
  static description = `Every document is validated first; nothing is written if any is invalid. Each object then gets one line
(created, configured, unchanged or failed) and a summary follows. Applying a WorkloadEndpoint changes only its pod's own labels.`
  static flags = {...writeFlags, ...multiInterfaceFlag}
  static examples = [
    '<%= config.bin %> apply -f examples/multus/02-network.yaml',
    '<%= config.bin %> apply -f policies/ -R --dry-run=server',
    '<%= config.bin %> get np -n prod -o yaml --export | <%= config.bin %> apply -n staging -f -',
  ]

  async run(): Promise<void> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const docs = await readDocuments(this.flags.filename, this.flags.recursive)
    const source = (await this.openSource({})) as ClusterSource
    const report = await applyManifests(source, docs, {
      namespace: this.flags.namespace,
      dryRun,
      multiInterfaceMode: this.flags['multi-interface-mode'],
      skipEmpty: this.flags['skip-empty'],
      failOnUnowned: this.flags['fail-on-unowned'],
      report: (r, suffix) => this.outcome(r, suffix),
    })
    for (const ref of report.notAttempted) process.stderr.write(`${ref} not attempted (interrupted)\n`)
    await this.write(`${summarize(report)}\n`)
    process.exitCode = report.exitCode
  }
}
