// Address lists (RFC 5322 3.4) with the liberties real mail takes: display names with or without
// quotes, comments, `addr (Name)`, groups, RFC 2047 words inside quoted names, missing brackets.

enum AddressParser {
    private enum Token {
        case atom(ArraySlice<UInt8>)   // run of non-special characters
        case quoted([UInt8])           // quoted-string content, unescaped
        case comment([UInt8])          // comment content
        case angle(ArraySlice<UInt8>)  // <...> content
        case comma, colon, semicolon
    }

    private static func tokenize(_ raw: ArraySlice<UInt8>) -> [Token] {
        var tokens: [Token] = []
        var i = raw.startIndex
        let end = raw.endIndex
        while i < end {
            let b = raw[i]
            switch b {
            case SP, TAB, CR, LF:
                i += 1
            case UInt8(ascii: "\""):
                var content: [UInt8] = []
                i += 1
                while i < end, raw[i] != UInt8(ascii: "\"") {
                    if raw[i] == UInt8(ascii: "\\"), i + 1 < end { i += 1 }
                    content.append(raw[i]); i += 1
                }
                i = min(i + 1, end)
                tokens.append(.quoted(content))
            case UInt8(ascii: "("):
                var depth = 0
                var content: [UInt8] = []
                while i < end {
                    let c = raw[i]
                    if c == UInt8(ascii: "\\"), i + 1 < end { content.append(raw[i + 1]); i += 2; continue }
                    if c == UInt8(ascii: "(") { depth += 1; if depth > 1 { content.append(c) } }
                    else if c == UInt8(ascii: ")") { depth -= 1; if depth == 0 { i += 1; break }; content.append(c) }
                    else { content.append(c) }
                    i += 1
                }
                tokens.append(.comment(content))
            case UInt8(ascii: "<"):
                let s = i + 1
                var j = s
                while j < end, raw[j] != UInt8(ascii: ">") { j += 1 }
                tokens.append(.angle(raw[s..<j]))
                i = min(j + 1, end)
            case UInt8(ascii: ","): tokens.append(.comma); i += 1
            case UInt8(ascii: ":"): tokens.append(.colon); i += 1
            case UInt8(ascii: ";"): tokens.append(.semicolon); i += 1
            default:
                let s = i
                while i < end {
                    let c = raw[i]
                    if c == SP || c == TAB || c == CR || c == LF || c == UInt8(ascii: "\"") || c == UInt8(ascii: "(")
                        || c == UInt8(ascii: "<") || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") { break }
                    // ':' is a group marker only when it follows a phrase, not inside an address
                    if c == UInt8(ascii: ":") { break }
                    i += 1
                }
                if i == s { i += 1 } else { tokens.append(.atom(raw[s..<i])) }
            }
        }
        return tokens
    }

    /// Parses an address list. Unparseable pieces become a warning, never an error.
    static func parseList(_ raw: ArraySlice<UInt8>, warnings: inout [ParseWarning]) -> [Address] {
        let tokens = tokenize(raw)
        var result: [Address] = []
        var group: [Token] = []
        func finish() {
            defer { group.removeAll(keepingCapacity: true) }
            guard !group.isEmpty else { return }
            if let a = mailbox(from: group, warnings: &warnings) { result.append(a) }
        }
        for t in tokens {
            switch t {
            case .comma, .semicolon: finish()
            case .colon:
                // "Group name:" — drop the phrase, members follow. If the phrase already holds
                // an '@' it was not a group.
                let hasAngle = group.contains { if case .angle = $0 { return true }; return false }
                if hasAngle { group.append(.atom(ArraySlice(":".utf8))) } else { group.removeAll() }
            default: group.append(t)
            }
        }
        finish()
        return result
    }

    private static func mailbox(from tokens: [Token], warnings: inout [ParseWarning]) -> Address? {
        var phrase: [String] = []
        var comments: [String] = []
        var angle: ArraySlice<UInt8>?
        var bare: [UInt8] = []
        // The bare addr-spec is only needed when there is no <...>: most addresses skip collecting it.
        let needBare = !tokens.contains { if case .angle = $0 { return true }; return false }
        // Consecutive atoms are decoded together so that adjacent encoded words join (RFC 2047 6.2).
        var atomRun: [UInt8] = []
        func flushAtoms() {
            if !atomRun.isEmpty { phrase.append(EncodedWords.decode(atomRun[...], warnings: &warnings)); atomRun.removeAll(keepingCapacity: true) }
        }
        for t in tokens {
            if case .atom = t {} else { flushAtoms() }
            switch t {
            case .atom(let a):
                if angle == nil {
                    if !atomRun.isEmpty { atomRun.append(SP) }
                    atomRun.append(contentsOf: a)
                }
                if needBare { bare.append(contentsOf: a) }
            case .quoted(let q):
                phrase.append(EncodedWords.decode(q[...], warnings: &warnings))
                if needBare { bare.append(contentsOf: q) }
            case .comment(let c):
                comments.append(EncodedWords.decode(c[...], warnings: &warnings))
            case .angle(let a):
                if angle == nil { angle = a }
            default: break
            }
        }
        flushAtoms()
        if let angle {
            let email = cleanEmail(angle)
            let name = joinPhrase(phrase)
            if email.isEmpty && name.isEmpty { return nil }
            return Address(name: name.isEmpty ? (comments.first.map(clean) ?? nil) : name, email: email)
        }
        // addr-spec alone, maybe with a comment holding the name: a@b (Name)
        let email = cleanEmail(bare[...])
        if email.isEmpty { return nil }
        if !email.utf8.contains(UInt8(ascii: "@")) {
            warnings.append(ParseWarning(.badAddress, "address without @: \(email.prefix(80))"))
        }
        let name = comments.first.map(clean) ?? nil
        return Address(name: name, email: email)
    }

    private static func clean(_ s: String) -> String? {
        let t = s.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }

    private static func joinPhrase(_ words: [String]) -> String {
        var s = words.joined(separator: " ").trimmingWhitespace()
        // names like "Last, First" survive as written; strip stray quotes
        if s.hasPrefix("'") && s.hasSuffix("'") && s.count >= 2 { s = String(s.dropFirst().dropLast()) }
        return s
    }

    private static func cleanEmail(_ raw: ArraySlice<UInt8>) -> String {
        var s = trimmed(raw)
        if s.first == UInt8(ascii: "<") { s = s.dropFirst() }
        if s.last == UInt8(ascii: ">") { s = s.dropLast() }
        // Usually nothing to remove: no copy.
        if s.count <= 320, !s.contains(where: { $0 <= SP }) { return EncodedWords.decodeRaw(s) }
        var bytes = s.filter { $0 > SP }
        if bytes.count > 320 { bytes = Array(bytes.prefix(320)) }
        return EncodedWords.decodeRaw(bytes[...])
    }
}

extension String {
    /// Trims spaces, tabs and line breaks from both ends.
    /// Works on the UTF-8 view (only ASCII bytes are dropped, so the cut is on a character
    /// boundary) and returns `self` without copying when there is nothing to trim.
    func trimmingWhitespace() -> String {
        let u = utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, isSpaceByte(u[lo]) { lo = u.index(after: lo) }
        while hi > lo {
            let before = u.index(before: hi)
            if !isSpaceByte(u[before]) { break }
            hi = before
        }
        if lo == u.startIndex && hi == u.endIndex { return self }
        return String(self[lo..<hi])
    }
}
