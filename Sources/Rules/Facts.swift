/// What the lock and reference trackers establish about one function, over all its paths.
/// Rules read these facts; they never walk paths themselves.

struct PathLine: Hashable, Sendable, Comparable {
    var path: String
    var line: Int
    static func < (a: PathLine, b: PathLine) -> Bool { (a.line, a.path) < (b.line, b.path) }
}

struct WindowFact: Hashable, Sendable {
    var lock: String
    var release: Int
    var reacquire: Int
    /// The function released the lock without taking it (its caller holds it).
    var notTakenHere: Bool
    var heldSince: Int?
    /// Re-acquired by going back to before the original acquire (`goto retry`, next loop round).
    var restart: Bool
    /// Released and re-taken inside one macro's arguments (`wait_event_cmd`).
    var inMacro: String?
    var writesBefore: [PathLine]
    var writesAfter: [PathLine]
    /// Conditions read under the lock before the release whose branch continues after the re-acquire.
    var staleChecks: [PathLine]
    /// …and where they were checked again after the re-acquire.
    var rechecks: [PathLine]
    /// Locals computed from protected fields before the release, used after the re-acquire.
    var staleLocals: [PathLine]
    var staleUses: [PathLine]
    /// The lock was held when the shown code started (its acquire is outside the hunks).
    var heldOnEntry = false
}

struct CalleeWindowFact: Hashable, Sendable {
    var lock: String
    var heldSince: Int
    var call: Int
    var callee: String
    var calleeRelease: Int
    var calleeReacquire: Int
    /// The callee is a table entry (`cond_resched_lock`), built to drop the lock.
    var fromTable: Bool
    /// The lock was held when the shown code started (its acquire is outside the hunks).
    var heldOnEntry = false
    /// Conditions read under the lock before the call, relied on after it, not read again.
    var staleChecks: [PathLine] = []
    /// …and where they were read again after the call.
    var rechecks: [PathLine] = []
}

struct LockExitFact: Hashable, Sendable {
    var lock: String
    var acquired: Int
    var exit: Int
    var held: Bool
    /// The exit returns an error code (`ErrorPaths`).
    var error = false
    /// The lock was held when the shown code started (its acquire is above the hunk).
    var atEntry = false
}

struct ExitHolds: Hashable, Sendable {
    var exit: Int
    var error: Bool
    var returnsPointer: Bool
    /// `return NULL;`: in a function whose other exits return a pointer, a failure.
    var returnsNull = false
    var held: [String]
    /// Locks released on this path that the function did not take (its caller's).
    var released: [String] = []
}

struct LockPairFact: Hashable, Sendable {
    var lock: String
    var first: Int
    var second: Int
    /// The second one is made inside a callee called at `second`: a function of the file whose
    /// summary says it drops and re-takes the lock.
    var callee: CalleeRelease? = nil
}

/// A release inside a callee: its name and its own line.
struct CalleeRelease: Hashable, Sendable {
    var name: String
    var release: Int
}

struct ReleaseNotTakenFact: Hashable, Sendable {
    var lock: String
    var line: Int
    /// The hidden blocks the path had entered (`PathState.entered`): the start it proves the lock held
    /// at; `[-1]`, no start, after hidden lines (they may have taken it).
    var scope: [Int] = []
}

struct LeakFact: Hashable, Sendable {
    var object: String
    var family: String
    var api: String
    var getLine: Int
    var exit: Int
    var iterator: String?
    /// The exit returns an error code.
    var errorReturn: Bool
    /// The reference was held when the shown code started: another path puts it (that line).
    var entryPut: Int? = nil
    /// …and that put is in the other version of the function (its line numbering).
    var entryPutOtherVersion = false
    /// A finder's result held in a plain local that this return neither returns nor stored
    /// anywhere: once the function returns, nothing names it.
    var unnamedAfterReturn = false
    /// The object is one a finder returned into a plain local pointer (or an output argument's
    /// member of a local structure), with a lifetime count: nothing names it after the function, so
    /// no other callback pairs with its put.
    var localObject = false
    /// The object was handed to the function (a parameter or a field) and the exit does not return
    /// the get's own failure: the caller may put it (see `PathWalker.exit`).
    var callerMayPut = false
}

