import Foundation
import Testing
import Mailbox
import Patch
@testable import Rules

/// Runs the rules over every patch mail in `../shared/corpus/lists/` (hunk mode) and reports
/// findings per 1,000 patches by rule. Slow in debug: runs when `RULES_CORPUS=1` is set, and
/// writes the findings to `$RULES_CORPUS_OUT` (default /tmp/rules-corpus.txt) for reading.
struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/lists")

    /// Inputs per list: its `all.mbox`, or its thread and message files when it has none.
    static func inputs() -> [String] {
        let fm = FileManager.default
        guard let lists = try? fm.contentsOfDirectory(atPath: corpus.path) else { return [] }
        var out: [String] = []
        for l in lists.sorted() {
            let dir = corpus.appendingPathComponent(l)
            let all = dir.appendingPathComponent("all.mbox").path
            if fm.fileExists(atPath: all) { out.append(all); continue }
            for sub in ["threads", "inline-reviews", "encodings"] {
                let d = dir.appendingPathComponent(sub)
                for f in ((try? fm.contentsOfDirectory(atPath: d.path)) ?? []).sorted() where f.hasSuffix(".mbox") || f.hasSuffix(".eml") {
                    out.append(d.appendingPathComponent(f).path)
                }
            }
        }
        return out
    }

    @Test func corpusRun() throws {
        guard ProcessInfo.processInfo.environment["RULES_CORPUS"] == "1" else {
            print("CorpusTests: skipped (set RULES_CORPUS=1 to run the rules over the corpus)")
            return
        }
        let inputs = Self.inputs()
        guard !inputs.isEmpty else { print("CorpusTests: skipped, no corpus at \(Self.corpus.path)"); return }
        let engine = RuleEngine()
        var patches = 0
        var seenIDs: Set<String> = []
        var byRule: [String: Int] = [:]
        var report = ""
        let start = ContinuousClock.now
        for path in inputs {
            _ = try MailReader.forEach(path: path) { m in
                guard !m.subjectInfo.isReply, PatchParser.containsDiff(m.body) else { return }
                if let id = m.messageID, !seenIDs.insert(id).inserted { return }
                let p = PatchParser.parse(m.body)
                guard p.files.contains(where: { HunkFunctions.isC($0.path) }) else { return }
                patches += 1
                let r = engine.analyze(patch: p)
                for f in r.findings where f.status == .introduced {
                    byRule["\(f.ruleID)/\(f.kind)/\(f.severity.rawValue)", default: 0] += 1
                    report += "=== \(m.subject) <\(m.messageID ?? "?")>\n\(f.file):\(f.line) \(f.severity.rawValue) \(f.ruleID)/\(f.kind) \(f.function): \(f.message)\n"
                    report += f.lines.map { "    \($0.role.rawValue) \($0.line) \($0.expression ?? "")" }.joined(separator: "\n") + "\n"
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        var summary = "patches with C files: \(patches), time \(elapsed)\n"
        for (k, v) in byRule.sorted(by: { $0.key < $1.key }) {
            summary += String(format: "%@: %d (%.1f per 1,000 patches)\n", k, v, Double(v) * 1000 / Double(max(1, patches)))
        }
        print(summary)
        let out = ProcessInfo.processInfo.environment["RULES_CORPUS_OUT"] ?? "/tmp/rules-corpus.txt"
        try (summary + "\n" + report).write(toFile: out, atomically: true, encoding: .utf8)
        #expect(patches > 100)
    }
}
