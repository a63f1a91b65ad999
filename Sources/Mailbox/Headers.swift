// The header block: field lines, unfolding, limits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One header field as found: its name and its unfolded raw value bytes.
struct RawHeader {
    var name: String
    /// Lowercased name, for lookups.
    var key: String
    var value: ArraySlice<UInt8>
}

/// Limits that keep a hostile message from costing more than it is worth.
public struct ParseLimits: Sendable, Hashable {
    /// Largest message accepted whole; a larger one is cut and marked truncated.
    public var maxMessageBytes: Int = 64 << 20
    public var maxHeaderCount: Int = 2_000
    public var maxHeaderBytes: Int = 256 << 10
    public var maxMIMEDepth: Int = 40
    public var maxParts: Int = 2_000
    /// Largest decoded body kept per message (bytes).
    public var maxDecodedBytes: Int = 64 << 20
    /// Lines longer than this are reported (they are kept).
    public var maxLineBytes: Int = 1 << 20
    public init() {}
}

enum HeaderParser {
    /// Whether `b` may appear in a field name (RFC 5322 ftext).
    @inline(__always) static func isFieldNameByte(_ b: UInt8) -> Bool { b >= 33 && b <= 126 && b != UInt8(ascii: ":") }

    /// Parses the header block at the start of `bytes`. Returns the fields and the index where the
    /// body starts. A first line that is not a header means the message has no header block.
    static func parse(_ bytes: ArraySlice<UInt8>, limits: ParseLimits, warnings: inout [ParseWarning]) -> (headers: [RawHeader], bodyStart: Int) {
        var headers: [RawHeader] = []
        headers.reserveCapacity(32)
        var i = bytes.startIndex
        let end = bytes.endIndex
        // The field being read: its first line and its continuation lines (most fields have none:
        // no array). Separate variables, not an optional tuple, so flushing copies nothing.
        var hasCurrent = false
        var curName = "", curKey = ""
        var curFirst: ArraySlice<UInt8> = []
        var curMore: [ArraySlice<UInt8>] = []
        var curSize = 0
        var dropped = 0
        var tooLong = false
        defer {
            if dropped > 0 { warnings.append(ParseWarning(.tooManyHeaders, "\(dropped) header fields beyond the limit of \(limits.maxHeaderCount) ignored")) }
            if tooLong { warnings.append(ParseWarning(.headerTooLong, "a header field longer than \(limits.maxHeaderBytes) bytes was cut")) }
        }

        func flush() {
            guard hasCurrent else { return }
            hasCurrent = false
            defer { if !curMore.isEmpty { curMore.removeAll(keepingCapacity: true) } }
            if headers.count >= limits.maxHeaderCount { dropped += 1; return }
            var value: ArraySlice<UInt8>
            if curMore.isEmpty {
                value = curFirst
            } else {
                var joined: [UInt8] = []
                joined.reserveCapacity(curSize)
                joined.append(contentsOf: curFirst)
                for p in curMore { joined.append(contentsOf: p) }
                value = joined[...]
            }
            headers.append(RawHeader(name: curName, key: curKey, value: trimmed(value)))
        }

        while i < end {
            // find end of line
            let j = indexOfLF(bytes, from: i)
            var lineEnd = j
            if lineEnd > i, bytes[lineEnd - 1] == CR { lineEnd -= 1 }
            let next = j < end ? j + 1 : end
            let line = bytes[i..<lineEnd]
            if line.isEmpty {
                flush()
                return (headers, next)
            }
            if isWSP(line[line.startIndex]) {
                if hasCurrent {
                    if curSize + line.count > limits.maxHeaderBytes {
                        tooLong = true
                    } else {
                        curMore.append(line)
                        curSize += line.count
                    }
                    i = next
                    continue
                }
                if headers.isEmpty {
                    warnings.append(ParseWarning(.noHeaders, "message starts with an indented line; no header block"))
                    return ([], bytes.startIndex)
                }
                // stray continuation after a flushed header: ignore
                i = next
                continue
            }
            // a field: name ':' value
            var k = line.startIndex
            while k < line.endIndex, isFieldNameByte(line[k]) { k += 1 }
            var colon = k
            while colon < line.endIndex, isWSP(line[colon]) { colon += 1 } // obsolete "Name : value"
            if k > line.startIndex, colon < line.endIndex, line[colon] == UInt8(ascii: ":") {
                flush()
                let nameBytes = line[line.startIndex..<k]
                let valueStart = colon + 1
                hasCurrent = true
                curName = utf8String(nameBytes)
                curKey = lowercasedKey(nameBytes)
                curFirst = line[valueStart..<line.endIndex]
                curSize = line.count
                if curSize > limits.maxHeaderBytes {
                    // One unfolded line longer than the limit: keep its first maxHeaderBytes.
                    curFirst = curFirst.prefix(max(0, limits.maxHeaderBytes - (valueStart - line.startIndex)))
                    curSize = limits.maxHeaderBytes
                    tooLong = true
                }
                i = next
                continue
            }
            // Not a header line.
            if headers.isEmpty && !hasCurrent {
                // mbox leftovers like a second "From " line or ">From " are skipped silently
                if line.starts(with: Array("From ".utf8)) || line.starts(with: Array(">From ".utf8)) {
                    i = next
                    continue
                }
                warnings.append(ParseWarning(.noHeaders, "no header block; the message is all body"))
                return ([], i)
            }
            flush()
            warnings.append(ParseWarning(.malformedHeader, "header block ends at a line that is not a header: \(preview(line))"))
            return (headers, i)
        }
        flush()
        return (headers, end)
    }

    /// The lowercased field name, written straight into the string (names are printable ASCII;
    /// most fit the small-string form and allocate nothing).
    static func lowercasedKey(_ name: ArraySlice<UInt8>) -> String {
        name.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: src.count) { dst in
                for k in 0..<src.count { dst[k] = lowerByte(src[k]) }
                return src.count
            }
        }
    }

    /// The index of the next LF at or after `from`, or the end.
    static func indexOfLF(_ bytes: ArraySlice<UInt8>, from: Int) -> Int {
        let end = bytes.endIndex
        guard from < end else { return end }
        return bytes.withUnsafeBufferPointer { p -> Int in
            guard let k = firstLF(p, from: from - bytes.startIndex) else { return end }
            return bytes.startIndex + k
        }
    }

    static func preview(_ line: ArraySlice<UInt8>) -> String {
        let cut = line.prefix(60)
        var s = String(decoding: cut.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
        if line.count > 60 { s += "…" }
        return "\"\(s)\""
    }
}

/// The offset of the first LF in `p[from...]`, or nil (memchr: vectorised by libc, where a byte
/// loop costs several instructions per byte).
@inline(__always) func firstLF(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard from < p.count, let base = p.baseAddress, let hit = memchr(base + from, Int32(LF), p.count - from) else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
}
