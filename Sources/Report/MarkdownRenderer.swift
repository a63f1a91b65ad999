import Foundation

/// Renders a `ReviewReport` as CommonMark: what a maintainer pastes into a reply or a tracker, and
/// reads as it is. Text from mail is escaped with backslashes (`Markdown.inline`), shown as code
/// spans, or fenced; no raw HTML and no entity is written. Facts, trailers, files and the
/// timeline are lists whose long items wrap at 100 columns (`Markdown.wrap`); a remark's prose
/// keeps its lines, its column-aligned text is fenced (`Markdown.paragraphs`).
public struct MarkdownRenderer: Sendable {
    /// Lines of quoted code shown above and below a remark's line.
    public var contextLines: Int
    public init(contextLines: Int = 3) { self.contextLines = contextLines }

    public func render(_ report: ReviewReport) -> String {
        var renderer = self
        renderer.rulesRun = report.rulesRun
        return renderer.renderReport(report)
    }

    /// Set from the report being rendered.
    var rulesRun = true

    func renderReport(_ report: ReviewReport) -> String {
        var out = ""
        if report.series.isEmpty {
            out += "# Review summary\n\n"
            out += "No patch or review was found in " + Markdown.code(report.input) + ".\n"
        }
        for (i, s) in report.series.enumerated() {
            if i > 0 { out += "\n---\n\n" }
            out += series(s)
        }
        out += Self.warnings(report.warnings)
        return out
    }

    /// The report's closing `## Warnings` section (nothing when there is no warning).
    public static func warnings(_ warnings: [String]) -> String {
        guard !warnings.isEmpty else { return "" }
        var out = "\n## Warnings\n\n"
        for w in warnings { out += "- " + Markdown.inline(w) + "\n" }
        return out
    }

    // MARK: - series and patches

    func series(_ s: SeriesReport) -> String {
        var out = ""
        let lone = s.coverLetter == nil && s.patches.count <= 1
        if lone, let p = s.patches.first {
            out += patch(p, level: 1)
        } else {
            out += "# " + Markdown.inline(s.title) + "\n\n"
            var facts: [String] = []
            facts.append("**Series:** v\(s.version), \(s.patches.count) patch\(s.patches.count == 1 ? "" : "es")"
                         + (s.total.map { $0 != s.patches.count ? " of \($0) announced" : "" } ?? ""))
            if let a = s.author { facts.append("**Author:** " + Markdown.inline(a.description)) }
            out += facts.map { Markdown.wrap("- " + $0, indent: "  ") }.joined(separator: "\n") + "\n\n"
            if let c = s.coverLetter { out += patch(c, level: 2) }
            for p in s.patches { out += patch(p, level: 2) }
        }
        out += revisionSection(s, level: 2)
        // A patch and one reply: the facts above say it all.
        if s.timeline.count > 2 || !lone { out += timeline(s.timeline, level: 2) }
        return out
    }

    func heading(_ level: Int, _ text: String) -> String {
        String(repeating: "#", count: min(6, max(1, level))) + " " + text + "\n\n"
    }

    func patch(_ p: PatchReport, level: Int) -> String {
        var out = ""
        let position: String
        if p.source == .coverLetter {
            position = "Cover letter: "
        } else if let i = p.index, let t = p.total {
            position = "[\(i)/\(t)] "
        } else {
            position = ""
        }
        out += heading(level, position + Markdown.inline(p.title))
        out += facts(p) + "\n"
        out += status(p, level: level + 1)
        if p.source != .coverLetter { out += files(p, level: level + 1) }
        out += remarks(p, level: level + 1)
        if p.source != .coverLetter { out += findings(p, level: level + 1) }
        out += questions(p, level: level + 1)
        return out
    }

    func facts(_ p: PatchReport) -> String {
        var lines: [String] = []
        var first = "**Version:** v\(p.version)"
        if let i = p.index, let t = p.total { first += " · **Position:** \(i) of \(t)" }
        if p.isRFC { first += " · RFC" }
        lines.append(first)
        lines.append("**Author:** " + (p.message.from.map { Markdown.inline($0.description) } ?? "unknown")
                     + " · **Date:** " + Markdown.inline(Self.date(p.message)))
        var id = "**Message-ID:** " + (p.message.messageID.map { Markdown.code("<" + $0 + ">") } ?? "unknown")
        if let url = p.loreURL { id += " · " + Markdown.link("lore", url: url) }
        lines.append(id)
        if p.source == .quoted {
            lines.append("*The patch mail is not in the input: its content was rebuilt from the quotes of the replies.*")
        }
        let summary = Self.summaryLine(p)
        if !summary.isEmpty { lines.append("**Review:** " + summary) }
        return lines.map { Markdown.wrap("- " + $0, indent: "  ") }.joined(separator: "\n") + "\n"
    }

