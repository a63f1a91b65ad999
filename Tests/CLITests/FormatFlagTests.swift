// One output flag, `--format`, and one tables flag, `--tables`, in every command (the old `--json`
// and `--rules` still work, hidden); `check --format sarif`.
import Foundation
import Testing
import TestSupport

final class FormatFlagTests {
    let folder: TempFolder
    var dir: URL { folder.url }
    static var acme: String { CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path }

    init() throws { folder = try TempFolder("lkml-review-format") }

    func write(_ name: String, _ text: String) throws -> String { try folder.write(name, text) }

    @Test func everyCommandTakesFormatAndTheOldJSONFlagStillWorks() throws {
        guard let exe = CLI.binaryOrSkip("everyCommandTakesFormatAndTheOldJSONFlagStillWorks") else { return }
        let c = try write("lw.c", CheckSARIFTests.lockWindowC)
        for (args, json) in [(["check", "--format", "json", c], ["check", "--json", c]),
                             (["parse", "--format", "json", CLI.sample], ["parse", "--json", CLI.sample]),
                             (["remarks", "--format", "json", CLI.sample], ["remarks", "--json", CLI.sample]),
                             (["rules", "--format", "json"], ["rules", "--json"])] {
            let a = try CLI.run(exe, args), b = try CLI.run(exe, json)
            #expect(a.status == 0, "\(args): \(a.stderr)")
            #expect(a.stdout == b.stdout, "\(args)")
            #expect((try? JSONSerialization.jsonObject(with: Data(a.stdout.utf8))) != nil, "\(args)")
            // text is the default
            var text = args
            text[2] = "text"
            #expect(try CLI.run(exe, text).stdout == (try CLI.run(exe, args.filter { $0 != "--format" && $0 != "json" })).stdout, "\(text)")
            // --json and another --format disagree: a usage error
            let both = try CLI.run(exe, json + ["--format", "text"])
            #expect(both.status == 2, "\(json)")
            #expect(both.stderr.contains("--json is the old spelling of --format json"), "\(both.stderr)")
        }
        // review's formats, and a value a command does not have
        #expect(try CLI.run(exe, ["remarks", "--format", "sarif", CLI.sample]).status == 2)
        #expect(try CLI.run(exe, ["parse", "--format", "markdown", CLI.sample]).status == 2)
        // parse's mbox flavour moved to --mbox-format; the old --format mboxrd is still read
        let old = try CLI.run(exe, ["parse", "--summary", "--format", "mboxrd", Self.acme])
        let new = try CLI.run(exe, ["parse", "--summary", "--mbox-format", "mboxrd", Self.acme])
        #expect(old.status == 0 && new.status == 0)
        #expect(old.stdout == new.stdout)
        #expect(try CLI.run(exe, ["parse", "--format", "mboxo", "--mbox-format", "mboxrd", Self.acme]).status == 2)
        // the help lists --format and neither --json nor the old --rules
        for command in ["review", "check", "parse", "remarks", "rules"] {
            let help = try CLI.run(exe, [command, "--help"]).stdout
            #expect(help.contains("--format <FORMAT>"), "\(command)")
            #expect(!help.contains("--json"), "\(command)")
            #expect(!help.contains("--rules <"), "\(command)")
        }
    }

    @Test func oneNameForTheTablesFileEverywhere() throws {
        guard let exe = CLI.binaryOrSkip("oneNameForTheTablesFileEverywhere") else { return }
        let tables = try write("extra.yaml", "locks:\n  - {name: acme_lock, action: acquire, family: mutex}\n")
        let c = try write("lw.c", CheckSARIFTests.lockWindowC)
        for command in [["rules"], ["check", c], ["review", CLI.sample]] {
            let new = try CLI.run(exe, command + ["--tables", tables])
            let old = try CLI.run(exe, command + ["--rules", tables])
            #expect(new.status == old.status, "\(command): \(new.stderr) \(old.stderr)")
            #expect(new.stdout == old.stdout, "\(command)")
            #expect(!new.stdout.isEmpty, "\(command): \(new.stderr)")
            #expect(try CLI.run(exe, command + ["--tables", tables, "--rules", tables + ".other"]).status == 2, "\(command)")
        }
        #expect(try CLI.run(exe, ["rules", "--tables", tables]).stdout.contains("acme_lock"))
        // the README's spelling
        #expect(try CLI.run(exe, ["rules", "--rules", tables]).stdout.contains("acme_lock"))
    }

