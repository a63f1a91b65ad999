// The header block: field lines, unfolding, limits.

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
        var i = bytes.startIndex
        let end = bytes.endIndex
        var current: (name: String, key: String, parts: [ArraySlice<UInt8>], size: Int)?
        var dropped = 0
        var tooLong = false
        defer {
            if dropped > 0 { warnings.append(ParseWarning(.tooManyHeaders, "\(dropped) header fields beyond the limit of \(limits.maxHeaderCount) ignored")) }
            if tooLong { warnings.append(ParseWarning(.headerTooLong, "a header field longer than \(limits.maxHeaderBytes) bytes was cut")) }
        }

        func flush() {
            guard let c = current else { return }
            current = nil
            if headers.count >= limits.maxHeaderCount { dropped += 1; return }
            var value: ArraySlice<UInt8>
            if c.parts.count == 1 {
                value = c.parts[0]
            } else {
                var joined: [UInt8] = []
                joined.reserveCapacity(c.size)
                for p in c.parts { joined.append(contentsOf: p) }
                value = joined[...]
            }
            headers.append(RawHeader(name: c.name, key: c.key, value: trimmed(value)))
        }

        while i < end {
            // find end of line
            var j = i
            while j < end, bytes[j] != LF { j += 1 }
            var lineEnd = j
            if lineEnd > i, bytes[lineEnd - 1] == CR { lineEnd -= 1 }
            let next = j < end ? j + 1 : end
            let line = bytes[i..<lineEnd]
            if line.isEmpty {
                flush()
                return (headers, next)
            }
            if isWSP(line[line.startIndex]) {
                if current != nil {
                    if current!.size + line.count > limits.maxHeaderBytes {
                        tooLong = true
                    } else {
                        current!.parts.append(line)
                        current!.size += line.count
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
                current = (utf8String(nameBytes), asciiLower(nameBytes), [line[valueStart..<line.endIndex]], line.count)
                i = next
                continue
            }
            // Not a header line.
            if headers.isEmpty && current == nil {
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

    static func preview(_ line: ArraySlice<UInt8>) -> String {
        let cut = line.prefix(60)
        var s = String(decoding: cut.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
        if line.count > 60 { s += "…" }
        return "\"\(s)\""
    }
}