    static func summaryLine(_ p: PatchReport) -> String {
        var parts: [String] = []
        let acks = Dictionary(grouping: p.trailers, by: \.key)
        for key in acks.keys.sorted() {
            let list = acks[key] ?? []
            let cond = list.filter(\.isConditional).count
            parts.append("\(list.count) \(key)" + (cond > 0 ? " (\(cond) conditional)" : ""))
        }
        if !p.remarks.isEmpty { parts.append("\(p.remarks.count) remark\(p.remarks.count == 1 ? "" : "s")") }
        if !p.findings.isEmpty {
            let unmentioned = p.findings.filter(\.isUnmentioned).count
            parts.append("\(p.findings.count) rule finding\(p.findings.count == 1 ? "" : "s")"
                         + (unmentioned > 0 ? " (\(unmentioned) not mentioned by a reviewer)" : ""))
        }
        let open = p.questions.filter { !$0.isAnswered }.count
        if !p.questions.isEmpty { parts.append("\(p.questions.count) question\(p.questions.count == 1 ? "" : "s"), \(open) without reply") }
        return parts.joined(separator: ", ")
    }

    // MARK: - status

    func status(_ p: PatchReport, level: Int) -> String {
        var out = heading(level, "Status")
        if p.trailers.isEmpty {
            out += "No Acked-by, Reviewed-by, Tested-by or other trailer was given in the thread.\n\n"
            return out
        }
        for t in p.trailers {
            var item = "- **" + Markdown.inline(t.key) + ":** " + Markdown.inline(t.person?.description ?? t.value)
                + ", " + Markdown.inline(Self.date(t.givenIn))
            if let id = t.givenIn.messageID { item += " in " + Markdown.code("<" + id + ">") }
            if t.isConditional {
                item += " · **conditional**" + (t.condition.map { ": “" + Markdown.inline($0) + "”" } ?? "")
            }
            if t.fromCoverLetter { item += " · given on the cover letter" }
            if t.isOnBehalf { item += " · sent by " + Markdown.inline(t.givenIn.from?.description ?? "unknown") }
            out += Markdown.wrap(item, indent: "  ") + "\n"
        }
        return out + "\n"
    }

    // MARK: - files

    func files(_ p: PatchReport, level: Int) -> String {
        var out = heading(level, "The patch")
        if p.files.isEmpty {
            out += "No diff was found.\n\n"
            return out
        }
        for f in p.files {
            var item = "- " + Markdown.code(f.path)
            if let old = f.oldPath, old != f.path { item = "- " + Markdown.code(old) + " → " + Markdown.code(f.path) }
            item += " (" + Markdown.inline(f.isBinary ? "\(f.change), binary" : f.change) + ", +\(f.insertions) -\(f.deletions))"
            if !f.functions.isEmpty { item += ": " + f.functions.map { Markdown.code($0) }.joined(separator: ", ") }
            out += Markdown.wrap(item, indent: "  ") + "\n"
        }
        out += "\n" + Self.diffstat(p) + "\n\n"
        out += Self.analysisSources(p)
        return out
    }

    /// Which content the rules analysed each C file on, in words: whole functions (from a blob or
    /// the tree's file) or hunk mode.
    static func analysisSources(_ p: PatchReport) -> String {
        let analysed = p.files.filter { $0.analysisSource != nil }
        if analysed.isEmpty { return "" }
        var lines: [String] = []
        let bare = analysed.filter { $0.analysisSource == AnalysisSource.hunk.rawValue && ($0.analysisDetail ?? "").isEmpty }
        if !bare.isEmpty {
            lines.append("Rules: hunk mode for " + bare.map { Markdown.code($0.path) }.joined(separator: ", ")
                         + ", only the lines the patch shows (no tree given).")
        }
        for f in analysed where !bare.contains(f) {
            let detail = f.analysisDetail.map { " (" + Markdown.inline($0) + ")" } ?? ""
            if f.analysisSource == AnalysisSource.hunk.rawValue {
                lines.append("Rules: hunk mode for \(Markdown.code(f.path)), only the lines the patch shows\(detail).")
            } else {
                lines.append("Rules: \(Markdown.code(f.path)) analysed on whole functions\(detail).")
            }
        }
        return lines.count == 1 ? Markdown.wrap(lines[0]) + "\n\n" : lines.map { Markdown.wrap("- " + $0, indent: "  ") }.joined(separator: "\n") + "\n\n"
    }

