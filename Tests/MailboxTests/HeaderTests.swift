// Headers: unfolding, RFC 2047 words, address lists, dates, message-ids.
import Foundation
import Testing
@testable import Mailbox

@Suite("Headers")
struct HeaderTests {
    // MARK: unfolding

    @Test func unfolding() {
        let m = parseMessage("""
        From: Alice
         Example <alice@example.com>
        Subject: a long subject
        \tthat was folded
          twice
        X-Empty:
        Message-ID:
         <folded@example.com>
        Date: Mon, 15 Feb 2021 20:15:47 -0500

        body

        """)
        #expect(m.subject == "a long subject that was folded  twice")   // CRLF removed, the tab shown as a space
        #expect(m.from == Address(name: "Alice Example", email: "alice@example.com"))
        #expect(m.messageID == "folded@example.com")
        #expect(m.header("x-empty") == "")
        #expect(m.headers.map(\.name) == ["From", "Subject", "X-Empty", "Message-ID", "Date"])
        #expect(m.body == "body\n")
        #expect(m.warnings.isEmpty)
    }

    @Test func obsoleteSpaceBeforeColonAndCRLF() {
        let m = parseMessage(bytes: crlf("Subject : spaced\nFrom: a@example.com\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <x@y>\n\nbody\n"))
        #expect(m.subject == "spaced")
        #expect(m.body == "body\n")
    }

    @Test func headerBlockEndingWithoutBlankLine() {
        let m = parseMessage("From: a@example.com\nSubject: s\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <h@x>\nThis line starts the body\nsecond\n")
        #expect(m.subject == "s")
        #expect(m.body == "This line starts the body\nsecond\n")
        #expect(m.warnings == [ParseWarning(.malformedHeader, "header block ends at a line that is not a header: \"This line starts the body\"")])
    }

    // MARK: RFC 2047

    func decode(_ s: String) -> (String, [ParseWarning]) {
        var w: [ParseWarning] = []
        let r = EncodedWords.decode(bytes(s)[...], warnings: &w)
        return (r, w)
    }

    @Test(arguments: [
        ("=?UTF-8?B?R3LDtsOfZQ==?=", "Größe"),
        ("=?utf-8?q?Gr=C3=B6=C3=9Fe_und_mehr?=", "Größe und mehr"),
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
        ("=?iso-8859-1?q?caf=E9?=", "café"),
        ("=?windows-1252?Q?=93quoted=94?=", "\u{201C}quoted\u{201D}"),
        ("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", "テスト"),
        ("=?koi8-r?B?8NLJ18XULCDNydI=?=", "Привет, мир"),
        ("=?gb2312?B?1tDOxA==?=", "中文"),
        // adjacent words: the whitespace between them is dropped
        ("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab"),
        ("=?UTF-8?Q?a?=\n   =?UTF-8?Q?b?=", "ab"),
        ("=?ISO8859-1?Q?a?= =?ISO8859-2?Q?_b?=", "a b"),
        // one UTF-8 character split across two words
        ("=?UTF-8?B?ww==?= =?UTF-8?B?qQ==?=", "é"),
        // literal text between words is kept, with its spaces
        ("(=?ISO8859-1?Q?a?= b)", "(a b)"),
        ("[PATCH] =?UTF-8?Q?f=C3=BCr?= you", "[PATCH] für you"),
        // not words: kept as written
        ("=?broken", "=?broken"),
        ("a =? b ?= c", "a =? b ?= c"),
        ("plain text", "plain text"),
    ])
    func encodedWords(input: String, expected: String) {
        let (r, w) = decode(input)
        #expect(r == expected)
        #expect(w.isEmpty)
    }

    @Test func rawEightBitHeaders() {
        var w: [ParseWarning] = []
        #expect(EncodedWords.decode([0x63, 0x61, 0x66, 0xC3, 0xA9][...], warnings: &w) == "café")   // UTF-8
        #expect(EncodedWords.decode([0x63, 0x61, 0x66, 0xE9][...], warnings: &w) == "café")         // windows-1252
        #expect(w.isEmpty)
    }

    @Test func badEncodedWords() {
        let (r, w) = decode("=?UTF-8?Q?bad=ZZ?=")
        #expect(r == "bad=ZZ")
        #expect(w.map(\.code) == [.badEncodedWord])
        let (r2, w2) = decode("=?x-no-such-charset?Q?caf=E9?=")
        #expect(r2 == "café")
        #expect(w2.map(\.code) == [.unknownCharset])
    }

    @Test func encodedSubjectAndFromInMessage() {
        let m = parseMessage("""
        From: =?UTF-8?Q?Rafa=C5=82_Mi=C5=82ecki?= <zajec5@example.com>
        Subject: [PATCH]
        \t=?utf-8?b?0JjQt9C80LXQvdGR0L0g0YHQv9C40YHQvtC6INC/0LA=?=
        \t=?utf-8?b?0LrQtdGC0L7QsiDQvdC10L7QsdGF0L7QtNC40LzRi9GFINC00LvRjyA=?=
        \t=?utf-8?b?0YHQsdC+0YDQutC4?=
        Date: Wed, 12 Nov 2008 17:54:41 +0300

        x

        """)
        #expect(m.from == Address(name: "Rafał Miłecki", email: "zajec5@example.com"))
        #expect(m.subject == "[PATCH] Изменён список пакетов необходимых для сборки")
        #expect(m.subjectInfo.title == "Изменён список пакетов необходимых для сборки")
        #expect(m.header("Subject") == "[PATCH]\tИзменён список пакетов необходимых для сборки")   // unfolded: the tab stays
    }

