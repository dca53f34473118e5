import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {parseDryRun} from '../src/apply/plan.js'
import {applyManifests, readDocuments, summarize} from '../src/apply/run.js'
import type {ClusterSource} from '../src/sources/cluster.js'

export default class Replace extends BaseCommand<typeof Replace> {
  static summary = 'Replace NetworkAttachmentDefinitions and Calico resources with the manifests; missing objects fail.'
  static description = `Every document is validated first; nothing is written if any is invalid. An object that does not exist
fails (exit 1); the others are still replaced. A WorkloadEndpoint replaces only its pod's own labels.`
  static flags = {...writeFlags, ...multiInterfaceFlag}
  static examples = [
    '<%= config.bin %> replace -f policy.yaml',
    '<%= config.bin %> replace -f policies/ -R --dry-run=server',
  ]

  async run(): Promise<void> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const docs = await readDocuments(this.flags.filename, this.flags.recursive)
    const source = (await this.openSource({})) as ClusterSource
    const report = await applyManifests(source, docs, {
      namespace: this.flags.namespace,
      dryRun,
      verb: 'replace',
      multiInterfaceMode: this.flags['multi-interface-mode'],
      skipEmpty: this.flags['skip-empty'],
      failOnUnowned: this.flags['fail-on-unowned'],
      report: (r, suffix) => this.outcome(r, suffix),
    })
    await this.write(`${summarize(report)}\n`)
    process.exitCode = report.exitCode
  }
}
