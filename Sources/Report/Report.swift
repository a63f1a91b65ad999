/// Report turns what the pipeline found in a thread into a review summary a maintainer can paste.
///
/// It holds one Codable report model (`ReviewReport`, versioned by `schemaVersion`): per series
/// and patch the title, version, author, lore link, the trailers collected from the whole thread
/// (conditional ones marked), files and functions touched, the reviewers' remarks grouped by file
/// and line with the quoted code, the rule findings linked to the remarks that discuss them, the
/// open questions and the thread's timeline. `ReportBuilder` fills it from a `ThreadSet`, the
/// patches, the Review analyses and the Rules findings; renderers walk it to produce Markdown
/// (CommonMark + GitHub tables, with every piece of mail text escaped or fenced), JSON (documented
/// in docs/json-schema.md), SARIF 2.1.0 and `file:line: severity: [rule] message` text. Text from
/// mail never reaches a terminal raw: control characters are shown as visible `^X` forms.
import Foundation

/// The whole report for one input (a message, an mbox, a fetched thread).
public struct ReviewReport: Sendable, Hashable, Codable {
    /// Version of this model's JSON form; bumped on incompatible changes (see docs/json-schema.md).
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    public var tool: ToolInfo
    /// The input as the user named it (file, `-`, message-id or URL).
    public var input: String
    /// One entry per patch series (a lone patch is a series of one), in input order.
    public var series: [SeriesReport]
    /// Problems met while building the report (unparsable patches, unmatched quotes, …).
    public var warnings: [String]
    /// The rules ran over the patches (false with `--no-rules`): an empty findings list then
    /// means "nothing found" rather than "not looked".
    public var rulesRun: Bool

    public init(input: String, series: [SeriesReport] = [], warnings: [String] = [], rulesRun: Bool = true,
                tool: ToolInfo = ToolInfo()) {
        self.schemaVersion = Self.currentSchemaVersion
        self.tool = tool; self.input = input; self.series = series; self.warnings = warnings; self.rulesRun = rulesRun
    }

    /// Every finding of every patch, in report order.
    public var allFindings: [FindingReport] { series.flatMap { $0.patches.flatMap(\.findings) } }
    /// Every remark of every patch, in report order.
    public var allRemarks: [RemarkReport] { series.flatMap { $0.patches.flatMap(\.remarks) } }
}

public struct ToolInfo: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var informationURI: String
    public init(name: String = "lkml-review", version: String = "0.1.0",
                informationURI: String = "https://github.com/lkml-review/lkml-review") {
        self.name = name; self.version = version; self.informationURI = informationURI
    }
}

/// Someone who wrote a message or is named by a trailer.
public struct Person: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String?
    public var email: String?
    public init(name: String?, email: String?) {
        self.name = (name?.isEmpty == true) ? nil : name
        self.email = (email?.isEmpty == true) ? nil : email
    }
    /// The name when known, else the address, else `(unknown)`.
    public var displayName: String { name ?? email ?? "(unknown)" }
    /// `Name <email>`, or whichever part is known.
    public var description: String {
        switch (name, email) {
        case let (n?, e?): return "\(n) <\(e)>"
        case let (n?, nil): return n
        case let (nil, e?): return e
        default: return "(unknown)"
        }
    }
    /// Same person: same address (case-insensitive), else same name.
    public func isSame(as other: Person) -> Bool {
        if let a = email?.lowercased(), let b = other.email?.lowercased() { return a == b }
        if let a = name?.lowercased(), let b = other.name?.lowercased() { return a == b }
        return false
    }
}

/// Where something was said: a message of the thread.
public struct MessageRef: Sendable, Hashable, Codable {
    public var messageID: String?
    public var from: Person?
    public var date: Date?
    /// The date as written when no parsed date exists (e.g. from an `On …, X wrote:` line).
    public var dateText: String?
    public init(messageID: String?, from: Person?, date: Date?, dateText: String? = nil) {
        self.messageID = messageID; self.from = from; self.date = date; self.dateText = dateText
    }
}

