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
    // MARK: - 429 Too Many Requests

    static func tooMany(retryAfter: String?) -> Reply {
        .response(status: 429, headers: ["Content-Type: text/html"] + (retryAfter.map { ["Retry-After: \($0)"] } ?? []),
                  body: Array("<html><head><title>429 Too Many Requests</title></head></html>\n".utf8))
    }

    @Test func tooManyRequestsWaitsForRetryAfterThenRetries() throws {
        let thread = mainThread()
        let harness = try Harness { _, hit in hit == 1 ? Self.tooMany(retryAfter: "1") : .gzip(thread.gzip) }
        let started = Date()
        let result = try harness.fetcher().fetch(try MessageID("busy@x"), from: harness.inbox)
        let waited = Date().timeIntervalSince(started)
        #expect(result.origin == .network(attempts: 2))
        #expect(harness.server.requests.count == 2)
        #expect(harness.contents(result.path) == thread.mbox)
        // The fetcher's own delay is 0.01 s: the second of waiting is the server's Retry-After.
        #expect(waited >= 0.95 && waited < 5, "waited \(waited) s")
    }

    @Test func retryAfterAsAnHTTPDateIsHonoured() throws {
        let thread = mainThread()
        let harness = try Harness { _, hit in
            guard hit == 1 else { return .gzip(thread.gzip) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return Self.tooMany(retryAfter: formatter.string(from: Date().addingTimeInterval(2)))
        }
        let started = Date()
        let result = try harness.fetcher().fetch(try MessageID("date@x"), from: harness.inbox)
        let waited = Date().timeIntervalSince(started)
        #expect(result.origin == .network(attempts: 2))
        // Two seconds ahead, cut to whole seconds: between one and two seconds of waiting.
        #expect(waited >= 0.95 && waited < 5, "waited \(waited) s")
    }

    @Test func retryAfterLongerThanTheFetchWaitsFailsAtOnce() throws {
        let harness = try Harness { _, _ in Self.tooMany(retryAfter: "3600") }
        let started = Date()
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("later@x"), from: harness.inbox) }) {
            let text = $0.description
            return text.contains("HTTP 429") && text.contains("3600 s") && text.contains("/all/later@x/t.mbox.gz")
        }
        #expect(harness.server.requests.count == 1)
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func tooManyRequestsWithoutRetryAfterIsRetriedABoundedNumberOfTimes() throws {
        let harness = try Harness { _, _ in Self.tooMany(retryAfter: nil) }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("always@x"), from: harness.inbox) }) {
            guard case .httpStatus(429, _) = $0 else { return false }
            return $0.description.contains("Too Many Requests")
        }
        #expect(harness.server.requests.count == 3)
    }

    @Test func aServiceUnavailableWithRetryAfterWaitsToo() throws {
        let thread = mainThread()
        let harness = try Harness { _, hit in
            hit == 1 ? .response(status: 503, headers: ["Retry-After: 1"], body: Array("busy".utf8)) : .gzip(thread.gzip)
        }
        let started = Date()
        let result = try harness.fetcher().fetch(try MessageID("down@x"), from: harness.inbox)
        #expect(result.origin == .network(attempts: 2))
        #expect(Date().timeIntervalSince(started) >= 0.95)
    }

    @Test func retryAfterValues() throws {
        let now = Date(timeIntervalSince1970: 784_111_777) // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
        #expect(RetryAfter.seconds("99999999999999999999", now: now) ?? 0 >= 1e9)
        // The three HTTP-date forms, 30 s ahead.
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Sunday, 06-Nov-94 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Sun Nov  6 08:50:07 1994", now: now) == 30)
        // A date in the past: no wait.
        #expect(RetryAfter.seconds("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == 0)
        #expect(RetryAfter.httpDate("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(RetryAfter.httpDate("Tue, 29 Feb 2028 23:59:60 GMT") == Date(timeIntervalSince1970: 1_835_481_600))
        // Neither form: the caller's own delay.
        for bad in ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:50:07 PST", "Sun, 06 Nov 1994 25:00:00 GMT",
                    "Sun, 32 Nov 1994 08:00:00 GMT", "Sun, 06 Foo 1994 08:00:00 GMT", "Sun, 06 Nov 94 08:00:00 GMT"] {
            #expect(RetryAfter.seconds(bad, now: now) == nil, "\(bad)")
        }
    }

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

    // MARK: - Redirects

    @Test func aRedirectToAnotherServerIsReportedUnderTheFinalURL() throws {
        let thread = mainThread()
        let other = try TestServer { target, _ in
            if target.contains("page@") {
                return .response(status: 200, headers: ["Content-Type: text/html"],
                                 body: Array("<html><head><title>Mirror</title></head></html>".utf8))
            }
            if target.contains("gone@") { return .status(404, "Not Found") }
            if target.contains("cut@") { return .gzip(Array(thread.gzip.prefix(thread.gzip.count / 2))) }
            return .gzip(thread.gzip)
        }
        defer { other.stop() }
        let otherBase = other.base
        let harness = try Harness { target, _ in .redirect(302, to: otherBase + "/mirror" + target) }

        let ok = try harness.fetcher().fetch(try MessageID("ok@x"), from: harness.inbox)
        #expect(ok.url == other.base + "/mirror/all/ok@x/t.mbox.gz")
        #expect(ok.requestedURL == harness.server.base + "/all/ok@x/t.mbox.gz")
        #expect(try harness.cache.list().first?.url == other.base + "/mirror/all/ok@x/t.mbox.gz")
        // From the cache, the recorded (final) URL again.
        let cached = try harness.fetcher().fetch(try MessageID("ok@x"), from: harness.inbox)
        #expect(cached.url == other.base + "/mirror/all/ok@x/t.mbox.gz")

        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("page@x"), from: harness.inbox) }) {
            guard case .notMbox(let url, _, _) = $0 else { return false }
            return url == other.base + "/mirror/all/page@x/t.mbox.gz"
        }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("gone@x"), from: harness.inbox) }) {
            guard case .unknownMessageID(_, let url) = $0 else { return false }
            return url == other.base + "/mirror/all/gone@x/t.mbox.gz"
        }
        expectLoreError({ _ = try harness.fetcher { $0.attempts = 1 }.fetch(try MessageID("cut@x"), from: harness.inbox) }) {
            guard case .badGzip(_, let url) = $0 else { return false }
            return url == other.base + "/mirror/all/cut@x/t.mbox.gz"
        }
    }

    @Test func aFailedRedirectTargetIsNamed() throws {
        let dead = try TestServer { _, _ in .status(200) }
        let deadBase = dead.base
        dead.stop()
        let harness = try Harness { target, _ in .redirect(302, to: deadBase + target) }
        expectLoreError({ _ = try harness.fetcher { $0.attempts = 1 }.fetch(try MessageID("dead@x"), from: harness.inbox) }) {
            guard case .transfer(let error, let url, _) = $0 else { return false }
            return error.kind == .connect && url == deadBase + "/all/dead@x/t.mbox.gz"
        }
    }

    @Test func aRedirectWithAnEndlessBodyIsStillFollowed() throws {
        let thread = mainThread()
        let harness = try Harness { target, _ in
            guard target.hasPrefix("/all/") else { return .gzip(thread.gzip) }
            let head = "HTTP/1.1 302 Found\r\nLocation: /next\(target)\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
            return .endless(head: Array(head.utf8), chunk: Array(repeating: UInt8(ascii: "x"), count: 4096), limit: 64 << 20)
        }
        let result = try harness.fetcher().fetch(try MessageID("chatty@x"), from: harness.inbox)
        #expect(result.url == harness.server.base + "/next/all/chatty@x/t.mbox.gz")
        #expect(harness.contents(result.path) == thread.mbox)
    }

    /// A whole-transfer timeout covers the whole chain of redirects, not each hop.
    @Test func theTotalTimeoutCoversEveryHop() throws {
        let thread = mainThread()
        let harness = try Harness { target, _ in
            if target.hasPrefix("/all/") { return .delayed(seconds: 0.6, .redirect(302, to: "/b" + target)) }
            if target.hasPrefix("/b/") { return .delayed(seconds: 0.6, .redirect(302, to: "/c" + target)) }
            return .gzip(thread.gzip)
        }
        let started = Date()
        expectLoreError({
            _ = try harness.fetcher { $0.attempts = 1; $0.transfer.totalTimeout = 1 }.fetch(try MessageID("slowhops@x"), from: harness.inbox)
        }) {
            guard case .transfer(let error, _, _) = $0 else { return false }
            return error.kind == .timeout
        }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(!harness.server.requests.contains { $0.hasPrefix("/c/") })
    }

    @Test func aRedirectFromHTTPSToHTTPIsRefused() {
        let from = "https://lore.kernel.org/all/x@y/t.mbox.gz"
        let refusal = RedirectPolicy.refusal(from: from, to: "http://mirror.example/all/x@y/t.mbox.gz")
        #expect(refusal?.kind == .insecureRedirect)
        #expect(refusal?.isRetryable == false)
        #expect(refusal?.description == "refused a redirect from https to plain http: \(from) -> http://mirror.example/all/x@y/t.mbox.gz")
        #expect(RedirectPolicy.refusal(from: "HTTPS://a.example/", to: "Http://a.example/")?.kind == .insecureRedirect)
        // Upgrades, https to https (another host too) and http to http are followed.
        #expect(RedirectPolicy.refusal(from: "http://a.example/", to: "https://a.example/") == nil)
        #expect(RedirectPolicy.refusal(from: from, to: "https://mirror.example/x") == nil)
        #expect(RedirectPolicy.refusal(from: "http://a.example/", to: "http://b.example/") == nil)
        // Other schemes, whatever the start.
        for target in ["file:///etc/passwd", "ftp://a.example/x", "gopher://a.example/", "javascript:alert(1)", "//b.example/x"] {
            #expect(RedirectPolicy.refusal(from: from, to: target)?.kind == .protocolRefused, "\(target)")
            #expect(RedirectPolicy.refusal(from: "http://a.example/", to: target)?.kind == .protocolRefused, "\(target)")
        }
        // As the user reads it.
        let error = LoreError.transfer(refusal!, url: from, attempts: 1)
        #expect(error.description == "cannot fetch \(from): refused a redirect from https to plain http: \(from) -> http://mirror.example/all/x@y/t.mbox.gz")
    }

    /// Through the client: every hop goes through `RedirectPolicy`; an upgrade to https is followed
    /// (and fails there, the test server speaking plain http), and the failure names that URL.
    @Test func everyHopIsCheckedAndAFailureNamesItsURL() throws {
        let harness = try Harness { target, _ in
            target.hasPrefix("/up/") ? .redirect(301, to: "https://127.0.0.1:1" + target) : .redirect(302, to: "/up" + target)
        }
        let https = "https://127.0.0.1:1/up/all/up@x/t.mbox.gz"
        expectLoreError({ _ = try harness.fetcher { $0.attempts = 1 }.fetch(try MessageID("up@x"), from: harness.inbox) }) {
            guard case .transfer(let error, let url, _) = $0 else { return false }
            return error.kind == .connect && url == https && error.url == https
        }
        #expect(harness.server.requests == ["/all/up@x/t.mbox.gz", "/up/all/up@x/t.mbox.gz"])
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
