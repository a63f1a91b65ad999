import Foundation

/// Renders a `ReviewReport` as a SARIF 2.1.0 log: one run whose driver lists every rule that
/// produced a finding (id, name, shortDescription, fullDescription, help, default level) plus the
/// `review-remark` pseudo-rule; one result per finding (level, message, the main line or the
/// window as location with the region's text as snippet, the other lines as relatedLocations) and
/// one `informational` result (level `none`) per remark on a line.
public struct SARIFRenderer: Sendable {
    /// `uriBaseId` of every artifact location: the root of the kernel tree the paths are relative to.
    public var uriBaseID: String
    public var includeRemarks: Bool
    public init(uriBaseID: String = "SRCROOT", includeRemarks: Bool = true) {
        self.uriBaseID = uriBaseID; self.includeRemarks = includeRemarks
    }

    public static let remarkRuleID = "review-remark"

    public func render(_ report: ReviewReport) throws -> String {
        try JSONRenderer.encode(log(report), pretty: true)
    }

    public func log(_ report: ReviewReport) -> SARIFLog {
        var log = LogBuilder(uriBaseID: uriBaseID)
        for f in report.allFindings { log.addRule(for: f) }
        let remarks = includeRemarks ? report.allRemarks.filter { $0.target == .line && $0.file != nil && $0.line != nil } : []
        if !remarks.isEmpty { log.addRemarkRule() }
        for s in report.series {
            for p in s.patches {
                for f in p.findings { log.addResult(for: f, patchTitle: p.title, messageID: p.message.messageID) }
                for r in p.remarks where remarks.contains(r) { log.addResult(for: r, patchTitle: p.title) }
            }
        }
        return log.finish(tool: report.tool)
    }

    /// Findings without a thread (`lkml-review check`): one result per finding, as in a review.
    public func log(findings: [FindingReport], tool: ToolInfo = ToolInfo()) -> SARIFLog {
        var log = LogBuilder(uriBaseID: uriBaseID)
        for f in findings { log.addRule(for: f) }
        for f in findings { log.addResult(for: f, patchTitle: nil, messageID: nil) }
        return log.finish(tool: tool)
    }

    public func render(findings: [FindingReport], tool: ToolInfo = ToolInfo()) throws -> String {
        try JSONRenderer.encode(log(findings: findings, tool: tool), pretty: true)
    }

    /// The rules, artifacts and results of one run, collected in order.
    struct LogBuilder {
        let uriBaseID: String
        var rules: [SARIFLog.ReportingDescriptor] = []
        var ruleIndex: [String: Int] = [:]
        var results: [SARIFLog.Result] = []
        var artifacts: [String] = []
        var artifactIndex: [String: Int] = [:]

        init(uriBaseID: String) { self.uriBaseID = uriBaseID }

        mutating func addRule(for f: FindingReport) {
            guard ruleIndex[f.rule] == nil else { return }
            ruleIndex[f.rule] = rules.count
            let summary = f.ruleSummary.isEmpty ? f.rule : f.ruleSummary
            let full = f.ruleRationale.isEmpty ? summary : f.ruleRationale
            rules.append(.init(id: f.rule, name: SARIFRenderer.camelName(f.rule),
                               shortDescription: .init(text: summary), fullDescription: .init(text: full),
                               help: .init(text: full, markdown: nil),
                               defaultConfiguration: .init(level: SARIFRenderer.level(f.severity))))
        }

        /// The `review-remark` pseudo-rule. Its results are informational: kind `informational`,
        /// and so (SARIF 2.1.0, 3.27.9) level `none`.
        mutating func addRemarkRule() {
            ruleIndex[SARIFRenderer.remarkRuleID] = rules.count
            let text = "A reviewer's remark on this line, from the mail thread."
            rules.append(.init(id: SARIFRenderer.remarkRuleID, name: "ReviewRemark", shortDescription: .init(text: "Reviewer remark"),
                               fullDescription: .init(text: text), help: .init(text: text, markdown: nil),
                               defaultConfiguration: .init(level: "none")))
        }

        mutating func artifact(_ path: String) -> Int {
            if let i = artifactIndex[path] { return i }
            artifacts.append(path)
            artifactIndex[path] = artifacts.count - 1
            return artifacts.count - 1
        }