/// A patch series (or one patch) with its thread.
public struct SeriesReport: Sendable, Hashable, Codable {
    /// Title without prefixes (of the cover letter, else of the first patch).
    public var title: String
    public var version: Int
    /// Number of patches the subjects announce (`n` in `k/n`); nil for a lone patch.
    public var total: Int?
    public var author: Person?
    /// The cover letter (`0/n`), when the series has one; its remarks and trailers are here.
    public var coverLetter: PatchReport?
    /// The patches in series order.
    public var patches: [PatchReport]
    /// Every message of the thread, in thread order.
    public var timeline: [TimelineEntry]
    /// Its place among the revisions of the same series in the input (v1, v2, …), when it has one.
    public var revision: SeriesRevision?
    public init(title: String, version: Int = 1, total: Int? = nil, author: Person? = nil,
                coverLetter: PatchReport? = nil, patches: [PatchReport] = [], timeline: [TimelineEntry] = []) {
        self.title = title; self.version = version; self.total = total; self.author = author
        self.coverLetter = coverLetter; self.patches = patches; self.timeline = timeline
    }
}

/// One patch (or a cover letter) and everything said about it.
public struct PatchReport: Sendable, Hashable, Codable {
    /// How the patch's content was obtained.
    public enum Source: String, Sendable, Hashable, Codable {
        /// The patch's own message is in the input.
        case message
        /// Rebuilt from the quotes of a reply (the patch mail itself is not in the input).
        case quoted
        /// A cover letter: no diff.
        case coverLetter
    }
    /// The subject without `Re:` and bracketed tags.
    public var title: String
    /// The full subject as written.
    public var subject: String
    public var version: Int
    /// `k` and `n` of `k/n`; nil when the subject has none.
    public var index: Int?
    public var total: Int?
    public var isRFC: Bool
    /// The patch mail: its Message-ID, author and date.
    public var message: MessageRef
    /// `https://lore.kernel.org/all/<escaped id>/`, when the Message-ID is known.
    public var loreURL: String?
    public var source: Source
    /// Trailers given in the thread (the patch's own trailers are in `ownTrailers`).
    public var trailers: [TrailerReport]
    /// Trailers written in the patch itself (Signed-off-by, Fixes, Cc …).
    public var ownTrailers: [OwnTrailer]
    public var files: [FileReport]
    public var insertions: Int
    public var deletions: Int
    /// Remarks, those on a line grouped by file (in `files` order) and sorted by line; remarks on
    /// the patch as a whole first.
    public var remarks: [RemarkReport]
    public var findings: [FindingReport]
    public var questions: [QuestionReport]

    public init(title: String, subject: String, version: Int = 1, index: Int? = nil, total: Int? = nil,
                isRFC: Bool = false, message: MessageRef, loreURL: String? = nil, source: Source = .message,
                trailers: [TrailerReport] = [], ownTrailers: [OwnTrailer] = [], files: [FileReport] = [],
                insertions: Int = 0, deletions: Int = 0, remarks: [RemarkReport] = [],
                findings: [FindingReport] = [], questions: [QuestionReport] = []) {
        self.title = title; self.subject = subject; self.version = version; self.index = index
        self.total = total; self.isRFC = isRFC; self.message = message; self.loreURL = loreURL
        self.source = source; self.trailers = trailers; self.ownTrailers = ownTrailers; self.files = files
        self.insertions = insertions; self.deletions = deletions; self.remarks = remarks
        self.findings = findings; self.questions = questions
    }

    /// The findings in the patched code: all but those the patch removes (`fixed`).
    public var openFindings: [FindingReport] { findings.filter { $0.change != .fixed } }
}

/// A trailer written in the patch itself.
public struct OwnTrailer: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// A trailer given in the thread: `Acked-by`, `Reviewed-by`, `Tested-by`, `Nacked-by` …
public struct TrailerReport: Sendable, Hashable, Codable {
    public var key: String
    /// The value as written (`Halil Pasic <pasic@…>`).
    public var value: String
    /// The person the trailer names.
    public var person: Person?
    /// The message that gave it (sender, date, Message-ID).
    public var givenIn: MessageRef
    /// The trailer names someone other than the sender (a forwarded ack).
    public var isOnBehalf: Bool
    /// The sender made it depend on something ("With the one little thing … addressed:").
    public var isConditional: Bool
    /// The words that state the condition, as written.
    public var condition: String?
    /// Given on the cover letter, so it applies to every patch of the series.
    public var fromCoverLetter: Bool
    public init(key: String, value: String, person: Person?, givenIn: MessageRef, isOnBehalf: Bool = false,
                isConditional: Bool = false, condition: String? = nil, fromCoverLetter: Bool = false) {
        self.key = key; self.value = value; self.person = person; self.givenIn = givenIn
        self.isOnBehalf = isOnBehalf; self.isConditional = isConditional; self.condition = condition
        self.fromCoverLetter = fromCoverLetter
    }
}

