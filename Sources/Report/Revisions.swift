// Series revisions: the series of the input grouped into chains (v1 → v2 → v3 of one series, as
// b4 matches them: `change-id:` first, then title and author), each patch of vN paired with its
// counterpart in vN+1 (same title, else same files), and every remark and rule finding of vN
// followed into vN+1. The rules are in docs/REVISIONS.md; in short, for a remark on a line:
//
// - the remark's lines are the marked line and up to two quoted lines above it, on the side the
//   remark is on (post-image for added and context lines, pre-image for removed ones), compared
//   whitespace-blind and with blank lines skipped;
// - vN+1's patch for the same file (the counterpart, else any vN+1 patch of the file) has them in
//   a row → `not-addressed` (or `answered` when the patch author replied to the remark), unless the
//   vN+1 changelog names an identifier the remark names (`addressed`, changelog evidence);
// - the marked line is there but not the lines around it, or only in another function, or the
//   line is gone while its function is still in the patch → `addressed`;
// - the file is in no vN+1 patch, or the function in no hunk of it, or the patch is gone → `gone`.
import Foundation
import Mailbox
import Patch
import Review

/// Options of revision following.
public struct RevisionOptions: Sendable {
    /// Follow revisions at all.
    public var enabled = true
    /// Add per-patch interdiffs vN → vN+1 (`--interdiff`).
    public var interdiff = false
    /// The most lines of one patch's interdiff.
    public var maxInterdiffLines = 2000
    public init(enabled: Bool = true, interdiff: Bool = false) { self.enabled = enabled; self.interdiff = interdiff }
}

/// Revision chains among series, by b4's rules.
public enum RevisionChains {
    /// A series as the chain matcher sees it.
    public struct Member: Sendable, Hashable {
        public var version: Int
        public var title: String
        public var author: String
        public var changeID: String?
        public var patchTitles: [String]
        public var date: Double
        public init(version: Int, title: String, author: String, changeID: String?, patchTitles: [String], date: Double) {
            self.version = version; self.title = title; self.author = author; self.changeID = changeID
            self.patchTitles = patchTitles; self.date = date
        }
    }

    /// Chains of member indices, each ordered by version (one member per version: of two with the
    /// same version, a RESEND for instance, the earlier one), with how each chain was matched. Only
    /// chains of two or more versions.
    public static func chains(_ members: [Member]) -> [(members: [Int], matchedBy: String, changeID: String?)] {
        var keyOf: [String] = []
        for m in members {
            if let c = m.changeID { keyOf.append("c\u{0}" + c) } else { keyOf.append("t\u{0}" + m.author + "\u{0}" + normalizedTitle(m.title)) }
        }
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, k) in keyOf.enumerated() {
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(i)
        }
        var how: [String: String] = [:]
        for k in order { how[k] = k.hasPrefix("c\u{0}") ? "change-id" : "subject-author" }
        // Titles of cover letters change between revisions; the same author sending most of the
        // same patch titles in another version is the same series (b4 falls back on patch subjects).
        var merged = true
        while merged {
            merged = false
            search: for (ai, a) in order.enumerated() {
                for b in order[(ai + 1)...] {
                    guard let ga = groups[a], let gb = groups[b], let ma = ga.first, let mb = gb.first,
                          members[ma].author == members[mb].author, !members[ma].author.isEmpty else { continue }
                    if let ca = members[ma].changeID, let cb = members[mb].changeID, ca != cb { continue }
                    let va = Set(ga.map { members[$0].version }), vb = Set(gb.map { members[$0].version })
                    guard va.isDisjoint(with: vb) else { continue }
                    let ta = Set(ga.flatMap { members[$0].patchTitles.map(normalizedTitle) })
                    let tb = Set(gb.flatMap { members[$0].patchTitles.map(normalizedTitle) })
                    let shared = ta.intersection(tb).count
                    guard shared > 0, shared * 2 >= min(ta.count, tb.count) else { continue }
                    groups[a]! += gb
                    groups[b] = nil
                    how[a] = how[a] == "change-id" ? "change-id" : "patch-subjects"
                    order.removeAll { $0 == b }
                    merged = true
                    break search
                }
            }
        }
        var out: [(members: [Int], matchedBy: String, changeID: String?)] = []
        for k in order {
            guard let g = groups[k] else { continue }
            var byVersion: [Int: Int] = [:]
            for i in g.sorted(by: { (members[$0].date, $0) < (members[$1].date, $1) }) where byVersion[members[i].version] == nil {
                byVersion[members[i].version] = i
            }
            guard byVersion.count >= 2 else { continue }
            let chain = byVersion.keys.sorted().compactMap { byVersion[$0] }
            out.append((chain, how[k] ?? "subject-author", chain.compactMap { members[$0].changeID }.first))
        }
        return out
    }

    /// A title compared across revisions: lower case, whitespace runs as one space, no final period.
    public static func normalizedTitle(_ t: String) -> String {
        var s = t.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        while s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// b4's `change-id: 20230101-topic-0123456789ab` line of a cover letter or patch mail.
    public static func changeID(in body: String) -> String? {
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) where line.count < 200 {
            let l = line.drop { $0 == " " }
            guard l.count > 10, l.prefix(10).lowercased() == "change-id:" else { continue }
            let v = l.dropFirst(10).trimmingCharacters(in: .whitespaces)
            if !v.isEmpty, !v.contains(" ") { return v }
        }
        return nil
    }
}

