/// Statement tokens → the actions a path walker replays (calls, assignments, uses, returns).

/// One argument of a call.
struct CallArg: Hashable, Sendable {
    /// The argument as an access path (`matrix_dev->lock` for `&matrix_dev->lock`), when it is one.
    var path: String?
    /// The literal `NULL` or `0`.
    var isNull: Bool
    var line: Int
    /// Passed by address (`&obj->ref`): an embedded counter, the object is its container.
    var addressOf: Bool = false
    /// A member reached through a conversion of one path, when `path` is nil:
    /// `to_iio_dev_opaque(indio_dev)->mlock` (see `ActionExtractor.convertedPath`). Lock calls read it.
    var converted: String? = nil
}

/// One call in a statement.
struct CallSite: Hashable, Sendable {
    var name: String
    var args: [CallArg]
    var line: Int
    /// Token index of the name (identifies the call within a condition).
    var token: Int
    /// `x = call(...)`: the variable receiving the result.
    var result: String?
    /// The call whose argument list this call sits in (`wait_event_cmd`).
    var outer: String?
    var outerToken: Int?
    /// The call is one whole argument of `outer` (`syscon_node_to_regmap(of_get_parent(np))`).
    var wholeArgument = false
    /// The call runs only when an operand to its left decides so: it sits right of `||`, `&&` or
    /// `?` (`if (of_device_is_compatible(np, "syscon") || (of_node_put(np), 0))`).
    var conditional = false
}

enum RHS: Hashable, Sendable {
    case path(String)
    /// Token index of the call whose result is assigned.
    case call(Int)
    case null
    /// An error code (`-ENOMEM`, `PTR_ERR(clk)`, `dev_err_probe(…)`): see `ErrorPaths`.
    case errorCode
    case other
}

/// A branch condition: what it reads, and the lines its body covers.
struct CondInfo: Hashable, Sendable {
    var range: Range<Int>
    var line: Int
    /// Last line of the statement the condition controls (both branches).
    var spanEnd: Int
    /// Access paths read (`kvm->arch.crypto.crycbd`, `ret`).
    var reads: [String]
    /// Normalised text, `!` stripped, to correlate repeated tests of the same condition.
    var key: String
    var negated: Bool
    /// Constant condition (`1`, `0`, `true`, `false`): nil when not constant.
    var constant: Bool?
    /// A guard (`if (!x->ok) return …;`): the branch value on which control goes on past the `if`
    /// while the other branch leaves. nil when both or neither go on.
    var continuesOn: Bool? = nil
    /// Last line of the block enclosing the statement: how far a guard's outcome is relied on.
    var blockEnd: Int = 0
    /// A loop's condition: evaluated again every round, so it is no check the body keeps relying on.
    var isLoop = false
}

/// What a `return` hands to its caller.
enum ReturnedValue: Hashable, Sendable {
    /// An access path, after casts, `&`, `to_*()` and `container_of()`.
    case path(String)
    /// The result of a call, with its arguments as access paths (nil when not a path).
    case call(name: String, args: [String?])
}

/// How a path leaves the shown code.
enum UnknownEndVia: Hashable, Sendable {
    /// The end of the shown code (the rest of the function is hidden).
    case end
    /// A `goto` to a label the hunks do not show.
    case goto(String, Int)
    /// A call that never returns.
    case noreturn
}

enum Action: Hashable, Sendable {
    case call(CallSite)
    case assign(lhs: String, rhs: RHS, line: Int, shared: Bool, isDecl: Bool, cleanup: Bool, rhsReads: [String])
    /// The path is dereferenced (`kvm->…`).
    case use(String, Int)
    /// Plain identifiers a statement mentions.
    case mentions([String], Int)
    case cond(CondInfo)
    /// `paths`: every access path the return expression reads; `values`: what it returns.
    case ret(line: Int, paths: [String], values: [ReturnedValue], implicit: Bool, error: Bool)
    case gap(Int)
    /// The start of code that ran under a condition the hunk does not show (before a stray `}`):
    /// what the shown lines prove about the fragment's start holds there only when paths through
    /// this block showed it (see `CFGBuilder`, `PathWalker.enterHiddenBlock`). The number is the
    /// block's ordinal in its fragment (outer blocks first), the same in both versions of a fragment
    /// whose blocks match.
    case hiddenCondition(Int)
    case scopeEnd(Int)
    /// Iterator macro: entering the body (cursor gets a reference), next iteration, loop end.
    case iterGet(cursor: String, api: String, line: Int)
    case iterNext(cursor: String, api: String, line: Int)
    case iterEnd(cursor: String, line: Int)
    /// A `__free(...)` variable: its reference is dropped when the scope ends.
    case cleanupVar(String, Int)
    /// `scoped_guard(class, lock)` / `guard(class)(lock)`: lock taken for the scope.
    case scopedAcquire(lock: String, family: String, scope: Int, line: Int)
    /// The function's end is not visible (fragment) or a goto leaves the visible code.
    case unknownEnd(Int, UnknownEndVia)
    /// `break` out of an iterator loop: the cursor keeps its reference (`IteratorExits.swift`).
    case leftLoop(cursor: String, family: String, line: Int)
    /// A jump out of a block that reported an error (`dev_err(…); goto out;`, `pr_err(…); return;`).
    case failed(Int)
}

