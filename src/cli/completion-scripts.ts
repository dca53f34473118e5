import {FILES_DIRECTIVE} from './completion.js'

/**
 * The scripts `xctl completion bash|zsh` prints. Both ask `xctl __complete` (the same executable the user typed)
 * for the candidates of the word under the cursor; `:files` hands over to the shell's file completion.
 */
export function completionScript(shell: 'bash' | 'zsh', bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`
  return shell === 'bash' ? bashScript(fn, bin) : zshScript(fn, bin)
}

function bashScript(fn: string, bin: string): string {
  return `# ${bin} completion for bash: source <(${bin} completion bash), or save it under
# ~/.local/share/bash-completion/completions/${bin}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out
  local IFS=$'\\n'
  out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ "$out" == "${FILES_DIRECTIVE}" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  fi
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  # A value ending in = (custom-columns=, jsonpath=) goes on without a space.
  [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F ${fn} ${bin}
`
}

function zshScript(fn: string, bin: string): string {
  return `#compdef ${bin}
# ${bin} completion for zsh: source <(${bin} completion zsh) after compinit, or save it as _${bin} in $fpath
${fn}() {
  local -a out
  out=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${out[1]}" == "${FILES_DIRECTIVE}" ]]; then
    _files
    return
  fi
  out=("\${(@)out:#}")
  (( \${#out} )) && compadd -- "\${(@)out}"
}
compdef ${fn} ${bin}
`
}