/// The changelog of a revision: the cover letter's "Changes in v3" (`v2 -> v3`, `Changes since
/// v1`, `v3:` …) part, and the notes below each patch's `---`.
public enum Changelog {
    /// The lines of a cover letter from its first changelog heading to the diffstat, the
    /// `base-commit:` line or the signature.
    public static func coverSection(_ body: String) -> [String] {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var inside = false
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if !inside {
                if isHeading(line) { inside = true; out.append(line) }
                continue
            }
            if line == "-- " || line == "--" || line.hasPrefix("base-commit:") || isDiffstat(line) { break }
            if !line.isEmpty { out.append(line) }
        }
        return out
    }

    /// The part of changelog lines about `version`: from a heading naming it (`v3:`, `Changes in
    /// v3`, `v2 -> v3`) to the next heading naming another version; all the lines when no heading
    /// names it (notes often keep the history of every version).
    public static func section(_ lines: [String], version: Int) -> [String] {
        var out: [String] = []
        var inside = false, found = false
        for l in lines {
            let short = l.count < 60 && !l.hasPrefix("-") && !l.hasPrefix("*")
            let vs = short ? versions(named: l) : []
            if !vs.isEmpty {
                // `v2 -> v3` is about v3: the last version a heading names.
                inside = vs.last == version
                if inside { found = true }
            }
            if inside { out.append(l) }
        }
        return found ? out : lines
    }

    /// The versions a line names: `v2 -> v3` gives 2 and 3.
    static func versions(named l: String) -> [Int] {
        var out: [Int] = []
        let b = Array(l.lowercased().utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "v"), i == 0 || !(b[i - 1] >= 0x61 && b[i - 1] <= 0x7A) {
                var j = i + 1, n = 0
                while j < b.count, b[j] >= 0x30, b[j] <= 0x39, j - i < 5 { n = n * 10 + Int(b[j] - 0x30); j += 1 }
                if j > i + 1 { out.append(n) }
                i = j
            } else { i += 1 }
        }
        return out
    }

    /// A changelog kept in the commit message itself (netdev's habit: `v1 -> v2:` above the
    /// sign-off): the lines from the first heading that names a version to the trailers.
    public static func messageSection(_ message: String) -> [String] {
        var out: [String] = []
        var inside = false
        for raw in message.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if !inside {
                // A heading of its own: it names a version and ends with `:` or reads `v1 -> v2`
                // ("Changes in v5.10 made the lock unnecessary" is the message).
                if isHeading(line), !versions(named: line).isEmpty,
                   line.hasSuffix(":") || line.contains("->") || line.contains("→") {
                    inside = true; out.append(line)
                }
                continue
            }
            if CommitMessages.isTrailer(Substring(line)) { break }
            if !line.isEmpty { out.append(line) }
        }
        return out
    }

    /// `Changes in v3:`, `Changes since v1`, `Changelog:`, `v2 -> v3:`, `v3:`, `Changes from v2 to v3`.
    static func isHeading(_ line: String) -> Bool {
        let l = line.lowercased()
        guard l.count < 80 else { return false }
        if l.hasPrefix("changes") || l.hasPrefix("changelog") || l.hasPrefix("change log") || l.hasPrefix("revision history")
            || l.hasPrefix("version history") || l.hasPrefix("history:") { return true }
        // `v2 -> v3`, `v2->v3:`, `v3:`, `v2 changes:`
        if l.first == "v", l.dropFirst().first?.isNumber == true {
            let rest = l.dropFirst().drop { $0.isNumber }
            let r = rest.trimmingCharacters(in: .whitespaces)
            return r.hasPrefix(":") || r.hasPrefix("->") || r.hasPrefix("→") || r.hasPrefix("to v") || r.hasPrefix("changes")
                || r.hasPrefix("- ") && r.dropFirst(2).hasPrefix("v") || r.isEmpty && l.count <= 4
        }
        return false
    }

    static func isDiffstat(_ line: String) -> Bool {
        (line.contains(" | ") && (line.hasSuffix("+") || line.hasSuffix("-") || line.last?.isNumber == true || line.hasSuffix("Bin")))
            || (line.contains("changed,") && line.contains("file"))
    }

    /// One C identifier of a text: whether `(` follows it right away (`isCall`) or after spaces
    /// (`isSpacedCall`, as code may write it), and whether a quote or backtick precedes it. Words
    /// starting with a digit are left out.
    struct Word {
        var text: String
        var isCall: Bool
        var isSpacedCall: Bool
        var isQuoted: Bool
    }

    static func words(in text: String) -> [Word] {
        var out: [Word] = []
        let b = Array(text.utf8)
        var i = 0
        func isIdent(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        }
        while i < b.count {
            guard isIdent(b[i]), i == 0 || !isIdent(b[i - 1]) else { i += 1; continue }
            var j = i
            while j < b.count, isIdent(b[j]) { j += 1 }
            var k = j
            while k < b.count, b[k] == UInt8(ascii: " ") { k += 1 }
            if !(b[i] >= 0x30 && b[i] <= 0x39) {
                let quoted = i > 0 && (b[i - 1] == UInt8(ascii: "`") || b[i - 1] == UInt8(ascii: "'") || b[i - 1] == UInt8(ascii: "\""))
                out.append(Word(text: String(decoding: b[i..<j], as: UTF8.self), isCall: j < b.count && b[j] == UInt8(ascii: "("),
                                isSpacedCall: k < b.count && b[k] == UInt8(ascii: "("), isQuoted: quoted))
            }
            i = j
        }
        return out
    }

    /// Identifiers a remark names that a changelog could mention: words with `_` (5 characters or
    /// more), words followed by `(`, and words in backticks or quotes.
    public static func identifiers(_ text: String) -> Set<String> {
        Set(words(in: text).filter { w in
            (w.text.contains("_") && w.text.count >= 5)
                || ((w.isCall || w.isQuoted) && w.text.count >= 4 && !commonWords.contains(w.text.lowercased()))
        }.map(\.text))
    }

    /// The words followed by `(` in a line: the functions and macros it calls.
    static func calls(in line: String) -> [String] {
        words(in: line).filter(\.isSpacedCall).map(\.text)
    }

    static let commonWords: Set<String> = ["this", "that", "with", "from", "here", "there", "then", "else", "also", "when",
                                           "what", "which", "should", "could", "would", "please", "thanks", "patch", "code",
                                           "line", "function", "return", "value", "error", "sizeof", "null", "true", "false"]

    /// The first changelog line naming one of `words` as a whole word.
    public static func mention(of words: Set<String>, in lines: [String]) -> String? {
        guard !words.isEmpty else { return nil }
        for l in lines {
            for w in words.sorted() where BuildState.names(l, word: w) { return l }
        }
        return nil
    }
}

