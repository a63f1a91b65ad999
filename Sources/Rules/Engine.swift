import Patch

/// Bounds on the work one function may cost. A hostile input (mail text read as C, a generated
/// function of a hundred thousand lines) hits one of these and gets a note naming it; the other
/// functions are analysed as usual.
public struct RuleLimits: Sendable, Hashable {
    /// Path-walk budget per function, in steps; a step that carries a large state (many tracked
    /// objects, a long history) costs more than one.
    public var maxPathSteps: Int = 60_000
    /// Distinct states kept at one program point; further paths reaching it are not followed.
    public var maxStatesPerPoint: Int = 48
    /// Functions with more tokens than this are not analysed (a note says so).
    public var maxFunctionTokens: Int = 200_000
    public init() {}
}

/// The entry points: whole C files, patches (hunk mode), and a file before/after a patch.
public struct RuleEngine: Sendable {
    public var tables: RuleTables
    public var limits: RuleLimits

    public init(tables: RuleTables = .builtIn, limits: RuleLimits = RuleLimits()) {
        self.tables = tables; self.limits = limits
    }

    /// Every rule's description (id, summary, rationale, examples).
    public static var rules: [RuleDescription] { RuleCatalog.descriptions }

    /// Analyses a whole C file.
    public func analyze(source: String, path: String = "") -> AnalysisResult {
        let tokens = CLexer.tokenize(source)
        let fns = FunctionFinder.functions(in: tokens)
        return analyze(functions: fns, file: path, side: .file)
    }

    /// Analyses the functions of a patch's C files, old and new version, and reports what changes.
    public func analyze(patch: Patch) -> AnalysisResult {
        var result = AnalysisResult()
        for f in patch.files {
            let r = analyze(filePatch: f)
            result.findings += r.findings
            result.notes += r.notes
            result.functions += r.functions
        }
        return result
    }

    /// Hunk mode: rebuilds the old and new version of each function the hunks show and compares
    /// their findings. Lines outside the hunks are unknown.
    public func analyze(filePatch: FilePatch) -> AnalysisResult {
        guard !filePatch.isBinary, HunkFunctions.isC(filePatch.path) else { return AnalysisResult() }
        let oldFns = filePatch.change == .added ? [] : HunkFunctions.functions(of: filePatch, side: .old)
        let newFns = filePatch.change == .deleted ? [] : HunkFunctions.functions(of: filePatch, side: .new)
        let oldPath = filePatch.oldPath ?? filePatch.path
        var old = analyzeVersion(functions: oldFns, file: oldPath, side: .old)
        var new = analyzeVersion(functions: newFns, file: filePatch.path, side: .new)
        // What one version's shown lines prove about the hidden lines above a fragment holds for the
        // other version too (see `HiddenStartEvidence`): each version is walked again knowing the
        // other's, when it has something this one lacks.
        func adds(_ from: [String: HiddenStartEvidence], _ to: [String: HiddenStartEvidence]) -> Bool {
            from.contains { name, e in !e.subtracting(to[name] ?? HiddenStartEvidence()).isEmpty }
        }
        let oldStarts = old.hiddenStarts, newStarts = new.hiddenStarts
        if adds(newStarts, oldStarts) {
            old = analyzeVersion(functions: oldFns, file: oldPath, side: .old, otherVersion: newStarts)
        }
        if adds(oldStarts, newStarts) {
            new = analyzeVersion(functions: newFns, file: filePatch.path, side: .new, otherVersion: oldStarts)
        }
        var out = Self.compare(old: old.result.findings, new: new.result.findings)
        out.notes = old.result.notes + new.result.notes
        out.functions = Array(Set(old.result.functions + new.result.functions)).sorted()
        return out
    }

