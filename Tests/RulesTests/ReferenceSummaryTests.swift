import Testing
@testable import Rules

/// Functions that hand their caller a counted reference, read from their bodies
/// (`ReferenceSummaries.swift`): finders for the callers of the same file and for the mined tables.
struct ReferenceSummaryTests {
    func compact(_ f: Finding) -> String { "\(f.function):\(f.line) \(f.severity.rawValue) \(f.kind) \(f.subject)" }

    /// The shapes of driver helpers: a child looked up and returned (or NULL, or an `ERR_PTR` after
    /// putting it), a child found by an iterator and returned from inside the loop, and a lookup that
    /// may return its borrowed argument (no finder).
    static let helpers = """
        static struct device_node *foo_get_ports(struct device_node *np, int id)
        {
        \tstruct device_node *ports;

        \tports = of_get_child_by_name(np, "ports");
        \tif (!ports)
        \t\treturn NULL;
        \tif (id > 3) {
        \t\tof_node_put(ports);
        \t\treturn ERR_PTR(-EINVAL);
        \t}
        \treturn ports;
        }

        static struct device_node *foo_find_child(struct device_node *parent, const char *name)
        {
        \tstruct device_node *child;

        \tfor_each_child_of_node(parent, child) {
        \t\tif (of_node_name_eq(child, name))
        \t\t\treturn child;
        \t}
        \treturn NULL;
        }

        static struct device_node *foo_ports_or_self(struct device_node *np)
        {
        \tstruct device_node *ports = of_get_child_by_name(np, "ports");

        \tif (ports)
        \t\treturn ports;
        \treturn np;
        }
        """

    @Test func findersAreReadFromTheirReturns() {
        let found = RuleEngine().finders(source: Self.helpers).map { "\($0.function) \($0.family)" }
        #expect(found == ["foo_get_ports of_node", "foo_find_child of_node"])
    }

    @Test func callersOfTheFilesFindersPutTheResult() {
        let leaky = Self.helpers + """

            static int foo_probe(struct platform_device *pdev)
            {
            \tstruct device_node *ports;
            \tint ret;

            \tports = foo_get_ports(pdev->dev.of_node, 1);
            \tif (IS_ERR_OR_NULL(ports))
            \t\treturn -ENODEV;
            \tret = foo_parse(ports);
            \tif (ret)
            \t\treturn ret;
            \tof_node_put(ports);
            \treturn 0;
            }

            static int foo_setup(struct device_node *np)
            {
            \tstruct device_node *c = foo_find_child(np, "led");

            \tif (!c)
            \t\treturn -ENODEV;
            \tfoo_led(c);
            \tof_node_put(c);
            \treturn 0;
            }

            static int foo_borrow(struct device_node *np)
            {
            \tstruct device_node *p = foo_ports_or_self(np);

            \tif (!p)
            \t\treturn -ENODEV;
            \treturn foo_parse(p);
            }
            """
        let findings = RuleEngine().analyze(source: leaky).findings.filter { $0.severity != .note }
        // foo_probe leaks on `return ret` (line 44); foo_setup puts on its one success; foo_borrow's
        // helper may return its argument, so nothing is known about `p`.
        #expect(findings.map(compact) == ["foo_probe:44 warning leak ports"])
    }
}