/// Extracts actions from token ranges of one function body.
struct ActionExtractor {
    let toks: [CToken]
    /// For each `(`, the index of the `)` that closes it (-1: none). Found once per function:
    /// scanning forward for the match on every question was quadratic in the nesting
    /// (`return ((((…))))` with 20,000 levels took over a second).
    let closeOf: [Int]
    /// Names declared in the function so far (locals) and its parameters.
    var locals: Set<String> = []
    /// Locals declared as pointers (`struct mgr *m`).
    var pointers: Set<String> = []
    /// Locals assigned a fresh allocation (`st = kzalloc(…)`): not shared until the function publishes them.
    var allocated: Set<String> = []
    let params: Set<String>

    static let keywords: Set<String> = [
        "if", "else", "for", "while", "do", "switch", "case", "default", "return", "goto", "break", "continue",
        "sizeof", "typeof", "__typeof__", "__typeof", "alignof", "_Alignof", "__alignof__", "defined",
        "struct", "union", "enum", "const", "volatile", "static", "inline", "extern", "register", "unsigned",
        "signed", "int", "char", "short", "long", "bool", "void", "float", "double", "__user", "__iomem",
        "__rcu", "__force", "__maybe_unused", "restrict", "__restrict",
    ]
    static let typeStarts: Set<String> = [
        "struct", "union", "enum", "const", "volatile", "static", "unsigned", "signed", "int", "char", "short",
        "long", "bool", "void", "float", "double", "register", "u8", "u16", "u32", "u64", "s8", "s16", "s32",
        "s64", "__u8", "__u16", "__u32", "__u64", "__s32", "__le16", "__le32", "__le64", "__be16", "__be32",
        "__be64", "size_t", "ssize_t", "loff_t", "off_t", "dma_addr_t", "phys_addr_t", "gfp_t", "pid_t",
        "uid_t", "gid_t", "umode_t", "dev_t", "sector_t", "blk_status_t", "irqreturn_t", "atomic_t",
        "atomic64_t", "refcount_t", "spinlock_t", "ktime_t", "resource_size_t", "uintptr_t", "intptr_t",
        "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t", "vm_fault_t",
        "__poll_t", "fmode_t", "wait_queue_head_t", "LIST_HEAD", "DEFINE_MUTEX", "DECLARE_BITMAP",
        "DECLARE_COMPLETION_ONSTACK", "DEFINE_SPINLOCK", "DEFINE_WAIT", "DECLARE_WAITQUEUE", "DEFINE_IDA",
    ]

    /// The roles of calls (`RuleTables.calls`): error codes, allocators.
    let callRoles: [String: Set<CallRole>]

    init(tokens: [CToken], params: [String], calls: [String: Set<CallRole>] = RuleTables.builtIn.calls) {
        toks = tokens
        callRoles = calls
        self.params = Set(params)
        var closeOf = [Int](repeating: -1, count: tokens.count)
        var open: [Int] = []
        for (i, t) in tokens.enumerated() where t.kind == .punctuator {
            if t.text == "(" { open.append(i) } else if t.text == ")", let o = open.popLast() { closeOf[o] = i }
        }
        self.closeOf = closeOf
    }

    @inline(__always) func isP(_ i: Int, _ s: String) -> Bool { i >= 0 && i < toks.count && toks[i].isPunct(s) }

    // MARK: access paths

