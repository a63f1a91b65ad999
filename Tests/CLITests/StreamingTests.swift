// Reading a mailbox thread by thread (issue 15, memory): the streamed review, remarks and
// check --patch give what whole-file reading gives on the shared lists (review in every format,
// reply mails too); a reply arriving after its
// thread's window is reviewed as a continuation with a note; one thread's bound is reported.
// Offline; inputs are written to temporary folders. Corpus tests skip, printing why, without
// ../shared/corpus. Memory itself is measured by `make bench` (the memory row), not here.
import Foundation
import Testing
import TestSupport

@Suite("lkml-review streaming")
struct StreamingTests {
    static var lists: URL { DeterminismTests.corpus.appendingPathComponent("lists") }

    static func archive(_ list: String) -> String? {
        let p = lists.appendingPathComponent(list).appendingPathComponent("all.mbox").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    static let environment = ["LKML_REVIEW_OFFLINE": "1"]

    static func patch(_ id: String, _ title: String, minute: Int) -> String {
        """
        From \(id) Mon Jan  1 00:00:00 2024
        From: Dev <dev@example.org>
        Subject: [PATCH] \(title)
        Date: Mon, 1 Jan 2024 10:\(String(format: "%02d", minute % 60)):00 +0000
        Message-ID: <\(id)>

        Fix it.

        Signed-off-by: Dev <dev@example.org>
        ---
        diff --git a/drivers/foo.c b/drivers/foo.c
        --- a/drivers/foo.c
        +++ b/drivers/foo.c
        @@ -10,3 +10,3 @@ static int foo_probe(struct device *dev)
         \tint ret;
        -\tret = foo_inti(dev);
        +\tret = foo_init(dev);
         \treturn ret;

        """
    }

    static func reply(_ id: String, to parent: String, _ title: String, minute: Int, remark: String) -> String {
        """
        From \(id) Mon Jan  1 00:00:00 2024
        From: Reviewer <rev@example.org>
        Subject: Re: [PATCH] \(title)
        Date: Mon, 1 Jan 2024 11:\(String(format: "%02d", minute % 60)):00 +0000
        Message-ID: <\(id)>
        In-Reply-To: <\(parent)>
        References: <\(parent)>

        On Mon, Jan 01, 2024, Dev wrote:
        > diff --git a/drivers/foo.c b/drivers/foo.c
        > --- a/drivers/foo.c
        > +++ b/drivers/foo.c
        > @@ -10,3 +10,3 @@ static int foo_probe(struct device *dev)
        >  \tint ret;
        > -\tret = foo_inti(dev);
        > +\tret = foo_init(dev);

        \(remark)

        >  \treturn ret;

        """
    }

    @Test func aLateReplyIsReviewedAsAContinuationWithANote() throws {
        guard let exe = CLI.binaryOrSkip("aLateReplyIsReviewedAsAContinuationWithANote") else { return }
        let folder = try TempFolder("streaming")
        var text = Self.patch("p@example.org", "foo: fix the init call", minute: 0)
        text += Self.reply("r1@example.org", to: "p@example.org", "foo: fix the init call", minute: 1, remark: "Looks right to me, thanks.")
        for k in 0..<6 { text += Self.patch("other\(k)@example.org", "bar\(k): another fix", minute: 2 + k) }
        text += Self.reply("late@example.org", to: "p@example.org", "foo: fix the init call", minute: 9,
                           remark: "Coming back to this one: was foo_init ever tested on the old boards?")
        let path = try folder.write("late.mbox", text)
        let streamed = try CLI.run(exe, ["review", "--thread-window", "3", path], environment: Self.environment)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout.contains("## Warnings"))
        #expect(streamed.stdout.contains("\\<late@example.org> \"Re: \\[PATCH\\] foo: fix the init call\" continues a thread reviewed above"))
        #expect(streamed.stdout.contains("was foo_init ever tested"))
        // Read whole, the late reply is one of the patch's remarks and nothing is noted.
        let whole = try CLI.run(exe, ["review", "--thread-window", "0", path], environment: Self.environment)
        #expect(whole.status == 0)
        #expect(!whole.stdout.contains("continues a thread"))
        #expect(whole.stdout.contains("was foo_init ever tested"))
        // JSON: the note is one of the report's warnings, and the document stays valid.
        let json = try CLI.run(exe, ["review", "--format", "json", "--thread-window", "3", path], environment: Self.environment)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let warnings = object?["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("continues a thread reviewed above") })
        #expect((object?["series"] as? [Any])?.count == 8)
        // The default window holds all of this input: the output is the whole-file one.
        let byDefault = try CLI.run(exe, ["review", path], environment: Self.environment)
        #expect(byDefault.stdout == whole.stdout)
    }

    @Test func oneThreadsBoundIsReported() throws {
        guard let exe = CLI.binaryOrSkip("oneThreadsBoundIsReported") else { return }
        let folder = try TempFolder("streaming")
        var text = Self.patch("p@example.org", "foo: fix the init call", minute: 0)
        for k in 0..<5 {
            text += Self.reply("r\(k)@example.org", to: "p@example.org", "foo: fix the init call", minute: k,
                               remark: "Remark number \(k) on the init call.")
        }
        let path = try folder.write("big-thread.mbox", text)
        let r = try CLI.run(exe, ["review", "--max-thread-messages", "3", path], environment: Self.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("the thread of \\<p@example.org>: 3 messages"))
        #expect(r.stdout.contains("beyond the bound of 3 messages"))
        #expect(r.stdout.contains("Remark number 1"))
        #expect(!r.stdout.contains("Remark number 2"))
        let bytes = try CLI.run(exe, ["review", "--max-thread-bytes", "1K", path], environment: Self.environment)
        #expect(bytes.stdout.contains("for one thread (a reading limit)"))
        // Bad values are usage errors naming the flag.
        for args in [["--max-thread-messages", "0"], ["--max-thread-bytes", "0"], ["--thread-window", "-1"], ["--thread-window-size", "12X"]] {
            let r = try CLI.run(exe, ["review"] + args + [path], environment: Self.environment)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(args[0]), "\(args): \(r.stderr)")
        }
    }

