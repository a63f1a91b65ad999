// Bad input: every case gives messages with warnings or a clear error, never a crash or a hang,
// and never costs the other messages of the same mbox.
import Foundation
import Testing
@testable import Mailbox

@Suite("Bad input")
struct BadInputTests {
    static func good(_ n: Int) -> String {
        "From good\(n)@example.com Mon Feb 15 20:15:47 2021\nFrom: Good \(n) <good\(n)@example.com>\nSubject: good \(n)\nMessage-ID: <good\(n)@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\ngood body \(n)\n\n"
    }

    /// Elapsed seconds of a block.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        return (r, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    @Test func truncatedMbox() {
        let multipart = "From cut@example.com Mon Feb 15 20:15:47 2021\nFrom: Cut <cut@example.com>\nSubject: cut\nMessage-ID: <cut@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nSGVsbG8gd29yb"
        let c = parseMailbox(Self.good(1) + multipart)
        #expect(c.messages.map(\.subject) == ["good 1", "cut"])
        #expect(c.messages[0].warnings.isEmpty)
        #expect(c.messages[1].body == "Hello wor")
        #expect(warningCodes(c.messages[1]) == [.unclosedMultipart, .badBase64])
        // cut inside the header block
        let cutHeader = parseMailbox(Self.good(1) + "From x@example.com Mon Feb 15 20:15:47 2021\nFrom: X <x@example.com>\nSubj")
        #expect(cutHeader.messages.count == 2)
        #expect(cutHeader.messages[1].from == Address(name: "X", email: "x@example.com"))
        #expect(warningCodes(cutHeader.messages[1]).contains(.malformedHeader))
    }

    @Test func messageWithNoHeaders() {
        let m = parseMessage("just some text\nwithout any header\n")
        #expect(m.headers.isEmpty)
        #expect(m.body == "just some text\nwithout any header\n")
        #expect(m.warnings == [ParseWarning(.noHeaders, "no header block; the message is all body"), ParseWarning(.missingDate, "no Date: header"), ParseWarning(.missingMessageID, "no Message-ID: header")])
        let indented = parseMessage("   indented first line\nFrom: a@example.com\n\nbody\n")
        #expect(indented.headers.isEmpty)
        #expect(warningCodes(indented).first == .noHeaders)
        // in an mbox, the headerless message sits between good ones and all come out
        let c = parseMailbox(Self.good(1) + "From x@example.com Mon Feb 15 20:15:47 2021\nno headers at all\n\n" + Self.good(2))
        #expect(c.messages.map(\.subject) == ["good 1", "", "good 2"])
        #expect(c.messages[1].body == "no headers at all\n\n")
    }

    @Test func nulBytes() {
        var raw = bytes("From: N <n@example.com>\nSubject: nul")
        raw += [0]
        raw += bytes("here\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <nul@example.com>\n\nbody")
        raw += [0, 0]
        raw += bytes(" with NULs\n")
        let m = parseMessage(bytes: raw)
        #expect(m.body == "body with NULs\n")
        #expect(m.subject == "nul\u{0}here")
        #expect(warningCodes(m) == [.nulBytes])
        // and in an mbox between good messages
        var mbox = bytes(Self.good(1))
        mbox += bytes("From n@example.com Mon Feb 15 20:15:47 2021\n") + raw + [0x0A]
        mbox += bytes(Self.good(2))
        #expect(MailReader.parse(mbox).messages.map(\.messageID) == ["good1@example.com", "nul@example.com", "good2@example.com"])
    }

    @Test func unknownCharset() {
        let m = parseMessage(bytes: bytes("From: a@example.com\nSubject: =?x-unknown-42?Q?caf=E9?=\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <u@x>\nContent-Type: text/plain; charset=x-unknown-42\n\ncaf") + [0xE9, 0x0A])
        #expect(m.subject == "café")
        #expect(m.body == "café\n")
        #expect(warningCodes(m) == [.unknownCharset, .unknownCharset])
    }

    @Test func boundaryThatNeverCloses() {
        let m = parseMessage(MIMETests.head + "Content-Type: multipart/mixed; boundary=never\n\n--never\nContent-Type: text/plain\n\nfirst\n--never\nContent-Type: text/x-patch\n\n\(MIMETests.diff)")
        #expect(m.body == "first")
        #expect(m.patchAttachments.map(\.text) == [MIMETests.diff])
        #expect(warningCodes(m) == [.unclosedMultipart])
        // a boundary that never appears at all
        let none = parseMessage(MIMETests.head + "Content-Type: multipart/mixed; boundary=absent\n\nonly a preamble\n")
        #expect(none.body == "")
        #expect(warningCodes(none) == [.unclosedMultipart, .noTextPart])
        // multipart without a boundary parameter is read as text
        let noParam = parseMessage(MIMETests.head + "Content-Type: multipart/mixed\n\nplain after all\n")
        #expect(noParam.body == "plain after all\n")
        #expect(warningCodes(noParam) == [.missingBoundary])
    }

    static func nested(_ depth: Int) -> String {
        var open = ""
        var close = ""
        for i in 0..<depth {
            open += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\n\n--b\(i)\n"
            close = "\n--b\(i)--\n" + close
        }
        return MIMETests.head + open + "Content-Type: text/plain\n\ninnermost" + close
    }

    @Test func depthLimit() {
        var limits = ParseLimits()
        limits.maxMIMEDepth = 3
        let m = parseMessage(Self.nested(5), limits: limits)
        #expect(mimeShape(m.mime) == "multipart/mixed(multipart/mixed(multipart/mixed(multipart/mixed[skipped])))")
        #expect(warningCodes(m) == [.mimeTooDeep, .noTextPart])
        let within = parseMessage(Self.nested(3), limits: limits)
        #expect(within.body == "innermost")
        #expect(within.warnings.isEmpty)
    }

    @Test func tenThousandNestedMultiparts() {
        let text = Self.nested(10_000)
        let (m, seconds) = cpuTimed { parseMessage(text) }
        print("10,000 nested multiparts: \(String(format: "%.2f", seconds)) s CPU")
        #expect(seconds < 10, "took \(seconds) s")
        #expect(warningCodes(m) == [.mimeTooDeep, .noTextPart])
        var depth = 0
        var p = m.mime
        while let c = p.children.first { p = c; depth += 1 }
        #expect(depth == ParseLimits().maxMIMEDepth)
        // the same message inside an mbox does not cost its neighbours
        let c = parseMailbox(Self.good(1) + "From deep@example.com Mon Feb 15 20:15:47 2021\n" + text + "\n\n" + Self.good(2))
        #expect(c.messages.map(\.subject) == ["good 1", "mime", "good 2"])
    }

    @Test func manyParts() {
        var text = MIMETests.head + "Content-Type: multipart/mixed; boundary=p\n\n"
        for i in 0..<3_000 { text += "--p\nContent-Type: text/plain\n\npart \(i)\n" }
        text += "--p--\n"
        let m = parseMessage(text)
        #expect(m.mime.children.count == ParseLimits().maxParts - 1)
        #expect(warningCodes(m) == [.tooManyParts])
        #expect(m.body.hasPrefix("part 0\npart 1\n"))
    }

    /// A 50 MB line: cut from an mbox and parsed in linear time. The cost checks use this thread's
    /// CPU time; the whole read is also bounded in wall time (a hang guard).
    @Test func fiftyMegabyteLine() {
        let size = 50 << 20
        var big = bytes("From: Big <big@example.com>\nSubject: big\nMessage-ID: <big@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\nstart ")
        big += [UInt8](repeating: UInt8(ascii: "x"), count: size)
        big += bytes("\nend\n\n")
        let raw = bytes(Self.good(1)) + bytes("From big@example.com Mon Feb 15 20:15:47 2021\n") + big + bytes(Self.good(2))

        let (cut, splitSeconds) = cpuTimed { () -> [Int] in
            var s = MboxSplitter(source: MemorySource(raw))
            var sizes: [Int] = []
            while let m = try? s.next() { sizes.append(m.bytes.count) }
            return sizes
        }
        #expect(cut == [Self.good(1).utf8.count - 48, big.count, Self.good(2).utf8.count - 48])   // without the 48-byte From_ lines
        let (big1, parseSeconds) = cpuTimed { parseMessage(bytes: big) }
        print("50 MB line: split \(String(format: "%.2f", splitSeconds)) s CPU, parse \(String(format: "%.2f", parseSeconds)) s CPU")
        #expect(splitSeconds < 10)
        #expect(parseSeconds < 10)
        #expect(big1.body.utf8.count == size + 12)   // "start " + x… + "\nend\n\n"
        #expect(big1.body.hasSuffix("xxx\nend\n\n"))
        #expect(warningCodes(big1) == [.lineTooLong])

        let (c, wall) = Self.timed { MailReader.parse(raw) }
        #expect(wall < 120, "took \(wall) s")
        #expect(c.messages.map(\.subject) == ["good 1", "big", "good 2"])
        #expect(c.messages[1].body == big1.body)
    }

    @Test func fiftyMegabyteHeaderLine() {
        var raw = bytes("From: Big <big@example.com>\nMessage-ID: <bighdr@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nSubject: ")
        raw += [UInt8](repeating: UInt8(ascii: "y"), count: 50 << 20)
        raw += bytes("\n\nsmall body\n")
        let (m, seconds) = cpuTimed { parseMessage(bytes: raw) }
        print("50 MB header line: \(String(format: "%.2f", seconds)) s CPU")
        #expect(seconds < 10, "took \(seconds) s")
        #expect(m.body == "small body\n")
        // One unfolded field is cut at the header-length limit (256 KiB), with a warning.
        #expect(m.subject.utf8.count > 250_000 && m.subject.utf8.count <= ParseLimits().maxHeaderBytes)
        #expect(m.subject.allSatisfy { $0 == "y" })
        #expect(warningCodes(m) == [.headerTooLong])
    }

    @Test func headerLengthLimitCountsTheFirstLineAndTheFoldedOnes() {
        var limits = ParseLimits()
        limits.maxHeaderBytes = 64
        let long = String(repeating: "a", count: 100)
        let one = parseMessage("From: A <a@example.com>\nSubject: \(long)\nMessage-ID: <h1@example.com>\n\nbody\n", limits: limits)
        #expect(one.subject == String(repeating: "a", count: 64 - "Subject: ".utf8.count))
        #expect(warningCodes(one).contains(.headerTooLong))
        #expect(one.messageID == "h1@example.com", "the fields after the long one are read")
        let folded = parseMessage("From: A <a@example.com>\nSubject: start\n \(long)\nMessage-ID: <h2@example.com>\n\nbody\n", limits: limits)
        #expect(folded.subject == "start", "the continuation that passes the limit is dropped")
        #expect(warningCodes(folded).contains(.headerTooLong))
        let fits = parseMessage("From: A <a@example.com>\nSubject: \(long)\nMessage-ID: <h3@example.com>\n\nbody\n")
        #expect(fits.subject == long && !warningCodes(fits).contains(.headerTooLong))
    }

    @Test func lineLengthLimitBelowTheDefault() {
        var limits = ParseLimits()
        limits.maxLineBytes = 80
        let text = "From: A <a@example.com>\nSubject: s\nMessage-ID: <l@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\nshort\n"
        #expect(!warningCodes(parseMessage(text + String(repeating: "z", count: 80) + "\n", limits: limits)).contains(.lineTooLong))
        let long = parseMessage(text + String(repeating: "z", count: 81) + "\nshort again\n", limits: limits)
        #expect(long.warnings.filter { $0.code == .lineTooLong }.map(\.detail) == ["a line of 81 bytes"])
        #expect(long.body.hasSuffix("short again\n"), "the long line and what follows are kept")
    }

    @Test func invalidBase64KeepsTheRest() {
        let m = parseMessage(MIMETests.head + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n%%%% ???? ****\n--b\nContent-Type: text/x-patch\nContent-Transfer-Encoding: base64\n\n\(MIMETests.diffB64)\n--b--\n")
        #expect(m.body == "")
        #expect(m.patchAttachments.map(\.text) == [MIMETests.diff])
        #expect(m.warnings == [ParseWarning(.badBase64, "12 invalid base64 character(s) skipped")])
    }

    @Test func binaryFileIsNotMail() throws {
        let tmp = try TempDir()
        defer { tmp.cleanup() }
        var rng = SystemRandomNumberGenerator()
        var junk = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &rng) }
        junk[0] = 0x7F; junk[1] = 0x45; junk[2] = 0x4C; junk[3] = 0x46; junk[4] = 0   // an ELF-like header with a NUL
        let p = try tmp.write("a.out", junk)
        #expect(throws: MailboxError.notMail(p, "binary data with no header block")) { try MailReader.read(path: p) }
        #expect(MailboxError.notMail(p, "binary data with no header block").description == "\(p): not a mail message or mbox: binary data with no header block")
        // a PNG file, too
        let png = try tmp.write("x.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52] + junk.prefix(200))
        #expect(throws: MailboxError.self) { try MailReader.read(path: png) }
    }

    @Test func brokenMessageBetweenTwoGoodOnes() {
        var raw = bytes(Self.good(1))
        raw += bytes("From broken@example.com Mon Feb 15 20:15:47 2021\n")
        raw += [0xFF, 0xFE, 0x00, 0x01, 0x02, 0x03] + bytes(": \n\t\n") + [0x80, 0x81, 0x00]
        raw += bytes("\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Transfer-Encoding: base64\n\n!!!!\n\n")
        raw += bytes(Self.good(2))
        let c = MailReader.parse(raw)
        #expect(c.messages.count == 3)
        #expect(c.messages[0].subject == "good 1")
        #expect(c.messages[2].subject == "good 2")
        #expect(c.messages[0].warnings.isEmpty && c.messages[2].warnings.isEmpty)
        #expect(!c.messages[1].warnings.isEmpty)
        #expect(c.messages[2].body == "good body 2\n\n")
    }

    @Test func oversizedMessageIsCut() {
        var o = ReadOptions()
        o.limits.maxMessageBytes = 1_000
        var text = Self.good(1) + "From big@example.com Mon Feb 15 20:15:47 2021\nFrom: b@example.com\nSubject: big\nMessage-ID: <big@x>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\n\n"
        text += String(repeating: "0123456789\n", count: 500) + "\n" + Self.good(2)
        let c = MailReader.parse(bytes(text), options: o)
        #expect(c.messages.map(\.subject) == ["good 1", "big", "good 2"])
        #expect(warningCodes(c.messages[1]).first == .truncated)
        #expect(c.messages[1].body.utf8.count < 1_000)
    }
}
