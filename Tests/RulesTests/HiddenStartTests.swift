import Testing
@testable import Rules

/// Hunk mode: what one version of a function proves about the hidden lines above its fragment
/// holds for the other version (`HiddenStartEvidence`), and no path goes on past the end of the
/// shown code. Patches are read by the real `PatchParser`.
struct HiddenStartTests {
    /// A fix that adds the only put: the old version shows no put of `syscon`, the patched one puts
    /// it on the error branch without a shown get, so a reference is held above the hunk and the old
    /// error return keeps it (the shape of drivers/iio/adc/aspeed_adc.c before its leak fix).
    @Test func theFixsPutShowsTheOldErrorReturnLeaks() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/iio/adc/foo_adc.c b/drivers/iio/adc/foo_adc.c
            --- a/drivers/iio/adc/foo_adc.c
            +++ b/drivers/iio/adc/foo_adc.c
            @@ -186,8 +186,10 @@ static int foo_adc_set_trim_data(struct iio_dev *indio_dev)
             \t}
             
             \tscu = syscon_node_to_regmap(syscon);
            -\tif (IS_ERR(scu))
            +\tif (IS_ERR(scu)) {
            +\t\tof_node_put(syscon);
             \t\treturn PTR_ERR(scu);
            +\t}
             
             \tret = regmap_read(scu, FOO_TRIM_REG, &trim);

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_adc_set_trim_data refcount-balance/leak@190 warning: held from before the hunk 186, returns 190 fixed",
        ])
        #expect(fs.first?.message.contains("the patched version puts `syscon` at its line 190") == true)
    }

    /// A get on a pointer the hunk does not show the origin of, handed to a finder that drops it
    /// (the fix of s10_init in drivers/fpga/stratix10-soc.c, as its patch shows it: `fw_np` was
    /// found above the hunk). On the fixed side the finder takes the fix's get and the reference
    /// from above stays, so the later uses of `fw_np` are no use after put; on the old side the
    /// finder drops the only reference and the use after it is one (`RefEntry.heldBefore`).
    @Test func aGetBeforeAFinderThatDropsItLeavesTheReferenceFromAbove() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/fpga/stratix10-soc.c b/drivers/fpga/stratix10-soc.c
            --- a/drivers/fpga/stratix10-soc.c
            +++ b/drivers/fpga/stratix10-soc.c
            @@ -507,12 +507,16 @@ static int __init s10_init(void)
             	if (!fw_np)
             		return -ENODEV;
             
            +	of_node_get(fw_np);
             	np = of_find_matching_node(fw_np, s10_of_match);
            -	if (!np)
            +	if (!np) {
            +		of_node_put(fw_np);
             		return -ENODEV;
            +	}
             
             	of_node_put(np);
             	ret = of_platform_populate(fw_np, s10_of_match, NULL, NULL);
            +	of_node_put(fw_np);
             	if (ret)
             		return ret;
             

            """)
        let errors = fs.filter { $0.severity == .error }
        // Only the old side's use after the finder dropped the reference; nothing on the fixed side.
        #expect(!errors.isEmpty && errors.allSatisfy { $0.status == .fixed }, "\(fs.map(HunkModeTests.fileLines))")
    }

    /// The same for a lock: the fix adds the unlocks before two error returns of a function whose
    /// lock is taken above the hunk (drivers/counter/rz-mtu3-cnt.c before its fix).
    @Test func theFixsUnlockShowsTheOldErrorReturnsHoldTheLock() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/counter/bar-cnt.c b/drivers/counter/bar-cnt.c
            --- a/drivers/counter/bar-cnt.c
            +++ b/drivers/counter/bar-cnt.c
            @@ -358,13 +358,17 @@ static int bar_count_ceiling_write(struct counter_device *counter,
             \tswitch (count->id) {
             \tcase BAR_16_BIT_CH:
            -\t\tif (ceiling > U16_MAX)
            +\t\tif (ceiling > U16_MAX) {
            +\t\t\tmutex_unlock(&priv->lock);
             \t\t\treturn -ERANGE;
            +\t\t}
             \t\tpriv->max16 = ceiling;
             \t\tbreak;
             \tcase BAR_32_BIT_CH:
            -\t\tif (ceiling > U32_MAX)
            +\t\tif (ceiling > U32_MAX) {
            +\t\t\tmutex_unlock(&priv->lock);
             \t\t\treturn -ERANGE;
            +\t\t}
             \t\tpriv->max32 = ceiling;
             \t\tbreak;
             \tdefault:

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "bar_count_ceiling_write lock-balance/held-at-return@361 warning: held from before the hunk 358, returns 361, returns 366 fixed",
        ])
        #expect(fs.first?.message.contains("the patched version releases it at its line 361") == true)
    }

    /// A patch that drops the put from an error path: the old version's put shows the reference
    /// held above the hunk, and the new error return keeps it, if that put was right. A patch that
    /// deletes an extra put looks the same, so it is a note that says so.
    @Test func aRemovedPutIsANoteOnTheNewErrorReturn() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -70,9 +70,8 @@ static int foo_probe(struct platform_device *pdev)
             \tpriv->regs = of_iomap(np, 0);
            -\tif (!priv->regs) {
            -\t\tof_node_put(np);
            +\tif (!priv->regs)
             \t\treturn -ENOMEM;
            -\t}
             
             \tpriv->irq = irq_of_parse_and_map(np, 0);

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_probe refcount-balance/leak@72 note: held from before the hunk 70, returns 72 introduced",
        ])
        #expect(fs.first?.message.contains("the version before the patch puts `np` at its line 72") == true)
        #expect(fs.first?.message.contains("the patch removes that put") == true)
    }

    /// iio ad5592r (2025), "Delete stray unlock": the old error return unlocked a mutex the
    /// function no longer held (a `guard()` above the hunk had taken over). The old version's
    /// release is the bug, so it is no proof that the new return keeps the lock: a note.
    @Test func aRemovedStrayUnlockIsNoWarning() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/iio/dac/ad5592r-base.c b/drivers/iio/dac/ad5592r-base.c
            --- a/drivers/iio/dac/ad5592r-base.c
            +++ b/drivers/iio/dac/ad5592r-base.c
            @@ -324,10 +324,8 @@ static int ad5592r_write_raw(struct iio_dev *iio_dev,
             
             \t\t\tret = st->ops->reg_read(st, AD5592R_REG_CTRL,
             \t\t\t\t\t\t&st->cached_gp_ctrl);
            -\t\t\tif (ret < 0) {
            -\t\t\t\tmutex_unlock(&st->lock);
            +\t\t\tif (ret < 0)
             \t\t\t\treturn ret;
            -\t\t\t}
             
             \t\t\tif (chan->output) {
             \t\t\t\tif (gain)

            """)
        #expect(!fs.contains { $0.severity != .note })
        #expect(fs.contains { $0.kind == "held-at-return" && $0.message.contains("the patch removes that release") })
    }

    /// Evidence is not taken over where the receiving version says something of its own about the
    /// object: here the old version assigns `np` in the shown lines (the reference it holds at the
    /// return is its own business), and it takes `foo->lock` itself.
    @Test func noEvidenceWhereTheOtherVersionTouchesTheObject() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -70,10 +70,10 @@ static int foo_probe(struct platform_device *pdev)
            -\tnp = pdev->dev.of_node;
            -\tmutex_lock(&foo->lock);
            +\tmutex_lock_nested(&foo->lock, 1);
             \tif (foo_busy(foo)) {
            +\t\tmutex_unlock(&foo->lock);
            +\t\tof_node_put(np);
             \t\treturn -EBUSY;
             \t}
             \tfoo->state = 1;

            """)
        #expect(fs.filter { $0.severity >= .warning && $0.status == .fixed }.isEmpty)
    }

    /// A hunk that starts inside a block whose opening it does not show (the fix of
    /// mcp3422_read_channel in drivers/iio/adc/mcp3422.c, 2020): the fix's unlock inside the block
    /// shows the lock held there, so the old error return inside the same block returns holding it.
    @Test func aReleaseInsideAHiddenBlockShowsTheLockHeldInIt() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/iio/adc/foo.c b/drivers/iio/adc/foo.c
            --- a/drivers/iio/adc/foo.c
            +++ b/drivers/iio/adc/foo.c
            @@ -143,8 +143,10 @@ static int foo_read_channel(struct foo *adc,
             \t\tconfig &= ~FOO_PGA_MASK;
             \t\tconfig |= FOO_PGA_VALUE(adc->pga[req_channel]);
             \t\tret = foo_update_config(adc, config);
            -\t\tif (ret < 0)
            +\t\tif (ret < 0) {
            +\t\t\tmutex_unlock(&adc->lock);
             \t\t\treturn ret;
            +\t\t}
             \t\tmsleep(foo_read_times[FOO_SAMPLE_RATE(adc->config)]);
             \t}
             

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_read_channel lock-balance/held-at-return@147 warning: held from before the hunk 143, returns 147 fixed",
        ])
    }

    /// The mirror case: a release only the paths that skip the hidden block reach (after a hidden
    /// `if (!mutex_trylock(&foo->lock)) {`) shows nothing about the state inside the block.
    @Test func aReleaseAfterAHiddenBlockShowsNothingInsideIt() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -70,9 +70,10 @@ static int foo_poll(struct foo *foo)
             \t\tdev_dbg(foo->dev, "busy\\n");
            -\t\treturn -EBUSY;
            +\t\treturn -EAGAIN;
             \t}
             \tfoo->state = foo_read(foo);
            +\tfoo->polls++;
             \tmutex_unlock(&foo->lock);
             \treturn 0;
             }

            """)
        #expect(fs.filter { $0.severity >= .warning }.isEmpty)
    }

    /// …and a release inside the hidden block shows nothing about the paths that skip it: the block
    /// may take the lock in its own hidden lines (`if (reset) { mutex_lock(&foo->lock); …`).
    @Test func aReleaseInsideAHiddenBlockShowsNothingAfterIt() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -70,8 +70,9 @@ static int foo_update(struct foo *foo)
             \t\tfoo->count = 0;
             \t\tmutex_unlock(&foo->lock);
             \t}
             \tif (foo->broken)
             \t\treturn -EIO;
            +\tfoo->updates++;
             \treturn 0;
             }

            """)
        #expect(fs.filter { $0.severity >= .warning }.isEmpty)
    }

    /// Evidence holds where its path began; two hunks of one function number their blocks each on
    /// its own, so their merged evidence names no block of the other version.
    @Test func blockScopesMatchExactlyAndMergedFragmentsNameNoBlock() {
        #expect(HiddenStartEvidence.admits([[0]], [0]))
        #expect(!HiddenStartEvidence.admits([[0]], []))
        #expect(!HiddenStartEvidence.admits([[]], [0]))
        #expect(!HiddenStartEvidence.admits([[0, 1]], [0]))
        #expect(!HiddenStartEvidence.admits(nil, []))
        var a = HiddenStartEvidence()
        a.locks = ["foo->lock": 12]; a.lockScopes = ["foo->lock": [[0]]]; a.blocks = 1
        var b = HiddenStartEvidence()
        b.locks = ["foo->lock": 40]; b.lockScopes = ["foo->lock": [[]]]; b.blocks = 1
        a.merge(b)
        #expect(a.locks == ["foo->lock": 12])
        #expect(a.lockScopes == ["foo->lock": [[0], []]])
        #expect(a.blocks == -1)
        var c = HiddenStartEvidence()
        c.merge(HiddenStartEvidence())
        #expect(c.blocks == 0)
    }

    /// A hunk that ends inside a loop body, after a put and before the hidden `return`: the loop's
    /// next round is in hidden lines, so the iterator's put is no second put
    /// (drivers/pinctrl/pinctrl-falcon.c, a `for_each_compatible_node` body cut by the hunk).
    @Test func noLoopRoundPastTheEndOfTheShownCode() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/pinctrl/pinctrl-baz.c b/drivers/pinctrl/pinctrl-baz.c
            --- a/drivers/pinctrl/pinctrl-baz.c
            +++ b/drivers/pinctrl/pinctrl-baz.c
            @@ -431,10 +431,11 @@ static int baz_probe(struct platform_device *pdev)
             
             \tfor_each_compatible_node(np, NULL, "acme,pad-baz") {
             \t\tconst __be32 *bank = of_get_property(np, "acme,bank", NULL);
            +\t\tint pins;
             
             \t\tif (!bank || *bank >= PORTS)
             \t\t\tcontinue;
             \t\tbaz_info.clk[*bank] = clk_get(&pdev->dev, NULL);
             \t\tif (IS_ERR(baz_info.clk[*bank])) {
             \t\t\tdev_err(&pdev->dev, "failed to get clock\\n");
             \t\t\tof_node_put(np);

            """)
        #expect(fs.filter { $0.ruleID == "refcount-balance" }.isEmpty)
    }

    /// A fragment that opens with the body of a hidden `if (!pdev)`: the code after the `return` is
    /// reachable, and a device put through its container (`put_device(&pdev->dev)`) on the patched
    /// version's error branches shows it held above the hunk (drivers/cpuidle/cpuidle-qcom-spm.c
    /// before its leak fix).
    @Test func aLeadingReturnIsConditionalAndAnEmbeddedDeviceIsHeld() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/cpuidle/cpuidle-foo.c b/drivers/cpuidle/cpuidle-foo.c
            --- a/drivers/cpuidle/cpuidle-foo.c
            +++ b/drivers/cpuidle/cpuidle-foo.c
            @@ -107,12 +107,16 @@ static int foo_cpuidle_register(struct device *cpuidle_dev, int cpu)
             \t\treturn -ENODEV;
             
             \tdata = devm_kzalloc(cpuidle_dev, sizeof(*data), GFP_KERNEL);
            -\tif (!data)
            +\tif (!data) {
            +\t\tput_device(&pdev->dev);
             \t\treturn -ENOMEM;
            +\t}
             
             \tdata->spm = dev_get_drvdata(&pdev->dev);
            -\tif (!data->spm)
            +\tif (!data->spm) {
            +\t\tput_device(&pdev->dev);
             \t\treturn -EINVAL;
            +\t}
             
             \tdata->cpuidle_driver = foo_idle_driver;
             \tdata->cpuidle_driver.cpumask = (struct cpumask *)cpumask_of(cpu);

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_cpuidle_register refcount-balance/leak@111 warning: held from before the hunk 107, returns 111, returns 115 fixed",
        ])
    }

    /// A member of a local structure an output-argument call filled in above the hunk (`args.np`).
    @Test func aMemberOfALocalStructureIsHeld() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/gpio/gpio-foo.c b/drivers/gpio/gpio-foo.c
            --- a/drivers/gpio/gpio-foo.c
            +++ b/drivers/gpio/gpio-foo.c
            @@ -50,8 +50,10 @@ static int foo_parse_dt(struct foo *p)
             \t}
             \tp->base = args.args[0];
            -\tif (p->base > FOO_MAX)
            +\tif (p->base > FOO_MAX) {
            +\t\tof_node_put(args.np);
             \t\treturn -EINVAL;
            +\t}
             \tp->np = args.np;
             \treturn 0;
             }

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_parse_dt refcount-balance/leak@53 warning: held from before the hunk 50, returns 53 fixed",
        ])
    }

    /// A parameter's reference is not evidence: a put function drops its caller's reference only
    /// when the count reaches zero, and returns the count before (the shape of
    /// drivers/cpufreq/cpufreq_governor_attr_set.c `gov_attr_set_put`).
    @Test func aParametersPutShowsNothingHeld() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/cpufreq/foo_attr_set.c b/drivers/cpufreq/foo_attr_set.c
            --- a/drivers/cpufreq/foo_attr_set.c
            +++ b/drivers/cpufreq/foo_attr_set.c
            @@ -74,8 +74,8 @@ unsigned int foo_attr_set_put(struct foo_attr_set *attr_set, struct list_head *l
             \tif (count)
             \t\treturn count;
             
            -\tkobject_put(&attr_set->kobj);
             \tmutex_destroy(&attr_set->update_lock);
            +\tkobject_put(&attr_set->kobj);
             \treturn 0;
             }

            """)
        #expect(fs.filter { $0.kind == "leak" }.isEmpty)
    }

    /// `kobject_init_and_add` gives the embedded kobject its first reference, also when it fails:
    /// the error return must put it; the success return keeps it by design
    /// (drivers/power/supply/ab8500_fg.c before its leak fix).
    @Test func anInitialisingGetIsPutOnFailureOnly() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/power/supply/foo_fg.c b/drivers/power/supply/foo_fg.c
            --- a/drivers/power/supply/foo_fg.c
            +++ b/drivers/power/supply/foo_fg.c
            @@ -20,9 +20,11 @@ static int foo_fg_sysfs_init(struct foo_fg *di)
             \tret = kobject_init_and_add(&di->fg_kobject,
             \t\t&foo_fg_ktype,
             \t\tNULL, "battery");
            -\tif (ret < 0)
            +\tif (ret < 0) {
            +\t\tkobject_put(&di->fg_kobject);
             \t\tdev_err(di->dev, "failed to create sysfs entry\\n");
            +\t}
             
             \treturn ret;
             }

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_fg_sysfs_init refcount-balance/leak@26 warning: get 20, returns 26 fixed",
        ])
    }

    /// A void function fails by reporting an error and returning: `pr_err(…); return;` is an error
    /// return, and so is `pr_err(…); goto out;` to a bare end (drivers/clk/mediatek/clk-pllfh.c
    /// before its leak fix). A bare return without a report is not.
    @Test func aVoidFunctionsReportedReturnIsAnErrorReturn() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/clk/foo/clk-pllfh.c b/drivers/clk/foo/clk-pllfh.c
            --- a/drivers/clk/foo/clk-pllfh.c
            +++ b/drivers/clk/foo/clk-pllfh.c
            @@ -75,17 +75,20 @@ void foo_parse_dt(const u8 *compatible_node, struct foo_data *pllfhs,
             \tbase = of_iomap(node, 0);
             \tif (!base) {
             \t\tpr_err("%s(): ioremap failed\\n", __func__);
            -\t\treturn;
            +\t\tgoto out_node_put;
             \t}
             
             \tnum_clocks = of_clk_get_parent_count(node);
            -\tif (!num_clocks)
            +\tif (!num_clocks) {
            +\t\tpr_err("%s(): no clocks\\n", __func__);
            +\t\tgoto out_node_put;
            +\t}
            +\tif (num_clocks > FOO_MAX)
             \t\treturn;
             
             \tfor (i = 0; i < num_clocks; i++)
             \t\tfoo_setup(pllfhs, i, base);
            +
            +out_node_put:
            +\tof_node_put(node);
             }

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "foo_parse_dt refcount-balance/leak@78 warning: held from before the hunk 75, returns 78 fixed",
        ])
    }

    /// A fix that covers 1 of the 2 error returns the old version leaks on: the remaining one is
    /// present, and its message says how much the patch fixed.
    @Test func aPartialFixSaysWhatRemains() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo.c b/drivers/foo.c
            --- a/drivers/foo.c
            +++ b/drivers/foo.c
            @@ -10,15 +10,17 @@ static int foo_probe(struct platform_device *pdev)
             \tstruct device_node *np;
             \tint ret;
             
             \tnp = of_get_child_by_name(pdev->dev.of_node, "ports");
             \tif (!np)
             \t\treturn -ENODEV;
             \tret = foo_a(np);
            -\tif (ret)
            +\tif (ret) {
            +\t\tof_node_put(np);
             \t\treturn ret;
            +\t}
             \tret = foo_b(np);
             \tif (ret)
             \t\treturn ret;
             \tof_node_put(np);
             \treturn 0;
             }

            """)
        let leak = try #require(fs.first { $0.kind == "leak" })
        #expect(leak.status == .present)
        #expect(leak.message.hasSuffix("(the patch fixes 1 of the 2 leaking returns of the old version; 1 remains)"))
    }

    // MARK: iterator loops left into hidden lines (IteratorExits.swift)

    /// iio ad7292 (2020): the fix puts the cursor before `break`; the rest of the function is
    /// hidden. The patched version's put shows the hidden code after the loop does not put `child`,
    /// so the old `break` is the fixed iterator leak.
    @Test func aPutBeforeTheSameBreakShowsTheOldBreakLeaks() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/iio/adc/ad7292.c b/drivers/iio/adc/ad7292.c
            --- a/drivers/iio/adc/ad7292.c
            +++ b/drivers/iio/adc/ad7292.c
            @@ -310,8 +310,10 @@ static int ad7292_probe(struct spi_device *spi)
             
             \tfor_each_available_child_of_node(spi->dev.of_node, child) {
             \t\tdiff_channels = of_property_read_bool(child, "diff-channels");
            -\t\tif (diff_channels)
            +\t\tif (diff_channels) {
            +\t\t\tof_node_put(child);
             \t\t\tbreak;
            +\t\t}
             \t}
             
             \tif (diff_channels) {

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "ad7292_probe refcount-balance/iterator-leak@314 warning: get 311, returns 314 fixed",
        ])
        #expect(fs.first?.message.contains("puts `child` before the same `break`") == true)
    }

    /// thermal/of (2024): the fix converts the loop to `for_each_child_of_node_scoped`; the
    /// `goto out_kfree` target is hidden. The hidden code cannot name a scoped cursor, so it does
    /// not put the old one either.
    @Test func aScopedConversionShowsTheOldGotoLeaks() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/thermal/thermal_of.c b/drivers/thermal/thermal_of.c
            --- a/drivers/thermal/thermal_of.c
            +++ b/drivers/thermal/thermal_of.c
            @@ -150,7 +150,7 @@ static struct thermal_trip *thermal_of_trips_init(struct device_node *np, int *n
             \t*ntrips = count;
             
             \tcount = 0;
            -\tfor_each_child_of_node(trips, trip) {
            +\tfor_each_child_of_node_scoped(trips, trip) {
             \t\tret = thermal_of_populate_trip(trip, &tt[count++]);
             \t\tif (ret)
             \t\t\tgoto out_kfree;

            """)
        #expect(fs.map(HunkModeTests.fileLines) == [
            "thermal_of_trips_init refcount-balance/iterator-leak@156 warning: get 153, returns 156 fixed",
        ])
    }

    /// Without the other version's word the hidden label may put the cursor (`err_put: of_node_put(child);`):
    /// a patch that only renames a call says nothing, and nothing is claimed.
    @Test func aGotoIntoHiddenLinesAloneIsNoLeak() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/pinctrl/foo.c b/drivers/pinctrl/foo.c
            --- a/drivers/pinctrl/foo.c
            +++ b/drivers/pinctrl/foo.c
            @@ -862,7 +862,7 @@ static int foo_dt_node_to_map(struct pinctrl_dev *pctldev,
             \tfor_each_available_child_of_node(np_config, np) {
            -\t\tret = foo_subnode_to_map(pctldev, np, map, &reserved_maps, num_maps);
            +\t\tret = foo_dt_subnode_to_map(pctldev, np, map, &reserved_maps, num_maps);
             \t\tif (ret < 0)
             \t\t\tgoto err;
             \t}
             \treturn 0;
             

            """)
        #expect(fs.filter { $0.severity != .note }.isEmpty)
    }

    /// The other way round: only the version before the patch puts the cursor before `goto err`.
    /// The patch may have removed an extra put (the label puts it), so the new exit is a note.
    @Test func aPutOnlyTheOldVersionHasIsANote() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/pinctrl/foo.c b/drivers/pinctrl/foo.c
            --- a/drivers/pinctrl/foo.c
            +++ b/drivers/pinctrl/foo.c
            @@ -862,10 +862,8 @@ static int foo_dt_node_to_map(struct pinctrl_dev *pctldev,
             \tfor_each_available_child_of_node(np_config, np) {
             \t\tret = foo_subnode_to_map(pctldev, np, map, &reserved_maps, num_maps);
            -\t\tif (ret < 0) {
            -\t\t\tof_node_put(np);
            +\t\tif (ret < 0)
             \t\t\tgoto err;
            -\t\t}
             \t}
             \treturn 0;
             

            """)
        #expect(fs.filter { $0.severity != .note }.isEmpty)
        #expect(fs.contains { $0.kind == "iterator-leak" && $0.message.contains("the patch removes that put") })
    }

    /// A `break` that keeps the found child on purpose (stored for later) is no leak, even when the
    /// patch puts the cursor before the error `break` of the same loop; that one is the fixed leak.
    @Test func aBreakThatStoresTheFoundChildIsNoLeak() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
            --- a/drivers/foo/foo.c
            +++ b/drivers/foo/foo.c
            @@ -40,10 +40,12 @@ static int foo_find_port(struct foo *priv, struct device_node *np)
             \tfor_each_child_of_node(np, child) {
             \t\tif (of_node_name_eq(child, "port")) {
             \t\t\tpriv->port = child;
             \t\t\tbreak;
             \t\t}
            -\t\tif (foo_bad(child))
            +\t\tif (foo_bad(child)) {
            +\t\t\tof_node_put(child);
             \t\t\tbreak;
            +\t\t}
             \t}
             
             \tif (!priv->port)

            """)
        #expect(fs.filter { $0.severity != .note }.map(HunkModeTests.fileLines) == [
            "foo_find_port refcount-balance/iterator-leak@46 warning: get 40, returns 46 fixed",
        ])
    }

    /// A patch that converts one loop to `_scoped` and leaves another iterating an unscoped cursor
    /// of the same name: the hidden label may put that one, so the scoped loop proves nothing about
    /// the other loop's `goto`.
    @Test func aPartlyScopedConversionProvesNothingForTheOtherLoop() throws {
        let fs = try HunkModeTests.analyze("""
            diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
            --- a/drivers/foo/foo.c
            +++ b/drivers/foo/foo.c
            @@ -40,12 +40,12 @@ static int foo_parse(struct foo *priv, struct device_node *np)
            -\tfor_each_child_of_node(np, child) {
            +\tfor_each_child_of_node_scoped(np, child) {
             \t\tret = foo_count(priv, child);
             \t\tif (ret)
             \t\t\treturn ret;
             \t}
             \tfor_each_child_of_node(np, child) {
             \t\tret = foo_add(priv, child);
             \t\tif (ret)
             \t\t\tgoto err;
             \t}
             \treturn 0;
             

            """)
        // The scoped loop's own `return` is the visible leak it fixes; the other loop's `goto` is
        // not claimed.
        #expect(fs.filter { $0.severity != .note }.map(HunkModeTests.fileLines) == [
            "foo_parse refcount-balance/iterator-leak@43 warning: get 40, returns 43 fixed",
        ])
    }
}
