import Testing
@testable import Patch

// Small patches written for each feature of the parser; every test asserts exact values.

let formatPatch = """
From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
Subject: [PATCH v2] foo: fix bar

The bar was wrong.
---
v2: fixed the typo Al pointed out
---

 lib/foo.c  | 5 +++--
 lib/new.h  | 2 ++
 2 files changed, 5 insertions(+), 2 deletions(-)
 create mode 100644 lib/new.h

diff --git a/lib/foo.c b/lib/foo.c
index 0123abc..4567def 100644
--- a/lib/foo.c
+++ b/lib/foo.c
@@ -10,4 +10,5 @@ static int foo_probe(struct device *dev)
 \tint a;
-\tint b;
+\tlong b;
+\tlong c;
 
 \treturn 0;
@@ -40 +41 @@ int foo_remove(void)
-\treturn 1;
+\treturn 0;
diff --git a/lib/new.h b/lib/new.h
new file mode 100644
index 0000000..89abcde
--- /dev/null
+++ b/lib/new.h
@@ -0,0 +1,2 @@
+#define NEW 1
+#define OLD 0
-- 
2.30.0

"""

@Test func formatPatchCommitMessageSeparatorNotesDiffstat() {
    let p = PatchParser.parse(formatPatch)
    #expect(p.warnings == [])
    // The first `---` line ends the commit message (what `git am` does); the rest is notes and stat.
    #expect(p.commitMessage == """
        From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
        Subject: [PATCH v2] foo: fix bar

        The bar was wrong.
        """)
    #expect(p.notes == "v2: fixed the typo Al pointed out\n---")
    #expect(p.diffstat == [" lib/foo.c  | 5 +++--", " lib/new.h  | 2 ++",
                           " 2 files changed, 5 insertions(+), 2 deletions(-)", " create mode 100644 lib/new.h"])
    #expect(p.files.map(\.path) == ["lib/foo.c", "lib/new.h"])
    #expect(p.insertions == 5 && p.deletions == 2)
}

@Test func formatPatchHunksAndLineNumbers() throws {
    let p = PatchParser.parse(formatPatch)
    let foo = p.files[0]
    #expect(foo.change == .modified)
    #expect(foo.oldHash == "0123abc" && foo.newHash == "4567def")
    #expect(foo.hunks.map(\.header) == ["-10,4 +10,5", "-40,1 +41,1"])
    #expect(foo.hunks.map(\.section) == ["static int foo_probe(struct device *dev)", "int foo_remove(void)"])
    let h = foo.hunks[0]
    #expect(h.lines == [
        HunkLine(kind: .context, text: "\tint a;", oldLine: 10, newLine: 10, inputLine: 18),
        HunkLine(kind: .removed, text: "\tint b;", oldLine: 11, newLine: nil, inputLine: 19),
        HunkLine(kind: .added, text: "\tlong b;", oldLine: nil, newLine: 11, inputLine: 20),
        HunkLine(kind: .added, text: "\tlong c;", oldLine: nil, newLine: 12, inputLine: 21),
        HunkLine(kind: .context, text: "", oldLine: 12, newLine: 13, inputLine: 22),
        HunkLine(kind: .context, text: "\treturn 0;", oldLine: 13, newLine: 14, inputLine: 23),
    ])
    #expect(h.inputLine == 17)
    #expect(foo.inputLine == 13)
    #expect(foo.hunks[1].lines.map(\.oldLine) == [40, nil])
    #expect(foo.hunks[1].lines.map(\.newLine) == [nil, 41])
    let new = p.files[1]
    #expect(new.change == .added)
    #expect(new.oldPath == nil && new.newPath == "lib/new.h")
    #expect(new.newMode == "100644" && new.oldMode == nil)
    // The `-- ` signature after the last hunk is not a removed line.
    #expect(new.hunks[0].lines.map(\.text) == ["#define NEW 1", "#define OLD 0"])
    #expect(new.hunks[0].lines.map(\.newLine) == [1, 2])
}

@Test func deletedFileAndModeChange() {
    let text = """
    diff --git a/scripts/run.sh b/scripts/run.sh
    old mode 100644
    new mode 100755
    diff --git a/old.c b/old.c
    deleted file mode 100644
    index 1234567..0000000
    --- a/old.c
    +++ /dev/null
    @@ -1,2 +0,0 @@
    -int x;
    -int y;
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files.count == 2)
    let mode = p.files[0]
    #expect(mode.change == .modified && mode.oldMode == "100644" && mode.newMode == "100755")
    #expect(mode.oldPath == "scripts/run.sh" && mode.newPath == "scripts/run.sh" && mode.hunks.isEmpty)
    let del = p.files[1]
    #expect(del.change == .deleted && del.oldPath == "old.c" && del.newPath == nil && del.path == "old.c")
    #expect(del.oldMode == "100644")
    #expect(del.hunks[0].header == "-1,2 +0,0")
    #expect(del.hunks[0].lines.map(\.oldLine) == [1, 2])
    #expect(del.deletions == 2)
}

