import {Flags} from '@oclif/core'

/** Flags shared by the commands that read objects (get, describe, eval): cluster or --local manifests. */
export const readFlags = {
  'all-namespaces': Flags.boolean({char: 'A', summary: 'List across all namespaces.'}),
  selector: Flags.string({char: 'l', summary: 'Kubernetes label selector (e.g. app=web,tier!=db), sent to the API.'}),
  local: Flags.boolean({
    summary: 'Read pods, namespaces and resources from the files given with -f instead of a cluster.',
  }),
  filename: Flags.string({
    char: 'f',
    summary:
      'Manifest file or directory (- for stdin): with --local, read instead of the cluster; ' +
      'without, the objects to fetch from it.',
    multiple: true,
    multipleNonGreedy: true,
  }),
  recursive: Flags.boolean({char: 'R', summary: 'Walk directories given with -f recursively.'}),
}

/** kubectl's template flags of the printing commands (get, eval); see src/printers/factory.ts. */
export const templateFlags = {
  template: Flags.string({
    summary: 'Template (or template file) for -o go-template, jsonpath and their -file forms; alone: -o go-template.',
  }),
  'allow-missing-template-keys': Flags.boolean({
    summary: 'A missing key prints <no value> (go-template) or nothing (jsonpath); --no-... makes it an error.',
    default: true,
    allowNo: true,
  }),
}

export const multiInterfaceFlag = {
  'multi-interface-mode': Flags.option({
    options: ['multus', 'none'] as const,
    summary: 'One endpoint per pod interface (multus) or per pod (none); overrides MULTI_INTERFACE_MODE.',
  })(),
}

/** Flags of the commands that write objects from manifests (apply, create, replace). */
export const writeFlags = {
  filename: Flags.string({
    char: 'f',
    summary: 'Manifest file or directory (- for stdin).',
    multiple: true,
    multipleNonGreedy: true,
    required: true,
  }),
  recursive: Flags.boolean({char: 'R', summary: 'Walk directories recursively.'}),
  'dry-run': Flags.string({
    summary: 'none (default), client (nothing sent but reads) or server (the API validates, nothing is stored).',
    default: 'none',
  }),
  'skip-empty': Flags.boolean({summary: 'Input that holds no resources is no error (calicoctl).'}),
  'fail-on-unowned': Flags.boolean({
    summary: 'Objects of kinds xctl does not write (Namespace, Pod, Installation, ...) are errors, not "skipped" (CI).',
  }),
}

/** Flags of the commands that edit objects in place (label, patch). */
export const editFlags = {
  'dry-run': writeFlags['dry-run'],
}
