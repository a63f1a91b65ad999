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
            seen half-updated. A caller holding the lock across a callee that drops it usually does not \
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
                if let h = w.heldSince { m.heldSince = min(m.heldSince ?? h, h) }
                merged[key] = m
            } else { merged[key] = w; order.append(key) }
        }
        for key in order {
            guard let w = merged[key], !w.restart else { continue }
            var lines: [Finding.Line] = []
            if let h = w.heldSince, !w.notTakenHere { lines.append(.init(.acquired, h, w.lock)) }
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
            if !w.staleChecks.isEmpty {
                msg += "; " + w.staleChecks.map { "`\($0.path)` checked at line \($0.line)" }.joined(separator: ", ")
                    + " under the lock is relied on after the re-acquire without being checked again"
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
        for c in facts.calleeWindows.sorted(by: { ($0.call, $0.lock, $0.callee) < ($1.call, $1.lock, $1.callee) }) {
            var lines: [Finding.Line] = [.init(.acquired, c.heldSince, c.lock), .init(.call, c.call, c.callee)]
            if !c.fromTable {
                lines.append(.init(.calleeReleased, c.calleeRelease, c.lock))
                lines.append(.init(.calleeReacquired, c.calleeReacquire, c.lock))
            }
            let inside = c.fromTable ? "" : " (released at line \(c.calleeRelease), re-acquired at line \(c.calleeReacquire))"
            let msg = "`\(c.lock)`, held since line \(c.heldSince), is dropped and re-taken inside `\(c.callee)()` called at line \(c.call)\(inside)"
            out.append(Finding(ruleID: Self.description.id, severity: c.fromTable ? .note : .warning, function: ctx.function,
                               file: ctx.file, line: c.call, lines: lines, subject: c.lock, kind: "callee-window",
                               message: msg, side: ctx.side))
        }
        return out
    }
}
