// SARIF regions of multi-line findings: the snippet holds the whole region (startLine through
// endLine), or is left out when the finding's code does not show all of it; findings outside a
// review (`lkml-review check`) as a SARIF log; every log valid against the official schema.
import Foundation
import Report
import Testing
import TestSupport

@Suite struct SARIFRegionTests {
    static func finding(line: Int, endLine: Int?, code: [Int]) -> FindingReport {
        FindingReport(id: "F1", rule: "lock-window", severity: .warning, file: "drivers/x.c", function: "f", line: line,
                      endLine: endLine, change: .introduced, message: "m",
                      code: code.map { CodeLine(kind: .context, oldLine: nil, newLine: $0, text: "line \($0)", isMarked: $0 == line) })
    }

    static func region(_ f: FindingReport) throws -> SARIFLog.Region {
        let log = SARIFRenderer().log(findings: [f])
        return try #require(log.runs.first?.results.first?.locations.first?.physicalLocation.region)
    }

    @Test func aMultiLineRegionCarriesEveryLineInItsSnippet() throws {
        let r = try Self.region(Self.finding(line: 8, endLine: 10, code: [7, 8, 9, 10, 11]))
        #expect(r.startLine == 8)
        #expect(r.endLine == 10)
        #expect(r.snippet?.text == "line 8\nline 9\nline 10")
        // one line: that line
        #expect(try Self.region(Self.finding(line: 8, endLine: nil, code: [7, 8])).snippet?.text == "line 8")
        // a window whose middle is not shown: no snippet, rather than one that is not the region
        let gap = try Self.region(Self.finding(line: 8, endLine: 30, code: [8, 9, 29, 30]))
        #expect(gap.endLine == 30)
        #expect(gap.snippet == nil)
    }

    @Test func checkFindingsAsALogAreValid() throws {
        let findings = [Self.finding(line: 8, endLine: 10, code: [8, 9, 10]),
                        Self.finding(line: 20, endLine: nil, code: [20])]
        let text = try SARIFRenderer().render(findings: findings)
        #expect(SARIFSchema.allProblems(Data(text.utf8)) == [])
        let log = SARIFRenderer().log(findings: findings)
        let results = try #require(log.runs.first?.results)
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.kind == nil && $0.level == "warning" && $0.properties?.patch == nil })
        #expect(log.runs.first?.tool.driver.rules.map(\.id) == ["lock-window"])
    }

    @Test func theValidatorsRefuseWhatTheSpecificationForbids() throws {
        // no tool, a region starting at line 0: the schema says no (when a validator is installed)
        let bad = Data(#"{"version": "2.1.0", "runs": [{"results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}"#.utf8)
        if let problems = SARIFSchema.problems(bad) {
            #expect(problems.contains { $0.contains("'tool' is a required property") }, "\(problems)")
            #expect(problems.contains { $0.contains("startLine") }, "\(problems)")
        }
        // an informational result with level note: valid for the schema, not for SARIF 3.27.9
        let noted = Data(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"kind": "informational", "level": "note", "message": {"text": "m"}}, {"kind": "pass", "message": {"text": "m"}}, {"level": "none", "message": {"text": "m"}}]}]}"#.utf8)
        #expect(SARIFSchema.problems(noted) ?? [] == [])
        #expect(SARIFSchema.kindLevelProblems(noted) == ["runs/0/results/0: kind informational with level note"])
    }
}