    /// The maximal access path starting at identifier `i` (`a->b.c[i]`) and the index after it.
    func pathForward(_ i: Int, limit: Int) -> (String, Int)? {
        guard i < limit, toks[i].kind == .identifier, !Self.keywords.contains(toks[i].text) else { return nil }
        var s = toks[i].text
        var k = i + 1
        while k < limit {
            if (toks[k].isPunct("->") || toks[k].isPunct(".")), k + 1 < limit, toks[k + 1].kind == .identifier {
                s += toks[k].text + toks[k + 1].text
                k += 2
                continue
            }
            if toks[k].isPunct("[") {
                var d = 0
                var j = k
                var inner = ""
                while j < limit {
                    if toks[j].isPunct("[") { d += 1 } else if toks[j].isPunct("]") { d -= 1; if d == 0 { break } }
                    if j > k { inner += toks[j].text }
                    j += 1
                }
                guard j < limit else { break }
                s += "[" + inner + "]"
                k = j + 1
                continue
            }
            break
        }
        return (s, k)
    }

    /// The access path ending at token `end` (inclusive), scanning backwards; with its first token.
    func pathBackward(_ end: Int, lower: Int) -> (String, Int)? {
        var k = end
        var parts: [String] = []
        while k >= lower {
            let t = toks[k]
            if t.isPunct("]") {
                var d = 0
                var j = k
                while j >= lower {
                    if toks[j].isPunct("]") { d += 1 } else if toks[j].isPunct("[") { d -= 1; if d == 0 { break } }
                    j -= 1
                }
                guard j >= lower else { return nil }
                parts.append(toks[j...k].map(\.text).joined())
                k = j - 1
                continue
            }
            if t.kind == .identifier, !Self.keywords.contains(t.text) {
                parts.append(t.text)
                if k - 1 >= lower, toks[k - 1].isPunct("->") || toks[k - 1].isPunct(".") {
                    parts.append(toks[k - 1].text)
                    k -= 2
                    continue
                }
                var first = k
                // `*p = …`: a store through a pointer.
                if k - 1 >= lower, toks[k - 1].isPunct("*"), k - 1 == lower || !isOperand(k - 2) {
                    parts.append("*"); first = k - 1
                }
                return (parts.reversed().joined(), first)
            }
            return nil
        }
        return nil
    }

    /// Whether token i ends an operand (so a following `*` is multiplication).
    func isOperand(_ i: Int) -> Bool {
        guard i >= 0, i < toks.count else { return false }
        let t = toks[i]
        return t.kind == .identifier && !Self.keywords.contains(t.text) || t.kind == .number || t.isPunct(")") || t.isPunct("]")
    }

    /// The range as one access path, after stripping `&`, outer parens and casts; nil otherwise.
    func normalizedPath(_ r: Range<Int>) -> String? {
        var lo = r.lowerBound
        var hi = r.upperBound
        var changed = true
        while changed, lo < hi {
            changed = false
            if toks[lo].isPunct("&") { lo += 1; changed = true; continue }
            if toks[lo].isPunct("("), toks[hi - 1].isPunct(")"), matchParen(lo, hi) == hi - 1 { lo += 1; hi -= 1; changed = true; continue }
            // Cast: `(struct foo *)x`
            if toks[lo].isPunct("("), let close = matchParen(lo, hi), close + 1 < hi, close - lo >= 2,
               toks[lo + 1].kind == .identifier, Self.typeStarts.contains(toks[lo + 1].text) || toks[close - 1].isPunct("*") {
                lo = close + 1; changed = true; continue
            }
        }
        guard lo < hi, let (p, end) = pathForward(lo, limit: hi), end == hi else { return nil }
        return p
    }

    /// `&to_foo(x)->lock`: members of what a call made of one access path returns. A `to_…()`
    /// conversion is the object itself (`x->lock`, as `p = to_foo(x)` aliases `p` to `x`); another
    /// call keeps its text (`dev_get_drvdata(dev)->lock`): the same text names the same lock in one
    /// function. A lock wrapper's summary maps either to its parameter (`LockSummaries.swift`).
    func convertedPath(_ r: Range<Int>) -> String? {
        var lo = r.lowerBound
        let hi = r.upperBound
        if lo < hi, toks[lo].isPunct("&") { lo += 1 }
        guard lo + 3 < hi, toks[lo].kind == .identifier, !Self.keywords.contains(toks[lo].text), toks[lo + 1].isPunct("("),
              let close = matchParen(lo + 1, hi), close > lo + 2, let inner = normalizedPath((lo + 2)..<close)
        else { return nil }
        var members = ""
        var k = close + 1
        while k + 1 < hi, toks[k].isPunct("->") || toks[k].isPunct("."), toks[k + 1].kind == .identifier {
            members += toks[k].text + toks[k + 1].text
            k += 2
        }
        guard k == hi, !members.isEmpty else { return nil }
        // `to_foo(dev)` converts a pointer to the same object, as in an assignment (`reads`).
        if toks[lo].text.hasPrefix("to_") { return inner + members }
        return toks[lo].text + "(" + inner + ")" + members
    }

