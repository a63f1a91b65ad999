// From a thread (messages, the patches in them, the Review analysis of each reply and the Rules
// findings on each patch) to the report model: what is said about which patch, by whom, on which
// line, and what the rules found there.
import Foundation
import Mailbox
import Patch
import Review

/// A rule finding handed to the builder (the Rules module's findings are mapped onto it).
public struct FindingInput: Sendable, Hashable {
    public var rule: String
    public var ruleSummary: String
    public var ruleRationale: String
    public var severity: Severity
    public var file: String
    public var function: String?
    public var line: Int
    public var endLine: Int?
    /// `new` (post-image numbers), `old` (pre-image) or `file` (a whole file).
    public var version: String
    public var change: FindingChange
    public var subject: String?
    public var message: String
    public var explanation: String
    public var locations: [FindingLocation]
    public init(rule: String, ruleSummary: String = "", ruleRationale: String = "", severity: Severity, file: String,
                function: String?, line: Int, endLine: Int? = nil, version: String = "new", change: FindingChange,
                subject: String? = nil, message: String, explanation: String = "", locations: [FindingLocation] = []) {
        self.rule = rule; self.ruleSummary = ruleSummary; self.ruleRationale = ruleRationale; self.severity = severity
        self.file = file; self.function = function; self.line = line; self.endLine = endLine; self.version = version
        self.change = change; self.subject = subject; self.message = message; self.explanation = explanation
        self.locations = locations
    }
}

/// What a rule run on one patch hands the builder: its findings, and notes on functions whose
/// analysis a limit cut short (shown as report warnings, since fewer findings than usual may follow).
public struct RuleOutput: Sendable, Hashable {
    public var findings: [FindingInput]
    public var notes: [String]
    /// Per file analysed, which content the analysis used (`FileReport.analysisSource`).
    public var files: [FileAnalysis]
    public init(findings: [FindingInput] = [], notes: [String] = [], files: [FileAnalysis] = []) {
        self.findings = findings; self.notes = notes; self.files = files
    }
}

/// Which content the rules analysed one file on: `blob`, `tree`, `tree-reversed` or `hunk`
/// (`AnalysisSource`), and where it came from in words.
public struct FileAnalysis: Sendable, Hashable {
    public var path: String
    public var source: String
    /// `pre-image blob 46bb2e4 from the tree`; for hunk mode, why (or empty without a tree).
    public var detail: String
    public init(path: String, source: String, detail: String) { self.path = path; self.source = source; self.detail = detail }
}

/// Where a patch sits, for a rule source that analyses a series in order.
public struct RuleContext: Sendable, Hashable {
    /// The series (its position in the input); nil for a patch rebuilt from a reply's quotes.
    public var series: Int?
    /// `k` of `k/n`.
    public var index: Int?
    /// `base-commit:` of the patch mail or of its series (cover letter first).
    public var baseCommit: String?
    public init(series: Int? = nil, index: Int? = nil, baseCommit: String? = nil) {
        self.series = series; self.index = index; self.baseCommit = baseCommit
    }
}

/// Options of the builder.
public struct ReportOptions: Sendable {
    /// Quoted code lines shown above a remark's line (and up to 2 below).
    public var contextLines: Int = 4
    /// A finding and a remark in the same file but not (known to be) in the same function are
    /// linked when their lines are at most this far apart.
    public var linkDistance: Int = 10
    /// Base of lore links, or a mask with `%s` for the escaped message-id (b4's `b4.linkmask`).
    public var loreBase: String = "https://lore.kernel.org/all/"
    /// The most code lines a finding shows.
    public var findingCodeLines: Int = 16
    /// The most replies reviewed for one patch (thread order); later ones are left out with a
    /// warning. Bounds the work of a hostile or runaway thread (answers are looked up among all
    /// replies of a patch).
    public var maxThreadMessages: Int = 10_000
    public init() {}
}

/// Builds a `ReviewReport` from a `ThreadSet`.
///
///     var builder = ReportBuilder()
///     builder.findings = { patch in RuleOutput(findings: myRuleEngine(patch)) }
///     let report = builder.build(input: "thread.mbox", threads: ThreadSet(messages: messages))
public struct ReportBuilder: Sendable {
    public var options: ReportOptions
    /// Rule findings for a patch (hunk mode, or with a tree); nil runs no rules.
    public var findings: (@Sendable (Patch) -> RuleOutput)?
    /// Rule findings for a patch with its place in its series (used instead of `findings` when
    /// set): the series' patches come in order, so a source can analyse patch N on the content
    /// patches 1..N-1 left.
    public var seriesFindings: (@Sendable (Patch, RuleContext) -> RuleOutput)?
    /// A kernel source checkout: each remark's attribution is checked against the real file.
    public var treeRoot: String?
    /// Series revisions in the input followed into each other (Revisions.swift).
    public var revisions = RevisionOptions()

    public init(options: ReportOptions = ReportOptions(), findings: (@Sendable (Patch) -> RuleOutput)? = nil) {
        self.options = options; self.findings = findings
    }

