#!/bin/bash

__lkml-review_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__lkml-review_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__lkml-review_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__lkml-review_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_lkml-review() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __lkml-review_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    review|parse|remarks|check|rules|fetch|cache|help)
        # Offer subcommand argument completions
        "_lkml-review_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'review parse remarks check rules fetch cache help' -- "${cur}"))
        ;;
    esac
}

_lkml-review_review() {
    repeating_flags=()
    non_repeating_flags=(--offline --thread --no-thread --no-rules --brief --no-revisions --interdiff --version -h --help)
    repeating_options=(--only)
    non_repeating_options=(--format --output -o --color --fail-on --tables --tree --lore --cache-dir --context --reviewer --since --max-message-size --max-headers --max-header-length --max-mime-depth --max-parts --max-line-length --max-decoded-size --max-gzip-size --max-path-steps --max-states --max-function-tokens --max-thread-size --max-fetch-size --thread-window --thread-window-size --max-thread-messages --max-thread-bytes)
    __lkml-review_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __lkml-review_add_completions -W 'markdown'$'\n''json'$'\n''sarif'$'\n''text'$'\n''reply'
        return
        ;;
    '--output'|'-o')
        __lkml-review_add_completions -f
        return
        ;;
    '--color')
        __lkml-review_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--fail-on')
        __lkml-review_add_completions -W 'note'$'\n''warning'$'\n''error'
        return
        ;;
    '--tables')
        __lkml-review_add_completions -f
        return
        ;;
    '--tree')
        __lkml-review_add_completions -d
        return
        ;;
    '--lore')
        return
        ;;
    '--cache-dir')
        __lkml-review_add_completions -d
        return
        ;;
    '--context')
        return
        ;;
    '--only')
        return
        ;;
    '--reviewer')
        return
        ;;
    '--since')
        return
        ;;
    '--max-message-size')
        return
        ;;
    '--max-headers')
        return
        ;;
    '--max-header-length')
        return
        ;;
    '--max-mime-depth')
        return
        ;;
    '--max-parts')
        return
        ;;
    '--max-line-length')
        return
        ;;
    '--max-decoded-size')
        return
        ;;
    '--max-gzip-size')
        return
        ;;
    '--max-path-steps')
        return
        ;;
    '--max-states')
        return
        ;;
    '--max-function-tokens')
        return
        ;;
    '--max-thread-size')
        return
        ;;
    '--max-fetch-size')
        return
        ;;
    '--thread-window')
        return
        ;;
    '--thread-window-size')
        return
        ;;
    '--max-thread-messages')
        return
        ;;
    '--max-thread-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __lkml-review_add_completions -f
        return
        ;;
    esac
}

_lkml-review_parse() {
    repeating_flags=()
    non_repeating_flags=(--brief --summary --version -h --help)
    repeating_options=()
    non_repeating_options=(--format --mbox-format --max-message-size --max-headers --max-header-length --max-mime-depth --max-parts --max-line-length --max-decoded-size --max-gzip-size)
    __lkml-review_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __lkml-review_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--mbox-format')
        return
        ;;
    '--max-message-size')
        return
        ;;
    '--max-headers')
        return
        ;;
    '--max-header-length')
        return
        ;;
    '--max-mime-depth')
        return
        ;;
    '--max-parts')
        return
        ;;
    '--max-line-length')
        return
        ;;
    '--max-decoded-size')
        return
        ;;
    '--max-gzip-size')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __lkml-review_add_completions -f
        return
        ;;
    esac
}

