/// Function definitions and statement trees, built from tokens; tolerant of fragments.

/// The code of one function as the analysis sees it: its body tokens (without the outer braces),
/// and what is known about where it starts and ends.
public struct FunctionSource: Sendable {
    public var name: String
    public var parameters: [String]
    /// Body tokens; fragments may hold stray `}` and `.gap` tokens.
    public var tokens: [CToken]
    /// Line of the function's name (or first visible line of a fragment).
    public var startLine: Int
    /// Line of the closing brace (or last visible line).
    public var endLine: Int
    /// The opening brace was seen: the state on entry is the caller's.
    public var startVisible: Bool
    /// The closing brace was seen.
    public var endVisible: Bool
    /// Sparse's lock annotations on its declaration (`Annotations.swift`).
    public var annotations: [LockAnnotation] = []

    public init(name: String, parameters: [String], tokens: [CToken], startLine: Int, endLine: Int,
                startVisible: Bool = true, endVisible: Bool = true) {
        self.name = name; self.parameters = parameters; self.tokens = tokens; self.startLine = startLine
        self.endLine = endLine; self.startVisible = startVisible; self.endVisible = endVisible
    }
}

enum FunctionFinder {
    /// Identifiers that may follow a parameter list before the body (`__acquires(x)`, `__must_hold(x)`).
    static func isAttribute(_ s: String) -> Bool { s.hasPrefix("__") || s == "noinline" || s == "notrace" }

    /// Finds function definitions at brace depth 0 of a token stream.
    static func functions(in tokens: [CToken]) -> [FunctionSource] {
        var out: [FunctionSource] = []
        var depth = 0
        var i = 0
        var declStart = 0  // first token of the current top-level declaration
        let n = tokens.count
        // Forward declarations carrying lock annotations: name → (parameters, annotations).
        var declared: [String: ([String], [LockAnnotation])] = [:]
        while i < n {
            let t = tokens[i]
            if t.kind == .preprocessor { if depth == 0 { declStart = i + 1 }; i += 1; continue }
            if t.kind == .punctuator {
                switch t.text {
                case "{":
                    if depth == 0, let header = functionHeader(tokens, from: declStart, brace: i) {
                        let close = matchingBrace(tokens, open: i)
                        let body = Array(tokens[(i + 1)..<min(close, n)])
                        let endLine = close < n ? tokens[close].line : (tokens.last?.endLine ?? t.line)
                        var f = FunctionSource(name: header.name, parameters: header.params, tokens: body,
                                               startLine: header.line, endLine: endLine,
                                               startVisible: true, endVisible: close < n)
                        f.annotations = annotations(tokens, declStart..<i)
                        out.append(f)
                        i = close + 1
                        declStart = i
                        continue
                    }
                    depth += 1
                case "}":
                    depth = max(0, depth - 1)
                    if depth == 0 { declStart = i + 1 }
                case ";":
                    if depth == 0 {
                        if (declStart..<i).contains(where: { tokens[$0].kind == .identifier && annotationNames.contains(tokens[$0].text) }),
                           let header = functionHeader(tokens, from: declStart, brace: i) {
                            let a = annotations(tokens, declStart..<i)
                            if !a.isEmpty, declared[header.name] == nil { declared[header.name] = (header.params, a) }
                        }
                        declStart = i + 1
                    }
                default: break
                }
            }
            i += 1
        }
        if !declared.isEmpty {
            for k in out.indices where out[k].annotations.isEmpty {
                if let (params, a) = declared[out[k].name] {
                    out[k].annotations = mapped(a, from: params, to: out[k].parameters)
                }
            }
        }
        return out
    }

    /// Index of the `}` matching the `{` at `open`, or `tokens.count` when unbalanced.
    static func matchingBrace(_ tokens: [CToken], open: Int) -> Int {
        var depth = 0
        var j = open
        while j < tokens.count {
            let t = tokens[j]
            if t.kind == .punctuator {
                if t.text == "{" { depth += 1 } else if t.text == "}" { depth -= 1; if depth == 0 { return j } }
            }
            j += 1
        }
        return tokens.count
    }

    struct Header { var name: String; var params: [String]; var line: Int }

