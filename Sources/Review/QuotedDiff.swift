import Patch

// Rebuilds the diff from quoted text, one state machine per quote depth, tolerant of damage:
// missing file headers, snips, deleted lines, counts that do not add up, re-wrapped lines,
// tabs turned into spaces, and the space after `>` dropped.

/// What a quoted body line turned out to be.
enum QRole: UInt8 {
    case none, prose, diff, hunkHeader, fileHeader, meta, snip, blank, patchEnd
}

struct DiffBuild {
    var diff = QuotedDiff()
    /// Per body line.
    var role: [QRole]
    /// Per body line: index into `diff.lines` for diff lines (continuations included), hunk index for hunk headers.
    var index: [Int32]
    /// Body line of the first diff line or diff header, or Int.max.
    var firstDiffBodyLine = Int.max
    /// Per hunk: the pre-image blob its file's quoted `index` line names.
    var blobs: [Int: String] = [:]
}

private struct Segment {
    var start: Int
    var afterSnip: Bool
}

private struct DepthState {
    var inHunk = false
    var file: String? = nil
    var oldFileHeader: String? = nil
    /// The pre-image blob of the quoted `index abc..def` line of the current file.
    var oldBlob: String? = nil
    /// The header numbers of the last hunk quoted of the current file: a file's hunks follow each
    /// other in the diff, so a header before its end starts another file whose header was cut.
    var lastHeader: (oldStart: Int, oldCount: Int, newStart: Int, newCount: Int)? = nil
    var hunk = -1
    var oldNext = 0, newNext = 0
    var oldLeft = 0, newLeft = 0
    var countsKnown = false
    var noSpace = false
    var spaced = false
    var lastDiff = -1
    /// Body line of the last diff line (or of its last continuation): its display width tells
    /// whether the client may have wrapped it (measured only when a wrap is in question).
    var lastDiffRawLine = -1
    var lastBodyLine = -1
    var sawDiff = false
    var afterPatchEnd = false
    var segments: [Segment] = []
}

struct DiffBuilder {
    let sb: SplitBody
    var out: DiffBuild
    private var states: [DepthState]
    private let b: [UInt8]

    init(_ sb: SplitBody) {
        self.sb = sb
        b = sb.body.bytes
        let n = sb.body.lines.count
        out = DiffBuild(role: [QRole](repeating: .none, count: n), index: [Int32](repeating: -1, count: n))
        // Any quoted line may become a diff line: one allocation instead of growing (each growth
        // copies and retains every line so far).
        var quoted = 0
        for k in sb.kinds where k == .quote { quoted += 1 }
        out.diff.lines.reserveCapacity(quoted)
        // One state per depth present (and the one below an attribution at the deepest).
        var deepest = 0
        for l in sb.body.lines where l.depth > deepest { deepest = l.depth }
        states = [DepthState](repeating: DepthState(), count: min(Splitter.maxDepth, deepest + 1) + 1)
    }

    static func build(_ sb: SplitBody) -> DiffBuild {
        var builder = DiffBuilder(sb)
        builder.run()
        return builder.out
    }

    mutating func run() {
        let lines = sb.body.lines
        var lastQuoteDepth = 0
        for i in 0..<lines.count {
            let d = lines[i].depth
            switch sb.kinds[i] {
            case .quote:
                feed(i, depth: d)
                lastQuoteDepth = d
            case .snip:
                // The sender's own `[...]` between quotes: lines of the quote around it were cut.
                if lastQuoteDepth > 0 && states[lastQuoteDepth].inHunk {
                    out.diff.hunks[states[lastQuoteDepth].hunk].snips += 1
                    newSegment(lastQuoteDepth, afterSnip: true)
                }
            case .attribution:
                // An attribution inside a quote starts another message's text at the next depth.
                if d > 0 { endHunk(depth: d, tailComplete: false) }
                endHunk(depth: d + 1 <= Splitter.maxDepth ? d + 1 : d, tailComplete: false)
            default:
                break
            }
        }
        for d in 0..<states.count where states[d].inHunk { endHunk(depth: d, tailComplete: false) }
    }

    // MARK: - line predicates

