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
        let diff = TestDiff.unquote(mail)
        let files = TestDiff.parse(diff)
        try #require(files.count == 1)
        return files[0]
    }

    @Test func sampleParsesAsFourHunks() throws {
        let fp = try Self.samplePatch()
        #expect(fp.hunks.map(\.header) == ["-1027,8 +1027,21", "-1043,9 +1056,17", "-1079,51 +1100,80", "-1258,8 +1308,7"])
        #expect(fp.insertions == 84)
        #expect(fp.deletions == 35)
    }

    @Test func dump() throws {
        let r = RuleEngine().analyze(filePatch: try Self.samplePatch())
        for f in r.findings {
            print(f.status, f.ruleID, f.kind, f.function, f.line, f.lines.map { "\($0.role.rawValue) \($0.line) \($0.expression ?? "")" }, f.message)
        }
        for n in r.notes { print("NOTE", n) }
    }
}