    /// Whether tokens[from..<brace] form a function header; returns its name and parameter names.
    static func functionHeader(_ tokens: [CToken], from: Int, brace: Int) -> Header? {
        guard brace > from else { return nil }
        var j = brace - 1
        // Skip trailing attributes: `__acquires(x)`, `__must_hold(&l)`, bare `__init`.
        while j >= from {
            let t = tokens[j]
            if t.isPunct(")") {
                guard let open = matchingOpenParen(tokens, close: j, lowerBound: from) else { return nil }
                if open - 1 >= from, tokens[open - 1].kind == .identifier, isAttribute(tokens[open - 1].text),
                   open - 2 >= from, tokens[open - 2].isPunct(")") || tokens[open - 2].kind == .identifier && isAttribute(tokens[open - 2].text) {
                    j = open - 2
                    continue
                }
                // The parameter list.
                guard open - 1 >= from, tokens[open - 1].kind == .identifier else { return nil }
                let nameTok = tokens[open - 1]
                if ["if", "for", "while", "switch", "sizeof", "return"].contains(nameTok.text) { return nil }
                // No `=` at depth 0 in the declaration (initialisers), no `struct x {` directly.
                var pd = 0
                for k in from..<(open - 1) {
                    let tk = tokens[k]
                    if tk.kind != .punctuator { continue }
                    if tk.text == "(" || tk.text == "[" { pd += 1 } else if tk.text == ")" || tk.text == "]" { pd -= 1 }
                    else if pd == 0, tk.text == "=" || tk.text == ";" { return nil }
                }
                return Header(name: nameTok.text, params: parameterNames(tokens, open: open, close: j), line: nameTok.line)
            }
            if t.kind == .identifier, isAttribute(t.text) { j -= 1; continue }
            return nil
        }
        return nil
    }

    static func matchingOpenParen(_ tokens: [CToken], close: Int, lowerBound: Int) -> Int? {
        var depth = 0
        var k = close
        while k >= lowerBound {
            let t = tokens[k]
            if t.kind == .punctuator {
                if t.text == ")" { depth += 1 } else if t.text == "(" { depth -= 1; if depth == 0 { return k } }
            }
            k -= 1
        }
        return nil
    }

    /// Parameter names: the last identifier of each comma-separated part (`struct kvm *kvm` → `kvm`).
    static func parameterNames(_ tokens: [CToken], open: Int, close: Int) -> [String] {
        var names: [String] = []
        var depth = 0
        var last: String?
        var k = open + 1
        while k < close {
            let t = tokens[k]
            if t.kind == .punctuator {
                if t.text == "(" || t.text == "[" { depth += 1 } else if t.text == ")" || t.text == "]" { depth -= 1 }
                else if t.text == ",", depth == 0 { if let l = last { names.append(l) }; last = nil }
            } else if t.kind == .identifier, depth == 0 || (depth == 1 && k > 0 && tokens[k - 1].isPunct("*")) {
                if t.text != "void", t.text != "const", !isAttribute(t.text) { last = t.text }
            }
            k += 1
        }
        if let l = last { names.append(l) }
        return names
    }
}

// MARK: - Statement trees

struct Stmt {
    enum Kind: UInt8 {
        case simple, block, ifElse, loop, doWhile, switchStmt, caseLabel, label, gotoStmt, returnStmt
        case breakStmt, continueStmt, unknownBranch, gap, guardScope
        /// The shown code ends inside this block: what follows (the rest of the block, a loop's
        /// next round, the code after it) is in lines the hunks do not show.
        case hiddenTail
    }
    enum LoopKind: UInt8 { case forLoop, whileLoop, macro }
    var kind: Kind
    /// Tokens of a simple statement, a condition, a return value, or a macro's arguments.
    var range: Range<Int> = 0..<0
    var children: [Int] = []
    var line: Int
    var endLine: Int
    /// Label / goto target / loop or guard macro name.
    var name: String = ""
    var scope: Int = 0
    var loopKind: LoopKind = .forLoop
    var initRange: Range<Int> = 0..<0
    var stepRange: Range<Int> = 0..<0
    /// `ifElse` has an else branch (children[1]).
    var hasElse: Bool = false
    var isDefault: Bool = false
}

/// Parses a function body's tokens into statements. Nesting is limited; past the limit the rest of a
/// construct is read as flat statements.
struct StatementParser {
    let toks: [CToken]
    var nodes: [Stmt] = []
    /// Parent of each scope (index = scope id); scope 0 is the function body.
    var scopeParent: [Int] = [-1]
    var scopeHasCleanup: [Bool] = [false]
    /// Label name → scope chain where it is.
    var labelScopes: [String: [Int]] = [:]
    var scopeChain: [Int] = [0]
    var hitDepthLimit = false
    static let maxDepth = 200
    var depth = 0

