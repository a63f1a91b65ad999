/// The built-in lock and reference tables (data, overridable by a user file).
enum BuiltInTables {
    static let locks: [LockAPI] = {
        var t: [LockAPI] = []
        func acq(_ n: String, _ f: String, _ mode: String? = nil, _ s: SuccessWhen = .always) {
            t.append(LockAPI(n, .acquire, family: f, mode: mode, success: s))
        }
        func rel(_ n: String, _ f: String, _ mode: String? = nil) { t.append(LockAPI(n, .release, family: f, mode: mode)) }
        func global(_ n: String, _ a: LockAPI.Action, _ key: String, _ f: String) {
            t.append(LockAPI(n, a, argument: nil, key: key, family: f))
        }
        // mutex
        for n in ["mutex_lock", "mutex_lock_nested", "mutex_lock_io", "mutex_lock_nest_lock"] { acq(n, "mutex") }
        acq("mutex_lock_interruptible", "mutex", nil, .zero)
        acq("mutex_lock_interruptible_nested", "mutex", nil, .zero)
        acq("mutex_lock_killable", "mutex", nil, .zero)
        acq("mutex_lock_killable_nested", "mutex", nil, .zero)
        acq("mutex_trylock", "mutex", nil, .nonzero)
        rel("mutex_unlock", "mutex")
        // Decrement-and-lock: takes the lock (argument 1) only when the count hit zero.
        t.append(LockAPI("atomic_dec_and_mutex_lock", .acquire, argument: 1, family: "mutex", success: .nonzero))
        t.append(LockAPI("atomic_dec_and_lock", .acquire, argument: 1, family: "spinlock", success: .nonzero))
        t.append(LockAPI("atomic_dec_and_lock_irqsave", .acquire, argument: 1, family: "spinlock", success: .nonzero))
        t.append(LockAPI("refcount_dec_and_lock", .acquire, argument: 1, family: "spinlock", success: .nonzero))
        t.append(LockAPI("refcount_dec_and_mutex_lock", .acquire, argument: 1, family: "mutex", success: .nonzero))
        acq("rt_mutex_lock", "rt_mutex"); acq("rt_mutex_trylock", "rt_mutex", nil, .nonzero); rel("rt_mutex_unlock", "rt_mutex")
        acq("ww_mutex_lock", "ww_mutex", nil, .zero); acq("ww_mutex_lock_interruptible", "ww_mutex", nil, .zero)
        acq("ww_mutex_trylock", "ww_mutex", nil, .nonzero); rel("ww_mutex_unlock", "ww_mutex")
        acq("ww_mutex_lock_slow", "ww_mutex"); acq("ww_mutex_lock_slow_interruptible", "ww_mutex", nil, .zero)
        // spinlock_t and raw_spinlock_t with their irq/bh/irqsave forms
        for p in ["spin", "raw_spin"] {
            let f = p == "spin" ? "spinlock" : "raw_spinlock"
            acq("\(p)_lock", f); acq("\(p)_lock_nested", f)
            acq("\(p)_lock_irq", f, "irq"); acq("\(p)_lock_bh", f, "bh")
            acq("\(p)_lock_irqsave", f, "irqsave"); acq("\(p)_lock_irqsave_nested", f, "irqsave")
            acq("\(p)_trylock", f, nil, .nonzero); acq("\(p)_trylock_irq", f, "irq", .nonzero)
            acq("\(p)_trylock_irqsave", f, "irqsave", .nonzero)
            rel("\(p)_unlock", f); rel("\(p)_unlock_irq", f, "irq"); rel("\(p)_unlock_bh", f, "bh")
            rel("\(p)_unlock_irqrestore", f, "irqsave")
        }
        acq("spin_trylock_bh", "spinlock", "bh", .nonzero)
        // rwlock_t
        for m in ["read", "write"] {
            acq("\(m)_lock", "rwlock", m); acq("\(m)_lock_irq", "rwlock", m); acq("\(m)_lock_bh", "rwlock", m)
            acq("\(m)_lock_irqsave", "rwlock", m); acq("\(m)_trylock", "rwlock", m, .nonzero)
            rel("\(m)_unlock", "rwlock", m); rel("\(m)_unlock_irq", "rwlock", m); rel("\(m)_unlock_bh", "rwlock", m)
            rel("\(m)_unlock_irqrestore", "rwlock", m)
        }
        // rw_semaphore
        for m in ["read", "write"] {
            acq("down_\(m)", "rw_semaphore", m); acq("down_\(m)_nested", "rw_semaphore", m)
            acq("down_\(m)_killable", "rw_semaphore", m, .zero)
            acq("down_\(m)_interruptible", "rw_semaphore", m, .zero)
            acq("down_\(m)_trylock", "rw_semaphore", m, .nonzero)
            rel("up_\(m)", "rw_semaphore", m)
        }
        // seqlock writers
        acq("write_seqlock", "seqlock", "write"); rel("write_sequnlock", "seqlock", "write")
        acq("write_seqlock_irqsave", "seqlock", "write"); rel("write_sequnlock_irqrestore", "seqlock", "write")
        // semaphores: down_trylock returns 0 when it took the semaphore
        acq("down", "semaphore"); acq("down_interruptible", "semaphore", nil, .zero)
        acq("down_killable", "semaphore", nil, .zero); acq("down_timeout", "semaphore", nil, .zero)
        acq("down_trylock", "semaphore", nil, .zero); rel("up", "semaphore")
        // RCU and other argument-less global locks
        global("rcu_read_lock", .acquire, "rcu", "rcu"); global("rcu_read_unlock", .release, "rcu", "rcu")
        global("rcu_read_lock_bh", .acquire, "rcu_bh", "rcu"); global("rcu_read_unlock_bh", .release, "rcu_bh", "rcu")
        global("rcu_read_lock_sched", .acquire, "rcu_sched", "rcu"); global("rcu_read_unlock_sched", .release, "rcu_sched", "rcu")
        global("rtnl_lock", .acquire, "rtnl", "mutex"); global("rtnl_unlock", .release, "rtnl", "mutex")
        global("console_lock", .acquire, "console", "semaphore"); global("console_unlock", .release, "console", "semaphore")
        global("cpus_read_lock", .acquire, "cpu_hotplug", "percpu_rwsem"); global("cpus_read_unlock", .release, "cpu_hotplug", "percpu_rwsem")
        acq("srcu_read_lock", "srcu"); rel("srcu_read_unlock", "srcu")
        // local_lock
        acq("local_lock", "local_lock"); acq("local_lock_irq", "local_lock", "irq")
        acq("local_lock_irqsave", "local_lock", "irqsave")
        acq("local_trylock", "local_lock", nil, .nonzero); acq("local_trylock_irqsave", "local_lock", "irqsave", .nonzero)
        rel("local_unlock", "local_lock"); rel("local_unlock_irq", "local_lock", "irq")
        rel("local_unlock_irqrestore", "local_lock", "irqsave")
        // sockets
        acq("lock_sock", "sock"); rel("release_sock", "sock")
        // Scope-based: the lock is the argument of guard(class)(lock) / scoped_guard(class, lock)
        t.append(LockAPI("guard", .acquire, argument: 0, family: "cleanup", scoped: true))
        t.append(LockAPI("scoped_guard", .acquire, argument: 1, family: "cleanup", scoped: true))
        // Callees that drop the lock named by an argument and re-take it before returning.
        t.append(LockAPI("cond_resched_lock", .drop, family: "spinlock"))
        t.append(LockAPI("cond_resched_rwlock_read", .drop, family: "rwlock", mode: "read"))
        t.append(LockAPI("cond_resched_rwlock_write", .drop, family: "rwlock", mode: "write"))
        for n in ["wait_event_lock_irq", "wait_event_interruptible_lock_irq", "wait_event_lock_irq_timeout",
                  "wait_event_interruptible_lock_irq_timeout", "wait_event_lock_irq_cmd",
                  "wait_event_interruptible_lock_irq_cmd"] {
            t.append(LockAPI(n, .drop, argument: 2, family: "spinlock"))
        }
        return t
    }()

