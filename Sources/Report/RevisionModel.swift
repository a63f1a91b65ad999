// The report model of series revisions (v1, v2, … of one series in the input): which series are
// revisions of which, which patch became which, and what became of every remark and finding of vN
// in vN+1. Filled by `Revisions` (Revisions.swift); every field is optional in JSON, so a report
// without revisions reads as before.
import Foundation

/// A series' place in a chain of revisions, set on every series that has a previous or a next
/// revision in the input.
public struct SeriesRevision: Sendable, Hashable, Codable {
    /// How the revisions were matched: `change-id` (b4's `change-id:` line), `subject-author` (the
    /// same title from the same address) or `patch-subjects` (the same author, and most patch
    /// titles shared).
    public var matchedBy: String
    /// b4's change-id of the chain, when the mail gives one.
    public var changeID: String?
    /// Every version of the chain in the input, ascending.
    public var versions: [Int]
    /// The previous revision in the input (vN-1, or an older one when it is missing).
    public var previous: RevisionLink?
    /// The next revision in the input; the remarks and findings of this series are followed into it.
    public var next: RevisionLink?
    /// Per patch of this series, its counterpart in the next revision (empty without one).
    public var patches: [PatchRevision]
    /// Titles of the next revision's patches no patch of this one became.
    public var addedInNext: [String]
    /// The next revision's changelog: its cover letter's "Changes in …" part and each patch's notes
    /// below `---`, as written (first lines).
    public var nextChangelog: [String]
    /// Counts of the remark statuses (`addressed`, `not-addressed`, `answered`, `gone`, `undetermined`).
    public var remarkCounts: [String: Int]
    /// Counts of the finding statuses (`fixed`, `still-present`).
    public var findingCounts: [String: Int]
    public init(matchedBy: String, changeID: String? = nil, versions: [Int], previous: RevisionLink? = nil,
                next: RevisionLink? = nil, patches: [PatchRevision] = [], addedInNext: [String] = [],
                nextChangelog: [String] = [], remarkCounts: [String: Int] = [:], findingCounts: [String: Int] = [:]) {
        self.matchedBy = matchedBy; self.changeID = changeID; self.versions = versions; self.previous = previous
        self.next = next; self.patches = patches; self.addedInNext = addedInNext; self.nextChangelog = nextChangelog
        self.remarkCounts = remarkCounts; self.findingCounts = findingCounts
    }
}

/// Another revision of the same series.
public struct RevisionLink: Sendable, Hashable, Codable {
    public var version: Int
    public var title: String
    /// The cover letter's Message-ID, else the first patch's.
    public var messageID: String?
    public var date: Date?
    public init(version: Int, title: String, messageID: String?, date: Date?) {
        self.version = version; self.title = title; self.messageID = messageID; self.date = date
    }
}

/// One patch of vN and what it became in vN+1.
public struct PatchRevision: Sendable, Hashable, Codable {
    /// `k` of `k/n` in this revision (nil for a lone patch).
    public var index: Int?
    public var title: String
    /// `k` in the next revision; nil when the patch is not there (dropped, or merged into another).
    public var nextIndex: Int?
    public var nextTitle: String?
    /// How the counterpart was found: `subject` (same title), `similar-subject` (most title words) or `files` (same files changed).
    public var matchedBy: String?
    /// `git patch-id --stable` of this patch and of its counterpart.
    public var patchID: String?
    public var nextPatchID: String?
    /// The counterpart has the same patch-id: the change itself did not change.
    public var unchanged: Bool
    /// Trailers given on this patch in the thread that carry over to the next revision (the patch
    /// did not change and the next revision does not already carry them).
    public var carriedTrailers: [TrailerReport]
    /// The next revision's notes below `---` for this patch (its changelog).
    public var nextNotes: String?
    /// Interdiff vN → vN+1 (`--interdiff`): per file, a diff of the two patches' diff lines.
    public var interdiff: [String]?
    public init(index: Int?, title: String, nextIndex: Int? = nil, nextTitle: String? = nil, matchedBy: String? = nil,
                patchID: String? = nil, nextPatchID: String? = nil, unchanged: Bool = false,
                carriedTrailers: [TrailerReport] = [], nextNotes: String? = nil, interdiff: [String]? = nil) {
        self.index = index; self.title = title; self.nextIndex = nextIndex; self.nextTitle = nextTitle
        self.matchedBy = matchedBy; self.patchID = patchID; self.nextPatchID = nextPatchID; self.unchanged = unchanged
        self.carriedTrailers = carriedTrailers; self.nextNotes = nextNotes; self.interdiff = interdiff
    }
}

/// What became of a vN remark in vN+1.
public struct RemarkRevision: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The code the remark points at changed in vN+1, or the vN+1 changelog mentions it.
        case addressed
        /// The same lines are in vN+1 unchanged, and the author did not reply.
        case notAddressed = "not-addressed"
        /// The same lines are in vN+1 unchanged, and the author replied to the remark.
        case answered
        /// The file, the function or the patch is no longer in the series.
        case gone
        /// A remark on the patch as a whole that nothing in vN+1 tells about.
        case undetermined
    }
    public var status: Status
    /// The version the remark was followed into.
    public var nextVersion: Int
    /// `k` of the vN+1 patch looked at.
    public var nextIndex: Int?
    /// What decided: `lines-unchanged`, `lines-changed`, `moved-out-of-function`, `line-removed`,
    /// `still-removed`, `removal-dropped`, `changelog`, `file-gone`, `function-gone`, `patch-gone`,
    /// `author-replied`, `nothing`.
    public var evidence: String
    /// The evidence in words.
    public var detail: String
    /// The lines the remark points at in vN (the marked one is the remark's line).
    public var oldLines: [CodeLine]
    /// The same place in vN+1: the lines found, or what the patch has there now.
    public var newLines: [CodeLine]
    /// The changelog line that mentions the remark, for `changelog` evidence.
    public var changelog: String?
    /// The patch author replied to the remark (whatever the code says): the first reply.
    public var answer: Answer?
    public init(status: Status, nextVersion: Int, nextIndex: Int? = nil, evidence: String, detail: String,
                oldLines: [CodeLine] = [], newLines: [CodeLine] = [], changelog: String? = nil, answer: Answer? = nil) {
        self.status = status; self.nextVersion = nextVersion; self.nextIndex = nextIndex; self.evidence = evidence
        self.detail = detail; self.oldLines = oldLines; self.newLines = newLines; self.changelog = changelog; self.answer = answer
    }
}

/// What became of a rule finding across revisions.
public struct FindingRevision: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// On a vN finding: vN+1 no longer has it.
        case fixed
        /// On a vN finding: vN+1 still has it; on a vN+1 finding: vN had it already.
        case stillPresent = "still-present"
        /// On a vN+1 finding: vN did not have it.
        case new
    }
    public var status: Status
    /// The version compared with (vN+1 for a vN finding, vN for a vN+1 finding).
    public var otherVersion: Int
    /// The line of the same finding in the other version, when it has it.
    public var otherLine: Int?
    public init(status: Status, otherVersion: Int, otherLine: Int? = nil) {
        self.status = status; self.otherVersion = otherVersion; self.otherLine = otherLine
    }
}
