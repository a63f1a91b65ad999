// Splitting mbox files into messages: git's rule for `From ` separator lines, mboxrd `>From`
// unescaping, bounded memory (one message plus a read buffer), oversized messages cut.

/// The mbox flavour of an input.
public enum MboxFormat: String, Sendable, Codable {
    /// Decide from the first separator (`From mboxrd@z …` means mboxrd).
    case auto
    /// Body lines `>From `, `>>From ` … were escaped by adding one `>`: remove it.
    case mboxrd
    /// Classic mbox: `>From ` lines are left as they are (as git mailsplit does).
    case mboxo
}

/// Something that fills a buffer with bytes: a file descriptor, a gzip stream, memory.
public protocol ByteSource {
    /// Reads up to `count` bytes into `buffer`; 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Why the input ended early, when it did but what came before is still usable (a truncated
    /// gzip stream): the last message gets this as a warning.
    var endWarning: String? { get }
}

extension ByteSource {
    public var endWarning: String? { nil }
}

/// In-memory bytes as a source.
public struct MemorySource: ByteSource {
    let bytes: [UInt8]
    var position = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n <= 0 { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// One message's bytes as cut from its mbox.
public struct RawMessage: Sendable {
    public var bytes: [UInt8]
    /// Byte offset of the message (its `From ` line) in the input.
    public var offset: Int
    /// The message was larger than the limit and was cut.
    public var truncated: Bool
    public var originalSize: Int
    /// Problems of the input found while cutting this message (a stream that ended early).
    public var warnings: [ParseWarning] = []
}

/// Splits a byte stream into messages. Memory stays bounded by the largest message kept (at most
/// `maxMessageBytes`) plus the read buffer.
public struct MboxSplitter<Source: ByteSource> {
    var source: Source
    public private(set) var format: MboxFormat
    let maxMessageBytes: Int
    var buffer: [UInt8] = []
    var readBuffer: [UInt8] = []  // one chunk, reused: read here, then appended to `buffer`
    var start = 0        // start of unconsumed data in buffer
    var scan = 0         // where line scanning continues
    var runStart = 0     // start of bytes of the current message not yet copied
    var lfLineStart = -1 // an incomplete line starting here holds no LF before `lfFrom`
    var lfFrom = 0
    var eof = false
    var consumedBase = 0 // stream offset of buffer[0]
    var current: [UInt8]? = nil
    var currentOffset = 0
    var currentSize = 0
    var currentTruncated = false
    var sawSeparator = false
    var first = true
    public private(set) var isMbox = true
    let chunk = 1 << 20

    public init(source: Source, format: MboxFormat = .auto, maxMessageBytes: Int = 64 << 20) {
        self.source = source
        self.format = format
        self.maxMessageBytes = maxMessageBytes
    }

    /// git's rule: `From ` then something, and near the end a `hh:mm` time followed by a year
    /// greater than 90 (so prose like "From the start of time:" is not a separator).
    static func isSeparator(_ p: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        guard hi - lo >= 20, p[lo] == UInt8(ascii: "F"), p[lo + 1] == UInt8(ascii: "r"), p[lo + 2] == UInt8(ascii: "o"),
              p[lo + 3] == UInt8(ascii: "m"), p[lo + 4] == SP else { return false }
        // The last ':' of the line (not counting its final byte) is the one before the seconds.
        var c = hi - 2
        while c >= lo + 5, p[c] != UInt8(ascii: ":") { c -= 1 }
        guard c - 4 >= lo + 5, c + 2 < hi,
              isDigit(p[c - 4]), isDigit(p[c - 2]), isDigit(p[c - 1]), isDigit(p[c + 1]), isDigit(p[c + 2]) else { return false }
        // What follows the seconds must read as a number above 90: the year (or a zone like +0100).
        var k = c + 3
        while k < hi, isSpaceByte(p[k]) { k += 1 }
        var negative = false
        if k < hi, p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-") { negative = p[k] == UInt8(ascii: "-"); k += 1 }
        var value = 0
        var digits = 0
        while k < hi, isDigit(p[k]), digits < 9 { value = value * 10 + Int(p[k] - 0x30); digits += 1; k += 1 }
        return !negative && value > 90
    }

    private mutating func fill() throws {
        if eof { return }
        // Copy the pending run into the message, then compact the buffer.
        flushRun(upTo: start)
        if start > 0 {
            buffer.removeSubrange(0..<start)
            consumedBase += start
            scan -= start
            lfLineStart -= start
            lfFrom -= start
            start = 0
            runStart = 0
        }
        if readBuffer.count != chunk { readBuffer = [UInt8](repeating: 0, count: chunk) }
        var src = source
        let n = try readBuffer.withUnsafeMutableBytes { raw -> Int in try src.read(into: raw) }
        source = src
        // One copy of what was read; no zero-filled growth of `buffer` per chunk.
        buffer.append(contentsOf: readBuffer[0..<n])
        if n == 0 { eof = true }
    }

    private enum Event {
        case needMore(scannedTo: Int)
        case separator(lo: Int, stop: Int)
        case escaped(lo: Int, stop: Int)
        case firstLine(isSeparator: Bool, lo: Int, stop: Int)
    }

    /// Scans complete lines from `scan` to the next line that needs action. Lines in between
    /// belong to the current message and are copied later in one run.
    private func nextEvent() -> (Event, Int) {
        let isFirst = first
        let unescape = format == .mboxrd || format == .auto
        let mbox = isMbox
        return buffer.withUnsafeBufferPointer { p -> (Event, Int) in
            var i = scan
            let n = p.count
            while i < n {
                // find the end of this line (memchr); a long line split across reads is not
                // scanned again from its start
                let from = i == lfLineStart ? max(i, lfFrom) : i
                guard let j = firstLF(p, from: from) else { return (.needMore(scannedTo: n), i) }
                var hi = j
                if hi > i, p[hi - 1] == CR { hi -= 1 }
                let c = p[i]
                if isFirst { return (.firstLine(isSeparator: Self.isSeparator(p, i, hi), lo: i, stop: j + 1), j + 1) }
                if mbox {
                    if c == UInt8(ascii: "F"), Self.isSeparator(p, i, hi) { return (.separator(lo: i, stop: j + 1), j + 1) }
                    if unescape && c == UInt8(ascii: ">") {
                        var k = i
                        while k < hi, p[k] == UInt8(ascii: ">") { k += 1 }
                        if hi - k >= 5, p[k] == UInt8(ascii: "F"), p[k + 1] == UInt8(ascii: "r"), p[k + 2] == UInt8(ascii: "o"),
                           p[k + 3] == UInt8(ascii: "m"), p[k + 4] == SP {
                            return (.escaped(lo: i, stop: j + 1), j + 1)
                        }
                    }
                }
                i = j + 1
            }
            return (.needMore(scannedTo: n), i)
        }
    }

    /// Copies buffer[runStart..<end] into the current message.
    private mutating func flushRun(upTo end: Int) {
        if end > runStart {
            appendToCurrent(buffer[runStart..<end])
        }
        runStart = max(runStart, end)
    }

    /// The next message, or nil at the end of the input.
    public mutating func next() throws -> RawMessage? {
        while true {
            let (event, newScan) = nextEvent()
            scan = newScan
            switch event {
            case .needMore(let scannedTo):
                lfLineStart = scan
                lfFrom = scannedTo
                if eof {
                    // The rest (an unterminated last line) belongs to the current message.
                    let end = buffer.count
                    if first {
                        first = false
                        if buffer[start..<end].allSatisfy(isSpaceByte) { return nil }
                        isMbox = false
                        format = .mboxo
                        current = []
                        currentOffset = consumedBase + start
                    }
                    if current == nil { return nil }
                    flushRun(upTo: end)
                    start = end
                    scan = end
                    return takeCurrent()
                }
                // Everything up to `scan` is complete lines of the current message.
                flushRun(upTo: scan)
                start = scan
                // A single line longer than the message limit: keep only what the limit allows.
                if buffer.count - start > maxMessageBytes + chunk {
                    flushRun(upTo: buffer.count)
                    start = buffer.count
                    scan = start
                }
                try fill()
            case .firstLine(let isSep, let lo, let stop):
                // Like git mailsplit: whitespace-only lines before the first line are skipped.
                if !isSep && buffer[lo..<stop].allSatisfy(isSpaceByte) {
                    start = stop
                    runStart = stop
                    continue
                }
                first = false
                current = []
                currentOffset = consumedBase + lo
                currentSize = 0
                if isSep {
                    if format == .auto {
                        format = buffer[lo..<stop].starts(with: Self.mboxrdMarker) ? .mboxrd : .mboxo
                    }
                    runStart = stop
                } else {
                    // Not an mbox: the whole input is one message.
                    isMbox = false
                    format = .mboxo
                    runStart = lo
                }
                start = stop
            case .separator(let lo, let stop):
                flushRun(upTo: lo)
                let finished = current != nil ? takeCurrent() : nil
                current = []
                currentOffset = consumedBase + lo
                currentSize = 0
                currentTruncated = false
                runStart = stop
                start = stop
                if let finished { return finished }
            case .escaped(let lo, let stop):
                flushRun(upTo: lo)
                if format == .mboxrd {
                    appendToCurrent(buffer[(lo + 1)..<stop])
                } else {
                    appendToCurrent(buffer[lo..<stop])
                }
                runStart = stop
                start = stop
            }
        }
    }

    private static var mboxrdMarker: [UInt8] { Array("From mboxrd@z ".utf8) }

    private mutating func appendToCurrent(_ bytes: ArraySlice<UInt8>) {
        if current == nil { current = []; currentOffset = consumedBase + start }
        currentSize += bytes.count
        let room = maxMessageBytes - current!.count
        if room <= 0 { currentTruncated = true; return }
        if bytes.count > room {
            current!.append(contentsOf: bytes.prefix(room))
            currentTruncated = true
        } else {
            current!.append(contentsOf: bytes)
        }
    }

    private mutating func takeCurrent() -> RawMessage {
        let m = RawMessage(bytes: current ?? [], offset: currentOffset, truncated: currentTruncated, originalSize: currentSize)
        current = nil
        currentSize = 0
        currentTruncated = false
        return m
    }
}
