function __lkml-review_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __lkml-review_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __lkml-review_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __lkml-review_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __lkml-review_parse_tokens -S
    set -l unparsed_tokens (__lkml-review_tokens -pc)
    switch $unparsed_tokens[1]
    case 'lkml-review'
        __lkml-review_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'review'
            __lkml-review_parse_subcommand 1 'format=' 'o/output=' 'color=' 'fail-on=' 'tables=' 'tree=' 'lore=' 'offline' 'thread' 'no-thread' 'cache-dir=' 'context=' 'no-rules' 'brief' 'only=+' 'reviewer=' 'since=' 'no-revisions' 'interdiff' 'max-message-size=' 'max-headers=' 'max-header-length=' 'max-mime-depth=' 'max-parts=' 'max-line-length=' 'max-decoded-size=' 'max-gzip-size=' 'max-path-steps=' 'max-states=' 'max-function-tokens=' 'max-thread-size=' 'max-fetch-size=' 'thread-window=' 'thread-window-size=' 'max-thread-messages=' 'max-thread-bytes=' 'version' 'h/help'
        case 'parse'
            __lkml-review_parse_subcommand 1 'format=' 'mbox-format=' 'brief' 'summary' 'max-message-size=' 'max-headers=' 'max-header-length=' 'max-mime-depth=' 'max-parts=' 'max-line-length=' 'max-decoded-size=' 'max-gzip-size=' 'version' 'h/help'
        case 'remarks'
            __lkml-review_parse_subcommand 1 'format=' 'tree=' 'message-id=' 'all' 'lore=' 'offline' 'cache-dir=' 'no-align' 'max-message-size=' 'max-headers=' 'max-header-length=' 'max-mime-depth=' 'max-parts=' 'max-line-length=' 'max-decoded-size=' 'max-gzip-size=' 'thread-window=' 'thread-window-size=' 'max-thread-messages=' 'max-thread-bytes=' 'replies-only' 'version' 'h/help'
        case 'check'
            __lkml-review_parse_subcommand -r 1 'patch=' 'tree=' 'tables=' 'format=' 'max-path-steps=' 'max-states=' 'max-function-tokens=' 'version' 'h/help'
        case 'rules'
            __lkml-review_parse_subcommand 0 'tables=' 'format=' 'rules-only' 'version' 'h/help'
        case 'fetch'
            __lkml-review_parse_subcommand 1 'o/output=' 'lore=' 'offline' 'no-cache' 'cache-ttl=' 'max-size=' 'cache-dir=' 'connect-timeout=' 'stall-timeout=' 'retries=' 'version' 'h/help'
        case 'cache'
            __lkml-review_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __lkml-review_parse_subcommand 0 'cache-dir=' 'version' 'h/help'
            case 'clear'
                __lkml-review_parse_subcommand 0 'cache-dir=' 'version' 'h/help'
            end
        case 'help'
            __lkml-review_parse_subcommand -r 1 'version'
        end
    end
end

