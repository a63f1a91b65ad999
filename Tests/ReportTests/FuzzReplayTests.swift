// Fuzz harness of the Report module, and the test that replays the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of ReportTests, and into the libFuzzer target
// `fuzz-report` of `Fuzz/` (linked as its Harness.swift, built with `-D FUZZING`), so a regression
// input is replayed through exactly the code the fuzzer ran. Inputs: `Fuzz/Regressions/report/`.

import Mailbox
import Report
import Rules

enum ReportFuzzHarness {
    /// The whole report of a mailbox (threads, review analysis, rule findings in hunk mode) rendered
    /// as Markdown, text, JSON and SARIF, plus the Markdown escaping functions on the raw input.
    /// Checks: no unsafe character (escape, other controls, bidi overrides) in Markdown, plain text,
    /// or any escaped piece; escaped inline text is one line without raw `<` or an unescaped `|`;
    /// code spans and fences stay closed; JSON reads back.
    static func report(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        markdown(text)

        var options = ReadOptions()
        options.parallel = false
        let contents = MailReader.parse(data, options: options)
        let threads = ThreadSet(messages: contents.messages)
        let builder = ReportBuilder(findings: RuleFindings.source(engine: RuleEngine()))
        let report = builder.build(input: "fuzz.mbox", threads: threads)

        let md = MarkdownRenderer().render(report)
        precondition(safe(md), "unsafe character in the Markdown report")
        precondition(fencesBalanced(md), "a code fence of the Markdown report is not closed")
        let plain = TextRenderer(color: false).render(report)
        precondition(safe(plain), "unsafe character in the text report")
        _ = TextRenderer(color: true).render(report)
        if let json = try? JSONRenderer().render(report) {
            precondition((try? JSONRenderer.decode(json)) != nil, "the JSON report does not read back")
        } else {
            preconditionFailure("the JSON report could not be written")
        }
        precondition((try? SARIFRenderer().render(report)) != nil, "the SARIF log could not be written")
    }

    static func markdown(_ text: String) {
        let inline = Markdown.inline(text)
        precondition(safe(inline) && !inline.contains("\n") && !inline.contains("\r"), "inline text with a line break or control")
        precondition(!opensTag(inline), "a < that could open HTML or an autolink in inline text")
        precondition(!hasUnescaped("|", inline), "unescaped | in inline text")
        let cell = Markdown.cell(text)
        precondition(!cell.isEmpty && !cell.contains("\n") && !hasUnescaped("|", cell), "table cell that can end its row")
        let code = Markdown.code(text, inTable: true)
        precondition(code.hasPrefix("`") && code.hasSuffix("`") && !code.contains("\n") && safe(code), "code span not closed or not one line")
        precondition(!hasUnescaped("|", code), "unescaped | in a code span in a table")
        _ = Markdown.inlineWithCode(text, inTable: true)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(200).map(String.init)
        let fence = Markdown.fence(lines, info: "c")
        precondition(safe(fence) && fencesBalanced(fence), "fenced block not closed")
        let quoted = Markdown.paragraphs(text, quoteDepth: 2)
        precondition(safe(quoted), "unsafe character in paragraphs")
        for line in quoted.split(separator: "\n") {
            precondition(line.hasPrefix(">"), "a quoted paragraph line escapes its quote: \(line.prefix(40))")
        }
        _ = Markdown.table(["a", "b"], [[text, text]])
    }

    /// Nothing that can drive a terminal or reorder text: C0 controls but newline and tab, DEL, C1,
    /// bidi embeddings/overrides/isolates, line/paragraph separators, BOM.
    static func safe(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x20 && v != 0x0A && v != 0x09 { return false }
            if v >= 0x7F && v <= 0x9F { return false }
            switch v {
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF, 0x061C: return false
            default: continue
            }
        }
        return true
    }

    /// A `c` not directly after a backslash. For `|` this is GFM's rule (cmark-gfm's cell scanner
    /// reads `\\|` as a backslash and an escaped pipe, so `\\|` does not end a cell either).
    /// An unescaped `<` followed by what starts raw HTML or an autolink (a letter, `/`, `!`, `?`).
    static func opensTag(_ s: String) -> Bool {
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "<", i + 1 < chars.count, chars[i + 1].isLetter || "/!?".contains(chars[i + 1]) { return true }
            i += 1
        }
        return false
    }

    static func hasUnescaped(_ c: Character, _ s: String) -> Bool {
        var previous: Character = " "
        for ch in s {
            if ch == c && previous != "\\" { return true }
            previous = ch
        }
        return false
    }

    /// Every fenced code block (a line of 3+ backticks opening it) is closed by a fence at least
    /// as long, in CommonMark's way.
    static func fencesBalanced(_ s: String) -> Bool {
        var open: Int? = nil
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            let stripped = line.drop { $0 == " " }
            guard line.count - stripped.count <= 3 else { continue }
            let run = stripped.prefix { $0 == "`" }.count
            guard run >= 3 else { continue }
            if let o = open {
                if run >= o && stripped.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" }) { open = nil }
            } else if !stripped.dropFirst(run).contains("`") {
                open = run
            }
        }
        return open == nil
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct ReportFuzzReplayTests {
    @Test func replayReport() {
        FuzzReplay.replay("report", ReportFuzzHarness.report)
    }

    /// Terminal escapes, HTML and Markdown structure in a subject and a remark stay inert.
    @Test func hostileSubjectStaysInert() {
        let subject = "\u{1B}]0;pwned\u{07}<script>x</script> | # h\n```"
        // ESC and BEL shown as ^[ and ^G, `<` backslash-escaped (no tag can open), `|`, `#` and backticks escaped.
        #expect(Markdown.inline(subject) == "^\\[\\]0;pwned^G\\<script>x\\</script> \\| \\# h \\`\\`\\`")
        ReportFuzzHarness.report(Array("From: \u{1B}[31mEvil <e@x>\nSubject: \(subject)\nMessage-ID: <e@x>\n\n\u{202E}gnp.exe\n".utf8))
    }
}
#endif
