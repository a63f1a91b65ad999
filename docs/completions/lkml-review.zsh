#compdef lkml-review

__lkml-review_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__lkml-review_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __lkml-review_complete "${completions[@]:0:-1}"
    fi
}

__lkml-review_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_lkml-review() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'review:Summarise the review of a patch thread: trailers, remarks by line, rule findings, open questions.'
            'parse:Show what the parser saw: headers, MIME tree, text part, trailers, warnings.'
            'remarks:List the remarks of review replies and what each answers (file, old/new line, function).'
            'check:Run the lock and refcount rules on C files or on a patch.'
            'rules:List the C rules and the lock and get/put tables (built in, plus a user file).'
            'fetch:Fetch a whole mail thread by message-id from lore.kernel.org or another public-inbox.'
            'cache:List or clear the threads kept by '\''fetch'\'' in $XDG_CACHE_HOME/lkml-review.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        review|parse|remarks|check|rules|fetch|cache|help)
            "_lkml-review_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_lkml-review_review() {
    local -i ret=1
    local -ar ___format=('markdown' 'json' 'sarif' 'text')
    local -ar ___color=('auto' 'always' 'never')
    local -ar ___fail_on=('note' 'warning' 'error')
    local -ar arg_specs=(
        ':INPUT:'
        '--format[Output format\: markdown, json, sarif or text (file\:line\: severity\: \[rule\] message).]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
        '(--output -o)'{--output,-o}'[Write to FILE (atomically\: a temporary file renamed into place) instead of standard output.]:FILE:'
        '--color[Colour the text format\: auto (a terminal, and NO_COLOR unset), always or never.]:WHEN:{__lkml-review_complete "${___color[@]}"}'
        '--fail-on[Exit with status 1 when a finding the patch introduces or keeps is at this level or above\: note, warning or error.]:LEVEL:{__lkml-review_complete "${___fail_on[@]}"}'
        '--rules[A YAML file of lock APIs and get/put pairs that adds to or overrides the built-in tables (see '\''lkml-review rules'\'').]:FILE:'
        '--tree[A kernel source checkout\: check remarks'\'' quoted lines against it and analyse whole functions.]:PATH:'
        '--lore[Public-inbox to fetch an ID from (default https\://lore.kernel.org/all/).]:URL:'
        '--offline[For an ID\: use only the cache.]'
        '--thread[When a reply'\''s patch is not in the input (one saved mail), fetch the thread of its In-Reply-To so that its remarks are aligned with the original patch. With --offline, only the cache is used.]'
        '--cache-dir[Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.]:DIR:'
        '--context[Quoted code lines shown above each remark'\''s line.]:N:'
        '--no-rules[Do not run the rules.]'
        '--max-message-size[Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.]:SIZE:'
        '--max-headers[Ignore header fields of a message beyond the first N.]:N:'
        '--max-header-length[Cut one header field (unfolded) at SIZE.]:SIZE:'
        '--max-mime-depth[Skip MIME parts nested deeper than N multiparts.]:N:'
        '--max-parts[Ignore MIME parts of a message beyond the first N.]:N:'
        '--max-line-length[Warn about lines longer than SIZE (they are kept).]:SIZE:'
        '--max-decoded-size[Cut a message'\''s decoded text (base64, quoted-printable, charsets) at SIZE.]:SIZE:'
        '--max-gzip-size[Refuse a gzip-compressed input that decompresses to more than SIZE.]:SIZE:'
        '--max-path-steps[Stop exploring a function'\''s paths after N steps (a step carrying a large state counts more).]:N:'
        '--max-states[Stop following further paths through a point of a function once N distinct states have reached it.]:N:'
        '--max-function-tokens[Skip functions of more than N C tokens.]:N:'
        '--max-thread-size[Review at most N replies to one patch (thread order); a warning counts the rest.]:N:'
        '--max-fetch-size[Refuse a fetched thread whose decoded mbox is larger than SIZE.]:SIZE:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_parse() {
    local -i ret=1
    local -ar arg_specs=(
        ':input:'
        '--json[Print JSON instead of text.]'
        '--format[mbox flavour\: auto, mboxrd or mboxo.]:format:'
        '--brief[Show only the headers a reviewer reads (From, To, Cc, Date, Subject, ids).]'
        '--summary[One line per message (number, date, sender, subject, warnings), then totals; streams large mboxes in bounded memory.]'
        '--max-message-size[Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.]:SIZE:'
        '--max-headers[Ignore header fields of a message beyond the first N.]:N:'
        '--max-header-length[Cut one header field (unfolded) at SIZE.]:SIZE:'
        '--max-mime-depth[Skip MIME parts nested deeper than N multiparts.]:N:'
        '--max-parts[Ignore MIME parts of a message beyond the first N.]:N:'
        '--max-line-length[Warn about lines longer than SIZE (they are kept).]:SIZE:'
        '--max-decoded-size[Cut a message'\''s decoded text (base64, quoted-printable, charsets) at SIZE.]:SIZE:'
        '--max-gzip-size[Refuse a gzip-compressed input that decompresses to more than SIZE.]:SIZE:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_remarks() {
    local -i ret=1
    local -ar arg_specs=(
        ':input:'
        '--json[Print JSON (the full analysis of each reply) instead of text.]'
        '--tree[A kernel source checkout\: check each remark'\''s quoted pre-image lines against it.]:tree:'
        '--message-id[Only the message with this Message-ID.]:message-id:'
        '--all[Also list messages without remarks.]'
        '--no-align[Do not look up and align with the original patch\: quote structure and remarks only (numbers from the quoted hunk headers).]'
        '--max-message-size[Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.]:SIZE:'
        '--max-headers[Ignore header fields of a message beyond the first N.]:N:'
        '--max-header-length[Cut one header field (unfolded) at SIZE.]:SIZE:'
        '--max-mime-depth[Skip MIME parts nested deeper than N multiparts.]:N:'
        '--max-parts[Ignore MIME parts of a message beyond the first N.]:N:'
        '--max-line-length[Warn about lines longer than SIZE (they are kept).]:SIZE:'
        '--max-decoded-size[Cut a message'\''s decoded text (base64, quoted-printable, charsets) at SIZE.]:SIZE:'
        '--max-gzip-size[Refuse a gzip-compressed input that decompresses to more than SIZE.]:SIZE:'
        '--replies-only[Analyse replies only (a parent in In-Reply-To/References, or a Re\: subject), as b4 selects them.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_check() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--patch[A patch (git format-patch output, a unified diff, or a mail holding one).]:patch:'
        '--tree[Kernel tree the patch applies to (with --patch).]:tree:'
        '--tables[A YAML file of extra lock, reference and consumer entries.]:tables:'
        '--json[Print JSON instead of text.]'
        '--max-path-steps[Stop exploring a function'\''s paths after N steps (a step carrying a large state counts more).]:N:'
        '--max-states[Stop following further paths through a point of a function once N distinct states have reached it.]:N:'
        '--max-function-tokens[Skip functions of more than N C tokens.]:N:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_rules() {
    local -i ret=1
    local -ar arg_specs=(
        '--tables[A YAML file of extra lock, reference and consumer entries.]:tables:'
        '--json[Print JSON instead of text.]'
        '--rules-only[Only the rules, not the tables.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_fetch() {
    local -i ret=1
    local -ar arg_specs=(
        ':ID:'
        '(--output -o)'{--output,-o}'[Also write the thread mbox to FILE (written atomically); '\''-'\'' writes it to standard output.]:FILE:'
        '--lore[Public-inbox to ask\: a base URL such as https\://lore.kernel.org/all/ or a URL with %s for the message-id.]:URL:'
        '--offline[Use only the cache; fail when the thread is not there.]'
        '--no-cache[Neither read nor write the cache (with no -o, the mbox goes to a temporary file).]'
        '--cache-ttl[Use a cached copy younger than SECONDS without asking the server; 0 always asks.]:SECONDS:'
        '(--max-size --max-fetch-size)'{--max-size,--max-fetch-size}'[Refuse threads whose decoded mbox is larger than SIZE (bytes; K, M and G suffixes).]:SIZE:'
        '--cache-dir[Cache folder instead of $XDG_CACHE_HOME/lkml-review.]:DIR:'
        '--connect-timeout[Give up connecting after SECONDS.]:SECONDS:'
        '--stall-timeout[Give up when less than 1 KiB/s arrives for SECONDS.]:SECONDS:'
        '--retries[Retries after connection errors, timeouts and 5xx answers (never after 4xx).]:N:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_cache() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List cached threads, newest first: age, size, messages, message-id and file.'
            'clear:Remove every cached thread.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|clear)
            "_lkml-review_cache_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_lkml-review_cache_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--cache-dir[Cache folder instead of $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review).]:DIR:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_cache_clear() {
    local -i ret=1
    local -ar arg_specs=(
        '--cache-dir[Cache folder instead of $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review).]:DIR:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _lkml-review ]]; then
    _lkml-review "${@}"
else
    compdef _lkml-review lkml-review
fi
