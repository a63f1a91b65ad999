// Block splitter: attribution lines, quotes with depth, the sender's remarks, trailers, signature.

/// What one body line is, after splitting.
enum LineKind: UInt8 {
    case quote, own, blank, attribution, trailer, signature, snip
}

/// The body split into lines of known kinds.
struct SplitBody {
    var body: Body
    var kinds: [LineKind]
    var attributions: [Attribution]
    /// For attribution lines: index into `attributions`.
    var attributionOfLine: [Int32]
}

enum Splitter {
    static let maxDepth = 32

    static func split(_ text: String) -> SplitBody {
        var body = Body(text)
        let n = body.lines.count
        var kinds = [LineKind](repeating: .own, count: n)
        var attrOf = [Int32](repeating: -1, count: n)
        var attributions: [Attribution] = []
        var inSignature = false
        var outlookShifts = 0
        var i = 0
        while i < n {
            if body.lines[i].depth > maxDepth { body.lines[i].depth = maxDepth }
            let line = body.lines[i]
            if !line.isBlank, !(line.depth == 0 && inSignature), var a = AttributionParser.detect(body, at: i) {
                let idx = Int32(attributions.count)
                let end = min(n, i + a.lineCount)
                for k in i..<end { kinds[k] = .attribution; attrOf[k] = idx }
                inSignature = false
                if a.form == .outlook && outlookShifts < 64 {
                    if a.depth > 0 && opensQuotedMessage(body, kinds, at: i, depth: a.depth) {
                        // `> -----Original Message-----` heading the quoted message: it names that depth.
                        a.quotedDepth = a.depth
                    } else if a.depth < maxDepth {
                        // Top-posting: the original follows without `>`; it is one level deeper.
                        shiftAfterOutlook(&body, from: end, depth: a.depth)
                    }
                    outlookShifts += 1
                }
                attributions.append(a)
                i = end
                continue
            }
            if line.depth > 0 {
                kinds[i] = .quote
                inSignature = false
            } else if inSignature {
                kinds[i] = .signature
            } else if line.isBlank {
                kinds[i] = .blank
            } else if isSignatureSeparator(body, line) {
                kinds[i] = .signature
                inSignature = true
            } else if isSnipMarker(body, line.cstart, line.tend) && !isElisionInOwnText(body, at: i) {
                kinds[i] = .snip
            } else if isTrailer(body, line.cstart, line.tend) {
                kinds[i] = .trailer
            } else {
                kinds[i] = .own
            }
            i += 1
        }
        markClosing(body, &kinds)
        return SplitBody(body: body, kinds: kinds, attributions: attributions, attributionOfLine: attrOf)
    }

    /// Closing words, on a line of their own (case and a final `,`, `.` or `!` aside).
    static let closings: Set<String> = [
        "thanks", "thank you", "thanks again", "many thanks", "thanks a lot", "thx", "ta", "cheers", "regards",
        "best regards", "kind regards", "warm regards", "with regards", "best", "best wishes", "all the best",
        "sincerely", "br", "b.r", "yours", "greetings", "thanks and regards", "thanks & regards",
    ]

