/// Review recovers the structure of a review reply: who said what, and which line each remark answers.
///
/// It splits a message body into attribution lines (`On …, X wrote:` in its one-, two- and
/// three-line forms, `X writes:`, `Quoting X (date):`, German and French variants, Outlook's
/// `-----Original Message-----` block), quoted blocks with their depth, the sender's remarks,
/// trailers and signature; gives each quote depth its author from the attributions and the thread;
/// rebuilds the quoted diff from damaged quotes (snips, deleted lines, missing headers, re-wrapped
/// lines, tabs turned into spaces); aligns it with the original patch when there is one; and
/// attaches every remark to the quoted diff line just above it (file, old/new line, side, enclosing
/// function, the quoted span it answers). It works on the body's UTF-8 bytes; `String`s are made
/// only for what a user is shown.
import Mailbox
import Patch

/// The messages above a reply in its thread, parent first.
public struct ThreadContext: Sendable {
    public var ancestors: [Message]
    public init(ancestors: [Message] = []) { self.ancestors = ancestors }

    /// Follows `In-Reply-To` (else the last `References` entry) through `lookup`, up to `limit`
    /// messages, stopping at a loop.
    public init(message: Message, limit: Int = 16, lookup: (String) -> Message?) {
        ancestors = Self.chain(of: message, limit: limit, lookup: lookup, message: { $0 })
    }

    /// The ancestor chain as handles (messages, or indices into an array of them), parent first.
    static func chain<H>(of message: Message, limit: Int, lookup: (String) -> H?, message get: (H) -> Message) -> [H] {
        var chain: [H] = []
        var seen: Set<String> = []
        if let id = message.messageID { seen.insert(id) }
        var next = message.parentID
        // When the parent is missing, the References chain still names older ancestors.
        var refs = Array(message.references.reversed())
        while chain.count < limit, let id = next {
            if seen.contains(id) { break }
            seen.insert(id)
            guard let h = lookup(id) else {
                refs.removeAll { $0 == id }
                next = refs.first { !seen.contains($0) }
                if next == nil { break }
                continue
            }
            chain.append(h)
            let m = get(h)
            next = m.parentID
            refs = Array(m.references.reversed())
        }
        return chain
    }

    /// The nearest ancestor that carries a patch (the message the reply answers, or the one above it).
    public func nearestPatchMessage() -> Message? {
        ancestors.first { !$0.patchAttachments.isEmpty || PatchParser.containsDiff($0.body) }
    }
}

public enum ReviewParser {
    /// Everything about one message: blocks, attributions, authors per depth, the quoted diff and
    /// the remarks with what they answer. `original` is the patch the message replies to, when known.
    public static func analyze(_ message: Message, thread: ThreadContext = ThreadContext(),
                               original: Patch? = nil, tree: QuotedFileLookup? = nil,
                               treeSearch: QuotedPathSearch? = nil) -> ReviewAnalysis {
        analyze(message, thread: thread, alignWith: original.map(PatchIndex.init), tree: tree, treeSearch: treeSearch)
    }

