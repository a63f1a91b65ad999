import Testing
@testable import Patch

// Applying a file patch forwards and in reverse, with offsets, newline-at-end and failures.

private func file(_ text: String) throws -> FilePatch {
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    return try #require(p.files.first)
}

private let pre = """
#include <a.h>

static int count;

int inc(void)
{
\tcount++;
\treturn count;
}

int dec(void)
{
\tcount--;
\treturn count;
}

"""

private let post = """
#include <a.h>

static long count;

int inc(void)
{
\tcount++;
\treturn count;
}

int dec(void)
{
\tif (count)
\t\tcount--;
\treturn count;
}

"""

private let twoHunks = """
--- a/c.c
+++ b/c.c
@@ -1,5 +1,5 @@
 #include <a.h>
 
-static int count;
+static int count;
 
 int inc(void)
@@ -10,6 +10,7 @@ int inc(void)
 
 int dec(void)
 {
-\tcount--;
+\tif (count)
+\t\tcount--;
 \treturn count;
 }
""".replacingOccurrences(of: "+static int count;", with: "+static long count;")

@Test func applyAndReverseAtStatedLines() throws {
    let f = try file(twoHunks)
    let r = try f.applying(to: pre)
    #expect(r.text == post)
    #expect(r.offsets == [0, 0])
    #expect(try f.apply(to: pre) == post)
    #expect(try f.reverseApply(to: post) == pre)
}

@Test func applyWithOffset() throws {
    let f = try file(twoHunks)
    let shifted = "/* SPDX */\n/* extra */\n/* lines */\n" + pre
    let r = try f.applying(to: shifted)
    #expect(r.text == "/* SPDX */\n/* extra */\n/* lines */\n" + post)
    #expect(r.offsets == [3, 3])
    // Reverse with the shifted post-image.
    let back = try f.applying(to: "/* SPDX */\n/* extra */\n/* lines */\n" + post, reverse: true)
    #expect(back.text == shifted)
    #expect(back.offsets == [3, 3])
    // Lines removed above the second hunk only: it applies 2 lines earlier.
    let shorter = pre.replacingOccurrences(of: "int inc(void)\n{\n\tcount++;\n", with: "int inc(void)\n{\n")
        .replacingOccurrences(of: "\treturn count;\n}\n\nint dec", with: "}\n\nint dec")
    let r2 = try f.applying(to: shorter)
    #expect(r2.offsets == [0, -2])
}

@Test func applyFailureNamesHunkAndLine() throws {
    let f = try file(twoHunks)
    let changed = pre.replacingOccurrences(of: "\tcount--;", with: "\tcount -= 2;")
    do {
        _ = try f.apply(to: changed)
        Issue.record("expected an error")
    } catch {
        #expect(error.reason == .contextMismatch)
        #expect(error.hunk == 2 && error.hunkHeader == "-10,6 +10,7" && error.line == 13)
        #expect(error.expected == "\tcount--;" && error.found == "\tcount -= 2;")
        #expect(error.description == "c.c: hunk #2 (@@ -10,6 +10,7 @@) does not apply at line 13: expected \"\\tcount--;\" but found \"\\tcount -= 2;\"")
    }
    // Past the end of the content.
    do {
        _ = try f.apply(to: "#include <a.h>\n")
        Issue.record("expected an error")
    } catch {
        #expect(error.description == "c.c: hunk #1 (@@ -1,5 +1,5 @@) does not apply at line 2: expected \"\" but found the end of the content")
    }
    // Reversing a patch on its pre-image fails on the first hunk.
    #expect(throws: PatchApplyError.self) { try f.reverseApply(to: pre) }
}

