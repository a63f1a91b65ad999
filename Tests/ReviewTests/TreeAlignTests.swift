import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// A lone reply's quotes aligned with the quoted file from the reviewer's tree (no thread).
@Suite struct TreeAlignTests {
    /// `foo.c` with the probe hunk's pre-image (or post-image) at line 40, filler around it.
    static func file(post: Bool) -> [String] {
        var lines = (1...39).map { "/* filler \($0) */" }
        for l in probeLines where l.first != (post ? "-" : "+") { lines.append(String(l.dropFirst())) }
        lines += (1...30).map { "/* tail filler \($0) */" }
        return lines
    }

    static func lookup(post: Bool = false, exact: Bool = false) -> QuotedFileLookup {
        { path, _ in path == "drivers/foo/foo.c" ? QuotedFile(lines: file(post: post), isPreImageBlob: exact) : nil }
    }

    /// The header and the first two lines, a snip, then `after`, then a remark.
    static func snipped(_ after: [String]) -> Message {
        reply(quoted(probeHeader + Array(probeLines[0..<2])) + "\n> [...]\n" + quoted(after) + "\n\nWhy?\n")
    }

    @Test func aRemovedLineAfterASnipGetsItsLineFromThePreImage() throws {
        let m = Self.snipped([probeLines[3]])
        let alone = try #require(ReviewParser.analyze(m).remarks.first?.anchor)
        #expect(alone.numbering == .unknown && alone.oldLine == nil)
        let a = try #require(ReviewParser.analyze(m, tree: Self.lookup()).remarks.first?.anchor)
        #expect(a.numbering == .tree && a.oldLine == 43 && a.side == .removed)
        // the thread gives the same line
        let thread = try #require(ReviewParser.analyze(m, original: probePatch).remarks.first?.anchor)
        #expect(thread.oldLine == a.oldLine)
    }

    @Test func anAddedLineAfterASnipGetsItsLineFromThePostImage() throws {
        // the tree already holds the patch: the added line is found in its file
        let m = Self.snipped([probeLines[8]])
        let a = try #require(ReviewParser.analyze(m, tree: Self.lookup(post: true)).remarks.first?.anchor)
        #expect(a.numbering == .tree && a.newLine == 47 && a.side == .added, "\(a)")
        let thread = try #require(ReviewParser.analyze(m, original: probePatch).remarks.first?.anchor)
        #expect(thread.newLine == a.newLine)
    }

    @Test func contextAfterACutIsNumberedWhenTheCountsConfirmIt() throws {
        // cut: the blank context line and the removed/added pair; quoted to the hunk's end
        let m = reply(quoted(probeHeader + Array(probeLines[0..<2])) + "\n> [...]\n" + quoted(Array(probeLines[5...]))
                      + "\n\nWhy here?\n")
        let a = try #require(ReviewParser.analyze(m, tree: Self.lookup()).remarks.first?.anchor)
        let thread = try #require(ReviewParser.analyze(m, original: probePatch).remarks.first?.anchor)
        #expect(a.oldLine == thread.oldLine && a.newLine == thread.newLine, "\(a) \(thread)")
        #expect(a.numbering == .fromEnd || a.numbering == .tree, "\(a)")
        // a line in the middle of the part after the cut
        let mid = reply(quoted(probeHeader + Array(probeLines[0..<2])) + "\n> [...]\n" + quoted(Array(probeLines[5...6]))
                        + "\n\nAnd here?\n" + quoted(Array(probeLines[7...])) + "\n")
        let b = try #require(ReviewParser.analyze(mid, tree: Self.lookup()).remarks.first?.anchor)
        let bt = try #require(ReviewParser.analyze(mid, original: probePatch).remarks.first?.anchor)
        #expect(b.oldLine == bt.oldLine && b.newLine == bt.newLine && b.text == "\t\treturn -ENOMEM;")
    }

    @Test func noHeaderAndTheExactBlobGiveTheOldLine() throws {
        // the reviewer cut the hunk header; the file is named, the blob is the exact pre-image
        let header = Array(probeHeader[0..<4])
        let m = reply(quoted(header + [probeLines[3]]) + "\n\nWhy not devm here?\n\n" + quoted(Array(probeLines[5...6])) + "\n")
        let a = try #require(ReviewParser.analyze(m, tree: Self.lookup(exact: true)).remarks.first?.anchor)
        #expect(a.oldLine == 43 && a.numbering == .tree)
        // the work-tree file may have moved since: a guess
        let g = try #require(ReviewParser.analyze(m, tree: Self.lookup()).remarks.first?.anchor)
        #expect(g.oldLine == 43 && g.numbering == .uncertain)
    }

    @Test func aFileNotInTheTreeChangesNothing() {
        let m = Self.snipped([probeLines[3]])
        let none: QuotedFileLookup = { _, _ in nil }
        #expect(ReviewParser.analyze(m, tree: none) == ReviewParser.analyze(m))
    }

    @Test func theIndexLineNamesTheBlob() {
        var asked: [String?] = []
        let m = Self.snipped([probeLines[3]])
        _ = ReviewParser.analyze(m, tree: { _, blob in asked.append(blob); return nil })
        #expect(asked == ["1111111"])
    }

    @Test func aHunkQuotedWithoutItsFileIsFoundInTheTree() throws {
        // the reviewer cut the diff --git and ---/+++ lines: only the @@ line names the function
        let m = reply(quoted([probeHeader[4]] + Array(probeLines[0..<5])) + "\n\nWhy devm here?\n")
        #expect(ReviewParser.analyze(m).remarks.first?.anchor?.file == nil)
        var searched: [String] = []
        let a = try #require(ReviewParser.analyze(m, tree: Self.lookup(), treeSearch: { text in
            searched.append(text)
            return ["drivers/bar/other.c", "drivers/foo/foo.c"]
        }).remarks.first?.anchor)
        #expect(searched == ["static int foo_probe(struct platform_device *pdev)"])
        #expect(a.file == "drivers/foo/foo.c" && a.newLine == 43 && a.side == .added)
    }
}

