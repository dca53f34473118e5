import type {XctlError} from '../core/errors.js'
import type {KubeObject} from '../kube/types.js'
import type {ResourceDescriptor} from '../resources/descriptor.js'

/** What every printer is told once, before the first page. */
export interface PrintOptions {
  descriptor: ResourceDescriptor
  /** Show the NAMESPACE column (calicoctl: when -n or -A was given). */
  showNamespace: boolean
  noHeaders: boolean
  /** Exactly one named object: YAML/JSON print it bare rather than as a List. */
  single: boolean
  /** Colour is allowed (a terminal, NO_COLOR unset). */
  color: boolean
  /** kubectl's --template: the template (or file) of -o go-template, jsonpath and their file forms. */
  template?: string
  /** kubectl's --allow-missing-template-keys (default true): false makes a missing key an error. */
  allowMissingKeys?: boolean
}

/**
 * What a printer reads of each object: `columns` = only what its descriptor's columns and `metadata.name` show
 * (derived objects such as WorkloadEndpoints may then be built with just those fields); `full` = anything.
 */
export type ObjectDetail = 'columns' | 'full'

/**
 * The -o value in effect (kubectl's PrintFlags.ToPrinter): `--template` without `-o` means `-o go-template`.
 */
export function outputFormat(flags: {output?: string; template?: string}): string | undefined {
  return !flags.output && flags.template ? 'go-template' : flags.output
}

/**
 * What the printer for `-o FORMAT` reads: the ps and wide tables read their descriptor's columns and the name
 * printer reads names; yaml, json, jsonpath and custom-columns may read any field, so they get whole objects.
 */
export function detailFor(format: string | undefined): ObjectDetail {
  return format === undefined || format === 'ps' || format === 'wide' || format === 'name' ? 'columns' : 'full'
}

/**
 * One implementation per `-o` format (kubectl cli-runtime's ResourcePrinter), shaped for streaming:
 * `page` is called for each page of objects as it arrives and returns the text to write now.
 */
export interface Printer {
  page(objects: KubeObject[]): string
  /**
   * Set when page() called on consecutive parts of a page prints what one call on the whole page prints
   * (json, yaml): the caller then hands a page over this many objects at a time, so a page's output (~5 MB
   * of JSON at 500 pods) never exists as one string. Tables must not be split: a page sets column widths.
   */
  readonly objectsPerCall?: number
  /** Text that closes the output (a List's end, or a header for an empty table). */
  end(): string
  /** Set by end() when its text is what printed before a failure (a Go template that failed): exit with it. */
  failure?: XctlError
}
