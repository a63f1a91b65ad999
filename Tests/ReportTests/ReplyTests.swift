import Foundation
import Testing
import Mailbox
import Patch
import Rules
@testable import Report

/// `review --format reply`: plain-text reply mails to the patches with findings.
@Suite struct ReplyTests {
    static func reply(_ messages: [Message]) -> (text: String, count: Int, report: ReviewReport) {
        let report = ReportBuilder(findings: RuleFindings.source(engine: RuleEngine()))
            .build(input: "input", threads: ThreadSet(messages: messages))
        let r = ReplyRenderer(messages: messages).render(report)
        return (r.text, r.count, report)
    }

    static func sample(_ name: String) throws -> [Message] {
        try MailReader.read(path: repoRoot.appendingPathComponent("Samples/\(name)").path).messages
    }

    static func mail(_ from: String, _ subject: String, _ id: String, _ parent: String?, _ body: String,
                     to: String = "List <list@x.org>", cc: String? = nil) -> String {
        var h = "From x@x Mon Jan  1 00:00:00 2024\nFrom: \(from)\nTo: \(to)\n"
        if let cc { h += "Cc: \(cc)\n" }
        h += "Subject: \(subject)\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <\(id)>\n"
        if let parent { h += "In-Reply-To: <\(parent)>\nReferences: <cover@x> <\(parent)>\n" }
        return h + "Content-Type: text/plain; charset=UTF-8\n\n" + body + "\n"
    }

    /// A patch that returns with the lock held (lock-balance) when `leak`, else a harmless one.
    static func patchBody(_ n: Int, leak: Bool) -> String {
        let added = leak ? "+\tif (s->bad)\n+\t\treturn -EINVAL;\n" : "+\ts->y = 2;\n+\ts->z = 3;\n"
        return "Change \(n).\n\nSigned-off-by: Ann Author <ann@x.org>\n---\n"
            + "diff --git a/lib/f\(n).c b/lib/f\(n).c\n--- a/lib/f\(n).c\n+++ b/lib/f\(n).c\n"
            + "@@ -1,7 +1,9 @@\n int f\(n)(struct s *s)\n {\n \tmutex_lock(&s->lock);\n" + added
            + " \ts->x = 1;\n \tmutex_unlock(&s->lock);\n \treturn 0;\n }\n"
    }

    static let series: [Message] = {
        let mbox = [
            mail("Ann Author <ann@x.org>", "[PATCH v2 0/3] lib: three fixes", "cover@x", nil, "Three fixes.\n",
                 cc: "Bob <bob@x.org>, ann@x.org"),
            mail("Ann Author <ann@x.org>", "[PATCH v2 1/3] lib: one", "p1@x", "cover@x", patchBody(1, leak: true),
                 cc: "Bob <bob@x.org>, list@x.org, \"Doe, Jane\" <jane@x.org>"),
            mail("Ann Author <ann@x.org>", "[PATCH v2 2/3] lib: two", "p2@x", "cover@x", patchBody(2, leak: false)),
            mail("Ann Author <ann@x.org>", "[PATCH v2 3/3] lib: three", "p3@x", "cover@x", patchBody(3, leak: true)),
        ].joined()
        return MailReader.parse(Array(mbox.utf8)).messages
    }()

    /// Messages of an mbox text, as the tool's own reader cuts them.
    static func parse(_ text: String) -> [Message] { MailReader.parse(Array(text.utf8)).messages }

    static func body(_ message: String) -> [String] {
        let lines = message.components(separatedBy: "\n")
        guard let blank = lines.firstIndex(of: "") else { return [] }
        return Array(lines[(blank + 1)...])
    }

