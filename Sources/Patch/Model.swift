/// Patch reads git-format patches and unified diffs and knows every line's old and new number.
///
/// It parses the commit message, the `---` separator and diffstat, `diff --git` extended headers
/// (renames, copies, modes, binary), `---`/`+++` lines and hunks with their section text, and can
/// apply a patch to a file's content (or reverse it) with a clear error when it does not apply.
/// It knows nothing about mail: callers hand it text (`PatchParser.parse`, `findPatches`,
/// `containsDiff`; `FilePatch.apply(to:)`, `reverseApply(to:)`). Hunks end by their line counts,
/// as in `git apply`; mail damage (CRLF, lost spaces on empty context lines, wrapped `@@` lines,
/// short or long hunks) becomes `Patch.warnings`, never a crash.

/// One line of a hunk.
public struct HunkLine: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case context, added, removed
    }
    public var kind: Kind
    /// The line's text without the leading ` `, `+` or `-`.
    public var text: String
    /// Line number in the pre-image (nil for added lines).
    public var oldLine: Int?
    /// Line number in the post-image (nil for removed lines).
    public var newLine: Int?
    /// A `\ No newline at end of file` marker followed this line.
    public var noNewlineAtEnd: Bool
    /// 0-based index of this line in the text that was parsed (nil when built by hand).
    public var inputLine: Int? = nil
    public init(kind: Kind, text: String, oldLine: Int?, newLine: Int?, noNewlineAtEnd: Bool = false) {
        self.kind = kind; self.text = text; self.oldLine = oldLine; self.newLine = newLine
        self.noNewlineAtEnd = noNewlineAtEnd
    }
    public init(kind: Kind, text: String, oldLine: Int?, newLine: Int?, noNewlineAtEnd: Bool = false,
                inputLine: Int?) {
        self.init(kind: kind, text: text, oldLine: oldLine, newLine: newLine, noNewlineAtEnd: noNewlineAtEnd)
        self.inputLine = inputLine
    }
}

/// One `@@ -a,b +c,d @@ section` hunk.
public struct Hunk: Sendable, Hashable, Codable {
    public var oldStart: Int
    public var oldCount: Int
    public var newStart: Int
    public var newCount: Int
    /// The text after the second `@@` (usually the enclosing function's first line), trimmed.
    public var section: String
    public var lines: [HunkLine]
    /// 0-based index of the `@@` line in the text that was parsed (nil when built by hand).
    public var inputLine: Int? = nil
    public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int, section: String, lines: [HunkLine]) {
        self.oldStart = oldStart; self.oldCount = oldCount; self.newStart = newStart
        self.newCount = newCount; self.section = section; self.lines = lines
    }
    /// `-1027,8 +1027,21`
    public var header: String { "-\(oldStart),\(oldCount) +\(newStart),\(newCount)" }
}

/// The changes to one file.
public struct FilePatch: Sendable, Hashable, Codable {
    public enum Change: String, Sendable, Hashable, Codable {
        case modified, added, deleted, renamed, copied
    }
    /// Path before the change without `a/` (nil for `/dev/null`).
    public var oldPath: String?
    /// Path after the change without `b/` (nil for `/dev/null`).
    public var newPath: String?
    public var change: Change
    public var oldMode: String?
    public var newMode: String?
    /// `similarity index N%` for renames and copies.
    public var similarity: Int?
    public var isBinary: Bool
    public var hunks: [Hunk]
    /// `dissimilarity index N%` (a complete rewrite).
    public var dissimilarity: Int? = nil
    /// Abbreviated blob names from `index abc..def`, when given.
    public var oldHash: String? = nil
    public var newHash: String? = nil
    /// The diff came with a `diff --git` header (git semantics: exact paths, modes, renames).
    public var isGitDiff: Bool = false
    /// 0-based index of the file's first header line (`diff --git` or `---`) in the parsed text.
    public var inputLine: Int? = nil
    public init(oldPath: String?, newPath: String?, change: Change = .modified, oldMode: String? = nil,
                newMode: String? = nil, similarity: Int? = nil, isBinary: Bool = false, hunks: [Hunk] = []) {
        self.oldPath = oldPath; self.newPath = newPath; self.change = change; self.oldMode = oldMode
        self.newMode = newMode; self.similarity = similarity; self.isBinary = isBinary; self.hunks = hunks
    }
    /// The path a reviewer names: the new path, else the old one.
    public var path: String { newPath ?? oldPath ?? "" }
    public var insertions: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .added }.count } }
    public var deletions: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .removed }.count } }
}

/// A whole patch: commit message, diffstat and file diffs.
public struct Patch: Sendable, Hashable, Codable {
    /// The text before `---` (or before the first diff), trailers included.
    public var commitMessage: String
    /// The diffstat lines between `---` and the first diff, as written.
    public var diffstat: [String]
    public var files: [FilePatch]
    /// Text between the `---` separator and the diff that is not diffstat (version notes, "Changes
    /// in v2" lists), trimmed; empty when there is none.
    public var notes: String = ""
    /// Damage found while parsing: hunks whose counts do not match their lines, bad headers, etc.
    public var warnings: [PatchWarning] = []
    public init(commitMessage: String = "", diffstat: [String] = [], files: [FilePatch] = []) {
        self.commitMessage = commitMessage; self.diffstat = diffstat; self.files = files
    }
    public var insertions: Int { files.reduce(0) { $0 + $1.insertions } }
    public var deletions: Int { files.reduce(0) { $0 + $1.deletions } }
}

/// Something wrong with a patch that the parser worked around instead of failing.
public struct PatchWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The hunk ended (a line that cannot be a hunk line, or the end of the text) before the
        /// line counts in its `@@` header were reached.
        case hunkTooShort
        /// Lines that look like hunk lines (`+…`, `-…`) follow a hunk whose counts are used up.
        case hunkTooLong
        /// An `@@` line that could not be read as `@@ -a,b +c,d @@`.
        case badHunkHeader
        /// A combined diff (`@@@`, `diff --cc`) that this parser does not read.
        case combinedDiff
        /// A `GIT binary patch` block without its `literal`/`delta` payload.
        case badBinaryPatch
        /// A `diff --git` line whose paths could not be read.
        case badGitHeader
        /// The mail client wrapped a long `@@` line: its next line was taken as the rest of the
        /// section text.
        case wrappedHunkHeader
    }
    public var kind: Kind
    /// 0-based index of the line in the parsed text the warning is about.
    public var line: Int
    public var message: String
    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind; self.line = line; self.message = message
    }
    /// The warning says a hunk's header counts disagree with the lines present.
    public var isCountMismatch: Bool { kind == .hunkTooShort || kind == .hunkTooLong }
    public var description: String { "line \(line + 1): \(message)" }
}
