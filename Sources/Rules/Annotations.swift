/// Sparse's lock annotations — the contract a function states on its declaration:
///
/// - `__must_hold(&f->lock)`: the caller holds the lock on entry and still holds it at every return.
///   A release in the body without a re-take before a return breaks it (sparse: "context imbalance");
///   releasing and re-taking it is a window on the caller's lock, like any other.
/// - `__releases(&f->lock)` alone: held on entry, released at every return (`foo_unlock_and_free()`).
/// - `__acquires(&f->lock)` alone: taken for the caller, held at every return; `__cond_acquires(x)`:
///   held when the call returns non-zero (`_atomic_dec_and_lock()`).
/// - `__acquires(x) __releases(x)` together: sparse's way of saying the function takes and releases
///   the lock inside (the context count is unchanged): no contract for the caller.
///
/// The annotations may sit after the parameter list of a definition or of a forward declaration
/// (`static void bar_unlock(struct foo *f) __releases(&f->lock);`) or before the name; a forward
/// declaration's parameter names are mapped to the definition's by position.
///
/// What the engine does with them: the function's own returns are judged against its contract
/// (`LockBalanceRule`: no "relies on its caller" note for a declared lock, a warning for a return that
/// breaks the contract, no "held at return" for a lock it declares it takes), and callers in the
/// same file take the contract as the function's summary where its body gives none
/// (`RuleEngine.summaries`). The mined tables take them the same way (`lockWrappers(source:)`).
/// Annotations rot like comments, so a body's own paths win where they say something.

public struct LockAnnotation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case acquires = "__acquires", releases = "__releases", mustHold = "__must_hold", condAcquires = "__cond_acquires"
    }
    public var kind: Kind
    /// The lock as an access path, `&` and parentheses stripped (`f->lock`).
    public var lock: String
    public var line: Int
    public init(kind: Kind, lock: String, line: Int) { self.kind = kind; self.lock = lock; self.line = line }
}

/// A function's lock contract, from its annotations.
struct LockContract: Hashable, Sendable {
    /// Held on entry and at every return (`__must_hold`).
    var mustHold: Set<String> = []
    /// Held on entry, released at every return (`__releases` without `__acquires` of the same lock).
    var releases: Set<String> = []
    /// Taken for the caller, held at every return (`__acquires` without `__releases`).
    var acquires: Set<String> = []
    /// Held for the caller when the function returns non-zero (`__cond_acquires`).
    var condAcquires: Set<String> = []

    init() {}
    init(_ annotations: [LockAnnotation]) {
        let acq = Set(annotations.filter { $0.kind == .acquires }.map(\.lock))
        let rel = Set(annotations.filter { $0.kind == .releases }.map(\.lock))
        mustHold = Set(annotations.filter { $0.kind == .mustHold }.map(\.lock))
        releases = rel.subtracting(acq)
        acquires = acq.subtracting(rel)
        condAcquires = Set(annotations.filter { $0.kind == .condAcquires }.map(\.lock))
    }
    var isEmpty: Bool { mustHold.isEmpty && releases.isEmpty && acquires.isEmpty && condAcquires.isEmpty }
    /// Locks the caller holds on entry.
    var heldOnEntry: Set<String> { mustHold.union(releases) }
}

extension FunctionFinder {
    static let annotationNames: Set<String> = ["__acquires", "__releases", "__must_hold", "__cond_acquires"]

