// Fuzz harness of the Rules module, and the test that replays the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of RulesTests, and into the libFuzzer target
// `fuzz-rules` of `Fuzz/` (linked as its Harness.swift, built with `-D FUZZING`), so a regression
// input is replayed through exactly the code the fuzzer ran. Inputs: `Fuzz/Regressions/rules/`.

import Patch
import Rules

enum RulesFuzzHarness {
    static let engine = RuleEngine()

    /// The C lexer, function finding, CFG building and path analysis. The input is C source
    /// (whole-file mode); when it holds a diff, the patch is analysed in hunk mode as well; with a
    /// NUL byte it is `original NUL patch`, and the first file patch that applies to the original
    /// gives tree mode (as `check --patch --tree` does: each file of the tree once).
    static func rules(_ data: [UInt8]) {
        let nul = data.firstIndex(of: 0)
        let source = String(decoding: nul.map { data[..<$0] } ?? data[...], as: UTF8.self)

        let tokens = CLexer.tokenize(source)
        var previous = 0
        for t in tokens {
            precondition(t.line >= 1 && t.endLine >= t.line, "token lines \(t.line)...\(t.endLine)")
            precondition(t.line >= previous, "token lines go back: \(t.line) after \(previous)")
            previous = t.line
        }
        _ = CLexer.tokenize(source, options: CLexer.Options(startsInComment: true, firstLine: 100, resolveConditionals: false))
        _ = CLexer.startsInsideComment(source)
        check(engine.analyze(source: source, path: "fuzz.c"))

        if let nul {
            let patch = PatchParser.parse(Array(data[(nul + 1)...]))
            var treeDone = false
            for fp in patch.files.prefix(4) {
                if !treeDone, let patched = try? fp.apply(to: source) {
                    check(engine.analyze(original: source, patched: patched, filePatch: fp))
                    treeDone = true
                }
                check(engine.analyze(filePatch: fp))
            }
        } else if PatchParser.containsDiff(data) {
            check(engine.analyze(patch: PatchParser.parse(data)))
        }
    }

    static func check(_ result: AnalysisResult) {
        for f in result.findings {
            precondition(f.line >= 0, "finding at line \(f.line)")
            precondition(!f.ruleID.isEmpty, "finding without a rule")
        }
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct RulesFuzzReplayTests {
    @Test func replayRules() {
        FuzzReplay.replay("rules", RulesFuzzHarness.rules)
    }
}
#endif