@Test func renamesAndCopies() {
    let text = """
    diff --git a/drivers/old name.c b/drivers/new name.c
    similarity index 100%
    rename from drivers/old name.c
    rename to drivers/new name.c
    diff --git a/a.c b/b.c
    similarity index 91%
    rename from a.c
    rename to b.c
    index 1111111..2222222 100644
    --- a/a.c
    +++ b/b.c
    @@ -1,1 +1,1 @@
    -old
    +new
    diff --git a/x/tmpl.c b/y/copy.c
    similarity index 80%
    copy from x/tmpl.c
    copy to y/copy.c
    diff --git a/big.c b/big.c
    dissimilarity index 75%
    index 3333333..4444444 100644
    --- a/big.c
    +++ b/big.c
    @@ -1 +1 @@
    -a
    +b
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files.map(\.change) == [.renamed, .renamed, .copied, .modified])
    #expect(p.files.map(\.oldPath) == ["drivers/old name.c", "a.c", "x/tmpl.c", "big.c"])
    #expect(p.files.map(\.newPath) == ["drivers/new name.c", "b.c", "y/copy.c", "big.c"])
    #expect(p.files.map(\.similarity) == [100, 91, 80, nil])
    #expect(p.files[3].dissimilarity == 75)
    #expect(p.files[1].hunks.count == 1 && p.files[0].hunks.isEmpty)
}

@Test func binaryPatches() {
    let text = """
    diff --git a/fw/blob.bin b/fw/blob.bin
    index 5555555..6666666 100644
    Binary files a/fw/blob.bin and b/fw/blob.bin differ
    diff --git a/img/logo.png b/img/logo.png
    new file mode 100644
    index 0000000000000000000000000000000000000000..7777777777777777777777777777777777777777
    GIT binary patch
    literal 12
    TcmZ?wbhEHbRA5kG_{;zR5CZ}N

    literal 0
    HcmV?d00001

    diff --git a/c.c b/c.c
    --- a/c.c
    +++ b/c.c
    @@ -3 +3 @@
    -x
    +y
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files.map(\.path) == ["fw/blob.bin", "img/logo.png", "c.c"])
    #expect(p.files.map(\.isBinary) == [true, true, false])
    #expect(p.files[1].change == .added)
    #expect(p.files[0].hunks.isEmpty && p.files[1].hunks.isEmpty)
    #expect(p.files[2].hunks.map(\.header) == ["-3,1 +3,1"])
}

@Test func nonGitBinaryLineBetweenFiles() {
    let text = """
    Plain diff -r output.

    diff -urN a/x.c b/x.c
    --- a/x.c\t2021-01-01 00:00:00.000000000 +0000
    +++ b/x.c\t2021-01-02 00:00:00.000000000 +0000
    @@ -1 +1 @@
    -1
    +2
    Binary files a/pic.jpg and b/pic.jpg differ
    diff -urN a/y.c b/y.c
    --- a/y.c\t2021-01-01 00:00:00.000000000 +0000
    +++ b/y.c\t2021-01-02 00:00:00.000000000 +0000
    @@ -1 +1 @@
    -3
    +4
    """
    let found = PatchParser.findPatches(in: text)
    #expect(found.count == 1)
    #expect(found[0].patch.files.map(\.path) == ["x.c", "pic.jpg", "y.c"])
    #expect(found[0].patch.files.map(\.isBinary) == [false, true, false])
    #expect(found[0].patch.files.map(\.isGitDiff) == [false, false, false])
    #expect(found[0].patch.commitMessage == "Plain diff -r output.")
    #expect(found[0].diffStart == 3)
}

