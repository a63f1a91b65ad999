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

    /// A callee that re-takes the lock on two paths: its summary names the first re-acquisition.
    /// Which of the two it kept once followed the iteration order of a `Set`, which differs per
    /// function and per process; 24 such pairs in one file all agree only if the choice is by
    /// line (one pattern case alone would pass half the time with that bug).
    @Test func calleeSummaryIsTheSameEveryRun() {
        var code = ""
        var expected: [String] = []
        for i in 0..<24 {
            let base = code.split(separator: "\n", omittingEmptySubsequences: false).count
            code += """
                static void helper_\(i)(struct foo *f)
                {
                \tmutex_unlock(&f->lock);
                \tif (f->fast) {
                \t\tmutex_lock(&f->lock);
                \t\treturn;
                \t}
                \tfoo_wait(f);
                \tmutex_lock(&f->lock);
                }

                static void caller_\(i)(struct foo *g)
                {
                \tmutex_lock(&g->lock);
                \thelper_\(i)(g);
                \tmutex_unlock(&g->lock);
                }

                """
            expected.append("caller_\(i): released in callee \(base + 2), re-acquired in callee \(base + 4)")
        }
        let windows = RuleEngine().analyze(source: code).findings.filter { $0.kind == "callee-window" }
        let got = windows.map { w in
            "\(w.function): " + w.lines.filter { $0.role == .calleeReleased || $0.role == .calleeReacquired }
                .map { "\($0.role.rawValue.replacingOccurrences(of: " at", with: "")) \($0.line)" }.joined(separator: ", ")
        }
        #expect(got == expected)
    }

    @Test func atLeastFortyCases() {
        #expect(patternCases.count >= 40)
        #expect(Set(patternCases.map(\.name)).count == patternCases.count)
    }
}
