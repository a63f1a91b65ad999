// Threads grouped while a mailbox streams (issue 15, memory): a group closes a window past its last
// message, a late message starts a continuation with a note, copies of a reviewed message are
// dropped, unthreaded patches of one series stay together, and one group's size is bounded.
// RawPieces: an input cut at its From lines, whose pieces join back to the input.
import Foundation
import Testing
@testable import Mailbox

@Suite("ThreadWindow")
struct ThreadWindowTests {
    static func mail(_ id: String, _ subject: String, index: Int, replyTo: String? = nil, minute: Int = 0,
                     from: String = "Dev <dev@example.org>") -> Message {
        var h = "From: \(from)\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
        h += "Date: Mon, 15 Feb 2021 20:\(String(format: "%02d", minute % 60)):00 -0500\n"
        if let r = replyTo { h += "In-Reply-To: <\(r)>\nReferences: <\(r)>\n" }
        var m = parseMessage(h + "\nbody of \(id)\n")
        m.index = index
        return m
    }

    static func window(_ messages: Int) -> ThreadWindowOptions {
        var o = ThreadWindowOptions()
        o.messages = messages
        o.bytes = 0
        return o
    }

    /// Feeds the messages; returns the groups (as lists of Message-IDs) in the order they closed.
    static func run(_ input: [Message], _ options: ThreadWindowOptions) -> (groups: [[String]], all: [ThreadGroup]) {
        var w = ThreadWindow(options: options)
        var closed: [ThreadGroup] = []
        for m in input { closed += w.add(m) }
        closed += w.finish()
        return (closed.map { $0.messages.compactMap(\.messageID) }, closed)
    }

    @Test func aThreadClosesAWindowPastItsLastMessage() {
        var input = [Self.mail("p@x", "[PATCH] foo: fix", index: 0),
                     Self.mail("r1@x", "Re: [PATCH] foo: fix", index: 1, replyTo: "p@x")]
        for i in 0..<5 { input.append(Self.mail("o\(i)@x", "other \(i)", index: 2 + i)) }
        var w = ThreadWindow(options: Self.window(3))
        var closedAt: [Int: [String]] = [:]
        for m in input {
            let c = w.add(m)
            if !c.isEmpty { closedAt[m.index] = c.flatMap { $0.messages.compactMap(\.messageID) } }
        }
        // p and r1 close when the third message after r1 is read.
        #expect(closedAt[4] == ["p@x", "r1@x"])
        #expect(w.openCount == 3)
        #expect(w.finish().count == 3)
    }

    @Test func aLateReplyStartsAContinuationWithANote() {
        var input = [Self.mail("p@x", "[PATCH] foo: fix", index: 0)]
        for i in 0..<4 { input.append(Self.mail("o\(i)@x", "other \(i)", index: 1 + i)) }
        input.append(Self.mail("late@x", "Re: [PATCH] foo: fix", index: 5, replyTo: "p@x"))
        let (groups, all) = Self.run(input, Self.window(2))
        #expect(groups.contains(["p@x"]))
        #expect(groups.contains(["late@x"]))
        let late = all.first { $0.messages.first?.messageID == "late@x" }
        #expect(late?.isContinuation == true)
        #expect(late?.notes.first?.text.contains("continues a thread reviewed above") == true)
        #expect(late?.notes.first?.index == 5)
        // With no window, one group holds both.
        let whole = Self.run(input, .unbounded)
        #expect(whole.groups.contains(["p@x", "late@x"]))
        #expect(!whole.all.contains { $0.isContinuation })
    }

    @Test func aCopyOfAReviewedMessageIsDropped() {
        var input = [Self.mail("p@x", "[PATCH] foo: fix", index: 0)]
        for i in 0..<4 { input.append(Self.mail("o\(i)@x", "other \(i)", index: 1 + i)) }
        input.append(Self.mail("p@x", "[PATCH] foo: fix", index: 5))
        var w = ThreadWindow(options: Self.window(2))
        var closed: [ThreadGroup] = []
        for m in input { closed += w.add(m) }
        closed += w.finish()
        #expect(w.duplicatesOfClosed == 1)
        #expect(closed.flatMap(\.messages).filter { $0.messageID == "p@x" }.count == 1)
        // Kept when asked (remarks analyses every copy).
        var o = Self.window(2)
        o.dropDuplicates = false
        #expect(Self.run(input, o).all.flatMap(\.messages).filter { $0.messageID == "p@x" }.count == 2)
    }

    @Test func unthreadedPatchesOfOneSeriesStayTogether() {
        let input = [Self.mail("a1@x", "[PATCH 1/2] foo: one", index: 0, minute: 1),
                     Self.mail("o@x", "unrelated", index: 1, minute: 2),
                     Self.mail("a2@x", "[PATCH 2/2] foo: two", index: 2, minute: 3)]
        let (groups, _) = Self.run(input, Self.window(100))
        #expect(groups.contains(["a1@x", "a2@x"]))
        #expect(groups.contains(["o@x"]))
    }

    @Test func groupsJoinedByALaterMessageKeepInputOrder() {
        // b and a are separate until c names both.
        let input = [Self.mail("a@x", "[PATCH] a", index: 0),
                     Self.mail("b@x", "Re: [PATCH] a", index: 1, replyTo: "missing@x"),
                     Self.mail("c@x", "Re: [PATCH] a", index: 2, replyTo: "a@x")]
        var c = input[2]
        c.references = ["missing@x", "a@x"]
        let (groups, _) = Self.run([input[0], input[1], c], Self.window(100))
        #expect(groups == [["a@x", "b@x", "c@x"]])
    }

    @Test func oneThreadIsBoundedWithANote() {
        var input = [Self.mail("p@x", "[PATCH] foo: fix", index: 0)]
        for i in 0..<6 { input.append(Self.mail("r\(i)@x", "Re: [PATCH] foo: fix", index: 1 + i, replyTo: "p@x")) }
        var o = Self.window(100)
        o.maxGroupMessages = 4
        let (groups, all) = Self.run(input, o)
        #expect(groups == [["p@x", "r0@x", "r1@x", "r2@x"]])
        let note = all.first?.notes.first
        #expect(note?.index == 4)
        #expect(note?.text.contains("3 messages") == true)
        #expect(note?.text.contains("beyond the bound of 4 messages") == true)
    }

    @Test func piecesJoinBackToTheInputAlsoGzipped() throws {
        let text = "From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\nFrom the start\n"
            + "From b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nno final newline"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rawpieces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("a.mbox")
        try Data(text.utf8).write(to: plain)
        var pieces: [String] = []
        try RawPieces.forEach(path: plain.path) { pieces.append(String(decoding: $0, as: UTF8.self)) }
        #expect(pieces.count == 2)
        #expect(pieces.joined() == text)
        #expect(pieces[0].hasSuffix("From the start\n"))
        let gz = folder.appendingPathComponent("a.mbox.gz")
        try Data(gzipCompress(Array(text.utf8))).write(to: gz)
        var again: [String] = []
        try RawPieces.forEach(path: gz.path) { again.append(String(decoding: $0, as: UTF8.self)) }
        #expect(again == pieces)
        // Small parts when a piece is over the bound: still the whole input.
        var parts: [String] = []
        try RawPieces.forEach(path: plain.path, maxPieceBytes: 10) { parts.append(String(decoding: $0, as: UTF8.self)) }
        #expect(parts.joined() == text)
        #expect(parts.count > 2)
    }
}
