import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// Invariants every analysis must keep, whatever the input.
func checkInvariants(_ body: String, _ an: ReviewAnalysis) {
    let u = Array(body.utf8)
    let lineCount = u.isEmpty ? 0 : u.split(separator: 10, omittingEmptySubsequences: false).count - (u.last == 10 ? 1 : 0)
    #expect(an.blocks.reduce(0) { $0 + $1.lineCount } == lineCount)
    var next = 0
    for b in an.blocks { #expect(b.firstLine == next); next += b.lineCount }
    for r in an.remarks {
        if let a = r.anchor, a.lineIndex >= 0 { #expect(a.lineIndex < an.quotedDiff.lines.count) }
        #expect(r.firstLine >= 0 && r.firstLine + r.lineCount <= lineCount)
    }
    for h in an.quotedDiff.hunks { #expect(h.firstLineIndex + h.lineCount <= an.quotedDiff.lines.count) }
}

@Suite struct RobustnessTests {
    @Test func adversarialBodies() {
        let bodies = [
            "",
            "\n\n\n",
            String(repeating: ">", count: 100_000) + " deep\nok\n",
            String(repeating: "> ", count: 5_000) + "@@ -1,2 +1,2 @@\n",
            String(repeating: "> @@ -1,999999999999 +1,1 @@\n> +x\n", count: 200) + "why\n",
            "> @@ -\n> @@ -1\n> @@ -1,\n> @@ -1,2 +\n> @@ -1,2 +3,\nhm\n",
            String(repeating: "-----Original Message-----\nFrom: A <a@b>\nSent: now\nTo: B\n\ntext\n", count: 100),
            String(repeating: "On Mon,\n", count: 1000) + "X wrote:\n",
            String(repeating: "x", count: 1_000_000) + "\n> +" + String(repeating: "y", count: 100_000) + "\nz\n",
            "> +\u{0}\u{1}\u{7f}\n\u{feff}remark\n> - é ü 中文\r\n\r\nrem\r\n",
            String(repeating: "Acked-by: A <a@b>\nremark\n", count: 2_000),
            String(repeating: "> /**\n> + * x\n", count: 500) + "r\n",
        ]
        for body in bodies {
            let an = ReviewParser.analyze(reply(body), original: probePatch)
            checkInvariants(body, an)
        }
    }

    @Test func mutatedSampleNeverTraps() throws {
        let msg = try loadEML(repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml"))
        var rng = SystemRandomNumberGenerator()
        var bytes = Array(msg.body.utf8)
        let alphabet: [UInt8] = Array(" >|+-@\t\n[].:,<>ab1".utf8)
        for round in 0..<60 {
            for _ in 0..<20 {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng) ?? 0x20
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet.randomElement(using: &rng) ?? 0x20, at: i)
                }
            }
            var m = msg
            m.body = String(decoding: bytes, as: UTF8.self)
            let an = ReviewParser.analyze(m)
            checkInvariants(m.body, an)
            if round % 20 == 0 { bytes = Array(msg.body.utf8) }
        }
    }
}

@Suite struct ThreadTests {
    /// The patch and a reply that deleted lines without a marker: alignment with the patch in the
    /// thread gives the exact line.
    @Test func originalFromTheThread() throws {
        let patchBody = "foo: use devm\n\nSigned-off-by: Dev <dev@example.org>\n---\n drivers/foo/foo.c | 9 +++++++--\n\n"
            + (probeHeader + probeLines).joined(separator: "\n") + "\n-- \n2.30.0\n"
        let patchMsg = message(from: "Dev <dev@example.org>", id: "p1@x", parent: nil, body: patchBody)
        let replyBody = "On Mon, 1 Mar 2021, Dev <dev@example.org> wrote:\n" + quoted(probeHeader + Array(probeLines[0..<3]))
            + "\n\nfirst\n\n" + quoted(Array(probeLines[8...9])) + "\n\nsecond\n"
        let r = reply(replyBody, id: "r1@x", parent: "p1@x")
        let an = ReviewParser.analyze(r, in: [patchMsg, r])
        #expect(an.alignment == AlignmentSummary(quotedLines: 5, matchedLines: 5, agreeingLines: 3))
        // the first remark follows a quoted blank context line: it answers the line above it
        #expect(an.remarks.map { $0.anchor?.newLine } == [41, 48])
        #expect(an.remarks.map { $0.anchor?.numbering } == [.aligned, .aligned])
        #expect(an.remarks[1].anchor?.reconstructedNewLine == 44)
        #expect(an.remarks[1].anchor?.function == "foo_probe")
        #expect(an.author(ofDepth: 1)?.source == .both)
        let all = ReviewParser.analyzeAll([patchMsg, r])
        #expect(all.count == 2 && all[0].alignment == nil && all[1].remarks.count == 2)
        // the same-subject fallback when the parent is missing
        let orphan = reply(replyBody, id: "r2@x", parent: "missing@x")
        #expect(ReviewParser.originalMessage(for: orphan, thread: ThreadContext(), others: [patchMsg])?.messageID == "p1@x")
    }
}
