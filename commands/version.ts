import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base.js'
import {readFlags} from '../src/cli/flags.js'
import {UsageError} from '../src/core/errors.js'
import type {ClusterSource} from '../src/sources/cluster.js'
import {formatVersion, localVersionReport, versionReport, type VersionReport} from '../src/version/version.js'
import type {CommandResult} from '../src/cli/result.js'

export default class Version extends BaseCommand<typeof Version> {
  static summary =
    'Print the client version and, from the cluster, the Kubernetes and Calico versions, ' +
    'storage mode and multi-interface mode.'
  static description =
    `With --local, no cluster is contacted: -f FILES gives the Calico version (a ClusterInformation) ` +
    `and the multi-interface mode (the operator's Installation) from manifests.`
  static flags = {
    client: Flags.boolean({summary: 'Only the client version; do not contact the cluster.'}),
    local: Flags.boolean({
      summary: 'Do not contact the cluster; with -f, read the ClusterInformation and Installation from files.',
    }),
    filename: readFlags.filename,
    recursive: readFlags.recursive,
  }
  static examples = [
    '<%= config.bin %> version',
    '<%= config.bin %> version --client',
    '<%= config.bin %> version -o json',
    '<%= config.bin %> version --local -f examples/multus',
  ]

  async run(): Promise<CommandResult<VersionReport>> {
    const f = this.flags
    if (f.filename?.length && !f.local)
      throw new UsageError('version reads -f files only with --local', 'xctl version --local -f examples/multus')
    const report = f.local
      ? await localVersionReport(
          this.config.version,
          f.filename?.length ? await this.openSource(f) : undefined,
          f.filename ?? [],
        )
      : await versionReport(this.config.version, f.client ? undefined : ((await this.openSource({})) as ClusterSource))
    for (const w of report.warnings) this.session.warn(`Warning: ${w}`)
    if (f.output === 'json') await this.write(JSON.stringify(report, null, 2) + '\n')
    else if (f.output === 'yaml') await this.write((await import('yaml')).stringify(report))
    else await this.write(formatVersion(report))
    return this.result([report])
  }
}
