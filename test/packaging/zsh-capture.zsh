#!/usr/bin/env zsh
# Prints what zsh completion offers for a command line: zsh -f zsh-capture.zsh FUNCTIONS_DIR 'xctl get -o '
# An interactive zsh runs in a pseudo-terminal (zpty) with the completion functions of FUNCTIONS_DIR; compadd is
# wrapped to print every match. After Valodim/zsh-capture-completion (MIT).
zmodload zsh/zpty
zpty z zsh -f -i
local line
setopt rcquotes
() {
  zpty -w z source $1
  repeat 4; do
    zpty -r z line
    [[ $line == ok* ]] && return
  done
  echo 'error initializing.' >&2
  exit 2
} =( <<< '
PROMPT=
fpath=('$1' $fpath)
autoload compinit
compinit -u -d "$HOME/.zcompdump-capture"
bindkey ''^M'' undefined
bindkey ''^J'' undefined
bindkey ''^I'' complete-word
null-line () { echo -E - $''\0'' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
zstyle '':completion:*'' list-grouped false
zstyle '':completion:*'' insert-tab false
zstyle '':completion:*'' list-separator ''''
zmodload zsh/zutil
compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return $?
  fi
  typeset -a __hits __dscr __tmp
  if (( $@[(I)-d] )); then
    __tmp=${@[$[${@[(i)-d]}+1]]}
    if [[ $__tmp == \(* ]]; then
      eval "__dscr=$__tmp"
    else
      __dscr=( "${(@P)__tmp}" )
    fi
  fi
  builtin compadd -A __hits -D __dscr "$@"
  [[ -n $__hits ]] || return
  for i in {1..$#__hits}; do
    echo -E - $IPREFIX$__hits[$i]
  done
}
echo ok')
zpty -w z "$2"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
  if [[ $line == *$'\0\r' ]]; then
    (( tog++ )) && return 0 || continue
  fi
  (( tog )) && echo -E - $line
done
return 2
