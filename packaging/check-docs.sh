#!/usr/bin/env bash
# Checks that the manual page and the bash, zsh and fish completions know every command and option the binary
# offers (read from its own --help), that each parses with its own tool, and that bash completes commands and
# grant names for real.
# Usage: packaging/check-docs.sh PATH/TO/grantkeeper [PATH/TO/gk-startup-bench]
set -euo pipefail
binary=$(realpath "$1")
bench=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
man=$here/man/grantkeeper.1
bash_completion=$here/completions/grantkeeper.bash
zsh_completion=$here/completions/_grantkeeper
fish_completion=$here/completions/grantkeeper.fish

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$man" 2>&1 >/dev/null || true)
[ -z "$warnings" ] || fail "man reports: $warnings"
bash -n "$bash_completion" || fail "bash cannot parse $bash_completion"
zsh -n "$zsh_completion" || fail "zsh cannot parse $zsh_completion"
fish --no-execute "$fish_completion" || fail "fish cannot parse $fish_completion"

commands=$("$binary" --help | awk '/^Commands:/ {on = 1; next} /^$/ {on = 0} on {print $1}')
[ -n "$commands" ] || fail "no commands in grantkeeper --help"
for command in $commands; do
    grep -qxF ".SS $command" "$man" || fail "the manual page has no section for $command"
    grep -qF "'$command:" "$zsh_completion" || fail "zsh does not complete the command $command"
    grep -qE -- "-a $command -d" "$fish_completion" || fail "fish does not complete the command $command"
    for option in $("$binary" "$command" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        case $option in --help | --verbose) continue ;; esac
        grep -qF -- "${option//-/\\-}" "$man" || fail "the manual page lacks $command $option"
        grep -qF -- "'$option[" "$zsh_completion" || fail "zsh does not complete $command $option"
        grep -qE -- "-l ${option#--}( |$)" "$fish_completion" || fail "fish does not complete $command $option"
    done
done

# bash, for real: the commands, then grant names with spaces, quoted so they stay one word.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config HOME=$home PATH=$(dirname "$binary"):$PATH
complete_line() {
    bash -c 'source /usr/share/bash-completion/bash_completion; source "$1"; shift
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
             _grantkeeper grantkeeper "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
             printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_completion" "$@"
}
[ "$(complete_line grantkeeper te)" = "test" ] || fail "bash completes 'te' to: $(complete_line grantkeeper te)"
[ "$(complete_line grantkeeper doctor --f)" = "--fix" ] || fail "bash completes 'doctor --f' wrongly"
if [ -n "$bench" ]; then
    mkdir -p "$XDG_DATA_HOME/grantkeeper"
    "$bench" generate 3 "$XDG_DATA_HOME/grantkeeper/grants.json" https://127.0.0.1:1/token >/dev/null
    expected=$'Bench\\ grant\\ 00000\nBench\\ grant\\ 00001\nBench\\ grant\\ 00002'
    [ "$(complete_line grantkeeper test Bench)" = "$expected" ] ||
        fail "bash completes grant names as: $(complete_line grantkeeper test Bench)"
fi

[ "$failures" -eq 0 ] || exit 1
echo "ok: the manual page and the bash, zsh and fish completions cover every command and option"
