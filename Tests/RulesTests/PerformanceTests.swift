import Foundation
import Testing
@testable import Rules

struct PerformanceTests {
    /// A 10,000-line C file made of the pattern cases with distinct function names.
    static func bigFile(lines: Int = 10_000) -> String {
        var out: [String] = []
        var i = 0
        while out.count < lines {
            let c = patternCases[i % patternCases.count]
            var code = c.code
            // Rename every function defined in the case so names stay unique.
            for f in FunctionFinder.functions(in: CLexer.tokenize(c.code)) {
                code = code.replacingOccurrences(of: f.name + "(", with: "\(f.name)_\(i)(")
            }
            out += code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            out.append("")
            i += 1
        }
        return out.joined(separator: "\n")
    }

    @Test func tenThousandLineFile() {
        let src = Self.bigFile()
        let lineCount = src.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lineCount >= 10_000)
        let start = ContinuousClock.now
        let r = RuleEngine().analyze(source: src)
        let elapsed = ContinuousClock.now - start
        print("RulesPerformance: \(lineCount) lines, \(r.functions.count) functions, \(r.findings.count) findings in \(elapsed)")
        #expect(r.functions.count > 600)
        #if DEBUG
        #expect(elapsed < .seconds(20))
        #else
        #expect(elapsed < .milliseconds(500))
        #endif
    }
}
