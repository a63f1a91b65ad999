import Foundation
import Testing
import Mailbox
@testable import Report

/// Issue 16 part 3: --brief, the filters, a trailer given twice counted once, readable Markdown;
/// and the reply headers' RFC 2047 encoding.
@Suite struct BriefTests {
    static let mbox = SeriesTests.mbox + [
        // Rob also acks patch 2 directly: with the cover letter's Reviewed-by that is one each.
        SeriesTests.mail("Rob Reviewer <rob@x.org>", "Re: [PATCH v2 2/2] lib: fix f2", "rob2@x", "p2@x", "Wed, 3 Jan 2024 09:00:00 +0000",
                         "On Mon, Ann Author wrote:\n> Change 2.\n\nReviewed-by: Rob Reviewer <rob@x.org>\nAcked-by: Rob Reviewer <ROB@x.org>\nAcked-by: Rob Reviewer <rob@x.org>\n"),
    ].joined()

    let report: ReviewReport
    init() {
        let contents = MailReader.parse(Array(Self.mbox.utf8), name: "series.mbox")
        report = ReportBuilder().build(input: "series.mbox", threads: ThreadSet(messages: contents.messages))
    }

    // MARK: A trailer given twice counts once

    @Test func trailerGivenTwiceCountsOnce() throws {
        let s = try #require(report.series.first)
        let p2 = s.patches[1]
        #expect(p2.trailers.filter { $0.key == "Reviewed-by" }.count == 1)
        #expect(p2.trailers.filter { $0.key == "Acked-by" }.count == 1)
        // The direct one is kept: it is not only the cover letter's.
        let reviewed = try #require(p2.trailers.first { $0.key == "Reviewed-by" })
        #expect(!reviewed.fromCoverLetter && reviewed.givenIn.messageID == "rob2@x")
        // Patch 1 has only the cover letter's.
        #expect(s.patches[0].trailers.map(\.fromCoverLetter) == [true])
        #expect(MarkdownRenderer.summaryLine(p2).hasPrefix("1 Acked-by, 1 Reviewed-by, 1 Tested-by (1 conditional)"))
    }

    @Test func mergeKeepsTheUnconditionalGiving() {
        let who = Person(name: "Rob", email: "rob@x.org")
        let ref = MessageRef(messageID: "a@x", from: who, date: nil)
        let conditional = TrailerReport(key: "Acked-by", value: "Rob <rob@x.org>", person: who, givenIn: ref, isConditional: true, condition: "if x")
        let plain = TrailerReport(key: "acked-by", value: "Rob <rob@x.org>", person: Person(name: "Robert", email: "ROB@x.org"), givenIn: ref)
        let other = TrailerReport(key: "Reviewed-by", value: "Rob <rob@x.org>", person: who, givenIn: ref)
        let merged = TrailerMerge.merged([conditional, plain, other])
        #expect(merged.count == 2)
        #expect(merged[0].isConditional == false && merged[0].condition == nil)
        // No person: the value as written decides.
        let a = TrailerReport(key: "Acked-by", value: "someone", person: nil, givenIn: ref)
        #expect(TrailerMerge.merged([a, a]).count == 1)
    }

    // MARK: Filters

    @Test func patchNumbersAndDates() throws {
        #expect(try ReportFilter.patchNumbers(["1,3-4", "0"]).get() == [0, 1, 3, 4])
        for bad in ["x", "4-2", "1,,2", "-1", ""] {
            if case .success = ReportFilter.patchNumbers([bad]) { Issue.record("\(bad) accepted") }
        }
        let day = try #require(ReportFilter.date("2024-01-02"))
        #expect(day.timeIntervalSince1970 == 1_704_153_600)
        #expect(ReportFilter.date("2024-01-02T10:00:00Z")?.timeIntervalSince1970 == 1_704_189_600)
        #expect(ReportFilter.date("2024-01-02 12:00+02:00")?.timeIntervalSince1970 == 1_704_189_600)
        for bad in ["2024-13-01", "2024-02-30", "yesterday", "2024-01-02T25:00", "2024-01-02Tfoo", "20240102"] {
            #expect(ReportFilter.date(bad) == nil, "\(bad)")
        }
    }

    @Test func onlyKeepsThePatchesNamed() throws {
        let r = ReportFilter(patches: [2]).apply(report)
        let s = try #require(r.series.first)
        #expect(s.patches.map(\.index) == [2] && s.coverLetter == nil)
        #expect(ReportFilter(patches: [0]).apply(report).series.first?.patches.isEmpty == true)
        #expect(ReportFilter(patches: [7]).apply(report).series.isEmpty)
    }

    @Test func reviewerAndSinceKeepWhatWasSaid() throws {
        let tess = ReportFilter(reviewer: "TESS").apply(report)
        let p2 = try #require(tess.series.first?.patches.last)
        #expect(p2.remarks.count == 1 && p2.trailers.map(\.key) == ["Tested-by"])
        #expect(tess.series.first?.patches.first?.trailers.isEmpty == true)
        #expect(tess.series.first?.timeline.filter { $0.kind == .reply }.map(\.message.from?.name) == ["Tess Tester"])
        let late = ReportFilter(since: ReportFilter.date("2024-01-03")).apply(report)
        let q2 = try #require(late.series.first?.patches.last)
        #expect(q2.remarks.isEmpty && Set(q2.trailers.map(\.key)) == ["Reviewed-by", "Acked-by"])
        #expect(late.series.first?.patches.first?.trailers.isEmpty == true)
    }