    static let refs: [RefAPI] = {
        var t: [RefAPI] = []
        func get(_ n: String, _ f: String, arg: Int? = 0, returns: Bool = false, _ s: SuccessWhen = .always,
                 drops: Int? = nil, lifetime: Bool = true) {
            t.append(RefAPI(n, .get, family: f, argument: arg, returnsObject: returns, success: s,
                            dropsArgument: drops, lifetime: lifetime))
        }
        // An output argument the call fills in with a counted reference, 0 on success
        // (`of_parse_phandle_with_args(np, "clocks", "#clock-cells", i, &clkspec)` → `clkspec.np`).
        func output(_ n: String, _ f: String, arg: Int, member: String) {
            var api = RefAPI(n, .get, family: f, argument: arg, success: .zero)
            api.member = member
            t.append(api)
        }
        for n in ["of_parse_phandle_with_args", "of_parse_phandle_with_fixed_args", "of_parse_phandle_with_optional_args",
                  "of_parse_phandle_with_args_map"] {
            output(n, "of_node", arg: 4, member: "np")
        }
        output("__of_parse_phandle_with_args", "of_node", arg: 5, member: "np")
        output("fwnode_property_get_reference_args", "fwnode", arg: 5, member: "fwnode")
        // A finder: the object is the return value, NULL/ERR_PTR on failure.
        func find(_ n: String, _ f: String, drops: Int? = nil) {
            t.append(RefAPI(n, .get, family: f, argument: nil, success: .nonnull, dropsArgument: drops))
        }
        func put(_ n: String, _ f: String, arg: Int = 0, lifetime: Bool = true) {
            t.append(RefAPI(n, .put, family: f, argument: arg, lifetime: lifetime))
        }
        func iter(_ n: String, _ f: String, cursor: Int, scoped: Bool = false) {
            t.append(RefAPI(n, .iterator, family: f, argument: cursor, scoped: scoped))
        }
        // kref, refcount_t
        get("kref_get", "kref"); get("kref_get_unless_zero", "kref", .nonzero)
        put("kref_put", "kref"); put("kref_put_mutex", "kref"); put("kref_put_lock", "kref")
        get("refcount_inc", "refcount"); get("refcount_inc_not_zero", "refcount", .nonzero)
        put("refcount_dec", "refcount")
        // The caller that sees zero owns the object for destruction: uses after it are the release.
        put("refcount_dec_and_test", "refcount", lifetime: false)
        // kobject, struct device and finders returning devices
        get("kobject_get", "kobject", returns: true); put("kobject_put", "kobject")
        get("get_device", "device", returns: true); put("put_device", "device")
        // Initialising an embedded kobject or device takes its first reference, also when adding it
        // fails: "if this function returns an error, kobject_put() must be called" (kobject.h,
        // device_register's kernel-doc); device_unregister drops it.
        for (n, f) in [("kobject_init_and_add", "kobject"), ("kobject_init", "kobject"),
                       ("device_initialize", "device"), ("device_register", "device")] {
            var api = RefAPI(n, .get, family: f, argument: 0)
            api.initializes = true
            t.append(api)
        }
        put("device_unregister", "device")
        put("platform_device_put", "device")
        for n in ["bus_find_device", "bus_find_device_by_name", "class_find_device", "driver_find_device",
                  "device_find_child", "device_find_child_by_name", "of_find_device_by_node",
                  "of_find_i2c_device_by_node", "bus_find_device_by_of_node", "class_find_device_by_of_node"] {
            find(n, "device")
        }
        get("i2c_get_adapter", "i2c_adapter", arg: nil, .nonnull); put("i2c_put_adapter", "i2c_adapter")
        get("usb_get_dev", "usb_device", returns: true); put("usb_put_dev", "usb_device")
        get("usb_get_intf", "usb_interface", returns: true); put("usb_put_intf", "usb_interface")
        get("pci_dev_get", "pci_dev", returns: true); put("pci_dev_put", "pci_dev")
        find("pci_get_device", "pci_dev", drops: 2); find("pci_get_subsys", "pci_dev", drops: 4)
        find("pci_get_class", "pci_dev", drops: 1); find("pci_get_domain_bus_and_slot", "pci_dev")
        find("pci_get_slot", "pci_dev")
        // device tree nodes
        get("of_node_get", "of_node", returns: true); put("of_node_put", "of_node")
        for (n, d) in [("of_find_node_by_name", 0), ("of_find_node_by_type", 0), ("of_find_compatible_node", 0),
                       ("of_find_matching_node", 0), ("of_find_matching_node_and_match", 0),
                       ("of_find_node_with_property", 0), ("of_get_next_parent", 0), ("of_get_next_child", 1),
                       ("of_get_next_available_child", 1), ("of_graph_get_next_endpoint", 1),
                       ("of_get_next_cpu_node", 0)] as [(String, Int)] {
            find(n, "of_node", drops: d)
        }
        for n in ["of_find_node_by_path", "of_find_node_opts_by_path", "of_find_node_by_phandle", "of_get_parent",
                  "of_get_child_by_name", "of_get_available_child_by_name", "of_get_compatible_child",
                  "of_parse_phandle", "of_graph_get_remote_port_parent", "of_graph_get_remote_endpoint",
                  "of_graph_get_remote_port", "of_graph_get_port_by_id", "of_graph_get_remote_node",
                  "of_graph_get_endpoint_by_regs", "of_get_cpu_node", "of_cpu_device_node_get"] {
            find(n, "of_node")
        }
        for (n, c) in [("for_each_child_of_node", 1), ("for_each_available_child_of_node", 1),
                       ("for_each_node_by_name", 0), ("for_each_node_by_type", 0), ("for_each_compatible_node", 0),
                       ("for_each_matching_node", 0), ("for_each_matching_node_and_match", 0),
                       ("for_each_node_with_property", 0), ("for_each_of_cpu_node", 0),
                       ("for_each_endpoint_of_node", 1)] as [(String, Int)] {
            iter(n, "of_node", cursor: c)
        }
        iter("for_each_child_of_node_scoped", "of_node", cursor: 1, scoped: true)
        iter("for_each_available_child_of_node_scoped", "of_node", cursor: 1, scoped: true)
        // power supplies: "The user should power_supply_put() after usage" (power_supply_core.c)
        find("power_supply_get_by_name", "power_supply"); find("power_supply_get_by_phandle", "power_supply")
        put("power_supply_put", "power_supply")
        // fwnode handles
        get("fwnode_handle_get", "fwnode", returns: true); put("fwnode_handle_put", "fwnode")
        find("device_get_named_child_node", "fwnode"); find("fwnode_get_named_child_node", "fwnode")
        find("fwnode_get_parent", "fwnode"); find("fwnode_get_next_child_node", "fwnode", drops: 1)
        find("device_get_next_child_node", "fwnode", drops: 1)
        iter("device_for_each_child_node", "fwnode", cursor: 1)
        iter("fwnode_for_each_child_node", "fwnode", cursor: 1)
        iter("fwnode_for_each_available_child_node", "fwnode", cursor: 1)
        iter("device_for_each_child_node_scoped", "fwnode", cursor: 1, scoped: true)
        // runtime PM usage counts: the get_sync forms take the count even when they fail
        for n in ["pm_runtime_get", "pm_runtime_get_sync", "pm_runtime_get_noresume"] { get(n, "pm_runtime", lifetime: false) }
        get("pm_runtime_resume_and_get", "pm_runtime", .zero, lifetime: false)
        get("pm_runtime_get_if_in_use", "pm_runtime", .nonzero, lifetime: false)
        get("pm_runtime_get_if_active", "pm_runtime", .nonzero, lifetime: false)
        for n in ["pm_runtime_put", "pm_runtime_put_sync", "pm_runtime_put_noidle", "pm_runtime_put_autosuspend",
                  "pm_runtime_put_sync_autosuspend", "pm_runtime_put_sync_suspend"] {
            put(n, "pm_runtime", lifetime: false)
        }
        // network devices, sockets
        get("dev_hold", "netdev"); put("dev_put", "netdev"); get("netdev_hold", "netdev"); put("netdev_put", "netdev")
        find("dev_get_by_name", "netdev"); find("dev_get_by_index", "netdev")
        get("sock_hold", "sock"); put("sock_put", "sock"); put("__sock_put", "sock"); put("sock_gen_put", "sock")
        // files and descriptors
        get("fdget", "fd", arg: nil, .nonnull); get("fdget_pos", "fd", arg: nil, .nonnull)
        put("fdput", "fd"); put("fdput_pos", "fd")
        find("fget", "file"); get("get_file", "file", returns: true); put("fput", "file")
        // dentries, inodes, mounts, paths
        get("dget", "dentry", returns: true); find("dget_parent", "dentry"); put("dput", "dentry")
        get("ihold", "inode"); get("igrab", "inode", returns: true); put("iput", "inode")
        get("mntget", "vfsmount", returns: true); put("mntput", "vfsmount")
        get("path_get", "path"); put("path_put", "path")
        // KVM, modules
        get("kvm_get_kvm", "kvm"); get("kvm_get_kvm_safe", "kvm", .nonzero)
        put("kvm_put_kvm", "kvm"); put("kvm_put_kvm_no_destroy", "kvm")
        get("try_module_get", "module", .nonzero, lifetime: false); get("__module_get", "module", lifetime: false)
        put("module_put", "module", lifetime: false)
        // tasks, pids, mm, creds, net namespaces
        get("get_task_struct", "task", returns: true); put("put_task_struct", "task")
        find("get_pid_task", "task"); find("find_get_task_by_vpid", "task")
        get("get_pid", "pid", returns: true); find("find_get_pid", "pid"); put("put_pid", "pid")
        get("mmget", "mm"); get("mmget_not_zero", "mm", .nonzero); put("mmput", "mm"); find("get_task_mm", "mm")
        get("mmgrab", "mm_count"); put("mmdrop", "mm_count")
        get("get_cred", "cred", returns: true); put("put_cred", "cred")
        get("get_net", "net", returns: true); put("put_net", "net")
        // pages and folios
        get("get_page", "page"); put("put_page", "page"); get("folio_get", "folio"); put("folio_put", "folio")
        // cgroups, bpf, dma-buf
        get("css_get", "css"); get("css_tryget", "css", .nonzero); get("css_tryget_online", "css", .nonzero)
        put("css_put", "css")
        find("bpf_prog_get", "bpf_prog"); get("bpf_prog_inc", "bpf_prog"); put("bpf_prog_put", "bpf_prog")
        find("dma_buf_get", "dma_buf"); get("get_dma_buf", "dma_buf"); put("dma_buf_put", "dma_buf")
        // clocks, regulators
        find("clk_get", "clk"); find("of_clk_get", "clk"); find("of_clk_get_by_name", "clk"); put("clk_put", "clk")
        find("regulator_get", "regulator"); find("regulator_get_optional", "regulator"); put("regulator_put", "regulator")
        return t
    }()

