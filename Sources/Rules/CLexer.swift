/// C tokens with line numbers, produced from bytes; tolerant of fragments.

/// One C token. `text` is the token's spelling (a small `String`; identifiers and punctuators
/// are short and stay inline), `line` the 1-based line in the lexed text.
public struct CToken: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case identifier, number, string, character, punctuator
        /// A whole preprocessor line, continuations included (`text` holds the directive name).
        case preprocessor
        /// Lines the lexer did not see (between two hunks): unknown code.
        case gap
    }
    public var kind: Kind
    public var text: String
    public var line: Int
    /// Last line the token covers (strings and preprocessor lines may span several).
    public var endLine: Int
    /// Column (0-based byte offset in its line) of the token's first byte.
    public var column: Int

    public init(kind: Kind, text: String, line: Int, endLine: Int, column: Int) {
        self.kind = kind; self.text = text; self.line = line; self.endLine = endLine; self.column = column
    }

    @inline(__always) func isPunct(_ s: String) -> Bool { kind == .punctuator && text == s }
    @inline(__always) func isIdent(_ s: String) -> Bool { kind == .identifier && text == s }
}

/// A byte-level C lexer. It never fails: unterminated strings and comments end at the end of the
/// input, stray bytes become one-byte punctuators.
public enum CLexer {
    /// Options for lexing a fragment.
    public struct Options: Sendable {
        /// The text starts inside a `/* … */` comment (a hunk that begins in a kernel-doc block).
        public var startsInComment: Bool = false
        /// Line number of the first line.
        public var firstLine: Int = 1
        /// Drop `#else`/`#elif` branches and `#if 0` blocks so braces stay balanced.
        public var resolveConditionals: Bool = true
        public init(startsInComment: Bool = false, firstLine: Int = 1, resolveConditionals: Bool = true) {
            self.startsInComment = startsInComment; self.firstLine = firstLine
            self.resolveConditionals = resolveConditionals
        }
    }

    public static func tokenize(_ text: String, options: Options = Options()) -> [CToken] {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { tokenize(bytes: UnsafeBufferPointer($0), options: options) }
    }

    /// Three-character and two-character punctuators, longest first.
    private static let punct3: Set<String> = ["<<=", ">>=", "..."]
    private static let punct2: Set<String> = ["->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
                                              "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##"]

    public static func tokenize(bytes b: UnsafeBufferPointer<UInt8>, options: Options = Options()) -> [CToken] {
        var tokens: [CToken] = []
        tokens.reserveCapacity(b.count / 4)
        let n = b.count
        var i = 0
        var line = options.firstLine
        var lineStart = 0
        var atLineStart = true  // only whitespace seen on this line so far

        @inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
            (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 36 || c >= 0x80
        }
        @inline(__always) func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }
        func string(_ s: Int, _ e: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        }
        // Skips a block comment whose body starts at i; returns the index after `*/`.
        func skipBlockComment(from start: Int) -> Int {
            var j = start
            while j < n {
                if b[j] == 10 { line += 1; lineStart = j + 1 }
                if b[j] == 42, j + 1 < n, b[j + 1] == 47 { return j + 2 }
                j += 1
            }
            return n
        }

        if options.startsInComment { i = skipBlockComment(from: 0) }

