// `review` on a mailbox, thread by thread: messages stream from the reader into a `ThreadWindow`;
// each group it closes is reviewed on its own (`ReportBuilder.buildParts`) and dropped, and the
// report is written as the series come, in the order one whole build gives (`ReportStream`).
// Series that must wait for an earlier one still open, and the threads whose patch mail is not in
// the input (reported last), are kept in a temporary file, not in memory. `--format reply` renders
// each series' reply mails when its group is built (the group's messages give the patch mails'
// headers and diff lines) and writes them in the same order (`ReplyMailbox`).
import Foundation
import Mailbox
import Report
import Rules

/// A temporary file of records, unlinked as soon as it is made (nothing is left behind, even after
/// a kill).
final class Spool {
    private let fd: Int32
    private(set) var length = 0

    init() throws {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/lkml-review-spool-XXXXXX").utf8CString)
        let f = template.withUnsafeMutableBufferPointer { b -> Int32 in
            guard let base = b.baseAddress else { return -1 }
            return mkstemp(base)
        }
        if f < 0 { throw CLIError("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { b in if let base = b.baseAddress { _ = unlink(base) } }
        _ = fcntl(f, F_SETFD, FD_CLOEXEC)
        fd = f
    }

    deinit { close(fd) }

    /// Appends bytes; returns where they are.
    func append(_ bytes: UnsafeRawBufferPointer) throws -> (offset: Int, count: Int) {
        let start = length
        let e = Output.writeAll(fd, bytes)
        if e != 0 { throw CLIError("temporary file: \(String(cString: strerror(e)))") }
        length += bytes.count
        return (start, bytes.count)
    }

    func append(_ s: String) throws -> (offset: Int, count: Int) {
        var s = s
        return try s.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("temporary file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw CLIError("temporary file: cut short") }
            done += n
        }
        return out
    }
}

/// Where a streamed report goes: standard output, or `-o FILE` (opened at the first write, so an
/// input error leaves FILE untouched; replaced atomically at `commit` as `OutputFile` does).
final class StreamOutput {
    let path: String?
    private var file: OutputFile?
    private var buffer = ""

    init(path: String?) { self.path = (path == "-") ? nil : path }

    func write(_ s: String) throws {
        buffer += s
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard let path else {
            Output.write(buffer)
            return
        }
        do {
            if file == nil { file = try OutputFile(path: path) }
            try file?.write(buffer)
        } catch {
            throw ReviewInputError("-o \(path): \(error)")
        }
    }

    func commit() throws {
        try flush()
        guard let path else { return }
        do {
            if file == nil { file = try OutputFile(path: path) }
            try file?.commit()
        } catch {
            throw ReviewInputError("-o \(path): \(error)")
        }
    }
}

/// One streamed review.
struct StreamedReview {
    var builder: ReportBuilder
    /// The rules, when they run; with a tree each group gets a `TreeSource` of its own (it carries
    /// the content a series' patches leave, per series of its build).
    var engine: RuleEngine?
    var tree: String?
    var environment: [String: String]
    var window: ThreadWindowOptions
    var format: ReportFormat
    var contextLines: Int
    var color: Bool
    var inputName: String
    /// --only, --reviewer, --since: applied to each series as it is written.
    var filter = ReportFilter()
    /// --brief (markdown and text).
    var brief = false

    /// What the review wrote and found.
    struct Result {
        var messages: Int
        var series: Int
        var stream: ReportStream
        /// `--format reply`: the reply mails written.
        var replies: Int
    }

    /// A piece and, for `--format reply`, its series' reply mails (rendered while its group's
    /// messages were at hand).
    struct Piece: Codable {
        var part: ReportPart
        var replies: [String]
    }

    /// A piece waiting for its turn: in memory, or encoded in the spool.
    enum Held {
        case piece(Piece)
        case spooled(offset: Int, count: Int)
    }

    /// What the review reads of a message (the rest is dropped as it is read, so that a window of
    /// messages stays small): no recipients, no MIME tree beyond its type, no header but `Date`
    /// (shown when it could not be parsed), and only the warnings of reading limits.
    /// For the reply mails (`forReplies`), also the recipients and the `Date` header as written
    /// (`ReplyRenderer` answers to all and quotes the date).
    static func slim(_ message: Message, forReplies: Bool = false) -> Message {
        var m = message
        m.headers = m.date == nil || forReplies
            ? m.headers.filter { $0.name.caseInsensitiveCompare("Date") == .orderedSame }.prefix(1).map { $0 } : []
        if !forReplies { m.to = []; m.cc = [] }
        m.mime = MIMEPart(contentType: m.mime.contentType)
        m.warnings = m.warnings.filter { ReportBuilder.readingLimitCodes.contains($0.code) }
        return m
    }

    /// Reviews the messages `read` hands over and writes the report to `output`.
    func run(output: StreamOutput, read: ((Message) throws -> Void) throws -> Void) throws -> Result {
        var threads = ThreadWindow(options: window)
        var stream = ReportStream(input: inputName, rulesRun: engine != nil)
        var sarif = SARIFStream()
        var sarifResults: [(offset: Int, count: Int)] = []
        var spool: Spool?
        func theSpool() throws -> Spool {
            if let spool { return spool }
            let s = try Spool()
            spool = s
            return s
        }
        var waitingSeries: [(key: Int, held: Held)] = []
        var waitingQuoted: [(key: Int, held: Held)] = []
        var count = 0
        var mailbox = ReplyMailbox()
        let markdown = MarkdownRenderer(contextLines: contextLines)
        let text = TextRenderer(color: color)
        let briefRenderer = BriefRenderer(style: format == .markdown ? .markdown : .text, rulesRun: engine != nil)
        var written = 0
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()

        func build(_ group: ThreadGroup) {
            var b = builder
            if let engine, tree != nil {
                b.seriesFindings = RuleFindings.seriesSource(engine: engine, trees: TreeSource(root: tree, environment: environment))
            }
            let parts = b.buildParts(input: inputName, threads: ThreadSet(messages: group.messages))
            stream.add(limitWarnings: parts.limitWarnings + group.notes.map { ReportWarning(index: $0.index, text: $0.text) })
            let replies = format == .reply ? ReplyRenderer(messages: group.messages) : nil
            for p in parts.parts {
                let piece = Piece(part: p, replies: replies.flatMap { r in p.series.flatMap(filter.apply).map { r.replies(to: $0) } } ?? [])
                if p.isQuoted { waitingQuoted.append((p.key, .piece(piece))) } else { waitingSeries.append((p.key, .piece(piece))) }
            }
        }
        func piece(_ held: Held) throws -> Piece {
            switch held {
            case .piece(let p): return p
            case .spooled(let offset, let n):
                return try decoder.decode(Piece.self, from: Data(try theSpool().read(offset: offset, count: n)))
            }
        }
        func emit(_ piece: Piece) throws {
            guard let whole = stream.next(piece.part), let s = filter.apply(whole) else { return }
            let index = written
            written += 1
            switch format {
            case .markdown where brief, .text where brief: try output.write(briefRenderer.series(s, index: index))
            case .markdown: try output.write(stream.markdown(s, index: index, renderer: markdown))
            case .text: try output.write(stream.text(s, renderer: text))
            case .json:
                if index == 0 { try output.write(try stream.jsonStart()) }
                try output.write(try stream.json(s, index: index))
            case .sarif:
                for r in try sarif.results(s) { sarifResults.append(try theSpool().append(r)) }
            case .reply:
                for r in piece.replies { try output.write(mailbox.add(r)) }
            }
        }
        /// Writes the series whose turn has come (every one below `bound`; all when nil), and keeps
        /// the rest in the spool.
        func flush(below bound: Int?) throws {
            waitingSeries.sort { $0.key < $1.key }
            var k = 0
            while k < waitingSeries.count, bound.map({ waitingSeries[k].key < $0 }) ?? true {
                try emit(try piece(waitingSeries[k].held))
                k += 1
            }
            waitingSeries.removeFirst(k)
            if bound == nil {
                waitingQuoted.sort { $0.key < $1.key }
                for w in waitingQuoted { try emit(try piece(w.held)) }
                waitingQuoted.removeAll()
                return
            }
            func spill(_ list: inout [(key: Int, held: Held)]) throws {
                for i in list.indices {
                    guard case .piece(let p) = list[i].held else { continue }
                    let data = try encoder.encode(p)
                    let at = try data.withUnsafeBytes { try theSpool().append($0) }
                    list[i].held = .spooled(offset: at.offset, count: at.count)
                }
            }
            try spill(&waitingSeries)
            try spill(&waitingQuoted)
        }

        try read { message in
            count += 1
            // The reply mails keep more of each message; the window counts what the report keeps,
            // so that the groups are those of the other formats.
            let closed = format == .reply
                ? threads.add(Self.slim(message, forReplies: true), size: ThreadWindow.size(Self.slim(message)))
                : threads.add(Self.slim(message))
            guard !closed.isEmpty else { return }
            for g in closed { build(g) }
            let open = threads.lowestOpenPatchIndex() ?? Int.max
            try flush(below: min(open, message.index + 1))
        }
        // What is still open at the end: an input that fits in the window is reviewed as one (the
        // whole-file review itself); else group by group, as the window closed the others.
        let rest = threads.finish()
        if threads.closedCount == rest.count, let all = ThreadGroup.combined(rest) {
            build(all)
        } else {
            // Each group's series are written once no later group holds an earlier patch.
            var bounds = [Int](repeating: Int.max, count: rest.count + 1)
            for k in rest.indices.reversed() { bounds[k] = min(bounds[k + 1], rest[k].firstPatchIndex ?? Int.max) }
            for (k, g) in rest.enumerated() {
                build(g)
                try flush(below: bounds[k + 1])
            }
        }
        try flush(below: nil)

        guard stream.seriesCount > 0 else {
            throw ReviewInputError("\(inputName): no patch and no reply quoting a patch (\(count) message\(count == 1 ? "" : "s") read)")
        }
        if written == 0 { ReviewCommand.note("\(inputName): nothing matches --only, --reviewer or --since") }
        switch format {
        case .markdown where brief, .text where brief: try output.write(briefRenderer.end(warnings: stream.warnings))
        case .markdown: try output.write(stream.markdownEnd())
        case .json:
            if written == 0 { try output.write(try stream.jsonStart()) }
            try output.write(try stream.jsonEnd())
        case .sarif:
            if sarifResults.isEmpty {
                try output.write(try sarif.empty())
            } else {
                let (head, tail) = try sarif.frame()
                try output.write(head)
                let placeholder = SARIFStream.placeholderText
                let real = sarif.remarkIndexText
                for r in sarifResults {
                    var element = String(decoding: try theSpool().read(offset: r.offset, count: r.count), as: UTF8.self)
                    if element.contains(placeholder) { element = element.replacingOccurrences(of: placeholder, with: real) }
                    try output.write(element)
                }
                try output.write(tail)
            }
        case .reply:
            try output.write(mailbox.finish())
            // No reply: nothing is written (-o leaves its file as it was).
            if mailbox.count == 0 {
                return Result(messages: count, series: stream.seriesCount, stream: stream, replies: 0)
            }
        case .text: break
        }
        try output.commit()
        return Result(messages: count, series: stream.seriesCount, stream: stream, replies: mailbox.count)
    }
}

/// How review reads its input.
enum ReviewSource {
    /// A file, a Maildir folder or standard input: streamed.
    case stream(name: String, read: ((Message) throws -> Void) throws -> Void)
    /// A thread to fetch (a message-id or link, given or on standard input's first line).
    case fetch(String)

    /// The source of INPUT, when it can be streamed (`nil`: read it whole).
    /// `piped`: what the caller read of standard input already (INPUT nil or `-`).
    static func of(_ input: String?, readOptions: ReadOptions, piped: StandardInput.Piped? = nil) throws -> ReviewSource? {
        guard let input, input != "-" else {
            switch try piped ?? StandardInput.piped(withoutInput: input == nil, limit: 0) {
            case .reference(let line):
                return .fetch(line)
            case .mail(let bytes, _):
                return .stream(name: "-") { body in try StandardInput.forEachMail(prefix: bytes, options: readOptions, body) }
            }
        }
        guard FileManager.default.fileExists(atPath: input) else { return nil }
        return .stream(name: input) { body in
            do {
                try MailReader.forEach(path: input, options: readOptions, body)
            } catch let e as MailboxError {
                throw ReviewInputError(reading: input, e)
            }
        }
    }
}
