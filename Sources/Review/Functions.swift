import Patch

// The enclosing function of each line of a hunk: from the hunk header's section, or from the code
// when the hunk shows a function's start (`static int foo(...)` … `{`). A comment at the top level
// (kernel-doc `/** … */`) belongs to the function declared right after it, even when that
// declaration comes later in the hunk or only in the next hunk.

public enum FunctionFinder {
    public static let keywords: Set<String> = ["if", "for", "while", "switch", "return", "sizeof", "typeof", "__typeof__",
                                        "__attribute__", "defined", "do", "else", "case", "alignof", "_Alignof",
                                        "__builtin_expect", "likely", "unlikely", "asm", "__asm__", "goto"]

    /// The function named by a hunk header's section (`static int foo(struct bar *b,` → `foo`).
    static func functionName(fromSection section: String) -> String? {
        declName(Substring(section), requireColumnZero: false)
    }

    /// Identifier right before the first `(` of a column-0 declaration; nil for calls, control
    /// statements, assignments and preprocessor lines other than `#define NAME(`.
    static func declName(_ t: Substring, requireColumnZero: Bool = true) -> String? {
        let u = t.utf8
        guard let first = u.first else { return nil }
        if requireColumnZero && (first == chSpace || first == chTab) { return nil }
        var bytes = Array(u)
        if bytes.count > 400 { bytes = Array(bytes[0..<400]) }
        var start = 0
        if first == UInt8(ascii: "#") {
            guard t.hasPrefix("#define ") else { return nil }
            start = 8
        } else if !(isAlpha(first) || first == UInt8(ascii: "_")) {
            return nil
        }
        var paren = -1
        var k = start
        while k < bytes.count {
            let c = bytes[k]
            if c == UInt8(ascii: "(") { paren = k; break }
            if c == UInt8(ascii: "=") || c == UInt8(ascii: ";") || c == UInt8(ascii: "{") || c == UInt8(ascii: "\"") { return nil }
            k += 1
        }
        guard paren > 0 else { return nil }
        // Kernel style: the name touches its parenthesis (`foo(`), prose does not (`driver (see`).
        let e = paren
        var s = e
        while s > start && isIdentByte(bytes[s - 1]) { s -= 1 }
        guard s < e, !isDigit(bytes[s]) else { return nil }
        let name = String(decoding: bytes[s..<e], as: UTF8.self)
        if keywords.contains(name) { return nil }
        // `foo:` labels and lines like `out: return x;` never reach here (no column-0 `(` before `:`?)
        return name
    }

    /// `/**` followed by ` * name - desc`, ` * name() - desc` or ` * name`: the documented function.
    static func kernelDocName(_ t: Substring) -> (name: String?, isFunction: Bool) {
        var s = t
        if s.hasPrefix("/**") { s = s.dropFirst(3) }
        while let f = s.first, f == " " || f == "*" || f == "\t" { s = s.dropFirst() }
        if s.isEmpty { return (nil, true) }
        for w in ["struct ", "union ", "enum ", "typedef ", "DOC:"] where s.hasPrefix(w) { return (nil, false) }
        var name = ""
        for ch in s.utf8 {
            if isAlpha(ch) || ch == UInt8(ascii: "_") || (isDigit(ch) && !name.isEmpty) {
                name.append(Character(Unicode.Scalar(ch)))
            } else { break }
        }
        guard !name.isEmpty else { return (nil, true) }
        let rest = s.dropFirst(name.count)
        if rest.isEmpty || rest.hasPrefix("()") || rest.hasPrefix(" -") || rest.hasPrefix(":") || rest.hasPrefix(" ") && rest.dropFirst().hasPrefix("-") {
            return (name, true)
        }
        return (nil, true)
    }

