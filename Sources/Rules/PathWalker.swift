/// Path enumeration over a CFG with the lock tracker and the reference tracker.
///
/// Paths are explored depth-first with states deduplicated per node (identical states merge);
/// loops run 0–2 times, backward gotos once; a per-node state cap and a global step budget bound
/// the work and are reported when hit.

struct LockHold: Hashable, Sendable {
    var line: Int
    var histStart: Int
    var pendingOn: String?
    var scope: Int?
    var uncertain: Bool = false
    var outer: Int?
    /// Nesting depth of recursive locks (RCU read sides).
    var depth: Int = 1
    /// Held when the shown code starts: taken in lines a hunk does not show.
    var atEntry = false
    /// Re-taken after a release of a lock the function did not take (restores the caller's hold).
    var restoresCaller = false
    /// A callee may have released it (`FunctionSummary.mayRelease`): no exit holds it for certain.
    var mayBeReleased = false
}

struct Released: Hashable, Sendable {
    var line: Int
    var notTaken: Bool
    var histStart: Int
    var histEnd: Int
    var heldSince: Int?
    var outer: Int?
    /// The hold released here was there when the shown code started.
    var heldOnEntry = false
}

/// A call to a function (or table API) that drops and re-takes a lock the caller holds.
struct CalleeDrop: Hashable, Sendable {
    var name: String
    var call: Int
    var release: Int
    var reacquire: Int
    var fromTable: Bool
}

struct OpenWindow: Hashable, Sendable {
    var rel: Released
    var reacquire: Int
    var afterStart: Int
    var restart: Bool
    var inMacro: String?
    /// The window is inside a callee: it opened and closed at the call.
    var callee: CalleeDrop? = nil
}

struct RefEntry: Hashable, Sendable {
    var rep: String
    var family: String
    var display: String
    var api: String
    var gets: [Int] = []
    var puts: [Int] = []
    var byCallee: [String] = []
    var pendingOn: String?
    var uncertain = false
    var escaped = false
    var iterator: String?
    var scope: Int?
    var lifetime = true
    var putLine: Int?
    var useReported = false
    /// A usage count (runtime PM) on a parameter dropped with no get in the function: the pair of
    /// another callback's get (`suspend` after `resume`, `remove` after `probe`) unless the path
    /// returns an error, where it undoes what the function never did (see `exit`).
    var borrowedCountPut: PutFact? = nil
    /// The counter is embedded (`&obj->ref`): uses of the container count as uses.
    var embedded = false
    /// Held when the shown code starts (a fragment puts it without a shown get): its count is
    /// unknown beyond "one"; it may be NULL until the shown code tests it.
    var atEntry: Int? = nil
    /// …shown by the other version of the function (`atEntry` is that version's line).
    var atEntryOtherVersion = false
    /// A condition on this path read the pending result without deciding it (`if (!np || !pctlnp)`).
    var testedUndecided = false
    /// `ret = pm_runtime_get_sync(dev)`: the variable the get's own result went to.
    var resultVar: String? = nil
    /// Loaded from a field that another function stores a counted reference into (its path and
    /// the load line): the field's reference counts as one more get.
    var fieldOrigin: String? = nil
    var fieldLoad = 0
    /// The first get was taken on a pointer the function already had (`of_node_get(np)`): whoever
    /// gave it the pointer held a reference, so a callee dropping the function's get leaves that one.
    var heldBefore = false
    /// The `break` that left the cursor's iterator loop on this path.
    var leftLoop: Int? = nil
    var count: Int { gets.count + (fieldOrigin == nil ? 0 : 1) - puts.count }
    /// What this function itself got and did not put (a field's reference is not its own).
    var ownCount: Int { gets.count - puts.count }
}

struct Hist: Hashable, Sendable {
    enum K: UInt8, Sendable { case write, condRead, localFrom, assignLocal, mention, call, gap }
    var k: K
    var path: String
    var aux: String = ""
    var line: Int
    var spanEnd: Int = 0
}

/// Abstract values of a tracked call result while judging a branch.
/// `address`: the bits of a valid pointer (`PTR_ERR()` of one), never 0 nor an error code.
/// `errno`: an error constant (`ERANGE`, negated in `-ERANGE`), a small non-zero number.
enum AbsValue: Equatable { case unknown, int(Int), ptrOK, ptrFail, address, errno(String, negative: Bool) }

struct PathWalker {
    let cfg: CFG
    let source: FunctionSource
    let tables: RuleTables
    let summaries: [String: FunctionSummary]
    let params: Set<String>
    /// Functions defined in the analysed code (their summaries are exact).
    let defined: Set<String>
    var facts = FunctionFacts()
    /// Fields the file's functions store counted references into, by `member|family`.
    let fieldOwners: [String: FieldStoreFact]
    /// What the other version of this function proves about its hidden start (hunk mode).
    let otherVersion: HiddenStartEvidence
    /// Where the locks and references held when the shown code starts were shown held
    /// (`HiddenStartEvidence.admits`): set for the second walk of a fragment with a hidden start.
    var entryScopes = HiddenStartEvidence()
    let maxStatesPerNode: Int
    let maxSteps: Int
    static let maxHistory = 256
    /// The most objects of each kind one path tracks: locks held at once, references, aliases,
    /// known conditions. Real functions stay far below (a handful of locks, a few dozen names);
    /// mail text read as C can take hundreds, and every step copies and scans them.
    static let maxHeldLocks = 32
    static let maxTracked = 128
    static let maxKnownConditions = 64

    /// Whether a table with `count` entries may take one more; when not, the function's facts
    /// say that tracking stopped.
    mutating func room(_ count: Int, _ limit: Int, _ what: String) -> Bool {
        if count < limit { return true }
        if facts.truncated == nil { facts.truncated = "more than \(limit) \(what) at once; further ones not tracked" }
        return false
    }

    /// `table[key] = value`, unless that adds an entry to a full table (see `room`).
    mutating func track<V>(_ value: V, at key: String, in table: inout Table<V>, limit: Int = maxTracked, _ what: String) {
        if table[key] != nil || room(table.count, limit, what) { table[key] = value }
    }

    init(cfg: CFG, source: FunctionSource, tables: RuleTables, summaries: [String: FunctionSummary],
         defined: Set<String> = [], limits: RuleLimits = RuleLimits(), fieldOwners: [String: FieldStoreFact] = [:],
         otherVersion: HiddenStartEvidence = HiddenStartEvidence()) {
        self.cfg = cfg; self.source = source; self.tables = tables; self.defined = defined
        self.fieldOwners = fieldOwners; self.otherVersion = otherVersion
        // A recursive call does not use the function's own summary: the walk would depend on its
        // own result, and each change of it would cost another walk.
        var callees = summaries
        callees[source.name] = nil
        self.summaries = callees
        params = Set(source.parameters)
        maxSteps = max(1, limits.maxPathSteps)
        maxStatesPerNode = max(1, limits.maxStatesPerPoint)
    }

    mutating func run() -> FunctionFacts {
        walk(from: PathState())
        // A fragment whose start is hidden: a lock it releases before taking it was taken in lines we
        // do not see (usually earlier in this function). It is held when the shown code starts,
        // unless the fragment only drops and re-takes it and returns holding it (the caller's lock).
        if !source.startVisible {
            let released = Set(facts.releasedNotTaken.map(\.lock))
            let callers = released.filter { facts.retakenAtReturn.contains($0) && !facts.releasedAtExit.contains($0) }
            let entry = released.subtracting(callers)
            // Plain locals the fragment puts without a shown get: a reference is held on entry.
            var entryRefs: [String: EntryReference] = [:]
            for r in facts.entryReferences.sorted() where entryRefs[r.rep + "|" + r.family] == nil {
                entryRefs[r.rep + "|" + r.family] = r
            }
            var own = HiddenStartEvidence()
            own.blocks = cfg.hiddenBlocks
            for f in facts.releasedNotTaken.sorted(by: { ($0.line, $0.lock) < ($1.line, $1.lock) }) where entry.contains(f.lock) {
                if own.locks[f.lock] == nil { own.locks[f.lock] = f.line }
                own.lockScopes[f.lock, default: []].insert(f.scope)
            }
            own.refs = entryRefs.keys.sorted().compactMap { entryRefs[$0] }
            for r in facts.entryReferences { own.refScopes[r.rep + "|" + r.family, default: []].insert(r.scope) }
            // The other version's evidence, where this version has none of its own about the object.
            let taken = usableEvidence(otherVersion.subtracting(own))
            for r in taken.refs { entryRefs[r.rep + "|" + r.family] = r }
            entryScopes.lockScopes = own.lockScopes.merging(taken.lockScopes) { a, _ in a }
            entryScopes.refScopes = own.refScopes.merging(taken.refScopes) { a, _ in a }
            if !entry.isEmpty || !entryRefs.isEmpty || !taken.locks.isEmpty {
                var s = PathState()
                let line = source.tokens.first?.line ?? source.startLine
                for l in entry.union(taken.locks.keys).sorted() {
                    s.locks[l] = LockHold(line: line, histStart: 0, pendingOn: nil, scope: nil, uncertain: true, atEntry: true)
                }
                for (key, r) in entryRefs.sorted(by: { $0.key < $1.key }) {
                    var e = RefEntry(rep: r.rep, family: r.family, display: r.rep, api: r.api)
                    e.gets = [line]
                    e.atEntry = r.put
                    e.atEntryOtherVersion = r.otherVersion
                    e.embedded = r.embedded
                    s.refs[key] = e
                    s.bound.insert(r.rep)
                }
                let truncated = facts.truncated
                facts = FunctionFacts()
                calledTokens = []
                facts.truncated = truncated
                facts.heldOnEntry = entry.union(taken.locks.keys)
                facts.heldOnEntryOtherVersion = taken.locks
                walk(from: s)
            }
            facts.hiddenStart = own
        }
        (facts.hiddenStart.iteratorExits, facts.hiddenStart.scopedCursors) = iteratorEvidence()
        for node in cfg.nodes {
            for a in node.actions {
                if case .call(let c) = a, calledTokens.contains(c.token) { facts.callees.insert(c.name) }
            }
        }
        if source.startVisible, !source.annotations.isEmpty { facts.contract = LockContract(source.annotations) }
        facts.whole = source.startVisible && source.endVisible
        return facts
    }

