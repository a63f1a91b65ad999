/// Functions whose one job is to drop the reference they are handed: a devm action or a release
/// callback wrapping a put (`static void cs42l43_fwnode_put(void *data) { fwnode_handle_put(data); }`,
/// registered with `devm_add_action_or_reset()`). Their put is their contract, not a borrowed
/// reference dropped by mistake: no `borrowed-put` for them.
///
/// Only a body that is that single statement counts. A function that does other work and also puts
/// its parameter (`bcm2835_of_gpio_ranges_fallback()` putting the `np` gpiolib still owns) keeps the
/// warning: nothing says its caller hands the reference over.

extension PathWalker {
    /// Whether the function's whole body is one put of `parameter`.
    static func isPutWrapper(_ source: FunctionSource, parameter: String, tables: RuleTables) -> Bool {
        // `{ put ( (type *) p ) ; }` is a handful of tokens: a longer body is no wrapper (and is
        // not copied).
        guard source.startVisible, source.endVisible, source.tokens.count <= 16 else { return false }
        var toks = source.tokens.filter { $0.kind != .preprocessor }
        if toks.first?.isPunct("{") == true { toks.removeFirst() }
        if toks.last?.isPunct("}") == true { toks.removeLast() }
        // `put ( [(cast)] parameter ) ;`
        guard toks.count >= 5, toks[0].kind == .identifier, toks[1].isPunct("("), toks[toks.count - 1].isPunct(";"),
              toks[toks.count - 2].isPunct(")"),
              let api = tables.refs[toks[0].text], api.action == .put, api.argument == 0
        else { return false }
        var inner = Array(toks[2..<(toks.count - 2)])
        if inner.first?.isPunct("(") == true, let close = inner.firstIndex(where: { $0.isPunct(")") }) {
            inner.removeFirst(close + 1)
        }
        return inner.count == 1 && inner[0].isIdent(parameter)
    }
}
