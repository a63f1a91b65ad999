// A report put together from pieces built one thread at a time (`ReportBuilder.buildParts` on
// each group of a streamed mailbox): remark and finding numbers continued from piece to piece,
// warnings in the order one whole build gives them, and each format written piece by piece —
// Markdown and text as they come, JSON as an opening, the series, then the closing, and SARIF's
// results kept aside (its artifacts come first in the log) and joined at the end. Given the same
// series in the same order, the text is byte for byte what rendering one whole `ReviewReport` gives.
import Foundation

/// Numbers and warnings across the pieces of a streamed report.
public struct ReportStream: Sendable {
    public let input: String
    public let rulesRun: Bool
    public let tool: ToolInfo
    var remarks = 0
    var findings = 0
    var limitWarnings: [ReportWarning] = []
    var seriesWarnings: [String] = []
    var quotedWarnings: [String] = []
    /// Series handed out so far.
    public private(set) var seriesCount = 0
    /// A finding at this level or above (not fixed) was seen, per level.
    var worst: Severity?

    public init(input: String, rulesRun: Bool, tool: ToolInfo = ToolInfo()) {
        self.input = input; self.rulesRun = rulesRun; self.tool = tool
    }

    /// Takes the reading-limit warnings of a piece (any order: they are sorted by message at the end).
    public mutating func add(limitWarnings w: [ReportWarning]) { limitWarnings += w }

    /// Takes the next piece in report order (every series, by `key`, then every thread without its
    /// patch, by `key`); returns its series renumbered, if it has one.
    public mutating func next(_ part: ReportPart) -> SeriesReport? {
        if part.isQuoted { quotedWarnings += part.warnings } else { seriesWarnings += part.warnings }
        guard var s = part.series else { return nil }
        renumber(&s)
        for f in s.patches.flatMap(\.findings) where f.change != .fixed {
            if worst.map({ f.severity > $0 }) ?? true { worst = f.severity }
        }
        seriesCount += 1
        return s
    }

    /// A finding the patch introduces or keeps is at `level` or above (`ReviewReport.hasFindings`).
    public func hasFindings(atOrAbove level: Severity) -> Bool { worst.map { $0 >= level } ?? false }

    /// The warnings in the order of one whole build: reading limits by message, then those of
    /// each series, then those of the threads without their patch; a rules note once.
    public var warnings: [String] {
        var out = limitWarnings.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.map(\.element.text)
        var notes = Set<String>()
        for w in seriesWarnings + quotedWarnings {
            if w.hasPrefix("rules: ") {
                guard notes.insert(w).inserted else { continue }
            }
            out.append(w)
        }
        return out
    }

    /// `R…` and `F…` numbers of a piece built on its own, continued from the pieces before it.
    mutating func renumber(_ s: inout SeriesReport) {
        let patches = (s.coverLetter.map { [$0] } ?? []) + s.patches
        func number(_ id: String) -> Int? { Int(id.dropFirst()) }
        let rIDs = patches.flatMap { $0.remarks.compactMap { number($0.id) } }
        let fIDs = patches.flatMap { $0.findings.compactMap { number($0.id) } }
        let rShift = remarks - ((rIDs.min() ?? 1) - 1)
        let fShift = findings - ((fIDs.min() ?? 1) - 1)
        remarks += rIDs.count
        findings += fIDs.count
        guard rShift != 0 || fShift != 0 else { return }
        func r(_ id: String) -> String { number(id).map { "R\($0 + rShift)" } ?? id }
        func f(_ id: String) -> String { number(id).map { "F\($0 + fShift)" } ?? id }
        func fix(_ p: inout PatchReport) {
            for i in p.remarks.indices {
                p.remarks[i].id = r(p.remarks[i].id)
                p.remarks[i].findings = p.remarks[i].findings.map(f)
            }
            for i in p.findings.indices {
                p.findings[i].id = f(p.findings[i].id)
                p.findings[i].remarks = p.findings[i].remarks.map(r)
            }
            for i in p.questions.indices { p.questions[i].remark = r(p.questions[i].remark) }
        }
        if var c = s.coverLetter { fix(&c); s.coverLetter = c }
        for i in s.patches.indices { fix(&s.patches[i]) }
    }

    /// A report of one series, for the renderers.
    func single(_ s: SeriesReport) -> ReviewReport {
        ReviewReport(input: input, series: [s], warnings: [], rulesRun: rulesRun, tool: tool)
    }

    // MARK: Markdown and text

    /// The Markdown of the next series (`index` 0 for the first).
    public func markdown(_ s: SeriesReport, index: Int, renderer: MarkdownRenderer) -> String {
        (index > 0 ? "\n---\n\n" : "") + renderer.render(single(s))
    }

    /// The end of the Markdown report: its warnings.
    public func markdownEnd() -> String { MarkdownRenderer.warnings(warnings) }

    public func text(_ s: SeriesReport, renderer: TextRenderer) -> String { renderer.render(single(s)) }

    // MARK: JSON

    static let seriesOpen = "\n  \"series\" : [\n"
    static let seriesClose = "\n  ],\n  \"tool\" : "

    /// The JSON report up to the first series.
    public func jsonStart(pretty: Bool = true) throws -> String {
        let t = try JSONRenderer(pretty: pretty).render(single(SeriesReport(title: "")))
        guard let open = t.range(of: Self.seriesOpen) else { throw ReportStreamError.layout }
        return String(t[..<open.upperBound])
    }