    /// Lines of prose: ≤ 72 columns, no Markdown or HTML entity.
    static func checkProse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in text.components(separatedBy: "\n") where !line.hasPrefix(">") && !line.hasPrefix("From mboxrd@z ") {
            #expect(line.count <= 72, "too long: \(line)", sourceLocation: sourceLocation)
            for bad in ["&lt;", "&gt;", "&amp;", "&nbsp;", "**", "`", "| ", "<br", "```"] {
                #expect(!line.contains(bad), "markup \(bad) in: \(line)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func seriesIsAnMboxWithOneReplyPerPatchWithFindings() throws {
        let (text, count, report) = Self.reply(Self.series)
        let withFindings = report.series.flatMap(\.patches).filter { !ReplyRenderer.findings($0).isEmpty }
        #expect(withFindings.map(\.message.messageID) == ["p1@x", "p3@x"])
        #expect(count == 2)
        #expect(text.hasPrefix("From mboxrd@z Thu Jan  1 00:00:00 1970\n"))
        #expect(text.components(separatedBy: "\n").filter { $0 == "From mboxrd@z Thu Jan  1 00:00:00 1970" }.count == 2)
        let back = Self.parse(text)
        try #require(back.count == 2)
        #expect(back.map(\.subject) == ["Re: [PATCH v2 1/3] lib: one", "Re: [PATCH v2 3/3] lib: three"])
        #expect(back.map(\.inReplyTo) == ["p1@x", "p3@x"])
        #expect(back[0].references == ["cover@x", "p1@x"])
        #expect(back[0].to.map(\.email) == ["ann@x.org"])
        // Reply to all: the patch's To and Cc, each once, the author not again.
        #expect(back[0].cc.map(\.email) == ["list@x.org", "bob@x.org", "jane@x.org"])
        #expect(back[0].cc.map(\.name) == [Optional("List"), "Bob", "Doe, Jane"])
        #expect(back[0].from == nil)
        Self.checkProse(text)
    }

    @Test func quotedLinesAreThePatchsLinesAndTheRemarkFollowsItsLine() throws {
        let (text, _, report) = Self.reply(Self.series)
        let message = try #require(Self.parse(text).first)
        let body = message.body.components(separatedBy: "\n")
        #expect(body.first == "On Mon, 1 Jan 2024 10:00:00 +0000, Ann Author <ann@x.org> wrote:")
        let patchLines = Set(Self.patchBody(1, leak: true).components(separatedBy: "\n"))
        for line in body where line.hasPrefix(">") && line != "> [...]" {
            let unquoted = line == ">" ? "" : String(line.dropFirst(2))
            #expect(line == ">" || line.hasPrefix("> "))
            #expect(patchLines.contains(unquoted), "not a patch line: \(line)")
        }
        #expect(body.contains("> diff --git a/lib/f1.c b/lib/f1.c"))
        #expect(body.contains("> @@ -1,7 +1,9 @@"))
        // The remark sits right after the quoted line the finding points at (a blank line between).
        let f = try #require(report.series[0].patches[0].findings.first)
        let patch = PatchParser.parse(Self.patchBody(1, leak: true))
        let anchor = try #require(patch.files[0].hunks[0].lines.first { $0.newLine == f.line && $0.kind != .removed })
        let prefix = anchor.kind == .added ? "+" : " "
        let at = try #require(body.firstIndex(of: "> " + prefix + anchor.text))
        #expect(body[at + 1] == "")
        #expect(body[at + 2].hasPrefix("\(f.severity.rawValue.capitalized) (\(f.rule)):"))
        #expect(message.body.contains("Usual remedy:"))
        #expect(!message.body.contains("`"))
    }

    @Test func vfioSampleReplyAnswersTheQuotedPatch() throws {
        let messages = try Self.sample("vfio-ap-lockdep-review.eml")
        let (text, count, report) = Self.reply(messages)
        try #require(count == 1)
        #expect(!text.hasPrefix("From mboxrd@z"))
        let p = report.series[0].patches[0]
        #expect(p.source == .quoted)
        let back = try #require(Self.parse(text).first)
        // In reply to the message the sample's reply answers.
        #expect(back.inReplyTo == messages[0].inReplyTo)
        #expect(back.references.last == messages[0].inReplyTo)
        #expect(back.subject.hasPrefix("Re: "))
        #expect(!back.subject.hasPrefix("Re: Re:"))
        #expect(text.contains("(lock-window)"))
        #expect(text.contains("re-check the state after re-taking the lock"))
        #expect(text.contains("> diff --git a/drivers/s390/crypto/vfio_ap_ops.c"))
        Self.checkProse(text)
    }

    @Test func acmeSampleReplyQuotesTheMailVerbatim() throws {
        let messages = try Self.sample("acme-adc-runtime-pm-thread.mbox")
        let (text, count, report) = Self.reply(messages)
        let expected = report.series.flatMap(\.patches).filter { !ReplyRenderer.findings($0).isEmpty && $0.source != .coverLetter }
        #expect(count == expected.count)
        guard count > 0 else { return }
        let back = Self.parse(text)
        #expect(back.count == count)
        for (reply, patch) in zip(back, expected) {
            #expect(reply.inReplyTo == patch.message.messageID)
            let mail = try #require(messages.first { $0.messageID == patch.message.messageID })
            let lines = Set(mail.body.components(separatedBy: "\n"))
            for line in reply.body.components(separatedBy: "\n") where line.hasPrefix(">") && line != "> [...]" {
                #expect(lines.contains(line == ">" ? "" : String(line.dropFirst(2))), "not in the patch mail: \(line)")
            }
        }
        Self.checkProse(text)
    }

    @Test func noFindingsNoReply() {
        let mbox = Self.mail("Ann Author <ann@x.org>", "[PATCH] lib: two", "p2@x", nil, Self.patchBody(2, leak: false))
        let (text, count, _) = Self.reply(Self.parse(mbox))
        #expect(count == 0)
        #expect(text.isEmpty)
    }

    @Test func deterministic() {
        #expect(Self.reply(Self.series).text == Self.reply(Self.series).text)
    }

    @Test func mboxrdEscapingAndWrapping() {
        #expect(ReplyRenderer.needsEscape("From here"))
        #expect(ReplyRenderer.needsEscape(">>From here"))
        #expect(!ReplyRenderer.needsEscape("> From here"))
        #expect(!ReplyRenderer.needsEscape("From: x"))
        let r = ReplyRenderer(messages: [])
        let long = String(repeating: "word ", count: 40) + String(repeating: "x", count: 100)
        for l in r.wrap(long) { #expect(l.count <= 72) }
        #expect(r.wrap(long).joined(separator: " ").replacingOccurrences(of: " ", with: "")
                == long.replacingOccurrences(of: " ", with: ""))
        #expect(ReplyRenderer.plain("`a->lock` is **held**") == "a->lock is held")
    }
}
