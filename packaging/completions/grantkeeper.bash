# bash completion for grantkeeper                                   -*- shell-script -*-
# Commands and their options come from grantkeeper's own --help, so they stay true; grant names from
# `grantkeeper list --names` (metadata only, the keychain is not read).

_grantkeeper()
{
    local cur prev words cword
    _init_completion || return

    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) command=${words[i]}; break ;;
        esac
    done

    if [[ -z $command ]]; then
        local commands
        commands=$("${words[0]}" --help 2>/dev/null | awk '/^Commands:/ {on = 1; next} /^$/ {on = 0} on {print $1}')
        COMPREPLY=($(compgen -W "$commands --verbose --help --version" -- "$cur"))
        return
    fi

    case $prev in
        --region) COMPREPLY=($(compgen -W "us eu apac" -- "$cur")); return ;;
        --auth) COMPREPLY=($(compgen -W "body basic" -- "$cur")); return ;;
        --unreachable) COMPREPLY=($(compgen -W "unknown critical" -- "$cur")); return ;;
        --api-version) COMPREPLY=($(compgen -W "2026-01-01 2022-01-01" -- "$cur")); return ;;
        --ca-file) _filedir '@(pem|crt|cer)'; return ;;
        --output) _filedir; return ;;
        --name | --user | --token-url | --scope | --expires | --notes | --timeout | --jobs | --within | --warning | --critical | --alarm-days) return ;;
    esac

    if [[ $cur == -* ]]; then
        local options
        options=$("${words[0]}" "$command" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi

    case $command in
        test | token | rotate | remove | check)
            local name names=()
            while IFS= read -r name; do
                [[ $name == "$cur"* ]] && names+=("$(printf '%q' "$name")")
            done < <("${words[0]}" list --names 2>/dev/null)
            COMPREPLY=("${names[@]}")
            ;;
    esac
} &&
    complete -F _grantkeeper grantkeeper

# ex: filetype=sh
