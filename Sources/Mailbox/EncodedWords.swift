// RFC 2047 encoded words in header values: `=?charset?B|Q?text?=`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum EncodedWords {
    /// Decodes a raw header value: encoded words are decoded (adjacent words joined, bytes of
    /// consecutive words in one charset concatenated before conversion so split multibyte
    /// characters survive), raw 8-bit text is taken as UTF-8 or else windows-1252.
    static func decode(_ raw: ArraySlice<UInt8>, warnings: inout [ParseWarning]) -> String {
        // Fast path: nothing to decode.
        if !containsEncodedWordStart(raw) {
            return decodeRaw(raw)
        }
        var out = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String?
        var literalStart = raw.startIndex
        var i = raw.startIndex
        let end = raw.endIndex
        var lastWasWord = false
        var warnedBad = false

        func flushPending() {
            guard let cs = pendingCharset else { return }
            if let s = Charset.decode(pendingBytes[...], charset: cs) {
                out += s
            } else {
                let (s, w) = Charset.decodeWithFallback(pendingBytes[...], charset: cs)
                out += s
                if let w { warnings.append(w) }
            }
            pendingBytes.removeAll(keepingCapacity: true)
            pendingCharset = nil
        }

        while i < end {
            if raw[i] == UInt8(ascii: "="), i + 1 < end, raw[i + 1] == UInt8(ascii: "?"),
               let word = parseWord(raw, at: i) {
                let between = raw[literalStart..<i]
                let onlySpace = between.allSatisfy { isSpaceByte($0) }
                if !(lastWasWord && onlySpace) {
                    flushPending()
                    out += decodeRaw(between)
                }
                var bad = 0
                let bytes: [UInt8]
                if word.isBase64 {
                    bytes = TransferDecoding.base64(word.text, invalid: &bad)
                } else {
                    bytes = qDecode(word.text, invalid: &bad)
                }
                if bad > 0 && !warnedBad {
                    warnings.append(ParseWarning(.badEncodedWord, "malformed encoded word in header"))
                    warnedBad = true
                }
                let cs = Charset.normalize(word.charset)
                if pendingCharset != nil && pendingCharset != cs { flushPending() }
                pendingCharset = cs
                pendingBytes.append(contentsOf: bytes)
                i = word.end
                literalStart = i
                lastWasWord = true
                continue
            }
            if !isSpaceByte(raw[i]) && lastWasWord && i >= literalStart {
                // literal text after a word: ends the run of adjacent words
                lastWasWord = false
                flushPending()
            }
            i += 1
        }
        flushPending()
        out += decodeRaw(raw[literalStart..<end])
        return out
    }

    static func containsEncodedWordStart(_ raw: ArraySlice<UInt8>) -> Bool {
        raw.withUnsafeBufferPointer { p -> Bool in
            guard let base = p.baseAddress else { return false }
            var i = 0
            let n = p.count
            // memchr to each '=' (most values have none), then look at the next byte
            while i + 1 < n, let hit = memchr(base + i, Int32(UInt8(ascii: "=")), n - 1 - i) {
                let k = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if p[k + 1] == UInt8(ascii: "?") { return true }
                i = k + 1
            }
            return false
        }
    }

    /// Header text that is not an encoded word: UTF-8 when valid, else windows-1252.
    static func decodeRaw(_ raw: ArraySlice<UInt8>) -> String {
        if isValidUTF8(raw) { return utf8String(raw) } // ASCII included
        return Charset.windows1252(raw)
    }

    struct Word {
        var charset: String
        var isBase64: Bool
        var text: ArraySlice<UInt8>
        var end: Int
    }

    /// Parses `=?cs?E?text?=` at `start`; nil if it is not a well-formed word.
    static func parseWord(_ raw: ArraySlice<UInt8>, at start: Int) -> Word? {
        var i = start + 2
        let end = raw.endIndex
        let csStart = i
        while i < end, raw[i] != UInt8(ascii: "?") {
            if isSpaceByte(raw[i]) || i - csStart > 64 { return nil }
            i += 1
        }
        guard i + 2 < end, i > csStart else { return nil }
        let charset = utf8String(raw[csStart..<i])
        let enc = lowerByte(raw[i + 1])
        guard enc == UInt8(ascii: "b") || enc == UInt8(ascii: "q"), raw[i + 2] == UInt8(ascii: "?") else { return nil }
        i += 3
        let textStart = i
        while i + 1 < end {
            if raw[i] == UInt8(ascii: "?") && raw[i + 1] == UInt8(ascii: "=") {
                return Word(charset: charset, isBase64: enc == UInt8(ascii: "b"), text: raw[textStart..<i], end: i + 2)
            }
            if raw[i] == SP || raw[i] == TAB || raw[i] == LF { return nil }
            i += 1
        }
        return nil
    }

    static func qDecode(_ text: ArraySlice<UInt8>, invalid: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            if b == UInt8(ascii: "_") { out.append(SP); i += 1; continue }
            if b == UInt8(ascii: "="), i + 2 < text.endIndex,
               let h = TransferDecoding.hexValue(text[i + 1]), let l = TransferDecoding.hexValue(text[i + 2]) {
                out.append(h << 4 | l); i += 3; continue
            }
            if b == UInt8(ascii: "=") { invalid += 1 }
            out.append(b)
            i += 1
        }
        return out
    }
}
