// `lkml-review parse`: shows what the mail parser saw.
import ArgumentParser
import Foundation
import Mailbox

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show what the parser saw: headers, MIME tree, text part, trailers, warnings.",
        discussion: "INPUT is a message (.eml), an mbox (mboxo or mboxrd, optionally .gz), a Maildir folder, or - for standard input."
    )

    @Argument(help: "The input: a file, a Maildir folder, or - for standard input.", completion: .file())
    var input: String

    @Option(help: ArgumentHelp("Output format: text (default) or json.", valueName: "FORMAT"))
    var format: ParseFormat?

    @OptionGroup var old: JSONFlag

    @Option(name: .customLong("mbox-format"), help: ArgumentHelp("mbox flavour: auto (default), mboxrd or mboxo.", valueName: "FLAVOUR"))
    var mboxFormat: MboxFormat?

    @Flag(help: "Show only the headers a reviewer reads (From, To, Cc, Date, Subject, ids).")
    var brief = false

    @Flag(help: "One line per message (number, date, sender, subject, warnings), then totals; streams large mboxes in bounded memory.")
    var summary = false

    @OptionGroup(title: "Limits")
    var limits: MailLimitOptions

    func validate() throws {
        _ = try output()
        if let old = format?.mbox, let mboxFormat, old != mboxFormat {
            throw ValidationError("--format \(old.rawValue) is the old spelling of --mbox-format \(old.rawValue); it disagrees with --mbox-format \(mboxFormat.rawValue).")
        }
    }

    /// text or json: --format, else the old --json flag.
    func output() throws -> TextOrJSON {
        try OutputFormatChoice.resolve(format?.output, json: old.json, jsonValue: .json, default: .text)
    }

    func run() throws {
        let json = try output() == .json
        let options = limits.readOptions(format: mboxFormat ?? format?.mbox ?? .auto)
        if summary && !json {
            try runSummary(options)
            return
        }
        let contents: MailboxContents
        do {
            contents = try MailReader.read(path: input, options: options)
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
        if json {
            struct Out: Encodable { var input: String; var isMbox: Bool; var format: String; var messages: [Message] }
            Output.write(try Output.json(Out(input: input, isMbox: contents.isMbox, format: contents.format.rawValue, messages: contents.messages)) + "\n")
            return
        }
        var out = ""
        for m in contents.messages {
            out += describe(m)
        }
        out += "\(contents.messages.count) message(s) in \(input)\n"
        Output.write(Output.terminalSafe(out))
    }

    func runSummary(_ options: ReadOptions) throws {
        var count = 0, warned = 0, bodyBytes = 0
        var codes: [String: Int] = [:]
        var buffer = ""
        do {
            try MailReader.forEach(path: input, options: options) { m in
                count += 1
                bodyBytes += m.body.utf8.count
                if !m.warnings.isEmpty { warned += 1 }
                for w in m.warnings { codes[w.code.rawValue, default: 0] += 1 }
                let date = m.date.map(Output.isoDate) ?? "-"
                buffer += "\(m.index + 1)\t\(date)\t\(m.from?.displayName ?? "-")\t\(m.subject)\t\(m.warnings.count)\n"
                if buffer.utf8.count > 1 << 16 { Output.write(Output.terminalSafe(buffer)); buffer = "" }
            }
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
        Output.write(Output.terminalSafe(buffer))
        let detail = codes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        Output.write("\(count) message(s), \(bodyBytes) bytes of decoded text, \(warned) with warnings\(detail.isEmpty ? "" : " (\(detail))")\n")
    }

    private static let briefHeaders: Set<String> = ["from", "to", "cc", "date", "subject", "message-id", "in-reply-to", "references"]

    func describe(_ m: Message) -> String {
        var s = "=== message \(m.index + 1) (offset \(m.offset)) ===\n"
        s += "-- headers\n"
        for h in m.headers where !brief || Self.briefHeaders.contains(h.name.lowercased()) {
            s += "\(h.name): \(h.value)\n"
        }
        s += "-- parsed\n"
        s += "subject: \(m.subjectInfo.title)\n"
        let si = m.subjectInfo
        var tags: [String] = []
        if si.isReply { tags.append("reply") }
        if si.isForward { tags.append("forward") }
        if si.isPatch { tags.append("patch") }
        if si.isRFC { tags.append("RFC") }
        if si.isResend { tags.append("RESEND") }
        if si.version > 1 { tags.append("v\(si.version)") }
        if let i = si.index, let t = si.total { tags.append("\(i)/\(t)\(si.isCoverLetter ? " (cover letter)" : "")") }
        tags += si.tags
        if !tags.isEmpty { s += "subject tags: \(tags.joined(separator: ", "))\n" }
        s += "from: \(m.from?.description ?? "(none)")\n"
        if !m.to.isEmpty { s += "to: \(m.to.map(\.description).joined(separator: ", "))\n" }
        if !m.cc.isEmpty { s += "cc: \(m.cc.map(\.description).joined(separator: ", "))\n" }
        s += "date: \(m.date.map(Output.isoDate) ?? "(none)")\n"
        s += "message-id: \(m.messageID ?? "(none)")\n"
        if let r = m.inReplyTo { s += "in-reply-to: \(r)\n" }
        if !m.references.isEmpty { s += "references: \(m.references.joined(separator: " "))\n" }
        s += "-- MIME\n"
        s += mimeTree(m.mime, depth: 0)
        s += "-- text (\(m.body.utf8.count) bytes)\n"
        s += m.body
        if !m.body.hasSuffix("\n") { s += "\n" }
        for a in m.patchAttachments {
            s += "-- patch attachment \(a.filename ?? "(unnamed)") [\(a.contentType)], \(a.text.utf8.count) bytes\n"
        }
        s += "-- trailers\n"
        if m.trailers.isEmpty { s += "(none)\n" }
        for t in m.trailers {
            s += "\(t.key): \(t.value)\(t.isOnBehalf ? "  [not the sender]" : "")\n"
        }
        s += "-- warnings\n"
        if m.warnings.isEmpty { s += "(none)\n" }
        for w in m.warnings { s += "warning: \(w)\n" }
        s += "\n"
        return s
    }

    func mimeTree(_ p: MIMEPart, depth: Int) -> String {
        var line = String(repeating: "  ", count: depth) + p.contentType
        if let c = p.charset { line += "; charset=\(c)" }
        if let e = p.transferEncoding { line += " (\(e))" }
        if let f = p.filename { line += " name=\"\(f)\"" }
        if p.children.isEmpty { line += ", \(p.size) bytes" }
        if !p.role.isEmpty { line += " [\(p.role)]" }
        var s = line + "\n"
        for c in p.children { s += mimeTree(c, depth: depth + 1) }
        return s
    }
}

extension MboxFormat: ExpressibleByArgument {}

/// `parse --format`: text or json. The mbox flavours it used to take (auto, mboxrd, mboxo; now
/// `--mbox-format`) are still read, and not offered.
struct ParseFormat: ExpressibleByArgument {
    var output: TextOrJSON?
    var mbox: MboxFormat?

    init?(argument: String) {
        if let o = TextOrJSON(rawValue: argument) {
            output = o
        } else if let m = MboxFormat(rawValue: argument) {
            mbox = m
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { TextOrJSON.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// A one-line error for the user; the exit code is 2 (usage or input error).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
