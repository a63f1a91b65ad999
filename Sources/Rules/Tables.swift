import Yams

/// When a conditional acquisition succeeded, judged from its return value.
public enum SuccessWhen: String, Sendable, Hashable, Codable {
    /// Always takes it (even when it returns an error, like `pm_runtime_get_sync`).
    case always
    /// Returns 0 on success, a negative error otherwise (`mutex_lock_interruptible`).
    case zero
    /// Returns non-zero on success (`mutex_trylock`, `try_module_get`).
    case nonzero
    /// Returns the object, or NULL / an `ERR_PTR` on failure (`of_find_node_by_name`).
    case nonnull
}

/// One lock API: what a call to it does to the lock named by one of its arguments.
public struct LockAPI: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case acquire, release
        /// The callee releases the lock and re-takes it before returning (`cond_resched_lock`).
        case drop
    }
    public var name: String
    public var action: Action
    /// The argument naming the lock; nil for global locks like `rcu_read_lock()` (see `key`).
    public var argument: Int?
    /// Fixed lock name for argument-less APIs (`rcu`, `rtnl`).
    public var key: String?
    /// `mutex`, `spinlock`, `rwlock`, `rw_semaphore`, `semaphore`, `rcu`, `local_lock` …
    public var family: String
    /// `read`, `write`, `irq`, `bh`, `irqsave` …
    public var mode: String?
    public var success: SuccessWhen
    /// Released automatically at the end of the enclosing scope (`guard()`, `scoped_guard()`).
    public var scoped: Bool

    public init(_ name: String, _ action: Action, argument: Int? = 0, key: String? = nil, family: String,
                mode: String? = nil, success: SuccessWhen = .always, scoped: Bool = false) {
        self.name = name; self.action = action; self.argument = argument; self.key = key
        self.family = family; self.mode = mode; self.success = success; self.scoped = scoped
    }
}

/// One reference-counting API.
public struct RefAPI: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case get, put
        /// A `for_each_*` loop macro whose cursor holds a reference inside the body.
        case iterator
    }
    public var name: String
    public var action: Action
    /// Pairs gets with puts: `of_node`, `device`, `kref`, `pm_runtime` …
    public var family: String
    /// The argument naming the object; nil when the object is the return value (finders).
    public var argument: Int?
    /// The return value is the object too (`get_device(dev)` returns `dev`).
    public var returnsObject: Bool
    public var success: SuccessWhen
    /// The call drops the reference held on this argument (`of_find_node_by_name(from, …)`).
    public var dropsArgument: Int?
    /// A put may free the object, so using it afterwards is a bug (not for `pm_runtime`).
    public var lifetime: Bool
    /// Scoped iterator or cleanup: the reference is dropped automatically.
    public var scoped: Bool
    /// The object is this member of the argument, an output the call fills in
    /// (`of_parse_phandle_with_args(…, &args)` gets a reference on `args.np`).
    public var member: String? = nil
    /// The call gives an embedded object its first reference (`device_initialize`,
    /// `kobject_init_and_add`): kept on a success return by design (the object lives on), put on
    /// failure, also when the call itself failed.
    public var initializes = false
    /// The put drops that first reference (`device_unregister`): it is this function's only when
    /// this function gave it (an initialising get). A device the function found or was handed
    /// keeps the references it holds; the one dropped is its registration's.
    public var finalizes = false

    public init(_ name: String, _ action: Action, family: String, argument: Int? = 0, returnsObject: Bool = false,
                success: SuccessWhen = .always, dropsArgument: Int? = nil, lifetime: Bool = true, scoped: Bool = false) {
        self.name = name; self.action = action; self.family = family; self.argument = argument
        self.returnsObject = returnsObject; self.success = success; self.dropsArgument = dropsArgument
        self.lifetime = lifetime; self.scoped = scoped
    }
}

/// A function that takes over a reference passed to it (stores it somewhere that outlives the call).
public struct RefConsumer: Sendable, Hashable, Codable {
    public var name: String
    public var argument: Int
    public init(_ name: String, argument: Int) { self.name = name; self.argument = argument }
}

/// What a call means to the error-path and ownership model, beyond locks and references (the
/// `calls:` table).
public enum CallRole: String, Sendable, Hashable, Codable {
    /// Returns an error code when handed one, or makes one: `PTR_ERR`, `ERR_PTR`, `dev_err_probe`.
    case errorCode = "error_code"
    /// Reports an error (`pr_err`, `dev_err`, `WARN_ON`): a block that calls one and leaves without
    /// a value is a void function's error path.
    case logger
    /// Returns fresh memory (`kzalloc`): not shared until the function publishes it.
    case allocator
    /// Hands a `__free` variable's reference on (`no_free_ptr`, `return_ptr`, `retain_and_null_ptr`).
    case transfer
    /// Tests a pointer or passes it through unchanged (`IS_ERR`, `likely`, `sizeof`).
    case passThrough = "pass_through"
    /// Waits for a completion (`wait_for_completion(&tz->removal)`): handed a field of an object
    /// whose embedded device or kobject the function put, it waits for that object's release
    /// callback, so the object lives until then and is the function's to use and free.
    case waitsRelease = "waits_release"
}

