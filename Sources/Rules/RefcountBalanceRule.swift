/// `refcount-balance`: get/put pairs unbalanced on some path, puts of references the function does
/// not own, and uses after the put.
struct RefcountBalanceRule: Rule {
    static let description = RuleDescription(
        id: "refcount-balance",
        name: "Unbalanced reference counting",
        summary: "A reference taken is not put on some path, is put more often than taken, or is used after its put.",
        rationale: """
            A missing put on an error path leaks the object (and often its module or device); an extra \
            put frees it under another user; a use after the last put is a use-after-free. References \
            stored into a field, returned, or handed to a consumer leave the function's balance. \
            Iterators such as `for_each_child_of_node` hold a reference on the cursor inside the body, so \
            leaving the loop early keeps it.
            """,
        triggering: [
            RuleExample("""
                static int probe(struct device *dev)
                {
                \tstruct device_node *np;
                \tnp = of_find_node_by_name(NULL, "foo");
                \tif (!np)
                \t\treturn -ENODEV;
                \tif (setup(np))
                ↓\t\treturn -EINVAL;
                \tof_node_put(np);
                \treturn 0;
                }
                """),
            RuleExample("""
                static int resume(struct device *dev)
                {
                \tint ret = pm_runtime_get_sync(dev);
                \tif (ret < 0)
                ↓\t\treturn ret;
                \tdo_io(dev);
                \tpm_runtime_put(dev);
                \treturn 0;
                }
                """),
            RuleExample("""
                static void twice(struct foo *f)
                {
                \tkref_get(&f->ref);
                \tuse(f);
                \tkref_put(&f->ref, release);
                ↓\tkref_put(&f->ref, release);
                }
                """),
            // An error code returned through a call (`return PTR_ERR(map)`) is an error return
            // (drivers/pinctrl/pinctrl-rockchip.c before 2021).
            RuleExample("""
                static int grf_probe(struct platform_device *pdev, struct info *info)
                {
                \tstruct device_node *node;
                \tnode = of_parse_phandle(pdev->dev.of_node, "rockchip,grf", 0);
                \tif (node) {
                \t\tinfo->regmap = syscon_node_to_regmap(node);
                \t\tif (IS_ERR(info->regmap))
                ↓\t\t\treturn PTR_ERR(info->regmap);
                \t\tof_node_put(node);
                \t}
                \treturn 0;
                }
                """),
            // A finder's result handed straight to another call is never put (meson clock drivers).
            RuleExample("""
                static int aoclk_probe(struct platform_device *pdev)
                {
                \tstruct regmap *regmap;
                ↓\tregmap = syscon_node_to_regmap(of_get_parent(pdev->dev.of_node));
                \tif (IS_ERR(regmap))
                \t\treturn PTR_ERR(regmap);
                \treturn 0;
                }
                """),
            // A finder's result never tested for NULL, kept on `return ret` after `if (ret)`
            // (drivers/pinctrl/pinctrl-rockchip.c rockchip_pinctrl_parse_groups).
            RuleExample("""
                static int parse_groups(struct group *grp, const __be32 *phandle)
                {
                \tstruct device_node *np_config;
                \tint ret;
                \tnp_config = of_find_node_by_phandle(be32_to_cpup(phandle));
                \tret = pinconf_generic_parse_dt_config(np_config, NULL, &grp->configs, &grp->nconfigs);
                \tif (ret)
                ↓\t\treturn ret;
                \tof_node_put(np_config);
                \treturn 0;
                }
                """),
            // An output argument holds the reference (`args.np`), and `ret` set to an error code
            // makes `return ret` an error return.
            RuleExample("""
                static int parse_ranges(struct device_node *np, unsigned int *npins)
                {
                \tstruct of_phandle_args args;
                \tint ret;
                \tret = of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &args);
                \tif (ret)
                \t\treturn ret;
                \tif (args.args[2] == 0) {
                \t\tret = -EINVAL;
                \t\tgoto out;
                \t}
                \t*npins = args.args[2];
                \tof_node_put(args.np);
                \treturn 0;
                out:
                ↓\treturn ret;
                }
                """),
            // …and when no branch tests the call's result, the member holds a reference whenever
            // the call succeeded (drivers/gpio/gpio-rcar.c gpio_rcar_parse_dt before its fix).
            RuleExample("""
                static int parse_npins(struct device_node *np, unsigned int *npins)
                {
                \tstruct of_phandle_args args;
                \tint ret;
                \tret = of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &args);
                \t*npins = ret == 0 ? args.args[2] : MAX_GPIO_PER_BANK;
                ↓\treturn 0;
                }
                """),
            // A finder's result in a local that the function neither returns nor stores: lost on
            // every return (drivers/power/supply/cpcap-charger.c).
            RuleExample("""
                static int bat_const_charge_voltage(struct ddata *ddata)
                {
                \tstruct power_supply *battery;
                \tint voltage = ddata->voltage;
                \tbattery = power_supply_get_by_name("battery");
                \tif (battery)
                \t\tvoltage = read_voltage(battery);
                ↓\treturn voltage;
                }
                """),
            // `if (!np || !of_device_is_available(np))` is also true for a node that was found but is
            // disabled: that return keeps the reference.
            RuleExample("""
                static int find_available(struct device *dev)
                {
                \tstruct device_node *np;
                \tnp = of_find_compatible_node(NULL, NULL, "acme,adc");
                \tif (!np || !of_device_is_available(np))
                ↓\t\treturn -ENODEV;
                \tacme_setup(dev, np);
                \tof_node_put(np);
                \treturn 0;
                }
                """),
            // A put of the caller's reference: the function was handed `np` and never took one of its
            // own (the shape of the fixes that drop an `of_node_put(dev->of_node)`).
            RuleExample("""
                static int acme_parse_child(struct device *dev, struct device_node *np)
                {
                \tu32 reg;
                \tif (of_property_read_u32(np, "reg", &reg))
                \t\treturn -EINVAL;
                ↓\tof_node_put(np);
                \treturn reg;
                }
                """),
        ],
        nonTriggering: [
            // The output argument's reference put where the call's result says it was taken
            // (drivers/gpio/gpio-rcar.c gpio_rcar_parse_dt after its fix).
            RuleExample("""
                static int parse_npins(struct device_node *np, unsigned int *npins)
                {
                \tstruct of_phandle_args args;
                \tint ret;
                \tret = of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &args);
                \tif (ret) {
                \t\t*npins = MAX_GPIO_PER_BANK;
                \t} else {
                \t\t*npins = args.args[2];
                \t\tof_node_put(args.np);
                \t}
                \treturn 0;
                }
                """),
            // A helper that takes over its caller's reference: it returns the object on success and
            // puts it on failure (drivers/fpga/fpga-mgr.c __fpga_mgr_get() before 2024, handed the
            // device that class_find_device() found).
            RuleExample("""
                static struct fpga_manager *__fpga_mgr_get(struct device *dev)
                {
                \tstruct fpga_manager *mgr;
                \tmgr = to_fpga_manager(dev);
                \tif (!try_module_get(dev->parent->driver->owner))
                \t\tgoto err_dev;
                \treturn mgr;
                err_dev:
                \tput_device(dev);
                \treturn ERR_PTR(-ENODEV);
                }
                """),
            // A devm action whose whole body is the put drops what it is handed by design
            // (drivers/pinctrl/cirrus/pinctrl-cs42l43.c, `Consumers.swift`).
            RuleExample("""
                static void cs42l43_fwnode_put(void *data)
                {
                \tfwnode_handle_put(data);
                }
                """),
            // cleanup.h: a `__free` variable declared NULL and assigned later is put when its scope
            // ends (drivers/pci/hotplug/pciehp_hpc.c pciehp_device_replaced).
            RuleExample("""
                static bool device_replaced(struct controller *ctrl)
                {
                \tstruct pci_dev *pdev __free(pci_dev_put) = NULL;
                \tpdev = pci_get_slot(ctrl->port->subordinate, PCI_DEVFN(0, 0));
                \tif (!pdev)
                \t\treturn true;
                \tif (pci_get_dsn(pdev) != ctrl->dsn)
                \t\treturn true;
                \treturn false;
                }
                """),
            // `no_free_ptr()` hands the reference on.
            RuleExample("""
                static struct device_node *find_port(struct device_node *np)
                {
                \tstruct device_node *port __free(device_node) = of_get_child_by_name(np, "port");
                \tif (!port || !of_device_is_available(port))
                \t\treturn NULL;
                \treturn no_free_ptr(port);
                }
                """),
            // A reference taken on an object the function already had, then handed to a call after
            // the thing it is attached to, may have been taken over (drivers/fpga/xrt: the changeset
            // owns the node).
            RuleExample("""
                static int create_group(struct group *grp, struct device_node *dn)
                {
                \tint ret;
                \tof_node_get(dn);
                \tof_changeset_attach_node(&grp->chgset, dn);
                \tret = of_changeset_apply(&grp->chgset);
                \tif (ret)
                \t\treturn ret;
                \treturn 0;
                }
                """),
            // A runtime-PM usage count on the device it was handed, kept when a later call fails:
            // the caller's error path drops it (drivers/iio/adc/sun4i-gpadc-iio.c prepare_for_irq).
            RuleExample("""
                static int prepare_for_irq(struct iio_dev *indio_dev)
                {
                \tstruct gpadc *info = iio_priv(indio_dev);
                \tint ret;
                \tpm_runtime_get_sync(indio_dev->dev.parent);
                \tret = regmap_write(info->regmap, GPADC_INT_FIFOC, 1);
                \tif (ret)
                \t\treturn ret;
                \treturn 0;
                }
                """),
            // A managed action owns the object's references: `_or_reset` runs it when it fails.
            RuleExample("""
                static int backend_get(struct device *dev, struct backend *back)
                {
                \tint ret;
                \tkref_get(&back->ref);
                \tret = devm_add_action_or_reset(dev, backend_release, back);
                \tif (ret)
                \t\treturn ret;
                \treturn 0;
                }
                """),
            // A finder's result tested and put on every path.
            RuleExample("""
                static int bat_const_charge_voltage(struct ddata *ddata)
                {
                \tstruct power_supply *battery;
                \tint voltage = ddata->voltage;
                \tbattery = power_supply_get_by_name("battery");
                \tif (battery) {
                \t\tvoltage = read_voltage(battery);
                \t\tpower_supply_put(battery);
                \t}
                \treturn voltage;
                }
                """),
            RuleExample("""
                static int probe(struct device *dev)
                {
                \tstruct device_node *np;
                \tint ret;
                \tnp = of_find_node_by_name(NULL, "foo");
                \tif (!np)
                \t\treturn -ENODEV;
                \tret = setup(np);
                \tof_node_put(np);
                \treturn ret;
                }
                """),
            RuleExample("""
                static int attach(struct priv *p, struct kvm *kvm)
                {
                \tkvm_get_kvm(kvm);
                \tp->kvm = kvm;
                \treturn 0;
                }
                """),
        ])

