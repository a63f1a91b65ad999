/// Functions that hand their caller a counted reference: a static helper of the file
/// (`static struct device_node *foo_get_port(struct device_node *np)` returning the result of
/// `of_get_child_by_name()`), or, in the tables mined from a kernel tree, an exported function
/// whose comment names no put (`of_irq_find_parent()` returns `of_get_parent()`'s or
/// `of_find_node_by_phandle()`'s result on every path that finds one).
///
/// From a function's own returns (`ReturnFact`): every return that is not a failure (an error
/// code, `NULL`, an `ERR_PTR`) hands out a counted reference of one family — a local holding a
/// reference the function took, the cursor of an iterator returned from inside its loop, or the
/// result of a get returned directly (`return of_node_get(np);`). Such a function is a finder for
/// its callers: the result holds a reference when it is not NULL or an `ERR_PTR`, and the caller
/// puts it. One return of anything else (a borrowed pointer, a parameter, a field) and the function
/// is no finder; nor is a function whose body is not all shown or whose paths were cut short, nor one
/// that returns an object it created and registered (`device_create()`: the first reference of
/// `device_initialize()` goes with `device_unregister()`, not with a put).

struct ReturnFact: Hashable, Sendable {
    var exit: Int
    /// An error return, `return NULL;`, or an `ERR_PTR`.
    var failure: Bool
    /// The family of the counted reference the return hands out; nil when it hands out none.
    var family: String?
}

extension PathWalker {
    /// The prefix of a known-condition key saying that a finder's result was found NULL or an
    /// `ERR_PTR` on this path (no condition's text starts with it; a new value of the variable
    /// forgets it like any condition that reads it).
    static let failedMark = "\u{1}failed:"

    /// What a return hands its caller, for `ReferenceSummaries`.
    func returnFact(line: Int, returned: [ReturnedValue], error: Bool, _ s: PathState) -> ReturnFact {
        var fact = ReturnFact(exit: line, failure: error || returned == [.path("NULL")], family: nil)
        guard !fact.failure, returned.count == 1 else { return fact }
        switch returned[0] {
        case .path(let p):
            let r = canon(p, s)
            // A finder's result this path found NULL (or an `ERR_PTR`): the return reports failure.
            if s.known[Self.failedMark + r] == true { fact.failure = true; return fact }
            let held = s.refs.values.filter {
                $0.rep == r && $0.lifetime && $0.ownCount > 0 && !$0.uncertain && $0.atEntry == nil && $0.fieldOrigin == nil
                    && !$0.escaped && $0.scope == nil
                    // An object the function made and registered (`device_create()`): its first
                    // reference lives on with it and goes with `device_unregister()`, not a put.
                    && tables.refs[$0.api]?.initializes != true
            }
            if held.count == 1 { fact.family = held[0].family }
        case .call(let name, _):
            if let api = tables.refs[name], api.action == .get, api.lifetime, !api.scoped,
               api.argument == nil || api.returnsObject, api.member == nil, !api.initializes {
                fact.family = api.family
            }
        }
        return fact
    }
}

extension RuleEngine {
    /// The family of the counted reference `f` returns on every path that succeeds (see the file's
    /// comment), or nil.
    static func returnedReference(_ f: FunctionSource, _ facts: FunctionFacts) -> String? {
        guard f.startVisible, f.endVisible, facts.truncated == nil, facts.returns.count < 64 else { return nil }
        let succeeding = facts.returns.filter { !$0.failure }
        guard let family = succeeding.first?.family, succeeding.allSatisfy({ $0.family == family }) else { return nil }
        return family
    }
}

extension RuleTables {
    /// These tables with the finders of one file (`ReferenceSummaries.swift`): an entry of the tables
    /// wins over a summary of the same name.
    func adding(finders: [String: String]) -> RuleTables {
        var t = self
        for (name, family) in finders where t.refs[name] == nil {
            t.addReference(RefAPI(name, .get, family: family, argument: nil, success: .nonnull))
        }
        return t
    }
}

public struct MinedFinder: Sendable, Hashable {
    public var function: String
    /// The line of the function's name.
    public var line: Int
    public var family: String
}

extension RuleEngine {
    /// The functions of one C file that return a counted reference on every path that succeeds
    /// (for the tables mined from a kernel tree: `lkml-review mine-locks --finders`).
    public func finders(source: String, path: String = "") -> [MinedFinder] {
        let w = walk(functions: FunctionFinder.functions(in: CLexer.tokenize(source)), file: path, report: nil)
        var out: [MinedFinder] = []
        for (i, f) in w.functions.enumerated() {
            if let family = Self.returnedReference(f, w.facts[i]) {
                out.append(MinedFinder(function: f.name, line: f.startLine, family: family))
            }
        }
        return out.sorted { ($0.line, $0.function) < ($1.line, $1.function) }
    }
}
