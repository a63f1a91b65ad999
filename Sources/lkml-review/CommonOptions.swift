// Options several commands share under one name: `--tables FILE` (the user's rule tables; `--rules
// FILE` is its old spelling in `review`, kept hidden) and `--format` (each command's own values;
// the old `--json` flags are kept hidden).
import ArgumentParser

/// `--tables FILE`: a YAML file that adds to or overrides the built-in rule tables.
struct TablesOption: ParsableArguments {
    @Option(name: .customLong("tables"),
            help: ArgumentHelp("A YAML file of lock APIs, get/put pairs and consumers that adds to or overrides the built-in tables (see 'lkml-review rules' and docs/RULES.md).", valueName: "FILE"),
            completion: .file())
    var tables: String?

    /// The old name in `review` (and in the README's `rules --rules FILE`).
    @Option(name: .customLong("rules"), help: ArgumentHelp("The old name of --tables.", visibility: .hidden), completion: .file())
    var oldName: String?

    var path: String? { tables ?? oldName }

    func validate() throws {
        if let tables, let oldName, tables != oldName {
            throw ValidationError("--rules is the old name of --tables: give the tables file once.")
        }
    }
}

/// The format of a command's output: `--format VALUE`, or the old `--json` flag.
enum OutputFormatChoice {
    static func resolve<F: RawRepresentable & Equatable>(_ format: F?, json: Bool, jsonValue: F, default fallback: F) throws -> F
    where F.RawValue == String {
        if json {
            if let format, format != jsonValue {
                throw ValidationError("--json is the old spelling of --format json; it cannot be combined with --format \(format.rawValue).")
            }
            return jsonValue
        }
        return format ?? fallback
    }
}

/// `--json`, the old spelling of `--format json`.
struct JSONFlag: ParsableArguments {
    @Flag(name: .customLong("json"), help: ArgumentHelp("The old spelling of --format json.", visibility: .hidden))
    var json = false
}

/// `check --format`.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
}

/// `remarks`, `parse` and `rules --format`.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
