// Alignment of a lone reply's quoted hunks with the file they quote, read from the reviewer's
// tree, when the original patch is not at hand: the quoted pre-image lines (context and removed)
// are found in the file's pre-image (or, when the tree already holds the patch, the post-image
// lines in its post-image), in order and whitespace-insensitively. Where they are gives exact
// numbers on that side across the reviewer's cuts; the other side is counted from the hunk header
// with the cut lines taken as context, which the header's counts confirm or not.
import Foundation
import Patch

/// A file a reply quotes, as found in the reviewer's tree.
public struct QuotedFile: Sendable, Hashable {
    public var lines: [String]
    /// The exact pre-image: the blob the quoted `index` line names (its numbers are the patch's).
    /// Otherwise the tree's work-tree file, which may have moved since the patch was written.
    public var isPreImageBlob: Bool
    public init(lines: [String], isPreImageBlob: Bool) { self.lines = lines; self.isPreImageBlob = isPreImageBlob }
}

/// The file at `path` as the caller finds it in a tree: `blob` is the pre-image's (abbreviated)
/// object name from the quoted `index` line, when there is one. Nil when neither the blob nor the
/// file is there.
public typealias QuotedFileLookup = (_ path: String, _ blob: String?) -> QuotedFile?

/// The paths of the tree's files holding a line with `text` (a fixed string), for a quoted hunk
/// whose file the reviewer cut; at most a few.
public typealias QuotedPathSearch = (_ text: String) -> [String]

enum TreeAligner {
    /// Bounds on the work for one hunk: quoted lines times file lines compared.
    static let maxCells = 4_000_000
    /// How far (in lines) the tree's file may have moved from the header's numbers.
    static let slack = 400

    /// Numbers the hunks of `diff` whose lines are not all certain from the tree's files; lines
    /// placed are numbered `.tree` (or `.uncertain` when the header's counts do not confirm the
    /// other side). Returns how many lines got numbers from the tree.
    @discardableResult
    static func align(_ diff: inout QuotedDiff, blobs: [Int: String], lookup: QuotedFileLookup,
                      search: QuotedPathSearch? = nil) -> Int {
        var files: [String: QuotedFile?] = [:]
        var placed = 0
        if let search { nameFiles(&diff, lookup: lookup, search: search) }
        for h in diff.hunks.indices {
            let hunk = diff.hunks[h]
            guard hunk.lineCount > 0, let path = hunk.file, !path.isEmpty else { continue }
            let range = hunk.firstLineIndex..<(hunk.firstLineIndex + hunk.lineCount)
            guard diff.lines[range].contains(where: { $0.numbering == .uncertain || $0.numbering == .unknown }) else { continue }
            let blob = blobs[h]
            let key = path + "\u{0}" + (blob ?? "")
            if files[key] == nil { files[key] = .some(lookup(path, blob)) }
            guard let file = files[key] ?? nil, !file.lines.isEmpty else { continue }
            placed += alignHunk(&diff, h, fileKeys: file.lines.map(lineKey), exact: file.isPreImageBlob)
        }
        return placed
    }

    /// The most searches for the files of hunks quoted without one.
    static let maxSearches = 4

