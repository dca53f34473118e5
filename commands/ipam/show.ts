import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base.js'
import {readFlags} from '../../src/cli/flags.js'
import {ResourceError} from '../../src/core/errors.js'
import {checkOutputFormat, formatReport} from '../../src/ipam/render.js'
import {ipamShow, type ShowReport} from '../../src/ipam/show.js'
import type {CommandResult} from '../../src/cli/result.js'

const views = ['ip', 'show-blocks', 'show-borrowed', 'show-configuration']

export default class IpamShow extends BaseCommand<typeof IpamShow> {
  static summary = 'Show Calico IPAM: addresses in use and free per IP pool, blocks, one address, borrowed addresses.'
  static description =
    `As calicoctl ipam show, read from the datastore in every Calico storage mode (or ` +
    `from files with --local -f).
--nad NAME shows only the pools that NetworkAttachmentDefinition's Calico IPAM config ` +
    `uses (ipam.ipv4_pools/ipv6_pools; none: every pool) and says why its interfaces ` +
    `would get no address (exit 1 then).
A pool that is full, or has no free address in any block and no room for another ` +
    `block, is named on stderr.`
  static outputFormats = ['json', 'yaml']
  static flags = {
    ip: Flags.string({summary: 'Report whether this IP address is in use, and by what.', exclusive: views.slice(1)}),
    'show-blocks': Flags.boolean({summary: 'Show the blocks of each pool, with their affinity node.'}),
    'show-borrowed': Flags.boolean({
      summary: 'Show addresses a node took from a block another node has affinity for.',
      exclusive: ['show-blocks', 'show-configuration', 'nad'],
    }),
    'show-configuration': Flags.boolean({
      summary: 'Show the IPAM configuration (StrictAffinity, ...).',
      exclusive: ['show-blocks', 'nad'],
    }),
    nad: Flags.string({
      summary: "Only the pools this NetworkAttachmentDefinition's Calico IPAM uses (-n: its namespace).",
      exclusive: ['ip'],
    }),
    local: readFlags.local,
    filename: readFlags.filename,
    recursive: readFlags.recursive,
  }
  static examples = [
    '<%= config.bin %> ipam show',
    '<%= config.bin %> ipam show --show-blocks',
    '<%= config.bin %> ipam show --ip=10.0.0.5',
    '<%= config.bin %> ipam show --nad additional-calico-network -n default --show-blocks',
    '<%= config.bin %> ipam show --local -f examples/multus',
  ]

  async run(): Promise<CommandResult<ShowReport>> {
    const f = this.flags
    checkOutputFormat(f.output)
    const report = await ipamShow(await this.openSource(f), {
      ip: f.ip,
      showBlocks: f['show-blocks'],
      showBorrowed: f['show-borrowed'],
      showConfiguration: f['show-configuration'],
      nad: f.nad,
      namespace: f.namespace,
    })
    await this.write(await formatReport(report, f.output))
    if (report.view === 'usage') {
      for (const w of report.warnings) this.session.warn(`Warning: ${w}`)
      if (report.failure) throw new ResourceError(report.failure)
    }
    return this.result([report])
  }
}
