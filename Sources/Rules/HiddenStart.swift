/// What a fragment whose start is hidden proves about the lines above it, shared between the two
/// versions of a function in hunk mode.
///
/// A hunk's fragment of a function starts below lines the hunk does not show. A release or a put
/// in the shown code with no shown acquire or get proves that the lock or reference was held when
/// the shown code starts (see `PathWalker.run`). The lines above the hunk are the same before and
/// after the patch (a patch that changed them would show them), so what one version proves about
/// them holds for the other: a fix that adds `of_node_put(np)` before `return -EINVAL` shows that
/// `np` holds a reference there, and the old version, which returns without the put, is analysed
/// knowing it. The other version's line is the evidence, named in the finding's message (its
/// number is the other version's, so it is not one of the finding's lines).
///
/// Evidence is taken over only where the receiving version has nothing of its own to say about the
/// object: it neither takes nor releases the lock, neither gets, puts nor assigns the local.

struct HiddenStartEvidence: Hashable, Sendable {
    /// Locks held when the shown code starts, with the line that releases each without taking it.
    var locks: [String: Int] = [:]
    /// Plain locals holding a reference when the shown code starts, with the put that shows it.
    var refs: [EntryReference] = []
    /// `cursor|family|how` of the iterator-loop exits into hidden lines that put the cursor first,
    /// and the cursors of `_scoped` iterators (`IteratorExits.swift`): what the hidden lines after
    /// the loop do not put.
    var iteratorExits: Set<String> = []
    var scopedCursors: Set<String> = []
    /// Where each lock (by name) and reference (by `rep|family`) is shown held: the hidden blocks
    /// (`Action.hiddenCondition`) entered on the paths that showed it, see `admits`.
    var lockScopes: [String: Set<[Int]>] = [:]
    var refScopes: [String: Set<[Int]>] = [:]
    /// The function's hidden blocks (`CFG.hiddenBlocks`): scopes name blocks by their ordinal, which
    /// matches the other version's only when both have as many.
    var blocks = 0
    var isEmpty: Bool { locks.isEmpty && refs.isEmpty && iteratorExits.isEmpty && scopedCursors.isEmpty }

    /// Whether what paths with `scopes` showed about the fragment's start holds on a path that
    /// entered the hidden blocks `entered`. A fragment that starts inside a block whose opening it
    /// does not show has two starts: its first line, inside the block, and the hidden `if` before
    /// it, where paths that skip the block begin. A release only paths that skip the block reach
    /// (after `if (!mutex_trylock(&l)) { return -EBUSY; }`) shows nothing about the state inside
    /// it; a release inside it (`if (ret < 0) { mutex_unlock(&l); return ret; }` with the `if` line
    /// hidden) shows nothing about the paths that skip it (the block may take the lock in its own
    /// hidden lines: `if (x) { mutex_lock(&l); …; mutex_unlock(&l); }`). So evidence holds for the
    /// paths that began where the paths showing it began.
    static func admits(_ scopes: Set<[Int]>?, _ entered: [Int]) -> Bool {
        scopes?.contains(entered) ?? false
    }

    /// How a finding on `side` names the version its evidence comes from.
    static func otherVersion(_ side: Finding.Side) -> String {
        side == .new ? "the version before the patch" : "the patched version"
    }

    /// A finding on `side` that rests on the other version's `what` (a release, a put): a warning
    /// when that version is the patched one; a note when it is the version before the patch, whose
    /// release or put the patch removed, perhaps because it was the bug (a stray unlock, an extra
    /// put). The message suffix says so.
    static func judged(_ side: Finding.Side, resting what: String) -> (severity: Finding.Severity, caveat: String) {
        side == .new
            ? (.note, "; the patch removes that \(what), so this holds only if it was right (a note: a patch that deletes a stray \(what) looks the same)")
            : (.warning, "")
    }

    /// Adds the evidence of another fragment of the same function (another hunk). Their hidden
    /// blocks are numbered each on its own, so neither's block numbers name the other's: what was
    /// shown inside a block then holds for the other version nowhere (`blocks` matches no CFG).
    mutating func merge(_ other: HiddenStartEvidence) {
        locks.merge(other.locks) { a, _ in a }
        for (l, s) in other.lockScopes { lockScopes[l, default: []].formUnion(s) }
        refs += other.subtracting(self).refs
        for (r, s) in other.refScopes { refScopes[r, default: []].formUnion(s) }
        iteratorExits.formUnion(other.iteratorExits)
        scopedCursors.formUnion(other.scopedCursors)
        if blocks != 0 || other.blocks != 0 { blocks = -1 }
    }

