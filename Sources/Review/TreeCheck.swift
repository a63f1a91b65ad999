import Foundation
import Patch

/// Checks attributions against a kernel source checkout (`--tree PATH`): the quoted pre-image
/// lines must be in the real file at the stated old lines.
public struct TreeChecker {
    public let root: String
    private var files: [String: [[UInt8]]?] = [:]
    /// Files larger than this are not read.
    public var maxFileSize = 64 << 20

    public init(root: String) { self.root = root }

    /// Checks every remark attached to a diff line and stores the result in `Remark.treeCheck`.
    public mutating func check(_ analysis: inout ReviewAnalysis) {
        for r in analysis.remarks.indices {
            analysis.remarks[r].treeCheck = check(analysis.remarks[r], diff: analysis.quotedDiff)
        }
    }

    /// Checks one remark: the pre-image lines (context and removed) of the quoted span up to the
    /// anchor, and shows the real line at the anchor's old line (for an added line, the pre-image
    /// line it follows).
    public mutating func check(_ remark: Remark, diff: QuotedDiff) -> TreeCheck? {
        guard remark.target == .line, let a = remark.anchor else { return nil }
        guard let path = a.file, !path.isEmpty else {
            return TreeCheck(status: .notCheckable, file: nil, line: nil, realText: nil, checked: 0, matched: 0,
                             warning: "no file name for the quoted line")
        }
        guard let content = load(path) else {
            return TreeCheck(status: .fileMissing, file: path, line: nil, realText: nil, checked: 0, matched: 0,
                             warning: "\(path) is not in the tree at \(root)")
        }
        // Quoted lines of the same hunk from the span start to the anchor.
        var pre: [(Int, String)] = []
        var post: [(Int, String)] = []
        var lineNo: Int? = nil
        if a.lineIndex >= 0 && a.lineIndex < diff.lines.count {
            let anchorLine = diff.lines[a.lineIndex]
            let spanStart = remark.span?.firstLine ?? anchorLine.bodyLine
            var k = a.lineIndex
            while k >= 0 {
                let l = diff.lines[k]
                if l.hunk != anchorLine.hunk || l.depth != anchorLine.depth || l.bodyLine < spanStart { break }
                let old = l.original?.oldLine ?? l.oldLine
                let new = l.original?.newLine ?? l.newLine
                if l.kind != .added, let old { pre.append((old, l.text)); if lineNo == nil { lineNo = old } }
                if l.kind != .removed, let new { post.append((new, l.text)) }
                k -= 1
            }
        } else if let old = a.oldLine {
            lineNo = old
        }
        pre.reverse()
        post.reverse()
        guard let line = lineNo ?? a.oldLine else {
            return TreeCheck(status: .notCheckable, file: path, line: nil, realText: nil, checked: 0, matched: 0,
                             warning: "no pre-image line number for the quoted line")
        }
        let real = line >= 1 && line <= content.count ? String(decoding: content[line - 1], as: UTF8.self) : nil
        var matched = 0
        for (n, t) in pre where n >= 1 && n <= content.count && same(content[n - 1], t) { matched += 1 }
        if matched == pre.count && !pre.isEmpty {
            return TreeCheck(status: .matches, file: path, line: line, realText: real, checked: pre.count, matched: matched,
                             warning: nil)
        }
        var postMatched = 0
        for (n, t) in post where n >= 1 && n <= content.count && same(content[n - 1], t) { postMatched += 1 }
        if !post.isEmpty && postMatched == post.count {
            return TreeCheck(status: .alreadyApplied, file: path, line: line, realText: real, checked: pre.count,
                             matched: matched, warning: "\(path): the tree already contains the patch (post-image lines match)")
        }
        if pre.isEmpty {
            return TreeCheck(status: .notCheckable, file: path, line: line, realText: real, checked: 0, matched: 0,
                             warning: "no quoted pre-image line to check")
        }
        let firstBad = pre.first { $0.0 < 1 || $0.0 > content.count || !same(content[$0.0 - 1], $0.1) }
        var warning = "\(path): \(pre.count - matched) of \(pre.count) quoted pre-image lines differ from the tree"
        if let (n, t) = firstBad {
            let have = n >= 1 && n <= content.count ? String(decoding: content[n - 1], as: UTF8.self) : "(past end of file)"
            warning += "; line \(n) is \"\(have)\", quoted \"\(t)\""
        }
        return TreeCheck(status: .mismatch, file: path, line: line, realText: real, checked: pre.count, matched: matched,
                         warning: warning)
    }

    private func same(_ real: [UInt8], _ quoted: String) -> Bool {
        var a = real.makeIterator()
        var b = quoted.utf8.makeIterator()
        while true {
            var x = a.next()
            while let c = x, c == chSpace || c == chTab || c == chCR { x = a.next() }
            var y = b.next()
            while let c = y, c == chSpace || c == chTab || c == chCR { y = b.next() }
            if x != y { return false }
            if x == nil { return true }
        }
    }

    private mutating func load(_ path: String) -> [[UInt8]]? {
        if let cached = files[path] { return cached }
        // Paths come from mail: stay inside the tree.
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") { return nil }
        let full = (root as NSString).appendingPathComponent(path)
        var result: [[UInt8]]? = nil
        if let attrs = try? FileManager.default.attributesOfItem(atPath: full),
           let size = attrs[.size] as? Int, size <= maxFileSize,
           let data = FileManager.default.contents(atPath: full) {
            var lines: [[UInt8]] = []
            var cur: [UInt8] = []
            for c in data {
                if c == chLF { lines.append(cur); cur.removeAll(keepingCapacity: true) } else { cur.append(c) }
            }
            if !cur.isEmpty { lines.append(cur) }
            result = lines
        }
        files[path] = result
        return result
    }
}