@Test func noNewlineAtEndMarkers() {
    let text = """
    diff --git a/f b/f
    --- a/f
    +++ b/f
    @@ -1,2 +1,2 @@
     keep
    -last
    \\ No newline at end of file
    +last
    diff --git a/g b/g
    --- a/g
    +++ b/g
    @@ -1 +1 @@
    -one
    +two
    \\ No newline at end of file
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files[0].hunks[0].lines.map(\.noNewlineAtEnd) == [false, true, false])
    #expect(p.files[1].hunks[0].lines.map(\.noNewlineAtEnd) == [false, true])
    #expect(p.files[1].hunks[0].lines.map(\.text) == ["one", "two"])
}

@Test func quotedPaths() {
    let text = """
    diff --git "a/dir/foo\\tbar" "b/dir/foo\\tbar"
    index 1111111..2222222 100644
    --- "a/dir/foo\\tbar"
    +++ "b/dir/foo\\tbar"
    @@ -1 +1 @@
    -a
    +b
    diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251 \\"q\\".txt"
    similarity index 99%
    rename from "caf\\303\\251.txt"
    rename to "caf\\303\\251 \\"q\\".txt"
    diff --git a/plain "b/with\\ttab"
    old mode 100644
    new mode 100755
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files[0].oldPath == "dir/foo\tbar" && p.files[0].newPath == "dir/foo\tbar")
    #expect(p.files[1].oldPath == "café.txt")
    #expect(p.files[1].newPath == "café \"q\".txt")
    #expect(p.files[1].change == .renamed)
    #expect(p.files[2].oldPath == "plain" && p.files[2].newPath == "with\ttab")
}

@Test func unquotedNamesWithSpacesAndTimestamps() {
    let text = """
    diff --git a/my file.c b/my file.c
    --- a/my file.c\t
    +++ b/my file.c\t
    @@ -1 +1 @@
    -a
    +b
    --- linux-5.10.orig/fs/x.c\t2021-02-15 20:15:47.000000000 -0500
    +++ linux-5.10/fs/x.c\t2021-02-16 10:00:00.000000000 -0500
    @@ -7,3 +7,3 @@ void f(void)
     a
    -b
    +c
     d
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files.map(\.oldPath) == ["my file.c", "fs/x.c"])
    #expect(p.files.map(\.newPath) == ["my file.c", "fs/x.c"])
    #expect(p.files.map(\.isGitDiff) == [true, false])
}

@Test func traditionalDiffNewFileByEpochAndQuiltIndexLines() {
    let text = """
    Index: linux/a.c
    ===================================================================
    --- linux.orig/a.c\t1970-01-01 00:00:00.000000000 +0000
    +++ linux/a.c\t2021-02-16 10:00:00.000000000 +0000
    @@ -0,0 +1,2 @@
    +x
    +y
    Index: linux/b.c
    ===================================================================
    --- linux.orig/b.c
    +++ /dev/null
    @@ -1 +0,0 @@
    -z
    """
    let found = PatchParser.findPatches(in: text)
    #expect(found.count == 1)
    let p = found[0].patch
    #expect(p.warnings == [])
    #expect(p.files.map(\.change) == [.added, .deleted])
    #expect(p.files.map(\.path) == ["a.c", "b.c"])
    #expect(p.files[0].oldPath == nil && p.files[1].newPath == nil)
    #expect(p.commitMessage == "")
}

@Test func hunkCountDefaultsAndZeroCounts() {
    let text = """
    --- a/f
    +++ b/f
    @@ -3 +3,2 @@
     c
    +d
    @@ -9,0 +11,2 @@ tail
    +x
    +y
    @@ -20,2 +22,0 @@
    -p
    -q
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    let h = p.files[0].hunks
    #expect(h.map(\.header) == ["-3,1 +3,2", "-9,0 +11,2", "-20,2 +22,0"])
    #expect(h[0].lines.map(\.oldLine) == [3, nil] && h[0].lines.map(\.newLine) == [3, 4])
    #expect(h[1].lines.map(\.newLine) == [11, 12] && h[1].lines.map(\.oldLine) == [nil, nil])
    #expect(h[1].section == "tail")
    #expect(h[2].lines.map(\.oldLine) == [20, 21] && h[2].lines.map(\.newLine) == [nil, nil])
}

@Test func crlfAndMissingTrailingNewline() {
    let text = "Fix it.\r\n---\r\n f | 2 +-\r\n\r\ndiff --git a/f b/f\r\n--- a/f\r\n+++ b/f\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c"
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.commitMessage == "Fix it.")
    #expect(p.diffstat == [" f | 2 +-"])
    #expect(p.files[0].hunks[0].lines.map(\.text) == ["a", "b", "c"])
    #expect(p.files[0].path == "f")
}

@Test func emptyContextLineThatLostItsSpace() {
    // Mail stripped the trailing space of the empty context line (line 3 of the hunk).
    let text = "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n\n c\n"
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    let lines = p.files[0].hunks[0].lines
    #expect(lines.map(\.kind) == [.context, .removed, .added, .context, .context])
    #expect(lines[3].text == "" && lines[3].oldLine == 3 && lines[3].newLine == 3)
    #expect(lines[4].oldLine == 4 && lines[4].newLine == 4)
}

