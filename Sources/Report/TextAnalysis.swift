// Small text analyses the builder needs on reviewers' prose: the condition attached to a trailer,
// the questions in a remark, and whether a later message quotes a given text.
import Foundation
import Mailbox

enum TrailerConditions {
    /// Trailer keys collected as review status (the patch's own Signed-off-by, Fixes, Cc … are not).
    static let statusKeys: Set<String> = [
        "acked-by", "reviewed-by", "tested-by", "nacked-by", "nak-by", "naked-by", "reported-by", "suggested-by",
        "reported-and-tested-by", "reviewed-and-tested-by", "acked-and-tested-by", "requested-by", "bisected-by",
        "debugged-by",
    ]

    static func isStatusTrailer(_ key: String) -> Bool { statusKeys.contains(key.lowercased()) }

    /// A refusal, however it is spelt (`Nacked-by`, `NAKed-by`, `Nak-by`).
    static let nackKeys: Set<String> = ["nacked-by", "nak-by", "naked-by"]
    /// An approval a maintainer counts (also given together with a test).
    static let approvalKeys: Set<String> = [
        "reviewed-by", "acked-by", "tested-by", "reviewed-and-tested-by", "acked-and-tested-by", "reported-and-tested-by",
    ]

    /// Words that make the sentence before a trailer a condition on it.
    static let conditionPatterns: [String] = [
        "if ", "once ", "provided", "assuming", "as long as", "modulo", "conditional", "on the condition",
        "with that fixed", "with the above", "with those", "with these", "with this fixed", "with that addressed",
        "with the nit", "with the comment", "with the one", "with the issue", "with the changes", "with the fix",
        " addressed", " fixed", " resolved", " taken care of", " sorted out", " dropped", " removed", " changed",
        "after fixing", "after addressing", "when fixed",
    ]

    /// The condition written next to the trailer at `line` of `body`: the sender's own text directly
    /// above the trailer block (no blank line between), or a parenthesised/`if …` line directly
    /// below it, when it contains condition words. Quoted lines never count.
    static func condition(body lines: [Substring], trailerLine: Int) -> String? {
        guard trailerLine >= 0, trailerLine < lines.count else { return nil }
        func isTrailerLike(_ s: Substring) -> Bool {
            guard let c = s.firstIndex(of: ":") else { return false }
            let key = s[..<c]
            return !key.isEmpty && key.count <= 40 && key.allSatisfy { $0.isLetter || $0 == "-" } && key.contains("-")
        }
        func isOwnText(_ s: Substring) -> Bool {
            let t = s.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix(">") && !t.hasPrefix("|") && t != "--"
        }
        // Above: skip the other trailers of the block, then take up to 3 adjacent own lines.
        var i = trailerLine - 1
        while i >= 0, isTrailerLike(lines[i]) { i -= 1 }
        var above: [String] = []
        while i >= 0, above.count < 3, isOwnText(lines[i]), !isTrailerLike(lines[i]) {
            above.insert(lines[i].trimmingCharacters(in: .whitespaces), at: 0)
            i -= 1
        }
        if !above.isEmpty {
            let text = above.joined(separator: " ")
            if hasConditionWords(text) { return text }
        }
        // Below: skip the block's other trailers, take one adjacent own line.
        var j = trailerLine + 1
        while j < lines.count, isTrailerLike(lines[j]) { j += 1 }
        if j < lines.count, j == trailerLine + 1 || isTrailerLike(lines[j - 1]), isOwnText(lines[j]) {
            let t = lines[j].trimmingCharacters(in: .whitespaces)
            let lower = t.lowercased()
            if (t.hasPrefix("(") || lower.hasPrefix("if ") || lower.hasPrefix("provided") || lower.hasPrefix("assuming")
                || lower.hasPrefix("once ") || lower.hasPrefix("with ")) && hasConditionWords(t) {
                return t
            }
        }
        return nil
    }

    /// A condition in a trailer's own comment: `Tested-by: T <t@x> # on arm64, if you drop x`.
    static func inlineCondition(value: String) -> String? {
        guard let hash = value.firstIndex(of: "#") else { return nil }
        let comment = value[value.index(after: hash)...].trimmingCharacters(in: .whitespaces)
        return hasConditionWords(comment) ? comment : nil
    }

    static func hasConditionWords(_ text: String) -> Bool {
        let lower = " " + text.lowercased()
        return conditionPatterns.contains { lower.contains($0) }
    }
}

enum Questions {
    /// Sentences ending in `?` in a remark, each on one line. A sentence starts after `.`, `!` or
    /// `?` followed by a space, or after a blank line; lines that look like code or quotes are
    /// skipped, abbreviations (`e.g.`, `i.e.`, `etc.`) do not end a sentence.
    static func find(in text: String) -> [String] {
        var out: [String] = []
        for paragraph in text.components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: true)
                .filter { l in
                    let t = l.trimmingCharacters(in: .whitespaces)
                    return !t.hasPrefix(">") && !(l.hasPrefix("\t") || l.hasPrefix("    "))
                }
            let flat = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            let chars = Array(flat)
            var start = 0
            var i = 0
            while i < chars.count {
                let c = chars[i]
                let atEnd = i + 1 >= chars.count || chars[i + 1] == " "
                if (c == "?" || c == "!" || c == ".") && atEnd {
                    if c == "." && isAbbreviation(chars, i) { i += 1; continue }
                    // Runs like `?!` or `...` end together.
                    let sentence = String(chars[start...i]).trimmingCharacters(in: .whitespaces)
                    if c == "?" && sentence.count > 1 { out.append(sentence) }
                    start = i + 1
                }
                i += 1
            }
        }
        return out
    }

    static func isAbbreviation(_ chars: [Character], _ dot: Int) -> Bool {
        var k = dot - 1
        var word = ""
        while k >= 0, chars[k] != " " { word.insert(chars[k], at: word.startIndex); k -= 1 }
        let w = word.lowercased()
        return ["e.g", "i.e", "etc", "vs", "cf", "approx", "resp", "incl", "e.g.", "i.e."].contains(w)
            || (dot >= 2 && chars[dot - 1] == "." ) // `...` is handled when the run ends
    }
}

enum QuoteMatch {
    /// Lowercased letters and digits only: survives re-wrapping, quote markers and spacing.
    static func normalize(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars where u.properties.isAlphabetic || ("0"..."9").contains(u) {
            out.unicodeScalars.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    /// A fragment of `text` long enough to recognise it in a quote: its first 80 normalised characters.
    static func key(_ text: String) -> String {
        String(normalize(text).prefix(80))
    }
}
