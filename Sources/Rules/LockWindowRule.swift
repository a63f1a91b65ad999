/// `lock-window`: a lock released and re-acquired inside one function, or across a callee that
/// drops it.
struct LockWindowRule: Rule {
    static let description = RuleDescription(
        id: "lock-window",
        name: "Lock dropped and re-taken",
        summary: "A lock is released and re-acquired in the same function, or held across a call that drops it.",
        rationale: """
            While the lock is dropped other threads run with the protected state. A decision made under \
            the lock before the release (a condition, a value copied into a local) is stale after the \
            re-acquire unless it is checked again; shared state written on both sides of the window is \
            seen half-updated. A guard (`if (!st->enabled) { unlock; return -EBUSY; }`) is relied on by \
            all the code after it. A caller holding the lock across a callee that drops it usually does not \
            know its critical section was split. A re-check after the re-acquire lowers the finding to a \
            note; re-taking the lock by going back before the original acquire (`goto retry`) is not \
            reported.
            """,
        triggering: [
            RuleExample("""
                static void claim(struct foo *f)
                {
                \tspin_lock(&f->lock);
                \tif (!f->busy) {
                ↓\t\tspin_unlock(&f->lock);
                \t\tprepare(f);
                \t\tspin_lock(&f->lock);
                \t\tf->busy = 1;
                \t}
                \tspin_unlock(&f->lock);
                }
                """),
            RuleExample("""
                static void update(struct foo *f)
                {
                \tmutex_lock(&f->lock);
                \tf->state = 1;
                ↓\tmutex_unlock(&f->lock);
                \tslow(f);
                \tmutex_lock(&f->lock);
                \tf->state = 2;
                \tmutex_unlock(&f->lock);
                }
                """),
            RuleExample("""
                static void drop_it(struct foo *f)
                {
                ↓\tmutex_unlock(&f->lock);
                \tslow(f);
                \tmutex_lock(&f->lock);
                }
                static void caller(struct foo *f)
                {
                \tmutex_lock(&f->lock);
                ↓\tdrop_it(f);
                \tmutex_unlock(&f->lock);
                }
                """),
            RuleExample("""
                static void wait_ready(struct adc *st)
                {
                ↓\tmutex_unlock(&st->lock);
                \tusleep_range(2000, 2500);
                \tmutex_lock(&st->lock);
                }
                static int read_raw(struct adc *st, int *val)
                {
                \tmutex_lock(&st->lock);
                \tif (!st->enabled) {
                \t\tmutex_unlock(&st->lock);
                \t\treturn -EBUSY;
                \t}
                ↓\twait_ready(st);
                \t*val = hw_read(st);
                \tmutex_unlock(&st->lock);
                \treturn 0;
                }
                """),
        ],
        nonTriggering: [
            RuleExample("""
                static void ok(struct foo *f)
                {
                \tmutex_lock(&f->lock);
                \tf->state = 1;
                \tmutex_unlock(&f->lock);
                }
                """),
            RuleExample("""
                static void retry(struct foo *f)
                {
                again:
                \tspin_lock(&f->lock);
                \tif (f->busy) {
                \t\tspin_unlock(&f->lock);
                \t\tcpu_relax();
                \t\tgoto again;
                \t}
                \tf->busy = 1;
                \tspin_unlock(&f->lock);
                }
                """),
        ])

    /// "`st->enabled` checked at line 49 under `st->lock` is not re-checked after the lock is
    /// re-taken (line 35 in `acme_adc_wait_ready`)".
    static func staleSentence(_ checks: [PathLine], lock: String, retaken: String) -> String {
        let what = checks.map { "`\($0.path)` checked at line \($0.line)" }.joined(separator: ", ")
        let verb = checks.count == 1 ? "is" : "are"
        return "\(what) under `\(lock)` \(verb) not re-checked after the lock is re-taken (\(retaken))"
    }

