// Every limit of docs/RELIABILITY.md has a flag: each test sets one low on an input that exceeds
// it and checks the warning, note or error it gives, and that the default lets the same input
// through. The fetch-size flags run against a real HTTP server on 127.0.0.1.
import Foundation
import Mailbox
import Testing
import TestSupport

final class LimitFlagTests {
    /// This test's files; removed when the test ends.
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A message that exceeds small limits of every kind: 12 header fields, one 300-byte field,
    /// multiparts nested 3 deep, 5 leaf parts, a 3,000-byte line and a base64 part of 6,000 bytes.
    static let heavy: String = {
        let b64 = Data(String(repeating: "0123456789abcdef\n", count: 353).utf8).base64EncodedString(options: .lineLength76Characters)
        var m = "From: Jane Dev <jane@example.org>\nTo: list@example.org\nSubject: [PATCH] limits\n"
        m += "Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <limits@example.org>\n"
        m += "X-Long: " + String(repeating: "x", count: 300) + "\n"
        for i in 0..<5 { m += "X-Extra-\(i): \(i)\n" }
        m += "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"a\"\n\n"
        m += "--a\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        m += "--b\nContent-Type: multipart/mixed; boundary=\"c\"\n\n"
        m += "--c\nContent-Type: text/plain\n\nThe long line:\n" + String(repeating: "y", count: 3_000) + "\n"
        m += "--c\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n"
        m += "--c--\n--b\nContent-Type: text/plain\n\nthree\n--b--\n"
        m += "--a\nContent-Type: text/plain\n\nfour\n--a\nContent-Type: text/plain\n\nfive\n--a--\n"
        return m
    }()

    func temporary(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func warnings(_ run: Run) -> Set<String> {
        Set(run.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("warning: ") else { return nil }
            return String(line.dropFirst(9).prefix { $0 != ":" })
        })
    }