    /// The same, with the original patch already indexed (`PatchIndex(patch)`, built once and shared
    /// by every reply to that patch); nil: no original, no alignment.
    ///
    /// `tree`, without an original patch: the quoted files from the reviewer's tree; the quoted
    /// hunks are aligned with them (`Numbering.tree`). `treeSearch` finds the file of a hunk quoted
    /// without its file name.
    public static func analyze(_ message: Message, thread: ThreadContext = ThreadContext(),
                               alignWith index: PatchIndex?, tree: QuotedFileLookup? = nil,
                               treeSearch: QuotedPathSearch? = nil) -> ReviewAnalysis {
        let sb = Splitter.split(message.body)
        var build = DiffBuilder.build(sb)
        var warnings: [String] = []
        var summary: AlignmentSummary? = nil
        let hasOriginal = index != nil
        if let index {
            summary = Aligner.align(&build.diff, with: index)
        } else if let tree {
            TreeAligner.align(&build.diff, blobs: build.blobs, lookup: tree, search: treeSearch)
        }
        let authors = quoteAuthors(sb, thread: thread, maxDepth: sb.body.lines.reduce(0) { max($0, $1.depth) })
        let patchContext = build.firstDiffBodyLine != Int.max || hasOriginal || message.subjectInfo.isPatch
            || thread.ancestors.first.map { $0.subjectInfo.isPatch && !$0.subjectInfo.isReply } == true
        var remarks = attach(sb, build, authors: authors, patchContext: patchContext, aligned: hasOriginal)
        // Functions are found for the hunks remarks point into (the rest costs time nobody reads).
        var needed = Set<Int>()
        for r in remarks { if let li = r.anchor?.lineIndex, li >= 0 { needed.insert(build.diff.lines[li].hunk) } }
        if !needed.isEmpty {
            assignFunctions(&build.diff, index: index, only: needed)
            for k in remarks.indices {
                if let li = remarks[k].anchor?.lineIndex, li >= 0 { remarks[k].anchor?.function = build.diff.lines[li].function }
            }
        }
        for h in build.diff.hunks where h.oldStart != nil && !h.countsAgree && h.tailComplete && h.snips == 0 {
            warnings.append("hunk \(h.header ?? "") at body line \(h.bodyLine + 1): quoted lines do not add up to the header's counts")
        }
        if let s = summary, s.matchedLines < s.quotedLines {
            warnings.append("\(s.quotedLines - s.matchedLines) of \(s.quotedLines) quoted diff lines are not in the original patch")
        }
        return ReviewAnalysis(messageID: message.messageID, from: message.from, subject: message.subject,
                              blocks: blocks(sb), attributions: sb.attributions, quoteAuthors: authors,
                              quotedDiff: build.diff, remarks: remarks, alignment: summary, warnings: warnings)
    }

    /// The body's blocks only.
    public static func blocks(of body: String) -> [Block] { blocks(Splitter.split(body)) }

    /// The diff rebuilt from the body's quotes (line numbers from the quoted hunk headers).
    public static func quotedDiff(of body: String) -> QuotedDiff {
        quotedDiffAndBlobs(of: body).diff
    }

    /// The same, with the pre-image blob each hunk's file's quoted `index` line names (by hunk).
    public static func quotedDiffAndBlobs(of body: String) -> (diff: QuotedDiff, blobs: [Int: String]) {
        let build = DiffBuilder.build(Splitter.split(body))
        var d = build.diff
        assignFunctions(&d, index: nil)
        return (d, build.blobs)
    }

    // MARK: - blocks

    static func blocks(_ sb: SplitBody) -> [Block] {
        var out: [Block] = []
        let lines = sb.body.lines
        var i = 0
        while i < lines.count {
            let kind = sb.kinds[i]
            let depth = lines[i].depth
            var j = i + 1
            if kind == .attribution {
                let a = sb.attributionOfLine[i]
                while j < lines.count && sb.kinds[j] == .attribution && sb.attributionOfLine[j] == a { j += 1 }
            } else {
                while j < lines.count && sb.kinds[j] == kind && (kind != .quote || lines[j].depth == depth) { j += 1 }
            }
            let text = sb.body.joined(i..<j, raw: false)
            let bk: BlockKind
            switch kind {
            case .quote: bk = .quote
            case .own: bk = .remark
            case .blank: bk = .blank
            case .attribution: bk = .attribution
            case .trailer: bk = .trailer
            case .signature: bk = .signature
            case .snip: bk = .snip
            }
            out.append(Block(kind: bk, depth: depth, firstLine: i, lineCount: j - i, text: text))
            i = j
        }
        return out
    }

    // MARK: - functions

