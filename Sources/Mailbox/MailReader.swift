// Inputs: a file (.eml, mbox, .mbox.gz), a Maildir folder, standard input, or bytes. Messages are
// cut sequentially and parsed in parallel batches; memory is bounded by a batch, not the file.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors that stop reading an input (per-message problems are warnings instead).
public enum MailboxError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String, String)
    case readFailed(String, String)
    case notMail(String, String)
    case gzip(String, String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let why): return "\(p): cannot open: \(why)"
        case .readFailed(let p, let why): return "\(p): read failed: \(why)"
        case .notMail(let p, let why): return "\(p): not a mail message or mbox: \(why)"
        case .gzip(let p, let why): return "\(p): bad gzip data: \(why)"
        }
    }
}

/// A file descriptor as a byte source.
public struct FileDescriptorSource: ByteSource {
    let fd: Int32
    let name: String
    public init(fd: Int32, name: String) { self.fd = fd; self.name = name }
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw MailboxError.readFailed(name, String(cString: strerror(errno)))
        }
    }

    /// The first two bytes of the input after `prefix` (fewer at its end), for the gzip magic.
    mutating func peekMagic(after prefix: [UInt8] = []) throws -> [UInt8] {
        var head = prefix
        var two = [UInt8](repeating: 0, count: 2)
        while head.count < 2 {
            let want = 2 - head.count
            let n = try two.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            if n == 0 { break }
            head += two[0..<n]
        }
        return head
    }
}

/// Options for reading an input.
public struct ReadOptions: Sendable {
    public var format: MboxFormat = .auto
    public var limits = ParseLimits()
    /// Largest decompressed size accepted for a gzip input.
    public var maxGzipBytes: Int = 1 << 32
    /// Parse messages on all cores.
    public var parallel = true
    public init() {}
}

/// What an input held.
public struct MailboxContents: Sendable {
    public var name: String
    public var messages: [Message]
    /// The input was an mbox (else a single message or a Maildir).
    public var isMbox: Bool
    public var format: MboxFormat
    public init(name: String, messages: [Message], isMbox: Bool, format: MboxFormat) {
        self.name = name; self.messages = messages; self.isMbox = isMbox; self.format = format
    }
}

public enum MailReader {
    /// Reads a path: a file (plain or gzip-compressed), a Maildir folder, or `-` for stdin.
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> MailboxContents {
        var messages: [Message] = []
        let info = try forEach(path: path, options: options) { messages.append($0) }
        return MailboxContents(name: path, messages: messages, isMbox: info.isMbox, format: info.format)
    }

    /// Parses bytes held in memory (gzip is detected and decoded).
    public static func parse(_ bytes: [UInt8], name: String = "<input>", options: ReadOptions = ReadOptions()) -> MailboxContents {
        var messages: [Message] = []
        var data = bytes
        if isGzip(bytes), let plain = try? gunzip(bytes, limit: options.maxGzipBytes) { data = plain }
        var splitter = MboxSplitter(source: MemorySource(data), format: options.format, maxMessageBytes: options.limits.maxMessageBytes)
        // Memory sources cannot fail.
        _ = try? drain(&splitter, options: options) { messages.append($0) }
        return MailboxContents(name: name, messages: messages, isMbox: splitter.isMbox, format: splitter.format)
    }

    public struct StreamInfo: Sendable {
        public var count: Int
        public var isMbox: Bool
        public var format: MboxFormat
    }

    /// Streams the messages of a path to `body`, in input order, without keeping them.
    @discardableResult
    public static func forEach(path: String, options: ReadOptions = ReadOptions(), _ body: (Message) throws -> Void) throws -> StreamInfo {
        if path == "-" {
            return try forEach(fd: 0, name: "<stdin>", options: options, body)
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return try readMaildir(path: path, options: options, body)
        }
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw MailboxError.cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        return try forEach(fd: fd, name: path, options: options, body)
    }