    @Test func defaultsLetTheHeavyMessageThrough() throws {
        guard let exe = CLI.binaryOrSkip("defaultsLetTheHeavyMessageThrough") else { return }
        let path = try temporary("heavy.eml", Array(Self.heavy.utf8))
        let r = try CLI.run(exe, ["parse", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.warnings(r).isEmpty, "\(r.stdout)")
        #expect(r.stdout.contains("0123456789abcdef"), "the base64 part is decoded")
    }

    @Test(arguments: [
        (["--max-headers", "8"], "tooManyHeaders", "beyond the limit of 8"),
        (["--max-header-length", "100"], "headerTooLong", "longer than 100 bytes"),
        (["--max-mime-depth", "2"], "mimeTooDeep", "deeper than 2"),
        // The parts beyond the limit include every text part.
        (["--max-parts", "3"], "tooManyParts noTextPart", "more than 3 MIME parts"),
        (["--max-line-length", "1K"], "lineTooLong", "a line of 3000 bytes"),
        (["--max-decoded-size", "2K"], "messageTooLarge", ""),
        // The cut message ends inside its multipart.
        (["--max-message-size", "1K"], "truncated unclosedMultipart", "cut at 1024"),
    ])
    func eachMailLimitHasAFlag(flag: [String], codes: String, detail: String) throws {
        let expected = Set(codes.split(separator: " ").map(String.init))
        guard let exe = CLI.binaryOrSkip("eachMailLimitHasAFlag") else { return }
        let path = try temporary("heavy.eml", Array(Self.heavy.utf8))
        let r = try CLI.run(exe, ["parse"] + flag + [path])
        #expect(r.status == 0, "\(flag): \(r.stderr)")
        if !detail.isEmpty { #expect(r.stdout.contains(detail), "\(flag): \(r.stdout)") }
        // The flag changes only its own limit (and what follows from it).
        #expect(Self.warnings(r) == expected, "\(flag): \(r.stdout)")
    }

    @Test func theOtherMessagesOfAnMboxSurviveALimit() throws {
        guard let exe = CLI.binaryOrSkip("theOtherMessagesOfAnMboxSurviveALimit") else { return }
        let small = "From: A <a@example.org>\nSubject: small\nMessage-ID: <s@example.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhello\n"
        let mbox = "From x Mon Jan  1 00:00:00 2024\n" + small + "\nFrom x Mon Jan  1 00:00:00 2024\n" + Self.heavy
            + "\nFrom x Mon Jan  1 00:00:00 2024\n" + small.replacingOccurrences(of: "<s@", with: "<t@")
        let path = try temporary("three.mbox", Array(mbox.utf8))
        let r = try CLI.run(exe, ["parse", "--summary", "--max-message-size", "2K", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 message(s), "), "\(r.stdout)")
        #expect(r.stdout.contains("truncated"), "\(r.stdout)")
    }

    @Test func gzipSizeIsAnInputError() throws {
        guard let exe = CLI.binaryOrSkip("gzipSizeIsAnInputError") else { return }
        let path = try temporary("heavy.eml.gz", try gzipCompress(Array(Self.heavy.utf8)))
        let ok = try CLI.run(exe, ["parse", "--summary", path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let r = try CLI.run(exe, ["parse", "--max-gzip-size", "4K", path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("lkml-review: ") && r.stderr.contains(path), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func badLimitValuesAreUsageErrors() throws {
        guard let exe = CLI.binaryOrSkip("badLimitValuesAreUsageErrors") else { return }
        let sample = CLI.repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml").path
        for args in [["parse", "--max-parts", "0", sample], ["parse", "--max-message-size", "12X", sample],
                     ["parse", "--max-message-size", "99999999999999999999G", sample],
                     ["review", "--max-thread-size", "0", sample], ["check", "--max-path-steps", "-1", sample],
                     ["fetch", "--max-size", "0", "a@b"]] {
            let r = try CLI.run(exe, args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--max-"), "\(args): \(r.stderr)")
        }
    }

    /// A small function (3 independent `if`s, 8 paths) that the default limits analyse whole.
    static let branchy: String = {
        var c = "static int many(struct foo *f)\n{\n\tint r = 0;\n"
        for i in 0..<3 { c += "\tif (f->bits & \(1 << i))\n\t\tr += \(i);\n" }
        c += "\tspin_lock(&f->lock);\n\tf->r = r;\n\tspin_unlock(&f->lock);\n\treturn r;\n}\n"
        return c
    }()

    @Test func ruleLimitsHaveFlags() throws {
        guard let exe = CLI.binaryOrSkip("ruleLimitsHaveFlags") else { return }
        let path = try temporary("many.c", Array(Self.branchy.utf8))
        let plain = try CLI.run(exe, ["check", path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("analysis limited") && !plain.stdout.contains("not analysed"), "\(plain.stdout)")

        let steps = try CLI.run(exe, ["check", "--max-path-steps", "50", path])
        #expect(steps.stdout.contains("many: analysis limited: path budget of 50 steps reached"), "\(steps.stdout)")
        let states = try CLI.run(exe, ["check", "--max-states", "1", path])
        #expect(states.stdout.contains("distinct states at one point; further paths through it not followed"), "\(states.stdout)")
        let tokens = try CLI.run(exe, ["check", "--max-function-tokens", "20", path])
        #expect(tokens.stdout.contains("many: "), "\(tokens.stdout)")
        #expect(tokens.stdout.contains("more than the limit of 20 per function: not analysed"), "\(tokens.stdout)")
    }

    @Test func threadSizeLimitLeavesOutLaterReplies() throws {
        guard let exe = CLI.binaryOrSkip("threadSizeLimitLeavesOutLaterReplies") else { return }
        let thread = CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path
        let all = try CLI.run(exe, ["--format", "json", thread])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(!all.stdout.contains("thread size limit"))
        let one = try CLI.run(exe, ["--format", "json", "--max-thread-size", "1", thread])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("more than the thread size limit of 1: the last 1 left out"), "\(one.stdout)")
        let md = try CLI.run(exe, ["--max-thread-size", "1", thread])
        #expect(md.stdout.contains("thread size limit of 1"), "\(md.stdout)")
    }

    /// A review whose input or analysis a limit cut says so: fewer remarks or findings than usual
    /// may follow.
    @Test func reviewReportsTheLimitsItHit() throws {
        guard let exe = CLI.binaryOrSkip("reviewReportsTheLimitsItHit") else { return }
        let thread = CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path
        let plain = try CLI.run(exe, [thread])
        #expect(!plain.stdout.contains("reading limit") && !plain.stdout.contains("rules: "), "\(plain.stdout)")

        let steps = try CLI.run(exe, ["--max-path-steps", "3", thread])
        #expect(steps.status == 0, "\(steps.stderr)")
        #expect(steps.stdout.contains("path budget of 3 steps reached"), "\(steps.stdout)")
        #expect(steps.stdout.contains("rules: drivers/iio/adc/acme-adc.c: "), "\(steps.stdout)")

        let headers = try CLI.run(exe, ["--format", "json", "--max-headers", "4", thread])
        #expect(headers.status == 0, "\(headers.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(headers.stdout.utf8)) as? [String: Any]
        let warnings = json?["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("header fields beyond the limit of 4 ignored (a reading limit)") }, "\(warnings)")
    }

    @Test func fetchSizeFlagsStopALargeThread() throws {
        guard let exe = CLI.binaryOrSkip("fetchSizeFlagsStopALargeThread") else { return }
        let sample = CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path
        let mbox = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sample)))
        let body = try gzipCompress(mbox)
        let server = try TestServer { _, _ in .gzip(body) }
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let id = "20240105101500.1234-1-limits@example.org"
        let lore = server.base + "/all/"

        let small = try CLI.run(exe, ["fetch", "--max-size", "1K", "--cache-dir", cache, "--lore", lore, "--retries", "0", id])
        #expect(small.status == 2, "\(small.stdout) \(small.stderr)")
        #expect(small.stderr.hasPrefix("lkml-review: \(id): "), "\(small.stderr)")
        #expect(small.stderr.contains("larger than the limit of 1024 bytes (raise it with --max-fetch-size)"), "\(small.stderr)")
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        #expect(cached.allSatisfy { $0.hasPrefix(".") }, "nothing cached: \(cached)")

        let review = try CLI.run(exe, ["--max-fetch-size", "1K", "--cache-dir", cache, "--lore", lore, id])
        #expect(review.status == 2, "\(review.stdout) \(review.stderr)")
        #expect(review.stderr.hasPrefix("lkml-review: \(id): "), "\(review.stderr)")
        #expect(review.stderr.contains("larger than the limit of 1024 bytes"), "\(review.stderr)")

        let fits = try CLI.run(exe, ["--max-fetch-size", "\(mbox.count)", "--cache-dir", cache, "--lore", lore, "--format", "text", id])
        #expect(fits.status == 0, "\(fits.stderr)")
        #expect(fits.stdout.contains("acme"), "\(fits.stdout)")
    }
}