        mutating func location(_ file: String, _ line: Int, endLine: Int? = nil, message: String? = nil, id: Int? = nil,
                               snippet: String? = nil) -> SARIFLog.Location {
            let start = max(1, line)
            return .init(id: id, physicalLocation: .init(
                artifactLocation: .init(uri: SARIFRenderer.uri(file), uriBaseId: uriBaseID, index: artifact(file)),
                region: .init(startLine: start, endLine: endLine.map { max(start, $0) },
                              snippet: snippet.map { .init(text: $0) })),
                message: message.map { .init(text: $0) })
        }

        mutating func addResult(for f: FindingReport, patchTitle: String?, messageID: String?) {
            var related: [SARIFLog.Location] = []
            for (k, l) in f.locations.enumerated() {
                related.append(location(l.file, l.line, message: l.label, id: k + 1))
            }
            var text = f.message
            if !f.explanation.isEmpty { text += "\n\n" + f.explanation }
            if patchTitle != nil {
                text += f.remarks.isEmpty ? "\n\nNo reviewer mentioned this." : "\n\nDiscussed in remark \(f.remarks.joined(separator: ", "))."
            }
            results.append(.init(
                ruleId: f.rule, ruleIndex: ruleIndex[f.rule], level: SARIFRenderer.level(f.severity),
                kind: nil,
                message: .init(text: text),
                locations: [location(f.file, f.line, endLine: f.endLine, snippet: SARIFRenderer.snippet(f))],
                relatedLocations: related.isEmpty ? nil : related,
                partialFingerprints: ["lkmlReview/v1": SARIFRenderer.fingerprint(f, patchTitle: patchTitle ?? "")],
                properties: .init(id: f.id, change: f.change.rawValue, function: f.function, version: f.version,
                                  patch: patchTitle, messageId: messageID, reviewer: nil,
                                  remarks: f.remarks.isEmpty ? nil : f.remarks,
                                  findings: nil)))
            results[results.count - 1].baselineState = SARIFRenderer.baselineState(f)
            results[results.count - 1].properties?.revisionStatus = f.revision?.status.rawValue
            results[results.count - 1].properties?.revisionVersion = f.revision?.otherVersion
        }

        mutating func addResult(for r: RemarkReport, patchTitle: String) {
            guard let file = r.file, let line = r.line else { return }
            let who = r.reviewer?.displayName ?? "A reviewer"
            results.append(.init(
                ruleId: SARIFRenderer.remarkRuleID, ruleIndex: ruleIndex[SARIFRenderer.remarkRuleID], level: "none",
                kind: "informational",
                message: .init(text: "\(who): \(r.text)"),
                locations: [location(file, line, snippet: r.code.first(where: \.isMarked)?.text)],
                relatedLocations: nil, partialFingerprints: nil,
                properties: .init(id: r.id, change: nil, function: r.function, version: r.newLine != nil ? "new" : "old",
                                  patch: patchTitle, messageId: r.message.messageID, reviewer: r.reviewer?.description,
                                  remarks: nil, findings: r.findings.isEmpty ? nil : r.findings)))
            results[results.count - 1].properties?.revisionStatus = r.revision?.status.rawValue
            results[results.count - 1].properties?.revisionVersion = r.revision?.nextVersion
        }

        func finish(tool info: ToolInfo) -> SARIFLog {
            let tool = SARIFLog.Tool(driver: .init(name: info.name, version: info.version,
                                                   informationUri: info.informationURI, rules: rules))
            let run = SARIFLog.Run(tool: tool,
                                   originalUriBaseIds: [uriBaseID: .init(description: .init(text: "Root of the kernel source tree the patch applies to."))],
                                   artifacts: artifacts.map { .init(location: .init(uri: SARIFRenderer.uri($0), uriBaseId: uriBaseID, index: nil)) },
                                   results: results)
            return SARIFLog(version: "2.1.0", schema: "https://json.schemastore.org/sarif-2.1.0.json", runs: [run])
        }
    }

