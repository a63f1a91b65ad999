// Earlier revisions a series names: b4 writes `- Link to v2: https://lore.kernel.org/r/<id>` at
// the end of a cover letter's changelog, and authors write `v1: https://lore.kernel.org/…/<id>/`
// or `Link: …` there by hand. `lkml-review ID` fetches those threads too, so that the report can
// follow the earlier revisions' remarks into the newest one. b4 also writes the series'
// `change-id:` in the cover letter (or the single patch); a public-inbox search for it finds the
// revisions no changelog links to (`changeIDs`, `threads(withChangeID:in:)`).
import Foundation
import Mailbox
import Patch

public enum EarlierRevisions {
    /// Links to earlier revisions in the changelogs of the input's cover letters and patch mails
    /// (not replies), in input order, each once: lore, lkml.kernel.org/r and patch.msgid.link URLs
    /// on a changelog line that names a version (`v2`, `Link to v2`) or says `Link:`.
    public static func links(in messages: [Message]) -> [String] {
        var out: [String] = []
        for m in messages {
            let s = m.subjectInfo
            guard !s.isReply, s.isPatch else { continue }
            var lines = Changelog.coverSection(m.body)
            if !s.isCoverLetter { lines += PatchParser.parse(m.body).notes.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } }
            var inVersionList = false
            for line in lines {
                let lower = line.lowercased()
                let namesVersion = lower.range(of: #"(^|[^a-z])v[0-9]{1,3}([^0-9]|$)"#, options: .regularExpression) != nil
                if Changelog.isHeading(line) { inVersionList = true }
                guard namesVersion || lower.contains("link:") || (inVersionList && lower.contains("link")) else { continue }
                for url in urls(in: line) where !out.contains(url) { out.append(url) }
            }
        }
        return out
    }

    /// The `change-id:` of the input's cover letters and patch mails (not replies), as
    /// `RevisionChains.changeID` reads it, in input order, each once.
    public static func changeIDs(in messages: [Message]) -> [String] {
        var out: [String] = []
        for m in messages where !m.subjectInfo.isReply && (m.subjectInfo.isPatch || m.holdsDiff) {
            if let id = RevisionChains.changeID(in: m.body), !out.contains(id) { out.append(id) }
        }
        return out
    }

    /// The messages of the threads whose cover letter or patch mail carries `change-id: <id>`
    /// (a search for the change-id also matches a `prerequisite-change-id:` line or a mention in
    /// prose: those threads are left out), in input order.
    public static func threads(withChangeID id: String, in messages: [Message]) -> [Message] {
        let set = ThreadSet(messages: messages)
        var roots = Set<Int>()
        for (i, m) in set.messages.enumerated() where !m.subjectInfo.isReply && RevisionChains.changeID(in: m.body) == id {
            roots.insert(set.root(ofMessage: i))
        }
        return set.messages.indices.filter { roots.contains(set.root(ofMessage: $0)) }.map { set.messages[$0] }
    }

    /// The lore-style URLs of a line, trailing punctuation cut.
    static func urls(in line: String) -> [String] {
        var out: [String] = []
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "<" || $0 == ">" || $0 == "(" || $0 == ")" }) {
            var w = String(word)
            guard w.hasPrefix("https://") || w.hasPrefix("http://") else { continue }
            while let last = w.last, ".,;:]".contains(last) { w.removeLast() }
            let host = w.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            guard ["lore.kernel.org", "lkml.kernel.org", "patch.msgid.link", "msgid.link"].contains(host), w.contains("@") else { continue }
            out.append(w)
        }
        return out
    }
}
