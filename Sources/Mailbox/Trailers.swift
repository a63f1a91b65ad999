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
    static func parse(body: String, sender: Address?) -> [Trailer] {
        var result: [Trailer] = []
        let lines = splitLines(body)
        var idx = 0
        while idx < lines.count {
            let line = lines[idx]
            if line.utf8.count > maxLine { idx += 1; continue }
            if line == "-- " { break }
            // a patch: stop at the diff
            if line == "---" || line.hasPrefix("diff --git ") || line.hasPrefix("Index: ") { break }
            if line.hasPrefix(">") || line.hasPrefix("|") { idx += 1; continue }
            guard let colon = line.firstIndex(of: ":") else { idx += 1; continue }
            let key = line[..<colon]
            guard !key.isEmpty, key.count <= 40, key.first?.isLetter == true,
                  key.allSatisfy({ $0.isLetter || $0 == "-" }) else { idx += 1; continue }
            let lower = key.lowercased()
            let canonical: String
            if let k = known[lower] { canonical = k }
            else if lower.hasSuffix("-by") && key.contains("-") { canonical = String(key) }
            else { idx += 1; continue }
            var value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            // Wrapped trailer: the address went onto the next line, or the line is indented.
            var consumed = 0
            while idx + consumed + 1 < lines.count {
                let next = lines[idx + consumed + 1]
                if next.utf8.count > maxLine { break }
                let t = String(next).trimmingWhitespace()
                if t.isEmpty || next.hasPrefix(">") { break }
                let needsAddress = canonical.hasSuffix("-by") && !value.contains("@")
                if (next.first == " " || next.first == "\t") && !t.contains(":") || needsAddress && t.hasPrefix("<") && t.contains("@") {
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

    /// Longer lines are never trailers (and are not scanned character by character).
    static let maxLine = 4096

    /// The lines of a text, split on LF at the byte level (a 50 MB line costs one pass).
    static func splitLines(_ text: String) -> [Substring] {
        var ends: [(Int, Int)] = []
        var copy = text
        copy.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count where buf[i] == LF {
                ends.append((start, i))
                start = i + 1
            }
            ends.append((start, buf.count))
        }
        let u = text.utf8
        return ends.map { text[u.index(u.startIndex, offsetBy: $0.0)..<u.index(u.startIndex, offsetBy: $0.1)] }
    }

    static func samePerson(_ a: Address, _ b: Address) -> Bool {
        if a.email.lowercased() == b.email.lowercased() { return true }
        if let n1 = a.name?.lowercased(), let n2 = b.name?.lowercased(), !n1.isEmpty, n1 == n2 { return true }
        return false
    }
}
