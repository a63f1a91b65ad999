// `lkml-review --generate-completion-script SHELL`: argument-parser's script, plus the top level.
// `review` is the default subcommand (`lkml-review --format json thread.mbox`), but the generated
// scripts complete only subcommand names there; the additions below offer review's options,
// their values (`--format markdown|json|sarif|text`, …) and file names at the top level too.
import ArgumentParser

enum CompletionScripts {
    /// The subcommand names the top level accepts (argument-parser adds `help`).
    static var subcommands: [String] {
        LKMLReview.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The shell asked for in `arguments` (`--generate-completion-script bash` or `=bash`); nil
    /// when the flag is absent or names no shell argument-parser knows (it then reports that).
    static func requestedShell(_ arguments: [String]) -> CompletionShell? {
        for (i, a) in arguments.enumerated() {
            if a == "--generate-completion-script" {
                return i + 1 < arguments.count ? CompletionShell(rawValue: arguments[i + 1]) : nil
            }
            if a.hasPrefix("--generate-completion-script=") {
                return CompletionShell(rawValue: String(a.dropFirst("--generate-completion-script=".count)))
            }
        }
        return nil
    }

    static func script(for shell: CompletionShell) -> String {
        let generated = LKMLReview.completionScript(for: shell)
        switch shell {
        case .bash: return bash(generated)
        case .zsh: return zsh(generated)
        case .fish: return fish(generated)
        default: return generated
        }
    }

    /// bash: a function in front of the generated one. A first word that is a subcommand goes to
    /// the generated completion as is; otherwise the words are completed as those of
    /// `lkml-review review …` (and the first word also as a subcommand name).
    static func bash(_ generated: String) -> String {
        let names = subcommands.joined(separator: " ")
        return generated + """

        # The top level: review is the default subcommand, so its options, their values and file
        # names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
        _lkml-review_top_level() {
            if (( COMP_CWORD > 1 )) && [[ " \(names) " == *" ${COMP_WORDS[1]} "* ]]; then
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

        """
    }

    /// zsh: the generated `_lkml-review` renamed, and a new one in front of it that sends a first
    /// word that is not a subcommand to review's completion (`_lkml-review_review`, which reads
    /// the words from the second on, whatever the first is).
    static func zsh(_ generated: String) -> String {
        let footer = "if [[ \"${funcstack[1]}\" = _lkml-review ]]; then"
        guard generated.contains("\n_lkml-review() {\n"), let footerRange = generated.range(of: footer) else { return generated }
        var out = generated
        out.replaceSubrange(footerRange, with: """
        # The top level: review is the default subcommand, so its options, their values and file
        # names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
        _lkml-review() {
            local -ar subcommands=(\(subcommands.joined(separator: " ")))
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

        \(footer)
        """)
        if let first = out.range(of: "\n_lkml-review() {\n") {
            out.replaceSubrange(first, with: "\n__lkml-review_generated() {\n")
        }
        return out
    }

    /// fish: review's completions repeated for the top level, under a condition of their own (no
    /// subcommand on the line); file names for INPUT.
    static func fish(_ generated: String) -> String {
        let marker = "-n '__lkml-review_should_offer_completions_for_"
        var lines: [String] = []
        for line in generated.split(separator: "\n", omittingEmptySubsequences: false)
        where line.hasPrefix("complete -c 'lkml-review' \(marker)") && line.contains(" \"lkml-review review\"") {
            // -n '<generated condition for review>' → -n '__lkml-review_top_level'
            guard let start = line.range(of: "-n '"),
                  let end = line[start.upperBound...].firstIndex(of: "'") else { continue }
            lines.append(String(line[..<start.lowerBound]) + "-n '__lkml-review_top_level'" + line[line.index(after: end)...])
        }
        return generated + """

        # The top level: review is the default subcommand, so its options, their values and file
        # names are offered there too (lkml-review --format <TAB>, lkml-review <TAB>).
        function __lkml-review_top_level
            set -l tokens (__lkml-review_tokens -pc)
            test (count $tokens) -lt 2; and return 0
            not contains -- $tokens[2] \(subcommands.joined(separator: " "))
        end

        \(lines.joined(separator: "\n"))

        """
    }
}
