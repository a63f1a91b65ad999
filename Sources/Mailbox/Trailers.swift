// Trailers (`Acked-by:`, `Fixes:` …) in the sender's own text: not in quoted text, not below a
// `-- ` signature, not inside a diff. Wrapped trailers are repaired.

enum TrailerParser {
    static let known: [String: String] = {
        var m: [String: String] = [:]
        for k in ["Signed-off-by", "Acked-by", "Reviewed-by", "Tested-by", "Reported-by", "Suggested-by",
                  "Co-developed-by", "Nacked-by", "Fixes", "Cc", "Link", "Closes", "Reported-and-tested-by",
                  "Requested-by", "Debugged-by", "Originally-by", "Helped-by", "Message-Id", "Bisected-by"] {
            m[k.lowercased()] = k
        }
        return m
    }()

    /// Finds trailers in a body. `sender` marks trailers of other people as on-behalf.
    /// Works on the body's UTF-8 bytes; a `String` is made only for candidate lines.
    static func parse(body: String, sender: Address?) -> [Trailer] {
        var body = body
        return body.withUTF8 { buf in parse(bytes: buf, sender: sender) }
    }

    /// A line's key if it looks like `Key-Name: value` (letters and dashes, at most 40).
    @inline(__always) private static func candidateKey(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        guard lo < hi, isAlpha(buf[lo]) else { return nil }
        var k = lo
        while k < hi, k - lo <= 40, isAlpha(buf[k]) || buf[k] == UInt8(ascii: "-") { k += 1 }
        guard k < hi, buf[k] == UInt8(ascii: ":") else { return nil }
        return k
    }

    static func parse(bytes buf: UnsafeBufferPointer<UInt8>, sender: Address?) -> [Trailer] {
        // Lines are found as the scan goes (memchr), not indexed up front: the scan usually stops
        // at the diff or the signature, long before the end of a large body. A line starting at
        // `start` is (lo, hi) without its line break; the next one starts at `next`. A body ending
        // in LF has a last, empty line (as a split on LF gives).
        func line(at start: Int) -> (lo: Int, hi: Int, next: Int) {
            let e = firstLF(buf, from: start) ?? buf.count
            var h = e
            if h > start, buf[h - 1] == CR { h -= 1 }
            return (start, h, e + 1)
        }
        func text(_ lo: Int, _ hi: Int) -> String { utf8String(UnsafeBufferPointer(rebasing: buf[lo..<hi])) }
        func equals(_ lo: Int, _ hi: Int, _ s: StaticString) -> Bool {
            guard hi - lo == s.utf8CodeUnitCount else { return false }
            return s.withUTF8Buffer { p in (0..<p.count).allSatisfy { buf[lo + $0] == p[$0] } }
        }
        func hasPrefix(_ lo: Int, _ hi: Int, _ s: StaticString) -> Bool {
            guard hi - lo >= s.utf8CodeUnitCount else { return false }
            return s.withUTF8Buffer { p in (0..<p.count).allSatisfy { buf[lo + $0] == p[$0] } }
        }
        func has(_ s: some StringProtocol, _ b: UInt8) -> Bool { s.utf8.contains(b) }
        var result: [Trailer] = []
        var idx = 0
        var pos = 0
        while pos <= buf.count {
            let (lo, hi, afterLine) = line(at: pos)
            // the line after this one and the lines a wrapped trailer takes
            var nextPos = afterLine
            defer { pos = nextPos }
            if equals(lo, hi, "-- ") { break }
            // a patch: stop at the diff
            if equals(lo, hi, "---") || hasPrefix(lo, hi, "diff --git ") || hasPrefix(lo, hi, "Index: ") { break }
            guard let colon = candidateKey(buf, lo, hi) else { idx += 1; continue }
            let key = text(lo, colon)
            let lower = key.lowercased()
            let canonical: String
            if let k = known[lower] { canonical = k }
            else if lower.hasSuffix("-by") { canonical = key }
            else { idx += 1; continue }
            var value = text(colon + 1, hi).trimmingWhitespace()
            // Wrapped trailer: the address went onto the next line, or the line is indented.
            var consumed = 0
            while nextPos <= buf.count {
                let (nlo, nhi, nnext) = line(at: nextPos)
                if nhi - nlo > 4096 { break }   // not a wrapped trailer (and not copied)
                let t = text(nlo, nhi).trimmingWhitespace()
                if t.isEmpty || buf[nlo] == UInt8(ascii: ">") { break }
                let indented = buf[nlo] == SP || buf[nlo] == TAB
                let needsAddress = canonical.hasSuffix("-by") && !has(value, UInt8(ascii: "@"))
                if indented && !has(t, UInt8(ascii: ":")) || needsAddress && t.hasPrefix("<") && has(t, UInt8(ascii: "@")) {
                    value += " " + t
                    consumed += 1
                    nextPos = nnext
                } else { break }
            }
            if value.isEmpty && canonical != "Cc" { idx += 1 + consumed; continue }
            var person: Address?
            if canonical.hasSuffix("-by") || canonical == "Cc" {
                var w: [ParseWarning] = []
                // `Cc: stable@vger.kernel.org # 5.10+`: the text after " #" is a note, not the address
                var who = value
                if let hash = noteStart(value) { who = String(value[..<hash]) }
                // a trailer names one person: the comma of "Last, First <a@b>" is part of the name
                if let lt = who.firstIndex(of: "<"), has(who[..<lt], UInt8(ascii: ",")), !has(who[..<lt], UInt8(ascii: "\"")) {
                    who = "\"" + String(who[..<lt]).trimmingWhitespace() + "\" " + who[lt...]
                }
                person = AddressParser.parseList(Array(who.utf8)[...], warnings: &w).first
                if canonical.hasSuffix("-by"), !has(person?.email ?? "", UInt8(ascii: "@")) { idx += 1 + consumed; continue }
            }
            let onBehalf: Bool
            if canonical.hasSuffix("-by"), let p = person, let s = sender {
                onBehalf = !samePerson(p, s)
            } else { onBehalf = false }
            result.append(Trailer(key: canonical, value: value, person: person, isOnBehalf: onBehalf, line: idx))
            idx += 1 + consumed
        }
        return result
    }

    /// Where " #" starts in a trailer value (a byte search: `firstRange(of:)` on String costs
    /// far more per call).
    static func noteStart(_ value: String) -> String.Index? {
        let u = value.utf8
        var i = u.startIndex
        while i < u.endIndex {
            let j = u.index(after: i)
            if u[i] == SP, j < u.endIndex, u[j] == UInt8(ascii: "#") { return i }
            i = j
        }
        return nil
    }

    static func samePerson(_ a: Address, _ b: Address) -> Bool {
        if a.email.lowercased() == b.email.lowercased() { return true }
        if let n1 = a.name?.lowercased(), let n2 = b.name?.lowercased(), !n1.isEmpty, n1 == n2 { return true }
        return false
    }
}
