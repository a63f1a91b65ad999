/// Error and success returns by kernel convention.
///
/// A return is an *error return* when what it returns is an error code:
/// - written out: `return -EINVAL;`, `return -1;`, `return ERR_PTR(-ENOMEM);`, `return ERR_CAST(p);`,
///   `return PTR_ERR(regmap);`, `return dev_err_probe(dev, ret, "…");` (it returns the code it is given);
/// - or held in a variable whose value on this path is one: `ret = -ENOMEM; goto out; … out: return ret;`,
///   `ret = PTR_ERR(clk);`, or a variable the path has tested — `if (ret < 0) return ret;`,
///   `if (ret) goto err; … err: return ret;`, `if (!err) … else return err;`.
///
/// The path walker keeps what it knows of a variable in the path's known conditions (`ret` is true,
/// `ret < 0` is true); an assignment of an error code sets both, and any other assignment clears
/// them. Leaks and held locks are judged by these: a reference kept or a lock held on an error return
/// is a bug, while the same on a success return may be the function's contract (a `…_get` that hands
/// its object back, a `find_and_lock_…` that returns with the lock held).
enum ErrorPaths {
    // The calls that make error codes (`PTR_ERR`, `dev_err_probe` …) and those that report an error
    // (`pr_err`, `dev_err`, `WARN_ON` …) are data: `calls:` in Sources/Rules/Tables/curated.yaml
    // (`CallRole.errorCode`, `.logger`).

    /// The function a statement calls when the statement is that one call (`pr_err(…)`, `BUG()`),
    /// else nil.
    static func wholeCall(_ toks: [CToken], _ range: Range<Int>) -> String? {
        guard range.count >= 3, toks[range.lowerBound].kind == .identifier, toks[range.lowerBound + 1].isPunct("("),
              matching(toks, range.lowerBound + 1, range.upperBound) == range.upperBound - 1 else { return nil }
        return toks[range.lowerBound].text
    }

    /// Whether the tokens of an expression are an error code: `-EINVAL`, `-1`, `ERR_PTR(…)`,
    /// `PTR_ERR(…)`, `dev_err_probe(…)` (one call spanning the whole expression), with casts and
    /// parentheses around them.
    static func isErrorCode(_ toks: [CToken], _ range: Range<Int>, calls: [String: Set<CallRole>]) -> Bool {
        var lo = range.lowerBound
        var hi = range.upperBound
        // Strip balanced outer parentheses and a leading cast `(int)` (a few: mail read as C nests
        // thousands, and each strip scans the expression).
        var strips = 0
        while lo < hi, toks[lo].isPunct("("), strips < 4 {
            strips += 1
            if toks[hi - 1].isPunct(")"), matching(toks, lo, hi) == hi - 1 { lo += 1; hi -= 1; continue }
            // `(long)-EINVAL`: a cast of one or two identifiers.
            var k = lo + 1
            while k < hi, toks[k].kind == .identifier || toks[k].isPunct("*") { k += 1 }
            guard k < hi, k > lo + 1, toks[k].isPunct(")") else { break }
            lo = k + 1
        }
        guard lo < hi else { return false }
        let t = toks[lo]
        if t.isPunct("-"), lo + 1 < hi {
            let n = toks[lo + 1]
            guard hi == lo + 2 else { return false }
            return (n.kind == .number && n.text != "0") || (n.kind == .identifier && isErrnoName(n.text))
        }
        if t.kind == .identifier, calls[t.text]?.contains(.errorCode) == true, lo + 1 < hi, toks[lo + 1].isPunct("("), toks[hi - 1].isPunct(")") {
            return matching(toks, lo + 1, hi) == hi - 1
        }
        return false
    }

    /// `EINVAL`, `ENOMEM`, `EPROBE_DEFER`: an errno name (E and capitals, digits, underscores).
    static func isErrnoName(_ s: String) -> Bool {
        let u = s.utf8
        guard u.count >= 2, u.first == UInt8(ascii: "E") else { return false }
        return u.allSatisfy { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    static func matching(_ toks: [CToken], _ open: Int, _ limit: Int) -> Int? {
        var d = 0
        var k = open
        while k < limit {
            if toks[k].isPunct("(") { d += 1 } else if toks[k].isPunct(")") { d -= 1; if d == 0 { return k } }
            k += 1
        }
        return nil
    }

    /// A plain local variable name (no member access, no index): what `return ret;` returns.
    static func isPlainName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// Whether the path's known conditions say `name` holds an error code: it is non-zero
    /// (`if (ret)` taken, `if (!ret)` not taken), negative (`ret < 0`), or not `>= 0`.
    static func holdsError(_ name: String, known: Table<Bool>) -> Bool {
        guard isPlainName(name), !known.isEmpty else { return false }
        if known[name] == true { return true }
        if known[name + " < 0"] == true || known[name + " >= 0"] == false { return true }
        if known[name + " != 0"] == true || known[name + " == 0"] == false { return true }
        return false
    }

    /// The known conditions an error code assigned to `name` makes true: it is non-zero and negative.
    static func conditionsOfErrorCode(_ name: String) -> [String] {
        isPlainName(name) ? [name, name + " < 0"] : []
    }
}
