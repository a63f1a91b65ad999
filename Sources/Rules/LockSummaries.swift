/// Lock wrappers of a whole C file, for the tables mined from a kernel tree (`scripts/mine-tables`
/// runs `lkml-review mine-locks` over the tree's files and keeps the exported ones).
///
/// A wrapper is a function that takes or releases, for its caller, a lock reached from one of its
/// parameters, on every path:
/// - `iio_device_claim_direct_mode(indio_dev)` takes `to_iio_dev_opaque(indio_dev)->mlock` and
///   returns 0 holding it, or releases it and returns -EBUSY: a conditional acquire of argument 0,
///   successful when it returns 0 (`LockWrappers.swift` finds the same within one file);
/// - `iio_device_release_direct_mode(indio_dev)` releases it on every path: a release of argument 0.
/// Callers name the lock by the argument (`indio_dev`), so a claim and its release pair up whatever
/// the lock is inside. The facts are the walker's own (every exit of the whole function), never the
/// function's name or comment; a lock reached from a global, or from two parameters, is not a
/// wrapper's.

public struct LockWrapper: Sendable, Hashable {
    public var function: String
    /// The line of the function's name.
    public var line: Int
    public var action: LockAPI.Action
    /// The parameter the lock is reached from.
    public var argument: Int
    public var family: String
    public var success: SuccessWhen
    /// The lock as the function names it after aliasing (`indio_dev->mlock`).
    public var lock: String
    /// Known from the function's annotation (`__acquires`, `__releases`), not from its paths.
    public var declared = false
}

extension RuleEngine {
    /// The lock wrappers among the functions of one C file (see the file's comment).
    public func lockWrappers(source: String, path: String = "") -> [LockWrapper] {
        let fns = FunctionFinder.functions(in: CLexer.tokenize(source))
        let w = walk(functions: fns, file: path, report: nil)
        var out: [LockWrapper] = []
        for (i, f) in w.functions.enumerated() {
            let facts = w.facts[i]
            guard f.startVisible, f.endVisible, facts.truncated == nil, !facts.exitHolds.isEmpty,
                  facts.exitHolds.count < 64 else { continue }
            // Acquires: the summary callers of the same file use.
            for t in Self.acquires(f, facts) {
                guard let arg = Self.parameter(of: t.lock, f.parameters), !t.family.isEmpty else { continue }
                out.append(LockWrapper(function: f.name, line: f.startLine, action: .acquire, argument: arg,
                                       family: t.family, success: t.success, lock: t.lock))
            }
            // Releases: a lock the function did not take, released on every path and held on none.
            let exits = facts.exitHolds
            guard let first = exits.first else { continue }
            var released: Set<String> = []
            for lock in first.released where exits.allSatisfy({ $0.released.contains(lock) && !$0.held.contains(lock) }) {
                let t = Self.template(lock, over: f.parameters)
                guard let arg = Self.parameter(of: t, f.parameters), let family = facts.lockFamilies[lock] else { continue }
                released.insert(t)
                out.append(LockWrapper(function: f.name, line: f.startLine, action: .release, argument: arg,
                                       family: family, success: .always, lock: t))
            }
            // What the function declares (`Annotations.swift`) where its paths say nothing: the lock's
            // family is the one its body uses on it.
            let declared = Self.annotatedSummary(f, facts, bodyAcquires: Self.acquires(f, facts))
            for t in declared.acquires {
                guard let arg = Self.parameter(of: t.lock, f.parameters), !t.family.isEmpty else { continue }
                out.append(LockWrapper(function: f.name, line: f.startLine, action: .acquire, argument: arg,
                                       family: t.family, success: t.success, lock: t.lock, declared: true))
            }
            for t in declared.releases where !released.contains(t) {
                guard let arg = Self.parameter(of: t, f.parameters),
                      let family = facts.lockFamilies.first(where: { Self.template($0.key, over: f.parameters) == t })?.value
                else { continue }
                out.append(LockWrapper(function: f.name, line: f.startLine, action: .release, argument: arg,
                                       family: family, success: .always, lock: t, declared: true))
            }
        }
        return out.sorted { ($0.line, $0.function, $0.lock) < ($1.line, $1.function, $1.lock) }
    }

    /// The parameter a lock template is reached from: `$1->lock` → 1; `dev_get_drvdata($0)->lock` → 0.
    /// Nil for a global, a local, or a path through two parameters.
    static func parameter(of template: String, _ parameters: [String]) -> Int? {
        var t = Substring(template)
        if let open = t.firstIndex(of: "("), !t[..<open].contains("-"), !t[..<open].contains("."),
           let close = t.lastIndex(of: ")"), close > open {
            // A conversion call of one path: the parameter is inside.
            t = t[t.index(after: open)..<close]
            let inner = RuleEngine.template(String(t), over: parameters)
            t = Substring(inner)
        }
        guard t.hasPrefix("$") else { return nil }
        let digits = t.dropFirst().prefix(while: \.isNumber)
        guard let n = Int(digits), n < parameters.count else { return nil }
        // No other parameter on the path (`$0->locks[$1]`).
        let rest = t.dropFirst(1 + digits.count)
        for p in parameters where !p.isEmpty {
            if rest.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).contains(Substring(p)) { return nil }
        }
        return n
    }
}

extension RuleTables {
    /// What `mine-locks` reads with: the built-in tables with the curated lock entries only (the mined
    /// file never feeds its own mining, so a run depends on the tree alone), plus `extra` (YAML: the
    /// wrappers found by the previous rounds, so a wrapper of a wrapper is found in the next).
    /// With `references`, the mined reference entries are dropped too (for `mine-locks --finders`).
    public static func forMining(extra: String? = nil, references: Bool = false) throws -> RuleTables {
        var t = builtIn
        let curated = try loadBuiltIn([("mined.yaml", "{}")] + EmbeddedRuleTables.files.filter { $0.name == "curated.yaml" })
        for name in t.locks.keys where curated.locks[name] == nil { t.remove(name) }
        if references { for name in t.refs.keys where curated.refs[name] == nil { t.remove(name) } }
        if let extra { try t.merge(yaml: extra) }
        return t
    }
}