    // MARK: --brief

    @Test func briefIsALinePerPatchFindingAndOpenRemark() throws {
        let text = BriefRenderer(style: .text).render(report)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "lib: two fixes (v2, 2 patches, Ann Author <ann@x.org>)")
        #expect(lines.contains("Status: 2 of 2 patches reviewed or acked, rules not run, no remark left open"))
        #expect(lines.contains("[1/2] lib: fix f1: Reviewed-by: Rob Reviewer (for the series)"))
        let second = try #require(lines.first { $0.hasPrefix("[2/2] lib: fix f2: ") })
        for part in ["Reviewed-by: Rob Reviewer", "Tested-by: Tess Tester (conditional)", "Acked-by: Rob Reviewer"] {
            #expect(second.contains(part), "\(second)")
        }
        #expect(lines.count == 4)
        let md = BriefRenderer(style: .markdown).render(report)
        guard let doc = try CMark.parse(md) else { return }
        #expect(doc.all("item").count == 2 && doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
    }

    @Test func briefShowsOpenRemarksWithTheirFirstSentence() {
        #expect(BriefRenderer.excerpt("Hi Ann,\n\nWhy is x unused here? It looks like a leftover.", room: 60) == "Why is x unused here?…")
        #expect(BriefRenderer.excerpt("> quoted\nShort.", room: 60) == "Short.")
        #expect(BriefRenderer.excerpt("- a = 1;\n+ a = 2;\nThis is simpler and avoids the extra branch entirely, I think", room: 30)
                == "This is simpler and avoids…")
    }

    // MARK: Readable Markdown

    @Test func markdownEscapesWithBackslashesNotEntities() {
        #expect(Markdown.inline("Ann <ann@x.org> & co") == "Ann \\<ann@x.org> & co")
        #expect(Markdown.inline("a < b && c &amp; d &#60; e") == "a < b && c \\&amp; d \\&\\#60; e")
        #expect(Markdown.inline("> not a quote") == "\\> not a quote")
        for s in ["<script>x</script>", "<http://x>", "a & b"] {
            #expect(!Markdown.inline(s).contains("&lt;") && !Markdown.inline(s).contains("&amp;"))
        }
    }

    @Test func remarkTextKeepsProseListsAndDiagrams() throws {
        let text = """
        I think there is a race here:

        CPU1\t\t\tCPU2
        lock(a)\t\t\tlock(b)
        lock(b)\t\t\tlock(a)

        Two things:
        - the first one
          goes on here
        - the second one

        This line is long enough and goes on
        to the next line of the same paragraph.
        """
        let md = Markdown.paragraphs(text, quoteDepth: 1)
        #expect(!md.contains("&nbsp;") && !md.contains("\\\n"))
        #expect(md.contains("> ```\n> CPU1\t\t\tCPU2\n> lock(a)\t\t\tlock(b)\n"))
        #expect(md.contains("> - the first one\n>   goes on here\n> - the second one\n"))
        #expect(md.contains("> This line is long enough and goes on\n> to the next line of the same paragraph.\n"))
        guard let doc = try CMark.parse(md) else { return }
        #expect(doc.all("code_block").first?.text.contains("CPU1\t\t\tCPU2") == true)
        #expect(doc.all("item").count == 2)
        #expect(doc.all("linebreak").isEmpty)
    }

    @Test func wrappedMarkdownRendersAsTheLine() throws {
        let long = "- **Acked-by:** " + Array(repeating: "word", count: 40).joined(separator: " ") + " `a b c` - 1. > # end"
        let wrapped = Markdown.wrap(long, width: 40, indent: "  ")
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 40 || !$0.contains(" ") })
        for l in wrapped.split(separator: "\n").dropFirst() {
            #expect(l.hasPrefix("  ") && !["-", ">", "#", "1."].contains(l.dropFirst(2).split(separator: " ").first.map(String.init) ?? ""))
        }
        guard let a = try CMark.parse(long), let b = try CMark.parse(wrapped) else { return }
        #expect(a.all("item").count == 1 && b.all("item").count == 1)
        #expect(a.all("code").map(\.plainText) == b.all("code").map(\.plainText))
    }

    // MARK: Reply headers

    @Test func nonASCIIHeadersAreEncodedWords() throws {
        let subject = "Re: [PATCH] bus: Rafał Miłecki’s fix für Grüße — " + String(repeating: "ü", count: 40)
        let encoded = HeaderEncoding.unstructured(subject).joined(separator: " ")
        #expect(encoded.hasPrefix("Re: [PATCH] bus: =?UTF-8?Q?Rafa=C5=82_Mi=C5=82ecki"))
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
        for w in encoded.split(separator: " ") where w.hasPrefix("=?") { #expect(w.count <= 75) }
        let name = HeaderEncoding.phrase("Uwe Kleine-König")
        #expect(name == "=?UTF-8?Q?Uwe_Kleine-K=C3=B6nig?=")
        #expect(HeaderEncoding.phrase("Doe, Jane") == "\"Doe, Jane\"")
        // Read back by the tool's own parser.
        let renderer = ReplyRenderer(messages: [])
        let mail = renderer.fold("Subject: " + encoded) + "From: " + name + " <u@x.org>\n\nbody\n"
        let back = try #require(MailReader.parse(Array(mail.utf8)).messages.first)
        #expect(back.subject == subject)
        #expect(back.from?.name == "Uwe Kleine-König")
        for line in mail.split(separator: "\n") { #expect(line.utf8.count <= 78, "\(line)") }
    }
}
