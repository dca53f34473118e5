/**
 * `xctl version` (src/version/version.ts): what it reads from the cluster (Kubernetes /version, API discovery for the
 * Calico storage mode, the ClusterInformation's calicoVersion, the Installation's multi-interface mode) or from files
 * with --local, the warning for a Calico release xctl was not written against, and the printed lines (calicoctl's
 * `Key:` then value layout, values in one column).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {ApiError} from '../../src/core/errors.js'
import {withInvocation} from '../../src/core/streams.js'
import type {KubeObject} from '../../src/kube/types.js'
import type {ClusterSource} from '../../src/sources/cluster.js'
import {ManifestSource} from '../../src/sources/manifests.js'
import type {ApiKind} from '../../src/sources/source.js'
import {formatVersion, localVersionReport, versionReport} from '../../src/version/version.js'

/** Runs `fn` with exactly this environment (MULTI_INTERFACE_MODE is read from the run's environment). */
const withEnv = <T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>) =>
  withInvocation(
    {streams: {in: [], out: process.stdout, err: process.stderr}, env, cwd: process.cwd(), exitCode: 0},
    fn,
  )

/** A cluster answering /version, discovery, the ClusterInformation and the Installation. */
function cluster(opts: {groups: string[]; calicoVersion?: string; installationMode?: string}) {
  const paths: string[] = []
  const get = async (path: string) => {
    paths.push(path)
    if (path === '/version') return {gitVersion: 'v1.31.2'}
    if (path.endsWith('/clusterinformations/default') && opts.calicoVersion)
      return {metadata: {name: 'default'}, spec: {calicoVersion: opts.calicoVersion}}
    throw new ApiError(404, 'NotFound', `${path} not found`, {name: 'default'})
  }
  const source = {
    client: {get},
    apiGroups: async () => new Set(opts.groups),
    get: async (kind: ApiKind): Promise<KubeObject | undefined> =>
      kind.kind === 'Installation' && opts.installationMode
        ? {metadata: {name: 'default'}, spec: {calicoNetwork: {multiInterfaceMode: opts.installationMode}}}
        : undefined,
  }
  return {source: source as unknown as ClusterSource, paths}
}

describe('versionReport', () => {
  it('--client: the client version and the multi-interface mode, nothing read', async () => {
    const report = await withEnv({}, () => versionReport('0.1.0'))
    assert.deepEqual(report, {
      clientVersion: '0.1.0',
      multiInterfaceMode: 'none (MULTI_INTERFACE_MODE unset)',
      warnings: [],
    })
    assert.equal(
      (await withEnv({MULTI_INTERFACE_MODE: 'multus'}, () => versionReport('0.1.0'))).multiInterfaceMode,
      'multus',
    )
  })

  it('from the cluster: Kubernetes and Calico versions; the ClusterInformation read where the storage keeps it', async () => {
    const v1 = cluster({groups: ['crd.projectcalico.org/v1'], calicoVersion: 'v3.32.1'})
    const report = await withEnv({}, () => versionReport('0.1.0', v1.source))
    assert.equal(report.kubernetesVersion, 'v1.31.2')
    assert.equal(report.calicoVersion, 'v3.32.1')
    assert.equal(report.calicoStorage, 'crd-v1')
    assert.deepEqual(report.warnings, [])
    assert.ok(v1.paths.includes('/apis/crd.projectcalico.org/v1/clusterinformations/default'))
    const v3 = cluster({groups: ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], calicoVersion: 'v3.32.0'})
    assert.equal((await withEnv({}, () => versionReport('0.1.0', v3.source))).calicoStorage, 'apiserver-v3')
    assert.ok(v3.paths.includes('/apis/projectcalico.org/v3/clusterinformations/default'))
  })

  it('another Calico release is a warning, never a refusal', async () => {
    const {source} = cluster({groups: ['crd.projectcalico.org/v1'], calicoVersion: 'v3.29.3'})
    const report = await withEnv({}, () => versionReport('0.1.0', source))
    assert.deepEqual(report.warnings, [
      'the cluster runs Calico v3.29.3; xctl 0.1.0 was written against Calico v3.32.x (continuing)',
    ])
  })

  it('no ClusterInformation: the Calico version is unknown, not an error', async () => {
    const {source} = cluster({groups: []})
    const report = await withEnv({}, () => versionReport('0.1.0', source))
    assert.equal(report.calicoVersion, undefined)
    assert.match(formatVersion(report), /^Calico Version: {7}unknown$/m)
  })

  it("the Installation's Multus mode shows when MULTI_INTERFACE_MODE is unset, and not when it is set", async () => {
    const {source} = cluster({groups: [], installationMode: 'Multus'})
    assert.equal(
      (await withEnv({}, () => versionReport('0.1.0', source))).multiInterfaceMode,
      'multus (from the Installation; set MULTI_INTERFACE_MODE=multus)',
    )
    assert.equal(
      (await withEnv({MULTI_INTERFACE_MODE: 'none'}, () => versionReport('0.1.0', source))).multiInterfaceMode,
      'none',
    )
  })
})

describe('localVersionReport (--local -f)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xctl-version-test-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('the Calico version from a ClusterInformation (v3 or v1 form) and the mode from the Installation', async () => {
    const path = join(dir, 'cluster.yaml')
    writeFileSync(
      path,
      `apiVersion: crd.projectcalico.org/v1
kind: ClusterInformation
metadata: {name: default}
spec: {calicoVersion: v3.32.1}
---
apiVersion: operator.tigera.io/v1
kind: Installation
metadata: {name: default}
spec: {calicoNetwork: {multiInterfaceMode: Multus}}
`,
    )
    const report = await withEnv({}, () => localVersionReport('0.1.0', new ManifestSource([path], 'default'), [path]))
    assert.deepEqual(report, {
      clientVersion: '0.1.0',
      files: path,
      calicoVersion: 'v3.32.1',
      multiInterfaceMode: 'multus (from the Installation; set MULTI_INTERFACE_MODE=multus)',
      warnings: [],
    })
    // No Kubernetes version or storage offline: their lines are left out.
    assert.doesNotMatch(formatVersion(report), /Kubernetes|Storage/)
  })
})

describe('formatVersion', () => {
  it('one "Key:" line per known value, values from column 23, in a fixed order', () => {
    assert.equal(
      formatVersion({
        clientVersion: '0.1.0',
        kubernetesVersion: 'v1.31.2',
        calicoVersion: 'v3.32.1',
        calicoStorage: 'crd-v1',
        multiInterfaceMode: 'multus',
        warnings: ['not printed here'],
      }),
      'Client Version:       0.1.0\n' +
        'Kubernetes Version:   v1.31.2\n' +
        'Calico Version:       v3.32.1\n' +
        'Calico Storage:       crd-v1\n' +
        'Multi-interface Mode: multus\n',
    )
    assert.equal(
      formatVersion({clientVersion: '0.1.0', multiInterfaceMode: 'none', warnings: []}),
      'Client Version:       0.1.0\nMulti-interface Mode: none\n',
    )
  })
})