    /// A sign-off ending the sender's text (`Best regards,` and a name below it) is no remark: the
    /// last run of the sender's lines (nothing of theirs below but blank lines, trailers, the
    /// signature and quoted text) is looked at; from a line of closing words on, when the lines
    /// under it are up to three short name lines (or none, when it ends in a comma), the run is
    /// the signature.
    static func markClosing(_ body: Body, _ kinds: inout [LineKind]) {
        var k = kinds.count - 1
        while k >= 0 && kinds[k] != .own { k -= 1 }
        guard k >= 0 else { return }
        var top = k
        while top > 0 && kinds[top - 1] == .own && k - top < 4 { top -= 1 }
        let b = body.bytes
        func text(_ i: Int) -> String { body.string(body.lines[i].cstart, body.lines[i].tend) }
        for i in top...k {
            var words = text(i).lowercased()
            let comma = words.hasSuffix(",")
            while let last = words.last, last == "," || last == "." || last == "!" || last == " " { words.removeLast() }
            guard closings.contains(words) else { continue }
            let names = (i + 1)..<(k + 1)
            if names.isEmpty && !comma { return }
            guard names.count <= 3, names.allSatisfy({ n in
                let l = body.lines[n]
                let t = text(n)
                return l.tend - l.cstart <= 40 && t.split(separator: " ").count <= 5
                    && !b[l.cstart..<l.tend].contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ";") })
                    && !(t.hasSuffix(".") && t.count > 3)
            }) else { return }
            for n in i...k { kinds[n] = .signature }
            return
        }
    }

    /// Outlook top-posting: the original follows the header block without `>` markers; every
    /// following line at the block's depth or deeper moves one level down.
    static func shiftAfterOutlook(_ body: inout Body, from start: Int, depth: Int) {
        guard start < body.lines.count else { return }
        for j in start..<body.lines.count where body.lines[j].depth >= depth && body.lines[j].depth < maxDepth {
            body.lines[j].depth += 1
        }
    }

    /// Nothing of the quoted message at `depth` precedes the header block at line `i` (looking back
    /// to the attribution that opened that depth, at most 2,000 lines).
    static func opensQuotedMessage(_ body: Body, _ kinds: [LineKind], at i: Int, depth: Int) -> Bool {
        var k = i - 1
        while k >= 0 && i - k <= 2_000 {
            let l = body.lines[k]
            if kinds[k] == .attribution && l.depth < depth { return true }
            if l.depth == depth && !l.isBlank && kinds[k] != .attribution { return false }
            k -= 1
        }
        return true
    }

    /// `-- ` (and `--`, since clients strip trailing blanks).
    static func isSignatureSeparator(_ body: Body, _ line: BodyLine) -> Bool {
        body.equals(line.cstart, line.tend, "--")
    }

    /// `[...]`, `[ ... ]`, `...`, `<snip>`, `[snip]`, `<...>`, `[…]`, `8<---`, `[ snip 20 lines ]`.
    static func isSnipMarker(_ body: Body, _ s0: Int, _ e0: Int) -> Bool {
        var s = s0, e = e0
        let b = body.bytes
        while s < e && isBlankByte(b[s]) { s += 1 }
        while e > s && isBlankByte(b[e - 1]) { e -= 1 }
        guard e - s >= 2, e - s <= 60 else { return false }
        // Every marker starts with `.`, `[`, `<`, `(`, `8`, `-` or `…` (0xE2).
        switch b[s] {
        case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "<"), UInt8(ascii: "("), UInt8(ascii: "8"),
             UInt8(ascii: "-"), 0xE2:
            break
        default:
            return false
        }
        // only dots (or the ellipsis character): `...`, `....`, `…`
        if onlyDots(b, s, e) && (e - s >= 3) { return true }
        let open = b[s], close = b[e - 1]
        let bracketed = (open == UInt8(ascii: "[") && close == UInt8(ascii: "]"))
            || (open == UInt8(ascii: "<") && close == UInt8(ascii: ">"))
            || (open == UInt8(ascii: "(") && close == UInt8(ascii: ")"))
        if bracketed {
            var inner = s + 1, innerEnd = e - 1
            while inner < innerEnd && (isBlankByte(b[inner]) || b[inner] == UInt8(ascii: "/")) { inner += 1 }
            while innerEnd > inner && (isBlankByte(b[innerEnd - 1]) || b[innerEnd - 1] == UInt8(ascii: "/")) { innerEnd -= 1 }
            if innerEnd == inner { return false }
            if onlyDots(b, inner, innerEnd) { return true }
            let lower = String(decoding: b[inner..<innerEnd], as: UTF8.self).lowercased()
            for w in ["snip", "cut", "trim", "skip", "removed", "deleted", "...", "…"] where lower.contains(w) {
                // "[snip]", "<snip>", "[ ... 20 lines ... ]", "[code removed]" but not "<linux/foo.h>"
                return !lower.contains(".h") || lower.contains("...")
            }
            return false
        }
        // scissors: `8<----`, `-- >8 --`
        if body.hasPrefix(s, e, "8<") || body.hasPrefix(s, e, "-->8") || body.hasPrefix(s, e, "--8<")
            || body.hasPrefix(s, e, "-- >8") || body.hasPrefix(s, e, "--- >8") {
            return true
        }
        return false
    }

    /// A line of dots between two lines of the sender's own text (`struct mgr_stats {`, `\t...`,
    /// `};`) elides part of what the sender writes, a code sketch's body most often: the text goes
    /// on across it, as one remark. A cut in the quoted text has quoted or blank lines beside it.
    static func isElisionInOwnText(_ body: Body, at i: Int) -> Bool {
        guard i > 0, i + 1 < body.lines.count else { return false }
        let line = body.lines[i]
        var s = line.cstart, e = line.tend
        while s < e && isBlankByte(body.bytes[s]) { s += 1 }
        guard onlyDots(body.bytes, s, e) else { return false }
        let before = body.lines[i - 1], after = body.lines[i + 1]
        return before.depth == 0 && !before.isBlank && after.depth == 0 && !after.isBlank
            && !isSnipMarker(body, before.cstart, before.tend) && !isSnipMarker(body, after.cstart, after.tend)
    }

    static func onlyDots(_ b: [UInt8], _ s: Int, _ e: Int) -> Bool {
        guard s < e else { return false }
        var k = s
        while k < e {
            if b[k] == UInt8(ascii: ".") { k += 1; continue }
            if k + 2 < e + 1 && k + 2 < b.count && b[k] == 0xE2 && b[k + 1] == 0x80 && b[k + 2] == 0xA6 { k += 3; continue }
            return false
        }
        return true
    }

    /// `Acked-by: A <a@b>`, `Reviewed-by:`, `Fixes: abc (...)`, `Link:`, `Cc:` in the sender's text.
    static func isTrailer(_ body: Body, _ s: Int, _ e: Int) -> Bool {
        let b = body.bytes
        guard s < e, isAlpha(b[s]) else { return false }
        var k = s
        while k < e && (isAlpha(b[k]) || isDigit(b[k]) || b[k] == UInt8(ascii: "-")) { k += 1 }
        guard k < e, b[k] == UInt8(ascii: ":"), k + 1 < e, b[k + 1] == chSpace, k - s >= 2, k - s <= 40 else { return false }
        let keyLower = String(decoding: b[s..<k], as: UTF8.self).lowercased()
        // The value's tests are byte searches for ASCII text (as a literal search finds them).
        let v = b[(k + 1)..<e]
        if keyLower.hasSuffix("-by") { return v.contains(UInt8(ascii: "@")) || v.contains(UInt8(ascii: "<")) }
        switch keyLower {
        case "fixes": return v.contains(UInt8(ascii: "(")) || String(decoding: v, as: UTF8.self).count >= 8
        case "link", "closes":
            var j = v.startIndex
            while j + 2 < v.endIndex {
                if v[j] == UInt8(ascii: ":") && v[j + 1] == UInt8(ascii: "/") && v[j + 2] == UInt8(ascii: "/") { return true }
                j += 1
            }
            return false
        case "cc": return v.contains(UInt8(ascii: "@"))
        default: return false
        }
    }
}