    func findings(_ facts: FunctionFacts, _ ctx: RuleContext) -> [Finding] {
        var out: [Finding] = []
        // Merge the same window seen on several paths.
        var merged: [String: WindowFact] = [:]
        var order: [String] = []
        for w in facts.windows.sorted(by: { ($0.release, $0.reacquire, $0.lock) < ($1.release, $1.reacquire, $1.lock) }) {
            let key = "\(w.lock)|\(w.release)|\(w.reacquire)"
            if var m = merged[key] {
                m.writesBefore = Array(Set(m.writesBefore + w.writesBefore)).sorted()
                m.writesAfter = Array(Set(m.writesAfter + w.writesAfter)).sorted()
                m.staleChecks = Array(Set(m.staleChecks + w.staleChecks)).sorted()
                m.rechecks = Array(Set(m.rechecks + w.rechecks)).sorted()
                m.staleLocals = Array(Set(m.staleLocals + w.staleLocals)).sorted()
                m.staleUses = Array(Set(m.staleUses + w.staleUses)).sorted()
                m.notTakenHere = m.notTakenHere || w.notTakenHere
                m.heldOnEntry = m.heldOnEntry || w.heldOnEntry
                if let h = w.heldSince { m.heldSince = min(m.heldSince ?? h, h) }
                merged[key] = m
            } else { merged[key] = w; order.append(key) }
        }
        for key in order {
            guard let w = merged[key], !w.restart else { continue }
            var lines: [Finding.Line] = []
            if let h = w.heldSince, !w.notTakenHere {
                lines.append(.init(w.heldOnEntry ? .heldOnEntry : .acquired, h, w.lock))
            }
            lines.append(.init(.released, w.release, w.lock))
            lines.append(.init(.reacquired, w.reacquire, w.lock))
            for c in w.staleChecks { lines.append(.init(.checked, c.line, c.path)) }
            for c in w.rechecks { lines.append(.init(.rechecked, c.line, c.path)) }
            for c in w.staleLocals { lines.append(.init(.checked, c.line, c.path)) }
            for c in w.staleUses { lines.append(.init(.usedAfter, c.line, c.path)) }
            for x in Set(w.writesBefore + w.writesAfter).sorted() { lines.append(.init(.written, x.line, x.path)) }
            let bothSides = !w.writesBefore.isEmpty && !w.writesAfter.isEmpty
            let stale = !w.staleChecks.isEmpty || !w.staleLocals.isEmpty
            let severity: Finding.Severity = (bothSides || stale) && w.inMacro == nil ? .warning : .note
            var msg = "`\(w.lock)` is released at line \(w.release) and re-acquired at line \(w.reacquire)"
            if let m = w.inMacro { msg += " inside `\(m)()`" }
            if w.notTakenHere { msg += "; the function did not take it (its caller holds it)" }
            else if w.heldOnEntry, let h = w.heldSince {
                msg += "; it is held when the shown code starts at line \(h) (the acquire is outside the shown hunk)"
            }
            if !w.staleChecks.isEmpty {
                msg += "; " + Self.staleSentence(w.staleChecks, lock: w.lock, retaken: "line \(w.reacquire)")
            }
            if !w.staleLocals.isEmpty {
                msg += "; " + zip(w.staleLocals, w.staleUses).map { "`\($0.path)` computed at line \($0.line) is used at line \($1.line)" }
                    .joined(separator: ", ") + " after the re-acquire"
            }
            if bothSides {
                let fields = Array(Set((w.writesBefore + w.writesAfter).map(\.path))).sorted()
                msg += "; shared state written on both sides of the window ("
                    + fields.map { f in "`\(f)` at " + Array(Set((w.writesBefore + w.writesAfter).filter { $0.path == f }.map(\.line))).sorted().map(String.init).joined(separator: ", ") }
                    .joined(separator: "; ") + "): other threads see a half-done update"
            }
            if !w.rechecks.isEmpty && !stale { msg += "; re-checked after the re-acquire" }
            out.append(Finding(ruleID: Self.description.id, severity: severity, function: ctx.function, file: ctx.file,
                               line: w.release, lines: lines, subject: w.lock, kind: "window", message: msg, side: ctx.side))
        }
        // Callee windows: one finding per call and lock, merged over paths.
        var callees: [String: CalleeWindowFact] = [:]
        var calleeOrder: [String] = []
        for c in facts.calleeWindows.sorted(by: { ($0.call, $0.lock, $0.callee, $0.heldSince) < ($1.call, $1.lock, $1.callee, $1.heldSince) }) {
            let key = "\(c.lock)|\(c.call)|\(c.callee)"
            if var m = callees[key] {
                m.staleChecks = Array(Set(m.staleChecks + c.staleChecks)).sorted()
                m.rechecks = Array(Set(m.rechecks + c.rechecks)).sorted()
                m.heldOnEntry = m.heldOnEntry || c.heldOnEntry
                m.heldSince = min(m.heldSince, c.heldSince)
                callees[key] = m
            } else { callees[key] = c; calleeOrder.append(key) }
        }
        for key in calleeOrder {
            guard var c = callees[key] else { continue }
            // A check stale on one path and re-checked on another is reported as stale.
            c.rechecks = c.rechecks.filter { r in !c.staleChecks.contains { $0.path == r.path } }
            var lines: [Finding.Line] = [.init(c.heldOnEntry ? .heldOnEntry : .acquired, c.heldSince, c.lock), .init(.call, c.call, c.callee)]
            if !c.fromTable {
                lines.append(.init(.calleeReleased, c.calleeRelease, c.lock))
                lines.append(.init(.calleeReacquired, c.calleeReacquire, c.lock))
            }
            for s in c.staleChecks { lines.append(.init(.checked, s.line, s.path)) }
            for r in c.rechecks { lines.append(.init(.rechecked, r.line, r.path)) }
            let inside = c.fromTable ? "" : " (released at line \(c.calleeRelease), re-acquired at line \(c.calleeReacquire))"
            let held = c.heldOnEntry
                ? "held when the shown code starts at line \(c.heldSince) (the acquire is outside the shown hunk)"
                : "held since line \(c.heldSince)"
            var msg = "`\(c.lock)`, \(held), is dropped and re-taken inside `\(c.callee)()` called at line \(c.call)\(inside)"
            if !c.staleChecks.isEmpty {
                let retaken = c.fromTable ? "inside `\(c.callee)()` at line \(c.call)" : "line \(c.calleeReacquire) in `\(c.callee)`"
                msg += "; " + Self.staleSentence(c.staleChecks, lock: c.lock, retaken: retaken)
            } else if !c.rechecks.isEmpty {
                msg += "; re-checked after the call"
            }
            // A re-check after the call keeps it a note; a stale check makes even a table callee a warning.
            let severity: Finding.Severity
            if !c.staleChecks.isEmpty { severity = .warning }
            else if !c.rechecks.isEmpty || c.fromTable { severity = .note }
            else { severity = .warning }
            out.append(Finding(ruleID: Self.description.id, severity: severity, function: ctx.function,
                               file: ctx.file, line: c.call, lines: lines, subject: c.lock, kind: "callee-window",
                               message: msg, side: ctx.side))
        }
        return out
    }
}
