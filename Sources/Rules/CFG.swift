/// Per-function control-flow graph with goto edges, loop back edges and branch conditions.

struct CFGEdge: Hashable, Sendable {
    var to: Int
    /// Branch taken: index of the condition in `CFG.conds` and its value on this edge.
    var cond: Int? = nil
    var value: Bool = true
    /// A back edge of loop `loop` (bounded per path).
    var loop: Int? = nil
    /// Leaving loop `exitsLoop` (its counter resets).
    var exitsLoop: Int? = nil
}

struct CFGNode: Sendable {
    var actions: [Action] = []
    var succ: [CFGEdge] = []
    /// Loop head: its `true` edges are disabled once the loop ran twice.
    var loopHead: Int? = nil
}

struct CFG: Sendable {
    var nodes: [CFGNode] = []
    var conds: [CondInfo] = []
    /// Maximum back edges per loop id.
    var loopLimit: [Int] = []
    var entry = 0
    /// Locals declared as pointers.
    var pointers: Set<String> = []
    /// Locals assigned a fresh allocation (see `ActionExtractor.allocated`).
    var allocated: Set<String> = []
    /// Locals declared as structures (not pointers, not parameters): `struct of_phandle_args args;`.
    var structLocals: Set<String> = []
    /// `__free(…)` locals and their scope: a reference assigned to one later (`struct pci_dev *pdev
    /// __free(pci_dev_put) = NULL; … pdev = pci_get_slot(…);`) is put when the scope ends.
    var cleanupScopes: [String: Int] = [:]
    /// Cursors of `_scoped` iterators (`for_each_child_of_node_scoped(np, child)`): declared by the
    /// loop, so no code after it can name them (`IteratorExits.swift`).
    var scopedCursors: Set<String> = []
    /// Cursors of the other iterators, which hold a reference the walker tracks.
    var iteratorCursors: Set<String> = []
    /// The function's parameters and declared locals.
    var names: Set<String> = []
    /// Blocks whose opening the fragment does not show (`Action.hiddenCondition`), numbered from 0.
    var hiddenBlocks = 0
}

/// Builds a CFG from a statement tree.
struct CFGBuilder {
    var parser: StatementParser
    var extractor: ActionExtractor
    let tables: RuleTables
    var cfg = CFG()
    var labels: [String: Int] = [:]
    var pendingGotos: [(from: Int, label: String, scopes: [Int], line: Int)] = []
    struct LoopCtx {
        var breakTo: Int; var continueTo: Int?; var loop: Int?; var scopeDepth: Int
        /// An iterator loop's cursor and the iterator's family.
        var cursor: (path: String, family: String)? = nil
    }
    var loops: [LoopCtx] = []
    var scopeChain: [Int] = [0]
    /// Last lines of the blocks being built (innermost last).
    var blockEnds: [Int] = []
    let endVisible: Bool
    let endLine: Int

    init(source: FunctionSource, tables: RuleTables) {
        parser = StatementParser(tokens: source.tokens, hiddenStart: !source.startVisible)
        extractor = ActionExtractor(tokens: source.tokens, params: source.parameters, calls: tables.calls)
        self.tables = tables
        endVisible = source.endVisible
        endLine = source.endLine
    }

    mutating func newNode(_ actions: [Action] = []) -> Int {
        cfg.nodes.append(CFGNode(actions: actions))
        return cfg.nodes.count - 1
    }

    mutating func link(_ from: Int, _ edge: CFGEdge) { if from >= 0 { cfg.nodes[from].succ.append(edge) } }

    mutating func newLoop(limit: Int) -> Int { cfg.loopLimit.append(limit); return cfg.loopLimit.count - 1 }

