import {isJsonObject} from '../../core/go-json.js'
import type {Check} from '../context.js'
import {escapePointer, unescapePointer} from '../../core/json-pointer.js'
import {scanJson, scanMayFind, type JsonDuplicate, type JsonIssue, type JsonScan} from '../../core/json-scan.js'
import {didYouMean, labelProblem, nearest, show} from '../text.js'
import {checkCalicoIpam, checkCalicoPlugin} from './nad-calico.js'
import {ConfigView} from './nad-config-view.js'
import {checkNamespace, nameOf, type KindRules} from './common.js'

/**
 * NetworkAttachmentDefinitions (k8s.cni.cncf.io/v1): the object, then the CNI JSON inside spec.config, with
 * every problem placed at its line and column in the file. Facts: multus.md §1 and §4.
 */
const NAD_API_VERSION = 'k8s.cni.cncf.io/v1'
const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']
/** The calico and calico-ipam plugins report PluginSupports up to 1.0.0 (multus.md §4.1). */
const CALICO_MAX_CNI_VERSION = '1.0.0'
const CNI_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const CALICO_NAME = /^[a-zA-Z0-9_.-]+$/
const CALICO_TYPES = new Set(['calico', 'calico-ipam'])

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}

/** The spec versions newer than the calico plugins support. */
const NEWER_THAN_CALICO = new Set(CNI_VERSIONS.filter((v) => compareVersions(v, CALICO_MAX_CNI_VERSION) > 0))

export const nadRules: KindRules = {
  matches: (kind) => kind === 'NetworkAttachmentDefinition',
  namespaced: true,
  check(c, o) {
    if (o.apiVersion !== NAD_API_VERSION) {
      const has = typeof o.apiVersion === 'string' && o.apiVersion !== ''
      c.report(
        'nad/api-version',
        '/apiVersion',
        `apiVersion is ${has ? show(o.apiVersion) : 'empty'}; a NetworkAttachmentDefinition ` +
          `is apiVersion: ${NAD_API_VERSION}`,
      )
    }
    checkNadName(c, o)
    checkNamespace(c, o, true)
    const config = configText(c, o.spec)
    if (config !== undefined) checkCniConfig(c, '/spec/config', config)
  },
}

/** A DNS-1123 label; a valid name is remembered so pods' networks annotations can be checked against it. */
function checkNadName(c: Check, o: Record<string, unknown>): void {
  const name = nameOf(c, o, 'nad/name')
  if (name === undefined) return
  const problem = labelProblem(name)
  if (problem)
    c.report(
      'nad/name',
      '/metadata/name',
      `name ${show(name)} is not a valid NetworkAttachmentDefinition name: ${problem} (a ` +
        `DNS-1123 label, as the network-plumbing spec and the networks annotation require)`,
    )
  else c.knowledge.addNad(c.resource.namespace!, name, () => c.finding('pod/network-namespace', '', ''))
}

/** spec.config when it is a non-empty string; otherwise reports why Multus cannot use it and returns undefined. */
function configText(c: Check, spec: unknown): string | undefined {
  if (spec === undefined || spec === null) {
    c.report(
      'nad/config-missing',
      '',
      'spec.config is missing: Multus then looks for a CNI config file named after this ' +
        'NAD in /etc/cni/multus/net.d on every node; put the CNI JSON in spec.config unless ' +
        'that is intended',
    )
    return undefined
  }
  if (!isJsonObject(spec)) {
    c.report(
      'nad/config-type',
      '/spec',
      `spec is ${show(spec)}; it must be a mapping holding config: <CNI JSON as a string>`,
    )
    return undefined
  }
  const config = spec.config
  if (config === undefined || config === null || (typeof config === 'string' && config.trim() === '')) {
    c.report(
      'nad/config-missing',
      config === undefined || config === null ? '/spec' : '/spec/config',
      'spec.config is empty: Multus then looks for a CNI config file named after this NAD ' +
        'in /etc/cni/multus/net.d on every node; put the CNI JSON in spec.config unless that ' +
        'is intended',
    )
    return undefined
  }
  if (typeof config !== 'string') {
    const form = isJsonObject(config) ? 'a YAML mapping' : Array.isArray(config) ? 'a YAML list' : show(config)
    c.report(
      'nad/config-type',
      '/spec/config',
      `spec.config is ${form}, but it must be a string holding JSON: write "config: |" ` +
        `and the JSON on the following lines, or quote the JSON ('{...}')`,
    )
    return undefined
  }
  return config
}

