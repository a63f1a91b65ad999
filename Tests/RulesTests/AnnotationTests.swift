import Testing
@testable import Rules

/// Sparse's lock annotations (`Annotations.swift`): read from the declaration, judged against the
/// function's own returns, and used as its summary by its callers and by the mined tables.
struct AnnotationTests {
    func compact(_ f: Finding) -> String { "\(f.function):\(f.line) \(f.severity.rawValue) \(f.kind) \(f.subject)" }

    @Test func annotationsAreReadWhereverTheDeclarationPutsThem() {
        let src = """
            static void genpd_lock_spin(struct generic_pm_domain *genpd)
            \t__acquires(&genpd->slock)
            {
            \tspin_lock(&genpd->slock);
            }

            static void __releases((&st->lock)) unlock_st(struct st *st)
            {
            \tmutex_unlock(&st->lock);
            }

            static void rcu_walk(struct net *net) __acquires(RCU) __releases(RCU)
            {
            \trcu_read_lock();
            \trcu_read_unlock();
            }

            static int wait_queue(struct wq *q, int n) __must_hold(&q->lock);

            static int wait_queue(struct wq *queue, int n)
            {
            \treturn n;
            }
            """
        let fns = FunctionFinder.functions(in: CLexer.tokenize(src))
        let got = fns.map { f in "\(f.name): " + f.annotations.map { "\($0.kind.rawValue)(\($0.lock))" }.joined(separator: " ") }
        #expect(got == [
            "genpd_lock_spin: __acquires(genpd->slock)",
            "unlock_st: __releases(st->lock)",
            "rcu_walk: ",
            // The forward declaration's `q` is the definition's `queue`.
            "wait_queue: __must_hold(queue->lock)",
        ])
        // `__acquires(x) __releases(x)` together: taken and released inside, no contract.
        #expect(LockContract([LockAnnotation(kind: .acquires, lock: "l", line: 1),
                              LockAnnotation(kind: .releases, lock: "l", line: 1)]).isEmpty)
    }

    /// The shape of a sparse "context imbalance": a `__must_hold` function whose error path drops
    /// its caller's lock (as wil6210's and mt76's helpers are declared), and the same function
    /// correct: dropping the lock around a sleep and taking it back is a window, not a broken contract.
    @Test func aMustHoldFunctionMustReturnHoldingTheLock() {
        let broken = """
            static int push_locked(struct ring *r, struct item *it)
            \t__must_hold(&r->lock)
            {
            \tif (r->full)
            \t\treturn -EBUSY;
            \tif (r->dead) {
            \t\tspin_unlock(&r->lock);
            \t\treturn -ENODEV;
            \t}
            \tlist_add_tail(&it->node, &r->items);
            \treturn 0;
            }
            """
        let findings = RuleEngine().analyze(source: broken).findings
        #expect(findings.map(compact) == ["push_locked:8 warning contract-broken r->lock"])
        #expect(findings.first?.message.contains("declared `__must_hold(r->lock)`") == true)
        // Dropping it on every error return and keeping it on success is a contract of its own
        // (hugetlb's `allocate_file_region_entries()`): not reported.
        let conditional = broken.replacingOccurrences(of: "\tif (r->full)\n\t\treturn -EBUSY;\n", with: "")
        #expect(!RuleEngine().analyze(source: conditional).findings.contains { $0.kind == "contract-broken" })

        let correct = """
            static int push_locked(struct ring *r, struct item *it)
            \t__must_hold(&r->lock)
            {
            \twhile (r->full) {
            \t\tspin_unlock(&r->lock);
            \t\twait_for_room(r);
            \t\tspin_lock(&r->lock);
            \t}
            \tlist_add_tail(&it->node, &r->items);
            \treturn 0;
            }
            """
        let ok = RuleEngine().analyze(source: correct).findings
        #expect(!ok.contains { $0.kind == "contract-broken" || $0.kind == "caller-held" })
        // Undeclared, the same release is a note that the function relies on its caller.
        let undeclared = correct.replacingOccurrences(of: "\t__must_hold(&r->lock)\n", with: "")
        #expect(RuleEngine().analyze(source: undeclared).findings.contains { $0.kind == "caller-held" })
    }

    /// A helper of the file that unlocks for its caller, known from its body (every path releases
    /// the caller's lock) or from its annotation: the caller's error path that calls it does not
    /// return holding the lock; one that forgets it still does.
    @Test func callersUseTheHelpersThatReleaseTheirLock() {
        let src = """
            static void dev_unlock(struct chip *chip)
            {
            \tchip->owner = NULL;
            \tmutex_unlock(&chip->lock);
            }

            static int chip_set(struct chip *chip, int v)
            {
            \tmutex_lock(&chip->lock);
            \tif (v < 0) {
            \t\tdev_unlock(chip);
            \t\treturn -EINVAL;
            \t}
            \tchip->v = v;
            \tmutex_unlock(&chip->lock);
            \treturn 0;
            }

            static int chip_get(struct chip *chip)
            {
            \tmutex_lock(&chip->lock);
            \tif (!chip->ready)
            \t\treturn -EAGAIN;
            \tdev_unlock(chip);
            \treturn 0;
            }
            """
        let findings = RuleEngine().analyze(source: src).findings.filter { $0.severity != .note }
        #expect(findings.map(compact) == ["chip_get:23 warning held-at-return chip->lock"])
    }

    /// `__cond_acquires`: held when the call returns non-zero, for the callers of the file and in
    /// the mined tables (marked declared: the body's `return spin_trylock(…)` holds it on no path).
    @Test func aConditionalAcquireIsTheCallersToRelease() {
        let src = """
            int ring_trylock(struct ring *r) __cond_acquires(&r->lock)
            {
            \treturn spin_trylock(&r->lock);
            }

            void ring_unlock(struct ring *r) __releases(&r->lock)
            {
            \tspin_unlock(&r->lock);
            }

            static int poll_ring(struct ring *r)
            {
            \tif (!ring_trylock(r))
            \t\treturn -EBUSY;
            \tif (r->empty)
            \t\treturn -EAGAIN;
            \tr->polled++;
            \tring_unlock(r);
            \treturn 0;
            }
            """
        let findings = RuleEngine().analyze(source: src).findings.filter { $0.severity != .note }
        #expect(findings.map(compact) == ["poll_ring:16 warning held-at-return r->lock"])
        let wrappers = RuleEngine().lockWrappers(source: src).map {
            "\($0.function) \($0.action.rawValue) arg \($0.argument) \($0.family) \($0.success.rawValue) declared:\($0.declared)"
        }
        #expect(wrappers == [
            "ring_trylock acquire arg 0 spinlock nonzero declared:true",
            "ring_unlock release arg 0 spinlock always declared:false",
        ])
    }
}
