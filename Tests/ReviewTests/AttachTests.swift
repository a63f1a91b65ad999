import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

@Suite struct NestedQuoteTests {
    /// Reviewer 2 answers reviewer 1, who answered the patch author.
    let body = """
    On Wed, 3 Mar 2021 10:00:00 +0100, Reviewer One <one@example.org> wrote:
    > On Tue, Mar 02, 2021 at 09:00:00AM -0800, Dev Author wrote:
    > > On Mon, 1 Mar 2021, Reviewer One wrote:
    > > > @@ -40,10 +40,14 @@ static int foo_probe(struct platform_device *pdev)
    > > >  \tstruct foo *f;
    > > >  \tint ret;
    > > >  
    > > > -\tf = kzalloc(sizeof(*f), GFP_KERNEL);
    > > > +\tf = devm_kzalloc(&pdev->dev, sizeof(*f), GFP_KERNEL);
    > > >
    > > > Why devm here?
    > >
    > > Because the remove path leaked it.
    >
    > Fine, but say so in the commit message.

    Agreed with Reviewer One.
    > > >  \tif (!f)
    > > >  \t\treturn -ENOMEM;

    Unrelated: this check is dead code.
    """

    @Test func depthsAndAuthors() throws {
        let grand = message(from: "Reviewer One <one@example.org>", id: "g@x", parent: "p@x", patch: false)
        let parent = message(from: "Dev Author <dev@example.org>", id: "par@x", parent: "g@x", patch: false)
        let top = message(from: "Reviewer One <one@example.org>", id: "top@x", parent: "par@x", patch: false)
        let byID = ["g@x": grand, "par@x": parent, "top@x": top]
        let me = reply(body, id: "me@x", parent: "top@x")
        let thread = ThreadContext(message: me) { byID[$0] }
        #expect(thread.ancestors.map(\.messageID) == ["top@x", "par@x", "g@x"])
        let an = ReviewParser.analyze(me, thread: thread)
        #expect(an.attributions.map(\.depth) == [0, 1, 2])
        #expect(an.attributions.map(\.name) == ["Reviewer One", "Dev Author", "Reviewer One"])
        #expect(an.quoteAuthors.map(\.depth) == [1, 2, 3])
        #expect(an.quoteAuthors.map(\.source) == [.both, .both, .both])
        #expect(an.quoteAuthors.map(\.displayName) == ["Reviewer One", "Dev Author", "Reviewer One"])
        // the depth-3 diff is one hunk interrupted by depth-2/1/0 text
        let d = an.quotedDiff
        #expect(d.hunks.count == 1 && d.hunks[0].depth == 3)
        #expect(d.lines.map(\.newLine) == [40, 41, 42, nil, 43, 44, 45])
        #expect(an.remarks.map(\.text) == ["Agreed with Reviewer One.", "Unrelated: this check is dead code."])
        #expect(an.remarks[0].target == .prose)
        #expect(an.remarks[0].answers == "Reviewer One")
        #expect(an.remarks[0].span?.text.hasSuffix("\n\nFine, but say so in the commit message.") == true)
        #expect(an.remarks[0].span?.firstLine == 3)
        #expect(an.remarks[1].span?.text == " \tif (!f)\n \t\treturn -ENOMEM;")
        let a = try #require(an.remarks[1].anchor)
        #expect(a.newLine == 45 && a.oldLine == 45 && a.side == .context && a.function == "foo_probe")
        #expect(an.remarks[1].answers == "Reviewer One")
    }