    /// The text of a finding's region, `line` through `endLine`, from its code lines (joined by
    /// line feeds); nil when the code lines do not hold every line of it (a window longer than the
    /// excerpt, or lines the patch does not show): then the region has no snippet.
    static func snippet(_ f: FindingReport) -> String? {
        let end = max(f.line, f.endLine ?? f.line)
        var byLine: [Int: String] = [:]
        for c in f.code { if let n = c.newLine ?? c.oldLine, byLine[n] == nil { byLine[n] = c.text } }
        var lines: [String] = []
        for n in f.line...end {
            guard let text = byLine[n] else { return nil }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    static func level(_ s: Severity) -> String {
        switch s { case .note: "note"; case .warning: "warning"; case .error: "error" }
    }

    /// `lock-window` → `LockWindow`.
    static func camelName(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative path as a URI reference: each segment percent-escaped.
    static func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "+"),
                 UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPad(2)
            }
        }
        while out.hasPrefix("/") { out.removeFirst() }
        return out
    }

    /// Stable across runs: rule, file, function, subject and change (not line numbers, which move).
    static func fingerprint(_ f: FindingReport, patchTitle: String) -> String {
        let key = [f.rule, f.file, f.function ?? "", f.subject ?? "", f.change.rawValue, patchTitle].joined(separator: "\u{1F}")
        var h: UInt64 = 0xcbf29ce484222325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16).leftPad(16)
    }
}

/// The subset of SARIF 2.1.0 that lkml-review writes (property names as in the specification).
public struct SARIFLog: Sendable, Codable, Hashable {
    public var version: String
    public var schema: String
    public var runs: [Run]
    enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }

    public struct Run: Sendable, Codable, Hashable {
        public var tool: Tool
        public var originalUriBaseIds: [String: ArtifactLocationDescription]?
        public var artifacts: [Artifact]?
        public var results: [Result]
    }
    public struct ArtifactLocationDescription: Sendable, Codable, Hashable { public var description: Message }
    public struct Artifact: Sendable, Codable, Hashable { public var location: ArtifactLocation }
    public struct Tool: Sendable, Codable, Hashable { public var driver: Driver }
    public struct Driver: Sendable, Codable, Hashable {
        public var name: String
        public var version: String
        public var informationUri: String
        public var rules: [ReportingDescriptor]
    }
    public struct ReportingDescriptor: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var shortDescription: Message
        public var fullDescription: Message
        public var help: Help
        public var defaultConfiguration: Configuration
    }
    public struct Help: Sendable, Codable, Hashable { public var text: String; public var markdown: String? }
    public struct Configuration: Sendable, Codable, Hashable { public var level: String }
    public struct Message: Sendable, Codable, Hashable { public var text: String }
    public struct Result: Sendable, Codable, Hashable {
        public var ruleId: String
        public var ruleIndex: Int?
        public var level: String
        public var kind: String?
        public var message: Message
        public var locations: [Location]
        public var relatedLocations: [Location]?
        public var partialFingerprints: [String: String]?
        public var properties: Properties?
        /// `new`, `unchanged` or `absent` for a finding followed across series revisions.
        public var baselineState: String? = nil
    }
    public struct Properties: Sendable, Codable, Hashable {
        public var id: String
        public var change: String?
        public var function: String?
        public var version: String?
        public var patch: String?
        public var messageId: String?
        public var reviewer: String?
        public var remarks: [String]?
        public var findings: [String]?
        /// A remark or finding followed into the next revision: its status there (RevisionModel.swift).
        public var revisionStatus: String? = nil
        public var revisionVersion: Int? = nil
    }
    public struct Location: Sendable, Codable, Hashable {
        public var id: Int?
        public var physicalLocation: PhysicalLocation
        public var message: Message?
    }
    public struct PhysicalLocation: Sendable, Codable, Hashable {
        public var artifactLocation: ArtifactLocation
        public var region: Region
    }
    public struct ArtifactLocation: Sendable, Codable, Hashable {
        public var uri: String
        public var uriBaseId: String?
        public var index: Int?
    }
    public struct Region: Sendable, Codable, Hashable {
        public var startLine: Int
        public var endLine: Int?
        public var snippet: Snippet?
    }
    public struct Snippet: Sendable, Codable, Hashable { public var text: String }
}
