// Threads: parents from References / In-Reply-To, placeholders, duplicates, date order, loops;
// patch series and their revisions.
import Foundation
import Testing
@testable import Mailbox

@Suite("Threads")
struct ThreadTests {
    /// A message built from text, so that threading sees what the parser produced.
    static func mail(_ id: String, _ subject: String, minute: Int, replyTo: String? = nil, refs: [String] = [],
                     from: String = "Tony Krowiak <akrowiak@linux.ibm.com>", index: Int = 0) -> Message {
        var h = "From: \(from)\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
        h += "Date: Mon, 15 Feb 2021 20:\(String(format: "%02d", minute)):00 -0500\n"
        if let r = replyTo { h += "In-Reply-To: <\(r)>\n" }
        if !refs.isEmpty { h += "References: " + refs.map { "<\($0)>" }.joined(separator: "\n ") + "\n" }
        var m = parseMessage(h + "\nbody of \(id)\n")
        m.index = index
        return m
    }

    func ids(_ t: ThreadSet, _ walk: [(node: Int, depth: Int)]) -> [String] {
        walk.map { String(repeating: ".", count: $0.depth) + t.nodes[$0.node].id }
    }

    @Test func buildsTreesWithPlaceholdersAndDateOrder() {
        let input = [
            Self.mail("a@x", "[PATCH] foo: fix", minute: 0, index: 0),
            Self.mail("c@x", "Re: [PATCH] foo: fix", minute: 30, replyTo: "b@x", refs: ["a@x", "b@x"], index: 1),
            Self.mail("b@x", "Re: [PATCH] foo: fix", minute: 20, replyTo: "a@x", refs: ["a@x"], index: 2),
            Self.mail("d@x", "Re: lost parent", minute: 40, replyTo: "missing@x", index: 3),
            Self.mail("e@x", "Re: [PATCH] foo: fix", minute: 10, refs: ["a@x"], index: 4),     // References only
            Self.mail("f@x", "Re: lost grandparent", minute: 50, refs: ["gone1@x", "gone2@x"], index: 5),
        ]
        let t = ThreadSet(messages: input)
        #expect(t.messages.count == 6)
        #expect(ids(t, t.walk()) == ["a@x", ".e@x", ".b@x", "..c@x", "missing@x", ".d@x", "gone1@x", ".gone2@x", "..f@x"])
        // placeholders hold no message
        let missing = t.nodes.first { $0.id == "missing@x" }
        #expect(missing?.message == nil)
        #expect(t.nodes.filter { $0.message == nil }.map(\.id).sorted() == ["gone1@x", "gone2@x", "missing@x"])
        // ancestors skip placeholders but keep the distance
        let f = t.messages.firstIndex { $0.messageID == "f@x" }!
        #expect(t.ancestors(ofMessage: f).isEmpty)
        let c = t.messages.firstIndex { $0.messageID == "c@x" }!
        #expect(t.ancestors(ofMessage: c).map { t.messages[$0.message].messageID ?? "" } == ["b@x", "a@x"])
        #expect(t.ancestors(ofMessage: c).map(\.depth) == [1, 2])
        #expect(t.nodes[t.root(ofMessage: c)].id == "a@x")
        #expect(t.message(id: "b@x")?.subject == "Re: [PATCH] foo: fix")
        #expect(t.message(id: "missing@x") == nil)
    }

    @Test func duplicatesDropped() {
        let first = Self.mail("a@x", "[PATCH] first copy", minute: 0, index: 0)
        let second = Self.mail("a@x", "[PATCH] second copy", minute: 1, index: 1)
        let reply = Self.mail("r@x", "Re: [PATCH] first copy", minute: 2, replyTo: "a@x", index: 2)
        let t = ThreadSet(messages: [first, second, reply])
        #expect(t.messages.map(\.subject) == ["[PATCH] first copy", "Re: [PATCH] first copy"])
        #expect(t.duplicates.map(\.subject) == ["[PATCH] second copy"])
        #expect(t.duplicates[0].warnings.last == ParseWarning(.duplicateMessageID, "Message-ID <a@x> seen before; this copy dropped"))
        #expect(ids(t, t.walk()) == ["a@x", ".r@x"])
    }