    @Test func attributionDisagreeingWithTheThread() {
        let parent = message(from: "Someone Else <else@example.org>", id: "par@x", parent: nil)
        let an = ReviewParser.analyze(reply("On Mon, 1 Mar 2021, Dev Author wrote:\n> hello\nhi\n"),
                                      thread: ThreadContext(ancestors: [parent]))
        #expect(an.quoteAuthors == [QuoteAuthor(depth: 1, name: "Dev Author", email: "else@example.org", source: .conflict,
                                                threadName: "Someone Else", threadEmail: "else@example.org", messageID: "par@x")])
    }

    @Test func threadAloneNamesTheAuthor() {
        let parent = message(from: "Tony Krowiak <akrowiak@linux.ibm.com>", id: "par@x", parent: nil)
        let an = ReviewParser.analyze(reply("> hello\nhi\n"), thread: ThreadContext(ancestors: [parent]))
        #expect(an.author(ofDepth: 1)?.source == .thread)
        #expect(an.remarks.first?.answers == "Tony Krowiak")
    }

    @Test func maskedAddressesStillAgree() {
        #expect(ReviewParser.samePerson("Tony", "akrowiak@xxxxxxxxxxxxx", "Anthony Krowiak", "akrowiak@linux.ibm.com"))
        #expect(!ReviewParser.samePerson("Jane Doe", "jane@a.org", "John Roe", "john@b.org"))
    }
}

@Suite struct TargetTests {
    @Test func remarksOnCommitMessageProseAndEnd() {
        let body = """
        On Mon, 1 Mar 2021, Dev <dev@example.org> wrote:
        > This fixes the leak.
        > More words.

        Which leak?

        """ + quoted(probeHeader + Array(probeLines[0..<5])) + "\n\nok\n\n" + quoted(["-- ", "2.30.0"]) + "\n\nThanks, applied.\n"
        let an = ReviewParser.analyze(reply(body))
        #expect(an.remarks.map(\.target) == [.patch, .line, .patch])
        #expect(an.remarks[0].span?.text == "This fixes the leak.\nMore words.")
    }

    @Test func proseReplyWithoutPatch() {
        let an = ReviewParser.analyze(reply("> Do we need this?\n\nYes.\n", subject: "Re: question"))
        #expect(an.remarks.map(\.target) == [.prose])
        let top = ReviewParser.analyze(reply("Top post.\n\n> quoted\n", subject: "Re: question"))
        #expect(top.remarks.map(\.target) == [.message])
    }

    @Test func remarkOnAFileHeaderIsAboutTheFile() throws {
        let an = ReviewParser.analyze(reply(quoted(Array(probeHeader[0..<4])) + "\nWhy a new file?\n" + quoted([probeHeader[4]] + probeLines) + "\n"))
        let r = try #require(an.remarks.first)
        #expect(r.target == .patch)
        #expect(r.anchor?.file == "drivers/foo/foo.c" && r.anchor?.newLine == nil && r.anchor?.text == "+++ b/drivers/foo/foo.c")
    }

    @Test func remarkAfterHunkHeaderAttachesToHunkStart() throws {
        let an = ReviewParser.analyze(reply(quoted(probeHeader) + "\nThis whole function is odd.\n"))
        let a = try #require(an.remarks.first?.anchor)
        #expect(a.oldLine == 40 && a.newLine == 40 && a.function == "foo_probe" && a.hunkHeader == "-40,10 +40,14")
    }
}

@Suite struct FunctionTests {
    func fn(_ lines: [String], section: String = "", next: String? = nil) -> [String?] {
        FunctionFinder.functions(kinds: lines.map { $0.first == "+" ? .added : ($0.first == "-" ? .removed : .context) },
                                 texts: lines.map { String($0.dropFirst()) }, section: section, nextSection: next)
    }

    @Test func sectionNamesTheFunction() {
        #expect(FunctionFinder.functionName(fromSection: "static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,") == "vfio_ap_mdev_set_kvm")
        #expect(FunctionFinder.functionName(fromSection: "static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {") == nil)
        #expect(FunctionFinder.functionName(fromSection: "struct foo {") == nil)
        #expect(FunctionFinder.functionName(fromSection: "SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)") == "SYSCALL_DEFINE3")
    }

    @Test func functionStartInTheHunk() {
        let r = fn([" \treturn 0;", " }", " ", "+static void bar(struct foo *f,", "+\t\tint x)", "+{", "+\tf->x = x;", "+}",
                    " ", " static int baz(void)", " {"], section: "static int foo(void)")
        #expect(r == ["foo", "foo", nil, "bar", "bar", "bar", "bar", "bar", nil, "baz", "baz"])
    }

