// Review text copied from a web archive (issue 18), through the real binary: the motivating
// review exactly as it reached the project.
import Foundation
import Mailbox
import Testing
import TestSupport

@Suite("lkml-review flattened text")
struct FlattenedCLITests {
    static var seed: String { CLI.repoRoot.appendingPathComponent("Samples/seed-as-received.txt").path }

    /// The original patch mail, rebuilt from the reconstructed review's quoted lines (the archive's
    /// copy of the patch is not among the samples), under a Message-ID the text does not know.
    static func originalPatchMail() throws -> String {
        let eml = try String(contentsOf: URL(fileURLWithPath: CLI.sample), encoding: .utf8)
        let patch = eml.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix(">") }
            .map { $0.dropFirst().hasPrefix(" ") ? String($0.dropFirst(2)) : String($0.dropFirst()) }
        return "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
            + "From: Tony Krowiak <akrowiak@xxxxxxxxxxxxx>\n"
            + "Subject: [PATCH] s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks\n"
            + "Date: Mon, 15 Feb 2021 20:15:47 -0500\n"
            + "Message-ID: <flattened-test-patch@example.invalid>\n\n"
            + patch.joined(separator: "\n") + "\n"
    }

    static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func theSeedAsReceivedIsReviewedOffline() throws {
        guard let exe = CLI.binaryOrSkip("theSeedAsReceivedIsReviewedOffline") else { return }
        let r = try CLI.run(exe, ["--offline", Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("the input was flattened text"))
        #expect(r.stderr.contains("re-segmented"))
        #expect(r.stdout.contains("- **Acked-by:** Halil Pasic \\<pasic@xxxxxxxxxxxxx>, "))
        #expect(r.stdout.replacingOccurrences(of: "\n  ", with: " ").contains("**conditional**: “With the one little thing I commented on below addressed:”"))
        #expect(r.stdout.contains("new line 1039 (approximate) in `vfio_ap_mdev_set_kvm`"))
        #expect(r.stdout.contains("new line 1145 (approximate) in `vfio_ap_mdev_unset_kvm`"))
        #expect(r.stdout.contains("`drivers/s390/crypto/vfio_ap_ops.c`"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_set_kvm` · new lines 1062→1067 · warning, introduced"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_unset_kvm` · new lines 1147→1149 · warning, introduced"))
        // The attribution gives the patch's author and date; the report says what was done.
        #expect(r.stdout.contains("**Author:** Tony Krowiak"))
        #expect(r.stdout.contains("Mon, 15 Feb 2021 20:15:47 -0500"))
        #expect(r.stdout.contains("re-segmented into"))
        // One remark on the patch as a whole (below the quoted commit message), two on lines.
        #expect(r.stdout.contains("3 remarks"))
        // Same input, same output.
        #expect(try CLI.run(exe, ["--offline", Self.seed]).stdout == r.stdout)
        // JSON: the remarks are approximate, on the two lines.
        let j = try CLI.run(exe, ["--offline", "--format", "json", Self.seed])
        #expect(j.status == 0)
        #expect(j.stdout.contains("\"isApproximate\" : true"))
    }

    /// The patch mail in the cache (its Message-ID unknown to the text): found by the files and
    /// hunks the text quotes, every cut placed by it, the report titled by it.
    @Test func theOriginalPatchInTheCachePlacesTheCuts() throws {
        guard let exe = CLI.binaryOrSkip("theOriginalPatchInTheCachePlacesTheCuts") else { return }
        let mail = try Self.originalPatchMail()
        let cache = try Self.folder("flattened-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        try Data(mail.utf8).write(to: cache.appendingPathComponent("flattened-test-patch.mbox"))
        let r = try CLI.run(exe, ["--offline", "--cache-dir", cache.path, Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("the original patch from the cache"))
        #expect(r.stdout.hasPrefix("# s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks\n"))
        #expect(r.stdout.contains("new line 1039 in `vfio_ap_mdev_set_kvm`"))
        #expect(r.stdout.contains("new line 1145 in `vfio_ap_mdev_unset_kvm`"))
        #expect(!r.stdout.contains("(approximate)"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_set_kvm` · new lines 1062→1067 · warning, introduced"))
    }

    /// The reviewer's tree as the source of the lines: a work tree whose `vfio_ap_ops.c` holds the
    /// patch's pre-image lines at their numbers (and filler elsewhere). The quoted context and
    /// removed lines are placed by it; no network, no cache.
    @Test func theTreePlacesTheQuotedPreImageLines() throws {
        guard let exe = CLI.binaryOrSkip("theTreePlacesTheQuotedPreImageLines") else { return }
        let mail = try Self.originalPatchMail()
        // The pre-image lines by number: counted from each `@@ -a,b` header over context and removed lines.
        var pre: [Int: String] = [:]
        var old: Int?
        for line in mail.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@ -") {
                old = Int(line.dropFirst(4).prefix { $0.isNumber })
            } else if let o = old, line.hasPrefix(" ") || (line.hasPrefix("-") && !line.hasPrefix("---")) || line.isEmpty {
                pre[o] = String(line.dropFirst()); old = o + 1
            } else if line.hasPrefix("diff ") || line.hasPrefix("-- ") {
                old = nil
            }
        }
        let last = try #require(pre.keys.max())
        let text = (1...(last + 20)).map { pre[$0] ?? "/* filler \($0) */" }.joined(separator: "\n") + "\n"
        let tree = try Self.folder("flattened-tree")
        defer { try? FileManager.default.removeItem(at: tree) }
        let dir = tree.appendingPathComponent("drivers/s390/crypto")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: dir.appendingPathComponent("vfio_ap_ops.c"))
        let empty = try Self.folder("flattened-empty-cache")
        defer { try? FileManager.default.removeItem(at: empty) }
        let r = try CLI.run(exe, ["--offline", "--cache-dir", empty.path, "--tree", tree.path, Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("were placed by the lines of the files in --tree ("), "stderr: \(r.stderr)")
        #expect(r.stdout.contains("new line 1039") && r.stdout.contains("`vfio_ap_mdev_set_kvm`"))
        #expect(r.stdout.contains("new line 1145") && r.stdout.contains("`vfio_ap_mdev_unset_kvm`"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_set_kvm` · new lines 1062→1067 · warning, introduced"))
        #expect(r.stdout.contains("`lock-window` in `vfio_ap_mdev_unset_kvm` · new lines 1147→1149 · warning, introduced"))
        print("theTreePlacesTheQuotedPreImageLines: " + (r.stderr.split(separator: "\n").first { $0.contains("--tree") }.map(String.init) ?? ""))
        // A tree without the file places nothing: the text is re-segmented as without an original.
        let bare = try Self.folder("flattened-bare-tree")
        defer { try? FileManager.default.removeItem(at: bare) }
        let b = try CLI.run(exe, ["--offline", "--cache-dir", empty.path, "--tree", bare.path, Self.seed])
        #expect(b.status == 0)
        #expect(!b.stderr.contains("the files in --tree"))
        #expect(b.stdout.contains("new line 1039 (approximate)"))
    }

    /// The search for the original patch: the quoted file, the days around the attribution's date
    /// and the author's surname.
    static let query = "dfn:drivers/s390/crypto/vfio_ap_ops.c d:20210209..20210218 f:krowiak"
    /// The looser second search: without the author.
    static let looser = "dfn:drivers/s390/crypto/vfio_ap_ops.c d:20210209..20210218"

    /// A public-inbox look-alike whose search answers `answered` with the patch mail (as a
    /// `?q=…&x=m` POST, no whole threads), and anything else with 404 (no match).
    static func searchServer(answering answered: String) throws -> TestServer {
        let found = try gzipCompress(Array(try originalPatchMail().utf8))
        return try TestServer.seeing({ request, _ in
            guard request.method == "POST", request.path == "/all/", request.parameter("x") == "m", request.parameter("t") == nil,
                  request.parameter("q") == answered else { return .status(404) }
            return .gzip(found)
        })
    }

    /// Neither the input nor the cache holds the patch: a lore search built from the text finds
    /// it, and the review is the one the patch in the cache gives.
    @Test func theOriginalPatchIsFoundThroughTheLoreSearch() throws {
        guard let exe = CLI.binaryOrSkip("theOriginalPatchIsFoundThroughTheLoreSearch") else { return }
        let dir = try Self.folder("flattened-search")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.searchServer(answering: Self.query)
        defer { server.stop() }
        let r = try CLI.run(exe, ["--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("lkml-review: found the original patch through the lore search: <flattened-test-patch@example.invalid> (\(Self.query))"),
                "\(r.stderr)")
        #expect(r.stderr.contains("(the original patch from the lore search)"))
        #expect(server.seenRequests.map(\.method) == ["POST"])
        #expect(server.seenRequests.first?.parameter("q") == Self.query)
        #expect(server.seenRequests.first?.body.isEmpty == true)
        #expect(r.stdout.hasPrefix("# s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks\n"))
        #expect(r.stdout.contains("new line 1039 in `vfio_ap_mdev_set_kvm`"))
        #expect(r.stdout.contains("new line 1145 in `vfio_ap_mdev_unset_kvm`"))
        #expect(!r.stdout.contains("(approximate)"))
        // A tree whose file places nothing (another version) does not stand in the search's way;
        // the inbox comes from `b4.searchmask` (its part before `?`), as b4 writes it.
        let other = try Self.folder("flattened-other-tree")
        defer { try? FileManager.default.removeItem(at: other) }
        let otherFile = other.appendingPathComponent("drivers/s390/crypto")
        try FileManager.default.createDirectory(at: otherFile, withIntermediateDirectories: true)
        try Data((1...1300).map { "/* not this version \($0) */" }.joined(separator: "\n").utf8)
            .write(to: otherFile.appendingPathComponent("vfio_ap_ops.c"))
        let viaTree = try CLI.run(exe, ["--cache-dir", dir.appendingPathComponent("c2").path, "--tree", other.path, Self.seed],
                                  gitConfig: "[b4]\n\tsearchmask = \(server.base)/all/?x=m&t=1&q=%s\n")
        #expect(viaTree.status == 0, "stderr: \(viaTree.stderr)")
        #expect(viaTree.stderr.contains("(the original patch from the lore search)"), "\(viaTree.stderr)")
        #expect(server.seenRequests.count == 2)
        // The answer is in the cache now: the cache gives the patch, the server is not asked.
        let again = try CLI.run(exe, ["--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed])
        #expect(again.stderr.contains("(the original patch from the cache)"), "\(again.stderr)")
        // The same review; only the warning names the other source.
        #expect(again.stdout == r.stdout.replacingOccurrences(of: "(the original patch from the lore search)",
                                                              with: "(the original patch from the cache)"))
        #expect(server.seenRequests.count == 2)
    }

    /// No patch for the first query: a second one without the author, and no more.
    @Test func aLooserSecondSearchAndNoMore() throws {
        guard let exe = CLI.binaryOrSkip("aLooserSecondSearchAndNoMore") else { return }
        let dir = try Self.folder("flattened-search")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.searchServer(answering: Self.looser)
        defer { server.stop() }
        let r = try CLI.run(exe, ["--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(server.seenRequests.compactMap { $0.parameter("q") } == [Self.query, Self.looser])
        #expect(r.stderr.contains("the lore search for the original patch (\(Self.query) at \(server.base)/all/): nothing found"), "\(r.stderr)")
        #expect(r.stderr.contains("found the original patch through the lore search: <flattened-test-patch@example.invalid> (\(Self.looser))"))

        // Neither finds it: two searches, the review goes on without the original.
        let none = try Self.searchServer(answering: "nothing")
        defer { none.stop() }
        let n = try CLI.run(exe, ["--lore", none.base + "/all/", "--cache-dir", dir.appendingPathComponent("c2").path, Self.seed])
        #expect(n.status == 0)
        #expect(none.seenRequests.count == 2)
        #expect(n.stdout.contains("new line 1039 (approximate) in `vfio_ap_mdev_set_kvm`"))
    }

    /// --offline (and LKML_REVIEW_OFFLINE) and --no-thread search for nothing.
    @Test func offlineNothingIsSearched() throws {
        guard let exe = CLI.binaryOrSkip("offlineNothingIsSearched") else { return }
        let dir = try Self.folder("flattened-search")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.searchServer(answering: Self.query)
        defer { server.stop() }
        for (args, env) in [(["--offline"], [String: String]()), ([], ["LKML_REVIEW_OFFLINE": "1"]), (["--no-thread"], [:]),
                            (["remarks", "--offline"], [:]), (["remarks", "--no-align"], [:])] {
            let r = try CLI.run(exe, args + ["--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed], environment: env)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("lore search"), "\(args): \(r.stderr)")
        }
        #expect(server.seenRequests.isEmpty)
    }

    /// `remarks` looks for the original patch as `review` does (the same function): the cuts are
    /// placed by it and the remarks aligned with it; the patch mail itself is not listed.
    @Test func remarksFindsTheOriginalPatchThroughTheLoreSearch() throws {
        guard let exe = CLI.binaryOrSkip("remarksFindsTheOriginalPatchThroughTheLoreSearch") else { return }
        let dir = try Self.folder("flattened-search")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Self.searchServer(answering: Self.query)
        defer { server.stop() }
        let r = try CLI.run(exe, ["remarks", "--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("found the original patch through the lore search: <flattened-test-patch@example.invalid>"), "\(r.stderr)")
        #expect(server.seenRequests.count == 1)
        #expect(r.stdout.contains("aligned with the original patch"))
        #expect(r.stdout.contains("new 1039"))
        #expect(r.stdout.contains("new 1145"))
        #expect(r.stdout.hasSuffix("1 message(s) with remarks in \(Self.seed)\n"))
        let all = try CLI.run(exe, ["remarks", "--all", "--lore", server.base + "/all/", "--cache-dir", dir.path, Self.seed])
        #expect(all.stdout.hasSuffix("1 message(s) with remarks in \(Self.seed)\n"), "\(all.stdout.suffix(300))")
    }

    @Test func remarksCommandReadsFlattenedText() throws {
        guard let exe = CLI.binaryOrSkip("remarksCommandReadsFlattenedText") else { return }
        let r = try CLI.run(exe, ["remarks", Self.seed])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("1039"))
        #expect(r.stdout.contains("1145"))
    }

    @Test func ordinaryMailIsReadAsBefore() throws {
        guard let exe = CLI.binaryOrSkip("ordinaryMailIsReadAsBefore") else { return }
        let r = try CLI.run(exe, [CLI.sample])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("flattened"))
        #expect(!r.stdout.contains("re-segmented"))
    }
}