    /// One series as an element of the JSON report's `series` array (`index` 0 for the first).
    public func json(_ s: SeriesReport, index: Int) throws -> String {
        let t = try JSONRenderer().render(single(s))
        guard let open = t.range(of: Self.seriesOpen), let close = t.range(of: Self.seriesClose, options: .backwards),
              open.upperBound <= close.lowerBound else { throw ReportStreamError.layout }
        return (index > 0 ? ",\n" : "") + String(t[open.upperBound..<close.lowerBound])
    }

    /// The end of the JSON report, after the last series: the tool and the warnings.
    public func jsonEnd() throws -> String {
        let t = try JSONRenderer().render(ReviewReport(input: input, series: [SeriesReport(title: "")], warnings: warnings,
                                                       rulesRun: rulesRun, tool: tool))
        guard let close = t.range(of: Self.seriesClose, options: .backwards) else { throw ReportStreamError.layout }
        return String(t[close.lowerBound...])
    }
}

public enum ReportStreamError: Error, CustomStringConvertible {
    case layout
    public var description: String { "internal error: unexpected JSON layout while streaming the report" }
}

/// SARIF results made piece by piece. A log lists its artifacts and rules before its results, so
/// the results are handed out as text to keep aside (a file); `head` and `tail` go around them.
public struct SARIFStream: Sendable {
    var log: SARIFRenderer.LogBuilder
    let includeRemarks: Bool
    var sawRemark = false
    /// Results handed out so far.
    public private(set) var resultCount = 0
    /// Stands for the `review-remark` rule's index, known only at the end (`resolve`).
    public static let remarkIndexPlaceholder = 2_147_000_000 + 4_711
    public static var placeholderText: String { "\"ruleIndex\" : \(remarkIndexPlaceholder)" }

    public init(renderer: SARIFRenderer = SARIFRenderer()) {
        log = SARIFRenderer.LogBuilder(uriBaseID: renderer.uriBaseID)
        includeRemarks = renderer.includeRemarks
    }

    /// The results of the next series, each an element of the `results` array (the first with no
    /// leading comma).
    public mutating func results(_ s: SeriesReport) throws -> [String] {
        let findings = s.patches.flatMap(\.findings)
        for f in findings { log.addRule(for: f) }
        let before = log.results.count
        for p in s.patches {
            for f in p.findings { log.addResult(for: f, patchTitle: p.title, messageID: p.message.messageID) }
            if includeRemarks {
                for r in p.remarks where r.target == .line && r.file != nil && r.line != nil {
                    sawRemark = true
                    log.ruleIndex[SARIFRenderer.remarkRuleID] = Self.remarkIndexPlaceholder
                    log.addResult(for: r, patchTitle: p.title)
                }
            }
        }
        return try elements(from: before)
    }

    /// Results for findings without a thread (`check`).
    public mutating func results(findings: [FindingReport]) throws -> [String] {
        for f in findings { log.addRule(for: f) }
        let before = log.results.count
        for f in findings { log.addResult(for: f, patchTitle: nil, messageID: nil) }
        return try elements(from: before)
    }

    static let resultsOpen = "\"results\" : [\n"
    static let resultsClose = "\n      ],\n      \"tool\" : "

    mutating func elements(from start: Int) throws -> [String] {
        var out: [String] = []
        for r in log.results[start...] {
            let text = try JSONRenderer.encode(Self.wrap([r], artifacts: [], rules: []), pretty: true)
            guard let open = text.range(of: Self.resultsOpen), let close = text.range(of: Self.resultsClose, options: .backwards),
                  open.upperBound <= close.lowerBound else { throw ReportStreamError.layout }
            out.append((resultCount > 0 ? ",\n" : "") + String(text[open.upperBound..<close.lowerBound]))
            resultCount += 1
        }
        log.results.removeAll(keepingCapacity: true)
        return out
    }

    static func wrap(_ results: [SARIFLog.Result], artifacts: [String], rules: [SARIFLog.ReportingDescriptor],
                     uriBaseID: String = "SRCROOT", tool info: ToolInfo = ToolInfo()) -> SARIFLog {
        var b = SARIFRenderer.LogBuilder(uriBaseID: uriBaseID)
        b.rules = rules
        b.artifacts = artifacts
        b.results = results
        return b.finish(tool: info)
    }

    /// The whole log when no result was made (then it has no rules and no artifacts either).
    public func empty(tool: ToolInfo = ToolInfo()) throws -> String {
        try JSONRenderer.encode(log.finish(tool: tool), pretty: true)
    }

    /// The log up to its first result, and from after its last one.
    public mutating func frame(tool: ToolInfo = ToolInfo()) throws -> (head: String, tail: String) {
        if sawRemark { log.addRemarkRule() }
        let dummy = SARIFLog.Result(ruleId: "", ruleIndex: nil, level: "none", kind: nil, message: .init(text: ""), locations: [],
                                    relatedLocations: nil, partialFingerprints: nil, properties: nil)
        var b = log
        b.results = [dummy]
        let text = try JSONRenderer.encode(b.finish(tool: tool), pretty: true)
        guard let open = text.range(of: Self.resultsOpen), let close = text.range(of: Self.resultsClose, options: .backwards) else {
            throw ReportStreamError.layout
        }
        return (String(text[..<open.upperBound]), String(text[close.lowerBound...]))
    }

    /// The text of `ruleIndex` for remarks, to put in place of `placeholderText`.
    public var remarkIndexText: String { "\"ruleIndex\" : \(log.ruleIndex[SARIFRenderer.remarkRuleID] ?? 0)" }
}
