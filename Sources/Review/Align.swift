import Foundation
import Patch

// Alignment of quoted diff lines with the original patch: whitespace-normalised, order-preserving,
// by file. It recovers exact old/new numbers and finds quoted text that is not in the original.

/// FNV-1a over the kind and the text's non-blank bytes: tabs turned into spaces, re-indented or
/// re-wrapped lines hash the same as the original.
@inline(__always) func normalizedKey(_ kind: HunkLine.Kind, _ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    let k: UInt8 = kind == .context ? 0x20 : (kind == .added ? 0x2B : 0x2D)
    h = (h ^ UInt64(k)) &* 0x100_0000_01b3
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { b in
        for c in b where c != chSpace && c != chTab && c != chCR {
            h = (h ^ UInt64(c)) &* 0x100_0000_01b3
        }
    }
    if done == nil {
        for c in text.utf8 where c != chSpace && c != chTab && c != chCR {
            h = (h ^ UInt64(c)) &* 0x100_0000_01b3
        }
    }
    return h
}

/// The original patch's hunk lines in patch order, indexed by normalised text. Built once per
/// original patch and shared (read-only) by every reply that answers it, on any thread.
public final class PatchIndex: Sendable {
    struct Entry {
        var file: Int32
        var hunk: Int32
        var line: Int32
        var key: UInt64
        var oldLine: Int?
        var newLine: Int?
    }
    public let patch: Patch
    let entries: [Entry]
    let byKey: [UInt64: [Int32]]
    /// `patch.files[i].path`, `oldPath`, `newPath`.
    let paths: [String]
    let oldPaths: [String?]
    let newPaths: [String?]

    public init(_ patch: Patch) {
        self.patch = patch
        var entries: [Entry] = []
        var byKey: [UInt64: [Int32]] = [:]
        var count = 0
        for f in patch.files { for h in f.hunks { count += h.lines.count } }
        entries.reserveCapacity(count)
        byKey.reserveCapacity(count)
        for fi in patch.files.indices {
            let hunks = patch.files[fi].hunks
            for hi in hunks.indices {
                let lines = hunks[hi].lines
                for li in lines.indices {
                    let key = normalizedKey(lines[li].kind, lines[li].text)
                    byKey[key, default: []].append(Int32(entries.count))
                    entries.append(Entry(file: Int32(fi), hunk: Int32(hi), line: Int32(li), key: key,
                                         oldLine: lines[li].oldLine, newLine: lines[li].newLine))
                }
            }
        }
        self.entries = entries
        self.byKey = byKey
        paths = patch.files.map(\.path)
        oldPaths = patch.files.map(\.oldPath)
        newPaths = patch.files.map(\.newPath)
    }

    func ref(_ p: Int) -> OriginalRef {
        let e = entries[p]
        return OriginalRef(file: Int(e.file), hunk: Int(e.hunk), line: Int(e.line),
                           path: paths[Int(e.file)], oldLine: e.oldLine, newLine: e.newLine)
    }

    private let functionCache = FunctionCache()

    /// The enclosing function of an original line (computed per hunk, once per patch).
    func function(of ref: OriginalRef) -> String? {
        guard ref.file >= 0, ref.file < patch.files.count, ref.hunk >= 0, ref.hunk < patch.files[ref.file].hunks.count else { return nil }
        let fs = functionCache.functions(ref.file << 20 | ref.hunk) {
            FunctionFinder.functions(in: patch.files[ref.file], hunk: ref.hunk)
        }
        return ref.line < fs.count ? fs[ref.line] : nil
    }

    /// For each file of the patch: does a quoted file name (nil: unknown) name it?
    func filesMatching(_ path: String?) -> [Bool] {
        guard let path else { return [Bool](repeating: true, count: paths.count) }
        let slashPath = "/" + path
        return paths.indices.map { i in
            let p = paths[i]
            return newPaths[i] == path || oldPaths[i] == path || p.hasSuffix(slashPath) || path.hasSuffix("/" + p)
        }
    }
}

/// Enclosing functions of the original patch's lines, found per hunk when first asked for and
/// kept for every reply to the same patch (replies are analysed on several threads).
final class FunctionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var byHunk: [Int: [String?]] = [:]

    func functions(_ key: Int, _ make: () -> [String?]) -> [String?] {
        lock.lock()
        let cached = byHunk[key]
        lock.unlock()
        if let cached { return cached }
        let fs = make()
        lock.lock()
        byHunk[key] = fs
        lock.unlock()
        return fs
    }
}