    /// The fragment's start is hidden (hunk mode): its first statement may be the body of a hidden `if`.
    var hiddenStart = false
    static let jumps: Set<Stmt.Kind> = [.returnStmt, .gotoStmt, .breakStmt, .continueStmt]

    init(tokens: [CToken], hiddenStart: Bool = false) { toks = tokens; self.hiddenStart = hiddenStart }

    mutating func add(_ s: Stmt) -> Int { nodes.append(s); return nodes.count - 1 }

    /// Parses the whole body; stray `}` (a fragment that starts inside a block) wrap what came
    /// before them in an `unknownBranch`, so the code after them is reachable too.
    mutating func parseBody() -> Int {
        var items: [Int] = []
        var leadingJump: Int?
        var i = 0
        let n = toks.count
        while i < n {
            if toks[i].isPunct("}") {
                // Close of a block we never saw opened.
                let line = toks[i].line
                let inner = add(Stmt(kind: .block, children: items, line: items.first.map { nodes[$0].line } ?? line,
                                     endLine: line, scope: 0))
                items = [add(Stmt(kind: .unknownBranch, children: [inner], line: nodes[inner].line, endLine: line))]
                leadingJump = nil
                i += 1
                continue
            }
            let (s, next) = parseStatement(i)
            if let s {
                // A jump that opens the shown code (or follows hidden lines) with more shown code
                // after it is the body of a condition the hunk does not show (`if (!pdev)` above
                // `\treturn -ENODEV;`): the code after it is reachable.
                if let j = leadingJump, j < items.count, nodes[s].kind != .label {
                    let jump = items[j]
                    items[j] = add(Stmt(kind: .unknownBranch, children: [jump], line: nodes[jump].line,
                                        endLine: nodes[jump].endLine))
                }
                let opens = items.isEmpty ? hiddenStart : nodes[items[items.count - 1]].kind == .gap
                leadingJump = opens && Self.jumps.contains(nodes[s].kind) ? items.count : nil
                items.append(s)
            }
            i = max(next, i + 1)
        }
        let line = toks.first?.line ?? 0
        return add(Stmt(kind: .block, children: items, line: line, endLine: toks.last?.endLine ?? line, scope: 0))
    }

    @inline(__always) func isP(_ i: Int, _ s: String) -> Bool { i < toks.count && toks[i].isPunct(s) }

    /// Index after the `)` matching the `(` at i (or the end, or a gap, when unbalanced).
    func skipParens(_ i: Int) -> Int {
        var d = 0
        var j = i
        while j < toks.count {
            let t = toks[j]
            if t.kind == .gap { return j }
            if t.kind == .punctuator {
                if t.text == "(" { d += 1 } else if t.text == ")" { d -= 1; if d == 0 { return j + 1 } }
            }
            j += 1
        }
        return j
    }

    mutating func newScope() -> Int {
        let id = scopeParent.count
        scopeParent.append(scopeChain.last ?? 0)
        scopeHasCleanup.append(false)
        return id
    }

