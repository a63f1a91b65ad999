/// Functions that take a lock for their caller: `rz_mtu3_lock_if_counter_is_valid()` takes
/// `priv->lock` and returns 0 holding it, or releases it and returns an error; a
/// `find_and_lock_…()` returns the object with its lock held, or NULL without.
///
/// From a function's own exits (`LockExitFact`): a lock it takes and holds at every exit is an
/// unconditional acquire for its callers; a lock it holds at every success exit and has released at
/// every error exit (at least one) is a conditional acquire, successful when the call returns 0 (an
/// `int` function) or a pointer that is not NULL/ERR_PTR (when its success exits return a pointer).
/// Callers of such a function hold the lock after the call the way they would after
/// `mutex_lock_interruptible()` or a trylock: the test of the result decides it.
///
/// Only functions whose whole body is shown give a summary (a fragment's exits are not all seen).
/// The lock is a template over the parameters (`$0->lock`) when its path starts at one; otherwise
/// the path itself (`priv->lock` where `priv = counter_priv(counter)` in both functions: the same
/// name in the caller is taken to be the same object, as for the locks a callee drops).

public struct AcquireTemplate: Sendable, Hashable {
    public var lock: String
    public var success: SuccessWhen
    /// The primitive's family (`mutex`, `spinlock` …), for the mined tables.
    public var family = ""
}

extension RuleEngine {
    /// The locks `f` takes for its caller (see the file's comment).
    static func acquires(_ f: FunctionSource, _ facts: FunctionFacts) -> [AcquireTemplate] {
        guard f.startVisible, f.endVisible, !facts.exitHolds.isEmpty, facts.truncated == nil, facts.exitHolds.count < 64
        else { return [] }
        // Every path's exit counts, also those that never took the lock (`if (need_switch) mutex_lock(…)`
        // holds it on one path only: no summary).
        let exits = facts.exitHolds
        var out: [AcquireTemplate] = []
        // `return NULL;` fails where the other exits return a pointer (`find_and_lock_…()`).
        let pointers = exits.contains(where: \.returnsPointer)
        let failed = { (e: ExitHolds) in e.error || (pointers && e.returnsNull) }
        for lock in Set(exits.flatMap(\.held)).sorted() {
            let success = exits.filter { !failed($0) }
            let failure = exits.filter(failed)
            guard !success.isEmpty, success.allSatisfy({ $0.held.contains(lock) }) else { continue }
            let when: SuccessWhen
            if failure.allSatisfy({ $0.held.contains(lock) }) {
                when = .always
            } else if failure.allSatisfy({ !$0.held.contains(lock) }) {
                when = success.allSatisfy(\.returnsPointer) ? .nonnull : .zero
            } else {
                continue
            }
            let root = PathWalker.root(lock)
            guard ErrorPaths.isPlainName(root), !PathWalker.isDetached(lock) else { continue }
            out.append(AcquireTemplate(lock: template(lock, over: f.parameters), success: when,
                                       family: facts.lockFamilies[lock] ?? ""))
        }
        return out
    }
}

extension PathWalker {
    /// A call of a function that takes locks for its caller: the caller holds them from here, until
    /// the test of the result says the call failed.
    mutating func calleeAcquires(_ templates: [AcquireTemplate], _ c: CallSite, _ s: inout PathState) {
        for t in templates {
            guard let lock = instantiate(t.lock, c) else { continue }
            let key = canon(lock, s)
            var pending: String?
            if t.success != .always {
                let p = c.result.map { canon($0, s) } ?? "$\(c.token)"
                pending = p
                pendingSemantics[p] = t.success
            }
            acquire(key, line: c.line, family: "callee", pending: pending, scope: nil, outer: c.outerToken,
                    outerName: c.outer, &s)
        }
    }
}