/// One file the patch changes.
public struct FileReport: Sendable, Hashable, Codable {
    public var path: String
    /// The old path of a rename or copy.
    public var oldPath: String?
    /// `modified`, `added`, `deleted`, `renamed`, `copied`.
    public var change: String
    public var insertions: Int
    public var deletions: Int
    public var isBinary: Bool
    /// Functions whose lines the hunks change, in file order.
    public var functions: [String]
    /// Hunk headers (`-1027,8 +1027,21`).
    public var hunks: [String]
    /// For a file the rules analysed: `blob` (the exact pre-image from the tree's git objects),
    /// `tree` (the tree's file, the patch applied), `tree-reversed` (the tree's file already holds
    /// the patch) or `hunk` (only the lines the hunks show). Absent for files the rules skip.
    public var analysisSource: String?
    /// Where the content came from, or why hunk mode, in words (`pre-image blob 46bb2e4 from the tree`).
    public var analysisDetail: String?
    public init(path: String, oldPath: String? = nil, change: String = "modified", insertions: Int = 0,
                deletions: Int = 0, isBinary: Bool = false, functions: [String] = [], hunks: [String] = [],
                analysisSource: String? = nil, analysisDetail: String? = nil) {
        self.path = path; self.oldPath = oldPath; self.change = change; self.insertions = insertions
        self.deletions = deletions; self.isBinary = isBinary; self.functions = functions; self.hunks = hunks
        self.analysisSource = analysisSource; self.analysisDetail = analysisDetail
    }
}

/// A line of code shown in a report, with its numbers.
public struct CodeLine: Sendable, Hashable, Codable {
    /// `added`, `removed` or `context` (as in a diff), or `source` for a line of a whole file.
    public enum Kind: String, Sendable, Hashable, Codable { case added, removed, context, source }
    public var kind: Kind
    public var oldLine: Int?
    public var newLine: Int?
    public var text: String
    /// The line the remark or finding is about.
    public var isMarked: Bool
    /// A short label for a finding's line (`released`, `re-acquired`, `get`, `put` …).
    public var label: String?
    public init(kind: Kind, oldLine: Int?, newLine: Int?, text: String, isMarked: Bool = false, label: String? = nil) {
        self.kind = kind; self.oldLine = oldLine; self.newLine = newLine; self.text = text
        self.isMarked = isMarked; self.label = label
    }
    /// The number shown for the line: new for added and context lines, old for removed ones.
    public var shownLine: Int? { kind == .removed ? oldLine : (newLine ?? oldLine) }
}

/// A line of quoted mail text (not code) shown with a remark, with its quote depth.
public struct QuotedText: Sendable, Hashable, Codable {
    public var depth: Int
    /// Who wrote this depth, when known.
    public var author: String?
    public var text: String
    public init(depth: Int, author: String?, text: String) { self.depth = depth; self.author = author; self.text = text }
}

