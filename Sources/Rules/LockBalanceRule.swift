/// `lock-balance`: locks still held on some return paths, released twice, taken twice, or released
/// without being taken (relying on the caller).
struct LockBalanceRule: Rule {
    static let description = RuleDescription(
        id: "lock-balance",
        name: "Unbalanced locking",
        summary: "A path returns with a lock it took still held, releases a lock not held, or takes one twice.",
        rationale: """
            A lock left held on an error path deadlocks the next taker; a double release corrupts the \
            lock; a double acquire self-deadlocks. A function that releases a lock it never took relies \
            on its caller holding it (sparse's `__must_hold`): reported as a note so reviewers can check \
            every caller.
            """,
        triggering: [
            RuleExample("""
                static int set(struct foo *f, int v)
                {
                \tmutex_lock(&f->lock);
                \tif (v < 0)
                ↓\t\treturn -EINVAL;
                \tf->v = v;
                \tmutex_unlock(&f->lock);
                \treturn 0;
                }
                """),
            RuleExample("""
                static void twice(struct foo *f)
                {
                \tspin_lock(&f->lock);
                \tf->v = 1;
                \tspin_unlock(&f->lock);
                ↓\tspin_unlock(&f->lock);
                }
                """),
            RuleExample("""
                static void callers_lock(struct foo *f)
                {
                ↓\tmutex_unlock(&f->lock);
                \tslow(f);
                }
                """),
            // Declared `__must_hold`, but one return leaves the caller's lock released (the shape
            // of a sparse "context imbalance" in an error path).
            RuleExample("""
                static int queue_work_locked(struct foo *f, struct item *it)
                \t__must_hold(&f->lock)
                {
                \tif (f->full)
                \t\treturn -EBUSY;
                \tif (f->dead) {
                \t\tspin_unlock(&f->lock);
                ↓\t\treturn -ENODEV;
                \t}
                \tlist_add_tail(&it->node, &f->queue);
                \treturn 0;
                }
                """),
            // A helper of the file drops and re-takes its caller's lock; called after the caller
            // released it, it releases a lock nobody holds (the shape of the xrt subdev pool's
            // `xrt_subdev_pool_fini()` in its V4 posting, calling `xrt_subdev_pool_wait_for_holders()`).
            RuleExample("""
                static void pool_wait_for_holders(struct pool *p, struct sub *sd)
                \t__must_hold(&p->lock)
                {
                \twhile (!list_empty(&sd->holders)) {
                \t\tmutex_unlock(&p->lock);
                \t\twait_for_completion(&sd->done);
                \t\tmutex_lock(&p->lock);
                \t}
                }

                static void pool_fini(struct pool *p)
                {
                \tstruct sub *sd;
                \tmutex_lock(&p->lock);
                \tp->closing = true;
                \tmutex_unlock(&p->lock);
                \twhile (!list_empty(&p->subs)) {
                \t\tsd = list_first_entry(&p->subs, struct sub, node);
                ↓\t\tpool_wait_for_holders(p, sd);
                \t\tlist_del(&sd->node);
                \t\tsub_destroy(sd);
                \t}
                }
                """),
        ],
        nonTriggering: [
            // Returning with the lock held on success and without it on failure is a conditional
            // acquire: the caller unlocks (iio_device_claim_buffer_mode).
            RuleExample("""
                static int claim_buffer_mode(struct iio_dev *indio_dev)
                {
                \tmutex_lock(&indio_dev->mlock);
                \tif (iio_buffer_enabled(indio_dev))
                \t\treturn 0;
                \tmutex_unlock(&indio_dev->mlock);
                \treturn -EBUSY;
                }
                """),
            RuleExample("""
                static int set(struct foo *f, int v)
                {
                \tint ret = 0;
                \tmutex_lock(&f->lock);
                \tif (v < 0) {
                \t\tret = -EINVAL;
                \t\tgoto out;
                \t}
                \tf->v = v;
                out:
                \tmutex_unlock(&f->lock);
                \treturn ret;
                }
                """),
            // A helper of the same file that releases the lock for its caller, found from its body
            // or its `__releases` annotation (`genpd_unlock()`-style wrappers).
            RuleExample("""
                static void foo_unlock(struct foo *f)
                \t__releases(&f->lock)
                {
                \tf->owner = NULL;
                \tmutex_unlock(&f->lock);
                }

                static int set(struct foo *f, int v)
                {
                \tmutex_lock(&f->lock);
                \tif (v < 0) {
                \t\tfoo_unlock(f);
                \t\treturn -EINVAL;
                \t}
                \tf->v = v;
                \tmutex_unlock(&f->lock);
                \treturn 0;
                }
                """),
            // Declared `__acquires`: returning with the lock held is the function's contract.
            RuleExample("""
                static int lock_chip(struct foo *f, bool wait)
                \t__acquires(&f->lock)
                {
                \tif (!wait && f->busy)
                \t\treturn -EBUSY;
                \tmutex_lock(&f->lock);
                \tif (f->busy) {
                \t\tmutex_unlock(&f->lock);
                \t\tmutex_lock(&f->lock);
                \t}
                \treturn 0;
                }
                """),
            RuleExample("""
                static int try(struct foo *f)
                {
                \tif (!mutex_trylock(&f->lock))
                \t\treturn -EBUSY;
                \tf->v = 1;
                \tmutex_unlock(&f->lock);
                \treturn 0;
                }
                """),
        ])