    /// The parse warnings that say a reading limit cut a message: the report warns about each.
    public static let readingLimitCodes: Set<ParseWarning.Code> = [.truncated, .messageTooLarge, .tooManyHeaders, .headerTooLong,
                                                                   .mimeTooDeep, .tooManyParts]

    public func build(input: String, threads: ThreadSet) -> ReviewReport {
        var state = BuildState(threads: threads, builder: self)
        return state.run(input: input)
    }

    /// The same build, in the pieces a streamed review puts back together (`ReportStream`): each
    /// series and each thread of replies without its patch, with its place in the input and the
    /// warnings its build gave; and the reading-limit warnings, per message.
    public func buildParts(input: String, threads: ThreadSet) -> ReportParts {
        var state = BuildState(threads: threads, builder: self)
        let report = state.run(input: input)
        return ReportParts(parts: state.parts, limitWarnings: state.limitWarningParts, rulesRun: report.rulesRun)
    }
}

/// A report in pieces (`ReportBuilder.buildParts`).
public struct ReportParts: Sendable {
    public var parts: [ReportPart]
    /// Warnings about messages a reading limit cut, with the input index of the message.
    public var limitWarnings: [ReportWarning]
    public var rulesRun: Bool
}

/// A warning with the input index of the message it is about.
public struct ReportWarning: Sendable, Hashable, Codable {
    public var index: Int
    public var text: String
    public init(index: Int, text: String) { self.index = index; self.text = text }
}

/// One series of a report (or one thread of replies whose patch mail is not in the input), and the
/// warnings its build gave.
public struct ReportPart: Sendable, Hashable, Codable {
    /// The input index of the series' first mail (for a thread without its patch: of its first reply).
    public var key: Int
    /// A thread of replies whose patch mail is not in the input: reported after every series.
    public var isQuoted: Bool
    /// Nil when the thread neither carries nor quotes a patch (then only its warnings remain).
    public var series: SeriesReport?
    public var warnings: [String]
    public init(key: Int, isQuoted: Bool, series: SeriesReport?, warnings: [String]) {
        self.key = key; self.isQuoted = isQuoted; self.series = series; self.warnings = warnings
    }
}

// MARK: - the build

/// One patch (or cover letter) and the messages that discuss it.
struct PatchUnit {
    var patchMessage: Int?
    /// For a patch known only from quotes: the node of the missing patch mail.
    var placeholderNode: Int?
    /// Replies (message indices) in thread order.
    var replies: [Int]
    var isCover: Bool
    /// Position of the series in `threads.series` (nil for a quoted patch).
    var series: Int? = nil
    /// The series' `base-commit:` (from its cover letter or any of its patch mails).
    var baseCommit: String? = nil
}

struct BuildState {
    let threads: ThreadSet
    let builder: ReportBuilder
    var analyses: [Int: ReviewAnalysis] = [:]
    var remarkCounter = 0
    var findingCounter = 0
    var warnings: [String] = []
    var treeChecker: TreeChecker?
    /// The tree's files, for aligning the quotes of replies whose patch is not in the input.
    var quotedFiles: TreeSource?
    /// `QuoteMatch.normalize` of each remark's quoted span, per message: `answers` asks for every
    /// remark of every later reply once per remark (normalizing anew was quadratic in the thread).
    var normalizedSpans: [Int: [String?]] = [:]
    /// The pieces of the report, as `run` makes them (`ReportBuilder.buildParts`).
    var parts: [ReportPart] = []
    var limitWarningParts: [ReportWarning] = []
    /// Each patch mail's patch and the text it came from (the body, or its first patch
    /// attachment), parsed once for the report and the revisions (`patchSource`).
    var patchSources: [Int: (patch: Patch, text: String)] = [:]

    init(threads: ThreadSet, builder: ReportBuilder) {
        self.threads = threads; self.builder = builder
        treeChecker = builder.treeRoot.map { TreeChecker(root: $0) }
        quotedFiles = builder.treeRoot.map { TreeSource(root: $0) }
    }

    var options: ReportOptions { builder.options }

    func person(_ a: Address?) -> Person? { a.map { Person(name: $0.name, email: $0.email) } }

    func ref(_ mi: Int) -> MessageRef {
        let m = threads.messages[mi]
        return MessageRef(messageID: m.messageID, from: person(m.from), date: m.date,
                          dateText: m.date == nil ? m.header("Date") : nil)
    }

    mutating func analysis(_ mi: Int, original: Patch?) -> ReviewAnalysis {
        if let a = analyses[mi] { return a }
        let m = threads.messages[mi]
        let context = ThreadContext(message: m) { threads.message(id: $0) }
        // Without the original patch, the reviewer's tree gives the quoted files.
        let files = original == nil ? quotedFiles : nil
        var a = ReviewParser.analyze(m, thread: context, original: original,
                                     tree: files.map { f in { path, blob in f.quotedFile(path: path, blob: blob) } },
                                     treeSearch: files.map { f in { text in f.files(containing: text) } })
        if treeChecker != nil { treeChecker?.check(&a) }
        analyses[mi] = a
        return a
    }