    /// The `)` closing the `(` at `open`, when it comes before `limit`.
    func matchParen(_ open: Int, _ limit: Int) -> Int? {
        guard open >= 0, open < closeOf.count else { return nil }
        let close = closeOf[open]
        return close >= 0 && close < limit ? close : nil
    }

    func isNullLiteral(_ r: Range<Int>) -> Bool {
        guard r.count == 1 else { return false }
        let t = toks[r.lowerBound]
        return t.isIdent("NULL") || (t.kind == .number && t.text == "0")
    }

    /// A shared location: written through a pointer or a member (not a plain local).
    static func isShared(_ path: String) -> Bool {
        // One byte scan: `contains("->")` went through Foundation's `range(of:)` (a third of the
        // time of hostile inputs).
        var previous: UInt8 = 0
        for u in path.utf8 {
            if u == UInt8(ascii: ".") || u == UInt8(ascii: "[") || (u == UInt8(ascii: ">") && previous == UInt8(ascii: "-")) { return true }
            previous = u
        }
        return path.hasPrefix("*")
    }

    static func isAllCaps(_ s: String) -> Bool {
        var sawLetter = false
        for u in s.utf8 {
            if u >= 97 && u <= 122 { return false }
            if u >= 65 && u <= 90 { sawLetter = true }
        }
        return sawLetter
    }

    /// Maximal access paths read in a range (excluding call names and macros in capitals).
    func reads(_ r: Range<Int>) -> [String] {
        var out: [String] = []
        var k = r.lowerBound
        while k < r.upperBound {
            let t = toks[k]
            if t.kind == .identifier, !(k > r.lowerBound && (toks[k - 1].isPunct("->") || toks[k - 1].isPunct("."))),
               !(k > r.lowerBound && isTypeTag(k)),
               let (p, end) = pathForward(k, limit: r.upperBound) {
                if !isP(end, "("), !Self.isAllCaps(t.text), !out.contains(p) { out.append(p) }
                k = max(end, k + 1)
                continue
            }
            k += 1
        }
        return out
    }

    // MARK: statements

    /// Whether a simple statement declares variables.
    func isDeclaration(_ r: Range<Int>) -> Bool {
        guard r.count >= 2 else { return false }
        let a = toks[r.lowerBound]
        guard a.kind == .identifier else { return false }
        if Self.typeStarts.contains(a.text) { return true }
        if Self.keywords.contains(a.text) { return false }
        let b = toks[r.lowerBound + 1]
        if b.kind == .identifier { return !Self.keywords.contains(b.text) || b.text == "const" }
        // `type *name …`
        if b.isPunct("*") {
            var k = r.lowerBound + 1
            while k < r.upperBound, toks[k].isPunct("*") { k += 1 }
            if k < r.upperBound, toks[k].kind == .identifier {
                let after = k + 1
                return after >= r.upperBound || isP(after, "=") || isP(after, ";") || isP(after, ",") || isP(after, "[")
                    || (after < r.upperBound && toks[after].kind == .identifier && toks[after].text.hasPrefix("__"))
            }
        }
        return false
    }

    /// Whether the identifier at `k` (not the first token) is a tag naming a type: `clk` in `struct clk`.
    @inline(__always) func isTypeTag(_ k: Int) -> Bool {
        toks[k - 1].isIdent("struct") || toks[k - 1].isIdent("union") || toks[k - 1].isIdent("enum")
    }

    /// Whether `name` is declared with a `*` right before it in a declaration.
    func isPointerDeclarator(_ name: String, in r: Range<Int>) -> Bool {
        // (Not the tag of `struct clk *clk;`, which names the type.)
        for k in r where toks[k].isIdent(name) {
            if k > r.lowerBound, isTypeTag(k) { continue }
            return k > r.lowerBound && toks[k - 1].isPunct("*")
        }
        return false
    }