// MARK: - following remarks and findings

/// The commit messages of a patch in vN and vN+1, for remarks on the patch as a whole.
struct CommitMessages {
    var oldTitle: String
    var newTitle: String
    var oldText: String
    var newText: String
    var oldTrailers: Set<String>
    var newTrailers: Set<String>
    /// The patches' notes below `---` (version notes).
    var oldNotes: String
    var newNotes: String

    /// Trailer keys a remark can ask for.
    static let trailerKeys = ["Fixes", "Reported-by", "Suggested-by", "Closes", "Link", "Cc: stable", "Tested-by",
                              "Reviewed-by", "Acked-by", "Co-developed-by", "Signed-off-by"]
    /// Words that say a remark is about the commit message.
    static let messageWords = ["commit message", "commit log", "commit description", "changelog", "change log", "subject",
                               "shortlog", "summary line", "title", "wording", "reword", "rephrase", "description"]

    /// Whether vN+1's commit message differs: the title or the message's words differ, or the
    /// trailers both versions carry stand in another order ("please re-order the tags"). A vN+1
    /// that only collected a `Reviewed-by:` has the same message.
    var messageChanged: Bool {
        if RevisionChains.normalizedTitle(oldTitle) != RevisionChains.normalizedTitle(newTitle) || Self.words(oldText) != Self.words(newText) {
            return true
        }
        let oldTrailers = oldText.split(separator: "\n").filter(Self.isTrailer), newTrailers = newText.split(separator: "\n").filter(Self.isTrailer)
        let inOld = Set(oldTrailers), inNew = Set(newTrailers)
        return oldTrailers.filter(inNew.contains) != newTrailers.filter(inOld.contains)
    }

    /// The status a remark on the patch as a whole gets from the commit messages, when it names a
    /// trailer (added in vN+1 → addressed) or speaks of the commit message (changed → addressed,
    /// unchanged → not addressed).
    func status(of text: String, nextVersion: Int) -> (RemarkRevision.Status, String, String)? {
        let lower = text.lowercased()
        for key in Self.trailerKeys {
            let k = key.lowercased().components(separatedBy: ":").first ?? key.lowercased()
            guard BuildState.names(text, word: key.components(separatedBy: ":").first ?? key) else { continue }
            if newTrailers.contains(k) && !oldTrailers.contains(k) {
                return (.addressed, "trailer-added", "v\(nextVersion) adds a `\(key.components(separatedBy: ":").first ?? key):` trailer")
            }
        }
        // Version notes asked for ("keep a changelog", "changes since v1"), and vN+1 has them.
        if ["changelog", "change log", "version notes", "changes since", "what changed"].contains(where: { lower.contains($0) }),
           oldNotes.isEmpty, !newNotes.isEmpty {
            return (.addressed, "notes-added", "v\(nextVersion) has notes below `---`")
        }
        guard Self.messageWords.contains(where: { lower.contains($0) }) else { return nil }
        if messageChanged {
            return (.addressed, "commit-message-changed", "the v\(nextVersion) commit message differs")
        }
        return (.notAddressed, "commit-message-unchanged", "the v\(nextVersion) commit message is the same")
    }

    /// The status of a remark on the patch as a whole that answers quoted lines of the vN commit
    /// message (the reviewer kept them right above it): the lines the quote shares with the vN
    /// message, compared with the vN+1 message. nil when the quote is not the message (the last
    /// quoted line must be a line of it, and one of the shared lines have three words or more).
    func quotedStatus(_ context: [QuotedText], nextVersion: Int) -> (RemarkRevision.Status, String, String)? {
        let quoted = context.flatMap { $0.text.split(separator: "\n") }.map { RevisionLookup.normalize(String($0)) }
            .filter { !$0.isEmpty && $0 != "[…]" }
        func lines(_ text: String) -> Set<String> {
            Set(text.split(separator: "\n").filter { !Self.isTrailer($0) }.map { RevisionLookup.normalize(String($0)) }.filter { !$0.isEmpty })
        }
        let old = lines(oldText)
        guard let last = quoted.last, old.contains(last) else { return nil }
        let shared = quoted.filter { old.contains($0) }
        let wordy = context.flatMap { $0.text.split(separator: "\n") }.contains { l in
            old.contains(RevisionLookup.normalize(String(l))) && l.split(separator: " ").count >= 3
        }
        guard wordy else { return nil }
        let new = lines(newText)
        if let gone = context.flatMap({ $0.text.split(separator: "\n") }).first(where: { l in
            let k = RevisionLookup.normalize(String(l)); return shared.contains(k) && !new.contains(k) }) {
            return (.addressed, "commit-message-changed",
                    "the v\(nextVersion) commit message no longer has the quoted line “\(SafeText.truncated(gone.trimmingCharacters(in: .whitespaces), 80))”")
        }
        return (.notAddressed, "commit-message-unchanged", "the quoted lines of the commit message are the same in v\(nextVersion)")
    }

    static func isTrailer(_ line: Substring) -> Bool {
        line.split(separator: ":", maxSplits: 1).first.map { $0.contains("-by") || $0 == "Fixes" || $0 == "Link" || $0 == "Cc" || $0 == "Closes" } ?? false
    }

    /// A commit message without its trailers, as words.
    static func words(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !isTrailer($0) }.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
    }
}

/// One line of a patch's post- or pre-image as the revision lookup sees it.
struct ImageLine {
    var key: String
    var line: HunkLine
    var hunk: Int
    var function: String?
}

