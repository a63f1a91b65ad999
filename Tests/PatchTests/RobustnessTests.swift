import Testing
@testable import Patch

// Bad input never crashes or hangs: huge counts, long lines, truncations and random bytes.

@Test func hugeCountsAndLongLines() {
    let huge = "--- a/f\n+++ b/f\n@@ -1,999999999 +1,999999999 @@\n a\n"
    let p = PatchParser.parse(huge)
    #expect(p.warnings.map(\.kind) == [.hunkTooShort])
    #expect(p.files[0].hunks[0].lines.count == 1)

    let spaces = "diff --git " + String(repeating: "a ", count: 50_000) + "\n"
    let q = PatchParser.parse(spaces)
    #expect(q.files.count == 1)

    let unclosed = "diff --git \"a/foo\\\n--- \"a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
    let r = PatchParser.parse(unclosed)
    #expect(r.warnings.map(\.kind) == [.badGitHeader])
    #expect(r.files[0].hunks.count == 1)
}

@Test func everyTruncationOfTheSampleParses() throws {
    let body = try quotedSampleLines(fromFirstDiff: false).joined(separator: "\n") + "\n"
    let bytes = Array(body.utf8)
    var withFourHunks = 0
    // Cut the text at every 37th byte: each prefix parses, with warnings rather than failures.
    for cut in stride(from: 0, through: bytes.count, by: 37) {
        let p = PatchParser.parse(Array(bytes[0..<cut]))
        let hunks = p.files.first?.hunks.count ?? 0
        #expect(hunks <= 4)
        if hunks == 4 { withFourHunks += 1 }
        for h in p.files.first?.hunks ?? [] {
            #expect(h.lines.filter { $0.kind != .added }.count <= h.oldCount)
        }
    }
    #expect(withFourHunks > 0)
}

@Test func randomBytesDoNotCrash() {
    // A fixed linear congruential generator keeps the test repeatable.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    let pieces = ["diff --git a/x b/x\n", "--- a/x\n", "+++ b/x\n", "@@ -1,2 +1,3 @@\n", "@@ -0,0 +1 @@ f(\n",
                  " ctx\n", "-old\n", "+new\n", "\n", "\\ No newline at end of file\n", "-- \n", "GIT binary patch\n",
                  "literal 5\n", "rename from \"q\\\n", "\r\n", "@@@ -1 -1 +1 @@@\n", "\"", "\u{0}", "\u{FF}"]
    for _ in 0..<300 {
        var text = ""
        for _ in 0..<(next() % 40) { text += pieces[Int(next() % UInt64(pieces.count))] }
        let p = PatchParser.parse(text)
        for f in p.files {
            for h in f.hunks {
                #expect(h.lines.filter { $0.kind != .added }.count <= h.oldCount)
                #expect(h.lines.filter { $0.kind != .removed }.count <= h.newCount)
            }
            _ = try? f.apply(to: "ctx\nold\n")
            _ = try? f.reverseApply(to: "ctx\nnew\n")
        }
        _ = PatchParser.containsDiff(text)
    }
}