    /// Message indices below a node, thread order, not descending into `stop` nodes.
    func descendants(ofNode start: Int, stop: Set<Int>) -> [Int] {
        var out: [Int] = []
        var stack: [Int] = threads.nodes[start].children.reversed()
        var seen: Set<Int> = [start]
        while let n = stack.popLast() {
            guard seen.insert(n).inserted, !stop.contains(n) else { continue }
            if let mi = threads.nodes[n].message { out.append(mi) }
            stack.append(contentsOf: threads.nodes[n].children.reversed())
        }
        return out
    }

    // MARK: run

    mutating func run(input: String) -> ReviewReport {
        limitWarnings()
        var series: [SeriesReport] = []
        var patchMessages: Set<Int> = []
        for s in threads.series {
            if let c = s.coverLetter { patchMessages.insert(c) }
            for p in s.patches { if let p { patchMessages.insert(p) } }
        }
        let patchNodes = Set(patchMessages.map { threads.node(ofMessage: $0) })

        for (seriesIndex, s) in threads.series.enumerated() {
            let warningsBefore = warnings.count
            let members = ([s.coverLetter] + s.patches).compactMap { $0 }
            let key = members.map { threads.messages[$0].index }.min() ?? 0
            var seriesBase: String?
            for mi in ([s.coverLetter] + s.patches).compactMap({ $0 }) where seriesBase == nil {
                seriesBase = TreeSource.baseCommit(in: threads.messages[mi].body)
            }
            var report = SeriesReport(title: s.title, version: s.version, total: s.total > 1 || s.coverLetter != nil ? s.total : nil,
                                      author: person(s.author))
            var coverTrailers: [TrailerReport] = []
            if let c = s.coverLetter {
                let replies = capped(descendants(ofNode: threads.node(ofMessage: c), stop: patchNodes), "replies to " + name(c))
                let unit = PatchUnit(patchMessage: c, placeholderNode: nil, replies: replies, isCover: true)
                let cover = patchReport(unit)
                coverTrailers = cover.trailers.map { var t = $0; t.fromCoverLetter = true; return t }
                report.coverLetter = cover
            }
            for p in s.patches {
                guard let p else { continue }
                let replies = capped(descendants(ofNode: threads.node(ofMessage: p), stop: patchNodes), "replies to " + name(p))
                let base = TreeSource.baseCommit(in: threads.messages[p].body) ?? seriesBase
                let unit = PatchUnit(patchMessage: p, placeholderNode: nil, replies: replies, isCover: false,
                                     series: seriesIndex, baseCommit: base)
                var pr = patchReport(unit)
                pr.trailers = TrailerMerge.merged(pr.trailers + coverTrailers)
                report.patches.append(pr)
            }
            Self.linkAcrossSeries(&report.patches)
            let missing = s.patches.enumerated().filter { $0.element == nil }.map { $0.offset + 1 }
            if !missing.isEmpty {
                warnings.append("series \"\(s.title)\" v\(s.version): patch\(missing.count == 1 ? "" : "es") "
                                + missing.map(String.init).joined(separator: ", ") + " of \(s.total) not in the input")
            }
            let first = s.coverLetter ?? s.patches.compactMap { $0 }.first
            if let first {
                report.timeline = timeline(root: threads.root(ofMessage: first),
                                           counts: Self.counts((report.coverLetter.map { [$0] } ?? []) + report.patches))
            }
            series.append(report)
            parts.append(ReportPart(key: key, isQuoted: false, series: report, warnings: Array(warnings[warningsBefore...])))
        }
        followRevisions(&series)

        // Replies whose patch mail is not in the input: one quoted patch per thread root.
        var orphansByRoot: [Int: [Int]] = [:]
        var rootOrder: [Int] = []
        for (mi, _) in threads.messages.enumerated() where !patchMessages.contains(mi) {
            if threads.ancestors(ofMessage: mi).contains(where: { patchMessages.contains($0.message) }) { continue }
            let root = threads.root(ofMessage: mi)
            if orphansByRoot[root] == nil { rootOrder.append(root) }
            orphansByRoot[root, default: []].append(mi)
        }
        for root in rootOrder {
            let warningsBefore = warnings.count, seriesBefore = series.count
            let key = orphansByRoot[root]?.first.map { threads.messages[$0].index } ?? 0
            defer {
                parts.append(ReportPart(key: key, isQuoted: true, series: series.count > seriesBefore ? series.last : nil,
                                        warnings: Array(warnings[warningsBefore...])))
            }
            let members = descendants(ofNode: root, stop: patchNodes).filter { !patchMessages.contains($0) }
            let all = capped(threads.nodes[root].message.map { [$0] + members } ?? members,
                             "messages in the thread of <\(threads.nodes[root].id)>")
            guard let unit = quotedUnit(root: root, messages: all) else {
                warnings.append("\(all.count) message\(all.count == 1 ? "" : "s") in the thread of <\(threads.nodes[root].id)> "
                                + "neither carry nor quote a patch: left out")
                continue
            }
            let pr = patchReport(unit)
            var report = SeriesReport(title: pr.title, version: pr.version, total: pr.total, author: pr.message.from,
                                      patches: [pr])
            report.timeline = timeline(root: root, placeholder: unit.placeholderNode.map { ($0, pr) }, counts: Self.counts([pr]))
            series.append(report)
        }
        return ReviewReport(input: input, series: series, warnings: warnings, rulesRun: builder.findings != nil || builder.seriesFindings != nil)
    }

