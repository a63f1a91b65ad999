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
    /// (the reviewer cut it) is a hunk too when the reviewer's tree placed every line of it for
    /// certain (`Numbering.tree`) in one file, line after line on both sides; its function context is
    /// its own quoted header's, else that of the nearest quoted hunk of the same function. Lines
    /// nothing placed are left out: hunk mode never guesses a number.
    static func patch(fromQuotes diff: QuotedDiff) -> Patch? {
        guard let depth = diff.hunks.filter({ $0.oldStart != nil || Self.placedRuns($0, diff) != nil }).map(\.depth).min()
        else { return nil }
        var files: [FilePatch] = []
        func add(_ hunk: Hunk, path: String) {
            if let i = files.firstIndex(where: { $0.path == path }) {
                // A placed run the headed hunks already show is not added twice.
                let old = hunk.oldStart..<(hunk.oldStart + max(1, hunk.oldCount))
                if files[i].hunks.contains(where: { old.overlaps($0.oldStart..<($0.oldStart + max(1, $0.oldCount))) }) { return }
                files[i].hunks.append(hunk)
                files[i].hunks.sort { $0.oldStart < $1.oldStart }
            } else {
                files.append(FilePatch(oldPath: path, newPath: path, hunks: [hunk]))
            }
        }
        let hunks = diff.hunks.enumerated().filter { $0.element.depth == depth }
        for (_, h) in hunks where h.oldStart != nil {
            guard let oldStart = h.oldStart, let newStart = h.newStart else { continue }
            let range = h.firstLineIndex..<min(diff.lines.count, h.firstLineIndex + h.lineCount)
            let lines = diff.lines[range].map { l in
                HunkLine(kind: l.kind, text: l.text, oldLine: l.oldLine, newLine: l.newLine)
            }
            add(Hunk(oldStart: oldStart, oldCount: h.oldCount ?? 1, newStart: newStart, newCount: h.newCount ?? 1,
                     section: h.section, lines: lines), path: h.file ?? "")
        }
        for (i, h) in hunks where h.oldStart == nil {
            guard let (path, runs) = Self.placedRuns(h, diff) else { continue }
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
            for run in runs {
                let lines = run.map { HunkLine(kind: $0.kind, text: $0.text, oldLine: $0.oldLine, newLine: $0.newLine) }
                guard let oldStart = run.compactMap(\.oldLine).first, let newStart = run.compactMap(\.newLine).first else { continue }
                add(Hunk(oldStart: oldStart, oldCount: run.filter { $0.kind != .added }.count, newStart: newStart,
                         newCount: run.filter { $0.kind != .removed }.count, section: section, lines: lines), path: path)
            }
        }
        return files.isEmpty ? nil : Patch(files: files)
    }

    /// A headerless quoted hunk's lines in runs that follow each other on both sides, when the tree
    /// placed all of them for certain in one known file; nil otherwise.
    static func placedRuns(_ h: QuotedHunk, _ diff: QuotedDiff) -> (String, [[QuotedDiffLine]])? {
        guard h.oldStart == nil, h.lineCount > 0, h.firstLineIndex + h.lineCount <= diff.lines.count else { return nil }
        let lines = Array(diff.lines[h.firstLineIndex..<(h.firstLineIndex + h.lineCount)])
        guard let path = h.file ?? lines.first?.file, !path.isEmpty,
              lines.allSatisfy({ $0.numbering == .tree && ($0.file ?? path) == path
                  && ($0.kind == .added || $0.oldLine != nil) && ($0.kind == .removed || $0.newLine != nil) })
        else { return nil }
        var runs: [[QuotedDiffLine]] = []
        var nextOld: Int?, nextNew: Int?
        for l in lines {
            let follows = (l.oldLine == nil || nextOld == nil || l.oldLine == nextOld)
                && (l.newLine == nil || nextNew == nil || l.newLine == nextNew)
            if runs.isEmpty || !follows { runs.append([]); nextOld = nil; nextNew = nil }
            runs[runs.count - 1].append(l)
            if let o = l.oldLine { nextOld = o + 1 }
            if let n = l.newLine { nextNew = n + 1 }
        }
        // A run needs both sides to be placed (a context line, or a removal and an addition).
        runs = runs.filter { r in r.contains { $0.oldLine != nil } && r.contains { $0.newLine != nil } }
        return runs.isEmpty ? nil : (path, runs)
    }
}
