// The ways a thread can be named on the command line and on standard input, fetched through the
// binary from a real HTTP server on 127.0.0.1 (which stops when the test ends): rfc822msgid:/msgid:
// forms, patchwork and patch.msgid.link links, `Link:` trailer lines, a list inbox that falls back
// to /all/, `echo ID | lkml-review`, mail piped with no argument, b4.midmask from git config and
// LKML_REVIEW_OFFLINE.
import Foundation
import Mailbox
import Testing
import TestSupport

final class InputFormTests {
    let dir: URL
    static let id = "20240312091402.4711-1-jane@example.org"
    static var acme: String { CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var cache: String { dir.appendingPathComponent("cache").path }

    /// A public-inbox with the acme thread in its `all` inbox only (every other path is a 404).
    static func inbox() throws -> TestServer {
        let body = try gzipCompress(Array(try Data(contentsOf: URL(fileURLWithPath: acme))))
        return try TestServer { target, _ in
            target == "/all/\(id)/t.mbox.gz" ? .gzip(body) : .status(404, "Not Found")
        }
    }

    /// The text review of the acme thread, the reference every fetched review is compared with.
    static func expected(_ exe: String) throws -> String {
        let r = try CLI.run(exe, ["--format", "text", acme])
        #expect(r.status == 0)
        return r.stdout
    }

    @Test func rfc822msgidAndMsgidPrefixesFetchTheThread() throws {
        guard let exe = CLI.binaryOrSkip("rfc822msgidAndMsgidPrefixesFetchTheThread") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let want = try Self.expected(exe)
        for (k, form) in ["rfc822msgid:\(Self.id)", "msgid:\(Self.id)", "RFC822MSGID:<\(Self.id)>"].enumerated() {
            let r = try CLI.run(exe, ["--cache-dir", cache + "\(k)", "--lore", server.base + "/all/", "--format", "text", form])
            #expect(r.status == 0, "\(form): \(r.stderr)")
            #expect(r.stdout == want, "\(form)")
        }
        #expect(server.requests == Array(repeating: "/all/\(Self.id)/t.mbox.gz", count: 3))
    }

    @Test func patchworkAndMsgidLinksUseTheConfiguredServer() throws {
        guard let exe = CLI.binaryOrSkip("patchworkAndMsgidLinksUseTheConfiguredServer") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let want = try Self.expected(exe)
        // Links whose host serves no thread: the message-id is taken from the path and fetched from
        // LKML_REVIEW_LORE (the patchwork host is the same test server, and is not asked).
        let links = [
            server.base + "/project/linux-iio/patch/\(Self.id)/",
            server.base + "/project/linux-iio/patch/\(Self.id.replacingOccurrences(of: "@", with: "%40"))/mbox/",
            "https://patch.msgid.link/\(Self.id)",
            "Link: https://patch.msgid.link/\(Self.id)",
        ]
        for (k, link) in links.enumerated() {
            let r = try CLI.run(exe, ["--cache-dir", cache + "\(k)", "--format", "text", link],
                                environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
            #expect(r.status == 0, "\(link): \(r.stderr)")
            #expect(r.stdout == want, "\(link)")
        }
        #expect(server.requests == Array(repeating: "/all/\(Self.id)/t.mbox.gz", count: links.count))
        // An old patchwork link names the patch by number: no message-id in it, and nothing fetched.
        let numbered = try CLI.run(exe, ["--cache-dir", cache, server.base + "/project/linux-iio/patch/13587941/"])
        #expect(numbered.status == 2)
        #expect(numbered.stderr.contains("names patch 13587941 by number"), "\(numbered.stderr)")
        #expect(server.requests.count == links.count)
    }

    @Test func aListInboxThatDoesNotKnowTheMessageFallsBackToAll() throws {
        guard let exe = CLI.binaryOrSkip("aListInboxThatDoesNotKnowTheMessageFallsBackToAll") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let want = try Self.expected(exe)
        let link = "Link: \(server.base)/linux-iio/\(Self.id)/T/#u"
        let r = try CLI.run(exe, ["--cache-dir", cache, "--format", "text", link])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == want)
        #expect(server.requests == ["/linux-iio/\(Self.id)/t.mbox.gz", "/all/\(Self.id)/t.mbox.gz"])
        #expect(r.stderr.contains("does not know the message; asking \(server.base)/all/\(Self.id)/"), "\(r.stderr)")
        // `fetch` does the same
        let f = try CLI.run(exe, ["fetch", "--no-cache", "-o", dir.appendingPathComponent("t.mbox").path, "\(server.base)/linux-iio/\(Self.id)/"])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("3 messages in thread <\(Self.id)>"), "\(f.stdout)")
    }