enum RevisionLookup {
    /// Whitespace-blind form of a code line.
    static func normalize(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != " " && $0 != "\t" && $0 != "\r" }))
    }

    /// A line too plain to place code by (`}`, `{`, `return 0;`, `break;`): fewer than 5 letters
    /// or digits.
    static func isPlain(_ key: String) -> Bool {
        key.unicodeScalars.filter { ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value | 0x20 >= 0x61 && $0.value | 0x20 <= 0x7A) }.count < 5
    }

    /// The lines a file's hunks show on one side (post-image: context and added; pre-image: context
    /// and removed), blank lines left out, each with the function it is in.
    static func image(_ file: FilePatch, new: Bool) -> [ImageLine] {
        var out: [ImageLine] = []
        for (hi, h) in file.hunks.enumerated() {
            let functions = FunctionFinder.functions(in: file, hunk: hi)
            for (li, l) in h.lines.enumerated() {
                if new ? l.kind == .removed : l.kind == .added { continue }
                let k = normalize(l.text)
                if k.isEmpty { continue }
                out.append(ImageLine(key: k, line: l, hunk: hi, function: functions[li]))
            }
        }
        return out
    }

    /// Functions any hunk line of the file is in (Review's `FunctionFinder`, as for the remarks).
    static func functions(_ file: FilePatch) -> Set<String> {
        Set(file.hunks.indices.flatMap { FunctionFinder.functions(in: file, hunk: $0) }.compactMap { $0 })
    }

    /// The hunk and position of a line of a file's patch: by its number on its side (and the same
    /// text), else the one line with the same text.
    static func locate(_ file: FilePatch, newLine: Int?, oldLine: Int?, text: String) -> (Int, Int)? {
        let key = normalize(text)
        var byText: [(Int, Int)] = []
        for (hi, h) in file.hunks.enumerated() {
            for (li, l) in h.lines.enumerated() {
                let numbered = (newLine != nil && l.kind != .removed && l.newLine == newLine)
                    || (oldLine != nil && l.kind != .added && l.oldLine == oldLine)
                let sameText = normalize(l.text) == key
                if numbered && sameText { return (hi, li) }
                if sameText { byText.append((hi, li)) }
            }
        }
        return byText.count == 1 ? byText[0] : nil
    }

    static func folder(_ path: String) -> Substring {
        path.lastIndex(of: "/").map { path[..<$0] } ?? ""
    }

    static func fileExtension(_ path: String) -> Substring {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        return name.lastIndex(of: ".").map { name[$0...] } ?? ""
    }

    static func codeLine(_ l: HunkLine, marked: Bool) -> CodeLine {
        let k: CodeLine.Kind = l.kind == .added ? .added : l.kind == .removed ? .removed : .context
        return CodeLine(kind: k, oldLine: k == .added ? nil : l.oldLine, newLine: k == .removed ? nil : l.newLine,
                        text: l.text, isMarked: marked)
    }

    /// The lines of `file`'s hunk around a position, for evidence: `before` lines up to it and two after.
    static func around(_ file: FilePatch, hunk: Int, line target: HunkLine?, before: Int = 3) -> [CodeLine] {
        guard hunk >= 0, hunk < file.hunks.count else { return [] }
        let lines = file.hunks[hunk].lines
        guard let target, let at = lines.firstIndex(of: target) else {
            return lines.prefix(before + 3).map { codeLine($0, marked: false) }
        }
        let lo = max(0, at - before), hi = min(lines.count - 1, at + 2)
        return (lo...hi).map { codeLine(lines[$0], marked: $0 == at) }
    }
}

