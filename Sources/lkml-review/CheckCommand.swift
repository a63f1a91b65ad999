// `lkml-review check`: runs the C rules on whole files, on a patch's hunks, or on a tree's files
// with a patch applied.
import ArgumentParser
import Foundation
import Mailbox
import Patch
import Report
import Rules

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the lock and refcount rules on C files or on a patch.",
        discussion: """
            With FILE.c arguments, whole files are analysed. --format sarif writes a SARIF 2.1.0 log. With --patch, the functions the hunks show \
            are analysed before and after the patch and findings are marked introduced, fixed or present; \
            adding --tree DIR analyses whole functions on the pre-image from DIR: the blob of the \
            diff's index line (or of base-commit:) when DIR is a git checkout, else DIR's file with the \
            patch applied (or reversed when DIR already holds it), else the hunks alone.
            """
    )

    @Argument(help: "C files to analyse.", completion: .file())
    var files: [String] = []

    @Option(help: ArgumentHelp("A patch (git format-patch output, a unified diff, or a mail holding one).", valueName: "FILE"),
            completion: .file())
    var patch: String?

    @Option(help: ArgumentHelp("Kernel tree the patch applies to (with --patch).", valueName: "PATH"), completion: .directory)
    var tree: String?

    @OptionGroup var tables: TablesOption

    @Option(help: ArgumentHelp("Output format: text (default; file:line: severity: rule: function: message), json or sarif.", valueName: "FORMAT"))
    var format: CheckFormat?

    @OptionGroup var old: JSONFlag

    @OptionGroup(title: "Limits")
    var limits: RuleLimitOptions

    func validate() throws {
        if files.isEmpty && patch == nil { throw ValidationError("give C files or --patch") }
        if tree != nil && patch == nil { throw ValidationError("--tree needs --patch") }
        _ = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text)
    }

    func run() throws {
        let format = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text)
        let engine = RuleEngine(tables: try RuleTableOptions.load(tables.path), limits: limits.ruleLimits)
        var result = AnalysisResult()
        // The text of each analysed version, for SARIF's snippets: key "version\u{1F}file".
        var lineTexts: [String: [Int: String]] = [:]
        func keep(_ text: String, _ version: String, _ file: String) {
            guard format == .sarif else { return }
            var lines: [Int: String] = [:]
            for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() { lines[i + 1] = String(l) }
            lineTexts[version + "\u{1F}" + file] = lines
        }
        for f in files {
            let text = try Self.source(f)
            keep(text, "file", f)
            let r = engine.analyze(source: text, path: f)
            // Judged by content, not by the name: a text in which the analyser finds no
            // function is not something to check (an empty result would read as "all clear").
            if r.functions.isEmpty { throw CLIError("\(f): no C function found (expected C source)") }
            result.findings += r.findings; result.notes += r.notes; result.functions += r.functions
        }
        guard let patch else {
            switch format {
            case .json:
                Output.write(try Output.json(result) + "\n")
            case .sarif:
                let findings = RuleFindings.reports(result) { file, version, line in
                    lineTexts[version + "\u{1F}" + file]?[line]
                        ?? (version == "old" ? nil : lineTexts["new\u{1F}" + file]?[line])
                }
                Output.write(try SARIFRenderer().render(findings: findings))
            case .text:
                Output.write(Self.text(result))
            }
            return
        }
        if let tree, !TreeSetting.isDirectory(tree) { throw CLIError("--tree \(tree): not a directory") }
        var stream = PatchStream(format: format, tree: tree, engine: engine)
        // The C files' results come first, as they did in one result.
        stream.initial = (result, lineTexts)
        try Self.checkPatch(patch, &stream)
        try stream.finish(patch: patch)
    }

    /// The rules on a patch file read mail by mail (an mbox is cut at its `From ` lines; gzip is
    /// decoded as it is read): each mail's diff is analysed and its findings written, so that an
    /// archive of patches is never held whole. The output is the one of the whole file read at
    /// once, except SARIF snippets, taken from the mail the finding comes from.
    static func checkPatch(_ patch: String, _ stream: inout PatchStream) throws {
        var st = stat()
        if stat(patch, &st) != 0 { throw CLIError("\(patch): cannot read: \(String(cString: strerror(errno)))") }
        if st.st_mode & S_IFMT == S_IFDIR { throw CLIError("\(patch): is a folder, not a file") }
        if access(patch, R_OK) != 0 { throw CLIError("\(patch): cannot read: \(String(cString: strerror(errno)))") }
        do {
            try RawPieces.forEach(path: patch) { bytes in
                try stream.analyze(String(decoding: bytes, as: UTF8.self))
            }
        } catch let e as MailboxError {
            throw CLIError(e.description)
        }
    }

    static func read(_ path: String) throws -> String {
        try InputFile.text(path)
    }

    /// A C file's text; a file with a NUL byte is binary, not C.
    static func source(_ path: String) throws -> String {
        let data = try InputFile.data(path)
        if data.contains(0) { throw CLIError("\(path): a binary file, not C source") }
        return String(decoding: data, as: UTF8.self)
    }

    static func text(_ r: AnalysisResult) -> String {
        var out = ""
        for f in r.findings {
            let status = f.status == .unknown ? "" : " [\(f.status.rawValue)]"
            out += "\(f.file):\(f.line): \(f.severity.rawValue): \(f.ruleID): \(f.function): \(f.message)\(status)\n"
            for l in f.lines { out += "    \(l.role.rawValue) \(l.line)" + (l.expression.map { ": \($0)" } ?? "") + "\n" }
        }
        for n in r.notes { out += "\(n.file): note: \(n.function): analysis limited: \(n.message)\n" }
        out += "\(r.findings.count) findings in \(r.functions.count) functions\n"
        return out
    }
}
