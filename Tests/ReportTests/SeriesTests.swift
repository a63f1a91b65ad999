import Foundation
import Testing
import Mailbox
@testable import Report

/// A v2 series: cover letter, two patches, an ack on the cover, a review on patch 2 and its answer.
@Suite struct SeriesTests {
    static func mail(_ from: String, _ subject: String, _ id: String, _ parent: String?, _ date: String, _ body: String) -> String {
        var h = "From x@x Mon Jan  1 00:00:00 2024\nFrom: \(from)\nSubject: \(subject)\nDate: \(date)\nMessage-ID: <\(id)>\n"
        if let parent { h += "In-Reply-To: <\(parent)>\nReferences: <cover@x> <\(parent)>\n" }
        return h + "Content-Type: text/plain; charset=UTF-8\n\n" + body + "\n"
    }
    static func patchBody(_ n: Int) -> String {
        """
        Change \(n).

        Signed-off-by: Ann Author <ann@x.org>
        ---
        diff --git a/lib/f\(n).c b/lib/f\(n).c
        --- a/lib/f\(n).c
        +++ b/lib/f\(n).c
        @@ -1,3 +1,4 @@ int f\(n)(void)
         {
        +\tint x = \(n);
         \treturn 0;
         }
        """
    }
    static let mbox = [
        mail("Ann Author <ann@x.org>", "[PATCH v2 0/2] lib: two fixes", "cover@x", nil, "Mon, 1 Jan 2024 10:00:00 +0000", "Two small fixes.\n"),
        mail("Ann Author <ann@x.org>", "[PATCH v2 1/2] lib: fix f1", "p1@x", "cover@x", "Mon, 1 Jan 2024 10:00:01 +0000", patchBody(1)),
        mail("Ann Author <ann@x.org>", "[PATCH v2 2/2] lib: fix f2", "p2@x", "cover@x", "Mon, 1 Jan 2024 10:00:02 +0000", patchBody(2)),
        mail("Rob Reviewer <rob@x.org>", "Re: [PATCH v2 0/2] lib: two fixes", "ack@x", "cover@x", "Tue, 2 Jan 2024 09:00:00 +0000",
             "On Mon, Ann Author wrote:\n> Two small fixes.\n\nFor the series:\nReviewed-by: Rob Reviewer <rob@x.org>\n"),
        mail("Tess Tester <tess@x.org>", "Re: [PATCH v2 2/2] lib: fix f2", "rev@x", "p2@x", "Tue, 2 Jan 2024 10:00:00 +0000",
             "On Mon, Ann Author wrote:\n> @@ -1,3 +1,4 @@ int f2(void)\n>  {\n> +\tint x = 2;\n\nWhy is x unused here? It looks like a leftover.\n\nTested-by: Tess Tester <tess@x.org> # on arm64, if you drop x\n"),
        mail("Ann Author <ann@x.org>", "Re: [PATCH v2 2/2] lib: fix f2", "ans@x", "rev@x", "Tue, 2 Jan 2024 11:00:00 +0000",
             "On Tue, Tess Tester wrote:\n> Why is x unused here? It looks like a leftover.\n\nIt is: I will drop it in v3.\n"),
    ].joined()

    let report: ReviewReport
    init() {
        let contents = MailReader.parse(Array(Self.mbox.utf8), name: "series.mbox")
        report = ReportBuilder().build(input: "series.mbox", threads: ThreadSet(messages: contents.messages))
    }

    @Test func seriesWithCoverLetter() throws {
        #expect(report.series.count == 1)
        let s = report.series[0]
        #expect(s.title == "lib: two fixes" && s.version == 2 && s.total == 2)
        #expect(s.coverLetter?.source == .coverLetter)
        #expect(s.patches.map(\.title) == ["lib: fix f1", "lib: fix f2"])
        #expect(s.patches.map(\.index) == [1, 2])
        #expect(s.timeline.map(\.kind) == [.coverLetter, .patch, .patch, .reply, .reply, .reply])
    }