    mutating func parseStatement(_ start: Int) -> (Int?, Int) {
        let n = toks.count
        guard start < n else { return (nil, n) }
        if depth >= Self.maxDepth { hitDepthLimit = true; return parseSimple(start) }
        depth += 1
        defer { depth -= 1 }
        let t = toks[start]
        let line = t.line
        switch t.kind {
        case .preprocessor:
            return (nil, start + 1)
        case .gap:
            return (add(Stmt(kind: .gap, line: line, endLine: line)), start + 1)
        case .punctuator:
            if t.text == "{" {
                let scope = newScope()
                scopeChain.append(scope)
                var items: [Int] = []
                var i = start + 1
                while i < n, !toks[i].isPunct("}") {
                    let (s, next) = parseStatement(i)
                    if let s { items.append(s) }
                    i = max(next, i + 1)
                }
                scopeChain.removeLast()
                if i >= n {
                    let last = toks.last?.endLine ?? line
                    items.append(add(Stmt(kind: .hiddenTail, line: last, endLine: last)))
                }
                let end = i < n ? toks[i].line : (toks.last?.endLine ?? line)
                return (add(Stmt(kind: .block, children: items, line: line, endLine: end, scope: scope)), min(i + 1, n))
            }
            if t.text == ";" { return (nil, start + 1) }
            if t.text == "}" { return (nil, start) }  // caller handles
            return parseSimple(start)
        case .identifier:
            switch t.text {
            case "if":
                guard isP(start + 1, "(") else { return parseSimple(start) }
                let ce = skipParens(start + 1)
                let cond = (start + 2)..<max(start + 2, ce - 1)
                let (thenS, afterThen) = parseStatementOrEmpty(ce)
                var children = [thenS]
                var next = afterThen
                var hasElse = false
                if next < n, toks[next].isIdent("else") {
                    let (elseS, afterElse) = parseStatementOrEmpty(next + 1)
                    children.append(elseS)
                    next = afterElse
                    hasElse = true
                }
                let end = nodes[children.last ?? thenS].endLine
                return (add(Stmt(kind: .ifElse, range: cond, children: children, line: line, endLine: end, hasElse: hasElse)), next)
            case "while":
                guard isP(start + 1, "(") else { return parseSimple(start) }
                let ce = skipParens(start + 1)
                let (body, next) = parseStatementOrEmpty(ce)
                return (add(Stmt(kind: .loop, range: (start + 2)..<max(start + 2, ce - 1), children: [body], line: line,
                                 endLine: nodes[body].endLine, loopKind: .whileLoop)), next)
            case "for":
                guard isP(start + 1, "(") else { return parseSimple(start) }
                let ce = skipParens(start + 1)
                // Split on the two top-level semicolons.
                var parts: [Range<Int>] = []
                var d = 0
                var s0 = start + 2
                var k = start + 2
                while k < ce - 1 {
                    let tk = toks[k]
                    if tk.kind == .punctuator {
                        if tk.text == "(" { d += 1 } else if tk.text == ")" { d -= 1 }
                        else if tk.text == ";", d == 0 { parts.append(s0..<k); s0 = k + 1 }
                    }
                    k += 1
                }
                parts.append(s0..<max(s0, ce - 1))
                let (body, next) = parseStatementOrEmpty(ce)
                var st = Stmt(kind: .loop, children: [body], line: line, endLine: nodes[body].endLine, loopKind: .forLoop)
                if parts.count == 3 { st.initRange = parts[0]; st.range = parts[1]; st.stepRange = parts[2] }
                else { st.range = parts.last ?? (ce..<ce) }
                return (add(st), next)
            case "do":
                let (body, afterBody) = parseStatementOrEmpty(start + 1)
                var next = afterBody
                var cond = next..<next
                if next < n, toks[next].isIdent("while"), isP(next + 1, "(") {
                    let ce = skipParens(next + 1)
                    cond = (next + 2)..<max(next + 2, ce - 1)
                    next = ce
                    if isP(next, ";") { next += 1 }
                }
                return (add(Stmt(kind: .doWhile, range: cond, children: [body], line: line,
                                 endLine: next > 0 && next <= n ? toks[next - 1].line : line)), next)
            case "switch":
                guard isP(start + 1, "(") else { return parseSimple(start) }
                let ce = skipParens(start + 1)
                let (body, next) = parseStatementOrEmpty(ce)
                return (add(Stmt(kind: .switchStmt, range: (start + 2)..<max(start + 2, ce - 1), children: [body],
                                 line: line, endLine: nodes[body].endLine)), next)
            case "case", "default":
                // Up to the `:` that is not part of `?:`.
                var k = start + 1
                var q = 0
                while k < n {
                    let tk = toks[k]
                    if tk.isPunct("?") { q += 1 }
                    else if tk.isPunct(":") { if q == 0 { break }; q -= 1 }
                    else if tk.isPunct(";") || tk.isPunct("{") || tk.isPunct("}") { break }
                    k += 1
                }
                if t.text == "default", !isP(start + 1, ":") { return parseSimple(start) }
                return (add(Stmt(kind: .caseLabel, line: line, endLine: line, isDefault: t.text == "default")),
                        isP(k, ":") ? k + 1 : k)
            case "goto":
                let target = start + 1 < n ? toks[start + 1].text : ""
                var k = start + 1
                while k < n, !toks[k].isPunct(";"), !toks[k].isPunct("}") { k += 1 }
                return (add(Stmt(kind: .gotoStmt, line: line, endLine: line, name: target)), isP(k, ";") ? k + 1 : k)
            case "return":
                let (r, next) = simpleRange(start + 1)
                return (add(Stmt(kind: .returnStmt, range: r, line: line, endLine: next > 0 ? toks[max(0, min(next, n) - 1)].line : line)), next)
            case "break", "continue":
                let kind: Stmt.Kind = t.text == "break" ? .breakStmt : .continueStmt
                return (add(Stmt(kind: kind, line: line, endLine: line)), isP(start + 1, ";") ? start + 2 : start + 1)
            case "else":
                return (nil, start + 1)  // stray else of a fragment
            default:
                break
            }
            // Label: `ident :` at statement start (not `::`, not a case).
            if isP(start + 1, ":"), !isP(start + 2, ":") {
                labelScopes[t.text] = scopeChain
                return (add(Stmt(kind: .label, line: line, endLine: line, name: t.text)), start + 2)
            }
            // Macro-headed blocks: `list_for_each_entry(...) {`, `scoped_guard(...) {`, `for_each_x(...) stmt`.
            if isP(start + 1, "(") {
                let ce = skipParens(start + 1)
                let name = t.text
                let looksLoop = name.contains("for_each") || name.contains("foreach")
                let isGuard = name == "scoped_guard" || name == "scoped_cond_guard"
                let braceFollows = isP(ce, "{")
                let statementFollows = (looksLoop || isGuard) && ce < n && (toks[ce].kind == .identifier || toks[ce].isPunct("*"))
                if braceFollows || statementFollows {
                    if isGuard {
                        let scope = newScope()
                        scopeHasCleanup[scope] = true
                        scopeChain.append(scope)
                        let (body, next) = parseStatementOrEmpty(ce)
                        scopeChain.removeLast()
                        return (add(Stmt(kind: .guardScope, range: (start + 2)..<max(start + 2, ce - 1), children: [body],
                                         line: line, endLine: nodes[body].endLine, name: name, scope: scope)), next)
                    }
                    let (body, next) = parseStatementOrEmpty(ce)
                    return (add(Stmt(kind: .loop, range: (start + 2)..<max(start + 2, ce - 1), children: [body], line: line,
                                     endLine: nodes[body].endLine, name: name, loopKind: .macro)), next)
                }
            }
            return parseSimple(start)
        default:
            return parseSimple(start)
        }
    }