    func findings(_ facts: FunctionFacts, _ ctx: RuleContext) -> [Finding] {
        var out: [Finding] = []
        let id = Self.description.id
        // Inconsistent returns: some exits hold the lock, others do not.
        var byLock: [String: [LockExitFact]] = [:]
        for e in facts.lockExits { byLock[e.lock, default: []].append(e) }
        // A lock the function declares it returns holding (`__acquires`, `__cond_acquires`) is its contract.
        let declaredHeld = facts.contract.acquires.union(facts.contract.condAcquires)
        for lock in byLock.keys.sorted() where !declaredHeld.contains(lock) {
            let exits = byLock[lock] ?? []
            let heldFacts = exits.filter(\.held)
            let freeFacts = exits.filter { !$0.held }
            let heldExits = Set(heldFacts.map(\.exit))
            let freeExits = Set(freeFacts.map(\.exit))
            // Held from before the hunk, as only the other version of the function shows (it
            // releases the lock and this version neither takes nor releases it).
            if let release = facts.heldOnEntryOtherVersion[lock], freeExits.isEmpty {
                let held = Set(heldFacts.filter { $0.atEntry && $0.error }.map(\.exit)).sorted()
                guard let first = held.first else { continue }
                let start = heldFacts.map(\.acquired).min() ?? 0
                let heldText = held.map(String.init).joined(separator: ", ")
                // A release only the version before the patch has is one the patch removed: a stray
                // unlock the patch deletes proves nothing about the lock (`Delete stray unlock`).
                let judged = HiddenStartEvidence.judged(ctx.side, resting: "release")
                out.append(Finding(ruleID: id, severity: judged.severity, function: ctx.function, file: ctx.file, line: first,
                                   lines: [.init(.heldOnEntry, start, lock)] + held.map { .init(.exit, $0, lock) },
                                   subject: lock, kind: "held-at-return",
                                   message: "`\(lock)` is held when the shown code starts at line \(start) (\(HiddenStartEvidence.otherVersion(ctx.side)) releases it at its line \(release); its acquire is above the hunk) and is still held when returning an error at line \(heldText)"
                                       + judged.caveat,
                                   side: ctx.side))
                continue
            }
            guard !heldExits.isEmpty, !freeExits.isEmpty else { continue }
            // Returning with the lock held on success and without it on failure is a conditional
            // acquire (`find_and_lock_…`, a trylock wrapper): the caller unlocks. Not reported.
            let heldOnError = heldFacts.contains(where: \.error)
            if !heldOnError, freeFacts.allSatisfy(\.error) { continue }
            let atEntry = heldFacts.contains(where: \.atEntry)
            // Held from before the hunk: only an error return holding it is shown whole.
            if atEntry, !heldOnError { continue }
            let held = (atEntry ? Set(heldFacts.filter(\.error).map(\.exit)) : heldExits).sorted()
            let acquired = heldFacts.map(\.acquired).min() ?? 0
            let free = freeExits.sorted().map(String.init).joined(separator: ", ")
            var lines: [Finding.Line] = [.init(atEntry ? .heldOnEntry : .acquired, acquired, lock)]
            lines += held.map { .init(.exit, $0, lock) }
            lines += freeExits.sorted().map { .init(.unlockedExit, $0, lock) }
            let heldText = held.map(String.init).joined(separator: ", ")
            let message = atEntry
                ? "`\(lock)` is held when the shown code starts at line \(acquired) (other paths release it before returning at line \(free); its acquire is above the hunk) and is still held when returning an error at line \(heldText)"
                : "`\(lock)` taken at line \(acquired) is still held when returning at line \(heldText); other paths release it (line \(free))"
            out.append(Finding(ruleID: id, severity: .warning, function: ctx.function, file: ctx.file, line: held[0],
                               lines: lines, subject: lock, kind: "held-at-return", message: message, side: ctx.side))
        }
        for d in facts.doubleLocks.sorted(by: { ($0.second, $0.lock) < ($1.second, $1.lock) }) {
            out.append(Finding(ruleID: id, severity: .error, function: ctx.function, file: ctx.file, line: d.second,
                               lines: [.init(.acquired, d.first, d.lock), .init(.acquired, d.second, d.lock)],
                               subject: d.lock, kind: "double-lock",
                               message: "`\(d.lock)` taken at line \(d.first) is taken again at line \(d.second)", side: ctx.side))
        }
        for d in facts.doubleUnlocks.sorted(by: { ($0.second, $0.lock) < ($1.second, $1.lock) }) {
            var lines: [Finding.Line] = [.init(.released, d.first, d.lock)]
            var message = "`\(d.lock)` released at line \(d.first) is released again "
            if let c = d.callee {
                lines += [.init(.call, d.second, c.name), .init(.calleeReleased, c.release, d.lock)]
                message += "inside `\(c.name)()` called at line \(d.second) (its line \(c.release)), which drops and re-takes it for its caller: the lock is not held here"
            } else {
                lines.append(.init(.released, d.second, d.lock))
                message += "at line \(d.second) without being held"
            }
            out.append(Finding(ruleID: id, severity: .error, function: ctx.function, file: ctx.file, line: d.second,
                               lines: lines, subject: d.lock, kind: "double-unlock", message: message, side: ctx.side))
        }
        // One note per lock: the first release that relies on the caller.
        var seen: Set<String> = []
        // In a fragment whose start is hidden, a lock held when the shown code starts was taken in
        // hidden lines: nothing says the caller holds it.
        // A lock the function declares its caller holds (`__must_hold`, `__releases`) needs no note.
        for r in facts.releasedNotTaken.sorted(by: { ($0.line, $0.lock) < ($1.line, $1.lock) })
            where !seen.contains(r.lock) && !facts.heldOnEntry.contains(r.lock) && !facts.contract.heldOnEntry.contains(r.lock) {
            seen.insert(r.lock)
            if facts.doubleUnlocks.contains(where: { $0.lock == r.lock && $0.second == r.line }) { continue }
            out.append(Finding(ruleID: id, severity: .note, function: ctx.function, file: ctx.file, line: r.line,
                               lines: [.init(.released, r.line, r.lock)], subject: r.lock, kind: "caller-held",
                               message: "`\(r.lock)` is released at line \(r.line) without being taken here: the function relies on its caller holding it (__must_hold)",
                               side: ctx.side))
        }
        out += contractFindings(facts, ctx)
        return out
    }
}