/// A reviewer's remark and what it answers.
public struct RemarkReport: Sendable, Hashable, Codable {
    /// What the remark is attached to.
    public enum Target: String, Sendable, Hashable, Codable {
        /// A line of the diff (`file`, `newLine`/`oldLine`).
        case line
        /// The patch as a whole (the commit message, or nothing quoted).
        case patch
        /// Quoted mail prose (an answer in a discussion).
        case prose
    }
    /// Stable id within the report: `R1`, `R2` …
    public var id: String
    public var reviewer: Person?
    public var message: MessageRef
    public var target: Target
    public var file: String?
    public var oldLine: Int?
    public var newLine: Int?
    /// Side of the line: `added`, `removed`, `context`.
    public var side: String?
    public var function: String?
    /// The quoted code around the line, the remark's line marked.
    public var code: [CodeLine]
    /// The quoted prose the remark answers (for `prose` remarks, and for `patch` remarks right
    /// below quoted commit-message lines), with depths and authors.
    public var context: [QuotedText]
    /// The remark as written (the sender's own lines).
    public var text: String
    /// Ids of the findings this remark discusses.
    public var findings: [String]
    /// Later messages that quote this remark and answer it.
    public var answers: [Answer]
    /// Line numbers are uncertain (snipped quote, no hunk header, quoted line not in the patch).
    public var isApproximate: Bool
    /// A note from `--tree` checking (mismatch, file missing …).
    public var treeNote: String?
    /// What became of the remark in the next revision of the series, when the input has one.
    public var revision: RemarkRevision?

    public init(id: String, reviewer: Person?, message: MessageRef, target: Target, file: String? = nil,
                oldLine: Int? = nil, newLine: Int? = nil, side: String? = nil, function: String? = nil,
                code: [CodeLine] = [], context: [QuotedText] = [], text: String, findings: [String] = [],
                answers: [Answer] = [], isApproximate: Bool = false, treeNote: String? = nil) {
        self.id = id; self.reviewer = reviewer; self.message = message; self.target = target; self.file = file
        self.oldLine = oldLine; self.newLine = newLine; self.side = side; self.function = function
        self.code = code; self.context = context; self.text = text; self.findings = findings
        self.answers = answers; self.isApproximate = isApproximate; self.treeNote = treeNote
    }
    /// The line a user jumps to: new line, else old line.
    public var line: Int? { newLine ?? oldLine }
}

/// A later message that quotes a remark (or question) and answers it.
public struct Answer: Sendable, Hashable, Codable {
    public var message: MessageRef
    /// The answer comes from the patch's author.
    public var isAuthor: Bool
    /// The first lines of the answer.
    public var excerpt: String
    /// The patch author's answer agrees to change the patch ("Sure, I'll do that in the next version"), or the
    /// answering mail closes by agreeing to all the remarks (`AuthorReply.agrees`); nil when not.
    public var agrees: Bool?
    public init(message: MessageRef, isAuthor: Bool, excerpt: String, agrees: Bool? = nil) {
        self.message = message; self.isAuthor = isAuthor; self.excerpt = excerpt; self.agrees = agrees
    }
}