    /// Tree mode: whole functions of a file before and after a patch. Only functions whose lines the
    /// patch changes are reported (the rest of the file still feeds the callee summaries). Findings
    /// use the patch's line numbers, also when its hunks applied to `original` at offsets (`knownOffsets`,
    /// one per hunk, when the caller already applied it; else the patch is applied here to find them).
    public func analyze(original: String, patched: String, filePatch: FilePatch,
                        offsets knownOffsets: [Int]? = nil) -> AnalysisResult {
        var oldChanged: [ClosedRange<Int>] = []
        var newChanged: [ClosedRange<Int>] = []
        for h in filePatch.hunks {
            oldChanged.append(h.oldStart...max(h.oldStart, h.oldStart + h.oldCount - 1))
            newChanged.append(h.newStart...max(h.newStart, h.newStart + h.newCount - 1))
        }
        let path = filePatch.path
        // The tree's file may have the patched code elsewhere than the patch says (the tree is newer
        // or older): token lines are renumbered into the patch's numbering, so that the changed
        // functions are found and findings name the lines the patch and its remarks use.
        let offsets = knownOffsets ?? (try? filePatch.applying(to: original).offsets) ?? []
        let oldTokens = Self.renumber(CLexer.tokenize(original), starts: filePatch.hunks.map(\.oldStart), offsets: offsets)
        let newTokens = Self.renumber(CLexer.tokenize(patched), starts: filePatch.hunks.map(\.newStart), offsets: offsets)
        let oldFns = FunctionFinder.functions(in: oldTokens)
        let newFns = FunctionFinder.functions(in: newTokens)
        func touched(_ fns: [FunctionSource], _ ranges: [ClosedRange<Int>]) -> Set<String> {
            Set(fns.filter { f in ranges.contains { $0.overlaps(f.startLine...max(f.startLine, f.endLine)) } }.map(\.name))
        }
        let names = touched(oldFns, oldChanged).union(touched(newFns, newChanged))
        let old = analyze(functions: oldFns, file: path, side: .old, report: names)
        let new = analyze(functions: newFns, file: path, side: .new, report: names)
        var out = Self.compare(old: old.findings, new: new.findings)
        out.notes = old.notes + new.notes
        out.functions = names.sorted()
        return out
    }

    /// Token lines of a file in which hunk `k` (stated at `starts[k]`) applied `offsets[k]` lines away,
    /// moved back by that offset: lines from one hunk's place to the next take that hunk's offset,
    /// lines before the first hunk the first one's.
    static func renumber(_ tokens: [CToken], starts: [Int], offsets: [Int]) -> [CToken] {
        guard offsets.contains(where: { $0 != 0 }), offsets.count == starts.count else { return tokens }
        let placed = zip(starts, offsets).map { ($0 + $1, $1) }
        var out = tokens
        var k = 0
        for i in out.indices {
            let line = out[i].line
            while k + 1 < placed.count, placed[k + 1].0 <= line { k += 1 }
            out[i].line = max(1, line - placed[k].1)
        }
        return out
    }

    /// Findings only in `new` are introduced, only in `old` fixed, in both present.
    static func compare(old: [Finding], new: [Finding]) -> AnalysisResult {
        var oldByKey: [String: [Int]] = [:]
        for (i, f) in old.enumerated() { oldByKey[key(f), default: []].append(i) }
        var matchedOld: Set<Int> = []
        var out: [Finding] = []
        for var f in new {
            if var list = oldByKey[key(f)], !list.isEmpty {
                let oi = list.removeFirst()
                let o = old[oi]
                matchedOld.insert(oi)
                oldByKey[key(f)] = list
                f.status = .present
                // A fix that covers some of the exits the old version leaks or holds the lock on:
                // say so, the remaining ones are this finding.
                let before = o.lines.filter { $0.role == .exit }.count
                let after = f.lines.filter { $0.role == .exit }.count
                if after > 0, after < before {
                    let word = f.ruleID == "lock-balance" ? "returns holding it" : "leaking returns"
                    f.message += " (the patch fixes \(before - after) of the \(before) \(word) of the old version; \(after) \(after == 1 ? "remains" : "remain"))"
                }
            } else {
                f.status = .introduced
            }
            out.append(f)
        }
        for (i, var f) in old.enumerated() where !matchedOld.contains(i) {
            f.status = .fixed
            out.append(f)
        }
        return AnalysisResult(findings: out)
    }

    static func key(_ f: Finding) -> String {
        let callee = f.lines.first { $0.role == .call }?.expression ?? ""
        return "\(f.ruleID)|\(f.kind)|\(f.function)|\(f.subject)|\(callee)"
    }

    /// Analyses functions of one file version: callee summaries first, then every rule.
    func analyze(functions all: [FunctionSource], file: String, side: Finding.Side,
                 report: Set<String>? = nil) -> AnalysisResult {
        analyzeVersion(functions: all, file: file, side: side, report: report).result
    }

