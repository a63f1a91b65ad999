import Foundation
import Testing
import Patch
@testable import Rules

/// The motivating review (`Samples/vfio-ap-lockdep-review.eml`): exact findings on the new version.
struct SampleTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func samplePatch() throws -> FilePatch {
        let mail = try String(contentsOf: repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml"), encoding: .utf8)
        let diff = PatchText.unquote(mail)
        let files = PatchText.parse(diff)
        try #require(files.count == 1)
        return files[0]
    }

    @Test func sampleParsesAsFourHunks() throws {
        let fp = try Self.samplePatch()
        #expect(fp.hunks.map(\.header) == ["-1027,8 +1027,21", "-1043,9 +1056,17", "-1079,51 +1100,80", "-1258,8 +1308,7"])
        #expect(fp.insertions == 84)
        #expect(fp.deletions == 35)
    }

    static func findings() throws -> [Finding] {
        RuleEngine().analyze(filePatch: try samplePatch()).findings
    }

    static func lines(_ f: Finding) -> [String] { f.lines.map { "\($0.role.rawValue) \($0.line)" + ($0.expression.map { " \($0)" } ?? "") } }

    @Test func everyFindingIsIntroducedAndNoneElse() throws {
        let fs = try Self.findings()
        #expect(fs.map { "\($0.function) \($0.ruleID)/\($0.kind) \($0.line) \($0.status.rawValue)" } == [
            "vfio_ap_mdev_set_kvm lock-window/window 1062 introduced",
            "vfio_ap_mdev_set_kvm lock-balance/caller-held 1062 introduced",
            "vfio_ap_mdev_unset_kvm lock-window/window 1147 introduced",
            "vfio_ap_mdev_unset_kvm lock-balance/caller-held 1147 introduced",
            "vfio_ap_mdev_unset_kvm refcount-balance/field-reference 1153 introduced",
            "vfio_ap_mdev_group_notifier lock-window/callee-window 1171 introduced",
            "vfio_ap_mdev_group_notifier lock-window/callee-window 1172 introduced",
            "vfio_ap_mdev_release lock-window/callee-window 1311 introduced",
        ])
    }

    @Test func setKvmWindowWithWritesOnBothSides() throws {
        let f = try #require(try Self.findings().first { $0.function == "vfio_ap_mdev_set_kvm" && $0.kind == "window" })
        #expect(f.subject == "matrix_dev->lock")
        #expect(f.severity == .warning)
        #expect(Self.lines(f) == ["released at 1062 matrix_dev->lock", "re-acquired at 1067 matrix_dev->lock",
                                  "written at 1061 kvm->arch.crypto.pqap_hook", "written at 1068 matrix_mdev->kvm"])
        #expect(f.message.contains("did not take it"))
        let note = try #require(try Self.findings().first { $0.function == "vfio_ap_mdev_set_kvm" && $0.kind == "caller-held" })
        #expect(note.severity == .note)
        #expect(Self.lines(note) == ["released at 1062 matrix_dev->lock"])
    }

    @Test func unsetKvmWindowAndRefcounts() throws {
        let fs = try Self.findings().filter { $0.function == "vfio_ap_mdev_unset_kvm" }
        let w = try #require(fs.first { $0.kind == "window" })
        #expect(Self.lines(w) == ["released at 1147 matrix_dev->lock", "re-acquired at 1149 matrix_dev->lock",
                                  "written at 1145 matrix_mdev->kvm", "written at 1151 matrix_mdev->kvm",
                                  "written at 1154 matrix_mdev->kvm"])
        // `kvm` is loaded from `matrix_mdev->kvm` (1143), where `vfio_ap_mdev_set_kvm` stores the
        // reference it got (1068): one get and two puts balance across the two functions. A note,
        // no over-put and no use after the first put.
        let balanced = try #require(fs.first { $0.kind == "field-reference" })
        #expect(balanced.subject == "kvm")
        #expect(balanced.severity == .note)
        #expect(Self.lines(balanced) == ["loaded from the field at 1143 matrix_mdev->kvm", "get at 1144 kvm",
                                         "put at 1150 kvm", "put at 1153 kvm"])
        #expect(balanced.message.contains("`vfio_ap_mdev_set_kvm` stores a counted reference in `matrix_mdev->kvm` (line 1068)"))
        #expect(!fs.contains { $0.kind == "over-put" || $0.kind == "use-after-put" })
        #expect(!fs.contains { $0.ruleID == "refcount-balance" && $0.severity != .note })
    }

    @Test func callersHoldTheLockAcrossCalleesThatDropIt() throws {
        let fs = try Self.findings().filter { $0.kind == "callee-window" }
        #expect(fs.map(Self.lines) == [
            ["acquired at 1167 matrix_dev->lock", "call at 1171 vfio_ap_mdev_unset_kvm",
             "released in callee at 1147 matrix_dev->lock", "re-acquired in callee at 1149 matrix_dev->lock"],
            ["acquired at 1167 matrix_dev->lock", "call at 1172 vfio_ap_mdev_set_kvm",
             "released in callee at 1062 matrix_dev->lock", "re-acquired in callee at 1067 matrix_dev->lock"],
            ["acquired at 1310 matrix_dev->lock", "call at 1311 vfio_ap_mdev_unset_kvm",
             "released in callee at 1147 matrix_dev->lock", "re-acquired in callee at 1149 matrix_dev->lock"],
        ])
    }

    @Test func noLeakClaimedForTheStoredReference() throws {
        let fs = try Self.findings()
        #expect(!fs.contains { $0.kind == "leak" })
    }

    @Test func oldVersionHasNoFindings() throws {
        let fp = try Self.samplePatch()
        let old = RuleEngine().analyze(functions: HunkFunctions.functions(of: fp, side: .old), file: fp.path, side: .old)
        #expect(old.findings.isEmpty)
        #expect(old.functions == ["vfio_ap_mdev_set_kvm", "vfio_ap_mdev_iommu_notifier", "vfio_ap_mdev_unset_kvm",
                                  "vfio_ap_mdev_group_notifier", "vfio_ap_mdev_release"])
    }
}
