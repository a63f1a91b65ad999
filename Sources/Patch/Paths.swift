// Path syntax of diff headers: git's C-quoted names ("a/foo\tbar", octal UTF-8 bytes), the
// `diff --git a/x b/y` line (names may contain spaces), and `---`/`+++` names with timestamps.

enum PathSyntax {
    /// Reads a C-quoted name starting at `bytes[start] == '"'`. Returns the decoded bytes and the
    /// index just past the closing quote, or nil when the quote is not closed.
    static func unquote(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (name: [UInt8], end: Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var i = start + 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { return (out, i + 1) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            switch e {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                // Exactly three octal digits, as git writes them.
                guard i + 2 < bytes.count else { return nil }
                let d1 = bytes[i + 1], d2 = bytes[i + 2]
                guard (0x30...0x37).contains(d1), (0x30...0x37).contains(d2) else { return nil }
                out.append((e - 0x30) << 6 | (d1 - 0x30) << 3 | (d2 - 0x30))
                i += 2
            default: out.append(e) // \\ \" and anything unknown stand for themselves
            }
            i += 1
        }
        return nil
    }

    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Drops the first path component (`a/`, `b/`, `linux.orig/`), as `git apply -p1` and
    /// `patch -p1` do. A name without `/` is kept whole.
    static func stripFirstComponent(_ name: [UInt8]) -> [UInt8] {
        guard let slash = name.firstIndex(of: UInt8(ascii: "/")) else { return name }
        var k = slash + 1
        while k < name.count && name[k] == UInt8(ascii: "/") { k += 1 }
        return k < name.count ? Array(name[k...]) : name
    }

    /// The two names of `diff --git <rest>`, prefixes still on. Unquoted names may contain
    /// spaces: when both sides name the same file (the common case) the split is the middle space,
    /// where the two halves agree after their first component; otherwise at ` b/`, else the
    /// middle one of the spaces. (Renames with spaces get their names from `rename from/to`.)
    static func gitHeaderNames(_ rest: UnsafeBufferPointer<UInt8>) -> (old: [UInt8], new: [UInt8])? {
        let n = rest.count
        guard n > 0 else { return nil }
        if rest[0] == UInt8(ascii: "\"") {
            guard let (first, end) = unquote(rest, from: 0) else { return nil }
            var k = end
            while k < n && rest[k] == 0x20 { k += 1 }
            guard k < n else { return nil }
            if rest[k] == UInt8(ascii: "\"") {
                guard let (second, _) = unquote(rest, from: k) else { return nil }
                return (first, second)
            }
            return (first, Array(rest[k..<n]))
        }
        // Unquoted first name, second quoted: split at ` "`.
        if rest[n - 1] == UInt8(ascii: "\"") {
            var k = 0
            while k + 1 < n {
                if rest[k] == 0x20 && rest[k + 1] == UInt8(ascii: "\""),
                   let (second, end) = unquote(rest, from: k + 1), end == n {
                    return (Array(rest[0..<k]), second)
                }
                k += 1
            }
        }
        var spaces: [Int] = []
        for k in 0..<n where rest[k] == 0x20 { spaces.append(k) }
        guard !spaces.isEmpty else { return nil }
        if spaces.count == 1 { return (Array(rest[0..<spaces[0]]), Array(rest[(spaces[0] + 1)...])) }
        // Same file on both sides with prefixes of equal length (`a/`, `b/`): the middle space.
        if n % 2 == 1 && rest[n / 2] == 0x20 {
            let a = Array(rest[0..<(n / 2)]), b = Array(rest[(n / 2 + 1)...])
            if stripFirstComponent(a) == stripFirstComponent(b) { return (a, b) }
        }
        for k in spaces where k + 2 < n && rest[k + 1] == UInt8(ascii: "b") && rest[k + 2] == UInt8(ascii: "/") {
            return (Array(rest[0..<k]), Array(rest[(k + 1)...]))
        }
        let mid = spaces[spaces.count / 2]
        return (Array(rest[0..<mid]), Array(rest[(mid + 1)...]))
    }

    /// The name on a `--- `/`+++ ` line (after the 4-byte marker): quoted, or up to a tab (what
    /// follows a tab is a timestamp), trailing spaces dropped. Also returns the timestamp text.
    static func markerName(_ rest: UnsafeBufferPointer<UInt8>) -> (name: [UInt8], timestamp: String) {
        let n = rest.count
        var k = 0
        while k < n && rest[k] == 0x20 { k += 1 }
        if k < n, rest[k] == UInt8(ascii: "\""), let (name, end) = unquote(rest, from: k) {
            let ts = String(decoding: UnsafeBufferPointer(rebasing: rest[min(end, n)..<n]), as: UTF8.self)
            return (name, trim(ts))
        }
        var e = k
        while e < n && rest[e] != 0x09 { e += 1 }
        let ts = e < n ? String(decoding: UnsafeBufferPointer(rebasing: rest[(e + 1)..<n]), as: UTF8.self) : ""
        var t = e
        while t > k && rest[t - 1] == 0x20 { t -= 1 }
        return (Array(rest[k..<t]), trim(ts))
    }

    /// The rest of a `rename from`/`copy to` line: quoted or verbatim, no prefix to strip.
    static func plainName(_ rest: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if rest.first == UInt8(ascii: "\""), let (name, _) = unquote(rest, from: 0) { return name }
        var e = rest.count
        while e > 0 && (rest[e - 1] == 0x20 || rest[e - 1] == 0x09) { e -= 1 }
        return Array(rest[0..<e])
    }

    static func isDevNull(_ name: [UInt8]) -> Bool { name == Bytes.devNull }

    /// GNU diff -N marks a missing file with the epoch as its timestamp.
    static func isEpoch(_ timestamp: String) -> Bool {
        timestamp.hasPrefix("1970-01-01 00:00:00") || timestamp.hasPrefix("1969-12-31")
            || timestamp.hasSuffix(" 1970") && timestamp.contains("Jan  1")
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let c = sub.first, c == " " || c == "\t" { sub.removeFirst() }
        while let c = sub.last, c == " " || c == "\t" { sub.removeLast() }
        return String(sub)
    }
}