    // MARK: addresses

    func addresses(_ s: String) -> ([Address], [ParseWarning]) {
        var w: [ParseWarning] = []
        let r = AddressParser.parseList(bytes(s)[...], warnings: &w)
        return (r, w)
    }

    @Test func addressLists() {
        #expect(addresses("Halil Pasic <pasic@linux.ibm.com>").0 == [Address(name: "Halil Pasic", email: "pasic@linux.ibm.com")])
        #expect(addresses("\"Krowiak, Tony\" <akrowiak@linux.ibm.com>, Halil Pasic <pasic@linux.ibm.com>").0 == [
            Address(name: "Krowiak, Tony", email: "akrowiak@linux.ibm.com"),
            Address(name: "Halil Pasic", email: "pasic@linux.ibm.com"),
        ])
        #expect(addresses("pasic@linux.ibm.com (Halil Pasic)").0 == [Address(name: "Halil Pasic", email: "pasic@linux.ibm.com")])
        #expect(addresses("<a.u.thor@example.com> (A U Thor)").0 == [Address(name: "A U Thor", email: "a.u.thor@example.com")])
        #expect(addresses("bare@example.com, other@example.org").0 == [
            Address(name: nil, email: "bare@example.com"), Address(name: nil, email: "other@example.org"),
        ])
        #expect(addresses("\"Quoted \\\"Nick\\\" Name\" <q@example.com>").0 == [Address(name: "Quoted \"Nick\" Name", email: "q@example.com")])
        // comments inside a display name are dropped from the name
        #expect(addresses("Nathaniel Borenstein <nsb@thumper.bellcore.com> (=?ISO8859-8?b?7eXs+SDv4SDp7Oj08A==?=)").0 == [
            Address(name: "Nathaniel Borenstein", email: "nsb@thumper.bellcore.com"),
        ])
    }

    @Test func groups() {
        #expect(addresses("undisclosed-recipients:;").0 == [])
        #expect(addresses("Reviewers: a@example.com, \"B, Bee\" <b@example.com>;, c@example.com").0 == [
            Address(name: nil, email: "a@example.com"),
            Address(name: "B, Bee", email: "b@example.com"),
            Address(name: nil, email: "c@example.com"),
        ])
    }

    @Test func encodedDisplayNames() {
        #expect(addresses("=?UTF-8?Q?Rafa=C5=82_Mi=C5=82ecki?= <zajec5@example.com>").0 == [Address(name: "Rafał Miłecki", email: "zajec5@example.com")])
        #expect(addresses("=?ISO8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>").0 == [Address(name: "André Pirard", email: "PIRARD@vm1.ulg.ac.be")])
        // words quoted by a careless client are decoded too
        #expect(addresses("\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" <p@example.com>").0 == [Address(name: "André Pirard", email: "p@example.com")])
        // adjacent encoded words in a name: whitespace between them dropped, split characters rejoined
        #expect(addresses("=?UTF-8?Q?J=C3=B6rg?= =?UTF-8?Q?_R=C3=B6del?= <joro@example.com>").0 == [Address(name: "Jörg Rödel", email: "joro@example.com")])
        #expect(addresses("=?UTF-8?B?ww==?= =?UTF-8?B?qQ==?=mile <e@example.com>").0 == [Address(name: "émile", email: "e@example.com")])
        #expect(addresses("YOSHIFUJI Hideaki / =?ISO-2022-JP?B?GyRCNUhGIzFRTEAbKEI=?= \n\t<yoshfuji@linux-ipv6.org>").0 == [
            Address(name: "YOSHIFUJI Hideaki / 吉藤英明", email: "yoshfuji@linux-ipv6.org"),
        ])
    }

    @Test func badAddresses() {
        // words without any address: kept (spaces squeezed out, as in an addr-spec), and flagged
        let (r, w) = addresses("not an address")
        #expect(r == [Address(name: nil, email: "notanaddress")])
        #expect(w.map(\.code) == [.badAddress])
        #expect(addresses("").0 == [])
        let m = parseMessage("From: \nSubject: x\n\nbody\n")
        #expect(m.from == nil)
        #expect(warningCodes(m).contains(.badAddress))
    }

    // MARK: dates

    @Test(arguments: [
        ("Mon, 15 Feb 2021 20:15:47 -0500", 1_613_438_147),
        ("15 Feb 2021 20:15:47 -0500", 1_613_438_147),                 // no weekday
        ("Mon, 15 Feb 21 20:15:47 -0500", 1_613_438_147),              // two-digit year
        ("Mon, 15 Feb 2021 20:15 -0500", 1_613_438_100),               // no seconds
        ("Mon, 15 Feb 2021 20:15:47 EST", 1_613_438_147),              // named zone
        ("Mon, 15 Feb 2021 18:15:47 PDT", 1_613_438_147),              // PDT = -0700
        ("Mon, 15 Feb 2021 17:15:47 PST", 1_613_438_147),
        ("Mon, 15 Feb 2021 17:15:47 -0800 (PST)", 1_613_438_147),      // trailing comment
        ("Mon,  15 Feb 2021  20:15:47  -0500", 1_613_438_147),         // extra spaces
        ("Mon, 15 Feb 2021 20:15:47 +0530", 1_613_400_347),
        ("Mon Feb 15 20:15:47 2021", 1_613_420_147),                   // asctime, UTC
        ("Mon Feb 15 20:15:47 2021 +0000", 1_613_420_147),
        ("Mon, 15 Feb 99 20:15:47 GMT", 919_109_747),                  // 99 → 1999
        ("15-Feb-2021 20:15:47 -0500", 1_613_438_147),
        ("Mon, 2021-02-15 at 20:15:47 -0500", 1_613_438_147),          // Evolution's attribution line
        ("2021-02-15 20:15 -0500", 1_613_438_100),
        ("Thu, 21 Jul 2005 09:10:36 -0400 (EDT)", 1_121_951_436),
        ("Tue, 29 Feb 2000 23:59:59 +1300", 951_821_999),
        ("Thu, 01 Jan 1970 00:00:00 +0000", 0),
        ("Mon, 15 Feb 2021 20:15:47 -0500 (Eastern Standard Time)", 1_613_438_147),
    ])
    func dates(input: String, expected: Int) {
        #expect(epoch(DateParser.parse(input)) == expected)
    }

    @Test(arguments: ["bogus", "", "Mon, 32 Feb 2021 20:15:47 -0500", "Mon, 15 Foo 2021 20:15:47 -0500", "Mon, 15 Feb 2021 25:15:47 -0500"])
    func badDates(input: String) {
        #expect(DateParser.parse(input) == nil)
    }

    @Test func dateWarnings() {
        let bad = parseMessage("From: a@example.com\nDate: bogus\nMessage-ID: <a@b>\n\nx\n")
        #expect(bad.date == nil)
        #expect(bad.warnings == [ParseWarning(.badDate, "unparseable Date: bogus")])
        let none = parseMessage("From: a@example.com\nMessage-ID: <a@b>\n\nx\n")
        #expect(none.warnings == [ParseWarning(.missingDate, "no Date: header")])
        let good = parseMessage("From: a@example.com\nDate: Fri, 9 Jun 2006 00:44:16 -0700\nMessage-ID: <a@b>\n\nx\n")
        #expect(epoch(good.date) == 1_149_839_056)
    }

    // MARK: message ids

    @Test(arguments: [
        ("<20210215.abc@example.com>", ["20210215.abc@example.com"]),
        ("  <id@example.com>  (added by postmaster@example.com)", ["id@example.com"]),
        ("<id@example.com> (message from Tony Krowiak on Mon, 15 Feb 2021 20:15:47 -0500)", ["id@example.com"]),
        ("Your message of \"Mon, 15 Feb 2021 20:15:47 -0500.\" <20210215.abc@host.example>", ["20210215.abc@host.example"]),
        ("Tony Krowiak's message of \"Mon, 15 Feb 2021\" <x@y.example>", ["x@y.example"]),
        ("1234.5678@host.example", ["1234.5678@host.example"]),                 // no brackets
        ("<a@example.com><b@example.com>", ["a@example.com", "b@example.com"]),
        ("<a@example.com>\n <b@example.com>\t<c@example.com>", ["a@example.com", "b@example.com", "c@example.com"]),
        ("<a@example.com>, <b@example.com>", ["a@example.com", "b@example.com"]),
        ("(comment <not@this.one>) <yes@example.com>", ["yes@example.com"]),
        ("<local-only>", ["local-only"]),
        ("no ids here", []),
        ("<unclosed@example.com", []),
    ])
    func messageIDs(input: String, expected: [String]) {
        #expect(MessageIDParser.ids(bytes(input)[...]) == expected)
    }

    @Test func idHeadersInMessage() {
        let m = parseMessage("""
        From: a@example.com
        Date: Fri, 9 Jun 2006 00:44:16 -0700
        Message-Id: 1234.5678@host.example
        In-Reply-To: <parent@example.com> (message from Bob on Mon)
        References: <root@example.com> (first)
         <parent@example.com>
         <root@example.com>

        x

        """)
        #expect(m.messageID == "1234.5678@host.example")
        #expect(m.inReplyTo == "parent@example.com")
        #expect(m.references == ["root@example.com", "parent@example.com"])   // duplicates dropped
        #expect(m.parentID == "parent@example.com")
        #expect(m.warnings.isEmpty)

        let noID = parseMessage("From: a@example.com\nDate: Fri, 9 Jun 2006 00:44:16 -0700\nMessage-ID: (none)\n\nx\n")
        #expect(noID.messageID == nil)
        #expect(warningCodes(noID) == [.badMessageID])
    }
}