    /// Files whose functions the C heuristics can find (nil: unknown, try anyway).
    static func isCLike(_ path: String?) -> Bool {
        guard let path else { return true }
        // ASCII paths (all of them in practice): the extension found on the bytes.
        let u = path.utf8
        var k = u.endIndex
        while k > u.startIndex {
            let prev = u.index(before: k)
            let c = u[prev]
            if c >= 0x80 { return isCLikeSlow(path) }
            if c == UInt8(ascii: "/") { return false }
            if c == UInt8(ascii: ".") { return cExtensions.contains(String(Substring(u[k...]))) }
            k = prev
        }
        return false
    }

    static let cExtensions: Set<String> = ["c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "y", "l", "S", "inl"]

    private static func isCLikeSlow(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return cExtensions.contains(String(path[path.index(after: dot)...]))
    }

    /// The function each line of hunk `index` of `file` is in (the next hunk's header bounds it).
    public static func functions(in file: FilePatch, hunk index: Int) -> [String?] {
        let h = file.hunks[index]
        return functions(kinds: h.lines.map(\.kind), texts: h.lines.map(\.text), section: h.section,
                         nextSection: index + 1 < file.hunks.count ? file.hunks[index + 1].section : nil)
    }

    /// Function of each line. `kinds`/`texts` are the hunk's lines (text without the diff marker).
    static func functions(kinds: [HunkLine.Kind], texts: [String], section: String, nextSection: String?) -> [String?] {
        var result = [String?](repeating: nil, count: texts.count)
        let start = functionName(fromSection: section)
        let next = nextSection.flatMap { functionName(fromSection: $0) }
        var newT = Tracker(current: start)
        var oldT = Tracker(current: start)
        // Space-stuffing clients put one more space before every context line: take it away.
        var stuffed = false
        var sawContext = false
        for (k, t) in zip(kinds, texts) where k == .context && !t.isEmpty {
            sawContext = true
            guard t.utf8.first == chSpace else { stuffed = false; break }
            let second = t.utf8.dropFirst().first
            if second != chSpace && second != UInt8(ascii: "*") { stuffed = true }
        }
        stuffed = stuffed && sawContext
        var newRes = [String?](repeating: nil, count: texts.count)
        var oldRes = [String?](repeating: nil, count: texts.count)
        for i in 0..<texts.count {
            var t = Substring(texts[i])
            if stuffed && kinds[i] == .context { t = t.dropFirst() }
            switch kinds[i] {
            case .context:
                newT.step(i, t, &newRes)
                oldT.step(i, t, &oldRes)
            case .added:
                newT.step(i, t, &newRes)
            case .removed:
                oldT.step(i, t, &oldRes)
            }
        }
        newT.finish(next, &newRes)
        oldT.finish(next, &oldRes)
        for i in 0..<texts.count {
            result[i] = kinds[i] == .removed ? oldRes[i] : newRes[i]
        }
        return result
    }

    struct Tracker {
        var current: String?
        var pendingDecl: String? = nil
        var inComment = false
        var afterOpen = false
        var commentLines: [Int] = []
        var awaitingDecl = false
        var docName: String? = nil
        var docIsFunction = true
        var sawCode = false

        init(current: String?) { self.current = current }

        mutating func resolve(_ name: String?, _ res: inout [String?]) {
            for k in commentLines { res[k] = name }
            commentLines.removeAll(keepingCapacity: true)
            awaitingDecl = false
            docName = nil
            docIsFunction = true
        }

        mutating func step(_ i: Int, _ t: Substring, _ res: inout [String?]) {
            // The tests below look at ASCII bytes of the line; no copy when the text is contiguous.
            if let done: Void = t.utf8.withContiguousStorageIfAvailable({ b in step(i, t, b, &res) }) { return done }
            Array(t.utf8).withUnsafeBufferPointer { b in step(i, t, b, &res) }
        }

        private mutating func step(_ i: Int, _ t: Substring, _ b: UnsafeBufferPointer<UInt8>, _ res: inout [String?]) {
            if inComment {
                commentLines.append(i)
                if afterOpen {
                    afterOpen = false
                    (docName, docIsFunction) = FunctionFinder.kernelDocName(t)
                }
                if bytesContain(b, UInt8(ascii: "*"), UInt8(ascii: "/"), from: 0) { inComment = false; awaitingDecl = true }
                return
            }
            if bytesHavePrefix(b, "/*") {
                let doc = bytesHavePrefix(b, "/**")
                if awaitingDecl && doc {
                    // the previous doc comment documents nothing the hunk shows
                    resolve(docIsFunction ? docName : nil, &res)
                }
                commentLines.append(i)
                let closes = bytesContain(b, UInt8(ascii: "*"), UInt8(ascii: "/"), from: 2)
                if doc && !bytesHavePrefix(b, "/***") {
                    let (n, f) = FunctionFinder.kernelDocName(t)
                    if n != nil { docName = n; docIsFunction = f } else if !f { docIsFunction = false }
                    afterOpen = n == nil && !closes
                }
                inComment = !closes
                awaitingDecl = closes
                return
            }
            if !sawCode && !awaitingDecl && b.count >= 2 && b[0] == chSpace && b[1] == UInt8(ascii: "*")
                && (b.count == 2 || bytesHavePrefix(b, " * ") || bytesHavePrefix(b, " *\t") || bytesHavePrefix(b, " */")) {
                // A top-level comment that began before the hunk.
                commentLines.append(i)
                if bytesHavePrefix(b, " */") || bytesContain(b, UInt8(ascii: "*"), UInt8(ascii: "/"), from: 0) {
                    awaitingDecl = true
                } else {
                    inComment = true
                }
                return
            }
            guard let first = b.first else {
                res[i] = pendingDecl ?? current
                return
            }
            sawCode = true
            if first == chSpace || first == chTab {
                res[i] = pendingDecl ?? current
                return
            }
            if first == UInt8(ascii: "}") {
                res[i] = current
                current = nil
                pendingDecl = nil
                return
            }
            if first == UInt8(ascii: "{") {
                if let p = pendingDecl { current = p; pendingDecl = nil }
                res[i] = current
                return
            }
            let last = b[b.count - 1]
            if let name = FunctionFinder.declName(t) {
                if awaitingDecl { resolve(docIsFunction ? name : nil, &res) }
                if last == UInt8(ascii: ";") {
                    res[i] = current
                    pendingDecl = nil
                } else if last == UInt8(ascii: "{") {
                    current = name; pendingDecl = nil
                    res[i] = name
                } else {
                    pendingDecl = name
                    res[i] = name
                }
                return
            }
            if awaitingDecl && first != UInt8(ascii: "#") { resolve(nil, &res) }
            if last == UInt8(ascii: ";") && !isLabel(t) { pendingDecl = nil }
            res[i] = pendingDecl ?? current
        }

        mutating func finish(_ next: String?, _ res: inout [String?]) {
            guard !commentLines.isEmpty else { return }
            resolve(docIsFunction ? (docName ?? next) : nil, &res)
        }

        private func isLabel(_ t: Substring) -> Bool {
            guard let colon = t.firstIndex(of: ":") else { return false }
            return t[..<colon].allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        }
    }
}

@inline(__always) private func bytesHavePrefix(_ b: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Bool {
    let n = p.utf8CodeUnitCount
    guard b.count >= n else { return false }
    let q = p.utf8Start
    for k in 0..<n where b[k] != q[k] { return false }
    return true
}

/// The two bytes `c0 c1` occur in `b` at or after `from`.
@inline(__always) private func bytesContain(_ b: UnsafeBufferPointer<UInt8>, _ c0: UInt8, _ c1: UInt8, from: Int) -> Bool {
    var k = from
    while k + 1 < b.count {
        if b[k] == c0 && b[k + 1] == c1 { return true }
        k += 1
    }
    return false
}