    @Test func outputFileAndGzipInputStream() throws {
        guard let exe = CLI.binaryOrSkip("outputFileAndGzipInputStream") else { return }
        let folder = try TempFolder("streaming")
        var text = ""
        for k in 0..<5 { text += Self.patch("p\(k)@example.org", "foo\(k): fix the init call", minute: k) }
        let path = try folder.write("series.mbox", text)
        let gz = folder.url.appendingPathComponent("series.mbox.gz").path
        let g = Process()
        g.executableURL = URL(fileURLWithPath: "/bin/sh")
        g.arguments = ["-c", "gzip -c '\(path)' > '\(gz)'"]
        try g.run()
        g.waitUntilExit()
        let out = folder.url.appendingPathComponent("out.md").path
        let plain = try CLI.run(exe, ["review", "--thread-window", "2", path], environment: Self.environment)
        let toFile = try CLI.run(exe, ["review", "--thread-window", "2", "-o", out, gz], environment: Self.environment)
        #expect(toFile.status == 0, "\(toFile.stderr)")
        #expect(toFile.stdout == "")
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == plain.stdout)
        // check --patch reads the gzip-compressed archive mail by mail: the same as the plain one.
        for format in ["text", "json", "sarif"] {
            let a = try CLI.run(exe, ["check", "--format", format, "--patch", path])
            let b = try CLI.run(exe, ["check", "--format", format, "--patch", gz])
            #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
            #expect(a.stdout == b.stdout)
        }
        // An input with no patch leaves -o's file untouched.
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: out))
        let none = try folder.write("none.eml", "From: a@b\nSubject: hello\nMessage-ID: <n@x>\n\nno patch here\n")
        let failed = try CLI.run(exe, ["review", "-o", out, none], environment: Self.environment)
        #expect(failed.status == 2)
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "kept\n")
    }

    /// The shared lists: reviewed thread by thread (fpga with the default window, which closes
    /// threads all along its 79 MB; sparse with a small window) against whole-file reading
    /// (`--thread-window 0`), in every format; remarks too.
    @Test(.timeLimit(.minutes(20))) func streamedOutputEqualsWholeFileReadingOnTheSharedLists() throws {
        guard let exe = CLI.binaryOrSkip("streamedOutputEqualsWholeFileReadingOnTheSharedLists") else { return }
        let runs: [(list: String, window: [String], formats: [String])] = [
            ("linux-sparse.vger.kernel.org.0", ["--thread-window", "1000", "--thread-window-size", "8M"], ["markdown", "json", "sarif", "text", "reply"]),
            ("linux-fpga.vger.kernel.org.0", [], ["markdown", "json", "reply"]),
        ]
        var compared = 0
        for run in runs {
            guard let path = Self.archive(run.list) else {
                print("streamedOutputEqualsWholeFileReadingOnTheSharedLists: skipped \(run.list): no \(Self.lists.path)/\(run.list)/all.mbox")
                continue
            }
            for format in run.formats {
                // Revisions are followed within what one build sees (a thread group when streamed,
                // the whole file with --thread-window 0): compared without them (docs/REVISIONS.md).
                let streamed = try CLI.run(exe, ["review", "--no-revisions", "--format", format] + run.window + [path], environment: Self.environment)
                let whole = try CLI.run(exe, ["review", "--no-revisions", "--format", format, "--thread-window", "0", path], environment: Self.environment)
                #expect(streamed.status == whole.status)
                #expect(!streamed.stdout.isEmpty)
                #expect(streamed.stdout == whole.stdout,
                        "review --format \(format) of \(run.list): \(DeterminismTests.firstDifference(streamed.stdout, whole.stdout))")
                if format == "sarif" {
                    #expect(SARIFSchema.allProblems(Data(streamed.stdout.utf8)) == [])
                }
                compared += 1
            }
            let streamed = try CLI.run(exe, ["remarks", "--format", "json"] + run.window + [path], environment: Self.environment)
            let whole = try CLI.run(exe, ["remarks", "--format", "json", "--thread-window", "0", path], environment: Self.environment)
            #expect(streamed.status == 0)
            #expect(streamed.stdout == whole.stdout,
                    "remarks of \(run.list): \(DeterminismTests.firstDifference(streamed.stdout, whole.stdout))")
            compared += 1
        }
        print("streamedOutputEqualsWholeFileReadingOnTheSharedLists: \(compared) outputs compared")
    }

    /// `--format reply` thread by thread: a series waiting for an earlier thread still open (kept in
    /// the temporary file), a thread without its patch mail (written last), the mboxrd framing
    /// decided once the second reply comes; the same mails as whole-file reading, -o included, and
    /// one reply alone is a plain message.
    @Test func replyMailsStreamAsWholeFileReadingGivesThem() throws {
        guard let exe = CLI.binaryOrSkip("replyMailsStreamAsWholeFileReadingGivesThem") else { return }
        let folder = try TempFolder("streaming")
        typealias R = ReplyFormatTests
        let quotedDiff = R.patch(9, leak: true).split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("diff --git") }.map { "> " + $0 }.joined(separator: "\n")
        let text = [
            R.mail("[PATCH] lib: one", "a@x", nil, R.patch(1, leak: true)),
            R.mail("[PATCH] lib: two", "b@x", nil, R.patch(2, leak: true)),
            R.mail("Re: [PATCH] lib: one", "a-r@x", "a@x", "> Change 1.\n\nThanks.\n"),
            R.mail("Re: [PATCH] lib: nine", "q-r@x", "q@x", "On Mon, Ann wrote:\n" + quotedDiff + "\n\nThis return leaves the lock held.\n"),
            R.mail("[PATCH] lib: three", "c@x", nil, R.patch(3, leak: false)),
            R.mail("[PATCH] lib: four", "d@x", nil, R.patch(4, leak: true)),
            R.mail("[PATCH] lib: five", "e@x", nil, R.patch(5, leak: true)),
            R.mail("[PATCH] lib: six", "f@x", nil, R.patch(6, leak: false)),
        ].joined()
        let path = try folder.write("replies.mbox", text)
        let whole = try CLI.run(exe, ["review", "--format", "reply", "--thread-window", "0", path], environment: Self.environment)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.hasPrefix("From mboxrd@z Thu Jan  1 00:00:00 1970\n"))
        #expect(whole.stdout.components(separatedBy: "From mboxrd@z ").count - 1 >= 4)
        for window in ["1", "2", "3"] {
            let streamed = try CLI.run(exe, ["review", "--format", "reply", "--thread-window", window, path], environment: Self.environment)
            #expect(streamed.status == whole.status)
            #expect(streamed.stdout == whole.stdout, "--thread-window \(window): \(DeterminismTests.firstDifference(streamed.stdout, whole.stdout))")
        }
        let out = folder.url.appendingPathComponent("replies.out").path
        let toFile = try CLI.run(exe, ["review", "--format", "reply", "--thread-window", "2", "-o", out, path], environment: Self.environment)
        #expect(toFile.status == 0 && toFile.stdout.isEmpty, "\(toFile.stderr)")
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == whole.stdout)
        // One reply among threads without a finding: a plain message, not an mbox.
        let one = [
            R.mail("[PATCH] lib: three", "c@x", nil, R.patch(3, leak: false)),
            R.mail("[PATCH] lib: one", "a@x", nil, R.patch(1, leak: true)),
            R.mail("[PATCH] lib: six", "f@x", nil, R.patch(6, leak: false)),
        ].joined()
        let onePath = try folder.write("one.mbox", one)
        let single = try CLI.run(exe, ["review", "--format", "reply", "--thread-window", "1", onePath], environment: Self.environment)
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.hasPrefix("Subject: Re: [PATCH] lib: one\n"))
        #expect(!single.stdout.contains("From mboxrd@z"))
        #expect(single.stdout == (try CLI.run(exe, ["review", "--format", "reply", "--thread-window", "0", onePath], environment: Self.environment)).stdout)
        // No finding at all: nothing written, -o's file left as it was, a note.
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: out))
        let nonePath = try folder.write("none.mbox", R.mail("[PATCH] lib: three", "c@x", nil, R.patch(3, leak: false))
                                          + R.mail("[PATCH] lib: six", "f@x", nil, R.patch(6, leak: false)))
        let none = try CLI.run(exe, ["review", "--format", "reply", "--thread-window", "1", "-o", out, nonePath], environment: Self.environment)
        #expect(none.status == 0)
        #expect(none.stderr.contains("nothing to reply to"))
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "kept\n")
    }

    /// check --patch on an archive equals the concatenation of the mails checked one by one
    /// (text: the findings in order, and the count), and, as JSON, one document.
    @Test func checkPatchOnAnArchiveIsTheMailsInOrder() throws {
        guard let exe = CLI.binaryOrSkip("checkPatchOnAnArchiveIsTheMailsInOrder") else { return }
        let folder = try TempFolder("streaming")
        let a = Self.patch("a@example.org", "foo: one", minute: 0).replacingOccurrences(of: "foo_init(dev);", with: "foo_init(dev);\n+\tmutex_lock(&dev->lock);")
            .replacingOccurrences(of: "@@ -10,3 +10,3 @@", with: "@@ -10,3 +10,4 @@")
        let b = Self.patch("b@example.org", "foo: two", minute: 1)
        let both = try folder.write("both.mbox", a + b)
        let one = try folder.write("a.mbox", a)
        let r = try CLI.run(exe, ["check", "--patch", both])
        let ra = try CLI.run(exe, ["check", "--patch", one])
        #expect(r.status == 0 && ra.status == 0, "\(r.stderr)\(ra.stderr)")
        let findings = r.stdout.split(separator: "\n").filter { $0.contains(": warning: ") || $0.contains(": note: ") || $0.contains(": error: ") }
        let findingsA = ra.stdout.split(separator: "\n").filter { $0.contains(": warning: ") || $0.contains(": note: ") || $0.contains(": error: ") }
        #expect(findings == findingsA)
        #expect(r.stdout.hasSuffix("functions\n"))
        let json = try CLI.run(exe, ["check", "--format", "json", "--patch", both])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["functions"] as? [String])?.count == 2)
    }
}