function __lkml-review_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __lkml-review_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __lkml-review_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __lkml-review_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__lkml-review_tokens -p)
    if test -z "$(__lkml-review_tokens -t)"
        set -l index (count (__lkml-review_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'lkml-review' -f
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'review' -d 'Summarise the review of a patch thread: trailers, remarks by line, rule findings, open questions.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'parse' -d 'Show what the parser saw: headers, MIME tree, text part, trailers, warnings.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'remarks' -d 'List the remarks of review replies and what each answers (file, old/new line, function).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'check' -d 'Run the lock and refcount rules on C files or on a patch.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'rules' -d 'List the C rules and the lock and get/put tables (built in, plus a user file).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'fetch' -d 'Fetch a whole mail thread by message-id from lore.kernel.org or another public-inbox.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'cache' -d 'List or clear the threads kept by \'fetch\' in $XDG_CACHE_HOME/lkml-review.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review review" -eq 1' -F
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" format' -l 'format' -d 'Output format: markdown (default), json, sarif, text (file:line: severity: [rule] message) or reply (a plain-text reply mail per patch with findings, an mbox for several); the default from git config lkml-review.format.' -rfka 'markdown json sarif text reply'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" o output' -l 'output' -s 'o' -d 'Write to FILE instead of standard output: a regular file is replaced atomically (a temporary file renamed into place, its mode kept); a symlink is followed; a FIFO or device is written in place.' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" color' -l 'color' -d 'Colour the text format: auto (a terminal, and NO_COLOR unset), always or never.' -rfka 'auto always never'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" fail-on' -l 'fail-on' -d 'Exit with status 1 when a finding the patch introduces or keeps is at this level or above: note, warning or error (default from git config lkml-review.fail-on).' -rfka 'note warning error'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" tables' -l 'tables' -d 'A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see \'lkml-review rules\' and docs/RULES.md).' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" tree' -l 'tree' -d 'A kernel source checkout: check remarks\' quoted lines against it and analyse whole functions (default: $LKML_REVIEW_TREE, else git config lkml-review.tree).' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" lore' -l 'lore' -d 'Public-inbox to fetch an ID from (default: $LKML_REVIEW_LORE, else git config b4.midmask, else https://lore.kernel.org/all/).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" offline' -l 'offline' -d 'Use only the cache, for an ID (its thread, earlier revisions and change-id search) and for the original patch of flattened text (also when LKML_REVIEW_OFFLINE is set).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" thread' -l 'thread' -d 'Fetch the thread of a reply\'s In-Reply-To when the reply\'s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" no-thread' -l 'no-thread' -d 'Fetch the thread of a reply\'s In-Reply-To when the reply\'s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" cache-dir' -l 'cache-dir' -d 'Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" context' -l 'context' -d 'Quoted code lines shown above each remark\'s line, 0 to 50 (default 4, or git config lkml-review.context).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" no-rules' -l 'no-rules' -d 'Do not run the rules.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" brief' -l 'brief' -d 'A short report for the markdown and text formats: per series its status, then per patch its trailers, the rule findings it introduces or keeps and the remarks nobody answered, a line each. Not for json, sarif or reply, which are already what a program or a mail needs.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review"' -l 'only' -d 'Only these patches: numbers k of [PATCH k/n] (0 the cover letter, 1 a lone patch), as 2, 1,3 or 2-4; repeatable. In every format.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" reviewer' -l 'reviewer' -d 'Only what this person said: remarks, trailers, questions and timeline replies whose sender (or, for a trailer, the person named) has NAME in their name or address, case-insensitive. The rule findings stay. In every format (the reply mails hold only findings).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" since' -l 'since' -d 'Only what was said at or after DATE (YYYY-MM-DD, midnight UTC, or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]): remarks, trailers, questions and timeline replies by their mail\'s date; undated ones are left out. The rule findings stay.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" no-revisions' -l 'no-revisions' -d 'Do not follow the revisions of a series in the input (v1, v2, and so on) into each other, nor fetch the earlier revisions a fetched series links to or its b4 change-id finds in a public-inbox search.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" interdiff' -l 'interdiff' -d 'With several revisions of a series in the input (v2, v3, and so on): add per-patch interdiffs from vN to vN+1 to the Revisions section (a diff of the two patches\' diff lines).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-message-size' -l 'max-message-size' -d 'Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-headers' -l 'max-headers' -d 'Ignore header fields of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-header-length' -l 'max-header-length' -d 'Cut one header field (unfolded) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-mime-depth' -l 'max-mime-depth' -d 'Skip MIME parts nested deeper than N multiparts.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-parts' -l 'max-parts' -d 'Ignore MIME parts of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-line-length' -l 'max-line-length' -d 'Warn about lines longer than SIZE (they are kept).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-decoded-size' -l 'max-decoded-size' -d 'Cut a message\'s decoded text (base64, quoted-printable, charsets) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-gzip-size' -l 'max-gzip-size' -d 'Refuse a gzip-compressed input that decompresses to more than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-path-steps' -l 'max-path-steps' -d 'Stop exploring a function\'s paths after N steps (a step carrying a large state counts more).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-states' -l 'max-states' -d 'Stop following further paths through a point of a function once N distinct states have reached it.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-function-tokens' -l 'max-function-tokens' -d 'Skip functions of more than N C tokens.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-thread-size' -l 'max-thread-size' -d 'Review at most N replies to one patch (thread order); a warning counts the rest.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-fetch-size' -l 'max-fetch-size' -d 'Refuse a fetched thread whose decoded mbox is larger than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" thread-window' -l 'thread-window' -d 'Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" thread-window-size' -l 'thread-window-size' -d 'The window in bytes of decoded mail (0: only --thread-window counts).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-thread-messages' -l 'max-thread-messages' -d 'Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" max-thread-bytes' -l 'max-thread-bytes' -d 'Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review review" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review parse" -eq 1' -F
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" format' -l 'format' -d 'Output format: text (default) or json.' -rfka 'text json'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" mbox-format' -l 'mbox-format' -d 'mbox flavour: auto (default), mboxrd or mboxo.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" brief' -l 'brief' -d 'Show only the headers a reviewer reads (From, To, Cc, Date, Subject, ids).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" summary' -l 'summary' -d 'One line per message (number, date, sender, subject, warnings), then totals; streams large mboxes in bounded memory.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-message-size' -l 'max-message-size' -d 'Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-headers' -l 'max-headers' -d 'Ignore header fields of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-header-length' -l 'max-header-length' -d 'Cut one header field (unfolded) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-mime-depth' -l 'max-mime-depth' -d 'Skip MIME parts nested deeper than N multiparts.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-parts' -l 'max-parts' -d 'Ignore MIME parts of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-line-length' -l 'max-line-length' -d 'Warn about lines longer than SIZE (they are kept).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-decoded-size' -l 'max-decoded-size' -d 'Cut a message\'s decoded text (base64, quoted-printable, charsets) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" max-gzip-size' -l 'max-gzip-size' -d 'Refuse a gzip-compressed input that decompresses to more than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review parse" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review remarks" -eq 1' -F
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" format' -l 'format' -d 'Output format: text (default) or json (the full analysis of each reply).' -rfka 'text json'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" tree' -l 'tree' -d 'A kernel source checkout: check each remark\'s quoted pre-image lines against it.' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" message-id' -l 'message-id' -d 'Only the message with this Message-ID.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" all' -l 'all' -d 'Also list messages without remarks.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" lore' -l 'lore' -d 'Public-inbox to search for the original patch of flattened text (default: $LKML_REVIEW_LORE, else git config b4.searchmask, else b4.midmask, else https://lore.kernel.org/all/).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" offline' -l 'offline' -d 'Do not search a public-inbox for the original patch of flattened text; use only the cache (also when LKML_REVIEW_OFFLINE is set).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" cache-dir' -l 'cache-dir' -d 'Cache folder of fetched threads and searches instead of $XDG_CACHE_HOME/lkml-review.' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" no-align' -l 'no-align' -d 'Do not look up and align with the original patch: quote structure and remarks only (numbers from the quoted hunk headers).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-message-size' -l 'max-message-size' -d 'Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-headers' -l 'max-headers' -d 'Ignore header fields of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-header-length' -l 'max-header-length' -d 'Cut one header field (unfolded) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-mime-depth' -l 'max-mime-depth' -d 'Skip MIME parts nested deeper than N multiparts.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-parts' -l 'max-parts' -d 'Ignore MIME parts of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-line-length' -l 'max-line-length' -d 'Warn about lines longer than SIZE (they are kept).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-decoded-size' -l 'max-decoded-size' -d 'Cut a message\'s decoded text (base64, quoted-printable, charsets) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-gzip-size' -l 'max-gzip-size' -d 'Refuse a gzip-compressed input that decompresses to more than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" thread-window' -l 'thread-window' -d 'Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" thread-window-size' -l 'thread-window-size' -d 'The window in bytes of decoded mail (0: only --thread-window counts).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-thread-messages' -l 'max-thread-messages' -d 'Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" max-thread-bytes' -l 'max-thread-bytes' -d 'Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" replies-only' -l 'replies-only' -d 'Analyse replies only (a parent in In-Reply-To/References, or a Re: subject), as b4 selects them.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review remarks" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review check" -ge 1' -F
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" patch' -l 'patch' -d 'A patch (git format-patch output, a unified diff, or a mail holding one).' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" tree' -l 'tree' -d 'Kernel tree the patch applies to (with --patch).' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" tables' -l 'tables' -d 'A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see \'lkml-review rules\' and docs/RULES.md).' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" format' -l 'format' -d 'Output format: text (default; file:line: severity: rule: function: message), json or sarif.' -rfka 'text json sarif'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" max-path-steps' -l 'max-path-steps' -d 'Stop exploring a function\'s paths after N steps (a step carrying a large state counts more).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" max-states' -l 'max-states' -d 'Stop following further paths through a point of a function once N distinct states have reached it.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" max-function-tokens' -l 'max-function-tokens' -d 'Skip functions of more than N C tokens.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review rules" tables' -l 'tables' -d 'A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see \'lkml-review rules\' and docs/RULES.md).' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review rules" format' -l 'format' -d 'Output format: text (default) or json.' -rfka 'text json'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review rules" rules-only' -l 'rules-only' -d 'Only the rules, not the tables.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review rules" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review rules" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" o output' -l 'output' -s 'o' -d 'Also write the thread mbox to FILE (written atomically); \'-\' writes it to standard output.' -rF
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" lore' -l 'lore' -d 'Public-inbox to ask: a base URL such as https://lore.kernel.org/all/ or a URL with %s for the message-id.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" offline' -l 'offline' -d 'Use only the cache; fail when the thread is not there (also when LKML_REVIEW_OFFLINE is set).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" no-cache' -l 'no-cache' -d 'Neither read nor write the cache (with no -o, the mbox goes to a temporary file).'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" cache-ttl' -l 'cache-ttl' -d 'Use a cached copy younger than SECONDS without asking the server; 0 always asks.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" max-fetch-size max-size' -l 'max-size' -l 'max-fetch-size' -d 'Refuse threads whose decoded mbox is larger than SIZE (bytes; K, M and G suffixes).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" cache-dir' -l 'cache-dir' -d 'Cache folder instead of $XDG_CACHE_HOME/lkml-review.' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" connect-timeout' -l 'connect-timeout' -d 'Give up connecting after SECONDS.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" stall-timeout' -l 'stall-timeout' -d 'Give up when less than 1 KiB/s arrives for SECONDS.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" retries' -l 'retries' -d 'Retries after connection errors, timeouts, 429 and 5xx answers (never after other 4xx); a Retry-After up to the stall timeout is waited for.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review fetch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review cache" -eq 1' -fa 'list' -d 'List cached threads and searches, newest first: age, size, messages, message-id (or search URL) and file.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_positional "lkml-review cache" -eq 1' -fa 'clear' -d 'Remove every cached thread.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache list" cache-dir' -l 'cache-dir' -d 'Cache folder instead of $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache list" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache clear" cache-dir' -l 'cache-dir' -d 'Cache folder instead of $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache clear" version' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review cache clear" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'lkml-review' -n '__lkml-review_should_offer_completions_for_flags_or_options "lkml-review help" version' -l 'version' -d 'Show the version.'
# The top level: review is the default subcommand, so its options, their values and file
# names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
function __lkml-review_top_level
    set -l tokens (__lkml-review_tokens -pc)
    test (count $tokens) -lt 2; and return 0
    not contains -- $tokens[2] review parse remarks check rules fetch cache mine-locks help
end

complete -c 'lkml-review' -n '__lkml-review_top_level' -F
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'format' -d 'Output format: markdown (default), json, sarif, text (file:line: severity: [rule] message) or reply (a plain-text reply mail per patch with findings, an mbox for several); the default from git config lkml-review.format.' -rfka 'markdown json sarif text reply'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'output' -s 'o' -d 'Write to FILE instead of standard output: a regular file is replaced atomically (a temporary file renamed into place, its mode kept); a symlink is followed; a FIFO or device is written in place.' -rF
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'color' -d 'Colour the text format: auto (a terminal, and NO_COLOR unset), always or never.' -rfka 'auto always never'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'fail-on' -d 'Exit with status 1 when a finding the patch introduces or keeps is at this level or above: note, warning or error (default from git config lkml-review.fail-on).' -rfka 'note warning error'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'tables' -d 'A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see \'lkml-review rules\' and docs/RULES.md).' -rF
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'tree' -d 'A kernel source checkout: check remarks\' quoted lines against it and analyse whole functions (default: $LKML_REVIEW_TREE, else git config lkml-review.tree).' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'lore' -d 'Public-inbox to fetch an ID from (default: $LKML_REVIEW_LORE, else git config b4.midmask, else https://lore.kernel.org/all/).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'offline' -d 'Use only the cache, for an ID (its thread, earlier revisions and change-id search) and for the original patch of flattened text (also when LKML_REVIEW_OFFLINE is set).'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'thread' -d 'Fetch the thread of a reply\'s In-Reply-To when the reply\'s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'no-thread' -d 'Fetch the thread of a reply\'s In-Reply-To when the reply\'s patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'cache-dir' -d 'Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.' -rfa '(__lkml-review_complete_directories)'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'context' -d 'Quoted code lines shown above each remark\'s line, 0 to 50 (default 4, or git config lkml-review.context).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'no-rules' -d 'Do not run the rules.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'brief' -d 'A short report for the markdown and text formats: per series its status, then per patch its trailers, the rule findings it introduces or keeps and the remarks nobody answered, a line each. Not for json, sarif or reply, which are already what a program or a mail needs.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'only' -d 'Only these patches: numbers k of [PATCH k/n] (0 the cover letter, 1 a lone patch), as 2, 1,3 or 2-4; repeatable. In every format.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'reviewer' -d 'Only what this person said: remarks, trailers, questions and timeline replies whose sender (or, for a trailer, the person named) has NAME in their name or address, case-insensitive. The rule findings stay. In every format (the reply mails hold only findings).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'since' -d 'Only what was said at or after DATE (YYYY-MM-DD, midnight UTC, or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]): remarks, trailers, questions and timeline replies by their mail\'s date; undated ones are left out. The rule findings stay.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'no-revisions' -d 'Do not follow the revisions of a series in the input (v1, v2, and so on) into each other, nor fetch the earlier revisions a fetched series links to or its b4 change-id finds in a public-inbox search.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'interdiff' -d 'With several revisions of a series in the input (v2, v3, and so on): add per-patch interdiffs from vN to vN+1 to the Revisions section (a diff of the two patches\' diff lines).'
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-message-size' -d 'Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-headers' -d 'Ignore header fields of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-header-length' -d 'Cut one header field (unfolded) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-mime-depth' -d 'Skip MIME parts nested deeper than N multiparts.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-parts' -d 'Ignore MIME parts of a message beyond the first N.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-line-length' -d 'Warn about lines longer than SIZE (they are kept).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-decoded-size' -d 'Cut a message\'s decoded text (base64, quoted-printable, charsets) at SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-gzip-size' -d 'Refuse a gzip-compressed input that decompresses to more than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-path-steps' -d 'Stop exploring a function\'s paths after N steps (a step carrying a large state counts more).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-states' -d 'Stop following further paths through a point of a function once N distinct states have reached it.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-function-tokens' -d 'Skip functions of more than N C tokens.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-thread-size' -d 'Review at most N replies to one patch (thread order); a warning counts the rest.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-fetch-size' -d 'Refuse a fetched thread whose decoded mbox is larger than SIZE.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'thread-window' -d 'Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'thread-window-size' -d 'The window in bytes of decoded mail (0: only --thread-window counts).' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-thread-messages' -d 'Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'max-thread-bytes' -d 'Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.' -rfka ''
complete -c 'lkml-review' -n '__lkml-review_top_level' -l 'version' -d 'Show the version.'
complete -c 'lkml-review' -n '__lkml-review_top_level' -s 'h' -l 'help' -d 'Show help information.'