/// The tables every tracker reads: built in, extended or overridden by a user file.
public struct RuleTables: Sendable {
    public private(set) var locks: [String: LockAPI] = [:]
    public private(set) var refs: [String: RefAPI] = [:]
    public private(set) var consumers: [String: RefConsumer] = [:]
    /// Functions that never return (`__noreturn`: `panic`, `do_exit`, `kthread_complete_and_exit`).
    public private(set) var noreturn: Set<String> = []
    /// Calls with roles in the error-path and ownership model (`CallRole`; `WARN_ON` both reports an
    /// error and passes its argument through).
    public private(set) var calls: [String: Set<CallRole>] = [:]

    /// Whether `name` has `role` (`calls`).
    @inline(__always) public func call(_ name: String, is role: CallRole) -> Bool {
        calls[name]?.contains(role) ?? false
    }

    public init(locks: [LockAPI], refs: [RefAPI], consumers: [RefConsumer]) {
        for l in locks { self.locks[l.name] = l }
        for r in refs { self.refs[r.name] = r }
        for c in consumers { self.consumers[c.name] = c }
    }

    /// The built-in tables: `Sources/Rules/Tables/mined.yaml` (written by `scripts/mine-tables` from a
    /// kernel tree), then `curated.yaml` (by hand), which wins on a name. The EmbedRuleTables plugin
    /// compiles the files into the binary, so nothing is looked up at run time. A file that does not
    /// load is a defect of the build (the tests load them), reported as such.
    public static let builtIn: RuleTables = {
        do {
            return try loadBuiltIn(EmbeddedRuleTables.files)
        } catch {
            fatalError("the built-in rule tables do not load (a build defect): \(error)")
        }
    }()

    /// The built-in table files in load order.
    static let builtInFiles = ["mined.yaml", "curated.yaml"]

    /// The built-in tables from the files' texts, strictly: an unknown action or success value, a
    /// missing file or one not in `builtInFiles` is an error naming the file.
    static func loadBuiltIn(_ files: [(name: String, text: String)]) throws -> RuleTables {
        if let extra = files.first(where: { !builtInFiles.contains($0.name) }) {
            throw RuleTableError(message: "\(extra.name): not a built-in table file (load order: \(builtInFiles.joined(separator: ", ")))")
        }
        var t = RuleTables(locks: [], refs: [], consumers: [])
        for name in builtInFiles {
            guard let file = files.first(where: { $0.name == name }) else {
                throw RuleTableError(message: "\(name): missing from Sources/Rules/Tables")
            }
            do {
                try t.merge(yaml: file.text, strict: true)
            } catch let e as RuleTableError {
                throw RuleTableError(message: "\(name):\(e.line == nil ? " " : "")\(e)")
            }
        }
        return t
    }

    /// The built-in tables with a user file's entries added (same name: replaced).
    public static func loading(yaml: String) throws -> RuleTables {
        var t = RuleTables.builtIn
        try t.merge(yaml: yaml)
        return t
    }

    /// Adds or replaces entries from a YAML document:
    /// ```yaml
    /// locks:
    ///   - {name: foo_lock, action: acquire, argument: 0, family: mutex}
    ///   - {name: foo_trylock, action: acquire, family: spinlock, success: nonzero}
    /// references:
    ///   - {name: foo_get, action: get, family: foo, returns: true}
    ///   - {name: foo_find, action: get, family: foo, object_is_result: true, success: nonnull}
    ///   - {name: foo_put, action: put, family: foo}
    /// consumers:
    ///   - {name: foo_attach, argument: 1}
    /// ```
    public mutating func merge(yaml: String) throws {
        try merge(yaml: yaml, strict: false)
    }