    /// A table from a pipe (`--tables <(…)` in a shell): a FIFO in a temporary folder, written by
    /// a background `printf` that blocks until the tool opens it.
    @Test func theTablesFileMayBeAPipe() throws {
        guard let exe = CLI.binaryOrSkip("theTablesFileMayBeAPipe") else { return }
        let dir = try write("pipe-marker", "")
        let fifo = (dir as NSString).deletingLastPathComponent + "/tables-\(UUID().uuidString).fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let yaml = "locks:\n  - {name: acme_lock, action: acquire, family: mutex}\n"
        let r = try CLI.run("/bin/sh", ["-c", "printf '%s' \"$1\" > \"$2\" & exec \"$3\" rules --tables \"$2\"", "sh", yaml, fifo, exe])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("acme_lock"))
        // An empty pipe is an empty table, not a read failure.
        let empty = (dir as NSString).deletingLastPathComponent + "/empty-\(UUID().uuidString).fifo"
        #expect(mkfifo(empty, 0o600) == 0)
        defer { unlink(empty) }
        let e = try CLI.run("/bin/sh", ["-c", ": > \"$1\" & exec \"$2\" rules --tables \"$1\"", "sh", empty, exe])
        #expect(e.status == 0 && e.stderr.isEmpty, "stderr: \(e.stderr)")
    }
}

/// `check --format sarif`: valid against the official schema, multi-line windows with their region.
struct CheckSARIFTests {
    static let lockWindowC = """
    int f(struct dev *d)
    {
    \tmutex_lock(&d->lock);
    \tif (!d->ready) {
    \t\tmutex_unlock(&d->lock);
    \t\treturn -1;
    \t}
    \tmutex_unlock(&d->lock);
    \twait_for_it(d);
    \tmutex_lock(&d->lock);
    \td->ready = 0;
    \tmutex_unlock(&d->lock);
    \treturn 0;
    }

    """

    @Test func checkWritesSARIFWithWholeRegions() throws {
        guard let exe = CLI.binaryOrSkip("checkWritesSARIFWithWholeRegions") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-check-sarif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("lw.c").path
        try Data(Self.lockWindowC.utf8).write(to: URL(fileURLWithPath: c))
        let r = try CLI.run(exe, ["check", "--format", "sarif", c])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(SARIFSchema.allProblems(Data(r.stdout.utf8)) == [])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let location = try #require((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 8)
        #expect(region["endLine"] as? Int == 10)
        #expect((region["snippet"] as? [String: Any])?["text"] as? String == "\tmutex_unlock(&d->lock);\n\twait_for_it(d);\n\tmutex_lock(&d->lock);")
        #expect(results.first?["level"] as? String == "warning")
    }

    @Test func reviewSARIFIsValidAndRemarksAreInformational() throws {
        guard let exe = CLI.binaryOrSkip("reviewSARIFIsValidAndRemarksAreInformational") else { return }
        for input in [CLI.sample, FormatFlagTests.acme] {
            let r = try CLI.run(exe, ["--format", "sarif", input])
            #expect(r.status == 0)
            let data = Data(r.stdout.utf8)
            #expect(SARIFSchema.allProblems(data) == [], "\(input)")
            let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
            let remarks = results.filter { $0["ruleId"] as? String == "review-remark" }
            #expect(!remarks.isEmpty)
            #expect(remarks.allSatisfy { $0["kind"] as? String == "informational" && $0["level"] as? String == "none" })
            // every multi-line region with a snippet carries all its lines
            for result in results {
                for l in result["locations"] as? [[String: Any]] ?? [] {
                    guard let region = (l["physicalLocation"] as? [String: Any])?["region"] as? [String: Any],
                          let start = region["startLine"] as? Int, let end = region["endLine"] as? Int,
                          let snippet = (region["snippet"] as? [String: Any])?["text"] as? String else { continue }
                    #expect(snippet.split(separator: "\n", omittingEmptySubsequences: false).count == end - start + 1, "\(region)")
                }
            }
        }
        // the vfio-ap window 1062→1067 is shown whole in the review, so its region has a snippet
        let r = try CLI.run(exe, ["--format", "sarif", CLI.sample])
        #expect(r.stdout.contains("\"endLine\" : 1067"))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let window = try #require(results.first { ($0["locations"] as? [[String: Any]])?.first.flatMap {
            (($0["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])?["startLine"] as? Int } == 1062 })
        let region = try #require(((window["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        #expect(((region["snippet"] as? [String: Any])?["text"] as? String)?.split(separator: "\n", omittingEmptySubsequences: false).count == 6)
    }
}
