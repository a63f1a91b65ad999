import Foundation
import Testing
@testable import Report

/// Strings that try to break out of inline text, cells, code spans and fences.
let hostileStrings: [String] = [
    "*bold* _it_ __strong__ ***both***",
    "# heading", "## two", "- item", "+ item", "* item", "1. one", "2) two", "> quote", "= setext", "---", "***", "___",
    "</details>", "<details><summary>x</summary>", "<script>alert(1)</script>", "<!-- comment", "<?php ?>", "<![CDATA[x]]>",
    "[link](javascript:alert(1))", "![img](http://x/y.png)", "[ref]: http://evil", "<http://autolink>", "<a@b.c>",
    "a | b | c", "|", "||", "`code`", "``", "```", "````x", "~~~", "~~strike~~", "a\\", "\\*", "\\\\",
    "&amp; &lt; &#x3C; &copy;", "tab\there", "$x$ $$y$$", "@mention @kvm", "{curly}", "vfio_ap_mdev_set_kvm",
    "_leading and trailing_", "x_", "_x", "a*b*c", "line1\nline2", "   spaces", "trail  ", "emoji 🐧 ünïcödé",
    "esc \u{1B}[31mred\u{1B}[0m", "bidi \u{202E}evil\u{202C}", "c1 \u{9B}2J", "nul \u{0}", "bell \u{7}",
]

