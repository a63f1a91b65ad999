import Foundation
import Testing
@testable import Rules

struct TableTests {
    @Test func builtInTablesHoldAtLeastFortyOfEach() {
        let t = RuleTables.builtIn
        let lockAPIs = t.locks.values.filter { $0.action != .drop }
        #expect(lockAPIs.count >= 40)
        let refAPIs = t.refs.values.filter { $0.action != .iterator }
        let families = Set(refAPIs.map(\.family))
        // Get/put pairs: families with both a get and a put.
        let paired = families.filter { f in refAPIs.contains { $0.family == f && $0.action == .get } && refAPIs.contains { $0.family == f && $0.action == .put } }
        #expect(paired.count >= 30)
        #expect(refAPIs.filter { $0.action == .get }.count >= 40)
        #expect(refAPIs.filter { $0.action == .put }.count >= 40)
        #expect(t.locks["mutex_trylock"]?.success == .nonzero)
        #expect(t.locks["down_trylock"]?.success == .zero)
        #expect(t.refs["of_find_node_by_name"]?.dropsArgument == 0)
        #expect(t.refs["for_each_child_of_node"]?.argument == 1)
        #expect(t.refs["pm_runtime_get_sync"]?.success == .always)
        #expect(t.refs["pm_runtime_resume_and_get"]?.success == .zero)
    }

    @Test func listingIsSortedAndComplete() {
        let rows = RuleTables.builtIn.listing()
        let t = RuleTables.builtIn
        #expect(rows.count == t.locks.count + t.refs.count + t.consumers.count + t.noreturn.count + t.calls.count)
        #expect(rows.first?.table == "call")
        #expect(rows.first { $0.name == "WARN_ON" }?.action == "logger, pass_through")
        let kvm = rows.first { $0.name == "kvm_get_kvm" }
        #expect(kvm == RuleTableEntry(table: "reference", name: "kvm_get_kvm", action: "get", family: "kvm", detail: "arg 0"))
    }

    @Test func userYamlAddsAndOverrides() throws {
        let yaml = """
            locks:
              - {name: foo_lock, action: acquire, argument: 0, family: mutex}
              - {name: foo_unlock, action: release, family: mutex}
            references:
              - {name: foo_grab, action: get, family: foo}
              - {name: foo_drop, action: put, family: foo}
              - {name: kvm_get_kvm, action: get, family: kvm, success: nonzero}
            consumers:
              - {name: foo_stash, argument: 1}
            """
        let t = try RuleTables.loading(yaml: yaml)
        #expect(t.locks["foo_lock"]?.action == .acquire)
        #expect(t.refs["kvm_get_kvm"]?.success == .nonzero)
        #expect(t.consumers["foo_stash"]?.argument == 1)
        let code = """
            static int f(struct x *x)
            {
            \tfoo_lock(&x->l);
            \tif (x->bad)
            \t\treturn -EINVAL;
            \tfoo_unlock(&x->l);
            \treturn 0;
            }
            """
        let found = RuleEngine(tables: t).analyze(source: code).findings.map(compact)
        #expect(found == ["lock-balance/held-at-return@5 warning: acquired 3, returns 5, returns unlocked 7"])
        #expect(RuleEngine().analyze(source: code).findings.isEmpty)
    }

    @Test func anEmptyDocumentAddsNothing() throws {
        for yaml in ["", "\n\n", "# my tables, none yet\n", "---\n# later\n...\n"] {
            let t = try RuleTables.loading(yaml: yaml), b = RuleTables.builtIn
            #expect(Set(t.locks.keys) == Set(b.locks.keys) && Set(t.refs.keys) == Set(b.refs.keys)
                    && Set(t.consumers.keys) == Set(b.consumers.keys) && t.noreturn == b.noreturn, "\(yaml.debugDescription)")
        }
        // A document with content that is not a mapping is still an error.
        #expect(throws: RuleTableError.self) { try RuleTables.loading(yaml: "just words\n") }
    }

    @Test func badYamlIsAReadableError() {
        #expect(throws: RuleTableError.self) { try RuleTables.loading(yaml: "references:\n  - {name: x, action: frobnicate}\n") }
        #expect(throws: RuleTableError.self) { try RuleTables.loading(yaml: "locks: [") }
    }

    /// The error names the place in the file: the decoder's coding path looked up in the YAML's own
    /// nodes, and libyaml's mark for a syntax error.
    @Test func badYamlNamesItsLine() {
        func error(_ yaml: String) -> RuleTableError? {
            do { _ = try RuleTables.loading(yaml: yaml); return nil } catch { return error as? RuleTableError }
        }
        #expect(error("# tables\nlocks:\n  - {name: l, argument: zero}\n")?.description == "3: locks[0].argument: expected Int")
        #expect(error("references:\n  - name: g\n    action: get\n  - action: put\n")?.description == "4: references[1]: missing key 'name'")
        #expect(error("locks:\n  name: x\n")?.description == "1: locks: expected a sequence, found a mapping")
        let syntax = error("locks: [\n  - {name: x\n")
        #expect(syntax?.line == 2 && syntax?.column != nil && syntax?.message.hasPrefix("not valid YAML: ") == true)
    }
}

