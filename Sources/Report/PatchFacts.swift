// Facts about a patch the report shows: the functions each file's changes touch, the post- and
// pre-image text of the lines the hunks show, and a patch rebuilt from a reply's quotes when the
// patch mail itself is not in the input.
import Patch
import Review

enum PatchFacts {
    /// Functions whose lines the hunks add or remove, in file order. A line belongs to the
    /// function whose header line the hunk shows above it, else to the hunk header's function;
    /// a comment block (kernel-doc) belongs to the function that follows it, in this hunk or, at
    /// a hunk's end, to the next hunk's function. A `}` in column 0 ends a function.
    static func functionsTouched(_ file: FilePatch) -> [String] {
        var names: [String] = []
        func add(_ n: String?) { if let n, !names.contains(n) { names.append(n) } }
        for (hi, hunk) in file.hunks.enumerated() {
            var current = hunk.sectionFunctionName
            var pendingComment: [HunkLine] = []
            var inComment = false
            let nextFunction = hi + 1 < file.hunks.count ? file.hunks[hi + 1].sectionFunctionName : nil
            for (li, line) in hunk.lines.enumerated() {
                let t = line.text
                let trimmed = t.drop { $0 == " " || $0 == "\t" }
                let startsComment = trimmed.hasPrefix("/*")
                let commentLine = inComment || startsComment || (li == pendingComment.count && trimmed.hasPrefix("*"))
                if commentLine {
                    pendingComment.append(line)
                    inComment = !(trimmed.contains("*/"))
                    if startsComment, trimmed.dropFirst(2).contains("*/") { inComment = false }
                    continue
                }
                if let name = functionHeader(t) {
                    current = name
                    for c in pendingComment where c.kind != .context { add(name) }
                    pendingComment = []
                } else if !t.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    // Code after the comment: the comment belonged to what surrounds it.
                    for c in pendingComment where c.kind != .context { add(current) }
                    pendingComment = []
                }
                if line.kind != .context { add(current) }
                if t.hasPrefix("}") { current = nil }
            }
            if pendingComment.contains(where: { $0.kind != .context }) { add(nextFunction ?? current) }
        }
        return names
    }

    /// The function a line starts, when it is a function definition's first line (column 0, a name
    /// followed by `(`, not a declaration ending in `;`).
    static func functionHeader(_ text: String) -> String? {
        guard let f = text.first, f.isLetter || f == "_" else { return nil }
        let t = text.trimmingTrailingWhitespace()
        if t.hasSuffix(";") || t.hasSuffix(":") { return nil }
        return Hunk(oldStart: 0, oldCount: 0, newStart: 0, newCount: 0, section: t, lines: []).sectionFunctionName
    }

    /// Line number → text of the post-image (`new`) or pre-image lines the hunks show.
    static func lineTexts(_ file: FilePatch, new: Bool) -> [Int: (HunkLine.Kind, String)] {
        var out: [Int: (HunkLine.Kind, String)] = [:]
        for h in file.hunks {
            for l in h.lines {
                if new, let n = l.newLine { out[n] = (l.kind, l.text) }
                if !new, let o = l.oldLine { out[o] = (l.kind, l.text) }
            }
        }
        return out
    }

    /// A patch rebuilt from the shallowest quoted diff of a reply (the patch the reply answers):
    /// hunks with their quoted headers and numbered lines. A run of quoted lines without a header
    /// (the reviewer cut it) is a hunk too when the reviewer's tree placed it exactly on one side
    /// (`Numbering.tree`/`.treeSide`: found in the quoted blob, line after line); its other side is
    /// counted from the nearest hunk of the same file that has both (the quoted hunk above it, else
    /// the one below), which assumes the reviewer cut no whole hunk between them. Its function
    /// context is that of the nearest quoted hunk of the same function. Lines nothing placed are
    /// left out: hunk mode never guesses a number.
    static func patch(fromQuotes diff: QuotedDiff) -> Patch? {
        guard let depth = diff.hunks.filter({ $0.oldStart != nil || Self.placedRuns($0, diff) != nil }).map(\.depth).min()
        else { return nil }
        var files: [FilePatch] = []
        let hunks = diff.hunks.enumerated().filter { $0.element.depth == depth }
        for (_, h) in hunks where h.oldStart != nil {
            guard let oldStart = h.oldStart, let newStart = h.newStart else { continue }
            let range = h.firstLineIndex..<min(diff.lines.count, h.firstLineIndex + h.lineCount)
            let lines = diff.lines[range].map { l in
                HunkLine(kind: l.kind, text: l.text, oldLine: l.oldLine, newLine: l.newLine)
            }
            let hunk = Hunk(oldStart: oldStart, oldCount: h.oldCount ?? 1, newStart: newStart, newCount: h.newCount ?? 1,
                            section: h.section, lines: lines)
            let path = h.file ?? ""
            if let i = files.firstIndex(where: { $0.path == path }) {
                files[i].hunks.append(hunk)
            } else {
                files.append(FilePatch(oldPath: path, newPath: path, hunks: [hunk]))
            }
        }
        for i in files.indices { files[i].hunks.sort { $0.oldStart < $1.oldStart } }
        // The placed runs, each numbered on its exact side; the other side from the hunks around.
        var runs: [(path: String, run: PlacedRun, section: String)] = []
        for (i, h) in hunks where h.oldStart == nil {
            guard let (path, placed) = Self.placedRuns(h, diff) else { continue }
            let function = diff.lines[h.firstLineIndex].function
            var section = h.section
            if section.isEmpty, let function {
                // The nearest quoted hunk whose header names the same function.
                let named = hunks.filter { e in
                    e.element.oldStart != nil && !e.element.section.isEmpty && e.element.firstLineIndex < diff.lines.count
                        && diff.lines[e.element.firstLineIndex].function == function
                }
                section = named.min { abs($0.offset - i) < abs($1.offset - i) }?.element.section ?? ""
            }
            runs += placed.map { (path, $0, section) }
        }
        for (path, run, section) in runs {
            guard let i = files.firstIndex(where: { $0.path == path }), let hunk = run.hunk(among: files[i].hunks, section: section)
            else { continue }
            // A placed run the headed hunks already show is not added twice.
            let old = hunk.oldStart..<(hunk.oldStart + max(1, hunk.oldCount))
            if files[i].hunks.contains(where: { old.overlaps($0.oldStart..<($0.oldStart + max(1, $0.oldCount))) }) { continue }
            files[i].hunks.append(hunk)
            files[i].hunks.sort { $0.oldStart < $1.oldStart }
        }
        return files.isEmpty ? nil : Patch(files: files)
    }

    /// Quoted lines without a header that follow each other in the file on the side the tree placed.
    struct PlacedRun {
        /// The side whose numbers the tree gave (`true`: the pre-image).
        var pre: Bool
        var lines: [QuotedDiffLine]
        var exactStart: Int
        var preCount: Int { lines.filter { $0.kind != .added }.count }
        var postCount: Int { lines.filter { $0.kind != .removed }.count }

        /// The run as a hunk of `file`'s hunks: its other side moved by the hunk before it on the exact
        /// side (after it ends), else by the one after it (before it starts); nil when the file has none.
        func hunk(among hunks: [Hunk], section: String) -> Hunk? {
            func start(_ h: Hunk) -> Int { pre ? h.oldStart : h.newStart }
            func count(_ h: Hunk) -> Int { pre ? h.oldCount : h.newCount }
            func otherStart(_ h: Hunk) -> Int { pre ? h.newStart : h.oldStart }
            func otherCount(_ h: Hunk) -> Int { pre ? h.newCount : h.oldCount }
            let own = pre ? preCount : postCount, other = pre ? postCount : preCount
            let otherStartHere: Int
            if let before = hunks.last(where: { start($0) + count($0) <= exactStart }) {
                otherStartHere = exactStart + (otherStart(before) + otherCount(before) - start(before) - count(before))
            } else if let after = hunks.first(where: { start($0) >= exactStart + own }) {
                otherStartHere = exactStart + (otherStart(after) - start(after)) - (other - own)
            } else {
                return nil
            }
            guard otherStartHere > 0 else { return nil }
            var o = pre ? exactStart : otherStartHere, n = pre ? otherStartHere : exactStart
            let oldStart = o, newStart = n
            var out: [HunkLine] = []
            for l in lines {
                switch l.kind {
                case .context: out.append(HunkLine(kind: .context, text: l.text, oldLine: o, newLine: n)); o += 1; n += 1
                case .removed: out.append(HunkLine(kind: .removed, text: l.text, oldLine: o, newLine: nil)); o += 1
                case .added: out.append(HunkLine(kind: .added, text: l.text, oldLine: nil, newLine: n)); n += 1
                }
            }
            return Hunk(oldStart: oldStart, oldCount: preCount, newStart: newStart, newCount: postCount, section: section, lines: out)
        }
    }

    /// A headerless quoted hunk's lines in runs that follow each other on the side the tree placed
    /// them on, exactly (`Numbering.tree` or `.treeSide`), in one known file; nil otherwise. The
    /// other side's lines (additions, when the tree gave the pre-image) sit where they are quoted.
    static func placedRuns(_ h: QuotedHunk, _ diff: QuotedDiff) -> (String, [PlacedRun])? {
        guard h.oldStart == nil, h.lineCount > 0, h.firstLineIndex + h.lineCount <= diff.lines.count else { return nil }
        let lines = Array(diff.lines[h.firstLineIndex..<(h.firstLineIndex + h.lineCount)])
        guard let path = h.file ?? lines.first?.file, !path.isEmpty, lines.allSatisfy({ ($0.file ?? path) == path })
        else { return nil }
        func exact(_ l: QuotedDiffLine) -> Bool { l.numbering == .tree || l.numbering == .treeSide }
        let pre: Bool
        if lines.allSatisfy({ $0.kind == .added || (exact($0) && $0.oldLine != nil) }) {
            pre = true
        } else if lines.allSatisfy({ $0.kind == .removed || (exact($0) && $0.newLine != nil) }) {
            pre = false
        } else {
            return nil
        }
        var runs: [PlacedRun] = []
        var next: Int?
        for l in lines {
            let number = pre ? l.oldLine : l.newLine
            let onSide = pre ? l.kind != .added : l.kind != .removed
            if runs.isEmpty || (onSide && next != nil && number != next) {
                runs.append(PlacedRun(pre: pre, lines: [], exactStart: 0))
                next = nil
            }
            runs[runs.count - 1].lines.append(l)
            if onSide, let number {
                if next == nil { runs[runs.count - 1].exactStart = number }
                next = number + 1
            }
        }
        // A run needs a line on its exact side to be placed.
        runs = runs.filter { r in r.lines.contains { pre ? $0.kind != .added : $0.kind != .removed } }
        return runs.isEmpty ? nil : (path, runs)
    }
}
