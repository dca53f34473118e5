#!/usr/bin/env node
// Generates the man pages in man/ from oclif.manifest.json: xctl.1 (overview) and one xctl-<command>.1 per
// command, from each command's own summary, description, arguments, flags (global ones in their help group)
// and examples. No dependencies; `npm run build` runs it after `oclif manifest`.
//
//   node scripts/man.mjs              write man/ (removing pages of commands that no longer exist) and keep
//                                     package.json "man" listing every page (npm install -g links those)
//   node scripts/man.mjs --out DIR    write the pages to DIR instead (package.json untouched)
//   node scripts/man.mjs --check      exit 1 if man/ or package.json "man" differ from what the manifest gives
// Pages carry no date, so they only change when the commands do.
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const STALE_MESSAGE = 'man pages are stale: run npm run build'

// Exit codes are a contract with CI jobs: their meanings come from the built src/core/errors.ts; a command may
// refine them with a static `exitCodes`.
const {EXIT_CODE_MEANINGS} = await import(new URL('../dist/src/core/errors.js', import.meta.url).href)
const EXIT_CODES = EXIT_CODE_MEANINGS.map(([code, meaning]) => [String(code), meaning])

const ENVIRONMENT = [
  [
    'KUBECONFIG',
    'A list of kubeconfig files separated by colons, merged as kubectl merges them. Used when --kubeconfig is not given; the default is ~/.kube/config.',
  ],
  [
    'MULTI_INTERFACE_MODE',
    'multus: one WorkloadEndpoint per pod interface, from the Multus network-status annotation or else the k8s.v1.cni.cncf.io/networks annotation. Unset or none: one WorkloadEndpoint per pod. The --multi-interface-mode flag wins over it.',
  ],
  [
    'FELIX_INTERFACEPREFIX',
    'The host-side interface (veth) prefixes Felix uses, separated by commas; xctl names interfaces with the first one. Default: cali.',
  ],
  ['NO_COLOR', 'When set to a non-empty value, output has no colour. Colour is only used on a terminal in any case.'],
  ['XDG_CACHE_HOME', 'Where shell completion scripts are cached (see FILES).'],
]

const FILES = [
  ['~/.kube/config', 'The kubeconfig used when neither --kubeconfig nor KUBECONFIG is set.'],
  [
    '$XDG_CACHE_HOME/xctl/autocomplete/',
    'Completion scripts written by xctl autocomplete (default ~/.cache/xctl/autocomplete/).',
  ],
]

/** Commands that come from oclif plugins rather than from commands/. */
const PLUGIN_COMMANDS = [
  ['help [COMMAND]', 'Show help for xctl or for one command (also: xctl COMMAND --help).'],
  [
    'autocomplete [SHELL]',
    'Print the setup instructions for bash or zsh completion and write the completion scripts (see SHELL COMPLETION).',
  ],
]

// ---------------------------------------------------------------------------------------------------------------
// roff

/** Escapes text for a roff text line: backslashes, hyphens (so flags copy as ASCII `-`), quotes, control characters. */
export function esc(text) {
  return String(text)
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replaceAll("'", '\\(aq')
    .replaceAll('`', '\\(ga')
    .replaceAll('~', '\\(ti')
    .replaceAll('^', '\\(ha')
}

/**
 * Text lines, never starting with a control character (`.` or `'`) or blank. A line that ends a sentence keeps its
 * line break (as in --help: descriptions are often one statement a line); other lines are filled.
 */