    /// Messages that a reading limit cut (the review may miss what was cut): one warning each.
    /// A long line is only reported by the parser (it is kept whole).
    mutating func limitWarnings() {
        let cut = ReportBuilder.readingLimitCodes
        for m in threads.messages {
            let hits = m.warnings.filter { cut.contains($0.code) }
            guard !hits.isEmpty else { continue }
            let id = m.messageID.map { "<\($0)>" } ?? "message \(m.index + 1)"
            limitWarningParts.append(ReportWarning(index: m.index, text: "\(id) \"\(m.subject)\": " + hits.map(\.detail).joined(separator: "; ") + " (a reading limit)"))
            warnings.append("\(id) \"\(m.subject)\": " + hits.map(\.detail).joined(separator: "; ") + " (a reading limit)")
        }
    }

    /// How a warning names a message: its Message-ID, else its subject.
    func name(_ mi: Int) -> String {
        threads.messages[mi].messageID.map { "<\($0)>" } ?? "\"\(threads.messages[mi].subject)\""
    }

    /// The first `maxThreadMessages` of a patch's replies (or of a thread without its patch mail);
    /// a warning says how many were left out.
    mutating func capped(_ replies: [Int], _ what: String) -> [Int] {
        let limit = max(1, options.maxThreadMessages)
        guard replies.count > limit else { return replies }
        warnings.append("\(replies.count) \(what), more than the thread size limit of \(limit): "
                        + "the last \(replies.count - limit) left out")
        return Array(replies.prefix(limit))
    }

    /// A unit for replies to a patch mail not in the input, when one of them quotes a diff.
    mutating func quotedUnit(root: Int, messages: [Int]) -> PatchUnit? {
        let withDiff = messages.first { mi in
            let a = analysis(mi, original: nil)
            return a.quotedDiff.hunks.contains { $0.oldStart != nil }
        }
        guard withDiff != nil else { return nil }
        // The patch is the missing message the first reply answers: the root placeholder, or the
        // root message itself when it is a non-patch mail (then it is a reply as well).
        let placeholder = threads.nodes[root].message == nil ? root : nil
        return PatchUnit(patchMessage: nil, placeholderNode: placeholder, replies: messages, isCover: false)
    }

    // MARK: one patch