    @Test func aMessageIDOnStandardInputIsFetched() throws {
        guard let exe = CLI.binaryOrSkip("aMessageIDOnStandardInputIsFetched") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let want = try Self.expected(exe)
        // `echo ID | lkml-review`, blank lines and spaces around it, a <…> form, a Link: line
        let inputs = ["\(Self.id)\n", "\n  \n  <\(Self.id)>  \n", "Link: \(server.base)/all/\(Self.id)/\n", Self.id]
        for (k, input) in inputs.enumerated() {
            let r = try CLI.run(exe, ["--cache-dir", cache + "\(k)", "--format", "text"], stdin: Data(input.utf8),
                                environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
            #expect(r.status == 0, "\(input.debugDescription): \(r.stderr)")
            #expect(r.stdout == want, "\(input.debugDescription)")
        }
        #expect(server.requests == Array(repeating: "/all/\(Self.id)/t.mbox.gz", count: inputs.count))
    }

    @Test func mailOnStandardInputWithoutAnArgumentIsReadAsWithDash() throws {
        guard let exe = CLI.binaryOrSkip("mailOnStandardInputWithoutAnArgumentIsReadAsWithDash") else { return }
        let mbox = try Data(contentsOf: URL(fileURLWithPath: Self.acme))
        let dash = try CLI.run(exe, ["--format", "json", "-"], stdin: mbox)
        let none = try CLI.run(exe, ["--format", "json"], stdin: mbox)
        #expect(dash.status == 0)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stdout == dash.stdout)
        // gzip-compressed, and a single .eml whose first line is a header with an address in <>
        let packed = try CLI.run(exe, ["--format", "json"], stdin: Data(try gzipCompress(Array(mbox))))
        #expect(packed.stdout == dash.stdout)
        let eml = try Data(contentsOf: URL(fileURLWithPath: CLI.sample))
        let withPath = Data("Return-Path: <pasic@example.com>\n".utf8) + eml
        let a = try CLI.run(exe, ["--format", "text", "-"], stdin: withPath)
        let b = try CLI.run(exe, ["--format", "text"], stdin: withPath)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stdout == b.stdout)
        // nothing at all: one line, status 2
        let empty = try CLI.run(exe, [], stdin: Data("\n\n".utf8))
        #expect(empty.status == 2)
        #expect(empty.stderr == "lkml-review: standard input: empty (give INPUT, or pipe a message-id, a link or mail)\n")
        #expect(try CLI.run(exe, []).status == 2)
    }

    /// On a terminal, no INPUT is still a usage error (a pseudo-terminal from script(1); its
    /// typescript goes to this test's folder).
    @Test func noInputOnATerminalIsAUsageError() throws {
        guard let exe = CLI.binaryOrSkip("noInputOnATerminalIsAUsageError") else { return }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("noInputOnATerminalIsAUsageError: skipped: no /usr/bin/script for a pseudo-terminal")
            return
        }
        let typescript = dir.appendingPathComponent("typescript").path
        let r = try CLI.run("/usr/bin/script", ["-qec", "'\(exe)' --format text", typescript])
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect((r.stdout + r.stderr).contains("Missing expected argument '<INPUT>'"), "\(r.stdout) \(r.stderr)")
    }

    @Test func b4MidmaskFromGitConfigNamesTheServer() throws {
        guard let exe = CLI.binaryOrSkip("b4MidmaskFromGitConfigNamesTheServer") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let config = "[b4]\n\tmidmask = \(server.base)/all/%s\n"
        let r = try CLI.run(exe, ["--cache-dir", cache, "--format", "text", Self.id], gitConfig: config)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests == ["/all/\(Self.id)/t.mbox.gz"])
        // LKML_REVIEW_LORE wins over b4.midmask
        let other = try Self.inbox()
        defer { other.stop() }
        let e = try CLI.run(exe, ["fetch", "--no-cache", "-o", dir.appendingPathComponent("e.mbox").path, Self.id],
                            environment: ["LKML_REVIEW_LORE": other.base + "/all/"], gitConfig: config)
        #expect(e.status == 0, "\(e.stderr)")
        #expect(other.requests.count == 1)
        #expect(server.requests.count == 1)
    }

    @Test func offlineFromTheEnvironmentAsksNoServer() throws {
        guard let exe = CLI.binaryOrSkip("offlineFromTheEnvironmentAsksNoServer") else { return }
        let server = try Self.inbox()
        defer { server.stop() }
        let offline = ["LKML_REVIEW_OFFLINE": "1", "LKML_REVIEW_LORE": server.base + "/all/"]
        let r = try CLI.run(exe, ["--cache-dir", cache, Self.id], environment: offline)
        #expect(r.status == 2)
        #expect(r.stderr.contains("is not in the cache"), "\(r.stderr)")
        let f = try CLI.run(exe, ["fetch", "--cache-dir", cache, Self.id], environment: offline)
        #expect(f.status == 2)
        #expect(server.requests.isEmpty)
        // once cached, the offline review reads it; "0" is not set
        let online = try CLI.run(exe, ["fetch", "--cache-dir", cache, Self.id], environment: ["LKML_REVIEW_OFFLINE": "0", "LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(online.status == 0, "\(online.stderr)")
        let again = try CLI.run(exe, ["--cache-dir", cache, "--format", "text", Self.id], environment: offline)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == (try Self.expected(exe)))
        #expect(server.requests.count == 1)
    }
}