function lines(text) {
  return String(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .map((l, i, all) => (i < all.length - 1 && /[.:!?]$/.test(l) ? `${l}\n.br` : l))
    .join('\n')
}

/** Escaped, filled text of one paragraph (never an empty line: that would print a blank line). */
const para = (text) => lines(esc(text)) || '\\&'

/** Verbatim lines (examples): not filled, leading spaces kept. */
function verbatim(text) {
  return String(text)
    .split('\n')
    .map((l) => esc(l.trimEnd()))
    .map((l) => (/^[.']/.test(l) || l === '' ? `\\&${l}` : l))
    .join('\n')
}

const bold = (s) => `\\fB${esc(s)}\\fR`
const italic = (s) => `\\fI${esc(s)}\\fR`

// ---------------------------------------------------------------------------------------------------------------
// metadata

/** oclif renders `<%= config.bin %>` and `<%= command.id %>` in help text; man pages call the CLI `xctl`. */
function render(text, bin, id) {
  if (text === undefined || text === null) return ''
  return String(text).replace(/<%[=-]?\s*([\w.]+)\s*%>/g, (all, name) => {
    if (name === 'config.bin') return bin
    if (name === 'command.id') return id.replaceAll(':', ' ')
    throw new Error(`unsupported help template ${all}`)
  })
}

/** Paragraphs from help text: blank lines separate paragraphs; lines within one are filled. */
function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
}

const pageName = (bin, id) => `${bin}-${id.replaceAll(':', '-')}`
const commandWords = (bin, id) => `${bin} ${id.replaceAll(':', ' ')}`

/** oclif's help order: flags with a short name by that letter, then the others by name. */
function sortFlags(flags) {
  return [...flags].sort((a, b) => {
    if (a.char && !b.char) return -1
    if (!a.char && b.char) return 1
    const x = a.char ?? a.name
    const y = b.char ?? b.name
    return x < y ? -1 : x > y ? 1 : 0
  })
}

function flagTag(flag) {
  const names = []
  if (flag.char) names.push(bold(`-${flag.char}`))
  names.push(bold(flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`))
  let tag = names.join(', ')
  if (flag.type !== 'boolean') {
    if (flag.options?.length) tag += `=${flag.options.map((o) => bold(o)).join('|')}`
    else tag += `=${italic(flag.helpValue ?? 'value')}`
    if (flag.multiple) tag += '...'
  }
  return tag
}

function flagText(flag, bin, id) {
  const out = []
  const summary = render(flag.summary ?? '', bin, id)
  const description = render(flag.description ?? '', bin, id)
  const notes = []
  if (flag.required) notes.push('Required.')
  if (flag.multiple) notes.push('May be given more than once.')
  if (
    flag.default !== undefined &&
    flag.default !== false &&
    !(Array.isArray(flag.default) && flag.default.length === 0)
  ) {
    notes.push(`Default: ${Array.isArray(flag.default) ? flag.default.join(', ') : flag.default}.`)
  }
  if (flag.env) notes.push(`Environment variable: ${flag.env}.`)
  if (flag.exclusive?.length) notes.push(`Cannot be used with ${flag.exclusive.map((f) => `--${f}`).join(', ')}.`)
  if (flag.dependsOn?.length) notes.push(`Needs ${flag.dependsOn.map((f) => `--${f}`).join(', ')}.`)
  if (flag.aliases?.length)
    notes.push(`Also: ${flag.aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`)).join(', ')}.`)
  if (flag.deprecated) notes.push('Deprecated.')
  const first = [summary, notes.join(' ')].filter(Boolean).join(' ')
  if (first) out.push(para(first))
  for (const p of paragraphs(description)) {
    if (p.trim() === summary.trim()) continue
    if (out.length > 0) out.push('.IP')
    out.push(para(p))
  }
  return out.join('\n')
}

function flagSection(title, flags, bin, id) {
  if (flags.length === 0) return []
  const out = [`.SH ${title}`]
  for (const flag of sortFlags(flags)) out.push('.TP', flagTag(flag), flagText(flag, bin, id))
  return out
}

function helpGroups(command) {
  const groups = new Map()
  for (const flag of Object.values(command.flags ?? {})) {
    if (flag.hidden) continue
    const group = flag.helpGroup ? flag.helpGroup.toUpperCase() : ''
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group).push(flag)
  }
  return groups
}

function synopsis(command, bin) {
  const parts = [bold(commandWords(bin, command.id))]
  const args = Object.values(command.args ?? {}).filter((a) => !a.hidden)
  args.forEach((arg, i) => {
    const last = i === args.length - 1
    const many = arg.multiple || (last && command.strict === false)
    const name = `\\fI${esc(arg.name.toUpperCase())}\\fR${many ? '...' : ''}`
    parts.push(arg.required ? name : `[${name}]`)
  })
  const flags = Object.values(command.flags ?? {}).filter((f) => !f.hidden)
  for (const flag of sortFlags(flags.filter((f) => f.required))) {
    const value =
      flag.type === 'boolean'
        ? ''
        : flag.options?.length
          ? flag.options.map((o) => bold(o)).join('|')
          : italic(flag.helpValue ?? 'value')
    const name = flag.char ? bold(`-${flag.char}`) : bold(`--${flag.name}`)
    parts.push(`${name}${value ? (flag.char ? ' ' : '=') + value : ''}${flag.multiple ? '...' : ''}`)
  }
  if (flags.some((f) => !f.required)) parts.push(`[\\fIflags\\fR]`)
  return parts.join(' ')
}

function examples(command, bin) {
  const list =
    command.examples === undefined ? [] : Array.isArray(command.examples) ? command.examples : [command.examples]
  if (list.length === 0) return []
  const out = ['.SH EXAMPLES']
  for (const example of list) {
    const {description, command: line} =
      typeof example === 'string' ? {description: undefined, command: example} : example
    if (description) out.push('.PP', para(render(description, bin, command.id)))
    out.push('.PP', '.RS 4', '.nf', verbatim(render(line, bin, command.id).replace(/^\$ /, '')), '.fi', '.RE')
  }
  return out
}

function exitStatus(command) {
  const codes =
    command?.exitCodes && typeof command.exitCodes === 'object'
      ? Object.entries(command.exitCodes).map(([k, v]) => [String(k), String(v)])
      : EXIT_CODES
  const out = ['.SH EXIT STATUS']
  for (const [code, meaning] of codes) out.push('.TP', `\\fB${esc(code)}\\fR`, para(meaning))
  return out
}

function header(title, version, bin) {
  return [
    `.\\" Generated by scripts/man.mjs from oclif.manifest.json: do not edit. Regenerate with: npm run build`,
    `.TH "${esc(title.toUpperCase())}" "1" "" "${esc(bin)} ${esc(version)}" "${esc(bin)} Manual"`,
    // Names, flags and kinds are typed by readers: no hyphenation, no stretched spaces.
    '.nh',
    '.ad l',
  ]
}

function seeAlso(pages) {
  return ['.SH SEE ALSO', pages.map(([name, section]) => `\\fB${esc(name)}\\fR(${section})`).join(',\n')]
}

function commandPage(command, ctx) {
  const {bin, version, commands} = ctx
  const id = command.id
  const summary = render(command.summary ?? '', bin, id).trim()
  const description = render(command.description ?? '', bin, id)
  const name = pageName(bin, id)
  const out = [
    ...header(name, version, bin),
    '.SH NAME',
    `${esc(name)} \\- ${para((summary || paragraphs(description)[0] || id).replace(/\.$/, '')).replaceAll('\n', ' ')}`,
  ]
  out.push('.SH SYNOPSIS', synopsis(command, bin))
  out.push('.SH DESCRIPTION')
  const body = paragraphs(description).filter((p) => p.trim() !== summary)
  if (summary) out.push(para(summary))
  for (const p of body) out.push('.PP', para(p))
  if (command.aliases?.length)
    out.push('.PP', para(`Aliases: ${command.aliases.map((a) => commandWords(bin, a)).join(', ')}.`))
  if (!summary && body.length === 0) out.push(para(id))

  const args = Object.values(command.args ?? {}).filter((a) => !a.hidden)
  if (args.length > 0) {
    out.push('.SH ARGUMENTS')
    args.forEach((arg, i) => {
      const many = arg.multiple || (i === args.length - 1 && command.strict === false)
      const notes = []
      if (arg.required) notes.push('Required.')
      if (arg.options?.length) notes.push(`One of: ${arg.options.join(', ')}.`)
      if (arg.default !== undefined) notes.push(`Default: ${arg.default}.`)
      out.push(
        '.TP',
        `\\fI${esc(arg.name.toUpperCase())}\\fR${many ? '...' : ''}`,
        para([render(arg.description ?? '', bin, id), ...notes].filter(Boolean).join(' ')),
      )
    })
  }
  const groups = helpGroups(command)
  out.push(...flagSection('OPTIONS', groups.get('') ?? [], bin, id))
  for (const [group, flags] of [...groups].filter(([g]) => g !== '').sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push(...flagSection(`${group} OPTIONS`, flags, bin, id))
  }
  if (groups.has('GLOBAL'))
    out.push(
      '.PP',
      para(`Global options may also come before the command, as in ${bin} -n NAMESPACE ${id.replaceAll(':', ' ')}.`),
    )
  out.push('.PP', `${bold('--help')} shows this help in the terminal.`)
  out.push(...examples(command, bin))
  out.push(...exitStatus(command))
  const envFlags = Object.values(command.flags ?? {}).filter((f) => f.env && !f.hidden)
  if (envFlags.length > 0) {
    out.push('.SH ENVIRONMENT')
    for (const f of envFlags) out.push('.TP', bold(f.env), para(`Default for --${f.name}.`))
  }
  out.push(
    ...seeAlso([[bin, 1], ...commands.filter((c) => c.id !== id).map((c) => [pageName(bin, c.id), 1]), ['kubectl', 1]]),
  )
  return out.join('\n') + '\n'
}

function overviewPage(ctx) {
  const {bin, version, description, commands} = ctx
  const out = [
    ...header(bin, version, bin),
    '.SH NAME',
    `${esc(bin)} \\- ${para(description.replace(/\.$/, '')).replaceAll('\n', ' ')}`,
  ]
  out.push(
    '.SH SYNOPSIS',
    `${bold(bin)} [\\fIglobal options\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR] [\\fIoptions\\fR]`,
    '.br',
    `${bold('kubectl xctl')} \\fICOMMAND\\fR [\\fIARGUMENTS\\fR] [\\fIoptions\\fR]`,
    '.br',
    `${bold(bin)} ${bold('--version')} | ${bold('--help')}`,
  )
  out.push(
    '.SH DESCRIPTION',
    para(
      `${bin} shows, changes and checks pods with several Calico networks (Multus), their NetworkAttachmentDefinitions and the tiered Calico policies that target one pod interface: from a terminal, a CI job or a kubectl pipeline.`,
    ),
    '.PP',
    para(
      'It reads the cluster with your kubeconfig, as kubectl does, or, with --local -f PATH, reads manifests offline through the same code.',
    ),
    '.PP',
    para(
      `Global options may come before or after the command: ${bin} -n prod get wep and ${bin} get wep -n prod are the same.`,
    ),
  )
  out.push('.SH COMMANDS')
  for (const c of commands) {
    const summary = render(c.summary ?? paragraphs(c.description ?? '')[0] ?? '', bin, c.id)
    out.push(
      '.TP',
      `\\fB${esc(commandWords(bin, c.id))}\\fR`,
      `${para(summary)}\nSee \\fB${esc(pageName(bin, c.id))}\\fR(1).`,
    )
  }
  for (const [usage, text] of PLUGIN_COMMANDS) out.push('.TP', `\\fB${esc(`${bin} ${usage}`)}\\fR`, para(text))

  // The global flags are shared by every command (BaseCommand.baseFlags); take each from the first command that has it.
  const globals = new Map()
  for (const c of commands)
    for (const f of Object.values(c.flags ?? {}))
      if (!f.hidden && f.helpGroup?.toUpperCase() === 'GLOBAL' && !globals.has(f.name)) globals.set(f.name, f)
  out.push(...flagSection('GLOBAL OPTIONS', [...globals.values()], bin, ''))
  out.push('.TP', bold('--help'), para('Show help for xctl or, after a command, for that command.'))
  out.push('.TP', bold('--version'), para('Print the version of xctl and of Node.js, and exit.'))

  out.push(
    '.SH KUBECTL PLUGIN',
    para(
      `The package also installs kubectl-xctl, so kubectl runs ${bin} as a plugin when it is on the PATH; its help then calls it kubectl xctl:`,
    ),
    '.PP',
    '.RS 4',
    '.nf',
    verbatim('kubectl xctl get wep -o wide'),
    '.fi',
    '.RE',
    '.SH SHELL COMPLETION',
    para(
      `${bin} autocomplete bash (or zsh) writes the completion scripts and prints how to load them from your shell's start-up file. Bash completes commands and long options; zsh also completes short options, the values of -o and --multi-interface-mode, and file names for -f. Resource kinds are not completed.`,
    ),
    '.PP',
    '.RS 4',
    '.nf',
    verbatim(`${bin} autocomplete bash\nprintf "$(${bin} autocomplete script bash)" >> ~/.bashrc`),
    '.fi',
    '.RE',
  )
  out.push('.SH ENVIRONMENT')
  for (const [name, text] of ENVIRONMENT) out.push('.TP', bold(name), para(text))
  out.push(...exitStatus(undefined))
  out.push('.SH FILES')
  for (const [name, text] of FILES) out.push('.TP', `\\fI${esc(name)}\\fR`, para(text))
  out.push(...seeAlso([...commands.map((c) => [pageName(bin, c.id), 1]), ['kubectl', 1]]))
  return out.join('\n') + '\n'
}

/** Every page, by file name, generated from a manifest and package.json. */
export function renderPages(manifest, pjson) {
  const bin = pjson.oclif?.bin ?? pjson.name
  const commands = Object.values(manifest.commands ?? {})
    .filter((c) => !c.hidden)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const ctx = {bin, version: pjson.version, description: pjson.description ?? bin, commands}
  const pages = new Map([[`${bin}.1`, overviewPage(ctx)]])
  for (const c of commands) pages.set(`${pageName(bin, c.id)}.1`, commandPage(c, ctx))
  return pages
}

export function loadPages(root = ROOT) {
  const manifestPath = join(root, 'oclif.manifest.json')
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} is missing: run npm run build (it runs oclif manifest first)`)
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return renderPages(manifest, pjson)
}

/** The generated pages in `dir` (those named like the CLI's pages), by file name. */
function existingPages(dir, bin) {
  if (!existsSync(dir)) return new Map()
  return new Map(
    readdirSync(dir)
      .filter((f) => f.startsWith(bin) && f.endsWith('.1'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  )
}

/** package.json `man` lists every page, so a global install links them into {prefix}/share/man/man1. */
export function manField(pages) {
  return [...pages.keys()].map((f) => `./man/${f}`)
}

function main(argv) {
  const check = argv.includes('--check')
  const outIndex = argv.indexOf('--out')
  const dir = outIndex === -1 ? join(ROOT, 'man') : argv[outIndex + 1]
  if (!dir) throw new Error('--out needs a directory')
  const pages = loadPages()
  const pjsonPath = join(ROOT, 'package.json')
  const pjsonText = readFileSync(pjsonPath, 'utf8')
  const pjson = JSON.parse(pjsonText)
  const bin = pjson.oclif?.bin ?? pjson.name
  const existing = existingPages(dir, bin)
  const man = manField(pages)
  const manListed = JSON.stringify(pjson.man) === JSON.stringify(man)
  if (check) {
    const stale = [...new Set([...pages.keys(), ...existing.keys()])]
      .filter((f) => pages.get(f) !== existing.get(f))
      .sort()
      .map((f) => join('man', f))
    if (!manListed) stale.push('package.json "man"')
    if (stale.length > 0) {
      process.stderr.write(`${STALE_MESSAGE} (${stale.join(', ')})\n`)
      process.exitCode = 1
    }
    return
  }
  mkdirSync(dir, {recursive: true})
  for (const f of existing.keys()) if (!pages.has(f)) rmSync(join(dir, f))
  for (const [f, text] of pages) if (existing.get(f) !== text) writeFileSync(join(dir, f), text)
  if (outIndex === -1 && !manListed) {
    pjson.man = man
    writeFileSync(pjsonPath, JSON.stringify(pjson, null, 2) + '\n')
    process.stdout.write(`scripts/man.mjs: updated "man" in package.json (${man.length} pages)\n`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`scripts/man.mjs: ${error.message}\n`)
    process.exitCode = 1
  }
}
