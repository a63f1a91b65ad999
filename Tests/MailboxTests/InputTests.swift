// Inputs: a single message, mboxo and mboxrd (git's separator rule), Maildir, gzip, streaming.
import Foundation
import Testing
@testable import Mailbox

@Suite("Inputs")
struct InputTests {
    static let mboxo = """
    From alice@example.com Mon Feb 15 20:15:47 2021
    From: Alice <alice@example.com>
    Subject: first
    Message-ID: <1@example.com>
    Date: Mon, 15 Feb 2021 20:15:47 -0500

    From the start of time, things
    >From here it is escaped
    From me to you: thanks
    From 10:00:00 to 11:00:00 we were offline
    From here at 12:30 we met
    Bye.

    From bob@example.com Tue Feb 16 10:00:00 2021
    From: Bob <bob@example.com>
    Subject: second
    Message-ID: <2@example.com>
    Date: Tue, 16 Feb 2021 10:00:00 +0000

    Second body.

    """

    @Test func eml() {
        let c = MailReader.parse(bytes("""
        From: Alice <alice@example.com>
        Subject: hello
        Date: Mon, 15 Feb 2021 20:15:47 -0500
        Message-ID: <eml@example.com>

        Body line.
        From alice@example.com Mon Feb 15 20:15:47 2021
        is only text in a single message.

        """))
        #expect(c.isMbox == false)
        #expect(c.messages.count == 1)
        let m = c.messages[0]
        #expect(m.subject == "hello")
        #expect(m.from == Address(name: "Alice", email: "alice@example.com"))
        #expect(m.messageID == "eml@example.com")
        #expect(m.body == "Body line.\nFrom alice@example.com Mon Feb 15 20:15:47 2021\nis only text in a single message.\n")
        #expect(m.warnings.isEmpty)
    }

