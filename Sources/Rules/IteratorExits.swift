/// Leaving an iterator loop early into lines the hunk does not show.
///
/// `for_each_child_of_node(np, child) { …; if (err) goto err; }` keeps the reference the iterator
/// holds on `child` when it leaves through `goto` or `break`. In hunk mode the code the jump reaches
/// is often hidden (`err:` below the hunk, the rest of the function after the loop), and it may put
/// `child`: on its own, such an exit is no evidence of a leak.
///
/// The other version of the function can say what that hidden code does, because both versions
/// share it (a patch that changed it would show it):
/// - it puts the cursor right before the same jump (`of_node_put(child); goto err;`): if the hidden
///   code put it too, that version would put it twice;
/// - it iterates with the `_scoped` variant of the iterator (`for_each_child_of_node_scoped`): the
///   hidden code cannot even name the cursor, which is declared by the loop.
/// Then the version without the put leaks on that exit. "The same jump" is `goto` to the same
/// label, or leaving the loop with `break` and reaching the end of the shown code; the giving
/// version must put the cursor on *every* such exit (a `break` that keeps the found child for the
/// code after the loop says that code puts it).
///
/// Not claimed: a cursor the path stored or gave another name (`priv->np = child; break;`), a
/// version that shows a put of the cursor of its own (it may sit under a label whose line is
/// hidden), and a `_scoped` cursor name the giving version also declares or iterates unscoped
/// (the hidden code could name that one).
///
/// Evidence from the patched version makes the old version's exit a `fixed` warning. The other way
/// round (a put only the version before the patch has) it is a note, as for `HiddenStartEvidence`:
/// the patch may have removed an extra put.

/// One early exit of an iterator loop into hidden lines, still holding the cursor's reference.
struct IteratorExitFact: Hashable, Sendable, Comparable {
    var cursor: String
    var family: String
    var iterator: String
    var get: Int
    /// The `goto` or `break` line.
    var exit: Int
    /// `goto LABEL` or `break`.
    var how: String
    /// What the other version shows: it puts the cursor before the same exit, or iterates `_scoped`.
    var scopedElsewhere: Bool
    static func < (a: Self, b: Self) -> Bool { (a.exit, a.cursor, a.how) < (b.exit, b.cursor, b.how) }
}

extension PathWalker {
    /// At the end of a path that left the shown code (a jump to a hidden label, or the hidden rest
    /// of the function after a `break`): records the iterator cursors it still holds, and those it
    /// put before leaving (evidence for the other version).
    mutating func iteratorsAtHiddenEnd(via: UnknownEndVia, _ s: PathState) {
        // (A cursor whose path since its get crossed hidden lines is `uncertain`.)
        for e in s.refs.values where e.iterator != nil && !e.uncertain && e.atEntry == nil {
            // Stored or renamed: the code after the jump may put it under another name.
            if e.escaped || groupHasShared(e.rep, s) || s.alias.contains(where: { $0.value == e.rep }) { continue }
            let how: String
            let exit: Int
            switch via {
            case .goto(let label, let line):
                how = "goto " + label; exit = line
            case .end:
                guard let line = e.leftLoop else { continue }
                how = "break"; exit = line
            case .noreturn:
                continue
            }
            let key = e.rep + "|" + e.family + "|" + how
            if e.count > 0 {
                // (Uncapped: a dropped keep would let a put stand as evidence it is not.)
                facts.iteratorExitKeeps.insert(key)
                let scoped = otherVersion.scopedCursors.contains(e.rep)
                // The node scan last: it is needed only where the other version has evidence.
                guard scoped || otherVersion.iteratorExits.contains(key), facts.iteratorExits.count < 16,
                      !showsPut(of: e.rep) else { continue }
                facts.iteratorExits.insert(IteratorExitFact(cursor: e.display, family: e.family, iterator: e.iterator ?? "",
                                                            get: e.gets.last ?? exit, exit: exit, how: how,
                                                            scopedElsewhere: scoped))
            } else if e.putLine != nil, facts.iteratorExitPuts.count < 16 {
                facts.iteratorExitPuts.insert(key)
            }
        }
    }

    /// What this version tells the other about the hidden code its iterator loops jump to: the
    /// exits that put the cursor every time, and the `_scoped` cursors no other code can name.
    func iteratorEvidence() -> (exits: Set<String>, scoped: Set<String>) {
        (facts.iteratorExitPuts.subtracting(facts.iteratorExitKeeps),
         cfg.scopedCursors.subtracting(cfg.iteratorCursors).subtracting(cfg.names))
    }

    /// Whether this version's shown code puts `cursor` itself (anywhere): it says something of its
    /// own about it, so the other version's evidence is not taken over.
    func showsPut(of cursor: String) -> Bool {
        cfg.nodes.contains { node in
            node.actions.contains {
                guard case .call(let c) = $0, let api = tables.refs[c.name], api.action == .put,
                      let i = api.argument, i < c.args.count else { return false }
                return c.args[i].path == cursor
            }
        }
    }
}
