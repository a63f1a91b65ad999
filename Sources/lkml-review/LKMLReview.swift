// The lkml-review command line: wiring only. Each subcommand reads its inputs with the library
// modules and prints what they return. Exit status: 0 clean, 1 findings at or above --fail-on,
// 2 usage or input error.
import ArgumentParser
import Foundation

struct LKMLReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lkml-review",
        abstract: "Structured review of Linux kernel patch threads from mailing-list mail.",
        discussion: """
        With no subcommand, reviews its input: lkml-review FILE|-|MESSAGE-ID|LORE-URL \
        (the same as 'lkml-review review').
        """,
        version: "0.1.0",
        subcommands: [ReviewCommand.self, ParseCommand.self, RemarksCommand.self, CheckCommand.self,
                      RulesCommand.self, FetchCommand.self, CacheCommand.self, MineLocksCommand.self],
        defaultSubcommand: ReviewCommand.self
    )
}

@main
enum Main {
    static func main() {
        // A closed pipe (`lkml-review … | head`) is an EPIPE from write(2), handled by
        // Output.exit(for:), instead of a signal that kills the process.
        signal(SIGPIPE, SIG_IGN)
        // The completion scripts get the top level's completions added (CompletionScripts).
        if let shell = CompletionScripts.requestedShell(Array(CommandLine.arguments.dropFirst())) {
            Output.write(CompletionScripts.script(for: shell))
            exit(0)
        }
        do {
            var command = try LKMLReview.parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            Output.errorLine("lkml-review: \(Output.terminalSafe(error.description))")
            exit(2)
        } catch let error as Output.StandardOutputError {
            Output.exit(for: error)
        } catch {
            let code = LKMLReview.exitCode(for: error)
            let message = LKMLReview.fullMessage(for: error)
            // Usage errors: argument-parser's message, then status 2 (not sysexits' 64).
            if code == .validationFailure {
                Output.errorLine(message)
                exit(2)
            }
            // --help and --version: written through the checked writer (a full disk is status 2,
            // a closed pipe ends quietly).
            if code == .success && !message.isEmpty {
                Output.write(message.hasSuffix("\n") ? message : message + "\n")
                exit(0)
            }
            LKMLReview.exit(withError: error)
        }
    }
}
