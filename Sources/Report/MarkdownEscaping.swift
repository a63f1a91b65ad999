// CommonMark building blocks that keep untrusted text inert: inline escaping, table cells, code
// spans, fenced code blocks and paragraphs. Every piece of text from mail goes through one of them;
// the result never contains raw HTML, never opens a block it does not close, and cannot end a
// table row, a fence or a heading early.

/// Escaping for CommonMark + GitHub Flavored Markdown (tables, strikethrough).
public enum Markdown {
    /// One line of inline text: CommonMark specials backslash-escaped (no entities: `\<` where a
    /// `<` could open an HTML tag or an autolink, `\&` where a `&` could start an entity reference,
    /// other `<` and `&` as they are), line-start markers (`#`, `-`, `+`, `=`, `>`, `1.`, `1)`)
    /// neutralised, control characters shown visibly, newlines turned into spaces. Intraword `_`
    /// (as in `vfio_ap_ops`) stays as it is, since it cannot start emphasis.
    public static func inline(_ text: String) -> String {
        let line = SafeText.oneLine(text)
        return escapeLine(line, atLineStart: true)
    }

    /// Escapes one line that has no newline; leading whitespace is dropped.
    static func escapeLine(_ line: String, atLineStart: Bool) -> String {
        let chars = Array(line.drop { $0 == " " || $0 == "\t" })
        var out = ""
        out.reserveCapacity(chars.count + 8)
        // Ordered-list marker at line start: up to 9 digits then `.` or `)`.
        var listMarkerAt = -1
        if atLineStart {
            var k = 0
            while k < chars.count && k < 10 && chars[k].isASCII && chars[k].isNumber { k += 1 }
            if k > 0 && k < chars.count && (chars[k] == "." || chars[k] == ")") { listMarkerAt = k }
        }
        for (i, c) in chars.enumerated() {
            switch c {
            case "\\", "`", "*", "[", "]", "~", "|", "$", "#", "{", "}":
                out.append("\\"); out.append(c)
            case "_":
                let before = i > 0 ? chars[i - 1] : " "
                let after = i + 1 < chars.count ? chars[i + 1] : " "
                if isWordChar(before) && isWordChar(after) { out.append(c) } else { out += "\\_" }
            case "<":
                // Raw HTML and autolinks start with `<` and a letter, `/`, `!` or `?`.
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if next.isLetter || next == "/" || next == "!" || next == "?" { out += "\\<" } else { out.append(c) }
            case "&":
                if startsEntity(chars, at: i) { out += "\\&" } else { out.append(c) }
            case ">" where i == 0 && atLineStart: out += "\\>"
            case "-" where i == 0 && atLineStart, "+" where i == 0 && atLineStart, "=" where i == 0 && atLineStart:
                out.append("\\"); out.append(c)
            case "@":
                // GitHub turns `@name` into a mention; kernel-doc writes `@kvm` everywhere.
                let before = i > 0 ? chars[i - 1] : " "
                if isWordChar(before) { out.append(c) } else { out += "\\@" }
            case "!" where i + 1 < chars.count && chars[i + 1] == "[":
                out += "\\!"
            default:
                if i == listMarkerAt { out.append("\\") }
                out.append(c)
            }
        }
        return out
    }

    /// `&` followed by what CommonMark reads as an entity or numeric character reference
    /// (`&name;`, `&#123;`, `&#x1F;`).
    static func startsEntity(_ chars: [Character], at i: Int) -> Bool {
        var k = i + 1
        var digitsOnly = false
        if k < chars.count, chars[k] == "#" {
            k += 1
            digitsOnly = true
            if k < chars.count, chars[k] == "x" || chars[k] == "X" { k += 1 }
        }
        let start = k
        while k < chars.count, k - start <= 32, chars[k].isASCII, digitsOnly ? chars[k].isHexDigit : (chars[k].isLetter || chars[k].isNumber) { k += 1 }
        return k > start && k < chars.count && chars[k] == ";"
    }

    @inline(__always)
    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// One line where `` `…` `` spans (as the Rules module writes expressions) become code spans
    /// and the rest is escaped like `inline`. Unbalanced backticks: everything escaped.
    public static func inlineWithCode(_ text: String, inTable: Bool = false) -> String {
        let line = SafeText.oneLine(text)
        let parts = line.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count % 2 == 1 else { return inTable ? cell(line) : inline(line) }
        var out = ""
        for (i, p) in parts.enumerated() {
            if i % 2 == 1 {
                out += p.isEmpty ? "" : code(String(p), inTable: inTable)
            } else if !p.isEmpty {
                let leading = p.first == " " ? " " : ""
                let trailing = p.count > 1 && p.last == " " ? " " : ""
                let body = escapeLine(String(p).trimmingTrailingWhitespace(), atLineStart: i == 0)
                out += (i == 0 ? "" : leading) + body + (body.isEmpty ? "" : trailing)
            }
        }
        return out
    }

