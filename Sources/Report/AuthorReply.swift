// What the text around a remark says about the next revision, for the revision follower
// (Revisions.swift): whether the patch author's reply agreed to make the change ("Sure, I'll do
// that in the next version", "Good catch, will fix"), and whether vN+1 took up a code sketch the
// remark proposed. Either makes a remark addressed even when its own lines did not change (the
// change went elsewhere).

import Patch
import Review

enum AuthorReply {
    /// Sentence openings that agree (whole words: "will do" is not "will double-check").
    /// ("You are right that …" acknowledges a fact, it does not promise a change.)
    /// ("OK, will fix": the interjection is dropped first, so "will fix" is what matches.)
    static let openings = ["agreed", "good catch", "will do", "will fix", "will change", "done", "fixed"]
    /// Interjections a sentence may start with before what it says ("Thanks, will fix.").
    static let interjections = ["thanks", "thank you", "right", "oops", "good point", "ok", "okay", "sure", "yes", "indeed", "ah"]
    /// A commitment and the actions that make it one ("I'll add", "we will drop").
    static let commitments = ["i'll", "i will", "we'll", "we will"]
    static let actions: Set<String> = ["fix", "do", "change", "update", "add", "remove", "drop", "rename", "use", "move", "apply",
                                       "address", "rework", "split", "correct", "clean", "reword", "fold", "merge", "replace",
                                       "convert", "document", "switch", "include", "put", "handle", "rewrite", "simplify",
                                       "adjust", "squash", "reorder", "follow"]
    /// Words that turn a sentence into a refusal or a reason ("I'll keep it as is", "will not",
    /// "won't", "I'd rather not").
    static let refusals = ["not", "won't", "don't", "can't", "cannot", "shouldn't", "wouldn't", "isn't", "doesn't", "rather",
                           "as is", "as-is", "keep it", "keep this", "keep the", "leave it", "leave this", "leave the",
                           "prefer to keep", "prefer not"]

    /// A text's words, lower case, split at anything but letters, digits and `'`.
    static func words(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-") }
            .map { $0.replacingOccurrences(of: "’", with: "'")[...] }
    }

    /// Whether `phrase` (words) occurs in `ws` as whole words, at `start` only when given.
    static func has(_ ws: [Substring], _ phrase: String, at start: Int? = nil) -> Bool {
        let p = words(phrase)
        guard !p.isEmpty, ws.count >= p.count else { return false }
        let range = start.map { $0...$0 } ?? 0...(ws.count - p.count)
        for i in range where i + p.count <= ws.count {
            if zip(ws[i..<(i + p.count)], p).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }

    /// The sentences of a text, wrapped lines joined: split at `.`, `!`, `?`, `;` and blank lines.
    static func sentences(_ text: String) -> [String] {
        let joined = text.lowercased().components(separatedBy: "\n\n").map { $0.split(separator: "\n").joined(separator: " ") }
        var out: [String] = []
        for paragraph in joined {
            var current = ""
            for c in paragraph {
                current.append(c)
                if c == "." || c == "!" || c == "?" || c == ";" { out.append(current); current = "" }
            }
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { out.append(current) }
        }
        return out
    }

    /// Whether one sentence agrees to change the patch.
    static func sentenceAgrees(_ sentence: String) -> Bool {
        if sentence.contains("?") { return false }
        var ws = words(sentence)
        if refusals.contains(where: { has(ws, $0) }) { return false }
        // Leading interjections ("Thanks, …", "Right, …", "Good point, …").
        var dropped = true
        while dropped, !ws.isEmpty {
            dropped = false
            for i in interjections where has(ws, i, at: 0) && ws.count > words(i).count {
                ws.removeFirst(words(i).count); dropped = true; break
            }
        }
        if openings.contains(where: { has(ws, $0, at: 0) }) || has(ws, "i agree") { return true }
        for c in commitments {
            let cw = words(c)
            for i in 0..<max(0, ws.count - cw.count + 1) where zip(ws[i..<(i + cw.count)], cw).allSatisfy({ $0 == $1 }) {
                if ws[(i + cw.count)...].prefix(2).contains(where: { actions.contains(String($0)) }) { return true }
            }
        }
        return ["next version", "next revision", "next spin", "next iteration", "next respin"].contains { has(ws, $0) }
    }

    /// Whether a mail's closing remark agrees to every remark it answered ("Thanks again for
    /// these comments, will try to fix all of them in the next version").
    static func agreesToAll(_ closing: String) -> Bool {
        let ws = words(closing.lowercased())
        return ["all of them", "all the comments", "all comments", "all of your comments", "them all"].contains { has(ws, $0) }
            && (ws.contains("fix") || ws.contains("address") || has(ws, "next version") || has(ws, "next revision"))
            && !refusals.contains { has(ws, $0) }
    }

    /// Whether the reply's first sentences (of its first paragraph that says something) agree to
    /// change the patch.
    static func agrees(_ reply: String) -> Bool {
        sentences(firstParagraph(reply)).prefix(3).contains(where: sentenceAgrees)
    }

    /// Whether the sentences of `reply` that name `word` agree (a top-posted reply answering
    /// several remarks: "I'll fix foo_x. bar_y stays as it is.").
    static func agrees(_ reply: String, naming word: String) -> Bool {
        sentences(reply).contains { BuildState.names($0, word: word.lowercased()) && sentenceAgrees($0) }
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
            // "Thanks, I'll fix it in v2." says something.
            if ["thanks", "thank"].contains(first) { return words.count <= 10 && !sentences(p).contains(where: sentenceAgrees) }
            guard words.count <= 4 else { return false }
            return ["hi", "hello", "hey", "dear"].contains(first) || (words.count <= 2 && p.hasSuffix(","))
        }
        return paragraphs.first { !isGreeting($0) } ?? paragraphs.first ?? text
    }
}

/// A code sketch in a remark (`ret = PTR_ERR_OR_ZERO(...);` on lines of their own) and whether
/// the next revision took it up.
enum Sketch {
    static var keywords: Set<String> { FunctionFinder.keywords }

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