    mutating func patchReport(_ unit: PatchUnit) -> PatchReport {
        var patch: Patch?
        var title = "", subject = "", version = 1, index: Int? = nil, total: Int? = nil, isRFC = false
        var message: MessageRef
        var ownTrailers: [OwnTrailer] = []
        var source: PatchReport.Source = unit.isCover ? .coverLetter : .message
        var quotedFrom: Int?

        if let pm = unit.patchMessage {
            let m = threads.messages[pm]
            let si = m.subjectInfo
            title = si.title; subject = m.subject; version = si.version; index = si.index; total = si.total; isRFC = si.isRFC
            message = ref(pm)
            ownTrailers = m.trailers.map { OwnTrailer(key: $0.key, value: $0.value) }
            if !unit.isCover {
                let p = patchSource(pm).patch
                if p.files.isEmpty { warnings.append("no diff found in the patch mail \(m.messageID.map { "<\($0)>" } ?? subject)") }
                patch = p
            }
        } else {
            source = .quoted
            // The first reply that quotes a diff gives the patch and what its quotes say about it.
            var found: (Int, ReviewAnalysis)?
            for mi in unit.replies {
                let a = analysis(mi, original: nil)
                if a.quotedDiff.hunks.contains(where: { $0.oldStart != nil }) { found = (mi, a); break }
            }
            let first = found?.0 ?? unit.replies.first ?? 0
            let m = threads.messages[first]
            let si = m.subjectInfo
            title = si.title; subject = m.subject.replacingOccurrences(of: "^(?i)(re|aw|sv|fwd?):\\s*", with: "", options: .regularExpression)
            version = si.version; index = si.index; total = si.total; isRFC = si.isRFC
            let a = found?.1
            let author = a?.author(ofDepth: 1)
            let attribution = a?.attributions.first { $0.quotedDepth == 1 }
            let id = unit.placeholderNode.map { threads.nodes[$0].id } ?? m.parentID
            message = MessageRef(messageID: id, from: author.map { Person(name: $0.name, email: $0.email) },
                                 date: nil, dateText: attribution?.date)
            if let a { patch = PatchFacts.patch(fromQuotes: a.quotedDiff) }
            quotedFrom = found?.0
        }

        var report = PatchReport(title: title, subject: subject, version: version, index: index, total: total, isRFC: isRFC,
                                 message: message, loreURL: message.messageID.map { LoreLink.url(messageID: $0, base: options.loreBase) },
                                 source: source, ownTrailers: ownTrailers)
        if let patch {
            report.files = patch.files.map { f in
                FileReport(path: f.path, oldPath: f.oldPath != f.newPath ? f.oldPath : nil, change: f.change.rawValue,
                           insertions: f.insertions, deletions: f.deletions, isBinary: f.isBinary,
                           functions: PatchFacts.functionsTouched(f), hunks: f.hunks.map(\.header))
            }
            report.insertions = patch.insertions
            report.deletions = patch.deletions
        }

        let author = message.from
        var remarks: [RemarkReport] = []
        for mi in unit.replies {
            let m = threads.messages[mi]
            let sender = person(m.from)
            let isAuthor = author.map { a in sender.map { $0.isSame(as: a) } ?? false } ?? false
            let a = analysis(mi, original: mi == quotedFrom ? nil : patch)
            let lines = m.body.split(separator: "\n", omittingEmptySubsequences: false)
            // Trailers, with their conditions.
            var conditionLines: Set<Int> = []
            let trailerLines = Set(m.trailers.map(\.line))
            if !isAuthor || unit.patchMessage == nil {
                for t in m.trailers where TrailerConditions.isStatusTrailer(t.key) && !isAuthor {
                    let cond = TrailerConditions.condition(body: lines, trailerLine: t.line)
                        ?? TrailerConditions.inlineCondition(value: t.value)
                    if cond != nil {
                        var k = t.line - 1
                        while k >= 0, !lines[k].trimmingCharacters(in: .whitespaces).isEmpty { conditionLines.insert(k); k -= 1 }
                    }
                    report.trailers.append(TrailerReport(key: t.key, value: t.value, person: person(t.person), givenIn: ref(mi),
                                                         isOnBehalf: t.isOnBehalf, isConditional: cond != nil, condition: cond))
                }
            }
            if isAuthor { continue }
            for r in a.remarks {
                let body = r.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if body.isEmpty { continue }
                // A remark that only states a trailer's condition is shown with the trailer; a short
                // lead-in right above the trailers ("For the series:", "Feel free to add:") is no remark.
                let span = r.firstLine..<(r.firstLine + max(1, r.lineCount))
                if span.allSatisfy({ conditionLines.contains($0) }) { continue }
                if r.lineCount <= 2, trailerLines.contains(span.upperBound),
                   let last = body.last, last == ":" || last == "," { continue }
                remarks.append(remarkReport(r, analysis: a, message: mi, patch: patch))
            }
        }
        report.trailers = TrailerMerge.merged(report.trailers)
        report.remarks = sortRemarks(remarks, files: report.files.map(\.path))

        // Findings and cross-links.
        if let patch, source != .coverLetter, builder.findings != nil || builder.seriesFindings != nil {
            var found: [FindingReport] = []
            let output: RuleOutput
            if let engine = builder.seriesFindings {
                output = engine(patch, RuleContext(series: unit.series, index: index, baseCommit: unit.baseCommit))
            } else {
                output = builder.findings?(patch) ?? RuleOutput()
            }
            for note in output.notes where !warnings.contains("rules: " + note) { warnings.append("rules: " + note) }
            for a in output.files {
                guard let i = report.files.firstIndex(where: { $0.path == a.path }) else { continue }
                report.files[i].analysisSource = a.source
                report.files[i].analysisDetail = a.detail.isEmpty ? nil : a.detail
            }
            for input in output.findings {
                findingCounter += 1
                found.append(findingReport(input, id: "F\(findingCounter)", patch: patch))
            }
            let order = report.files.map(\.path)
            found.sort { x, y in
                let fx = order.firstIndex(of: x.file) ?? order.count, fy = order.firstIndex(of: y.file) ?? order.count
                return fx != fy ? fx < fy : x.line < y.line
            }
            for i in found.indices { found[i].id = "F\(findingCounter - found.count + i + 1)" }
            for i in found.indices {
                let linked = report.remarks.filter { discusses($0, found[i]) }.map(\.id)
                found[i].remarks = linked
            }
            for i in report.remarks.indices {
                report.remarks[i].findings = found.filter { $0.remarks.contains(report.remarks[i].id) }.map(\.id)
            }
            report.findings = found
        }

        // Answers and questions.
        for i in report.remarks.indices {
            report.remarks[i].answers = answers(to: report.remarks[i].text, from: report.remarks[i].reviewer,
                                                message: report.remarks[i].message, among: unit.replies, author: author)
        }
        for r in report.remarks {
            let questions = Questions.find(in: r.text)
            // Once per remark, not once per question (a long remark full of `?` was quadratic).
            let fallbackKey = questions.isEmpty ? "" : QuoteMatch.key(r.text)
            for q in questions {
                let replies = answers(to: q, from: r.reviewer, message: r.message, among: unit.replies, author: author,
                                      fallbackKey: fallbackKey)
                report.questions.append(QuestionReport(text: q, askedBy: r.reviewer, message: r.message, remark: r.id,
                                                       isAnswered: !replies.isEmpty, repliedBy: replies))
            }
        }
        return report
    }

