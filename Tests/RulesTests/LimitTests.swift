// RuleLimits: each bound on one function's work gives a note naming the function and the limit,
// and leaves the other functions of the file analysed as usual.
import Testing
@testable import Rules

struct RuleLimitTests {
    /// A function with a real finding (a lock taken and not released on the error path) next to
    /// a large function that only the limits under test stop.
    static func source(bigStatements: Int) -> String {
        var big = "static void big(struct foo *f)\n{\n"
        for i in 0..<bigStatements { big += "\tif (f->a\(i % 7))\n\t\tf->b\(i % 5) = \(i);\n" }
        big += "}\n"
        let small = """
            static int small(struct foo *f)
            {
            \tmutex_lock(&f->lock);
            \tif (f->broken)
            \t\treturn -EIO;
            \tmutex_unlock(&f->lock);
            \treturn 0;
            }

            """
        return small + big
    }

    static func smallFindings(_ r: AnalysisResult) -> [String] {
        r.findings.filter { $0.function == "small" }.map { "\($0.ruleID)/\($0.kind)" }.sorted()
    }

    @Test func defaultsAnalyseEverything() {
        let r = RuleEngine().analyze(source: Self.source(bigStatements: 3))
        #expect(r.notes.isEmpty, "\(r.notes)")
        #expect(Self.smallFindings(r) == ["lock-balance/held-at-return"])
        #expect(r.functions == ["small", "big"])
    }

    @Test func tokenLimitSkipsOnlyTheLargeFunction() {
        var limits = RuleLimits()
        limits.maxFunctionTokens = 100
        let r = RuleEngine(limits: limits).analyze(source: Self.source(bigStatements: 40))
        #expect(r.notes.map(\.function) == ["big"])
        #expect(r.notes.first?.message.hasSuffix("tokens, more than the limit of 100 per function: not analysed") == true)
        #expect(Self.smallFindings(r) == ["lock-balance/held-at-return"], "the small function is still analysed")
        #expect(r.functions == ["small", "big"], "a skipped function is still listed")
    }

    @Test func pathStepLimitIsReportedPerFunction() {
        var limits = RuleLimits()
        limits.maxPathSteps = 30
        let r = RuleEngine(limits: limits).analyze(source: Self.source(bigStatements: 40))
        #expect(r.notes.map(\.function) == ["big"])
        #expect(r.notes.first?.message == "path budget of 30 steps reached")
        #expect(Self.smallFindings(r) == ["lock-balance/held-at-return"])
    }

    @Test func stateLimitMergesPaths() {
        var limits = RuleLimits()
        limits.maxStatesPerPoint = 1
        let r = RuleEngine(limits: limits).analyze(source: Self.source(bigStatements: 4))
        #expect(r.notes.contains { $0.function == "big" && $0.message.contains("more than 1 distinct states at one point") })
    }

    @Test func hunkModeHonoursTheLimits() {
        var limits = RuleLimits()
        limits.maxFunctionTokens = 100
        let fp = PatchText.adding(Self.source(bigStatements: 40))
        let r = RuleEngine(limits: limits).analyze(filePatch: fp)
        #expect(r.notes.map(\.function) == ["big"])
        #expect(r.findings.contains { $0.function == "small" && $0.status == .introduced })
    }
}
