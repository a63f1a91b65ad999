// `lkml-review fetch` against a public-inbox look-alike on 127.0.0.1 (issue 15, fetching): links
// that would leave the inbox, redirects named by where they led, 429 with Retry-After.
import Foundation
import Mailbox
import Testing
import TestSupport

@Suite("lkml-review fetch")
struct FetchCLITests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-fetch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    static func sampleGzip() throws -> [UInt8] {
        let sample = CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path
        return try gzipCompress([UInt8](try Data(contentsOf: URL(fileURLWithPath: sample))))
    }

    @Test func aLinkThatLeavesTheInboxIsRefused() throws {
        guard let exe = CLI.binaryOrSkip("aLinkThatLeavesTheInboxIsRefused") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try TestServer { _, _ in .status(200) }
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        for link in [server.base + "/all/../../../etc/passwd@x/", server.base + "/all/%2E%2E/raw"] {
            let run = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--retries", "0", link])
            #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.hasPrefix("lkml-review: "), "\(run.stderr)")
            #expect(run.stderr.contains("'.' or '..' segment"), "\(run.stderr)")
            #expect(run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        #expect(server.requests.isEmpty)
    }

    @Test func theSummaryNamesWhereARedirectLed() throws {
        guard let exe = CLI.binaryOrSkip("theSummaryNamesWhereARedirectLed") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = try Self.sampleGzip()
        let mirror = try TestServer { _, _ in .gzip(body) }
        defer { mirror.stop() }
        let mirrorBase = mirror.base
        let server = try TestServer { target, _ in .redirect(302, to: mirrorBase + "/mirror" + target) }
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let id = "20240312091402.4711-1-jane@example.org"
        let run = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--lore", server.base + "/all/", "--retries", "0", id])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("fetched from \(mirror.base)/mirror/all/\(id)/t.mbox.gz (redirected from \(server.base)/all/\(id)/t.mbox.gz)"),
                "\(run.stdout)")
        let again = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--lore", server.base + "/all/", id])
        #expect(again.stdout.contains("fetched from \(mirror.base)/mirror/all/\(id)/t.mbox.gz)"), "\(again.stdout)")
    }

    @Test func tooManyRequestsIsRetriedAfterTheServersDelay() throws {
        guard let exe = CLI.binaryOrSkip("tooManyRequestsIsRetriedAfterTheServersDelay") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = try Self.sampleGzip()
        let server = try TestServer { target, hit in
            if target.contains("later@") || hit == 1 {
                return .response(status: 429, headers: ["Retry-After: \(target.contains("later@") ? "3600" : "1")"], body: Array("slow down".utf8))
            }
            return .gzip(body)
        }
        defer { server.stop() }
        let cache = dir.appendingPathComponent("cache").path
        let started = Date()
        let run = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--lore", server.base + "/all/", "--retries", "2", "busy@x"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("(2 attempts)"), "\(run.stdout)")
        #expect(Date().timeIntervalSince(started) >= 0.95)

        let later = try CLI.run(exe, ["fetch", "--cache-dir", cache, "--lore", server.base + "/all/", "later@x"])
        #expect(later.status == 2)
        #expect(later.stderr == "lkml-review: later@x: the server answered HTTP 429 (Too Many Requests) for \(server.base)/all/later@x/t.mbox.gz "
                + "and asks to wait 3600 s before asking again, longer than this fetch waits (30 s); try again later\n", "\(later.stderr)")
    }

    /// A relative --cache-dir is made in the current folder (it was made under `/`).
    @Test func aRelativeCacheFolderIsMadeWhereItIs() throws {
        guard let exe = CLI.binaryOrSkip("aRelativeCacheFolderIsMadeWhereItIs") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = try Self.sampleGzip()
        let server = try TestServer { _, _ in .gzip(body) }
        defer { server.stop() }
        let folder = "lkml-review-relative-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["fetch", "--cache-dir", folder + "/cache", "--lore", server.base + "/all/", "relative@x"]
        process.currentDirectoryURL = dir
        // The environment of the other CLI tests (CLI.run): no LKML_REVIEW_OFFLINE from CI, no user config.
        var env = ProcessInfo.processInfo.environment
        for name in CLI.toolVariables { env[name] = nil }
        env["HOME"] = dir.path
        env["GIT_CONFIG_GLOBAL"] = dir.appendingPathComponent("gitconfig").path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let made = (try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + folder + "/cache")) ?? []
        #expect(made.contains { $0.hasPrefix("relative@x-") && $0.hasSuffix(".mbox") }, "\(made)")
        #expect(!FileManager.default.fileExists(atPath: "/" + folder))
    }
}
