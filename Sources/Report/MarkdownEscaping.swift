// CommonMark building blocks that keep untrusted text inert: inline escaping, table cells, code
// spans, fenced code blocks and paragraphs. Every piece of text from mail goes through one of them;
// the result never contains raw HTML, never opens a block it does not close, and cannot end a
// table row, a fence or a heading early.

/// Escaping for CommonMark + GitHub Flavored Markdown (tables, strikethrough).
public enum Markdown {
    /// One line of inline text: CommonMark specials backslash-escaped, `<` and `&` as entities,
    /// line-start markers (`#`, `-`, `+`, `=`, `>`, `1.`, `1)`) neutralised, control characters
    /// shown visibly, newlines turned into spaces. Intraword `_` (as in `vfio_ap_ops`) stays
    /// as it is, since it cannot start emphasis.
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
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            case ">" where i == 0 && atLineStart: out += "&gt;"
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

    /// Multi-line text from mail as a Markdown block: paragraphs split at blank lines, each line
    /// escaped, line breaks kept as hard breaks (`\` at the end), leading indentation kept as
    /// non-breaking spaces. With `quoteDepth > 0` every line is prefixed with that many `>`.
    public static func paragraphs(_ text: String, quoteDepth: Int = 0) -> String {
        let prefix = quoteDepth > 0 ? String(repeating: "> ", count: quoteDepth) : ""
        let blankPrefix = quoteDepth > 0 ? String(repeating: ">", count: quoteDepth) : ""
        let lines = SafeText.visible(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).trimmingTrailingWhitespace() }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        var para: [String] = []
        func flush() {
            guard !para.isEmpty else { return }
            for (k, l) in para.enumerated() {
                out += prefix
                out += l
                if k + 1 < para.count { out += "\\" }
                out += "\n"
            }
            para.removeAll(keepingCapacity: true)
        }
        var wroteParagraph = false
        for raw in lines {
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !para.isEmpty { flush(); wroteParagraph = true }
                continue
            }
            if para.isEmpty && wroteParagraph { out += blankPrefix + "\n" }
            var indent = ""
            for c in raw {
                if c == " " { indent += "&nbsp;" } else if c == "\t" { indent += "&nbsp;&nbsp;&nbsp;&nbsp;" } else { break }
            }
            let escaped = escapeLine(raw, atLineStart: true)
            para.append(indent + (escaped.isEmpty ? "&nbsp;" : escaped))
        }
        flush()
        return out
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
