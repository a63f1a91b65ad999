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
    /// hunks with their quoted headers and numbered lines. Hunks without a header are left out.
    static func patch(fromQuotes diff: QuotedDiff) -> Patch? {
        guard let depth = diff.hunks.filter({ $0.oldStart != nil }).map(\.depth).min() else { return nil }
        var files: [FilePatch] = []
        for h in diff.hunks where h.depth == depth {
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
        return files.isEmpty ? nil : Patch(files: files)
    }
}