    /// One file version's analysis, with what each fragment's shown lines prove about its hidden
    /// start (by function name), and taking `otherVersion`'s into account.
    func analyzeVersion(functions all: [FunctionSource], file: String, side: Finding.Side,
                        report: Set<String>? = nil, otherVersion: [String: HiddenStartEvidence] = [:])
        -> (result: AnalysisResult, hiddenStarts: [String: HiddenStartEvidence]) {
        let w = walk(functions: all, file: file, report: report, otherVersion: otherVersion)
        let fns = w.functions, facts = w.facts
        var notes = w.notes
        var findings: [Finding] = []
        for (i, f) in fns.enumerated() {
            if let report, !report.contains(f.name) { continue }
            if let t = facts[i].truncated { notes.append(AnalysisNote(function: f.name, file: file, message: t)) }
            let ctx = RuleContext(function: f.name, file: file, side: side)
            for rule in RuleCatalog.rules { findings += rule.findings(facts[i], ctx) }
        }
        var starts: [String: HiddenStartEvidence] = [:]
        let fragments = Dictionary(fns.map { ($0.name, 1) }, uniquingKeysWith: +)
        for (i, f) in fns.enumerated() where !facts[i].hiddenStart.isEmpty {
            if starts[f.name] == nil { starts[f.name] = facts[i].hiddenStart } else { starts[f.name]?.merge(facts[i].hiddenStart) }
            // Hidden blocks are numbered per fragment: with two fragments of one function, the other
            // version cannot tell whose block 0 a scope names.
            if fragments[f.name, default: 0] > 1 { starts[f.name]?.blocks = -1 }
        }
        return (AnalysisResult(findings: findings, notes: notes, functions: all.map(\.name)), starts)
    }

    /// One file version's functions walked: CFGs built, callee summaries iterated to a fixed point.
    struct WalkedVersion {
        var functions: [FunctionSource]
        var cfgs: [CFG]
        var facts: [FunctionFacts]
        var notes: [AnalysisNote]
    }

    func walk(functions all: [FunctionSource], file: String, report: Set<String>?,
              otherVersion: [String: HiddenStartEvidence] = [:]) -> WalkedVersion {
        var cfgs: [CFG] = []
        var notes: [AnalysisNote] = []
        var fns: [FunctionSource] = []
        fns.reserveCapacity(all.count)
        for f in all {
            if f.tokens.count > limits.maxFunctionTokens {
                if report?.contains(f.name) ?? true {
                    notes.append(AnalysisNote(function: f.name, file: file, message: "\(f.tokens.count) tokens, more than the limit of \(limits.maxFunctionTokens) per function: not analysed"))
                }
                continue
            }
            fns.append(f)
        }
        let defined = Set(fns.map(\.name))
        // Reporting only some functions (tree mode: those the patch touches), only they and the
        // functions they call, directly or not, need walking: a function's facts depend on the
        // summaries of its callees alone. The rest of a large file is skipped.
        if let report { fns = Self.closure(of: report, in: fns) }
        cfgs.reserveCapacity(fns.count)
        for f in fns {
            var b = CFGBuilder(source: f, tables: tables)
            let (cfg, depthHit) = b.build()
            if depthHit, report?.contains(f.name) ?? true {
                notes.append(AnalysisNote(function: f.name, file: file, message: "nesting deeper than \(StatementParser.maxDepth): inner statements read flat"))
            }
            cfgs.append(cfg)
        }
        var owners: [String: FieldStoreFact] = [:]
        // The tables, with the file's own finders once their summaries say so.
        var fileTables = tables
        func walk(_ i: Int, _ summaries: [String: FunctionSummary]) -> FunctionFacts {
            var w = PathWalker(cfg: cfgs[i], source: fns[i], tables: fileTables, summaries: summaries, defined: defined,
                               limits: limits, fieldOwners: owners,
                               otherVersion: otherVersion[fns[i].name] ?? HiddenStartEvidence())
            return w.run()
        }
        var summaries: [String: FunctionSummary] = [:]
        var facts = fns.indices.map { walk($0, summaries) }
        // Fields some function stores a counted reference into: a put of a value loaded from such a
        // field in another function releases the field's reference (see `FieldPutFact`). Functions
        // with too many puts or a use after put are walked again knowing them.
        for f in facts.flatMap(\.fieldStores).sorted() where owners[f.field + "|" + f.family] == nil {
            owners[f.field + "|" + f.family] = f
        }
        if !owners.isEmpty {
            for i in fns.indices where !facts[i].overPuts.isEmpty || !facts[i].usesAfterPut.isEmpty {
                facts[i] = walk(i, summaries)
            }
        }
        for _ in 0..<4 {
            let next = Self.summaries(fns, facts)
            if next == summaries { break }
            // Only callers of a function whose summary changed see anything new (a recursive
            // call does not use the function's own summary).
            let changed = Set(Set(next.keys).union(summaries.keys).filter { next[$0] != summaries[$0] })
            summaries = next
            fileTables = tables.adding(finders: next.compactMapValues(\.returnsReference))
            for i in fns.indices where !facts[i].callees.subtracting([fns[i].name]).isDisjoint(with: changed) {
                facts[i] = walk(i, summaries)
            }
        }
        return WalkedVersion(functions: fns, cfgs: cfgs, facts: facts, notes: notes)
    }

