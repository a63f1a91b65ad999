// End-to-end tests of the main job through the real binary: `lkml-review FILE` (review is the
// default subcommand), its formats, -o, --fail-on and its errors.
import Foundation
import Testing
import TestSupport

@Suite("lkml-review review")
struct ReviewCLITests {
    static var acme: String { CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path }

    @Test func defaultCommandPrintsTheMarkdownSummary() throws {
        guard let exe = CLI.binaryOrSkip("defaultCommandPrintsTheMarkdownSummary") else { return }
        let r = try CLI.run(exe, [CLI.sample])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("# s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks\n"))
        #expect(r.stdout.contains("- **Acked-by:** Halil Pasic \\<pasic@xxxxxxxxxxxxx>, "))
        #expect(r.stdout.contains("**conditional**"))
        #expect(r.stdout.contains("new line 1039 in `vfio_ap_mdev_set_kvm`"))
        #expect(r.stdout.contains("new line 1145 in `vfio_ap_mdev_unset_kvm`"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_set_kvm` · new lines 1062→1067 · warning, introduced"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_unset_kvm` · new lines 1147→1149 · warning, introduced"))
        #expect(r.stdout.contains("“Why not set it up before setting the mask?”"))
        // the same through the explicit subcommand and through standard input
        #expect(try CLI.run(exe, ["review", CLI.sample]).stdout == r.stdout)
        let piped = try CLI.run(exe, ["-"], stdin: try Data(contentsOf: URL(fileURLWithPath: CLI.sample)))
        #expect(piped.status == 0)
        #expect(piped.stdout.contains("new line 1145 in `vfio_ap_mdev_unset_kvm`"))
    }

    @Test func textFormatIsFileLineSeverityRuleMessage() throws {
        guard let exe = CLI.binaryOrSkip("textFormatIsFileLineSeverityRuleMessage") else { return }
        let r = try CLI.run(exe, ["--format", "text", "--color", "always", CLI.sample])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // --color always still writes the quickfix shape; strip SGR sequences to check it
        let plain = lines.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        #expect(plain.contains { $0.hasPrefix("drivers/s390/crypto/vfio_ap_ops.c:1062: warning: [lock-window] ") })
        // unset_kvm's second put releases the reference set_kvm stored in matrix_mdev->kvm: a note.
        #expect(plain.contains { $0.hasPrefix("drivers/s390/crypto/vfio_ap_ops.c:1153: note: [refcount-balance] ") })
        #expect(!plain.contains { $0.contains(": error: ") })
        let shape = try NSRegularExpression(pattern: "^[^:]+:[0-9]+: (error|warning|note): \\[[a-z-]+\\] ")
        for l in plain {
            #expect(shape.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil, "\(l)")
        }
        let never = try CLI.run(exe, ["--format", "text", "--color", "never", CLI.sample]).stdout
        #expect(!never.contains("\u{1B}"))
        #expect(never == plain.joined(separator: "\n") + "\n")
    }

    @Test func sarifAndJSONAreValidJSON() throws {
        guard let exe = CLI.binaryOrSkip("sarifAndJSONAreValidJSON") else { return }
        let sarif = try CLI.run(exe, ["--format", "sarif", CLI.sample])
        #expect(SARIFSchema.allProblems(Data(sarif.stdout.utf8)) == [])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.contains { $0["ruleId"] as? String == "lock-window" && $0["level"] as? String == "warning" })
        #expect(results.contains { $0["ruleId"] as? String == "refcount-balance" && $0["level"] as? String == "note" })
        #expect(!results.contains { $0["level"] as? String == "error" })
        let json = try CLI.run(exe, ["--format", "json", Self.acme])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["schemaVersion"] as? Int == 2)
    }

    @Test func failOnSetsTheExitStatus() throws {
        guard let exe = CLI.binaryOrSkip("failOnSetsTheExitStatus") else { return }
        // The seed has lock-window warnings and no error (its refcounts balance across functions).
        #expect(try CLI.run(exe, ["--fail-on", "error", CLI.sample]).status == 0)
        #expect(try CLI.run(exe, ["--fail-on", "warning", CLI.sample]).status == 1)
        #expect(try CLI.run(exe, ["--fail-on", "warning", Self.acme]).status == 1)
        #expect(try CLI.run(exe, ["--no-rules", "--fail-on", "note", Self.acme]).status == 0)
    }

    @Test func outputFileIsWrittenWhole() throws {
        guard let exe = CLI.binaryOrSkip("outputFileIsWrittenWhole") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("review-o-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("review.md").path
        try Data("old contents\n".utf8).write(to: URL(fileURLWithPath: out))
        let r = try CLI.run(exe, ["-o", out, Self.acme])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(written == (try CLI.run(exe, [Self.acme]).stdout))
        // no temporary file is left beside it
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["review.md"])
        // a folder that does not exist: exit 2, the old file elsewhere untouched
        let bad = try CLI.run(exe, ["-o", dir.appendingPathComponent("no/such/dir/x.md").path, Self.acme])
        #expect(bad.status == 2)
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func inputErrorsAreOneLineAndExitTwo() throws {
        guard let exe = CLI.binaryOrSkip("inputErrorsAreOneLineAndExitTwo") else { return }
        for args in [["/nonexistent/thread.mbox"], ["--format", "yaml", CLI.sample], ["--offline", "--cache-dir", "/nonexistent-cache", "not-cached-id@example.invalid"]] {
            let r = try CLI.run(exe, args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(!r.stderr.isEmpty && !r.stderr.contains("Fatal error"), "\(args): \(r.stderr)")
        }
        // a mail with no patch and no quoted patch
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("review-e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("hello.eml")
        try Data("From: a@example.com\nSubject: hello\n\nJust prose.\n".utf8).write(to: plain)
        let r = try CLI.run(exe, [plain.path])
        #expect(r.status == 2)
        #expect(r.stderr == "lkml-review: \(plain.path): no patch and no reply quoting a patch (1 message read)\n")
    }
}
