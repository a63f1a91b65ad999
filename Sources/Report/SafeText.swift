// Text from mail is untrusted: before any renderer shows it, control characters, escape sequences
// and bidirectional overrides are turned into visible forms, so nothing in a message can drive a
// terminal or reorder what a reader sees.

/// Visible forms for invisible or dangerous characters.
public enum SafeText {
    /// True for characters that never reach output raw: C0 controls (except newline and tab), DEL,
    /// C1 controls, bidi embeddings/overrides/isolates, line and paragraph separators, BOM.
    @inline(__always)
    static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 { return v != 0x0A && v != 0x09 }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }
        switch v {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF, 0x061C: return true
        default: return false
        }
    }

    /// `s` with every unsafe character shown visibly: `^[` for ESC, `^M` for CR, `^?` for DEL,
    /// `\u{9B}` for C1 controls and format characters. Newlines and tabs stay.
    public static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        // One buffer of the final size or a little more (a remark can be 64 KiB; growing the
        // string scalar by scalar reallocated it over and over).
        var out = ""
        out.reserveCapacity(s.utf8.count + 64)
        for u in s.unicodeScalars {
            guard isUnsafe(u) else { out.unicodeScalars.append(u); continue }
            let v = u.value
            if v < 0x20 || v == 0x7F {
                out.unicodeScalars.append("^")
                out.unicodeScalars.append(Unicode.Scalar(UInt8(v == 0x7F ? 0x3F : v + 0x40)))
            } else {
                out += "\\u{\(String(v, radix: 16, uppercase: true))}"
            }
        }
        return out
    }

    /// `visible(s)` on one line: newlines and tabs become spaces, runs of spaces collapse, ends trimmed.
    public static func oneLine(_ s: String) -> String {
        let v = visible(s)
        var out = ""
        out.reserveCapacity(v.utf8.count)
        var pendingSpace = false
        for ch in v {
            if ch == "\n" || ch == "\t" || ch == " " || ch == "\r\n" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(ch)
        }
        return out
    }

    /// `s` cut to at most `limit` characters, with `…` when cut.
    public static func truncated(_ s: String, _ limit: Int) -> String {
        guard limit > 0, s.count > limit else { return s }
        return String(s.prefix(max(0, limit - 1))) + "…"
    }
}