    /// Sets `QuotedDiffLine.function` for the lines of the hunks in `only` (all when nil).
    static func assignFunctions(_ diff: inout QuotedDiff, index: PatchIndex?, only: Set<Int>? = nil) {
        for (hi, h) in diff.hunks.enumerated() where h.lineCount > 0 && FunctionFinder.isCLike(h.file) {
            if let only, !only.contains(hi) { continue }
            let range = h.firstLineIndex..<(h.firstLineIndex + h.lineCount)
            var next: String? = nil
            if let n = diff.hunks[(hi + 1)...].first(where: { $0.depth == h.depth }), n.file == h.file, n.oldStart != nil {
                next = n.section
            }
            let fs = FunctionFinder.functions(kinds: diff.lines[range].map(\.kind), texts: diff.lines[range].map(\.text),
                                              section: h.section, nextSection: next)
            for (k, f) in zip(range, fs) { diff.lines[k].function = f }
        }
        guard let index else { return }
        var lastPath: String? = nil, lastCLike = false
        for k in diff.lines.indices {
            guard let o = diff.lines[k].original else { continue }
            if let only, !only.contains(diff.lines[k].hunk) { continue }
            if o.path != lastPath { lastPath = o.path; lastCLike = FunctionFinder.isCLike(o.path) }
            diff.lines[k].function = lastCLike ? index.function(of: o) : nil
        }
    }

    // MARK: - authors

    static func quoteAuthors(_ sb: SplitBody, thread: ThreadContext, maxDepth: Int) -> [QuoteAuthor] {
        var out: [QuoteAuthor] = []
        let top = max(maxDepth, sb.attributions.map(\.quotedDepth).max() ?? 0)
        guard top > 0 else { return [] }
        for depth in 1...min(top, Splitter.maxDepth) {
            let a = sb.attributions.first { $0.quotedDepth == depth && ($0.name != nil || $0.email != nil) }
            let m = depth - 1 < thread.ancestors.count ? thread.ancestors[depth - 1] : nil
            let tName = m?.from?.name.flatMap { $0.isEmpty ? nil : $0 }
            let tEmail = m?.from?.email
            switch (a, m?.from) {
            case (nil, nil):
                continue
            case (let a?, nil):
                out.append(QuoteAuthor(depth: depth, name: a.name, email: a.email, source: .attribution))
            case (nil, _?):
                out.append(QuoteAuthor(depth: depth, name: tName, email: tEmail, source: .thread, threadName: tName,
                                       threadEmail: tEmail, messageID: m?.messageID))
            case (let a?, _?):
                let agree = samePerson(a.name, a.email, tName, tEmail)
                out.append(QuoteAuthor(depth: depth, name: a.name ?? tName, email: a.email ?? tEmail,
                                       source: agree ? .both : .conflict, threadName: tName, threadEmail: tEmail,
                                       messageID: m?.messageID))
            }
        }
        return out
    }