    static let consumers: [RefConsumer] = [
        RefConsumer("dev_set_drvdata", argument: 1), RefConsumer("platform_set_drvdata", argument: 1),
        RefConsumer("i2c_set_clientdata", argument: 1), RefConsumer("spi_set_drvdata", argument: 1),
        RefConsumer("pci_set_drvdata", argument: 1), RefConsumer("usb_set_intfdata", argument: 1),
        RefConsumer("list_add", argument: 0), RefConsumer("list_add_tail", argument: 0),
        RefConsumer("list_add_rcu", argument: 0), RefConsumer("list_add_tail_rcu", argument: 0),
        RefConsumer("hlist_add_head", argument: 0), RefConsumer("hlist_add_head_rcu", argument: 0),
        RefConsumer("rcu_assign_pointer", argument: 1), RefConsumer("WRITE_ONCE", argument: 1),
        RefConsumer("smp_store_release", argument: 1), RefConsumer("xchg", argument: 1),
        RefConsumer("xa_store", argument: 2), RefConsumer("xa_insert", argument: 2),
        RefConsumer("idr_alloc", argument: 1), RefConsumer("radix_tree_insert", argument: 2),
        RefConsumer("fd_install", argument: 1), RefConsumer("kthread_run", argument: 1),
        RefConsumer("kthread_create", argument: 1), RefConsumer("skb_queue_tail", argument: 1),
        RefConsumer("device_set_node", argument: 1),
        // A managed action runs its release function with this argument when the device goes
        // away (or at once, `_or_reset`, when registering it fails): the release owns the references.
        RefConsumer("devm_add_action", argument: 2), RefConsumer("devm_add_action_or_reset", argument: 2),
    ]
}
