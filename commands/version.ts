import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import type {ClusterSource} from '../src/sources/cluster.js'
import {formatVersion, versionReport, type VersionReport} from '../src/version/version.js'
import type {CommandResult} from '../src/cli/result.js'

export default class Version extends BaseCommand<typeof Version> {
  static summary =
    'Print the client version and, from the cluster, the Kubernetes and Calico versions, storage mode and multi-interface mode.'
  static flags = {
    client: Flags.boolean({summary: 'Only the client version; do not contact the cluster.'}),
  }
  static examples = [
    '<%= config.bin %> version',
    '<%= config.bin %> version --client',
    '<%= config.bin %> version -o json',
  ]

  async run(): Promise<CommandResult<VersionReport>> {
    const source = this.flags.client ? undefined : ((await this.openSource({})) as ClusterSource)
    const report = await versionReport(this.config.version, source)
    for (const w of report.warnings) this.session.warn(`Warning: ${w}`)
    if (this.flags.output === 'json') await this.write(JSON.stringify(report, null, 2) + '\n')
    else if (this.flags.output === 'yaml') await this.write((await import('yaml')).stringify(report))
    else await this.write(formatVersion(report))
    return this.result([report])
  }
}
