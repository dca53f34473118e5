import {ApiError} from '../core/errors.js'
import type {KubeObject} from '../kube/types.js'
import {detectCalicoStorage} from '../resources/calico-storage.js'
import type {CalicoStorage} from '../resources/descriptor.js'
import type {ClusterSource} from '../sources/cluster.js'
import type {ObjectSource} from '../sources/source.js'
import {clusterInformation} from '../resources/calico.js'
import {apiKindFor} from '../resources/coordinates.js'
import {resolveMultiInterfaceMode, installationUsesMultus} from '../resources/multi-interface.js'

export interface VersionReport {
  clientVersion: string
  kubernetesVersion?: string
  calicoVersion?: string
  calicoStorage?: CalicoStorage
  multiInterfaceMode: string
  /** With --local: where the report was read from (the -f paths), instead of a cluster. */
  files?: string
  warnings: string[]
}

/** Client, cluster and Calico versions; a Calico version other than xctl's is a warning, never a refusal. */
export async function versionReport(
  clientVersion: string,
  source?: ClusterSource,
  calicoTarget = 'v3.32',
): Promise<VersionReport> {
  const mode = resolveMultiInterfaceMode(undefined)
  const report: VersionReport = {
    clientVersion,
    multiInterfaceMode: mode.explicit ? mode.mode : 'none (MULTI_INTERFACE_MODE unset)',
    warnings: [],
  }
  if (!source) return report
  const [info, groups] = await Promise.all([source.client.get<{gitVersion?: string}>('/version'), source.apiGroups()])
  report.kubernetesVersion = info.gitVersion
  report.calicoStorage = detectCalicoStorage(groups)
  const coords = report.calicoStorage === 'crd-v1' ? 'crd.projectcalico.org/v1' : 'projectcalico.org/v3'
  try {
    const ci = await source.client.get<KubeObject>(`/apis/${coords}/clusterinformations/default`)
    report.calicoVersion = ci.spec?.calicoVersion
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error
  }
  if (!mode.explicit && (await installationUsesMultus(source)))
    report.multiInterfaceMode = 'multus (from the Installation; set MULTI_INTERFACE_MODE=multus)'
  if (report.calicoVersion && !report.calicoVersion.replace(/^v/, '').startsWith(calicoTarget.replace(/^v/, ''))) {
    report.warnings.push(
      `the cluster runs Calico ${report.calicoVersion}; xctl ${clientVersion} was written ` +
        `against Calico ${calicoTarget}.x (continuing)`,
    )
  }
  return report
}

/**
 * `version --local -f FILES`: what the files say, as the cluster would (the ClusterInformation's Calico version, the
 * Installation's multi-interface mode); there is no Kubernetes version or storage mode to report offline.
 */
export async function localVersionReport(
  clientVersion: string,
  source: ObjectSource | undefined,
  paths: string[],
): Promise<VersionReport> {
  const report = await versionReport(clientVersion)
  if (!source) return report
  report.files = paths.join(', ')
  for (const mode of ['v3-crd', 'crd-v1'] as const) {
    const ci = await source.get(apiKindFor(clusterInformation, mode), undefined, 'default')
    report.calicoVersion ??= ci?.spec?.calicoVersion
  }
  if (!resolveMultiInterfaceMode(undefined).explicit && (await installationUsesMultus(source)))
    report.multiInterfaceMode = 'multus (from the Installation; set MULTI_INTERFACE_MODE=multus)'
  return report
}

export function formatVersion(r: VersionReport): string {
  const rows: Array<[string, string | undefined]> = [
    ['Client Version:', r.clientVersion],
    ['Read From:', r.files],
    ['Kubernetes Version:', r.kubernetesVersion],
    ['Calico Version:', r.calicoVersion ?? (r.calicoStorage ? 'unknown' : undefined)],
    ['Calico Storage:', r.calicoStorage],
    ['Multi-interface Mode:', r.multiInterfaceMode],
  ]
  return (
    rows
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k.padEnd(22)}${v}`)
      .join('\n') + '\n'
  )
}
