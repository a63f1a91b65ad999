import Foundation
import Testing
import Mailbox
import Rules
@testable import Report

/// A thread whose every field tries to break the summary: Markdown and HTML in the subject, names
/// and remarks, backtick runs and `</details>` in the code, terminal escapes everywhere.
@Suite struct HostileMailTests {
    static let subject = "[PATCH] </details> *evil* `x` | <script>alert(1)</script> [a](javascript:x) ~~s~~ # h"
    static func mbox(subject: String, author: String, reviewer: String, remark: String, code: String) -> String {
        """
        From a@x Mon Mar 11 10:00:00 2024
        From: \(author)
        Subject: \(subject)
        Date: Mon, 11 Mar 2024 10:00:00 +0000
        Message-ID: <p1@x>
        Content-Type: text/plain; charset=UTF-8

        Commit message.

        Signed-off-by: \(author)
        ---
        diff --git a/drivers/x.c b/drivers/x.c
        --- a/drivers/x.c
        +++ b/drivers/x.c
        @@ -10,3 +10,4 @@ static int f(void)
         {
        +\t\(code)
         \treturn 0;
         }

        From b@x Mon Mar 11 11:00:00 2024
        From: \(reviewer)
        Subject: Re: \(subject)
        Date: Mon, 11 Mar 2024 11:00:00 +0000
        Message-ID: <r1@x>
        In-Reply-To: <p1@x>
        References: <p1@x>
        Content-Type: text/plain; charset=UTF-8

        On Mon, 11 Mar 2024, \(author) wrote:
        > @@ -10,3 +10,4 @@ static int f(void)
        >  {
        > +\t\(code)

        \(remark)

        >  \treturn 0;

        With that </details> | fixed:
        Acked-by: \(reviewer)

        """
    }

    static let hostile = mbox(
        subject: subject,
        author: "\"Eve *_[]_* `x` <b>\" <eve@x.example>",
        reviewer: "\"Mallory <!-- | ]] \u{1B}[31mRED\" <m@x.example>",
        remark: "```\n</details>\n<script>alert(1)</script>\n# Heading?\n| a | b |\n|---|---|\n\u{1B}]0;title\u{07}\nWhy </details> `x`?",
        code: "x = \"```` ~~~ </details> <!--\"; /* \u{1B}[2J */")
    static let benign = mbox(
        subject: "[PATCH] drivers: x: fix f",
        author: "Eve Example <eve@x.example>",
        reviewer: "Mallory Example <m@x.example>",
        remark: "Plain remark\nline two\nline three\nline four?\nline five\nline six\nline seven\nWhy this?",
        code: "x = 1;")

    static func report(_ text: String) -> ReviewReport {
        let contents = MailReader.parse(Array(text.utf8), name: "hostile.mbox")
        return ReportBuilder(findings: RuleFindings.source(engine: RuleEngine()))
            .build(input: "hostile.mbox", threads: ThreadSet(messages: contents.messages))
    }

    @Test func theThreadParsesAsIntended() throws {
        let r = Self.report(Self.hostile)
        let p = try #require(r.series.first?.patches.first)
        #expect(p.title == "</details> *evil* `x` | <script>alert(1)</script> [a](javascript:x) ~~s~~ # h")
        #expect(p.remarks.count == 1)
        #expect(p.remarks.first?.newLine == 11)
        #expect(p.trailers.first?.isConditional == true)
        // Sentences run across line breaks, so the markup lines end up in the questions: shown escaped.
        #expect(p.questions.map(\.text) == ["``` </details> <script>alert(1)</script> # Heading?",
                                            "| a | b | |---|---| \u{1B}]0;title\u{07} Why </details> `x`?"])
    }

    @Test func layoutIsTheSameAsForABenignThread() throws {
        let hostileMD = MarkdownRenderer().render(Self.report(Self.hostile))
        let benignMD = MarkdownRenderer().render(Self.report(Self.benign))
        guard let h = try CMark.parse(hostileMD), let b = try CMark.parse(benignMD) else { return }
        #expect(CMark.skeleton(h) == CMark.skeleton(b))
        #expect(h.all("html_inline").isEmpty && h.all("html_block").isEmpty)
        #expect(h.all("emph").isEmpty && h.all("strong").count == b.all("strong").count && h.all("strikethrough").isEmpty)
        #expect(h.all("link").count == 1 && h.all("image").isEmpty)
        #expect(h.all("heading").first?.plainText == "</details> *evil* `x` | <script>alert(1)</script> [a](javascript:x) ~~s~~ # h")
        let code = h.all("code_block").map(\.text)
        #expect(code.contains { $0.contains("x = \"```` ~~~ </details> <!--\"; /* ^[[2J */") })
        #expect(!hostileMD.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        expectGolden(hostileMD, "hostile-thread.md")
    }

    @Test func otherFormatsStaySafe() throws {
        let r = Self.report(Self.hostile)
        let text = TextRenderer().render(r)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("drivers/x.c:") })
        let json = try JSONRenderer().render(r)
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(try JSONRenderer.decode(json) == r)
        let sarif = try SARIFRenderer().render(r)
        #expect(try SARIFValidator.validate(Data(sarif.utf8)) == [])
        #expect(!sarif.unicodeScalars.contains { $0.value == 0x1B })
    }
}