    /// Text for a GFM table cell: `inline` plus nothing that ends the cell or the row.
    /// (`inline` already escapes `|`; newlines became spaces.) An empty cell shows `—`.
    public static func cell(_ text: String) -> String {
        let s = inline(text)
        return s.isEmpty ? "—" : s
    }

    /// A code span holding `text` exactly (on one line): the backtick delimiter is longer than any
    /// run inside; padded when the text starts or ends with a backtick or space. In a table cell
    /// pass `inTable: true` so that `|` is escaped (GFM splits cells before parsing code spans).
    public static func code(_ text: String, inTable: Bool = false) -> String {
        var s = SafeText.oneLine(text)
        if s.isEmpty { return "` `" }
        if inTable { s = s.replacingOccurrences(of: "|", with: "\\|") }
        let run = longestRun(of: "`", in: s)
        let fence = String(repeating: "`", count: run + 1)
        let pad = s.first == "`" || s.last == "`" || (s.first == " " && s.last == " ") ? " " : ""
        return fence + pad + s + pad + fence
    }

    /// A fenced code block: backtick fence longer than any backtick run in the content (at least
    /// three), info string `info` (letters only). Content lines are shown visibly (control
    /// characters), tabs kept. Ends with a newline.
    public static func fence(_ lines: [String], info: String = "") -> String {
        let safe = lines.map { SafeText.visible($0).replacingOccurrences(of: "\n", with: " ") }
        var run = 2
        for l in safe { run = max(run, longestRun(of: "`", in: l)) }
        let f = String(repeating: "`", count: run + 1)
        let cleanInfo = String(info.unicodeScalars.filter { $0.properties.isAlphabetic && $0.isASCII })
        var out = f + cleanInfo + "\n"
        for l in safe { out += l + "\n" }
        return out + f + "\n"
    }

