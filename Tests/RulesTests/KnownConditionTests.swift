import Testing
@testable import Rules

/// Conditions the walker remembers along a path (`PathState.known`): which spelling a test is
/// kept under, and which assignments make the remembered outcome stale.
struct KnownConditionTests {
    private func key(_ cond: String) -> (String, Bool) {
        let toks = CLexer.tokenize(cond)
        let ex = ActionExtractor(tokens: toks, params: [])
        let info = ex.condition(0..<toks.count, line: 1, spanEnd: 1)
        return (info.key, info.negated)
    }

    @Test func oneComparisonOneSpelling() {
        #expect(key("error >= 0") == ("error < 0", true))
        #expect(key("error < 0") == ("error < 0", false))
        #expect(key("ret > 0") == ("ret <= 0", true))
        #expect(key("np != NULL") == ("np", false))
        #expect(key("np == NULL") == ("np", true))
        #expect(key("!ret") == ("ret", true))
        #expect(key("ret == 0") == ("ret", true))
        #expect(key("a != b") == ("a == b", true))
        #expect(key("a->b >= 0") == ("a -> b < 0", true))
        #expect(key("f->np == NULL") == ("f -> np", true))
        // Other shapes keep their text.
        #expect(key("a + 1 >= 0") == ("a + 1 >= 0", false))
        #expect(key("f(x) != 0") == ("f ( x ) != 0", false))
    }

    @Test func aPathIsSpeltAsItsConditionKey() {
        // `PathWalker.put` looks a put's argument up among the known conditions by this spelling.
        #expect(PathWalker.pathTokens("f->np").joined(separator: " ") == key("f->np != NULL").0)
        #expect(PathWalker.pathTokens("f->np").joined(separator: " ") == key("!f->np").0)
        #expect(PathWalker.pathTokens("a.b->c").joined(separator: " ") == key("!a.b->c").0)
    }

    @Test func anAssignmentStalesTheTestsThatReadIt() {
        // The pointer itself or a prefix of it.
        #expect(PathWalker.conditionReads("mux -> lock", written: "mux"))
        #expect(PathWalker.conditionReads("mux -> lock", written: "mux->lock"))
        #expect(PathWalker.conditionReads("ret < 0", written: "ret"))
        #expect(PathWalker.conditionReads(PathWalker.failedMark + "args.np", written: "args"))
        // A sibling field, a member's name, a longer path, another variable.
        #expect(!PathWalker.conditionReads("mux -> lock", written: "mux->reparent"))
        #expect(!PathWalker.conditionReads("mux -> lock", written: "lock"))
        #expect(!PathWalker.conditionReads("mux -> lock", written: "mux->lock->owner"))
        #expect(!PathWalker.conditionReads("muxes -> lock", written: "mux"))
        // Through an index, by the root: `a[i]` may be `a[j]`.
        #expect(PathWalker.conditionReads("a [ j ] . on", written: "a[i].on"))
    }
}