    /// Builds the whole graph; returns it with a flag telling whether a nesting limit was hit.
    mutating func build() -> (CFG, Bool) {
        let root = parser.parseBody()
        let entry = newNode()
        cfg.entry = entry
        let last = build(root, from: entry)
        if last >= 0 {
            let end = newNode([endVisible ? .ret(line: endLine, paths: [], values: [], implicit: true, error: false) : .unknownEnd(endLine, .end)])
            link(last, CFGEdge(to: end))
        }
        for g in pendingGotos {
            if let target = labels[g.label] {
                // Scopes left by the jump release their guards.
                let targetChain = parser.labelScopes[g.label] ?? [0]
                let exits = g.scopes.reversed().filter { !targetChain.contains($0) && parser.scopeHasCleanup[$0] }
                var from = g.from
                if !exits.isEmpty {
                    let n = newNode(exits.map { .scopeEnd($0) })
                    link(from, CFGEdge(to: n)); from = n
                }
                // A jump backwards is a loop: bounded like one.
                let backward = target < g.from
                link(from, CFGEdge(to: target, loop: backward ? newLoop(limit: 1) : nil))
            } else {
                let n = newNode([.unknownEnd(endLine, .goto(g.label, g.line))])
                link(g.from, CFGEdge(to: n))
            }
        }
        cfg.names = extractor.locals.union(extractor.params)
        cfg.pointers = extractor.pointers
        cfg.allocated = extractor.allocated
        cfg.structLocals = extractor.locals.subtracting(extractor.pointers).subtracting(extractor.params)
        return (cfg, parser.hitDepthLimit)
    }

    func statement(_ i: Int) -> Stmt { parser.nodes[i] }

    /// Builds `s` after node `from`; returns the node control leaves from (-1 when it does not).
    /// Whether a statement holds a gap (lines the hunks do not show), at any depth (bounded).
    func containsGap(_ si: Int, depth: Int = 0) -> Bool {
        let s = parser.nodes[si]
        if s.kind == .gap || s.kind == .hiddenTail { return true }
        guard depth < 64 else { return true }
        return s.children.contains { $0 >= 0 && $0 < parser.nodes.count && containsGap($0, depth: depth + 1) }
    }