    @Test func messagesWithoutIDsAreKept() {
        var a = parseMessage("From: a@example.com\nSubject: one\nDate: Mon, 15 Feb 2021 20:00:00 -0500\n\nx\n")
        var b = parseMessage("From: b@example.com\nSubject: two\nDate: Mon, 15 Feb 2021 19:00:00 -0500\n\ny\n")
        a.index = 0
        b.index = 1
        let t = ThreadSet(messages: [a, b])
        #expect(t.messages.count == 2)
        #expect(t.duplicates.isEmpty)
        #expect(t.roots.map { t.nodes[$0].message.map { t.messages[$0].subject } ?? "" } == ["two", "one"])   // by date
    }

    @Test func referenceLoopsTerminate() async {
        let input = [
            Self.mail("x@x", "Re: x", minute: 0, replyTo: "y@x", refs: ["y@x"], index: 0),
            Self.mail("y@x", "Re: y", minute: 1, replyTo: "x@x", refs: ["x@x"], index: 1),
            Self.mail("z@x", "Re: z", minute: 2, replyTo: "z@x", refs: ["z@x"], index: 2),       // answers itself
            Self.mail("p@x", "Re: p", minute: 3, refs: ["q@x", "p@x", "q@x"], index: 3),
        ]
        let t = ThreadSet(messages: input)
        #expect(t.messages.count == 4)
        let walked = t.walk()
        #expect(Set(walked.map { t.nodes[$0.node].id }) == ["x@x", "y@x", "z@x", "p@x", "q@x"])
        #expect(walked.count == t.nodes.count)
        #expect(ids(t, walked) == ["y@x", ".x@x", "z@x", "q@x", ".p@x"])
    }

