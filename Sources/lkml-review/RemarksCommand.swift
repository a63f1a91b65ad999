// `lkml-review remarks`: the reviewer's remarks of each reply and the line each one answers.
import ArgumentParser
import Foundation
import Mailbox
import Review

struct RemarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remarks",
        abstract: "List the remarks of review replies and what each answers (file, old/new line, function).",
        discussion: """
        INPUT is a message (.eml), an mbox (a thread: the patch and its replies), a Maildir folder, or - \
        for standard input. The patch a reply answers is looked up in INPUT (the parent message, or the \
        patch with the same subject); when found, the quoted lines are aligned with it to get exact \
        line numbers, and remarks whose quoted text is not in it are marked unmatched.
        """
    )

    @Argument(help: "The input: a file, a Maildir folder, or - for standard input.")
    var input: String

    @Flag(help: "Print JSON (the full analysis of each reply) instead of text.")
    var json = false

    @Option(help: "A kernel source checkout: check each remark's quoted pre-image lines against it.")
    var tree: String?

    @Option(name: .customLong("message-id"), help: "Only the message with this Message-ID.")
    var messageID: String?

    @Flag(help: "Also list messages without remarks.")
    var all = false

    func run() throws {
        let contents: MailboxContents
        do {
            contents = try MailReader.read(path: input)
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
        var analyses = ReviewParser.analyzeAll(contents.messages)
        if let id = messageID {
            let bare = id.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            analyses = analyses.filter { $0.messageID == bare }
            if analyses.isEmpty { throw CLIError("no message with Message-ID <\(bare)> in \(input)") }
        }
        if !all { analyses = analyses.filter { a in !a.remarks.isEmpty && a.blocks.contains { $0.kind == .quote } } }
        if let tree {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tree, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("--tree \(tree) is not a directory")
            }
            var checker = TreeChecker(root: tree)
            for i in analyses.indices { checker.check(&analyses[i]) }
        }
        if json {
            Output.write(try Output.json(analyses) + "\n")
            return
        }
        var out = ""
        for a in analyses { out += Self.describe(a) }
        out += "\(analyses.count) message(s) with remarks in \(input)\n"
        Output.write(Output.terminalSafe(out))
    }

    static func describe(_ a: ReviewAnalysis) -> String {
        var out = "Message <\(a.messageID ?? "?")> from \(a.from?.description ?? "?")\n  \(a.subject)\n"
        for q in a.quoteAuthors {
            out += "  depth \(q.depth): \(q.displayName) (\(q.source.rawValue))"
            if q.source == .conflict { out += "; the thread says \(q.threadName ?? q.threadEmail ?? "?")" }
            out += "\n"
        }
        if let s = a.alignment {
            out += "  aligned with the original patch: \(s.matchedLines) of \(s.quotedLines) quoted diff lines found\n"
        }
        for (n, r) in a.remarks.enumerated() {
            out += "  [\(n + 1)] body line \(r.firstLine + 1): "
            switch r.target {
            case .line:
                if let an = r.anchor {
                    let old = an.oldLine.map(String.init) ?? "-", new = an.newLine.map(String.init) ?? "-"
                    out += "\(an.file ?? "(unknown file)") old \(old) new \(new) (\(an.side.rawValue))"
                    if let f = an.function { out += " in \(f)()" }
                    if an.numbering != .header && an.numbering != .aligned { out += " [numbers: \(an.numbering.rawValue)]" }
                    if r.unmatched { out += " [unmatched: not in the original patch]" }
                    let marker = an.side == .added ? "+" : (an.side == .removed ? "-" : " ")
                    out += "\n      > \(marker)\(an.text)\n"
                }
            case .patch: out += "the patch as a whole\n"
            case .prose:
                out += "quoted prose"
                if let who = r.answers { out += " by \(who)" }
                out += "\n"
                if let last = r.span?.text.split(separator: "\n").last { out += "      > \(last)\n" }
            case .message: out += "the message\n"
            }
            if let t = r.treeCheck {
                out += "      tree: \(t.status.rawValue)"
                if let line = t.line, let real = t.realText { out += " — line \(line): \(real)" }
                out += "\n"
                if let w = t.warning { out += "      warning: \(w)\n" }
            }
            for l in r.text.split(separator: "\n", omittingEmptySubsequences: false) { out += "      \(l)\n" }
        }
        for w in a.warnings { out += "  warning: \(w)\n" }
        return out + "\n"
    }
}
