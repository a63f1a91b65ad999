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
}