    mutating func walk(from initial: PathState) {
        var seen = [Set<PathState.Fingerprint>](repeating: [], count: cfg.nodes.count)
        var stack: [(Int, PathState)] = [(cfg.entry, initial)]
        var steps = 0
        // The popped state is owned by this step alone (`var`, no second binding), so the actions
        // change its tables in place instead of copying them.
        while case (let node, var state)? = stack.popLast() {
            // A step that keeps a large state costs more (time to copy, compare and scan it,
            // memory to keep it): every 32 history entries and every 4 tracked objects count as one more step,
            // and so do every 8 actions of the node (mail read as C makes nodes of hundreds).
            steps += 1 + state.hist.count / 32 + state.trackedCount / 4 + cfg.nodes[node].actions.count / 8
            if steps > maxSteps { facts.truncated = "path budget of \(maxSteps) steps reached"; break }
            let print = state.fingerprint
            if seen[node].count >= maxStatesPerNode {
                if !seen[node].contains(print) {
                    facts.truncated = "more than \(maxStatesPerNode) distinct states at one point; further paths through it not followed"
                }
                continue
            }
            if !seen[node].insert(print).inserted { continue }
            var ended = false
            for a in cfg.nodes[node].actions {
                if apply(a, &state) { ended = true; break }
            }
            steps += work / 4
            work = 0
            if ended { continue }
            let n = cfg.nodes[node]
            // The last successor taken gets the state itself, the others a copy: a table changed on
            // one edge is then copied once fewer.
            for (k, e) in n.succ.enumerated().reversed() {
                var s = k == 0 ? consumeState(&state) : state
                if let l = e.loop {
                    let c = s.loops[l, default: 0]
                    if c >= cfg.loopLimit[l] { continue }
                    s.loops[l] = c + 1
                }
                if let head = n.loopHead, e.cond != nil, e.value, s.loops[head, default: 0] >= cfg.loopLimit[head] { continue }
                if let l = e.exitsLoop { s.loops[l] = nil }
                if let ci = e.cond, !takeBranch(cfg.conds[ci], value: e.value, &s) { continue }
                stack.append((e.to, s))
            }
        }
    }

    /// Moves a state out of `state`, leaving an empty one (so the moved tables stay uniquely held).
    @inline(__always) func consumeState(_ state: inout PathState) -> PathState {
        var out = PathState()
        swap(&out, &state)
        return out
    }

    // MARK: aliases

