import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// Figures of the corpus check for one list.
struct CorpusFigures: CustomStringConvertible {
    var replies = 0
    /// Remarks found in replies that have an original patch.
    var remarks = 0
    /// Attached to a quoted diff line.
    var attached = 0
    /// Whose quoted line was found in the original patch.
    var inOriginal = 0
    /// Of those, the reconstruction claimed exact numbers (counted from the header or from the hunk's end)…
    var certain = 0
    /// …and they agree with the original.
    var certainAgreeing = 0
    /// Numbers after an interruption (a guess) or unknown: alignment supplied them.
    var realigned = 0
    /// Guessed numbers that happened to be right.
    var guessedRight = 0
    /// Attached remarks whose quoted line is not in the original.
    var unmatched = 0
    /// Independent check of what a user sees: the final numbers point at a line of the original
    /// patch (same file, same side) whose text is the quoted text.
    var finalChecked = 0
    var finalAgreeing = 0
    var description: String {
        let pct = certain == 0 ? 100 : Double(certainAgreeing) * 100 / Double(certain)
        return "replies \(replies), remarks \(remarks), attached \(attached), in original \(inOriginal), "
            + "reconstructed exactly \(certain), agreeing \(certainAgreeing) (\(String(format: "%.1f", pct))%), "
            + "realigned \(realigned) (guess was right \(guessedRight)), unmatched \(unmatched); "
            + "final numbers point at the quoted text in the original: \(finalAgreeing)/\(finalChecked)"
    }
}

@Suite struct CorpusTests {
    @Test func remarksAgreeWithTheOriginalPatch() throws {
        let lists = corpusRoot.appendingPathComponent("lists")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else {
            print("corpus check skipped: no corpus at \(lists.path)")
            return
        }
        var total = CorpusFigures()
        for list in names.sorted() {
            let dir = lists.appendingPathComponent(list).appendingPathComponent("threads")
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            var f = CorpusFigures()
            for file in files.sorted() where file.hasSuffix(".mbox") {
                let messages = try MailReader.read(path: dir.appendingPathComponent(file).path).messages
                var byID: [String: Message] = [:]
                for m in messages { if let id = m.messageID, byID[id] == nil { byID[id] = m } }
                for (msg, an) in zip(messages, ReviewParser.analyzeAll(messages)) where an.alignment != nil {
                    f.replies += 1
                    let thread = ThreadContext(message: msg) { byID[$0] }
                    let original = ReviewParser.originalMessage(for: msg, thread: thread, others: messages).flatMap(ReviewParser.patch(of:))
                    for r in an.remarks {
                        f.remarks += 1
                        guard r.target == .line, let a = r.anchor, a.lineIndex >= 0 else { continue }
                        f.attached += 1
                        if r.unmatched {
                            f.unmatched += 1
                            print("  unmatched: \(list)/\(file) message \(an.messageID ?? "?") body line \(a.bodyLine + 1): \(a.side) \"\(a.text.prefix(60))\"")
                            continue
                        }
                        f.inOriginal += 1
                        if let original {
                            f.finalChecked += 1
                            if originalLine(original, file: a.file, side: a.side, old: a.oldLine, new: a.newLine)
                                .map({ normalized($0) == normalized(a.text) }) == true {
                                f.finalAgreeing += 1
                            } else {
                                print("  final numbers disagree: \(list)/\(file) \(an.messageID ?? "?") \(a.file ?? "?"):\(a.oldLine ?? 0)/\(a.newLine ?? 0) \"\(a.text.prefix(60))\"")
                            }
                        }
                        let line = an.quotedDiff.lines[a.lineIndex]
                        let agrees = a.reconstructedOldLine == a.oldLine && a.reconstructedNewLine == a.newLine
                        if line.numbering == .header || line.numbering == .fromEnd {
                            f.certain += 1
                            if agrees { f.certainAgreeing += 1 } else {
                                print("  \(list)/\(file) message \(an.messageID ?? "?") body line \(a.bodyLine + 1): "
                                      + "reconstructed \(a.reconstructedOldLine ?? 0)/\(a.reconstructedNewLine ?? 0), original \(a.oldLine ?? 0)/\(a.newLine ?? 0)")
                            }
                        } else {
                            f.realigned += 1
                            if agrees { f.guessedRight += 1 }
                        }
                    }
                }
            }
            print("\(list): \(f)")
            #expect(Double(f.certainAgreeing) >= 0.98 * Double(f.certain), "\(list)")
            total.replies += f.replies; total.remarks += f.remarks; total.attached += f.attached
            total.inOriginal += f.inOriginal; total.certain += f.certain; total.certainAgreeing += f.certainAgreeing
            total.realigned += f.realigned; total.guessedRight += f.guessedRight; total.unmatched += f.unmatched
            total.finalChecked += f.finalChecked; total.finalAgreeing += f.finalAgreeing
            #expect(Double(f.finalAgreeing) >= 0.98 * Double(f.finalChecked), "\(list)")
        }
        print("all lists: \(total)")
        guard total.certain > 0 else { return }
        #expect(total.inOriginal == total.certain + total.realigned)
        #expect(Double(total.certainAgreeing) >= 0.98 * Double(total.certain))
    }
}

/// The text of the original patch's line at these numbers, in the file whose path ends like `file`.
private func originalLine(_ patch: Patch, file: String?, side: HunkLine.Kind, old: Int?, new: Int?) -> String? {
    for fp in patch.files where file == nil || fp.path == file || fp.path.hasSuffix("/" + (file ?? "")) || (file ?? "").hasSuffix(fp.path) {
        for h in fp.hunks {
            for l in h.lines where l.kind == side && l.oldLine == old && l.newLine == new { return l.text }
        }
    }
    return nil
}

/// Whitespace-insensitive form of a code line (mail clients turn tabs into spaces).
private func normalized(_ s: String) -> String { String(s.filter { !$0.isWhitespace }) }
