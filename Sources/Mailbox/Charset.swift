// Charset conversion: UTF-8, ASCII, Latin-1 and Windows-1252 natively; everything else through
// the C library's iconv (which knows iso-2022-jp, gb2312, koi8-r, …).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum Charset {
    /// Canonical lowercase name with common aliases folded.
    static func normalize(_ name: String) -> String {
        // The spellings nearly all mail uses, without lowercasing and filtering.
        switch name {
        case "utf-8", "UTF-8", "utf8": return "utf-8"
        case "us-ascii", "US-ASCII": return "us-ascii"
        case "iso-8859-1", "ISO-8859-1": return "iso-8859-1"
        default: break
        }
        var n = String(name.lowercased().filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" })
        if let star = n.firstIndex(of: "*") { n = String(n[..<star]) } // RFC 2231 language tag
        switch n {
        case "utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "646", "ascii-7", "x-ascii", "7bit", "": return "us-ascii"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "iso_8859-1:1987", "cp819", "ibm819", "8859_1": return "iso-8859-1"
        case "windows-1252", "cp1252", "x-cp1252", "win-1252", "cp-1252": return "windows-1252"
        default: return n
        }
    }

    /// Decodes bytes in `charset`. Returns nil when the charset is unknown to this platform or
    /// the bytes are invalid in it.
    static func decode(_ bytes: ArraySlice<UInt8>, charset: String) -> String? {
        let cs = normalize(charset)
        switch cs {
        case "utf-8":
            return isValidUTF8(bytes) ? utf8String(bytes) : nil
        case "us-ascii":
            // Mail that claims ASCII often carries UTF-8 or Latin-1: accept 8-bit as UTF-8 when valid.
            if isASCII(bytes) { return utf8String(bytes) }
            return isValidUTF8(bytes) ? utf8String(bytes) : nil
        case "iso-8859-1":
            return latin1(bytes)
        case "windows-1252":
            return windows1252(bytes)
        default:
            return iconvDecode(bytes, from: cs)
        }
    }

    /// Decodes with the declared charset and then the fallback chain utf-8, windows-1252,
    /// iso-8859-1 (which never fails). `warning` tells what happened when the declared one failed.
    static func decodeWithFallback(_ bytes: ArraySlice<UInt8>, charset: String?) -> (String, ParseWarning?) {
        if !isStatefulCharset(charset) && isASCII(bytes) {
            return (utf8String(bytes), nil)
        }
        if let cs = charset, let s = decode(bytes, charset: cs) { return (s, nil) }
        let what = charset.map { "charset \($0)" } ?? "no charset"
        if isValidUTF8(bytes) {
            return (utf8String(bytes), charset.map { known($0) ? ParseWarning(.undecodableText, "text is not valid \($0); decoded as UTF-8") : ParseWarning(.unknownCharset, "unknown charset \($0); decoded as UTF-8") })
        }
        let w: ParseWarning
        if let cs = charset, !known(cs) {
            w = ParseWarning(.unknownCharset, "unknown \(what); decoded as windows-1252")
        } else {
            w = ParseWarning(.undecodableText, "8-bit text invalid for \(what); decoded as windows-1252")
        }
        return (windows1252(bytes), w)
    }

    static func isStatefulCharset(_ cs: String?) -> Bool {
        guard let cs else { return false }
        let n = normalize(cs)
        return n.hasPrefix("iso-2022") || n == "utf-7" || n.hasPrefix("utf-16") || n.hasPrefix("utf-32") || n == "hz-gb-2312"
    }

    /// Whether the platform can convert from this charset.
    static func known(_ charset: String) -> Bool {
        let cs = normalize(charset)
        if ["utf-8", "us-ascii", "iso-8859-1", "windows-1252"].contains(cs) { return true }
        let cd = iconv_open("UTF-8", cs)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// Latin-1 bytes straight to UTF-8 (no per-scalar String appends).
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: src.count * 2) { dst in
                var o = 0
                for b in src {
                    if b < 0x80 {
                        dst[o] = b; o += 1
                    } else {
                        dst[o] = 0xC0 | (b >> 6); dst[o + 1] = 0x80 | (b & 0x3F); o += 2
                    }
                }
                return o
            }
        }
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Windows-1252 bytes straight to UTF-8.
    static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: src.count * 3) { dst in
                var o = 0
                for b in src {
                    let cp = b >= 0x80 && b < 0xA0 ? cp1252High[Int(b - 0x80)] : UInt32(b)
                    if cp < 0x80 {
                        dst[o] = UInt8(cp); o += 1
                    } else if cp < 0x800 {
                        dst[o] = UInt8(0xC0 | (cp >> 6)); dst[o + 1] = UInt8(0x80 | (cp & 0x3F)); o += 2
                    } else {
                        dst[o] = UInt8(0xE0 | (cp >> 12)); dst[o + 1] = UInt8(0x80 | ((cp >> 6) & 0x3F))
                        dst[o + 2] = UInt8(0x80 | (cp & 0x3F)); o += 3
                    }
                }
                return o
            }
        }
    }

    /// Converts through iconv. Nil when iconv does not know the charset or the input is invalid.
    static func iconvDecode(_ bytes: ArraySlice<UInt8>, from charset: String) -> String? {
        // gb2312 mail is in practice GBK/GB18030; iconv's GB2312 rejects the extra characters.
        var cs = charset
        if cs == "gb2312" || cs == "gbk" || cs == "x-gbk" || cs == "cp936" { cs = "GB18030" }
        if cs == "ks_c_5601-1987" { cs = "CP949" }
        let cd = iconv_open("UTF-8", cs)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return "" }
        var input = Array(bytes)
        var out = [UInt8](repeating: 0, count: max(64, bytes.count * 4 + 16))
        var ok = true
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft != 0 { ok = false }
                // Flush shift state (iso-2022-jp).
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                produced = outBuf.count - outLeft
            }
        }
        guard ok else { return nil }
        return utf8String(out[0..<produced])
    }
}