/** A CNI config held in the string at `pointer`: JSON syntax, then the CNI and plugin rules. */
function checkCniConfig(c: Check, pointer: string, text: string): void {
  let value: unknown
  let parsed = true
  try {
    value = JSON.parse(text)
  } catch {
    parsed = false
  }
  // JSON.parse neither places errors nor sees duplicate keys: the scanner does, when it may find something.
  const scan = parsed && !scanMayFind(text, value) ? NOTHING_FOUND : scanJson(text)
  if (!parsed || scan.errors.length > 0) {
    reportJsonErrors(c, pointer, text, scan.errors)
    return
  }
  const cfg = new ConfigView(c, pointer, text)
  reportDuplicateKeys(c, pointer, scan.duplicates)
  if (!isJsonObject(value)) {
    c.report(
      'nad/config-not-object',
      pointer,
      `spec.config is the JSON ${Array.isArray(value) ? 'list' : show(value)}, but a CNI ` +
        `config is a JSON object: {"cniVersion": "1.0.0", "type": "calico", ...} or a conflist ` +
        `{"cniVersion": ..., "name": ..., "plugins": [...]}`,
      {offset: cfg.offset('')},
    )
    return
  }
  checkReservedKeys(cfg, '', value)
  // Only conflists are read by libcni's ConfListFromBytes; a single plugin config is wrapped without these flags.
  if (value.type === undefined && !checkConflistFlags(cfg, value)) return
  const plugins = value.plugins
  const calico = usesCalico(value)
  checkCniVersion(cfg, value, calico)
  checkCniName(cfg, value, calico)
  if (plugins !== undefined) {
    checkConflistPlugins(cfg, plugins)
    return
  }
  if (value.type === undefined) {
    cfg.report(
      'nad/plugin-type',
      '',
      'spec.config has no "type": a single CNI config needs "type" (the plugin to run, ' +
        'e.g. "calico"), or "plugins": [...] for a conflist; Multus treats a config without ' +
        '"type" as a conflist and fails',
    )
    return
  }
  checkPlugin(cfg, '', value)
}

function reportDuplicateKeys(c: Check, pointer: string, duplicates: JsonDuplicate[]): void {
  for (const d of duplicates) {
    c.report(
      'nad/config-duplicate-key',
      pointer,
      `spec.config has ${show(d.key)} twice in ${jsonPath(parentOf(d.pointer)) || 'the top level'} ` +
        `(first at ${c.where(pointer, d.firstOffset)}); only the last value counts`,
      {offset: d.offset},
    )
  }
}

/** A conflist's "plugins": a non-empty list of plugin configs. */
function checkConflistPlugins(cfg: ConfigView, plugins: unknown): void {
  if (!Array.isArray(plugins) || plugins.length === 0) {
    cfg.report(
      'nad/plugins',
      '/plugins',
      `"plugins" is ${show(plugins)}; a conflist needs a non-empty list of plugin configs, each with a "type"`,
    )
    return
  }
  plugins.forEach((p, i) => {
    const ptr = `/plugins/${i}`
    if (!isJsonObject(p)) {
      cfg.report('nad/plugins', ptr, `plugins[${i}] is ${show(p)}; each plugin config is a JSON object with a "type"`)
      return
    }
    checkReservedKeys(cfg, ptr, p)
    checkPlugin(cfg, ptr, p)
  })
}

const NOTHING_FOUND: JsonScan = {errors: [], duplicates: []}
/** libcni's readBool (containernetworking/cni libcni/conf.go): a boolean, or "true"/"false" in any case. */
const CONFLIST_FLAGS = ['disableCheck', 'disableGC', 'loadOnlyInlinedPlugins']