    /// The functions named in `names` and every function of `fns` they call, directly or through
    /// others, in their order in `fns`. A call is a name followed by `(`: this over-approximates
    /// (a macro argument that looks like a call counts too), which only walks a function more.
    static func closure(of names: Set<String>, in fns: [FunctionSource]) -> [FunctionSource] {
        var byName: [String: [Int]] = [:]
        for (i, f) in fns.enumerated() { byName[f.name, default: []].append(i) }
        var needed: Set<String> = []
        var queue = names.filter { byName[$0] != nil }.sorted()
        while let name = queue.popLast() {
            guard needed.insert(name).inserted else { continue }
            for i in byName[name] ?? [] {
                let toks = fns[i].tokens
                for k in toks.indices.dropLast() where toks[k].kind == .identifier && toks[k + 1].isPunct("(") {
                    let callee = toks[k].text
                    if byName[callee] != nil, !needed.contains(callee) { queue.append(callee) }
                }
            }
        }
        return fns.filter { needed.contains($0.name) }
    }

    /// A lock path as its callers see it: `$0->lock` when it starts at parameter 0, else the path itself
    /// (a global, or a local of the same name in the caller, see `LockWrappers.swift`).
    static func template(_ lock: String, over parameters: [String]) -> String {
        let root = PathWalker.root(lock)
        guard let p = parameters.firstIndex(of: root) else { return lock }
        return "$\(p)" + lock.dropFirst(root.count)
    }

    /// Locks each function drops or takes for its caller, as templates over its parameters.
    static func summaries(_ fns: [FunctionSource], _ facts: [FunctionFacts]) -> [String: FunctionSummary] {
        var out: [String: FunctionSummary] = [:]
        for (i, f) in fns.enumerated() {
            var acquires = Self.acquires(f, facts[i])
            var releases = Self.releases(f, facts[i])
            let declared = Self.annotatedSummary(f, facts[i], bodyAcquires: acquires)
            acquires += declared.acquires
            releases += declared.releases.filter { !releases.contains($0) }
            let reference = Self.returnedReference(f, facts[i])
            let dropped = Set(facts[i].drops.map { Self.template($0.lock, over: f.parameters) })
            let mayRelease = facts[i].heldOnEntry.subtracting(facts[i].heldOnEntryOtherVersion.keys)
                .union(facts[i].releasedNotTaken.map(\.lock)).sorted()
                .map { Self.template($0, over: f.parameters) }
                .filter { !releases.contains($0) && !dropped.contains($0) }
            guard !facts[i].drops.isEmpty || !facts[i].returnsParameters.isEmpty || !acquires.isEmpty || !releases.isEmpty
                    || reference != nil || !mayRelease.isEmpty
            else { continue }
            var drops: [DropTemplate] = []
            var seen: Set<String> = []
            for d in facts[i].drops.sorted(by: { ($0.release, $0.lock, $0.reacquire) < ($1.release, $1.lock, $1.reacquire) }) {
                let template = Self.template(d.lock, over: f.parameters)
                if seen.insert(template).inserted {
                    drops.append(DropTemplate(lock: template, release: d.release, reacquire: d.reacquire))
                }
            }
            out[f.name] = FunctionSummary(drops: drops, returnsParameters: facts[i].returnsParameters.sorted(),
                                          acquires: acquires, releases: releases)
            out[f.name]?.returnsReference = reference
            out[f.name]?.mayRelease = mayRelease
        }
        return out
    }
}
