// `review --format reply`: reply mails from the binary; -o, a series as an mbox the tool reads
// back, nothing to reply to, determinism.
import Foundation
import Testing
import TestSupport

final class ReplyFormatTests {
    let dir: URL
    static var acme: String { CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path }
    static let offline = ["LKML_REVIEW_OFFLINE": "1"]

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-reply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func mail(_ subject: String, _ id: String, _ parent: String?, _ body: String) -> String {
        var h = "From x@x Mon Jan  1 00:00:00 2024\nFrom: Ann Author <ann@x.org>\nTo: list@x.org\nCc: Bob <bob@x.org>\n"
        h += "Subject: \(subject)\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <\(id)>\n"
        if let parent { h += "In-Reply-To: <\(parent)>\nReferences: <\(parent)>\n" }
        return h + "\n" + body + "\n"
    }

    /// A patch returning with the lock held when `leak`; a harmless one otherwise.
    static func patch(_ n: Int, leak: Bool) -> String {
        let added = leak ? "+\tif (s->bad)\n+\t\treturn -EINVAL;\n" : "+\ts->y = 2;\n+\ts->z = 3;\n"
        return "Change \(n).\n\nFrom the top: a line an mbox must escape.\n\nSigned-off-by: Ann Author <ann@x.org>\n---\n"
            + "diff --git a/lib/f\(n).c b/lib/f\(n).c\n--- a/lib/f\(n).c\n+++ b/lib/f\(n).c\n"
            + "@@ -1,7 +1,9 @@\n int f\(n)(struct s *s)\n {\n \tmutex_lock(&s->lock);\n" + added
            + " \ts->x = 1;\n \tmutex_unlock(&s->lock);\n \treturn 0;\n }\n"
    }

    static let series = [
        mail("[PATCH 0/3] lib: fixes", "c@x", nil, "Fixes.\n"),
        mail("[PATCH 1/3] lib: one", "p1@x", "c@x", patch(1, leak: true)),
        mail("[PATCH 2/3] lib: two", "p2@x", "c@x", patch(2, leak: false)),
        mail("[PATCH 3/3] lib: three", "p3@x", "c@x", patch(3, leak: true)),
    ].joined()

    @Test func vfioSampleGivesOneReplyInReplyToThePatch() throws {
        guard let exe = CLI.binaryOrSkip("vfioSampleGivesOneReplyInReplyToThePatch") else { return }
        let r = try CLI.run(exe, ["review", "--format", "reply", CLI.sample], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Subject: Re: [PATCH] s390/vfio-ap: fix circular lockdep"))
        #expect(r.stdout.contains("\nIn-Reply-To: <seed-reconstruction-vfio-ap-lockdep-patch@example.invalid>\n"))
        #expect(r.stdout.contains("\nReferences: <seed-reconstruction-vfio-ap-lockdep-patch@example.invalid>\n"))
        #expect(r.stdout.contains("\nTo: Tony Krowiak <akrowiak@"))
        #expect(r.stdout.contains("Warning (lock-window): matrix_dev->lock"))
        #expect(!r.stdout.contains("From mboxrd@z"))
        for line in r.stdout.split(separator: "\n") where !line.hasPrefix(">") {
            #expect(line.count <= 72, "\(line)")
            #expect(!line.contains("`") && !line.contains("**") && !line.contains("&lt;") && !line.contains("&nbsp;"), "\(line)")
        }
        // Determinism.
        #expect(try CLI.run(exe, ["review", "--format", "reply", CLI.sample], environment: Self.offline).stdout == r.stdout)
    }

    @Test func seriesIsAnMboxTheToolReadsBack() throws {
        guard let exe = CLI.binaryOrSkip("seriesIsAnMboxTheToolReadsBack") else { return }
        let input = try write("series.mbox", Self.series)
        let out = dir.appendingPathComponent("reply.mbox").path
        let r = try CLI.run(exe, ["review", "--format", "reply", "-o", out, input], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("From mboxrd@z Thu Jan  1 00:00:00 1970\n"))
        #expect(text == (try CLI.run(exe, ["review", "--format", "reply", input], environment: Self.offline)).stdout)
        let parsed = try CLI.run(exe, ["parse", "--format", "json", "--mbox-format", "mboxrd", out])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages.compactMap { $0["subject"] as? String } == ["Re: [PATCH 1/3] lib: one", "Re: [PATCH 3/3] lib: three"])
        #expect(messages.compactMap { $0["inReplyTo"] as? String } == ["p1@x", "p3@x"])
    }

    @Test func nothingToReplyTo() throws {
        guard let exe = CLI.binaryOrSkip("nothingToReplyTo") else { return }
        let input = try write("clean.eml", Self.mail("[PATCH] lib: two", "p2@x", nil, Self.patch(2, leak: false)))
        let r = try CLI.run(exe, ["review", "--format", "reply", input], environment: Self.offline)
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("nothing to reply to"))
        let noRules = try CLI.run(exe, ["review", "--format", "reply", "--no-rules", CLI.sample], environment: Self.offline)
        #expect(noRules.status == 0 && noRules.stdout.isEmpty && noRules.stderr.contains("nothing to reply to"))
    }

    @Test func acmeThreadRepliesToThePatchMail() throws {
        guard let exe = CLI.binaryOrSkip("acmeThreadRepliesToThePatchMail") else { return }
        let r = try CLI.run(exe, ["review", "--format", "reply", Self.acme], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Subject: Re: [PATCH] iio: adc: acme:"))
        #expect(r.stdout.contains("\nIn-Reply-To: <20240312091402.4711-1-jane@example.org>\n"))
        #expect(r.stdout.contains("\nOn Tue, 12 Mar 2024 10:14:02 +0100, Jane Doe <jane@example.org> wrote:\n"))
        #expect(r.stdout.contains("> @@ -24,6 +24,18 @@"))
    }
}
