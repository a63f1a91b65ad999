/// The state one path carries through a function, kept so that telling states apart is cheap.
///
/// The walker keeps, at every CFG node, the states that reached it, and drops a path whose state
/// is already there. On large functions that check was most of the work: states hashed only by
/// their sizes, and equal-sized states were compared table by table, string by string. Each table
/// here keeps a fingerprint of its contents, updated on every change (one hash of the changed
/// entry), and a node keeps only the fingerprints of its states (`PathState.fingerprint`).

/// The hash of one entry of a fingerprinted container: its key (or position) and its value.
@inline(__always) func entryHash<K: Hashable, V: Hashable>(_ key: K, _ value: V) -> Int {
    var h = Hasher()
    h.combine(key)
    h.combine(value)
    return h.finalize()
}

/// A name-keyed table with a fingerprint of its contents: the XOR of a hash of every entry.
struct Table<V: Hashable & Sendable>: Sendable, Sequence {
    private(set) var entries: [String: V] = [:]
    private(set) var fingerprint = 0

    subscript(key: String) -> V? {
        get { entries[key] }
        set {
            let old: V?
            if let newValue {
                old = entries.updateValue(newValue, forKey: key)
                fingerprint ^= entryHash(key, newValue)
            } else {
                old = entries.removeValue(forKey: key)
            }
            if let old { fingerprint ^= entryHash(key, old) }
        }
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var keys: Dictionary<String, V>.Keys { entries.keys }
    var values: Dictionary<String, V>.Values { entries.values }
    func makeIterator() -> Dictionary<String, V>.Iterator { entries.makeIterator() }
}

/// A set of names with the same kind of fingerprint.
struct NameSet: Sendable {
    private(set) var names: Set<String> = []
    private(set) var fingerprint = 0

    mutating func insert(_ name: String) {
        if names.insert(name).inserted { fingerprint ^= name.hashValue }
    }

    func contains(_ name: String) -> Bool { names.contains(name) }
    var count: Int { names.count }
}

/// What a path did, in order (capped by the walker), with a fingerprint: the sum of a hash of
/// every entry and its position.
struct History: Sendable {
    private(set) var entries: [Hist] = []
    private(set) var fingerprint = 0

    mutating func append(_ h: Hist) {
        fingerprint &+= entryHash(entries.count, h)
        entries.append(h)
    }

    subscript(i: Int) -> Hist {
        get { entries[i] }
        set {
            fingerprint &-= entryHash(i, entries[i])
            fingerprint &+= entryHash(i, newValue)
            entries[i] = newValue
        }
    }

    subscript(r: Range<Int>) -> ArraySlice<Hist> { entries[r] }
    var count: Int { entries.count }
    var last: Hist? { entries.last }
}

struct PathState: Sendable {
    var alias = Table<String>()
    var locks = Table<LockHold>()
    var everLocked = Table<Int>()
    var released = Table<Released>()
    var open = Table<OpenWindow>()
    var refs = Table<RefEntry>()
    var loops: [Int: Int] = [:]
    var known = Table<Bool>()
    var hist = History()
    /// The path went through hidden lines or entered a block whose opening the fragment does not
    /// show: what it holds from before the fragment is unknown, except what `entered` keeps.
    var gapSeen = false
    /// The path went through hidden lines (a gap between hunks, a hidden loop tail).
    var crossedGap = false
    /// The blocks opened above the fragment (`Action.hiddenCondition`) this path entered before any
    /// gap, outer first: which start of the fragment it began at.
    var entered: [Int] = []
    /// The path went through a block that reported an error (`pr_err(…); return;`): see `CallRole.logger`.
    var failing = false
    /// Objects (re)bound in the code we see; in a fragment, only these have a known count.
    var bound = NameSet()
    /// `x = f(obj)`: objects whose references a returned `x` may carry (`return __get(dev)`).
    var derived = Table<[String]>()

    /// Objects the state tracks: what a step may copy or scan.
    var trackedCount: Int {
        alias.count + locks.count + everLocked.count + released.count + open.count + refs.count
            + known.count + bound.count + derived.count
    }

    /// What identifies the state at a CFG node: the fingerprints of all it holds. The walker
    /// keeps these, not the states, as the set of states already seen (as explicit-state model
    /// checkers such as TLC do): two different states share all these 64-bit values with
    /// negligible probability, and a step then costs a few integer compares, not a comparison of
    /// every table.
    var fingerprint: Fingerprint {
        Fingerprint(hist: hist.fingerprint, alias: alias.fingerprint, locks: locks.fingerprint,
                    everLocked: everLocked.fingerprint, released: released.fingerprint, open: open.fingerprint,
                    refs: refs.fingerprint, known: known.fingerprint, bound: bound.fingerprint,
                    derived: derived.fingerprint, loops: loops.hashValue, entered: entered.hashValue, gapSeen: gapSeen,
                    crossedGap: crossedGap, failing: failing)
    }

    struct Fingerprint: Hashable, Sendable {
        var hist, alias, locks, everLocked, released, open, refs, known, bound, derived, loops, entered: Int
        var gapSeen, crossedGap: Bool
        var failing: Bool
    }
}