    private func content(_ i: Int) -> (Int, Int) {
        let l = sb.body.lines[i]
        return (l.cstart, l.tend)
    }

    private func isDiffMarker(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == chSpace || c == chTab
    }

    /// The next body line is a diff line at the same depth.
    private func nextIsDiffish(_ i: Int, depth d: Int) -> Bool {
        let lines = sb.body.lines
        guard i + 1 < lines.count, lines[i + 1].depth == d, sb.kinds[i + 1] == .quote else { return false }
        let (s, e) = content(i + 1)
        guard s < e else { return false }
        let c = b[s]
        if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == chSpace || c == chTab || c == UInt8(ascii: "@") { return true }
        return states[d].noSpace && lines[i + 1].hadSpace
    }

    private func nextContentStarts(_ i: Int, depth d: Int, with p: StaticString) -> Bool {
        let lines = sb.body.lines
        guard i + 1 < lines.count, lines[i + 1].depth == d else { return false }
        let (s, e) = content(i + 1)
        return sb.body.hasPrefix(s, e, p)
    }

    private func nextIsVersionOrEnd(_ i: Int, depth d: Int) -> Bool {
        let lines = sb.body.lines
        guard i + 1 < lines.count, lines[i + 1].depth == d else { return true }
        let (s, e) = content(i + 1)
        return s >= e || isDigit(b[s])
    }

    // MARK: - feeding

    private mutating func feed(_ i: Int, depth d: Int) {
        let line = sb.body.lines[i]
        let (cs, te) = (line.cstart, line.tend)
        defer { states[d].lastBodyLine = i }

        if states[d].inHunk && states[d].lastBodyLine >= 0 && i != states[d].lastBodyLine + 1 {
            // Something at another depth (or the sender's text) came in between.
            newSegment(d, afterSnip: false)
        }
        if Splitter.isSnipMarker(sb.body, cs, te) {
            out.role[i] = .snip
            if states[d].inHunk {
                let h = states[d].hunk
                out.diff.hunks[h].snips += 1
                newSegment(d, afterSnip: true)
            }
            return
        }
        if sb.body.hasPrefix(cs, te, "@@ -") || sb.body.hasPrefix(cs, te, "@@-") {
            if let hdr = parseHunkHeader(cs, te) {
                if states[d].inHunk { endHunk(depth: d, tailComplete: states[d].lastBodyLine == i - 1) }
                startHunk(i, depth: d, header: hdr)
                out.role[i] = .hunkHeader
                out.index[i] = Int32(states[d].hunk)
                out.firstDiffBodyLine = min(out.firstDiffBodyLine, i)
                return
            }
        }
        if sb.body.hasPrefix(cs, te, "diff --git ") || sb.body.hasPrefix(cs, te, "diff -") || sb.body.hasPrefix(cs, te, "Index: ") {
            if states[d].inHunk { endHunk(depth: d, tailComplete: states[d].lastBodyLine == i - 1) }
            states[d].file = pathFromDiffLine(cs, te)
            states[d].lastHeader = nil
            states[d].oldFileHeader = nil
            states[d].oldBlob = nil
            states[d].afterPatchEnd = false
            out.role[i] = .fileHeader
            out.firstDiffBodyLine = min(out.firstDiffBodyLine, i)
            return
        }
        let exhausted = states[d].inHunk && states[d].countsKnown && states[d].oldLeft <= 0 && states[d].newLeft <= 0
        if sb.body.hasPrefix(cs, te, "--- ") && nextContentStarts(i, depth: d, with: "+++ ") && (!states[d].inHunk || exhausted || states[d].oldLeft <= 0 || !states[d].countsKnown) {
            if states[d].inHunk { endHunk(depth: d, tailComplete: states[d].lastBodyLine == i - 1) }
            states[d].oldFileHeader = headerPath(cs + 4, te, prefix: "a/")
            out.role[i] = .fileHeader
            out.firstDiffBodyLine = min(out.firstDiffBodyLine, i)
            return
        }
        if sb.body.hasPrefix(cs, te, "+++ ") && i > 0 && out.role[i - 1] == .fileHeader {
            let p = headerPath(cs + 4, te, prefix: "b/")
            states[d].file = p ?? states[d].oldFileHeader
            states[d].lastHeader = nil
            out.role[i] = .fileHeader
            return
        }
        if !states[d].inHunk && isExtendedHeader(cs, te) && (out.role[max(0, i - 1)] == .fileHeader) {
            out.role[i] = .fileHeader
            if sb.body.hasPrefix(cs, te, "index ") { states[d].oldBlob = indexBlob(cs + 6, te) }
            return
        }

        if states[d].inHunk {
            if feedHunkLine(i, depth: d, exhausted: exhausted) { return }
        }
        // prose (or the start of a hunk whose header was removed)
        if states[d].afterPatchEnd && cs < te && isDigit(b[cs]) {
            out.role[i] = .patchEnd
            states[d].afterPatchEnd = false
            return
        }
        states[d].afterPatchEnd = false
        if cs < te, looksLikeHeaderlessDiff(cs, te, sawDiff: states[d].sawDiff) {
            startHunk(i, depth: d, header: nil)
            _ = feedHunkLine(i, depth: d, exhausted: false)
            return
        }
        out.role[i] = line.isBlank ? .blank : .prose
    }

