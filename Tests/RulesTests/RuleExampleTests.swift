import Foundation
import Testing
import Patch
@testable import Rules

/// Every rule's own examples: triggering ones report exactly their `↓` lines, non-triggering ones
/// nothing; a triggering example inside a comment reports nothing; as an all-new file in hunk mode
/// it reports the same lines, introduced.
struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var example: RuleExample
        var triggering: Bool
        var testDescription: String { "\(rule) \(triggering ? "triggering" : "non-triggering") @\(example.line)" }
    }

    static let cases: [Case] = RuleCatalog.descriptions.flatMap { d in
        d.triggering.map { Case(rule: d.id, example: $0, triggering: true) }
            + d.nonTriggering.map { Case(rule: d.id, example: $0, triggering: false) }
    }

    static func anchors(_ findings: [Finding], rule: String) -> [Int] {
        Array(Set(findings.filter { $0.ruleID == rule }.map(\.line))).sorted()
    }

    @Test(arguments: cases)
    func example(_ c: Case) {
        let (code, marked) = c.example.stripped
        let found = Self.anchors(RuleEngine().analyze(source: code).findings, rule: c.rule)
        let loc = SourceLocation(fileID: "Rules/\(c.rule)", filePath: c.example.file, line: c.example.line, column: 1)
        #expect(found == (c.triggering ? marked : []), sourceLocation: loc)
        if c.triggering { #expect(!marked.isEmpty, sourceLocation: loc) }
    }

    @Test(arguments: cases.filter(\.triggering))
    func commentedOutStopsTriggering(_ c: Case) {
        let (code, _) = c.example.stripped
        let found = RuleEngine().analyze(source: "/*\n" + code + "\n*/").findings
        #expect(found.isEmpty)
    }

    @Test(arguments: cases.filter(\.triggering))
    func asNewFileInHunkModeIsIntroduced(_ c: Case) {
        let (code, marked) = c.example.stripped
        let fp = PatchText.adding(code)
        #expect(fp.change == .added && fp.path == "x.c")
        #expect(fp.hunks.first?.lines.compactMap(\.newLine) == Array(1...code.split(separator: "\n", omittingEmptySubsequences: false).count))
        let r = RuleEngine().analyze(filePatch: fp)
        #expect(Self.anchors(r.findings, rule: c.rule) == marked)
        #expect(r.findings.allSatisfy { $0.status == .introduced })
    }

    @Test func everyRuleFileIsRegistered() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Rules")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix("Rule.swift") && $0 != "Rule.swift" }.sorted()
        let registered = RuleCatalog.rules.map { "\(type(of: $0)).swift" }.sorted()
        #expect(files == registered)
        #expect(Set(RuleCatalog.descriptions.map(\.id)).count == RuleCatalog.rules.count)
    }
}
