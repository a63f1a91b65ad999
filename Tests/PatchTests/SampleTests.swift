import Foundation
import Testing
@testable import Patch

/// The repository root, found from this file's path (Tests/PatchTests/SampleTests.swift).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The quoted lines of the sample review, one `> ` or `>` stripped; unquoted remarks dropped.
func quotedSampleLines(fromFirstDiff: Bool) throws -> [String] {
    let url = repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml")
    let text = try String(contentsOf: url, encoding: .utf8)
    var out: [String] = []
    var inDiff = !fromFirstDiff
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        guard line.hasPrefix(">") else { continue }
        var body = line.dropFirst()
        if body.hasPrefix(" ") { body = body.dropFirst() }
        if !inDiff && body.hasPrefix("diff --git ") { inDiff = true }
        if inDiff { out.append(String(body)) }
    }
    return out
}

@Test func sampleQuotedPatchHasFourHunks() throws {
    let body = try quotedSampleLines(fromFirstDiff: true).joined(separator: "\n") + "\n"
    let patch = PatchParser.parse(body)
    #expect(patch.warnings == [])
    #expect(patch.files.count == 1)
    let file = try #require(patch.files.first)
    #expect(file.oldPath == "drivers/s390/crypto/vfio_ap_ops.c")
    #expect(file.newPath == "drivers/s390/crypto/vfio_ap_ops.c")
    #expect(file.path == "drivers/s390/crypto/vfio_ap_ops.c")
    #expect(file.change == .modified)
    #expect(file.isGitDiff)
    #expect(file.oldHash == "41fc2e4135fe" && file.newHash == "8574b6ecc9c5")
    #expect(file.oldMode == "100644" && file.newMode == "100644")
    #expect(file.hunks.map(\.header) == ["-1027,8 +1027,21", "-1043,9 +1056,17", "-1079,51 +1100,80", "-1258,8 +1308,7"])
    #expect(patch.insertions == 84)
    #expect(patch.deletions == 35)
    #expect(file.hunks.map(\.section) == [
        "static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {",
        "static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,",
        "static int vfio_ap_mdev_iommu_notifier(struct notifier_block *nb,",
        "static void vfio_ap_mdev_release(struct mdev_device *mdev)",
    ])
    #expect(file.hunks.map(\.sectionFunctionName) == [nil, "vfio_ap_mdev_set_kvm", "vfio_ap_mdev_iommu_notifier", "vfio_ap_mdev_release"])
    #expect(file.hunks[0].sectionSymbol == "vfio_ap_mdev_attr_groups")

    // Every line's numbers agree with the header counts.
    for hunk in file.hunks {
        #expect(hunk.lines.filter { $0.kind != .added }.count == hunk.oldCount)
        #expect(hunk.lines.filter { $0.kind != .removed }.count == hunk.newCount)
        #expect(hunk.lines.compactMap(\.newLine).last == hunk.newStart + hunk.newCount - 1)
        #expect(hunk.lines.compactMap(\.oldLine).last == hunk.oldStart + hunk.oldCount - 1)
    }
    let all = file.hunks.flatMap(\.lines)
    let l1145 = try #require(all.first { $0.newLine == 1145 })
    #expect(l1145.kind == .added)
    #expect(l1145.text == "\t\tmatrix_mdev->kvm = NULL;")
    #expect(all.first { $0.newLine == 1039 }?.text == " *")
    #expect(all.first { $0.newLine == 1062 }?.text == "\t\tmutex_unlock(&matrix_dev->lock);")
    #expect(all.first { $0.newLine == 1149 }?.text == "\t\tmutex_lock(&matrix_dev->lock);")
    // The removed `matrix_mdev->kvm = NULL;` of unset_kvm is old line 1088 (1084 is its first removed line).
    let removed = all.filter { $0.kind == .removed && $0.text == "\tmatrix_mdev->kvm = NULL;" }
    #expect(removed.map(\.oldLine) == [1088])
}

@Test func sampleWithQuotedCommitMessage() throws {
    let body = try quotedSampleLines(fromFirstDiff: false).joined(separator: "\n") + "\n"
    let patch = PatchParser.parse(body)
    #expect(patch.warnings == [])
    #expect(patch.commitMessage.hasPrefix("This patch fixes a circular locking dependency in the CI introduced by\n"))
    #expect(patch.commitMessage.hasSuffix("Signed-off-by: Tony Krowiak <akrowiak@xxxxxxxxxxxxx>"))
    #expect(patch.diffstat == [
        " drivers/s390/crypto/vfio_ap_ops.c | 119 +++++++++++++++++++++---------",
        " 1 file changed, 84 insertions(+), 35 deletions(-)",
    ])
    #expect(patch.notes == "")
    #expect(patch.files.first?.hunks.count == 4)
    #expect(patch.insertions == 84 && patch.deletions == 35)
}

@Test func sampleMessageItselfHasNoUnquotedDiff() throws {
    let url = repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml")
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(!PatchParser.containsDiff(text))
    #expect(PatchParser.findPatches(in: text).isEmpty)
    // Once unquoted, the diff is there.
    let quoted = try quotedSampleLines(fromFirstDiff: false).joined(separator: "\n")
    #expect(PatchParser.containsDiff(quoted))
    #expect(PatchParser.findPatches(in: quoted).map(\.diffStart) == [19])
}
