// `review --brief` (issue 16): status, findings and the remarks still open, a line each. A series is
// a heading line with its totals, then one line per patch (its trailers, or what it lacks) and,
// below it, a line per finding the patch introduces or keeps and per remark nobody answered. Plain
// text for `--format text`, CommonMark (a list) for `--format markdown`; the other formats have no
// brief form.
import Foundation

public struct BriefRenderer: Sendable {
    public enum Style: Sendable { case text, markdown }
    public var style: Style
    /// Columns a remark's excerpt line is cut to (the mail's words, with `…` where cut).
    public var width: Int
    /// The rules ran (else "rules not run" instead of a finding count).
    public var rulesRun: Bool

    public init(style: Style, width: Int = 100, rulesRun: Bool = true) {
        self.style = style; self.width = width; self.rulesRun = rulesRun
    }

    public func render(_ report: ReviewReport) -> String {
        var r = self
        r.rulesRun = report.rulesRun
        var out = ""
        for (i, s) in report.series.enumerated() { out += r.series(s, index: i) }
        if report.series.isEmpty { out += r.escape("Nothing to report in \(report.input).") + "\n" }
        return out + end(warnings: report.warnings)
    }

    /// The closing line: how many warnings the full report has.
    public func end(warnings: [String]) -> String {
        guard !warnings.isEmpty else { return "" }
        let n = warnings.count
        return "\n" + "\(n) warning\(n == 1 ? "" : "s") (the full report, without --brief, lists \(n == 1 ? "it" : "them")).\n"
    }

    // MARK: A series

    /// One series (`index` 0 for the first: the others start with a blank line).
    public func series(_ s: SeriesReport, index: Int) -> String {
        var out = index > 0 ? "\n" : ""
        let lone = s.coverLetter == nil && s.patches.count <= 1
        let patches = s.patches
        let title = lone ? (patches.first?.title ?? s.title) : s.title
        var facts: [String] = ["v\(s.version)"]
        if !lone { facts.append("\(patches.count) patch\(patches.count == 1 ? "" : "es")" + (s.total.map { $0 != patches.count ? " of \($0)" : "" } ?? "")) }
        if let a = s.author ?? patches.first?.message.from { facts.append(a.description) }
        let head = title + " (" + facts.joined(separator: ", ") + ")"
        switch style {
        case .text: out += SafeText.oneLine(head) + "\n"
        case .markdown: out += "## " + Markdown.inline(head) + "\n\n"
        }
        out += status(s) + "\n"
        if style == .markdown { out += "\n" }
        // The cover letter's trailers are on every patch ("for the series"); its line is for its open remarks.
        if let c = s.coverLetter, !open(c).isEmpty {
            out += patch(c, lone: false)
        }
        for p in patches { out += patch(p, lone: lone) }
        return out
    }

    /// The series' totals: patches with an ack or review, findings, open remarks and questions.
    func status(_ s: SeriesReport) -> String {
        let all = (s.coverLetter.map { [$0] } ?? []) + s.patches
        let approved = s.patches.filter { p in p.trailers.contains { Self.approves($0.key) && !$0.isConditional } }.count
        var parts: [String] = []
        if s.patches.count == 1 && s.coverLetter == nil {
            parts.append(approved == 1 ? "reviewed or acked" : "no Reviewed-by or Acked-by yet")
        } else {
            parts.append("\(approved) of \(s.patches.count) patches reviewed or acked")
        }
        if all.contains(where: { p in p.trailers.contains { TrailerConditions.nackKeys.contains($0.key.lowercased()) } }) { parts.append("NACKed") }
        let findings = s.patches.flatMap { Self.findings($0) }
        if rulesRun {
            parts.append(findings.isEmpty ? "no rule finding" : "\(findings.count) rule finding\(findings.count == 1 ? "" : "s")")
        } else {
            parts.append("rules not run")
        }
        let openRemarks = all.flatMap(open).count
        parts.append(openRemarks == 0 ? "no remark left open" : "\(openRemarks) remark\(openRemarks == 1 ? "" : "s") open")
        let text = "Status: " + parts.joined(separator: ", ")
        return style == .markdown ? Markdown.inline(text) : text
    }

    static func approves(_ key: String) -> Bool {
        TrailerConditions.approvalKeys.contains(key.lowercased())
    }

    /// The findings a reader acts on: those the patch introduces or keeps.
    static func findings(_ p: PatchReport) -> [FindingReport] { p.openFindings }

    /// Remarks nobody answered.
    func open(_ p: PatchReport) -> [RemarkReport] { p.remarks.filter { $0.answers.isEmpty } }

    // MARK: A patch