    /// Same person: same address (lore masks domains as `xxxxxxxx`, so then the local part), or a
    /// shared name word of three letters or more.
    static func samePerson(_ n1: String?, _ e1: String?, _ n2: String?, _ e2: String?) -> Bool {
        if let e1, let e2 {
            let a = e1.lowercased(), b = e2.lowercased()
            if a == b { return true }
            let la = a.split(separator: "@").first, lb = b.split(separator: "@").first
            if (a.contains("xxxx") || b.contains("xxxx")), la == lb { return true }
        }
        if let shared = sharedNameWordASCII(n1, e1, n2) { return shared }
        func words(_ s: String?) -> Set<String> {
            guard let s else { return [] }
            return Set(s.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 3 })
        }
        let w1 = words(n1).union(words(e1.flatMap { $0.split(separator: "@").first.map(String.init) }))
        let w2 = words(n2)
        return !w1.isDisjoint(with: w2)
    }

    /// For ASCII input (nil otherwise): do the name `n1` or the local part of `e1` share a word of
    /// three letters or more (case-insensitive) with the name `n2`? On bytes, without sets.
    static func sharedNameWordASCII(_ n1: String?, _ e1: String?, _ n2: String?) -> Bool? {
        var left: [UInt8] = []
        var right: [UInt8] = []
        func add(_ s: Substring.UTF8View, to buf: inout [UInt8]) -> Bool {
            for c in s {
                if c >= 0x80 { return false }
                buf.append(isAlpha(c) ? c | 0x20 : 0)
            }
            buf.append(0)
            return true
        }
        if let n1, !add(Substring(n1).utf8, to: &left) { return nil }
        if let e1 {
            // The first non-empty part between `@`s (as `split(separator: "@").first`).
            let u = Substring(e1).utf8
            var start = u.startIndex
            while start < u.endIndex && u[start] == UInt8(ascii: "@") { start = u.index(after: start) }
            let end = u[start...].firstIndex(of: UInt8(ascii: "@")) ?? u.endIndex
            if !add(u[start..<end], to: &left) { return nil }
        }
        guard let n2 else { return false }
        if !add(Substring(n2).utf8, to: &right) { return nil }
        func runs(_ b: [UInt8]) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var k = 0
            while k < b.count {
                guard b[k] != 0 else { k += 1; continue }
                let s = k
                while k < b.count && b[k] != 0 { k += 1 }
                if k - s >= 3 { out.append(s..<k) }
            }
            return out
        }
        let r2 = runs(right)
        for a in runs(left) {
            for b in r2 where a.count == b.count && left[a].elementsEqual(right[b]) { return true }
        }
        return false
    }

    // MARK: - remarks

    static func attach(_ sb: SplitBody, _ build: DiffBuild, authors: [QuoteAuthor], patchContext: Bool,
                       aligned: Bool) -> [Remark] {
        let lines = sb.body.lines
        let kinds = sb.kinds
        var remarks: [Remark] = []
        var prevEnd = 0  // first line after the previous remark
        var lastQuoted = -1  // the last quoted line with content above the scan position
        var scanned = 0
        var i = 0
        while i < lines.count {
            guard kinds[i] == .own else { i += 1; continue }
            var j = i
            var lastOwn = i
            while j < lines.count && (kinds[j] == .own || kinds[j] == .blank) {
                if kinds[j] == .own { lastOwn = j }
                j += 1
            }
            let first = i, end = lastOwn + 1
            let text = sb.body.joined(first..<end, raw: true)
            var remark = Remark(firstLine: first, lineCount: end - first, text: text, target: .message)
            remark.span = span(sb, build, from: prevEnd, to: first)
            // the quoted line just above
            while scanned < first {
                if kinds[scanned] == .quote {
                    let r = build.role[scanned]
                    if r == .diff || r == .hunkHeader || r == .fileHeader || r == .prose || r == .patchEnd { lastQuoted = scanned }
                }
                scanned += 1
            }
            let k = lastQuoted
            let found: QRole = k >= 0 ? build.role[k] : .none
            switch found {
            case .diff:
                let li = lastNonBlank(build.diff, Int(build.index[k]))
                if li >= 0 {
                    remark.target = .line
                    remark.anchor = anchor(build.diff, li)
                    if aligned && build.diff.lines[li].original == nil { remark.unmatched = true }
                    remark.answers = authors.first { $0.depth == lines[k].depth }?.displayName
                }
            case .hunkHeader:
                let hi = Int(build.index[k])
                if hi >= 0 {
                    let h = build.diff.hunks[hi]
                    remark.target = .line
                    remark.anchor = DiffAnchor(file: h.file, oldLine: h.oldStart, newLine: h.newStart, side: .context,
                                               text: sb.body.content(k),
                                               function: FunctionFinder.isCLike(h.file) ? FunctionFinder.functionName(fromSection: h.section) : nil,
                                               hunkHeader: h.header, numbering: h.oldStart == nil ? .unknown : .header,
                                               reconstructedOldLine: h.oldStart, reconstructedNewLine: h.newStart,
                                               bodyLine: k, lineIndex: -1)
                    remark.answers = authors.first { $0.depth == lines[k].depth }?.displayName
                }
            case .fileHeader:
                // A remark on a file's header is about the whole file: no line numbers.
                remark.target = .patch
                let d = lines[k].depth
                if let h = build.diff.hunks.first(where: { $0.bodyLine > k && $0.depth == d }) {
                    remark.anchor = DiffAnchor(file: h.file, oldLine: nil, newLine: nil, side: .context,
                                               text: sb.body.content(k), function: nil, hunkHeader: nil,
                                               numbering: .unknown, reconstructedOldLine: nil,
                                               reconstructedNewLine: nil, bodyLine: k, lineIndex: -1)
                }
                remark.answers = authors.first { $0.depth == lines[k].depth }?.displayName
            case .prose:
                remark.target = (first < build.firstDiffBodyLine && patchContext) ? .patch : .prose
                remark.answers = authors.first { $0.depth == lines[k].depth }?.displayName
            case .patchEnd:
                remark.target = .patch
                remark.answers = authors.first { $0.depth == lines[k].depth }?.displayName
            default:
                remark.target = patchContext && build.firstDiffBodyLine != Int.max ? .patch : .message
            }
            remarks.append(remark)
            prevEnd = end
            i = j
        }
        return remarks
    }

    /// The quoted line a remark below diff line `li` answers: `li`, or when it is a blank context
    /// line, the last non-blank line quoted above it in the same hunk. A blank context line reaches
    /// the reader as `>  ` or as `> ` (the client dropped the trailing space), and only the first is
    /// read as a diff line; the reviewer answers the code above it either way.
    static func lastNonBlank(_ diff: QuotedDiff, _ li: Int) -> Int {
        guard li >= 0 else { return li }
        var k = li
        while k >= 0, diff.lines[k].hunk == diff.lines[li].hunk, diff.lines[k].kind == .context, isBlankText(diff.lines[k].text) {
            k -= 1
        }
        return k >= 0 && diff.lines[k].hunk == diff.lines[li].hunk ? k : li
    }

    static func isBlankText(_ s: String) -> Bool { s.utf8.allSatisfy { isBlankByte($0) } }

    static func anchor(_ diff: QuotedDiff, _ li: Int) -> DiffAnchor {
        let l = diff.lines[li]
        let h = diff.hunks[l.hunk]
        if let o = l.original {
            return DiffAnchor(file: o.path, oldLine: o.oldLine, newLine: o.newLine, side: l.kind, text: l.text,
                              function: l.function, hunkHeader: h.header, numbering: .aligned,
                              reconstructedOldLine: l.oldLine, reconstructedNewLine: l.newLine, bodyLine: l.bodyLine,
                              lineIndex: li)
        }
        return DiffAnchor(file: l.file, oldLine: l.oldLine, newLine: l.newLine, side: l.kind, text: l.text,
                          function: l.function, hunkHeader: h.header, numbering: l.numbering,
                          reconstructedOldLine: l.oldLine, reconstructedNewLine: l.newLine, bodyLine: l.bodyLine,
                          lineIndex: li)
    }

    static func span(_ sb: SplitBody, _ build: DiffBuild, from: Int, to: Int) -> QuotedSpan? {
        var first = -1, last = -1, depth = Int.max, diffLines = 0
        for k in from..<max(from, to) where sb.kinds[k] == .quote && (!sb.body.lines[k].isBlank || build.role[k] == .diff) {
            if first < 0 { first = k }
            last = k
            depth = min(depth, sb.body.lines[k].depth)
            if build.role[k] == .diff { diffLines += 1 }
        }
        guard first >= 0 else { return nil }
        let text = sb.body.joined(first..<(last + 1), raw: false, kinds: sb.kinds, only: .quote)
        return QuotedSpan(firstLine: first, lineCount: last - first + 1, depth: depth, text: text, diffLines: diffLines)
    }
}