    /// Remarks on the patch as a whole first (thread order), then per file in the patch's file
    /// order, by line.
    func sortRemarks(_ remarks: [RemarkReport], files: [String]) -> [RemarkReport] {
        let general = remarks.filter { $0.target != .line }
        let onLines = remarks.enumerated().filter { $0.element.target == .line }.sorted { x, y in
            let fx = files.firstIndex(of: x.element.file ?? "") ?? files.count
            let fy = files.firstIndex(of: y.element.file ?? "") ?? files.count
            if fx != fy { return fx < fy }
            if (x.element.file ?? "") != (y.element.file ?? "") { return (x.element.file ?? "") < (y.element.file ?? "") }
            let lx = x.element.line ?? Int.max, ly = y.element.line ?? Int.max
            if lx != ly { return lx < ly }
            return x.offset < y.offset
        }.map(\.element)
        return general + onLines
    }

    // MARK: remarks

    mutating func remarkReport(_ r: Remark, analysis a: ReviewAnalysis, message mi: Int, patch: Patch?) -> RemarkReport {
        remarkCounter += 1
        let m = threads.messages[mi]
        let target: RemarkReport.Target
        switch r.target {
        case .line: target = r.anchor == nil ? .patch : .line
        case .prose: target = .prose
        case .patch, .message: target = .patch
        }
        var out = RemarkReport(id: "R\(remarkCounter)", reviewer: person(m.from), message: ref(mi), target: target, text: r.text)
        if let anchor = r.anchor, target == .line {
            out.file = anchor.file
            out.oldLine = anchor.side == .added ? nil : anchor.oldLine
            out.newLine = anchor.side == .removed ? nil : anchor.newLine
            out.side = anchor.side.rawValue
            out.function = anchor.function
            out.isApproximate = r.unmatched || anchor.numbering == .uncertain || anchor.numbering == .unknown
            if anchor.numbering == .treeSide, anchor.side == .context, let patch {
                // Placed on one side only (no header): the patch rebuilt around it has the other.
                let line = patch.files.first { $0.path == anchor.file }?.hunks.lazy.flatMap(\.lines).first { l in
                    l.kind == .context && (anchor.oldLine.map { l.oldLine == $0 } ?? (l.newLine == anchor.newLine))
                }
                out.oldLine = out.oldLine ?? line?.oldLine
                out.newLine = out.newLine ?? line?.newLine
            }
            out.code = quotedCode(anchor: anchor, span: r.span, diff: a.quotedDiff)
        }
        // The quoted prose a remark answers; for a remark on the patch as a whole, the quoted
        // commit message above it (no diff lines in between), which the revisions compare.
        if let span = r.span, target == .prose || (target == .patch && span.depth >= 1 && span.diffLines == 0) {
            let lines = span.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let tail = lines.suffix(6)
            let author = a.author(ofDepth: span.depth)?.displayName ?? r.answers
            out.context = [QuotedText(depth: span.depth, author: author,
                                      text: (lines.count > tail.count ? "[…]\n" : "") + tail.joined(separator: "\n"))]
        }
        if let tc = r.treeCheck, tc.status != .matches, tc.status != .notCheckable {
            out.treeNote = tc.warning ?? tc.status.rawValue
        } else if let tc = r.treeCheck, tc.status == .matches, let line = tc.line, let real = tc.realText {
            let code = real.trimmingCharacters(in: .whitespaces)
            out.treeNote = "the quoted lines match the tree at old line \(line)" + (code.isEmpty ? " (a blank line)" : ": `\(code)`")
        }
        return out
    }

    /// The quoted diff lines of the anchor's hunk around it: up to `contextLines` the reviewer
    /// quoted above (within the remark's quoted span) and up to 2 quoted after.
    func quotedCode(anchor: DiffAnchor, span: QuotedSpan?, diff: QuotedDiff) -> [CodeLine] {
        guard anchor.lineIndex >= 0, anchor.lineIndex < diff.lines.count else { return [] }
        let hunk = diff.lines[anchor.lineIndex].hunk
        let spanStart = span?.firstLine ?? 0
        var lo = anchor.lineIndex
        while lo > 0, anchor.lineIndex - (lo - 1) <= options.contextLines,
              diff.lines[lo - 1].hunk == hunk, diff.lines[lo - 1].bodyLine >= spanStart { lo -= 1 }
        var hi = anchor.lineIndex
        while hi + 1 < diff.lines.count, hi - anchor.lineIndex < 2, diff.lines[hi + 1].hunk == hunk { hi += 1 }
        return (lo...hi).map { i in
            let l = diff.lines[i]
            let old = l.original?.oldLine ?? l.oldLine
            let new = l.original?.newLine ?? l.newLine
            let kind: CodeLine.Kind = l.kind == .added ? .added : l.kind == .removed ? .removed : .context
            return CodeLine(kind: kind, oldLine: kind == .added ? nil : old, newLine: kind == .removed ? nil : new,
                            text: l.text, isMarked: i == anchor.lineIndex)
        }
    }

    // MARK: findings

