// The public-inbox search (`InboxSearch`) against the 127.0.0.1 server: the POST and its query,
// no match as an empty result, the cache and its freshness, offline, retries, redirects of a POST.
import Foundation
@testable import Lore
import Mailbox
import Testing
import TestSupport

@Suite struct SearchTests {
    static let query = InboxQuery.changeID("20240101-foo-0123456789ab")

    @Test func theQueryIsFormEncodedAsB4WritesIt() throws {
        #expect(Self.query.text == "nq:\"change-id: 20240101-foo-0123456789ab\"")
        #expect(InboxSearch.formEncode(Self.query.text) == "nq%3A%22change-id%3A+20240101-foo-0123456789ab%22")
        #expect(InboxSearch.formEncode("dfn:a/b_c.c ~x é") == "dfn%3Aa%2Fb_c.c+~x+%C3%A9")
        var q = InboxQuery()
        q.add("dfn", "drivers/s390/crypto/vfio_ap_ops.c")
        q.add("f", "krowiak")
        q.add("s", "fix \"circular\" lockdep")
        q.add("b", "")
        q.addDays(from: Date(timeIntervalSince1970: 1_613_438_147 - 7 * 86_400), to: Date(timeIntervalSince1970: 1_613_438_147 + 2 * 86_400))
        #expect(q.text == "dfn:drivers/s390/crypto/vfio_ap_ops.c f:krowiak s:\"fix circular lockdep\" d:20210209..20210218")
        let server = try InboxServer(midmask: "https://lore.kernel.org/all/%s")
        #expect(server.inboxURL == "https://lore.kernel.org/all/")
        #expect(try InboxServer(midmask: "https://example.org/lists/linux-s390").inboxURL == "https://example.org/lists/linux-s390/")
        #expect(server.searchURL(for: Self.query, threads: true)
                == "https://lore.kernel.org/all/?q=nq%3A%22change-id%3A+20240101-foo-0123456789ab%22&x=m&t=1")
        #expect(server.searchURL(for: q, threads: false).hasSuffix("&x=m"))
    }

    /// lore's `/r/` redirector and a bare host are no inboxes: a search asks `all`; a list's inbox
    /// and `all` stay as they are.
    @Test func aSearchAsksAnInbox() throws {
        #expect(try InboxServer(midmask: "https://lore.kernel.org/r/%s").searchInbox.inboxURL == "https://lore.kernel.org/all/")
        #expect(try InboxServer(midmask: "https://lore.kernel.org/%s").searchInbox.inboxURL == "https://lore.kernel.org/all/")
        #expect(try InboxServer(midmask: "https://lore.kernel.org/linux-fpga/%s").searchInbox.inboxURL == "https://lore.kernel.org/linux-fpga/")
        #expect(try InboxServer(midmask: "https://lore.kernel.org/all/%s").searchInbox.inboxURL == "https://lore.kernel.org/all/")
    }

    @Test func aSearchIsAPostWhoseMboxIsCached() throws {
        let thread = mainThread()
        let harness = try Harness.seeing({ request, _ in
            request.method == "POST" && request.path == "/all/" ? .gzip(thread.gzip) : .status(404)
        })
        let search = InboxSearch(fetcher: harness.fetcher())
        let result = try search.search(Self.query, threads: true, in: harness.inbox)
        #expect(result.messageCount == thread.messageIDs.count)
        #expect(result.origin == .network(attempts: 1))
        #expect(harness.contents(result.path) == thread.mbox)
        #expect(result.path == harness.cache.path(forKey: InboxSearch.cacheKey(url: result.requestedURL)))
        let seen = try #require(harness.server.seenRequests.first)
        #expect(seen.method == "POST")
        #expect(seen.body.isEmpty)
        #expect(seen.parameter("q") == Self.query.text)
        #expect(seen.parameter("x") == "m")
        #expect(seen.parameter("t") == "1")
        #expect(seen.headers.contains { $0.lowercased() == "content-length: 0" })
        // Fresh: the cache answers; the cache lists it under its key.
        let again = try search.search(Self.query, threads: true, in: harness.inbox)
        guard case .cache = again.origin else {
            Issue.record("not from the cache: \(again.origin)")
            return
        }
        #expect(harness.server.requests.count == 1)
        #expect(try harness.cache.list().first?.messageID == InboxSearch.cacheKey(url: result.requestedURL))
        // Another query (or t=0) is another search.
        _ = try search.search(Self.query, threads: false, in: harness.inbox)
        #expect(harness.server.requests.count == 2)
        #expect(harness.server.seenRequests.last?.parameter("t") == nil)
        // TTL 0 asks again.
        _ = try InboxSearch(fetcher: harness.fetcher { $0.cacheTTL = 0 }).search(Self.query, threads: true, in: harness.inbox)
        #expect(harness.server.requests.count == 3)
    }

    @Test func noMatchIsAnEmptyResultKeptLikeAnother() throws {
        let harness = try Harness { _, _ in .status(404, "Not Found") }
        let search = InboxSearch(fetcher: harness.fetcher())
        let result = try search.search(Self.query, in: harness.inbox)
        #expect(result.messageCount == 0)
        #expect(result.size == 0)
        #expect(FileManager.default.fileExists(atPath: result.path))
        _ = try search.search(Self.query, in: harness.inbox)
        #expect(harness.server.requests.count == 1)
        // Offline, the empty answer is an answer.
        let offline = try InboxSearch(fetcher: harness.fetcher { $0.offline = true }).search(Self.query, in: harness.inbox)
        #expect(offline.messageCount == 0)
        #expect(harness.cacheFiles.filter { $0.hasPrefix(".tmp-") || $0.hasSuffix(".lock") }.isEmpty)
    }

    @Test func offlineAsksOnlyTheCache() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        expectLoreError({ _ = try InboxSearch(fetcher: harness.fetcher { $0.offline = true }).search(Self.query, in: harness.inbox) }) {
            guard case .notSearched(let query, let dir) = $0 else { return false }
            return query == Self.query.text && dir == harness.cache.directory && $0.description.hasPrefix("not searched: offline")
        }
        expectLoreError({ _ = try InboxSearch(fetcher: harness.fetcher(cache: false) { $0.offline = true }).search(Self.query, in: harness.inbox) }) {
            if case .notSearched = $0 { return true }
            return false
        }
        #expect(harness.server.requests.isEmpty)
        _ = try InboxSearch(fetcher: harness.fetcher()).search(Self.query, in: harness.inbox)
        let offline = try InboxSearch(fetcher: harness.fetcher { $0.offline = true; $0.cacheTTL = 0 }).search(Self.query, in: harness.inbox)
        #expect(offline.messageCount == thread.messageIDs.count)
        #expect(harness.server.requests.count == 1)
    }

    @Test func withoutACacheTheDestinationGetsTheMbox() throws {
        let thread = mainThread()
        let harness = try Harness { _, _ in .gzip(thread.gzip) }
        let out = harness.directory + "/found.mbox"
        let result = try InboxSearch(fetcher: harness.fetcher(cache: false)).search(Self.query, in: harness.inbox, to: out)
        #expect(result.path == out)
        #expect(harness.contents(out) == thread.mbox)
        #expect(!FileManager.default.fileExists(atPath: harness.cache.directory))
    }

    @Test func serverErrorsAreRetriedAndOthersAreLoreErrors() throws {
        let thread = mainThread()
        let retried = try Harness { _, hit in hit == 1 ? .status(503) : .gzip(thread.gzip) }
        let result = try InboxSearch(fetcher: retried.fetcher()).search(Self.query, in: retried.inbox)
        #expect(result.origin == .network(attempts: 2))
        #expect(retried.server.seenRequests.allSatisfy { $0.method == "POST" })

        let page = try Harness { _, _ in .response(status: 200, headers: ["Content-Type: text/html"], body: Array("<html><title>Search</title></html>".utf8)) }
        expectLoreError({ _ = try InboxSearch(fetcher: page.fetcher()).search(Self.query, in: page.inbox) }) {
            if case .notMbox = $0 { return true }
            return false
        }
        let big = try Harness { _, _ in .gzip(thread.gzip) }
        expectLoreError({ _ = try InboxSearch(fetcher: big.fetcher { $0.maxSize = 64 }).search(Self.query, in: big.inbox) }) {
            if case .tooLarge = $0 { return true }
            return false
        }
        #expect(big.cacheFiles.filter { $0.hasSuffix(".mbox") }.isEmpty)
    }

    /// 303 (and 301, 302) turn a POST into a GET of the new URL; 307 and 308 repeat the POST.
    @Test func aRedirectedPostFollowsHTTPRules() throws {
        let thread = mainThread()
        let harness = try Harness.seeing({ request, _ in
            switch request.path {
            case "/all/": return .redirect(303, to: "/moved/?q=x&x=m")
            case "/again/": return .redirect(307, to: "/kept/?q=x&x=m")
            default: return .gzip(thread.gzip)
            }
        })
        _ = try InboxSearch(fetcher: harness.fetcher()).search(Self.query, in: harness.inbox)
        #expect(harness.server.seenRequests.map(\.method) == ["POST", "GET"])
        #expect(harness.server.seenRequests.last?.path == "/moved/")
        let again = try InboxServer(midmask: harness.server.base + "/again/")
        _ = try InboxSearch(fetcher: harness.fetcher()).search(Self.query, in: again)
        #expect(harness.server.seenRequests.suffix(2).map(\.method) == ["POST", "POST"])
        #expect(harness.server.seenRequests.last?.path == "/kept/")
    }
}
