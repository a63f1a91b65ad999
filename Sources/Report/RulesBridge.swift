// The Rules module's findings as the report builder takes them, and the finding source the CLI
// hands the builder: whole functions when `TreeSource` finds a file's pre-image, else hunk mode.
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

    /// Findings outside a review (`lkml-review check`) as report findings, `F1`, `F2` … in order,
    /// each with the code lines of its region (`line` through `endLine`, at most 200) that
    /// `lineText(file, version, line)` knows (`version`: `file`, `old` or `new`).
    public static func reports(_ result: AnalysisResult,
                               lineText: (_ file: String, _ version: String, _ line: Int) -> String?) -> [FindingReport] {
        inputs(result).enumerated().map { k, f in
            var out = FindingReport(id: "F\(k + 1)", rule: f.rule, ruleSummary: f.ruleSummary, ruleRationale: f.ruleRationale,
                                    severity: f.severity, file: f.file, function: f.function, line: f.line, endLine: f.endLine,
                                    version: f.version, change: f.change, subject: f.subject, message: f.message,
                                    explanation: f.explanation, locations: f.locations)
            let end = min(max(f.line, f.endLine ?? f.line), f.line + 199)
            for n in f.line...end {
                guard let text = lineText(f.file, f.version, n) else { continue }
                let kind: CodeLine.Kind = f.version == "file" ? .source : .context
                out.code.append(CodeLine(kind: kind, oldLine: f.version == "old" ? n : nil, newLine: f.version == "old" ? nil : n,
                                         text: text, isMarked: n == f.line))
            }
            return out
        }
    }

    /// `released at` → `released`, with the expression: `written kvm->arch.crypto.pqap_hook`.
    static func label(_ l: Finding.Line) -> String {
        var role = l.role.rawValue
        if role.hasSuffix(" at") { role.removeLast(3) }
        return role + (l.expression.map { ": \($0)" } ?? "")
    }

    /// A finding source for `ReportBuilder.findings`. With `tree`, each C file of the patch is
    /// analysed on whole functions when `TreeSource` finds its pre-image (blob, tree file, reversed
    /// tree file); otherwise, and without a tree, on the hunks alone (hunk mode).
    public static func source(engine: RuleEngine, tree: String? = nil) -> @Sendable (Patch) -> RuleOutput {
        let trees = TreeSource(root: tree)
        return { patch in analyze(patch, context: RuleContext(), engine: engine, trees: trees) }
    }

    /// A finding source for `ReportBuilder.seriesFindings`: like `source`, and the patches of a
    /// series are analysed in order (patch N on the content patches 1..N-1 left). One per review.
    public static func seriesSource(engine: RuleEngine, trees: TreeSource) -> @Sendable (Patch, RuleContext) -> RuleOutput {
        return { patch, context in analyze(patch, context: context, engine: engine, trees: trees) }
    }

    static func analyze(_ patch: Patch, context: RuleContext, engine: RuleEngine, trees: TreeSource) -> RuleOutput {
        var out = RuleOutput()
        for fp in patch.files {
            guard isC(fp.path), !fp.isBinary else { continue }
            let r: AnalysisResult
            switch trees.resolve(fp, series: context.series, index: context.index, baseCommit: context.baseCommit) {
            case .whole(let w):
                r = engine.analyze(original: w.original, patched: w.patched, filePatch: fp, offsets: w.offsets)
                out.files.append(FileAnalysis(path: fp.path, source: w.source.rawValue, detail: w.detail))
            case .hunk(let reason):
                r = engine.analyze(filePatch: fp)
                let detail = reason ?? (fp.change == .added ? "the patch adds the file: its hunks show it whole" : "")
                out.files.append(FileAnalysis(path: fp.path, source: AnalysisSource.hunk.rawValue, detail: detail))
                if let reason {
                    let note = "\(fp.path): \(reason); hunk mode"
                    if !out.notes.contains(note) { out.notes.append(note) }
                }
            }
            out.findings += inputs(r)
            for n in r.notes {
                let note = "\(n.file.isEmpty ? fp.path : n.file): \(n.function): \(n.message)"
                if !out.notes.contains(note) { out.notes.append(note) }
            }
        }
        return out
    }

    /// The files the rules read (C sources and headers).
    static func isC(_ path: String) -> Bool { path.hasSuffix(".c") || path.hasSuffix(".h") }
}
