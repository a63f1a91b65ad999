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

    @Argument(help: "The input: a file, a Maildir folder, or - for standard input.", completion: .file())
    var input: String

    @Option(help: ArgumentHelp("Output format: text (default) or json (the full analysis of each reply).", valueName: "FORMAT"))
    var format: TextOrJSON?

    @OptionGroup var old: JSONFlag

    @Option(help: ArgumentHelp("A kernel source checkout: check each remark's quoted pre-image lines against it.", valueName: "PATH"),
            completion: .directory)
    var tree: String?

    @Option(name: .customLong("message-id"), help: "Only the message with this Message-ID.")
    var messageID: String?

    @Flag(help: "Also list messages without remarks.")
    var all = false

    @Flag(name: .customLong("no-align"),
          help: "Do not look up and align with the original patch: quote structure and remarks only (numbers from the quoted hunk headers).")
    var noAlign = false

    @OptionGroup(title: "Limits")
    var limits: MailLimitOptions

    @Flag(name: .customLong("replies-only"),
          help: "Analyse replies only (a parent in In-Reply-To/References, or a Re: subject), as b4 selects them.")
    var repliesOnly = false

    func validate() throws {
        _ = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text)
    }

    func run() throws {
        let json = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text) == .json
        // Only what the analysis reads is kept of each message (not the headers, addresses, MIME
        // tree or trailers): a whole archive stays small in memory.
        var messages: [Message] = []
        do {
            try MailReader.forEach(path: input, options: limits.readOptions()) { m in
                var m = Flattened.isFlattened(m) ? Flattened.message(Flattened.resegment(m.body), index: m.index) : m
                m.headers = []; m.to = []; m.cc = []; m.trailers = []; m.warnings = []
                m.mime = MIMEPart(contentType: m.mime.contentType)
                messages.append(m)
            }
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
        var options = AnalyzeOptions(align: !noAlign, repliesOnly: repliesOnly)
        if let id = messageID {
            let bare = id.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            options.only = Set(messages.indices.filter { messages[$0].messageID == bare })
            if options.only?.isEmpty != false { throw CLIError("no message with Message-ID <\(bare)> in \(input)") }
        }
        var checker: TreeChecker? = nil
        if let tree {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tree, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("--tree \(tree) is not a directory")
            }
            checker = TreeChecker(root: tree)
        }
        let listAll = all
        if json {
            // The same text as encoding the whole array at once, written element by element (each
            // encoded on the core that made it when there is no --tree): memory stays at a batch.
            var out = ""
            var count = 0
            func add(_ element: String) {
                out += count == 0 ? "[\n" : ",\n"
                out += element
                count += 1
                if out.utf8.count >= 1 << 20 {
                    Output.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            if checker == nil {
                try ReviewParser.analyzeAll(messages, options: options, transform: { _, a in
                    Self.keep(a, all: listAll) ? Result { try Self.jsonElement(a) } : nil
                }) { _, element in
                    if let element { add(try element.get()) }
                }
            } else {
                try ReviewParser.analyzeAll(messages, options: options) { _, a in
                    guard Self.keep(a, all: listAll) else { return }
                    var a = a
                    checker?.check(&a)
                    add(try Self.jsonElement(a))
                }
            }
            if count == 0 {
                out = try Output.json([ReviewAnalysis]()) + "\n"
            } else {
                out += "\n]\n"
            }
            Output.write(out)
            return
        }
        // Text: written a batch at a time, so only one batch of analyses is held; without --tree
        // each analysis is also described on the core that made it.
        var out = ""
        var count = 0
        // `text` is terminal-safe already (made so piece by piece: the same as for the whole).
        func add(_ text: String) {
            out += text
            count += 1
            if out.utf8.count >= 1 << 20 {
                Output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if checker == nil {
            ReviewParser.analyzeAll(messages, options: options, transform: { _, a in
                Self.keep(a, all: listAll) ? Self.terminalSafe(Self.describe(a)) : nil
            }) { _, text in
                if let text { add(text) }
            }
        } else {
            ReviewParser.analyzeAll(messages, options: options) { _, a in
                guard Self.keep(a, all: listAll) else { return }
                var a = a
                checker?.check(&a)
                add(Self.terminalSafe(Self.describe(a)))
            }
        }
        out += Output.terminalSafe("\(count) message(s) with remarks in \(input)\n")
        Output.write(out)
    }

    /// `Output.terminalSafe`, asked only when a byte could need it (a control byte other than
    /// line feed and tab, DEL, a C1 control `C2 80`–`C2 9F`, or U+202E `E2 80 AE`): most text has none.
    static func terminalSafe(_ s: String) -> String {
        var s = s
        let clean = s.withUTF8 { b -> Bool in
            var k = 0
            while k < b.count {
                let c = b[k]
                if c < 0x20 { if c != 0x0A && c != 0x09 { return false } }
                else if c == 0x7F || c == 0xC2 || c == 0xE2 { return false }
                k += 1
            }
            return true
        }
        return clean ? s : Output.terminalSafe(s)
    }

    /// Listed: every message with --all, else those with remarks that quote something.
    static func keep(_ a: ReviewAnalysis, all: Bool) -> Bool {
        all || (!a.remarks.isEmpty && a.blocks.contains { $0.kind == .quote })
    }

    /// One analysis as an element of the pretty-printed JSON array: its own encoding indented by
    /// two spaces (string values hold no raw line feeds, so every line feed starts a line; the
    /// encoder leaves the empty line of an empty array unindented).
    static func jsonElement(_ a: ReviewAnalysis) throws -> String {
        let text = try Output.json(a)
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var u = text.utf8[...]
        while true {
            let nl = u.firstIndex(of: UInt8(ascii: "\n")) ?? u.endIndex
            if nl > u.startIndex { out += "  "; out += Substring(u[..<nl]) }
            if nl == u.endIndex { break }
            out += "\n"
            u = u[u.index(after: nl)...]
        }
        return out
    }

    static func describe(_ a: ReviewAnalysis) -> String {
        var out = ""
        out.reserveCapacity(1024)
        describe(a, into: &out)
        return out
    }

    static func describe(_ a: ReviewAnalysis, into out: inout String) {
        out += "Message <\(a.messageID ?? "?")> from \(a.from?.description ?? "?")\n  \(a.subject)\n"
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
                if let last = r.span.flatMap({ lastNonEmptyLine($0.text) }) { out += "      > \(last)\n" }
            case .message: out += "the message\n"
            }
            if let t = r.treeCheck {
                out += "      tree: \(t.status.rawValue)"
                if let line = t.line, let real = t.realText { out += " — line \(line): \(real)" }
                out += "\n"
                if let w = t.warning { out += "      warning: \(w)\n" }
            }
            out += indented(r.text)
        }
        for w in a.warnings { out += "  warning: \(w)\n" }
        out += "\n"
    }

    /// Every line of `text` (split at line feeds, which are always characters of their own)
    /// indented by six spaces and ended by a line feed; built on the bytes with memchr.
    static func indented(_ text: String) -> String {
        var t = text
        return t.withUTF8 { b in
            var buf: [UInt8] = []
            buf.reserveCapacity(b.count + 64)
            let pad: [UInt8] = Array("      ".utf8)
            buf.append(contentsOf: pad)
            var k = 0
            while k < b.count, let base = b.baseAddress {
                let nl = memchr(base + k, 0x0A, b.count - k).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? b.count
                buf.append(contentsOf: UnsafeBufferPointer(rebasing: b[k..<nl]))
                if nl == b.count { break }
                buf.append(0x0A)
                buf.append(contentsOf: pad)
                k = nl + 1
            }
            buf.append(0x0A)
            return String(decoding: buf, as: UTF8.self)
        }
    }

    /// The last line of `text` that is not empty (as `split(separator: "\n").last`), on UTF-8.
    static func lastNonEmptyLine(_ text: String) -> Substring? {
        let u = text.utf8
        var end = u.endIndex
        while end > u.startIndex && u[u.index(before: end)] == UInt8(ascii: "\n") { end = u.index(before: end) }
        guard end > u.startIndex else { return nil }
        let start = u[..<end].lastIndex(of: UInt8(ascii: "\n")).map { u.index(after: $0) } ?? u.startIndex
        return Substring(u[start..<end])
    }
}
