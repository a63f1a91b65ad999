import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// Issue 17's quoting corner cases: sign-offs, `>+` without a space, a single quoted line with no
/// header, a header snipped with `[..]`, format=flowed and quoted blank context lines — made up
/// where the rule is simple, and from real mail of the corpus where it exists.
@Suite struct QuotingCornerTests {
    func anchors(_ a: ReviewAnalysis) -> [String] {
        a.remarks.map { r in
            guard let x = r.anchor else { return "\(r.target)" }
            return "\(x.file ?? "?"):\(x.oldLine.map(String.init) ?? "-")/\(x.newLine.map(String.init) ?? "-") \(x.side)"
        }
    }

    @Test func signOffsAreNoRemarks() {
        let body = quoted(probeHeader + Array(probeLines[0..<5])) + "\n\nWhy devm here?\n\nBest regards,\nJohn Smith\n"
        let a = ReviewParser.analyze(reply(body))
        #expect(a.remarks.map(\.text) == ["Why devm here?"])
        #expect(a.blocks.last?.kind == .signature)
        // in the remark's own run, and with a title line; a trailer after it stays a trailer
        let b = ReviewParser.analyze(reply(quoted(probeHeader + Array(probeLines[0..<5]))
            + "\n\nLooks fine otherwise.\nThanks,\nJane Doe\nKernel team\n\nReviewed-by: Jane Doe <jane@example.org>\n"))
        #expect(b.remarks.map(\.text) == ["Looks fine otherwise."])
        // "Thanks, applied." and a question are remarks
        for text in ["Thanks, applied.", "Thanks!\nBut why?", "Regards of the lock: is it held here?"] {
            let c = ReviewParser.analyze(reply(quoted(probeHeader + Array(probeLines[0..<5])) + "\n\n" + text + "\n"))
            #expect(c.remarks.map(\.text) == [text], "\(text)")
        }
    }

    @Test func plusWithoutASpaceAfterTheMarker() throws {
        // `>+foo`, `>-foo` and `> foo` for context: the client dropped the space after `>`
        let lines = probeHeader.map { ">" + $0 } + probeLines[0..<5].map { $0.first == " " ? "> " + $0.dropFirst() : ">" + $0 }
        let a = ReviewParser.analyze(reply(lines.joined(separator: "\n") + "\n\nWhy devm here?\n"))
        let x = try #require(a.remarks.first?.anchor)
        #expect(x.side == .added && x.newLine == 43 && x.numbering == .header)
    }

    @Test func aSingleQuotedLineWithNoHeader() throws {
        let body = "> " + probeLines[8] + "\n\nThis line is too long.\n"
        let alone = try #require(ReviewParser.analyze(reply(body)).remarks.first)
        #expect(alone.target == .line && alone.anchor?.side == .added && alone.anchor?.newLine == nil)
        // the thread's patch places it
        let x = try #require(ReviewParser.analyze(reply(body), original: probePatch).remarks.first?.anchor)
        #expect(x.newLine == 47 && x.numbering == .aligned)
    }

    @Test func aHeaderSnippedWithTwoDots() throws {
        let body = quoted(probeHeader + Array(probeLines[0..<2])) + "\n> [..]\n" + quoted([probeLines[3]]) + "\n\nWhy?\n"
        let alone = try #require(ReviewParser.analyze(reply(body)).remarks.first?.anchor)
        #expect(alone.numbering == .unknown && alone.text.contains("kzalloc"))
        let thread = try #require(ReviewParser.analyze(reply(body), original: probePatch).remarks.first?.anchor)
        #expect(thread.oldLine == 43)
        let tree = try #require(ReviewParser.analyze(reply(body), tree: TreeAlignTests.lookup()).remarks.first?.anchor)
        #expect(tree.oldLine == 43 && tree.numbering == .tree)
    }

    @Test func aRemarkAfterAQuotedBlankContextLine() throws {
        // the blank context line quoted as `>  ` (read as a diff line) or `> ` (the space dropped)
        for blank in [">  ", "> ", ">"] {
            let body = quoted(probeHeader + Array(probeLines[0..<7])) + "\n" + blank + "\n\nWhy return here?\n"
            let x = try #require(ReviewParser.analyze(reply(body)).remarks.first?.anchor, "\(blank)")
            #expect(x.text == "\t\treturn -ENOMEM;" && x.oldLine == 45 && x.newLine == 45, "\(blank): \(x)")
        }
    }