    func findings(_ facts: FunctionFacts, _ ctx: RuleContext) -> [Finding] {
        var out: [Finding] = []
        let id = Self.description.id
        // Leaks: one finding per reference (object, get line), listing every leaking exit.
        var leaks: [String: [LeakFact]] = [:]
        // A reference kept on a success return may be intended (an open taking a module reference);
        // kept on an error return, on leaving an iterator, or where another success path puts it, it
        // leaks. Kept on success and put only on failure is the function's contract, as a lock's
        // conditional acquire is (`pm_runtime_resume_and_get()` in a buffer's `postenable`, put on
        // its error path and by `predisable`).
        for l in facts.leaks {
            let key = "\(l.object)|\(l.getLine)"
            let balanced = facts.balancedGets.contains(key)
            // (Not for a plain local of this function: `np = of_find…(); … if (ret) { of_node_put(np);
            // return ret; } return 0;` loses it, also where the hunk hides the return's later lines.)
            let keptOnSuccessOnly = !l.errorReturn && !facts.balancedOnSuccess.contains(key) && !l.localObject
            guard (l.errorReturn && (!l.callerMayPut || balanced)) || l.unnamedAfterReturn
                || (l.entryPut == nil && (l.iterator != nil || balanced && !keptOnSuccessOnly)) else { continue }
            leaks["\(l.object)|\(l.family)|\(l.getLine)", default: []].append(l)
        }
        for key in leaks.keys.sorted(by: { (leaks[$0]?.first?.getLine ?? 0, $0) < (leaks[$1]?.first?.getLine ?? 0, $1) }) {
            guard let group = leaks[key], let first = group.first else { continue }
            let exits = Array(Set(group.map(\.exit))).sorted()
            let exitLines: [Finding.Line] = exits.map { .init(.exit, $0, first.object) }
            if let put = first.entryPut {
                // Held from before the hunk: the put on another path is the evidence, or the other
                // version's put (its line is in that version's numbering, so it is named, not listed).
                let other = first.entryPutOtherVersion
                let lines = [.init(.heldOnEntry, first.getLine, first.object)]
                    + (other ? [] : [Finding.Line(.put, put, first.object)]) + exitLines
                let evidence = other
                    ? "\(HiddenStartEvidence.otherVersion(ctx.side)) puts `\(first.object)` at its line \(put)"
                    : "`\(first.object)` is put at line \(put) on another path"
                // A put only the version before the patch has is one the patch removed: its author
                // may have removed an extra put (the bug the patch fixes), so it proves no reference.
                let judged = other ? HiddenStartEvidence.judged(ctx.side, resting: "put") : (severity: Finding.Severity.warning, caveat: "")
                out.append(Finding(ruleID: id, severity: judged.severity, function: ctx.function, file: ctx.file, line: exits[0],
                                   lines: lines, subject: first.object, kind: "leak",
                                   message: "not put: \(evidence), so a reference is held when the shown code starts at line \(first.getLine) (its get is above the hunk); returning an error at line "
                                       + exits.map(String.init).joined(separator: ", ") + " keeps it"
                                       + judged.caveat,
                                   side: ctx.side))
                continue
            }
            let how = first.iterator.map { "the reference `\($0)` holds on `\(first.object)` (line \(first.getLine))" }
                ?? "the reference on `\(first.object)` taken by `\(first.api)` at line \(first.getLine)"
            let verb = first.iterator != nil ? "leaving the loop early keeps " : "not put: "
            out.append(Finding(ruleID: id, severity: .warning, function: ctx.function, file: ctx.file, line: exits[0],
                               lines: [.init(.get, first.getLine, first.object)] + exitLines, subject: first.object,
                               kind: first.iterator != nil ? "iterator-leak" : "leak",
                               message: "\(verb)\(how) when returning at line " + exits.map(String.init).joined(separator: ", "),
                               side: ctx.side))
        }
        // Leaving an iterator loop into hidden lines that, as the other version shows, do not put
        // the cursor (`IteratorExits.swift`).
        for f in facts.iteratorExits.sorted() {
            let evidence = f.scopedElsewhere
                ? "\(HiddenStartEvidence.otherVersion(ctx.side)) iterates with the `_scoped` iterator, so the code it jumps to cannot put `\(f.cursor)`"
                : "\(HiddenStartEvidence.otherVersion(ctx.side)) puts `\(f.cursor)` before the same `\(f.how)`, so the code it jumps to does not"
            let judged = HiddenStartEvidence.judged(ctx.side, resting: "put")
            out.append(Finding(ruleID: id, severity: judged.severity, function: ctx.function, file: ctx.file,
                               line: f.exit, lines: [.init(.get, f.get, f.cursor), .init(.exit, f.exit, f.cursor)],
                               subject: f.cursor, kind: "iterator-leak",
                               message: "leaving the loop early keeps the reference `\(f.iterator)` holds on `\(f.cursor)` (line \(f.get)): `\(f.how)` at line \(f.exit) leaves into lines the hunk does not show, and \(evidence)"
                                   + judged.caveat,
                               side: ctx.side))
        }
        for f in facts.fieldPuts.sorted(by: { ($0.puts.last ?? 0, $0.object) < ($1.puts.last ?? 0, $1.object) }) {
            let last = f.puts.last ?? 0
            let store = f.store
            var lines: [Finding.Line] = [.init(.loaded, f.load, f.field)]
            lines += f.gets.map { .init(.get, $0, f.object) } + f.puts.map { .init(.put, $0, f.object) }
            let gets = f.gets.map(String.init).joined(separator: ", ")
            let puts = f.puts.map(String.init).joined(separator: ", ")
            let whereStored = store.function == ctx.function ? "this function" : "`\(store.function)`"
            out.append(Finding(ruleID: id, severity: .note, function: ctx.function, file: ctx.file, line: last,
                               lines: lines, subject: f.object, kind: "field-reference",
                               message: "`\(f.object)`: \(f.gets.count) get (line \(gets)) and \(f.puts.count) puts (line \(puts)) balance across functions: `\(f.object)` was loaded from `\(f.field)` at line \(f.load), and \(whereStored) stores a counted reference in `\(store.path)` (line \(store.line)); the put at line \(last) releases that one",
                               side: ctx.side))
        }
        for l in facts.lostReferences.sorted(by: { ($0.line, $0.api, $0.callee) < ($1.line, $1.api, $1.callee) }) {
            out.append(Finding(ruleID: id, severity: .warning, function: ctx.function, file: ctx.file, line: l.line,
                               lines: [.init(.get, l.line, "\(l.api)()"), .init(.call, l.line, l.callee)],
                               subject: "\(l.api)()", kind: "leak",
                               message: "not put: the reference `\(l.api)()` returns at line \(l.line) is passed straight to `\(l.callee)()` and never kept, so nothing can put it (assign it to a variable and put it after the call)",
                               side: ctx.side))
        }
        func merged(_ facts: Set<PutFact>) -> [PutFact] {
            var m: [String: PutFact] = [:]
            for f in facts {
                let k = f.object + "|" + f.family
                if var x = m[k] {
                    x.gets = Array(Set(x.gets + f.gets)).sorted(); x.puts = Array(Set(x.puts + f.puts)).sorted()
                    x.byCallee = Array(Set(x.byCallee + f.byCallee)).sorted()
                    m[k] = x
                } else {
                    var f2 = f
                    f2.gets = Array(Set(f.gets)).sorted(); f2.puts = Array(Set(f.puts)).sorted()
                    f2.byCallee = Array(Set(f.byCallee)).sorted()
                    m[k] = f2
                }
            }
            return m.values.sorted { ($0.puts.last ?? 0, $0.object) < ($1.puts.last ?? 0, $1.object) }
        }
        for f in merged(facts.overPuts) {
            let lines: [Finding.Line] = f.gets.map { .init(.get, $0, f.object) } + f.puts.map { .init(.put, $0, f.object) }
            let by = f.byCallee.isEmpty ? "" : " (`\(f.byCallee.joined(separator: "`, `"))` drops it too)"
            out.append(Finding(ruleID: id, severity: .error, function: ctx.function, file: ctx.file, line: f.puts.last ?? 0,
                               lines: lines, subject: f.object, kind: "over-put",
                               message: "`\(f.object)`: \(f.gets.count) get (line \(f.gets.map(String.init).joined(separator: ", "))) but \(f.puts.count) puts (line \(f.puts.map(String.init).joined(separator: ", ")))\(by): one more put than get in this function",
                               side: ctx.side))
        }
        for f in merged(facts.doublePuts) {
            // A callee that drops the reference, then the function's own put: twice for certain; and
            // a usage counter (runtime PM) dropped twice that nothing in the function raised. Two
            // puts of an object's references the function never took may be two references others
            // held (a list's and the allocation's, dfl_fpga_feature_devs_remove()): not known here.
            let by = f.byCallee.isEmpty ? "" : " (`\(f.byCallee.joined(separator: "`, `"))` already put it)"
            // (One put reached in two rounds of a loop drops one count per round: the pair of one
            // get per item elsewhere, `pm_runtime_put_sync()` for each enabled PWM in a suspend.)
            let distinct = facts.doublePuts.contains {
                $0.object == f.object && $0.family == f.family && Set($0.puts).count == $0.puts.count
            }
            let certain = !f.byCallee.isEmpty || !f.lifetime && distinct
            out.append(Finding(ruleID: id, severity: certain ? .error : .note, function: ctx.function, file: ctx.file, line: f.puts.last ?? 0,
                               lines: f.puts.map { .init(.put, $0, f.object) }, subject: f.object, kind: "double-put",
                               message: "`\(f.object)` is put at lines \(f.puts.map(String.init).joined(separator: ", ")) without a get in this function\(by)"
                                   + (certain ? "" : ": a double put unless the object held that many references when the function was called"),
                               side: ctx.side))
        }
        // A function that returns the object it was handed (`bridge = to_fpga_bridge(dev); …
        // return bridge;`) and puts it on another path takes over its caller's reference: kept in
        // the result on success, dropped on failure (`__fpga_mgr_get()`). The put is the contract,
        // not a borrowed reference dropped.
        for f in merged(facts.borrowedPuts) where !(f.parameter.map(facts.returnsParameters.contains) ?? false) {
            let by = f.byCallee.isEmpty ? "" : " through `\(f.byCallee.joined(separator: "`, `"))`"
            let at = f.puts.map(String.init).joined(separator: ", ")
            // A usage count is reported only where an error return undoes what the function never did.
            let message = f.lifetime
                ? "the reference on parameter `\(f.object)` is put at line \(at)\(by), but the function never took it: the caller's reference is dropped"
                : "the \(f.family) usage count of parameter `\(f.object)` is dropped at line \(at)\(by) on a path that returns an error, but the function never raised it: the error path undoes what it did not do"
            out.append(Finding(ruleID: id, severity: .warning, function: ctx.function, file: ctx.file, line: f.puts.last ?? 0,
                               lines: f.puts.map { .init(.put, $0, f.object) }, subject: f.object, kind: "borrowed-put",
                               message: message, side: ctx.side))
        }
        var seenUse: Set<String> = []
        // One object, one finding: the device embedded in an object the function holds
        // (`put_device(&region->dev)` on `region` found by `fpga_region_class_find()`) is that object.
        let usedObjects = Set(facts.usesAfterPut.map { "\($0.object)|\($0.put)|\($0.use)" })
        for u in facts.usesAfterPut.sorted(by: { ($0.put, $0.use, $0.object, $0.expression) < ($1.put, $1.use, $1.object, $1.expression) }) {
            let k = "\(u.object)|\(u.put)"
            if seenUse.contains(k) { continue }
            if let arrow = u.object.range(of: "->", options: .backwards),
               usedObjects.contains("\(u.object[..<arrow.lowerBound])|\(u.put)|\(u.use)") { continue }
            seenUse.insert(k)
            // The function waits for the release of the object whose embedded device it put
            // (`put_device(&tz->device); … wait_for_completion(&tz->removal); kfree(tz);`): it
            // lives until then by design.
            if let arrow = u.object.range(of: "->", options: .backwards),
               facts.awaitedReleases.contains(where: { $0.object == u.object[..<arrow.lowerBound] && $0.line > u.put }) { continue }
            out.append(Finding(ruleID: id, severity: .error, function: ctx.function, file: ctx.file, line: u.use,
                               lines: [.init(.put, u.put, u.object), .init(.use, u.use, u.expression)], subject: u.object,
                               kind: "use-after-put",
                               message: "`\(u.object)` is used at line \(u.use) (as `\(u.expression)`) after its put at line \(u.put)",
                               side: ctx.side))
        }
        return out
    }
}
