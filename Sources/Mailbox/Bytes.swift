// Small byte-level helpers shared by the Mailbox parsers.

@usableFromInline let LF = UInt8(ascii: "\n")
@usableFromInline let CR = UInt8(ascii: "\r")
@usableFromInline let SP = UInt8(ascii: " ")
@usableFromInline let TAB = UInt8(ascii: "\t")

@inlinable func isWSP(_ b: UInt8) -> Bool { b == SP || b == TAB }
@inlinable func isSpaceByte(_ b: UInt8) -> Bool { b == SP || b == TAB || b == LF || b == CR }
@inlinable func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inlinable func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
@inlinable func lowerByte(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

/// Trims ASCII whitespace from both ends of a byte slice.
@inlinable func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var lo = s.startIndex, hi = s.endIndex
    while lo < hi, isSpaceByte(s[lo]) { lo += 1 }
    while hi > lo, isSpaceByte(s[hi - 1]) { hi -= 1 }
    return s[lo..<hi]
}

/// A `String` from bytes that are expected to be UTF-8; invalid sequences become U+FFFD.
@inlinable func utf8String(_ s: some Collection<UInt8>) -> String {
    String(decoding: s, as: UTF8.self)
}

/// Whether every byte is 7-bit ASCII (a tight loop: large bodies pass through here).
func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { buf -> Bool in
        guard let base = buf.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = buf.count
        var i = 0
        // 32 bytes per step: OR four words, test their high bits once.
        while i + 32 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { return false }
            i += 32
        }
        while i < n {
            if buf[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}

/// Whether the bytes are valid UTF-8.
func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { buf -> Bool in
        guard let base = buf.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = buf.count
        while i < n {
            // ASCII runs (nearly all of mail) 8 bytes a step
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var minCp: UInt32 = 0
            var cp: UInt32 = 0
            if b & 0xE0 == 0xC0 { need = 1; cp = UInt32(b & 0x1F); minCp = 0x80 }
            else if b & 0xF0 == 0xE0 { need = 2; cp = UInt32(b & 0x0F); minCp = 0x800 }
            else if b & 0xF8 == 0xF0 { need = 3; cp = UInt32(b & 0x07); minCp = 0x10000 }
            else { return false }
            if i + need >= n { return false }
            for k in 1...need {
                let c = buf[i + k]
                if c & 0xC0 != 0x80 { return false }
                cp = (cp << 6) | UInt32(c & 0x3F)
            }
            if cp < minCp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { return false }
            i += need + 1
        }
        return true
    }
}