/// A counted reference returned by a get API and handed straight to another call that does not
/// take it over (`syscon_node_to_regmap(of_get_parent(np))`): nothing names it, so nothing can put it.
struct LostReferenceFact: Hashable, Sendable {
    var api: String
    var family: String
    var callee: String
    var line: Int
}

/// In a fragment with a hidden start: a plain local put in the shown code without a shown get.
/// The put shows a reference is held when the shown code starts (see `PathWalker.run`).
struct EntryReference: Hashable, Sendable, Comparable {
    var rep: String
    var family: String
    var api: String
    var put: Int
    /// Shown by the other version of the function (`put` is that version's line): see `HiddenStartEvidence`.
    var otherVersion = false
    /// Put through its container (`put_device(&pdev->dev)`, `pm_runtime_put(&client->dev)`).
    var embedded = false
    /// The hidden blocks the path had entered (`PathState.entered`): the start it proves the reference held at.
    var scope: [Int] = []
    static func < (a: Self, b: Self) -> Bool {
        if (a.put, a.rep, a.family) != (b.put, b.rep, b.family) { return (a.put, a.rep, a.family) < (b.put, b.rep, b.family) }
        return a.scope.lexicographicallyPrecedes(b.scope)
    }
}

/// A counted reference stored into a field (`matrix_mdev->kvm = kvm` after `kvm_get_kvm(kvm)`): the
/// field owns it, and another function may put it. `field` is the member name (`kvm`).
public struct FieldStoreFact: Hashable, Sendable, Comparable {
    public var field: String
    public var family: String
    public var path: String
    public var function: String
    public var line: Int
    public static func < (a: Self, b: Self) -> Bool { (a.field, a.family, a.function, a.line) < (b.field, b.family, b.function, b.line) }
}

/// A put that releases the reference a field held (the object was loaded from a field that another
/// function of the file stores a counted reference into): balanced across the two functions.
struct FieldPutFact: Hashable, Sendable {
    var object: String
    var field: String
    var load: Int
    var gets: [Int]
    var puts: [Int]
    var store: FieldStoreFact
}

struct PutFact: Hashable, Sendable {
    var object: String
    var family: String
    var gets: [Int]
    var puts: [Int]
    /// The put was made by a callee that drops the argument's reference (`of_find_node_by_name`).
    var byCallee: [String]
    /// The count is an object's lifetime (it is freed at zero), not a usage counter (runtime PM).
    var lifetime: Bool = true
    /// For a put of a parameter's reference: the parameter's index.
    var parameter: Int? = nil
}

struct UseAfterPutFact: Hashable, Sendable {
    var object: String
    var put: Int
    var use: Int
    var expression: String
}

/// `wait_for_completion(&tz->removal)` at `line`: `object` is `tz`.
struct AwaitedRelease: Hashable, Sendable {
    var object: String
    var line: Int
}

/// A lock the function releases although its caller took it, and re-takes (what its callers see).
struct DropFact: Hashable, Sendable {
    var lock: String
    var release: Int
    var reacquire: Int
}