extension BuildState {
    /// Whether `text` names `word` as a whole identifier.
    static func names(_ text: String, word: String) -> Bool {
        guard !word.isEmpty, text.count >= word.count else { return false }
        var search = text.startIndex..<text.endIndex
        func isIdent(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while let r = text.range(of: word, range: search) {
            let beforeOK = r.lowerBound == text.startIndex || !isIdent(text[text.index(before: r.lowerBound)])
            let afterOK = r.upperBound == text.endIndex || !isIdent(text[r.upperBound])
            if beforeOK && afterOK { return true }
            search = r.upperBound..<text.endIndex
        }
        return false
    }

    /// A patch mail's patch and the text it came from: the body, else its first patch attachment
    /// that holds a diff (the body when neither does); parsed once per mail.
    mutating func patchSource(_ mi: Int) -> (patch: Patch, text: String) {
        if let known = patchSources[mi] { return known }
        let m = threads.messages[mi]
        var out = (patch: PatchParser.parse(m.body), text: m.body)
        if out.patch.files.isEmpty {
            for a in m.patchAttachments {
                let q = PatchParser.parse(a.text)
                if !q.files.isEmpty { out = (q, a.text); break }
            }
        }
        patchSources[mi] = out
        return out
    }

    /// Finds the revision chains among the series built so far and fills `revision` on the series,
    /// their remarks and their findings (and the matching report parts).
    mutating func followRevisions(_ reports: inout [SeriesReport]) {
        guard builder.revisions.enabled, threads.series.count >= 2, reports.count >= threads.series.count else { return }
        var members: [RevisionChains.Member] = []
        let messages = threads.messages
        for s in threads.series {
            let mails = ([s.coverLetter] + s.patches).compactMap { $0 }
            let change = mails.lazy.compactMap { RevisionChains.changeID(in: messages[$0].body) }.first
            let titles = s.patches.compactMap { $0.map { threads.messages[$0].subjectInfo.title } }
            let date = mails.compactMap { threads.messages[$0].date?.timeIntervalSince1970 }.min() ?? Double(mails.first.map { threads.messages[$0].index } ?? 0)
            members.append(.init(version: s.version, title: s.title, author: s.author?.email.lowercased() ?? "",
                                 changeID: change, patchTitles: titles, date: date))
        }
        for chain in RevisionChains.chains(members) {
            let versions = chain.members.map { threads.series[$0].version }
            for (pos, si) in chain.members.enumerated() {
                var rev = reports[si].revision ?? SeriesRevision(matchedBy: chain.matchedBy, changeID: chain.changeID, versions: versions)
                rev.matchedBy = chain.matchedBy; rev.changeID = chain.changeID; rev.versions = versions
                if pos > 0 { rev.previous = link(chain.members[pos - 1]) }
                if pos + 1 < chain.members.count { rev.next = link(chain.members[pos + 1]) }
                reports[si].revision = rev
            }
            for (a, b) in zip(chain.members, chain.members.dropFirst()) {
                follow(old: a, new: b, reports: &reports)
            }
        }
        // The parts of a streamed build carry the same series.
        for i in parts.indices where !parts[i].isQuoted {
            if i < reports.count, i < threads.series.count { parts[i].series = reports[i] }
        }
    }

    func link(_ si: Int) -> RevisionLink {
        let s = threads.series[si]
        let first = s.coverLetter ?? s.patches.compactMap { $0 }.first
        return RevisionLink(version: s.version, title: s.title, messageID: first.flatMap { threads.messages[$0].messageID },
                            date: first.flatMap { threads.messages[$0].date })
    }

    /// Follows series `old` (vN) into series `new` (vN+1).
    mutating func follow(old: Int, new: Int, reports: inout [SeriesReport]) {
        let os = threads.series[old], ns = threads.series[new]
        let nextVersion = ns.version
        // vN+1's patches, parsed, with their reports.
        var newPatches: [(mi: Int, patch: Patch, report: PatchReport)] = []
        for (k, p) in ns.patches.enumerated() {
            guard let p, let r = reports[new].patches.first(where: { $0.message.messageID == threads.messages[p].messageID && $0.index == (ns.total > 1 || ns.coverLetter != nil ? k + 1 : $0.index) }) else { continue }
            newPatches.append((p, patchSource(p).patch, r))
        }
        var changelog: [String] = []
        if let c = ns.coverLetter { changelog = Changelog.coverSection(threads.messages[c].body) }
        var allNotes: [String] = changelog
        for n in newPatches {
            allNotes += n.patch.notes.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            allNotes += Changelog.messageSection(n.patch.commitMessage)
        }
        var rev = reports[old].revision ?? SeriesRevision(matchedBy: "subject-author", versions: [os.version, ns.version])
        let nextDate = ([ns.coverLetter] + ns.patches).compactMap { $0.flatMap { threads.messages[$0].date } }.min()
        rev.nextChangelog = Array(allNotes.prefix(60)).map { SafeText.truncated($0, 200) }
        var used = Set<Int>()
        var remarkCounts: [String: Int] = [:], findingCounts: [String: Int] = [:]

        // Pair the patches: same title first, then the same files.
        var pairOf: [Int: Int] = [:]   // old report patch position → newPatches position
        var matchKind: [Int: String] = [:]
        let oldReports = reports[old].patches
        for (pi, p) in oldReports.enumerated() {
            let t = RevisionChains.normalizedTitle(p.title)
            if let j = newPatches.indices.first(where: { !used.contains($0) && RevisionChains.normalizedTitle(newPatches[$0].report.title) == t }) {
                pairOf[pi] = j; used.insert(j); matchKind[pi] = "subject"
            }
        }
        // A retitled patch: most words of the shorter title in the other (`add 'domain_id' mount
        // option for …` and `introduce 'domain_id' mount option`), the best such pair first.
        func words(_ t: String) -> Set<Substring> {
            Set(RevisionChains.normalizedTitle(t).split(separator: " ").filter { $0.count >= 3 })
        }
        var retitled: [(Double, Int, Int)] = []
        for (pi, p) in oldReports.enumerated() where pairOf[pi] == nil {
            let a = words(p.title)
            for j in newPatches.indices where !used.contains(j) {
                let b = words(newPatches[j].report.title)
                guard min(a.count, b.count) >= 3 else { continue }
                let score = Double(a.intersection(b).count) / Double(min(a.count, b.count))
                if score >= 0.75 { retitled.append((score, pi, j)) }
            }
        }
        for (_, pi, j) in retitled.sorted(by: { ($0.0, -$0.1, -$0.2) > ($1.0, -$1.1, -$1.2) })
            where pairOf[pi] == nil && !used.contains(j) {
            pairOf[pi] = j; used.insert(j); matchKind[pi] = "similar-subject"
        }
        for (pi, p) in oldReports.enumerated() where pairOf[pi] == nil {
            let files = Set(p.files.map(\.path))
            guard !files.isEmpty else { continue }
            var best: (Int, Double)?
            for j in newPatches.indices where !used.contains(j) {
                let nf = Set(newPatches[j].report.files.map(\.path))
                let score = Double(files.intersection(nf).count) / Double(files.union(nf).count)
                if score >= 0.5, score > (best?.1 ?? 0) { best = (j, score) }
            }
            if let best { pairOf[pi] = best.0; used.insert(best.0); matchKind[pi] = "files" }
        }

        for (pi, p) in oldReports.enumerated() {
            guard let omi = os.patches.compactMap({ $0 }).first(where: { threads.messages[$0].messageID == p.message.messageID }) else { continue }
            let (oldPatch, oldText) = patchSource(omi)
            var pr = PatchRevision(index: p.index, title: p.title, patchID: PatchID.stable(oldText))
            let counterpart = pairOf[pi].map { newPatches[$0] }
            if let c = counterpart {
                pr.nextIndex = c.report.index
                pr.nextTitle = c.report.title
                pr.matchedBy = matchKind[pi]
                pr.nextPatchID = PatchID.stable(patchSource(c.mi).text)
                pr.unchanged = pr.patchID != nil && pr.patchID == pr.nextPatchID
                if !c.patch.notes.isEmpty { pr.nextNotes = SafeText.truncated(c.patch.notes, 2000) }
                if pr.unchanged {
                    let own = threads.messages[c.mi].trailers
                    pr.carriedTrailers = p.trailers.filter { t in
                        TrailerConditions.isStatusTrailer(t.key)
                            && !own.contains { $0.key.lowercased() == t.key.lowercased() && ($0.person?.email.lowercased() ?? $0.value) == (t.person?.email?.lowercased() ?? t.value) }
                            && !c.report.trailers.contains { $0.isSameTrailer(as: t) }
                    }
                }
                if builder.revisions.interdiff {
                    pr.interdiff = Self.interdiff(oldPatch, c.patch, limit: builder.revisions.maxInterdiffLines)
                }
            }
            rev.patches.append(pr)

            // Remarks.
            let notes = counterpart.map { n in n.patch.notes.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                + Changelog.messageSection(n.patch.commitMessage) } ?? []
            let patchChangelog = Changelog.section(notes.filter { !$0.isEmpty }, version: nextVersion)
                + Changelog.section(changelog, version: nextVersion)
            let messages = counterpart.map { c in
                CommitMessages(oldTitle: p.title, newTitle: c.report.title, oldText: oldPatch.commitMessage, newText: c.patch.commitMessage,
                               oldTrailers: Set(threads.messages[omi].trailers.map { $0.key.lowercased() }),
                               newTrailers: Set(threads.messages[c.mi].trailers.map { $0.key.lowercased() }),
                               oldNotes: oldPatch.notes, newNotes: c.patch.notes)
            }
            let patchChanged = counterpart != nil && (!pr.unchanged || messages?.messageChanged == true)
            for ri in reports[old].patches[pi].remarks.indices {
                let r = reports[old].patches[pi].remarks[ri]
                let status = remarkStatus(r, counterpart: counterpart.map { ($0.patch, $0.report.index) }, all: newPatches.map { ($0.patch, $0.report.index) },
                                          changelog: patchChangelog, nextVersion: nextVersion, messages: messages,
                                          oldPatch: oldPatch, nextDate: nextDate, patchChanged: patchChanged)
                reports[old].patches[pi].remarks[ri].revision = status
                remarkCounts[status.status.rawValue, default: 0] += 1
            }
            // Findings.
            let newFindings = counterpart?.report.openFindings ?? []
            for fi in reports[old].patches[pi].findings.indices where reports[old].patches[pi].findings[fi].change != .fixed {
                let f = reports[old].patches[pi].findings[fi]
                let same = newFindings.first { Self.sameFinding(f, $0) }
                let status: FindingRevision.Status = same == nil ? .fixed : .stillPresent
                reports[old].patches[pi].findings[fi].revision = FindingRevision(status: status, otherVersion: nextVersion, otherLine: same?.line)
                findingCounts[status.rawValue, default: 0] += 1
            }
            if let c = counterpart, let npi = reports[new].patches.firstIndex(where: { $0.message.messageID == c.report.message.messageID }) {
                let oldFindings = reports[old].patches[pi].openFindings
                for fi in reports[new].patches[npi].findings.indices where reports[new].patches[npi].findings[fi].change != .fixed {
                    let f = reports[new].patches[npi].findings[fi]
                    let before = oldFindings.first { Self.sameFinding($0, f) }
                    reports[new].patches[npi].findings[fi].revision = FindingRevision(status: before == nil ? .new : .stillPresent,
                                                                                      otherVersion: os.version, otherLine: before?.line)
                }
            }
        }
        // Cover-letter remarks: only the changelog and the author's replies tell.
        if var cover = reports[old].coverLetter {
            for ri in cover.remarks.indices {
                let r = cover.remarks[ri]
                let s = remarkStatus(r, counterpart: nil, all: [], changelog: Changelog.section(changelog, version: nextVersion), nextVersion: nextVersion, isCover: true)
                cover.remarks[ri].revision = s
                remarkCounts[s.status.rawValue, default: 0] += 1
            }
            reports[old].coverLetter = cover
        }
        rev.addedInNext = newPatches.indices.filter { !used.contains($0) }.map { newPatches[$0].report.title }
        rev.remarkCounts = remarkCounts
        rev.findingCounts = findingCounts
        reports[old].revision = rev
    }

    /// Same finding in two revisions: rule, file, function and subject, and the same text on the
    /// main line when both show it (line numbers are not compared).
    static func sameFinding(_ a: FindingReport, _ b: FindingReport) -> Bool {
        guard a.rule == b.rule, a.file == b.file, a.function == b.function, a.subject == b.subject else { return false }
        let ta = a.code.first(where: { $0.isMarked && $0.label == nil })?.text ?? a.code.first(where: \.isMarked)?.text
        let tb = b.code.first(where: { $0.isMarked && $0.label == nil })?.text ?? b.code.first(where: \.isMarked)?.text
        if let ta, let tb, RevisionLookup.normalize(ta) != RevisionLookup.normalize(tb) {
            // The main line moved or changed, but the same rule on the same object in the same
            // function is the same finding unless another one of the old version matches better.
            return a.message == b.message
        }
        return true
    }

    /// What became of one remark in vN+1.
    func remarkStatus(_ r: RemarkReport, counterpart: (Patch, Int?)?, all: [(Patch, Int?)], changelog: [String],
                      nextVersion: Int, isCover: Bool = false, messages: CommitMessages? = nil,
                      oldPatch: Patch? = nil, nextDate: Date? = nil, patchChanged: Bool = false) -> RemarkRevision {
        let answer = r.answers.first { $0.isAuthor }
        let words = Changelog.identifiers(r.text)
        var renamed: String?
        func finish(_ status: RemarkRevision.Status, _ evidence: String, _ detail: String, index: Int?,
                    old: [CodeLine] = [], new: [CodeLine] = []) -> RemarkRevision {
            var s = status, e = evidence, d = detail
            var mention: String?
            if status == .notAddressed || status == .undetermined, let m = Changelog.mention(of: words, in: changelog) {
                s = .addressed; e = "changelog"; mention = m
                d = "the v\(nextVersion) changelog names " + words.sorted().filter { BuildState.names(m, word: $0) }.map { "`\($0)`" }.joined(separator: ", ")
                    + (status == .notAddressed ? " (the lines themselves are unchanged)" : "")
            } else if status == .notAddressed || status == .undetermined, let oldPatch, let next = counterpart?.0,
                      let call = Sketch.adoptedCall(in: r.text, old: oldPatch, new: next) {
                s = .addressed; e = "sketch-adopted"
                d = "the remark's code sketch calls `\(call)()`, which v\(nextVersion) adds"
            } else if status == .notAddressed || status == .undetermined, let answer, patchChanged, answer.agrees == true {
                // The author said they would make the change, and vN+1's patch is not vN's.
                s = .addressed; e = "author-agreed"
                d = "the author agreed (“\(SafeText.truncated(answer.excerpt, 80))”) and the v\(nextVersion) patch differs"
                    + (status == .notAddressed ? " (the lines themselves are unchanged)" : "")
            } else if status == .notAddressed || status == .undetermined, answer != nil {
                s = .answered; e = "author-replied"
                d = (status == .notAddressed ? "the lines are unchanged; " : "") + "the author replied"
            }
            if let renamed { d += " (the file is `\(renamed)` in v\(nextVersion))" }
            return RemarkRevision(status: s, nextVersion: nextVersion, nextIndex: index, evidence: e, detail: d,
                                  oldLines: old, newLines: new, changelog: mention, answer: answer)
        }
        // A remark sent after vN+1 was: vN+1 could not answer it.
        if let said = r.message.date, let nextDate, said > nextDate {
            if let answer {
                return RemarkRevision(status: .answered, nextVersion: nextVersion, nextIndex: counterpart?.1, evidence: "after-next-revision",
                                      detail: "made after v\(nextVersion) was sent; the author replied", answer: answer)
            }
            return RemarkRevision(status: .undetermined, nextVersion: nextVersion, nextIndex: counterpart?.1, evidence: "after-next-revision",
                                  detail: "made after v\(nextVersion) was sent")
        }
        guard r.target == .line, let file = r.file, let marked = r.code.firstIndex(where: \.isMarked) else {
            if !isCover && counterpart == nil {
                return finish(.gone, "patch-gone", "the patch is not in v\(nextVersion)", index: nil)
            }
            if let messages {
                // A trailer or notes asked for and added first; then the quoted message lines; then
                // what the remark's words say of the message.
                let byWords = messages.status(of: r.text, nextVersion: nextVersion)
                let asked = byWords.map { $0.1 == "trailer-added" || $0.1 == "notes-added" } ?? false
                // The quoted message lines only when the author did not answer: a question on the
                // message that the author explained is answered, whatever else the message changed.
                let quoted = answer == nil ? messages.quotedStatus(r.context, nextVersion: nextVersion) : nil
                if let (status, evidence, detail) = asked ? byWords : quoted ?? byWords {
                    return finish(status, evidence, detail, index: counterpart?.1)
                }
            }
            return finish(.undetermined, "nothing", "a remark on the patch as a whole", index: counterpart?.1)
        }
        // Where vN+1 has the file: the counterpart first, then the other patches of vN+1 (a change
        // may move to another patch of the series); a file renamed between the revisions (the
        // counterpart's one file in the same folder, with the same extension, that vN's patch does
        // not have) when no patch has the path.
        var targets: [(FilePatch, Int?)] = []
        if let (p, k) = counterpart { targets += p.files.filter { $0.path == file || $0.oldPath == file }.map { ($0, k) } }
        for (p, k) in all where k != counterpart?.1 || counterpart == nil {
            targets += p.files.filter { $0.path == file || $0.oldPath == file }.map { ($0, k) }
        }
        if targets.isEmpty, let (p, k) = counterpart {
            let oldFiles = Set(oldPatch?.files.map(\.path) ?? [])
            let candidates = p.files.filter { f in
                !oldFiles.contains(f.path) && RevisionLookup.folder(f.path) == RevisionLookup.folder(file)
                    && RevisionLookup.fileExtension(f.path) == RevisionLookup.fileExtension(file)
            }
            if candidates.count == 1 { targets = [(candidates[0], k)]; renamed = candidates[0].path }
        }
        let removedSide = r.code[marked].kind == .removed
        // The remark's lines: its line in vN's patch with up to two lines above and two below it in
        // the same hunk, on its side (the quote may skip lines; the patch does not). Without the
        // line in the patch (an approximate remark), the quoted lines.
        func sameSide(_ kind: CodeLine.Kind) -> Bool { removedSide ? kind != .added : kind != .removed }
        var window: [CodeLine] = []
        var markedAt = 0
        // The remark's function: as the revision lookup reads vN's patch when the line is found
        // there (the same reading as vN+1's), else as the review placed it.
        var function = r.function
        if let oldFile = oldPatch?.files.first(where: { $0.path == file || $0.oldPath == file }),
           let (hunk, at) = RevisionLookup.locate(oldFile, newLine: removedSide ? nil : r.newLine, oldLine: removedSide ? r.oldLine : nil,
                                                 text: r.code[marked].text) {
            let lines = oldFile.hunks[hunk].lines.map { RevisionLookup.codeLine($0, marked: false) }
            var above: [CodeLine] = [], below: [CodeLine] = []
            var i = at - 1
            while i >= 0, above.count < 2 { if sameSide(lines[i].kind) { above.insert(lines[i], at: 0) }; i -= 1 }
            i = at + 1
            while i < lines.count, below.count < 2 { if sameSide(lines[i].kind) { below.append(lines[i]) }; i += 1 }
            var m = lines[at]; m.isMarked = true
            window = above + [m] + below
            markedAt = above.count
            function = FunctionFinder.functions(in: oldFile, hunk: hunk)[at]
        } else {
            var above: [CodeLine] = [], below: [CodeLine] = []
            var i = marked - 1
            while i >= 0, above.count < 2 { if sameSide(r.code[i].kind) { above.insert(r.code[i], at: 0) }; i -= 1 }
            i = marked + 1
            while i < r.code.count, below.count < 2 { if sameSide(r.code[i].kind) { below.append(r.code[i]) }; i += 1 }
            window = above + [r.code[marked]] + below
            markedAt = above.count
        }
        let old = window
        guard !targets.isEmpty else {
            if counterpart == nil { return finish(.gone, "patch-gone", "the patch is not in v\(nextVersion), nor `\(file)` in another patch", index: nil, old: old) }
            return finish(.gone, "file-gone", "`\(file)` is in no patch of v\(nextVersion)", index: counterpart?.1, old: old)
        }
        // Blank lines left out; the key line is the marked one, or when it is too plain to place
        // (`}`, `return 0;`) the nearest plainer-not line above it, else below it.
        var keys: [String] = []
        var keyMarked = 0
        for (wi, l) in window.enumerated() {
            let k = RevisionLookup.normalize(l.text)
            if wi == markedAt { keyMarked = keys.count }
            if !k.isEmpty { keys.append(k) }
        }
        var keyAt = min(keyMarked, max(0, keys.count - 1))
        if keys.isEmpty || RevisionLookup.isPlain(keys[keyAt]) {
            let before = keys.indices.filter { $0 < keyMarked && !RevisionLookup.isPlain(keys[$0]) }.last
            let after = keys.indices.first { $0 >= keyMarked && !RevisionLookup.isPlain(keys[$0]) }
            if let k = before ?? after { keyAt = k }
        }
        guard !keys.isEmpty else {
            return finish(.undetermined, "nothing", "the remark's line is blank", index: targets[0].1, old: old)
        }
        let key = keys[keyAt]
        let oldNumber = removedSide ? r.oldLine : r.newLine
        // The first vN+1 file (in the order above) that has the key line.
        for (nf, nk) in targets {
            let image = RevisionLookup.image(nf, new: !removedSide)
            let hits = image.indices.filter { image[$0].key == key }
            guard !hits.isEmpty else { continue }
            func distance(_ h: Int) -> Int {
                let l = image[h].line
                return abs(((removedSide ? l.oldLine : l.newLine) ?? 0) - (oldNumber ?? 0))
            }
            let inFunction = hits.filter { function == nil || image[$0].function == function }
            let pool = inFunction.isEmpty ? hits : inFunction
            let best = pool.min { (distance($0), $0) < (distance($1), $1) } ?? hits[0]
            let found = image[best]
            let newShown = RevisionLookup.around(nf, hunk: found.hunk, line: found.line, before: 2)
            if inFunction.isEmpty, let function {
                return finish(.addressed, "moved-out-of-function",
                              "the line is in `\(found.function.map { $0 + "()" } ?? "another place")` in v\(nextVersion), no longer in `\(function)()`",
                              index: nk, old: old, new: newShown)
            }
            // The lines around it, in a row in the same hunk (blank lines skipped).
            var same = true
            var k = keyAt - 1, h = best - 1
            while k >= 0 {
                guard h >= 0, image[h].hunk == found.hunk, image[h].key == keys[k] else { same = false; break }
                k -= 1; h -= 1
            }
            k = keyAt + 1; h = best + 1
            while same, k < keys.count {
                // The vN+1 hunk may end before the remark's lines do: what it does not show is not a change.
                guard h < image.count, image[h].hunk == found.hunk else { break }
                guard image[h].key == keys[k] else { same = false; break }
                k += 1; h += 1
            }

            if !same {
                return finish(.addressed, "lines-changed", "the line is there, the lines around it changed", index: nk, old: old, new: newShown)
            }
            if removedSide, found.line.kind != .removed {
                return finish(.addressed, "removal-dropped", "v\(nextVersion) keeps the line the remark is on", index: nk, old: old, new: newShown)
            }
            if !removedSide, window[markedAt].kind == .added, found.line.kind == .context {
                // The line vN added is context in vN+1: an earlier patch of vN+1 adds it. The same code.
                return finish(.notAddressed, "lines-unchanged", "the same lines are in v\(nextVersion) (as context)", index: nk, old: old, new: newShown)
            }
            return finish(.notAddressed, removedSide ? "still-removed" : "lines-unchanged",
                          removedSide ? "v\(nextVersion) removes the same lines" : "the same lines are in v\(nextVersion)",
                          index: nk, old: old, new: newShown)
        }
        // No vN+1 file has the line: changed when its function is still changed there, else gone.
        if let function {
            for (nf, nk) in targets where RevisionLookup.functions(nf).contains(function) {
                var shown: [CodeLine] = []
                if let h = nf.hunks.indices.first(where: { FunctionFinder.functions(in: nf, hunk: $0).contains(function) }) {
                    shown = RevisionLookup.around(nf, hunk: h, line: nil, before: 3)
                }
                return finish(.addressed, removedSide ? "removal-dropped" : "lines-changed",
                              (removedSide ? "v\(nextVersion) no longer removes the line" : "the line is no longer in v\(nextVersion)")
                                  + " (`\(function)()` is still changed)", index: nk, old: old, new: shown)
            }
            return finish(.gone, "function-gone", "`\(function)()` is in no hunk of `\(file)` in v\(nextVersion)", index: targets[0].1, old: old)
        }
        return finish(.addressed, removedSide ? "removal-dropped" : "lines-changed",
                      removedSide ? "v\(nextVersion) no longer removes the line" : "the line is no longer in v\(nextVersion)",
                      index: targets[0].1, old: old)
    }

    /// Per file, a diff of the two patches' diff lines (range-diff style: `@@` lines without
    /// numbers, each diff line with its `+`/`-`/` `), under a `diff --git` line naming the file.
    static func interdiff(_ a: Patch, _ b: Patch, limit: Int) -> [String] {
        var paths: [String] = []
        for f in a.files + b.files where !paths.contains(f.path) { paths.append(f.path) }
        func lines(_ f: FilePatch?) -> [String] {
            guard let f else { return [] }
            var out: [String] = []
            for h in f.hunks {
                out.append("@@ " + h.section)
                for l in h.lines {
                    out.append((l.kind == .added ? "+" : l.kind == .removed ? "-" : " ") + l.text)
                }
            }
            return out
        }
        var out: [String] = []
        for p in paths {
            let fa = a.files.first { $0.path == p }, fb = b.files.first { $0.path == p }
            let d = LineDiff.unified(lines(fa), lines(fb), context: 3)
            guard !d.isEmpty else { continue }
            out.append("diff --git a/\(p) b/\(p)" + (fa == nil ? " (only in the new revision)" : fb == nil ? " (only in the old revision)" : ""))
            out += d
            if out.count > limit {
                out = Array(out.prefix(limit))
                out.append("[… interdiff cut at \(limit) lines]")
                break
            }
        }
        return out
    }
}