    /// A hunk quoted without its file (the reviewer cut the `diff --git` and `---`/`+++` lines):
    /// the file of another quoted hunk with the same function in its header, else the tree's file
    /// that holds the hunk header's function line (or its longest quoted line) and in which most of
    /// the quoted lines are found.
    static func nameFiles(_ diff: inout QuotedDiff, lookup: QuotedFileLookup, search: QuotedPathSearch) {
        var searches = 0
        for h in diff.hunks.indices where diff.hunks[h].file == nil && diff.hunks[h].lineCount > 0 {
            let hunk = diff.hunks[h]
            var path: String? = nil
            if let fn = FunctionFinder.functionName(fromSection: hunk.section) {
                path = diff.hunks.first { $0.file != nil && FunctionFinder.functionName(fromSection: $0.section) == fn }?.file
            }
            let range = hunk.firstLineIndex..<(hunk.firstLineIndex + hunk.lineCount)
            if path == nil && searches < maxSearches {
                let longest = diff.lines[range].filter { $0.kind != .added }.map { $0.text.trimmingCharacters(in: .whitespaces) }
                    .max { $0.utf8.count < $1.utf8.count }
                // The header's function line, else (a function renamed since) the longest quoted line.
                let keys = [hunk.section.trimmingCharacters(in: .whitespaces), longest ?? ""].filter { $0.utf8.count >= 12 }
                var candidates: [String] = []
                for key in keys where candidates.isEmpty && searches < maxSearches {
                    searches += 1
                    candidates = search(key)
                }
                if !candidates.isEmpty {
                    var best: (String, Int)? = nil
                    for candidate in candidates.prefix(8).sorted() {
                        guard let file = lookup(candidate, nil) else { continue }
                        let keys = Set(file.lines.map(lineKey))
                        let found = diff.lines[range].filter { $0.kind != .added && lineKey($0.text) != blankKey && keys.contains(lineKey($0.text)) }.count
                        if found > (best?.1 ?? 0) { best = (candidate, found) }
                    }
                    path = best?.0
                }
            }
            guard let path else { continue }
            diff.hunks[h].file = path
            for k in range { diff.lines[k].file = path }
        }
    }

    /// Which side of the diff a file holds.
    enum Side { case pre, post }

    static func alignHunk(_ diff: inout QuotedDiff, _ h: Int, fileKeys: [UInt64], exact: Bool) -> Int {
        let hunk = diff.hunks[h]
        let range = hunk.firstLineIndex..<(hunk.firstLineIndex + hunk.lineCount)
        // Try both sides; the one whose side-only lines (removed for the pre-image, added for the
        // post-image) are found more often is the file's (the pre-image on a tie).
        var best: (side: Side, match: [Int], own: Int, total: Int)? = nil
        for side in exact ? [Side.pre] : [Side.pre, .post] {
            let picked = range.filter { onSide(diff.lines[$0].kind, side) }
            guard !picked.isEmpty else { continue }
            let keys = picked.map { lineKey(diff.lines[$0].text) }
            let start = side == .pre ? hunk.oldStart : hunk.newStart
            let count = side == .pre ? hunk.oldCount : hunk.newCount
            guard let m = match(keys, fileKeys, around: start.map { ($0 - 1, count ?? 1) }) else { continue }
            var own = 0, total = 0, nonBlank = 0, nonBlankMatched = 0
            for (k, qi) in picked.enumerated() {
                let blank = keys[k] == blankKey
                if !blank { nonBlank += 1 }
                guard m[k] >= 0 else { continue }
                total += 1
                if !blank { nonBlankMatched += 1 }
                if diff.lines[qi].kind != .context && !blank { own += 1 }
            }
            // Enough of the quote is in the file: most of its non-blank lines, and at least two
            // of them (one line alone is found anywhere).
            guard nonBlankMatched >= min(2, nonBlank), nonBlankMatched * 10 >= nonBlank * 7, nonBlankMatched > 0 else { continue }
            var full = [Int](repeating: -1, count: hunk.lineCount)
            for (k, qi) in picked.enumerated() { full[qi - hunk.firstLineIndex] = m[k] }
            if best == nil || own > best!.own || (own == best!.own && total > best!.total) {
                best = (side, full, own, total)
            }
        }
        guard let chosen = best else { return 0 }
        return number(&diff, h, side: chosen.side, match: chosen.match, fileKeys: fileKeys, exact: exact)
    }

