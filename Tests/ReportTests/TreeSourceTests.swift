import Foundation
import Testing
import Mailbox
import Rules
@testable import Report

/// The rules' sources of context on a real kernel file (Linux 6.12's drivers/net/phy/mdio-boardinfo.c,
/// Tests/ReportTests/.fixtures) committed to a temporary git repository: the `index` line's blob, the
/// work-tree file forward (at an offset) and reversed, hunk mode with its note, `base-commit:`, a
/// series analysed in order, and the tree setting from the environment. Skipped without git.
@Suite struct TreeSourceTests {
    static let path = "drivers/net/phy/mdio-boardinfo.c"
    static let fixture = repoRoot.appendingPathComponent("Tests/ReportTests/.fixtures/linux-6.12/" + path)

    /// Git without the user's or the system's configuration.
    static let gitEnvironment: [String: String] = {
        var e = ProcessInfo.processInfo.environment
        e["GIT_CONFIG_GLOBAL"] = "/dev/null"
        e["GIT_CONFIG_NOSYSTEM"] = "1"
        return e
    }()

    /// A temporary git repository holding the fixture at `path`, committed; removed by `body`'s end.
    static func withRepository(_ body: (_ root: String, _ original: String) throws -> Void) throws {
        guard GitTool.executable() != nil else {
            print("TreeSourceTests: skipped: git is not installed")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-tree-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let original = try String(contentsOf: fixture, encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        try #require(git(["init", "-q"], root.path) != nil)
        try #require(git(["add", "-A"], root.path) != nil)
        try #require(git(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                          "commit", "-q", "-m", "6.12"], root.path) != nil)
        try body(root.path, original)
    }

    static func git(_ arguments: [String], _ dir: String) -> String? {
        GitTool.run(arguments, in: dir, environment: gitEnvironment)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func write(_ text: String, _ root: String) throws {
        try text.write(toFile: (root as NSString).appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    /// Patch 1: an early return inside the locked section of mdiobus_register_board_info().
    static let hunk1 = """
        @@ -72,4 +72,6 @@ int mdiobus_register_board_info(const struct mdio_board_info *info,
         \t\tmemcpy(&be->board_info, info, sizeof(*info));
         \t\tmutex_lock(&mdio_board_lock);
        +\t\tif (!info->bus_id[0])
        +\t\t\treturn -EINVAL;
         \t\tlist_add_tail(&be->list, &mdio_board_list);
         \t\tmutex_unlock(&mdio_board_lock);

        """
    /// Patch 2 of the series: changes the lines patch 1 added (applies only after it).
    static let hunk2 = """
        @@ -73,4 +73,4 @@ int mdiobus_register_board_info(const struct mdio_board_info *info,
         \t\tmutex_lock(&mdio_board_lock);
        -\t\tif (!info->bus_id[0])
        +\t\tif (!info->bus_id[0] || !info->mdio_addr)
         \t\t\treturn -EINVAL;
         \t\tlist_add_tail(&be->list, &mdio_board_list);

        """

    static func mail(subject: String, id: String, index: String?, hunk: String, trailer: String = "") -> String {
        var m = "From x@x Mon Jan  1 00:00:00 2024\nFrom: Ann Author <ann@example.org>\nSubject: \(subject)\n"
        m += "Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <\(id)>\nContent-Type: text/plain; charset=UTF-8\n\n"
        m += "net: phy: mdio-boardinfo: check the bus id\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n"
        m += "diff --git a/\(path) b/\(path)\n"
        if let index { m += "index \(index) 100644\n" }
        m += "--- a/\(path)\n+++ b/\(path)\n" + hunk + trailer + "\n"
        return m
    }

    static func review(_ mbox: String, tree: String) -> ReviewReport {
        var builder = ReportBuilder()
        builder.seriesFindings = RuleFindings.seriesSource(engine: RuleEngine(), trees: TreeSource(root: tree, environment: gitEnvironment))
        let contents = MailReader.parse(Array(mbox.utf8), name: "t.mbox")
        return builder.build(input: "t.mbox", threads: ThreadSet(messages: contents.messages))
    }

    static func file(_ r: ReviewReport, patch: Int = 0) throws -> FileReport {
        try #require(r.series.first?.patches.dropFirst(patch).first?.files.first)
    }

    /// The lock-balance finding patch 1 introduces, as `function line change`.
    static func lockFindings(_ r: ReviewReport) -> [String] {
        r.allFindings.filter { $0.rule == "lock-balance" }.map { "\($0.function ?? "-") \($0.line) \($0.change.rawValue)" }
    }

    @Test func blobFromTheIndexLine() throws {
        try Self.withRepository { root, original in
            let blob = try #require(Self.git(["rev-parse", "HEAD:" + Self.path], root))
            // The work tree moved on (3 lines more at the top): the index line's blob is still exact.
            try Self.write(original.replacingOccurrences(of: "#include <linux/kernel.h>\n", with: "/* a */\n/* b */\n/* c */\n#include <linux/kernel.h>\n"), root)
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "b@x", index: String(blob.prefix(7)) + "..1234567", hunk: Self.hunk1), tree: root)
            let f = try Self.file(r)
            #expect(f.analysisSource == "blob")
            #expect(f.analysisDetail == "pre-image blob \(blob.prefix(12)) from the tree")
            #expect(Self.lockFindings(r) == ["mdiobus_register_board_info 75 introduced"])
            #expect(r.warnings.isEmpty)
            // JSON: `analysisSource` next to `path` in the same object (what the benchmark's score.py reads).
            let json = try JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(r).utf8)) as? [String: Any]
            let files = ((json?["series"] as? [[String: Any]])?.first?["patches"] as? [[String: Any]])?.first?["files"] as? [[String: Any]]
            #expect(files?.first?["analysisSource"] as? String == "blob")
            #expect(files?.first?["path"] as? String == Self.path)
            let md = MarkdownRenderer().render(r)
            #expect(md.replacingOccurrences(of: "\n", with: " ").contains("Rules: `\(Self.path)` analysed on whole functions (pre-image blob \(blob.prefix(12)) from the tree)."))
            #expect(TextRenderer().render(r).contains("\(Self.path):72: note: [rules] analysed on whole functions (pre-image blob"))
        }
    }

    @Test func treeFileWithAnOffset() throws {
        try Self.withRepository { root, original in
            try Self.write(original.replacingOccurrences(of: "#include <linux/kernel.h>\n", with: "/* a */\n/* b */\n/* c */\n#include <linux/kernel.h>\n"), root)
            // The index line names a blob the repository does not have.
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "t@x", index: "fedcba9..1234567", hunk: Self.hunk1), tree: root)
            let f = try Self.file(r)
            #expect(f.analysisSource == "tree")
            #expect(f.analysisDetail == "the tree's file; hunks moved by +3 lines")
            // Whole functions, lines in the patch's numbering (the tree's file has them 3 lines lower).
            #expect(Self.lockFindings(r) == ["mdiobus_register_board_info 75 introduced"])
        }
    }

    @Test func treeAlreadyHoldsThePatch() throws {
        try Self.withRepository { root, original in
            let post = original.replacingOccurrences(of: "\t\tmutex_lock(&mdio_board_lock);\n\t\tlist_add_tail",
                                                     with: "\t\tmutex_lock(&mdio_board_lock);\n\t\tif (!info->bus_id[0])\n\t\t\treturn -EINVAL;\n\t\tlist_add_tail")
            #expect(post != original)
            try Self.write(post, root)
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "r@x", index: nil, hunk: Self.hunk1), tree: root)
            let f = try Self.file(r)
            #expect(f.analysisSource == "tree-reversed")
            #expect(f.analysisDetail == "the tree's file, which already holds the patch, reversed")
            #expect(Self.lockFindings(r) == ["mdiobus_register_board_info 75 introduced"])
        }
    }

    @Test func hunkModeWhenNothingApplies() throws {
        try Self.withRepository { root, original in
            try Self.write(original.replacingOccurrences(of: "list_add_tail(&be->list", with: "list_add(&be->list"), root)
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "h@x", index: nil, hunk: Self.hunk1), tree: root)
            let f = try Self.file(r)
            #expect(f.analysisSource == "hunk")
            #expect(f.analysisDetail == "the patch does not apply to the tree's file")
            #expect(r.warnings == ["rules: \(Self.path): the patch does not apply to the tree's file; hunk mode"])
            #expect(MarkdownRenderer().render(r).replacingOccurrences(of: "\n", with: " ").contains("Rules: hunk mode for `\(Self.path)`, only the lines the patch shows (the patch does not apply to the tree's file)."))
        }
    }

    @Test func baseCommitGivesTheFile() throws {
        try Self.withRepository { root, original in
            let head = try #require(Self.git(["rev-parse", "HEAD"], root))
            try Self.write(original.replacingOccurrences(of: "list_add_tail(&be->list", with: "list_add(&be->list"), root)
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "c@x", index: nil, hunk: Self.hunk1,
                                          trailer: "\nbase-commit: \(head)\n-- \n2.43.0\n"), tree: root)
            let f = try Self.file(r)
            #expect(f.analysisSource == "blob")
            #expect(f.analysisDetail == "the file at base-commit \(head.prefix(12)) from the tree")
        }
    }

    @Test func seriesAnalysedInOrder() throws {
        try Self.withRepository { root, _ in
            let blob = try #require(Self.git(["rev-parse", "HEAD:" + Self.path], root))
            let mbox = Self.mail(subject: "[PATCH 1/2] x", id: "s1@x", index: String(blob.prefix(7)) + "..1234567", hunk: Self.hunk1)
                + Self.mail(subject: "[PATCH 2/2] y", id: "s2@x", index: "1234567..89abcde", hunk: Self.hunk2)
            let r = Self.review(mbox, tree: root)
            #expect(r.series.count == 1 && r.series.first?.patches.count == 2)
            #expect(try Self.file(r, patch: 0).analysisSource == "blob")
            // Patch 2 does not apply to the tree alone: it is analysed on the file patch 1 left.
            let f2 = try Self.file(r, patch: 1)
            #expect(f2.analysisSource == "blob")
            #expect(f2.analysisDetail == "pre-image blob \(blob.prefix(12)) from the tree, after patch 1 of the series")
            #expect(r.warnings.isEmpty)
        }
    }

    @Test func seriesSaysWhichPatchIntroducesAndFixes() throws {
        try Self.withRepository { root, _ in
            let blob = try #require(Self.git(["rev-parse", "HEAD:" + Self.path], root))
            let hunkB = """
                @@ -71,3 +71,3 @@ int mdiobus_register_board_info(const struct mdio_board_info *info,
                 \tfor (i = 0; i < n; i++, be++, info++) {
                -\t\tmemcpy(&be->board_info, info, sizeof(*info));
                +\t\tbe->board_info = *info;
                 \t\tmutex_lock(&mdio_board_lock);

                """
            let hunkC = """
                @@ -74,2 +74,4 @@ int mdiobus_register_board_info(const struct mdio_board_info *info,
                -\t\tif (!info->bus_id[0])
                -\t\t\treturn -EINVAL;
                +\t\tif (!info->bus_id[0]) {
                +\t\t\tmutex_unlock(&mdio_board_lock);
                +\t\t\treturn -EINVAL;
                +\t\t}

                """
            let mbox = Self.mail(subject: "[PATCH 1/3] a", id: "i1@x", index: String(blob.prefix(7)) + "..1234567", hunk: Self.hunk1)
                + Self.mail(subject: "[PATCH 2/3] b", id: "i2@x", index: "1234567..2345678", hunk: hunkB)
                + Self.mail(subject: "[PATCH 3/3] c", id: "i3@x", index: "2345678..3456789", hunk: hunkC)
            let r = Self.review(mbox, tree: root)
            let patches = try #require(r.series.first?.patches)
            #expect(patches.count == 3)
            #expect(patches.map { (try? Self.file(r, patch: ($0.index ?? 1) - 1).analysisSource) ?? "-" } == ["blob", "blob", "blob"])
            func lock(_ p: PatchReport) -> [String] {
                p.findings.filter { $0.rule == "lock-balance" }.map {
                    "\($0.change.rawValue) in:\($0.introducedInPatch.map(String.init) ?? "-") fixed:\($0.fixedInPatch.map(String.init) ?? "-")"
                }
            }
            #expect(lock(patches[0]) == ["introduced in:- fixed:3"])
            #expect(lock(patches[1]) == ["present in:1 fixed:3"])
            #expect(lock(patches[2]) == ["fixed in:- fixed:-"])
            let md = MarkdownRenderer().render(r)
            #expect(md.contains("Introduced by patch 1 of the series.") && md.contains("Patch 3 of the series fixes it."))
        }
    }

    @Test func noTreeIsHunkMode() throws {
        var builder = ReportBuilder()
        builder.seriesFindings = RuleFindings.seriesSource(engine: RuleEngine(), trees: TreeSource(root: nil))
        let contents = MailReader.parse(Array(Self.mail(subject: "[PATCH] x", id: "n@x", index: nil, hunk: Self.hunk1).utf8), name: "n")
        let report = builder.build(input: "n", threads: ThreadSet(messages: contents.messages))
        let f = try Self.file(report)
        #expect(f.analysisSource == "hunk" && f.analysisDetail == nil)
        #expect(report.warnings.isEmpty)
        #expect(MarkdownRenderer().render(report).replacingOccurrences(of: "\n", with: " ").contains("Rules: hunk mode for `\(Self.path)`, only the lines the patch shows (no tree given)."))
        #expect(!TextRenderer().render(report).contains("[rules]"))
    }

    @Test func treeSettingFromTheEnvironment() throws {
        try Self.withRepository { root, _ in
            var warnings: [String] = []
            // The environment variable, when no --tree is given; it wins over git config.
            let env = try TreeSetting.resolve(option: nil, environment: [TreeSetting.environmentVariable: root],
                                              configuredTree: { "/nonexistent" }, warn: { warnings.append($0) })
            #expect(env == TreeSetting(path: root, origin: .environment))
            // git config when the environment has none.
            let config = try TreeSetting.resolve(option: nil, environment: [:], configuredTree: { root }, warn: { warnings.append($0) })
            #expect(config == TreeSetting(path: root, origin: .gitConfig))
            #expect(warnings.isEmpty)
            // --tree wins.
            let option = try TreeSetting.resolve(option: root, environment: [TreeSetting.environmentVariable: "/nonexistent"],
                                                 configuredTree: { nil }, warn: { warnings.append($0) })
            #expect(option?.origin == .option)
            // Not a directory: a warning and hunk mode from the environment; an error from --tree.
            let missing = root + "/no-such-dir"
            let none = try TreeSetting.resolve(option: nil, environment: [TreeSetting.environmentVariable: missing],
                                               configuredTree: { nil }, warn: { warnings.append($0) })
            #expect(none == nil)
            #expect(warnings == ["LKML_REVIEW_TREE \(missing) is not a directory: the rules run in hunk mode"])
            #expect(throws: TreeSetting.NotADirectory.self) {
                try TreeSetting.resolve(option: missing, environment: [:], configuredTree: { nil }, warn: { _ in })
            }
            // The tree from the environment reaches the rules.
            let r = Self.review(Self.mail(subject: "[PATCH] x", id: "e@x", index: nil, hunk: Self.hunk1), tree: try #require(env?.path))
            #expect(try Self.file(r).analysisSource == "tree")
        }
    }

    @Test func catFileBatchAnswers() throws {
        try Self.withRepository { root, original in
            let git = try #require(GitTool.executable())
            let reader = try #require(GitObjectReader(repository: root, git: git, environment: Self.gitEnvironment))
            let blob = try #require(Self.git(["rev-parse", "HEAD:" + Self.path], root))
            guard case .found(let type, let oid, let data) = reader.lookup(String(blob.prefix(7)), type: "blob", maxSize: 1 << 20) else {
                Issue.record("blob not found"); return
            }
            #expect(type == "blob" && oid == blob && String(decoding: data, as: UTF8.self) == original)
            #expect(reader.lookup("fedcba9", type: "blob", maxSize: 1 << 20) == .missing)
            // Too large: skipped whole, and the next answer is still read in step.
            #expect(reader.lookup(blob, type: "blob", maxSize: 10) == .unusable)
            #expect(reader.lookup("HEAD:" + Self.path, type: "blob", maxSize: 1 << 20) != .unusable)
            // A commit is not a blob.
            #expect(reader.lookup("HEAD", type: "blob", maxSize: 1 << 20) == .unusable)
            #expect(reader.lookup("bad\nname", type: "blob", maxSize: 10) == .unusable)
            #expect(reader.isUsable)
        }
    }

    @Test func catFileBatchAmbiguousAndDeadProcess() throws {
        try Self.withRepository { root, _ in
            let git = try #require(GitTool.executable())
            // 600 small blobs: two of them share their first 4 hex digits (almost surely).
            let dir = (root as NSString).appendingPathComponent("blobs")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var names: [String] = []
            for i in 0..<600 {
                let name = "b\(i)"
                try "blob \(i)\n".write(toFile: (dir as NSString).appendingPathComponent(name), atomically: false, encoding: .utf8)
                names.append("blobs/" + name)
            }
            let ids = try #require(Self.git(["hash-object", "-w"] + names, root)).split(separator: "\n").map(String.init)
            var seen: [Substring: Int] = [:]
            for id in ids { seen[id.prefix(4), default: 0] += 1 }
            let reader = try #require(GitObjectReader(repository: root, git: git, environment: Self.gitEnvironment))
            if let shared = seen.first(where: { $0.value > 1 })?.key {
                #expect(reader.lookup(String(shared), type: "blob", maxSize: 1 << 20) == .ambiguous)
                #expect(reader.isUsable)
            } else {
                print("catFileBatchAmbiguousAndDeadProcess: no shared 4-digit prefix among 600 blobs; ambiguous case not exercised")
            }
            // A git that cannot run in the folder exits at once: the lookup fails, it does not wait.
            let notARepository = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-norepo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: notARepository, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: notARepository) }
            var env = Self.gitEnvironment
            env["GIT_CEILING_DIRECTORIES"] = FileManager.default.temporaryDirectory.path
            let dead = try #require(GitObjectReader(repository: notARepository.path, git: git, environment: env))
            #expect(dead.lookup("0123456", type: "blob", maxSize: 10) == .unusable)
            #expect(!dead.isUsable)
        }
    }

    /// A lone reply (its patch not in the input) quoting a removed line after a snip: the quoted
    /// `index` line's blob from the tree's git gives its exact line, though the work-tree file has
    /// moved since; without a tree the line is unknown.
    @Test func aLoneReplysQuotesAreAlignedWithTheBlob() throws {
        try Self.withRepository { root, original in
            let blob = try #require(Self.git(["rev-parse", "--short=12", "HEAD:" + Self.path], root))
            // the work tree moved on: five lines more at the top
            try Self.write("/* 1 */\n/* 2 */\n/* 3 */\n/* 4 */\n/* 5 */\n" + original, root)
            let reply = """
                From x@x Mon Jan  1 00:00:00 2024
                From: Rita Reviewer <rita@kernel.org>
                Subject: Re: [PATCH] net: phy: mdio-boardinfo: nest the lock
                Date: Tue, 2 Jan 2024 10:00:00 +0000
                Message-ID: <review-1@kernel.org>
                In-Reply-To: <patch-1@kernel.org>
                Content-Type: text/plain; charset=UTF-8

                On Mon, 1 Jan 2024, Ann Author wrote:
                > diff --git a/\(Self.path) b/\(Self.path)
                > index \(blob)..1234567890ab 100644
                > --- a/\(Self.path)
                > +++ b/\(Self.path)
                > @@ -72,4 +72,4 @@ int mdiobus_register_board_info(const struct mdio_board_info *info,
                >  \t\tmemcpy(&be->board_info, info, sizeof(*info));
                > [...]
                > -\t\tmutex_lock(&mdio_board_lock);

                Why not nested?

                """
            func remark(tree: String?) throws -> RemarkReport {
                var builder = ReportBuilder()
                builder.treeRoot = tree
                let messages = MailReader.parse(Array(reply.utf8), name: "reply.eml").messages
                let r = builder.build(input: "reply.eml", threads: ThreadSet(messages: messages))
                return try #require(r.series.first?.patches.first?.remarks.first { $0.target == .line })
            }
            let alone = try remark(tree: nil)
            #expect(alone.oldLine == nil && alone.isApproximate)
            let withTree = try remark(tree: root)
            #expect(withTree.file == Self.path && withTree.side == "removed")
            #expect(withTree.oldLine == 73 && !withTree.isApproximate)
        }
    }
}

