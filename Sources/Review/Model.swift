import Mailbox
import Patch

// Public, Codable result types of the Review module. They are printed as JSON by the CLI.

/// What a run of body lines is.
public enum BlockKind: String, Sendable, Hashable, Codable {
    /// `On …, X wrote:` and its relatives; Outlook's `-----Original Message-----` header block.
    case attribution
    /// Lines prefixed with `>` (or `|`); `depth` says how many markers.
    case quote
    /// The sender's own text.
    case remark
    /// `Acked-by:`, `Reviewed-by:`, `Fixes:` … in the sender's own text.
    case trailer
    /// From the `-- ` line to the next quote (or the end).
    case signature
    /// `[...]`, `<snip>`, `...` written by the sender between quotes.
    case snip
    /// Blank lines of the sender's own text.
    case blank
}

/// A run of consecutive body lines of one kind and depth.
public struct Block: Sendable, Hashable, Codable {
    public var kind: BlockKind
    /// Quote depth: 0 for the sender's own text.
    public var depth: Int
    /// 0-based index of the first line in `Message.body`.
    public var firstLine: Int
    public var lineCount: Int
    /// The lines without their quote markers, joined with `\n`.
    public var text: String
    public init(kind: BlockKind, depth: Int, firstLine: Int, lineCount: Int, text: String) {
        self.kind = kind; self.depth = depth; self.firstLine = firstLine; self.lineCount = lineCount; self.text = text
    }
}

/// A line (or two or three) naming the author of the quote that follows.
public struct Attribution: Sendable, Hashable, Codable {
    public enum Form: String, Sendable, Hashable, Codable {
        /// `On <date>, X wrote:` in one, two or three lines.
        case onWrote
        /// `X wrote:` without a date.
        case wrote
        /// `X <a@b> writes:` (Gnus).
        case writes
        /// `Quoting X (date):`
        case quoting
        /// `Am <date> schrieb X:`
        case german
        /// `Le <date>, X a écrit :`
        case french
        /// `* X <a@b> [date]:` (Mutt's default).
        case mutt
        /// `-----Original Message-----` with From:/Sent:/To:/Subject:.
        case outlook
    }
    public var form: Form
    public var firstLine: Int
    public var lineCount: Int
    /// Depth of the attribution line itself; it names the author of `depth + 1`.
    public var depth: Int
    public var name: String?
    public var email: String?
    /// The date as written, when the form has one.
    public var date: String?
    /// The attribution's lines joined with a space.
    public var text: String
    /// The quote depth whose author it names: `depth + 1`, except for an Outlook header block that
    /// opens a quoted message (`> -----Original Message-----` above that message's own text at the
    /// same depth), which names its own depth.
    public var quotedDepth: Int
    public init(form: Form, firstLine: Int, lineCount: Int, depth: Int, name: String?, email: String?,
                date: String?, text: String, quotedDepth: Int? = nil) {
        self.form = form; self.firstLine = firstLine; self.lineCount = lineCount; self.depth = depth
        self.name = name; self.email = email; self.date = date; self.text = text
        self.quotedDepth = quotedDepth ?? depth + 1
    }
}

/// Who wrote the text quoted at one depth.
public struct QuoteAuthor: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        /// Only an attribution line names the author.
        case attribution
        /// Only the thread (In-Reply-To / References chain) does.
        case thread
        /// Both do and they agree.
        case both
        /// Both do and they disagree; `name`/`email` are the attribution's, `threadName`/`threadEmail` the thread's.
        case conflict
    }
    public var depth: Int
    public var name: String?
    public var email: String?
    public var source: Source
    public var threadName: String?
    public var threadEmail: String?
    /// The message-id of the ancestor that wrote this depth, when the thread gave it.
    public var messageID: String?
    public init(depth: Int, name: String?, email: String?, source: Source, threadName: String? = nil,
                threadEmail: String? = nil, messageID: String? = nil) {
        self.depth = depth; self.name = name; self.email = email; self.source = source
        self.threadName = threadName; self.threadEmail = threadEmail; self.messageID = messageID
    }
    /// Name when known, else the address.
    public var displayName: String { name ?? email ?? "?" }
}