    /// Declared names with their initialiser start (index after `=`) and whether `__free` marks them.
    func declarators(_ r: Range<Int>) -> [(name: String, line: Int, initStart: Int?, cleanup: Bool)] {
        var out: [(String, Int, Int?, Bool)] = []
        var d = 0
        var partStart = r.lowerBound
        var k = r.lowerBound
        func finish(_ end: Int) {
            var name: String?
            var line = 0
            var initStart: Int?
            var cleanup = false
            var j = partStart
            var pd = 0
            while j < end {
                let t = toks[j]
                if t.isPunct("(") || t.isPunct("[") || t.isPunct("{") { pd += 1 }
                else if t.isPunct(")") || t.isPunct("]") || t.isPunct("}") { pd -= 1 }
                else if t.isPunct("="), pd == 0 { initStart = j + 1; break }
                else if t.kind == .identifier, t.text == "__free" || t.text == "__cleanup" { cleanup = true }
                else if t.kind == .identifier, pd == 0, !Self.keywords.contains(t.text), !t.text.hasPrefix("__"),
                        !(j > partStart && isTypeTag(j)) {
                    name = t.text; line = t.line
                } else if t.kind == .identifier, pd == 1, j > partStart, toks[j - 1].isPunct("*"), toks[j - 2 >= partStart ? j - 2 : j].isPunct("(") {
                    name = t.text; line = t.line  // function pointer `(*fn)(…)`
                }
                j += 1
            }
            if let name { out.append((name, line, initStart, cleanup)) }
        }
        while k < r.upperBound {
            let t = toks[k]
            if t.isPunct("(") || t.isPunct("[") || t.isPunct("{") { d += 1 }
            else if t.isPunct(")") || t.isPunct("]") || t.isPunct("}") { d -= 1 }
            else if t.isPunct(","), d == 0 { finish(k); partStart = k + 1 }
            k += 1
        }
        finish(r.upperBound)
        return out
    }

