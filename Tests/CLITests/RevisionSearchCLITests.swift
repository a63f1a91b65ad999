// `lkml-review ID` on the newest revision of a series whose changelog links to nothing: its b4
// `change-id:` is searched for on the public-inbox look-alike on 127.0.0.1 (a POST of
// `?q=nq:"change-id: …"&x=m&t=1`), which alone serves the v1 thread, and the v1 remarks are
// followed into v2 (issue 16, revisions).
import Foundation
import Mailbox
import Testing
import TestSupport

@Suite("lkml-review ID searches for the revisions of its change-id")
struct RevisionSearchCLITests {
    static let changeID = "20240101-foo-clock-0123456789ab"
    static let query = "nq:\"change-id: \(changeID)\""

    static func patch(call: String, changelog: String = "") -> String {
        RevisionFetchCLITests.patch(notes: changelog + "change-id: \(changeID)\n", call: call)
    }

    static var v1: String {
        RevisionFetchCLITests.mail("v1@example.org", "[PATCH] foo: probe the clock", minute: 0, patch(call: "devm_clk_get"))
            + RevisionFetchCLITests.mail("r1@example.org", "Re: [PATCH] foo: probe the clock", from: "Rita Reviewer <rita@example.org>",
                                         minute: 5, inReplyTo: "v1@example.org", """
                                         On Mon, Jan 01, 2024 at 10:00:00AM +0000, Ann Author wrote:
                                         > +\tfoo->clk = devm_clk_get(&pdev->dev, NULL);

                                         Please use devm_clk_get_enabled() here, nothing enables the clock.
                                         """)
    }

    static var v2: String {
        RevisionFetchCLITests.mail("v2@example.org", "[PATCH v2] foo: probe the clock", minute: 30,
                                   patch(call: "devm_clk_get_enabled", changelog: "Changes in v2:\n- the clock enabled\n"))
    }

    /// Another series that names the change-id as its prerequisite: the search finds it too, the
    /// review leaves it out.
    static var other: String {
        RevisionFetchCLITests.mail("other@example.org", "[PATCH] bar: use the foo clock", from: "Bob Builder <bob@example.org>",
                                   minute: 40, """
                                   Use the clock foo probes.

                                   Signed-off-by: Bob Builder <bob@example.org>
                                   ---
                                   prerequisite-change-id: \(changeID)

                                    drivers/bar/bar.c | 1 +
                                    1 file changed, 1 insertion(+)

                                   diff --git a/drivers/bar/bar.c b/drivers/bar/bar.c
                                   index 3333333..4444444 100644
                                   --- a/drivers/bar/bar.c
                                   +++ b/drivers/bar/bar.c
                                   @@ -1,3 +1,4 @@
                                    #include <linux/clk.h>
                                   +#include <linux/foo.h>
                                    
                                    static int bar;
                                   """)
    }