    /// A statement, or an empty block when the input ends or a stray `}` follows.
    mutating func parseStatementOrEmpty(_ i: Int) -> (Int, Int) {
        if i < toks.count, !toks[i].isPunct("}") {
            let (s, next) = parseStatement(i)
            if let s { return (s, next) }
            return (add(Stmt(kind: .block, line: toks[i].line, endLine: toks[i].line, scope: scopeChain.last ?? 0)), next)
        }
        let line = i < toks.count ? toks[i].line : (toks.last?.endLine ?? 0)
        return (add(Stmt(kind: .block, line: line, endLine: line, scope: scopeChain.last ?? 0)), i)
    }

    /// Tokens up to the `;` at depth 0 (exclusive) and the index after it. A stray `}` at depth 0
    /// ends the statement without consuming it; so does the end of a fragment.
    func simpleRange(_ start: Int) -> (Range<Int>, Int) {
        var d = 0
        var k = start
        let n = toks.count
        while k < n {
            let tk = toks[k]
            if tk.kind == .gap { return (start..<k, k) }
            if tk.kind == .punctuator {
                switch tk.text {
                case "(", "[", "{": d += 1
                case ")", "]": d = max(0, d - 1)
                case "}":
                    if d == 0 { return (start..<k, k) }
                    d -= 1
                case ";":
                    if d == 0 { return (start..<k, k + 1) }
                default: break
                }
            }
            k += 1
        }
        return (start..<n, n)
    }

    mutating func parseSimple(_ start: Int) -> (Int?, Int) {
        let (r, next) = simpleRange(start)
        if r.isEmpty { return (nil, max(next, start + 1)) }
        // Mark scopes that hold cleanup variables or guards.
        var k = r.lowerBound
        while k < r.upperBound {
            let tk = toks[k]
            if tk.kind == .identifier, tk.text == "__free" || tk.text == "guard" || tk.text == "__cleanup" {
                if let s = scopeChain.last { scopeHasCleanup[s] = true }
            }
            k += 1
        }
        // A statement cut off by the end of a fragment or a gap is incomplete: drop it.
        if r.upperBound == toks.count || toks[r.upperBound].kind == .gap { return (nil, next) }
        let endLine = toks[r.upperBound - 1].endLine
        return (add(Stmt(kind: .simple, range: r, line: toks[start].line, endLine: endLine)), next)
    }
}