    /// The actions of one statement (or condition, or return expression), in evaluation order.
    mutating func actions(_ r: Range<Int>, line: Int) -> [Action] {
        guard !r.isEmpty else { return [] }
        var keyed: [(Int, Action)] = []
        // Calls, with their arguments.
        struct Frame { var nameIdx: Int?; var name: String; var argStart: Int; var args: [Range<Int>]; var conditional: Bool }
        var stack: [Frame] = []
        // Per parenthesis level: whether a `||`, `&&` or `?` came before in the current operand
        // (a `,` starts a new one).
        var shortCircuit: [Bool] = [false]
        var calls: [Int: CallSite] = [:]  // name token → call
        var guardCloses: Set<Int> = []
        var k = r.lowerBound
        while k < r.upperBound {
            let t = toks[k]
            if t.kind == .punctuator {
                if t.text == "(" {
                    var name: String?
                    var nameIdx: Int?
                    if k > r.lowerBound, toks[k - 1].kind == .identifier, !Self.keywords.contains(toks[k - 1].text) {
                        name = toks[k - 1].text; nameIdx = k - 1
                    } else if k > r.lowerBound, guardCloses.contains(k - 1) {
                        name = "guard"; nameIdx = k  // guard(class)(lock): the lock is in the second group
                    }
                    stack.append(Frame(nameIdx: nameIdx, name: name ?? "", argStart: k + 1, args: [],
                                       conditional: shortCircuit.contains(true)))
                    shortCircuit.append(false)
                } else if t.text == "||" || t.text == "&&" || t.text == "?" {
                    shortCircuit[shortCircuit.count - 1] = true
                } else if t.text == "[" {
                    shortCircuit.append(false)
                } else if t.text == "]" {
                    if shortCircuit.count > 1 { shortCircuit.removeLast() }
                } else if t.text == "," {
                    shortCircuit[shortCircuit.count - 1] = false
                    if var f = stack.last {
                        f.args.append(f.argStart..<k); f.argStart = k + 1
                        stack[stack.count - 1] = f
                    }
                } else if t.text == ")", var f = stack.popLast() {
                    if shortCircuit.count > 1 { shortCircuit.removeLast() }
                    if f.argStart < k || !f.args.isEmpty { f.args.append(f.argStart..<k) }
                    if let ni = f.nameIdx {
                        if f.name == "guard", toks[ni].isIdent("guard") { guardCloses.insert(k) }
                        else {
                            let args = f.args.map { a in
                                let path = a.isEmpty ? nil : normalizedPath(a)
                                return CallArg(path: path, isNull: isNullLiteral(a),
                                               line: a.isEmpty ? toks[k].line : toks[a.lowerBound].line,
                                               addressOf: !a.isEmpty && toks[a.lowerBound].isPunct("&"),
                                               converted: path == nil && a.count > 3 ? convertedPath(a) : nil)
                            }
                            let outer = stack.last(where: { $0.nameIdx != nil })
                            var site = CallSite(name: f.name, args: args, line: toks[ni].line, token: ni, result: nil,
                                                outer: outer?.name, outerToken: outer?.nameIdx)
                            if let o = stack.last, o.nameIdx != nil, o.argStart == ni, k + 1 < r.upperBound,
                               toks[k + 1].isPunct(",") || toks[k + 1].isPunct(")") {
                                site.wholeArgument = true
                            }
                            site.conditional = f.conditional
                            calls[ni] = site
                            keyed.append((k, .call(site)))
                        }
                    }
                }
            }
            k += 1
        }
        // Declarations.
        var declared: [String: (Int?, Bool, Int)] = [:]
        let isDecl = isDeclaration(r)
        if isDecl {
            for d in declarators(r) {
                locals.insert(d.name)
                if isPointerDeclarator(d.name, in: r) { pointers.insert(d.name) }
                declared[d.name] = (d.initStart, d.cleanup, d.line)
                if d.initStart == nil {
                    keyed.append((r.lowerBound, .assign(lhs: d.name, rhs: .other, line: d.line, shared: false,
                                                        isDecl: true, cleanup: d.cleanup, rhsReads: [])))
                }
            }
        }
        // Assignments and increments; dereferences.
        k = r.lowerBound
        while k < r.upperBound {
            let t = toks[k]
            if t.kind == .punctuator {
                switch t.text {
                case "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=":
                    var lhs: String?
                    var declName = false
                    if isDecl, let (name, _) = declared.first(where: { $0.value.0 == k + 1 }) {
                        lhs = name; declName = true
                    } else if let (p, _) = pathBackward(k - 1, lower: r.lowerBound) {
                        lhs = p
                    }
                    let end = expressionEnd(k + 1, limit: r.upperBound)
                    let rr = (k + 1)..<end
                    if let lhs {
                        var rhs: RHS = .other
                        if t.text == "=" {
                            if isNullLiteral(rr) { rhs = .null }
                            else if ErrorPaths.isErrorCode(toks, rr, calls: callRoles) { rhs = .errorCode }
                            else if let p = normalizedPath(rr) { rhs = .path(p) }
                            else if let c = singleCall(rr), let site = calls[c] {
                                // `to_foo(dev)` and `container_of(dev, …)` convert a pointer to the same object.
                                if (site.name == "container_of" || site.name.hasPrefix("to_") || site.name == "container_of_const"),
                                   let p = site.args.first?.path {
                                    rhs = .path(p)
                                } else {
                                    rhs = .call(c); calls[c]?.result = lhs
                                    if callRoles[site.name]?.contains(.allocator) == true, ErrorPaths.isPlainName(lhs) { allocated.insert(lhs) }
                                }
                            }
                        }
                        let cleanup = declName ? (declared[lhs]?.1 ?? false) : false
                        let shared = !declName && (Self.isShared(lhs) || (!locals.contains(lhs) && !params.contains(lhs) && Self.isGlobalCandidate(lhs)))
                        // A compound assignment reads its target too (a read-modify-write).
                        let rr2 = t.text == "=" ? reads(rr) : reads(rr) + [lhs]
                        keyed.append((end, .assign(lhs: lhs, rhs: rhs, line: t.line, shared: shared, isDecl: declName,
                                                   cleanup: cleanup, rhsReads: rr2)))
                    }
                case "++", "--":
                    // Post- or pre-increment of a path.
                    if let (p, _) = pathBackward(k - 1, lower: r.lowerBound) {
                        keyed.append((k, .assign(lhs: p, rhs: .other, line: t.line, shared: Self.isShared(p), isDecl: false,
                                                 cleanup: false, rhsReads: [p])))
                    } else if let (p, _) = pathForward(k + 1, limit: r.upperBound) {
                        keyed.append((k, .assign(lhs: p, rhs: .other, line: t.line, shared: Self.isShared(p), isDecl: false,
                                                 cleanup: false, rhsReads: [p])))
                    }
                case "->":
                    if let (base, _) = pathBackward(k - 1, lower: r.lowerBound) {
                        keyed.append((k, .use(base.hasPrefix("*") ? String(base.dropFirst()) : base, t.line)))
                    }
                default: break
                }
            }
            k += 1
        }
        // Replace call results now that assignments are known.
        keyed = keyed.map { key, a in
            if case .call(let c) = a, let updated = calls[c.token] { return (key, .call(updated)) }
            return (key, a)
        }
        let m = mentions(r)
        if !m.isEmpty { keyed.append((r.upperBound, .mentions(m, line))) }
        keyed.sort { $0.0 < $1.0 }
        return keyed.map(\.1)
    }

