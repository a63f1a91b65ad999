// The "Revisions" part of each renderer: on a series with a next revision in the input, what became
// of its remarks and findings in vN+1 (with the old and new lines side by side), the trailers
// carried to unchanged patches, the interdiffs when asked; on a series with a previous revision, a
// pointer back.

extension MarkdownRenderer {
    /// The series' revision facts and, with a next revision, the `Revisions` section.
    func revisionSection(_ s: SeriesReport, level: Int) -> String {
        guard let rev = s.revision else { return "" }
        var out = ""
        if let p = rev.previous, rev.next == nil {
            out += heading(level, "Revisions")
            out += "Revision v\(s.version) of a series of \(rev.versions.count) revisions in the input ("
                + rev.versions.map { "v\($0)" }.joined(separator: ", ") + ", matched by " + rev.matchedBy + "): "
                + "what became of the v\(p.version) remarks is told with v\(p.version)"
                + (p.messageID.map { " (" + Markdown.code("<" + $0 + ">") + ")" } ?? "") + ".\n\n"
            return out
        }
        guard let next = rev.next else { return "" }
        out += heading(level, "Revisions: v\(s.version) → v\(next.version)")
        out += "Revisions in the input: " + rev.versions.map { "v\($0)" }.joined(separator: ", ")
            + " (matched by " + rev.matchedBy + (rev.changeID.map { " " + Markdown.code($0) } ?? "") + ")."
        out += " The v\(s.version) remarks and findings followed into v\(next.version)"
            + (next.messageID.map { " (" + Markdown.code("<" + $0 + ">") + ")" } ?? "") + ".\n\n"
        if !rev.remarkCounts.isEmpty {
            out += "Remarks: " + RemarkRevision.Status.allCases.compactMap { st in
                rev.remarkCounts[st.rawValue].map { "\($0) \(st.rawValue)" }
            }.joined(separator: ", ") + ".  \n"
        }
        if !rev.findingCounts.isEmpty {
            out += "Findings: " + ["fixed", "still-present"].compactMap { k in rev.findingCounts[k].map { "\($0) \(k)" } }.joined(separator: ", ") + ".  \n"
        }
        var rows: [[String]] = rev.patches.map { p in
            let old = (p.index.map { "\($0). " } ?? "") + Markdown.cell(p.title)
            let new = p.nextTitle.map { t in (p.nextIndex.map { "\($0). " } ?? "") + Markdown.cell(t) } ?? "*not in v\(next.version)*"
            return [old, new, p.matchedBy ?? "", p.nextTitle == nil ? "" : p.unchanged ? "unchanged" : "changed"]
        }
        rows += rev.addedInNext.map { ["*new*", Markdown.cell($0), "", ""] }
        out += "\n" + Markdown.table(["v\(s.version)", "v\(next.version)", "matched by", "patch-id"], rows) + "\n"
        // Remarks, per patch.
        let patches = (s.coverLetter.map { [$0] } ?? []) + s.patches
        for p in patches where p.remarks.contains(where: { $0.revision != nil }) {
            out += heading(level + 1, (p.source == .coverLetter ? "Cover letter" : (p.index.map { "[\($0)/\(p.total ?? $0)] " } ?? "") + Markdown.inline(p.title)))
            for r in p.remarks {
                guard let rr = r.revision else { continue }
                var line = "- **\(r.id)** " + Markdown.inline(r.reviewer?.displayName ?? "unknown")
                if let f = r.file { line += " on " + Markdown.code(f + (r.line.map { ":\($0)" } ?? "")) }
                line += ": **" + rr.status.rawValue + "** — " + Markdown.inlineWithCode(rr.detail)
                if let c = rr.changelog { line += " (“" + Markdown.inline(SafeText.truncated(c, 160)) + "”)" }
                out += line + "\n"
                if let a = rr.answer {
                    out += "  - the author replied: “" + Markdown.inline(SafeText.truncated(a.excerpt, 200)) + "”\n"
                }
                if !rr.oldLines.isEmpty || !rr.newLines.isEmpty {
                    var lines = ["v\(s.version):"] + Self.codeLines(rr.oldLines)
                    lines += ["v\(rr.nextVersion):"] + (rr.newLines.isEmpty ? ["(not shown)"] : Self.codeLines(rr.newLines))
                    out += "\n" + Markdown.fence(lines, info: "diff").split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n") + "\n"
                }
            }
            out += "\n"
        }
        // Findings.
        let found = s.patches.flatMap { p in p.findings.filter { $0.revision != nil }.map { (p, $0) } }
        if !found.isEmpty {
            out += heading(level + 1, "Rule findings in v\(next.version)")
            for (_, f) in found {
                guard let fr = f.revision else { continue }
                out += "- **\(f.id)** " + Markdown.code(f.rule) + " in " + Markdown.code(f.file + ":\(f.line)")
                    + (f.function.map { " (" + Markdown.code($0) + ")" } ?? "") + ": **" + fr.status.rawValue + "**"
                    + (fr.otherLine.map { " (line \($0) in v\(fr.otherVersion))" } ?? "") + "\n"
            }
            out += "\n"
        }
        // Trailers carried and interdiffs.
        for p in rev.patches where !p.carriedTrailers.isEmpty {
            out += "Trailers carried to v\(next.version) " + (p.nextIndex.map { "[\($0)] " } ?? "") + Markdown.inline(p.nextTitle ?? p.title)
                + " (same patch-id " + Markdown.code(String((p.patchID ?? "").prefix(12))) + "):\n\n"
            for t in p.carriedTrailers { out += "- " + Markdown.inline(t.key + ": " + t.value) + (t.isConditional ? " (conditional)" : "") + "\n" }
            out += "\n"
        }
        for p in rev.patches {
            guard let d = p.interdiff else { continue }
            out += heading(level + 1, "Interdiff " + (p.index.map { "[\($0)] " } ?? "") + Markdown.inline(p.title) + " v\(s.version) → v\(next.version)")
            out += d.isEmpty ? "No difference in the diff lines.\n\n" : Markdown.fence(d, info: "diff") + "\n"
        }
        return out
    }
}

extension TextRenderer {
    /// `file:line: note: [revision] …` lines for the remarks and findings followed into vN+1.
    func revisionLines(_ s: SeriesReport) -> String {
        guard let next = s.revision?.next else { return "" }
        var out = ""
        for p in s.patches {
            for r in p.remarks {
                guard let rr = r.revision, let file = r.file, let n = r.line else { continue }
                let who = r.reviewer?.displayName ?? "unknown"
                out += line(file, n, "note", "[revision]", "v\(s.version) remark \(r.id) by \(who): \(rr.status.rawValue) in v\(next.version) (\(rr.detail))")
            }
            for f in p.findings {
                guard let fr = f.revision else { continue }
                out += line(f.file, f.line, "note", "[revision]", "[\(f.rule)] \(fr.status.rawValue) in v\(fr.otherVersion)")
            }
        }
        return out
    }
}

extension SARIFRenderer {
    /// SARIF 2.1.0 `baselineState` (3.27.24) of a finding followed across revisions: `new` (vN+1
    /// only), `unchanged` (both), `absent` (vN only: fixed in vN+1).
    static func baselineState(_ f: FindingReport) -> String? {
        guard let r = f.revision else { return nil }
        switch r.status {
        case .new: return "new"
        case .stillPresent: return "unchanged"
        case .fixed: return "absent"
        }
    }
}
