// Attribution lines: who wrote the quote that follows.

/// The parts of an attribution found in its (joined) text.
struct AttributionParts {
    var form: Attribution.Form
    var name: String?
    var email: String?
    var date: String?
}

enum AttributionParser {
    static let maxJoined = 320
    static let maxShort = 140

    /// Tries to read an attribution starting at body line `i`; returns it and the number of lines it spans.
    static func detect(_ body: Body, at i: Int) -> Attribution? {
        let line = body.lines[i]
        if line.isBlank { return nil }
        let cs = line.cstart, te = line.tend
        // Every form below starts with `-`, `_`, `F` (Outlook), `O`, `A`, `L`, `Q` (`On `, `Am `,
        // `Le `, `Quoting `) or ends with a colon: most lines are rejected on two bytes.
        switch body.bytes[cs] {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "F"), UInt8(ascii: "O"), UInt8(ascii: "A"),
             UInt8(ascii: "L"), UInt8(ascii: "Q"):
            break
        default:
            if body.bytes[te - 1] != UInt8(ascii: ":") { return nil }
        }
        if let outlook = outlookBlock(body, at: i) { return outlook }
        var lastIsColon = body.bytes[te - 1] == UInt8(ascii: ":")
        // `Quoting X (2021-02-15 17:15:47)` is written without a colon.
        if !lastIsColon && body.bytes[te - 1] == UInt8(ascii: ")") && body.hasPrefix(cs, te, "Quoting ") { lastIsColon = true }
        let starter = body.hasPrefix(cs, te, "On ") || body.hasPrefix(cs, te, "Am ")
            || body.hasPrefix(cs, te, "Le ") || body.hasPrefix(cs, te, "Quoting ")
        if !lastIsColon && !starter { return nil }
        if lastIsColon && !starter && !plausibleEnding(body, cs, te) { return nil }
        if lastIsColon {
            if te - cs <= maxJoined, let p = parse(body.string(cs, te)) {
                if p.form == .wrote && te - cs > maxShort { return nil }
                return make(body, i, 1, line.depth, p)
            }
            if !starter { return nil }
        }
        // Two- and three-line forms: `On Mon, 15 Feb 2021 20:15:47 -0500` / `Tony Krowiak <…> wrote:`.
        guard !lastIsColon else { return nil }
        var text = body.string(cs, te)
        var k = i + 1
        while k < body.lines.count && k <= i + 2 {
            let l = body.lines[k]
            if l.depth != line.depth || l.isBlank { return nil }
            text += " " + body.string(l.cstart, l.tend)
            if text.utf8.count > maxJoined { return nil }
            if body.bytes[l.tend - 1] == UInt8(ascii: ":") {
                guard let p = parse(text), p.form != .wrote else { return nil }
                return make(body, i, k - i + 1, line.depth, p)
            }
            k += 1
        }
        return nil
    }

    /// Cheap byte test before any `String` is made: endings a one-line attribution can have.
    static func plausibleEnding(_ body: Body, _ cs: Int, _ te: Int) -> Bool {
        body.hasSuffix(cs, te, "wrote:") || body.hasSuffix(cs, te, "wrote :") || body.hasSuffix(cs, te, "writes:")
            || body.hasSuffix(cs, te, "crit :") || body.hasSuffix(cs, te, "crit:") || body.hasSuffix(cs, te, "]:")
            || body.hasPrefix(cs, te, "* ")
    }

    private static func make(_ body: Body, _ i: Int, _ n: Int, _ depth: Int, _ p: AttributionParts) -> Attribution {
        var text = body.content(i)
        if n > 1 { for k in (i + 1)..<(i + n) { text += " " + body.content(k) } }
        return Attribution(form: p.form, firstLine: i, lineCount: n, depth: depth, name: p.name, email: p.email,
                           date: p.date, text: text)
    }

    /// Outlook's header block: `-----Original Message-----` then From:/Sent:/To:/Subject:, or a
    /// `From:` line followed closely by `Sent:`.
    static func outlookBlock(_ body: Body, at i: Int) -> Attribution? {
        let line = body.lines[i]
        let cs = line.cstart, te = line.tend
        // Every form starts with `-----`, `_____` or `From: `.
        guard cs < te else { return nil }
        let c0 = body.bytes[cs]
        guard c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: "_") || c0 == UInt8(ascii: "F") else { return nil }
        var k = i
        var separator = false
        if body.hasPrefix(cs, te, "-----") || body.hasPrefix(cs, te, "----- ") {
            let s = body.string(cs, te)
            guard s.contains("Original Message") || s.contains("Urspr") || s.contains("Message d'origine") else { return nil }
            separator = true
            k = i + 1
        } else if body.hasPrefix(cs, te, "_____") {
            // Newer Outlook: a line of underscores, then From:/Sent:.
            k = i + 1
            guard k < body.lines.count, body.contentHasPrefix(k, "From:") else { return nil }
            separator = true
        } else if !body.hasPrefix(cs, te, "From: ") {
            return nil
        }
        var name: String? = nil, email: String? = nil, date: String? = nil
        var sawFrom = false, sawSent = false, sawTo = false
        var end = k
        while end < body.lines.count && end - k < 12 {
            let l = body.lines[end]
            if l.depth != line.depth || l.isBlank { break }
            let s = l.cstart, e = l.tend
            if body.hasPrefix(s, e, "From:") {
                sawFrom = true
                let v = body.string(s + 5, e)
                (name, email) = splitNameEmail(v)
            } else if body.hasPrefix(s, e, "Sent:") || body.hasPrefix(s, e, "Date:") {
                if body.hasPrefix(s, e, "Sent:") { sawSent = true }
                date = trim(body.string(s + 5, e))
            } else if body.hasPrefix(s, e, "To:") || body.hasPrefix(s, e, "Cc:") || body.hasPrefix(s, e, "CC:") {
                sawTo = true
            } else if body.hasPrefix(s, e, "Subject:") || body.hasPrefix(s, e, "Reply-To:")
                        || body.hasPrefix(s, e, "Importance:") {
            } else if end > k && (body.bytes[s] == chSpace || body.bytes[s] == chTab || sawTo) {
                // a folded To:/Cc: continuation
            } else {
                break
            }
            end += 1
        }
        guard sawFrom, separator || (sawSent && sawTo) else { return nil }
        var text = body.content(i)
        for j in (i + 1)..<max(end, i + 1) { text += " " + body.content(j) }
        return Attribution(form: .outlook, firstLine: i, lineCount: end - i, depth: line.depth, name: name,
                           email: email, date: date, text: text)
    }

    /// Reads one attribution line (already joined).
    static func parse(_ t: String) -> AttributionParts? {
        var s = trim(t)
        if s.hasSuffix(" wrote:") || s.hasSuffix(" wrote :") || s.hasSuffix(" writes:") {
            let writes = s.hasSuffix(" writes:")
            guard let sp = s.lastIndex(of: " ") else { return nil }
            s = trim(String(s[..<sp]))
            if s.hasSuffix(" wrote") { s = trim(String(s.dropLast(6))) }
            if s.hasPrefix("On ") {
                let rest = String(s.dropFirst(3))
                let (name, email, date) = nameAfterDate(rest)
                guard name != nil || email != nil else { return nil }
                return AttributionParts(form: .onWrote, name: name, email: email, date: date)
            }
            let (name, email) = splitNameEmail(s)
            if email == nil {
                // A sentence that ends in "wrote:" is not an attribution.
                let words = s.split(separator: " ")
                if words.count > 5 || words.isEmpty { return nil }
                let particles: Set<Substring> = ["van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "bin", "al"]
                for w in words {
                    guard let f = w.first else { return nil }
                    if !(f.isUppercase || particles.contains(w) || f == "\"") { return nil }
                }
            }
            guard name != nil || email != nil else { return nil }
            return AttributionParts(form: writes ? .writes : .wrote, name: name, email: email, date: nil)
        }
        if s.hasPrefix("Quoting "), s.hasSuffix(":") || s.hasSuffix(")") {
            var core = String(s.dropFirst(8))
            if core.hasSuffix(":") { core.removeLast() }
            var date: String? = nil
            if core.hasSuffix(")"), let open = core.lastIndex(of: "(") {
                date = String(core[core.index(after: open)..<core.index(before: core.endIndex)])
                core = trim(String(core[..<open]))
            }
            let (name, email) = splitNameEmail(core)
            guard name != nil || email != nil else { return nil }
            return AttributionParts(form: .quoting, name: name, email: email, date: date)
        }
        if s.hasPrefix("Am "), s.hasSuffix(":"), let r = s.range(of: " schrieb ") {
            let core = String(s[r.upperBound...].dropLast())
            let date = trim(String(s[s.index(s.startIndex, offsetBy: 3)..<r.lowerBound]))
            let (name, email) = splitNameEmail(core)
            guard name != nil || email != nil else { return nil }
            return AttributionParts(form: .german, name: name, email: email, date: date)
        }
        if s.hasPrefix("Le "), s.hasSuffix("a écrit :") || s.hasSuffix("a écrit:") || s.hasSuffix("a ecrit :") {
            guard let r = s.range(of: " a écrit", options: .backwards) ?? s.range(of: " a ecrit", options: .backwards) else { return nil }
            let core = String(s[s.index(s.startIndex, offsetBy: 3)..<r.lowerBound])
            let (name, email, date) = nameAfterDate(core)
            guard name != nil || email != nil else { return nil }
            return AttributionParts(form: .french, name: name, email: email, date: date)
        }
        if s.hasPrefix("* "), s.hasSuffix("]:"), let open = s.lastIndex(of: "[") {
            let core = String(s[s.index(s.startIndex, offsetBy: 2)..<open])
            let (name, email) = splitNameEmail(core)
            guard email != nil else { return nil }
            let date = String(s[s.index(after: open)..<s.index(s.endIndex, offsetBy: -2)])
            return AttributionParts(form: .mutt, name: name, email: email, date: date)
        }
        return nil
    }

    static let timeZones: Set<Substring> = ["UTC", "GMT", "CET", "CEST", "EST", "EDT", "PST", "PDT", "MST", "MDT",
                                             "CST", "CDT", "BST", "IST", "JST", "KST", "AEST", "AEDT", "EET", "EEST",
                                             "AM", "PM", "am", "pm", "at", "um", "à", "a.m.", "p.m.", "Z"]

    /// `Mon, 15 Feb 2021 20:15:47 -0500, Tony Krowiak <a@b>` → name, email, date.
    static func nameAfterDate(_ s: String) -> (String?, String?, String?) {
        let b = Array(s.utf8)
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        var lo = 0, hi = b.count
        func trimRange(_ l: inout Int, _ h: inout Int) {
            while l < h && isBlankByte(b[l]) { l += 1 }
            while h > l && isBlankByte(b[h - 1]) { h -= 1 }
        }
        func str(_ l: Int, _ h: Int) -> String? {
            var l = l, h = h
            trimRange(&l, &h)
            while h > l && b[h - 1] == comma { h -= 1 }
            trimRange(&l, &h)
            return h > l ? String(decoding: b[l..<h], as: UTF8.self) : nil
        }
        trimRange(&lo, &hi)
        var email: String? = nil
        if hi > lo && b[hi - 1] == chGT, let lt = b[lo..<hi].lastIndex(of: UInt8(ascii: "<")) {
            if b[lt..<hi].contains(UInt8(ascii: "@")) { email = str(lt + 1, hi - 1) }
            hi = lt
            trimRange(&lo, &hi)
        } else {
            var ws = hi
            while ws > lo && b[ws - 1] != chSpace { ws -= 1 }
            if b[ws..<hi].contains(UInt8(ascii: "@")) {
                return (nil, str(ws, hi), str(lo, ws))
            }
        }
        if hi - lo >= 2 && b[hi - 1] == quote, let q = b[lo..<(hi - 1)].lastIndex(of: quote) {
            return (str(q + 1, hi - 1), email, str(lo, q))
        }
        // The name is the trailing run of words that are not part of a date.
        var nameStart = hi
        var end = hi
        var first = true
        while end > lo {
            var ts = end
            while ts > lo && b[ts - 1] != chSpace { ts -= 1 }
            if ts == end { end -= 1; continue }  // several spaces
            if !first && b[end - 1] == comma { break }
            var be = end
            while be > ts && b[be - 1] == comma { be -= 1 }
            if be == ts || b[ts..<be].contains(where: isDigit) || b[ts] == UInt8(ascii: "(") || b[be - 1] == UInt8(ascii: ")")
                || (be - ts <= 4 && timeZones.contains(Substring(String(decoding: b[ts..<be], as: UTF8.self)))) {
                break
            }
            nameStart = ts
            first = false
            end = ts
        }
        let name = str(nameStart, hi).map { $0.trimmingQuotes() }
        return (name?.isEmpty == false ? name : nil, email, str(lo, nameStart))
    }

    /// `Tony Krowiak <a@b>`, `"Krowiak, Tony" <a@b>`, `a@b (Tony)`, `a@b`, `Tony`.
    static func splitNameEmail(_ v: String) -> (String?, String?) {
        let s = trim(v)
        if let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt {
            let email = trim(String(s[s.index(after: lt)..<gt]))
            let name = trim(String(s[..<lt])).trimmingQuotes()
            return (name.isEmpty ? nil : name, email.isEmpty ? nil : email)
        }
        if s.contains("@") && !s.contains(" ") { return (nil, s) }
        if let open = s.firstIndex(of: "("), s.hasSuffix(")"), s[..<open].contains("@") {
            let email = trim(String(s[..<open]))
            let name = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            return (name.isEmpty ? nil : name, email)
        }
        let name = s.trimmingQuotes()
        return (name.isEmpty ? nil : name, nil)
    }
}

func trim(_ s: String) -> String {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
    while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
    return String(sub)
}

extension String {
    func trimmingQuotes() -> String {
        var s = trim(self)
        if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
            s = String(s.dropFirst().dropLast())
        }
        return trim(s)
    }
}