    /// Plain identifiers that are globals rather than locals: anything not declared here. Only
    /// lower-case names count (capitals are macros).
    static func isGlobalCandidate(_ s: String) -> Bool { false }

    /// Plain identifiers used as values in a range.
    func mentions(_ r: Range<Int>) -> [String] {
        var out: [String] = []
        var k = r.lowerBound
        while k < r.upperBound {
            let t = toks[k]
            if t.kind == .identifier, !Self.keywords.contains(t.text), !isP(k + 1, "("),
               !(k > r.lowerBound && (toks[k - 1].isPunct("->") || toks[k - 1].isPunct("."))),
               locals.contains(t.text) || params.contains(t.text), !out.contains(t.text) {
                out.append(t.text)
            }
            k += 1
        }
        return out
    }

    /// End of the expression starting at i: a `,` or `;` at depth 0, or a closer below it.
    func expressionEnd(_ i: Int, limit: Int) -> Int {
        var d = 0
        var k = i
        while k < limit {
            let t = toks[k]
            if t.kind == .punctuator {
                switch t.text {
                case "(", "[", "{": d += 1
                case ")", "]", "}": if d == 0 { return k }; d -= 1
                case ",", ";": if d == 0 { return k }
                default: break
                }
            }
            k += 1
        }
        return limit
    }

    /// If the range is one call `f(...)` (possibly cast), the token index of `f`.
    func singleCall(_ r: Range<Int>) -> Int? {
        var lo = r.lowerBound
        let hi = r.upperBound
        while lo < hi, toks[lo].isPunct("("), let close = matchParen(lo, hi), close + 1 < hi,
              toks[lo + 1].kind == .identifier, Self.typeStarts.contains(toks[lo + 1].text) || toks[close - 1].isPunct("*") {
            lo = close + 1
        }
        guard lo + 1 < hi, toks[lo].kind == .identifier, toks[lo + 1].isPunct("("),
              let close = matchParen(lo + 1, hi), close == hi - 1 else { return nil }
        return lo
    }

    /// What a return expression hands back: a path (through casts, `&`, `to_*()`,
    /// `container_of()`), a call's result, or either arm of a `?:`. Arithmetic and literals hand back
    /// no object.
    func returnedValues(_ r: Range<Int>) -> [ReturnedValue] {
        var out: [ReturnedValue] = []
        var work: [Range<Int>] = [r]
        var budget = 16
        while let cur = work.popLast(), budget > 0 {
            budget -= 1
            guard !cur.isEmpty else { continue }
            // `c ? a : b`: both arms.
            if let (q, colon) = ternary(cur) {
                work.append((q + 1)..<colon)
                work.append((colon + 1)..<cur.upperBound)
                continue
            }
            // An access path (with casts) is short; a long range is no path, and stripping its
            // parentheses one by one would be quadratic.
            if cur.count <= 64, let p = normalizedPath(cur) { out.append(.path(p)); continue }
            var lo = cur.lowerBound
            let hi = cur.upperBound
            while lo < hi, toks[lo].isPunct("(") || toks[lo].isPunct("&") {
                if toks[lo].isPunct("("), let close = matchParen(lo, hi) {
                    if close == hi - 1 { work.append((lo + 1)..<close); lo = hi; break }
                    // A cast.
                    if close + 1 < hi, lo + 1 < close, toks[lo + 1].kind == .identifier,
                       Self.typeStarts.contains(toks[lo + 1].text) || toks[close - 1].isPunct("*") {
                        lo = close + 1; continue
                    }
                    break
                }
                if toks[lo].isPunct("&") { lo += 1; continue }
                break
            }
            guard lo < hi, let c = singleCall(lo..<hi) else { continue }
            let open = c + 1
            guard let close = matchParen(open, hi) else { continue }
            let args = splitTopLevel((open + 1)..<close).map { normalizedPath($0) }
            let name = toks[c].text
            if name == "container_of" || name == "container_of_const" || name.hasPrefix("to_") {
                if let first = args.first, let p = first { out.append(.path(p)) }
                continue
            }
            out.append(.call(name: name, args: args))
        }
        return out
    }