    /// How the file's numbering (0-based `match`) maps onto the patch's: patch number = file
    /// index + 1 - offset. Known from the lines whose numbers are certain (counted from the header
    /// or from the hunk's end); else from the hunk's ends: its first line on the side, when quoted
    /// right below the header, and its last, when the quote reaches the hunk's end — where the two
    /// disagree, the client dropped blank lines at one end, and the end whose file lines between
    /// are all blank is the wrong one. The exact pre-image blob moves nothing. Nil: nothing found.
    static func offset(_ diff: QuotedDiff, _ h: Int, side: Side, match: [Int], fileKeys: [UInt64],
                       exact: Bool) -> (Int, Bool)? {
        let hunk = diff.hunks[h]
        let first = hunk.firstLineIndex
        guard match.contains(where: { $0 >= 0 }) else { return nil }
        if exact { return (0, true) }
        var counts: [Int: Int] = [:]
        for k in 0..<hunk.lineCount where match[k] >= 0 {
            let l = diff.lines[first + k]
            guard l.numbering == .header || l.numbering == .fromEnd, let p = side == .pre ? l.oldLine : l.newLine else { continue }
            counts[match[k] + 1 - p, default: 0] += 1
        }
        if let best = counts.max(by: { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }) { return (best.key, true) }
        guard let start = side == .pre ? hunk.oldStart : hunk.newStart else { return (0, false) }
        let count = (side == .pre ? hunk.oldCount : hunk.newCount) ?? 1
        let onSideLines = (0..<hunk.lineCount).filter { onSide(diff.lines[first + $0].kind, side) }
        guard let firstK = onSideLines.first, let lastK = onSideLines.last else { return (0, false) }
        // The quote holds more lines than the header counts, or its lines lie further apart in the
        // file than the hunk is long: it runs into another hunk whose header was cut.
        let found = onSideLines.compactMap { match[$0] >= 0 ? match[$0] : nil }
        guard onSideLines.count <= count, let lo = found.first, let hi = found.last, hi - lo < count else { return (0, false) }
        // An end counts only when a non-blank line is found in one run with it (a blank line is found anywhere).
        func anchored(_ ks: [Int]) -> Bool {
            var prev: Int? = nil
            for k in ks {
                guard match[k] >= 0, prev.map({ abs(match[k] - $0) == 1 }) ?? true else { return false }
                if fileKeys[match[k]] != blankKey { return true }
                prev = match[k]
            }
            return false
        }
        // The hunk's first line on the side is quoted right below the header (nothing between).
        var fromStart: Int? = nil
        if match[firstK] >= 0 && anchored(onSideLines) {
            var joined = diff.lines[first].bodyLine == hunk.bodyLine + 1
            var k = 0
            while joined && k < firstK {
                let a = diff.lines[first + k], b = diff.lines[first + k + 1]
                joined = b.bodyLine == a.bodyLine + a.physicalLines
                k += 1
            }
            if joined { fromStart = match[firstK] + 1 - start }
        }
        var fromEnd: Int? = nil
        if hunk.tailComplete && match[lastK] >= 0 && anchored(onSideLines.reversed()) { fromEnd = match[lastK] + 1 - (start + count - 1) }
        switch (fromStart, fromEnd) {
        case (nil, nil): return (0, false)
        case (let a?, nil): return (a, true)
        case (nil, let b?): return (b, true)
        case (let a?, let b?):
            if a == b { return (a, true) }
            // The file lines the other end would leave out of the hunk: all blank when the client
            // dropped them from the quote (offset b: the hunk starts before the first quoted line).
            func allBlank(_ lo: Int, _ hi: Int) -> Bool {
                lo < hi && (lo..<hi).allSatisfy { $0 >= 0 && $0 < fileKeys.count && fileKeys[$0] == blankKey }
            }
            // Lines dropped at either end leave b < a; the dropped lines are the blank ones.
            guard b < a else { return (a, false) }
            let droppedAtStart = allBlank(start - 1 + b, match[firstK])
            let droppedAtEnd = allBlank(match[lastK] + 1, start - 1 + a + count)
            if droppedAtStart != droppedAtEnd { return (droppedAtStart ? b : a, true) }
            return (a, false)
        }
    }

    @inline(__always) static func onSide(_ kind: HunkLine.Kind, _ side: Side) -> Bool {
        side == .pre ? kind != .added : kind != .removed
    }

