// git's own mailinfo/mailsplit fixtures (t/t5100): our decoded author, email, subject, date and
// commit-message text against git's expected outputs, wherever the two tools mean the same thing.
import Foundation
import Testing
@testable import Mailbox

@Suite("git t5100")
struct GitMailinfoTests {
    static func dir(_ test: String) -> URL? {
        guard let c = Paths.corpus(for: test) else { return nil }
        let d = c.appendingPathComponent("fixtures/git/t/t5100")
        guard FileManager.default.fileExists(atPath: d.path) else {
            print("\(test): skipped: \(d.path) not found")
            return nil
        }
        return d
    }

    static func text(_ d: URL, _ name: String) throws -> String {
        String(decoding: try Data(contentsOf: d.appendingPathComponent(name)), as: UTF8.self)
    }

    /// git's `info` file: `Author:`, `Email:`, `Subject:`, `Date:` lines.
    static func info(_ s: String) -> [String: String] {
        var r: [String: String] = [:]
        for line in s.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var v = line[line.index(after: colon)...]
            if v.first == " " { v = v.dropFirst() }
            r[String(line[..<colon])] = String(v)
        }
        return r
    }

    /// git mailinfo's `patchbreak`: where the commit message ends and the patch begins.
    static func isPatchBreak(_ line: Substring) -> Bool {
        if line.hasPrefix("diff -") || line.hasPrefix("Index: ") { return true }
        guard line.hasPrefix("---") else { return false }
        let rest = line.dropFirst(3)
        if rest.first == " ", let second = rest.dropFirst().first, !second.isWhitespace { return true }
        return rest.allSatisfy(\.isWhitespace)
    }

    /// What git writes to `msg`: the body up to the patch, leading blank lines skipped.
    static func commitMessage(_ body: String) -> String {
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var out: [Substring] = []
        for l in lines {
            if isPatchBreak(l) { break }
            if out.isEmpty && l.isEmpty { continue }
            out.append(l)
        }
        return out.map { $0 + "\n" }.joined()
    }

    /// A `Date:` string as git prints it, read by Foundation (RFC 2822 form, comment removed).
    static func gitDate(_ s: String) -> Int? {
        var t = s.trimmingCharacters(in: .whitespaces)
        if let p = t.firstIndex(of: "(") { t = String(t[..<p]).trimmingCharacters(in: .whitespaces) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return f.date(from: t).map { Int($0.timeIntervalSince1970) }
    }

    enum Field: String, CaseIterable { case author = "Author", email = "Email", subject = "Subject", date = "Date", body = "Body" }

    /// Deliberate differences: (message, field) → why the tools differ there.
    static let exclusions: [String: [Field: String]] = [
        "0001": [.author: "git keeps RFC 5322 comments in the name (\"A (zzz) U Thor (Comment)\"); we drop comments when a display name exists"],
        "0003": [.author: "in-body From: (git applies in-body headers; Mailbox reports the real header)", .email: "in-body From:",
                 .subject: "in-body Subject:", .body: "git removes the in-body header lines from the message"],
        "0008": [.body: "git removes the in-body From:/Subject: lines from the message"],
        "0009": [.author: "in-body From: inside the quoted-printable text", .email: "in-body From:",
                 .subject: "in-body Subject:", .body: "git removes the in-body header lines"],
        "0010": [.subject: "git takes an in-body \"[PATCH] …\" first line as the subject", .body: "and removes that line"],
        "0014": [.subject: "scissors then in-body Subject:", .body: "git drops everything above the scissors line"],
        "0015": [.author: "in-body \"From: bogosity\" (git: empty author)", .email: "in-body From:",
                 .body: "git consumes the in-body header and its continuation lines"],
        "0016": [.date: "in-body \"Date: bogus\"", .body: "git removes the in-body Date: line"],
        "0018": [.author: "multi-line in-body From:", .email: "in-body From:", .subject: "multi-line in-body Subject:",
                 .body: "git removes the in-body header lines"],
        "comment": [.author: "git keeps comments in the name; we drop them"],
        "embed-from": [.author: "in-body From: after a >From line", .email: "in-body From:", .subject: "in-body Subject:",
                       .date: "in-body Date:", .body: "git removes the in-body header lines"],
        "rfc2047-0004": [.author: "git keeps the encoded comment after the address in the name; we drop it"],
    ]

    struct Tally { var compared = 0; var agreed = 0; var excluded = 0 }

    /// Compares one message with git's expectations; records unexpected differences.
    static func compare(_ key: String, _ m: Message, info: [String: String], msg: String?, tally: inout Tally) -> String {
        var marks = ""
        for field in Field.allCases {
            let expected: String?
            let ours: String?
            switch field {
            case .author: expected = info["Author"]; ours = m.from?.displayName ?? ""
            case .email: expected = info["Email"]; ours = m.from?.email ?? ""
            case .subject: expected = info["Subject"]; ours = m.subjectInfo.title
            case .date:
                expected = info["Date"].map { gitDate($0).map(String.init) ?? "unparseable: \($0)" }
                ours = epoch(m.date).map(String.init) ?? "none"
            case .body: expected = msg; ours = commitMessage(m.body)
            }
            guard let expected, let ours else { marks += "-"; continue }
            let agree = expected == ours
            if let why = exclusions[key]?[field] {
                tally.excluded += 1
                marks += "x"
                if agree { Issue.record("\(key) \(field.rawValue): listed as a deliberate difference (\(why)) but the tools agree: \(ours.debugDescription)") }
                continue
            }
            tally.compared += 1
            if agree { tally.agreed += 1; marks += "=" } else {
                marks += "!"
                Issue.record("\(key) \(field.rawValue): git \(expected.debugDescription), Mailbox \(ours.debugDescription)")
            }
        }
        return marks
    }

    @Test func sampleMbox() throws {
        guard let d = Self.dir("sampleMbox") else { return }
        let c = try MailReader.read(path: d.appendingPathComponent("sample.mbox").path)
        #expect(c.isMbox)
        #expect(c.messages.count == 18)
        guard c.messages.count == 18 else { return }
        var tally = Tally()
        var table = "t5100/sample.mbox vs infoNNNN/msgNNNN (A E S D B: = agree, x deliberate difference, - not given)\n"
        for i in 1...18 {
            let key = String(format: "%04d", i)
            let marks = Self.compare(key, c.messages[i - 1], info: Self.info(try Self.text(d, "info\(key)")),
                                     msg: try Self.text(d, "msg\(key)"), tally: &tally)
            table += "  \(key) \(marks)  \(c.messages[i - 1].subjectInfo.title.prefix(50))\n"
        }
        table += "  agreed \(tally.agreed)/\(tally.compared) compared fields; \(tally.excluded) deliberate differences"
        print(table)
        #expect(tally.agreed == tally.compared)
        #expect(tally.compared == 67)
    }

    @Test func singleMessageFixtures() throws {
        guard let d = Self.dir("singleMessageFixtures") else { return }
        var tally = Tally()
        var table = "t5100 *.in vs *.expect\n"
        // what each .expect holds: git's info lines (then a blank line), its msg text, or both
        let cases: [(name: String, info: Bool, msg: Bool)] = [
            ("comment", true, false), ("quoted-string", true, false), ("info-from", true, false),
            ("embed-from", true, true), ("quoted-from", false, true),
        ]
        for (name, hasInfo, hasMsg) in cases {
            let c = try MailReader.read(path: d.appendingPathComponent("\(name).in").path)
            #expect(c.messages.count == 1, "\(name)")
            guard let m = c.messages.first else { continue }
            let expect = try Self.text(d, "\(name).expect")
            var info: [String: String] = [:]
            var msg: String? = hasMsg ? expect : nil
            if hasInfo, let blank = expect.range(of: "\n\n") {
                info = Self.info(String(expect[..<blank.lowerBound]))
                if hasMsg { msg = String(expect[blank.upperBound...]) }
            }
            let marks = Self.compare(name, m, info: info, msg: msg, tally: &tally)
            table += "  \(name) \(marks)\n"
        }
        print(table + "  agreed \(tally.agreed)/\(tally.compared); \(tally.excluded) deliberate differences")
        #expect(tally.agreed == tally.compared)
    }

    @Test func rfc2047Samples() throws {
        guard let d = Self.dir("rfc2047Samples") else { return }
        let c = try MailReader.read(path: d.appendingPathComponent("rfc2047-samples.mbox").path)
        #expect(c.messages.count == 11)
        guard c.messages.count == 11 else { return }
        var tally = Tally()
        for i in 1...11 {
            let key = String(format: "%04d", i)
            _ = Self.compare("rfc2047-\(key)", c.messages[i - 1], info: Self.info(try Self.text(d, "rfc2047-info-\(key)")), msg: nil, tally: &tally)
        }
        print("t5100/rfc2047-samples.mbox: agreed \(tally.agreed)/\(tally.compared); \(tally.excluded) deliberate differences")
        #expect(tally.agreed == tally.compared)
        #expect(tally.compared == 18)
        #expect(c.messages[3].from?.name == "Nathaniel Borenstein")
    }

    @Test func mboxrd() throws {
        guard let d = Self.dir("mboxrd") else { return }
        var o = ReadOptions()
        o.format = .mboxrd        // as `git mailsplit --mboxrd`: the separators do not say so
        let c = try MailReader.read(path: d.appendingPathComponent("sample.mboxrd").path, options: o)
        #expect(c.messages.count == 2)
        guard c.messages.count == 2 else { return }
        #expect(c.messages[0].body == (try Self.text(d, "0001mboxrd")))
        #expect(c.messages[1].body == (try Self.text(d, "0002mboxrd")))
        #expect(c.messages[1].subjectInfo == SubjectInfo(title: "another with fake From lines", isPatch: true, index: 2, total: 2))
    }

    @Test func nulPlain() throws {
        guard let d = Self.dir("nulPlain") else { return }
        let c = try MailReader.read(path: d.appendingPathComponent("nul-plain").path)
        #expect(c.messages.count == 1)
        let m = try #require(c.messages.first)
        #expect(m.headers.isEmpty)
        #expect(m.body == "---\ndiff --git a/foo b/foo\n\u{8}Some strange test\u{8}\u{8}\n\n")
        #expect(warningCodes(m).contains(.nulBytes))
    }

    @Test func nulBase64() throws {
        guard let d = Self.dir("nulBase64") else { return }
        let c = try MailReader.read(path: d.appendingPathComponent("nul-b64.in").path)
        let m = try #require(c.messages.first)
        #expect(m.subjectInfo.title == "second")
        // git's patch output keeps the 5 NUL bytes of the decoded text; Mailbox drops NULs from
        // text (with a warning), so the comparison removes them from git's side.
        let expected = try Self.text(d, "nul-b64.expect").replacingOccurrences(of: "\u{0}", with: "")
        #expect(m.body == expected)
        #expect(warningCodes(m) == [.missingMessageID, .nulBytes])
    }

    @Test func quotedCR() throws {
        guard let d = Self.dir("quotedCR") else { return }
        let c = try MailReader.read(path: d.appendingPathComponent("quoted-cr.mbox").path)
        #expect(c.messages.count == 2)
        // quoted-cr-msg marks CRs as %%: the first message has a CR inside the line and LF ends;
        // the second has CRLF ends inside base64. Mailbox keeps a lone CR and turns CRLF into LF,
        // so both give the message git writes with --quoted-cr=strip for CRLF and keep for the lone CR.
        let raw = try Self.text(d, "quoted-cr-msg")
        let expected = raw.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            if l.hasSuffix("%%") { l.removeLast(2) }
            return l.replacingOccurrences(of: "%%", with: "\r")
        }.joined(separator: "\n")
        #expect(expected == "On different distro, \rpytest is suffixed with different patterns.\n\n")
        let info = Self.info(try Self.text(d, "quoted-cr-info"))
        for m in c.messages {
            #expect(Self.commitMessage(m.body) == expected)
            #expect(m.from?.displayName == info["Author"])
            #expect(m.from?.email == info["Email"])
            #expect(m.subjectInfo.title == info["Subject"])
            #expect(epoch(m.date) == Self.gitDate(info["Date"] ?? ""))
        }
    }
}
