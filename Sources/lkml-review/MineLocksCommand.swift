// `lkml-review mine-locks`: the lock wrappers of whole C files, one JSON line each, for
// scripts/mine-tables (hidden: a maintainer's tool, not a reviewer's).
import ArgumentParser
import Foundation
import Rules

struct MineLocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine-locks",
        abstract: "Print the lock wrappers of C files (for scripts/mine-tables).",
        discussion: """
            For each function that takes or releases, on every path, a lock reached from one of its \
            parameters, prints a JSON object: file, function, line, action, argument, family, success, lock, \
            declared (from its __acquires/__releases annotation). \
            File names are read from the arguments, or one per line from standard input with --stdin. \
            The lock entries read are the curated ones and those of --tables, never the mined file's.
            """,
        shouldDisplay: false
    )

    @Argument(help: "C files to read.")
    var files: [String] = []

    @Flag(help: "Read file names from standard input, one per line.")
    var stdin = false

    @Option(help: "A YAML file of lock entries to read with (the wrappers found so far).")
    var tables: String?

    @Flag(help: "Print the functions that return a counted reference on every path that succeeds instead (file, function, line, family); the reference entries read are the curated ones and those of --tables.")
    var finders = false

    func run() throws {
        var names = files
        if stdin {
            while let line = readLine() { if !line.isEmpty { names.append(line) } }
        }
        let engine = RuleEngine(tables: try RuleTables.forMining(extra: tables.map { try CheckCommand.read($0) },
                                                                 references: finders))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for name in names {
            let source: String
            do { source = try CheckCommand.source(name) } catch {
                Output.errorLine("mine-locks: \(error)")
                continue
            }
            var out = ""
            if finders {
                for f in engine.finders(source: source, path: name) {
                    let row = FinderRow(file: name, function: f.function, line: f.line, family: f.family)
                    out += String(decoding: try encoder.encode(row), as: UTF8.self) + "\n"
                }
                if !out.isEmpty { Output.write(out) }
                continue
            }
            for w in engine.lockWrappers(source: source, path: name) {
                let row = Row(file: name, function: w.function, line: w.line, action: w.action.rawValue,
                              argument: w.argument, family: w.family, success: w.success.rawValue, lock: w.lock,
                              declared: w.declared)
                out += String(decoding: try encoder.encode(row), as: UTF8.self) + "\n"
            }
            if !out.isEmpty { Output.write(out) }
        }
    }

    struct FinderRow: Encodable {
        var file, function: String
        var line: Int
        var family: String
    }

    struct Row: Encodable {
        var file, function: String
        var line: Int
        var action: String
        var argument: Int
        var family, success, lock: String
        /// From the function's `__acquires`/`__releases` annotation rather than its paths.
        var declared: Bool
    }
}
