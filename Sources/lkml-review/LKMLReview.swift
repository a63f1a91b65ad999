import ArgumentParser
import Mailbox

@main
struct LKMLReview: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lkml-review", abstract: "Structured review of Linux kernel patch threads.")
    func run() throws {}
}
