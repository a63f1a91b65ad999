import Patch

// Alignment of quoted diff lines with the original patch: whitespace-normalised, order-preserving,
// by file. It recovers exact old/new numbers and finds quoted text that is not in the original.

/// FNV-1a over the kind and the text's non-blank bytes: tabs turned into spaces, re-indented or
/// re-wrapped lines hash the same as the original.
@inline(__always) func normalizedKey(_ kind: HunkLine.Kind, _ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    let k: UInt8 = kind == .context ? 0x20 : (kind == .added ? 0x2B : 0x2D)
    h = (h ^ UInt64(k)) &* 0x100_0000_01b3
    for c in text.utf8 where c != chSpace && c != chTab && c != chCR {
        h = (h ^ UInt64(c)) &* 0x100_0000_01b3
    }
    return h
}

/// The original patch's hunk lines in patch order, indexed by normalised text.
struct PatchIndex {
    struct Entry {
        var file: Int32
        var hunk: Int32
        var line: Int32
        var key: UInt64
    }
    let patch: Patch
    var entries: [Entry] = []
    var byKey: [UInt64: [Int32]] = [:]
    /// Functions of every original hunk line, computed on demand per hunk.
    private var functionCache: [Int: [String?]] = [:]

    init(_ patch: Patch) {
        self.patch = patch
        for (fi, f) in patch.files.enumerated() {
            for (hi, h) in f.hunks.enumerated() {
                for (li, l) in h.lines.enumerated() {
                    let key = normalizedKey(l.kind, l.text)
                    byKey[key, default: []].append(Int32(entries.count))
                    entries.append(Entry(file: Int32(fi), hunk: Int32(hi), line: Int32(li), key: key))
                }
            }
        }
    }

    func line(_ p: Int) -> HunkLine {
        let e = entries[p]
        return patch.files[Int(e.file)].hunks[Int(e.hunk)].lines[Int(e.line)]
    }

    func ref(_ p: Int) -> OriginalRef {
        let e = entries[p]
        let l = line(p)
        return OriginalRef(file: Int(e.file), hunk: Int(e.hunk), line: Int(e.line),
                           path: patch.files[Int(e.file)].path, oldLine: l.oldLine, newLine: l.newLine)
    }

    func fileMatches(_ p: Int, _ path: String?) -> Bool {
        guard let path else { return true }
        let f = patch.files[Int(entries[p].file)]
        return f.newPath == path || f.oldPath == path || f.path.hasSuffix("/" + path) || path.hasSuffix("/" + f.path)
    }

    mutating func function(of ref: OriginalRef) -> String? {
        let key = ref.file << 20 | ref.hunk
        if let cached = functionCache[key] { return ref.line < cached.count ? cached[ref.line] : nil }
        let f = patch.files[ref.file]
        let h = f.hunks[ref.hunk]
        let next = ref.hunk + 1 < f.hunks.count ? f.hunks[ref.hunk + 1].section : nil
        let fs = FunctionFinder.functions(kinds: h.lines.map(\.kind), texts: h.lines.map(\.text),
                                          section: h.section, nextSection: next)
        functionCache[key] = fs
        return ref.line < fs.count ? fs[ref.line] : nil
    }
}

enum Aligner {
    static let maxCandidates = 64
    static let lookahead = 6

    /// Sets `original` on every quoted line found in the patch; returns the figures.
    static func align(_ diff: inout QuotedDiff, with index: inout PatchIndex) -> AlignmentSummary {
        var summary = AlignmentSummary()
        guard !index.entries.isEmpty, !diff.lines.isEmpty else {
            summary.quotedLines = diff.lines.count
            return summary
        }
        let keys = diff.lines.map { normalizedKey($0.kind, $0.text) }
        var byDepth: [Int: [Int]] = [:]
        for (i, l) in diff.lines.enumerated() { byDepth[l.depth, default: []].append(i) }
        for depth in byDepth.keys.sorted() {
            let seq = byDepth[depth] ?? []
            var prev = -1
            for (n, qi) in seq.enumerated() {
                let q = diff.lines[qi]
                guard let cands = index.byKey[keys[qi]], !cands.isEmpty else { continue }
                let fileOK = cands.contains { index.fileMatches(Int($0), q.file) }
                func compatible(_ p: Int) -> Bool { !fileOK || index.fileMatches(p, q.file) }
                var best = -1
                // 1. the reconstruction's numbers are right
                if q.oldLine != nil || q.newLine != nil {
                    for c in cands.prefix(maxCandidates) {
                        let p = Int(c)
                        let l = index.line(p)
                        if l.oldLine == q.oldLine && l.newLine == q.newLine && compatible(p) { best = p; break }
                    }
                }
                // 2. the line right after the previous match
                if best < 0, prev >= 0, binaryContains(cands, Int32(prev + 1)), compatible(prev + 1),
                   sameHunkOrNext(index, prev, prev + 1) {
                    best = prev + 1
                }
                // 3. the candidate after the previous match that the following quoted lines confirm
                if best < 0 {
                    var bestScore = -1
                    let from = lowerBound(cands, Int32(prev + 1))
                    var considered = 0
                    var k = from
                    while k < cands.count && considered < maxCandidates {
                        let p = Int(cands[k])
                        k += 1
                        guard compatible(p) else { continue }
                        considered += 1
                        let s = runScore(index, keys, seq, n, p)
                        if s > bestScore { bestScore = s; best = p }
                        if s >= lookahead { break }
                    }
                    // 4. out of order (the reviewer moved text around): best candidate anywhere
                    if best < 0 {
                        for c in cands.prefix(maxCandidates) where compatible(Int(c)) {
                            let s = runScore(index, keys, seq, n, Int(c))
                            if s > bestScore { bestScore = s; best = Int(c) }
                        }
                    }
                }
                guard best >= 0 else { continue }
                diff.lines[qi].original = index.ref(best)
                prev = best
            }
        }
        summary.quotedLines = diff.lines.count
        for l in diff.lines {
            guard let o = l.original else { continue }
            summary.matchedLines += 1
            if (l.oldLine != nil || l.newLine != nil) && l.oldLine == o.oldLine && l.newLine == o.newLine {
                summary.agreeingLines += 1
            }
        }
        return summary
    }

    private static func sameHunkOrNext(_ index: PatchIndex, _ a: Int, _ b: Int) -> Bool {
        index.entries[a].file == index.entries[b].file
    }

    private static func runScore(_ index: PatchIndex, _ keys: [UInt64], _ seq: [Int], _ n: Int, _ p: Int) -> Int {
        var s = 0
        var j = 1
        while j <= lookahead && n + j < seq.count && p + j < index.entries.count {
            if index.entries[p + j].key != keys[seq[n + j]] { break }
            s += 1
            j += 1
        }
        return s
    }

    private static func lowerBound(_ a: [Int32], _ v: Int32) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func binaryContains(_ a: [Int32], _ v: Int32) -> Bool {
        let i = lowerBound(a, v)
        return i < a.count && a[i] == v
    }
}
