import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// `analyzeAll` over a set of messages: streaming, options, the shared index of an original patch.
@Suite struct ArchiveTests {
    /// The probe patch, a reply with a snip (only alignment gives its numbers), a plain reply, and a
    /// reply to the first reply.
    func archive() -> [Message] {
        let patchBody = "foo: use devm\n\nSigned-off-by: Dev Author <dev@example.org>\n---\n"
            + (probeHeader + probeLines).joined(separator: "\n") + "\n-- \n2.30.0\n"
        let patch = message(from: "Dev Author <dev@example.org>", id: "p1@x", parent: nil, body: patchBody)
        let snipped = quoted(probeHeader + Array(probeLines[0..<3])) + "\n<snip>\n" + quoted(Array(probeLines[8...9]))
            + "\n\nWhy?\n"
        let r1 = reply(snipped, id: "r1@x", parent: "p1@x")
        let r2 = reply(quoted(probeHeader + Array(probeLines[0..<5])) + "\n\nWhy devm here?\n",
                       from: "Other Reviewer <other@example.org>", id: "r2@x", parent: "p1@x")
        let r3 = reply("On Tue, 2 Mar 2021, Reviewer wrote:\n> Why?\n\nBecause.\n", from: "Dev Author <dev@example.org>",
                       id: "r3@x", parent: "r1@x")
        return [patch, r1, r2, r3]
    }

    @Test func streamingGivesTheSameAnalysesInOrder() throws {
        let ms = archive()
        let all = ReviewParser.analyzeAll(ms)
        var indices: [Int] = []
        var streamed: [ReviewAnalysis] = []
        ReviewParser.analyzeAll(ms) { i, a in indices.append(i); streamed.append(a) }
        #expect(indices == [0, 1, 2, 3])
        #expect(streamed == all)
        // the snipped reply was aligned with the patch found in the set
        #expect(all[1].alignment == AlignmentSummary(quotedLines: 5, matchedLines: 5, agreeingLines: 3))
        let a = try #require(all[1].remarks.first?.anchor)
        #expect(a.numbering == .aligned && a.newLine == 48 && a.oldLine == nil && a.function == "foo_probe")
        // the same as analysing it alone with its thread and original
        let original = try #require(ReviewParser.patch(of: ms[0]))
        #expect(all[1] == ReviewParser.analyze(ms[1], thread: ThreadContext(ancestors: [ms[0]]), original: original))
        // the reply to a reply: its thread is r1 then the patch; it quotes prose only
        #expect(all[3].quoteAuthors.map(\.displayName) == ["Reviewer"])
        #expect(all[3].remarks.map(\.target) == [.patch])
        // the patch itself quotes nothing: its own text is not aligned with anything
        #expect(all[0].alignment == nil && all[0].quotedDiff.lines.isEmpty)
        #expect(all[0].remarks.first?.text == "foo: use devm" && all[0].remarks.first?.target == .message)
    }

    @Test func sharedIndexGivesTheSameAnalysisAsAFreshOne() {
        let index = PatchIndex(probePatch)
        for r in archive().dropFirst() {
            let fresh = ReviewParser.analyze(r, original: probePatch)
            #expect(ReviewParser.analyze(r, alignWith: index) == fresh)
            // a second reply through the same index (functions now cached) still agrees
            #expect(ReviewParser.analyze(r, alignWith: index) == fresh)
        }
        #expect(index.entries.count == probeLines.count)
        #expect(index.filesMatching("foo.c") == [true])
        #expect(index.filesMatching("drivers/bar/foo.c") == [false])
        #expect(index.filesMatching(nil) == [true])
    }

    @Test func noAlignmentAndRepliesOnly() throws {
        let ms = archive()
        var indices: [Int] = []
        var analyses: [ReviewAnalysis] = []
        ReviewParser.analyzeAll(ms, options: AnalyzeOptions(align: false, repliesOnly: true)) { i, a in
            indices.append(i); analyses.append(a)
        }
        #expect(indices == [1, 2, 3])
        #expect(analyses.allSatisfy { $0.alignment == nil })
        // without the original the snipped line has no numbers
        let a = try #require(analyses[0].remarks.first?.anchor)
        #expect(a.numbering == .unknown && a.newLine == nil && a.text == "\tif (ret)")
        // the thread still names the authors
        #expect(analyses[0].quoteAuthors.map(\.displayName) == ["Dev Author"])
        #expect(analyses[0].quoteAuthors.map(\.source) == [.thread])
    }

    @Test func onlyAndTransformKeepInputOrder() {
        var ms = archive()
        for k in 0..<40 {
            ms.append(reply("> quoted \(k)\n\nremark \(k)\n", id: "m\(k)@x", parent: "p1@x"))
        }
        var options = AnalyzeOptions()
        options.batch = 16
        var seen: [String] = []
        ReviewParser.analyzeAll(ms, options: options, transform: { i, a in "\(i) \(a.remarks.first?.text ?? "-")" }) {
            _, text in seen.append(text)
        }
        #expect(seen.count == 44)
        #expect(seen[0] == "0 foo: use devm")
        #expect(seen[2] == "2 Why devm here?")
        #expect(seen[4] == "4 remark 0")
        #expect(seen[43] == "43 remark 39")
        options.only = [2, 43]
        var picked: [Int] = []
        ReviewParser.analyzeAll(ms, options: options) { i, _ in picked.append(i) }
        #expect(picked == [2, 43])
    }
}
