// Review text copied from a web archive (no line breaks, no headers): recognised among the input's
// messages and replaced by a message re-segmented into lines (Review's `Flattened`), aligned with
// the original patch when the input holds it.
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
        var any: Bool { !notes.isEmpty }
    }

    /// Re-segments the flattened messages of `messages`; the others are kept as they are.
    static func resegment(_ messages: [Message], inputName: String) -> Outcome {
        var out = Outcome(messages: messages)
        let flat = messages.indices.filter { Flattened.isFlattened(messages[$0]) }
        guard !flat.isEmpty else { return out }
        // The original patch, when the input holds one (a patch mail beside the copied reply).
        var original: Patch? = nil
        for (i, m) in messages.enumerated() where !flat.contains(i) && !m.subjectInfo.isReply {
            let p = PatchParser.parse(m.body)
            if !p.files.isEmpty { original = p; break }
        }
        for i in flat {
            let r = Flattened.resegment(messages[i].body, original: original)
            var m = Flattened.message(r, index: messages[i].index)
            m.offset = messages[i].offset
            out.messages[i] = m
            out.notes.append("\(inputName): " + (flat.count > 1 ? "message \(i + 1): " : "") + r.summary)
            if !r.usedOriginal { out.uncertain = true }
        }
        return out
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
