import Foundation
import Testing
import Mailbox
import Patch
@testable import Rules

/// Hunk mode on fragments whose start the hunks do not show: a lock released before any visible
/// acquire was taken in the hidden lines (held when the shown code starts), not by the caller.
/// Patches are read by the real `PatchParser`.
struct HunkModeTests {
    static func fileLines(_ f: Finding) -> String {
        "\(f.function) \(compact(f)) \(f.status.rawValue)"
    }

    static func analyze(_ diff: String) throws -> [Finding] {
        let files = PatchText.parse(diff)
        try #require(files.count == 1)
        return RuleEngine().analyze(filePatch: files[0]).findings
    }

    // MARK: the acme sample thread

    static func acmePatch() throws -> Patch {
        let path = SampleTests.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path
        let mails = try MailReader.read(path: path).messages
        let first = try #require(mails.first)
        return PatchParser.parse(first.body)
    }

    @Test func acmeHunkModeFindsTheWindowThroughTheCallee() throws {
        let patch = try Self.acmePatch()
        #expect(patch.files.map(\.path) == ["drivers/iio/adc/acme-adc.c"])
        let fs = RuleEngine().analyze(patch: patch).findings
        #expect(fs.map(Self.fileLines) == [
            "acme_adc_wait_ready lock-window/window@32 note: released 32, re-acquired 35 introduced",
            "acme_adc_wait_ready lock-balance/caller-held@32 note: released 32 introduced",
            "acme_adc_read_raw lock-window/callee-window@53 warning: held from before the hunk 50, call 53, released in callee 32, re-acquired in callee 35 introduced",
            "acme_adc_parse_dt refcount-balance/leak@89 warning: get 84, returns 89, returns 91 introduced",
        ])
        let w = try #require(fs.first { $0.kind == "callee-window" })
        #expect(w.message == "`st->lock`, held when the shown code starts at line 50 (the acquire is outside the shown hunk), is dropped and re-taken inside `acme_adc_wait_ready()` called at line 53 (released at line 32, re-acquired at line 35)")
        // No claim that read_raw relies on its caller: its `mutex_lock()` is outside the hunk.
        #expect(!fs.contains { $0.function == "acme_adc_read_raw" && $0.kind == "caller-held" })
    }

    @Test func acmeOldVersionHasNoLockFinding() throws {
        let fp = try #require(try Self.acmePatch().files.first)
        let old = RuleEngine().analyze(functions: HunkFunctions.functions(of: fp, side: .old), file: fp.path, side: .old)
        #expect(old.findings.isEmpty)
    }

    @Test func acmeTreeModeNamesTheStaleCheck() throws {
        let fp = try #require(try Self.acmePatch().files.first)
        let url = SampleTests.repoRoot.appendingPathComponent("Samples/tree/drivers/iio/adc/acme-adc.c")
        let original = try String(contentsOf: url, encoding: .utf8)
        let patched = try fp.apply(to: original)
        let fs = RuleEngine().analyze(original: original, patched: patched, filePatch: fp).findings
        #expect(fs.map(Self.fileLines) == [
            "acme_adc_wait_ready lock-window/window@32 note: released 32, re-acquired 35 introduced",
            "acme_adc_wait_ready lock-balance/caller-held@32 note: released 32 introduced",
            "acme_adc_read_raw lock-window/callee-window@53 warning: acquired 48, call 53, released in callee 32, re-acquired in callee 35, checked 49 introduced",
            "acme_adc_parse_dt refcount-balance/leak@89 warning: get 84, returns 89, returns 91 introduced",
        ])
        let w = try #require(fs.first { $0.kind == "callee-window" })
        #expect(w.message == "`st->lock`, held since line 48, is dropped and re-taken inside `acme_adc_wait_ready()` called at line 53 (released at line 32, re-acquired at line 35); `st->enabled` checked at line 49 under `st->lock` is not re-checked after the lock is re-taken (line 35 in `acme_adc_wait_ready`)")
        #expect(w.lines.filter { $0.role == .checked }.map(\.expression) == ["st->enabled"])
    }

    /// A tree whose file has the code 5 lines lower than the patch says (a newer tree): the same
    /// findings, in the patch's numbering, messages included.
    @Test func treeModeReportsInThePatchsNumberingWhenTheFileMoved() throws {
        let fp = try #require(try Self.acmePatch().files.first)
        let url = SampleTests.repoRoot.appendingPathComponent("Samples/tree/drivers/iio/adc/acme-adc.c")
        let plain = try String(contentsOf: url, encoding: .utf8)
        let original = String(repeating: "/* added upstream */\n", count: 5) + plain
        let patched = try fp.apply(to: original)
        let expected = RuleEngine().analyze(original: plain, patched: try fp.apply(to: plain), filePatch: fp).findings
        let moved = RuleEngine().analyze(original: original, patched: patched, filePatch: fp).findings
        #expect(moved.map(Self.fileLines) == expected.map(Self.fileLines))
        #expect(moved.map(\.message) == expected.map(\.message))
        #expect(!expected.isEmpty)
        // The offsets a caller already has give the same answer.
        let given = RuleEngine().analyze(original: original, patched: patched, filePatch: fp,
                                         offsets: Array(repeating: 5, count: fp.hunks.count)).findings
        #expect(given.map(Self.fileLines) == expected.map(Self.fileLines))
    }

    /// Tree mode walks the touched functions and what they call, through any number of helpers,
    /// and nothing else of the file.
    @Test func treeModeFollowsCalleesTransitively() throws {
        let original = """
            static void foo_drop(struct foo *f)
            {
            \tmutex_unlock(&f->lock);
            \tfoo_wait(f);
            \tmutex_lock(&f->lock);
            }

            static void foo_flush(struct foo *f)
            {
            \tfoo_drop(f);
            }

            static void foo_unrelated(struct foo *f)
            {
            \tmutex_unlock(&f->lock);
            }

            static void foo_update(struct foo *f)
            {
            \tmutex_lock(&f->lock);
            \tif (f->enabled)
            \t\tfoo_flush(f);
            \tf->count++;
            \tmutex_unlock(&f->lock);
            }

            """
        let diff = """
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -20,6 +20,6 @@ static void foo_update(struct foo *f)
             \tmutex_lock(&f->lock);
             \tif (f->enabled)
             \t\tfoo_flush(f);
            -\tf->count++;
            +\tf->count += 2;
             \tmutex_unlock(&f->lock);
             }

            """
        let fp = try #require(PatchParser.parse(Array(diff.utf8)).files.first)
        let patched = try fp.apply(to: original)
        let result = RuleEngine().analyze(original: original, patched: patched, filePatch: fp)
        #expect(result.functions == ["foo_update"])
        // The lock is dropped two calls down; the summary of foo_flush carries it (line 10).
        #expect(result.findings.map(Self.fileLines) == [
            "foo_update lock-window/callee-window@22 warning: acquired 20, call 22, released in callee 10, re-acquired in callee 10, checked 21 present",
        ])
        let fns = FunctionFinder.functions(in: CLexer.tokenize(original))
        #expect(RuleEngine.closure(of: ["foo_update"], in: fns).map(\.name) == ["foo_drop", "foo_flush", "foo_update"])
        #expect(RuleEngine.closure(of: ["foo_unrelated", "missing"], in: fns).map(\.name) == ["foo_unrelated"])
    }

    // MARK: fragments

    @Test func unlockInAFragmentWithHiddenStartIsNoCallerClaim() throws {
        let fs = try Self.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -120,7 +120,9 @@ static int foo_update(struct foo *f, int v)
             \tif (v < 0) {
             \t\tmutex_unlock(&f->lock);
             \t\treturn -EINVAL;
             \t}
            +\tf->v = v;
            +\tfoo_kick(f);
             \tmutex_unlock(&f->lock);
             \treturn 0;
             }

            """)
        #expect(fs.isEmpty)
    }

    @Test func windowInAFragmentWithHiddenStartAndAShownGuard() throws {
        let fs = try Self.analyze("""
            diff --git a/drivers/bar.c b/drivers/bar.c
            --- a/drivers/bar.c
            +++ b/drivers/bar.c
            @@ -200,9 +200,12 @@ static int bar_start(struct bar *b)
             \tif (!b->ready) {
             \t\tmutex_unlock(&b->lock);
             \t\treturn -EAGAIN;
             \t}
            +\tmutex_unlock(&b->lock);
            +\tmsleep(20);
            +\tmutex_lock(&b->lock);
             \tbar_hw_start(b);
             \tmutex_unlock(&b->lock);
             \treturn 0;
             }

            """)
        #expect(fs.map(Self.fileLines) == [
            "bar_start lock-window/window@204 warning: held from before the hunk 200, released 204, re-acquired 206, checked 200 introduced",
        ])
        #expect(fs.first?.message == "`b->lock` is released at line 204 and re-acquired at line 206; it is held when the shown code starts at line 200 (the acquire is outside the shown hunk); `b->ready` checked at line 200 under `b->lock` is not re-checked after the lock is re-taken (line 206)")
    }

    @Test func hiddenCheckIsNoEvidence() throws {
        // The same change with the guard outside the hunk: the window is shown, no stale check is
        // claimed (nothing shown was checked under the lock).
        let fs = try Self.analyze("""
            diff --git a/drivers/bar.c b/drivers/bar.c
            --- a/drivers/bar.c
            +++ b/drivers/bar.c
            @@ -204,5 +204,8 @@ static int bar_start(struct bar *b)
             \t}
            +\tmutex_unlock(&b->lock);
            +\tmsleep(20);
            +\tmutex_lock(&b->lock);
             \tbar_hw_start(b);
             \tmutex_unlock(&b->lock);
             \treturn 0;
             }

            """)
        #expect(fs.map(Self.fileLines) == [
            "bar_start lock-window/window@205 note: held from before the hunk 204, released 205, re-acquired 207 introduced",
        ])
    }

    @Test func dropAndRetakeReturningHeldStaysTheCallersLock() throws {
        // Like vfio_ap_mdev_set_kvm: the shown code drops the lock, re-takes it and returns holding
        // it, so the lock is its caller's (and callers see the window through it).
        let fs = try Self.analyze("""
            diff --git a/drivers/baz.c b/drivers/baz.c
            --- a/drivers/baz.c
            +++ b/drivers/baz.c
            @@ -50,6 +50,9 @@ static int baz_set(struct baz *z, struct kvm *kvm)
             \t\treturn -EPERM;
             \t}
             
            +\tmutex_unlock(&baz_lock);
            +\tbaz_apply(kvm);
            +\tmutex_lock(&baz_lock);
             \tz->kvm = kvm;
             \treturn 0;
             }
            @@ -80,6 +83,7 @@ static int baz_notify(struct baz *z, void *data)
             \tmutex_lock(&baz_lock);
             \tret = baz_set(z, data);
             \tmutex_unlock(&baz_lock);
            +\tbaz_done(z);
             \treturn ret;
             }

            """)
        #expect(fs.map(Self.fileLines) == [
            "baz_set lock-window/window@53 note: released 53, re-acquired 55 introduced",
            "baz_set lock-balance/caller-held@53 note: released 53 introduced",
            "baz_notify lock-window/callee-window@84 warning: acquired 83, call 84, released in callee 53, re-acquired in callee 55 introduced",
        ])
    }
}

/// Hunk mode: what the shown lines prove about state held when the fragment starts.
struct HunkEntryStateTests {
    /// A fragment that releases a lock it did not take shows the lock held when it starts: an error
    /// return reached from there through shown lines only, with no release, keeps it
    /// (drivers/power/supply/bq25890_charger.c bq25890_resume before 2020).
    @Test func errorReturnKeepsALockHeldFromBeforeTheHunk() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/power/supply/bq.c b/drivers/power/supply/bq.c
            --- a/drivers/power/supply/bq.c
            +++ b/drivers/power/supply/bq.c
            @@ -978,11 +978,11 @@ static int bq_resume(struct device *dev)
             
             \tret = bq_get_chip_state(bq, &bq->state);
             \tif (ret < 0)
            -\t\treturn ret;
            +\t\tgoto unlock;
             
             \tpower_supply_changed(bq->charger);
             
            +unlock:
             \tmutex_unlock(&bq->lock);
             
            -\treturn 0;
            +\treturn ret;
             }

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "bq_resume lock-balance/held-at-return@981 warning: held from before the hunk 979, returns 981, returns unlocked 987 fixed",
        ])
        #expect(fs.first?.message.contains("its acquire is above the hunk") == true)
    }

    /// A fragment that puts a plain local it never got shows a reference held when it starts: an
    /// error return that does not put it leaks (drivers/memory/samsung/exynos5422-dmc.c).
    @Test func errorReturnKeepsAReferenceTheOtherPathPuts() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/memory/dmc.c b/drivers/memory/dmc.c
            --- a/drivers/memory/dmc.c
            +++ b/drivers/memory/dmc.c
            @@ -1187,12 +1187,17 @@ static int of_get_dram_timings(struct dmc *dmc)
             
             \tdmc->timing_row = devm_kmalloc_array(dmc->dev, TIMING_COUNT, sizeof(u32), GFP_KERNEL);
            -\tif (!dmc->timing_row)
            -\t\treturn -ENOMEM;
            +\tif (!dmc->timing_row) {
            +\t\tret = -ENOMEM;
            +\t\tgoto put_node;
            +\t}
             
             \tdmc->timings = of_lpddr3_get_ddr_timings(np_ddr, dmc->dev);
             \tif (!dmc->timings) {
            -\t\tof_node_put(np_ddr);
            -\t\treturn -EINVAL;
            +\t\tret = -EINVAL;
            +\t\tgoto put_node;
             \t}
            +put_node:
            +\tof_node_put(np_ddr);
             \treturn ret;
             }

            """)
        let leaks = fs.filter { $0.kind == "leak" }
        #expect(leaks.map(HunkModeTests.fileLines) == [
            "of_get_dram_timings refcount-balance/leak@1190 warning: held from before the hunk 1188, put 1194, returns 1190 fixed",
        ])
    }

    /// The same shape with the reference tested for NULL before the early return: nothing is held
    /// there, so nothing leaks.
    @Test func aNullTestedReferenceIsNotHeldOnItsNullBranch() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -40,8 +40,9 @@ static int foo_parse(struct foo *foo)
             
             \tif (!np)
             \t\treturn -ENODEV;
            +\tfoo->mode = 1;
             \tret = foo_read(np);
             \tof_node_put(np);
             \treturn ret;
             }

            """)
        #expect(!fs.contains { $0.ruleID == "refcount-balance" })
    }
}

/// Hunk mode across hidden lines inside a function: braces are not matched across a gap.
extension HunkModeTests {
    // MARK: braces across hidden lines

    /// Hunks that cut a function inside blocks (the closing braces of `if (IS_ERR(mgr)) {` and of a
    /// loop's error tests fall between hunks), as in a patch that renames an argument on every
    /// line (the shape of "fpga: dfl: migrate FME partial reconfiguration driver"). Matched across
    /// the gaps, the braces nest wrongly and a path seemed to fall off the function's end with the
    /// lock held; a path that skips a block holding hidden lines crosses them: no claim.
    @Test func aBlockEndingInHiddenLinesIsNoPathToTheEnd() throws {
        let fs = try Self.analyze("""
            diff --git a/drivers/foo/foo-pr.c b/drivers/foo/foo-pr.c
            --- a/drivers/foo/foo-pr.c
            +++ b/drivers/foo/foo-pr.c
            @@ -81,7 +81,7 @@ static int foo_pr_init(struct platform_device *pdev)
             \tmutex_lock(&pdata->lock);
            -\tpriv = foo_get_private(pdata);
            +\tpriv = foo_get_private(fdata);
             
             \tmgr = foo_create_mgr(pdata);
             \tif (IS_ERR(mgr)) {
             \t\tdev_err(&pdev->dev, "no manager\\n");
             \t\tgoto unlock;
            @@ -105,6 +105,6 @@ static int foo_pr_init(struct platform_device *pdev)
             \t\t\tcontinue;
             
            -\t\tbr = foo_create_bridge(pdata, i);
            +\t\tbr = foo_create_bridge(fdata, i);
             \t\tif (IS_ERR(br)) {
             \t\t\tret = PTR_ERR(br);
             \t\t\tgoto destroy;
            @@ -123,11 +123,11 @@ static int foo_pr_init(struct platform_device *pdev)
             \t\tlist_add(&br->node, &priv->bridges);
             \t}
            -\tmutex_unlock(&pdata->lock);
            +\tmutex_unlock(&fdata->lock);
             \treturn 0;
             
             destroy:
             \tfoo_destroy_bridges(priv);
             unlock:
            -\tmutex_unlock(&pdata->lock);
            +\tmutex_unlock(&fdata->lock);
             \treturn ret;
             }

            """)
        #expect(!fs.contains { $0.ruleID == "lock-balance" && $0.severity >= .warning }, "\(fs.map(Self.fileLines))")
    }

    /// The same gaps, but an error return before them that keeps the lock: every line of that path
    /// is shown, so it is still reported.
    @Test func aShownErrorReturnBeforeTheGapsIsStillReported() throws {
        let fs = try Self.analyze("""
            diff --git a/drivers/foo/foo-pr.c b/drivers/foo/foo-pr.c
            --- a/drivers/foo/foo-pr.c
            +++ b/drivers/foo/foo-pr.c
            @@ -81,7 +81,9 @@ static int foo_pr_init(struct platform_device *pdev)
             \tmutex_lock(&pdata->lock);
             \tpriv = foo_get_private(pdata);
            +\tif (!priv)
            +\t\treturn -ENODEV;
             
             \tmgr = foo_create_mgr(pdata);
             \tif (IS_ERR(mgr)) {
             \t\tdev_err(&pdev->dev, "no manager\\n");
             \t\tgoto unlock;
            @@ -123,8 +125,9 @@ static int foo_pr_init(struct platform_device *pdev)
             \t\tlist_add(&br->node, &priv->bridges);
             \t}
            +\t/* every bridge is on the list */
             \tmutex_unlock(&pdata->lock);
             \treturn 0;
             
             unlock:
             \tmutex_unlock(&pdata->lock);
             \treturn ret;
             }

            """)
        #expect(fs.filter { $0.ruleID == "lock-balance" }.map(Self.fileLines).contains { $0.hasPrefix("foo_pr_init lock-balance/held-at-return@84") }, "\(fs.map(Self.fileLines))")
    }

    /// A hunk that starts with the body's `{` in column 0, right below the declaration its section
    /// shows, holds the function from its start: it is analysed (it was skipped, having no name
    /// before the brace), with its start visible.
    @Test func aHunkOpeningWithTheBodysBraceIsTheWholeFunction() throws {
        let diff = """
            diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
            --- a/drivers/foo/foo.c
            +++ b/drivers/foo/foo.c
            @@ -10,6 +10,9 @@ static void foo_fini(struct foo *f)
             {
             \tmutex_lock(&f->lock);
             \tf->closing = true;
            +\tf->count = 0;
            +\tmutex_unlock(&f->lock);
            +\tfoo_wait(f);
             \tmutex_unlock(&f->lock);
             }

            """
        let files = PatchText.parse(diff)
        let fns = HunkFunctions.functions(of: try #require(files.first), side: .new)
        #expect(fns.map(\.name) == ["foo_fini"])
        #expect(fns.first?.startVisible == true)
        #expect(fns.first?.parameters == ["f"])
        let fs = try Self.analyze(diff)
        #expect(fs.map(Self.fileLines) == ["foo_fini lock-balance/double-unlock@16 error: released 14, released 16 introduced"])
    }

    /// A hunk that opens with a label in column 0 (kernel style) continues the function its
    /// section names; it was read as file-scope code, so the goto from the first hunk found no
    /// label. From the shape of "thermal/of: Fix OF node leak in thermal_of_zone_register()": the
    /// fix jumps to a new label that puts `np`, which shows `np` held above the hunk, and the old
    /// version's error return is the leak it fixes.
    @Test func aHunkOpeningWithALabelContinuesTheFunction() throws {
        let diff = """
            diff --git a/drivers/thermal/thermal_of.c b/drivers/thermal/thermal_of.c
            --- a/drivers/thermal/thermal_of.c
            +++ b/drivers/thermal/thermal_of.c
            @@ -491,7 +491,8 @@ static struct thermal_zone_device *thermal_of_zone_register(struct device_node *
             \ttrips = thermal_of_trips_init(np, &ntrips);
             \tif (IS_ERR(trips)) {
             \t\tpr_err("Failed to find trip points for %pOFn id=%d\\n", sensor, id);
            -\t\treturn ERR_CAST(trips);
            +\t\tret = PTR_ERR(trips);
            +\t\tgoto out_of_node_put;
             \t}
             
             \tret = thermal_of_monitor_init(np, &delay, &pdelay);
            @@ -533,6 +534,8 @@ static struct thermal_zone_device *thermal_of_zone_register(struct device_node *
             
             out_kfree_trips:
             \tkfree(trips);
            +out_of_node_put:
            +\tof_node_put(np);
             
             \treturn ERR_PTR(ret);
             }

            """
        let files = PatchText.parse(diff)
        let fns = HunkFunctions.functions(of: try #require(files.first), side: .new)
        #expect(fns.map(\.name) == ["thermal_of_zone_register"])
        #expect(fns.first?.endVisible == true)
        let fs = try Self.analyze(diff)
        #expect(fs.map(Self.fileLines) == [
            "thermal_of_zone_register refcount-balance/leak@494 warning: held from before the hunk 491, returns 494 fixed",
        ])
    }

    /// A patch that moves a release out of a helper into its caller (the shape of "xfs: … take the
    /// locks in xfs_iget_cache_hit()" on linux-sparse): the old caller, which the new one shows
    /// releasing `rcu`, called the old helper, whose shown lines released it. After that call the
    /// lock is not known to be held: no held-at-return on the old side.
    @Test func aCalleeThatMayReleaseTheLockLeavesItUnknown() throws {
        let fs = try Self.analyze("""
            diff --git a/fs/foo/foo_icache.c b/fs/foo/foo_icache.c
            --- a/fs/foo/foo_icache.c
            +++ b/fs/foo/foo_icache.c
            @@ -356,13 +356,10 @@ foo_reinit(
             static int
             foo_recycle(
             \tstruct foo_inode\t*ip)
             {
             \tint error;
             
            -\tspin_unlock(&ip->i_flags_lock);
            -\trcu_read_unlock();
            -
             \terror = foo_reinit(ip);
             \tif (error)
             \t\treturn error;
             \treturn 0;
            @@ -576,9 +573,11 @@ foo_iget_cache_hit(
             
             \tif (ip->i_flags & FOO_IRECLAIMABLE) {
            -\t\t/* Drops i_flags_lock and RCU read lock. */
            +\t\tspin_unlock(&ip->i_flags_lock);
            +\t\trcu_read_unlock();
             \t\terror = foo_recycle(ip);
             \t\tif (error)
             \t\t\treturn error;
             \t} else {
             \t\tspin_unlock(&ip->i_flags_lock);

            """)
        #expect(!fs.contains { $0.ruleID == "lock-balance" && $0.severity >= .warning }, "\(fs.map(Self.fileLines))")
    }

    /// A hunk that opens inside the parameter list its section leaves open (`foo_recycle(` above
    /// `\tstruct foo_perag *pag,` and `\tstruct foo_inode *ip)`): the rest of the list gives the
    /// parameters and the body is seen from its start. The releases are then the caller's
    /// (`caller-held` notes on `ip->i_flags_lock` and `rcu`), not locks of hidden lines.
    @Test func aHunkOpeningInsideTheParameterListSeesTheBodyFromItsStart() throws {
        let diff = """
            diff --git a/fs/foo/foo_icache.c b/fs/foo/foo_icache.c
            --- a/fs/foo/foo_icache.c
            +++ b/fs/foo/foo_icache.c
            @@ -358,11 +358,8 @@ foo_recycle(
             \tstruct foo_perag\t*pag,
             \tstruct foo_inode\t*ip)
             {
             \tint error;
            -\tspin_unlock(&ip->i_flags_lock);
            -\trcu_read_unlock();
            -
             \terror = foo_reinit(ip);
             \tif (error)
             \t\treturn error;
             \treturn 0;

            """
        let fp = try #require(PatchText.parse(diff).first)
        let fns = HunkFunctions.functions(of: fp, side: .old)
        #expect(fns.map(\.name) == ["foo_recycle"])
        #expect(fns.first?.startVisible == true)
        #expect(fns.first?.parameters == ["pag", "ip"])
        #expect(fns.first?.tokens.first?.text == "int")
        let fs = try Self.analyze(diff)
        #expect(fs.map(Self.fileLines) == [
            "foo_recycle lock-balance/caller-held@362 note: released 362 fixed",
            "foo_recycle lock-balance/caller-held@363 note: released 363 fixed",
        ])
    }
}