    @Test func mboxoUsesGitSeparatorRule() {
        let c = parseMailbox(Self.mboxo)
        #expect(c.isMbox)
        #expect(c.format == .mboxo)
        #expect(c.messages.count == 2)
        #expect(c.messages.map(\.subject) == ["first", "second"])
        #expect(c.messages.map(\.index) == [0, 1])
        // prose lines beginning "From " are not separators; mboxo leaves ">From " alone
        #expect(c.messages[0].body == """
        From the start of time, things
        >From here it is escaped
        From me to you: thanks
        From 10:00:00 to 11:00:00 we were offline
        From here at 12:30 we met
        Bye.


        """)
        #expect(c.messages[1].body == "Second body.\n")
        // offsets point at each message's separator line
        let second = Array(Self.mboxo.utf8)
        let off = c.messages[1].offset
        #expect(c.messages[0].offset == 0)
        #expect(String(decoding: second[off..<(off + 22)], as: UTF8.self) == "From bob@example.com T")
    }

    @Test func separatorRule() {
        func sep(_ s: String) -> Bool {
            let b = bytes(s)
            return b.withUnsafeBufferPointer { MboxSplitter<MemorySource>.isSeparator($0, 0, $0.count) }
        }
        #expect(sep("From nobody Mon Sep 17 00:00:00 2001"))
        #expect(sep("From mboxrd@z Thu Jan  1 00:00:00 1970"))
        #expect(sep("From alice@example.com Mon Feb 15 20:15:47 2021"))
        #expect(sep("From b9704a518e21158433baa2cc2d591fea687967f6 Mon Sep 17 00:00:00 2001"))
        #expect(sep("From nobody Fri Aug  8 22:24:03 2008"))
        #expect(!sep("From the start of time, things"))
        #expect(!sep("From: Alice <alice@example.com>"))
        #expect(!sep("From 10:00:00 to 11:00:00 we were offline"))   // year part reads 0
        #expect(!sep("From here at 12:30 we met, 2021"))             // no seconds
        #expect(!sep("From someone at 20:15:47 sharp today"))         // no number above 90 after the time
        #expect(!sep(">From alice@example.com Mon Feb 15 20:15:47 2021"))
        #expect(!sep("From x 1:2:3 99"))                               // shorter than 20 bytes
    }

    static let mboxrd = """
    From mboxrd@z Thu Jan  1 00:00:00 1970
    From: Alice <alice@example.com>
    Subject: escaped
    Message-ID: <rd1@example.com>
    Date: Mon, 15 Feb 2021 20:15:47 -0500

    >From the beginning
    >>From twice
    >>>From thrice
    >Fromage is not escaped
    > From is quoted, not escaped
    From the end

    From mboxrd@z Thu Jan  1 00:00:00 1970
    From: Bob <bob@example.com>
    Subject: second
    Message-ID: <rd2@example.com>
    Date: Tue, 16 Feb 2021 10:00:00 +0000

    plain

    """

    @Test func mboxrdUnescapes() {
        let c = parseMailbox(Self.mboxrd)
        #expect(c.format == .mboxrd)
        #expect(c.messages.count == 2)
        #expect(c.messages[0].body == """
        From the beginning
        >From twice
        >>From thrice
        >Fromage is not escaped
        > From is quoted, not escaped
        From the end


        """)
        #expect(c.messages[1].body == "plain\n")
    }

    @Test func forcedMboxoDoesNotUnescape() {
        let c = parseMailbox(Self.mboxrd, format: .mboxo)
        #expect(c.format == .mboxo)
        #expect(c.messages.count == 2)
        #expect(c.messages[0].body.hasPrefix(">From the beginning\n>>From twice\n"))
    }

    @Test func forcedMboxrdOnGitSeparator() {
        // `From nobody …` separators do not announce mboxrd: the caller says so (git mailsplit --mboxrd)
        let text = Self.mboxrd.replacingOccurrences(of: "From mboxrd@z Thu Jan  1 00:00:00 1970", with: "From nobody Mon Sep 17 00:00:00 2001")
        #expect(parseMailbox(text).format == .mboxo)
        #expect(parseMailbox(text).messages[0].body.hasPrefix(">From the beginning\n"))
        let rd = parseMailbox(text, format: .mboxrd)
        #expect(rd.messages[0].body.hasPrefix("From the beginning\n>From twice\n"))
    }

    @Test func leadingBlankLinesBeforeFirstSeparator() {
        // git's t5100/sample.mbox starts with whitespace-only lines; mailsplit skips them
        let c = parseMailbox("  \n\t\n\n" + Self.mboxo)
        #expect(c.isMbox)
        #expect(c.messages.map(\.subject) == ["first", "second"])
    }

    @Test func emptyInputs() {
        #expect(parseMailbox("").messages.isEmpty)
        #expect(parseMailbox("\n \n").messages.isEmpty)
    }

    @Test func crlfMbox() {
        let c = MailReader.parse(crlf(Self.mboxo))
        #expect(c.messages.count == 2)
        #expect(c.messages[1].body == "Second body.\n")
        #expect(c.messages[0].body == parseMailbox(Self.mboxo).messages[0].body)
    }

    @Test func fileAndStreaming() throws {
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        let p = try tmp.write("a.mbox", bytes(Self.mboxo))
        let c = try MailReader.read(path: p)
        #expect(c.messages.map(\.messageID) == ["1@example.com", "2@example.com"])
        #expect(c.name == p)
        var seen: [String] = []
        let info = try MailReader.forEach(path: p) { seen.append($0.subject) }
        #expect(seen == ["first", "second"])
        #expect(info.count == 2)
        #expect(info.isMbox)
        // sequential and parallel parsing give the same messages
        var o = ReadOptions()
        o.parallel = false
        #expect(try MailReader.read(path: p, options: o).messages == c.messages)
    }

    @Test func manyMessagesKeepOrder() throws {
        var text = ""
        for i in 0..<1_200 {
            text += "From x@example.com Mon Feb 15 20:15:47 2021\nFrom: x@example.com\nSubject: m\(i)\nMessage-ID: <\(i)@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\nbody \(i)\n\n"
        }
        let c = parseMailbox(text)
        #expect(c.messages.count == 1_200)
        #expect(c.messages.enumerated().allSatisfy { $0.element.subject == "m\($0.offset)" && $0.element.index == $0.offset })
    }

    @Test func gzipMbox() throws {
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        let gz = try gzipCompress(bytes(Self.mboxo))
        #expect(isGzip(gz))
        let p = try tmp.write("a.mbox.gz", gz)
        let c = try MailReader.read(path: p)
        #expect(c.messages.map(\.subject) == ["first", "second"])
        #expect(c.messages == parseMailbox(Self.mboxo).messages)
        // bytes in memory are recognised too
        #expect(MailReader.parse(gz).messages.map(\.subject) == ["first", "second"])
        // a gzip stream cut before anything decodes is a clear error
        let cut = try tmp.write("cut.mbox.gz", Array(gz.prefix(12)))
        #expect(throws: MailboxError.self) { try MailReader.read(path: cut) }
        do {
            _ = try MailReader.read(path: cut)
        } catch let e as MailboxError {
            guard case .gzip(let name, _) = e else { Issue.record("expected .gzip, got \(e)"); return }
            #expect(name == cut)
        }
    }

    @Test func truncatedGzipKeepsTheMessagesBeforeTheBreak() throws {
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        var text = ""
        for i in 0..<2_000 {
            text += "From x@example.com Mon Feb 15 20:15:47 2021\nFrom: x@example.com\nSubject: m\(i)\nMessage-ID: <\(i)@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\nbody \(i) \(String(repeating: "\(i * 7919 % 10007) ", count: 40))\n\n"
        }
        let whole = parseMailbox(text).messages
        let gz = try gzipCompress(bytes(text))
        let p = try tmp.write("cut.mbox.gz", Array(gz.prefix(gz.count * 6 / 10)))
        let c = try MailReader.read(path: p)
        #expect(c.messages.count > 100 && c.messages.count < 2_000)
        // every message but the last is whole and equal to the original
        for (a, b) in zip(c.messages.dropLast(), whole) { #expect(a == b) }
        let last = try #require(c.messages.last)
        #expect(last.warnings.contains { $0.code == .truncated && $0.detail.contains("gzip stream ends early") })
        #expect(c.messages.dropLast().allSatisfy { $0.warnings.isEmpty })
    }

    @Test func gzipWithGzipCommand() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") || FileManager.default.isExecutableFile(atPath: "/bin/gzip") else {
            print("gzipWithGzipCommand: skipped: no gzip command")
            return
        }
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        let p = try tmp.write("b.mbox", bytes(Self.mboxrd))
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/bin/sh")
        proc.arguments = ["-c", "gzip -9 '\(p)'"]
        try proc.run()
        proc.waitUntilExit()
        #expect(proc.terminationStatus == 0)
        let c = try MailReader.read(path: p + ".gz")
        #expect(c.format == .mboxrd)
        #expect(c.messages.count == 2)
        #expect(c.messages[0].body.hasPrefix("From the beginning\n>From twice\n"))
    }

    @Test func maildir() throws {
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        func msg(_ n: Int, _ date: String) -> [UInt8] {
            bytes("From: U\(n) <u\(n)@example.com>\nSubject: maildir \(n)\nMessage-ID: <md\(n)@example.com>\nDate: \(date)\n\ntext \(n)\n")
        }
        try tmp.write("md/cur/1613436947.M1P1.host:2,S", msg(2, "Tue, 16 Feb 2021 01:35:47 +0000"))
        try tmp.write("md/new/1613436900.M2P2.host", msg(1, "Tue, 16 Feb 2021 01:35:00 +0000"))
        try tmp.write("md/new/.hidden", bytes("not mail"))
        try FileManager.default.createDirectory(atPath: tmp.file("md/tmp"), withIntermediateDirectories: true)
        let c = try MailReader.read(path: tmp.file("md"))
        #expect(c.isMbox == false)
        // delivery order (the time in the file name), whichever of cur/ and new/ holds the file
        #expect(c.messages.map(\.subject) == ["maildir 1", "maildir 2"])
        #expect(c.messages.map(\.index) == [0, 1])
        #expect(c.messages[0].body == "text 1\n")
        #expect(c.messages[1].header("X-Maildir-File") == "1613436947.M1P1.host:2,S")
        // a folder without cur/ or new/ is not a Maildir
        try FileManager.default.createDirectory(atPath: tmp.file("plain"), withIntermediateDirectories: true)
        #expect(throws: MailboxError.notMail(tmp.file("plain"), "a folder that is not a Maildir (no cur/ or new/)")) {
            try MailReader.read(path: tmp.file("plain"))
        }
    }

    @Test func missingFile() {
        #expect(throws: MailboxError.cannotOpen("/nonexistent/x.mbox", "No such file or directory")) {
            try MailReader.read(path: "/nonexistent/x.mbox")
        }
        #expect(MailboxError.cannotOpen("/x", "No such file or directory").description == "/x: cannot open: No such file or directory")
    }
}
