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
  // Arbitrary API content, narrowed by each kind's code (typing it unknown touches 8 rooms; left for a later change).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any
  [key: string]: unknown
}

export interface KubeList {
  apiVersion?: string
  kind?: string
  metadata?: {continue?: string; resourceVersion?: string; remainingItemCount?: number}
  items?: KubeObject[]
}
