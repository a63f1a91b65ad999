// `lkml-review check`: runs the C rules on whole files, on a patch's hunks, or on a tree's files
// with a patch applied.
import ArgumentParser
import Foundation
import Patch
import Report
import Rules

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the lock and refcount rules on C files or on a patch.",
        discussion: """
            With FILE.c arguments, whole files are analysed. With --patch, the functions the hunks show \
            are analysed before and after the patch and findings are marked introduced, fixed or present; \
            adding --tree DIR analyses whole functions on the pre-image from DIR: the blob of the \
            diff's index line (or of base-commit:) when DIR is a git checkout, else DIR's file with the \
            patch applied (or reversed when DIR already holds it), else the hunks alone.
            """
    )

    @Argument(help: "C files to analyse.")
    var files: [String] = []

    @Option(help: "A patch (git format-patch output, a unified diff, or a mail holding one).")
    var patch: String?

    @Option(help: "Kernel tree the patch applies to (with --patch).")
    var tree: String?

    @Option(help: "A YAML file of extra lock, reference and consumer entries.")
    var tables: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup(title: "Limits")
    var limits: RuleLimitOptions

    func validate() throws {
        if files.isEmpty && patch == nil { throw ValidationError("give C files or --patch") }
        if tree != nil && patch == nil { throw ValidationError("--tree needs --patch") }
    }

    func run() throws {
        let engine = RuleEngine(tables: try RuleTableOptions.load(tables), limits: limits.ruleLimits)
        var result = AnalysisResult()
        for f in files {
            let r = engine.analyze(source: try Self.source(f), path: f)
            // Judged by content, not by the name: a text in which the analyser finds no
            // function is not something to check (an empty result would read as "all clear").
            if r.functions.isEmpty { throw CLIError("\(f): no C function found (expected C source)") }
            result.findings += r.findings; result.notes += r.notes; result.functions += r.functions
        }
        var sources: [String] = []
        if let patch {
            let parsed = PatchParser.parse(try Self.read(patch))
            if parsed.files.isEmpty {
                throw CLIError("\(patch): no diff found (expected a unified diff, git format-patch output, or a mail holding one)")
            }
            if let tree, !TreeSetting.isDirectory(tree) { throw CLIError("--tree \(tree): not a directory") }
            // With a tree: the pre-image from its git objects or its file (Report's TreeSource), else hunk mode.
            let trees = TreeSource(root: tree)
            let base = TreeSource.baseCommit(in: try Self.read(patch))
            for fp in parsed.files {
                let r: AnalysisResult
                switch trees.resolve(fp, baseCommit: base) {
                case .whole(let w):
                    r = engine.analyze(original: w.original, patched: w.patched, filePatch: fp, offsets: w.offsets)
                    sources.append("\(fp.path): \(w.source.rawValue): analysed on whole functions (\(w.detail))")
                case .hunk(let reason):
                    r = engine.analyze(filePatch: fp)
                    if let reason, fp.path.hasSuffix(".c") || fp.path.hasSuffix(".h") {
                        sources.append("\(fp.path): hunk: only the lines the patch shows (\(reason))")
                    }
                }
                result.findings += r.findings; result.notes += r.notes; result.functions += r.functions
            }
        }
        if json {
            Output.write(try Output.json(result) + "\n")
        } else {
            Output.write(sources.map { $0 + "\n" }.joined() + Self.text(result))
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