/// How a quoted diff line's numbers were obtained.
public enum Numbering: String, Sendable, Hashable, Codable {
    /// Counted forward from the hunk header with no gap before the line.
    case header
    /// Counted backward from the end of a hunk whose tail is complete.
    case fromEnd
    /// Counted forward across an interruption where lines may have been deleted.
    case uncertain
    /// No hunk header to count from (or a snip before the line and no way to realign).
    case unknown
    /// Taken from the original patch by alignment.
    case aligned
    /// Found in the quoted file in the reviewer's tree (its pre-image, or its post-image when the
    /// tree holds the patch), the other side counted from the hunk header and confirmed by its counts.
    case tree
    /// A line of a hunk quoted without its header, found in the tree's exact pre-image blob (or
    /// post-image): the number on that side is exact; the other side has no header to count from
    /// and is left out.
    case treeSide
}

/// Where a quoted diff line sits in the original patch.
public struct OriginalRef: Sendable, Hashable, Codable {
    /// Indices into `Patch.files`, `FilePatch.hunks`, `Hunk.lines`.
    public var file: Int
    public var hunk: Int
    public var line: Int
    public var path: String
    public var oldLine: Int?
    public var newLine: Int?
    public init(file: Int, hunk: Int, line: Int, path: String, oldLine: Int?, newLine: Int?) {
        self.file = file; self.hunk = hunk; self.line = line; self.path = path; self.oldLine = oldLine; self.newLine = newLine
    }
}

/// One line of diff rebuilt from quoted text.
public struct QuotedDiffLine: Sendable, Hashable, Codable {
    /// Body line of the (first) quoted line.
    public var bodyLine: Int
    public var depth: Int
    public var kind: HunkLine.Kind
    /// Text without the diff marker; re-wrapped continuations are joined with a space.
    public var text: String
    /// Index into `QuotedDiff.hunks`.
    public var hunk: Int
    public var file: String?
    /// Numbers from the quoted hunk reconstruction (before alignment).
    public var oldLine: Int?
    public var newLine: Int?
    public var numbering: Numbering
    /// Number of quoted body lines joined into this one (1 unless the client re-wrapped it).
    public var physicalLines: Int
    /// Enclosing function from the hunk header or from the code.
    public var function: String?
    /// Set by alignment with the original patch.
    public var original: OriginalRef?
    public init(bodyLine: Int, depth: Int, kind: HunkLine.Kind, text: String, hunk: Int, file: String?,
                oldLine: Int?, newLine: Int?, numbering: Numbering, physicalLines: Int = 1,
                function: String? = nil, original: OriginalRef? = nil) {
        self.bodyLine = bodyLine; self.depth = depth; self.kind = kind; self.text = text; self.hunk = hunk
        self.file = file; self.oldLine = oldLine; self.newLine = newLine; self.numbering = numbering
        self.physicalLines = physicalLines; self.function = function; self.original = original
    }
}