    /// Multi-line text from mail as Markdown blocks, split at blank lines. A block of prose keeps
    /// the mail's line breaks as soft breaks (each line escaped, so the source reads as the mail
    /// did); a block of list items (`- `, `* `, `1.` …, with indented continuation lines) stays a
    /// list; a block whose text is column-aligned (a tab, leading indentation, a run of spaces
    /// inside a line) or reads as code (most lines end in `;`, `{` or `}`) is a fenced code block,
    /// so diagrams and code keep their columns. With `quoteDepth > 0` every line is prefixed with
    /// that many `>`.
    public static func paragraphs(_ text: String, quoteDepth: Int = 0) -> String {
        let prefix = quoteDepth > 0 ? String(repeating: "> ", count: quoteDepth) : ""
        let blankPrefix = quoteDepth > 0 ? String(repeating: ">", count: quoteDepth) : ""
        let lines = SafeText.visible(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).trimmingTrailingWhitespace() }
        var blocks: [[String]] = []
        var current: [String] = []
        for l in lines {
            if l.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { blocks.append(current); current = [] }
            } else {
                current.append(l)
            }
        }
        if !current.isEmpty { blocks.append(current) }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        for (k, block) in blocks.enumerated() {
            if k > 0 { out += blankPrefix + "\n" }
            var rendered: [String]
            if isList(block) {
                rendered = listLines(block)
            } else if let k = block.indices.dropFirst().first(where: { listMarker(block[$0]) != nil && isList(Array(block[$0...])) }),
                      !isPreformatted(Array(block[..<k])) {
                // Prose that leads into a list ("Two things:" and the items): CommonMark lets a
                // list interrupt a paragraph.
                rendered = block[..<k].map { escapeLine($0, atLineStart: true) } + listLines(Array(block[k...]))
            } else if isPreformatted(block) {
                rendered = fence(block).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            } else {
                rendered = block.map { escapeLine($0, atLineStart: true) }
            }
            for l in rendered { out += (l.isEmpty ? blankPrefix : prefix + l) + "\n" }
        }
        return out
    }

    /// The list marker that opens a line (`- `, `* `, `+ `, `12. `, `3) `), as written.
    static func listMarker(_ line: String) -> String? {
        let chars = Array(line)
        guard let first = chars.first else { return nil }
        if "-*+".contains(first) { return chars.count > 1 && chars[1] == " " ? String(first) + " " : nil }
        var k = 0
        while k < chars.count && k < 9 && chars[k].isASCII && chars[k].isNumber { k += 1 }
        guard k > 0, k + 1 < chars.count, chars[k] == "." || chars[k] == ")", chars[k + 1] == " " else { return nil }
        return String(chars[0...(k + 1)])
    }

    /// Every line is a list item or an indented continuation of one, starting with an item.
    static func isList(_ block: [String]) -> Bool {
        guard let first = block.first, listMarker(first) != nil else { return false }
        return block.allSatisfy { listMarker($0) != nil || $0.first == " " || $0.first == "\t" }
            && !block.contains { $0.contains("\t") }
    }

    /// A list block: each item's marker kept (bullets as `-`, numbers with `.`), its text
    /// escaped, continuation lines indented under it.
    static func listLines(_ block: [String]) -> [String] {
        var out: [String] = []
        var indent = "  "
        for l in block {
            if let m = listMarker(l) {
                let rest = String(l.dropFirst(m.count))
                let marker = "-*+".contains(m.first ?? " ") ? "- " : String(m.dropLast(2)) + ". "
                indent = String(repeating: " ", count: marker.count)
                out.append(marker + escapeLine(rest, atLineStart: true))
            } else {
                out.append(indent + escapeLine(l, atLineStart: true))
            }
        }
        return out
    }

    /// Text whose columns matter: a tab, leading indentation, a run of three spaces (or two not
    /// after a sentence's end) inside a line; or code (most lines end in `;`, `{` or `}`).
    static func isPreformatted(_ block: [String]) -> Bool {
        var codeLike = 0
        for l in block {
            if l.contains("\t") || l.first == " " { return true }
            let chars = Array(l)
            var k = 0
            while k < chars.count {
                if chars[k] == " " {
                    var e = k
                    while e < chars.count && chars[e] == " " { e += 1 }
                    let run = e - k
                    if run >= 3 || (run == 2 && k > 0 && !".?!:;,".contains(chars[k - 1])) { return true }
                    k = e
                } else {
                    k += 1
                }
            }
            if let last = chars.last, ";{}".contains(last) || chars.first == "}" { codeLike += 1 }
        }
        return block.count >= 2 && codeLike * 2 > block.count
    }

    /// A table with a header row and rows of already-escaped cells.
    public static func table(_ header: [String], _ rows: [[String]], align: [Character]? = nil) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n|"
        for (i, _) in header.enumerated() {
            switch align?[safe: i] ?? "l" {
            case "r": out += " ---: |"
            case "c": out += " :---: |"
            default: out += " --- |"
            }
        }
        out += "\n"
        for r in rows {
            var cells = r
            while cells.count < header.count { cells.append("—") }
            out += "| " + cells.prefix(header.count).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// A link with fixed text to a URL we built (percent-escaped); anything that could end the
    /// destination is escaped again to be sure.
    public static func link(_ text: String, url: String) -> String {
        var dest = ""
        for u in url.unicodeScalars {
            switch u {
            case "(", ")", "<", ">", " ", "\\", "`", "\"", "'", "|", "[", "]":
                dest += "%" + String(u.value, radix: 16, uppercase: true).leftPad(2)
            default:
                if SafeText.isUnsafe(u) || u.value >= 0x80 {
                    for b in String(u).utf8 { dest += "%" + String(b, radix: 16, uppercase: true).leftPad(2) }
                } else { dest.unicodeScalars.append(u) }
            }
        }
        return "[" + inline(text) + "](" + dest + ")"
    }

    static func longestRun(of ch: Character, in s: String) -> Int {
        var best = 0, cur = 0
        for c in s {
            if c == ch { cur += 1; best = max(best, cur) } else { cur = 0 }
        }
        return best
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}

extension Markdown {
    /// A line of rendered Markdown wrapped before `width` columns at spaces outside code spans,
    /// each continuation line indented by `indent` (a list item's) — never before a word a line
    /// could not start with (`-`, `+`, `*`, `#`, `>`, `=`, `|`, `~`, `<`, a number and `.` or `)`,
    /// a fence), so the wrapped text renders as the line did.
    public static func wrap(_ line: String, width: Int = 100, indent: String = "") -> String {
        guard line.count > width else { return line }
        // Words, a code span kept whole.
        var words: [String] = []
        var current = ""
        var open = 0  // length of the backtick run that opened the current code span
        let chars = Array(line)
        var k = 0
        while k < chars.count {
            let c = chars[k]
            // A backslash escape (outside code spans) is one piece: `\`` opens nothing.
            if c == "\\" && open == 0 && k + 1 < chars.count {
                current.append(c)
                current.append(chars[k + 1])
                k += 2
                continue
            }
            if c == "`" {
                var e = k
                while e < chars.count && chars[e] == "`" { e += 1 }
                let run = e - k
                if open == 0 { open = run } else if run == open { open = 0 }
                current += String(chars[k..<e])
                k = e
                continue
            }
            if c == " " && open == 0 {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(c)
            }
            k += 1
        }
        if !current.isEmpty { words.append(current) }
        guard open == 0 else { return line }
        var out = ""
        var lineLength = 0
        for (i, w) in words.enumerated() {
            if i == 0 {
                out = w; lineLength = w.count
            } else if lineLength + 1 + w.count > width && canStartLine(w) {
                out += "\n" + indent + w; lineLength = indent.count + w.count
            } else {
                out += " " + w; lineLength += 1 + w.count
            }
        }
        return out
    }

    static func canStartLine(_ word: String) -> Bool {
        guard let f = word.first else { return false }
        // A block quote, an HTML block, a fence; a thematic break, a setext underline, a bullet
        // or a heading's hashes (a word of those characters alone); an ordered list's `1.`.
        if f == ">" || f == "<" || word.hasPrefix("```") || word.hasPrefix("~~~") { return false }
        if word.allSatisfy({ "-=*_#+~|:".contains($0) }) { return false }
        if let last = word.last, last == "." || last == ")", word.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
        return true
    }
}
