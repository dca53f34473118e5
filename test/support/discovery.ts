// Discovery documents: legacy (/api, /apis, /apis/<g>, /apis/<g>/<v>) and aggregated
// (apidiscovery.k8s.io/v2 APIGroupDiscoveryList, which kubectl 1.32 asks for first).

import type {Registry} from './registry.js'
import {storageVersionHash, type ResourceInfo} from './resources.js'

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'

function apiResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  }
  if (r.shortNames.length) out.shortNames = r.shortNames
  if (r.categories.length) out.categories = r.categories
  const storageVersion = r.aggregated ? r.version : r.storageApiVersion.split('/').pop()!
  out.storageVersionHash = storageVersionHash(r.group, storageVersion, r.kind)
  return out
}

function statusResource(r: ResourceInfo): Record<string, unknown> {
  return {
    name: `${r.resource}/status`,
    singularName: '',
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['get', 'patch', 'update'],
  }
}

/** APIResourceList for one group version (the core one has no apiVersion field). */
export function resourceList(reg: Registry, group: string, version: string): Record<string, unknown> {
  const resources: unknown[] = []
  for (const r of reg.resourcesOf(group, version)) {
    resources.push(apiResource(r))
    if (r.statusSubresource) resources.push(statusResource(r))
  }
  const gv = group ? `${group}/${version}` : version
  return group
    ? {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources}
    : {kind: 'APIResourceList', groupVersion: gv, resources}
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]}
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({groupVersion: `${name}/${v}`, version: v}))
  return {name, versions: vs, preferredVersion: vs[0]}
}

export function apiGroupList(reg: Registry): Record<string, unknown> {
  return {kind: 'APIGroupList', apiVersion: 'v1', groups: reg.groups().map((g) => groupEntry(g.name, g.versions))}
}

export function apiGroup(reg: Registry, name: string): Record<string, unknown> | undefined {
  const g = reg.group(name)
  return g && {kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.name, g.versions)}
}

// ---- aggregated ----

function discoveryResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: {group: r.group, version: r.version, kind: r.kind},
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  }
  if (r.shortNames.length) out.shortNames = r.shortNames
  if (r.categories.length) out.categories = r.categories
  if (r.statusSubresource)
    out.subresources = [
      {
        subresource: 'status',
        responseKind: {group: r.group, version: r.version, kind: r.kind},
        verbs: ['get', 'patch', 'update'],
      },
    ]
  return out
}

function discoveryGroup(reg: Registry, name: string, versions: string[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = name ? {name, creationTimestamp: null} : {creationTimestamp: null}
  return {
    metadata,
    versions: versions.map((v) => ({
      version: v,
      resources: reg.resourcesOf(name, v).map(discoveryResource),
      freshness: 'Current',
    })),
  }
}

export function aggregatedDiscovery(reg: Registry, legacyCore: boolean, apiVersion: string): Record<string, unknown> {
  const items = legacyCore
    ? [discoveryGroup(reg, '', ['v1'])]
    : reg.groups().map((g) => discoveryGroup(reg, g.name, g.versions))
  return {kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items}
}