struct LexerTests {
    @Test func tokensCommentsStringsAndLines() {
        let src = "int a = 1; /* c\n */ s = \"x;y\\\"\"; // tail\nc = 'x';\n#define X(a) \\\n  (a)\nz->y++;"
        let toks = CLexer.tokenize(src)
        #expect(toks.map(\.text) == ["int", "a", "=", "1", ";", "s", "=", "\"x;y\\\"\"", ";", "c", "=", "'x'", ";",
                                     "define", "z", "->", "y", "++", ";"])
        #expect(toks.map(\.line) == [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 6, 6, 6, 6, 6])
        #expect(toks[13].kind == .preprocessor)
        #expect(toks[13].endLine == 5)
    }

    @Test func conditionalBlocksKeepOneBranch() {
        let src = "#if 0\nif (a) {\n#endif\nx;\n#ifdef CONFIG_X\nif (b) {\n#else\nif (c) {\n#endif\n}"
        let texts = CLexer.tokenize(src).filter { $0.kind != .preprocessor }.map(\.text)
        #expect(texts == ["x", ";", "if", "(", "b", ")", "{", "}"])
    }

    @Test func fragmentStartingInsideAComment() {
        let text = " * @kvm: the kvm\n */\nstatic int x;"
        #expect(CLexer.startsInsideComment(text))
        let toks = CLexer.tokenize(text, options: .init(startsInComment: true, firstLine: 10))
        #expect(toks.map(\.text) == ["static", "int", "x", ";"])
        #expect(toks.first?.line == 12)
    }

    @Test func unterminatedInputDoesNotCrash() {
        for src in ["\"abc", "/* abc", "'", "#define A \\", "a->", "{{{{", "}}}}", "((((", "f(", "\u{0}\u{FF}"] {
            _ = RuleEngine().analyze(source: src)
            _ = RuleEngine().analyze(filePatch: PatchText.adding(src))
        }
        #expect(CLexer.tokenize("\"abc").count == 1)
    }

    @Test func deepNestingIsBounded() {
        let deep = "void f(void)\n{\n" + String(repeating: "if (a) {\n", count: 400) + String(repeating: "}\n", count: 400) + "}\n"
        let r = RuleEngine().analyze(source: deep)
        #expect(r.functions == ["f"])
        #expect(r.notes.contains { $0.message.contains("nesting") })
    }
}

struct StructureTests {
    @Test func findsKernelStyleDefinitionsAndParameters() {
        let src = """
            static const struct foo_ops ops = { .open = foo_open, };
            static int
            foo_open(struct inode *inode, struct file *file)
            {
            \treturn 0;
            }
            static void __acquires(&x->lock) foo_lock(struct x *x) __acquires(x->lock)
            {
            }
            int (*fp)(int);
            SYSCALL_DEFINE2(foo, int, a, int, b)
            {
            \treturn a;
            }
            """
        let fns = FunctionFinder.functions(in: CLexer.tokenize(src))
        #expect(fns.map(\.name) == ["foo_open", "foo_lock", "SYSCALL_DEFINE2"])
        #expect(fns[0].parameters == ["inode", "file"])
        #expect(fns[0].startLine == 3)
        #expect(fns[0].endLine == 6)
    }

    @Test func pathCapIsReported() {
        // 40 independent branches with distinct writes: more states than the cap.
        var body = ""
        for i in 0..<40 { body += "\tif (a\(i)) { mutex_lock(&l\(i)); }\n" }
        let r = RuleEngine().analyze(source: "void f(void)\n{\n\(body)}\n")
        #expect(r.notes.count == 1)
        #expect(r.notes.first?.function == "f")
    }
}

