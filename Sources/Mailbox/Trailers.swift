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
        // Line boundaries.
        var starts: [Int] = [0]
        var ends: [Int] = []
        for i in 0..<buf.count where buf[i] == LF { ends.append(i); starts.append(i + 1) }
        ends.append(buf.count)
        func line(_ i: Int) -> (Int, Int) {
            var e = ends[i]
            if e > starts[i], buf[e - 1] == CR { e -= 1 }
            return (starts[i], e)
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
        var result: [Trailer] = []
        let count = starts.count
        var idx = 0
        while idx < count {
            let (lo, hi) = line(idx)
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
            while idx + consumed + 1 < count {
                let (nlo, nhi) = line(idx + consumed + 1)
                if nhi - nlo > 4096 { break }   // not a wrapped trailer (and not copied)
                let t = text(nlo, nhi).trimmingWhitespace()
                if t.isEmpty || buf[nlo] == UInt8(ascii: ">") { break }
                let indented = buf[nlo] == SP || buf[nlo] == TAB
                let needsAddress = canonical.hasSuffix("-by") && !value.contains("@")
                if indented && !t.contains(":") || needsAddress && t.hasPrefix("<") && t.contains("@") {
                    value += " " + t
                    consumed += 1
                } else { break }
            }
            if value.isEmpty && canonical != "Cc" { idx += 1 + consumed; continue }
            var person: Address?
            if canonical.hasSuffix("-by") || canonical == "Cc" {
                var w: [ParseWarning] = []
                // `Cc: stable@vger.kernel.org # 5.10+`: the text after " #" is a note, not the address
                var who = value.firstRange(of: " #").map { String(value[..<$0.lowerBound]) } ?? value
                // a trailer names one person: the comma of "Last, First <a@b>" is part of the name
                if let lt = who.firstIndex(of: "<"), who[..<lt].contains(","), !who[..<lt].contains("\"") {
                    who = "\"" + String(who[..<lt]).trimmingWhitespace() + "\" " + who[lt...]
                }
                person = AddressParser.parseList(Array(who.utf8)[...], warnings: &w).first
                if canonical.hasSuffix("-by"), person?.email.contains("@") != true { idx += 1 + consumed; continue }
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

    static func samePerson(_ a: Address, _ b: Address) -> Bool {
        if a.email.lowercased() == b.email.lowercased() { return true }
        if let n1 = a.name?.lowercased(), let n2 = b.name?.lowercased(), !n1.isEmpty, n1 == n2 { return true }
        return false
    }
}