    mutating func build(_ si: Int, from: Int) -> Int {
        let s = parser.nodes[si]
        switch s.kind {
        case .simple:
            var acts = extractor.actions(s.range, line: s.line)
            let scope = scopeChain.last ?? 0
            acts = acts.flatMap { a -> [Action] in
                switch a {
                case .call(let c) where c.name == "guard":
                    if let lock = c.args.first?.path { return [.scopedAcquire(lock: lock, family: "guard", scope: scope, line: c.line)] }
                    return []
                case .assign(let lhs, _, _, _, _, true, _):
                    if cfg.cleanupScopes.count < 64 { cfg.cleanupScopes[lhs] = scope }
                    return [a, .cleanupVar(lhs, scope)]
                default:
                    return [a]
                }
            }
            let n = newNode(acts)
            link(from, CFGEdge(to: n))
            // A call of a function that never returns (`panic(…)`, `do_exit(…)`, `BUG()`): the path
            // ends here, and is no exit of the function.
            if let callee = ErrorPaths.wholeCall(parser.toks, s.range), tables.noreturn.contains(callee) {
                let end = newNode([.unknownEnd(s.line, .noreturn)])
                link(n, CFGEdge(to: end))
                return -1
            }
            return n
        case .gap:
            let n = newNode([.gap(s.line)])
            link(from, CFGEdge(to: n))
            return n
        case .hiddenTail:
            // No path is followed past the end of the shown code: not to the rest of the block, not
            // round a loop whose tail is hidden.
            let n = newNode([.unknownEnd(s.line, .end)])
            link(from, CFGEdge(to: n))
            return -1
        case .block:
            var cur = from
            let pushed = s.scope != 0 && s.scope != scopeChain.last
            if pushed { scopeChain.append(s.scope) }
            blockEnds.append(s.endLine)
            defer { blockEnds.removeLast() }
            var logged = false
            for c in s.children {
                let child = parser.nodes[c]
                if child.kind == .simple, let callee = ErrorPaths.wholeCall(parser.toks, child.range),
                   tables.call(callee, is: .logger) { logged = true }
                // A block that reports an error and leaves without a value (`pr_err(…); return;`, or
                // `goto out` to a bare return): the function's way to fail when it returns void.
                if logged, cur >= 0, child.kind == .gotoStmt || (child.kind == .returnStmt && child.range.isEmpty) {
                    let n = newNode([.failed(child.line)])
                    link(cur, CFGEdge(to: n)); cur = n
                }
                if cur < 0 {
                    // Unreachable code after a jump: still reachable through labels and cases.
                    let k = parser.nodes[c].kind
                    if k == .label || k == .caseLabel { cur = newNode() } else {
                        // Build it detached so labels inside it exist.
                        _ = build(c, from: -1)
                        continue
                    }
                }
                cur = build(c, from: cur)
            }
            if pushed {
                scopeChain.removeLast()
                if cur >= 0, parser.scopeHasCleanup[s.scope] {
                    let n = newNode([.scopeEnd(s.scope)])
                    link(cur, CFGEdge(to: n)); cur = n
                }
            }
            return cur
        case .ifElse:
            var info = extractor.condition(s.range, line: s.line, spanEnd: s.endLine)
            info.blockEnd = max(blockEnds.last ?? endLine, s.endLine)
            let ci = cfg.conds.count
            cfg.conds.append(info)
            var acts = extractor.actions(s.range, line: s.line)
            acts.append(.cond(info))
            let c = newNode(acts)
            link(from, CFGEdge(to: c))
            let join = newNode()
            return wireIf(s, cond: c, condIndex: ci, info: info, join: join)
        case .loop:
            return buildLoop(s, from: from)
        case .doWhile:
            let loop = newLoop(limit: 1)
            let head = newNode()
            link(from, CFGEdge(to: head))
            let after = newNode()
            let condNode = newNode()
            loops.append(LoopCtx(breakTo: after, continueTo: condNode, loop: nil, scopeDepth: scopeChain.count))
            let bodyEnd = build(s.children[0], from: head)
            loops.removeLast()
            link(bodyEnd, CFGEdge(to: condNode))
            var info = extractor.condition(s.range, line: s.endLine, spanEnd: s.endLine)
            info.isLoop = true
            let ci = cfg.conds.count
            cfg.conds.append(info)
            cfg.nodes[condNode].actions = extractor.actions(s.range, line: s.endLine) + [.cond(info)]
            if info.constant != false { link(condNode, CFGEdge(to: head, cond: ci, value: true, loop: loop)) }
            if info.constant != true { link(condNode, CFGEdge(to: after, cond: ci, value: false, exitsLoop: loop)) }
            return after
        case .switchStmt:
            let info = extractor.condition(s.range, line: s.line, spanEnd: s.endLine)
            let head = newNode(extractor.actions(s.range, line: s.line))
            link(from, CFGEdge(to: head))
            let after = newNode()
            loops.append(LoopCtx(breakTo: after, continueTo: loops.last?.continueTo, loop: loops.last?.loop,
                                 scopeDepth: scopeChain.count))
            _ = info
            let firstCase = cfg.nodes.count
            let bodyEnd = build(s.children[0], from: -1)
            loops.removeLast()
            link(bodyEnd, CFGEdge(to: after))
            // Edges from the head to every case label of this switch (not nested switches).
            var hasDefault = false
            for idx in caseNodes(of: s.children[0]) {
                link(head, CFGEdge(to: idx.node))
                if idx.isDefault { hasDefault = true }
            }
            _ = firstCase
            if !hasDefault { link(head, CFGEdge(to: after)) }
            return after
        case .caseLabel:
            let n = newNode()
            link(from, CFGEdge(to: n))
            caseNodeOf[si] = n
            return n
        case .label:
            let n = newNode()
            link(from, CFGEdge(to: n))
            labels[s.name] = n
            return n
        case .gotoStmt:
            if from >= 0 { pendingGotos.append((from, s.name, scopeChain, s.line)) }
            return -1
        case .returnStmt:
            var acts = extractor.actions(s.range, line: s.line)
            acts.append(.ret(line: s.line, paths: extractor.reads(s.range), values: extractor.returnedValues(s.range),
                             implicit: false, error: extractor.isErrorReturn(s.range)))
            let n = newNode(acts)
            link(from, CFGEdge(to: n))
            return -1
        case .breakStmt, .continueStmt:
            guard let ctx = loops.last else { return -1 }
            let target = s.kind == .breakStmt ? ctx.breakTo : ctx.continueTo
            guard let target else { return -1 }
            var cur = from
            let exits = scopeChain.suffix(from: min(ctx.scopeDepth, scopeChain.count)).reversed()
                .filter { parser.scopeHasCleanup[$0] }
            if !exits.isEmpty, cur >= 0 {
                let n = newNode(exits.map { .scopeEnd($0) })
                link(cur, CFGEdge(to: n)); cur = n
            }
            if s.kind == .breakStmt, let c = ctx.cursor, cur >= 0 {
                let n = newNode([.leftLoop(cursor: c.path, family: c.family, line: s.line)])
                link(cur, CFGEdge(to: n)); cur = n
            }
            if s.kind == .breakStmt { link(cur, CFGEdge(to: target, exitsLoop: ctx.loop)) }
            else { link(cur, CFGEdge(to: target)) }
            return -1
        case .unknownBranch:
            let n = newNode()
            link(from, CFGEdge(to: n))
            let after = newNode()
            let bodyHasGap = containsGap(s.children[0])
            if bodyHasGap {
                // Skipping a body that holds hidden lines skips hidden lines too.
                let skip = newNode([.gap(s.line)])
                link(n, CFGEdge(to: skip))
                link(skip, CFGEdge(to: after))
            } else {
                link(n, CFGEdge(to: after))
            }
            // The code before a stray `}` ran under a condition the hunk does not show (often the very
            // test of the object it returns over: `if (!np) { …; return -ENODEV; }`): what is known
            // when the shown code after the brace starts does not hold inside it; what paths through
            // the block show about its start does (`PathWalker.enterHiddenBlock`).
            // (When the shown code before the brace has a gap, the brace may open in the gap: the code
            // after the gap is unknown anyway, and the code before it need not be inside the block.)
            let hidden = newNode(bodyHasGap ? [] : [.hiddenCondition(cfg.hiddenBlocks)])
            if !bodyHasGap { cfg.hiddenBlocks += 1 }
            link(n, CFGEdge(to: hidden))
            let end = build(s.children[0], from: hidden)
            link(end, CFGEdge(to: after))
            return after
        case .guardScope:
            // scoped_guard(class, lock) { body }: the lock is held for the body.
            var acts = extractor.actions(s.range, line: s.line)
            let args = splitArgs(s.range)
            if args.count >= 2, let lock = extractor.normalizedPath(args[1]) {
                let fam = args[0].isEmpty ? "cleanup" : extractor.toks[args[0].lowerBound].text
                acts.append(.scopedAcquire(lock: lock, family: fam, scope: s.scope, line: s.line))
            }
            let n = newNode(acts)
            link(from, CFGEdge(to: n))
            scopeChain.append(s.scope)
            var end = build(s.children[0], from: n)
            scopeChain.removeLast()
            if end >= 0 {
                let e = newNode([.scopeEnd(s.scope)])
                link(end, CFGEdge(to: e)); end = e
            }
            return end
        }
    }