@Test func signatureAfterLastHunkWithoutTrailingSpace() {
    let text = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n--\n2.34.1\n"
    let p = PatchParser.parse(text)
    #expect(p.warnings == [])
    #expect(p.files[0].hunks[0].lines.count == 3)
    #expect(p.deletions == 1)
}

@Test func damagedCountsGiveWarnings() throws {
    // Too short: the header promises 4 old/4 new lines, the reply cut it after 2; then a signature.
    let short = "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-b\n+c\n-- \nJoe\n"
    let p = PatchParser.parse(short)
    #expect(p.warnings.count == 1)
    let w = try #require(p.warnings.first)
    #expect(w.kind == .hunkTooShort && w.isCountMismatch && w.line == 2)
    #expect(w.message == "f: hunk @@ -1,4 +1,4 @@ has 2 old and 2 new lines, stopped at line 7")
    #expect(w.description == "line 3: f: hunk @@ -1,4 +1,4 @@ has 2 old and 2 new lines, stopped at line 7")
    // The signature dash line was not kept as a removed line.
    #expect(p.files[0].hunks[0].lines.map(\.text) == ["a", "b", "c"])

    // Too long: a hand-edited hunk whose counts are one short.
    let long = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n+d\n"
    let q = PatchParser.parse(long)
    #expect(q.warnings.map(\.kind) == [.hunkTooLong])
    #expect(q.warnings.first?.message == "f: hunk @@ -1,2 +1,2 @@ is followed by more diff lines at line 7")
    #expect(q.files[0].hunks[0].lines.count == 3)

    // Truncated at the end of the text.
    let cut = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n"
    let r = PatchParser.parse(cut)
    #expect(r.warnings.map(\.message) == ["f: hunk @@ -1,3 +1,3 @@ has 1 old and 1 new lines, text ended"])
}