/// A quoted hunk (or a run of quoted diff lines without a header).
public struct QuotedHunk: Sendable, Hashable, Codable {
    public var depth: Int
    public var file: String?
    /// From the quoted `@@` header; nil when the reviewer removed it.
    public var oldStart: Int?
    public var oldCount: Int?
    public var newStart: Int?
    public var newCount: Int?
    public var section: String
    /// Body line of the header (or of the first line).
    public var bodyLine: Int
    /// Range of this hunk's lines in `QuotedDiff.lines`.
    public var firstLineIndex: Int
    public var lineCount: Int
    /// Snips (`[...]`, `<snip>`, `...`) inside the hunk.
    public var snips: Int
    /// The quote ends with a structural marker (next `@@`, next file, `-- `): the tail is complete.
    public var tailComplete: Bool
    /// Quoted old/new lines equal the header's counts.
    public var countsAgree: Bool
    public var header: String? {
        guard let oldStart, let newStart else { return nil }
        return "-\(oldStart),\(oldCount ?? 1) +\(newStart),\(newCount ?? 1)"
    }
    public init(depth: Int, file: String?, oldStart: Int?, oldCount: Int?, newStart: Int?, newCount: Int?,
                section: String, bodyLine: Int, firstLineIndex: Int, lineCount: Int = 0, snips: Int = 0,
                tailComplete: Bool = false, countsAgree: Bool = false) {
        self.depth = depth; self.file = file; self.oldStart = oldStart; self.oldCount = oldCount
        self.newStart = newStart; self.newCount = newCount; self.section = section; self.bodyLine = bodyLine
        self.firstLineIndex = firstLineIndex; self.lineCount = lineCount; self.snips = snips
        self.tailComplete = tailComplete; self.countsAgree = countsAgree
    }
}

/// The diff rebuilt from every quote depth of a message.
public struct QuotedDiff: Sendable, Hashable, Codable {
    public var hunks: [QuotedHunk]
    public var lines: [QuotedDiffLine]
    public init(hunks: [QuotedHunk] = [], lines: [QuotedDiffLine] = []) { self.hunks = hunks; self.lines = lines }
    public var insertions: Int { lines.filter { $0.kind == .added }.count }
    public var deletions: Int { lines.filter { $0.kind == .removed }.count }
}

/// What a remark answers.
public enum RemarkTarget: String, Sendable, Hashable, Codable {
    /// The patch as a whole: the remark precedes any quoted diff (it answers the commit message),
    /// or follows the quoted end of the patch.
    case patch
    /// A quoted diff line; see `Remark.anchor`.
    case line
    /// Quoted prose (a mail the sender answers, not a diff).
    case prose
    /// Nothing quoted above it and no patch in sight.
    case message
}

/// The quoted diff line a remark is attached to.
public struct DiffAnchor: Sendable, Hashable, Codable {
    public var file: String?
    public var oldLine: Int?
    public var newLine: Int?
    public var side: HunkLine.Kind
    /// The quoted line's text without its diff marker.
    public var text: String
    public var function: String?
    /// `-1027,8 +1027,21` of the quoted hunk (or of the original's when aligned).
    public var hunkHeader: String?
    public var numbering: Numbering
    /// Numbers from the quoted hunk reconstruction, kept even when alignment supplied `oldLine`/`newLine`.
    public var reconstructedOldLine: Int?
    public var reconstructedNewLine: Int?
    /// Body line of the quoted line.
    public var bodyLine: Int
    /// Index into `QuotedDiff.lines`.
    public var lineIndex: Int
    public init(file: String?, oldLine: Int?, newLine: Int?, side: HunkLine.Kind, text: String, function: String?,
                hunkHeader: String?, numbering: Numbering, reconstructedOldLine: Int?, reconstructedNewLine: Int?,
                bodyLine: Int, lineIndex: Int) {
        self.file = file; self.oldLine = oldLine; self.newLine = newLine; self.side = side; self.text = text
        self.function = function; self.hunkHeader = hunkHeader; self.numbering = numbering
        self.reconstructedOldLine = reconstructedOldLine; self.reconstructedNewLine = reconstructedNewLine
        self.bodyLine = bodyLine; self.lineIndex = lineIndex
    }
}

/// The quoted lines a remark answers: those since the previous remark.
public struct QuotedSpan: Sendable, Hashable, Codable {
    public var firstLine: Int
    public var lineCount: Int
    /// Smallest quote depth in the span.
    public var depth: Int
    /// The quoted lines without markers (blank quoted lines and attributions left out).
    public var text: String
    /// How many of them are diff lines.
    public var diffLines: Int
    public init(firstLine: Int, lineCount: Int, depth: Int, text: String, diffLines: Int) {
        self.firstLine = firstLine; self.lineCount = lineCount; self.depth = depth; self.text = text
        self.diffLines = diffLines
    }
}