    /// Sets the numbers of hunk `h` from `match` (per hunk line: its 0-based line in the file, or
    /// -1). The file's numbering is moved to the patch's (`offset`); where that move is not known
    /// the numbers are only a guess (`.uncertain`).
    static func number(_ diff: inout QuotedDiff, _ h: Int, side: Side, match: [Int], fileKeys: [UInt64], exact: Bool) -> Int {
        let hunk = diff.hunks[h]
        let first = hunk.firstLineIndex
        guard let (offsetValue, offsetKnown) = offset(diff, h, side: side, match: match, fileKeys: fileKeys, exact: exact) else { return 0 }
        var pos = [Int?](repeating: nil, count: hunk.lineCount)
        for k in 0..<hunk.lineCount where match[k] >= 0 { pos[k] = match[k] + 1 - offsetValue }
        // A quoted line of the side not found (the client damaged it) between two found ones with
        // exactly room for the lines between them: numbered in sequence.
        var lastFound = -1
        for k in 0..<hunk.lineCount where pos[k] != nil {
            if lastFound >= 0 {
                let between = (lastFound + 1..<k).filter { onSide(diff.lines[first + $0].kind, side) }
                if let a = pos[lastFound], let b = pos[k], !between.isEmpty, b - a - 1 == between.count {
                    for (n, j) in between.enumerated() { pos[j] = a + 1 + n }
                }
            }
            lastFound = k
        }
        // Walk the hunk: the side's lines where the file has them, the cut lines taken as context,
        // the other side's lines counted between them.
        let start: (Int, Int)? = hunk.oldStart.flatMap { o in hunk.newStart.map { n in side == .pre ? (o, n) : (n, o) } }
        var nextP = start?.0, nextS = start?.1
        var consistent = start != nil
        var numbers: [(Int?, Int?)] = Array(repeating: (nil, nil), count: hunk.lineCount)
        for k in 0..<hunk.lineCount {
            let kind = diff.lines[first + k].kind
            if onSide(kind, side) {
                guard let p = pos[k] else {
                    // Not found: nothing known about where it is; the count goes on.
                    if let np = nextP { nextP = np + 1 }
                    if kind == .context, let ns = nextS { nextS = ns + 1 }
                    consistent = false
                    continue
                }
                if let np = nextP {
                    let gap = p - np
                    if gap < 0 { consistent = false; nextS = nil } else if gap > 0, let ns = nextS { nextS = ns + gap }
                }
                numbers[k].0 = p
                nextP = p + 1
                if kind == .context {
                    numbers[k].1 = nextS
                    if let ns = nextS { nextS = ns + 1 }
                }
            } else {
                numbers[k].1 = nextS
                if let ns = nextS { nextS = ns + 1 }
            }
        }
        // The header's counts confirm the cut lines were context lines: as many cut on each side.
        if consistent, offsetKnown, let o = hunk.oldStart, let n = hunk.newStart, let oc = hunk.oldCount, let nc = hunk.newCount {
            let (pStart, pCount, sStart, sCount) = side == .pre ? (o, oc, n, nc) : (n, nc, o, oc)
            if let np = nextP, let ns = nextS {
                let tailP = pStart + pCount - np, tailS = sStart + sCount - ns
                consistent = tailP >= 0 && tailP == tailS
            } else {
                consistent = false
            }
        } else {
            consistent = false
        }
        var placed = 0
        for k in 0..<hunk.lineCount {
            var l = diff.lines[first + k]
            guard l.numbering == .uncertain || l.numbering == .unknown else { continue }
            let (p, s) = numbers[k]
            let (old, new) = side == .pre ? (p, s) : (s, p)
            let wantOld = l.kind != .added, wantNew = l.kind != .removed
            let haveOld = old != nil || !wantOld, haveNew = new != nil || !wantNew
            guard haveOld || haveNew, (wantOld && old != nil) || (wantNew && new != nil) else { continue }
            // The file's side is exact; the other side only when the counts confirm it.
            let ownSideOnly = onSide(l.kind, side) && l.kind != .context
            let certain = offsetKnown && haveOld && haveNew && (ownSideOnly || consistent)
            l.oldLine = wantOld ? old : nil
            l.newLine = wantNew ? new : nil
            l.numbering = certain ? .tree : .uncertain
            // No header: the side found in the exact blob is exact, the other is not known at all.
            if !certain, offsetKnown, hunk.oldStart == nil, onSide(l.kind, side), numbers[k].0 != nil {
                l.oldLine = side == .pre ? numbers[k].0 : nil
                l.newLine = side == .post ? numbers[k].0 : nil
                l.numbering = .treeSide
            }
            diff.lines[first + k] = l
            placed += 1
        }
        return placed
    }

