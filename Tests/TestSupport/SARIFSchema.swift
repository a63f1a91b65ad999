// Validation of SARIF logs against the official SARIF 2.1.0 JSON schema (Tests/Schemas), with a
// real JSON-schema validator: Python's `jsonschema`, run as a child process. Plus the rule the
// schema cannot express: a result whose kind is not `fail` has level `none`.
import Foundation

public enum SARIFSchema {
    /// Tests/Schemas/sarif-2.1.0.json.
    public static var schemaPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas/sarif-2.1.0.json").path
    }

    /// The validator: loads the schema (argv[1]), reads the log on standard input, prints one line
    /// per error (`path: message`). Exit 3 when jsonschema cannot be imported.
    static let script = """
    import json, sys
    try:
        import jsonschema
    except ImportError:
        sys.exit(3)
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    for e in sorted(validator.iter_errors(json.load(sys.stdin)), key=lambda e: list(map(str, e.absolute_path))):
        print("/".join(map(str, e.absolute_path)) + ": " + e.message.replace("\\n", " ")[:300])
    """

    /// A Python 3 that can import jsonschema (the one on PATH, else /usr/bin/python3), or why none.
    static let interpreter: Result<String, SkipReason> = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/python3" }
        candidates.append("/usr/bin/python3")
        var tried: [String] = []
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) && !tried.contains(python) {
            tried.append(python)
            if let r = try? run(python, ["-c", "import jsonschema"], input: Data()), r.status == 0 { return .success(python) }
        }
        if tried.isEmpty { return .failure(SkipReason("no python3 found (scripts/install-deps --test installs python3-jsonschema)")) }
        return .failure(SkipReason("no jsonschema module for \(tried.joined(separator: ", ")) (scripts/install-deps --test installs python3-jsonschema)"))
    }()

    public struct SkipReason: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    /// The schema errors of `log` (empty: valid), or nil when no validator is available; then
    /// `test` is told why on standard output.
    public static func problems(_ log: Data, test: String = #function) -> [String]? {
        switch interpreter {
        case .failure(let reason):
            print("\(test): SARIF schema validation skipped: \(reason)")
            return nil
        case .success(let python):
            do {
                let r = try run(python, ["-c", script, schemaPath], input: log)
                if r.status != 0 { return ["the validator failed (status \(r.status)): \(r.stderr)"] }
                return r.stdout.split(separator: "\n").map(String.init)
            } catch {
                return ["the validator could not be run: \(error)"]
            }
        }
    }

    /// Results whose kind is present and not `fail` but whose level is not `none` (SARIF 2.1.0,
    /// 3.27.9: when kind has a value other than `fail`, level, if present, SHALL be `none`).
    public static func kindLevelProblems(_ log: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: log) as? [String: Any],
              let runs = root["runs"] as? [[String: Any]] else { return ["not a SARIF log"] }
        var problems: [String] = []
        for (i, run) in runs.enumerated() {
            for (k, result) in (run["results"] as? [[String: Any]] ?? []).enumerated() {
                let kind = result["kind"] as? String ?? "fail"
                let level = result["level"] as? String
                if kind != "fail" && level != nil && level != "none" {
                    problems.append("runs/\(i)/results/\(k): kind \(kind) with level \(level ?? "")")
                }
            }
        }
        return problems
    }

    /// Both checks: schema errors (when a validator is available) and kind/level problems.
    public static func allProblems(_ log: Data, test: String = #function) -> [String] {
        (problems(log, test: test) ?? []) + kindLevelProblems(log)
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ executable: String, _ arguments: [String], input: Data) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        // A validator that exits before reading everything must not end the tests with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try p.run()
        let handle = stdin.fileHandleForWriting
        let writer = Thread {
            handle.write(input)
            try? handle.close()
        }
        writer.start()
        let r = ChildOutput.drain(p, out: stdout, err: stderr)
        return Output(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}