/// Severity of a finding, ordered.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case note, warning, error
    var rank: Int { switch self { case .note: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// What the patch does to a finding.
public enum FindingChange: String, Sendable, Hashable, Codable {
    /// Only the new version has it.
    case introduced
    /// Only the old version had it.
    case fixed
    /// Both versions have it (or only one version was analysed).
    case present
}

/// A line a finding points at, with its role.
public struct FindingLocation: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    /// What happens there: `released`, `re-acquired`, `written`, `get`, `put` …
    public var label: String
    public init(file: String, line: Int, label: String) { self.file = file; self.line = line; self.label = label }
}

/// A rule finding on the patched code.
public struct FindingReport: Sendable, Hashable, Codable {
    /// Stable id within the report: `F1`, `F2` …
    public var id: String
    /// Rule id: `lock-window`, `lock-balance`, `refcount-balance` …
    public var rule: String
    /// One-line description of the rule.
    public var ruleSummary: String
    /// Why the rule matters (for SARIF's fullDescription and help).
    public var ruleRationale: String
    public var severity: Severity
    public var file: String
    public var function: String?
    /// The main line (where the problem starts), and the last one (window end), when any.
    public var line: Int
    public var endLine: Int?
    /// Which version of the code the line numbers refer to.
    public var version: String
    public var change: FindingChange
    /// The object of the finding: the lock or the referenced expression.
    public var subject: String?
    /// One-line message.
    public var message: String
    /// A few sentences: what happens on which lines.
    public var explanation: String
    /// The other lines involved, with their roles.
    public var locations: [FindingLocation]
    /// The code lines that show it, the involved lines marked.
    public var code: [CodeLine]
    /// Ids of the remarks that discuss the same function and lines.
    public var remarks: [String]
    /// In a series: the patch (`k` of `k/n`) that introduced a finding this patch keeps (`present`).
    public var introducedInPatch: Int?
    /// In a series: the later patch (`k` of `k/n`) whose analysis no longer has a finding this
    /// patch introduces or keeps (that patch reports it `fixed`).
    public var fixedInPatch: Int?
    /// The finding compared with the previous or next revision of the series, when the input has one.
    public var revision: FindingRevision?

    public init(id: String, rule: String, ruleSummary: String = "", ruleRationale: String = "",
                severity: Severity, file: String, function: String?, line: Int, endLine: Int? = nil,
                version: String = "new", change: FindingChange, subject: String? = nil, message: String,
                explanation: String = "", locations: [FindingLocation] = [], code: [CodeLine] = [],
                remarks: [String] = []) {
        self.id = id; self.rule = rule; self.ruleSummary = ruleSummary; self.ruleRationale = ruleRationale
        self.severity = severity; self.file = file; self.function = function; self.line = line
        self.endLine = endLine; self.version = version; self.change = change; self.subject = subject
        self.message = message; self.explanation = explanation; self.locations = locations; self.code = code
        self.remarks = remarks
    }
    /// No reviewer's remark discusses it.
    public var isUnmentioned: Bool { remarks.isEmpty }
    /// `1062→1067`, or `1150` when there is no end line.
    public var lineRange: String {
        if let endLine, endLine != line { return "\(line)→\(endLine)" }
        return "\(line)"
    }
}

/// A question a reviewer asked (a sentence ending in `?` in their remark).
public struct QuestionReport: Sendable, Hashable, Codable {
    public var text: String
    public var askedBy: Person?
    public var message: MessageRef
    /// The remark that holds it.
    public var remark: String
    /// Someone wrote in the thread below the question's message (a reply, not just any later mail).
    public var isAnswered: Bool
    /// Who replied, in thread order.
    public var repliedBy: [Answer]
    public init(text: String, askedBy: Person?, message: MessageRef, remark: String, isAnswered: Bool = false,
                repliedBy: [Answer] = []) {
        self.text = text; self.askedBy = askedBy; self.message = message; self.remark = remark
        self.isAnswered = isAnswered; self.repliedBy = repliedBy
    }
}

/// One message of the thread, in thread order.
public struct TimelineEntry: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case coverLetter = "cover-letter", patch, reply
        /// A message known only from quotes or references (not in the input).
        case missing
    }
    /// 1-based position in thread order.
    public var number: Int
    /// Depth in the reply tree (0 for a root).
    public var depth: Int
    /// `number` of the message this one answers.
    public var inReplyTo: Int?
    public var kind: Kind
    public var message: MessageRef
    public var subject: String
    /// Keys of the trailers the message gives (`Acked-by`, …).
    public var trailers: [String]
    public var remarks: Int
    public var questions: Int
    public init(number: Int, depth: Int, inReplyTo: Int?, kind: Kind, message: MessageRef, subject: String,
                trailers: [String] = [], remarks: Int = 0, questions: Int = 0) {
        self.number = number; self.depth = depth; self.inReplyTo = inReplyTo; self.kind = kind
        self.message = message; self.subject = subject; self.trailers = trailers; self.remarks = remarks
        self.questions = questions
    }
}

/// Lore links.
public enum LoreLink {
    /// `https://lore.kernel.org/all/<id>/` with the id percent-escaped (only unreserved
    /// characters, `@`, `!`, `$`, `*`, `+`, `,`, `;`, `=`, `:` stay as they are). A `base` holding
    /// `%s` is a mask as b4's `b4.linkmask` (`https://patch.msgid.link/%s`): the escaped id
    /// replaces its first `%s`, and nothing is added.
    public static func url(messageID: String, base: String = "https://lore.kernel.org/all/") -> String {
        if let mask = base.range(of: "%s") {
            return String(base[..<mask.lowerBound]) + escape(messageID) + String(base[mask.upperBound...])
        }
        return (base.hasSuffix("/") ? base : base + "/") + escape(messageID) + "/"
    }

    static func escape(_ messageID: String) -> String {
        var out = ""
        for b in messageID.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPad(2)
            }
        }
        return out
    }
}

extension String {
    func leftPad(_ width: Int, _ pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
