/** The shape every Kubernetes object shares; kind-specific fields stay loosely typed. */
export interface ObjectMeta {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  managedFields?: unknown[]
  [key: string]: unknown
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: any
  status?: any
  [key: string]: unknown
}

export interface KubeList {
  apiVersion?: string
  kind?: string
  metadata?: {continue?: string; resourceVersion?: string; remainingItemCount?: number}
  items?: KubeObject[]
}