@Suite struct EscapingTests {
    @Test func inlineEscapesSpecials() {
        #expect(Markdown.inline("a *b* [c](d) <e> & f|g ~h~ `i` \\ $j$ #k") ==
                "a \\*b\\* \\[c\\](d) \\<e> & f\\|g \\~h\\~ \\`i\\` \\\\ \\$j\\$ \\#k")
        #expect(Markdown.inline("vfio_ap_mdev_set_kvm _x_ y_") == "vfio_ap_mdev_set_kvm \\_x\\_ y\\_")
        #expect(Markdown.inline("@kvm and pasic@example.com") == "\\@kvm and pasic@example.com")
        #expect(Markdown.inline("![x](y)") == "\\!\\[x\\](y)")
    }

    @Test func inlineNeutralisesLineStarts() {
        #expect(Markdown.inline("# x") == "\\# x")
        #expect(Markdown.inline("- x") == "\\- x")
        #expect(Markdown.inline("+ x") == "\\+ x")
        #expect(Markdown.inline("=== ") == "\\===")
        #expect(Markdown.inline("> x") == "\\> x")
        #expect(Markdown.inline("12. x") == "12\\. x")
        #expect(Markdown.inline("3) x") == "3\\) x")
        #expect(Markdown.inline("    indented") == "indented")
        #expect(Markdown.inline("a\nb\tc") == "a b c")
    }

    @Test func codeSpansAreLongerThanAnyRun() {
        #expect(Markdown.code("x") == "`x`")
        #expect(Markdown.code("a`b") == "``a`b``")
        #expect(Markdown.code("``x``") == "``` ``x`` ```")
        #expect(Markdown.code(" x ") == "`x`")
        #expect(Markdown.code("` x") == "`` ` x ``")
        #expect(Markdown.code("a|b") == "`a|b`")
        #expect(Markdown.code("a|b", inTable: true) == "`a\\|b`")
        #expect(Markdown.code("") == "` `")
    }

    @Test func fencesAreLongerThanAnyRun() {
        #expect(Markdown.fence(["x"], info: "c") == "```c\nx\n```\n")
        #expect(Markdown.fence(["````", "a"], info: "diff") == "`````diff\n````\na\n`````\n")
        #expect(Markdown.fence(["\u{1B}[2J"], info: "c`x") == "```cx\n^[[2J\n```\n")
    }

    /// Prose keeps its lines as soft breaks; indented or column-aligned text is fenced; no entity,
    /// no hard break.
    @Test func paragraphsKeepLinesAndIndentation() {
        #expect(Markdown.paragraphs("a\n  b\n\nc") == "```\na\n  b\n```\n\nc\n")
        #expect(Markdown.paragraphs("x\ny", quoteDepth: 2) == "> > x\n> > y\n")
        #expect(Markdown.paragraphs("x\n\ny", quoteDepth: 1) == "> x\n>\n> y\n")
        #expect(Markdown.paragraphs("- a\n> b") == "\\- a\n\\> b\n")
        #expect(Markdown.paragraphs("- a\n- b\n  c") == "- a\n- b\n  c\n")
        #expect(Markdown.paragraphs("end.  Next line\ngoes on") == "end.  Next line\ngoes on\n")
        #expect(Markdown.paragraphs("a = 1;\nb = 2;\nif (x) {") == "```\na = 1;\nb = 2;\nif (x) {\n```\n")
    }

    @Test func controlCharactersBecomeVisible() {
        #expect(SafeText.visible("a\u{1B}[31mb\u{7F}\r\n") == "a^[[31mb^?^M\n")
        #expect(SafeText.visible("\u{9B}x\u{202E}y") == "\\u{9B}x\\u{202E}y")
        #expect(SafeText.visible("tab\tok\n") == "tab\tok\n")
        #expect(SafeText.oneLine("  a\n\tb  c ") == "a b c")
        #expect(JSONRenderer.escapeUnsafe("\"a\u{9B}\u{202E}\"") == "\"a\\u009b\\u202e\"")
    }

    @Test func loreLinksEscapeTheMessageID() {
        #expect(LoreLink.url(messageID: "20210216011547.22277-1-akrowiak@linux.ibm.com")
                == "https://lore.kernel.org/all/20210216011547.22277-1-akrowiak@linux.ibm.com/")
        #expect(LoreLink.url(messageID: "a/../b c>(x)#?%") == "https://lore.kernel.org/all/a%2F..%2Fb%20c%3E%28x%29%23%3F%25/")
        #expect(Markdown.link("lore", url: "https://x/a(b)/") == "[lore](https://x/a%28b%29/)")
    }

    // MARK: - with the real CommonMark parser

    @Test func inlineTextRoundTripsThroughCmark() throws {
        // One paragraph per string, all in one document.
        let md = hostileStrings.map { Markdown.inline($0) + "\n" }.joined(separator: "\n")
        guard let doc = try CMark.parse(md) else { return }
        #expect(CMark.skeleton(doc) == Array(repeating: "paragraph", count: hostileStrings.count))
        #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
        #expect(doc.all("link").isEmpty && doc.all("image").isEmpty && doc.all("emph").isEmpty
                && doc.all("strong").isEmpty && doc.all("strikethrough").isEmpty)
        for (s, p) in zip(hostileStrings, doc.children) {
            #expect(p.plainText == SafeText.oneLine(s), "\(s)")
        }
    }

    @Test func cellsAndCodeSpansStayInTheirCell() throws {
        let rows = hostileStrings.map { [Markdown.cell($0), Markdown.code($0, inTable: true), "z"] }
        guard let doc = try CMark.parse(Markdown.table(["A", "B", "C"], rows)) else { return }
        #expect(CMark.skeleton(doc) == ["table 3x\(hostileStrings.count)"])
        let body = doc.all("table_row")
        for (s, row) in zip(hostileStrings, body) {
            let cells = row.children
            #expect(cells.count == 3, "\(s)")
            let expected = SafeText.oneLine(s)
            #expect(cells.first?.plainText == (expected.isEmpty ? "—" : expected), "\(s)")
            #expect(cells[safe: 1]?.all("code").first?.text == (expected.isEmpty ? " " : expected), "\(s)")
            #expect(cells[safe: 2]?.plainText == "z", "\(s)")
        }
    }

    @Test func codeSpansOutsideTablesKeepPipes() throws {
        let strings = hostileStrings.filter { !SafeText.oneLine($0).isEmpty }
        let md = strings.map { "x " + Markdown.code($0) + " y\n" }.joined(separator: "\n")
        guard let doc = try CMark.parse(md) else { return }
        #expect(doc.all("code").map(\.text) == strings.map(SafeText.oneLine))
    }

    @Test func rulesMessagesGetCodeSpans() throws {
        let m = "`matrix_dev->lock` is released at line 1062; `a|b` *x* <y>"
        #expect(Markdown.inlineWithCode(m) == "`matrix_dev->lock` is released at line 1062; `a|b` \\*x\\* \\<y>")
        #expect(Markdown.inlineWithCode("odd ` tick") == "odd \\` tick")
        guard let doc = try CMark.parse(Markdown.inlineWithCode(m) + "\n") else { return }
        #expect(doc.all("code").map(\.text) == ["matrix_dev->lock", "a|b"])
        #expect(doc.plainText == "matrix_dev->lock is released at line 1062; a|b *x* <y>")
    }

    @Test func fencesHoldTheirContent() throws {
        let lines = hostileStrings.flatMap { $0.components(separatedBy: "\n") }
        guard let doc = try CMark.parse(Markdown.fence(lines, info: "diff") + "after\n") else { return }
        #expect(CMark.skeleton(doc) == ["code diff \(lines.count)", "paragraph"])
        #expect(doc.all("code_block").first?.text == lines.map(SafeText.visible).joined(separator: "\n") + "\n")
    }

    /// Hostile prose stays one paragraph of escaped lines (soft breaks); with a tab or an indented
    /// line in it, the block is a code block holding every line.
    @Test func paragraphsRoundTripLineByLine() throws {
        let prose = hostileStrings.flatMap { $0.components(separatedBy: "\n") }
            .filter { !$0.contains("\t") && $0.first != " " && !$0.contains("  ") }.joined(separator: "\n")
        guard let doc = try CMark.parse(Markdown.paragraphs(prose, quoteDepth: 1)) else { return }
        #expect(CMark.skeleton(doc) == ["quote", " paragraph"])
        #expect(doc.all("softbreak").count == prose.components(separatedBy: "\n").count - 1)
        #expect(doc.all("linebreak").isEmpty)
        #expect(doc.all("html_inline").isEmpty && doc.all("link").isEmpty && doc.all("emph").isEmpty)
        let text = hostileStrings.joined(separator: "\n")
        guard let code = try CMark.parse(Markdown.paragraphs(text, quoteDepth: 1)) else { return }
        #expect(CMark.skeleton(code).count == 2 && CMark.skeleton(code)[1].hasPrefix(" code "))
        #expect(code.all("html_inline").isEmpty && code.all("html_block").isEmpty && code.all("link").isEmpty)
    }
}
