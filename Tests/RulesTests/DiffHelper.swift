import Foundation
import Patch

/// A test-only reader of unified diffs (the real parser lives in the Patch module).
enum TestDiff {
    /// Parses `diff --git`/`---`/`+++`/`@@` text into file patches.
    static func parse(_ text: String) -> [FilePatch] {
        var files: [FilePatch] = []
        var cur: FilePatch?
        var hunk: Hunk?
        var oldN = 0, newN = 0
        func flushHunk() { if let h = hunk { cur?.hunks.append(h) }; hunk = nil }
        func flushFile() { flushHunk(); if let c = cur { files.append(c) }; cur = nil }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let inHunk = hunk != nil && (oldN > 0 || newN > 0)
            if !inHunk {
                if line.hasPrefix("diff --git ") { flushFile(); cur = FilePatch(oldPath: nil, newPath: nil); continue }
                if line.hasPrefix("--- ") {
                    if cur == nil { cur = FilePatch(oldPath: nil, newPath: nil) }
                    flushHunk()
                    let p = String(line.dropFirst(4))
                    cur?.oldPath = p == "/dev/null" ? nil : (p.hasPrefix("a/") ? String(p.dropFirst(2)) : p)
                    continue
                }
                if line.hasPrefix("+++ ") {
                    let p = String(line.dropFirst(4))
                    cur?.newPath = p == "/dev/null" ? nil : (p.hasPrefix("b/") ? String(p.dropFirst(2)) : p)
                    continue
                }
                if line.hasPrefix("@@ ") {
                    flushHunk()
                    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                    guard parts.count >= 3 else { continue }
                    func nums(_ s: Substring) -> (Int, Int) {
                        let v = s.dropFirst().split(separator: ",").map { Int($0) ?? 0 }
                        return (v.first ?? 0, v.count > 1 ? v[1] : 1)
                    }
                    let (os, oc) = nums(parts[1]), (ns, nc) = nums(parts[2])
                    var section = ""
                    let rest = line.dropFirst(2)
                    if let r = rest.range(of: "@@") {
                        section = String(rest[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                    }
                    hunk = Hunk(oldStart: os, oldCount: oc, newStart: ns, newCount: nc, section: section, lines: [])
                    oldN = oc; newN = nc
                    continue
                }
                continue
            }
            guard var h = hunk else { continue }
            let kind: HunkLine.Kind
            var text = line
            if line.hasPrefix("+") { kind = .added; text.removeFirst() }
            else if line.hasPrefix("-") { kind = .removed; text.removeFirst() }
            else if line.hasPrefix(" ") { kind = .context; text.removeFirst() }
            else if line.isEmpty { kind = .context }
            else { continue }
            let o = h.oldStart + h.oldCount - oldN
            let n = h.newStart + h.newCount - newN
            switch kind {
            case .context: h.lines.append(HunkLine(kind: .context, text: text, oldLine: o, newLine: n)); oldN -= 1; newN -= 1
            case .removed: h.lines.append(HunkLine(kind: .removed, text: text, oldLine: o, newLine: nil)); oldN -= 1
            case .added: h.lines.append(HunkLine(kind: .added, text: text, oldLine: nil, newLine: n)); newN -= 1
            }
            hunk = h
        }
        flushFile()
        return files
    }

    /// The quoted diff of a review reply: one level of `> ` removed, unquoted remark lines dropped.
    static func unquote(_ mail: String) -> String {
        var out: [String] = []
        for l in mail.split(separator: "\n", omittingEmptySubsequences: false) {
            if l.hasPrefix("> ") { out.append(String(l.dropFirst(2))) }
            else if l == ">" { out.append("") }
        }
        return out.joined(separator: "\n")
    }

    /// A new file holding `code`, as a patch that adds every line.
    static func adding(_ code: String, path: String = "x.c") -> FilePatch {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let hl = lines.enumerated().map { HunkLine(kind: .added, text: $0.element, oldLine: nil, newLine: $0.offset + 1) }
        return FilePatch(oldPath: nil, newPath: path, change: .added,
                         hunks: [Hunk(oldStart: 0, oldCount: 0, newStart: 1, newCount: lines.count, section: "", lines: hl)])
    }
}