    func canon(_ path: String, _ s: PathState) -> String {
        if s.alias.isEmpty { return path }
        if let r = s.alias[path] { return r }
        // Longest aliased prefix at a member boundary (a byte scan: the separators are ASCII).
        let u = path.utf8
        var idx = u.endIndex
        while idx > u.startIndex {
            idx = u.index(before: idx)
            let c = u[idx]
            if c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "[") {
                if let r = s.alias[String(path[..<idx])] { return r + path[idx...] }
            }
        }
        return path
    }

    /// `lhs` gets a new value: it leaves its alias group; references only it named are lost.
    mutating func reassign(_ lhs: String, line: Int, _ s: inout PathState) {
        work += s.alias.count + s.refs.count + s.locks.count + s.known.count
        let key = canon(lhs, s)
        var members: [String] = []
        for (k, v) in s.alias where v == key && k != lhs { members.append(k) }
        members.sort()
        if key == lhs {
            if let newRep = members.first {
                for m in members where m != newRep { s.alias[m] = newRep }
                s.alias[newRep] = nil
                rekey(from: key, to: newRep, &s)
            } else {
                rekey(from: key, to: "\(key)@\(line)", &s)
            }
        } else if !s.alias.values.contains(key) || members.isEmpty {
            // lhs was an alias of key; key still names the object.
        }
        s.alias[lhs] = nil
        if s.bound.count < 64 { s.bound.insert(lhs) }
        // Paths through lhs name other objects now. (Byte comparisons: these loops run over every
        // tracked object on every assignment.)
        let base = Array(lhs.utf8)
        var gone: [String] = []
        for (k, v) in s.alias where Self.isMember(k, of: base) || Self.isMember(v, of: base, index: false) { gone.append(k) }
        for k in gone { s.alias[k] = nil }
        // Objects already cut loose from their name (`rep@line`) are not renamed again: a name
        // reassigned over and over would otherwise grow `@line` suffixes without end.
        var detached: [String] = []
        for e in s.refs.values where Self.isMember(e.rep, of: base) && !Self.isDetached(e.rep) {
            detached.append(e.rep)
        }
        // An index changes (`idx++`): `banks[idx]` names another element from here on. Objects
        // reached through it are cut loose, and names that stood for it no longer do.
        let index = ErrorPaths.isPlainName(lhs) ? Array("[\(lhs)]".utf8) : []
        if !index.isEmpty {
            for e in s.refs.values where !Self.isDetached(e.rep) && Self.containsBytes(e.rep, index) { detached.append(e.rep) }
            var stale: [String] = []
            for (k, v) in s.alias where Self.containsBytes(v, index) { stale.append(k) }
            for k in stale { s.alias[k] = nil }
        }
        for rep in detached { rekey(from: rep, to: "\(rep)@\(line)", &s) }
        // Locks held or released through the old object are other locks than the new one's
        // (`list_for_each_entry_safe(bridge, …) { fpga_bridge_put(bridge); }` unlocks one mutex per
        // bridge, not one mutex twice).
        func renamed(_ k: String) -> Bool {
            !Self.isDetached(k) && (Self.isMember(k, of: base, index: false) || !index.isEmpty && Self.containsBytes(k, index))
        }
        var moved: [(String, LockHold)] = []
        for (k, h) in s.locks where renamed(k) { moved.append((k, h)) }
        for (k, h) in moved {
            s.locks[k] = nil
            s.locks["\(k)@\(line)"] = h
        }
        var released: [(String, Released)] = []
        for (k, r) in s.released where renamed(k) { released.append((k, r)) }
        for (k, r) in released {
            s.released[k] = nil
            s.released["\(k)@\(line)"] = r
        }
        if !s.known.isEmpty {
            for k in s.known.keys where Self.conditionReads(k, written: lhs) { s.known[k] = nil }
        }
    }

    /// Whether a condition (a `CondInfo.key`, tokens joined by spaces) may read what an assignment
    /// to `lhs` changes: a path of the condition that starts with `lhs` (`mux` or `mux->lock` for
    /// `mux -> lock`). Writing a sibling field (`mux->reparent = true`) or a local that only shares
    /// a member's name (`lock` after `->`) leaves the outcome as it was, so a lock taken under
    /// `if (mux->lock)` is released under the same test later. An lhs through an index, a
    /// dereference or a call compares by its root variable (`a[i]` may be `a[j]`).
    static func conditionReads(_ key: String, written lhs: String) -> Bool {
        // Byte search first: Foundation's `contains` on a Substring bridged both strings on every
        // key of every reassignment, the bulk of the time on hostile inputs.
        let base = root(lhs)
        guard containsBytes(key, Array(base.utf8)) else { return false }
        let plain = !lhs.utf8.contains { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "(")
            || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "&") }
        let written = plain ? pathTokens(lhs) : [Substring(base)]
        // A failed finder's mark names the object's path, without spaces.
        let toks = key.hasPrefix(failedMark) ? pathTokens(String(key.dropFirst(failedMark.count)))
            : key.split(separator: " ", omittingEmptySubsequences: true)
        guard !written.isEmpty, toks.count >= written.count else { return false }
        for i in 0...(toks.count - written.count) {
            if i > 0, toks[i - 1] == "->" || toks[i - 1] == "." { continue }
            var n = 0
            while n < written.count && toks[i + n] == written[n] { n += 1 }
            if n == written.count { return true }
        }
        return false
    }

    /// `mux->lock.owner` as tokens: `mux`, `->`, `lock`, `.`, `owner`.
    static func pathTokens(_ p: String) -> [Substring] {
        var out: [Substring] = []
        var i = p.startIndex
        var start = i
        while i < p.endIndex {
            let c = p[i]
            if c == "." || (c == "-" && p.index(after: i) < p.endIndex && p[p.index(after: i)] == ">") {
                if start < i { out.append(p[start..<i]) }
                let end = c == "." ? p.index(after: i) : p.index(i, offsetBy: 2)
                out.append(p[i..<end])
                i = end
                start = i
            } else {
                i = p.index(after: i)
            }
        }
        if start < p.endIndex { out.append(p[start...]) }
        return out
    }

    /// The variable an access path starts from (`args` for `args.np`, `pdev` for `pdev->dev`,
    /// `np` for a detached `np@120`).
    static func root(_ p: String) -> String {
        String(p.prefix { $0 != "-" && $0 != "." && $0 != "[" && $0 != "@" })
    }

    /// Whether `path` is reached through `base`: `base->…` or `base.…`, and `base[…]` with `index`.
    /// (The same as `hasPrefix(base + "->")` etc., on bytes.)
    static func isMember(_ path: String, of base: [UInt8], index: Bool = true) -> Bool {
        let n = base.count
        guard path.utf8.count > n, path.utf8.first == base.first else { return false }
        var path = path
        return path.withUTF8 { b in
            // The separator right after the prefix first: it rules out almost every name at once.
            switch b[n] {
            case UInt8(ascii: "-"): guard b.count > n + 1, b[n + 1] == UInt8(ascii: ">") else { return false }
            case UInt8(ascii: "."): break
            case UInt8(ascii: "["): guard index else { return false }
            default: return false
            }
            for i in 1..<max(n, 1) where b[i] != base[i] { return false }
            return true
        }
    }

    /// A name cut loose by a reassignment (`dev->ref@120`): it names no live path any more.
    /// (`utf8.contains`: String's `contains("@")` is Foundation's `range(of:)`, slow on hot paths.)
    @inline(__always) static func isDetached(_ rep: String) -> Bool { rep.utf8.contains(UInt8(ascii: "@")) }

    func rekey(from: String, to: String, _ s: inout PathState) {
        // The matches are taken out first: mutating `s.refs` while iterating it copied the whole
        // dictionary on every call. The matches go into an array (no dictionary is built).
        var matches: [(String, RefEntry)] = []
        for (k, e) in s.refs where e.rep == from { matches.append((k, e)) }
        for (k, e) in matches {
            var e2 = e
            e2.rep = to
            if e2.pendingOn == from { e2.pendingOn = to }
            s.refs[k] = nil
            s.refs[to + "|" + e.family] = e2
        }
        if let h = s.locks[from] { s.locks[from] = nil; s.locks[to] = h }
    }

    /// A path assigned in this function to a field (or through a pointer) names the object.
    func groupHasShared(_ rep: String, _ s: PathState) -> Bool {
        s.alias.contains { $0.value == rep && ActionExtractor.isShared($0.key) }
    }

    // MARK: history

    func record(_ h: Hist, _ s: inout PathState) {
        if s.hist.count < Self.maxHistory { s.hist.append(h) }
    }

    // MARK: actions

    /// Applies an action; returns true when the path ends.
    mutating func apply(_ a: Action, _ s: inout PathState) -> Bool {
        switch a {
        case .call(let c):
            call(c, &s)
        case .assign(let lhs, let rhs, let line, let shared, _, _, let rhsReads):
            if case .path(let p) = rhs { checkUse(p, line: line, &s) }
            if shared {
                // A read-modify-write (`x->n++`, `x->n += k`, `x->n = x->n | m`) is a complete update by itself.
                let rmw = rhsReads.contains(lhs)
                record(Hist(k: .write, path: lhs, aux: rmw ? "rmw" : "", line: line), &s)
                if case .path(let p) = rhs {
                    let r = canon(p, s)
                    for (k, e) in s.refs where e.rep == r && e.count > 0 {
                        s.refs[k]?.escaped = true
                        if e.ownCount > 0, let f = Self.member(lhs), facts.fieldStores.count < 32 {
                            facts.fieldStores.insert(FieldStoreFact(field: f, family: e.family, path: lhs,
                                                                    function: source.name, line: line))
                        }
                    }
                }
            } else {
                record(Hist(k: .assignLocal, path: lhs, line: line), &s)
                for r in rhsReads where ActionExtractor.isShared(r) {
                    record(Hist(k: .localFrom, path: lhs, aux: r, line: line), &s)
                }
            }
            if case .call(let tok) = rhs, boundCalls.contains(tok) { break }
            reassign(lhs, line: line, &s)
            s.derived[lhs] = nil
            if case .call(let tok) = rhs, let objs = callArgObjects[tok], !objs.isEmpty, s.derived.count < 32 {
                s.derived[lhs] = objs
            }
            if case .path(let p) = rhs {
                let r = canon(p, s)
                if r != lhs { track(r, at: lhs, in: &s.alias, "aliases") }
            }
            if case .errorCode = rhs {
                for k in ErrorPaths.conditionsOfErrorCode(lhs) {
                    track(true, at: k, in: &s.known, limit: Self.maxKnownConditions, "known conditions")
                }
            }
        case .use(let p, let line):
            checkUse(p, line: line, &s)
        case .mentions(let names, let line):
            if !s.open.isEmpty { for n in names { record(Hist(k: .mention, path: n, line: line), &s) } }
        case .cond(let info):
            for r in info.reads {
                record(Hist(k: .condRead, path: r, aux: info.isLoop ? "loop" : "", line: info.line, spanEnd: info.spanEnd), &s)
            }
        case .ret(let line, let paths, let values, _, let error):
            exit(line: line, returned: values, error: error, reads: paths.map { canon($0, s) }, &s)
            return true
        case .failed:
            s.failing = true
        case .unknownEnd(_, let via):
            iteratorsAtHiddenEnd(via: via, s)
            closeWindows(&s)
            for (k, r) in s.released where r.notTaken { facts.releasedAtExit.insert(k) }
            return true
        case .gap:
            record(Hist(k: .gap, path: "", line: 0), &s)
            crossHiddenLines(&s)
        case .hiddenCondition(let block):
            enterHiddenBlock(block, &s)
        case .leftLoop(let cursor, let family, let line):
            let key = canon(cursor, s) + "|" + family
            if s.refs[key]?.iterator != nil { s.refs[key]?.leftLoop = line }
        case .scopeEnd(let scope):
            for (k, h) in s.locks where h.scope == scope { s.locks[k] = nil }
            for (k, e) in s.refs where e.scope == scope { s.refs[k] = nil }
        case .cleanupVar(let name, let scope):
            let r = canon(name, s)
            for (k, e) in s.refs where e.rep == r { s.refs[k]?.scope = scope }
        case .scopedAcquire(let lock, let family, let scope, let line):
            acquire(canon(lock, s), line: line, family: family, pending: nil, scope: scope, outer: nil, &s)
        case .iterGet(let cursor, let api, let line):
            reassign(cursor, line: line, &s)
            let fam = tables.refs[api]?.family ?? api
            let r = canon(cursor, s)
            var e = RefEntry(rep: r, family: fam, display: cursor, api: api)
            e.gets = [line]
            e.iterator = api
            track(e, at: r + "|" + fam, in: &s.refs, "references")
        case .iterNext(let cursor, let api, let line):
            let fam = tables.refs[api]?.family ?? api
            let key = canon(cursor, s) + "|" + fam
            if var e = s.refs[key] {
                if e.count > 0 {
                    s.refs[key] = nil
                } else if e.iterator != nil {
                    // The body put the cursor and the iterator puts it again (unless the path went
                    // through hidden lines since: they may have taken another reference or left).
                    if !e.uncertain {
                        e.puts.append(line)
                        e.byCallee.append(api)
                        facts.overPuts.insert(PutFact(object: e.display, family: fam, gets: e.gets, puts: e.puts, byCallee: e.byCallee))
                    }
                    s.refs[key] = nil
                }
            }
            reassign(cursor, line: line, &s)
        case .iterEnd(let cursor, let line):
            reassign(cursor, line: line, &s)
        }
        return false
    }

    /// The path went through lines the hunks do not show: what it held is uncertain from here on.
    func crossHiddenLines(_ s: inout PathState) {
        s.gapSeen = true
        s.crossedGap = true
        for k in s.refs.keys { s.refs[k]?.uncertain = true }
        for k in s.locks.keys { s.locks[k]?.uncertain = true }
    }

    /// The path enters a block opened above the fragment, under a condition the hunk does not show.
    /// What the rest of the fragment shows about its start (a release, a put) on paths that skip the
    /// block says nothing about the state inside it (`if (busy) { mutex_unlock(&l); return -EBUSY; }`
    /// with only the return shown); what paths through the block show does
    /// (`HiddenStartEvidence.admits`, `entryEvidenceHolds`). Everything else the path holds is
    /// uncertain, as after a gap.
    func enterHiddenBlock(_ block: Int, _ s: inout PathState) {
        s.gapSeen = true
        if !s.crossedGap, s.entered.count < 8 { s.entered.append(block) } else { s.crossedGap = true }
        // (A reference held on entry is judged at the exit, where the path's start is known.)
        for (k, e) in s.refs where e.atEntry == nil { s.refs[k]?.uncertain = true }
        for k in s.locks.keys { s.locks[k]?.uncertain = true }
    }

    /// Whether the path is still on shown lines from a start of the fragment where `scopes` show
    /// the lock or reference held (see `enterHiddenBlock`).
    func entryEvidenceHolds(_ scopes: Set<[Int]>?, _ s: PathState) -> Bool {
        !s.crossedGap && HiddenStartEvidence.admits(scopes, s.entered)
    }

    /// Calls reached on some path, by token (a set of names would hash the name on every step);
    /// `run()` turns them into `facts.callees`.
    var calledTokens: Set<Int> = []

    /// Table entries the actions of the current step scanned: every 4 cost one more step. On the
    /// kernel 6.1 set (34,010 functions) this changes no finding; mail read as C, where every
    /// assignment scans a hundred tracked names, reaches the budget about twice as early.
    var work = 0

    /// Calls in the current statement whose result an API bound (the assignment must not re-bind).
    var boundCalls: Set<Int> = []

    /// Referenced objects passed to each unknown call (by call token).
    var callArgObjects: [Int: [String]] = [:]

    mutating func call(_ c: CallSite, _ s: inout PathState) {
        calledTokens.insert(c.token)
        // Each table looked up once (the name is hashed per lookup, on every step through the call).
        let lockAPI = tables.locks[c.name]
        let refAPI = lockAPI == nil ? tables.refs[c.name] : nil
        // `x = f(obj)` where f returns its argument: `x` carries obj's reference.
        if lockAPI == nil, refAPI == nil, let r = c.result, cfg.pointers.contains(r), !s.refs.isEmpty {
            let returned = returnedArguments(c.name, count: c.args.count)
            let reps = returned.compactMap { i in c.args[i].path.map { canon($0, s) } }
                .filter { r in s.refs.values.contains { $0.rep == r } }
            callArgObjects[c.token] = reps
        }
        if lockAPI == nil, refAPI == nil, tables.call(c.name, is: .waitsRelease), let a = c.args.first, a.addressOf,
           let p = a.path, facts.awaitedReleases.count < 8 {
            let owner = ownerOf(p)
            if owner != p { facts.awaitedReleases.insert(AwaitedRelease(object: owner, line: c.line)) }
        }
        if !s.open.isEmpty, lockAPI == nil { record(Hist(k: .call, path: c.name, line: c.line), &s) }
        if let api = lockAPI {
            lockCall(api, c, &s)
            return
        }
        if let api = refAPI {
            refCall(api, c, &s)
            return
        }
        for (i, a) in c.args.enumerated() {
            guard let p = a.path else { continue }
            checkUse(p, line: a.line, &s)
            // A reference taken on an object the function already had (`of_node_get(dn)`,
            // `get_device(dev)`) is usually taken to hand it on: passed to a function we do not know
            // after the thing it is attached to (`of_changeset_attach_node(&cs, dn)`), it may have
            // been. Not this function's to put. (As the first argument it is what the call works on:
            // `netif_running(ndev)`.)
            if i > 0, !s.refs.isEmpty {
                let r = canon(p, s)
                for (k, e) in s.refs where e.rep == r && e.lifetime && !e.escaped && e.atEntry == nil && e.iterator == nil
                    && tables.refs[e.api]?.argument != nil && tables.refs[e.api]?.member == nil {
                    s.refs[k]?.escaped = true
                }
            }
            // An unknown call handed a lock we released may be a lock wrapper: the lock state is unknown.
            let k = canon(p, s)
            if s.released[k] != nil, a.addressOf {
                s.released[k] = nil
                s.locks[k] = LockHold(line: c.line, histStart: s.hist.count, pendingOn: nil, scope: nil, uncertain: true)
            }
        }
        // cleanup.h: `no_free_ptr(p)`, `return_ptr(p)`, `retain_and_null_ptr(p)` hand the reference
        // a `__free` variable holds to the caller or to a new owner: it leaves this function's balance.
        if tables.call(c.name, is: .transfer), let p = c.args.first?.path {
            let r = canon(p, s)
            for (k, e) in s.refs where e.rep == r { s.refs[k]?.escaped = true; s.refs[k]?.scope = nil }
        }
        if let con = tables.consumers[c.name], con.argument < c.args.count, let p = c.args[con.argument].path {
            let r = canon(p, s)
            let owner = ownerOf(r)
            for (k, e) in s.refs where e.rep == r || e.rep == owner || ownerOf(e.rep) == r { s.refs[k]?.escaped = true }
        }
        if let sum = summaries[c.name] {
            if !sum.acquires.isEmpty { calleeAcquires(sum.acquires, c, &s) }
            // A function that releases its caller's lock (`foo_unlock(f)`, or declared `__releases`).
            for t in sum.releases {
                guard let lock = instantiate(t, c) else { continue }
                release(canon(lock, s), line: c.line, outer: c.outerToken, &s)
            }
            // A callee that releases the lock on some path of its shown lines: held or not after it
            // is unknown (the release may be of the lock this function holds).
            for t in sum.mayRelease {
                guard let lock = instantiate(t, c) else { continue }
                let key = canon(lock, s)
                if s.locks[key] != nil { s.locks[key]?.mayBeReleased = true }
            }
            for d in sum.drops {
                guard let lock = instantiate(d.lock, c) else { continue }
                let key = canon(lock, s)
                if let h = s.locks[key], h.pendingOn == nil {
                    openCalleeWindow(key, h, CalleeDrop(name: c.name, call: c.line, release: d.release, reacquire: d.reacquire,
                                                        fromTable: false), &s)
                } else if let r = s.released[key], !r.notTaken, !s.gapSeen {
                    // This function took the lock and released it; the callee releases it again
                    // (and takes it, for no one).
                    facts.doubleUnlocks.insert(LockPairFact(lock: key, first: r.line, second: c.line,
                                                            callee: CalleeRelease(name: c.name, release: d.release)))
                } else if s.locks[key] == nil {
                    facts.drops.insert(DropFact(lock: key, release: c.line, reacquire: c.line))
                }
            }
        }
    }


    /// Arguments (by index) whose reference a call's result carries: those a function of the analysed
    /// code returns (its summary), or, for a function we cannot see, every argument when its name
    /// says it hands out a reference (`__mgr_get(dev)`). Accessors (`platform_get_drvdata(pdev)`,
    /// `dev_err_probe(dev, …, np)`) carry none.
    func returnedArguments(_ name: String, count: Int) -> [Int] {
        if tables.call(name, is: .transfer) { return count > 0 ? [0] : [] }
        if defined.contains(name) { return (summaries[name]?.returnsParameters ?? []).filter { $0 < count } }
        if name.hasSuffix("_get") { return Array(0..<count) }
        return []
    }

    /// Whether `needle` (non-empty) occurs in the UTF-8 bytes of `haystack`.
    static func containsBytes(_ haystack: String, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.utf8.count >= needle.count else { return false }
        var haystack = haystack
        return haystack.withUTF8 { h in
            for i in 0...(h.count - needle.count) where h[i] == first {
                var k = 1
                while k < needle.count && h[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            return false
        }
    }

    func ownerOf(_ p: String) -> String {
        // The last `->` (a byte scan: Foundation's backwards `range(of:)` dominated hostile inputs).
        let u = p.utf8
        var i = u.endIndex
        while i > u.startIndex {
            let j = u.index(before: i)
            if u[j] == UInt8(ascii: ">"), j > u.startIndex {
                let k = u.index(before: j)
                if u[k] == UInt8(ascii: "-") { return String(p[..<k]) }
            }
            i = j
        }
        if let r = p.lastIndex(of: ".") { return String(p[..<r]) }
        return p
    }

    func instantiate(_ template: String, _ c: CallSite) -> String? {
        guard template.hasPrefix("$") else { return template }
        let digits = template.dropFirst().prefix { $0.isNumber }
        guard let i = Int(digits), i < c.args.count, let arg = c.args[i].path else { return nil }
        let rest = template.dropFirst(1 + digits.count)
        return arg + rest
    }

    // MARK: lock tracker

    mutating func lockCall(_ api: LockAPI, _ c: CallSite, _ s: inout PathState) {
        let keyPath: String?
        if let a = api.argument { keyPath = a < c.args.count ? c.args[a].path ?? c.args[a].converted : nil } else { keyPath = api.key }
        guard let kp = keyPath else { return }
        let key = api.argument == nil ? kp : canon(kp, s)
        if facts.lockFamilies.count < 16, facts.lockFamilies[key] == nil { facts.lockFamilies[key] = api.family }
        switch api.action {
        case .acquire:
            var pending: String?
            if api.success != .always {
                let p = c.result.map { canon($0, s) } ?? "$\(c.token)"
                pending = p
                pendingSemantics[p] = api.success
            }
            acquire(key, line: c.line, family: api.family, pending: pending, scope: api.scoped ? -1 : nil,
                    outer: c.outerToken, outerName: c.outer, &s)
        case .release:
            release(key, line: c.line, outer: c.outerToken, &s)
        case .drop:
            if let h = s.locks[key], h.pendingOn == nil {
                openCalleeWindow(key, h, CalleeDrop(name: c.name, call: c.line, release: c.line, reacquire: c.line, fromTable: true), &s)
            } else if s.locks[key] == nil {
                facts.drops.insert(DropFact(lock: key, release: c.line, reacquire: c.line))
            }
        }
    }

    mutating func acquire(_ key: String, line: Int, family: String, pending: String?, scope: Int?, outer: Int?,
                          outerName: String? = nil, _ s: inout PathState) {
        if let h = s.locks[key] {
            let recursive = family == "rcu" || family == "srcu"
            if !recursive, h.pendingOn == nil, pending == nil, !h.uncertain {
                facts.doubleLocks.insert(LockPairFact(lock: key, first: h.line, second: line))
            }
            if recursive { s.locks[key]?.depth += 1; return }
        } else if !room(s.locks.count, Self.maxHeldLocks, "locks held") {
            return
        }
        var restoresCallers = false
        if let rel = s.released[key] {
            s.released[key] = nil
            restoresCallers = rel.notTaken
            let restart = line < rel.line
            var inMacro: String?
            if let o = outer, o == rel.outer { inMacro = outerName }
            s.open[key] = OpenWindow(rel: rel, reacquire: line, afterStart: s.hist.count, restart: restart, inMacro: inMacro)
        }
        s.locks[key] = LockHold(line: line, histStart: s.hist.count, pendingOn: pending, scope: scope, outer: outer,
                                restoresCaller: restoresCallers)
        if s.everLocked[key] == nil, !restoresCallers { track(line, at: key, in: &s.everLocked, "locks taken") }
    }

    mutating func release(_ key: String, line: Int, outer: Int?, _ s: inout PathState) {
        if let h = s.locks[key], h.depth > 1 {
            s.locks[key]?.depth -= 1
            return
        }
        if let h = s.locks[key] {
            closeWindow(key, &s)
            s.locks[key] = nil
            // A hold that restored the caller's (released and re-taken) is the caller's lock again:
            // releasing it a second time drops the caller's lock, as the first release did.
            s.released[key] = Released(line: line, notTaken: h.restoresCaller, histStart: h.histStart, histEnd: s.hist.count,
                                       heldSince: h.line, outer: outer, heldOnEntry: h.atEntry)
            return
        }
        if let r = s.released[key] {
            facts.doubleUnlocks.insert(LockPairFact(lock: key, first: r.line, second: line))
            return
        }
        facts.releasedNotTaken.insert(ReleaseNotTakenFact(lock: key, line: line, scope: s.crossedGap ? [-1] : s.entered))
        s.released[key] = Released(line: line, notTaken: true, histStart: 0, histEnd: s.hist.count, heldSince: nil, outer: outer)
    }

    /// A callee drops and re-takes `key`, which this function holds: a window that opens and closes
    /// at the call. What follows the call is the critical section after the re-acquire.
    mutating func openCalleeWindow(_ key: String, _ h: LockHold, _ drop: CalleeDrop, _ s: inout PathState) {
        closeWindow(key, &s)
        facts.calleeWindows.insert(CalleeWindowFact(lock: key, heldSince: h.line, call: drop.call, callee: drop.name,
                                                    calleeRelease: drop.release, calleeReacquire: drop.reacquire,
                                                    fromTable: drop.fromTable, heldOnEntry: h.atEntry))
        let rel = Released(line: drop.call, notTaken: false, histStart: h.histStart, histEnd: s.hist.count,
                           heldSince: h.line, outer: nil, heldOnEntry: h.atEntry)
        s.open[key] = OpenWindow(rel: rel, reacquire: drop.call, afterStart: s.hist.count, restart: false, inMacro: nil,
                                 callee: drop)
        s.locks[key]?.histStart = s.hist.count
    }

    /// Whether a field is state the lock protects: written under it in this function, or a member
    /// of the object the lock is embedded in (`st->enabled` and `st->lock`).
    static func protects(_ lock: String, _ path: String, written: Set<String>) -> Bool {
        if written.contains(path) { return true }
        guard ActionExtractor.isShared(path), path != lock else { return false }
        var owner = lock
        if let r = lock.range(of: "->", options: .backwards) { owner = String(lock[..<r.lowerBound]) }
        else if let r = lock.lastIndex(of: ".") { owner = String(lock[..<r]) }
        else { return false }
        return path.hasPrefix(owner + "->") || path.hasPrefix(owner + ".")
    }

    /// Conditions read under the lock before the window whose outcome the code after the re-acquire
    /// relies on: stale when not read again before being relied on, re-checked otherwise. Hidden
    /// lines (a gap) between the check and the end of the window prove nothing either way.
    static func staleChecks(lock: String, before: ArraySlice<Hist>, after: ArraySlice<Hist>, release: Int, reacquire: Int,
                            written: Set<String>) -> (stale: [PathLine], rechecks: [PathLine]) {
        // The critical section after the re-acquire does something (a call, a store, a read of
        // shared state): otherwise nothing relies on the check.
        let relies = after.contains { $0.k == .call || $0.k == .write || $0.k == .localFrom }
        if after.contains(where: { $0.k == .gap }) { return ([], []) }
        // A store after the re-acquire without a re-read relies on the check, as does a call.
        var stale: [PathLine] = []
        var rechecks: [PathLine] = []
        var seen: Set<String> = []
        for (i, h) in zip(before.indices, before) where h.k == .condRead && h.aux != "loop" && h.spanEnd >= reacquire
            && h.line < release && protects(lock, h.path, written: written) {
            // Hidden lines after the check, or a store under the lock after it (the value was claimed).
            if before[i...].contains(where: { $0.k == .gap || ($0.k == .write && $0.path == h.path) }) { continue }
            var re: Int?
            for a in after {
                if a.path == h.path, a.k == .condRead { re = a.line; break }
                if a.path == h.path, a.k == .write { break }
            }
            if let re {
                if seen.insert("r|\(h.path)").inserted { rechecks.append(PathLine(path: h.path, line: re)) }
            } else if relies {
                if seen.insert("s|\(h.path)|\(h.line)").inserted { stale.append(PathLine(path: h.path, line: h.line)) }
            }
        }
        return (stale, rechecks)
    }

    mutating func closeWindow(_ key: String, _ s: inout PathState) {
        guard let w = s.open[key] else { return }
        s.open[key] = nil
        let rel = w.rel
        let before = s.hist[min(rel.histStart, s.hist.count)..<min(rel.histEnd, s.hist.count)]
        let after = s.hist[min(w.afterStart, s.hist.count)..<s.hist.count]
        if let drop = w.callee {
            let written = Set((before + after).filter { $0.k == .write && $0.aux != "rmw" }.map(\.path))
            let (stale, rechecks) = Self.staleChecks(lock: key, before: before, after: after, release: drop.call,
                                                     reacquire: drop.call, written: written)
            facts.calleeWindows.insert(CalleeWindowFact(lock: key, heldSince: rel.heldSince ?? drop.call, call: drop.call,
                                                        callee: drop.name, calleeRelease: drop.release,
                                                        calleeReacquire: drop.reacquire, fromTable: drop.fromTable,
                                                        heldOnEntry: rel.heldOnEntry, staleChecks: stale.sorted(),
                                                        rechecks: rechecks.sorted()))
            return
        }
        // Shared state is what other threads can reach: not the caller's output variable (`*val`)
        // nor an object this function allocated (`st = kzalloc(…); st->x = …`).
        func reachable(_ h: Hist) -> Bool {
            if h.path.hasPrefix("*") { return false }
            let root = Self.root(h.path)
            return !cfg.allocated.contains(root)
        }
        var wb = before.filter { $0.k == .write && $0.aux != "rmw" && reachable($0) }.map { PathLine(path: $0.path, line: $0.line) }
        var wa = after.filter { $0.k == .write && $0.aux != "rmw" && reachable($0) }.map { PathLine(path: $0.path, line: $0.line) }
        let written = Set(wb.map(\.path)).union(wa.map(\.path))
        let same = Set(wb.map(\.path)).intersection(wa.map(\.path))
        if !same.isEmpty {
            wb = wb.filter { same.contains($0.path) }
            wa = wa.filter { same.contains($0.path) }
        }
        if wb.isEmpty || wa.isEmpty { wb = []; wa = [] }
        let (stale, rechecks) = Self.staleChecks(lock: key, before: before, after: after, release: rel.line,
                                                 reacquire: w.reacquire, written: written)
        // A field written after it was read, before the release, was claimed under the lock.
        func claimed(_ path: String, after index: Int) -> Bool {
            before[index...].contains { $0.k == .write && $0.path == path }
        }
        var staleLocals: [PathLine] = []
        var staleUses: [PathLine] = []
        for (i, h) in zip(before.indices, before) where h.k == .localFrom && written.contains(h.aux) && !claimed(h.aux, after: i) {
            var reread = false
            for a in after {
                if (a.k == .condRead || a.k == .localFrom) && (a.path == h.aux || a.aux == h.aux) { reread = true; break }
                if a.k == .assignLocal && a.path == h.path { break }
                if a.k == .mention && a.path == h.path && !reread {
                    staleLocals.append(PathLine(path: h.path, line: h.line))
                    staleUses.append(PathLine(path: h.path, line: a.line))
                    break
                }
            }
        }
        facts.windows.insert(WindowFact(lock: key, release: rel.line, reacquire: w.reacquire, notTakenHere: rel.notTaken,
                                        heldSince: rel.heldSince, restart: w.restart, inMacro: w.inMacro,
                                        writesBefore: wb.sorted(), writesAfter: wa.sorted(), staleChecks: stale.sorted(),
                                        rechecks: rechecks.sorted(), staleLocals: staleLocals, staleUses: staleUses,
                                        heldOnEntry: rel.heldOnEntry))
        if rel.notTaken { facts.drops.insert(DropFact(lock: key, release: rel.line, reacquire: w.reacquire)) }
    }

    mutating func closeWindows(_ s: inout PathState) {
        for k in s.open.keys.sorted() { closeWindow(k, &s) }
    }

    // MARK: reference tracker

    mutating func refCall(_ api: RefAPI, _ c: CallSite, _ s: inout PathState) {
        switch api.action {
        case .get:
            if let d = api.dropsArgument, d < c.args.count, !c.args[d].isNull, let p = c.args[d].path {
                put(p, family: api.family, line: c.line, api: api, byCallee: c.name, &s)
            }
            var object: String
            if let a = api.argument {
                // An output argument left NULL receives nothing (`…_get_reference_args(…, NULL)`
                // counts the entries).
                guard a < c.args.count, !c.args[a].isNull, let p = c.args[a].path else { return }
                object = p
                if let m = api.member { object = p + (c.args[a].addressOf ? "." : "->") + m }
                if api.returnsObject, let r = c.result {
                    let target = canon(p, s)
                    reassign(r, line: c.line, &s)
                    if r != target { track(target, at: r, in: &s.alias, "aliases") }
                    boundCalls.insert(c.token)
                }
            } else {
                guard let r = c.result else {
                    lostReference(api, c)
                    return
                }
                reassign(r, line: c.line, &s)
                boundCalls.insert(c.token)
                object = r
            }
            let rep = canon(object, s)
            let key = rep + "|" + api.family
            var e: RefEntry
            if let old = s.refs[key] {
                e = old
            } else {
                e = RefEntry(rep: rep, family: api.family, display: object, api: api.name)
                e.heldBefore = api.argument != nil
                if !fieldOwners.isEmpty, let (field, load) = loadedFrom(object, s),
                   let m = Self.member(field), fieldOwners[m + "|" + api.family] != nil {
                    e.fieldOrigin = field
                    e.fieldLoad = load
                }
            }
            if e.gets.count < 8 { e.gets.append(c.line) }
            if api.argument != nil { e.resultVar = c.result }
            if let a = api.argument, a < c.args.count, c.args[a].addressOf, api.member == nil { e.embedded = true }
            if let sc = cfg.cleanupScopes[object] { e.scope = sc }
            e.lifetime = api.lifetime
            e.putLine = nil
            if api.success != .always {
                e.pendingOn = c.result.map { canon($0, s) } ?? "$\(c.token)"
            }
            if s.gapSeen { e.uncertain = false }
            track(e, at: key, in: &s.refs, "references")
        case .put:
            guard let a = api.argument, a < c.args.count, !c.args[a].isNull, let p = c.args[a].path else { return }
            // A put an operand decides on (`… || (of_node_put(np), 0)`) may or may not have run:
            // the count is unknown from here.
            if c.conditional {
                // (Also the object a device is embedded in: `put_device(&pdev->dev)` puts `pdev`'s.)
                let rep = canon(p, s)
                let owner = c.args[a].addressOf ? ownerOf(rep) : rep
                for (k, e) in s.refs where e.family == api.family && (e.rep == rep || e.rep == owner) {
                    s.refs[k]?.uncertain = true; s.refs[k]?.putLine = nil
                }
                return
            }
            put(p, family: api.family, line: c.line, api: api, byCallee: nil, embedded: c.args[a].addressOf, &s)
        case .iterator:
            break
        }
    }

    /// The line of the last assignment to a plain local on this path (from the history).
    func lastAssignment(of name: String, _ s: PathState) -> Int? {
        var i = s.hist.count - 1
        while i >= 0 {
            if s.hist[i].k == .assignLocal, s.hist[i].path == name { return s.hist[i].line }
            i -= 1
        }
        return nil
    }

    /// The member name of a field path: `kvm` for `matrix_mdev->kvm`, nil for a plain name.
    static func member(_ path: String) -> String? {
        guard let r = path.range(of: "->", options: .backwards) ?? path.range(of: ".", options: .backwards) else { return nil }
        let m = path[r.upperBound...]
        return ErrorPaths.isPlainName(String(m)) ? String(m) : nil
    }

    /// The field a plain local was last loaded from on this path (`kvm = matrix_mdev->kvm`), with the line.
    func loadedFrom(_ name: String, _ s: PathState) -> (String, Int)? {
        guard ErrorPaths.isPlainName(name) else { return nil }
        var i = s.hist.count - 1
        var found: (String, Int)?
        while i >= 0 {
            let h = s.hist[i]
            if h.path == name {
                if h.k == .localFrom, Self.member(h.aux) != nil { found = (h.aux, h.line) }
                if h.k == .assignLocal { return found.flatMap { $0.1 == h.line ? $0 : nil } }
            }
            i -= 1
        }
        return nil
    }

    /// A finder's result handed straight to a call that neither puts it, nor takes it over, nor
    /// returns it (`syscon_node_to_regmap(of_get_parent(np))`): the reference is lost at once.
    mutating func lostReference(_ api: RefAPI, _ c: CallSite) {
        guard c.wholeArgument, let outer = c.outer else { return }
        // Table APIs (a put, a consumer), conversions and calls that return what they are handed, our
        // own functions (they may store it), and macros that only test or pass the pointer on.
        if tables.refs[outer] != nil || tables.locks[outer] != nil || tables.consumers[outer] != nil { return }
        if outer.hasPrefix("to_") || outer == "container_of" || !returnedArguments(outer, count: 1).isEmpty
            || defined.contains(outer) || tables.call(outer, is: .passThrough) || tables.call(outer, is: .errorCode) { return }
        facts.lostReferences.insert(LostReferenceFact(api: api.name, family: api.family, callee: outer, line: c.line))
    }

    mutating func put(_ p: String, family: String, line: Int, api: RefAPI, byCallee: String?, embedded: Bool = false,
                      _ s: inout PathState) {
        // A put of a pointer this path found NULL does nothing (`while (np) np = of_get_next_parent(np);
        // of_node_put(np);` puts the last parent only when the loop left early).
        if !embedded, s.known[Self.pathTokens(p).joined(separator: " ")] == false { return }
        var rep = canon(p, s)
        var key = rep + "|" + family
        // `put_device(&pdev->dev)` puts a reference on `pdev` (an embedded device): the one a finder
        // returned, or, after `pdev` was put already, one more (a second put of the same object).
        if embedded, s.refs[key] == nil {
            let owner = ownerOf(rep)
            if owner != rep, s.refs[owner + "|" + family] != nil { rep = owner; key = owner + "|" + family }
        }
        // `device_unregister()` drops the reference registering gave: this function's only when it
        // initialised the device itself.
        if api.finalizes, tables.refs[s.refs[key]?.api ?? ""]?.initializes != true { return }
        var e = s.refs[key] ?? RefEntry(rep: rep, family: family, display: p, api: api.name)
        if embedded { e.embedded = true }
        // A put after a put: the use its own argument made on this line (`&port_dev->dev`, read
        // before the call) is this put, which the double- and over-put facts judge (when the two
        // puts meet in one entry); not a use after the first put too.
        if !facts.usesAfterPut.isEmpty {
            facts.usesAfterPut = facts.usesAfterPut.filter { u in
                !(u.use == line && (u.expression == p || p.hasPrefix(u.expression + "->") || p.hasPrefix(u.expression + ".")))
            }
        }
        e.pendingOn = nil
        if e.puts.count < 8 { e.puts.append(line) }
        if let b = byCallee { e.byCallee.append(b) }
        e.lifetime = e.lifetime && api.lifetime
        // In a fragment whose start is hidden, an object not bound in the visible code may hold references
        // taken in the hidden lines: its count is unknown.
        let unknownStart = !source.startVisible && !s.bound.contains(rep) && !s.bound.contains(Self.root(rep))
        if unknownStart, !s.crossedGap, byCallee == nil, e.gets.isEmpty, e.puts.count == 1,
           heldOnEntryCandidate(p, embedded: embedded), facts.entryReferences.count < 16 {
            facts.entryReferences.insert(EntryReference(rep: rep, family: family, api: api.name, put: line, embedded: embedded,
                                                        scope: s.entered))
        }
        let uncertain = e.uncertain || s.gapSeen && e.gets.isEmpty || unknownStart || e.atEntry != nil
        if !uncertain {
            if let field = e.fieldOrigin, !e.gets.isEmpty, e.puts.count == e.gets.count + 1,
               let store = Self.member(field).flatMap({ fieldOwners[$0 + "|" + family] }) {
                facts.fieldPuts.insert(FieldPutFact(object: e.display, field: field, load: e.fieldLoad, gets: e.gets,
                                                    puts: e.puts, store: store))
            } else if !e.gets.isEmpty, e.puts.count > e.gets.count + (e.fieldOrigin == nil ? 0 : 1) {
                facts.overPuts.insert(PutFact(object: e.display, family: family, gets: e.gets, puts: e.puts, byCallee: e.byCallee))
            } else if e.gets.isEmpty, e.puts.count >= 2 {
                facts.doublePuts.insert(PutFact(object: e.display, family: family, gets: [], puts: e.puts, byCallee: e.byCallee,
                                                lifetime: e.lifetime))
            } else if e.gets.isEmpty, e.puts.count == 1, params.contains(p), source.startVisible, !s.gapSeen,
                      !Self.isPutWrapper(source, parameter: p, tables: tables) {
                let f = PutFact(object: p, family: family, gets: [], puts: e.puts, byCallee: e.byCallee,
                                lifetime: api.lifetime, parameter: source.parameters.firstIndex(of: p))
                if api.lifetime { facts.borrowedPuts.insert(f) } else { e.borrowedCountPut = f }
            }
        }
        // A reference taken on a pointer the function had and handed to a callee that drops it
        // (`of_node_get(np)` before `of_find_matching_node(np, …)`) leaves the giver's; its own put
        // of such a temporary reference does not (it was taken because the object might go).
        if e.count <= (e.heldBefore && byCallee != nil ? -1 : 0), e.lifetime { e.putLine = line; e.useReported = false }
        track(e, at: key, in: &s.refs, "references")
    }

    mutating func checkUse(_ p: String, line: Int, _ s: inout PathState) {
        guard !s.refs.isEmpty else { return }
        work += s.refs.count
        let r = canon(p, s)
        // The cheap tests first: most entries are still held (no put yet).
        for (k, e) in s.refs where e.putLine != nil && !e.useReported && e.count <= 0
            && (e.rep == r || (e.embedded && e.gets.isEmpty && ownerOf(e.rep) == r)) && !Self.isDetached(e.rep) {
            guard let put = e.putLine, put != line else { continue }
            facts.usesAfterPut.insert(UseAfterPutFact(object: e.display, put: put, use: line, expression: p))
            s.refs[k]?.useReported = true
        }
    }

    // MARK: branches

    /// Whether a branch is feasible; resolves conditional acquisitions the condition tests.
    mutating func takeBranch(_ info: CondInfo, value: Bool, _ s: inout PathState) -> Bool {
        work += s.refs.count + s.locks.count
        let pure = !info.key.utf8.contains(UInt8(ascii: "(")) && !info.key.isEmpty
        if pure, let k = s.known[info.key] {
            if (k != info.negated) != value { return false }
        }
        // An object we hold a reference on is not NULL: a branch that needs it NULL is infeasible.
        let snapshot = s
        let me = self
        var nullOnEntry: [String] = []
        for (k, e) in s.refs where e.pendingOn == nil && e.count > 0 && !Self.isDetached(e.rep) {
            // A device held from before the hunk through its container (`put_device(&pdev->dev)`)
            // is tested through the container (`if (!pdev)`).
            var tested = e.rep
            if !info.reads.contains(where: { canon($0, s) == e.rep }) {
                let owner = ownerOf(e.rep)
                guard e.atEntry != nil, e.embedded, owner != e.rep,
                      info.reads.contains(where: { canon($0, s) == owner }) else { continue }
                tested = owner
            }
            var ev = CondEvaluator(toks: source.tokens, pending: tested, lookup: { me.canon($0, snapshot) })
            ev.bound = .ptrOK
            if let v = ev.evaluate(info.range), v != value {
                // A reference assumed held on entry may be NULL or an error pointer: this branch
                // is where it is not held.
                if e.atEntry != nil, e.puts.isEmpty { nullOnEntry.append(k); continue }
                return false
            }
        }
        for k in nullOnEntry { s.refs[k] = nil }
        // Conditional acquisitions tested here.
        for (k, e) in s.refs {
            guard let pend = e.pendingOn, let sem = tables.refs[e.api]?.success else { continue }
            switch resolve(info, pending: pend, success: sem, value: value, s) {
            case .some(true): s.refs[k]?.pendingOn = nil
            case .some(false):
                var e2 = e
                e2.gets.removeLast()
                e2.pendingOn = nil
                if e2.gets.isEmpty && e2.puts.isEmpty { s.refs[k] = nil } else { s.refs[k] = e2 }
                // What a return of it hands out: nothing (`ReferenceSummaries.swift`).
                if sem == .nonnull { track(true, at: Self.failedMark + pend, in: &s.known, limit: Self.maxKnownConditions, "known conditions") }
            case .none:
                // Undecided by a condition that joins a test of the object with a test of something
                // else (`!np || !pctlnp`): the other part may be what made it true. One that reads
                // only the object (`!np || !of_device_is_available(np)`) is true with the object held
                // as well, and so is a comparison with another pointer (`tr_np != trip->priv`):
                // neither edge says the finder failed.
                // An output argument's call result compared with an error code (`ret == -ENOENT`)
                // is tested too: that edge may be its failure.
                let reads = info.reads.map { canon($0, s) }
                if !e.testedUndecided, reads.contains(pend),
                   tables.refs[e.api]?.member != nil
                    || reads.contains(where: { $0 != pend && !Self.isMember($0, of: Array(pend.utf8)) })
                    && source.tokens[info.range].contains(where: { $0.isPunct("||") || $0.isPunct("&&") }) {
                    s.refs[k]?.testedUndecided = true
                }
            }
        }
        for (k, h) in s.locks {
            guard let pend = h.pendingOn else { continue }
            let sem = lockSuccess(pending: pend, s) ?? .nonzero
            switch resolve(info, pending: pend, success: sem, value: value, s) {
            case .some(true): s.locks[k]?.pendingOn = nil
            case .some(false):
                s.locks[k] = nil
                if s.everLocked[k] == h.line { s.everLocked[k] = nil }
            case .none: break
            }
        }
        if pure { track(value != info.negated, at: info.key, in: &s.known, limit: Self.maxKnownConditions, "known conditions") }
        // A guard passed: the rest of the enclosing block relies on its outcome.
        if let goesOn = info.continuesOn, goesOn == value, info.blockEnd > info.spanEnd {
            var i = s.hist.count - 1
            var scanned = 0
            while i >= 0, scanned < 32 {
                if s.hist[i].k == .condRead, s.hist[i].line == info.line, s.hist[i].spanEnd == info.spanEnd {
                    s.hist[i].spanEnd = info.blockEnd
                } else if s.hist[i].line != info.line { break }
                i -= 1; scanned += 1
            }
        }
        return true
    }

    func lockSuccess(pending: String, _ s: PathState) -> SuccessWhen? { pendingSemantics[pending] }

    /// Success semantics of pending lock acquisitions, by pending key.
    var pendingSemantics: [String: SuccessWhen] = [:]

    /// nil: the condition does not decide; true: the acquisition succeeded on this edge.
    func resolve(_ info: CondInfo, pending: String, success: SuccessWhen, value: Bool, _ s: PathState) -> Bool? {
        let mentions: Bool
        if pending.hasPrefix("$"), let tok = Int(pending.dropFirst()) {
            mentions = info.range.contains(tok)
        } else {
            mentions = info.reads.contains { canon($0, s) == pending || canon($0, s).hasPrefix(pending + ".") }
        }
        guard mentions else { return nil }
        let ok: AbsValue, fail: AbsValue
        switch success {
        case .always: return nil
        case .zero: ok = .int(0); fail = .int(-1)
        case .nonzero: ok = .int(1); fail = .int(0)
        case .nonnull: ok = .ptrOK; fail = .ptrFail
        }
        var ev = CondEvaluator(toks: source.tokens, pending: pending, lookup: { canon($0, s) })
        ev.bound = ok
        let vs = ev.evaluate(info.range)
        ev.bound = fail
        let vf = ev.evaluate(info.range)
        // On this edge success is possible unless the condition is known to be the other way when the
        // call succeeded, and the same for failure: `if (!np || !avail(np))` is certainly true when
        // the finder failed, so its false edge means it succeeded.
        let successPossible = vs == nil || vs == value
        let failurePossible = vf == nil || vf == value
        if successPossible == failurePossible { return nil }
        return successPossible
    }

    // MARK: exits

    mutating func exit(line: Int, returned: [ReturnedValue], error staticError: Bool, reads returnReads: [String] = [],
                       _ s: inout PathState) {
        // `return ret;` is an error return when this path knows `ret` holds an error code.
        var error = staticError
        // (A pointer tested non-NULL is not an error code: `if (!f) …; return f;`.)
        if !error, returned.count == 1, case .path(let v) = returned[0], !cfg.pointers.contains(v) {
            error = ErrorPaths.holdsError(v, known: s.known)
        }
        // A void function fails by reporting an error and returning.
        if !error, returned.isEmpty, s.failing { error = true }
        closeWindows(&s)
        for (k, r) in s.released where r.notTaken { facts.releasedAtExit.insert(k) }
        for (k, h) in s.locks where h.restoresCaller { facts.retakenAtReturn.insert(k) }
        // What the return hands out: a path, or the result of a call that returns its argument
        // (a get API, or a function of this file whose summary says so). Any other call's result
        // (`dev_err_probe(dev, …, np)`, `platform_get_drvdata(pdev)`) carries no reference.
        var handed: [String] = []
        for v in returned {
            switch v {
            case .path(let p):
                handed.append(p)
                for d in s.derived[p] ?? [] { handed.append(d) }
                let r = canon(p, s)
                if let i = source.parameters.firstIndex(where: { canon($0, s) == r }) { facts.returnsParameters.insert(i) }
            case .call(let name, let args):
                var idx: [Int] = []
                if let api = tables.refs[name], api.action == .get, api.returnsObject, let a = api.argument { idx = [a] }
                else if tables.refs[name] == nil, tables.locks[name] == nil { idx = returnedArguments(name, count: args.count) }
                for i in idx where i < args.count { if let p = args[i] { handed.append(p) } }
            }
        }
        if facts.returns.count < 64 { facts.returns.insert(returnFact(line: line, returned: returned, error: error, s)) }
        // (`return &pdev->dev;` hands on the reference on `pdev`: a member of the object is returned.)
        for p in handed {
            let r = canon(p, s)
            let owner = ownerOf(r)
            for (k, e) in s.refs where e.rep == r || ownerOf(e.rep) == r || owner == e.rep { s.refs[k]?.escaped = true }
        }
        var returnsPointer = false
        if returned.count == 1, case .path(let v) = returned[0] { returnsPointer = cfg.pointers.contains(v) }
        if facts.exitHolds.count < 64 {
            // A `guard()`/`scoped_guard()` hold ends with its scope, which the return leaves: the
            // caller never holds it.
            let held = s.locks.filter {
                $0.value.pendingOn == nil && !$0.value.uncertain && !$0.value.mayBeReleased && !$0.value.atEntry
                    && $0.value.scope == nil && s.everLocked[$0.key] != nil
            }
            let released = s.released.filter { $0.value.notTaken }.map(\.key).sorted()
            facts.exitHolds.insert(ExitHolds(exit: line, error: error, returnsPointer: returnsPointer,
                                             returnsNull: returned == [.path("NULL")], held: held.map(\.key).sorted(),
                                             released: released))
        }
        for (key, first) in s.everLocked {
            if let h = s.locks[key] {
                if h.uncertain || h.mayBeReleased || h.pendingOn != nil || h.scope != nil { continue }
                facts.lockExits.insert(LockExitFact(lock: key, acquired: h.line, exit: line, held: true, error: error))
            } else {
                facts.lockExits.insert(LockExitFact(lock: key, acquired: first, exit: line, held: false, error: error))
            }
        }
        // A lock held when the shown code starts (a fragment releases it before taking it): an exit
        // reached from the fragment's first line through shown lines only holds it unless this path
        // released it. Paths that crossed hidden lines prove nothing.
        if !s.crossedGap {
            for key in facts.heldOnEntry where s.everLocked[key] == nil && entryEvidenceHolds(entryScopes.lockScopes[key], s) {
                if let h = s.locks[key], h.atEntry {
                    if h.pendingOn != nil || h.scope != nil || h.mayBeReleased { continue }
                    facts.lockExits.insert(LockExitFact(lock: key, acquired: h.line, exit: line, held: true, error: error,
                                                        atEntry: true))
                } else if s.locks[key] == nil, s.released[key] != nil {
                    facts.lockExits.insert(LockExitFact(lock: key, acquired: source.tokens.first?.line ?? source.startLine,
                                                        exit: line, held: false, error: error, atEntry: true))
                }
            }
        }
        for e in s.refs.values.sorted(by: { $0.rep < $1.rep }) {
            if e.ownCount <= 0, !e.puts.isEmpty {
                for g in e.gets {
                    facts.balancedGets.insert("\(e.display)|\(g)")
                    if !error { facts.balancedOnSuccess.insert("\(e.display)|\(g)") }
                }
            }
            if let f = e.borrowedCountPut, error { facts.borrowedPuts.insert(f) }
            // A finder's result the path never tested for NULL holds a reference whenever it found
            // something (a put of NULL is a no-op, so code that skips the test is common): held.
            // So does an output argument's member (`args.np` of `of_parse_phandle_with_args(…,
            // &args)`) whose call's result no branch of the path tested: when the call succeeded,
            // the member holds a reference (`*npins = ret == 0 ? args.args[2] : MAX;` and return).
            let getAPI = tables.refs[e.api]
            let untestedFinder = e.pendingOn != nil && !e.testedUndecided
                && (getAPI?.success == .nonnull || getAPI?.success == .zero && getAPI?.member != nil)
            guard e.ownCount > 0, !e.escaped, e.pendingOn == nil || untestedFinder, !e.uncertain, e.scope == nil else { continue }
            if groupHasShared(e.rep, s) { continue }
            if e.atEntry != nil, !error || !entryEvidenceHolds(entryScopes.refScopes[e.rep + "|" + e.family], s) { continue }
            // An object's first reference lives on when the function succeeds.
            if !error, tables.refs[e.api]?.initializes == true { continue }
            // A runtime-PM usage count on a device the function was handed (a parameter, a field),
            // which no path of the function puts, is often the caller's to drop: callbacks come in
            // pairs (`prepare`/`unprepare`, `irq_bus_lock`/`irq_bus_sync_unlock`) and a caller's
            // `goto err` puts it when this returns an error. Only the get's own failure
            // (`ret = pm_runtime_get_sync(dev); if (ret < 0) return ret;`) leaves the caller nothing
            // to put. (Object references and module references are not handed around this way.)
            let root = Self.root(e.rep)
            let handed = e.family == "pm_runtime" && (params.contains(root) || Self.containsBytes(e.rep, Array("->".utf8)))
            var ownFailure = false
            if let v = e.resultVar, returned.count == 1, lastAssignment(of: v, s) == e.gets.last {
                switch returned[0] {
                case .path(let r): ownFailure = r == v
                // `return dev_err_probe(dev, ret, "…")` hands the get's own failure on.
                case .call(let name, let args): ownFailure = tables.call(name, is: .errorCode) && args.contains(v)
                }
            }
            let api = tables.refs[e.api]
            // …or an output argument's member in a local structure (`args.np` of `struct
            // of_phandle_args args;`) that the return does not read.
            let base = Self.root(e.rep)
            let named = api?.argument == nil
                ? ErrorPaths.isPlainName(e.rep) && cfg.pointers.contains(e.rep) && !params.contains(e.rep)
                : api?.member != nil && cfg.structLocals.contains(base) && e.rep == base + "." + (api?.member ?? "")
                    && !returnReads.contains(base)
            let unnamed = e.atEntry == nil && e.iterator == nil && e.lifetime && !e.embedded && named
                && source.startVisible && !s.gapSeen && !returnReads.contains(e.rep)
            facts.leaks.insert(LeakFact(object: e.display, family: e.family, api: e.api, getLine: e.gets.last ?? line,
                                        exit: line, iterator: e.iterator, errorReturn: error, entryPut: e.atEntry,
                                        entryPutOtherVersion: e.atEntryOtherVersion,
                                        unnamedAfterReturn: unnamed,
                                        localObject: named && e.lifetime,
                                        callerMayPut: handed && !ownFailure && e.iterator == nil && e.atEntry == nil))
        }
    }
}

/// Evaluates a branch condition with one tracked value bound, three-valued (nil = unknown).
struct CondEvaluator {
    let toks: [CToken]
    let pending: String
    let lookup: (String) -> String
    var bound: AbsValue = .unknown
    var pos = 0
    var limit = 0
    var depth = 0

    init(toks: [CToken], pending: String, lookup: @escaping (String) -> String) {
        self.toks = toks; self.pending = pending; self.lookup = lookup
    }

    mutating func evaluate(_ r: Range<Int>) -> Bool? {
        pos = r.lowerBound; limit = r.upperBound; depth = 0
        return truth(orExpr())
    }

    func truth(_ v: AbsValue) -> Bool? {
        switch v {
        case .unknown: return nil
        case .int(let i): return i != 0
        case .ptrOK: return true
        case .ptrFail: return false
        case .address, .errno: return true
        }
    }

    func fromBool(_ b: Bool?) -> AbsValue { b.map { .int($0 ? 1 : 0) } ?? .unknown }

    func at(_ s: String) -> Bool { pos < limit && toks[pos].isPunct(s) }

    mutating func orExpr() -> AbsValue {
        var v = andExpr()
        while at("||") {
            pos += 1
            let r = andExpr()
            let a = truth(v), b = truth(r)
            if a == true || b == true { v = .int(1) } else if a == false && b == false { v = .int(0) } else { v = .unknown }
        }
        return v
    }

    mutating func andExpr() -> AbsValue {
        var v = cmpExpr()
        while at("&&") {
            pos += 1
            let r = cmpExpr()
            let a = truth(v), b = truth(r)
            if a == false || b == false { v = .int(0) } else if a == true && b == true { v = .int(1) } else { v = .unknown }
        }
        return v
    }

    mutating func cmpExpr() -> AbsValue {
        let l = unary()
        guard pos < limit, toks[pos].kind == .punctuator else { return l }
        let op = toks[pos].text
        guard ["==", "!=", "<", ">", "<=", ">=", "&", "|", "+", "-", "*", "/"].contains(op) else { return l }
        pos += 1
        let r = unary()
        switch (l, r) {
        case (.int(let a), .int(let b)):
            switch op {
            case "==": return fromBool(a == b)
            case "!=": return fromBool(a != b)
            case "<": return fromBool(a < b)
            case ">": return fromBool(a > b)
            case "<=": return fromBool(a <= b)
            case ">=": return fromBool(a >= b)
            default: return .unknown
            }
        case (.ptrFail, .int(0)), (.int(0), .ptrFail):
            return equality(op, true)
        case (.errno(let a, let na), .errno(let b, let nb)) where a == b:
            return equality(op, na == nb)
        default:
            // A valid pointer is not NULL, nor `ERR_PTR(-ERANGE)`; `PTR_ERR()` of one is no error
            // constant and not 0.
            return Self.neverEqual(l, r) || Self.neverEqual(r, l) ? equality(op, false) : .unknown
        }
    }

    /// `==`/`!=` of two values known equal or not; other operators unknown.
    func equality(_ op: String, _ equal: Bool) -> AbsValue {
        op == "==" ? fromBool(equal) : op == "!=" ? fromBool(!equal) : .unknown
    }

    static func neverEqual(_ a: AbsValue, _ b: AbsValue) -> Bool {
        switch (a, b) {
        case (.ptrOK, .int(0)), (.ptrOK, .ptrFail), (.address, .errno): return true
        case (.address, .int(let n)): return n == 0 || (-4095 ... -1).contains(n)
        default: return false
        }
    }

    mutating func unary() -> AbsValue {
        guard pos < limit else { return .unknown }
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { pos = limit; return .unknown }
        let t = toks[pos]
        if t.isPunct("!") {
            pos += 1
            return fromBool(truth(unary()).map { !$0 })
        }
        if t.isPunct("-") {
            pos += 1
            switch unary() {
            case .int(let i): return .int(-i)
            case .errno(let e, let negative): return .errno(e, negative: !negative)
            default: return .unknown
            }
        }
        if t.isPunct("(") {
            pos += 1
            // Cast: `(int)x` – skip type tokens.
            if pos < limit, toks[pos].kind == .identifier, ActionExtractor.typeStarts.contains(toks[pos].text) {
                while pos < limit, !toks[pos].isPunct(")") { pos += 1 }
                pos += 1
                return unary()
            }
            let v = orExpr()
            if at(")") { pos += 1 }
            return v
        }
        if t.kind == .number {
            pos += 1
            let digits = t.text.prefix { $0.isNumber }
            return Int(digits).map { .int($0) } ?? .unknown
        }
        if t.isIdent("NULL") || t.isIdent("false") { pos += 1; return .int(0) }
        if t.isIdent("true") { pos += 1; return .int(1) }
        if t.kind == .identifier {
            let nameIdx = pos
            if pos + 1 < limit, toks[pos + 1].isPunct("(") {
                let name = t.text
                pos += 2
                let argStart = pos
                var d = 1
                while pos < limit, d > 0 {
                    if toks[pos].isPunct("(") { d += 1 } else if toks[pos].isPunct(")") { d -= 1 }
                    pos += 1
                }
                let argEnd = pos - 1
                if pending == "$\(nameIdx)" { return bound }
                switch name {
                case "IS_ERR", "IS_ERR_OR_NULL", "likely", "unlikely", "WARN_ON", "WARN_ON_ONCE", "PTR_ERR_OR_ZERO",
                     "WARN", "WARN_ONCE", "PTR_ERR", "ERR_PTR":
                    var sub = CondEvaluator(toks: toks, pending: pending, lookup: lookup)
                    sub.bound = bound
                    // `WARN(cond, fmt, …)` is its first argument's value.
                    let end = name == "WARN" || name == "WARN_ONCE"
                        ? CFGBuilder.splitArgs(toks, argStart..<argEnd)[0].upperBound : argEnd
                    sub.pos = argStart; sub.limit = end; sub.depth = depth
                    let v = sub.orExpr()
                    if name == "IS_ERR" || name == "IS_ERR_OR_NULL" {
                        switch v {
                        case .ptrOK: return .int(0)
                        case .ptrFail: return .int(1)
                        case .int(0): return name == "IS_ERR_OR_NULL" ? .int(1) : .int(0)
                        default: return .unknown
                        }
                    }
                    if name == "PTR_ERR" { return v == .ptrOK ? .address : .unknown }
                    if name == "ERR_PTR" {
                        if case .int(let n) = v, n != 0 { return .ptrFail }
                        if case .errno = v { return .ptrFail }
                        return .unknown
                    }
                    if name == "PTR_ERR_OR_ZERO" {
                        if v == .ptrOK { return .int(0) }
                        if v == .ptrFail { return .int(-1) }
                        return .unknown
                    }
                    return v
                default:
                    return .unknown
                }
            }
            // An error constant (`ERANGE`, `EPROBE_DEFER`): `E` and upper case, digits or `_`.
            if t.text.utf8.count > 2, t.text.utf8.first == UInt8(ascii: "E"),
               t.text.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }),
               !(pos + 1 < limit && (toks[pos + 1].isPunct("->") || toks[pos + 1].isPunct("."))) {
                pos += 1
                return .errno(t.text, negative: false)
            }
            // An access path.
            var path = t.text
            pos += 1
            while pos + 1 < limit, toks[pos].isPunct("->") || toks[pos].isPunct("."), toks[pos + 1].kind == .identifier {
                path += toks[pos].text + toks[pos + 1].text
                pos += 2
            }
            let c = lookup(path)
            // A struct returned by value tested through a member (`struct fd f …; if (!f.file)`).
            if c == pending || (c.hasPrefix(pending + ".") && !c.dropFirst(pending.count + 1).utf8.contains(UInt8(ascii: "."))) { return bound }
            return .unknown
        }
        pos += 1
        return .unknown
    }
}