    /// A file switched without quoting its header: the reviewer cut the second file's `diff`,
    /// `index`, `---` and `+++` lines and kept its hunk header. Its numbers go back before the end
    /// of the first file's hunk, which no hunk of the same file does: the file is not known (never
    /// the first file's name on the second file's lines); the thread's patch names it.
    @Test func aFileSwitchedWithoutItsHeader() throws {
        let patchText = """
            diff --git a/drivers/fpga/Kconfig b/drivers/fpga/Kconfig
            index d591dd9..0a86994 100644
            --- a/drivers/fpga/Kconfig
            +++ b/drivers/fpga/Kconfig
            @@ -210,3 +210,6 @@ config FPGA_DFL_NIOS_INTEL_PAC_N3000
             \t  the card's BMC (Board Management Controller).
             
            +config FPGA_DFL_SPI_ALTERA
            +\ttristate "FPGA DFL Altera SPI Master Driver"
            +
             config FPGA_DFL_PCI
            diff --git a/drivers/fpga/Makefile b/drivers/fpga/Makefile
            index 18dc9885..58a42ad 100644
            --- a/drivers/fpga/Makefile
            +++ b/drivers/fpga/Makefile
            @@ -47,2 +47,3 @@ dfl-afu-objs := dfl-afu-main.o dfl-afu-region.o dfl-afu-dma-region.o
             obj-$(CONFIG_FPGA_DFL_NIOS_INTEL_PAC_N3000)\t+= dfl-n3000-nios.o
            +obj-$(CONFIG_FPGA_DFL_SPI_ALTERA)\t+= dfl-spi-altera.o
             
            """
        let lines = patchText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Quoted: the whole first file, then the second file from its hunk header on.
        let body = quoted(Array(lines[0..<11])) + "\n\nShould this depend on SPI?\n\n"
            + quoted(Array(lines[15..<18])) + "\n\nAlign the tabs with the line above.\n"
        let alone = ReviewParser.analyze(reply(body))
        #expect(anchors(alone) == ["drivers/fpga/Kconfig:212/215 context", "?:-/48 added"])
        let thread = ReviewParser.analyze(reply(body), original: PatchParser.parse(patchText))
        #expect(anchors(thread) == ["drivers/fpga/Kconfig:212/215 context", "drivers/fpga/Makefile:-/48 added"])
        // The same hunk quoted again is no switch.
        let again = ReviewParser.analyze(reply(body + "\n" + quoted(Array(lines[15..<18])) + "\n\nAnd here.\n"))
        #expect(anchors(again).last == "?:-/48 added")
    }

    // MARK: - format=flowed