    var caseNodeOf: [Int: Int] = [:]

    /// Case labels directly inside a switch body (not inside nested switches).
    func caseNodes(of body: Int) -> [(node: Int, isDefault: Bool)] {
        var out: [(Int, Bool)] = []
        var stack = [body]
        while let i = stack.popLast() {
            let s = parser.nodes[i]
            if s.kind == .caseLabel, let n = caseNodeOf[i] { out.append((n, s.isDefault)) }
            if s.kind == .switchStmt { continue }
            stack.append(contentsOf: s.children.reversed())
        }
        return out
    }

    func splitArgs(_ r: Range<Int>) -> [Range<Int>] { Self.splitArgs(extractor.toks, r) }

    /// The comma-separated arguments in `r` (a call's parentheses excluded).
    static func splitArgs(_ toks: [CToken], _ r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var d = 0
        var start = r.lowerBound
        var k = r.lowerBound
        while k < r.upperBound {
            let t = toks[k]
            if t.isPunct("(") || t.isPunct("[") || t.isPunct("{") { d += 1 }
            else if t.isPunct(")") || t.isPunct("]") || t.isPunct("}") { d -= 1 }
            else if t.isPunct(","), d == 0 { out.append(start..<k); start = k + 1 }
            k += 1
        }
        out.append(start..<r.upperBound)
        return out
    }