    @Test func kernelDocBelongsToTheFunctionDeclaredAfterIt() {
        let r = fn([" }", " ", "+/**", "+ * bar - does bar", "+ * @f: the foo", "+ */", "+int bar(struct foo *f)", "+{",
                    "+\treturn 0;", "+}"], section: "int foo(void)")
        #expect(r == ["foo", nil, "bar", "bar", "bar", "bar", "bar", "bar", "bar", "bar"])
        // the doc's name line disagrees with nothing: a doc without a name line still resolves
        let s = fn(["+/**", "+ * Does bar.", "+ */", "+static int bar(void)", "+{"])
        #expect(s == ["bar", "bar", "bar", "bar", "bar"])
    }

    @Test func commentOpenAtHunkStartAndEnd() {
        // hunk starts inside a comment and ends before it closes: the next hunk's section names the function
        let r = fn(["  * @kvm: reference", "- * old text", "+ * new text", "  *"], section: "static const int x[] = {",
                   next: "static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,")
        #expect(r == ["vfio_ap_mdev_set_kvm", "vfio_ap_mdev_set_kvm", "vfio_ap_mdev_set_kvm", "vfio_ap_mdev_set_kvm"])
    }

    @Test func structDocIsNotAFunction() {
        let r = fn(["+/**", "+ * struct foo - a foo", "+ */", "+struct foo {", "+\tint x;", "+};"])
        #expect(r == [nil, nil, nil, nil, nil, nil])
    }

    @Test func labelsDoNotEndTheFunction() {
        let r = fn([" \tgoto out;", " out:", " \treturn ret;", " }"], section: "static int foo(void)")
        #expect(r == ["foo", "foo", "foo", "foo"])
    }
}

@Suite struct TreeCheckTests {
    func tree(_ content: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("review-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("drivers/foo"), withIntermediateDirectories: true)
        try content.write(to: dir.appendingPathComponent("drivers/foo/foo.c"), atomically: true, encoding: .utf8)
        return dir.path
    }

    /// The pre-image of `probeHunk` at lines 40…49, padded with filler.
    func preImage(shift: Int = 0) -> String {
        var lines = (1...(39 + shift)).map { "/* line \($0) */" }
        for l in probeHunk.lines where l.kind != .added { lines.append(l.text) }
        lines.append("/* end */")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func matchesAtTheStatedLines() throws {
        let root = try tree(preImage())
        defer { try? FileManager.default.removeItem(atPath: root) }
        var an = ReviewParser.analyze(reply(quoted(probeHeader + Array(probeLines[0..<7])) + "\n\nWhy?\n"))
        var checker = TreeChecker(root: root)
        checker.check(&an)
        let t = try #require(an.remarks.first?.treeCheck)
        #expect(t.status == .matches)
        #expect(t.line == 45 && t.realText == "\t\treturn -ENOMEM;")
        #expect(t.checked == 6 && t.matched == 6 && t.warning == nil)
    }

    @Test func mismatchWhenTheFileMoved() throws {
        let root = try tree(preImage(shift: 3))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let an = ReviewParser.analyze(reply(quoted(probeHeader + Array(probeLines[0..<7])) + "\n\nWhy?\n"))
        var checker = TreeChecker(root: root)
        let checked = checker.check(an.remarks[0], diff: an.quotedDiff)
        let t = try #require(checked)
        #expect(t.status == .mismatch)
        #expect(t.line == 45 && t.realText == "")
        #expect(t.warning == "drivers/foo/foo.c: 6 of 6 quoted pre-image lines differ from the tree; line 40 is \"/* line 40 */\", quoted \"\tstruct foo *f;\"")
    }

    @Test func missingFileAndAppliedPatch() throws {
        var post = (1...39).map { "/* line \($0) */" }
        for l in probeHunk.lines where l.kind != .removed { post.append(l.text) }
        let root = try tree(post.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let an = ReviewParser.analyze(reply(quoted(probeHeader + Array(probeLines[0..<9])) + "\n\nWhy?\n"))
        var checker = TreeChecker(root: root)
        let applied = checker.check(an.remarks[0], diff: an.quotedDiff)
        #expect(applied?.status == .alreadyApplied)
        var other = TreeChecker(root: root + "/nonexistent")
        let missing = other.check(an.remarks[0], diff: an.quotedDiff)
        #expect(missing?.status == .fileMissing)
    }
}
