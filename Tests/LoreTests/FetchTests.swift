import Foundation
@testable import Lore
import Mailbox
import Testing
import TestSupport

/// A test's own server, cache folder and fetcher settings.
final class Harness {
    let server: TestServer
    let directory: String
    let cache: ThreadCache

    convenience init(_ handler: @escaping TestServer.Handler) throws {
        try self.init(server: TestServer(handler: handler))
    }

    /// A harness whose server's handler sees each request whole (method, query parameters, body).
    static func seeing(_ handler: @escaping TestServer.RequestHandler) throws -> Harness {
        try Harness(server: TestServer.seeing(handler))
    }

    private init(server: TestServer) throws {
        self.server = server
        directory = FileManager.default.temporaryDirectory.path + "/lore-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        cache = ThreadCache(directory: directory + "/cache/lkml-review")
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The server's `all` inbox.
    var inbox: InboxServer { try! InboxServer(midmask: server.base + "/all/") }

    func fetcher(cache useCache: Bool = true, _ tweak: (inout FetchOptions) -> Void = { _ in }) -> ThreadFetcher {
        var options = FetchOptions(attempts: 3, retryDelay: 0.01)
        options.transfer.proxy = .none
        options.transfer.connectTimeout = 5
        options.transfer.lowSpeedTime = 5
        tweak(&options)
        return ThreadFetcher(client: CurlHTTPClient(), cache: useCache ? cache : nil, options: options)
    }

    /// Files in the cache folder (temporary and lock files included).
    var cacheFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? []).sorted()
    }

    func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}

/// The thread used by most tests: a corpus thread, or the sample when the corpus is absent.
func mainThread() -> ServedThread {
    Fixtures.threads.first { $0.inbox != "samples" } ?? Fixtures.threads[0]
}