    mutating func wireIf(_ s: Stmt, cond c: Int, condIndex ci: Int, info: CondInfo, join: Int) -> Int {
        var trueGoesOn = false, falseGoesOn = false
        // A branch that holds hidden lines may end in them: the brace that seems to close it can
        // close a block opened there, and an `else` after it can belong to another `if`. A path that
        // skips such a branch goes on from an unknown place: it crosses the hidden lines too.
        let thenHidden = containsGap(s.children[0])
        let elseHidden = s.hasElse && containsGap(s.children[1])
        if info.constant != false {
            let t = newNode()
            link(c, CFGEdge(to: t, cond: ci, value: true))
            let tEnd = build(s.children[0], from: t)
            if tEnd >= 0 { link(skippingHidden(tEnd, elseHidden, line: s.line), CFGEdge(to: join)); trueGoesOn = true }
        } else {
            _ = build(s.children[0], from: -1)
        }
        if info.constant != true {
            let f0 = newNode()
            link(c, CFGEdge(to: f0, cond: ci, value: false))
            let f = skippingHidden(f0, thenHidden, line: s.line)
            if s.hasElse {
                let eEnd = build(s.children[1], from: f)
                if eEnd >= 0 { link(eEnd, CFGEdge(to: join)); falseGoesOn = true }
            } else {
                link(f, CFGEdge(to: join)); falseGoesOn = true
            }
        } else if s.hasElse {
            _ = build(s.children[1], from: -1)
        }
        // A guard: one branch leaves (return, goto, break, continue), the other goes on.
        if info.constant == nil, trueGoesOn != falseGoesOn { cfg.conds[ci].continuesOn = trueGoesOn }
        return trueGoesOn || falseGoesOn ? join : -1
    }

    /// After `from`, a node that crosses hidden lines when `hidden` (a path skipping a body that
    /// holds some); else `from` itself.
    mutating func skippingHidden(_ from: Int, _ hidden: Bool, line: Int) -> Int {
        guard hidden, from >= 0 else { return from }
        let n = newNode([.gap(line)])
        link(from, CFGEdge(to: n))
        return n
    }

    /// The cursors a list iteration macro moves on every iteration: `pos` of
    /// `list_for_each_entry(pos, head, member)` (and `hlist_`, `llist_`), and `n` too for the
    /// `_safe` forms. Each iteration's `pos` is another element: what the last one held is not
    /// what the next one names.
    static func listCursors(_ s: Stmt, args: [Range<Int>]) -> [Range<Int>] {
        guard s.loopKind == .macro, !args.isEmpty,
              ["list_for_each", "hlist_for_each", "llist_for_each"].contains(where: { s.name.hasPrefix($0) }) else { return [] }
        let count = s.name.contains("_safe") ? 2 : 1
        return Array(args.prefix(min(count, args.count - 1)))
    }

