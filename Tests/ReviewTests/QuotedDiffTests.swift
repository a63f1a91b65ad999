import Testing
import Mailbox
import Patch
@testable import Review

@Suite struct QuotedDiffTests {
    @Test func fullQuoteNumbersEveryLine() throws {
        let body = "On Mon, 1 Mar 2021, Dev <dev@example.org> wrote:\n" + quoted(probeHeader + probeLines) + "\n\nLooks good.\n"
        let d = ReviewParser.quotedDiff(of: body)
        #expect(d.hunks.count == 1)
        let h = try #require(d.hunks.first)
        #expect(h.header == "-40,10 +40,14" && h.countsAgree && h.file == "drivers/foo/foo.c")
        #expect(d.lines.count == 15)
        #expect(d.lines.map(\.oldLine) == probeHunk.lines.map(\.oldLine))
        #expect(d.lines.map(\.newLine) == probeHunk.lines.map(\.newLine))
        #expect(d.lines.allSatisfy { $0.numbering == .header && $0.function == "foo_probe" })
    }

    @Test func remarkAfterAddedLine() throws {
        let lines = probeHeader + Array(probeLines[0..<9])
        let body = quoted(lines) + "\n\nThis line is too long.\n\n" + quoted(Array(probeLines[9...])) + "\n"
        let an = ReviewParser.analyze(reply(body))
        let r = try #require(an.remarks.first)
        #expect(r.text == "This line is too long.")
        let a = try #require(r.anchor)
        #expect(a.file == "drivers/foo/foo.c")
        #expect(a.oldLine == nil && a.newLine == 47 && a.side == .added)
        #expect(a.function == "foo_probe" && a.numbering == .header)
        #expect(a.text.hasPrefix("\tret = foo_hw_init("))
        #expect(r.span?.diffLines == 9)
        // the rest of the hunk continues with the same numbering
        #expect(an.quotedDiff.lines.last?.newLine == 53)
        #expect(an.quotedDiff.hunks.first?.countsAgree == true)
    }

    @Test func removedFileHeadersKeepNumbers() throws {
        let body = quoted([probeHeader[4]] + Array(probeLines[0..<5])) + "\nWhy devm?\n"
        let an = ReviewParser.analyze(reply(body))
        let a = try #require(an.remarks.first?.anchor)
        #expect(a.file == nil)
        #expect(a.newLine == 43 && a.oldLine == nil && a.side == .added)
        #expect(a.function == "foo_probe")
    }

    @Test func snipWithCompleteTailCountsBackFromTheEnd() throws {
        let body = quoted(probeHeader + Array(probeLines[0..<3])) + "\n\nnit\n\n[...]\n" + quoted(Array(probeLines[10...]))
            + "\n" + quoted(["-- ", "2.30.0"]) + "\n\nThanks\n"
        let an = ReviewParser.analyze(reply(body))
        let d = an.quotedDiff
        #expect(d.hunks.first?.snips == 1)
        #expect(d.hunks.first?.tailComplete == true)
        #expect(d.lines.prefix(3).allSatisfy { $0.numbering == .header })
        let tail = Array(d.lines.suffix(5))
        #expect(tail.map(\.newLine) == [49, 50, 51, 52, 53])
        #expect(tail.map(\.oldLine) == [nil, nil, 47, 48, 49])
        #expect(tail.allSatisfy { $0.numbering == .fromEnd })
        // the quote above the remark ends on a blank context line: the remark answers `int ret;`
        #expect(an.remarks.first?.anchor?.newLine == 41)
        #expect(an.remarks.map(\.target) == [.line, .patch])
    }

    @Test func remarkBeforeTheNextHeaderMeansTheTailWasCut() throws {
        // lines after the remark may have been deleted before the next file: no counting back
        let body = quoted(probeHeader + Array(probeLines[0..<3])) + "\n\nnit\n\n" + quoted(Array(probeLines[10...12]))
            + "\n\nmore\n\n" + quoted(["diff --git a/x.c b/x.c"]) + "\n"
        let d = ReviewParser.quotedDiff(of: body)
        #expect(d.hunks.first?.tailComplete == false)
        #expect(d.lines.suffix(3).map(\.numbering) == [.uncertain, .uncertain, .uncertain])
        #expect(d.lines.suffix(3).map(\.newLine) == [43, 44, 45])
    }

    @Test func snipWithoutTailLeavesNumbersUnknown() throws {
        let body = quoted(probeHeader + Array(probeLines[0..<3])) + "\n<snip>\n" + quoted(Array(probeLines[8...9])) + "\n\nWhy?\n"
        let an = ReviewParser.analyze(reply(body))
        let a = try #require(an.remarks.first?.anchor)
        #expect(a.numbering == .unknown && a.newLine == nil)
        #expect(a.text == "\tif (ret)")
        // alignment with the original recovers the numbers
        let al = ReviewParser.analyze(reply(body), original: probePatch)
        let b = try #require(al.remarks.first?.anchor)
        #expect(b.numbering == .aligned && b.newLine == 48 && b.oldLine == nil)
        #expect(b.reconstructedNewLine == nil)
        #expect(b.file == "drivers/foo/foo.c" && b.function == "foo_probe")
        #expect(al.remarks.first?.unmatched == false)
    }