    @Test func aVeryDeepThreadIsBuiltInLinearTime() {
        // 20,000 replies each answering the previous one, every one carrying its full References
        // chain would be 200 million ids; the chain is given by In-Reply-To only, as many clients do.
        var input: [Message] = []
        input.reserveCapacity(20_000)
        for i in 0..<20_000 {
            var m = Message(index: i, messageID: "m\(i)@x", inReplyTo: i == 0 ? nil : "m\(i - 1)@x")
            m.subject = "Re: deep"
            input.append(m)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let t = ThreadSet(messages: input)
        let elapsed = clock.now - start
        #expect(t.roots.count == 1)
        #expect(t.walk().count == 20_000)
        #expect(t.walk().last?.depth == 19_999)
        #expect(t.ancestors(ofMessage: 10).count == 10)
        // quadratic loop checks took minutes here; linear work is well under this bound even in debug
        #expect(elapsed < .seconds(20))
    }

    @Test func seriesAndRevisions() {
        let input = [
            Self.mail("v1-0@x", "[PATCH 0/2] foo: rework bar", minute: 0, index: 0),
            Self.mail("v1-1@x", "[PATCH 1/2] foo: one", minute: 1, replyTo: "v1-0@x", refs: ["v1-0@x"], index: 1),
            Self.mail("v1-2@x", "[PATCH 2/2] foo: two", minute: 2, replyTo: "v1-0@x", refs: ["v1-0@x"], index: 2),
            Self.mail("rev@x", "Re: [PATCH 1/2] foo: one", minute: 3, replyTo: "v1-1@x", refs: ["v1-0@x", "v1-1@x"],
                      from: "Halil Pasic <pasic@linux.ibm.com>", index: 3),
            Self.mail("v2-0@x", "[PATCH v2 0/2] foo: rework bar", minute: 10, index: 4),
            Self.mail("v2-2@x", "[PATCH v2 2/2] foo: two", minute: 12, replyTo: "v2-0@x", refs: ["v2-0@x"], index: 5),
            Self.mail("v2-1@x", "[PATCH v2 1/2] foo: one", minute: 11, replyTo: "v2-0@x", refs: ["v2-0@x"], index: 6),
            // a lone patch of another author, and an incomplete series
            Self.mail("solo@x", "[PATCH] bar: single", minute: 20, from: "Other <o@example.com>", index: 7),
            Self.mail("inc-1@x", "[PATCH 1/3] baz: first", minute: 30, from: "Other <o@example.com>", index: 8),
        ]
        let t = ThreadSet(messages: input)
        func idx(_ id: String) -> Int? { t.messages.firstIndex { $0.messageID == id } }
        #expect(t.series.count == 4)
        let v1 = t.series[0], v2 = t.series[1]
        #expect(v1.title == "foo: rework bar")
        #expect(v1.version == 1)
        #expect(v1.total == 2)
        #expect(v1.coverLetter == idx("v1-0@x"))
        #expect(v1.patches == [idx("v1-1@x"), idx("v1-2@x")])
        #expect(v1.isComplete)
        #expect(v1.author == Address(name: "Tony Krowiak", email: "akrowiak@linux.ibm.com"))
        #expect(v2.version == 2)
        #expect(v2.coverLetter == idx("v2-0@x"))
        #expect(v2.patches == [idx("v2-1@x"), idx("v2-2@x")])    // by position, not input order
        #expect(t.series[2].title == "bar: single")
        #expect(t.series[2].patches == [idx("solo@x")])
        #expect(t.series[2].coverLetter == nil)
        #expect(t.series[3].patches == [idx("inc-1@x"), nil, nil])
        #expect(!t.series[3].isComplete)
        // revisions: v1 and v2 of one series told apart and grouped
        #expect(t.revisions.map { $0.map(\.version) } == [[1, 2], [1], [1]])
        #expect(t.revisions[0].map(\.coverLetter) == [idx("v1-0@x"), idx("v2-0@x")])
    }

    @Test func seriesWithoutCoverLetter() {
        let input = [
            Self.mail("n1@x", "[PATCH v3 1/2] mm: first", minute: 0, index: 0),
            Self.mail("n2@x", "[PATCH v3 2/2] mm: second", minute: 1, replyTo: "n1@x", refs: ["n1@x"], index: 1),
        ]
        let t = ThreadSet(messages: input)
        #expect(t.series.count == 1)
        #expect(t.series[0].title == "mm: first")
        #expect(t.series[0].version == 3)
        #expect(t.series[0].patches == [0, 1])
        #expect(t.series[0].coverLetter == nil)
    }

    /// A mail is a patch when it holds a diff, whatever its subject says; replies and pull
    /// requests stay what they are, and a mail without a diff is no patch.
    @Test func aMailWithADiffIsAPatchWhateverItsSubject() {
        func withBody(_ id: String, _ subject: String, _ body: String, minute: Int, replyTo: String? = nil) -> Message {
            var h = "From: A <a@x>\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
            h += "Date: Mon, 15 Feb 2021 20:\(String(format: "%02d", minute)):00 -0500\n"
            if let r = replyTo { h += "In-Reply-To: <\(r)>\n" }
            var m = parseMessage(h + "\n" + body)
            m.index = minute
            return m
        }
        let git = "Text.\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n"
        let plain = "Text.\n\n--- f.c.orig\n+++ f.c\n@@ -1 +1 @@\n-a\n+b\n"
        let input = [
            withBody("rfc@x", "[RFC] foo: try this", git, minute: 0),
            withBody("bug@x", "[BUG] bar: fix a crash", plain, minute: 1),
            withBody("none@x", "baz: no bracket", git, minute: 2),
            withBody("re@x", "Re: [RFC] foo: try this", git, minute: 3, replyTo: "rfc@x"),
            withBody("pull@x", "[GIT PULL] qux fixes", git, minute: 4),
            withBody("talk@x", "[BUG] no diff here", "Just words.\n--- not a header\n", minute: 5),
        ]
        let t = ThreadSet(messages: input)
        #expect(t.series.map(\.title) == ["foo: try this", "bar: fix a crash", "baz: no bracket"])
        #expect(input.map(\.holdsDiff) == [true, true, true, true, true, false])
    }
}
