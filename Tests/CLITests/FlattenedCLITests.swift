// Review text copied from a web archive (issue 18), through the real binary: the motivating
// review exactly as it reached the project.
import Foundation
import Testing
import TestSupport

@Suite("lkml-review flattened text")
struct FlattenedCLITests {
    static var seed: String { CLI.repoRoot.appendingPathComponent("Samples/seed-as-received.txt").path }

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
        let eml = try String(contentsOf: URL(fileURLWithPath: CLI.sample), encoding: .utf8)
        let patch = eml.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix(">") }
            .map { $0.dropFirst().hasPrefix(" ") ? String($0.dropFirst(2)) : String($0.dropFirst()) }
        let mail = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
            + "From: Tony Krowiak <akrowiak@xxxxxxxxxxxxx>\n"
            + "Subject: [PATCH] s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks\n"
            + "Date: Mon, 15 Feb 2021 20:15:47 -0500\n"
            + "Message-ID: <flattened-test-patch@example.invalid>\n\n"
            + patch.joined(separator: "\n") + "\n"
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("flattened-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
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
