import {matchesFieldSelector, matchesLabelSelector, parseLabelSelector} from '../kube/selectors.js'
import type {KubeObject} from '../kube/types.js'
import {InputError} from '../core/errors.js'
import {kubectlDecodeProblem} from '../manifests/object.js'
import {readManifests, type ReadOptions} from '../manifests/read.js'
import {apiVersionOf, type ApiKind, type ListQuery, type ObjectSource} from './source.js'

/** Objects read from manifest files (`--local -f`): the same objects a cluster would return, no cluster needed. */
export class ManifestSource implements ObjectSource {
  private objects?: Promise<KubeObject[]>

  constructor(
    private readonly paths: string[],
    readonly defaultNamespace: string,
    private readonly options: ReadOptions = {},
  ) {}

  private load(): Promise<KubeObject[]> {
    this.objects ??= (async () => {
      const out: KubeObject[] = []
      for await (const doc of readManifests(this.paths, this.options)) {
        if (doc.errors.length > 0) {
          const e = doc.errors[0]
          throw new InputError(
            `${doc.file}:${e.line}:${e.column}: ${e.message}`,
            `fix the YAML/JSON syntax (xctl validate -f ${doc.file} lists every problem)`,
          )
        }
        // kubectl refuses these documents (no kind, a label that is not a string, ...): so does xctl.
        const problem = kubectlDecodeProblem(doc.object)
        if (problem) {
          const at = doc.locate(problem.pointer) ?? doc.position
          throw new InputError(
            `${doc.file}:${at.line}:${at.column}: ${problem.message}`,
            `fix the document (kubectl refuses it the same way); xctl validate -f ${doc.file} lists every problem`,
          )
        }
        const o = doc.object as KubeObject
        o.metadata ??= {}
        out.push(o)
      }
      return out
    })()
    return this.objects
  }

  async *list(kind: ApiKind, query: ListQuery): AsyncIterable<KubeObject[]> {
    const labels = query.labelSelector ? parseLabelSelector(query.labelSelector) : undefined
    const matches = (await this.load()).filter((o) => {
      if (!isKind(o, kind)) return false
      if (
        kind.namespaced &&
        query.namespace !== undefined &&
        (o.metadata.namespace || this.defaultNamespace) !== query.namespace
      )
        return false
      if (labels && !matchesLabelSelector(labels, o.metadata.labels)) return false
      return matchesFieldSelector(query.fieldSelector, withNamespace(o, kind, this.defaultNamespace))
    })
    yield matches.map((o) => withNamespace(o, kind, this.defaultNamespace))
  }

  async get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    for await (const page of this.list(kind, {namespace})) {
      const found = page.find((o) => o.metadata.name === name)
      if (found) return found
    }
    return undefined
  }

  async apiGroups(): Promise<undefined> {
    return undefined
  }

  close(): void {}
}

function isKind(o: KubeObject, kind: ApiKind): boolean {
  return o.kind === kind.kind && o.apiVersion === apiVersionOf(kind)
}

// A manifest without a namespace lands in the current one, as `kubectl apply` would put it.
function withNamespace(o: KubeObject, kind: ApiKind, fallback: string): KubeObject {
  if (!kind.namespaced || o.metadata.namespace) return o
  return {...o, metadata: {...o.metadata, namespace: fallback}}
}
