import Foundation
import Testing
import Mailbox
import Rules
@testable import Report

/// `review --format reply` on a series: a reply to the cover letter when the series has remarks of
/// its own (a finding patch 1 brings in and patch 2 takes out), none otherwise.
@Suite struct CoverReplyTests {
    static func mail(_ subject: String, _ id: String, _ parent: String?, _ body: String) -> String {
        var h = "From x@x Mon Jan  1 00:00:00 2024\nFrom: Ann Author <ann@x.org>\nTo: list@x.org\nSubject: \(subject)\n"
        h += "Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <\(id)>\n"
        if let parent { h += "In-Reply-To: <\(parent)>\nReferences: <\(parent)>\n" }
        return h + "\n" + body + "\n"
    }

    static let head = "Signed-off-by: Ann Author <ann@x.org>\n---\ndiff --git a/lib/f.c b/lib/f.c\n--- a/lib/f.c\n+++ b/lib/f.c\n"
    /// Patch 1 returns with the lock held; patch 2 turns the return into a goto to the unlock.
    static let leak = "Change 1.\n\n" + head + "@@ -1,7 +1,9 @@\n int f(struct s *s)\n {\n \tmutex_lock(&s->lock);\n"
        + "+\tif (s->bad)\n+\t\treturn -EINVAL;\n \ts->x = 1;\n \tmutex_unlock(&s->lock);\n \treturn 0;\n }\n"
    static let fix = "Change 2.\n\n" + head + "@@ -1,9 +1,10 @@\n int f(struct s *s)\n {\n \tmutex_lock(&s->lock);\n"
        + " \tif (s->bad)\n-\t\treturn -EINVAL;\n+\t\tgoto out;\n \ts->x = 1;\n+out:\n \tmutex_unlock(&s->lock);\n \treturn 0;\n }\n"

    static func replies(_ mbox: String) -> (texts: [String], report: ReviewReport) {
        let messages = MailReader.parse(Array(mbox.utf8)).messages
        var builder = ReportBuilder()
        builder.seriesFindings = RuleFindings.seriesSource(engine: RuleEngine(), trees: TreeSource(root: nil))
        let report = builder.build(input: "x", threads: ThreadSet(messages: messages))
        return (report.series.flatMap { ReplyRenderer(messages: messages).replies(to: $0) }, report)
    }

    @Test func coverLetterGetsTheSeriesRemark() throws {
        let mbox = Self.mail("[PATCH 0/2] lib: f", "c@x", nil, "Two.\n") + Self.mail("[PATCH 1/2] lib: one", "p1@x", "c@x", Self.leak)
            + Self.mail("[PATCH 2/2] lib: two", "p2@x", "c@x", Self.fix)
        let (texts, report) = Self.replies(mbox)
        #expect(report.series.first?.patches.first?.findings.first?.fixedInPatch == 2)
        try #require(texts.count == 2)
        let cover = texts[0]
        #expect(cover.hasPrefix("Subject: Re: [PATCH 0/2] lib: f\n"))
        #expect(cover.contains("\nIn-Reply-To: <c@x>\n"))
        let prose = cover.replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("Patch 1/2 brings in what patch 2/2 takes out again. Warning (lock-balance):"))
        #expect(prose.contains("In f() of lib/f.c."))
        #expect(texts[1].hasPrefix("Subject: Re: [PATCH 1/2] lib: one\n"))
        ReplyTests.checkProse(cover)
    }

    @Test func noCoverReplyWithoutARemarkOfItsOwn() {
        // Both patches leak, nothing is taken out again: replies to the patches only.
        let mbox = Self.mail("[PATCH 0/2] lib: f", "c@x", nil, "Two.\n") + Self.mail("[PATCH 1/2] lib: one", "p1@x", "c@x", Self.leak)
        let (texts, _) = Self.replies(mbox)
        #expect(texts.count == 1 && texts.allSatisfy { !$0.hasPrefix("Subject: Re: [PATCH 0/2]") })
    }
}