    /// Streams the messages read from a file descriptor (gzip detected from its magic bytes).
    /// `prefix` holds bytes already read from it (a caller that looked at the start of standard
    /// input): they are read first.
    @discardableResult
    public static func forEach(fd: Int32, name: String, prefix: [UInt8] = [], options: ReadOptions,
                               _ body: (Message) throws -> Void) throws -> StreamInfo {
        var source = FileDescriptorSource(fd: fd, name: name)
        // Peek for the gzip magic.
        let head = try source.peekMagic(after: prefix)
        if head.starts(with: [0x1F, 0x8B]) {
            let gz = try GzipSource(prefix: head, inner: source, name: name, limit: options.maxGzipBytes)
            var splitter = MboxSplitter(source: gz, format: options.format, maxMessageBytes: options.limits.maxMessageBytes)
            return try checkedDrain(&splitter, name: name, options: options, body)
        }
        let src = PrefixedSource(prefix: head, inner: source)
        var splitter = MboxSplitter(source: src, format: options.format, maxMessageBytes: options.limits.maxMessageBytes)
        return try checkedDrain(&splitter, name: name, options: options, body)
    }

    private static func checkedDrain<S: ByteSource>(_ splitter: inout MboxSplitter<S>, name: String, options: ReadOptions, _ body: (Message) throws -> Void) throws -> StreamInfo {
        do {
            let count = try drain(&splitter, options: options, body)
            return StreamInfo(count: count, isMbox: splitter.isMbox, format: splitter.format)
        } catch MailboxError.notMail(_, let why) {
            throw MailboxError.notMail(name, why)
        }
    }

    /// Cuts messages and parses them in batches, in parallel when asked.
    @discardableResult
    static func drain<S: ByteSource>(_ splitter: inout MboxSplitter<S>, options: ReadOptions,
                                     _ body: (Message) throws -> Void) throws -> Int {
        var index = 0
        var batch: [RawMessage] = []
        var batchBytes = 0
        let batchLimit = 4 << 20
        var first = true
        // While one batch is parsed on the other cores, the next one is cut here.
        var inFlight: (DispatchGroup, BatchBox)?
        func deliver() throws {
            guard let (group, box) = inFlight else { return }
            inFlight = nil
            group.wait()
            for m in box.messages { try body(m) }
        }
        func flush() throws {
            if batch.isEmpty { return }
            let work = batch
            let firstIndex = index
            index += batch.count
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            try deliver()
            if !options.parallel {
                for m in parseBatch(work, firstIndex: firstIndex, options: options) { try body(m) }
                return
            }
            let group = DispatchGroup()
            let box = BatchBox()
            group.enter()
            DispatchQueue.global().async {
                box.messages = parseBatch(work, firstIndex: firstIndex, options: options)
                group.leave()
            }
            inFlight = (group, box)
        }
        do {
            var endNoted = false
            while var raw = try splitter.next() {
                if !endNoted, let why = splitter.source.endWarning {
                    // The source has ended: this is the last message, and it may be cut.
                    raw.warnings.append(ParseWarning(.truncated, why))
                    endNoted = true
                }
                if first {
                    first = false
                    if !splitter.isMbox, looksBinary(raw.bytes) {
                        throw MailboxError.notMail("input", "binary data with no header block")
                    }
                }
                batch.append(raw)
                batchBytes += raw.bytes.count
                if batchBytes >= batchLimit || batch.count >= 256 { try flush() }
            }
            try flush()
            try deliver()
        } catch {
            // Never leave a batch running behind the caller's back.
            inFlight?.0.wait()
            throw error
        }
        return index
    }

    static func parseBatch(_ batch: [RawMessage], firstIndex: Int, options: ReadOptions) -> [Message] {
        let limits = options.limits
        @Sendable func one(_ i: Int) -> Message {
            let raw = batch[i]
            var m = MessageParser.parse(raw.bytes[...], index: firstIndex + i, offset: raw.offset, limits: limits)
            if raw.truncated {
                m.warnings.insert(ParseWarning(.truncated, "message of \(raw.originalSize) bytes cut at \(raw.bytes.count)"), at: 0)
            }
            m.warnings += raw.warnings
            return m
        }
        if !options.parallel || batch.count < 4 {
            return batch.indices.map(one)
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let results = ResultSlots(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < batch.count {
                results.set(i, one(i))
                i += workers
            }
        }
        return results.take()
    }

    /// A message file that has no header block and holds control bytes is not mail.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        guard !head.isEmpty else { return false }
        var warnings: [ParseWarning] = []
        let (h, _) = HeaderParser.parse(head, limits: ParseLimits(), warnings: &warnings)
        if !h.isEmpty { return false }
        let control = head.reduce(0) { $0 + (($1 < 0x09 || ($1 > 0x0D && $1 < 0x20) || $1 == 0x7F) ? 1 : 0) }
        return control * 20 > head.count || head.contains(0)
    }

