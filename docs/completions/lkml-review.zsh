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

__lkml-review_generated() {
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
    local -ar ___format=('markdown' 'json' 'sarif' 'text' 'reply')
    local -ar ___color=('auto' 'always' 'never')
    local -ar ___fail_on=('note' 'warning' 'error')
    local -ar arg_specs=(
        ':INPUT:_files'
        '--format[Output format\: markdown (default), json, sarif, text (file\:line\: severity\: \[rule\] message) or reply (a plain-text reply mail per patch with findings, an mbox for several); the default from git config lkml-review.format.]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
        '(--output -o)'{--output,-o}'[Write to FILE instead of standard output\: a regular file is replaced atomically (a temporary file renamed into place, its mode kept); a symlink is followed; a FIFO or device is written in place.]:FILE:_files'
        '--color[Colour the text format\: auto (a terminal, and NO_COLOR unset), always or never.]:WHEN:{__lkml-review_complete "${___color[@]}"}'
        '--fail-on[Exit with status 1 when a finding the patch introduces or keeps is at this level or above\: note, warning or error (default from git config lkml-review.fail-on).]:LEVEL:{__lkml-review_complete "${___fail_on[@]}"}'
        '--tables[A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see '\''lkml-review rules'\'' and docs/RULES.md).]:FILE:_files'
        '--tree[A kernel source checkout\: check remarks'\'' quoted lines against it and analyse whole functions (default\: $LKML_REVIEW_TREE, else git config lkml-review.tree).]:PATH:_files -/'
        '--lore[Public-inbox to fetch an ID from (default\: $LKML_REVIEW_LORE, else git config b4.midmask, else https\://lore.kernel.org/all/).]:URL:'
        '--offline[Use only the cache, for an ID (its thread, earlier revisions and change-id search) and for the original patch of flattened text (also when LKML_REVIEW_OFFLINE is set).]'
        '--thread[Fetch the thread of a reply'\''s In-Reply-To when the reply'\''s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.]'
        '--no-thread[Fetch the thread of a reply'\''s In-Reply-To when the reply'\''s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.]'
        '--cache-dir[Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.]:DIR:_files -/'
        '--context[Quoted code lines shown above each remark'\''s line, 0 to 50 (default 4, or git config lkml-review.context).]:N:'
        '--no-rules[Do not run the rules.]'
        '--brief[A short report for the markdown and text formats\: per series its status, then per patch its trailers, the rule findings it introduces or keeps and the remarks nobody answered, a line each. Not for json, sarif or reply, which are already what a program or a mail needs.]'
        '*--only[Only these patches\: numbers k of \[PATCH k/n\] (0 the cover letter, 1 a lone patch), as 2, 1,3 or 2-4; repeatable. In every format.]:N:'
        '--reviewer[Only what this person said\: remarks, trailers, questions and timeline replies whose sender (or, for a trailer, the person named) has NAME in their name or address, case-insensitive. The rule findings stay. In every format (the reply mails hold only findings).]:NAME:'
        '--since[Only what was said at or after DATE (YYYY-MM-DD, midnight UTC, or YYYY-MM-DDTHH\:MM\[\:SS\]\[Z|+HH\:MM\])\: remarks, trailers, questions and timeline replies by their mail'\''s date; undated ones are left out. The rule findings stay.]:DATE:'
        '--no-revisions[Do not follow the revisions of a series in the input (v1, v2, and so on) into each other, nor fetch the earlier revisions a fetched series links to or its b4 change-id finds in a public-inbox search.]'
        '--interdiff[With several revisions of a series in the input (v2, v3, and so on)\: add per-patch interdiffs from vN to vN+1 to the Revisions section (a diff of the two patches'\'' diff lines).]'
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
        '--thread-window[Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.]:N:'
        '--thread-window-size[The window in bytes of decoded mail (0\: only --thread-window counts).]:SIZE:'
        '--max-thread-messages[Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.]:N:'
        '--max-thread-bytes[Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.]:SIZE:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_parse() {
    local -i ret=1
    local -ar ___format=('text' 'json')
    local -ar arg_specs=(
        ':input:_files'
        '--format[Output format\: text (default) or json.]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
        '--mbox-format[mbox flavour\: auto (default), mboxrd or mboxo.]:FLAVOUR:'
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
    local -ar ___format=('text' 'json')
    local -ar arg_specs=(
        ':input:_files'
        '--format[Output format\: text (default) or json (the full analysis of each reply).]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
        '--tree[A kernel source checkout\: check each remark'\''s quoted pre-image lines against it.]:PATH:_files -/'
        '--message-id[Only the message with this Message-ID.]:message-id:'
        '--all[Also list messages without remarks.]'
        '--lore[Public-inbox to search for the original patch of flattened text (default\: $LKML_REVIEW_LORE, else git config b4.searchmask, else b4.midmask, else https\://lore.kernel.org/all/).]:URL:'
        '--offline[Do not search a public-inbox for the original patch of flattened text; use only the cache (also when LKML_REVIEW_OFFLINE is set).]'
        '--cache-dir[Cache folder of fetched threads and searches instead of $XDG_CACHE_HOME/lkml-review.]:DIR:_files -/'
        '--no-align[Do not look up and align with the original patch\: quote structure and remarks only (numbers from the quoted hunk headers).]'
        '--max-message-size[Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.]:SIZE:'
        '--max-headers[Ignore header fields of a message beyond the first N.]:N:'
        '--max-header-length[Cut one header field (unfolded) at SIZE.]:SIZE:'
        '--max-mime-depth[Skip MIME parts nested deeper than N multiparts.]:N:'
        '--max-parts[Ignore MIME parts of a message beyond the first N.]:N:'
        '--max-line-length[Warn about lines longer than SIZE (they are kept).]:SIZE:'
        '--max-decoded-size[Cut a message'\''s decoded text (base64, quoted-printable, charsets) at SIZE.]:SIZE:'
        '--max-gzip-size[Refuse a gzip-compressed input that decompresses to more than SIZE.]:SIZE:'
        '--thread-window[Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.]:N:'
        '--thread-window-size[The window in bytes of decoded mail (0\: only --thread-window counts).]:SIZE:'
        '--max-thread-messages[Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.]:N:'
        '--max-thread-bytes[Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.]:SIZE:'
        '--replies-only[Analyse replies only (a parent in In-Reply-To/References, or a Re\: subject), as b4 selects them.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_lkml-review_check() {
    local -i ret=1
    local -ar ___format=('text' 'json' 'sarif')
    local -ar arg_specs=(
        '*:files:_files'
        '--patch[A patch (git format-patch output, a unified diff, or a mail holding one).]:FILE:_files'
        '--tree[Kernel tree the patch applies to (with --patch).]:PATH:_files -/'
        '--tables[A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see '\''lkml-review rules'\'' and docs/RULES.md).]:FILE:_files'
        '--format[Output format\: text (default; file\:line\: severity\: rule\: function\: message), json or sarif.]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
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
    local -ar ___format=('text' 'json')
    local -ar arg_specs=(
        '--tables[A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see '\''lkml-review rules'\'' and docs/RULES.md).]:FILE:_files'
        '--format[Output format\: text (default) or json.]:FORMAT:{__lkml-review_complete "${___format[@]}"}'
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
        '(--output -o)'{--output,-o}'[Also write the thread mbox to FILE (written atomically); '\''-'\'' writes it to standard output.]:FILE:_files'
        '--lore[Public-inbox to ask\: a base URL such as https\://lore.kernel.org/all/ or a URL with %s for the message-id.]:URL:'
        '--offline[Use only the cache; fail when the thread is not there (also when LKML_REVIEW_OFFLINE is set).]'
        '--no-cache[Neither read nor write the cache (with no -o, the mbox goes to a temporary file).]'
        '--cache-ttl[Use a cached copy younger than SECONDS without asking the server; 0 always asks.]:SECONDS:'
        '(--max-size --max-fetch-size)'{--max-size,--max-fetch-size}'[Refuse threads whose decoded mbox is larger than SIZE (bytes; K, M and G suffixes).]:SIZE:'
        '--cache-dir[Cache folder instead of $XDG_CACHE_HOME/lkml-review.]:DIR:_files -/'
        '--connect-timeout[Give up connecting after SECONDS.]:SECONDS:'
        '--stall-timeout[Give up when less than 1 KiB/s arrives for SECONDS.]:SECONDS:'
        '--retries[Retries after connection errors, timeouts, 429 and 5xx answers (never after other 4xx); a Retry-After up to the stall timeout is waited for.]:N:'
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
            'list:List cached threads and searches, newest first: age, size, messages, message-id (or search URL) and file.'
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

# The top level: review is the default subcommand, so its options, their values and file
# names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
_lkml-review() {
    local -ar subcommands=(review parse remarks check rules fetch cache mine-locks help)
    if (( CURRENT > 2 )) && (( ${subcommands[(Ie)${words[2]}]} )); then
        __lkml-review_generated "${@}"
        return
    fi
    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local context state state_descr line
    local -A opt_args
    local -i ret=1
    if (( CURRENT == 2 )) && [[ "${words[2]}" != -* ]]; then
        __lkml-review_generated "${@}" && ret=0
    fi
    _lkml-review_review && ret=0
    return "${ret}"
}

if [[ "${funcstack[1]}" = _lkml-review ]]; then
    _lkml-review "${@}"
else
    compdef _lkml-review lkml-review
fi