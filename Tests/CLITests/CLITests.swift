// End-to-end tests of the `lkml-review` binary: `parse` on the sample (text and JSON), on stdin,
// and its errors. They skip, printing why, when the binary has not been built.
import Foundation
import Mailbox
import Testing
import TestSupport

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where the binary is looked for: beside the test bundle, in the folder of the build that made
    /// it (`<scratch>/<triple>/<config>/lkml-review`, whatever --scratch-path and -c were), found
    /// from the running test executable (argv[0], else /proc/self/exe) or the main bundle. A
    /// binary of another build folder (say `.build/debug` while testing `.build-out`) is never
    /// used: it may be stale.
    static var candidates: [String] {
        var folders: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        var seen = Set<String>()
        return folders.map { $0.appendingPathComponent("lkml-review").standardizedFileURL.path }.filter { seen.insert($0).inserted }
    }

    static var binary: String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func binaryOrSkip(_ test: String) -> String? {
        if let b = binary { return b }
        print("\(test): skipped: the lkml-review binary is not built beside the tests (looked at \(candidates.joined(separator: ", ")); swift build first)")
        return nil
    }

    /// The variables of this tool that a run takes from `environment` only, never from the tests'
    /// own environment.
    static let toolVariables = ["LKML_REVIEW_LORE", "LKML_REVIEW_TREE", "LKML_REVIEW_OFFLINE", "NO_COLOR"]

    /// Runs the binary. Its git config is isolated: HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME point
    /// into a temporary folder removed afterwards, GIT_CONFIG_GLOBAL at a file there (`gitConfig`,
    /// when given, is written to it), GIT_CONFIG_NOSYSTEM is set, and GIT_DIR names no repository
    /// (so the repository the tests run in adds no keys; git commands on a tree drop GIT_DIR).
    /// `environment` is set on top.
    static func run(_ exe: String, _ args: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    gitConfig: String? = nil) throws -> Run {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cli-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        if let gitConfig { try Data(gitConfig.utf8).write(to: home.appendingPathComponent("gitconfig")) }
        var env = ProcessInfo.processInfo.environment
        for name in toolVariables { env[name] = nil }
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        env["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        env["GIT_CONFIG_GLOBAL"] = home.appendingPathComponent("gitconfig").path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_DIR"] = home.appendingPathComponent("no-repository").path
        // No run reaches a real server: offline unless the test names its own 127.0.0.1 server
        // (by --lore, LKML_REVIEW_LORE, a link or b4.midmask) or sets LKML_REVIEW_OFFLINE itself.
        let local = "://127.0.0.1:"
        if !args.contains(where: { $0.contains(local) }) && !environment.values.contains(where: { $0.contains(local) })
            && gitConfig?.contains(local) != true {
            env["LKML_REVIEW_OFFLINE"] = "1"
        }
        for (k, v) in environment { env[k] = v }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let r = ChildOutput.drain(p, out: out, err: err)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    static var sample: String { repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml").path }
}

@Suite("lkml-review parse")
struct ParseCommandTests {
    @Test func sampleAsText() throws {
        guard let exe = CLI.binaryOrSkip("sampleAsText") else { return }
        let r = try CLI.run(exe, ["parse", CLI.sample])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "=== message 1 (offset 0) ===")
        #expect(lines.contains("subject: s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks"))
        #expect(lines.contains("subject tags: reply, patch"))
        #expect(lines.contains("from: Halil Pasic <pasic@xxxxxxxxxxxxx>"))
        #expect(lines.contains("date: (none)"))
        #expect(lines.contains("message-id: seed-reconstruction-vfio-ap-lockdep-review@example.invalid"))
        #expect(lines.contains("text/plain; charset=US-ASCII (7bit), \(bodyBytes()) bytes [body]"))
        #expect(lines.contains("warning: missingDate: no Date: header"))
        // the trailer section holds exactly the sender's ack
        let t = try #require(lines.firstIndex(of: "-- trailers"))
        #expect(lines[t + 1] == "Acked-by: Halil Pasic <pasic@xxxxxxxxxxxxx>")
        #expect(lines[t + 2] == "-- warnings")
        #expect(lines.last(where: { !$0.isEmpty }) == "1 message(s) in \(CLI.sample)")
    }

    /// Size of the sample's body after the header block (7bit, LF): what the MIME line reports.
    func bodyBytes() -> Int {
        guard let d = FileManager.default.contents(atPath: CLI.sample), let r = d.range(of: Data("\n\n".utf8)) else { return -1 }
        return d.count - r.upperBound
    }

    @Test func sampleAsJSON() throws {
        guard let exe = CLI.binaryOrSkip("sampleAsJSON") else { return }
        let r = try CLI.run(exe, ["parse", "--json", CLI.sample])
        #expect(r.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["input"] as? String == CLI.sample)
        #expect(root["isMbox"] as? Bool == false)
        let messages = try #require(root["messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        let m = messages[0]
        #expect(m["subject"] as? String == "Re: [PATCH] s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks")
        let info = try #require(m["subjectInfo"] as? [String: Any])
        #expect(info["title"] as? String == "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks")
        #expect(info["isReply"] as? Bool == true)
        #expect(info["isPatch"] as? Bool == true)
        let from = try #require(m["from"] as? [String: Any])
        #expect(from["name"] as? String == "Halil Pasic")
        #expect(from["email"] as? String == "pasic@xxxxxxxxxxxxx")
        #expect(m["date"] == nil)
        let warnings = try #require(m["warnings"] as? [[String: Any]])
        #expect(warnings.map { $0["code"] as? String } == ["missingDate"])
        let trailers = try #require(m["trailers"] as? [[String: Any]])
        #expect(trailers.count == 1)
        #expect(trailers[0]["key"] as? String == "Acked-by")
        #expect(trailers[0]["value"] as? String == "Halil Pasic <pasic@xxxxxxxxxxxxx>")
        #expect(trailers[0]["isOnBehalf"] as? Bool == false)
        #expect((trailers[0]["person"] as? [String: Any])?["name"] as? String == "Halil Pasic")
        let mime = try #require(m["mime"] as? [String: Any])
        #expect(mime["contentType"] as? String == "text/plain")
        #expect(mime["role"] as? String == "body")
    }

    static let mbox = """
    From a@example.com Mon Feb 15 20:15:47 2021
    From: Tony Krowiak <akrowiak@example.com>
    Subject: [PATCH v2 1/2] s390/vfio-ap: one
    Message-ID: <p1@example.com>
    Date: Mon, 15 Feb 2021 20:15:47 -0500

    From the patch author.

    From b@example.com Mon Feb 15 21:15:47 2021
    From: Halil Pasic <pasic@example.com>
    Subject: Re: [PATCH v2 1/2] s390/vfio-ap: one
    Message-ID: <r1@example.com>
    In-Reply-To: <p1@example.com>
    Date: Mon, 15 Feb 2021 21:15:47 -0500

    Reviewed-by: Halil Pasic <pasic@example.com>

    """

    @Test func standardInput() throws {
        guard let exe = CLI.binaryOrSkip("standardInput") else { return }
        let r = try CLI.run(exe, ["parse", "--brief", "-"], stdin: Data(Self.mbox.utf8))
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("=== message ") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("subject: ") } == ["subject: s390/vfio-ap: one", "subject: s390/vfio-ap: one"])
        #expect(lines.contains("subject tags: patch, v2, 1/2"))
        #expect(lines.contains("in-reply-to: p1@example.com"))
        #expect(lines.contains("Reviewed-by: Halil Pasic <pasic@example.com>"))
        #expect(lines.last == "2 message(s) in -")
        // --brief leaves out headers a reviewer does not read
        #expect(!lines.contains { $0.hasPrefix("X-") })

        let json = try CLI.run(exe, ["parse", "--json", "-"], stdin: Data(Self.mbox.utf8))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(root["isMbox"] as? Bool == true)
        #expect(root["format"] as? String == "mboxo")
        #expect((root["messages"] as? [[String: Any]])?.compactMap { $0["messageID"] as? String } == ["p1@example.com", "r1@example.com"])

        // gzip-compressed standard input is recognised by its magic bytes
        let plain = try CLI.run(exe, ["parse", "--summary", "-"], stdin: Data(Self.mbox.utf8))
        let packed = try CLI.run(exe, ["parse", "--summary", "-"], stdin: Data(try gzipCompress(Array(Self.mbox.utf8))))
        #expect(packed.status == 0)
        #expect(packed.stdout == plain.stdout)
        #expect(plain.stdout.hasSuffix("2 message(s), 69 bytes of decoded text, 0 with warnings\n"))   // 24 + 45
    }

    @Test func summary() throws {
        guard let exe = CLI.binaryOrSkip("summary") else { return }
        let r = try CLI.run(exe, ["parse", "--summary", "-"], stdin: Data(Self.mbox.utf8))
        #expect(r.status == 0)
        #expect(r.stdout == """
        1\t2021-02-16T01:15:47Z\tTony Krowiak\t[PATCH v2 1/2] s390/vfio-ap: one\t0
        2\t2021-02-16T02:15:47Z\tHalil Pasic\tRe: [PATCH v2 1/2] s390/vfio-ap: one\t0
        2 message(s), \(("From the patch author.\n\n" as String).utf8.count + ("Reviewed-by: Halil Pasic <pasic@example.com>\n" as String).utf8.count) bytes of decoded text, 0 with warnings

        """)
    }

    /// Errors: exit status 2 (usage or input error) and one readable line on stderr.
    func expectOneLineError(_ r: Run, mentioning what: String) {
        #expect(r.status == 2)
        #expect(r.stdout == "")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(lines.first?.contains(what) == true, "stderr: \(r.stderr)")
        print("exit status \(r.status), stderr: \(r.stderr.trimmingCharacters(in: .newlines))")
    }

    @Test func missingFile() throws {
        guard let exe = CLI.binaryOrSkip("missingFile") else { return }
        let r = try CLI.run(exe, ["parse", "/nonexistent/dir/none.mbox"])
        expectOneLineError(r, mentioning: "/nonexistent/dir/none.mbox: cannot open: No such file or directory")
    }

    @Test func binaryFile() throws {
        guard let exe = CLI.binaryOrSkip("binaryFile") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clitests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("blob.bin")
        var junk = [UInt8](repeating: 0, count: 4096)
        for i in junk.indices { junk[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 13) }
        junk[0] = 0
        try Data(junk).write(to: f)
        let r = try CLI.run(exe, ["parse", f.path])
        expectOneLineError(r, mentioning: "\(f.path): not a mail message or mbox")
        // the same through --summary (streaming path)
        expectOneLineError(try CLI.run(exe, ["parse", "--summary", f.path]), mentioning: "not a mail message or mbox")
    }

    @Test func badFormatOption() throws {
        guard let exe = CLI.binaryOrSkip("badFormatOption") else { return }
        let r = try CLI.run(exe, ["parse", "--format", "mboxcl2", CLI.sample])
        #expect(r.status == 2)   // usage and input errors exit 2 (see LKMLReview.swift)
        #expect(r.stderr.contains("mboxcl2"))
    }
}