    /// `strict`: an unknown `action` or `success` value is an error instead of the default.
    mutating func merge(yaml: String, strict: Bool) throws {
        // A document with nothing in it (blank, comments, `---`) adds nothing.
        if yaml.split(separator: "\n").allSatisfy({ l in
            let t = l.filter { $0 != " " && $0 != "\t" && $0 != "\r" }
            return t.isEmpty || t.hasPrefix("#") || t == "---" || t == "..."
        }) { return }
        let file: UserTableFile
        do {
            file = try YAMLDecoder().decode(UserTableFile.self, from: yaml)
        } catch let e as YamlError {
            throw RuleTableError(syntax: e)
        } catch let e as DecodingError {
            throw RuleTableError(decoding: e, yaml: yaml)
        } catch {
            throw RuleTableError(message: "cannot read rule table: \(error)")
        }
        func check<T>(_ value: String?, _ type: T.Type, _ what: String, _ name: String) throws
            where T: RawRepresentable, T.RawValue == String {
            if strict, let value, T(rawValue: value) == nil {
                throw RuleTableError(message: "\(name): unknown \(what) \(value)")
            }
        }
        for l in file.locks ?? [] {
            guard !l.name.isEmpty else { throw RuleTableError(message: "lock entry without a name") }
            try check(l.action, LockAPI.Action.self, "action", l.name)
            try check(l.success, SuccessWhen.self, "success", l.name)
            let action = LockAPI.Action(rawValue: l.action ?? "acquire") ?? .acquire
            locks[l.name] = LockAPI(l.name, action, argument: l.argument ?? (l.key == nil ? 0 : nil), key: l.key,
                                    family: l.family ?? "user", mode: l.mode,
                                    success: SuccessWhen(rawValue: l.success ?? "always") ?? .always,
                                    scoped: l.scoped ?? false)
        }
        for r in file.references ?? [] {
            guard !r.name.isEmpty else { throw RuleTableError(message: "reference entry without a name") }
            guard let action = RefAPI.Action(rawValue: r.action) else {
                throw RuleTableError(message: "reference entry \(r.name): unknown action \(r.action)")
            }
            try check(r.success, SuccessWhen.self, "success", r.name)
            let arg: Int? = r.argumentIsReturn == true ? nil : (r.argument ?? 0)
            refs[r.name] = RefAPI(r.name, action, family: r.family ?? r.name, argument: arg,
                                  returnsObject: r.returns ?? false,
                                  success: SuccessWhen(rawValue: r.success ?? "always") ?? .always,
                                  dropsArgument: r.drops, lifetime: r.lifetime ?? true, scoped: r.scoped ?? false)
            refs[r.name]?.member = r.member
            refs[r.name]?.initializes = r.initializes ?? false
            refs[r.name]?.finalizes = r.finalizes ?? false
        }
        for c in file.consumers ?? [] { consumers[c.name] = RefConsumer(c.name, argument: c.argument) }
        for f in file.noreturn ?? [] where !f.name.isEmpty { noreturn.insert(f.name) }
        for c in file.calls ?? [] {
            guard !c.name.isEmpty else { throw RuleTableError(message: "call entry without a name") }
            guard let role = CallRole(rawValue: c.role) else {
                throw RuleTableError(message: "call entry \(c.name): unknown role \(c.role)")
            }
            calls[c.name, default: []].insert(role)
        }
    }

    /// Adds (or replaces) one reference entry.
    mutating func addReference(_ api: RefAPI) { refs[api.name] = api }

    /// Removes an entry by name from every table (a user file can disable a built-in entry).
    public mutating func remove(_ name: String) {
        locks[name] = nil; refs[name] = nil; consumers[name] = nil; noreturn.remove(name); calls[name] = nil
    }

    /// One row per entry, sorted by table then name: what `lkml-review rules` lists.
    public func listing() -> [RuleTableEntry] {
        var out: [RuleTableEntry] = []
        for l in locks.values {
            var detail = l.argument.map { "arg \($0)" } ?? "lock \(l.key ?? "?")"
            if l.success != .always { detail += ", success when \(l.success.rawValue)" }
            if l.scoped { detail += ", scoped" }
            out.append(RuleTableEntry(table: "lock", name: l.name, action: l.action.rawValue,
                                      family: l.family + (l.mode.map { "/\($0)" } ?? ""), detail: detail))
        }
        for r in refs.values {
            var detail = r.argument.map { "arg \($0)" } ?? "returned object"
            if r.returnsObject { detail += ", returns it" }
            if r.success != .always { detail += ", success when \(r.success.rawValue)" }
            if let d = r.dropsArgument { detail += ", drops arg \(d)" }
            if !r.lifetime { detail += ", not a lifetime reference" }
            if r.scoped { detail += ", scoped" }
            if r.initializes { detail += ", first reference" }
            if r.finalizes { detail += ", drops the first reference" }
            out.append(RuleTableEntry(table: "reference", name: r.name, action: r.action.rawValue,
                                      family: r.family, detail: detail))
        }
        for c in consumers.values {
            out.append(RuleTableEntry(table: "consumer", name: c.name, action: "takes", family: "-",
                                      detail: "arg \(c.argument)"))
        }
        for n in noreturn {
            out.append(RuleTableEntry(table: "noreturn", name: n, action: "never returns", family: "-", detail: "-"))
        }
        for (n, roles) in calls {
            out.append(RuleTableEntry(table: "call", name: n, action: roles.map(\.rawValue).sorted().joined(separator: ", "),
                                      family: "-", detail: "-"))
        }
        return out.sorted { ($0.table, $0.family, $0.name) < ($1.table, $1.family, $1.name) }
    }
}