@Test func noNewlineAtEndForwardAndReverse() throws {
    let add = try file("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")
    #expect(try add.apply(to: "a\nb") == "a\nb\n")
    #expect(try add.reverseApply(to: "a\nb\n") == "a\nb")
    let drop = try file("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n")
    #expect(try drop.apply(to: "a\nb\n") == "a\nc")
    #expect(try drop.reverseApply(to: "a\nc") == "a\nb\n")
    // The patch says the old file has no newline at its end, but this content has one.
    do {
        _ = try add.apply(to: "a\nb\n")
        Issue.record("expected an error")
    } catch {
        #expect(error.reason == .newlineAtEndMismatch && error.hunk == 1 && error.line == 2)
    }
    // Context marked on both sides: the missing newline stays missing.
    let both = try file("--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n+z\n a\n b\n\\ No newline at end of file\n")
    #expect(try both.apply(to: "a\nb") == "z\na\nb")
}

@Test func applyNewAndDeletedFiles() throws {
    let new = try file("diff --git a/n.c b/n.c\nnew file mode 100644\n--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,2 @@\n+x\n+y\n")
    #expect(try new.apply(to: "") == "x\ny\n")
    #expect(try new.reverseApply(to: "x\ny\n") == "")
    let gone = try file("diff --git a/n.c b/n.c\ndeleted file mode 100644\n--- a/n.c\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n")
    #expect(try gone.apply(to: "x\ny\n") == "")
    #expect(try gone.reverseApply(to: "") == "x\ny\n")
    // Pure insertion (-U0) at its stated place.
    let ins = try file("--- a/f\n+++ b/f\n@@ -2,0 +3 @@\n+new\n")
    #expect(try ins.apply(to: "1\n2\n3\n") == "1\n2\nnew\n3\n")
    #expect(try ins.reverseApply(to: "1\n2\nnew\n3\n") == "1\n2\n3\n")
}

@Test func applyIgnoringWhitespaceKeepsContentContext() throws {
    // The mail turned the tabs of the context into spaces.
    let f = try file("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n int f(void)\n-        return 1;\n+\treturn 2;\n }\n")
    let content = "int f(void)\n\treturn 1;\n}\n"
    #expect(throws: PatchApplyError.self) { try f.apply(to: content) }
    let r = try f.applying(to: content, ignoringWhitespace: true)
    #expect(r.text == "int f(void)\n\treturn 2;\n}\n")
}

@Test func binaryPatchDoesNotApply() throws {
    let f = try file("diff --git a/b.bin b/b.bin\nindex 1..2 100644\nBinary files a/b.bin and b/b.bin differ\n")
    #expect(f.isBinary)
    do {
        _ = try f.apply(to: "")
        Issue.record("expected an error")
    } catch {
        #expect(error.reason == .binary)
        #expect(error.description == "b.bin: binary patch cannot be applied")
    }
}

@Test func sampleHunksApplyToTheirOwnPreImage() throws {
    // Rebuild the pre-image region of each sample hunk from its own lines, then apply.
    let body = try quotedSampleLines(fromFirstDiff: true).joined(separator: "\n") + "\n"
    let f = try #require(PatchParser.parse(body).files.first)
    var preLines: [String] = []
    var postLines: [String] = []
    var oldNext = 1, newNext = 1
    for h in f.hunks {
        // Filler lines so that the hunk lands exactly at its stated line.
        while oldNext < h.oldStart { preLines.append("/* old \(oldNext) */"); oldNext += 1 }
        while newNext < h.newStart { postLines.append("/* old \(newNext - h.newStart + h.oldStart) */"); newNext += 1 }
        for l in h.lines where l.kind != .added { preLines.append(l.text); oldNext += 1 }
        for l in h.lines where l.kind != .removed { postLines.append(l.text); newNext += 1 }
    }
    let preText = preLines.joined(separator: "\n") + "\n"
    let r = try f.applying(to: preText)
    #expect(r.offsets == [0, 0, 0, 0])
    let out = r.text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(out[1145 - 1] == "\t\tmatrix_mdev->kvm = NULL;")
    #expect(out[1062 - 1] == "\t\tmutex_unlock(&matrix_dev->lock);")
    #expect(try f.reverseApply(to: r.text) == preText)
}