func expectLoreError(_ body: () throws -> Void, _ check: (LoreError) -> Bool,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected an error", sourceLocation: sourceLocation)
    } catch let error as LoreError {
        #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("not a LoreError: \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct FetchTests {
    @Test func everyAcceptedFormFetchesTheWholeThread() throws {
        let thread = mainThread()
        let id = try #require(thread.messageIDs.last)
        let escaped = publicInboxEscape(id)
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let base = harness.server.base
        let forms: [(String, String)] = [
            (id, "/all/\(escaped)/t.mbox.gz"),
            ("<\(id)>", "/all/\(escaped)/t.mbox.gz"),
            ("id:\(id)", "/all/\(escaped)/t.mbox.gz"),
            ("\(base)/\(thread.inbox)/\(escaped)/", "/\(thread.inbox)/\(escaped)/t.mbox.gz"),
            ("\(base)/\(thread.inbox)/\(escaped)/T/#u", "/\(thread.inbox)/\(escaped)/t.mbox.gz"),
            ("\(base)/\(thread.inbox)/\(escaped)/raw", "/\(thread.inbox)/\(escaped)/t.mbox.gz"),
            ("\(base)/all/\(escaped)/t.mbox.gz", "/all/\(escaped)/t.mbox.gz"),
            ("\(base)/all/\(publicInboxEscape("<" + id + ">"))/", "/all/\(escaped)/t.mbox.gz"),
        ]
        for (index, (input, path)) in forms.enumerated() {
            let reference = try ThreadReference(parsing: input)
            let server = try InboxServer.resolve(reference: reference, option: nil, environment: [:], gitMidmask: { nil }).server
            // The default server would be lore.kernel.org: plain ids go to the test server through --lore.
            let chosen = reference.server == nil ? harness.inbox : server
            let result = try harness.fetcher(cache: false).fetch(reference.messageID, from: chosen,
                                                                 to: harness.directory + "/out-\(index).mbox")
            #expect(result.messageID.value == id)
            #expect(result.messageCount == thread.messageIDs.count, "\(input)")
            #expect(harness.contents(result.path) == thread.mbox)
            #expect(harness.server.requests.last == path, "\(input)")
        }
        #expect(harness.server.requests.count == forms.count)
        let agent = harness.server.requestsWithHeaders.first?.headers.first { $0.lowercased().hasPrefix("user-agent:") }
        #expect(agent == "User-Agent: lkml-review/\(loreVersion)")
    }

    @Test func fetchedMessageCountsEqualTheSourceFiles() throws {
        if !Fixtures.corpusAvailable {
            print("corpus part skipped: \(Fixtures.corpusLists) not found; serving Samples/ only")
        }
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let fetcher = harness.fetcher()
        var checked = 0
        for thread in Fixtures.threads {
            guard let first = thread.messageIDs.first else { continue }
            let result = try fetcher.fetch(try MessageID(first), from: harness.inbox)
            #expect(result.messageCount == thread.messageIDs.count, "\(thread.inbox)/\(thread.name)")
            #expect(harness.contents(result.path) == thread.mbox, "\(thread.name)")
            #expect(result.origin == .network(attempts: 1))
            #expect(URL(fileURLWithPath: result.path).deletingLastPathComponent().path == harness.cache.directory)
            checked += 1
        }
        #expect(checked == Fixtures.threads.count)
        #expect(checked >= (Fixtures.corpusAvailable ? 19 : 1))
        #expect(try harness.cache.list().count == checked)
        #expect(harness.cacheFiles.allSatisfy { !$0.hasPrefix(".tmp-") })
    }

    @Test func countsAgreeWithMailboxSplitter() throws {
        let chosen = Fixtures.threads.filter { $0.inbox == "samples" } + Fixtures.threads.filter { $0.inbox != "samples" }.prefix(2)
        #expect(!chosen.isEmpty)
        for thread in chosen {
            var splitter = MboxSplitter(source: MemorySource(thread.mbox))
            var messages = 0
            while try splitter.next() != nil { messages += 1 }
            #expect(countMboxMessages(thread.mbox) == messages, "\(thread.name)")
            #expect(messages == thread.messageIDs.count, "\(thread.name)")
        }
    }

    @Test func hostileIDIsEscapedAndStaysInTheCache() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        let id = try MessageID("../../a/b%c?d#e f@x")
        let result = try harness.fetcher().fetch(id, from: harness.inbox)
        #expect(harness.server.requests == ["/all/..%2F..%2Fa%2Fb%25c%3Fd%23e%20f@x/t.mbox.gz"])
        #expect(URL(fileURLWithPath: result.path).deletingLastPathComponent().path == harness.cache.directory)
        #expect(result.path.hasPrefix(harness.cache.directory + "/_._.._a_b_c_d_e_f@x-"))
        let outside = try FileManager.default.contentsOfDirectory(atPath: harness.directory).sorted()
        #expect(outside == ["cache"])
        #expect(try harness.cache.list().map(\.messageID) == [id.value])
    }

    @Test func unknownIDIs404WithoutRetry() throws {
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let id = try MessageID("no-such-message@example.invalid")
        expectLoreError({ _ = try harness.fetcher().fetch(id, from: harness.inbox) }) {
            guard case .unknownMessageID(let got, let url) = $0 else { return false }
            return got == id && url.hasSuffix("/all/no-such-message@example.invalid/t.mbox.gz")
                && $0.description.contains("does not know message-id <no-such-message@example.invalid>")
        }
        #expect(harness.server.requests.count == 1)
        #expect(harness.cacheFiles.allSatisfy { $0.hasSuffix(".lock") })
    }

    @Test func serverErrorIsRetriedOnceThenSucceeds() throws {
        let thread = mainThread()
        let harness = try Harness { _, hit in hit == 1 ? .status(500, "Internal Server Error") : .gzip(thread.gzip) }
        let result = try harness.fetcher().fetch(try MessageID("retry@x"), from: harness.inbox)
        #expect(result.origin == .network(attempts: 2))
        #expect(harness.server.requests.count == 2)
        #expect(harness.contents(result.path) == thread.mbox)
    }

    @Test func persistent5xxGivesUpAfterTheAttemptsAnd4xxIsNotRetried() throws {
        let harness = try Harness { target, _ in target.contains("busy") ? .status(503, "Busy") : .status(403, "Forbidden") }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("busy@x"), from: harness.inbox) }) {
            if case .httpStatus(503, _) = $0 { return true }
            return false
        }
        #expect(harness.server.requests.count == 3)
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("nope@x"), from: harness.inbox) }) {
            if case .httpStatus(403, _) = $0 { return true }
            return false
        }
        #expect(harness.server.requests.count == 4)
    }

    @Test func connectionRefusedIsRetriedAndExplained() throws {
        let harness = try Harness { _, _ in .status(200) }
        let port = harness.server.port
        harness.server.stop()
        let dead = try InboxServer(midmask: "http://127.0.0.1:\(port)/all/")
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("x@y"), from: dead) }) {
            guard case .transfer(let error, _, let attempts) = $0 else { return false }
            return error.kind == .connect && attempts == 3 && $0.description.contains("(after 3 attempts)")
        }
    }

    @Test func tricklingServerTimesOutWithAClearMessage() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in
            .trickle(head: Reply.head(contentLength: thread.gzip.count), body: thread.gzip, interval: 0.25)
        }
        let started = Date()
        expectLoreError({
            _ = try harness.fetcher { options in
                options.attempts = 1
                options.transfer.lowSpeedLimit = 100
                options.transfer.lowSpeedTime = 1
            }.fetch(try MessageID("slow@x"), from: harness.inbox)
        }) {
            guard case .transfer(let error, _, _) = $0 else { return false }
            return error.kind == .timeout && $0.description.contains("too slow")
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(harness.cache.entry(for: try MessageID("slow@x")) == nil)
    }

    @Test func truncatedGzipFailsAndKeepsTheEarlierCopy() throws {
        let thread = mainThread()
        let harness = try Harness { _, hit in
            hit == 1 ? .gzip(thread.gzip) : .gzip(Array(thread.gzip.prefix(thread.gzip.count / 2)))
        }
        let id = try MessageID("cut@x")
        let good = try harness.fetcher().fetch(id, from: harness.inbox)
        #expect(harness.contents(good.path) == thread.mbox)
        expectLoreError({ _ = try harness.fetcher { $0.cacheTTL = 0; $0.attempts = 2 }.fetch(id, from: harness.inbox) }) {
            if case .badGzip(.truncated, _) = $0 { return true }
            return false
        }
        #expect(harness.server.requests.count == 3)
        #expect(harness.contents(good.path) == thread.mbox)
        #expect(harness.cacheFiles.filter { $0.hasPrefix(".tmp-") }.isEmpty)
        // Offline still has the good copy.
        let offline = try harness.fetcher { $0.offline = true }.fetch(id, from: harness.inbox)
        #expect(offline.messageCount == thread.messageIDs.count)
    }

    @Test func redirectIsFollowed() throws {
        let thread = mainThread()
        let harness = try Harness { target, _ in
            target.hasPrefix("/all/") ? .redirect(301, to: "/moved" + target) : .gzip(thread.gzip)
        }
        let result = try harness.fetcher().fetch(try MessageID("moved@x"), from: harness.inbox)
        #expect(harness.server.requests == ["/all/moved@x/t.mbox.gz", "/moved/all/moved@x/t.mbox.gz"])
        #expect(result.messageCount == thread.messageIDs.count)
    }

    @Test func tlsFailureIsNotRetried() throws {
        // https:// to a plain-HTTP server: the TLS handshake fails.
        let harness = try Harness { _, _ in .status(200) }
        let tls = try InboxServer(midmask: "https://127.0.0.1:\(harness.server.port)/all/")
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("tls@x"), from: tls) }) {
            guard case .transfer(let error, _, let attempts) = $0 else { return false }
            return error.kind == .tls && attempts == 1 && error.curlCode == 35
        }
        #expect(harness.server.requests.isEmpty)
    }

    @Test func redirectLoopFails() throws {
        let harness = try Harness { target, _ in
            .redirect(to: target.hasPrefix("/a/") ? "/b" + target.dropFirst(2) : "/a" + target.dropFirst(2))
        }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("loop@x"), from: harness.inbox) }) {
            guard case .transfer(let error, _, _) = $0 else { return false }
            return error.kind == .tooManyRedirects
        }
        #expect(harness.server.requests.count == 6) // the request and 5 redirects
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x.mbox.gz", "gopher://127.0.0.1/x"])
    func redirectToAnotherSchemeIsRefused(location: String) throws {
        let harness = try Harness { _, _ in .redirect(to: location) }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("scheme@x"), from: harness.inbox) }) {
            guard case .transfer(let error, _, let attempts) = $0 else { return false }
            return error.kind == .protocolRefused && attempts == 1
        }
        #expect(harness.server.requests.count == 1)
        #expect(try harness.cache.list().isEmpty)
    }

    @Test func gzipBombStopsAtTheCap() throws {
        let bomb = try gzipCompress([UInt8](repeating: UInt8(ascii: "A"), count: 16 << 20), level: 9)
        let harness = try Harness { _, _ in .gzip(bomb) }
        expectLoreError({ _ = try harness.fetcher { $0.maxSize = 1 << 20 }.fetch(try MessageID("bomb@x"), from: harness.inbox) }) {
            guard case .tooLarge(let limit, _) = $0 else { return false }
            return limit == 1 << 20 && $0.description.contains("--max-fetch-size")
        }
        #expect(harness.server.requests.count == 1)
        #expect(harness.cacheFiles.allSatisfy { $0.hasSuffix(".lock") })
    }

    @Test func endlessBodiesAreCut() throws {
        // Endless empty gzip members decode to nothing: the raw cap ends them.
        let empty = try gzipCompress([])
        let harness = try Harness { target, _ in
            target.contains("members")
                ? .endless(head: Reply.head(contentLength: nil), chunk: [UInt8](repeating: 0, count: 0) + Array(repeating: empty, count: 500).flatMap { $0 }, limit: 64 << 20)
                : .endless(head: Reply.head(contentLength: nil, contentType: "text/plain"), chunk: Array("xxxxxxxx".utf8), limit: 64 << 20)
        }
        expectLoreError({ _ = try harness.fetcher { $0.maxSize = 1 << 20 }.fetch(try MessageID("members@x"), from: harness.inbox) }) {
            if case .tooLarge = $0 { return true }
            return false
        }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("text@x"), from: harness.inbox) }) {
            if case .notMbox = $0 { return true }
            return false
        }
    }

    @Test func contentLengthThatLies() throws {
        let thread = mainThread()
        let harness = try Harness { target, _ in
            if target.contains("long") {
                // Claims more than it sends, then closes.
                return .raw(Reply.head(contentLength: thread.gzip.count + 5000) + thread.gzip)
            }
            // Claims less than the gzip stream: curl stops at the claim and the stream is cut.
            return .raw(Reply.head(contentLength: thread.gzip.count - 100) + thread.gzip)
        }
        expectLoreError({ _ = try harness.fetcher { $0.attempts = 1 }.fetch(try MessageID("long@x"), from: harness.inbox) }) {
            guard case .transfer(let error, _, _) = $0 else { return false }
            return error.kind == .connectionLost
        }
        expectLoreError({ _ = try harness.fetcher { $0.attempts = 1 }.fetch(try MessageID("short@x"), from: harness.inbox) }) {
            if case .badGzip(.truncated, _) = $0 { return true }
            return false
        }
        #expect(try harness.cache.list().isEmpty)
    }

    @Test func htmlPageInsteadOfMboxIsRefused() throws {
        let page = Array("<!DOCTYPE html><html><head><title>Anubis: checking you are not a bot</title></head><body>\u{1b}[31m...</body></html>".utf8)
        let harness = try Harness { _, _ in .response(status: 200, headers: ["Content-Type: text/html"], body: page) }
        expectLoreError({ _ = try harness.fetcher().fetch(try MessageID("html@x"), from: harness.inbox) }) {
            guard case .notMbox(_, let type, let excerpt) = $0 else { return false }
            return type == "text/html" && excerpt == "Anubis: checking you are not a bot"
        }
        #expect(harness.server.requests.count == 1)
    }

    @Test func plainMboxIsAcceptedToo() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .response(status: 200, headers: ["Content-Type: application/mbox"], body: thread.mbox) }
        let result = try harness.fetcher().fetch(try MessageID("plain@x"), from: harness.inbox)
        #expect(harness.contents(result.path) == thread.mbox)
    }

    @Test func offlineUsesOnlyTheCache() throws {
        let thread = mainThread()
        let id = try MessageID(try #require(thread.messageIDs.first))
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        expectLoreError({ _ = try harness.fetcher { $0.offline = true }.fetch(id, from: harness.inbox) }) {
            guard case .notCached(let got, let dir) = $0 else { return false }
            return got == id && dir == harness.cache.directory && $0.description.hasPrefix("offline: thread <")
        }
        #expect(harness.server.requests.isEmpty)
        let online = try harness.fetcher().fetch(id, from: harness.inbox)
        #expect(online.origin == .network(attempts: 1))
        let offline = try harness.fetcher { $0.offline = true; $0.cacheTTL = 0 }.fetch(id, from: harness.inbox)
        guard case .cache = offline.origin else {
            Issue.record("not from the cache: \(offline.origin)")
            return
        }
        #expect(offline.path == online.path)
        #expect(offline.messageCount == thread.messageIDs.count)
        #expect(harness.server.requests.count == 1)
        // Within the freshness window the server is not asked again; with TTL 0 it is.
        _ = try harness.fetcher().fetch(id, from: harness.inbox)
        #expect(harness.server.requests.count == 1)
        _ = try harness.fetcher { $0.cacheTTL = 0 }.fetch(id, from: harness.inbox)
        #expect(harness.server.requests.count == 2)
        // cache list / clear
        let entries = try harness.cache.list()
        #expect(entries.count == 1)
        #expect(entries.first?.messageID == id.value)
        #expect(entries.first?.url == harness.inbox.threadURL(for: id))
        #expect(try harness.cache.clear() == 1)
        #expect(harness.cacheFiles.isEmpty)
    }

    @Test func concurrentFetchesOfOneIDEndWithOneCompleteFile() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .delayed(seconds: 0.3, .gzip(thread.gzip)) }
        let id = try MessageID("together@x")
        let fetcher = harness.fetcher()
        let inbox = harness.inbox
        let results = NSLock()
        nonisolated(unsafe) var paths: [String] = []
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let result = try fetcher.fetch(id, from: inbox)
                results.withLock { paths.append(result.path) }
            } catch {
                results.withLock { failures.append("\(error)") }
            }
        }
        #expect(failures.isEmpty)
        #expect(Set(paths).count == 1)
        #expect(paths.count == 6)
        #expect(harness.server.requests.count == 1)
        #expect(harness.contents(harness.cache.path(for: id)) == thread.mbox)
        #expect(harness.cacheFiles.filter { $0.hasSuffix(".mbox") } == [harness.cache.fileName(for: id)])
        #expect(harness.cacheFiles.filter { $0.hasPrefix(".tmp-") }.isEmpty)
    }

    @Test func noCacheWritesOnlyTheDestination() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        let out = harness.directory + "/thread.mbox"
        let result = try harness.fetcher(cache: false).fetch(try MessageID("nc@x"), from: harness.inbox, to: out)
        #expect(result.path == out)
        #expect(harness.contents(out) == thread.mbox)
        #expect(!FileManager.default.fileExists(atPath: harness.cache.directory))
        expectLoreError({ _ = try harness.fetcher(cache: false) { $0.offline = true }.fetch(try MessageID("nc@x"), from: harness.inbox, to: out) }) {
            if case .notCached = $0 { return true }
            return false
        }
        // copyFile writes atomically over an existing file.
        try copyFile(atPath: out, to: harness.directory + "/copy.mbox")
        #expect(harness.contents(harness.directory + "/copy.mbox") == thread.mbox)
    }

    /// The transport itself: a POST's body reaches the server as given.
    @Test func aPostCarriesItsBody() throws {
        let harness = try Harness.seeing({ request, _ in
            .response(status: 200, headers: [], body: request.body)
        })
        final class Collect: HTTPResponseHandler {
            var body: [UInt8] = []
            func receive(head: HTTPResponseHead) throws {}
            func receive(body: UnsafeRawBufferPointer) throws { self.body += body }
        }
        let collect = Collect()
        var request = HTTPRequest(url: harness.server.base + "/all/?q=a", method: .post, body: Array("x=m&z=\u{0}1".utf8))
        request.proxy = .none
        let head = try CurlHTTPClient().perform(request, handler: collect)
        #expect(head.status == 200)
        #expect(collect.body == Array("x=m&z=\u{0}1".utf8))
        #expect(harness.server.seenRequests.first?.method == "POST")
        request.method = .get
        _ = try CurlHTTPClient().perform(request, handler: Collect())
        #expect(harness.server.seenRequests.last?.method == "GET")
        #expect(harness.server.seenRequests.last?.body.isEmpty == true)
    }
}
