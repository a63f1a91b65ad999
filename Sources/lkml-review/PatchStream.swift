// `check --patch` written as it goes: each mail's diff is analysed on its own and its part of the
// output written at once, or, for the sections that come later in the output (notes, the
// functions list of JSON, findings after the tree's source lines, SARIF's results), kept in a
// temporary file until the end. The text is what one result for the whole file would give.
import Foundation
import Patch
import Report
import Rules

struct PatchStream {
    let format: CheckFormat
    let tree: String?
    let engine: RuleEngine
    let trees: TreeSource
    /// The first `base-commit:` met so far.
    var base: String?
    var files = 0
    var findings = 0
    var functions = 0
    var notes = 0
    var sarif = SARIFStream()
    /// Sections written at the end, in this order.
    var later: [Spool?] = [nil, nil]
    var wroteHead = false
    /// The C files' results (`check FILE.c --patch …`): written before the patch's, once the
    /// patch is known to hold a diff.
    var initial: (result: AnalysisResult, lineTexts: [String: [Int: String]])?

    init(format: CheckFormat, tree: String?, engine: RuleEngine) {
        self.format = format; self.tree = tree; self.engine = engine
        trees = TreeSource(root: tree)
    }

    mutating func keepLater(_ section: Int, _ text: String) throws {
        guard !text.isEmpty else { return }
        let s = try later[section] ?? Spool()
        later[section] = s
        _ = try s.append(text)
    }

    func copy(_ spool: Spool?) throws {
        guard let spool else { return }
        var offset = 0
        while offset < spool.length {
            let n = min(1 << 20, spool.length - offset)
            Output.write(String(decoding: try spool.read(offset: offset, count: n), as: UTF8.self))
            offset += n
        }
    }

    /// The diff of one mail (or of a whole non-mbox file).
    mutating func analyze(_ text: String) throws {
        let parsed = PatchParser.parse(text)
        guard !parsed.files.isEmpty else { return }
        if let first = initial {
            initial = nil
            try add(first.result, lineTexts: first.lineTexts, sources: [])
        }
        if base == nil { base = TreeSource.baseCommit(in: text) }
        var result = AnalysisResult()
        var sources: [String] = []
        var lineTexts: [String: [Int: String]] = [:]
        let sarif = format == .sarif
        func keep(_ text: String, _ version: String, _ file: String) {
            guard sarif else { return }
            var lines: [Int: String] = [:]
            for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() { lines[i + 1] = String(l) }
            lineTexts[version + "\u{1F}" + file] = lines
        }
        for fp in parsed.files {
            files += 1
            let r: AnalysisResult
            switch trees.resolve(fp, baseCommit: base) {
            case .whole(let w):
                keep(w.original, "old", fp.oldPath ?? fp.path)
                keep(w.patched, "new", fp.path)
                r = engine.analyze(original: w.original, patched: w.patched, filePatch: fp, offsets: w.offsets)
                sources.append("\(fp.path): \(w.source.rawValue): analysed on whole functions (\(w.detail))")
            case .hunk(let reason):
                if sarif {
                    for h in fp.hunks {
                        for l in h.lines {
                            if let n = l.oldLine { lineTexts["old\u{1F}" + (fp.oldPath ?? fp.path), default: [:]][n] = l.text }
                            if let n = l.newLine { lineTexts["new\u{1F}" + fp.path, default: [:]][n] = l.text }
                        }
                    }
                }
                r = engine.analyze(filePatch: fp)
                if let reason, fp.path.hasSuffix(".c") || fp.path.hasSuffix(".h") {
                    sources.append("\(fp.path): hunk: only the lines the patch shows (\(reason))")
                }
            }
            result.findings += r.findings; result.notes += r.notes; result.functions += r.functions
        }
        try add(result, lineTexts: lineTexts, sources: sources)
    }

    static let findingsOpen = "{\n  \"findings\" : [\n"
    static let functionsOpen = "\n  ],\n  \"functions\" : [\n"
    static let notesOpen = "\n  ],\n  \"notes\" : [\n"
    static let end = "\n  ]\n}\n"

    /// The elements of one of `AnalysisResult`'s arrays, as they stand in its JSON (joined by `,\n`).
    static func elements(_ r: AnalysisResult, between open: String, and close: String) throws -> String {
        let text = try Output.json(r) + "\n"
        guard let o = text.range(of: open), let c = text.range(of: close, range: o.upperBound..<text.endIndex) else {
            throw CLIError("internal error: unexpected JSON layout")
        }
        return String(text[o.upperBound..<c.lowerBound])
    }

    /// One piece's results, written where they go.
    mutating func add(_ r: AnalysisResult, lineTexts: [String: [Int: String]], sources: [String]) throws {
        defer {
            findings += r.findings.count
            functions += r.functions.count
            notes += r.notes.count
        }
        switch format {
        case .text:
            Output.write(sources.map { $0 + "\n" }.joined())
            var f = ""
            for x in r.findings {
                let status = x.status == .unknown ? "" : " [\(x.status.rawValue)]"
                f += "\(x.file):\(x.line): \(x.severity.rawValue): \(x.ruleID): \(x.function): \(x.message)\(status)\n"
                for l in x.lines { f += "    \(l.role.rawValue) \(l.line)" + (l.expression.map { ": \($0)" } ?? "") + "\n" }
            }
            if tree == nil { Output.write(f) } else { try keepLater(0, f) }
            try keepLater(1, r.notes.map { "\($0.file): note: \($0.function): analysis limited: \($0.message)\n" }.joined())
        case .json:
            if !wroteHead { Output.write(Self.findingsOpen); wroteHead = true }
            if !r.findings.isEmpty {
                let e = try Self.elements(AnalysisResult(findings: r.findings), between: Self.findingsOpen, and: Self.functionsOpen)
                Output.write((findings > 0 ? ",\n" : "") + e)
            }
            if !r.functions.isEmpty {
                let e = try Self.elements(AnalysisResult(functions: r.functions), between: Self.functionsOpen, and: Self.notesOpen)
                try keepLater(0, (functions > 0 ? ",\n" : "") + e)
            }
            if !r.notes.isEmpty {
                let e = try Self.elements(AnalysisResult(notes: r.notes), between: Self.notesOpen, and: Self.end)
                try keepLater(1, (notes > 0 ? ",\n" : "") + e)
            }
        case .sarif:
            var reports = RuleFindings.reports(r) { file, version, line in
                lineTexts[version + "\u{1F}" + file]?[line]
                    ?? (version == "old" ? nil : lineTexts["new\u{1F}" + file]?[line])
            }
            for k in reports.indices { reports[k].id = "F\(findings + k + 1)" }
            for e in try sarif.results(findings: reports) { try keepLater(0, e) }
        }
    }

    /// The end of the output, once every mail was read.
    mutating func finish(patch: String) throws {
        if files == 0 {
            throw CLIError("\(patch): no diff found (expected a unified diff, git format-patch output, or a mail holding one)")
        }
        switch format {
        case .text:
            try copy(later[0])
            try copy(later[1])
            Output.write("\(findings) findings in \(functions) functions\n")
        case .json:
            if !wroteHead { Output.write(Self.findingsOpen) }
            Output.write(Self.functionsOpen)
            try copy(later[0])
            Output.write(Self.notesOpen)
            try copy(later[1])
            Output.write(Self.end)
        case .sarif:
            if sarif.resultCount == 0 {
                Output.write(try sarif.empty())
            } else {
                let (head, tail) = try sarif.frame()
                Output.write(head)
                try copy(later[0])
                Output.write(tail)
            }
        }
    }
}