    /// The `?` and `:` of a top-level conditional expression in `r`.
    func ternary(_ r: Range<Int>) -> (Int, Int)? {
        var d = 0
        var q: Int?
        var nested = 0
        for k in r {
            let t = toks[k]
            guard t.kind == .punctuator else { continue }
            switch t.text {
            case "(", "[", "{": d += 1
            case ")", "]", "}": d -= 1
            case "?" where d == 0: if q == nil { q = k } else { nested += 1 }
            case ":" where d == 0:
                if let q { if nested == 0 { return (q, k) }; nested -= 1 }
            default: break
            }
        }
        return nil
    }

    /// Comma-separated parts of an argument list at depth 0.
    func splitTopLevel(_ r: Range<Int>) -> [Range<Int>] {
        guard !r.isEmpty else { return [] }
        var out: [Range<Int>] = []
        var d = 0
        var start = r.lowerBound
        for k in r {
            let t = toks[k]
            if t.isPunct("(") || t.isPunct("[") || t.isPunct("{") { d += 1 }
            else if t.isPunct(")") || t.isPunct("]") || t.isPunct("}") { d -= 1 }
            else if t.isPunct(","), d == 0 { out.append(start..<k); start = k + 1 }
        }
        out.append(start..<r.upperBound)
        return out
    }

    /// Whether a return value is an error by kernel convention (`-EINVAL`, `ERR_PTR(…)`, `-1`,
    /// `PTR_ERR(…)`, `dev_err_probe(…)`); a variable holding one is judged by the path (`ErrorPaths`).
    func isErrorReturn(_ r: Range<Int>) -> Bool {
        ErrorPaths.isErrorCode(toks, r, calls: callRoles)
    }

    /// A condition's description.
    func condition(_ r: Range<Int>, line: Int, spanEnd: Int) -> CondInfo {
        var lo = r.lowerBound
        var negated = false
        while lo < r.upperBound, toks[lo].isPunct("!") { negated.toggle(); lo += 1 }
        var hi = r.upperBound
        while lo < hi, toks[lo].isPunct("("), toks[hi - 1].isPunct(")"), matchParen(lo, hi) == hi - 1 { lo += 1; hi -= 1 }
        var parts = lo < hi ? toks[lo..<hi].map(\.text) : []
        // One comparison, one spelling: `ret >= 0` is the negation of `ret < 0`, `x != NULL` and
        // `x != 0` test `x`, so a later test reads what an earlier one of the other spelling
        // decided (`if (err < 0) warn; … if (err >= 0) put;`).
        // Operands are access paths or constants (`f -> np != NULL`), one comparison between them.
        let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]
        let ops = parts.indices.filter { comparisons.contains(parts[$0]) }
        if ops.count == 1, let o = ops.first, o > 0, o < parts.count - 1,
           toks[lo..<hi].allSatisfy({ $0.kind != .punctuator || $0.isPunct("->") || $0.isPunct(".") || comparisons.contains($0.text) }) {
            let zero = o == parts.count - 2 && (parts[o + 1] == "0" || parts[o + 1] == "NULL")
            switch parts[o] {
            case "!=" where zero: parts = Array(parts[..<o])
            case "==" where zero: parts = Array(parts[..<o]); negated.toggle()
            case ">=": parts[o] = "<"; negated.toggle()
            case ">": parts[o] = "<="; negated.toggle()
            case "!=": parts[o] = "=="; negated.toggle()
            default: break
            }
        }
        let key = parts.joined(separator: " ")
        var constant: Bool?
        if r.count == 1 {
            let t = toks[r.lowerBound]
            if t.kind == .number { constant = t.text != "0" }
            if t.isIdent("true") { constant = true }
            if t.isIdent("false") { constant = false }
        }
        if r.isEmpty { constant = true }
        return CondInfo(range: r, line: line, spanEnd: spanEnd, reads: reads(r), key: key, negated: negated, constant: constant)
    }
}
