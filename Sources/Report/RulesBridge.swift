// The Rules module's findings as the report builder takes them, and the finding source the CLI
// hands the builder: hunk mode on the patch, or whole functions when a source tree is given.
import Foundation
import Patch
import Rules

public enum RuleFindings {
    /// The builder's view of Rules findings: severity, change, window end, labelled lines and a
    /// sentence listing what happens on which line.
    public static func inputs(_ result: AnalysisResult) -> [FindingInput] {
        let descriptions = Dictionary(RuleEngine.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return result.findings.map { f in
            let d = descriptions[f.ruleID]
            let severity: Severity
            switch f.severity { case .note: severity = .note; case .warning: severity = .warning; case .error: severity = .error }
            let change: FindingChange
            switch f.status { case .introduced: change = .introduced; case .fixed: change = .fixed; case .present, .unknown: change = .present }
            let version: String
            switch f.side { case .old: version = "old"; case .new: version = "new"; case .file: version = "file" }
            let reacquired = f.lines(.reacquired).first
            let locations = f.lines.map { l in
                FindingLocation(file: f.file, line: l.line, label: label(l))
            }
            let explanation = f.lines.isEmpty ? "" :
                f.lines.map { "\($0.role.rawValue) \($0.line)" + ($0.expression.map { " (\($0))" } ?? "") }.joined(separator: "; ") + "."
            return FindingInput(rule: f.ruleID, ruleSummary: d?.summary ?? "", ruleRationale: d?.rationale ?? "",
                                severity: severity, file: f.file, function: f.function, line: f.line,
                                endLine: reacquired.flatMap { $0 > f.line ? $0 : nil }, version: version, change: change,
                                subject: f.subject.isEmpty ? nil : f.subject, message: f.message,
                                explanation: explanation.prefix(1).uppercased() + explanation.dropFirst(),
                                locations: locations)
        }
    }

    /// `released at` → `released`, with the expression: `written kvm->arch.crypto.pqap_hook`.
    static func label(_ l: Finding.Line) -> String {
        var role = l.role.rawValue
        if role.hasSuffix(" at") { role.removeLast(3) }
        return role + (l.expression.map { ": \($0)" } ?? "")
    }

    /// A finding source for `ReportBuilder.findings`. With `tree`, each C file of the patch is read
    /// from the tree: when the patch applies to it (or the tree already has it), whole functions
    /// are analysed; otherwise, and without a tree, the hunks alone are (hunk mode).
    public static func source(engine: RuleEngine, tree: String? = nil) -> @Sendable (Patch) -> RuleOutput {
        return { patch in
            var out = RuleOutput()
            for fp in patch.files {
                var result: AnalysisResult?
                if let tree, fp.change != .added, let content = readTreeFile(tree, fp.oldPath ?? fp.path) {
                    if let patched = try? fp.apply(to: content) {
                        result = engine.analyze(original: content, patched: patched, filePatch: fp)
                    } else if let original = try? fp.reverseApply(to: content) {
                        result = engine.analyze(original: original, patched: content, filePatch: fp)
                    }
                }
                let r = result ?? engine.analyze(filePatch: fp)
                out.findings += inputs(r)
                for n in r.notes {
                    let note = "\(n.file.isEmpty ? fp.path : n.file): \(n.function): \(n.message)"
                    if !out.notes.contains(note) { out.notes.append(note) }
                }
            }
            return out
        }
    }

    /// A file of the tree, refusing paths that leave it and files over 64 MiB.
    static func readTreeFile(_ tree: String, _ path: String) -> String? {
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else { return nil }
        let full = (tree as NSString).appendingPathComponent(path)
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: full),
              let size = attrs[.size] as? Int, size <= 64 << 20,
              let data = FileManager.default.contents(atPath: full) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
