import Testing
@testable import Rules

/// `rule/kind@anchor role line, …` – the whole finding in one comparable string.
func compact(_ f: Finding) -> String {
    let roles = f.lines.map { "\($0.role.rawValue.replacingOccurrences(of: " at", with: "")) \($0.line)" }
    return "\(f.ruleID)/\(f.kind)@\(f.line) \(f.severity.rawValue): " + roles.joined(separator: ", ")
}

struct KernelPatternTests {
    @Test(arguments: patternCases)
    func pattern(_ c: PatternCase) {
        let found = RuleEngine().analyze(source: c.code).findings.map(compact)
        #expect(found == c.expected)
    }

    @Test func atLeastFortyCases() {
        #expect(patternCases.count >= 40)
        #expect(Set(patternCases.map(\.name)).count == patternCases.count)
    }
}