/// Result of checking an attribution against a kernel source tree.
public struct TreeCheck: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// The quoted pre-image lines are in the file at the stated old lines.
        case matches
        /// They are not.
        case mismatch
        /// The quoted post-image lines are there instead: the tree already has the patch.
        case alreadyApplied
        case fileMissing
        /// No file or no old line to check.
        case notCheckable
    }
    public var status: Status
    public var file: String?
    /// The line of the real file the remark is attached to (old line; for an added line, the
    /// pre-image line it follows).
    public var line: Int?
    public var realText: String?
    /// Quoted pre-image lines checked and how many matched.
    public var checked: Int
    public var matched: Int
    public var warning: String?
    public init(status: Status, file: String?, line: Int?, realText: String?, checked: Int, matched: Int, warning: String?) {
        self.status = status; self.file = file; self.line = line; self.realText = realText
        self.checked = checked; self.matched = matched; self.warning = warning
    }
}

/// One remark of the sender and what it answers.
public struct Remark: Sendable, Hashable, Codable {
    public var firstLine: Int
    public var lineCount: Int
    /// The remark's lines, blank lines at either end removed.
    public var text: String
    public var target: RemarkTarget
    public var anchor: DiffAnchor?
    public var span: QuotedSpan?
    /// The author of the quoted text the remark answers, when known.
    public var answers: String?
    /// Alignment ran and the quoted line above the remark is not in the original patch.
    public var unmatched: Bool
    /// Set by `TreeChecker`.
    public var treeCheck: TreeCheck?
    public init(firstLine: Int, lineCount: Int, text: String, target: RemarkTarget, anchor: DiffAnchor? = nil,
                span: QuotedSpan? = nil, answers: String? = nil, unmatched: Bool = false, treeCheck: TreeCheck? = nil) {
        self.firstLine = firstLine; self.lineCount = lineCount; self.text = text; self.target = target
        self.anchor = anchor; self.span = span; self.answers = answers; self.unmatched = unmatched
        self.treeCheck = treeCheck
    }
}

/// Figures of an alignment with the original patch.
public struct AlignmentSummary: Sendable, Hashable, Codable {
    /// Quoted diff lines and how many were found in the original.
    public var quotedLines: Int
    public var matchedLines: Int
    /// Matched lines whose reconstructed numbers equal the original's.
    public var agreeingLines: Int
    public init(quotedLines: Int = 0, matchedLines: Int = 0, agreeingLines: Int = 0) {
        self.quotedLines = quotedLines; self.matchedLines = matchedLines; self.agreeingLines = agreeingLines
    }
}

/// Everything the Review module found in one message.
public struct ReviewAnalysis: Sendable, Hashable, Codable {
    public var messageID: String?
    public var from: Address?
    public var subject: String
    public var blocks: [Block]
    public var attributions: [Attribution]
    public var quoteAuthors: [QuoteAuthor]
    public var quotedDiff: QuotedDiff
    public var remarks: [Remark]
    /// Present when an original patch was given.
    public var alignment: AlignmentSummary?
    public var warnings: [String]
    public init(messageID: String?, from: Address?, subject: String, blocks: [Block], attributions: [Attribution],
                quoteAuthors: [QuoteAuthor], quotedDiff: QuotedDiff, remarks: [Remark],
                alignment: AlignmentSummary?, warnings: [String]) {
        self.messageID = messageID; self.from = from; self.subject = subject; self.blocks = blocks
        self.attributions = attributions; self.quoteAuthors = quoteAuthors; self.quotedDiff = quotedDiff
        self.remarks = remarks; self.alignment = alignment; self.warnings = warnings
    }
    /// Author of the text quoted at `depth`.
    public func author(ofDepth depth: Int) -> QuoteAuthor? { quoteAuthors.first { $0.depth == depth } }
}
