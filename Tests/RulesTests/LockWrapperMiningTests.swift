import Testing
@testable import Rules

/// Lock wrappers read from function bodies (`LockSummaries.swift`, `lkml-review mine-locks`), the
/// mined entries in the built-in tables, and locks named through a `to_…()` conversion.
struct LockWrapperMiningTests {
    /// The shape of the IIO core's direct-mode claim (drivers/iio/industrialio-core.c): the claim
    /// returns 0 holding the lock or -EBUSY having dropped it; the release names the lock through
    /// the conversion; and functions that are not wrappers.
    static let core = """
        int foo_claim_direct(struct iio_dev *indio_dev)
        {
        \tstruct foo_opaque *op = to_foo_opaque(indio_dev);

        \tmutex_lock(&op->mlock);
        \tif (foo_buffer_enabled(indio_dev)) {
        \t\tmutex_unlock(&op->mlock);
        \t\treturn -EBUSY;
        \t}
        \treturn 0;
        }

        void foo_release_direct(struct iio_dev *indio_dev)
        {
        \tmutex_unlock(&to_foo_opaque(indio_dev)->mlock);
        }

        struct bar *bar_find_locked(struct bar_table *t, int id)
        {
        \tstruct bar *b;

        \tspin_lock(&t->lock);
        \tb = bar_lookup(t, id);
        \tif (!b) {
        \t\tspin_unlock(&t->lock);
        \t\treturn NULL;
        \t}
        \treturn b;
        }

        void bar_table_unlock(struct bar_table *t)
        {
        \tspin_unlock(&t->lock);
        }

        void maybe_lock(struct foo *f, bool need)
        {
        \tif (need)
        \t\tmutex_lock(&f->lock);
        }

        void lock_global(void)
        {
        \tmutex_lock(&global_lock);
        }

        int balanced(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \tf->n++;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }

        void two_objects(struct foo *a, struct foo *b)
        {
        \tmutex_lock(&a->locks[b->idx]);
        }
        """

    @Test func wrappersAreReadFromEveryPath() {
        let found = RuleEngine().lockWrappers(source: Self.core).map {
            "\($0.function) \($0.action.rawValue) arg \($0.argument) \($0.family) \($0.success.rawValue) \($0.lock)"
        }
        #expect(found == [
            "foo_claim_direct acquire arg 0 mutex zero $0->mlock",
            "foo_release_direct release arg 0 mutex always $0->mlock",
            "bar_find_locked acquire arg 0 spinlock nonnull $0->lock",
            "bar_table_unlock release arg 0 spinlock always $0->lock",
        ])
    }

    /// `&to_foo(dev)->lock` is `dev->lock`, as `p = to_foo(dev)` makes `p` name `dev`: a lock taken
    /// one way and released the other is balanced, and an error return between them is reported.
    @Test func conversionsNameTheSameLock() {
        let mixed = """
            static int foo_store(struct device *dev, int v)
            {
            \tstruct foo *p = to_foo(dev);

            \tmutex_lock(&p->lock);
            \tp->v = v;
            \tmutex_unlock(&to_foo(dev)->lock);
            \treturn 0;
            }
            """
        #expect(RuleEngine().analyze(source: mixed).findings.isEmpty)
        let leaky = """
            static int foo_show(struct device *dev)
            {
            \tint v;

            \tmutex_lock(&to_foo(dev)->lock);
            \tif (foo_busy(dev))
            \t\treturn -EBUSY;
            \tv = to_foo(dev)->v;
            \tmutex_unlock(&to_foo(dev)->lock);
            \treturn v;
            }
            """
        let found = RuleEngine().analyze(source: leaky).findings.map(compact)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("lock-balance/") == true)
        #expect(found.first?.contains("@7") == true)
    }

    /// The mined table holds the IIO claim and release: a driver that returns between them without
    /// the release is reported at that return, and the fixed version is clean.
    @Test func minedClaimAndReleasePairUp() throws {
        let tables = RuleTables.builtIn
        let claim = try #require(tables.locks["iio_device_claim_direct_mode"])
        #expect(claim.action == .acquire && claim.argument == 0 && claim.success == .zero)
        #expect(tables.locks["iio_device_release_direct_mode"]?.action == .release)
        let buggy = """
            static int drv_write_raw(struct iio_dev *indio_dev, int val)
            {
            \tstruct drv_state *st = iio_priv(indio_dev);
            \tint ret;

            \tret = iio_device_claim_direct_mode(indio_dev);
            \tif (ret)
            \t\treturn ret;
            \tret = drv_check(st, val);
            \tif (ret < 0)
            \t\treturn ret;
            \tret = drv_write(st, val);
            \tiio_device_release_direct_mode(indio_dev);
            \treturn ret;
            }
            """
        let found = RuleEngine().analyze(source: buggy).findings
        #expect(found.count == 1)
        #expect(found.first?.ruleID == "lock-balance" && found.first?.line == 11)
        let fixed = buggy.replacingOccurrences(of: "\tif (ret < 0)\n\t\treturn ret;\n", with: "\tif (ret < 0)\n\t\tgoto release;\n")
            .replacingOccurrences(of: "\tiio_device_release_direct_mode", with: "release:\n\tiio_device_release_direct_mode")
        #expect(fixed != buggy)
        #expect(RuleEngine().analyze(source: fixed).findings.isEmpty)
    }
}

struct CallRoleTests {
    /// A user's own error macro: `return foo_errno(st);` is an error return, so a lock wrapper that
    /// returns it having unlocked is a conditional acquire (`calls:` of a tables file).
    @Test func userCallRoles() throws {
        let code = """
            int foo_claim(struct foo *st)
            {
            \tmutex_lock(&st->lock);
            \tif (st->busy) {
            \t\tmutex_unlock(&st->lock);
            \t\treturn foo_errno(st);
            \t}
            \treturn 0;
            }
            """
        #expect(RuleEngine().lockWrappers(source: code).isEmpty)
        let t = try RuleTables.loading(yaml: "calls:\n  - {name: foo_errno, role: error_code}\n")
        #expect(t.call("foo_errno", is: .errorCode) && t.call("PTR_ERR", is: .errorCode))
        let w = RuleEngine(tables: t).lockWrappers(source: code)
        #expect(w.map { "\($0.function) \($0.action.rawValue) \($0.success.rawValue)" } == ["foo_claim acquire zero"])
        #expect(throws: RuleTableError.self) { try RuleTables.loading(yaml: "calls:\n  - {name: x, role: shout}\n") }
    }
}
