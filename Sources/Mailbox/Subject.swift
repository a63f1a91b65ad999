// Subject lines of patch mail: reply and forward prefixes, `[PATCH v3 2/7]`, `[PATCHv3]`,
// `[RFC PATCH net-next v2 0/5]`, `RESEND`, several bracket groups.

public enum SubjectParser {
    private static let replyPrefixes: Set<String> = ["re", "aw", "sv", "antw", "vs", "odp", "res", "r", "ref"]
    private static let forwardPrefixes: Set<String> = ["fwd", "fw", "wg", "tr", "rv", "enc"]

    public static func parse(_ subject: String) -> SubjectInfo {
        var info = SubjectInfo(title: "")
        var rest = Substring(subject)
        var changed = true
        var guardCount = 0
        while changed && guardCount < 64 {
            changed = false
            guardCount += 1
            rest = rest.drop { $0 == " " || $0 == "\t" }
            // Reply / forward prefix: word, optional [n] or (n), colon. After a [PATCH] tag the
            // title begins, and `rv: …` or `wg: …` there name a subsystem, not a forward.
            if !info.isPatch, let colon = rest.prefix(12).firstIndex(of: ":"), rest.distance(from: rest.startIndex, to: colon) <= 8 {
                var word = rest[..<colon]
                if let b = word.firstIndex(where: { $0 == "[" || $0 == "(" }), word.last == "]" || word.last == ")" {
                    if word[word.index(after: b)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber) { word = word[..<b] }
                }
                let w = word.lowercased()
                if replyPrefixes.contains(w) { info.isReply = true; rest = rest[rest.index(after: colon)...]; changed = true; continue }
                if forwardPrefixes.contains(w) { info.isForward = true; rest = rest[rest.index(after: colon)...]; changed = true; continue }
            }
            // b4's thank-you notes for part of a series: `Re: (subset) [PATCH v2 0/7] …`
            if !info.isPatch, rest.hasPrefix("(subset)") { rest = rest.dropFirst(8); changed = true; continue }
            if rest.first == "[", let close = rest.firstIndex(of: "]") {
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                parseTag(inside, into: &info)
                rest = rest[rest.index(after: close)...]
                changed = true
            }
        }
        info.title = String(rest).trimmingWhitespace()
        return info
    }

    private static func parseTag(_ inside: Substring, into info: inout SubjectInfo) {
        let words = inside.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        for raw in words {
            var w = raw.lowercased()[...]
            if w.hasPrefix("patch") {
                info.isPatch = true
                w = w.dropFirst(5)
                if w.hasPrefix("-") { w = w.dropFirst() }
                if w.isEmpty { continue }
            } else if w == "rfc" {
                info.isRFC = true; continue
            } else if w.hasPrefix("rfc") && w.dropFirst(3).hasPrefix("v") {
                info.isRFC = true; w = w.dropFirst(3)
            }
            if w.hasPrefix("resend"), w.dropFirst(6).allSatisfy(\.isNumber) { info.isResend = true; continue }   // RESEND, RESEND2
            if w.first == "v", w.count >= 2, let v = Int(w.dropFirst()), v > 0, v < 1000 { info.version = v; continue }
            if let slash = w.firstIndex(of: "/"), let a = Int(w[..<slash]), let b = Int(w[w.index(after: slash)...]), a >= 0, b > 0, a <= b || a <= 9999 {
                info.index = a; info.total = b; continue
            }
            info.tags.append(String(raw))
        }
        // Patchwork and some list tools strip the word PATCH: `[net,v2,1/2]`. A series position
        // (or a version with a subsystem tag) still marks a patch; pull requests excepted.
        if !info.isPatch, info.index != nil || info.version > 1, !info.isPullRequest {
            info.isPatch = true
        }
    }
}
