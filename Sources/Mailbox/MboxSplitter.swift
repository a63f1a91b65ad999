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
}

/// Splits a byte stream into messages. Memory stays bounded by the largest message kept (at most
/// `maxMessageBytes`) plus the read buffer.
public struct MboxSplitter<Source: ByteSource> {
    var source: Source
    public private(set) var format: MboxFormat
    let maxMessageBytes: Int
    var buffer: [UInt8] = []
    var start = 0        // start of unconsumed data in buffer
    var scan = 0         // where line scanning continues
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
        // compact
        if start > 0 && (start >= buffer.count / 2 || buffer.count - start < chunk) {
            buffer.removeSubrange(0..<start)
            consumedBase += start
            scan -= start
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: [UInt8](repeating: 0, count: chunk)) // (not repeatElement: slow element by element)
        var src = source
        let size = chunk
        let n = try buffer.withUnsafeMutableBytes { raw -> Int in
            try src.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[old..<(old + size)]))
        }
        source = src
        buffer.removeSubrange((old + n)...)
        if n == 0 { eof = true }
    }

    /// The next message, or nil at the end of the input.
    public mutating func next() throws -> RawMessage? {
        while true {
            // find next complete line from `scan`
            var lineEnd = -1
            buffer.withUnsafeBufferPointer { p in
                var i = scan
                while i < p.count {
                    if p[i] == LF { lineEnd = i; break }
                    i += 1
                }
                if lineEnd < 0 { scan = max(scan, p.count) }
            }
            if lineEnd < 0 {
                if eof {
                    // final (unterminated) line and the end of the last message
                    if scan > start || current != nil {
                        let tail = Array(buffer[start..<buffer.count])
                        start = buffer.count
                        scan = start
                        if first && tail.allSatisfy(isSpaceByte) { return nil }
                        return finishWith(lastLine: tail)
                    }
                    return nil
                }
                // A line longer than what we keep: flush what we have into the message to
                // bound memory.
                if buffer.count - start > maxMessageBytes + chunk {
                    appendToCurrent(buffer[start..<buffer.count])
                    start = buffer.count
                    scan = start
                }
                try fill()
                continue
            }
            let lineStart = start
            let lineStop = lineEnd + 1
            var sep = false
            buffer.withUnsafeBufferPointer { p in
                var hi = lineEnd
                if hi > lineStart, p[hi - 1] == CR { hi -= 1 }
                sep = Self.isSeparator(p, lineStart, hi)
            }
            if first {
                // Like git mailsplit: blank (whitespace-only) lines before the first line are skipped.
                var blank = true
                buffer.withUnsafeBufferPointer { p in
                    for k in lineStart..<lineEnd where !isSpaceByte(p[k]) { blank = false; break }
                }
                if blank {
                    start = lineStop; scan = start
                    continue
                }
                first = false
                if !sep {
                    // Not an mbox: the whole input is one message.
                    isMbox = false
                    format = .mboxo
                    current = []
                    currentOffset = consumedBase + lineStart
                    appendLine(lineStart, lineStop)
                    start = lineStop; scan = start
                    continue
                }
            }
            if sep && isMbox {
                if format == .auto {
                    format = buffer[lineStart..<lineStop].starts(with: Array("From mboxrd@z ".utf8)) ? .mboxrd : .mboxo
                }
                let finished = current != nil ? takeCurrent() : nil
                current = []
                currentOffset = consumedBase + lineStart
                currentSize = 0
                currentTruncated = false
                start = lineStop; scan = start
                if let finished { return finished }
                continue
            }
            appendLine(lineStart, lineStop)
            start = lineStop; scan = start
        }
    }

    private mutating func appendLine(_ lo: Int, _ hi: Int) {
        if format == .mboxrd && isMbox {
            // ">From " with one or more '>' loses one
            var k = lo
            while k < hi, buffer[k] == UInt8(ascii: ">") { k += 1 }
            if k > lo, hi - k >= 5, buffer[k] == UInt8(ascii: "F"), buffer[k + 1] == UInt8(ascii: "r"), buffer[k + 2] == UInt8(ascii: "o"),
               buffer[k + 3] == UInt8(ascii: "m"), buffer[k + 4] == SP {
                appendToCurrent(buffer[(lo + 1)..<hi])
                return
            }
        }
        appendToCurrent(buffer[lo..<hi])
    }

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

    private mutating func finishWith(lastLine: [UInt8]) -> RawMessage? {
        if !lastLine.isEmpty {
            var sep = false
            lastLine.withUnsafeBufferPointer { p in sep = Self.isSeparator(p, 0, p.count) }
            if sep && isMbox {
                // a separator as the very last line: an empty final message
                let done = current != nil ? takeCurrent() : nil
                return done
            }
            if current == nil { current = []; currentOffset = consumedBase + start - lastLine.count }
            appendToCurrent(lastLine[...])
        }
        return current != nil ? takeCurrent() : nil
    }

    private mutating func takeCurrent() -> RawMessage {
        let m = RawMessage(bytes: current ?? [], offset: currentOffset, truncated: currentTruncated, originalSize: currentSize)
        current = nil
        currentSize = 0
        currentTruncated = false
        return m
    }
}