    mutating func buildLoop(_ s: Stmt, from: Int) -> Int {
        let loop = newLoop(limit: 2)
        var cur = from
        if !s.initRange.isEmpty {
            let n = newNode(extractor.actions(s.initRange, line: s.line))
            link(cur, CFGEdge(to: n)); cur = n
        }
        var iterator: RefAPI?
        var cursor: String?
        if s.loopKind == .macro, let api = tables.refs[s.name], api.action == .iterator {
            let args = splitArgs(s.range)
            if let a = api.argument, a < args.count, let p = extractor.normalizedPath(args[a]) {
                if api.scoped { cfg.scopedCursors.insert(p) } else { iterator = api; cursor = p; cfg.iteratorCursors.insert(p) }
            }
        }
        var info: CondInfo
        if s.loopKind == .macro {
            // A loop macro: unknown condition, evaluated every iteration.
            info = CondInfo(range: s.range, line: s.line, spanEnd: s.endLine, reads: extractor.reads(s.range),
                            key: "", negated: false, constant: nil)
        } else {
            info = extractor.condition(s.range, line: s.line, spanEnd: s.endLine)
        }
        info.isLoop = true
        let ci = cfg.conds.count
        cfg.conds.append(info)
        var headActs: [Action] = []
        headActs += Self.listCursors(s, args: s.loopKind == .macro && iterator == nil ? splitArgs(s.range) : []).compactMap { arg in
            extractor.normalizedPath(arg).map {
                .assign(lhs: $0, rhs: .other, line: s.line, shared: false, isDecl: false, cleanup: false, rhsReads: [])
            }
        }
        headActs += s.loopKind == .macro ? extractor.actions(s.range, line: s.line).filter {
            if case .call = $0 { return false }; return true
        } : extractor.actions(s.range, line: s.line)
        headActs.append(.cond(info))
        let head = newNode(headActs)
        cfg.nodes[head].loopHead = loop
        link(cur, CFGEdge(to: head))
        let after = newNode()
        // The natural end of an iterator loop leaves the cursor NULL; `break` keeps it.
        let exitNode = newNode(cursor.map { [.iterEnd(cursor: $0, line: s.line)] } ?? [])
        // Leaving a loop whose body holds hidden lines: where the body ends is not known.
        link(skippingHidden(exitNode, containsGap(s.children[0]), line: s.line), CFGEdge(to: after))
        // The iterator's advance puts the cursor it leaves: on the way back from the body only. The
        // first entry assigns a fresh cursor (`for_each_of_cpu_node(dn)` after an earlier loop over
        // `dn` that put it on `break` puts nothing more).
        var stepActs: [Action] = []
        if let iterator, let cursor { stepActs.append(.iterNext(cursor: cursor, api: iterator.name, line: s.line)) }
        if !s.stepRange.isEmpty { stepActs += extractor.actions(s.stepRange, line: s.line) }
        let stepNode = newNode(stepActs)
        link(stepNode, CFGEdge(to: head, loop: loop))
        let bodyStart = newNode(cursor.map { [.iterGet(cursor: $0, api: iterator?.name ?? "", line: s.line)] } ?? [])
        if info.constant != false { link(head, CFGEdge(to: bodyStart, cond: ci, value: true)) }
        if info.constant != true { link(head, CFGEdge(to: exitNode, cond: ci, value: false, exitsLoop: loop)) }
        loops.append(LoopCtx(breakTo: after, continueTo: stepNode, loop: loop, scopeDepth: scopeChain.count,
                             cursor: cursor.map { ($0, iterator?.family ?? "") }))
        let bodyEnd = build(s.children[0], from: bodyStart)
        loops.removeLast()
        link(bodyEnd, CFGEdge(to: stepNode))
        return after
    }
}
