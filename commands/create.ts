import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {multiInterfaceFlag, writeFlags} from '../src/cli/flags.js'
import {parseDryRun} from '../src/apply/plan.js'
import {applyManifests, readDocuments, summarize} from '../src/apply/run.js'
import type {ClusterSource} from '../src/sources/cluster.js'

export default class Create extends BaseCommand<typeof Create> {
  static summary = 'Create NetworkAttachmentDefinitions and Calico resources from manifests; existing objects fail.'
  static description = `Every document is validated first; nothing is written if any is invalid. An object that exists already
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

  async run(): Promise<void> {
    const dryRun = parseDryRun(this.flags['dry-run'])
    const docs = await readDocuments(this.flags.filename, this.flags.recursive)
    const source = (await this.openSource({})) as ClusterSource
    const report = await applyManifests(source, docs, {
      namespace: this.flags.namespace,
      dryRun,
      verb: 'create',
      skipExists: this.flags['skip-exists'],
      multiInterfaceMode: this.flags['multi-interface-mode'],
      skipEmpty: this.flags['skip-empty'],
      failOnUnowned: this.flags['fail-on-unowned'],
      report: (r, suffix) => this.outcome(r, suffix),
    })
    await this.write(`${summarize(report)}\n`)
    process.exitCode = report.exitCode
  }
}
