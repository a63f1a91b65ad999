import Foundation
@testable import Lore
import Mailbox
import Review
import Testing

/// `--thread`: a reply reviewed alone gets its thread fetched, and then the same remark lines as
/// when the whole thread is given.
@Suite struct ThreadCompletionTests {
    struct Anchor: Hashable, CustomStringConvertible {
        var file: String?
        var oldLine: Int?
        var newLine: Int?
        var side: String
        var description: String { "\(file ?? "?"):\(oldLine.map(String.init) ?? "-")/\(newLine.map(String.init) ?? "-") \(side)" }
    }

    static func anchors(_ a: ReviewAnalysis) -> [Anchor] {
        a.remarks.compactMap { r in
            guard r.target == .line, let x = r.anchor else { return nil }
            return Anchor(file: x.file, oldLine: x.oldLine, newLine: x.newLine, side: x.side.rawValue)
        }
    }

    /// Replies with remarks on quoted diff lines whose parent is in the thread.
    static func replies(_ messages: [Message]) -> [(Message, [Anchor])] {
        ReviewParser.analyzeAll(messages).enumerated().compactMap { i, a in
            let m = messages[i]
            guard a.alignment != nil, m.parentID != nil else { return nil }
            let anchors = anchors(a)
            return anchors.isEmpty ? nil : (m, anchors)
        }
    }

    @Test func aReplyAloneGetsTheSameRemarkLinesAsTheWholeThread() throws {
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let fetcher = harness.fetcher()
        var compared = 0, threadsUsed = 0
        for served in Fixtures.threads where served.name.hasSuffix(".mbox") {
            let whole = MailReader.parse(served.mbox, name: served.name).messages
            let candidates = Self.replies(whole)
            guard !candidates.isEmpty else { continue }
            threadsUsed += 1
            for (reply, expected) in candidates.prefix(3) {
                // Only the reply, as a reviewer saves it.
                let completed = ThreadCompletion.complete([reply], fetcher: fetcher, lore: harness.server.base + "/all/", environment: [:])
                #expect(completed.notes.isEmpty, "\(served.name): \(completed.notes)")
                #expect(completed.fetched.count == 1)
                #expect(completed.fetched.first?.messageCount == served.messageIDs.count)
                let alone = ReviewParser.analyze(completed.messages[0], in: completed.messages)
                #expect(alone.alignment != nil, "\(served.name): the original patch was not found after --thread")
                #expect(Self.anchors(alone) == expected, "\(served.name) \(reply.messageID ?? "?")")
                compared += 1
            }
        }
        print("--thread: \(compared) replies from \(threadsUsed) threads reviewed alone; remark lines equal to the whole thread's")
        #expect(compared >= 1)
        if Fixtures.corpusAvailable { #expect(threadsUsed >= 10) }
    }

    @Test func theSampleReplyAloneIsAlignedAfterFetching() throws {
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let path = Fixtures.repoRoot + "/Samples/acme-adc-runtime-pm-thread.mbox"
        let whole = try MailReader.read(path: path).messages
        let review = try #require(whole.first { $0.messageID == "ZfB2mark-review-1@example.net" })
        #expect(ThreadCompletion.missingParents(of: [review]) == ["20240312091402.4711-1-jane@example.org"])
        let before = ReviewParser.analyze(review, in: [review])
        #expect(before.alignment == nil)
        let completed = ThreadCompletion.complete([review], fetcher: harness.fetcher(), lore: harness.server.base + "/all/", environment: [:])
        #expect(completed.messages.count == 1 + whole.count)
        #expect(completed.messages.map { $0.index } == Array(0..<completed.messages.count))
        let after = ReviewParser.analyze(completed.messages[0], in: completed.messages)
        #expect(after.alignment != nil)
        #expect(Self.anchors(after) == Self.anchors(ReviewParser.analyze(review, in: whole)))
        // fetched from the server, once (the server's request log is written after it answers,
        // so the fetch result is what is checked)
        #expect(completed.fetched.count == 1)
        if case .network(let attempts)? = completed.fetched.first?.origin { #expect(attempts == 1) } else { Issue.record("not fetched from the network") }
    }

    @Test func offlineWithoutACopySaysSoAndKeepsTheInput() throws {
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let path = Fixtures.repoRoot + "/Samples/acme-adc-runtime-pm-thread.mbox"
        let all = try MailReader.read(path: path).messages
        let review = try #require(all.first { $0.messageID == "ZfB2mark-review-1@example.net" })
        let completed = ThreadCompletion.complete([review], fetcher: harness.fetcher { $0.offline = true },
                                                  lore: harness.server.base + "/all/", environment: [:])
        #expect(completed.messages.count == 1)
        #expect(completed.fetched.isEmpty)
        #expect(completed.notes.count == 1)
        #expect(completed.notes.first?.contains("not in the cache (offline)") == true)
        #expect(harness.server.requests.isEmpty)
    }

    @Test func nothingIsFetchedWhenEveryParentIsPresent() throws {
        let path = Fixtures.repoRoot + "/Samples/acme-adc-runtime-pm-thread.mbox"
        let whole = try MailReader.read(path: path).messages
        #expect(ThreadCompletion.missingParents(of: whole).isEmpty)
    }
}
