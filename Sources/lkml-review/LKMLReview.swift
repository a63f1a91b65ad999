// The lkml-review command line: wiring only. Each subcommand reads its inputs with the library
// modules and prints what they return.
import ArgumentParser

@main
struct LKMLReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lkml-review",
        abstract: "Structured review of Linux kernel patch threads from mailing-list mail.",
        version: "0.1.0",
        subcommands: [ParseCommand.self, FetchCommand.self, CacheCommand.self]
    )
}