    /// Returns false when the line ends the hunk and must be read as prose.
    private mutating func feedHunkLine(_ i: Int, depth d: Int, exhausted: Bool) -> Bool {
        let line = sb.body.lines[i]
        let (cs, te) = (line.cstart, line.tend)
        if cs < te && sb.body.equals(cs, te, "--") && (exhausted || nextIsVersionOrEnd(i, depth: d)) {
            endHunk(depth: d, tailComplete: states[d].lastBodyLine == i - 1)
            states[d].afterPatchEnd = true
            out.role[i] = .patchEnd
            return true
        }
        if cs < te && b[cs] == UInt8(ascii: "\\") {
            out.role[i] = .meta
            return true
        }
        // the space after `>` dropped: `>+foo`, `>-foo`, and `> foo` for context
        if line.depth > 0 && cs < te {
            let c = b[cs]
            if !line.hadSpace && (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && !states[d].spaced {
                states[d].noSpace = true
            } else if line.hadSpace && (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && !states[d].noSpace {
                states[d].spaced = true
            }
        }
        var kind: HunkLine.Kind
        var textStart: Int
        if states[d].noSpace && line.hadSpace && line.depth > 0 {
            kind = .context
            textStart = cs
            if textStart > te { textStart = te }
        } else if cs >= te {
            // A blank quoted line: an empty context line or a separator left by the reviewer.
            let hadBlankContent = line.end > cs
            let countsLeft = !states[d].countsKnown || (states[d].oldLeft > 0 && states[d].newLeft > 0)
            // Right after an interruption a bare `>` is the reviewer's separator.
            let segs = states[d].segments
            let atSegmentStart = segs.last.map { $0.start == out.diff.lines.count && (segs.count > 1 || $0.afterSnip) } ?? false
            if countsLeft && (hadBlankContent || (!atSegmentStart && nextIsDiffish(i, depth: d))) {
                kind = .context
                textStart = te
            } else {
                out.role[i] = .blank
                return true
            }
        } else {
            let c = b[cs]
            switch c {
            case UInt8(ascii: "+"): kind = .added; textStart = cs + 1
            case UInt8(ascii: "-"): kind = .removed; textStart = cs + 1
            case chSpace, chTab:
                kind = .context; textStart = c == chSpace ? cs + 1 : cs
                // format=flowed joined an empty context line (" ") with the next diff line: `  +foo`
                if c == chSpace && cs + 3 < te && b[cs + 1] == chSpace
                    && (b[cs + 2] == UInt8(ascii: "+") || b[cs + 2] == UInt8(ascii: "-"))
                    && b[cs + 3] != b[cs + 2] && flowedRoom(d, added: b[cs + 2] == UInt8(ascii: "+")) {
                    addLine(i, depth: d, kind: .context, textStart: te, textEnd: te)
                    kind = b[cs + 2] == UInt8(ascii: "+") ? .added : .removed
                    textStart = cs + 3
                }
            default:
                let st = states[d]
                let h = st.hunk
                if out.diff.hunks[h].lineCount == 0 && out.diff.hunks[h].bodyLine == i - 1 && out.diff.hunks[h].oldStart != nil
                    && visualWidth(sb.body.lines[i - 1]) >= 60 {
                    // The client wrapped the hunk header: the rest of the section text.
                    out.diff.hunks[h].section += " " + sb.body.string(cs, te)
                    out.role[i] = .hunkHeader
                    out.index[i] = Int32(h)
                    return true
                }
                if st.lastDiff >= 0 && i == st.lastBodyLine + 1 && c != UInt8(ascii: "@") && st.lastDiffRawLine >= 0
                    && visualWidth(sb.body.lines[st.lastDiffRawLine]) >= 60 {
                    // A line the mail client re-wrapped: join it to the previous one.
                    out.diff.lines[st.lastDiff].text += " " + sb.body.string(cs, te)
                    out.diff.lines[st.lastDiff].physicalLines += 1
                    states[d].lastDiffRawLine = i
                    out.role[i] = .diff
                    out.index[i] = Int32(st.lastDiff)
                    return true
                }
                let countsLeft = !st.countsKnown || (st.oldLeft > 0 && st.newLeft > 0)
                if countsLeft && st.lastDiff >= 0 && nextIsDiffish(i, depth: d) {
                    // A context line that lost its leading space.
                    kind = .context; textStart = cs
                } else {
                    endHunk(depth: d, tailComplete: exhausted)
                    return false
                }
            }
        }
        if exhausted {
            // More diff lines than the header announced: the reviewer removed the next header.
            endHunk(depth: d, tailComplete: true)
            startHunk(i, depth: d, header: nil)
        }
        addLine(i, depth: d, kind: kind, textStart: textStart, textEnd: te)
        return true
    }

    private mutating func addLine(_ i: Int, depth d: Int, kind: HunkLine.Kind, textStart: Int, textEnd: Int) {
        let h = states[d].hunk
        let known = out.diff.hunks[h].oldStart != nil
        var oldLine: Int? = nil, newLine: Int? = nil
        switch kind {
        case .context:
            if known { oldLine = states[d].oldNext; newLine = states[d].newNext }
            states[d].oldNext += 1; states[d].newNext += 1; states[d].oldLeft -= 1; states[d].newLeft -= 1
        case .removed:
            if known { oldLine = states[d].oldNext }
            states[d].oldNext += 1; states[d].oldLeft -= 1
        case .added:
            if known { newLine = states[d].newNext }
            states[d].newNext += 1; states[d].newLeft -= 1
        }
        let idx = out.diff.lines.count
        out.diff.lines.append(QuotedDiffLine(
            bodyLine: i, depth: d, kind: kind, text: sb.body.string(textStart, max(textStart, textEnd)),
            hunk: h, file: out.diff.hunks[h].file, oldLine: oldLine, newLine: newLine,
            numbering: known ? .header : .unknown))
        out.diff.hunks[h].lineCount += 1
        out.role[i] = .diff
        out.index[i] = Int32(idx)
        if i < out.firstDiffBodyLine { out.firstDiffBodyLine = i }
        states[d].lastDiff = idx
        states[d].lastDiffRawLine = i
        states[d].sawDiff = true
    }

    private mutating func newSegment(_ d: Int, afterSnip: Bool) {
        let start = out.diff.lines.count
        if let last = states[d].segments.last, last.start == start {
            if afterSnip { states[d].segments[states[d].segments.count - 1].afterSnip = true }
            return
        }
        states[d].segments.append(Segment(start: start, afterSnip: afterSnip))
        states[d].lastDiff = -1
    }

    private mutating func startHunk(_ i: Int, depth d: Int, header: (Int, Int, Int, Int, String)?) {
        var st = states[d]
        if let hdr = header {
            // A hunk of the same file starts where the last one ended or after it (on both sides);
            // one before that, unless the same hunk quoted again, is in a file whose `diff`/`---`/`+++`
            // lines the reviewer cut: its file is not known (the tree or the original patch may
            // name it).
            if let last = st.lastHeader, st.file != nil,
               !(last.oldStart == hdr.0 && last.newStart == hdr.2),
               hdr.0 < last.oldStart + last.oldCount || hdr.2 < last.newStart + last.newCount {
                st.file = nil
                st.oldFileHeader = nil
                st.oldBlob = nil
            }
            st.lastHeader = (hdr.0, hdr.1, hdr.2, hdr.3)
        }
        let h = out.diff.hunks.count
        out.diff.hunks.append(QuotedHunk(depth: d, file: st.file, oldStart: header?.0, oldCount: header?.1,
                                         newStart: header?.2, newCount: header?.3, section: header?.4 ?? "",
                                         bodyLine: i, firstLineIndex: out.diff.lines.count))
        st.inHunk = true
        st.hunk = h
        st.oldNext = header?.0 ?? 0
        st.newNext = header?.2 ?? 0
        st.oldLeft = header?.1 ?? 0
        st.newLeft = header?.3 ?? 0
        st.countsKnown = header != nil
        st.noSpace = header != nil && !sb.body.lines[i].hadSpace && sb.body.lines[i].depth > 0
        st.spaced = false
        st.lastDiff = -1
        st.segments = [Segment(start: out.diff.lines.count, afterSnip: false)]
        st.afterPatchEnd = false
        if let blob = st.oldBlob { out.blobs[h] = blob }
        states[d] = st
    }

    /// `abc123..def456 100644` → `abc123` (hex digits only, 4 to 64 of them).
    private func indexBlob(_ s: Int, _ e: Int) -> String? {
        var k = s
        while k < e && (isDigit(b[k]) || (b[k] | 0x20 >= 0x61 && b[k] | 0x20 <= 0x66)) { k += 1 }
        guard k - s >= 4, k - s <= 64, k + 1 < e, b[k] == UInt8(ascii: "."), b[k + 1] == UInt8(ascii: ".") else { return nil }
        return sb.body.string(s, k)
    }

    /// The header's counts leave room for an empty context line plus one more line of that side.
    private func flowedRoom(_ d: Int, added: Bool) -> Bool {
        let st = states[d]
        guard st.countsKnown else { return true }
        return st.oldLeft >= (added ? 1 : 2) && st.newLeft >= (added ? 2 : 1)
    }

    /// Display width of a raw line, tabs to multiples of 8 (clients wrap on what they show).
    private func visualWidth(_ l: BodyLine) -> Int {
        var w = 0
        var k = l.start
        while k < l.end {
            let c = b[k]
            if c == chTab { w = (w / 8 + 1) * 8 } else if c & 0xC0 != 0x80 { w += 1 }
            k += 1
        }
        return w
    }

    /// Closes the hunk at depth `d` and fixes its line numbers.
    private mutating func endHunk(depth d: Int, tailComplete: Bool) {
        guard d < states.count, states[d].inHunk else { return }
        let h = states[d].hunk
        states[d].inHunk = false
        states[d].lastDiff = -1
        var hunk = out.diff.hunks[h]
        hunk.tailComplete = tailComplete
        let a = hunk.firstLineIndex, e = a + hunk.lineCount
        var segs = states[d].segments.filter { $0.start < e }
        if segs.isEmpty { segs = [Segment(start: a, afterSnip: false)] }
        defer { out.diff.hunks[h] = hunk }
        guard let oldStart = hunk.oldStart, let newStart = hunk.newStart else { return }
        let oldCount = hunk.oldCount ?? 1, newCount = hunk.newCount ?? 1
        var totOld = 0, totNew = 0
        for k in a..<e {
            switch out.diff.lines[k].kind {
            case .context: totOld += 1; totNew += 1
            case .removed: totOld += 1
            case .added: totNew += 1
            }
        }
        hunk.countsAgree = totOld == oldCount && totNew == newCount
        if hunk.countsAgree { return }  // every line is where the header says
        let firstSnip = segs.firstIndex { $0.afterSnip }
        func segEnd(_ s: Int) -> Int { s + 1 < segs.count ? segs[s + 1].start : e }
        func mark(_ s: Int, _ n: Numbering) {
            for k in segs[s].start..<segEnd(s) {
                out.diff.lines[k].numbering = n
                if n == .unknown { out.diff.lines[k].oldLine = nil; out.diff.lines[k].newLine = nil }
            }
        }
        if totOld > oldCount || totNew > newCount {
            for s in 0..<segs.count { mark(s, .uncertain) }
            return
        }
        // Fewer lines than announced: some were deleted (or the quote stopped early). Forward
        // numbers hold up to the first interruption; after it they are a guess, after a snip unknown.
        if !tailComplete {
            for s in 1..<max(1, segs.count) { mark(s, firstSnip.map { s >= $0 } == true ? .unknown : .uncertain) }
            if firstSnip == 0 { mark(0, .unknown) }
            return
        }
        // The tail is complete: count back from the hunk's end after the last deletion point.
        let lastSnip = segs.lastIndex { $0.afterSnip }
        let backFrom = lastSnip ?? (segs.count - 1)
        if backFrom == 0 && lastSnip == nil {
            // Deleted lines without any visible interruption: nothing to place them.
            for s in 0..<segs.count { mark(s, .uncertain) }
            return
        }
        var oldNo = oldStart + oldCount - 1, newNo = newStart + newCount - 1
        var k = e - 1
        while k >= segs[backFrom].start {
            var l = out.diff.lines[k]
            switch l.kind {
            case .context: l.oldLine = oldNo; l.newLine = newNo; oldNo -= 1; newNo -= 1
            case .removed: l.oldLine = oldNo; l.newLine = nil; oldNo -= 1
            case .added: l.newLine = newNo; l.oldLine = nil; newNo -= 1
            }
            l.numbering = .fromEnd
            out.diff.lines[k] = l
            k -= 1
        }
        let forwardEnd = firstSnip ?? 1
        if forwardEnd < backFrom {
            for s in forwardEnd..<backFrom { mark(s, firstSnip != nil ? .unknown : .uncertain) }
        }
    }

    // MARK: - header parsing

    /// `@@ -a,b +c,d @@ section` (counts optional).
    private func parseHunkHeader(_ s: Int, _ e: Int) -> (Int, Int, Int, Int, String)? {
        var k = s + 2
        func skipSpaces() { while k < e && b[k] == chSpace { k += 1 } }
        func number() -> Int? {
            var v = 0, digits = 0
            while k < e && isDigit(b[k]) && digits < 9 { v = v * 10 + Int(b[k] - 0x30); k += 1; digits += 1 }
            return digits > 0 ? v : nil
        }
        skipSpaces()
        guard k < e, b[k] == UInt8(ascii: "-") else { return nil }
        k += 1
        guard let os = number() else { return nil }
        var oc = 1
        if k < e && b[k] == UInt8(ascii: ",") { k += 1; guard let v = number() else { return nil }; oc = v }
        skipSpaces()
        guard k < e, b[k] == UInt8(ascii: "+") else { return nil }
        k += 1
        guard let ns = number() else { return nil }
        var nc = 1
        if k < e && b[k] == UInt8(ascii: ",") { k += 1; guard let v = number() else { return nil }; nc = v }
        skipSpaces()
        var section = ""
        if k + 1 < e && b[k] == UInt8(ascii: "@") && b[k + 1] == UInt8(ascii: "@") {
            k += 2
            skipSpaces()
            section = sb.body.string(k, e)
        }
        return (os, oc, ns, nc, section)
    }

    /// `diff --git a/x b/y` → `y`; `Index: x` → `x`; `diff -u a/x b/y` → `y`.
    private func pathFromDiffLine(_ s: Int, _ e: Int) -> String? {
        if !b[s..<e].contains(where: { $0 >= 0x80 }) {
            // ASCII: the last space-separated word, on the bytes.
            if sb.body.hasPrefix(s, e, "Index: ") {
                var ts = s + 7, te = e
                while ts < te && (b[ts] == chSpace || b[ts] == chTab) { ts += 1 }
                while te > ts && (b[te - 1] == chSpace || b[te - 1] == chTab) { te -= 1 }
                return sb.body.string(ts, te)
            }
            var words = 0
            var k = s
            var lastStart = s, lastEnd = s
            while k < e {
                while k < e && b[k] == chSpace { k += 1 }
                if k == e { break }
                let ws = k
                while k < e && b[k] != chSpace { k += 1 }
                words += 1
                lastStart = ws; lastEnd = k
            }
            guard words >= 3 else { return nil }
            if lastEnd - lastStart >= 2 && b[lastStart] == UInt8(ascii: "b") && b[lastStart + 1] == UInt8(ascii: "/") { lastStart += 2 }
            return sb.body.string(lastStart, lastEnd)
        }
        let text = sb.body.string(s, e)
        if text.hasPrefix("Index: ") { return trim(String(text.dropFirst(7))) }
        let words = text.split(separator: " ")
        guard let last = words.last, words.count >= 3 else { return nil }
        var p = String(last)
        if p.hasPrefix("b/") { p.removeFirst(2) }
        return p
    }

    /// `--- a/x\t2021-…` → `x`, nil for `/dev/null`.
    private func headerPath(_ s: Int, _ e: Int, prefix: StaticString) -> String? {
        var k = s
        while k < e && b[k] != chTab { k += 1 }
        if !b[s..<k].contains(where: { $0 >= 0x80 }) {
            // ASCII: trimmed, `/dev/null`, the `a/`/`b/` prefix and a date after a space, on the bytes.
            var ps = s, pe = k
            while ps < pe && (b[ps] == chSpace || b[ps] == chTab) { ps += 1 }
            while pe > ps && (b[pe - 1] == chSpace || b[pe - 1] == chTab) { pe -= 1 }
            if sb.body.equals(ps, pe, "/dev/null") { return nil }
            if sb.body.hasPrefix(ps, pe, prefix) { ps += prefix.utf8CodeUnitCount }
            if let sp = b[ps..<pe].firstIndex(of: chSpace), b[sp..<pe].contains(UInt8(ascii: ":")) { pe = sp }
            return pe > ps ? sb.body.string(ps, pe) : nil
        }
        var p = trim(sb.body.string(s, k))
        if p == "/dev/null" { return nil }
        let pre = prefix.description
        if p.hasPrefix(pre) { p.removeFirst(pre.count) }
        if let sp = p.firstIndex(of: " "), p[sp...].contains(":") { p = String(p[..<sp]) }  // `--- x 2021-02-15 20:15:47`
        return p.isEmpty ? nil : p
    }

    private func isExtendedHeader(_ s: Int, _ e: Int) -> Bool {
        return sb.body.hasPrefix(s, e, "index ") || sb.body.hasPrefix(s, e, "new file mode") || sb.body.hasPrefix(s, e, "deleted file mode")
            || sb.body.hasPrefix(s, e, "old mode") || sb.body.hasPrefix(s, e, "new mode") || sb.body.hasPrefix(s, e, "similarity index")
            || sb.body.hasPrefix(s, e, "rename ") || sb.body.hasPrefix(s, e, "copy ") || sb.body.hasPrefix(s, e, "Binary files")
            || sb.body.hasPrefix(s, e, "dissimilarity index") || sb.body.hasPrefix(s, e, "GIT binary patch")
    }

    /// A `+`/`-` line in prose that starts a hunk whose header the reviewer removed.
    private func looksLikeHeaderlessDiff(_ s: Int, _ e: Int, sawDiff: Bool) -> Bool {
        let c0 = b[s]
        guard c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-") else { return false }
        if e - s == 1 { return sawDiff }
        let c1 = b[s + 1]
        if c1 == c0 { return false }  // `---`, `+++`, `--`
        if c1 == chTab { return true }
        if c1 == UInt8(ascii: "#") || c1 == UInt8(ascii: "}") || c1 == UInt8(ascii: "{") || c1 == UInt8(ascii: "/") { return true }
        if c1 == chSpace {
            guard e - s >= 3 else { return false }
            let c2 = b[s + 2]
            if c2 == UInt8(ascii: "*") || c2 == chSpace { return true }
            return false
        }
        let last = b[e - 1]
        if last == UInt8(ascii: ";") || last == UInt8(ascii: "{") || last == UInt8(ascii: "}") {
            return sawDiff || isIdentByte(c1)
        }
        return false
    }
}