/** The conflist flags libcni reads before the plugins; false when libcni refuses the conflist. */
function checkConflistFlags(cfg: ConfigView, value: Record<string, unknown>): boolean {
  let ok = true
  const flag: Record<string, boolean> = {}
  for (const key of CONFLIST_FLAGS) {
    if (!Object.hasOwn(value, key)) continue
    const v = value[key]
    if (typeof v === 'boolean') flag[key] = v
    else if (typeof v === 'string' && /^(true|false)$/i.test(v)) flag[key] = v.toLowerCase() === 'true'
    else {
      ok = false
      const got =
        typeof v === 'string' ? `invalid value ${JSON.stringify(v.toLowerCase())}` : `invalid type ${goTypeName(v)}`
      cfg.report(
        'nad/conflist-flag',
        `/${key}`,
        `${key} is ${show(v)}; it must be true or false (libcni refuses the conflist: error ` +
          `parsing configuration list: ${got} for ${key})`,
      )
    }
  }
  if (flag.loadOnlyInlinedPlugins === true && value.plugins === undefined) {
    cfg.report(
      'nad/conflist-flag',
      '/loadOnlyInlinedPlugins',
      'loadOnlyInlinedPlugins is true but there is no "plugins" list (libcni: error parsing ' +
        "configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key); add " +
        'the plugins or drop the flag',
    )
    ok = false
  }
  return ok
}

/** Go's %T of a decoded JSON value, as libcni prints it. */
function goTypeName(v: unknown): string {
  if (v === null) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (typeof v === 'object') return 'map[string]interface {}'
  return typeof v === 'number' ? 'float64' : typeof v
}

function reportJsonErrors(c: Check, pointer: string, text: string, errors: JsonIssue[]): void {
  if (errors.length === 0) {
    c.report('nad/config-json', pointer, 'spec.config is not valid JSON', {offset: 0})
    return
  }
  for (const e of errors.slice(0, 10)) {
    let message = `spec.config is not valid JSON: ${e.message}`
    if (e.unclosed && e.unclosed.length > 0) message += `: ${describeUnclosed(c, pointer, text, e.unclosed)}`
    message += ` (Multus: ${e.goMessage})`
    // An unexpected end is best shown where the text ends, which is inside the closing quote or block.
    c.report('nad/config-json', pointer, message, {offset: Math.min(e.offset, Math.max(0, text.length - 1))})
  }
}

/** `add '}' for "kubernetes" (opened at line 19, column 19), ...`, innermost first, as they would be closed. */
function describeUnclosed(
  c: Check,
  pointer: string,
  text: string,
  unclosed: Array<{offset: number; pointer: string}>,
): string {
  const parts = [...unclosed].reverse().map((u) => {
    const close = text[u.offset] === '[' ? ']' : '}'
    const of =
      u.pointer === ''
        ? 'the outermost object'
        : JSON.stringify(unescapePointer(u.pointer.slice(u.pointer.lastIndexOf('/') + 1)))
    return `'${close}' for ${of} (opened at ${c.where(pointer, u.offset)})`
  })
  return `add ${parts.join(', ')}`
}

function parentOf(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'))
}

/** `/ipam/type` → `ipam.type`, for messages. */
function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(unescapePointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('')
}

function usesCalico(cfg: Record<string, unknown>): boolean {
  const plugins = Array.isArray(cfg.plugins) ? cfg.plugins : [cfg]
  return plugins.some(
    (p) =>
      isJsonObject(p) &&
      (CALICO_TYPES.has(String(p.type)) || (isJsonObject(p.ipam) && CALICO_TYPES.has(String(p.ipam.type)))),
  )
}

function checkReservedKeys(cfg: ConfigView, ptr: string, obj: Record<string, unknown>): void {
  for (const key of Object.keys(obj)) {
    if (key === 'runtimeConfig' || key === 'args' || key.startsWith('cni.dev/')) {
      cfg.report(
        'nad/reserved-key',
        `${ptr}/${escapePointer(key)}`,
        `${show(key)} is reserved by the CNI spec for the container runtime (runtimeConfig, ` +
          `args, cni.dev/...); a value set in the config may be overwritten or ignored${key === 'args' ? ' (per-pod arguments belong in the networks annotation\'s "cni-args")' : ''}`,
        true,
      )
    }
  }
}