    /// `self` less what `other` already knows (the same lock, the same local and family).
    func subtracting(_ other: HiddenStartEvidence) -> HiddenStartEvidence {
        var out = HiddenStartEvidence()
        out.blocks = blocks
        for (l, line) in locks where other.locks[l] == nil {
            out.locks[l] = line
            out.lockScopes[l] = lockScopes[l]
        }
        let known = Set(other.refs.map { $0.rep + "|" + $0.family })
        out.refs = refs.filter { !known.contains($0.rep + "|" + $0.family) }
        for r in out.refs { out.refScopes[r.rep + "|" + r.family] = refScopes[r.rep + "|" + r.family] }
        out.iteratorExits = iteratorExits.subtracting(other.iteratorExits)
        out.scopedCursors = scopedCursors.subtracting(other.scopedCursors)
        return out
    }
}

extension PathWalker {
    /// The part of the other version's evidence this function can take over: locks this version's
    /// shown code never takes or releases, locals it never gets, puts, assigns or hands out by address.
    func usableEvidence(_ other: HiddenStartEvidence) -> HiddenStartEvidence {
        guard !other.isEmpty else { return other }
        var lockKeys: Set<String> = []
        var touched: Set<String> = []
        for node in cfg.nodes {
            for a in node.actions {
                switch a {
                case .call(let c):
                    if let api = tables.locks[c.name] {
                        if let i = api.argument { if i < c.args.count, let p = c.args[i].path { lockKeys.insert(p) } }
                        else if let k = api.key { lockKeys.insert(k) }
                    }
                    if tables.refs[c.name] != nil {
                        for arg in c.args { if let p = arg.path { touched.insert(p) } }
                    }
                    // An output argument (`&np`, `&args`) may be filled in here; a device passed
                    // by its container (`dev_get_drvdata(&pdev->dev)`) is only used.
                    for arg in c.args where arg.addressOf {
                        if let p = arg.path, ErrorPaths.isPlainName(p) { touched.insert(p) }
                    }
                    if let r = c.result { touched.insert(r) }
                case .assign(let lhs, _, _, _, _, _, _):
                    touched.insert(lhs)
                case .scopedAcquire(let lock, _, _, _):
                    lockKeys.insert(lock)
                case .iterGet(let cursor, _, _), .iterNext(let cursor, _, _):
                    touched.insert(cursor)
                case .cleanupVar(let name, _):
                    touched.insert(name)
                default:
                    break
                }
            }
        }
        // The other version's blocks are this one's when they are as many; else what it showed
        // inside one holds nowhere here (`admits`: [-1] names no block).
        let sameBlocks = other.blocks == cfg.hiddenBlocks
        func mapped(_ scopes: Set<[Int]>?) -> Set<[Int]> {
            let s = scopes ?? [[]]
            return sameBlocks ? s : Set(s.map { $0.isEmpty ? [] : [-1] })
        }
        var out = HiddenStartEvidence()
        out.blocks = cfg.hiddenBlocks
        for (l, line) in other.locks where !lockKeys.contains(l) {
            out.locks[l] = line
            out.lockScopes[l] = mapped(other.lockScopes[l])
        }
        out.refs = other.refs.filter { !touched.contains($0.rep) && !touched.contains(Self.root($0.rep))
            && heldOnEntryCandidate($0.rep, embedded: $0.embedded) }
            .map { var r = $0; r.otherVersion = true; return r }
        for r in out.refs { out.refScopes[r.rep + "|" + r.family] = mapped(other.refScopes[r.rep + "|" + r.family]) }
        return out
    }
}

extension PathWalker {
    /// Whether a put of `p` with no shown get, in a fragment whose start is hidden, shows a reference
    /// held when the shown code starts: a plain local (`np`), a member of a local structure
    /// (`args.np`, filled in by `of_parse_phandle_with_args(…, &args)` above the hunk), or a device
    /// embedded in a local (`put_device(&pdev->dev)`, `pm_runtime_put(&pdev->dev)`). Not a
    /// parameter's own reference (a function may consume what its caller hands it), not a field
    /// reached through a pointer (another function may own it).
    func heldOnEntryCandidate(_ p: String, embedded: Bool) -> Bool {
        if ErrorPaths.isPlainName(p) { return !params.contains(p) }
        let root = Self.root(p)
        guard ErrorPaths.isPlainName(root), !params.contains(root) else { return false }
        let member = p.utf8.dropFirst(root.utf8.count)
        if member.first == UInt8(ascii: "."), ErrorPaths.isPlainName(String(p.dropFirst(root.count + 1))) {
            return true
        }
        if embedded, member.starts(with: "->".utf8), ErrorPaths.isPlainName(String(p.dropFirst(root.count + 2))) {
            return true
        }
        return false
    }
}