    /// A server with the v2 thread at its thread URL and every thread of the change-id only as the
    /// answer to the search's POST with the expected query.
    static func server() throws -> TestServer {
        let v2Body = try gzipCompress(Array(v2.utf8))
        let found = try gzipCompress(Array((v2 + v1 + other).utf8))
        return try TestServer.seeing({ request, _ in
            if request.method == "GET", request.path.hasSuffix("/v2@example.org/t.mbox.gz") { return .gzip(v2Body) }
            if request.method == "POST", request.path == "/all/", request.parameter("q") == query,
               request.parameter("x") == "m", request.parameter("t") == "1" {
                return .gzip(found)
            }
            return .status(404)
        })
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-revision-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func theRevisionsOfTheChangeIDAreSearchedForAndFollowed() throws {
        guard let exe = CLI.binaryOrSkip("theRevisionsOfTheChangeIDAreSearchedForAndFollowed") else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.server()
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let run = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--cache-dir", cache, "--lore", server.base + "/all/", "v2@example.org"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("the search for change-id \(Self.changeID) at \(server.base)/all/: found 3 messages of the series' threads, 2 not in the input (1 of other threads left out)"),
                "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let series = try #require(doc["series"] as? [[String: Any]])
        #expect(series.count == 2, "\(series.map { $0["title"] ?? "?" })")
        let first = try #require(series.first { $0["version"] as? Int == 1 })
        let revision = first["revision"] as? [String: Any]
        #expect(revision?["matchedBy"] as? String == "change-id")
        #expect(revision?["changeID"] as? String == Self.changeID)
        #expect((revision?["next"] as? [String: Any])?["version"] as? Int == 2)
        let remarks = (first["patches"] as? [[String: Any]])?.first?["remarks"] as? [[String: Any]] ?? []
        #expect((remarks.first?["revision"] as? [String: Any])?["status"] as? String == "addressed")
        let second = try #require(series.first { $0["version"] as? Int == 2 })
        #expect(((second["revision"] as? [String: Any])?["previous"] as? [String: Any])?["version"] as? Int == 1)

        // `cache list` names the search by its URL.
        let list = try CLI.run(exe, ["cache", "list", "--cache-dir", cache])
        #expect(list.stdout.contains(" 1 msgs  <v2@example.org>"), "\(list.stdout)")
        #expect(list.stdout.contains(" 4 msgs  search:\(server.base)/all/?q=nq%3A%22change-id%3A+\(Self.changeID)%22&x=m&t=1  "), "\(list.stdout)")

        // The search's answer is cached: a second review within the freshness window asks again
        // for nothing.
        let requests = server.seenRequests.count
        let again = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--cache-dir", cache, "--lore", server.base + "/all/", "v2@example.org"])
        #expect(again.status == 0)
        #expect(again.stdout == run.stdout)
        #expect(again.stderr.contains("(cached): found 3 messages"), "\(again.stderr)")
        #expect(server.seenRequests.count == requests)

        // --no-revisions searches for nothing.
        let only = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--no-revisions", "--cache-dir", dir.appendingPathComponent("c2").path,
                                     "--lore", server.base + "/all/", "v2@example.org"])
        #expect(only.status == 0)
        #expect(!only.stderr.contains("change-id"))
        #expect(server.seenRequests.filter { $0.method == "POST" }.count == 1)
    }

    /// The one search sent: a POST with an empty body, the change-id query, the mbox, whole threads.
    @Test func theQuerySentIsTheChangeIDOne() throws {
        guard let exe = CLI.binaryOrSkip("theQuerySentIsTheChangeIDOne") else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.server()
        defer { server.stop() }
        let run = try CLI.run(exe, ["review", "--no-rules", "--cache-dir", dir.path, "v2@example.org"],
                              environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(run.status == 0, "\(run.stderr)")
        let posts = server.seenRequests.filter { $0.method == "POST" }
        #expect(posts.count == 1)
        let post = try #require(posts.first)
        #expect(post.path == "/all/")
        #expect(post.target == "/all/?q=nq%3A%22change-id%3A+\(Self.changeID)%22&x=m&t=1")
        #expect(post.parameter("q") == Self.query)
        #expect(post.body.isEmpty)
        #expect(server.seenRequests.count == 2)
    }

    /// Offline (--offline, or LKML_REVIEW_OFFLINE) the cache alone answers: the thread was fetched
    /// before, the search was not, so nothing is searched and the note says so.
    @Test func offlineNothingIsSearched() throws {
        guard let exe = CLI.binaryOrSkip("offlineNothingIsSearched") else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.server()
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let fetch = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--lore", server.base + "/all/", "v2@example.org"])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(server.seenRequests.count == 1)
        for offline in [["--offline"], []] {
            let run = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--cache-dir", cache, "--lore", server.base + "/all/"]
                                  + offline + ["v2@example.org"], environment: offline.isEmpty ? ["LKML_REVIEW_OFFLINE": "1"] : [:])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("the search for change-id \(Self.changeID) at \(server.base)/all/: not searched: offline"), "\(run.stderr)")
            let doc = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect((doc?["series"] as? [Any])?.count == 1)
        }
        #expect(server.seenRequests.count == 1)
    }

    /// A failed search is a note; the review goes on with the thread.
    @Test func aFailedSearchIsANote() throws {
        guard let exe = CLI.binaryOrSkip("aFailedSearchIsANote") else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v2Body = try gzipCompress(Array(Self.v2.utf8))
        let server = try TestServer.seeing({ request, _ in
            request.method == "GET" ? .gzip(v2Body) : .status(400, "Bad Request")
        })
        defer { server.stop() }
        let run = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--cache-dir", dir.path, "--lore", server.base + "/all/", "v2@example.org"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("the search for change-id \(Self.changeID) at \(server.base)/all/ failed: the server answered HTTP 400"), "\(run.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((doc?["series"] as? [Any])?.count == 1)
    }
}
