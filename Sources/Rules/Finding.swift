/// What a rule reports: values only, never printed by this module.

/// One finding of one rule in one function.
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case note, warning, error
        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
    /// What the patch does to the finding (hunk mode); `.unknown` in full-file mode.
    public enum Status: String, Sendable, Hashable, Codable {
        case introduced, fixed, present, unknown
    }
    /// Which numbering the lines use: the pre-image (a fixed finding), the post-image, or a whole file.
    public enum Side: String, Sendable, Hashable, Codable {
        case old, new, file
    }
    /// The part a line plays in the finding.
    public enum Role: String, Sendable, Hashable, Codable {
        case acquired = "acquired at"
        /// Held when the shown code starts: the acquire is in lines the hunks do not show.
        case heldOnEntry = "held from before the hunk at"
        case released = "released at"
        case reacquired = "re-acquired at"
        case written = "written at"
        case checked = "checked at"
        case rechecked = "re-checked at"
        case usedAfter = "used after re-acquire at"
        case call = "call at"
        case calleeReleased = "released in callee at"
        case calleeReacquired = "re-acquired in callee at"
        case exit = "returns at"
        case unlockedExit = "returns unlocked at"
        case get = "get at"
        case put = "put at"
        case use = "used at"
        case stored = "stored at"
        case restart = "restarts at"
        /// A value loaded from a field that holds a counted reference (`kvm = matrix_mdev->kvm`).
        case loaded = "loaded from the field at"
    }
    public struct Line: Sendable, Hashable, Codable {
        public var role: Role
        public var line: Int
        /// The expression the line is about (`kvm->arch.crypto.pqap_hook`), when there is one.
        public var expression: String?
        public init(_ role: Role, _ line: Int, _ expression: String? = nil) {
            self.role = role; self.line = line; self.expression = expression
        }
    }

    public var ruleID: String
    public var severity: Severity
    /// The function the finding is in.
    public var function: String
    public var file: String
    /// The line a marker (`↓`) in a rule example points at: the first evidence line.
    public var line: Int
    public var lines: [Line]
    /// The lock or object (`matrix_dev->lock`, `kvm`).
    public var subject: String
    /// A short machine-readable kind within the rule (`window`, `leak`, `over-put` …).
    public var kind: String
    public var message: String
    public var status: Status
    public var side: Side

    public init(ruleID: String, severity: Severity, function: String, file: String = "", line: Int,
                lines: [Line], subject: String, kind: String, message: String,
                status: Status = .unknown, side: Side = .file) {
        self.ruleID = ruleID; self.severity = severity; self.function = function; self.file = file
        self.line = line; self.lines = lines; self.subject = subject; self.kind = kind
        self.message = message; self.status = status; self.side = side
    }

    /// Lines with a given role, in order.
    public func lines(_ role: Role) -> [Int] { lines.filter { $0.role == role }.map(\.line) }

    /// Identity across the old and new version of a function (line numbers differ).
    public var matchKey: String { "\(ruleID)|\(kind)|\(function)|\(subject)|\(message.hashValueIndependentKey)" }
}

extension String {
    /// The message without line numbers, so the same finding matches in both versions.
    var hashValueIndependentKey: String {
        var out = ""
        out.reserveCapacity(count)
        for ch in self where !ch.isNumber { out.append(ch) }
        return out
    }
}

/// A limit the analysis hit (path cap, nesting depth): results for that function are partial.
public struct AnalysisNote: Sendable, Hashable, Codable {
    public var function: String
    public var file: String
    public var message: String
    public init(function: String, file: String, message: String) {
        self.function = function; self.file = file; self.message = message
    }
}

/// Everything an analysis returns.
public struct AnalysisResult: Sendable, Hashable, Codable {
    public var findings: [Finding]
    public var notes: [AnalysisNote]
    /// Functions analysed (names), in order.
    public var functions: [String]
    public init(findings: [Finding] = [], notes: [AnalysisNote] = [], functions: [String] = []) {
        self.findings = findings; self.notes = notes; self.functions = functions
    }
}
