// Applying a file's hunks to its content, forwards (pre-image → post-image) or in reverse.
// Like `git apply`: hunks apply in order, each first at its stated line, else at the nearest
// place where its pre-image lines match (an offset, carried on to the next hunk); no fuzz.

/// Why a patch does not apply, naming the file, the hunk and the line.
public struct PatchApplyError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        /// The hunk's pre-image lines are found neither at the stated line nor anywhere after the
        /// previous hunk.
        case contextMismatch
        /// The patch says the file ends without a newline but the content has one (or the
        /// reverse), at the place where the hunk otherwise matches.
        case newlineAtEndMismatch
        /// A binary patch has no hunks to apply.
        case binary
    }
    public var reason: Reason
    public var path: String
    /// 1-based number of the hunk in the file's diff (0 for the file as a whole).
    public var hunk: Int
    /// `-1027,8 +1027,21`
    public var hunkHeader: String
    /// 1-based line in the content where the hunk was expected and first differed.
    public var line: Int
    /// The patch's line there, and the content's (nil past the end of the content).
    public var expected: String?
    public var found: String?

    public var description: String {
        let head = "\(path): hunk #\(hunk) (@@ \(hunkHeader) @@)"
        switch reason {
        case .binary:
            return "\(path): binary patch cannot be applied"
        case .newlineAtEndMismatch:
            return "\(head) does not apply: the patch and the content disagree on a newline at the end of line \(line)"
        case .contextMismatch:
            let exp = expected.map { "\"\(Self.visible($0))\"" } ?? "nothing"
            let fnd = found.map { "\"\(Self.visible($0))\"" } ?? "the end of the content"
            return "\(head) does not apply at line \(line): expected \(exp) but found \(fnd)"
        }
    }

    private static func visible(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// The outcome of applying a file patch.
public struct ApplyResult: Sendable, Hashable {
    public var text: String
    /// For each hunk, how many lines away from its stated position it applied (0 = exact).
    public var offsets: [Int]
}

extension FilePatch {
    /// The post-image of `content` (the pre-image). An added file applies to "".
    public func apply(to content: String) throws(PatchApplyError) -> String {
        try applying(to: content).text
    }

    /// The pre-image of `content` (the post-image).
    public func reverseApply(to content: String) throws(PatchApplyError) -> String {
        try applying(to: content, reverse: true).text
    }

    /// Applies the hunks in order and reports the offset each one needed. With
    /// `ignoringWhitespace`, lines match when they agree after collapsing runs of spaces and tabs
    /// (for mail that mangled tabs); context lines then keep the content's own text.
    public func applying(to content: String, reverse: Bool = false,
                         ignoringWhitespace: Bool = false) throws(PatchApplyError) -> ApplyResult {
        if isBinary {
            throw PatchApplyError(reason: .binary, path: path, hunk: 0, hunkHeader: "", line: 0,
                                  expected: nil, found: nil)
        }
        var source = content.split(separator: "\n", omittingEmptySubsequences: false)
        var finalNewline = false
        if let last = source.last, last.isEmpty {
            source.removeLast()
            finalNewline = !source.isEmpty
        }
        func key(_ s: Substring) -> Substring { ignoringWhitespace ? FilePatch.collapseWhitespace(s) : s }
        var sourceKeys = source
        if ignoringWhitespace { for k in sourceKeys.indices { sourceKeys[k] = key(sourceKeys[k]) } }

        var result: [Substring] = []
        result.reserveCapacity(source.count + 16)
        var offsets: [Int] = []
        var cursor = 0
        var carry = 0
        var touchedEnd = false
        // Only a non-empty content can lack its final newline.
        let contentLacksNewline = !source.isEmpty && !finalNewline
        var endsWithoutNewline = contentLacksNewline

        for (h, hunk) in hunks.enumerated() {
            let side = HunkSide(hunk, reverse: reverse)
            var preKeys: [Substring] = []
            preKeys.reserveCapacity(side.pre.count)
            for line in side.pre { preKeys.append(key(Substring(line.text))) }
            let stated = side.pre.isEmpty ? side.start : max(side.start - 1, 0)
            let expected = stated + carry
            let hi = source.count - preKeys.count
            var found: Int? = nil
            if hi >= cursor {
                let anchor = min(max(expected, cursor), hi)
                if side.pre.isEmpty {
                    found = anchor
                } else {
                    // Nearest first: the stated place, then one line before, one after, …
                    var d = 0
                    while found == nil && (anchor - d >= cursor || anchor + d <= hi) {
                        let before = anchor - d, after = anchor + d
                        if before >= cursor && FilePatch.matches(sourceKeys, at: before, preKeys) {
                            found = before
                        } else if d > 0 && after <= hi && FilePatch.matches(sourceKeys, at: after, preKeys) {
                            found = after
                        }
                        d += 1
                    }
                }
            }
            guard let p = found else {
                throw mismatch(hunk: h, header: hunk.header, at: expected, pre: side.pre, source: source, keys: sourceKeys,
                               preKeys: preKeys)
            }
            let reachesEnd = p + preKeys.count == source.count
            if side.preNoNewline {
                guard reachesEnd, !finalNewline else {
                    throw PatchApplyError(reason: .newlineAtEndMismatch, path: path, hunk: h + 1,
                                          hunkHeader: hunk.header, line: p + preKeys.count,
                                          expected: side.pre.last?.text, found: nil)
                }
            }
            result += source[cursor..<p]
            // Post-image: context lines keep the content's text, other lines come from the patch.
            var preIndex = 0
            for line in side.lines {
                switch side.role(line) {
                case .both: result.append(source[p + preIndex]); preIndex += 1
                case .pre: preIndex += 1
                case .post: result.append(Substring(line.text))
                }
            }
            cursor = p + preKeys.count
            carry = p - stated
            offsets.append(p - stated)
            if reachesEnd {
                touchedEnd = true
                if side.postNoNewline {
                    endsWithoutNewline = true
                } else if side.preNoNewline {
                    endsWithoutNewline = false // the patch adds the missing newline
                } else {
                    endsWithoutNewline = contentLacksNewline // neither side says: keep the content's ending
                }
            }
        }
        result += source[cursor...]
        if !touchedEnd { endsWithoutNewline = contentLacksNewline }
        var text = result.joined(separator: "\n")
        if !result.isEmpty && !endsWithoutNewline { text += "\n" }
        return ApplyResult(text: text, offsets: offsets)
    }

    private static func matches(_ source: [Substring], at p: Int, _ pre: [Substring]) -> Bool {
        for k in 0..<pre.count where source[p + k] != pre[k] { return false }
        return true
    }

    private static func collapseWhitespace(_ s: Substring) -> Substring {
        var out = ""
        var pendingSpace = false
        for ch in s {
            if ch == " " || ch == "\t" || ch == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(ch)
            }
        }
        return Substring(out)
    }

    private func mismatch(hunk h: Int, header: String, at expected: Int, pre: [HunkLine], source: [Substring],
                          keys: [Substring], preKeys: [Substring]) -> PatchApplyError {
        let base = max(expected, 0)
        for k in 0..<preKeys.count {
            let at = base + k
            if at >= source.count {
                return PatchApplyError(reason: .contextMismatch, path: path, hunk: h + 1, hunkHeader: header,
                                       line: at + 1, expected: pre[k].text, found: nil)
            }
            if keys[at] != preKeys[k] {
                return PatchApplyError(reason: .contextMismatch, path: path, hunk: h + 1, hunkHeader: header,
                                       line: at + 1, expected: pre[k].text, found: String(source[at]))
            }
        }
        // The lines match at the stated place but it lies before an earlier hunk's end.
        return PatchApplyError(reason: .contextMismatch, path: path, hunk: h + 1, hunkHeader: header,
                               line: base + 1, expected: pre.first?.text, found: base < source.count ? String(source[base]) : nil)
    }
}

/// A hunk seen from the side being applied: forwards the pre-image is context + removed lines,
/// in reverse it is context + added lines.
private struct HunkSide {
    enum Role { case both, pre, post }
    let lines: [HunkLine]
    let reverse: Bool
    let pre: [HunkLine]
    let start: Int
    let preNoNewline: Bool
    let postNoNewline: Bool

    init(_ hunk: Hunk, reverse: Bool) {
        self.lines = hunk.lines
        self.reverse = reverse
        let preKind: HunkLine.Kind = reverse ? .added : .removed
        let postKind: HunkLine.Kind = reverse ? .removed : .added
        pre = hunk.lines.filter { $0.kind == .context || $0.kind == preKind }
        let post = hunk.lines.filter { $0.kind == .context || $0.kind == postKind }
        start = reverse ? hunk.newStart : hunk.oldStart
        preNoNewline = pre.last?.noNewlineAtEnd ?? false
        postNoNewline = post.last?.noNewlineAtEnd ?? false
    }

    func role(_ line: HunkLine) -> Role {
        switch line.kind {
        case .context: return .both
        case .removed: return reverse ? .post : .pre
        case .added: return reverse ? .pre : .post
        }
    }
}