struct FunctionFacts: Sendable {
    var windows: Set<WindowFact> = []
    var calleeWindows: Set<CalleeWindowFact> = []
    var lockExits: Set<LockExitFact> = []
    var doubleLocks: Set<LockPairFact> = []
    var doubleUnlocks: Set<LockPairFact> = []
    var releasedNotTaken: Set<ReleaseNotTakenFact> = []
    var leaks: Set<LeakFact> = []
    var overPuts: Set<PutFact> = []
    var doublePuts: Set<PutFact> = []
    var borrowedPuts: Set<PutFact> = []
    var usesAfterPut: Set<UseAfterPutFact> = []
    /// Objects (as written) a field of which the function waits on for their release
    /// (`CallRole.waitsRelease`), with the line of the wait.
    var awaitedReleases: Set<AwaitedRelease> = []
    var drops: Set<DropFact> = []
    var lostReferences: Set<LostReferenceFact> = []
    /// Iterator loops left early into hidden lines while holding the cursor, where the other version
    /// shows that nothing there puts it (`IteratorExits.swift`).
    var iteratorExits: Set<IteratorExitFact> = []
    /// `cursor|family|how` of the early exits into hidden lines this version puts the cursor before.
    var iteratorExitPuts: Set<String> = []
    /// `cursor|family|how` of the early exits into hidden lines that keep the cursor.
    var iteratorExitKeeps: Set<String> = []
    /// Counted references this function stores into fields.
    var fieldStores: Set<FieldStoreFact> = []
    var fieldPuts: Set<FieldPutFact> = []
    /// Plain locals put in a fragment with a hidden start without a shown get (first walk).
    var entryReferences: Set<EntryReference> = []
    /// References (`object|get line`) that some exit returns balanced: the function means to put them.
    var balancedGets: Set<String> = []
    /// …of those, the ones some success return (not an error return) returns balanced.
    var balancedOnSuccess: Set<String> = []
    /// Names of functions called (for summaries).
    var callees: Set<String> = []
    /// The path cap or the nesting limit was hit: facts are partial.
    var truncated: String?
    /// Locks released, not taken here and not re-taken, at some exit (visible or hidden).
    var releasedAtExit: Set<String> = []
    /// Locks released without being taken here and re-taken before a visible return.
    var retakenAtReturn: Set<String> = []
    /// In a fragment with a hidden start: locks held when the shown code starts.
    var heldOnEntry: Set<String> = []
    /// Of those, the ones only the other version shows released, with that version's line.
    var heldOnEntryOtherVersion: [String: Int] = [:]
    /// What this function's own shown lines prove about its hidden start (first walk).
    var hiddenStart = HiddenStartEvidence()
    /// Every exit path's locks held (that it took itself), with whether it returns an error and a
    /// pointer: what `AcquireTemplate` summaries are made of.
    var exitHolds: Set<ExitHolds> = []
    /// The lock API family of each lock the function takes or releases (`mutex`, `spinlock` …).
    var lockFamilies: [String: String] = [:]
    /// Parameters some path returns (directly, converted, or through a local alias).
    var returnsParameters: Set<Int> = []
    /// The function's declared lock contract (`Annotations.swift`), when its header is shown.
    var contract = LockContract()
    /// The whole function is shown (its header and its closing brace).
    var whole = false
    /// What each return hands the caller (`ReferenceSummaries.swift`).
    var returns: Set<ReturnFact> = []
}

/// What a caller needs to know about a function of the same file: locks it drops and re-takes.
public struct FunctionSummary: Sendable, Hashable {
    /// Lock templates: `$0->lock` (an argument) or a global path (`matrix_dev->lock`).
    public var drops: [DropTemplate]
    /// Parameters (by index) the function may return, as they are or converted (`to_foo(dev)`):
    /// a pointer it returns carries the reference its caller holds on that argument.
    public var returnsParameters: [Int]
    /// Locks the function takes for its caller (`LockWrappers.swift`).
    public var acquires: [AcquireTemplate]
    /// Locks the function releases for its caller (`Annotations.swift`): templates like `drops`.
    public var releases: [String]
    /// The family of the counted reference it returns on success (`ReferenceSummaries.swift`).
    public var returnsReference: String? = nil
    /// Locks the function's shown lines release without a shown acquire, on some path, that are
    /// neither a release for its caller on every path (`releases`) nor dropped and re-taken
    /// (`drops`): in a fragment, taken in the hidden lines or its caller's. After a call of it, the
    /// caller's hold on them is unknown. (Templates like `drops`.)
    public var mayRelease: [String] = []
    public init(drops: [DropTemplate], returnsParameters: [Int] = [], acquires: [AcquireTemplate] = [],
                releases: [String] = []) {
        self.drops = drops; self.returnsParameters = returnsParameters; self.acquires = acquires
        self.releases = releases
    }
}

public struct DropTemplate: Sendable, Hashable {
    public var lock: String
    public var release: Int
    public var reacquire: Int
}
