import Testing

/// C cases modelled on real kernel bug patterns (and their correct forms), with the exact findings
/// expected: `rule/kind@anchor role line…`.
struct PatternCase: Sendable, CustomTestStringConvertible {
    var name: String
    var code: String
    var expected: [String]
    var testDescription: String { name }
}

let patternCases: [PatternCase] = [
    PatternCase(name: "leak on an error path after of_find_node_by_name", code: """
        static int foo_probe(struct platform_device *pdev)
        {
        \tstruct device_node *np;
        \tint ret;

        \tnp = of_find_node_by_name(NULL, "foo");
        \tif (!np)
        \t\treturn -ENODEV;
        \tret = foo_parse(np);
        \tif (ret)
        \t\treturn ret;
        \tof_node_put(np);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@11 warning: get 6, returns 11",
    ]),
    PatternCase(name: "goto ladder skipping a put", code: """
        static int bar_init(struct bar *b)
        {
        \tstruct device_node *np;
        \tint ret;

        \tnp = of_get_child_by_name(b->dev->of_node, "ports");
        \tif (!np)
        \t\treturn -ENODEV;
        \tret = bar_setup(b);
        \tif (ret)
        \t\tgoto err;
        \tret = bar_ports(b, np);
        \tif (ret)
        \t\tgoto err_put;
        \tof_node_put(np);
        \treturn 0;
        err_put:
        \tof_node_put(np);
        err:
        \treturn ret;
        }
        """, expected: [
        "refcount-balance/leak@20 warning: get 6, returns 20",
    ]),
    PatternCase(name: "goto ladder in the right order", code: """
        static int bar_init(struct bar *b)
        {
        \tstruct device_node *np;
        \tint ret;

        \tnp = of_get_child_by_name(b->dev->of_node, "ports");
        \tif (!np)
        \t\treturn -ENODEV;
        \tret = bar_setup(b);
        \tif (ret)
        \t\tgoto err_put;
        \tret = bar_ports(b, np);
        err_put:
        \tof_node_put(np);
        \treturn ret;
        }
        """, expected: []),
    PatternCase(name: "iterator early return", code: """
        static int find_port(struct device_node *parent)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(parent, child) {
        \t\tif (of_property_read_bool(child, "bad"))
        \t\t\treturn -EINVAL;
        \t\tconfigure(child);
        \t}
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/iterator-leak@7 warning: get 5, returns 7",
    ]),
    PatternCase(name: "iterator break then put after the loop", code: """
        static int find_port(struct device_node *parent)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(parent, child) {
        \t\tif (of_property_read_bool(child, "wanted"))
        \t\t\tbreak;
        \t}
        \tif (!child)
        \t\treturn -ENODEV;
        \tconfigure(child);
        \tof_node_put(child);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "iterator break without put", code: """
        static int count_until(struct device_node *parent)
        {
        \tstruct device_node *child;
        \tint n = 0;

        \tfor_each_available_child_of_node(parent, child) {
        \t\tif (of_node_name_eq(child, "stop"))
        \t\t\tbreak;
        \t\tn++;
        \t}
        \treturn n;
        }
        """, expected: [
        "refcount-balance/iterator-leak@11 warning: get 6, returns 11",
    ]),
    PatternCase(name: "iterator returns the cursor to its caller", code: """
        static struct device_node *pick(struct device_node *parent)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(parent, child)
        \t\tif (of_device_is_available(child))
        \t\t\treturn child;
        \treturn NULL;
        }
        """, expected: []),
    PatternCase(name: "put inside an iterator that puts the cursor itself", code: """
        static void walk(struct device_node *parent)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(parent, child) {
        \t\tsetup(child);
        \t\tof_node_put(child);
        \t}
        }
        """, expected: [
        "refcount-balance/over-put@7 error: get 5, put 5, put 7",
    ]),
    PatternCase(name: "pm_runtime_get_sync failure path", code: """
        static int foo_read(struct device *dev, u32 *val)
        {
        \tint ret;

        \tret = pm_runtime_get_sync(dev);
        \tif (ret < 0)
        \t\treturn ret;
        \t*val = readl(foo_base(dev));
        \tpm_runtime_put(dev);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@7 warning: get 5, returns 7",
    ]),
    PatternCase(name: "pm_runtime_get_sync failure path with put_noidle", code: """
        static int foo_read(struct device *dev, u32 *val)
        {
        \tint ret;

        \tret = pm_runtime_get_sync(dev);
        \tif (ret < 0) {
        \t\tpm_runtime_put_noidle(dev);
        \t\treturn ret;
        \t}
        \t*val = readl(foo_base(dev));
        \tpm_runtime_put(dev);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "pm_runtime_resume_and_get holds nothing on failure", code: """
        static int foo_read(struct device *dev, u32 *val)
        {
        \tint ret;

        \tret = pm_runtime_resume_and_get(dev);
        \tif (ret)
        \t\treturn ret;
        \t*val = readl(foo_base(dev));
        \tpm_runtime_put(dev);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "double put without a get", code: """
        static void foo_release(struct foo *f)
        {
        \tfoo_teardown(f);
        \tkref_put(&f->ref, foo_free);
        \tif (f->extra)
        \t\tkref_put(&f->ref, foo_free);
        }
        """, expected: [
        "refcount-balance/double-put@6 note: put 4, put 6",
        "refcount-balance/use-after-put@5 error: put 4, used 5",
    ]),
    PatternCase(name: "put of a borrowed reference", code: """
        static int foo_parse(struct device_node *np)
        {
        \tu32 v;

        \tif (of_property_read_u32(np, "reg", &v))
        \t\treturn -EINVAL;
        \tof_node_put(np);
        \treturn v;
        }
        """, expected: [
        "refcount-balance/borrowed-put@7 warning: put 7",
    ]),
    PatternCase(name: "callee that already put", code: """
        static struct device_node *find_sub(struct device_node *parent)
        {
        \tstruct device_node *np = of_node_get(parent);
        \tstruct device_node *sub;

        \tsub = of_find_node_by_name(np, "sub");
        \tof_node_put(np);
        \treturn sub;
        }
        """, expected: [
        "refcount-balance/over-put@7 error: get 3, put 6, put 7",
    ]),
    PatternCase(name: "finder drops the caller's reference on its argument", code: """
        static struct device_node *next_compat(struct device_node *from)
        {
        \treturn of_find_compatible_node(from, NULL, "vendor,foo");
        }
        """, expected: [
        "refcount-balance/borrowed-put@3 warning: put 3",
    ]),
    PatternCase(name: "use after put_device", code: """
        static void foo_unbind(struct device *dev)
        {
        \tget_device(dev);
        \tfoo_stop(dev);
        \tput_device(dev);
        \tdev_info(dev, "unbound\\n");
        }
        """, expected: [
        "refcount-balance/use-after-put@6 error: put 5, used 6",
    ]),
    PatternCase(name: "use of the container after dropping its embedded kobject", code: """
        static void foo_drop(struct foo *obj)
        {
        \tfoo_flush(obj);
        \tkobject_put(&obj->kobj);
        \tobj->state = FOO_DEAD;
        }
        """, expected: [
        "refcount-balance/use-after-put@5 error: put 4, used 5",
    ]),
    PatternCase(name: "relock with a stale check", code: """
        static void q_start(struct q *q)
        {
        \tspin_lock(&q->lock);
        \tif (!q->running) {
        \t\tspin_unlock(&q->lock);
        \t\tq_prepare(q);
        \t\tspin_lock(&q->lock);
        \t\tq->running = true;
        \t}
        \tspin_unlock(&q->lock);
        }
        """, expected: [
        "lock-window/window@5 warning: acquired 3, released 5, re-acquired 7, checked 4",
    ]),
    PatternCase(name: "relock with a re-check", code: """
        static void q_start(struct q *q)
        {
        \tspin_lock(&q->lock);
        \tif (!q->running) {
        \t\tspin_unlock(&q->lock);
        \t\tq_prepare(q);
        \t\tspin_lock(&q->lock);
        \t\tif (!q->running)
        \t\t\tq->running = true;
        \t}
        \tspin_unlock(&q->lock);
        }
        """, expected: [
        "lock-window/window@5 note: acquired 3, released 5, re-acquired 7, re-checked 8",
    ]),
    PatternCase(name: "goto retry restarts before the lock", code: """
        static void q_claim(struct q *q)
        {
        retry:
        \tspin_lock(&q->lock);
        \tif (q->busy) {
        \t\tspin_unlock(&q->lock);
        \t\tcpu_relax();
        \t\tgoto retry;
        \t}
        \tq->busy = 1;
        \tspin_unlock(&q->lock);
        }
        """, expected: []),
    PatternCase(name: "wait_event_cmd drops and re-takes the mutex", code: """
        static void wait_idle(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \twait_event_cmd(f->wq, !f->busy,
        \t\t       mutex_unlock(&f->lock),
        \t\t       mutex_lock(&f->lock));
        \tf->busy = 1;
        \tmutex_unlock(&f->lock);
        }
        """, expected: [
        "lock-window/window@5 note: acquired 3, released 5, re-acquired 6",
    ]),
    PatternCase(name: "guard() releases on every return", code: """
        static int foo_set(struct foo *f, int v)
        {
        \tguard(mutex)(&f->lock);
        \tif (v < 0)
        \t\treturn -EINVAL;
        \tf->v = v;
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "scoped_guard body", code: """
        static int foo_set(struct foo *f, int v)
        {
        \tscoped_guard(spinlock_irqsave, &f->lock) {
        \t\tif (v < 0)
        \t\t\treturn -EINVAL;
        \t\tf->v = v;
        \t}
        \treturn 0;
        }
        """, expected: []),
    // gpio-mpsse (2024): every accessor takes `guard(mutex)(&priv->io_mutex)`, and the poll loop
    // calls one each round. The guard ends with the callee's scope: no lock reaches the caller.
    PatternCase(name: "a callee whose guard() ends at its return takes nothing for its caller", code: """
        static int foo_get_multiple(struct gpio_chip *chip, unsigned long *bits)
        {
        \tstruct foo *priv = gpiochip_get_data(chip);
        \tint ret;

        \tguard(mutex)(&priv->io_mutex);
        \tret = foo_read(priv);
        \tif (ret < 0)
        \t\treturn ret;
        \t*bits = ret;
        \treturn 0;
        }

        static void foo_poll(struct work_struct *work)
        {
        \tstruct foo *priv = container_of(work, struct foo, irq_work);
        \tunsigned long bits;

        \twhile (atomic_read(&priv->irq_enabled)) {
        \t\tif (foo_get_multiple(&priv->gpio, &bits))
        \t\t\tcontinue;
        \t\tfoo_fire(priv, bits);
        \t}
        }
        """, expected: []),
    // clk: sprd (2022): the parent is put inside the condition, only when it is not a syscon (the
    // comma expression runs when the left operand of `||` is false); the branch puts it itself.
    PatternCase(name: "a put on the right of || runs only when the left operand is false", code: """
        int sprd_clk_regmap_init(struct platform_device *pdev)
        {
        \tstruct device_node *node = pdev->dev.of_node, *np;
        \tstruct regmap *regmap;

        \tif (of_device_is_compatible(np = of_get_parent(node), "syscon")
        \t    || (of_node_put(np), 0)) {
        \t\tregmap = device_node_to_regmap(np);
        \t\tof_node_put(np);
        \t\tif (IS_ERR(regmap))
        \t\t\treturn PTR_ERR(regmap);
        \t}
        \treturn 0;
        }
        """, expected: []),
    // pinctrl-cs42l43 (2025): the child node's reference is handed to a devm action whose whole
    // body is the put. Dropping what it is handed is its job.
    PatternCase(name: "a devm action that only puts its argument consumes it", code: """
        static void cs42l43_fwnode_put(void *data)
        {
        \tfwnode_handle_put(data);
        }

        static int cs42l43_pin_probe(struct platform_device *pdev)
        {
        \tstruct fwnode_handle *child;
        \tint ret;

        \tchild = fwnode_get_named_child_node(dev_fwnode(&pdev->dev), "pinctrl");
        \tif (child) {
        \t\tret = devm_add_action_or_reset(&pdev->dev, cs42l43_fwnode_put, child);
        \t\tif (ret)
        \t\t\treturn ret;
        \t}
        \treturn 0;
        }
        """, expected: []),
    // pinctrl-bcm2835 (2022): a gpiolib callback puts the node gpiolib still owns; the function does
    // more than the put, so nothing says the reference was handed over.
    PatternCase(name: "a callback that also puts the node it was lent", code: """
        static int bcm2835_of_gpio_ranges_fallback(struct gpio_chip *gc, struct device_node *np)
        {
        \tstruct pinctrl_dev *pctldev = of_pinctrl_get(np);

        \tof_node_put(np);
        \tif (!pctldev)
        \t\treturn 0;
        \tgpiochip_add_pin_range(gc, pinctrl_dev_get_devname(pctldev), 0, 0, gc->ngpio);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/borrowed-put@5 warning: put 5",
    ]),
    PatternCase(name: "a put right of && runs only when the left operand is true", code: """
        static int foo_init(struct foo *f)
        {
        \tstruct device_node *np;
        \tint ret;

        \tnp = of_get_child_by_name(f->dev->of_node, "ports");
        \tif (!np)
        \t\treturn -ENODEV;
        \tret = foo_ports(f, np);
        \tif (ret < 0 && (of_node_put(np), true))
        \t\treturn ret;
        \tof_node_put(np);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "__free cleanup variable", code: """
        static int foo_ports(struct device *dev)
        {
        \tstruct device_node *np __free(device_node) = of_get_child_by_name(dev->of_node, "ports");

        \tif (!np)
        \t\treturn -ENODEV;
        \tif (foo_count(np) < 2)
        \t\treturn -EINVAL;
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "mutex held on an error return", code: """
        static int foo_write(struct foo *f, int v)
        {
        \tmutex_lock(&f->lock);
        \tif (!f->ready)
        \t\treturn -EAGAIN;
        \tf->v = v;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@5 warning: acquired 3, returns 5, returns unlocked 8",
    ]),
    PatternCase(name: "spin_lock_irqsave held on an error return", code: """
        static int foo_irq(struct foo *f)
        {
        \tunsigned long flags;

        \tspin_lock_irqsave(&f->lock, flags);
        \tif (f->dead)
        \t\treturn -ENODEV;
        \tf->count++;
        \tspin_unlock_irqrestore(&f->lock, flags);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@7 warning: acquired 5, returns 7, returns unlocked 10",
    ]),
    PatternCase(name: "double unlock", code: """
        static void foo_stop(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \tif (f->running) {
        \t\tf->running = 0;
        \t\tmutex_unlock(&f->lock);
        \t}
        \tmutex_unlock(&f->lock);
        }
        """, expected: [
        "lock-balance/double-unlock@8 error: released 6, released 8",
    ]),
    PatternCase(name: "double lock", code: """
        static void foo_reset(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \tfoo_hw_reset(f);
        \tmutex_lock(&f->lock);
        \tf->state = 0;
        \tmutex_unlock(&f->lock);
        }
        """, expected: [
        "lock-balance/double-lock@5 error: acquired 3, acquired 5",
    ]),
    PatternCase(name: "trylock by return value", code: """
        static int foo_poll(struct foo *f)
        {
        \tif (!mutex_trylock(&f->lock))
        \t\treturn -EBUSY;
        \tf->polls++;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "mutex_lock_interruptible failure returns without the lock", code: """
        static int foo_ioctl(struct foo *f)
        {
        \tint ret;

        \tret = mutex_lock_interruptible(&f->lock);
        \tif (ret)
        \t\treturn ret;
        \tf->calls++;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "mutex_lock_interruptible then an error return keeps the lock", code: """
        static int foo_ioctl(struct foo *f, int arg)
        {
        \tif (mutex_lock_interruptible(&f->lock))
        \t\treturn -EINTR;
        \tif (arg < 0)
        \t\treturn -EINVAL;
        \tf->arg = arg;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@6 warning: acquired 3, returns 6, returns unlocked 9",
    ]),
    PatternCase(name: "rw_semaphore read side held on an error return", code: """
        static int foo_lookup(struct foo *f, int id)
        {
        \tstruct item *it;

        \tdown_read(&f->sem);
        \tit = foo_find(f, id);
        \tif (!it)
        \t\treturn -ENOENT;
        \tit->hits++;
        \tup_read(&f->sem);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@8 warning: acquired 5, returns 8, returns unlocked 11",
    ]),
    PatternCase(name: "rcu_read_lock left held on an error return", code: """
        static int foo_peek(struct foo *f)
        {
        \tstruct bar *b;
        \tint v;

        \trcu_read_lock();
        \tb = rcu_dereference(f->bar);
        \tif (!b)
        \t\treturn -ENOENT;
        \tv = b->v;
        \trcu_read_unlock();
        \treturn v;
        }
        """, expected: [
        "lock-balance/held-at-return@9 warning: acquired 6, returns 9, returns unlocked 12",
    ]),
    PatternCase(name: "cond_resched_lock inside a spinlocked loop", code: """
        static void foo_scan(struct foo *f)
        {
        \tint i;

        \tspin_lock(&f->lock);
        \tfor (i = 0; i < f->n; i++) {
        \t\tfoo_visit(f, i);
        \t\tcond_resched_lock(&f->lock);
        \t}
        \tspin_unlock(&f->lock);
        }
        """, expected: [
        "lock-window/callee-window@8 note: acquired 5, call 8",
    ]),
    PatternCase(name: "releases the caller's lock", code: """
        static void foo_finish(struct foo *f)
        {
        \tf->done = 1;
        \tmutex_unlock(&f->lock);
        \tcomplete(&f->comp);
        }
        """, expected: [
        "lock-balance/caller-held@4 note: released 4",
    ]),
    PatternCase(name: "stale local across a relock", code: """
        static void foo_grow(struct foo *f)
        {
        \tint n;

        \tmutex_lock(&f->lock);
        \tn = f->count;
        \tmutex_unlock(&f->lock);
        \tfoo_alloc(f, n + 1);
        \tmutex_lock(&f->lock);
        \tf->count = n + 1;
        \tmutex_unlock(&f->lock);
        }
        """, expected: [
        "lock-window/window@7 warning: acquired 5, released 7, re-acquired 9, checked 6, used after re-acquire 10",
    ]),
    PatternCase(name: "callee drops the argument's lock (summary)", code: """
        static void foo_flush_locked(struct foo *f)
        {
        \tmutex_unlock(&f->lock);
        \tflush_work(&f->work);
        \tmutex_lock(&f->lock);
        }

        static void foo_reconf(struct foo *g)
        {
        \tmutex_lock(&g->lock);
        \tg->mode = 1;
        \tfoo_flush_locked(g);
        \tg->mode = 2;
        \tmutex_unlock(&g->lock);
        }
        """, expected: [
        "lock-window/window@3 note: released 3, re-acquired 5",
        "lock-balance/caller-held@3 note: released 3",
        "lock-window/callee-window@12 warning: acquired 10, call 12, released in callee 3, re-acquired in callee 5",
    ]),
    // Two re-acquisitions of one release: the summary keeps the first (it once kept whichever a
    // Set of facts listed first, which varied between runs).
    PatternCase(name: "callee re-takes the lock on two paths", code: """
        static void foo_flush_locked(struct foo *f)
        {
        \tmutex_unlock(&f->lock);
        \tif (f->fast) {
        \t\tmutex_lock(&f->lock);
        \t\treturn;
        \t}
        \tfoo_wait(f);
        \tmutex_lock(&f->lock);
        }

        static void foo_reconf(struct foo *g)
        {
        \tmutex_lock(&g->lock);
        \tg->mode = 1;
        \tfoo_flush_locked(g);
        \tg->mode = 2;
        \tmutex_unlock(&g->lock);
        }
        """, expected: [
        "lock-window/window@3 note: released 3, re-acquired 5",
        "lock-window/window@3 note: released 3, re-acquired 9",
        "lock-balance/caller-held@3 note: released 3",
        "lock-window/callee-window@16 warning: acquired 14, call 16, released in callee 3, re-acquired in callee 5",
    ]),
    PatternCase(name: "reference stored into a field", code: """
        static int foo_attach(struct foo *f, struct device *dev)
        {
        \tf->dev = get_device(dev);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "reference handed to a consumer", code: """
        static int foo_add(struct foo *f, struct device_node *parent)
        {
        \tstruct foo_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

        \tif (!n)
        \t\treturn -ENOMEM;
        \tn->np = of_node_get(parent);
        \tlist_add(&n->list, &f->nodes);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "kvm reference balanced", code: """
        static void foo_kick(struct foo *f)
        {
        \tstruct kvm *kvm = f->kvm;

        \tkvm_get_kvm(kvm);
        \tfoo_do(kvm);
        \tkvm_put_kvm(kvm);
        }
        """, expected: []),
    PatternCase(name: "try_module_get success path leaks", code: """
        static int foo_open(struct foo *f)
        {
        \tif (!try_module_get(f->owner))
        \t\treturn -ENODEV;
        \tif (!f->ops)
        \t\treturn -EINVAL;
        \tf->users++;
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@6 warning: get 3, returns 6",
    ]),
    PatternCase(name: "fdget without fdput on an error path", code: """
        static long foo_ioctl_fd(struct foo *foo, int fd)
        {
        \tstruct fd f = fdget(fd);

        \tif (!f.file)
        \t\treturn -EBADF;
        \tif (f.file->f_op != &foo_fops)
        \t\treturn -EINVAL;
        \tfoo_use(foo, f.file);
        \tfdput(f);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@8 warning: get 3, returns 8",
    ]),
    PatternCase(name: "dev_hold without dev_put on an error path", code: """
        static int foo_bind(struct foo *f, struct net_device *ndev)
        {
        \tdev_hold(ndev);
        \tif (!netif_running(ndev))
        \t\treturn -ENETDOWN;
        \tfoo_link(f, ndev);
        \tdev_put(ndev);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@5 warning: get 3, returns 5",
    ]),
    PatternCase(name: "sock_hold balanced on both branches", code: """
        static void foo_sk(struct sock *sk, int drop)
        {
        \tsock_hold(sk);
        \tif (drop) {
        \t\tfoo_drop(sk);
        \t\tsock_put(sk);
        \t\treturn;
        \t}
        \tfoo_keep(sk);
        \tsock_put(sk);
        }
        """, expected: []),
    PatternCase(name: "kref_get_unless_zero failure takes nothing", code: """
        static struct foo *foo_tryget(struct foo *f)
        {
        \tif (!kref_get_unless_zero(&f->ref))
        \t\treturn NULL;
        \treturn f;
        }
        """, expected: []),
    PatternCase(name: "of_parse_phandle leaked on an error path", code: """
        static int foo_phandle(struct device *dev)
        {
        \tstruct device_node *np;

        \tnp = of_parse_phandle(dev->of_node, "memory-region", 0);
        \tif (!np)
        \t\treturn -ENODEV;
        \tif (!of_device_is_available(np))
        \t\treturn -ENODEV;
        \tfoo_reserve(dev, np);
        \tof_node_put(np);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@9 warning: get 5, returns 9",
    ]),
    PatternCase(name: "correlated conditional locking", code: """
        static void foo_maybe(struct foo *f, bool locked)
        {
        \tif (!locked)
        \t\tmutex_lock(&f->lock);
        \tf->v++;
        \tif (!locked)
        \t\tmutex_unlock(&f->lock);
        }
        """, expected: []),
    PatternCase(name: "switch case returns with the lock held", code: """
        static int foo_cmd(struct foo *f, int cmd)
        {
        \tint ret = 0;

        \tspin_lock(&f->lock);
        \tswitch (cmd) {
        \tcase 1:
        \t\tf->a = 1;
        \t\tbreak;
        \tcase 2:
        \t\treturn -EOPNOTSUPP;
        \tdefault:
        \t\tret = -EINVAL;
        \t}
        \tspin_unlock(&f->lock);
        \treturn ret;
        }
        """, expected: [
        "lock-balance/held-at-return@11 warning: acquired 5, returns 11, returns unlocked 16",
    ]),
    PatternCase(name: "lock and unlock every loop round", code: """
        static void foo_drain(struct foo *f)
        {
        \twhile (foo_pending(f)) {
        \t\tmutex_lock(&f->lock);
        \t\tf->drained++;
        \t\tmutex_unlock(&f->lock);
        \t}
        }
        """, expected: []),
    PatternCase(name: "kernel-style definition with the name on its own line", code: """
        static int
        foo_late(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \tif (f->late)
        \t\treturn -EBUSY;
        \tmutex_unlock(&f->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@6 warning: acquired 4, returns 6, returns unlocked 8",
    ]),
    PatternCase(name: "list_for_each_entry dropping the lock to process each entry", code: """
        static void foo_run(struct foo *f)
        {
        \tstruct item *it, *tmp;

        \tspin_lock(&f->lock);
        \tlist_for_each_entry_safe(it, tmp, &f->items, node) {
        \t\tlist_del(&it->node);
        \t\tf->nitems--;
        \t\tspin_unlock(&f->lock);
        \t\tfoo_process(it);
        \t\tspin_lock(&f->lock);
        \t\tf->done++;
        \t}
        \tspin_unlock(&f->lock);
        }
        """, expected: [
        "lock-window/window@9 note: acquired 5, released 9, re-acquired 11",
    ]),
    PatternCase(name: "container used after a put balancing the function's own get", code: """
        static void foo_poke(struct foo *obj)
        {
        \tkobject_get(&obj->kobj);
        \tfoo_flush(obj);
        \tkobject_put(&obj->kobj);
        \tobj->pokes++;
        }
        """, expected: []),
    PatternCase(name: "decrement-and-lock takes the lock only at zero", code: """
        static void foo_put(struct foo *f)
        {
        \tif (!atomic_dec_and_mutex_lock(&f->users, &foo_mutex))
        \t\treturn;
        \tlist_del(&f->node);
        \tmutex_unlock(&foo_mutex);
        \tkfree(f);
        }
        """, expected: []),
    PatternCase(name: "nested rcu_read_lock", code: """
        static int foo_nested(struct foo *f)
        {
        \tint v;

        \trcu_read_lock();
        \trcu_read_lock();
        \tv = foo_peek(f);
        \trcu_read_unlock();
        \trcu_read_unlock();
        \treturn v;
        }
        """, expected: []),
    PatternCase(name: "unknown lock wrapper between two releases", code: """
        static void foo_twice(struct foo *f)
        {
        \tmutex_lock(&f->lock);
        \tf->a = 1;
        \tmutex_unlock(&f->lock);
        \tfoo_lock_wrapper(&f->lock);
        \tf->b = 1;
        \tmutex_unlock(&f->lock);
        }
        """, expected: []),
    PatternCase(name: "device passed as the next search start after its put", code: """
        static void foo_each(struct foo *f)
        {
        \tstruct bar *b = NULL;

        \twhile ((b = foo_next(f, b)) != NULL) {
        \t\tfoo_use(b);
        \t\tput_device(&b->dev);
        \t}
        }
        """, expected: [
        "refcount-balance/use-after-put@5 error: put 7, used 5",
    ]),
    PatternCase(name: "loop cursor reassigned after each put", code: """
        static void foo_all(struct foo *f)
        {
        \tstruct bar *b = foo_first(f);

        \twhile (b) {
        \t\tfoo_use(b);
        \t\tput_device(&b->dev);
        \t\tb = foo_other(f);
        \t}
        }
        """, expected: []),
    PatternCase(name: "reference handed out through a wrapper's return value", code: """
        struct mgr *mgr_get(struct device *dev)
        {
        \tstruct device *mdev;
        \tstruct mgr *m;

        \tmdev = class_find_device(mgr_class, NULL, dev, match);
        \tif (!mdev)
        \t\treturn ERR_PTR(-ENODEV);
        \tm = __mgr_get(mdev);
        \tif (IS_ERR(m))
        \t\tput_device(mdev);
        \treturn m;
        }
        """, expected: []),
    PatternCase(name: "put again under the error label after an early put", code: """
        static int part_create(struct part *xp)
        {
        \tstruct device_node *parent;
        \tint ret;

        \tparent = of_find_node_by_path("/");
        \tif (!parent)
        \t\treturn -EINVAL;
        \tret = part_apply(xp, parent);
        \tif (ret)
        \t\tgoto failed;
        \tof_node_put(parent);
        \tret = part_populate(xp);
        \tif (ret)
        \t\tgoto failed;
        \treturn 0;
        failed:
        \tif (parent)
        \t\tof_node_put(parent);
        \treturn ret;
        }
        """, expected: [
        "refcount-balance/over-put@19 error: get 6, put 12, put 19",
    ]),
    PatternCase(name: "stale guard across a callee that drops the lock", code: """
        static int adc_wait(struct adc *st)
        {
        \tmutex_unlock(&st->lock);
        \tusleep_range(2000, 2500);
        \tmutex_lock(&st->lock);
        \treturn 0;
        }

        static int adc_read(struct adc *st, int *val)
        {
        \tint ret;

        \tmutex_lock(&st->lock);
        \tif (!st->enabled) {
        \t\tmutex_unlock(&st->lock);
        \t\treturn -EBUSY;
        \t}
        \tret = adc_wait(st);
        \tif (ret) {
        \t\tmutex_unlock(&st->lock);
        \t\treturn ret;
        \t}
        \tret = adc_hw_read(st, val);
        \tmutex_unlock(&st->lock);
        \treturn ret;
        }
        """, expected: [
        "lock-window/window@3 note: released 3, re-acquired 5",
        "lock-balance/caller-held@3 note: released 3",
        "lock-window/callee-window@18 warning: acquired 13, call 18, released in callee 3, re-acquired in callee 5, checked 14",
    ]),
    PatternCase(name: "guard re-checked after a callee that drops the lock", code: """
        static void adc_wait(struct adc *st)
        {
        \tmutex_unlock(&st->lock);
        \tusleep_range(2000, 2500);
        \tmutex_lock(&st->lock);
        }

        static int adc_read(struct adc *st, int *val)
        {
        \tmutex_lock(&st->lock);
        \tif (!st->enabled) {
        \t\tmutex_unlock(&st->lock);
        \t\treturn -EBUSY;
        \t}
        \tadc_wait(st);
        \tif (!st->enabled) {
        \t\tmutex_unlock(&st->lock);
        \t\treturn -EBUSY;
        \t}
        \t*val = adc_hw_read(st);
        \tmutex_unlock(&st->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-window/window@3 note: released 3, re-acquired 5",
        "lock-balance/caller-held@3 note: released 3",
        "lock-window/callee-window@15 note: acquired 10, call 15, released in callee 3, re-acquired in callee 5, re-checked 16",
    ]),
    PatternCase(name: "stale guard across a relock in the same function", code: """
        static int dev_start(struct dev *d)
        {
        \tmutex_lock(&d->lock);
        \tif (d->state != DEV_READY) {
        \t\tmutex_unlock(&d->lock);
        \t\treturn -EBUSY;
        \t}
        \tmutex_unlock(&d->lock);
        \tmsleep(10);
        \tmutex_lock(&d->lock);
        \tdev_hw_start(d);
        \tmutex_unlock(&d->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-window/window@8 warning: acquired 3, released 8, re-acquired 10, checked 4",
    ]),
    PatternCase(name: "nothing relies on the guard after the relock", code: """
        static int dev_flush(struct dev *d)
        {
        \tmutex_lock(&d->lock);
        \tif (!d->enabled) {
        \t\tmutex_unlock(&d->lock);
        \t\treturn -EBUSY;
        \t}
        \tmutex_unlock(&d->lock);
        \tmsleep(10);
        \tmutex_lock(&d->lock);
        \tmutex_unlock(&d->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-window/window@8 note: acquired 3, released 8, re-acquired 10",
    ]),
    PatternCase(name: "a check on another object than the lock's is not its state", code: """
        static void cfg_set(struct cfg *c, struct kvm *kvm)
        {
        \tmutex_lock(&cfg_lock);
        \tif (kvm->arch.crycbd) {
        \t\tmutex_unlock(&cfg_lock);
        \t\tkvm_set_masks(kvm);
        \t\tmutex_lock(&cfg_lock);
        \t\tc->kvm = kvm;
        \t}
        \tmutex_unlock(&cfg_lock);
        }
        """, expected: [
        "lock-window/window@5 note: acquired 3, released 5, re-acquired 7",
    ]),
    PatternCase(name: "drvdata returned while the device reference leaks", code: """
        static struct foo *foo_from_node(struct device_node *np)
        {
        \tstruct platform_device *pdev;
        \tstruct foo *priv;

        \tpdev = of_find_device_by_node(np);
        \tif (!pdev)
        \t\treturn ERR_PTR(-ENODEV);
        \tpriv = platform_get_drvdata(pdev);
        \tif (!priv) {
        \t\tput_device(&pdev->dev);
        \t\treturn ERR_PTR(-EPROBE_DEFER);
        \t}
        \treturn priv;
        }
        """, expected: [
        "refcount-balance/leak@14 warning: get 6, returns 14",
    ]),
    PatternCase(name: "a node named in the error message still leaks", code: """
        static int foo_parse(struct device *dev)
        {
        \tstruct device_node *np;
        \tu32 v;

        \tnp = of_get_child_by_name(dev->of_node, "cfg");
        \tif (!np)
        \t\treturn 0;
        \tif (of_property_read_u32(np, "v", &v))
        \t\treturn dev_err_probe(dev, -EINVAL, "no v in %pOF\\n", np);
        \tof_node_put(np);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@10 warning: get 6, returns 10",
    ]),
    PatternCase(name: "reference handed out through a wrapper of the same file", code: """
        static struct mgr *mgr_take(struct device *dev)
        {
        \tstruct mgr *m = to_mgr(dev);

        \tif (!try_module_get(m->owner))
        \t\treturn ERR_PTR(-ENODEV);
        \treturn m;
        }

        struct mgr *mgr_lookup(struct device *dev)
        {
        \tstruct device *mdev;
        \tstruct mgr *m;

        \tmdev = class_find_device(mgr_class, NULL, dev, match);
        \tif (!mdev)
        \t\treturn ERR_PTR(-ENODEV);
        \tm = mgr_take(mdev);
        \tif (IS_ERR(m))
        \t\tput_device(mdev);
        \treturn m;
        }
        """, expected: []),
    PatternCase(name: "a helper of the same file that returns something else hands nothing out", code: """
        static struct mgr_ops *mgr_ops_of(struct device *dev)
        {
        \tstruct mgr *m = to_mgr(dev);

        \treturn m->ops;
        }

        struct mgr_ops *mgr_ops_lookup(struct device *dev)
        {
        \tstruct device *mdev;
        \tstruct mgr_ops *ops;

        \tmdev = class_find_device(mgr_class, NULL, dev, match);
        \tif (!mdev)
        \t\treturn ERR_PTR(-ENODEV);
        \tops = mgr_ops_of(mdev);
        \tif (!ops) {
        \t\tput_device(mdev);
        \t\treturn ERR_PTR(-ENODEV);
        \t}
        \treturn ops;
        }
        """, expected: [
        "refcount-balance/leak@21 warning: get 13, returns 21",
    ]),
    PatternCase(name: "a function that returns holding the lock on success: its caller's early return keeps it", code: """
        static int foo_lock_if_valid(struct counter_device *counter, int id)
        {
        \tstruct foo_cnt *const priv = counter_priv(counter);

        \tmutex_lock(&priv->lock);
        \tif (!priv->enabled[id]) {
        \t\tmutex_unlock(&priv->lock);
        \t\treturn -EINVAL;
        \t}
        \treturn 0;
        }

        static int foo_ceiling_write(struct counter_device *counter, int id, u64 ceiling)
        {
        \tstruct foo_cnt *const priv = counter_priv(counter);
        \tint ret;

        \tret = foo_lock_if_valid(counter, id);
        \tif (ret)
        \t\treturn ret;
        \tif (ceiling > U16_MAX)
        \t\treturn -ERANGE;
        \tpriv->max[id] = ceiling;
        \tmutex_unlock(&priv->lock);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@22 warning: acquired 18, returns 22, returns unlocked 25",
    ]),
    PatternCase(name: "a find-and-lock function returning the object locked, used correctly", code: """
        static struct foo *foo_find_and_lock(struct foo_dev *fd, int id)
        {
        \tstruct foo *f;

        \tmutex_lock(&fd->lock);
        \tf = foo_lookup(fd, id);
        \tif (!f) {
        \t\tmutex_unlock(&fd->lock);
        \t\treturn ERR_PTR(-ENOENT);
        \t}
        \treturn f;
        }

        static int foo_set(struct foo_dev *fd, int id, int v)
        {
        \tstruct foo *f;

        \tf = foo_find_and_lock(fd, id);
        \tif (IS_ERR(f))
        \t\treturn PTR_ERR(f);
        \tf->v = v;
        \tmutex_unlock(&fd->lock);
        \treturn 0;
        }
        """, expected: []),
    PatternCase(name: "an output argument's node in a local structure, never put: nothing names it after the return", code: """
        static u32 foo_bank_pins(struct device_node *np)
        {
        \tstruct of_phandle_args of_args;

        \tif (of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &of_args))
        \t\treturn 0;
        \telse
        \t\treturn of_args.args[2];
        }

        static struct device_node *foo_range_node(struct device_node *np)
        {
        \tstruct of_phandle_args of_args;

        \tif (of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &of_args))
        \t\treturn NULL;
        \treturn of_args.np;
        }
        """, expected: [
        "refcount-balance/leak@8 warning: get 5, returns 8",
    ]),
    PatternCase(name: "a helper that takes the lock on one path only is no lock wrapper (its callers in a loop take nothing twice)", code: """
        static void foo_get_bank(struct foo_bank *bank)
        {
        \tstruct foo *mt = bank->mt;

        \tif (mt->conf->need_switch_bank)
        \t\tmutex_lock(&mt->lock);
        }

        static void foo_put_bank(struct foo_bank *bank)
        {
        \tstruct foo *mt = bank->mt;

        \tif (mt->conf->need_switch_bank)
        \t\tmutex_unlock(&mt->lock);
        }

        static int foo_read_temp(struct foo *mt)
        {
        \tint i, t = 0;

        \tfor (i = 0; i < mt->num_banks; i++) {
        \t\tfoo_get_bank(&mt->banks[i]);
        \t\tt += foo_bank_temp(&mt->banks[i]);
        \t\tfoo_put_bank(&mt->banks[i]);
        \t}
        \treturn t;
        }
        """, expected: [
        "lock-balance/caller-held@14 note: released 14",
    ]),
    PatternCase(name: "puts in a loop over an array: each round's element is another object", code: """
        static void foo_finish(struct foo_platform *svsp)
        {
        \tstruct foo_bank *svsb;
        \tint idx;

        \tfor (idx = 0; idx < svsp->bank_max; idx++) {
        \t\tsvsb = &svsp->banks[idx];
        \t\tif (svsb->volt_flags & FOO_PD_REQ)
        \t\t\tpm_runtime_put_sync(svsb->opp_dev);
        \t}
        }
        """, expected: []),
    PatternCase(name: "returning a member's address hands on the object's reference", code: """
        static struct device *foo_get_subsys_device(struct foo *f, const char *name)
        {
        \tstruct platform_device *pdev;
        \tstruct device_node *np;

        \tnp = of_find_node_by_name(NULL, name);
        \tif (!np)
        \t\treturn ERR_PTR(-ENODEV);
        \tpdev = of_find_device_by_node(np);
        \tof_node_put(np);
        \tif (!pdev)
        \t\treturn ERR_PTR(-ENXIO);
        \treturn &pdev->dev;
        }
        """, expected: []),
    PatternCase(name: "a path that ends in a function that never returns is no exit", code: """
        static int foo_set_mode(struct foo *f, int mode)
        {
        \tint ret;

        \tmutex_lock(&f->lock);
        \tswitch (mode) {
        \tcase FOO_A:
        \t\tret = foo_a(f);
        \t\tbreak;
        \tcase FOO_B:
        \t\tret = foo_b(f);
        \t\tbreak;
        \tdefault:
        \t\tBUG();
        \t\treturn -EINVAL;
        \t}
        \tmutex_unlock(&f->lock);
        \treturn ret;
        }
        """, expected: []),
    PatternCase(name: "two puts of a listed device the function never took (dfl_fpga_feature_devs_remove)", code: """
        void dfl_fpga_feature_devs_remove(struct dfl_fpga_cdev *cdev)
        {
        \tstruct dfl_feature_platform_data *pdata, *ptmp;

        \tmutex_lock(&cdev->lock);
        \tlist_for_each_entry_safe(pdata, ptmp, &cdev->port_dev_list, node) {
        \t\tstruct platform_device *port_dev = pdata->dev;

        \t\tif (!device_is_registered(&port_dev->dev)) {
        \t\t\tdfl_id_free(feature_dev_id_type(port_dev), port_dev->id);
        \t\t\tplatform_device_put(port_dev);
        \t\t}

        \t\tlist_del(&pdata->node);
        \t\tput_device(&port_dev->dev);
        \t}
        \tmutex_unlock(&cdev->lock);
        }
        """, expected: [
        // The list's reference and the allocation's: two puts the function never took, a note.
        "refcount-balance/double-put@15 note: put 11, put 15",
    ]),
    PatternCase(name: "a get on a pointer it had, then a finder that drops it, then a use (s10_init fixed)", code: """
        static int __init s10_init(void)
        {
        \tstruct device_node *fw_np;
        \tstruct device_node *np;
        \tint ret;

        \tfw_np = of_find_node_by_name(NULL, "svc");
        \tif (!fw_np)
        \t\treturn -ENODEV;

        \tof_node_get(fw_np);
        \tnp = of_find_matching_node(fw_np, s10_of_match);
        \tif (!np) {
        \t\tof_node_put(fw_np);
        \t\treturn -ENODEV;
        \t}

        \tof_node_put(np);
        \tret = of_platform_populate(fw_np, s10_of_match, NULL, NULL);
        \tof_node_put(fw_np);
        \tif (ret)
        \t\treturn ret;

        \treturn platform_driver_register(&s10_driver);
        }
        """, expected: [
    ]),
    PatternCase(name: "a finder that drops the only reference, then a use (s10_init before the fix)", code: """
        static int __init s10_init(void)
        {
        \tstruct device_node *fw_np;
        \tstruct device_node *np;
        \tint ret;

        \tfw_np = of_find_node_by_name(NULL, "svc");
        \tif (!fw_np)
        \t\treturn -ENODEV;

        \tnp = of_find_matching_node(fw_np, s10_of_match);
        \tif (!np) {
        \t\treturn -ENODEV;
        \t}

        \tof_node_put(np);
        \tret = of_platform_populate(fw_np, s10_of_match, NULL, NULL);
        \tif (ret)
        \t\treturn ret;

        \treturn platform_driver_register(&s10_driver);
        }
        """, expected: [
        "refcount-balance/use-after-put@17 error: put 11, used 17",
    ]),
    PatternCase(name: "runtime PM usage count dropped twice with no get", code: """
        static int lpass_aon_cc_probe(struct platform_device *pdev)
        {
        \tint ret;

        \tpm_runtime_enable(&pdev->dev);
        \tret = qcom_cc_probe(pdev);
        \tpm_runtime_mark_last_busy(&pdev->dev);
        \tpm_runtime_put_autosuspend(&pdev->dev);
        \tpm_runtime_put_sync(&pdev->dev);
        \treturn ret;
        }
        """, expected: [
        "refcount-balance/double-put@9 error: put 8, put 9",
    ]),
    PatternCase(name: "each list element's reference put in its own iteration", code: """
        static void foo_release_all(struct foo_bus *bus)
        {
        \tstruct foo_dev *fd;

        \tlist_for_each_entry(fd, &bus->devs, node) {
        \t\tstruct device *dev = fd->dev;

        \t\tdev_dbg(dev, "releasing\\n");
        \t\tput_device(dev);
        \t}
        }
        """, expected: [
    ]),
    PatternCase(name: "a list element used after its put in the same iteration", code: """
        static void foo_release_all(struct foo_bus *bus)
        {
        \tstruct foo_dev *fd;

        \tlist_for_each_entry(fd, &bus->devs, node) {
        \t\tstruct device *dev = fd->dev;

        \t\tput_device(dev);
        \t\tdev_dbg(dev, "released\\n");
        \t}
        }
        """, expected: [
        "refcount-balance/use-after-put@9 error: put 8, used 9",
    ]),
    // drivers/fpga/fpga-bridge.c fpga_bridges_put(): the helper unlocks its argument's mutex, and
    // the list cursor names another bridge each round: one mutex per bridge, not one twice.
    PatternCase(name: "a lock reached through a reassigned cursor is another lock", code: """
        static void fpga_bridge_put(struct fpga_bridge *bridge)
        {
        \tmodule_put(bridge->br_ops_owner);
        \tmutex_unlock(&bridge->mutex);
        }

        void fpga_bridges_put(struct list_head *bridge_list)
        {
        \tstruct fpga_bridge *bridge, *next;

        \tlist_for_each_entry_safe(bridge, next, bridge_list, node) {
        \t\tfpga_bridge_put(bridge);
        \t\tlist_del(&bridge->node);
        \t}
        }

        void foo_unlock_all(struct foo *foos, int n)
        {
        \tint i;

        \tfor (i = 0; i < n; i++)
        \t\tmutex_unlock(&foos[i].lock);
        }

        void foo_unlock_twice(struct foo *f)
        {
        \tmutex_unlock(&f->lock);
        \tmutex_unlock(&f->lock);
        }
        """, expected: [
        "lock-balance/caller-held@4 note: released 4",
        "lock-balance/caller-held@12 note: released 12",
        "lock-balance/caller-held@22 note: released 22",
        "lock-balance/double-unlock@28 error: released 27, released 28",
        "lock-balance/caller-held@27 note: released 27",
    ]),
    // drivers/gpio/gpiolib-sysfs.c gpiod_unexport(): device_unregister() drops the registration's
    // reference, not the one class_find_device() gave; a function that registered the device itself
    // owns that reference, and a put after the unregister is one too many.
    PatternCase(name: "device_unregister drops the registration's reference only", code: """
        void foo_unexport(struct foo_desc *desc)
        {
        \tstruct device *dev;

        \tdev = class_find_device(&foo_class, NULL, desc, match_export);
        \tif (!dev)
        \t\treturn;
        \tdevice_unregister(dev);
        \tfoo_free_irq(dev);
        \tput_device(dev);
        }

        static void foo_remove(struct foo *foo)
        {
        \tdevice_unregister(&foo->dev);
        }

        static int foo_create(struct foo *foo)
        {
        \tint ret;

        \tret = device_register(&foo->dev);
        \tif (ret) {
        \t\tput_device(&foo->dev);
        \t\treturn ret;
        \t}
        \tdevice_unregister(&foo->dev);
        \tput_device(&foo->dev);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/over-put@28 error: get 22, put 27, put 28",
    ]),
    // drivers/thermal/thermal_of.c thermal_of_cm_lookup() before its __free conversion: comparing
    // the found node with another pointer says nothing about whether the finder found one, so the
    // node a `continue` skips stays held (and is lost when the next round finds another).
    PatternCase(name: "a finder's result compared with another pointer is still held", code: """
        static bool foo_cm_lookup(struct device_node *cm_np, const struct thermal_trip *trip)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(cm_np, child) {
        \t\tstruct device_node *tr_np;

        \t\ttr_np = of_parse_phandle(child, "trip", 0);
        \t\tif (tr_np != trip->priv)
        \t\t\tcontinue;
        \t\tof_node_put(tr_np);
        \t\tof_node_put(child);
        \t\treturn true;
        \t}
        \treturn false;
        }
        """, expected: [
        "refcount-balance/leak@13 warning: get 8, returns 13, returns 15",
    ]),
    // WARN(cond, fmt, …) is its condition: the clock is held past it only when clk_get() worked, so
    // the return under it keeps nothing; the success return keeps the enabled clock with no one to
    // put it (drivers/clk/ti/clk.c omap2_clk_enable_init_clocks() does so on purpose).
    PatternCase(name: "WARN(IS_ERR(clk), …) decides the get", code: """
        static int foo_enable_init_clock(const char *name)
        {
        \tstruct clk *clk;
        \tint err;

        \tclk = clk_get(NULL, name);
        \tif (WARN(IS_ERR(clk), "could not find %s\\n", name))
        \t\treturn PTR_ERR(clk);
        \terr = clk_prepare_enable(clk);
        \tif (err) {
        \t\tclk_put(clk);
        \t\treturn err;
        \t}
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@14 warning: get 6, returns 14",
    ]),
    // Runtime PM usage counts come in pairs across callbacks: a suspend drops what resume raised,
    // one count per enabled channel in a loop (drivers/pwm/pwm-tiehrpwm.c ehrpwm_pwm_suspend()).
    // Only an error path that drops a count the function never raised is reported (the intro of
    // "iio: adc: rzg2l: Cleanup suspend/resume path", 2025).
    PatternCase(name: "runtime PM puts pair with other callbacks' gets", code: """
        static int foo_suspend(struct device *dev)
        {
        \tfoo_disable(dev_get_drvdata(dev));
        \tpm_runtime_put(dev);
        \treturn 0;
        }

        static int foo_pwm_suspend(struct device *dev)
        {
        \tstruct pwm_chip *chip = dev_get_drvdata(dev);
        \tunsigned int i;

        \tfor (i = 0; i < chip->npwm; i++) {
        \t\tif (!pwm_is_enabled(&chip->pwms[i]))
        \t\t\tcontinue;
        \t\tpm_runtime_put_sync(dev);
        \t}
        \treturn 0;
        }

        static int foo_resume(struct device *dev)
        {
        \tstruct foo *adc = dev_get_drvdata(dev);
        \tint ret;

        \tret = foo_hw_init(dev, adc);
        \tif (ret)
        \t\tgoto rpm_restore;
        \treturn 0;
        rpm_restore:
        \tpm_runtime_put_autosuspend(dev);
        \treturn ret;
        }
        """, expected: [
        "refcount-balance/double-put@16 note: put 16",
        "refcount-balance/borrowed-put@31 warning: put 31",
    ]),
    // Kept on success and put on failure is the function's contract (drivers/iio/adc/stm32-adc.c
    // stm32_adc_buffer_postenable(): `predisable` puts it); kept on one success return and put on
    // another is a leak.
    PatternCase(name: "a reference kept on success and put on failure is a contract", code: """
        static int foo_buffer_postenable(struct iio_dev *indio_dev)
        {
        \tstruct device *dev = indio_dev->dev.parent;
        \tint ret;

        \tret = pm_runtime_resume_and_get(dev);
        \tif (ret < 0)
        \t\treturn ret;
        \tret = foo_set_trig(indio_dev);
        \tif (ret)
        \t\tgoto err_pm_put;
        \treturn 0;
        err_pm_put:
        \tpm_runtime_put_autosuspend(dev);
        \treturn ret;
        }

        static int foo_read(struct foo *st, int *val)
        {
        \tstruct device *dev = st->dev;
        \tint ret;

        \tret = pm_runtime_resume_and_get(dev);
        \tif (ret < 0)
        \t\treturn ret;
        \tif (st->cached) {
        \t\t*val = st->last;
        \t\treturn 0;
        \t}
        \t*val = foo_sample(st);
        \tpm_runtime_put_autosuspend(dev);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@28 warning: get 23, returns 28",
    ]),
    // An output argument's result compared with an error code is tested: on the `-ENOENT` edge
    // nothing was taken. A plain local put on the error path and forgotten on success is lost there,
    // whatever the success return's contract.
    PatternCase(name: "a result tested against an error code; a local forgotten on success", code: """
        static int foo_parse(struct device_node *np, unsigned int *out)
        {
        \tstruct of_phandle_args args;
        \tint ret;

        \tret = of_parse_phandle_with_args(np, "foo", "#foo-cells", 0, &args);
        \tif (ret == -ENOENT)
        \t\treturn 0;
        \tif (ret)
        \t\treturn ret;
        \t*out = args.args[0];
        \tof_node_put(args.np);
        \treturn 0;
        }

        static int foo_probe(struct platform_device *pdev)
        {
        \tstruct device_node *np;
        \tint ret;

        \tnp = of_find_node_by_name(NULL, "foo");
        \tif (!np)
        \t\treturn -ENODEV;
        \tret = foo_setup(pdev, np);
        \tif (ret) {
        \t\tof_node_put(np);
        \t\treturn ret;
        \t}
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@29 warning: get 21, returns 29",
    ]),
    // A lock taken only when it exists is released under the same test; writing another field of
    // the object in between (`mux->reparent`) does not change what the test reads
    // (drivers/clk/mediatek/clk-mux.c). A return between the two still leaves it held.
    PatternCase(name: "a lock taken and released under the same test, a sibling field written between", code: """
        static int mux_set_parent(struct clk_hw *hw, u8 index)
        {
        \tstruct mtk_clk_mux *mux = to_mtk_clk_mux(hw);
        \tunsigned long flags = 0;
        \tu32 val, orig;

        \tif (mux->lock)
        \t\tspin_lock_irqsave(mux->lock, flags);
        \telse
        \t\t__acquire(mux->lock);

        \tregmap_read(mux->regmap, mux->data->mux_ofs, &orig);
        \tval = orig | index;
        \tif (val != orig) {
        \t\tregmap_write(mux->regmap, mux->data->set_ofs, val);
        \t\tmux->reparent = true;
        \t}

        \tif (mux->lock)
        \t\tspin_unlock_irqrestore(mux->lock, flags);
        \telse
        \t\t__release(mux->lock);

        \treturn 0;
        }

        static int mux_enable(struct clk_hw *hw)
        {
        \tstruct mtk_clk_mux *mux = to_mtk_clk_mux(hw);
        \tunsigned long flags = 0;
        \tint ret;

        \tif (mux->lock)
        \t\tspin_lock_irqsave(mux->lock, flags);

        \tret = regmap_write(mux->regmap, mux->data->set_ofs, 1);
        \tif (ret)
        \t\treturn ret;
        \tmux->reparent = false;

        \tif (mux->lock)
        \t\tspin_unlock_irqrestore(mux->lock, flags);
        \treturn 0;
        }
        """, expected: [
        "lock-balance/held-at-return@38 warning: acquired 34, returns 38, returns unlocked 43",
    ]),
    // `error < 0` and `error >= 0` are one test spelt two ways: the put under the second runs
    // on every path that holds the count (drivers/power/supply/bq24190_charger.c). A put under a
    // test the success value fails (`error > 0`, while success is 0) never runs.
    PatternCase(name: "a put under the complement of the get's failure test", code: """
        static int foo_pm_suspend(struct device *dev)
        {
        \tstruct foo *bdi = dev_get_drvdata(dev);
        \tint error;

        \terror = pm_runtime_resume_and_get(bdi->dev);
        \tif (error < 0)
        \t\tdev_warn(bdi->dev, "pm_runtime_get failed: %i\\n", error);

        \tfoo_register_reset(bdi);

        \tif (error >= 0) {
        \t\tpm_runtime_mark_last_busy(bdi->dev);
        \t\tpm_runtime_put_autosuspend(bdi->dev);
        \t}
        \treturn 0;
        }

        static int foo_pm_resume(struct device *dev)
        {
        \tstruct foo *bdi = dev_get_drvdata(dev);
        \tint error;

        \terror = pm_runtime_resume_and_get(bdi->dev);
        \tif (error < 0)
        \t\tdev_warn(bdi->dev, "pm_runtime_get failed: %i\\n", error);

        \tfoo_register_reset(bdi);

        \tif (error > 0)
        \t\tpm_runtime_put_autosuspend(bdi->dev);
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@32 warning: get 24, returns 32",
    ]),
    // Two loops over one cursor (drivers/clk/mvebu/ap-cpu-clk.c): the first puts it on `break`,
    // the second starts afresh and puts nothing on entry. A put before `continue` is one too many:
    // the iterator's advance puts the node again.
    PatternCase(name: "a second loop over a cursor put on break; a put before continue", code: """
        static int foo_probe(struct platform_device *pdev)
        {
        \tstruct device_node *dn;
        \tint nclusters = 1;

        \tfor_each_of_cpu_node(dn) {
        \t\tu64 cpu = of_get_cpu_hwid(dn, 0);

        \t\tif (cpu & FOO_CLUSTER_MASK) {
        \t\t\tnclusters = 2;
        \t\t\tof_node_put(dn);
        \t\t\tbreak;
        \t\t}
        \t}

        \tfor_each_of_cpu_node(dn) {
        \t\tu64 cpu = of_get_cpu_hwid(dn, 0);

        \t\tif (WARN_ON(cpu == OF_BAD_ADDR)) {
        \t\t\tof_node_put(dn);
        \t\t\treturn -EINVAL;
        \t\t}
        \t\tif (!(cpu & FOO_CLUSTER_MASK)) {
        \t\t\tof_node_put(dn);
        \t\t\tcontinue;
        \t\t}
        \t\tfoo_register_cluster(pdev, dn, nclusters);
        \t}
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/over-put@24 error: get 16, put 16, put 24",
    ]),
    // Climbing the parents (drivers/fpga/of-fpga-region.c): the loop ends with `np` NULL, so the
    // put after it does nothing there. Without the `of_node_get()` before the loop, the first
    // `of_get_next_parent()` drops the caller's reference.
    PatternCase(name: "a put after a loop that ends with the pointer NULL", code: """
        static struct fpga_manager *foo_region_get_mgr(struct device_node *np)
        {
        \tstruct device_node *mgr_node;
        \tstruct fpga_manager *mgr;

        \tof_node_get(np);
        \twhile (np) {
        \t\tif (of_device_is_compatible(np, "fpga-region")) {
        \t\t\tmgr_node = of_parse_phandle(np, "fpga-mgr", 0);
        \t\t\tif (mgr_node) {
        \t\t\t\tmgr = of_fpga_mgr_get(mgr_node);
        \t\t\t\tof_node_put(mgr_node);
        \t\t\t\tof_node_put(np);
        \t\t\t\treturn mgr;
        \t\t\t}
        \t\t}
        \t\tnp = of_get_next_parent(np);
        \t}
        \tof_node_put(np);

        \treturn ERR_PTR(-EINVAL);
        }

        static struct fpga_manager *bar_region_get_mgr(struct device_node *np)
        {
        \tstruct device_node *mgr_node;
        \tstruct fpga_manager *mgr;

        \twhile (np) {
        \t\tif (of_device_is_compatible(np, "fpga-region")) {
        \t\t\tmgr_node = of_parse_phandle(np, "fpga-mgr", 0);
        \t\t\tif (mgr_node) {
        \t\t\t\tmgr = of_fpga_mgr_get(mgr_node);
        \t\t\t\tof_node_put(mgr_node);
        \t\t\t\tof_node_put(np);
        \t\t\t\treturn mgr;
        \t\t\t}
        \t\t}
        \t\tnp = of_get_next_parent(np);
        \t}
        \tof_node_put(np);

        \treturn ERR_PTR(-EINVAL);
        }
        """, expected: [
        "refcount-balance/borrowed-put@39 warning: put 35, put 39",
    ]),
    // Waiting for the release (drivers/thermal/thermal_core.c): the zone's release callback
    // completes `removal` and the function frees the zone after the wait, so the zone is used
    // after the put by design. Without the wait the put may free it.
    PatternCase(name: "uses between a put and the wait for the release", code: """
        void foo_zone_unregister(struct foo_zone *tz)
        {
        \tif (!tz)
        \t\treturn;

        \tdevice_del(&tz->device);
        \tput_device(&tz->device);

        \tfoo_notify_delete(tz);

        \twait_for_completion(&tz->removal);
        \tkfree(tz->tzp);
        \tkfree(tz);
        }

        void bar_zone_unregister(struct bar_zone *tz)
        {
        \tif (!tz)
        \t\treturn;

        \tdevice_del(&tz->device);
        \tput_device(&tz->device);

        \tbar_notify_delete(tz);
        }
        """, expected: [
        "refcount-balance/use-after-put@24 error: put 22, used 24",
    ]),
    // A valid pointer is no error pointer (drivers/clk/tegra/clk-device.c,
    // drivers/thermal/devfreq_cooling.c): `opp == ERR_PTR(-ERANGE)` and `PTR_ERR(opp) == -ERANGE`
    // are false when the lookup succeeded, so the second lookup never overwrites a reference.
    // A return before the put still leaks whichever lookup found it.
    PatternCase(name: "a retry on one error code overwrites no reference", code: """
        static int foo_set_pd_state(struct foo_clk *clk_dev, unsigned long rate)
        {
        \tstruct device *dev = clk_dev->dev;
        \tstruct dev_pm_opp *opp;
        \tunsigned int pstate;

        \topp = dev_pm_opp_find_freq_ceil(dev, &rate);
        \tif (opp == ERR_PTR(-ERANGE))
        \t\topp = dev_pm_opp_find_freq_floor(dev, &rate);

        \tif (IS_ERR(opp))
        \t\treturn PTR_ERR(opp);

        \tpstate = dev_pm_opp_get_required_pstate(opp, 0);
        \tdev_pm_opp_put(opp);
        \treturn foo_set_performance_state(dev, pstate);
        }

        static unsigned long bar_get_voltage(struct device *dev, unsigned long freq)
        {
        \tstruct dev_pm_opp *opp;
        \tunsigned long voltage;

        \topp = dev_pm_opp_find_freq_exact(dev, freq, true);
        \tif (PTR_ERR(opp) == -ERANGE)
        \t\topp = dev_pm_opp_find_freq_exact(dev, freq, false);

        \tif (IS_ERR(opp))
        \t\treturn 0;

        \tvoltage = dev_pm_opp_get_voltage(opp) / 1000;
        \tif (!voltage)
        \t\treturn 0;
        \tdev_pm_opp_put(opp);
        \treturn voltage;
        }
        """, expected: [
        "refcount-balance/leak@33 warning: get 24, returns 33",
        "refcount-balance/leak@33 warning: get 26, returns 33",
    ]),
    // An output argument left NULL receives no reference (drivers/iio/inkern.c counts the
    // entries of a property this way); one given `&args` does.
    PatternCase(name: "a reference-args call with a NULL output counts entries", code: """
        static int foo_count_channels(struct device *dev)
        {
        \tstruct fwnode_handle *fwnode = dev_fwnode(dev);
        \tint nummaps = 0;
        \tint ret;

        \tdo {
        \t\tret = fwnode_property_get_reference_args(fwnode, "io-channels",
        \t\t\t\t\t\t\t "#io-channel-cells", 0,
        \t\t\t\t\t\t\t nummaps, NULL);
        \t\tif (ret < 0)
        \t\t\tbreak;
        \t} while (++nummaps);

        \tif (nummaps == 0)
        \t\treturn -ENODEV;
        \treturn nummaps;
        }

        static int bar_first_channel(struct device *dev, u32 *out)
        {
        \tstruct fwnode_handle *fwnode = dev_fwnode(dev);
        \tstruct fwnode_reference_args args;
        \tint ret;

        \tret = fwnode_property_get_reference_args(fwnode, "io-channels",
        \t\t\t\t\t\t "#io-channel-cells", 0, 0, &args);
        \tif (ret < 0)
        \t\treturn ret;
        \t*out = args.args[0];
        \treturn 0;
        }
        """, expected: [
        "refcount-balance/leak@31 warning: get 26, returns 31",
    ]),
]