    /// A message as a mail client writes it: fixed, or format=flowed (lines longer than 76 columns
    /// soft-broken at a space, the break's space kept; the quote markers repeated), parsed by Mailbox.
    static func mail(_ m: Message, flowed: Bool) -> Message? {
        var out: [String] = []
        for var line in m.body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            // a fixed line's trailing blanks cannot be told from a soft break: none in either
            if line.contains(where: { $0 != " " && $0 != ">" }) { while line.last == " " || line.last == "\t" { line.removeLast() } }
            guard flowed else { out.append(line); continue }
            let prefix = String(line.prefix { $0 == ">" })
            var rest = line.dropFirst(prefix.count)
            let mark = prefix.isEmpty ? "" : prefix
            while rest.count > 76, let space = rest.prefix(76).lastIndex(of: " "), space > rest.startIndex,
                  rest[rest.startIndex..<space].contains(where: { $0 != " " }) {
                out.append(mark + rest[...space])
                rest = rest[rest.index(after: space)...]
                if rest.first == " " || rest.hasPrefix("From ") || rest.first == ">" { rest = " " + rest }
            }
            out.append(mark + rest)
        }
        let head = "From: \(m.from?.description ?? "a@b.c")\nSubject: \(m.subject)\nMessage-ID: <\(m.messageID ?? "x@y")>\n"
            + (m.inReplyTo.map { "In-Reply-To: <\($0)>\n" } ?? "")
            + "Content-Type: text/plain; charset=utf-8\(flowed ? "; format=flowed" : "")\nContent-Transfer-Encoding: 8bit\n\n"
        return MailReader.parse(Array((head + out.joined(separator: "\n")).utf8)).messages.first
    }

    /// Issue 17, done when 3: the corpus threads' replies written format=flowed give the remark
    /// lines of the same replies written fixed (each with its thread).
    @Test func flowedRepliesGiveTheLinesOfTheirFixedEquivalent() throws {
        let files = LoneReply.threadFiles()
        guard !files.isEmpty else { print("flowed check skipped: no corpus at \(corpusRoot.path)"); return }
        var compared = 0, remarks = 0
        for (_, path) in files {
            let messages = try MailReader.read(path: path).messages
            for (i, m) in messages.enumerated() where m.parentID != nil {
                guard let fixed = Self.mail(m, flowed: false), let flowed = Self.mail(m, flowed: true) else { continue }
                var a = messages, b = messages
                a[i] = fixed; b[i] = flowed
                let x = ReviewParser.analyze(a[i], in: a), y = ReviewParser.analyze(b[i], in: b)
                guard x.remarks.contains(where: { $0.target == .line }) else { continue }
                #expect(anchors(x) == anchors(y), "\((path as NSString).lastPathComponent) <\(m.messageID ?? "?")>")
                compared += 1
                remarks += x.remarks.count
            }
        }
        print("flowed replies: \(compared) replies (\(remarks) remarks) give the lines of their fixed form")
        #expect(compared > 50)
    }

    /// Real flowed replies whose quoted blank context lines (`>   `) were joined to the next line.
    @Test func flowedCorpusRepliesAloneGetTheThreadsLines() throws {
        let cases = [("linux-fpga.vger.kernel.org.0", "02-patch-v4", "c2e3b692-011b-0536-68db-a09a436b01ef@redhat.com"),
                     ("linux-erofs.lists.ozlabs.org.0", "02-patch-v2", "d3f5d0c4-eda7-87e3-5938-487ab9ff6b81@huaweicloud.com")]
        for (list, prefix, id) in cases {
            guard let path = LoneReply.threadFiles().first(where: { $0.list == list && ($0.path as NSString).lastPathComponent.hasPrefix(prefix) })?.path else {
                print("flowed corpus replies skipped: no corpus at \(corpusRoot.path)")
                return
            }
            let messages = try MailReader.read(path: path).messages
            let m = try #require(messages.first { $0.messageID == id })
            let thread = ReviewParser.analyze(m, in: messages)
            let alone = ReviewParser.analyze(m)
            let lines = thread.remarks.filter { $0.target == .line }
            #expect(!lines.isEmpty)
            #expect(anchors(alone).filter { !$0.hasPrefix("patch") && !$0.hasPrefix("prose") }
                    == anchors(thread).filter { !$0.hasPrefix("patch") && !$0.hasPrefix("prose") }, "\(id)")
        }
    }

    /// Issue 17, done when 3: over whole threads (and, with LKML_CORPUS_FULL=1, the archives), no
    /// remark is anchored on a blank context line that has a non-blank line above it in its hunk.
    @Test func noRemarkOnABlankContextLine() throws {
        var paths = LoneReply.threadFiles().map(\.path)
        if ProcessInfo.processInfo.environment["LKML_CORPUS_FULL"] == "1" {
            for list in ["linux-fpga.vger.kernel.org.0", "linux-sparse.vger.kernel.org.0"] {
                paths.append(corpusRoot.appendingPathComponent("lists/\(list)/all.mbox").path)
            }
        }
        guard !paths.isEmpty else { print("blank-line check skipped: no corpus at \(corpusRoot.path)"); return }
        var checked = 0
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let messages = try MailReader.read(path: path).messages
            ReviewParser.analyzeAll(messages) { _, a in
                for r in a.remarks {
                    guard let x = r.anchor, x.lineIndex >= 0 else { continue }
                    checked += 1
                    let l = a.quotedDiff.lines[x.lineIndex]
                    guard l.kind == .context, ReviewParser.isBlankText(l.text) else { continue }
                    let above = a.quotedDiff.lines[..<x.lineIndex].contains { $0.hunk == l.hunk && !ReviewParser.isBlankText($0.text) }
                    #expect(!above, "\((path as NSString).lastPathComponent) <\(a.messageID ?? "?")> body line \(x.bodyLine + 1)")
                }
            }
        }
        print("blank context lines: \(checked) anchored remarks checked")
    }
}
