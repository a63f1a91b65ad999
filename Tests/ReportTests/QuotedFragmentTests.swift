import Testing
import Patch
import Review
@testable import Report

/// The patch the rules rebuild from a reply's quotes (`PatchFacts.patch(fromQuotes:)`): quoted lines
/// whose hunk header the reviewer cut count when the reviewer's tree placed them for certain.
struct QuotedFragmentTests {
    static func line(_ kind: HunkLine.Kind, _ text: String, hunk: Int, old: Int?, new: Int?, _ numbering: Numbering) -> QuotedDiffLine {
        QuotedDiffLine(bodyLine: 0, depth: 1, kind: kind, text: text, hunk: hunk, file: "drivers/foo.c",
                       oldLine: old, newLine: new, numbering: numbering, function: "foo_probe")
    }

    static func diff(cutNumbering: Numbering) -> QuotedDiff {
        let lines = [
            line(.context, "\tnp = of_get_child_by_name(dev->of_node, \"ports\");", hunk: 0, old: 40, new: 40, .header),
            line(.added, "\tif (!np)", hunk: 0, old: nil, new: 41, .header),
            line(.added, "\t\treturn -ENODEV;", hunk: 0, old: nil, new: 42, .header),
            // The reviewer cut the next header: the tree placed these.
            line(.context, "\tret = foo_parse(np);", hunk: 1, old: 60, new: 62, cutNumbering),
            line(.removed, "\tif (ret)", hunk: 1, old: 61, new: nil, cutNumbering),
            line(.added, "\tif (ret < 0)", hunk: 1, old: nil, new: 63, cutNumbering),
            line(.context, "\t\treturn ret;", hunk: 1, old: 62, new: 64, cutNumbering),
        ]
        let hunks = [
            QuotedHunk(depth: 1, file: "drivers/foo.c", oldStart: 40, oldCount: 1, newStart: 40, newCount: 3,
                       section: "static int foo_probe(struct platform_device *pdev)", bodyLine: 0, firstLineIndex: 0,
                       lineCount: 3),
            QuotedHunk(depth: 1, file: nil, oldStart: nil, oldCount: nil, newStart: nil, newCount: nil,
                       section: "", bodyLine: 5, firstLineIndex: 3, lineCount: 4),
        ]
        return QuotedDiff(hunks: hunks, lines: lines)
    }

    @Test func placedLinesWithoutAHeaderAreAHunk() throws {
        let patch = try #require(PatchFacts.patch(fromQuotes: Self.diff(cutNumbering: .tree)))
        let file = try #require(patch.files.first)
        #expect(patch.files.count == 1 && file.path == "drivers/foo.c")
        #expect(file.hunks.map { "-\($0.oldStart),\($0.oldCount) +\($0.newStart),\($0.newCount)" } == ["-40,1 +40,3", "-60,3 +62,3"])
        // The cut hunk takes the function context of the quoted hunk of the same function.
        #expect(file.hunks[1].section == "static int foo_probe(struct platform_device *pdev)")
    }

    @Test func unplacedLinesAreLeftOut() throws {
        for numbering in [Numbering.uncertain, .unknown] {
            let patch = try #require(PatchFacts.patch(fromQuotes: Self.diff(cutNumbering: numbering)))
            #expect(patch.files.first?.hunks.count == 1)
        }
    }

    /// The tree placed the cut run on the pre-image only (`.treeSide`: the exact blob, no header to
    /// count the post-image from): the post-image is counted from the quoted hunk above it.
    @Test func oneSidePlacedRunTakesItsOtherSideFromTheHunkAbove() throws {
        var diff = Self.diff(cutNumbering: .treeSide)
        for i in 3..<diff.lines.count where diff.lines[i].kind != .added { diff.lines[i].newLine = nil }
        let patch = try #require(PatchFacts.patch(fromQuotes: diff))
        let hunk = try #require(patch.files.first?.hunks.last)
        #expect("-\(hunk.oldStart),\(hunk.oldCount) +\(hunk.newStart),\(hunk.newCount)" == "-60,3 +62,3")
        #expect(hunk.lines.map(\.newLine) == [62, nil, 63, 64])
    }

    /// A run placed on one side in a file with no quoted header at all has nothing to count the
    /// other side from: left out.
    @Test func oneSidePlacedRunAloneIsLeftOut() {
        var diff = Self.diff(cutNumbering: .treeSide)
        diff.lines.removeFirst(3)
        diff.hunks.removeFirst()
        diff.hunks[0].firstLineIndex = 0
        for i in diff.lines.indices where diff.lines[i].kind != .added { diff.lines[i].newLine = nil }
        #expect(PatchFacts.patch(fromQuotes: diff) == nil)
    }
}
