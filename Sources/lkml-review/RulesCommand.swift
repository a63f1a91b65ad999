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

    @Option(help: "A YAML file of extra lock, reference and consumer entries.")
    var tables: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Only the rules, not the tables.")
    var rulesOnly = false

    func run() throws {
        let t = try RuleTableOptions.load(tables)
        let rows = rulesOnly ? [] : t.listing()
        if json {
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
/// line naming it: `FILE: cannot read: <reason>`, or `FILE:LINE: PATH: expected …` for an entry
/// of the wrong shape, or `FILE:LINE:COLUMN: not valid YAML: …` (see `TablesFileError`).
enum RuleTableOptions {
    static func load(_ path: String?) throws -> RuleTables {
        guard let path else { return .builtIn }
        let text = try InputFile.text(path)
        do {
            return try RuleTables.loading(yaml: text)
        } catch let e as RuleTableError {
            throw CLIError(TablesFileError.describe(e.message, yaml: text, path: path))
        } catch {
            throw CLIError(TablesFileError.describe("\(error)", yaml: text, path: path))
        }
    }
}

/// The one line shown for a tables file that RuleTables cannot load. Rules wraps the decoder's
/// error into its message (`cannot read rule table: DecodingError.typeMismatch: expected value of
/// type Int. Path: locks[0].argument. Debug description: …`, or for a YAML syntax error
/// `… Underlying error: 2:3: error: parser: while parsing … did not find expected node content: …`),
/// so that text is taken apart here: the coding path is looked up in the file for its line.
enum TablesFileError {
    static func describe(_ message: String, yaml: String, path: String) -> String {
        var e = message
        for prefix in ["cannot read rule table: "] where e.hasPrefix(prefix) { e.removeFirst(prefix.count) }
        if let syntax = syntaxError(e, path: path) { return syntax }
        if let decoding = decodingError(e, yaml: yaml, path: path) { return decoding }
        return "\(path): \(SafeText.oneLine(e))"
    }

    /// `L:C: error: parser: while parsing a flow node in line L, column C\nPROBLEM:\n<snippet>`
    /// (Yams' YamlError) → `FILE:L:C: not valid YAML: PROBLEM (while parsing a flow node)`.
    static func syntaxError(_ e: String, path: String) -> String? {
        guard let r = e.range(of: "Underlying error: ") else { return nil }
        let u = e[r.upperBound...]
        let lines = u.split(separator: "\n", omittingEmptySubsequences: false)
        let head = lines.first.map(String.init) ?? ""
        let numbers = head.prefix { $0.isNumber || $0 == ":" }.split(separator: ":")
        guard numbers.count >= 2, let line = Int(numbers[0]), let column = Int(numbers[1]),
              let er = head.range(of: "error: ") else { return nil }
        var context = String(head[er.upperBound...])
        for kind in ["scanner: ", "parser: ", "reader: ", "composer: "] where context.hasPrefix(kind) { context.removeFirst(kind.count) }
        if let at = context.range(of: " in line ", options: .backwards) { context = String(context[..<at.lowerBound]) }
        var problem = lines.count > 1 ? String(lines[1]) : ""
        if problem.hasSuffix(":") { problem.removeLast() }
        let what = problem.isEmpty ? context : (context.isEmpty ? problem : "\(problem) (\(context))")
        return "\(path):\(line):\(column): not valid YAML: \(SafeText.oneLine(what))"
    }

    /// Swift's DecodingError description: `DecodingError.KIND: SUMMARY. Path: P. Debug description: D`.
    static func decodingError(_ e: String, yaml: String, path: String) -> String? {
        guard e.hasPrefix("DecodingError.") else { return nil }
        let body = e.dropFirst("DecodingError.".count)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let kind = String(body[..<colon])
        var rest = String(body[body.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        var debug = ""
        if let d = rest.range(of: ". Debug description: ") {
            debug = String(rest[d.upperBound...])
            rest = String(rest[..<d.lowerBound])
        }
        var codingPath = ""
        if let p = rest.range(of: ". Path: ") {
            codingPath = String(rest[p.upperBound...])
            rest = String(rest[..<p.lowerBound])
        }
        if let u = debug.range(of: ". Underlying error: ") { debug = String(debug[..<u.lowerBound]) }
        if debug.hasSuffix(".") { debug.removeLast() }
        let what: String
        switch kind {
        case "typeMismatch":
            // "Expected to decode Int but found Scalar instead."
            let words = debug.split(separator: " ")
            let expected = words.count > 3 && debug.hasPrefix("Expected to decode ") ? String(words[3]) : typeName(in: rest)
            var found = ""
            if let f = words.firstIndex(of: "found"), f + 1 < words.count { found = String(words[f + 1]) }
            let nodeKinds = ["Sequence", "Mapping", "Scalar"]
            what = "expected \(Self.kindName(expected))"
                + (nodeKinds.contains(expected) && nodeKinds.contains(found) && found != expected ? ", found \(Self.kindName(found))" : "")
        case "keyNotFound":
            // "Key 'name' not found in keyed decoding container"
            if let a = rest.firstIndex(of: "'"), let b = rest[rest.index(after: a)...].firstIndex(of: "'") {
                what = "missing key '\(rest[rest.index(after: a)..<b])'"
            } else {
                what = rest
            }
        case "valueNotFound":
            what = "expected \(Self.kindName(typeName(in: rest))), found no value"
        default:
            what = debug.isEmpty ? rest : debug
        }
        let location = YAMLLocator.line(of: codingPath, in: yaml).map { "\(path):\($0):" } ?? "\(path):"
        let prefix = codingPath.isEmpty || codingPath == "." ? "" : "\(codingPath): "
        return SafeText.oneLine("\(location) \(prefix)\(what)")
    }

    /// "expected value of type Int" / "Cannot get value of type String -- …" → "Int".
    static func typeName(in summary: String) -> String {
        guard let r = summary.range(of: "of type ") else { return "a value" }
        return String(summary[r.upperBound...].prefix { !$0.isWhitespace && $0 != "." })
    }

    static func kindName(_ t: String) -> String {
        switch t {
        case "Sequence": return "a sequence"
        case "Mapping": return "a mapping"
        case "Scalar": return "a scalar"
        default: return t
        }
    }
}

/// The line (from 1) of a coding path such as `locks[0].argument` in a block-style YAML file:
/// each key is looked up at its mapping's indentation, each index among the `-` items of its
/// sequence; a value written inline (`- {name: x, argument: zero}`) is on the line found so far.
enum YAMLLocator {
    enum Part: Equatable { case key(String), index(Int) }

    static func parts(_ path: String) -> [Part] {
        var out: [Part] = []
        for piece in path.split(separator: ".") {
            var p = Substring(piece)
            if let b = p.firstIndex(of: "[") {
                if b > p.startIndex { out.append(.key(String(p[..<b]))) }
                p = p[b...]
                while p.hasPrefix("["), let close = p.firstIndex(of: "]") {
                    if let i = Int(p[p.index(after: p.startIndex)..<close]) { out.append(.index(i)) }
                    p = p[p.index(after: close)...]
                }
            } else {
                out.append(.key(String(p)))
            }
        }
        return out
    }

    static func line(of path: String, in yaml: String) -> Int? {
        let parts = parts(path)
        guard !parts.isEmpty else { return nil }
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { l in
            l.hasSuffix("\r") ? String(l.dropLast()) : String(l)
        }
        func indent(_ k: Int) -> Int { lines[k].prefix { $0 == " " }.count }
        func text(_ k: Int) -> Substring { lines[k].drop { $0 == " " } }
        func isContent(_ k: Int) -> Bool {
            let t = text(k)
            return !t.isEmpty && !t.hasPrefix("#") && t != "---"
        }
        func isInline(_ value: Substring) -> Bool {
            let v = value.drop { $0 == " " }
            return !v.isEmpty && !v.hasPrefix("#")
        }
        var lo = 0, hi = lines.count
        var found: Int?
        for part in parts {
            guard let first = (lo..<hi).first(where: isContent) else { break }
            let level = indent(first)
            switch part {
            case .key(let key):
                let forms = [key + ":", "\"\(key)\":", "'\(key)':"]
                guard let j = (lo..<hi).first(where: { k in
                    isContent(k) && indent(k) == level && forms.contains { text(k).hasPrefix($0) }
                }) else { return found.map { $0 + 1 } }
                found = j
                let t = text(j)
                let value = t[t.index(after: t.firstIndex(of: ":")!)...]
                if isInline(value) { return j + 1 }
                lo = j + 1
                hi = (lo..<hi).first { k in
                    isContent(k) && (indent(k) < level || (indent(k) == level && !text(k).hasPrefix("-")))
                } ?? hi
            case .index(let index):
                let items = (lo..<hi).filter { k in isContent(k) && indent(k) == level && text(k).hasPrefix("-") }
                guard index < items.count else { return found.map { $0 + 1 } }
                let j = items[index]
                found = j
                let end = index + 1 < items.count ? items[index + 1] : hi
                let value = text(j).dropFirst()
                if isInline(value) {
                    let v = value.drop { $0 == " " }
                    if v.hasPrefix("{") || v.hasPrefix("[") || !v.contains(":") { return j + 1 }
                    // `- key: value`: the item's first key, at the indentation of the others
                    var l = lines[j]
                    let dash = l.index(l.startIndex, offsetBy: level)
                    l.replaceSubrange(dash...dash, with: " ")
                    lines[j] = l
                    lo = j
                } else {
                    lo = j + 1
                }
                hi = end
            }
        }
        return found.map { $0 + 1 }
    }
}

/// Reading an input file whole, with one-line errors that name it once.
enum InputFile {
    static func data(_ path: String) throws -> Data {
        var st = stat()
        if stat(path, &st) != 0 { throw CLIError("\(path): cannot read: \(String(cString: strerror(errno)))") }
        if st.st_mode & S_IFMT == S_IFDIR { throw CLIError("\(path): is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            let e = access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "read failed"
            throw CLIError("\(path): cannot read: \(e)")
        }
        return data
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }
}