    /// In a series analysed in order, a finding of patch k that a later patch keeps (`present`)
    /// was introduced by k, and one that a later patch reports `fixed` is fixed by that patch.
    /// Findings match by rule, file, function and subject.
    static func linkAcrossSeries(_ patches: inout [PatchReport]) {
        guard patches.count > 1 else { return }
        func key(_ f: FindingReport) -> String { "\(f.rule)|\(f.file)|\(f.function ?? "")|\(f.subject ?? "")" }
        for (pi, p) in patches.enumerated() {
            guard let k = p.index else { continue }
            for fi in p.findings.indices where p.findings[fi].change != .fixed {
                let f = p.findings[fi]
                // Where it was introduced: the nearest earlier patch that introduced it.
                if f.change == .present {
                    for e in patches[..<pi].reversed() where e.findings.contains(where: { $0.change == .introduced && key($0) == key(f) }) {
                        patches[pi].findings[fi].introducedInPatch = e.index
                        break
                    }
                }
                // Where it goes away: the first later patch that reports it fixed.
                for later in patches[(pi + 1)...] {
                    guard let j = later.index, j > k else { continue }
                    if later.findings.contains(where: { $0.change == .fixed && key($0) == key(f) }) {
                        patches[pi].findings[fi].fixedInPatch = j
                        break
                    }
                }
            }
        }
    }

    func findingReport(_ f: FindingInput, id: String, patch: Patch) -> FindingReport {
        var out = FindingReport(id: id, rule: f.rule, ruleSummary: f.ruleSummary, ruleRationale: f.ruleRationale,
                                severity: f.severity, file: f.file, function: f.function, line: f.line, endLine: f.endLine,
                                version: f.version, change: f.change, subject: f.subject, message: f.message,
                                explanation: f.explanation, locations: f.locations)
        guard let file = patch.files.first(where: { $0.path == f.file || $0.oldPath == f.file }) else { return out }
        let texts = PatchFacts.lineTexts(file, new: f.version != "old")
        var labels: [Int: [String]] = [:]
        labels[f.line, default: []].append("")
        for l in f.locations where l.file == f.file { labels[l.line, default: []].append(l.label) }
        let involved = labels.keys.sorted()
        guard let first = involved.first, let last = involved.last else { return out }
        // Show the whole span when it is short, else the involved lines only.
        let shown: [Int] = last - first < options.findingCodeLines ? Array(first...last) : involved
        for n in shown {
            guard let (kind, text) = texts[n] else { continue }
            let k: CodeLine.Kind = kind == .added ? .added : kind == .removed ? .removed : .context
            let label = (labels[n] ?? []).filter { !$0.isEmpty }
            var unique: [String] = []
            for l in label where !unique.contains(l) { unique.append(l) }
            out.code.append(CodeLine(kind: k, oldLine: f.version == "old" ? n : nil, newLine: f.version == "old" ? nil : n,
                                     text: text, isMarked: labels[n] != nil, label: unique.isEmpty ? nil : unique.joined(separator: ", ")))
        }
        return out
    }

    /// A remark discusses a finding: same file, and same function or lines close together; or the
    /// remark names the finding's function in its text (`acme_adc_read_raw()`), wherever it sits.
    func discusses(_ r: RemarkReport, _ f: FindingReport) -> Bool {
        if r.file == nil || r.file == f.file, let ff = f.function, Self.names(r.text, function: ff) { return true }
        guard r.target == .line, let file = r.file, file == f.file else { return false }
        if let rf = r.function, let ff = f.function {
            if rf == ff { return true }
        }
        let line = f.version == "old" ? r.oldLine : r.newLine
        guard let line else { return false }
        let lines = [f.line] + (f.endLine.map { [$0] } ?? []) + f.locations.filter { $0.file == f.file }.map(\.line)
        guard let lo = lines.min(), let hi = lines.max() else { return false }
        let sameOrUnknownFunction = r.function == nil || f.function == nil
        return sameOrUnknownFunction && line >= lo - options.linkDistance && line <= hi + options.linkDistance
    }

    /// Whether `text` names `function` as a whole identifier (`foo_bar`, `foo_bar()`), not inside a
    /// longer one (`foo_bar_baz`, `__foo_bar`). Names too short or too plain to tell a function from
    /// a word (`probe`, `open`) never match.
    static func names(_ text: String, function: String) -> Bool {
        let name = Array(function.utf8)
        guard name.count >= 6, name.contains(UInt8(ascii: "_")) else { return false }
        let t = Array(text.utf8)
        guard t.count >= name.count else { return false }
        func isIdent(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        }
        let first = name[0]
        var i = 0
        while i + name.count <= t.count {
            if t[i] == first, (i == 0 || !isIdent(t[i - 1])),
               i + name.count == t.count || !isIdent(t[i + name.count]),
               t[i..<(i + name.count)].elementsEqual(name) {
                return true
            }
            i += 1
        }
        return false
    }

    // MARK: answers

