/**
 * The multi-interface mode (src/resources/multi-interface.ts): calicoctl reads MULTI_INTERFACE_MODE (Calico
 * Enterprise libcalico-go conversion/workload_endpoint.go); xctl's --multi-interface-mode flag wins over it, and the
 * operator's Installation only ever gives a hint.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ApiError, ClusterError} from '../../src/core/errors.js'
import type {KubeObject} from '../../src/kube/types.js'
import {installationUsesMultus, resolveMultiInterfaceMode} from '../../src/resources/multi-interface.js'
import type {ApiKind, ObjectSource} from '../../src/sources/source.js'

describe('resolveMultiInterfaceMode', () => {
  it('the flag wins over the environment, in any case', () => {
    assert.deepEqual(resolveMultiInterfaceMode('Multus', {MULTI_INTERFACE_MODE: 'none'}), {
      mode: 'multus',
      explicit: true,
    })
    assert.deepEqual(resolveMultiInterfaceMode('none', {MULTI_INTERFACE_MODE: 'multus'}), {
      mode: 'none',
      explicit: true,
    })
  })

  it('MULTI_INTERFACE_MODE as calicoctl reads it; unset or empty is none, not chosen', () => {
    assert.deepEqual(resolveMultiInterfaceMode(undefined, {MULTI_INTERFACE_MODE: 'MULTUS'}), {
      mode: 'multus',
      explicit: true,
    })
    assert.deepEqual(resolveMultiInterfaceMode(undefined, {}), {mode: 'none', explicit: false})
    assert.deepEqual(resolveMultiInterfaceMode(undefined, {MULTI_INTERFACE_MODE: ''}), {mode: 'none', explicit: false})
  })

  it('an unknown value falls back to none with a warning that names it', () => {
    assert.deepEqual(resolveMultiInterfaceMode(undefined, {MULTI_INTERFACE_MODE: 'sriov'}), {
      mode: 'none',
      explicit: true,
      warning: 'MULTI_INTERFACE_MODE="sriov" is not one of multus, none; using none',
    })
  })
})

describe('installationUsesMultus', () => {
  const source = (get: (kind: ApiKind, name: string) => Promise<KubeObject | undefined>) =>
    ({get: (kind: ApiKind, _ns: string | undefined, name: string) => get(kind, name)}) as unknown as ObjectSource

  it('reads the operator Installation "default": multiInterfaceMode Multus, in any case', async () => {
    const asked: string[] = []
    const multus = source(async (kind, name) => {
      asked.push(`${kind.group}/${kind.version} ${kind.plural} ${name}`)
      return {metadata: {name}, spec: {calicoNetwork: {multiInterfaceMode: 'Multus'}}}
    })
    assert.equal(await installationUsesMultus(multus), true)
    assert.deepEqual(asked, ['operator.tigera.io/v1 installations default'])
    const none = source(async (_k, name) => ({metadata: {name}, spec: {calicoNetwork: {multiInterfaceMode: 'None'}}}))
    assert.equal(await installationUsesMultus(none), false)
    assert.equal(await installationUsesMultus(source(async () => undefined)), false)
  })

  it('an API that refuses (no operator, no permission) means no hint; other failures still surface', async () => {
    const forbidden = source(async () => {
      throw new ApiError(403, 'Forbidden', 'installations.operator.tigera.io "default" is forbidden')
    })
    assert.equal(await installationUsesMultus(forbidden), false)
    const unreachable = source(async () => {
      throw new ClusterError('connection refused')
    })
    await assert.rejects(installationUsesMultus(unreachable), ClusterError)
  })
})