function checkCniVersion(cfg: ConfigView, value: Record<string, unknown>, calico: boolean): void {
  const v = value.cniVersion
  if (v === undefined) {
    cfg.report(
      'nad/cni-version-missing',
      '',
      `spec.config has no "cniVersion"; the CNI spec requires it and plugins fall back ` +
        `to old defaults (calico: 0.2.0): add "cniVersion": "${calico ? CALICO_MAX_CNI_VERSION : '1.0.0'}"`,
    )
    return
  }
  if (typeof v !== 'string') {
    cfg.report('nad/cni-version', '/cniVersion', `cniVersion is ${show(v)}; it must be a string such as "1.0.0"`)
    return
  }
  if (!CNI_VERSIONS.includes(v)) {
    const near = nearest(v, CNI_VERSIONS)
    cfg.report(
      'nad/cni-version',
      '/cniVersion',
      `cniVersion ${show(v)} is not a CNI spec version (${CNI_VERSIONS.join(', ')})${near ? `; did you mean "${near}"?` : ''}`,
    )
    return
  }
  if (calico && NEWER_THAN_CALICO.has(v)) {
    cfg.report(
      'nad/cni-version',
      '/cniVersion',
      `cniVersion "${v}" is newer than the calico plugins support (up to ${CALICO_MAX_CNI_VERSION}): ` +
        `pods using this network stay in ContainerCreating with "incompatible CNI versions" ` +
        `(tigera/docs#2949); use "${CALICO_MAX_CNI_VERSION}"`,
    )
  }
}

function checkCniName(cfg: ConfigView, value: Record<string, unknown>, calico: boolean): void {
  const n = value.name
  if (n === undefined) return
  if (typeof n !== 'string') {
    cfg.report(
      'nad/cni-name',
      '/name',
      `the CNI "name" is ${show(n)}; it must be a string (or be left out: Multus then uses ` +
        `the NetworkAttachmentDefinition's name)`,
    )
    return
  }
  if (n === '') return
  if (!CNI_NAME.test(n)) {
    const also = calico && !CALICO_NAME.test(n) ? ' (the calico plugin also refuses it)' : ''
    cfg.report(
      'nad/cni-name',
      '/name',
      `the CNI "name" ${show(n)} is invalid: it must start with a letter or digit and contain ` +
        `only letters, digits, '_', '.' and '-'${also}`,
    )
  }
}

function checkPlugin(cfg: ConfigView, ptr: string, p: Record<string, unknown>): void {
  const type = p.type
  if (type === undefined || type === null || type === '') {
    cfg.report(
      'nad/plugin-type',
      ptr,
      `${ptr ? `plugins[${ptr.split('/').pop()}]` : 'the config'} has no "type": name the plugin to run, e.g. "calico"`,
    )
    return
  }
  if (typeof type !== 'string') {
    cfg.report(
      'nad/plugin-type',
      `${ptr}/type`,
      `"type" is ${show(type)}; it must be the plugin's name as a string, e.g. "calico"`,
    )
    return
  }
  if (/[/\\]/.test(type)) {
    cfg.report(
      'nad/plugin-type',
      `${ptr}/type`,
      `"type" ${show(type)} contains '/' or '\\': it is the name of a plugin binary in ` +
        `the CNI bin directory (e.g. "calico"), not a path`,
    )
    return
  }
  if (/^calico[-_]?ipam$/i.test(type) && type !== 'calico-ipam') {
    cfg.report(
      'nad/plugin-type',
      `${ptr}/type`,
      `"type" ${show(type)} names no plugin${didYouMean(type, ['calico-ipam'])}`,
    )
  } else if (/^calico$/i.test(type) && type !== 'calico') {
    cfg.report(
      'nad/plugin-type',
      `${ptr}/type`,
      `"type" ${show(type)} names no plugin: plugin names are case-sensitive${didYouMean(type, ['calico'])}`,
    )
  }
  if (type === 'calico') checkCalicoPlugin(cfg, ptr, p)
  else if (isJsonObject(p.ipam) && p.ipam.type === 'calico-ipam') checkCalicoIpam(cfg, `${ptr}/ipam`, p.ipam)
}