    static func readMaildir(path: String, options: ReadOptions, _ body: (Message) throws -> Void) throws -> StreamInfo {
        let fm = FileManager.default
        var files: [String] = []
        for sub in ["cur", "new"] {
            let dir = (path as NSString).appendingPathComponent(sub)
            if let names = try? fm.contentsOfDirectory(atPath: dir) {
                files += names.filter { !$0.hasPrefix(".") }.map { (dir as NSString).appendingPathComponent($0) }
            }
        }
        if files.isEmpty, !fm.fileExists(atPath: (path as NSString).appendingPathComponent("cur")) {
            throw MailboxError.notMail(path, "a folder that is not a Maildir (no cur/ or new/)")
        }
        // Maildir names start with the delivery time: sorting them gives delivery order.
        files.sort { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
        var index = 0
        for f in files {
            guard let data = fm.contents(atPath: f) else { continue }
            var m = MessageParser.parse(Array(data)[...], index: index, offset: 0, limits: options.limits)
            m.headers.append(HeaderField(name: "X-Maildir-File", value: (f as NSString).lastPathComponent))
            try body(m)
            index += 1
        }
        return StreamInfo(count: index, isMbox: false, format: .mboxo)
    }
}

/// Slots filled from several threads, each index written by exactly one thread. Raw storage so
/// that no Swift array is mutated concurrently.
final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Message?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    func set(_ i: Int, _ m: Message) { slots[i] = m }
    func take() -> [Message] { (0..<count).map { slots[$0] ?? Message() } }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
}

/// The result of a batch parsed on another thread; read only after its group is waited on.
final class BatchBox: @unchecked Sendable {
    var messages: [Message] = []
}

/// Bytes already read, then the rest of a source.
struct PrefixedSource<Inner: ByteSource>: ByteSource {
    var prefix: [UInt8]
    var inner: Inner
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !prefix.isEmpty {
            let n = min(prefix.count, buffer.count)
            prefix.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            prefix.removeFirst(n)
            return n
        }
        return try inner.read(into: buffer)
    }
}

/// Gzip-compressed input decoded while it is read, with a cap on the decoded size.
final class GzipSource<Inner: ByteSource>: ByteSource {
    var decoder: GzipDecoder
    var inner: Inner
    var prefix: [UInt8]
    var pending: [UInt8] = []
    var pendingStart = 0
    var finished = false
    let name: String
    var input = [UInt8](repeating: 0, count: 256 << 10)
    /// Set when the stream broke after some output: reading stops there and the messages
    /// decoded so far are kept.
    private(set) var endWarning: String?

    init(prefix: [UInt8], inner: Inner, name: String, limit: Int) throws {
        do { decoder = try GzipDecoder(limit: limit) } catch { throw MailboxError.gzip(name, "\(error)") }
        self.inner = inner
        self.prefix = prefix
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while pendingStart >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            if finished { return 0 }
            var n: Int
            if !prefix.isEmpty {
                input.replaceSubrange(0..<prefix.count, with: prefix)
                n = prefix.count
                prefix = []
            } else {
                var src = inner
                n = try input.withUnsafeMutableBytes { try src.read(into: $0) }
                inner = src
            }
            do {
                if n == 0 {
                    finished = true
                    try decoder.finish()
                    return 0
                }
                try input.withUnsafeBytes { raw in
                    try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { pending.append(contentsOf: $0) }
                }
            } catch let e as MailboxError {
                throw e
            } catch let e as GzipError {
                // A bomb (over the cap) or nothing decoded at all is an error; a stream that
                // breaks later keeps what came before it.
                if case .limitExceeded = e { throw MailboxError.gzip(name, "\(e)") }
                if decoder.outputBytes == 0 && pending.isEmpty { throw MailboxError.gzip(name, "\(e)") }
                finished = true
                endWarning = "the gzip stream ends early (\(e)); the messages before the break are kept"
                if pendingStart >= pending.count { return 0 }
            } catch {
                throw MailboxError.gzip(name, "\(error)")
            }
        }
        let n = min(buffer.count, pending.count - pendingStart)
        pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: n) }
        pendingStart += n
        return n
    }
}