    @Test func coverLetterTrailersApplyToEveryPatch() throws {
        let s = report.series[0]
        #expect(s.coverLetter?.trailers.map(\.key) == ["Reviewed-by"])
        for p in s.patches {
            let t = try #require(p.trailers.first { $0.key == "Reviewed-by" })
            #expect(t.fromCoverLetter && !t.isConditional)
            #expect(t.person?.name == "Rob Reviewer")
        }
        #expect(s.patches[0].trailers.count == 1)
        // "For the series:" is not a condition; a `# …` comment on the trailer can be one.
        let tested = try #require(s.patches[1].trailers.first { $0.key == "Tested-by" })
        #expect(tested.givenIn.messageID == "rev@x" && !tested.fromCoverLetter)
        #expect(tested.isConditional && tested.condition == "on arm64, if you drop x")
        #expect(s.coverLetter?.remarks.isEmpty == true)
    }

    @Test func remarkOnPatchTwoAnsweredByTheAuthor() throws {
        let p = report.series[0].patches[1]
        #expect(p.remarks.count == 1)
        let r = try #require(p.remarks.first)
        #expect(r.file == "lib/f2.c" && r.newLine == 2 && r.function == "f2")
        #expect(r.answers.map(\.excerpt) == ["It is: I will drop it in v3."])
        #expect(r.answers.first?.isAuthor == true)
        #expect(p.questions.map(\.text) == ["Why is x unused here?"])
        #expect(p.questions.first?.isAnswered == true)
        #expect(report.series[0].patches[0].remarks.isEmpty)
    }

    @Test func markdownHasOneSectionPerPatch() throws {
        let md = MarkdownRenderer().render(report)
        expectGolden(md, "series.md")
        guard let doc = try CMark.parse(md) else { return }
        #expect(doc.all("heading").map { "\($0.attributes["level"] ?? "") \($0.plainText)" } == [
            "1 lib: two fixes",
            "2 Cover letter: lib: two fixes", "3 Status", "3 Review remarks",
            "2 [1/2] lib: fix f1", "3 Status", "3 The patch", "3 Review remarks", "3 Rule findings",
            "2 [2/2] lib: fix f2", "3 Status", "3 The patch", "3 Review remarks", "4 lib/f2.c", "3 Rule findings", "3 Open questions",
            "2 Thread timeline"])
        #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
    }
}

@Suite struct TextAnalysisTests {
    static func cond(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let t = lines.firstIndex { $0.hasPrefix("Acked-by:") || $0.hasPrefix("Reviewed-by:") } ?? 0
        return TrailerConditions.condition(body: lines, trailerLine: t)
    }

    @Test func conditions() {
        #expect(Self.cond("With the one little thing I commented on below addressed:\nAcked-by: A <a@b>") ==
                "With the one little thing I commented on below addressed:")
        #expect(Self.cond("With the nit fixed,\nReviewed-by: A <a@b>") == "With the nit fixed,")
        #expect(Self.cond("If you fix the typo in the subject, feel free to add\nReviewed-by: A <a@b>") ==
                "If you fix the typo in the subject, feel free to add")
        #expect(Self.cond("Reviewed-by: A <a@b>\n(assuming the lock is dropped as discussed)") ==
                "(assuming the lock is dropped as discussed)")
        #expect(Self.cond("Feel free to add:\nReviewed-by: A <a@b>") == nil)
        #expect(Self.cond("For the series:\nReviewed-by: A <a@b>") == nil)
        #expect(Self.cond("Looks good.\n\nReviewed-by: A <a@b>") == nil)
        #expect(Self.cond("> If you fix it\nReviewed-by: A <a@b>") == nil)
        #expect(Self.cond("Modulo the comment above:\nAcked-by: A <a@b>\nReviewed-by: A <a@b>") == "Modulo the comment above:")
    }

    @Test func questions() {
        #expect(Questions.find(in: "Could this race, e.g. with release? I doubt it.\nWhy not set it up before setting the mask?") ==
                ["Could this race, e.g. with release?", "Why not set it up before setting the mask?"])
        #expect(Questions.find(in: "No question here.\n\n\tif (x?y:z)\n> quoted?") == [])
        #expect(Questions.find(in: "Is it\nwrapped? Yes.") == ["Is it wrapped?"])
        #expect(Questions.find(in: "vfio_ap_mdev_remove()... Any objections?") == ["vfio_ap_mdev_remove()... Any objections?"])
    }

    @Test func quoteKeysIgnoreWrappingAndMarkers() {
        #expect(QuoteMatch.normalize("> Why is x\n>  unused?") == QuoteMatch.normalize("Why is x unused?"))
        #expect(QuoteMatch.key(String(repeating: "ab ", count: 100)).count == 80)
    }
}