    @Test func rewrappedLineIsJoined() throws {
        // the client wrapped the long `foo_hw_init` line at 72 columns
        var ls = probeHeader + probeLines
        ls[5 + 8] = "+\tret = foo_hw_init(f, pdev->resource, FOO_DEFAULT_FLAGS |"
        ls.insert("FOO_FLAG_WAIT_FOR_FIRMWARE);", at: 5 + 9)
        let body = quoted(ls) + "\n\nnit: fits in 100 columns\n"
        let an = ReviewParser.analyze(reply(body))
        let d = an.quotedDiff
        #expect(d.lines.count == 15)
        let w = d.lines[8]
        #expect(w.physicalLines == 2)
        #expect(w.text == "\tret = foo_hw_init(f, pdev->resource, FOO_DEFAULT_FLAGS | FOO_FLAG_WAIT_FOR_FIRMWARE);")
        #expect(d.lines.map(\.newLine) == probeHunk.lines.map(\.newLine))
        #expect(d.hunks[0].countsAgree)
        let al = ReviewParser.analyze(reply(body), original: probePatch)
        #expect(al.alignment == AlignmentSummary(quotedLines: 15, matchedLines: 15, agreeingLines: 15))
    }

    @Test func tabsTurnedIntoSpacesStillAlign() throws {
        let mangled = (probeHeader + probeLines).map { $0.replacingOccurrences(of: "\t", with: "        ") }
        let body = quoted(Array(mangled[0..<(5 + 7)])) + "\n\nWhy not dev_err_probe()?\n"
        let an = ReviewParser.analyze(reply(body), original: probePatch)
        let a = try #require(an.remarks.first?.anchor)
        #expect(a.side == .context && a.oldLine == 45 && a.newLine == 45 && a.numbering == .aligned)
        #expect(a.reconstructedOldLine == 45)
        #expect(a.text == "                return -ENOMEM;")
        #expect(an.alignment == AlignmentSummary(quotedLines: 7, matchedLines: 7, agreeingLines: 7))
    }

    @Test func droppedSpaceAfterMarker() throws {
        // `>+foo`, `>-foo` and, for context lines, `> foo`
        let ls = Array(probeLines[0..<6])
        let body = ">" + probeHeader[4] + "\n" + ls.map { ">" + $0 }.joined(separator: "\n") + "\n\nok\n"
        let d = ReviewParser.quotedDiff(of: body)
        #expect(d.lines.map(\.kind) == [.context, .context, .context, .removed, .added, .context])
        #expect(d.lines.map(\.text) == ["\tstruct foo *f;", "\tint ret;", "", "\tf = kzalloc(sizeof(*f), GFP_KERNEL);",
                                        "\tf = devm_kzalloc(&pdev->dev, sizeof(*f), GFP_KERNEL);", "\tif (!f)"])
        #expect(d.lines.map(\.newLine) == [40, 41, 42, nil, 43, 44])
    }

    @Test func blankSeparatorBeforeRemarkIsNotAContextLine() throws {
        let body = quoted(probeHeader + Array(probeLines[0..<5])) + "\n>\nWhy devm?\n>\n" + quoted(Array(probeLines[5...6])) + "\n"
        let an = ReviewParser.analyze(reply(body))
        #expect(an.remarks.first?.anchor?.newLine == 43)
        #expect(an.quotedDiff.lines.last?.newLine == 45)
    }

    @Test func headerlessQuoteFindsNumbersByAlignment() throws {
        let body = "> +\tif (ret)\n> +\t\treturn ret;\n\nLeaks f on error? No, devm.\n"
        let plain = ReviewParser.analyze(reply(body))
        #expect(plain.quotedDiff.lines.count == 2)
        #expect(plain.remarks.first?.anchor?.numbering == .unknown)
        let an = ReviewParser.analyze(reply(body), original: probePatch)
        let a = try #require(an.remarks.first?.anchor)
        #expect(a.newLine == 49 && a.file == "drivers/foo/foo.c" && a.numbering == .aligned)
    }

    @Test func quotedTextNotInTheOriginalIsUnmatched() throws {
        let body = quoted(probeHeader + ["+\tret = something_else();"]) + "\n\nHuh?\n"
        let an = ReviewParser.analyze(reply(body), original: probePatch)
        let r = try #require(an.remarks.first)
        #expect(r.unmatched)
        #expect(r.anchor?.numbering == .header)
        #expect(an.alignment?.matchedLines == 0)
    }

    @Test func deletedLinesAreRealignedByTheOriginal() throws {
        // the reviewer deleted four lines without a marker: forward numbers after the gap are wrong
        let body = quoted(probeHeader + Array(probeLines[0..<3])) + "\n\nfirst\n\n" + quoted(Array(probeLines[7...9])) + "\n\nsecond\n"
        let plain = ReviewParser.analyze(reply(body))
        #expect(plain.remarks[1].anchor?.newLine == 45)
        let an = ReviewParser.analyze(reply(body), original: probePatch)
        #expect(an.remarks[1].anchor?.newLine == 48)
        #expect(an.remarks[1].anchor?.reconstructedNewLine == 45)
        #expect(an.remarks.map(\.target) == [.line, .line])
    }
}

@Suite struct ClientQuirkTests {
    @Test func noBreakSpacesFromEvolution() {
        let body = "> > @@ -556,33 +556,24 @@ static const struct vdpa_config_ops\n> > snet_config_ops = {\n"
            + "> > \u{a0} static int psnet_open_pf_bar(struct pci_dev *pdev, struct psnet\n> > *psnet)\n> > \u{a0} {\n> > -\tint ret;\n\nWhy?\n"
        let an = ReviewParser.analyze(reply(body))
        let d = an.quotedDiff
        #expect(d.hunks.first?.section == "static const struct vdpa_config_ops snet_config_ops = {")
        #expect(d.lines.map(\.text) == [" static int psnet_open_pf_bar(struct pci_dev *pdev, struct psnet *psnet)", " {", "\tint ret;"])
        #expect(d.lines.map(\.oldLine) == [556, 557, 558])
        #expect(an.remarks.first?.anchor?.function == "psnet_open_pf_bar")
    }
}
