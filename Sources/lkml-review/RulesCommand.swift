// `lkml-review rules`: the rules and the lock / reference tables they read.
import ArgumentParser
import Foundation
import Report
import Rules

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the C rules and the lock and get/put tables (built in, plus a user file).",
        discussion: "A YAML file given with --tables adds or replaces entries (see docs/RULES.md for its format)."
    )

    @OptionGroup var tables: TablesOption

    @Option(help: ArgumentHelp("Output format: text (default) or json.", valueName: "FORMAT"))
    var format: TextOrJSON?

    @OptionGroup var old: JSONFlag

    @Flag(help: "Only the rules, not the tables.")
    var rulesOnly = false

    func validate() throws {
        _ = try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text)
    }

    func run() throws {
        let t = try RuleTableOptions.load(tables.path)
        let rows = rulesOnly ? [] : t.listing()
        if try OutputFormatChoice.resolve(format, json: old.json, jsonValue: .json, default: .text) == .json {
            struct Out: Encodable { var rules: [R]; var tables: [RuleTableEntry] }
            struct R: Encodable { var id, name, summary, rationale: String }
            let rules = RuleEngine.rules.map { R(id: $0.id, name: $0.name, summary: $0.summary, rationale: $0.rationale) }
            Output.write(try Output.json(Out(rules: rules, tables: rows)) + "\n")
            return
        }
        var out = ""
        for r in RuleEngine.rules { out += "\(r.id)\t\(r.summary)\n" }
        if !rows.isEmpty {
            out += "\n"
            for r in rows { out += "\(r.table)\t\(r.name)\t\(r.action)\t\(r.family)\t\(r.detail)\n" }
            let locks = rows.filter { $0.table == "lock" }.count
            let refs = rows.filter { $0.table == "reference" }.count
            out += "\n\(locks) lock APIs, \(refs) reference APIs, \(rows.count - locks - refs) consumers\n"
        }
        Output.write(out)
    }
}

/// Loads the built-in tables plus an optional user YAML file. Every problem with the file is one
/// line naming it: `FILE: cannot read: <reason>`, `FILE:LINE: PATH: expected …` for an entry of the
/// wrong shape, `FILE:LINE:COLUMN: not valid YAML: …` (the place comes from `RuleTableError`).
enum RuleTableOptions {
    static func load(_ path: String?) throws -> RuleTables {
        guard let path else { return .builtIn }
        let text = try InputFile.text(path)
        do {
            return try RuleTables.loading(yaml: text)
        } catch let e as RuleTableError {
            throw CLIError(SafeText.oneLine("\(path):\(e.line == nil ? " " : "")\(e)"))
        }
    }
}

/// Reading an input file whole, with one-line errors that name it once. A pipe or a device reads
/// as a file does (`--tables <(…)`, `/dev/null` as an empty table), up to `maxSize` bytes.
enum InputFile {
    static let maxSize = 64 << 20

    static func data(_ path: String) throws -> Data {
        var st = stat()
        if stat(path, &st) != 0 { throw CLIError("\(path): cannot read: \(String(cString: strerror(errno)))") }
        if st.st_mode & S_IFMT == S_IFDIR { throw CLIError("\(path): is a folder, not a file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw CLIError("\(path): cannot read: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out = Data()
        try readChunks(fd, path: path) { chunk in
            out.append(contentsOf: chunk)
            if out.count > maxSize { throw CLIError("\(path): larger than \(maxSize >> 20) MiB") }
        }
        return out
    }

    /// Reads `fd` to its end in 64 KiB chunks, each handed to `body`.
    static func readChunks(_ fd: Int32, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try readOnce(fd, into: &buffer, count: buffer.count, what: path)
            if n == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// One read(2) of up to `count` bytes into `buffer`, retried on EINTR; 0 at the end.
    static func readOnce(_ fd: Int32, into buffer: inout [UInt8], count: Int, what: String) throws -> Int {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min(count, $0.count)) }
            if n >= 0 { return n }
            if errno != EINTR { throw CLIError("\(what): read failed: \(String(cString: strerror(errno)))") }
        }
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }
}
