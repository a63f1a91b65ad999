// Content-Transfer-Encoding decoders: quoted-printable and base64, on bytes.

enum TransferDecoding {
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// Quoted-printable (RFC 2045 6.7). Soft line breaks are removed; an `=` not followed by two
    /// hex digits is kept literally and counted in `invalid`. Trailing whitespace before a line
    /// break is transport padding and dropped.
    static func quotedPrintable(_ input: ArraySlice<UInt8>, invalid: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        input.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            var lineStartOut = 0
            while i < n {
                let b = buf[i]
                if b == UInt8(ascii: "=") {
                    // soft line break: "=\n" or "=\r\n" (possibly with trailing spaces before it)
                    var j = i + 1
                    while j < n, buf[j] == SP || buf[j] == TAB { j += 1 }
                    if j < n, buf[j] == LF { i = j + 1; lineStartOut = out.count; continue }
                    if j + 1 < n, buf[j] == CR, buf[j + 1] == LF { i = j + 2; lineStartOut = out.count; continue }
                    if j == n { i = n; continue } // "=" at the very end: soft break
                    if i + 2 < n {
                        if let h = hexValue(buf[i + 1]), let l = hexValue(buf[i + 2]) {
                            out.append(h << 4 | l)
                            lineStartOut = out.count // an encoded space (=20) is content, not padding
                            i += 3
                            continue
                        }
                    }
                    invalid += 1
                    out.append(b)
                    i += 1
                } else if b == LF {
                    // drop trailing transport whitespace
                    var k = out.count
                    if k > lineStartOut, out[k - 1] == CR { k -= 1 }
                    while k > lineStartOut, out[k - 1] == SP || out[k - 1] == TAB { k -= 1 }
                    out.removeSubrange(k..<out.count)
                    out.append(LF)
                    lineStartOut = out.count
                    i += 1
                } else {
                    out.append(b)
                    i += 1
                }
            }
        }
        return out
    }

    private static let b64Table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in chars.enumerated() { t[Int(c)] = Int8(i) }
        // URL-safe alphabet seen from broken clients
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// Base64, ignoring whitespace. Characters outside the alphabet are skipped and counted in
    /// `invalid`; decoding stops at the first `=` padding group (text after it is counted
    /// invalid unless it is whitespace).
    static func base64(_ input: ArraySlice<UInt8>, invalid: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var acc: UInt32 = 0
        var bits = 0
        var padded = false
        b64Table.withUnsafeBufferPointer { table in
            input.withUnsafeBufferPointer { buf in
                for b in buf {
                    if padded {
                        if !isSpaceByte(b) && b != UInt8(ascii: "=") { invalid += 1 }
                        continue
                    }
                    let v = table[Int(b)]
                    if v < 0 {
                        if b == UInt8(ascii: "=") { padded = true; continue }
                        if !isSpaceByte(b) { invalid += 1 }
                        continue
                    }
                    acc = (acc << 6) | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
                    }
                }
            }
        }
        if bits >= 6 { invalid += 1 } // a dangling sextet
        return out
    }
}