    /// Later messages (below `message` in the thread, not by `from`) that quote `text` and say
    /// something after it.
    mutating func answers(to text: String, from: Person?, message: MessageRef, among replies: [Int], author: Person?,
                          fallbackKey: String? = nil) -> [Answer] {
        let key = QuoteMatch.key(text)
        guard key.count >= 12 || (fallbackKey?.count ?? 0) >= 12 else { return [] }
        guard let asking = replies.first(where: { threads.messages[$0].messageID == message.messageID }) else { return [] }
        let below = Set(descendants(ofNode: threads.node(ofMessage: asking), stop: []))
        var out: [Answer] = []
        let askingNode = threads.node(ofMessage: asking)
        let names = author == nil ? [] : Changelog.identifiers(text)
        for mi in replies where below.contains(mi) {
            let m = threads.messages[mi]
            if let from, let s = person(m.from), s.isSame(as: from) { continue }
            let a = analysis(mi, original: nil)
            // A direct reply of the patch's author that quotes nothing (top-posted) answers the
            // remarks of the mail whose identifiers it names (`send_buf`, `fpga_mgr`).
            if !names.isEmpty, let author, let sender = person(m.from), sender.isSame(as: author),
               threads.nodes[threads.node(ofMessage: mi)].parent == askingNode,
               !a.remarks.isEmpty, a.remarks.allSatisfy({ ($0.span?.depth ?? 0) == 0 }) {
                let body = a.remarks.map(\.text).joined(separator: "\n\n")
                let named = names.filter { BuildState.names(body, word: $0) }.sorted()
                if !named.isEmpty {
                    // Agreement is read in the sentences that name the remark's identifiers.
                    let agrees = named.contains { AuthorReply.agrees(body, naming: $0) }
                    out.append(Answer(message: ref(mi), isAuthor: true,
                                      excerpt: SafeText.truncated(SafeText.oneLine(AuthorReply.firstParagraph(body)), 200),
                                      agrees: agrees ? true : nil))
                }
                continue
            }
            if normalizedSpans[mi] == nil {
                normalizedSpans[mi] = a.remarks.map { r in r.span.flatMap { $0.depth >= 1 ? QuoteMatch.normalize($0.text) : nil } }
            }
            let spans = normalizedSpans[mi] ?? []
            for (ri, r) in a.remarks.enumerated() {
                guard ri < spans.count, let quoted = spans[ri] else { continue }
                let hit = (key.count >= 12 && quoted.contains(key))
                    || (fallbackKey.map { $0.count >= 12 && quoted.contains($0) } ?? false)
                guard hit else { continue }
                let sender = person(m.from)
                let isAuthor = author.map { a in sender.map { $0.isSame(as: a) } ?? false } ?? false
                let first = AuthorReply.firstParagraph(r.text)
                // Only the author's agreement counts (remarkStatus reads the author's answer): its own
                // words, or the mail's closing remark ("will fix all of them in the next version").
                var agrees = false
                if isAuthor {
                    let ownWords = AuthorReply.words(r.text.lowercased())
                    let refuses = AuthorReply.refusals.contains { AuthorReply.has(ownWords, $0) }
                    agrees = AuthorReply.agrees(r.text)
                        || (!refuses && ri != a.remarks.count - 1 && a.remarks.last.map { AuthorReply.agreesToAll($0.text) } ?? false)
                }
                out.append(Answer(message: ref(mi), isAuthor: isAuthor,
                                  excerpt: SafeText.truncated(SafeText.oneLine(first), 200), agrees: agrees ? true : nil))
                break
            }
        }
        return out
    }

    // MARK: timeline

    /// Remarks and questions of the report per message-id.
    static func counts(_ patches: [PatchReport]) -> [String: (remarks: Int, questions: Int)] {
        var out: [String: (remarks: Int, questions: Int)] = [:]
        for p in patches {
            for r in p.remarks { if let id = r.message.messageID { out[id, default: (0, 0)].remarks += 1 } }
            for q in p.questions { if let id = q.message.messageID { out[id, default: (0, 0)].questions += 1 } }
        }
        return out
    }

    func timeline(root: Int, placeholder: (Int, PatchReport)? = nil,
                  counts: [String: (remarks: Int, questions: Int)]) -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        var numberOfNode: [Int: Int] = [:]
        for (node, depth) in threads.walk(from: root) {
            let n = threads.nodes[node]
            let number = entries.count + 1
            numberOfNode[node] = number
            let parent = n.parent.flatMap { numberOfNode[$0] }
            if let mi = n.message {
                let m = threads.messages[mi]
                let si = m.subjectInfo
                let kind: TimelineEntry.Kind = si.isReply || !si.isPatch ? .reply : si.isCoverLetter ? .coverLetter : .patch
                let c = m.messageID.flatMap { counts[$0] } ?? (0, 0)
                let remarks = c.remarks, questions = c.questions
                let trailers = m.trailers.filter { TrailerConditions.isStatusTrailer($0.key) }.map(\.key)
                entries.append(TimelineEntry(number: number, depth: depth, inReplyTo: parent, kind: kind, message: ref(mi),
                                             subject: m.subject, trailers: kind == .reply ? trailers : [],
                                             remarks: remarks, questions: questions))
            } else {
                let p = placeholder?.0 == node ? placeholder?.1 : nil
                entries.append(TimelineEntry(number: number, depth: depth, inReplyTo: parent, kind: .missing,
                                             message: p?.message ?? MessageRef(messageID: n.id, from: nil, date: nil),
                                             subject: p.map { $0.subject } ?? "(not in the input)"))
            }
        }
        return entries
    }
}