    static func diffstat(_ p: PatchReport) -> String {
        let n = p.files.count
        return "\(n) file\(n == 1 ? "" : "s") changed, \(p.insertions) insertion\(p.insertions == 1 ? "" : "s")(+), "
            + "\(p.deletions) deletion\(p.deletions == 1 ? "" : "s")(-)"
    }

    // MARK: - remarks

    func remarks(_ p: PatchReport, level: Int) -> String {
        var out = heading(level, "Review remarks")
        if p.remarks.isEmpty {
            out += "No reviewer remarks in the thread.\n\n"
            return out
        }
        let general = p.remarks.filter { $0.target != .line }
        let onLines = p.remarks.filter { $0.target == .line }
        if !general.isEmpty {
            out += heading(level + 1, "On the patch as a whole")
            for r in general { out += remark(r, findings: p.findings) }
        }
        var files: [String] = []
        for r in onLines where !files.contains(r.file ?? "") { files.append(r.file ?? "") }
        for f in files {
            out += heading(level + 1, f.isEmpty ? "Unknown file" : Markdown.code(f))
            for r in onLines where (r.file ?? "") == f { out += remark(r, findings: p.findings) }
        }
        return out
    }

    func remark(_ r: RemarkReport, findings: [FindingReport]) -> String {
        var head = "**\(r.id)**"
        if r.target == .line {
            var where_: [String] = []
            if let n = r.newLine { where_.append("new line \(n)") }
            if let o = r.oldLine { where_.append("old line \(o)") }
            if where_.isEmpty { where_.append("line unknown") }
            head += " · " + where_.joined(separator: ", ") + (r.isApproximate ? " (approximate)" : "")
            if let f = r.function { head += " in " + Markdown.code(f) }
        } else if r.target == .prose {
            head += " · in the discussion"
        }
        head += " · " + Markdown.inline(r.reviewer?.description ?? "unknown") + ", " + Markdown.inline(Self.date(r.message))
        var out = Markdown.wrap(head) + "\n\n"
        if !r.code.isEmpty {
            let info = r.code.contains { $0.kind == .added || $0.kind == .removed } ? "diff" : "c"
            out += Markdown.fence(Self.codeLines(r.code), info: info) + "\n"
        }
        // The quoted prose a discussion remark answers; a remark on the patch as a whole keeps its
        // quoted commit message in the JSON only (it is the patch's own text, shown above).
        let context = r.target == .prose ? r.context : []
        if !context.isEmpty {
            var lastAuthor: String?? = .none
            for q in context {
                if lastAuthor != .some(q.author), let a = q.author {
                    out += String(repeating: "> ", count: max(1, q.depth)) + "*" + Markdown.inline(a) + " wrote:*\n"
                }
                lastAuthor = .some(q.author)
                out += Markdown.paragraphs(q.text, quoteDepth: max(1, q.depth))
            }
            out += "\n"
        }
        out += Markdown.paragraphs(r.text, quoteDepth: context.isEmpty ? 1 : 0) + "\n"
        if let note = r.treeNote { out += "*Source tree:* " + Markdown.inlineWithCode(note) + "\n\n" }
        if !r.findings.isEmpty {
            let names = r.findings.map { id -> String in
                if let f = findings.first(where: { $0.id == id }) {
                    return "**\(id)** " + Markdown.code(f.rule) + " (\(f.severity.rawValue), \(f.endLine.map { $0 != f.line } == true ? "lines" : "line") \(f.lineRange))"
                }
                return "**\(Markdown.inline(id))**"
            }
            out += Markdown.wrap("Rule findings: " + names.joined(separator: ", ")) + "\n\n"
        }
        if r.answers.isEmpty {
            out += "Not answered in the thread.\n\n"
        } else {
            for a in r.answers {
                let who = Markdown.inline(a.message.from?.displayName ?? "someone")
                var line = "Answered by " + who + (a.isAuthor ? " (the author)" : "") + ", " + Markdown.inline(Self.date(a.message))
                if !a.excerpt.isEmpty { line += ": “" + Markdown.inline(a.excerpt) + "”" }
                out += Markdown.wrap(line) + "\n\n"
            }
        }
        return out
    }

    /// Code lines as shown in a fence: diff marker, the line number, `=>` on the marked line.
    static func codeLines(_ code: [CodeLine]) -> [String] {
        let width = max(1, code.compactMap(\.shownLine).map { String($0).count }.max() ?? 1)
        return code.map { l in
            let marker: String
            switch l.kind {
            case .added: marker = "+"
            case .removed: marker = "-"
            case .context, .source: marker = " "
            }
            let number = l.shownLine.map { String($0).leftPad(width, " ") } ?? String(repeating: " ", count: width)
            var s = marker + number + (l.isMarked ? " => " : "    ") + l.text
            if let label = l.label, !label.isEmpty { s += "    /* \(label) */" }
            return s
        }
    }