        while i < n {
            let c = b[i]
            if c == 10 { line += 1; i += 1; lineStart = i; atLineStart = true; continue }
            if c == 32 || c == 9 || c == 13 || c == 12 || c == 11 { i += 1; continue }
            // Comments.
            if c == 47, i + 1 < n {
                if b[i + 1] == 42 { i = skipBlockComment(from: i + 2); continue }
                if b[i + 1] == 47 {
                    while i < n, b[i] != 10 { i += 1 }
                    continue
                }
            }
            let startLine = line
            let column = i - lineStart
            // Preprocessor line.
            if c == 35, atLineStart {
                var j = i + 1
                while j < n, b[j] == 32 || b[j] == 9 { j += 1 }
                let ns = j
                while j < n, isIdentChar(b[j]) { j += 1 }
                var name = string(ns, j)
                if name == "if" {
                    var k = j
                    while k < n, b[k] == 32 || b[k] == 9 { k += 1 }
                    if k < n, b[k] == 48, k + 1 >= n || !isIdentChar(b[k + 1]) { name = "if0" }
                }
                // Run to end of line, honouring `\` continuations and block comments.
                while j < n {
                    if b[j] == 92, j + 1 < n, b[j + 1] == 10 { j += 2; line += 1; lineStart = j; continue }
                    if b[j] == 92, j + 2 < n, b[j + 1] == 13, b[j + 2] == 10 { j += 3; line += 1; lineStart = j; continue }
                    if b[j] == 47, j + 1 < n, b[j + 1] == 42 { j = skipBlockComment(from: j + 2); continue }
                    if b[j] == 10 { break }
                    j += 1
                }
                tokens.append(CToken(kind: .preprocessor, text: name, line: startLine, endLine: line, column: column))
                i = j
                continue
            }
            atLineStart = false
            if isIdentStart(c) {
                var j = i + 1
                while j < n, isIdentChar(b[j]) { j += 1 }
                // String/char prefixes: L"", u8"" …
                if j < n, b[j] == 34 || b[j] == 39, j - i <= 2 {
                    let p = string(i, j)
                    if p == "L" || p == "u" || p == "U" || p == "u8" { i = j; continue }
                }
                tokens.append(CToken(kind: .identifier, text: string(i, j), line: startLine, endLine: line, column: column))
                i = j
                continue
            }
            if (c >= 48 && c <= 57) || (c == 46 && i + 1 < n && b[i + 1] >= 48 && b[i + 1] <= 57) {
                var j = i + 1
                while j < n {
                    let d = b[j]
                    if isIdentChar(d) || d == 46 { j += 1; continue }
                    if (d == 43 || d == 45), b[j - 1] == 101 || b[j - 1] == 69 || b[j - 1] == 112 || b[j - 1] == 80 { j += 1; continue }
                    break
                }
                tokens.append(CToken(kind: .number, text: string(i, j), line: startLine, endLine: line, column: column))
                i = j
                continue
            }
            if c == 34 || c == 39 {
                var j = i + 1
                while j < n {
                    let d = b[j]
                    if d == 92 { if j + 1 < n, b[j + 1] == 10 { line += 1; lineStart = j + 2 }; j += 2; continue }
                    if d == c { j += 1; break }
                    if d == 10 { break }  // unterminated: stop at end of line
                    j += 1
                }
                if j > n { j = n }
                let kind: CToken.Kind = c == 34 ? .string : .character
                // Keep short literals' text (used for display); long strings are abbreviated.
                let text = j - i <= 64 ? string(i, j) : (c == 34 ? "\"…\"" : "'…'")
                tokens.append(CToken(kind: kind, text: text, line: startLine, endLine: line, column: column))
                i = j
                continue
            }
            // Punctuators.
            if i + 2 < n {
                let s = string(i, i + 3)
                if punct3.contains(s) {
                    tokens.append(CToken(kind: .punctuator, text: s, line: startLine, endLine: line, column: column))
                    i += 3; continue
                }
            }
            if i + 1 < n, b[i + 1] < 0x80 {
                let s = string(i, i + 2)
                if punct2.contains(s) {
                    tokens.append(CToken(kind: .punctuator, text: s, line: startLine, endLine: line, column: column))
                    i += 2; continue
                }
            }
            tokens.append(CToken(kind: .punctuator, text: c < 0x80 ? String(UnicodeScalar(c)) : "?", line: startLine,
                                 endLine: line, column: column))
            i += 1
        }
        return options.resolveConditionals ? resolveConditionals(tokens) : tokens
    }

    /// Keeps the first branch of each `#if`/`#ifdef`/`#ifndef` and drops `#if 0` blocks, so that a
    /// function whose braces differ between configurations stays balanced.
    static func resolveConditionals(_ tokens: [CToken]) -> [CToken] {
        guard tokens.contains(where: { $0.kind == .preprocessor }) else { return tokens }
        var out: [CToken] = []
        out.reserveCapacity(tokens.count)
        // Stack of "this level is dropping tokens" flags.
        var dropping: [Bool] = []
        var zeroLevels: [Bool] = []
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .preprocessor {
                switch t.text {
                case "if", "ifdef", "ifndef", "if0":
                    let parentDrop = dropping.last ?? false
                    dropping.append(parentDrop || t.text == "if0")
                    // `#if 0 … #else` keeps the else branch: remember by a second marker.
                    zeroLevels.append(t.text == "if0" && !parentDrop)
                case "elif", "else":
                    if !dropping.isEmpty {
                        let parentDrop = dropping.count >= 2 ? dropping[dropping.count - 2] : false
                        // After `#if 0`, the first `#else`/`#elif` branch is the live one.
                        if zeroLevels.last == true { dropping[dropping.count - 1] = parentDrop; zeroLevels[zeroLevels.count - 1] = false }
                        else { dropping[dropping.count - 1] = true }
                    }
                case "endif":
                    if !dropping.isEmpty { dropping.removeLast() }
                    if !zeroLevels.isEmpty { zeroLevels.removeLast() }
                default: break
                }
                if !(dropping.last ?? false) { out.append(t) }
                i += 1
                continue
            }
            if !(dropping.last ?? false) { out.append(t) }
            i += 1
        }
        return out
    }

    /// Whether the text starts inside a block comment: a `*/` comes before any `/*`.
    public static func startsInsideComment(_ text: String) -> Bool {
        var prev: UInt8 = 0
        for c in text.utf8 {
            if prev == 42, c == 47 { return true }
            if prev == 47, c == 42 { return false }
            prev = c
        }
        return false
    }
}