    // MARK: - matching

    /// FNV-1a of a line's non-blank bytes (a client's tabs, re-indenting and re-wrapping hash the same).
    static func lineKey(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in text.utf8 where c != chSpace && c != chTab && c != chCR && c != 0x0B && c != 0x0C {
            h = (h ^ UInt64(c)) &* 0x100_0000_01b3
        }
        return h
    }

    static let blankKey = lineKey("")

    /// The best order-keeping match of quoted line keys `q` in file line keys `f`: per quoted
    /// line, its 0-based file line or -1. A non-blank line found scores 2, a blank one 1, and a
    /// line found right after its predecessor's line 1 more (runs stay together). With `around`
    /// (the header's 0-based start and count), only the lines near it are searched. Nil when the
    /// search would be too large.
    static func match(_ q: [UInt64], _ f: [UInt64], around: (Int, Int)?) -> [Int]? {
        let n = q.count
        var lo = 0, hi = f.count
        if let (s, c) = around {
            lo = max(0, s - slack)
            hi = min(f.count, max(lo, s + max(c, n) + slack))
        }
        let m = hi - lo
        guard n > 0, m > 0, n * m <= maxCells else { return nil }
        let minus: Int32 = -1
        // best[i*m + j]: the best score with q[i] at f[lo + j]; pmax: the best over i' <= i, j' <= j,
        // and where it is (packed i*m + j, or -1).
        var best = [Int32](repeating: minus, count: n * m)
        var pmax = [Int32](repeating: 0, count: n * m)
        var parg = [Int32](repeating: minus, count: n * m)
        for i in 0..<n {
            let w: Int32 = q[i] == blankKey ? 1 : 2
            for j in 0..<m {
                let cell = i * m + j
                if f[lo + j] == q[i] {
                    var s = w
                    if i > 0 && j > 0 {
                        let diag = (i - 1) * m + (j - 1)
                        s = max(s, w + pmax[diag])
                        if best[diag] >= 0 { s = max(s, best[diag] + w + 1) }
                    }
                    best[cell] = s
                }
                var pm: Int32 = best[cell] >= 0 ? best[cell] : 0
                var pa: Int32 = best[cell] >= 0 ? Int32(cell) : minus
                if i > 0 {
                    let up = (i - 1) * m + j
                    if pmax[up] > pm { pm = pmax[up]; pa = parg[up] }
                }
                if j > 0 {
                    let left = cell - 1
                    if pmax[left] > pm { pm = pmax[left]; pa = parg[left] }
                }
                pmax[cell] = pm
                parg[cell] = pa
            }
        }
        var result = [Int](repeating: -1, count: n)
        var at = Int(parg[n * m - 1])
        while at >= 0 {
            let i = at / m, j = at % m
            result[i] = lo + j
            let w: Int32 = q[i] == blankKey ? 1 : 2
            let s = best[at]
            guard i > 0 && j > 0, s > w else { break }
            let diag = (i - 1) * m + (j - 1)
            if best[diag] >= 0 && best[diag] + w + 1 == s { at = diag; continue }
            at = Int(parg[diag])
        }
        return result
    }
}