    func patch(_ p: PatchReport, lone: Bool) -> String {
        var head: String
        if p.source == .coverLetter {
            let n = p.total.map(String.init) ?? "n"
            head = style == .markdown ? "0/\(n) cover letter" : "[0/\(n)] cover letter"
        } else if lone {
            head = "Patch"
        } else if let i = p.index, let t = p.total {
            head = (style == .markdown ? "\(i)/\(t) " : "[\(i)/\(t)] ") + p.title
        } else {
            head = p.title
        }
        let trailers = Self.trailers(p)
        head += ": " + (trailers.isEmpty ? (p.source == .coverLetter ? "no trailer" : "no Reviewed-by or Acked-by yet") : trailers)
        var items: [String] = []
        for f in Self.findings(p) { items.append(finding(f)) }
        for r in open(p) { items.append(remark(r)) }
        switch style {
        case .text:
            return SafeText.oneLine(head) + "\n" + items.map { "  " + $0 + "\n" }.joined()
        case .markdown:
            return "- " + Markdown.inline(head) + "\n" + items.map { "  - " + $0 + "\n" }.joined()
        }
    }

    /// `Reviewed-by: A, B (conditional); Acked-by: C (for the series)`, keys in the order given.
    static func trailers(_ p: PatchReport) -> String {
        var keys: [String] = []
        var names: [String: [String]] = [:]
        for t in p.trailers {
            if names[t.key] == nil { keys.append(t.key) }
            var who = t.person?.displayName ?? t.value
            var notes: [String] = []
            if t.isConditional { notes.append("conditional") }
            if t.fromCoverLetter { notes.append("for the series") }
            if !notes.isEmpty { who += " (" + notes.joined(separator: ", ") + ")" }
            names[t.key, default: []].append(who)
        }
        return keys.map { $0 + ": " + (names[$0] ?? []).joined(separator: ", ") }.joined(separator: "; ")
    }

    func finding(_ f: FindingReport) -> String {
        let place = f.file + ":" + f.lineRange
        let said = f.remarks.isEmpty ? "not mentioned by a reviewer" : "see " + f.remarks.joined(separator: ", ")
        switch style {
        case .text:
            return SafeText.oneLine("\(f.id) \(f.severity.rawValue) [\(f.rule)] \(place): \(f.message.replacingOccurrences(of: "`", with: "")) (\(said))")
        case .markdown:
            return "**\(f.id)** \(f.severity.rawValue) " + Markdown.code(f.rule) + " " + Markdown.code(place) + ": "
                + Markdown.inlineWithCode(f.message) + " (" + Markdown.inline(said) + ")"
        }
    }

    func remark(_ r: RemarkReport) -> String {
        var place: String
        switch r.target {
        case .line: place = (r.file ?? "?") + (r.line.map { ":\($0)" } ?? "")
        case .patch: place = "on the patch"
        case .prose: place = "in the discussion"
        }
        let who = r.reviewer?.displayName ?? "unknown"
        let lead: String
        switch style {
        case .text: lead = "\(r.id) open, \(SafeText.oneLine(who)), \(SafeText.oneLine(place)): "
        case .markdown: lead = "**\(r.id)** open, " + Markdown.inline(who) + ", " + (r.target == .line ? Markdown.code(place) : place) + ": "
        }
        let room = max(24, width - (style == .text ? 2 : 4) - lead.count - 2)
        let words = Self.excerpt(r.text, room: room)
        switch style {
        case .text: return lead + "\u{201C}" + words + "\u{201D}"
        case .markdown: return lead + "\u{201C}" + Markdown.inline(words) + "\u{201D}"
        }
    }

    /// The remark's first sentence on one line, cut at a word to `room` characters (`…` where cut).
    static func excerpt(_ text: String, room: Int) -> String {
        // Quoted lines a reviewer kept inside the remark are not the remark's words; a greeting
        // ("Hi Baokun,") and code the reviewer suggests are skipped while prose follows.
        var lines = text.split(separator: "\n").filter { !$0.hasPrefix(">") }
        func isGreeting(_ l: Substring) -> Bool {
            let t = l.trimmingCharacters(in: .whitespaces)
            return t.hasSuffix(",") && t.split(separator: " ").count <= 3
        }
        func isCode(_ l: Substring) -> Bool {
            let t = l.trimmingCharacters(in: .whitespaces)
            return l.first == "+" || l.first == "-" || l.first == "\t" || t.hasSuffix(";") || t.hasSuffix("{") || t.hasSuffix("}")
        }
        if let first = lines.firstIndex(where: { !isGreeting($0) && !isCode($0) && !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            lines = Array(lines[first...])
        }
        let flat = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        var sentence = Substring(flat)
        for end in [". ", "? ", "! "] {
            if let r = sentence.range(of: end) { sentence = sentence[..<sentence.index(before: r.upperBound)] }
        }
        var s = SafeText.oneLine(String(sentence))
        let cut = s.count > room || sentence.count < flat.count
        if s.count > room {
            s = String(s.prefix(room - 1))
            if let space = s.lastIndex(of: " "), s.distance(from: s.startIndex, to: space) > room / 2 { s = String(s[..<space]) }
        }
        return cut ? s.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:")) + "\u{2026}" : s
    }

    func escape(_ s: String) -> String { style == .markdown ? Markdown.inline(s) : SafeText.oneLine(s) }
}