@Test func badHeadersAreWarningsNotCrashes() {
    let text = """
    diff --git a/f b/f
    --- a/f
    +++ b/f
    @@ -1,99999999999 +1 @@
     x
    diff --cc merged.c
    @@@ -1,1 -1,1 +1,1 @@@
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings.map(\.kind) == [.badHunkHeader])
    #expect(p.files.count == 1 && p.files[0].hunks.isEmpty)
    // A lone `diff --git` with nothing readable after it.
    let q = PatchParser.parse("diff --git nospace\n")
    #expect(q.warnings.map(\.kind) == [.badGitHeader])
    #expect(q.files.count == 1 && q.files[0].path == "")
}

@Test func findPatchesSplitsAtProse() {
    let text = """
    Hi,

    Does this help?

    diff --git a/a.c b/a.c
    --- a/a.c
    +++ b/a.c
    @@ -1 +1 @@
    -a
    +b

    And for the other bug, maybe:

    --- a/b.c
    +++ b/b.c
    @@ -5,2 +5,2 @@ int g(void)
     x
    -y
    +z
    Thanks
    """
    let found = PatchParser.findPatches(in: text)
    #expect(found.count == 2)
    #expect(found[0].patch.commitMessage == "Hi,\n\nDoes this help?")
    #expect(found[0].patch.files.map(\.path) == ["a.c"])
    #expect(found[0].lines == 0..<10)
    #expect(found[0].diffStart == 4)
    #expect(found[1].patch.commitMessage == "And for the other bug, maybe:")
    #expect(found[1].patch.files.map(\.path) == ["b.c"])
    #expect(found[1].lines == 10..<19)
    #expect(found[1].diffStart == 13)
    // parse() joins both into one patch with the first commit message.
    let whole = PatchParser.parse(text)
    #expect(whole.files.map(\.path) == ["a.c", "b.c"])
    #expect(whole.commitMessage == "Hi,\n\nDoes this help?")
}

@Test func containsDiffDetection() {
    #expect(PatchParser.containsDiff("text\ndiff --git a/x b/x\n"))
    #expect(PatchParser.containsDiff("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"))
    #expect(!PatchParser.containsDiff("> diff --git a/x b/x\n> --- a/x\n"))
    #expect(!PatchParser.containsDiff("--- a/x\n+++ b/x\n@@ foo\n"))
    #expect(!PatchParser.containsDiff("Some prose.\n---\n 1 file changed\n"))
    #expect(!PatchParser.containsDiff(""))
    #expect(PatchParser.parse("just words\n").files.isEmpty)
    #expect(PatchParser.parse("just words\n").commitMessage == "just words")
}

@Test func sectionFunctionNames() {
    func fn(_ s: String) -> String? { Hunk(oldStart: 1, oldCount: 1, newStart: 1, newCount: 1, section: s, lines: []).sectionFunctionName }
    func sym(_ s: String) -> String? { Hunk(oldStart: 1, oldCount: 1, newStart: 1, newCount: 1, section: s, lines: []).sectionSymbol }
    #expect(fn("static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,") == "vfio_ap_mdev_set_kvm")
    #expect(fn("static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {") == nil)
    #expect(sym("static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {") == "vfio_ap_mdev_attr_groups")
    #expect(fn("int __init __attribute__((cold)) foo_init(void)") == "foo_init")
    #expect(fn("static void (*get_handler(int n))(void)") == "get_handler")
    #expect(fn("int (*fp)(void) = NULL;") == nil)
    #expect(fn("SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)") == "sys_read")
    #expect(fn("COMPAT_SYSCALL_DEFINE2(foo, int, a, int, b)") == "compat_sys_foo")
    #expect(fn("static DEFINE_MUTEX(foo_lock);") == nil)
    #expect(fn("int foo(void);") == nil)
    #expect(fn("#define FOO(x) \\\\") == nil)
    #expect(sym("#define FOO(x) \\\\") == "FOO")
    #expect(fn("out_unlock:") == nil && sym("out_unlock:") == nil)
    #expect(sym("struct vfio_ap_queue {") == "vfio_ap_queue")
    #expect(sym("static const struct file_operations foo_fops = {") == "foo_fops")
    #expect(fn("") == nil && sym("") == nil)
    #expect(fn("void f(const char *s = \"a(b\")") == "f")
}

@Test func wrappedHunkHeaderIsJoined() {
    let text = """
    diff --git a/parse.c b/parse.c
    --- a/parse.c
    +++ b/parse.c
    @@ -2859,2 +2859,3 @@ struct token *external_declaration(struct token
    *token, struct symbol_list **list)
     \tmod = storage_modifiers(&ctx);
    +\tmod |= ctx.ctype.modifiers & MOD_NORETURN;
     \tdecl = alloc_symbol(token->pos, SYM_NODE);
    """
    let p = PatchParser.parse(text)
    #expect(p.warnings.map(\.kind) == [.wrappedHunkHeader])
    #expect(p.warnings.allSatisfy { !$0.isCountMismatch })
    let h = p.files[0].hunks[0]
    #expect(h.section == "struct token *external_declaration(struct token *token, struct symbol_list **list)")
    #expect(h.sectionFunctionName == "external_declaration")
    #expect(h.lines.map(\.newLine) == [2859, 2860, 2861])
}

@Test func lineShapeModeReadsTrimmedQuotedHunks() {
    // A reviewer kept only part of the hunk, so its counts no longer match.
    let text = """
    --- a/f.c
    +++ b/f.c
    @@ -10,8 +10,9 @@ int f(void)
     \tint a;
    -\tint b;
    +\tlong b;
    +\tlong c;

     \treturn a;
    I don't think this is right.
    -- 
    Reviewer
    """
    let strict = PatchParser.parse(text)
    #expect(strict.warnings.map(\.kind) == [.hunkTooShort])
    #expect(strict.files[0].hunks[0].lines.count == 6)

    let lenient = PatchParser.parse(text, options: PatchParseOptions(hunkEnd: .lineShape))
    #expect(lenient.warnings.map(\.kind) == [.hunkTooShort])
    #expect(lenient.warnings.map(\.message) == ["f.c: hunk @@ -10,8 +10,9 @@ has 4 old and 5 new lines"])
    let lines = lenient.files[0].hunks[0].lines
    #expect(lines.map(\.text) == ["\tint a;", "\tint b;", "\tlong b;", "\tlong c;", "", "\treturn a;"])
    #expect(lines.map(\.newLine) == [10, nil, 11, 12, 13, 14])
    #expect(lines.map(\.oldLine) == [10, 11, nil, nil, 12, 13])

    // Longer than its counts, then a signature: the signature is not a removed line.
    let long = "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n-- \nJoe\n"
    let q = PatchParser.parse(long, options: PatchParseOptions(hunkEnd: .lineShape))
    #expect(q.files[0].hunks[0].lines.map(\.text) == ["a", "b", "c"])
    #expect(q.warnings.map(\.kind) == [.hunkTooLong])
}
