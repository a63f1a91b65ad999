// Issue 15, fetching: 429 and Retry-After, message-ids and links that would leave the inbox,
// redirects (another host, https to http), what killed fetches leave in the cache.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@testable import Lore
import Mailbox
import Testing
import TestSupport

@Suite struct FetchSafetyTests {
    // MARK: - `.` and `..`

    @Test func dotAndDotDotIDsStayUnderTheInbox() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        for value in ["..", "."] {
            _ = try harness.fetcher().fetch(try MessageID(value), from: harness.inbox)
        }
        #expect(harness.server.requests == ["/all/%2E%2E/t.mbox.gz", "/all/%2E/t.mbox.gz"])
        #expect(InboxServer.lore.threadURL(for: try MessageID("..")) == "https://lore.kernel.org/all/%2E%2E/t.mbox.gz")
        // Dots inside a longer id are no path segment of their own and stay as they are.
        #expect(try MessageID("...").urlEscaped == "...")
        #expect(try MessageID("../x").urlEscaped == "..%2Fx")
    }

    @Test func aReplyToDotDotFetchesItEscaped() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        let mail = "From: a@b.example\nMessage-ID: <reply@x>\nIn-Reply-To: <..>\nSubject: Re: x\n\nhello\n"
        let messages = MailReader.parse(Array(mail.utf8), name: "reply.eml").messages
        #expect(ThreadCompletion.missingParents(of: messages) == [".."])
        let completed = ThreadCompletion.complete(messages, fetcher: harness.fetcher(), lore: harness.server.base + "/all/",
                                                  environment: [:])
        #expect(completed.fetched.count == 1)
        #expect(harness.server.requests == ["/all/%2E%2E/t.mbox.gz"])
    }

    @Test(arguments: [
        "https://lore.kernel.org/all/../../../etc/passwd@x/",
        "https://lore.kernel.org/all/./x@y/",
        "https://lore.kernel.org/all/%2e%2e/%2E%2E/etc/passwd@x/T/",
        "https://lore.kernel.org/../x@y/raw",
        "https://lore.kernel.org/all/../",
    ])
    func aLinkThatLeavesTheInboxIsRefused(link: String) {
        expectLoreError({ _ = try ThreadReference(parsing: link) }) {
            guard case .invalidMessageID(let input, let reason) = $0 else { return false }
            return input == link && reason.contains("'.' or '..'")
        }
    }

    @Test func aServerURLThatLeavesItsPathIsRefused() {
        for mask in ["https://lore.kernel.org/all/../%s", "https://lore.kernel.org/./all/", "https://h.example/a/%2E%2E/%s/"] {
            expectLoreError({ _ = try InboxServer(midmask: mask) }) {
                guard case .invalidServer(_, let reason) = $0 else { return false }
                return reason.contains("'.' or '..'")
            }
        }
        // Dots that are part of a segment are fine.
        #expect((try? InboxServer(midmask: "https://lore.kernel.org/.well/..a/")) != nil)
    }

    // MARK: - What killed fetches leave

    static func makeFile(_ path: String, age: Double, contents: String = "") throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
        let when = Date().timeIntervalSince1970 - age
        var times = [timeval(tv_sec: Int(when), tv_usec: 0), timeval(tv_sec: Int(when), tv_usec: 0)]
        #expect(utimes(path, &times) == 0)
    }

    @Test func staleTemporaryAndLockFilesAreRemovedByTheNextFetch() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        try FileManager.default.createDirectory(atPath: harness.cache.directory, withIntermediateDirectories: true)
        let dir = harness.cache.directory + "/"
        // Left by a fetch killed 20 minutes ago: its temporary files and its lock.
        try Self.makeFile(dir + ".tmp-killed@x-0123456789abcdef.mbox-Ab12Cd", age: 1200, contents: "From x")
        try Self.makeFile(dir + ".tmp-killed@x-0123456789abcdef.meta-Ef34Gh", age: 1200)
        try Self.makeFile(dir + ".killed@x-0123456789abcdef.lock", age: 1200)
        // A lock file that is not empty is not ours: kept.
        try Self.makeFile(dir + ".odd@x-0123456789abcdef.lock", age: 1200, contents: "pid 1")
        // A fetch going on now (a minute old), and one that holds its lock: both kept.
        try Self.makeFile(dir + ".tmp-recent@x-0123456789abcdef.mbox-Ij56Kl", age: 60)
        try Self.makeFile(dir + ".tmp-held@x-0123456789abcdef.mbox-Mn78Op", age: 1200)
        try Self.makeFile(dir + ".held@x-0123456789abcdef.lock", age: 1200)
        let held = open(dir + ".held@x-0123456789abcdef.lock", O_RDWR | O_CLOEXEC)
        #expect(held >= 0)
        #expect(flock(held, LOCK_EX | LOCK_NB) == 0)
        defer { close(held) }

        let id = try MessageID("next@x")
        _ = try harness.fetcher().fetch(id, from: harness.inbox)
        let stem = String(harness.cache.fileName(for: id).dropLast(".mbox".count))
        #expect(harness.cacheFiles == [
            ".held@x-0123456789abcdef.lock",
            ".odd@x-0123456789abcdef.lock",
            ".tmp-held@x-0123456789abcdef.mbox-Mn78Op",
            ".tmp-recent@x-0123456789abcdef.mbox-Ij56Kl",
            stem + ".mbox",
            stem + ".meta",
        ])
    }

    /// Each fetch removes its own lock file when done, and one that waited on a lock file that was
    /// removed meanwhile takes the new one: fetches of one thread still take turns.
    @Test func fetchesOfOneThreadTakeTurnsAndLeaveNoLockFile() throws {
        final class Times: @unchecked Sendable {
            let lock = NSLock()
            var values: [Double] = []
        }
        let times = Times()
        let thread = mainThread()
        let harness = try Harness { _, _ in
            times.lock.withLock { times.values.append(Date().timeIntervalSince1970) }
            return .delayed(seconds: 0.2, .gzip(thread.gzip))
        }
        let fetcher = harness.fetcher { $0.cacheTTL = 0 }
        let inbox = harness.inbox
        let id = try MessageID("turns@x")
        let failures = NSLock()
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { _ = try fetcher.fetch(id, from: inbox) } catch { failures.withLock { errors.append("\(error)") } }
        }
        #expect(errors.isEmpty)
        let sorted = times.lock.withLock { times.values.sorted() }
        #expect(sorted.count == 4)
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(b - a >= 0.19, "two downloads at once: \(sorted)") }
        let stem = String(harness.cache.fileName(for: id).dropLast(".mbox".count))
        #expect(harness.cacheFiles == [stem + ".mbox", stem + ".meta"])
    }
}
