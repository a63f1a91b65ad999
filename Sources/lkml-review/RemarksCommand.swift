// `lkml-review remarks`: the reviewer's remarks of each reply and the line each one answers.
import ArgumentParser
import Foundation
import Lore
import Mailbox
import Report
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

        Review text copied from a web archive (one long line, no headers) is re-segmented into lines \
        first, as 'review' does it: with its original patch from the cache, else (not with --offline \
        or --no-align) from a search of the public-inbox for the files, author and date it quotes.
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

    @Option(name: .customLong("lore"), help: ArgumentHelp("Public-inbox to search for the original patch of flattened text (default: $LKML_REVIEW_LORE, else git config b4.searchmask, else b4.midmask, else https://lore.kernel.org/all/).", valueName: "URL"))
    var lore: String?

    @Flag(help: "Do not search a public-inbox for the original patch of flattened text; use only the cache (also when LKML_REVIEW_OFFLINE is set).")
    var offline = false

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder of fetched threads and searches instead of $XDG_CACHE_HOME/lkml-review.", valueName: "DIR"),
            completion: .directory)
    var cacheDirectory: String?

    @Flag(name: .customLong("no-align"),
          help: "Do not look up and align with the original patch: quote structure and remarks only (numbers from the quoted hunk headers).")
    var noAlign = false

    @OptionGroup(title: "Limits")
    var limits: MailLimitOptions

    @OptionGroup(title: "Limits")
    var window: ThreadWindowFlags

    @Flag(name: .customLong("replies-only"),
          help: "Analyse replies only (a parent in In-Reply-To/References, or a Re: subject), as b4 selects them.")
    var repliesOnly = false

    func validate() throws {
        _ = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text)
    }

    func run() throws {
        let json = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text) == .json
        var checker: TreeChecker? = nil
        if let tree {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tree, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("--tree \(tree) is not a directory")
            }
            checker = TreeChecker(root: tree)
        }
        let listAll = all
        let bare = messageID?.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        // Messages stream into threads (the same subject joins them too: a reply whose thread
        // holds no patch looks it up by title); the messages of the threads the window closes are
        // analysed a batch at a time, and each result is written in input order once no earlier
        // message is still open (those that must wait go to a temporary file).
        var windowOptions = window.options(linkSubjects: true)
        windowOptions.dropDuplicates = false
        var threads = ThreadWindow(options: windowOptions)
        var batch: [Message] = []
        var waiting: [(index: Int, text: String)] = []
        var waitingBytes = 0
        var spooled: [(index: Int, offset: Int, count: Int)] = []
        var spool: Spool?
        var count = 0
        var found = false
        var out = ""
        // Flattened text is re-segmented as `review` does it (FlattenedInput): its original patch
        // from the cache or a search joins the reply's thread, under an index of its own below 0,
        // and is not listed.
        let environment = ProcessInfo.processInfo.environment
        let cacheFolder = cacheDirectory ?? ThreadCache.defaultDirectory(environment: environment)
        var originalSearch: FlattenedInput.OriginalSearch? = nil
        var searchMade = false
        var injected = 0
        // One tree reader for every flattened message: its files and blobs are read once.
        let treeSource = tree.map { TreeSource(root: $0) }
        func resegmented(_ m: Message) -> [Message] {
            if noAlign { return [Flattened.message(Flattened.resegment(m.body), index: m.index)] }
            if !searchMade {
                searchMade = true
                originalSearch = FlattenedInput.OriginalSearch.make(
                    offline: offline || ThreadLookup.offline(environment), lore: lore, cacheDirectory: cacheDirectory,
                    environment: environment, config: GitConfig(environment: environment), maxFetchSize: FetchOptions().maxSize,
                    inputName: input, note: { ReviewCommand.note($0) })
            }
            let outcome = FlattenedInput.resegment([m], inputName: input, cacheDirectory: cacheFolder, search: originalSearch,
                                                   tree: treeSource, readOptions: limits.readOptions())
            for line in outcome.log + outcome.notes { ReviewCommand.note(line) }
            var reply = outcome.messages[0]
            reply.index = m.index
            return outcome.added.map { pm -> Message in
                var pm = pm
                injected += 1
                pm.index = -injected
                return pm
            } + [reply]
        }
        func write(_ element: String) {
            if json {
                out += count == 0 ? "[\n" : ",\n"
            }
            out += element
            count += 1
            if out.utf8.count >= 1 << 20 {
                Output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        func analyse() throws {
            guard !batch.isEmpty else { return }
            batch.sort { $0.index < $1.index }
            var options = AnalyzeOptions(align: !noAlign, repliesOnly: repliesOnly)
            if let bare {
                options.only = Set(batch.indices.filter { batch[$0].messageID == bare })
                if options.only?.isEmpty == false { found = true }
            }
            let messages = batch
            batch.removeAll()
            func keep(_ k: Int, _ text: String) throws {
                if messages[k].index < 0 { return } // an original patch the input does not hold
                waiting.append((messages[k].index, text))
                waitingBytes += text.utf8.count
                if waitingBytes > 8 << 20 { try spill() }
            }
            if checker == nil {
                if json {
                    try ReviewParser.analyzeAll(messages, options: options, transform: { _, a in
                        Self.keep(a, all: listAll) ? Result { try Self.jsonElement(a) } : nil
                    }) { k, element in
                        if let element { try keep(k, try element.get()) }
                    }
                } else {
                    try ReviewParser.analyzeAll(messages, options: options, transform: { _, a in
                        Self.keep(a, all: listAll) ? Self.terminalSafe(Self.describe(a)) : nil
                    }) { k, text in
                        if let text { try keep(k, text) }
                    }
                }
            } else {
                try ReviewParser.analyzeAll(messages, options: options) { k, a in
                    guard Self.keep(a, all: listAll) else { return }
                    var a = a
                    checker?.check(&a)
                    try keep(k, json ? try Self.jsonElement(a) : Self.terminalSafe(Self.describe(a)))
                }
            }
        }
        /// Writes what waits below `bound` (everything when nil), in input order.
        func flush(below bound: Int?) throws {
            var ready: [(index: Int, text: String?, at: (Int, Int)?)] = []
            waiting.sort { $0.index < $1.index }
            let w = waiting.prefix { bound == nil || $0.index < bound! }
            let s = spooled.prefix { bound == nil || $0.index < bound! }
            ready = w.map { ($0.index, $0.text, nil) } + s.map { ($0.index, nil, ($0.offset, $0.count)) }
            waiting.removeFirst(w.count)
            spooled.removeFirst(s.count)
            waitingBytes = waiting.reduce(0) { $0 + $1.text.utf8.count }
            ready.sort { $0.index < $1.index }
            for r in ready {
                if let t = r.text {
                    write(t)
                } else if let at = r.at, let spool {
                    write(String(decoding: try spool.read(offset: at.0, count: at.1), as: UTF8.self))
                }
            }
            if waitingBytes > 8 << 20 { try spill() }
        }
        /// Moves what waits in memory to the temporary file.
        func spill() throws {
            let s = try spool ?? Spool()
            spool = s
            for x in waiting {
                let at = try s.append(x.text)
                spooled.append((x.index, at.offset, at.count))
            }
            spooled.sort { $0.index < $1.index }
            waiting.removeAll(keepingCapacity: false)
            waitingBytes = 0
        }
        do {
            try MailReader.forEach(path: input, options: limits.readOptions()) { m in
                // Only what the analysis reads is kept of each message (not the headers,
                // addresses, MIME tree or trailers).
                // Review text copied from a web archive is re-segmented into lines first.
                let index = m.index
                for var m in Flattened.isFlattened(m) ? resegmented(m) : [m] {
                    m.headers = []; m.to = []; m.cc = []; m.trailers = []; m.warnings = []
                    m.mime = MIMEPart(contentType: m.mime.contentType)
                    for g in threads.add(m) { batch += g.messages }
                }
                if batch.count >= 512 {
                    try analyse()
                    try flush(below: min(threads.lowestOpenIndex() ?? Int.max, index + 1))
                }
            }
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
        // The rest: an input that fits in the window is analysed as one (the whole-file reading);
        // else a batch of groups at a time, as the window closed the others.
        let rest = threads.finish()
        if threads.closedCount == rest.count {
            for g in rest { batch += g.messages }
        } else {
            var bounds = [Int](repeating: Int.max, count: rest.count + 1)
            for k in rest.indices.reversed() { bounds[k] = min(bounds[k + 1], rest[k].firstIndex) }
            for (k, g) in rest.enumerated() {
                batch += g.messages
                if batch.count >= 512 {
                    try analyse()
                    try flush(below: bounds[k + 1])
                }
            }
        }
        try analyse()
        if let bare, !found { throw CLIError("no message with Message-ID <\(bare)> in \(input)") }
        try flush(below: nil)
        if json {
            if count == 0 {
                out = try Output.json([ReviewAnalysis]()) + "\n"
            } else {
                out += "\n]\n"
            }
        } else {
            out += Output.terminalSafe("\(count) message(s) with remarks in \(input)\n")
        }
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
