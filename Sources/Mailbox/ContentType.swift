// Structured MIME header values: `type/subtype; name=value; name*=utf-8''x; name*0=…` (RFC 2045,
// RFC 2231 continuations and charsets).

struct ContentType {
    var type: String          // "text/plain", lowercased
    var params: [String: String] // lowercased names

    var mainType: Substring { type.split(separator: "/").first ?? "" }
    var isMultipart: Bool { type.hasPrefix("multipart/") }
    var isText: Bool { type.hasPrefix("text/") }

    static func parse(_ value: String?) -> ContentType? {
        guard let value, !value.isEmpty else { return nil }
        let (first, params) = parseValueWithParams(value)
        var t = first.lowercased()
        if !t.utf8.contains(UInt8(ascii: "/")) {
            // "text" alone or junk: RFC 2045 says fall back to text/plain
            if t == "text" { t = "text/plain" } else { return ContentType(type: "text/plain", params: params) }
        }
        return ContentType(type: t, params: params)
    }

    /// Splits `value; a=b; c="d"` into the value and its parameters, decoding RFC 2231.
    static func parseValueWithParams(_ value: String) -> (String, [String: String]) {
        // Split at unquoted ';' on the UTF-8 bytes (the specials are ASCII).
        var pieces: [String] = []
        var cur: [UInt8] = []
        var inQuote = false
        var escaped = false
        for b in value.utf8 {
            if escaped { cur.append(b); escaped = false; continue }
            if inQuote && b == UInt8(ascii: "\\") { escaped = true; continue }
            if b == UInt8(ascii: "\"") { inQuote.toggle(); cur.append(b); continue }
            if b == UInt8(ascii: ";") && !inQuote { pieces.append(utf8String(cur)); cur.removeAll(keepingCapacity: true); continue }
            cur.append(b)
        }
        pieces.append(utf8String(cur))
        let main = (pieces.first ?? "").trimmingWhitespace()
        var plain: [String: String] = [:]
        var continued: [String: [(Int, String, Bool)]] = [:]
        for p in pieces.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var name = String(p[..<eq]).trimmingWhitespace().lowercased()
            var v = String(p[p.index(after: eq)...]).trimmingWhitespace()
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            else if v.hasPrefix("\"") { v = String(v.dropFirst()) }
            var extended = false
            if name.hasSuffix("*") { extended = true; name.removeLast() }
            if let star = name.lastIndex(of: "*"), let n = Int(name[name.index(after: star)...]) {
                let base = String(name[..<star])
                continued[base, default: []].append((n, v, extended))
                continue
            }
            if extended { plain[name] = decode2231(v, first: true).value } else if plain[name] == nil { plain[name] = v }
        }
        for (base, parts) in continued {
            var charset: String?
            var bytes: [UInt8] = []
            for (i, part) in parts.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if part.2 {
                    let d = decode2231(part.1, first: i == 0)
                    if i == 0 { charset = d.charset }
                    bytes.append(contentsOf: d.raw)
                } else {
                    bytes.append(contentsOf: Array(part.1.utf8))
                }
            }
            let (s, _) = Charset.decodeWithFallback(bytes[...], charset: charset)
            if plain[base] == nil { plain[base] = s }
        }
        return (main, plain)
    }

    /// `utf-8'en'%E2%82%AC` → bytes and charset.
    private static func decode2231(_ v: String, first: Bool) -> (value: String, raw: [UInt8], charset: String?) {
        var text = Substring(v)
        var charset: String?
        if first {
            let parts = v.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3 { charset = String(parts[0]); text = parts[2] }
        }
        var bytes: [UInt8] = []
        let u = Array(text.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = TransferDecoding.hexValue(u[i + 1]), let l = TransferDecoding.hexValue(u[i + 2]) {
                bytes.append(h << 4 | l); i += 3
            } else { bytes.append(u[i]); i += 1 }
        }
        let (s, _) = Charset.decodeWithFallback(bytes[...], charset: charset?.isEmpty == false ? charset : nil)
        return (s, bytes, charset)
    }
}