enum Aligner {
    static let maxCandidates = 64
    static let lookahead = 6

    /// Sets `original` on every quoted line found in the patch; returns the figures.
    static func align(_ diff: inout QuotedDiff, with index: PatchIndex) -> AlignmentSummary {
        var summary = AlignmentSummary()
        guard !index.entries.isEmpty, !diff.lines.isEmpty else {
            summary.quotedLines = diff.lines.count
            return summary
        }
        let n = diff.lines.count
        var keys = [UInt64](repeating: 0, count: n)
        var depths = [Int](repeating: 0, count: n)
        var maxDepth = 0
        for i in 0..<n {
            keys[i] = normalizedKey(diff.lines[i].kind, diff.lines[i].text)
            depths[i] = diff.lines[i].depth
            maxDepth = max(maxDepth, depths[i])
        }
        // Which files of the patch each quoted line's file name can be, per distinct name.
        var lastFile: String? = nil
        var lastFileSet = false
        var matching: [Bool] = []
        var found = [Int32](repeating: -1, count: n)
        let entries = index.entries
        var seq: [Int] = []
        seq.reserveCapacity(n)
        for depth in 0...maxDepth {
            seq.removeAll(keepingCapacity: true)
            for i in 0..<n where depths[i] == depth { seq.append(i) }
            if seq.isEmpty { continue }
            var prev = -1
            for (k, qi) in seq.enumerated() {
                guard let cands = index.byKey[keys[qi]], !cands.isEmpty else { continue }
                let qFile = diff.lines[qi].file
                if !lastFileSet || qFile != lastFile {
                    matching = index.filesMatching(qFile)
                    lastFile = qFile
                    lastFileSet = true
                }
                let fileOK = cands.contains { matching[Int(entries[Int($0)].file)] }
                @inline(__always) func compatible(_ p: Int) -> Bool { !fileOK || matching[Int(entries[p].file)] }
                let qOld = diff.lines[qi].oldLine, qNew = diff.lines[qi].newLine
                var best = -1
                // 1. the reconstruction's numbers are right
                if qOld != nil || qNew != nil {
                    for c in cands.prefix(maxCandidates) {
                        let p = Int(c)
                        if entries[p].oldLine == qOld && entries[p].newLine == qNew && compatible(p) { best = p; break }
                    }
                }
                // 2. the line right after the previous match
                if best < 0, prev >= 0, binaryContains(cands, Int32(prev + 1)), compatible(prev + 1),
                   entries[prev].file == entries[prev + 1].file {
                    best = prev + 1
                }
                // 3. the candidate after the previous match that the following quoted lines confirm
                if best < 0 {
                    var bestScore = -1
                    let from = lowerBound(cands, Int32(prev + 1))
                    var considered = 0
                    var c = from
                    while c < cands.count && considered < maxCandidates {
                        let p = Int(cands[c])
                        c += 1
                        guard compatible(p) else { continue }
                        considered += 1
                        let s = runScore(entries, keys, seq, k, p)
                        if s > bestScore { bestScore = s; best = p }
                        if s >= lookahead { break }
                    }
                    // 4. out of order (the reviewer moved text around): best candidate anywhere
                    if best < 0 {
                        for c in cands.prefix(maxCandidates) where compatible(Int(c)) {
                            let s = runScore(entries, keys, seq, k, Int(c))
                            if s > bestScore { bestScore = s; best = Int(c) }
                        }
                    }
                }
                guard best >= 0 else { continue }
                found[qi] = Int32(best)
                prev = best
            }
        }
        summary.quotedLines = n
        for i in 0..<n where found[i] >= 0 {
            let o = index.ref(Int(found[i]))
            let qOld = diff.lines[i].oldLine, qNew = diff.lines[i].newLine
            summary.matchedLines += 1
            if (qOld != nil || qNew != nil) && qOld == o.oldLine && qNew == o.newLine { summary.agreeingLines += 1 }
            diff.lines[i].original = o
        }
        return summary
    }

    private static func runScore(_ entries: [PatchIndex.Entry], _ keys: [UInt64], _ seq: [Int], _ n: Int, _ p: Int) -> Int {
        var s = 0
        var j = 1
        while j <= lookahead && n + j < seq.count && p + j < entries.count {
            if entries[p + j].key != keys[seq[n + j]] { break }
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
