// `lkml-review ID` on the newest revision of a series whose changelog links to the earlier one
// (b4's `Link to v1:`): both threads are fetched from the public-inbox look-alike on 127.0.0.1 and
// the v1 remarks are followed into v2 (issue 16, revisions).
import Foundation
import Mailbox
import Testing
import TestSupport

@Suite("lkml-review ID fetches earlier revisions")
struct RevisionFetchCLITests {
    static func mail(_ id: String, _ subject: String, from: String = "Ann Author <ann@example.org>", minute: Int,
                     inReplyTo: String? = nil, _ body: String) -> String {
        var h = "From nobody Mon Jan  1 00:00:00 2024\nFrom: \(from)\nSubject: \(subject)\n"
        h += "Date: Mon, 1 Jan 2024 10:\(minute < 10 ? "0" : "")\(minute):00 +0000\nMessage-ID: <\(id)>\n"
        if let inReplyTo { h += "In-Reply-To: <\(inReplyTo)>\nReferences: <\(inReplyTo)>\n" }
        return h + "\n" + body + "\n"
    }

    static func patch(notes: String, call: String) -> String {
        """
        Probe the clock.

        Signed-off-by: Ann Author <ann@example.org>
        ---
        \(notes)
         drivers/foo/foo.c | 1 +
         1 file changed, 1 insertion(+)

        diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
        index 1111111..2222222 100644
        --- a/drivers/foo/foo.c
        +++ b/drivers/foo/foo.c
        @@ -10,4 +10,5 @@ static int foo_probe(struct platform_device *pdev)
         \tif (!foo)
         \t\treturn -ENOMEM;
        +\tfoo->clk = \(call)(&pdev->dev, NULL);
         \tplatform_set_drvdata(pdev, foo);
         \treturn 0;
        --\u{20}
        2.40.0
        """
    }

    @Test func theEarlierRevisionALinkNamesIsFetchedAndFollowed() throws {
        guard let exe = CLI.binaryOrSkip("theEarlierRevisionALinkNamesIsFetchedAndFollowed") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-revisions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let v1 = Self.mail("v1@example.org", "[PATCH] foo: probe the clock", minute: 0, Self.patch(notes: "", call: "devm_clk_get"))
            + Self.mail("r1@example.org", "Re: [PATCH] foo: probe the clock", from: "Rita Reviewer <rita@example.org>", minute: 5,
                        inReplyTo: "v1@example.org", """
                        On Mon, Jan 01, 2024 at 10:00:00AM +0000, Ann Author wrote:
                        > +\tfoo->clk = devm_clk_get(&pdev->dev, NULL);

                        Please use devm_clk_get_enabled() here, nothing enables the clock.
                        """)
        let v2 = Self.mail("v2@example.org", "[PATCH v2] foo: probe the clock", minute: 30,
                           Self.patch(notes: "Changes in v2:\n- the clock enabled\n- Link to v1: https://lore.kernel.org/r/v1@example.org\n",
                                      call: "devm_clk_get_enabled"))
        let v1Body = try gzipCompress(Array(v1.utf8)), v2Body = try gzipCompress(Array(v2.utf8))
        let server = try TestServer { target, _ in
            if target.contains("/v1@example.org/") { return .gzip(v1Body) }
            if target.contains("/v2@example.org/") { return .gzip(v2Body) }
            return .status(404)
        }
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let run = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--cache-dir", cache, "--lore", server.base + "/all/", "v2@example.org"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("fetched the earlier revision <v1@example.org>"), "\(run.stderr)")
        #expect(server.requests.contains { $0.contains("/all/v1@example.org/t.mbox.gz") }, "\(server.requests)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let series = try #require(doc["series"] as? [[String: Any]])
        #expect(series.count == 2)
        let first = try #require(series.first { $0["version"] as? Int == 1 })
        let next = (first["revision"] as? [String: Any])?["next"] as? [String: Any]
        #expect(next?["version"] as? Int == 2)
        let remarks = (first["patches"] as? [[String: Any]])?.first?["remarks"] as? [[String: Any]] ?? []
        let status = (remarks.first?["revision"] as? [String: Any])?["status"] as? String
        #expect(status == "addressed")

        // --no-revisions fetches the named thread only.
        let only = try CLI.run(exe, ["review", "--format", "json", "--no-rules", "--no-revisions", "--cache-dir", dir.appendingPathComponent("c2").path,
                                     "--lore", server.base + "/all/", "v2@example.org"])
        #expect(only.status == 0)
        #expect(!only.stderr.contains("earlier revision"))
        let onlyDoc = try JSONSerialization.jsonObject(with: Data(only.stdout.utf8)) as? [String: Any]
        #expect((onlyDoc?["series"] as? [Any])?.count == 1)
    }
}
