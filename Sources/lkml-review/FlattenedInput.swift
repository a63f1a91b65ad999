// Review text copied from a web archive (no line breaks, no headers): recognised among the input's
// messages and replaced by a message re-segmented into lines (Review's `Flattened`), aligned with
// the original patch when the input holds it.
import Foundation
import Lore
import Mailbox
import Patch
import Report
import Review

enum FlattenedInput {
    struct Outcome {
        var messages: [Message]
        /// One line per flattened message, for standard error and the report's warnings.
        var notes: [String] = []
        /// A flattened message was re-segmented without its original patch: its remarks are uncertain.
        var uncertain = false
        /// Patch mails found in the cache, added to the input.
        var added: [Message] = []
        var any: Bool { !notes.isEmpty }
    }

    /// Re-segments the flattened messages of `messages`; the others are kept as they are. The
    /// original patch is taken from the input, else from the threads in `cacheDirectory`.
    static func resegment(_ messages: [Message], inputName: String, cacheDirectory: String? = nil,
                          readOptions: ReadOptions = ReadOptions()) -> Outcome {
        var out = Outcome(messages: messages)
        let flat = messages.indices.filter { Flattened.isFlattened(messages[$0]) }
        let flatSet = Set(flat)
        guard !flat.isEmpty else { return out }
        // The original patch, when the input holds one (a patch mail beside the copied reply).
        var original: (Patch, Message)? = nil
        for (i, m) in messages.enumerated() where !flatSet.contains(i) && !m.subjectInfo.isReply {
            let p = PatchParser.parse(m.body)
            if !p.files.isEmpty { original = (p, m); break }
        }
        for i in flat {
            var patch = original
            var source = "the input"
            // Without an original, the best segmentation alone: it is also what the cache is searched with.
            var alone: ResegmentedText? = nil
            if patch == nil, let cacheDirectory {
                let r = Flattened.resegment(messages[i].body)
                alone = r
                patch = fromCache(quoting: r, directory: cacheDirectory, readOptions: readOptions)
                source = "the cache"
            }
            let r = patch == nil ? (alone ?? Flattened.resegment(messages[i].body)) : Flattened.resegment(messages[i].body, original: patch?.0)
            var m = Flattened.message(r, index: messages[i].index)
            m.offset = messages[i].offset
            if r.usedOriginal, let (_, pm) = patch {
                // The reply answers that patch mail: the report takes its title, author and date.
                if let id = pm.messageID { m.inReplyTo = id; m.references = [id] }
                if !pm.subject.isEmpty {
                    m.subject = "Re: " + pm.subject
                    m.subjectInfo = SubjectParser.parse(m.subject)
                }
                if source == "the cache", !out.messages.contains(where: { $0.messageID != nil && $0.messageID == pm.messageID }) {
                    var pm = pm
                    pm.index = out.messages.count + out.added.count
                    out.added.append(pm)
                }
            }
            out.messages[i] = m
            out.notes.append("\(inputName): " + (flat.count > 1 ? "message \(i + 1): " : "") + r.summary
                             + (r.usedOriginal ? " (the original patch from \(source))" : ""))
            if !r.usedOriginal { out.uncertain = true }
        }
        out.messages += out.added
        return out
    }

    /// The patch a cached thread holds whose files and hunk headers are those the flattened text
    /// quotes (every quoted hunk found in it); the cache's threads in name order, at most 500,
    /// each up to 64 MiB.
    static func fromCache(quoting r: ResegmentedText, directory: String, readOptions: ReadOptions) -> (Patch, Message)? {
        let quoted = ReviewParser.quotedDiff(of: r.body).hunks.compactMap { h -> String? in
            guard let file = h.file, let o = h.oldStart, let n = h.newStart else { return nil }
            return "\(file) -\(o) +\(n)"
        }
        guard !quoted.isEmpty, let entries = try? ThreadCache(directory: directory).list() else { return nil }
        let wanted = Set(quoted)
        for e in entries.sorted(by: { $0.path < $1.path }).prefix(500) where e.size <= 64 << 20 {
            guard let messages = try? MailReader.read(path: e.path, options: readOptions).messages else { continue }
            for m in messages where !m.subjectInfo.isReply && PatchParser.containsDiff(m.body) {
                let p = PatchParser.parse(m.body)
                var have: Set<String> = []
                for f in p.files { for h in f.hunks { have.insert("\(f.path) -\(h.oldStart) +\(h.newStart)") } }
                if wanted.isSubset(of: have) { return (p, m) }
            }
        }
        return nil
    }

    /// The report says the input was re-segmented; without the original, the remarks of the
    /// re-segmented messages (they have no Message-ID) are marked approximate.
    static func annotate(_ report: inout ReviewReport, _ outcome: Outcome) {
        guard outcome.any else { return }
        report.warnings.append(contentsOf: outcome.notes)
        guard outcome.uncertain else { return }
        for s in report.series.indices {
            for p in report.series[s].patches.indices {
                for r in report.series[s].patches[p].remarks.indices where report.series[s].patches[p].remarks[r].message.messageID == nil {
                    report.series[s].patches[p].remarks[r].isApproximate = true
                }
            }
        }
    }
}
