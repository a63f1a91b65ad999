// What the text around a remark says about the next revision, for the revision follower
// (Revisions.swift): whether the patch author's reply agreed to make the change ("Sure, I'll do
// that in the next version", "Good catch, will fix"), and whether vN+1 took up a code sketch the
// remark proposed. Either makes a remark addressed even when its own lines did not change (the
// change went elsewhere).

import Patch

enum AuthorReply {
    /// Sentence openings that agree.
    static let openings = ["agreed", "good catch", "will do", "will fix", "will change", "done", "fixed",
                           "you are right", "you're right", "ok, will", "okay, will", "sure, will", "yes, will"]
    /// A commitment and the actions that make it one ("I'll add", "we will drop").
    static let commitments = ["i'll ", "i will ", "we'll ", "we will "]
    static let actions = ["fix", "do", "change", "update", "add", "remove", "drop", "rename", "use", "move", "apply", "address",
                          "rework", "split", "correct", "clean", "reword", "fold", "merge", "replace", "convert", "document",
                          "switch", "include", "put", "handle", "rewrite", "simplify", "adjust", "squash", "reorder", "follow"]
    /// Words that turn a sentence into a refusal or a reason ("I'll keep it", "will not", "won't").
    static let refusals = [" not ", "n't", " keep", " leave", " prefer", " rather", "instead of changing", "as is", "as-is"]

    /// Whether a mail's closing remark agrees to every remark it answered ("Thanks again for
    /// these comments, will try to fix all of them in the next version").
    static func agreesToAll(_ closing: String) -> Bool {
        let lower = closing.lowercased()
        return (lower.contains("all of them") || lower.contains("all the comments") || lower.contains("all comments")
                || lower.contains("all of your comments") || lower.contains("them all"))
            && (lower.contains("fix") || lower.contains("address") || lower.contains("next version") || lower.contains("next revision"))
            && !lower.contains("n't") && !lower.contains(" not ")
    }

    /// Whether the reply's first sentences agree to change the patch.
    static func agrees(_ reply: String) -> Bool {
        let lower = " " + AuthorReply.firstParagraph(reply).lowercased()
        var sentences: [String] = []
        var current = ""
        for c in lower {
            current.append(c)
            if c == "." || c == "!" || c == "?" || c == "\n" || c == ";" {
                sentences.append(current); current = ""
            }
        }
        sentences.append(current)
        for raw in sentences.prefix(3) {
            let sentence = " " + raw.trimmingCharacters(in: .whitespaces) + " "
            if refusals.contains(where: { sentence.contains($0) }) || sentence.contains("?") { continue }
            let trimmed = sentence.trimmingCharacters(in: .whitespaces)
            if openings.contains(where: { trimmed.hasPrefix($0) }) || sentence.contains(" i agree") { return true }
            for c in commitments {
                var search = sentence.startIndex..<sentence.endIndex
                while let r = sentence.range(of: c, range: search) {
                    let rest = sentence[r.upperBound...].split(separator: " ").prefix(2)
                    if rest.contains(where: { w in actions.contains(String(w.prefix { $0.isLetter })) }) { return true }
                    search = r.upperBound..<sentence.endIndex
                }
            }
            if sentence.contains("next version") || sentence.contains("next revision") || sentence.contains("next spin")
                || sentence.contains("next iteration") || sentence.contains("next respin") {
                return true
            }
        }
        return false
    }
}

extension AuthorReply {
    /// The first paragraph of a reply that says something: a greeting (`Hi Greg,`, `Hello,`) or
    /// a thank-you line of its own is skipped.
    static func firstParagraph(_ text: String) -> String {
        // A greeting on the first line of a paragraph (`Hi Will` then the text) is its own paragraph.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let words = lines[first].split(separator: " ")
            let w = words.first.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) } ?? ""
            if words.count <= 4, ["hi", "hello", "hey", "dear"].contains(w) { lines.insert("", at: first + 1) }
        }
        let paragraphs = lines.joined(separator: "\n").components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        func isGreeting(_ p: String) -> Bool {
            guard !p.contains("\n") else { return false }
            let words = p.split(separator: " ")
            let first = words.first.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) } ?? ""
            if ["thanks", "thank"].contains(first) { return words.count <= 10 }
            guard words.count <= 4 else { return false }
            return ["hi", "hello", "hey", "dear"].contains(first) || (words.count <= 2 && p.hasSuffix(","))
        }
        return paragraphs.first { !isGreeting($0) } ?? paragraphs.first ?? text
    }
}

/// A code sketch in a remark (`ret = PTR_ERR_OR_ZERO(...);` on lines of their own) and whether
/// the next revision took it up.
enum Sketch {
    static let keywords: Set<String> = ["if", "for", "while", "switch", "return", "sizeof", "typeof", "do", "else", "case"]

    /// A function the remark's sketch calls that vN's patch does not show anywhere and vN+1's
    /// patch adds; nil when the remark has no sketch or vN+1 does not take it up.
    static func adoptedCall(in text: String, old: Patch, new: Patch) -> String? {
        var calls: [String] = []
        for raw in text.split(separator: "\n") {
            let l = raw.trimmingCharacters(in: .whitespaces)
            // A line of code: it ends as C statements do and has a call or an assignment.
            guard l.hasSuffix(";") || l.hasSuffix("{") || l.hasSuffix(") {"), l.contains("(") else { continue }
            for c in Changelog.calls(in: l) where !keywords.contains(c) && c.count >= 4 && !calls.contains(c) { calls.append(c) }
        }
        guard !calls.isEmpty else { return nil }
        func shown(_ p: Patch, added: Bool) -> [String] {
            p.files.flatMap(\.hunks).flatMap(\.lines).filter { !added || $0.kind == .added }.map(\.text)
        }
        let before = shown(old, added: false), after = shown(new, added: true)
        return calls.first { c in
            !before.contains { BuildState.names($0, word: c) } && after.contains { BuildState.names($0, word: c) }
        }
    }
}
