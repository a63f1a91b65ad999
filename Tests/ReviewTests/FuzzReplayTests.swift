// Fuzz harness of the Review module, and the test that replays the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of ReviewTests, and into the libFuzzer target
// `fuzz-review` of `Fuzz/` (linked as its Harness.swift, built with `-D FUZZING`), so a regression
// input is replayed through exactly the code the fuzzer ran. Inputs: `Fuzz/Regressions/review/`.

import Mailbox
import Patch
import Review

enum ReviewFuzzHarness {
    /// Quote structure and remark attribution of a reply body. The input is the body; with a NUL
    /// byte it is `body NUL original-patch`, and the reply is also aligned with that patch. A
    /// thread context (a patch mail above the reply) is given too.
    static func review(_ data: [UInt8]) {
        let nul = data.firstIndex(of: 0)
        let body = String(decoding: nul.map { data[..<$0] } ?? data[...], as: UTF8.self)
        let original = nul.map { PatchParser.parse(Array(data[($0 + 1)...])) }
        let lineCount = body.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }

        let blocks = ReviewParser.blocks(of: body)
        var next = 0
        for b in blocks {
            precondition(b.firstLine >= next && b.lineCount >= 0, "blocks overlap or go back: \(b.firstLine) after \(next)")
            precondition(b.firstLine + b.lineCount <= lineCount, "block beyond the body: \(b.firstLine)+\(b.lineCount) of \(lineCount)")
            next = b.firstLine + b.lineCount
        }
        _ = ReviewParser.quotedDiff(of: body)

        var reply = Message(subject: "Re: [PATCH] fuzz", subjectInfo: SubjectParser.parse("Re: [PATCH] fuzz"),
                            from: Address(name: "Reviewer", email: "r@example.org"), messageID: "reply@fuzz",
                            inReplyTo: "patch@fuzz", references: ["patch@fuzz"], body: body)
        let analysis = ReviewParser.analyze(reply, original: original)
        check(analysis, lineCount: lineCount)

        let patchMail = Message(index: 0, subject: "[PATCH] fuzz", subjectInfo: SubjectParser.parse("[PATCH] fuzz"),
                                from: Address(name: "Author", email: "a@example.org"), messageID: "patch@fuzz",
                                body: original.map { _ in String(decoding: data[(nul! + 1)...], as: UTF8.self) } ?? "")
        reply.index = 1
        let thread = ThreadContext(message: reply) { $0 == "patch@fuzz" ? patchMail : nil }
        check(ReviewParser.analyze(reply, thread: thread, original: original), lineCount: lineCount)
        _ = ReviewParser.analyzeAll([patchMail, reply])
    }

    static func check(_ a: ReviewAnalysis, lineCount: Int) {
        for r in a.remarks {
            precondition(r.firstLine >= 0 && r.lineCount >= 0 && r.firstLine + r.lineCount <= lineCount,
                         "remark lines \(r.firstLine)+\(r.lineCount) outside the body of \(lineCount) lines")
        }
        for l in a.quotedDiff.lines {
            precondition(l.bodyLine >= 0 && l.bodyLine < lineCount, "quoted diff line \(l.bodyLine) outside the body")
        }
        for h in a.quotedDiff.hunks {
            precondition(h.bodyLine >= 0 && h.bodyLine < lineCount, "hunk at body line \(h.bodyLine) outside the body")
        }
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct ReviewFuzzReplayTests {
    @Test func replayReview() {
        FuzzReplay.replay("review", ReviewFuzzHarness.review)
    }
}
#endif