/// A row of `lkml-review rules`.
public struct RuleTableEntry: Sendable, Hashable, Codable {
    public var table: String
    public var name: String
    public var action: String
    public var family: String
    public var detail: String
}

/// Why a user table file cannot be loaded, with the place in the file when the YAML parser or the
/// decoder names one: `3: locks[0].argument: expected Int, found a scalar`.
public struct RuleTableError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based line and column in the YAML text.
    public var line: Int?
    public var column: Int?

    public init(message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message; self.line = line; self.column = column
    }

    /// `LINE:COLUMN: message`, `LINE: message` or the message.
    public var description: String {
        guard let line else { return message }
        return column.map { "\(line):\($0): \(message)" } ?? "\(line): \(message)"
    }

    /// A YAML syntax error: libyaml's problem and context, at its mark.
    init(syntax e: YamlError) {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = context.map { "\(problem) (\($0.text))" } ?? problem
            self.init(message: "not valid YAML: \(what)", line: mark.line, column: mark.column)
        default:
            self.init(message: "not valid YAML: \(e)")
        }
    }

    /// A well-formed file with an entry of the wrong shape: the coding path (`locks[0].argument`),
    /// what was expected, and the line of that node in the file.
    init(decoding e: DecodingError, yaml: String) {
        let context: DecodingError.Context
        var what: String
        switch e {
        case let .typeMismatch(type, c):
            context = c; what = "expected \(Self.kind(of: type))"
        case let .valueNotFound(type, c):
            context = c; what = "expected \(Self.kind(of: type)), found no value"
        case let .keyNotFound(key, c):
            context = c; what = "missing key '\(key.stringValue)'"
        case let .dataCorrupted(c):
            if let syntax = c.underlyingError as? YamlError { self.init(syntax: syntax); return }
            context = c; what = c.debugDescription
        @unknown default:
            self.init(message: "cannot read rule table: \(e)"); return
        }
        var path = ""
        for k in context.codingPath {
            if let i = k.intValue { path += "[\(i)]" } else { path += (path.isEmpty ? "" : ".") + k.stringValue }
        }
        // The node the path names, for what it is, and its line (a key's own line: `locks:` when its
        // value has the wrong shape).
        var node = try? Yams.compose(yaml: yaml)
        var line: Int?
        for k in context.codingPath {
            if let i = k.intValue {
                node = node?.sequence.flatMap { i < $0.count ? $0[i] : nil }
                line = node?.mark?.line
            } else {
                let pair = node?.mapping?.first { $0.key.string == k.stringValue }
                node = pair?.value
                line = pair?.key.mark?.line
            }
        }
        // (An Int written as a word is a scalar like any other: only a different shape is named.)
        if case .typeMismatch = e, let found = node.map(Self.kind(of:)), found != "a scalar", !what.hasSuffix(found) {
            what += ", found \(found)"
        }
        self.init(message: (path.isEmpty ? "" : "\(path): ") + what, line: line)
    }

    /// `Int`, `a sequence`, `a mapping` for the type a decoder expected.
    static func kind(of type: Any.Type) -> String {
        let name = String(describing: type)
        // Yams names the node it wanted: `Node.Sequence`, `Node.Mapping`, `Node.Scalar`.
        if name == "Sequence" || name.hasPrefix("Array<") { return "a sequence" }
        if name == "Scalar" { return "a scalar" }
        if name.hasPrefix("Dictionary<") || !["Int", "String", "Bool", "Double"].contains(name) { return "a mapping" }
        return name
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        }
    }
}

private struct UserTableFile: Decodable {
    struct Lock: Decodable {
        var name: String
        var action: String?
        var argument: Int?
        var key: String?
        var family: String?
        var mode: String?
        var success: String?
        var scoped: Bool?
    }
    struct Ref: Decodable {
        var name: String
        var action: String
        var family: String?
        var argument: Int?
        var argumentIsReturn: Bool?
        var returns: Bool?
        var success: String?
        var drops: Int?
        var lifetime: Bool?
        var scoped: Bool?
        var member: String?
        var initializes: Bool?
        var finalizes: Bool?
        enum CodingKeys: String, CodingKey {
            case name, action, family, argument, returns, success, drops, lifetime, scoped, member, initializes, finalizes
            case argumentIsReturn = "object_is_result"
        }
    }
    struct Consumer: Decodable {
        var name: String
        var argument: Int
    }
    struct NoReturn: Decodable {
        var name: String
    }
    struct Call: Decodable {
        var name: String
        var role: String
    }
    var locks: [Lock]?
    var references: [Ref]?
    var consumers: [Consumer]?
    var noreturn: [NoReturn]?
    var calls: [Call]?
}