    // MARK: - findings

    func findings(_ p: PatchReport, level: Int) -> String {
        var out = heading(level, "Rule findings")
        if p.findings.isEmpty {
            out += rulesRun ? "The rules found nothing in the code this patch shows.\n\n" : "The rules were not run.\n\n"
            return out
        }
        for f in p.findings {
            var head = "**\(f.id)** " + Markdown.code(f.rule)
            if let fn = f.function { head += " in " + Markdown.code(fn) }
            // The file is named when the patch has more than one.
            head += " · " + (p.files.count == 1 && p.files[0].path == f.file ? "" : Markdown.code(f.file) + " ") + Markdown.inline(f.version) + (f.endLine.map { $0 != f.line } == true ? " lines " : " line ")
                + f.lineRange + " · \(f.severity.rawValue), \(f.change.rawValue)"
            out += Markdown.wrap(head) + "\n\n"
            out += Markdown.wrap(Markdown.inlineWithCode(f.message)) + "\n\n"
            if let k = f.introducedInPatch { out += "Introduced by patch \(k) of the series.\n\n" }
            if let k = f.fixedInPatch { out += "Patch \(k) of the series fixes it.\n\n" }
            // The code block's labels say what the explanation says; without code, say it in words.
            if !f.explanation.isEmpty && f.code.isEmpty { out += Markdown.wrap(Markdown.inlineWithCode(f.explanation)) + "\n\n" }
            if !f.code.isEmpty { out += Markdown.fence(Self.codeLines(f.code), info: "c") + "\n" }
            if f.remarks.isEmpty {
                out += "No reviewer mentioned this.\n\n"
            } else {
                let who = f.remarks.map { id -> String in
                    if let r = p.remarks.first(where: { $0.id == id }) {
                        return "**\(id)** (" + Markdown.inline(r.reviewer?.displayName ?? "unknown")
                            + (r.line.map { ", line \($0)" } ?? "") + ")"
                    }
                    return "**\(Markdown.inline(id))**"
                }
                out += Markdown.wrap("Discussed in " + who.joined(separator: ", ") + ".") + "\n\n"
            }
        }
        return out
    }

    // MARK: - questions

    func questions(_ p: PatchReport, level: Int) -> String {
        guard !p.questions.isEmpty else { return "" }
        var out = heading(level, "Open questions")
        for q in p.questions {
            var line = "- “" + Markdown.inline(q.text) + "” · " + Markdown.inline(q.askedBy?.displayName ?? "unknown")
                + " in **\(q.remark)**"
            if q.repliedBy.isEmpty {
                line += " · no reply yet"
            } else {
                let names = q.repliedBy.map { Markdown.inline($0.message.from?.displayName ?? "someone") + ($0.isAuthor ? " (the author)" : "") }
                line += " · replied to by " + names.joined(separator: ", ")
            }
            out += Markdown.wrap(line, indent: "  ") + "\n"
        }
        return out + "\n"
    }

    // MARK: - timeline

    func timeline(_ entries: [TimelineEntry], level: Int) -> String {
        guard !entries.isEmpty else { return "" }
        var out = heading(level, "Thread timeline")
        for e in entries {
            var what = e.kind.rawValue
            var extras: [String] = []
            if !e.trailers.isEmpty { extras.append(e.trailers.joined(separator: ", ")) }
            if e.remarks > 0 { extras.append("\(e.remarks) remark\(e.remarks == 1 ? "" : "s")") }
            if e.questions > 0 { extras.append("\(e.questions) question\(e.questions == 1 ? "" : "s")") }
            if !extras.isEmpty { what += ": " + extras.joined(separator: ", ") }
            let item = "\(e.number). " + (e.inReplyTo.map { "(to \($0)) " } ?? "") + Markdown.inline(Self.date(e.message)) + ", "
                + Markdown.inline(e.message.from?.displayName ?? "unknown") + ", " + Markdown.inline(what) + ": " + Markdown.inline(e.subject)
            out += Markdown.wrap(item, indent: String(repeating: " ", count: "\(e.number). ".count)) + "\n"
        }
        return out + "\n"
    }

    // MARK: - dates

    static func date(_ m: MessageRef) -> String {
        if let d = m.date { return formatDate(d) }
        if let t = m.dateText { return t }
        return "date unknown"
    }

    /// `2024-03-12 15:40 UTC`.
    static func formatDate(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        func two(_ n: Int?) -> String { String(n ?? 0).leftPad(2) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)) UTC"
    }
}
