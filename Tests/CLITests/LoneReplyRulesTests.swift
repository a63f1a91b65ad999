// A lone reply whose reviewer cut a hunk header: with the reviewer's tree (a git checkout holding
// the quoted `index` blob) the quoted lines without a header are placed exactly on their side, the
// patch rebuilt from the quotes holds them, and the rules analyse the whole function from the tree:
// the leak the reviewer points at is a warning linked to the remark. Without the tree the same run
// is unplaced and nothing is claimed from it. The tree is Linux 6.12's drivers/fpga/of-fpga-region.c
// (Tests/ReviewTests/.fixtures, GPL-2.0) committed to a temporary repository.
import Foundation
import Testing
import TestSupport

@Suite("lone reply: rules on a run quoted without its header")
struct LoneReplyRulesTests {
    static let path = "drivers/fpga/of-fpga-region.c"
    static let fixture = CLI.repoRoot.appendingPathComponent("Tests/ReviewTests/.fixtures/linux-6.12/" + path)

    /// The reply: the first hunk with its header, then `[...]` and the lines of the next hunk with
    /// its header cut; the patch moved `of_node_put(br)` below the error return.
    static func reply(blob: String) -> String {
        """
        From: Reviewer Person <reviewer@example.org>
        To: Author Person <author@example.org>
        Subject: Re: [PATCH] fpga: of-fpga-region: drop the bridge reference later
        Date: Mon, 7 Dec 2026 10:00:00 +0000
        Message-ID: <reply-1@example.invalid>
        In-Reply-To: <patch-1@example.invalid>
        References: <patch-1@example.invalid>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        On Sun, Dec 06, 2026 at 09:00:00AM +0000, Author Person wrote:
        > diff --git a/\(path) b/\(path)
        > index \(blob)..0123456789ab 100644
        > --- a/\(path)
        > +++ b/\(path)
        > @@ -116,6 +116,6 @@ static int of_fpga_region_get_bridges(struct fpga_region *region)
        > \u{20}
        >  \tfor (i = 0; ; i++) {
        >  \t\tbr = of_parse_phandle(np, "fpga-bridges", i);
        >  \t\tif (!br)
        >  \t\t\tbreak;
        > \u{20}
        [...]
        >  \t\tret = of_fpga_bridge_get_to_list(br, info,
        >  \t\t\t\t\t\t &region->bridge_list);
        > -\t\tof_node_put(br);
        > \u{20}
        >  \t\t/* If any of the bridges are not available, give up */
        >  \t\tif (ret) {
        >  \t\t\tfpga_bridges_put(&region->bridge_list);
        >  \t\t\treturn ret;
        >  \t\t}
        > +\t\tof_node_put(br);
        >  \t}

        The reference to br is not dropped when of_fpga_bridge_get_to_list() fails.

        Reviewer

        """
    }

    static func git(_ args: [String], in dir: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_DIR"] = nil
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Finding: Decodable { var rule: String; var severity: String; var line: Int; var remarks: [String] }
    struct Remark: Decodable { var id: String; var newLine: Int?; var oldLine: Int?; var isApproximate: Bool }
    struct PatchReport: Decodable { var findings: [Finding]; var remarks: [Remark] }
    struct Series: Decodable { var patches: [PatchReport] }
    struct Report: Decodable { var series: [Series] }

    @Test func cutHeaderRunGivesTheLeakWithTheTreeAndNothingWithout() throws {
        guard let exe = CLI.binaryOrSkip("cutHeaderRunGivesTheLeakWithTheTreeAndNothingWithout") else { return }
        guard (try? Self.git(["--version"], in: FileManager.default.temporaryDirectory)) != nil else {
            print("LoneReplyRulesTests: skipped: git is not installed")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lone-reply-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = root.appendingPathComponent("tree")
        let file = tree.appendingPathComponent(Self.path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contentsOf: Self.fixture).write(to: file)
        _ = try Self.git(["init", "-q"], in: tree)
        _ = try Self.git(["add", "-A"], in: tree)
        _ = try Self.git(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                          "commit", "-q", "-m", "6.12"], in: tree)
        let blob = try Self.git(["rev-parse", "--short=12", "HEAD:" + Self.path], in: tree)
        let mail = root.appendingPathComponent("reply.eml")
        try Data(Self.reply(blob: blob).utf8).write(to: mail)

        let withTree = try CLI.run(exe, ["review", mail.path, "--no-thread", "--tree", tree.path, "--format", "json"])
        #expect(withTree.status == 0, "\(withTree.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(withTree.stdout.utf8))
        let patch = try #require(report.series.first?.patches.first)
        // The error return of the cut hunk (line 135 of the patched file) leaks the reference
        // of_parse_phandle() took in the quoted hunk above it.
        let leak = try #require(patch.findings.first { $0.rule == "refcount-balance" && $0.severity == "warning" })
        #expect(leak.line == 135)
        // The remark sits below the loop's closing brace: line 138 on both sides, exact, and it
        // discusses the leak.
        let remark = try #require(patch.remarks.first)
        #expect(remark.oldLine == 138 && remark.newLine == 138 && !remark.isApproximate)
        #expect(leak.remarks == [remark.id])

        // Without the tree nothing places the cut run: no warning rests on it.
        let hunkOnly = try CLI.run(exe, ["review", mail.path, "--no-thread", "--format", "json"])
        #expect(hunkOnly.status == 0, "\(hunkOnly.stderr)")
        let plain = try JSONDecoder().decode(Report.self, from: Data(hunkOnly.stdout.utf8))
        let findings = plain.series.flatMap(\.patches).flatMap(\.findings)
        #expect(!findings.contains { $0.severity == "warning" || $0.severity == "error" })
    }
}