struct TableCountTests {
    /// Sources/Rules/Tables: mined.yaml (scripts/mine-tables on Linux 6.12) and curated.yaml. Before
    /// the tables were data: 126 locks (9 drops), 187 references (121 gets, 50 puts, 16 iterators)
    /// in 35 families, 27 consumers. Mined lock wrappers: 263 (`LockSummaries.swift`, one declared by
    /// its annotation); finders read from their bodies: 54 (`ReferenceSummaries.swift`).
    @Test func builtInCounts() throws {
        let t = RuleTables.builtIn
        #expect(t.locks.count == 126 + 263)
        #expect(try RuleTables.forMining().locks.count == 126)
        #expect(t.locks.values.filter { $0.action == .drop }.count == 9)
        #expect(t.refs.count == 477 + 54)
        #expect(t.refs.values.filter { $0.action == .get }.count == 326 + 54)
        #expect(t.refs.values.filter { $0.action == .put }.count == 130)
        #expect(t.refs.values.filter { $0.action == .iterator }.count == 21)
        #expect(Set(t.refs.values.map(\.family)).count == 115)
        #expect(t.consumers.count == 27)
        #expect(t.noreturn.count == 98)
        // The roles of error and ownership macros (`calls:`), Swift literals before.
        #expect(t.calls.count == 58)
        #expect(t.call("wait_for_completion", is: .waitsRelease))
        #expect(t.call("PTR_ERR", is: .errorCode) && t.call("pr_err", is: .logger) && t.call("kzalloc", is: .allocator))
        #expect(t.call("no_free_ptr", is: .transfer) && t.call("IS_ERR", is: .passThrough) && !t.call("IS_ERR", is: .logger))
        #expect(["panic", "do_exit", "kthread_complete_and_exit", "BUG"].allSatisfy(t.noreturn.contains))
    }

    /// Every entry of the Swift-literal tables the data files replaced, with the same semantics
    /// (Fixtures/builtin-tables-before-mining.json, written from the old tables; fields added since
    /// carry their values: `device_unregister` is `finalizes`).
    @Test func entriesBeforeMiningKeepTheirSemantics() throws {
        struct Old: Decodable { var locks: [LockAPI]; var refs: [RefAPI]; var consumers: [RefConsumer] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/builtin-tables-before-mining.json")
        let old = try JSONDecoder().decode(Old.self, from: Data(contentsOf: url))
        let t = RuleTables.builtIn
        #expect(old.locks.count == 126 && old.refs.count == 187 && old.consumers.count == 27)
        for l in old.locks { #expect(t.locks[l.name] == l, "lock \(l.name)") }
        for r in old.refs { #expect(t.refs[r.name] == r, "reference \(r.name)") }
        for c in old.consumers { #expect(t.consumers[c.name] == c, "consumer \(c.name)") }
    }

    /// Each mined entry names the kernel file and line that justify it.
    @Test func minedEntriesCiteTheKernel() throws {
        let mined = try #require(EmbeddedRuleTables.files.first { $0.name == "mined.yaml" })
        let entries = mined.text.split(separator: "\n").filter { $0.hasPrefix("  - {") }
        #expect(entries.count > 200)
        let cite = try Regex(#"\}  # [\w/.+-]+\.[ch]:\d+[ ;]"#)
        for e in entries {
            #expect(e.contains(cite), "\(e)")
        }
    }

    @Test func builtInFilesLoadStrictly() throws {
        _ = try RuleTables.loadBuiltIn(EmbeddedRuleTables.files)
        let mined = "references:\n  - {name: foo_find, action: get, family: foo, object_is_result: true, success: nonnull}\n"
        let t = try RuleTables.loadBuiltIn([("mined.yaml", mined), ("curated.yaml", "consumers: []\n")])
        #expect(t.refs["foo_find"]?.argument == nil)
        // Loaded second, curated.yaml wins on a name.
        let curated = "references:\n  - {name: foo_find, action: get, family: bar, object_is_result: true, success: nonnull}\n"
        #expect(try RuleTables.loadBuiltIn([("mined.yaml", mined), ("curated.yaml", curated)]).refs["foo_find"]?.family == "bar")
        func failure(_ files: [(name: String, text: String)]) -> String {
            do { _ = try RuleTables.loadBuiltIn(files); return "" } catch { return "\(error)" }
        }
        #expect(failure([("mined.yaml", mined)]) == "curated.yaml: missing from Sources/Rules/Tables")
        #expect(failure([("mined.yaml", mined), ("curated.yaml", ""), ("extra.yaml", "")]).hasPrefix("extra.yaml: not a built-in table file"))
        #expect(failure([("mined.yaml", "locks:\n  - {name: l, action: grab, family: mutex}\n"), ("curated.yaml", "")])
                == "mined.yaml: l: unknown action grab")
        #expect(failure([("mined.yaml", mined.replacingOccurrences(of: "nonnull", with: "nonull")), ("curated.yaml", "")])
                == "mined.yaml: foo_find: unknown success nonull")
        #expect(failure([("mined.yaml", "references: 3\n"), ("curated.yaml", "")]).hasPrefix("mined.yaml:1: references: expected"))
        // A user file stays lenient: an unknown action is the default.
        var user = RuleTables.builtIn
        try user.merge(yaml: "locks:\n  - {name: l, action: grab, family: mutex}\n")
        #expect(user.locks["l"]?.action == .acquire)
    }
}