_lkml-review_remarks() {
    repeating_flags=()
    non_repeating_flags=(--all --offline --no-align --replies-only --version -h --help)
    repeating_options=()
    non_repeating_options=(--format --tree --message-id --lore --cache-dir --max-message-size --max-headers --max-header-length --max-mime-depth --max-parts --max-line-length --max-decoded-size --max-gzip-size --thread-window --thread-window-size --max-thread-messages --max-thread-bytes)
    __lkml-review_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __lkml-review_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--tree')
        __lkml-review_add_completions -d
        return
        ;;
    '--message-id')
        return
        ;;
    '--lore')
        return
        ;;
    '--cache-dir')
        __lkml-review_add_completions -d
        return
        ;;
    '--max-message-size')
        return
        ;;
    '--max-headers')
        return
        ;;
    '--max-header-length')
        return
        ;;
    '--max-mime-depth')
        return
        ;;
    '--max-parts')
        return
        ;;
    '--max-line-length')
        return
        ;;
    '--max-decoded-size')
        return
        ;;
    '--max-gzip-size')
        return
        ;;
    '--thread-window')
        return
        ;;
    '--thread-window-size')
        return
        ;;
    '--max-thread-messages')
        return
        ;;
    '--max-thread-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __lkml-review_add_completions -f
        return
        ;;
    esac
}

_lkml-review_check() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--patch --tree --tables --format --max-path-steps --max-states --max-function-tokens)
    __lkml-review_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--patch')
        __lkml-review_add_completions -f
        return
        ;;
    '--tree')
        __lkml-review_add_completions -d
        return
        ;;
    '--tables')
        __lkml-review_add_completions -f
        return
        ;;
    '--format')
        __lkml-review_add_completions -W 'text'$'\n''json'$'\n''sarif'
        return
        ;;
    '--max-path-steps')
        return
        ;;
    '--max-states')
        return
        ;;
    '--max-function-tokens')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __lkml-review_add_completions -f
        return
        ;;
    esac
}

_lkml-review_rules() {
    repeating_flags=()
    non_repeating_flags=(--rules-only --version -h --help)
    repeating_options=()
    non_repeating_options=(--tables --format)
    __lkml-review_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--tables')
        __lkml-review_add_completions -f
        return
        ;;
    '--format')
        __lkml-review_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_lkml-review_fetch() {
    repeating_flags=()
    non_repeating_flags=(--offline --no-cache --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --lore --cache-ttl --max-size --max-fetch-size --cache-dir --connect-timeout --stall-timeout --retries)
    __lkml-review_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __lkml-review_add_completions -f
        return
        ;;
    '--lore')
        return
        ;;
    '--cache-ttl')
        return
        ;;
    '--max-size'|'--max-fetch-size')
        return
        ;;
    '--cache-dir')
        __lkml-review_add_completions -d
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--stall-timeout')
        return
        ;;
    '--retries')
        return
        ;;
    esac
}

_lkml-review_cache() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __lkml-review_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|clear)
        # Offer subcommand argument completions
        "_lkml-review_cache_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list clear' -- "${cur}"))
        ;;
    esac
}

_lkml-review_cache_list() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--cache-dir)
    __lkml-review_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--cache-dir')
        return
        ;;
    esac
}

_lkml-review_cache_clear() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--cache-dir)
    __lkml-review_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--cache-dir')
        return
        ;;
    esac
}

_lkml-review_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __lkml-review_offer_flags_options -1
}

complete -o filenames -F _lkml-review lkml-review
# The top level: review is the default subcommand, so its options, their values and file
# names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
_lkml-review_top_level() {
    if (( COMP_CWORD > 1 )) && [[ " review parse remarks check rules fetch cache mine-locks help " == *" ${COMP_WORDS[1]} "* ]]; then
        _lkml-review "${@}"
        return
    fi
    if (( COMP_CWORD == 1 )) && [[ "${2}" != -* ]]; then
        _lkml-review "${@}"
    fi
    local -a COMP_WORDS=("${COMP_WORDS[0]}" review "${COMP_WORDS[@]:1}")
    local -i COMP_CWORD=$((COMP_CWORD + 1))
    local COMP_LINE="${COMP_WORDS[0]} review${COMP_LINE#"${COMP_WORDS[0]}"}"
    local -i COMP_POINT=$((COMP_POINT + 7))
    _lkml-review "${1}" "${2}" "${COMP_WORDS[COMP_CWORD - 1]}"
}

complete -o filenames -F _lkml-review_top_level lkml-review