    /// The lock annotations in a declaration's tokens `range` (its header, up to the body or `;`).
    static func annotations(_ tokens: [CToken], _ range: Range<Int>) -> [LockAnnotation] {
        var out: [LockAnnotation] = []
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            let t = tokens[i]
            guard t.kind == .identifier, annotationNames.contains(t.text), tokens[i + 1].isPunct("("),
                  let kind = LockAnnotation.Kind(rawValue: t.text) else { i += 1; continue }
            // The argument: up to the matching `)`.
            var depth = 0
            var j = i + 1
            while j < range.upperBound {
                if tokens[j].isPunct("(") { depth += 1 } else if tokens[j].isPunct(")") { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            guard j < range.upperBound else { break }
            if let lock = lockPath(tokens[(i + 2)..<j]) { out.append(LockAnnotation(kind: kind, lock: lock, line: t.line)) }
            i = j + 1
        }
        return out
    }

    /// `&f->lock`, `(&f->lock)`, `f->lock`, `lock` → the access path; nil for anything else
    /// (`RCU`, an expression).
    static func lockPath(_ toks: ArraySlice<CToken>) -> String? {
        var lo = toks.startIndex, hi = toks.endIndex
        while lo < hi {
            if toks[lo].isPunct("&") { lo += 1; continue }
            if toks[lo].isPunct("("), toks[hi - 1].isPunct(")") { lo += 1; hi -= 1; continue }
            break
        }
        guard lo < hi, toks[lo].kind == .identifier else { return nil }
        var s = toks[lo].text
        var k = lo + 1
        while k + 1 < hi, toks[k].isPunct("->") || toks[k].isPunct("."), toks[k + 1].kind == .identifier {
            s += toks[k].text + toks[k + 1].text
            k += 2
        }
        guard k == hi else { return nil }
        // An all-capitals word names no lock of the code (`__acquires(RCU)`, `__releases(BH)`).
        if !s.contains("-"), !s.contains("."), s.uppercased() == s { return nil }
        return s
    }

    /// A forward declaration's annotations, with its parameter names mapped to `params` (the
    /// definition's) by position.
    static func mapped(_ annotations: [LockAnnotation], from declared: [String], to params: [String]) -> [LockAnnotation] {
        annotations.map { a in
            var a = a
            let root = PathWalker.root(a.lock)
            if let i = declared.firstIndex(of: root), i < params.count, !params[i].isEmpty {
                a.lock = params[i] + a.lock.dropFirst(root.count)
            }
            return a
        }
    }
}

extension RuleEngine {
    /// What a function's annotations add to the summary its callers use: locks it declares it takes
    /// (when its body gives no acquire of that lock) and locks it declares it releases.
    static func annotatedSummary(_ f: FunctionSource, _ facts: FunctionFacts, bodyAcquires: [AcquireTemplate])
        -> (acquires: [AcquireTemplate], releases: [String]) {
        let c = LockContract(f.annotations)
        guard !c.isEmpty else { return ([], []) }
        let known = Set(bodyAcquires.map(\.lock))
        var acquires: [AcquireTemplate] = []
        for (locks, when) in [(c.acquires, SuccessWhen.always), (c.condAcquires, .nonzero)] {
            for lock in locks.sorted() where shareable(lock) {
                let t = template(lock, over: f.parameters)
                guard !known.contains(t) else { continue }
                acquires.append(AcquireTemplate(lock: t, success: when, family: facts.lockFamilies[lock] ?? ""))
            }
        }
        let releases = c.releases.sorted().filter(shareable).map { template($0, over: f.parameters) }
        return (acquires, releases)
    }

    /// A lock a caller can name: reached from a plain name (a parameter or a global), not through a
    /// call or an index.
    static func shareable(_ lock: String) -> Bool {
        ErrorPaths.isPlainName(PathWalker.root(lock)) && !PathWalker.isDetached(lock) && !lock.contains("[")
    }

    /// Locks released on every path of a whole function and held on none, that the function did not
    /// take (`foo_unlock(f)` ending in `mutex_unlock(&f->lock)`): its callers no longer hold them.
    static func releases(_ f: FunctionSource, _ facts: FunctionFacts) -> [String] {
        guard f.startVisible, f.endVisible, facts.truncated == nil, let first = facts.exitHolds.first,
              facts.exitHolds.count < 64 else { return [] }
        var out: [String] = []
        for lock in first.released.sorted() where shareable(lock)
            && facts.exitHolds.allSatisfy({ $0.released.contains(lock) && !$0.held.contains(lock) }) {
            out.append(template(lock, over: f.parameters))
        }
        return out
    }
}

extension LockBalanceRule {
    /// Returns that break the function's declared `__must_hold` contract, when the whole function is
    /// shown: the lock released on the way to a return and not taken again, where the function does
    /// not follow a contract of its own instead. Releasing it on every error return and holding it on
    /// every success is such a contract (hugetlb's `allocate_file_region_entries()` is declared
    /// `__must_hold` and its caller relies on the failure dropping the lock): reported are a success
    /// return without the lock, and error returns that disagree (one drops the lock, another keeps
    /// it: the caller cannot know which). `__releases` is not judged: a release through a helper of
    /// another file (`task_rq_unlock()`) is invisible here.
    func contractFindings(_ facts: FunctionFacts, _ ctx: RuleContext) -> [Finding] {
        let c = facts.contract
        guard facts.whole, facts.truncated == nil, !c.mustHold.isEmpty, facts.exitHolds.count < 64 else { return [] }
        let id = Self.description.id
        var out: [Finding] = []
        let exits = facts.exitHolds.sorted { ($0.exit, $0.error ? 1 : 0) < ($1.exit, $1.error ? 1 : 0) }
        for lock in c.mustHold.sorted() {
            let dropped = exits.filter { $0.released.contains(lock) }
            let keptOnError = exits.contains { $0.error && !$0.released.contains(lock) }
            let broken = Set(dropped.filter { !$0.error || keptOnError }.map(\.exit)).sorted()
            guard let first = broken.first,
                  let release = facts.releasedNotTaken.filter({ $0.lock == lock }).map(\.line).min() else { continue }
            let text = broken.map(String.init).joined(separator: ", ")
            let why = dropped.contains(where: { !$0.error })
                ? "the caller goes on without the lock it expects to hold"
                : "other error returns keep it held, so the caller cannot tell whether it still holds it"
            out.append(Finding(ruleID: id, severity: .warning, function: ctx.function, file: ctx.file, line: first,
                               lines: [.init(.released, release, lock)] + broken.map { .init(.exit, $0, lock) },
                               subject: lock, kind: "contract-broken",
                               message: "`\(ctx.function)` is declared `__must_hold(\(lock))`, but `\(lock)` released at line \(release) is not taken again before returning at line \(text): \(why)",
                               side: ctx.side))
        }
        return out
    }
}
