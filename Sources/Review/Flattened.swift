// Review text copied from a web archive: every newline and tab turned into one space, addresses
// masked, no headers. `Flattened.looksFlattened` recognises such text; `Flattened.resegment` cuts
// it back into lines — quote markers open quoted lines, diff lines are counted against the quoted
// hunk headers, and the sender's own text is told from the end of a quoted line by what a kernel
// line can be — so that the ordinary review pipeline can read it.
import Mailbox
import Patch

/// A flattened text cut back into lines.
public struct ResegmentedText: Sendable, Hashable {
    /// The body, one line per recovered line, quoted lines with `>` markers again.
    public var body: String
    public var lineCount: Int
    /// Quoted lines recovered, and how many of them are diff lines.
    public var quotedLines: Int
    public var diffLines: Int
    /// Ends of quoted lines placed by the original patch, and those guessed from the text.
    public var alignedCuts: Int
    public var guessedCuts: Int
    /// Lines (0-based, in `body`) whose end was guessed: a remark after one of them may start too early or late.
    public var guessedLines: [Int] = []
    /// The first `On …, X wrote:` attribution of the sender's own text.
    public var attribution: String?
    public var quotedAuthor: Address?
    public var quotedDate: String?
    /// The quoted author's name as the attribution gives it, also when it gives no address
    /// (`On Mon, 2021-07-19 at 15:35 -0400, Tony Krowiak wrote:`).
    public var quotedName: String? = nil
    /// The sender, from their review trailer (`Acked-by:`, `Reviewed-by:` …) or sign-off.
    public var sender: Address?
    /// The first line of the quoted commit message.
    public var title: String?
    /// Files and hunk headers of the quoted diff (`path`, `-a,b +c,d`).
    public var quotedFiles: [String]
    /// True when an original patch was given and at least one quoted diff line was found in it.
    public var usedOriginal: Bool
    /// What the original was, for the summary: the patch, or the lines of the reviewer's tree
    /// standing in for it.
    public var originalName = "the original patch"

    /// A one-line description for the report.
    public var summary: String {
        var s = "the input was flattened text (no line breaks, as copied from a web archive); re-segmented into \(lineCount) lines, \(quotedLines) of them quoted (\(diffLines) diff lines)"
        if usedOriginal {
            s += "; the ends of quoted diff lines were placed by \(originalName) (\(alignedCuts) of \(alignedCuts + guessedCuts))"
        } else {
            s += "; without the original patch the ends of quoted lines are guessed, so remark positions are uncertain"
        }
        return s
    }
}

public enum Flattened {
    // MARK: - recognising

    /// Header-less mail (no From, Date, Subject or Message-ID) whose body looks flattened.
    public static func isFlattened(_ message: Message) -> Bool {
        for h in message.headers {
            switch h.name.lowercased() {
            case "from", "date", "subject", "message-id", "in-reply-to", "references", "to", "received":
                return false
            default:
                continue
            }
        }
        if message.from != nil || message.messageID != nil || !message.subject.isEmpty { return false }
        return looksFlattened(message.body)
    }

    /// One or a few very long lines holding most of the text, with ` > ` quote markers in them
    /// (and no ordinary quoted lines).
    public static func looksFlattened(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 200 else { return false }
        var lines: [(Int, Int)] = []
        var s = 0
        for (k, c) in bytes.enumerated() where c == chLF {
            lines.append((s, k)); s = k + 1
        }
        if s < bytes.count { lines.append((s, bytes.count)) }
        var nonBlank = 0, longBytes = 0, total = 0, markers = 0, quotedLines = 0
        for (a, e) in lines {
            var a2 = a, e2 = e
            while a2 < e2 && isBlankByte(bytes[a2]) { a2 += 1 }
            while e2 > a2 && isBlankByte(bytes[e2 - 1]) { e2 -= 1 }
            guard e2 > a2 else { continue }
            nonBlank += 1
            total += e2 - a2
            if bytes[a2] == chGT { quotedLines += 1 }
            if e2 - a2 >= 200 {
                longBytes += e2 - a2
                var k = a2 + 1
                while k + 1 < e2 {
                    if bytes[k] == chGT && bytes[k - 1] == chSpace && (bytes[k + 1] == chSpace || bytes[k + 1] == chGT) { markers += 1 }
                    k += 1
                }
            }
        }
        guard nonBlank > 0, nonBlank <= 12, quotedLines <= 2 else { return false }
        return longBytes * 10 >= total * 8 && markers >= 2
    }

    // MARK: - re-segmenting

    /// Cuts a flattened text back into lines. With `original`, a quoted diff line found in it ends
    /// exactly where the original line ends; otherwise the end is guessed.
    public static func resegment(_ text: String, original: Patch? = nil) -> ResegmentedText {
        var r = Resegmenter(text: text, original: original)
        return r.run()
    }

    /// A message holding the re-segmented body, with what the text gives: the sender from their
    /// trailer, a `Re:` subject from the quoted title, the quoted author in the attribution.
    public static func message(_ r: ResegmentedText, index: Int = 0) -> Message {
        var head = ""
        if let s = r.sender { head += "From: " + headerAddress(s) + "\n" }
        let title = r.title.map { oneLine($0) } ?? "flattened review text"
        head += "Subject: Re: [PATCH] " + title + "\n"
        head += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        let bytes = Array((head + r.body).utf8)
        return MessageParser.parse(bytes[...], index: index)
    }

    static func headerAddress(_ a: Address) -> String {
        guard let n = a.name, !n.isEmpty else { return "<\(a.email)>" }
        let safe = n.allSatisfy { $0.isLetter || $0 == " " || $0 == "-" || $0 == "'" }
        return (safe ? n : "\"" + n.replacingOccurrences(of: "\"", with: "") + "\"") + " <\(a.email)>"
    }

    static func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 }.prefix(200))
    }
}

// MARK: - words and lines

/// Text helpers on whitespace-collapsed strings.
enum FlatText {
    static func words(_ s: Substring) -> [Substring] {
        s.split(omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0B}" || $0 == "\u{0C}" }
    }

    /// A word of ordinary prose: letters (apostrophes, hyphens inside), optionally followed by
    /// sentence punctuation, or bracketed by quotes/parentheses.
    static func isPlainWord(_ w: Substring) -> Bool {
        var w = w
        while let f = w.first, "(\"'`".contains(f) { w = w.dropFirst() }
        while let l = w.last, ",.?!:;)\"'`".contains(l) { w = w.dropLast() }
        guard !w.isEmpty, w.count <= 20 else { return false }
        return w.allSatisfy { $0.isLetter || $0 == "'" || $0 == "’" || $0 == "-" } && w.first!.isLetter
    }

    /// Lower-case words that often open a reviewer's sentence.
    static let starters: Set<String> = [
        "nit", "nit:", "nitpick:", "why", "this", "that", "these", "those", "the", "please", "can", "could", "should",
        "shouldn't", "would", "wouldn't", "is", "are", "isn't", "aren't", "do", "does", "don't", "doesn't", "maybe",
        "perhaps", "so", "but", "also", "hmm", "hmm,", "ok", "ok,", "okay", "yes", "yes,", "no", "no,", "not", "here",
        "there", "we", "you", "it", "it's", "what", "how", "where", "when", "i", "i'm", "i'd", "i've", "looks", "same",
        "ditto", "typo", "typo:", "again", "and", "hi", "hi,", "thanks", "thanks,", "otherwise", "instead", "agreed",
        "right", "right,", "well,", "also,", "btw", "btw,", "fyi", "ah", "oh", "oops", "missing", "unnecessary",
    ]

    static let cKeywords: Set<String> = [
        "struct", "const", "unsigned", "signed", "int", "long", "short", "char", "void", "static", "return", "goto",
        "else", "if", "for", "while", "do", "switch", "case", "default", "enum", "union", "extern", "inline", "bool",
        "volatile", "register", "typedef", "sizeof", "break", "continue", "fallthrough", "u8", "u16", "u32", "u64",
    ]

    /// `text` opens like a sentence of prose: a capitalised word (or a usual starter) followed by
    /// ordinary words.
    static func opensProse(_ ws: ArraySlice<Substring>, strict: Bool) -> Bool {
        guard let first = ws.first else { return false }
        let f = first.first!
        var capital = false
        if f.isUppercase {
            // `Foo`, `I`, `A`; not `NULL`, `EINVAL`, `CONFIG_X`.
            let letters = first.filter { $0.isLetter }
            capital = letters.count >= 1 && (letters.count <= 1 || letters.dropFirst().contains { $0.isLowercase })
                && isPlainWord(first)
        }
        let starter = starters.contains(first.lowercased())
        if !(capital || starter) {
            // Lower-case words only, three or more, none a C keyword and none ending a statement:
            // no kernel line reads like that (`remove empty nl`, `extra lf, remove`).
            let window = ws.prefix(5)
            guard window.count >= 3 else { return false }
            return window.allSatisfy { isPlainWord($0) && !$0.hasSuffix(";") && !cKeywords.contains(String($0).lowercased()) }
        }
        let window = ws.prefix(6)
        let plain = window.filter { isPlainWord($0) }.count
        if window.count == 1 { return !strict && capital && first.last.map { ".?!".contains($0) } == true }
        let need = strict ? window.count - 1 : (window.count * 2 + 2) / 3
        if plain < max(need, 1) { return false }
        // Code continues with operators and C punctuation.
        for w in window where w.contains(";") || w.contains("{") || w.contains("}") || w == "=" || w == "==" || w.contains("->") && !isPlainWord(w) {
            if w.contains(";") && w.last == ";" && w.dropLast().allSatisfy({ $0.isLetter }) { continue }
            return false
        }
        return true
    }

    /// Last character of a code line that can end it.
    static func endsCodeLine(_ s: Substring) -> Bool {
        guard let l = s.last else { return true }
        if ";{},):\\]".contains(l) { return true }
        if s.hasSuffix("*/") || s.hasSuffix("&&") || s.hasSuffix("||") || s.hasSuffix("(") { return true }
        if s.hasSuffix("=") || s.hasSuffix("+") || s.hasSuffix("?") || s.hasSuffix("|") { return true }
        return false
    }

    static func isCommentLine(_ s: Substring) -> Bool {
        s.hasPrefix("*") || s.hasPrefix("/*") || s.hasPrefix("//") || s.hasPrefix("#")
    }

    /// Wraps the sender's own text: each sentence on a new line, lines up to 72 columns.
    static func wrap(_ text: Substring) -> [String] {
        var out: [String] = []
        var line = ""
        let ws = words(text)
        for (i, w) in ws.enumerated() {
            _ = i
            if !line.isEmpty && line.count + 1 + w.count > 72 {
                out.append(line); line = ""
            }
            line += line.isEmpty ? String(w) : " " + w
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}

// MARK: - the re-segmenter

struct Resegmenter {
    let bytes: [UInt8]
    let original: Patch?

    /// A run of `>` markers at `start..<end` with `count` markers.
    struct Marker { var start: Int; var end: Int; var count: Int }

    enum DiffState {
        case none
        case header(file: String?)
        case hunk(file: String?, oldLeft: Int, newLeft: Int, key: HunkKey?, cursor: Int)
    }

    struct HunkKey: Hashable { var file: Int; var hunk: Int }

    var out: [String] = []
    var states: [Int: DiffState] = [:]
    var quoted = 0, diff = 0, aligned = 0, guessed = 0
    var attribution: String?
    var sender: Address?
    var title: String?
    var files: [String] = []
    var pendingOwn: [Substring] = []
    /// Diff lines written, for their indentation: output line, hunk number, kind, code.
    struct WrittenDiffLine { var out: Int; var hunk: Int; var kind: HunkLine.Kind; var code: String; var prefix: String }
    var written: [WrittenDiffLine] = []
    /// Per hunk number: its section and whether its file is C.
    var hunkInfo: [(section: String, cLike: Bool)] = []
    var currentHunk: [Int: Int] = [:]
    /// The last diff line per depth when nothing followed it yet: a wrapped tail may join it.
    struct LastDiff { var written: Int; var kind: HunkLine.Kind; var unfinished: Bool; var length: Int; var wrapRest: [Substring]? }
    var lastDiff: [Int: LastDiff] = [:]
    /// Depths whose last diff line completed a hunk (cleared by the next line at that depth).
    var completedHunk: Set<Int> = []
    /// A hunk header whose section may continue on the next line: its output line and, from the
    /// original, the words still missing.
    var headerWrap: [Int: (Int, [Substring]?)] = [:]
    /// Output lines whose end was guessed.
    var guessedLines: [Int] = []

    /// A code line that cannot end where it does: an open parenthesis or string, a trailing comma or operator.
    static func unfinished(_ code: String, comment: Bool) -> Bool {
        if comment || code.isEmpty { return false }
        var parens = 0, quotes = 0
        var prev: Character = " "
        for c in code {
            if c == "\"" && prev != "\\" { quotes += 1 }
            if quotes % 2 == 0 { if c == "(" { parens += 1 } else if c == ")" { parens -= 1 } }
            prev = c
        }
        if parens > 0 || quotes % 2 == 1 { return true }
        guard let l = code.last else { return false }
        return ",(&|+-*/=?:".contains(l) && !code.hasSuffix("*/") && !code.hasSuffix("++") && !code.hasSuffix("--")
    }
    var lastWasOwn = false

    init(text: String, original: Patch?) {
        // Newlines that survive (a few long lines) are spaces like the rest.
        var b: [UInt8] = []
        b.reserveCapacity(text.utf8.count)
        var space = false
        for c in text.utf8 {
            if c == chSpace || c == chTab || c == chLF || c == chCR || c == 0x0B || c == 0x0C {
                space = true
            } else {
                if space && !b.isEmpty { b.append(chSpace) }
                space = false
                b.append(c)
            }
        }
        bytes = b
        self.original = original
    }

    func string(_ s: Int, _ e: Int) -> Substring {
        guard s < e else { return "" }
        return Substring(String(decoding: bytes[s..<e], as: UTF8.self))
    }

    /// Candidate quote markers: `>` at the start or after a space, followed by a space or the end;
    /// `> >`, `>>` runs count as one group.
    func candidates() -> [Marker] {
        var out: [Marker] = []
        let n = bytes.count
        var i = 0
        while i < n {
            guard bytes[i] == chGT, i == 0 || bytes[i - 1] == chSpace else { i += 1; continue }
            var j = i, k = 0
            while j < n && bytes[j] == chGT {
                k += 1; j += 1
                if j + 1 < n && bytes[j] == chSpace && bytes[j + 1] == chGT { j += 1 }
            }
            if j == n || bytes[j] == chSpace {
                out.append(Marker(start: i, end: j, count: k))
            }
            i = j
        }
        return out
    }

    mutating func run() -> ResegmentedText {
        let marks = candidates()
        let lead = marks.first?.start ?? bytes.count
        emitOwn(string(0, lead))
        var m = 0
        var prevCount = 1
        while m < marks.count {
            let mk = marks[m]
            let contentStart = min(bytes.count, mk.end + 1)
            // The content runs to the next marker that is one: a `>` inside code with an open
            // parenthesis (`if (a > b)`) is a comparison, not a quote.
            var next = m + 1
            let depthGuess = depth(of: m, marks)
            while next < marks.count {
                let content = string(contentStart, marks[next].start)
                if isComparison(content, before: marks[next], depth: depthGuess.line) { next += 1; continue }
                break
            }
            let end = next < marks.count ? max(contentStart, marks[next].start - 1) : bytes.count
            let content = string(contentStart, end)
            for d in depthGuess.blanks { blank(depth: d) }
            line(depth: depthGuess.line, content)
            prevCount = mk.count
            _ = prevCount
            m = next
        }
        flushOwn()
        Indenter.restore(&out, written.map { ($0.out, $0.hunk, $0.kind, $0.code, $0.prefix) }, hunkInfo)
        while out.last == "" { out.removeLast() }
        let body = out.joined(separator: "\n") + "\n"
        var r = ResegmentedText(body: body, lineCount: out.count, quotedLines: quoted, diffLines: diff,
                                alignedCuts: aligned, guessedCuts: guessed, attribution: attribution,
                                quotedAuthor: nil, quotedDate: nil, sender: sender, title: title,
                                quotedFiles: files, usedOriginal: original != nil && aligned > 0)
        if let a = attribution { (r.quotedAuthor, r.quotedDate, r.quotedName) = Self.parseAttribution(a) }
        r.guessedLines = guessedLines
        return r
    }

    /// The depth of marker group `m`'s line and the blank quoted lines before it: a group of `k`
    /// markers is blank quoted lines and one line whose depths add up to `k`; the line's depth is
    /// the usual group size around it.
    func depth(of m: Int, _ marks: [Marker]) -> (line: Int, blanks: [Int]) {
        let k = marks[m].count
        if k == 1 { return (1, []) }
        var counts: [Int: Int] = [:]
        for j in max(0, m - 3)...min(marks.count - 1, m + 3) { counts[marks[j].count, default: 0] += 1 }
        let base = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
        if k <= base { return (k, []) }
        var blanks: [Int] = []
        var r = k - base
        while r >= base { blanks.append(base); r -= base }
        if r > 0 { blanks.insert(r, at: 0) }
        return (base, blanks)
    }

    func isComparison(_ content: Substring, before mk: Marker, depth: Int) -> Bool {
        guard mk.count <= 2, case .hunk(_, let ol, let nl, _, _)? = states[depth], ol > 0 || nl > 0 else { return false }
        var open = 0
        var inString = false
        for c in content {
            if c == "\"" { inString.toggle() }
            if inString { continue }
            if c == "(" { open += 1 } else if c == ")" { open -= 1 }
        }
        guard open > 0 else { return false }
        // A comparison's left operand ends right before it.
        let operand = content.last == " " ? content.dropLast() : content
        guard let l = operand.last, l.isLetter || l.isNumber || l == "_" || l == ")" || l == "]" else { return false }
        let after = mk.end + 1 < bytes.count ? bytes[mk.end + 1] : 0
        return after != UInt8(ascii: "+") && after != UInt8(ascii: "-") && after != UInt8(ascii: "@")
    }

    // MARK: output

    mutating func blank(depth: Int) {
        flushOwn()
        lastDiff[depth] = nil
        headerWrap[depth] = nil
        let inHunk: Bool
        if case .hunk(let f, let ol, let nl, let key, let cur)? = states[depth], ol > 0 || nl > 0 {
            inHunk = true
            states[depth] = .hunk(file: f, oldLeft: max(0, ol - 1), newLeft: max(0, nl - 1), key: key, cursor: cur + 1)
            diff += 1
            settle(depth)
        } else {
            inHunk = false
        }
        out.append(String(repeating: ">", count: depth) + (inHunk ? "  " : ""))
        quoted += 1
    }

    mutating func emitQuoted(depth: Int, _ text: String) {
        flushOwn()
        out.append(String(repeating: ">", count: depth) + (text.isEmpty ? "" : " " + text))
        quoted += 1
    }

    /// After a line of a hunk: when both counts are used up the hunk is complete.
    mutating func settle(_ depth: Int) {
        if case .hunk(let f, let ol, let nl, _, _)? = states[depth], ol <= 0 && nl <= 0 {
            states[depth] = .header(file: f)
            completedHunk.insert(depth)
        }
    }

    mutating func line(depth: Int, _ content: Substring) {
        let state = states[depth] ?? .none
        let previousDiff = lastDiff[depth]
        lastDiff[depth] = nil
        let previousHeaderWrap = headerWrap[depth]
        headerWrap[depth] = nil
        let hunkJustCompleted = completedHunk.contains(depth)
        completedHunk.remove(depth)
        let ws = FlatText.words(content)
        let first = ws.first ?? ""
        // Git's header lines: a fixed number of words, the rest is the sender's.
        func header(_ n: Int, file: String?? = nil) {
            let cut = min(n, ws.count)
            emitQuoted(depth: depth, ws[0..<cut].joined(separator: " "))
            if let file { states[depth] = .header(file: file) }
            own(ws[cut...])
        }
        var activeHunk = false
        if case .hunk(_, let ol, let nl, _, _) = state, ol > 0 || nl > 0 { activeHunk = true }
        if first == "diff" && ws.count >= 4 && ws[1] == "--git" {
            let f = String(ws[3].hasPrefix("b/") ? ws[3].dropFirst(2) : ws[3])
            files.append(f)
            return header(4, file: .some(f))
        }
        if first == "@@", ws.count >= 4, let h = Self.hunkHeader(ws[1], ws[2]), ws[3] == "@@" {
            var file: String? = nil
            switch state {
            case .header(let f): file = f
            case .hunk(let f, _, _, _, _): file = f
            case .none: file = nil
            }
            let key = originalHunk(file: file, oldStart: h.0, newStart: h.2)
            states[depth] = .hunk(file: file, oldLeft: h.1, newLeft: h.3, key: key, cursor: 0)
            diff += 1
            let section = ws[4...]
            currentHunk[depth] = hunkInfo.count
            hunkInfo.append((section.joined(separator: " "), file.map { isCLike($0) } ?? true))
            var cut = section.isEmpty ? 0 : codeEnd(section, comment: false, allowEmpty: true)
            var rest: [Substring]? = nil
            if let key, let original {
                // The original's section says where the header ends, and whether the client wrapped it.
                let os = FlatText.words(Substring(original.files[key.file].hunks[key.hunk].section))
                if os.count <= section.count && zip(os, section).allSatisfy({ $0 == $1 }) { cut = os.count }
                else if section.count < os.count && zip(section, os).allSatisfy({ $0 == $1 }) { rest = Array(os[section.count...]) }
            }
            emitQuoted(depth: depth, (ws[0..<4] + section.prefix(cut)).joined(separator: " "))
            // Without the original a section ending unfinished is no evidence: git cuts long ones.
            if cut == section.count, rest != nil {
                headerWrap[depth] = (out.count - 1, rest)
            }
            own(section.dropFirst(cut))
            return
        }
        // The client wrapped the hunk header: its tail is the next line, before the first diff line.
        if let (at, rest) = previousHeaderWrap, !content.hasPrefix("+") && !content.hasPrefix("-") && !ws.isEmpty {
            var join = 0
            if let rest {
                if rest.count <= ws.count && zip(rest, ws).allSatisfy({ $0 == $1 }) { join = rest.count }
            }
            if join > 0 {
                out[at] += " " + ws.prefix(join).joined(separator: " ")
                own(ws.dropFirst(join))
                return
            }
        }
        if !activeHunk {
            if (first == "---" || first == "+++") && ws.count >= 2
                && (ws[1].hasPrefix("a/") || ws[1].hasPrefix("b/") || ws[1] == "/dev/null") {
                var file: String?? = nil
                if first == "+++" && ws[1] != "/dev/null" { file = .some(String(ws[1].dropFirst(2))) }
                if first == "---", case .header(let f) = state { file = .some(f ?? (ws[1] == "/dev/null" ? nil : String(ws[1].dropFirst(2)))) }
                if first == "---", case .none = state { file = .some(ws[1] == "/dev/null" ? nil : String(ws[1].dropFirst(2))) }
                if let f = file, let ff = f, !files.contains(ff) { files.append(ff) }
                return header(2, file: file)
            }
            if case .header = state {
                if first == "index" && ws.count >= 2 {
                    return header(ws.count >= 3 && ws[2].allSatisfy(\.isNumber) && ws[2].count == 6 ? 3 : 2)
                }
                for (prefix, n) in [("new file mode", 4), ("deleted file mode", 4), ("old mode", 3), ("new mode", 3),
                                    ("similarity index", 3), ("dissimilarity index", 3), ("rename from", 3),
                                    ("rename to", 3), ("copy from", 3), ("copy to", 3)] {
                    let pw = prefix.split(separator: " ")
                    if ws.count >= pw.count && zip(ws, pw).allSatisfy({ $0 == $1 }) { return header(n) }
                }
            }
        }
        if activeHunk, case .hunk(let f, let ol, let nl, let key, let cursor) = state {
            if first == "\\" && ws.count >= 6 && ws[1] == "No" {
                return header(6)
            }
            let kind: HunkLine.Kind
            var rest = content
            var marker = ""
            if content.hasPrefix("+") { kind = .added; marker = "+"; rest = content.dropFirst() }
            else if content.hasPrefix("-") { kind = .removed; marker = "-"; rest = content.dropFirst() }
            else { kind = .context; marker = " " }
            let hadSpace = rest.hasPrefix(" ")
            let body = hadSpace ? rest.dropFirst() : rest
            let bws = FlatText.words(body)
            // A line the mail client wrapped before the archive flattened it: its tail came as a
            // line of its own, without a diff marker, right after a changed line left unfinished.
            if kind == .context, let last = previousDiff, last.kind != .context, !bws.isEmpty {
                var join = 0
                if let restWords = last.wrapRest {
                    if restWords.count <= bws.count && zip(restWords, bws).allSatisfy({ $0 == $1 }) { join = restWords.count }
                } else if key == nil && last.unfinished && last.length >= 50 {
                    join = codeEnd(bws[...], comment: false, allowEmpty: false)
                }
                if join > 0 {
                    let tail = bws.prefix(join).joined(separator: " ")
                    out[written[last.written].out] += " " + tail
                    written[last.written].code += " " + tail
                    lastDiff[depth] = nil
                    own(bws.dropFirst(join))
                    return
                }
            }
            var cut: Int
            var newCursor = cursor
            var wrapRest: [Substring]? = nil
            if let key, let (c, at, remainder) = alignCut(bws, kind: kind, key: key, cursor: cursor) {
                cut = c; newCursor = at + 1; aligned += 1
                wrapRest = remainder
            } else {
                let cLike = f.map { isCLike($0) } ?? true
                if cLike && body.hasPrefix("#") {
                    cut = preprocessorEnd(bws[...])
                } else if cLike || f.map(isMakefile) == true {
                    cut = codeEnd(bws[...], comment: FlatText.isCommentLine(body), allowEmpty: true)
                } else {
                    cut = textEnd(bws[...])
                }
                if cut < bws.count || key != nil { guessed += 1; guessedLines.append(out.count) }
                newCursor = cursor + 1
            }
            let code = bws.prefix(cut).joined(separator: " ")
            let lineText = marker + (hadSpace && !code.isEmpty && kind != .context ? " " : "") + code
            var o = ol, n = nl
            switch kind {
            case .added: n -= 1
            case .removed: o -= 1
            case .context: o -= 1; n -= 1
            }
            states[depth] = .hunk(file: f, oldLeft: max(0, o), newLeft: max(0, n), key: key, cursor: newCursor)
            diff += 1
            emitQuoted(depth: depth, lineText)
            if let h = currentHunk[depth] {
                written.append(WrittenDiffLine(out: out.count - 1, hunk: h, kind: kind, code: code,
                                               prefix: String(repeating: ">", count: depth) + " " + marker))
            }
            settle(depth)
            lastDiff[depth] = cut == bws.count && !written.isEmpty
                ? LastDiff(written: written.count - 1, kind: kind, unfinished: Self.unfinished(code, comment: FlatText.isCommentLine(body)),
                           length: code.count, wrapRest: wrapRest)
                : nil
            own(bws.dropFirst(cut))
            return
        }
        lastDiff[depth] = nil
        // A hunk that is complete and not followed by another: the diff is over. What a patch
        // mail has after its diff is git's signature (`-- `, the version): any other text
        // here is the sender's, written after an empty quoted line (`>` then a blank line).
        if case .header = state {
            states[depth] = DiffState.none
            let gitSignature = first == "--" || first.first.map { $0.isNumber } == true
            if !gitSignature && !first.hasPrefix("+") && !first.hasPrefix("-") && !ws.isEmpty && hunkJustCompleted {
                emitQuoted(depth: depth, "")
                own(ws[...])
                return
            }
        }
        // Quoted prose.
        let cut = proseEnd(ws[...])
        let quotedText = ws.prefix(cut).joined(separator: " ")
        if title == nil, depth == 1, !quotedText.isEmpty, !Self.isAttributionText(quotedText) {
            title = String(quotedText.prefix(120))
        }
        emitQuoted(depth: depth, quotedText)
        own(ws.dropFirst(cut))
    }

    static func isAttributionText(_ s: String) -> Bool {
        s.hasSuffix("wrote:") || s.hasSuffix("writes:") || s.hasPrefix("On ") && s.contains(" wrote")
    }

    func isCLike(_ path: String) -> Bool {
        let p = path.lowercased()
        return p.hasSuffix(".c") || p.hasSuffix(".h") || p.hasSuffix(".cc") || p.hasSuffix(".cpp") || p.hasSuffix(".rs")
            || p.hasSuffix(".S") || p.hasSuffix(".s")
    }

    static func hunkHeader(_ a: Substring, _ b: Substring) -> (Int, Int, Int, Int)? {
        func range(_ s: Substring, _ sign: Character) -> (Int, Int)? {
            guard s.first == sign else { return nil }
            let parts = s.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count <= 2, let start = Int(parts[0]) else { return nil }
            let count = parts.count == 2 ? Int(parts[1]) : 1
            guard let count, count >= 0, count < 1_000_000 else { return nil }
            return (start, count)
        }
        guard let o = range(a, "-"), let n = range(b, "+") else { return nil }
        return (o.0, o.1, n.0, n.1)
    }

    // MARK: where a quoted line ends

    /// Words of a code line that belong to it; the rest is the sender's. `allowEmpty`: the whole
    /// content may be prose (a blank line quoted before it).
    func codeEnd(_ ws: ArraySlice<Substring>, comment: Bool, allowEmpty: Bool) -> Int {
        let n = ws.count
        guard n > 0 else { return 0 }
        let base = ws.startIndex
        // A comment that closes on the line (`/* … */`, ` * … */`) ends there; code may follow
        // a `/* … */` that opens the line.
        if comment, let close = ws.firstIndex(where: { $0.hasSuffix("*/") }) {
            let k = close - base + 1
            if k == n { return n }
            let rest = ws[(close + 1)...]
            if ws.first == "*/" || ws.first!.hasPrefix("*") || FlatText.opensProse(rest, strict: false) { return k }
            return k + codeEnd(rest, comment: false, allowEmpty: false)
        }
        var inString = false
        var parens = 0
        var candidates: [(cut: Int, strong: Bool, length: Int)] = []
        var length = 0
        let firstWord = ws.first ?? ""
        let control = ["if", "for", "while", "switch", "else", "do", "}", "case", "default:", "return"].contains(firstWord)
            || firstWord.hasPrefix("if(") || firstWord.hasPrefix("for(") || firstWord.hasPrefix("while(")
        let statement = !comment && !firstWord.hasPrefix("#")
        for i in 0...n {
            // cut before word i
            if i > 0 {
                let w = ws[base + i - 1]
                length += (i > 1 ? 1 : 0) + w.count
                var prev: Character = " "
                for c in w {
                    if c == "\"" && prev != "\\" { inString.toggle() }
                    if !inString { if c == "(" || c == "[" { parens += 1 } else if (c == ")" || c == "]") && parens > 0 { parens -= 1 } }
                    prev = c
                }
            }
            guard i < n, !inString else { continue }
            if i == 0 && !allowEmpty { continue }
            let code = ws[base..<(base + i)]
            let rest = ws[(base + i)...]
            if comment {
                guard FlatText.opensProse(rest, strict: false), i > 0 || !allowEmpty else { continue }
                let last = code.last ?? ""
                let strong = code.count == 1 || last.last.map { ".?!:".contains($0) } == true || last.hasSuffix("*/")
                candidates.append((i, strong, length))
            } else {
                let tail = code.last ?? ""
                if i > 0 && !FlatText.endsCodeLine(tail) { continue }
                // A kernel line holds one statement: what follows its end is not on it.
                if i > 0 && statement && parens == 0 && Self.endsStatement(code, next: rest.first!, control: control) { return i }
                if FlatText.opensProse(rest, strict: i == 0) {
                    return i
                }
            }
        }
        guard comment else { return n }
        // A comment line holds prose of its own: cut only a line too long to be one, or before
        // a reviewer's question or interjection (`Hmm, …?`).
        let total = ws.reduce(0) { $0 + $1.count + 1 }
        guard total > 100 else {
            for c in candidates where c.cut > 1 {
                let rest = ws[(base + c.cut)...]
                let first = rest.first.map { $0.lowercased() } ?? ""
                let interjection = ["hmm,", "hmm", "hmm.", "nit:", "typo:", "why", "shouldn't", "isn't", "what", "how"].contains(first)
                if interjection || rest.prefix(12).contains(where: { $0.hasSuffix("?") }) && rest.count <= 40 { return c.cut }
            }
            return n
        }
        if let s = candidates.first(where: { $0.strong && $0.length <= 100 }) { return s.cut }
        if let l = candidates.last(where: { $0.length <= 100 }) { return l.cut }
        return candidates.first?.cut ?? n
    }

    static let attributeWords: Set<String> = ["__acquires", "__releases", "__must_hold", "__init", "__exit", "__maybe_unused",
                                              "__always_inline", "__cold", "__weak", "__packed", "__aligned", "__attribute__",
                                              "__cond_acquires", "__no_context_analysis", "__user", "__iomem", "__rcu"]

    /// The code so far ends a line for sure: a statement's `;`, an opening `{`, a closing `}`
    /// not followed by `else`/`while`/a name, a function signature's `)` not followed by `{`.
    static func endsStatement(_ code: ArraySlice<Substring>, next: Substring, control: Bool) -> Bool {
        let last = code.last ?? ""
        if next.hasPrefix("/*") || next.hasPrefix("//") || next == "\\" { return false }
        if last.hasSuffix(";") {
            // `do { x; } while (0)`, `{ .a = 1; }` and `case X: a; break;` stay together.
            if next == "}" || next.hasPrefix("break;") || next.hasPrefix("fallthrough;") { return false }
            if code.first == "do" || code.contains("{") && !code.contains("}") { return false }
            return true
        }
        if last.hasSuffix("{") {
            if next == "}" || next.hasPrefix("}") && next.count <= 3 { return false }
            return code.count >= 1 && !(next.hasPrefix(".") && next.contains("="))
        }
        if last == "}" || last == "};" {
            if ["else", "while"].contains(next) || next.hasSuffix(";") || next.hasSuffix(",") || next.hasPrefix(")") { return false }
            return code.count == 1
        }
        if last.hasSuffix(")") && !control {
            // A function's signature: the next line is `{` or an annotation.
            let first = code.first ?? ""
            let typeStart = ["static", "void", "int", "bool", "struct", "unsigned", "long", "u32", "u64", "u8", "u16", "char",
                             "const", "inline", "ssize_t", "size_t", "enum", "extern"].contains(first)
            guard typeStart, code.contains(where: { $0.contains("(") }) else { return false }
            if next == "{" || next.hasPrefix("__") || attributeWords.contains(String(next.prefix { $0 != "(" })) { return false }
            if next.hasPrefix("(") || next == "=" || next == "{}" || next.hasPrefix("[") { return false }
            return true
        }
        return false
    }

    /// Words of a non-code diff line (documentation, Kconfig help, YAML): only an over-long line is cut.
    func textEnd(_ ws: ArraySlice<Substring>) -> Int {
        let n = ws.count
        let total = ws.reduce(0) { $0 + $1.count + 1 } - 1
        guard total > 80 else { return n }
        // Documentation is wrapped near 80 columns: the last capitalised sentence that starts
        // before that is the sender's.
        var length = 0
        var best: Int? = nil
        for i in 0..<n {
            length += (i > 0 ? 1 : 0) + ws[ws.startIndex + i].count
            if length > 80 { break }
            if FlatText.opensProse(ws[(ws.startIndex + i + 1)...], strict: false) { best = i + 1 }
        }
        return best ?? proseEnd(ws)
    }

    func isMakefile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "Makefile" || name.hasSuffix(".mk") || name == "Kbuild"
    }

    /// A preprocessor line: `#ifdef X`, `#include <x>`, `#endif` take a fixed number of words
    /// (and a trailing comment); `#define`/`#if` end where prose opens or at a `\`.
    func preprocessorEnd(_ ws: ArraySlice<Substring>) -> Int {
        let n = ws.count
        guard n > 0 else { return 0 }
        let base = ws.startIndex
        var directive = String(ws[base].dropFirst())
        var start = 1
        if directive.isEmpty, n > 1 { directive = String(ws[base + 1]); start = 2 }
        func withComment(_ k: Int) -> Int {
            guard k < n, ws[base + k].hasPrefix("/*") || ws[base + k].hasPrefix("//") else { return min(k, n) }
            if ws[base + k].hasPrefix("//") { return n }
            var j = k
            while j < n && !ws[base + j].hasSuffix("*/") { j += 1 }
            return min(n, j + 1)
        }
        switch directive {
        case "ifdef", "ifndef", "undef", "include", "include_next":
            return withComment(start + 1)
        case "else", "endif":
            return withComment(start)
        case "define", "if", "elif", "error", "warning", "pragma":
            var inString = false
            for i in (start + 1)..<max(start + 1, n) {
                let w = ws[base + i - 1]
                for c in w where c == "\"" { inString.toggle() }
                if inString { continue }
                if w == "\\" { return i }
                if i > start + 1 || directive != "define", FlatText.opensProse(ws[(base + i)...], strict: false) { return i }
                // `#define GUARD_H_` has no value: prose may follow the name.
                if i == start + 1, directive == "define", FlatText.opensProse(ws[(base + i)...], strict: true) { return i }
            }
            return n
        default:
            return n
        }
    }

    /// Words of a quoted prose line: lines are wrapped near 72-80 columns, so a longer one ends at
    /// the last sentence end before column 80 that a capitalised sentence follows.
    func proseEnd(_ ws: ArraySlice<Substring>) -> Int {
        let n = ws.count
        let base = ws.startIndex
        // A trailer line: it ends after the address.
        if let f = ws.first, f.hasSuffix(":"), f.dropLast().allSatisfy({ $0.isLetter || $0 == "-" }), f.count > 3,
           f.lowercased().hasSuffix("-by:") {
            if let k = ws.firstIndex(where: { $0.hasSuffix(">") }) { return k - base + 1 }
        }
        var length = 0
        var best: Int? = nil
        var inQuote = false
        for i in 0..<n {
            let w = ws[base + i]
            length += (i > 0 ? 1 : 0) + w.count
            for c in w where c == "\"" { inQuote.toggle() }
            if i + 1 >= n { break }
            if length > 80 { break }
            if inQuote { continue }
            if w.hasSuffix("wrote:") && length > 10 { return i + 1 }
            guard w.last.map({ ".?!:".contains($0) }) == true else { continue }
            let next = ws[base + i + 1]
            if next.first.map({ $0.isUppercase }) == true { best = i + 1 }
        }
        let total = ws.reduce(0) { $0 + $1.count + 1 } - 1
        if total <= 80 { return n }
        if let best { return best }
        // A trailer (`Fixes: … ("…")`, `Link: …`) may be long; it is not cut.
        if let f = ws.first, f.hasSuffix(":"), f.dropLast().allSatisfy({ $0.isLetter || $0 == "-" }) { return n }
        // No sentence end: the last capitalised sentence start before column 80, outside quotes.
        length = 0
        inQuote = false
        for i in 0..<(n - 1) {
            let w = ws[base + i]
            length += (i > 0 ? 1 : 0) + w.count
            for c in w where c == "\"" { inQuote.toggle() }
            if length > 80 { break }
            if !inQuote && FlatText.opensProse(ws[(base + i + 1)...], strict: false) { best = i + 1 }
        }
        return best ?? n
    }

    // MARK: the original patch

    func originalHunk(file: String?, oldStart: Int, newStart: Int) -> HunkKey? {
        guard let original else { return nil }
        for (fi, fp) in original.files.enumerated() where file == nil || fp.path == file || fp.oldPath == file {
            for (hi, h) in fp.hunks.enumerated() where h.oldStart == oldStart && h.newStart == newStart {
                return HunkKey(file: fi, hunk: hi)
            }
        }
        return nil
    }

    /// The original line the quoted words begin with, from `cursor` on in the hunk: the number of
    /// words it has and its index.
    func alignCut(_ ws: [Substring], kind: HunkLine.Kind, key: HunkKey, cursor: Int) -> (Int, Int, [Substring]?)? {
        guard let original else { return nil }
        let lines = original.files[key.file].hunks[key.hunk].lines
        var k = cursor
        while k < lines.count {
            let l = lines[k]
            if l.kind == kind {
                let ow = FlatText.words(Substring(l.text))
                if ow.count <= ws.count && zip(ow, ws).allSatisfy({ $0 == $1 }) {
                    // A short line matched far from the expected place is not evidence.
                    if k == cursor || ow.count == ws.count || ow.reduce(0, { $0 + $1.count }) >= 8 {
                        return (ow.count, k, nil)
                    }
                } else if k == cursor && !ws.isEmpty && ws.count < ow.count && zip(ws, ow).allSatisfy({ $0 == $1 }) {
                    // The quoted line is the start of the original one: the mail client wrapped it.
                    return (ws.count, k, Array(ow[ws.count...]))
                }
            }
            k += 1
        }
        return nil
    }

    // MARK: the sender's own text

    mutating func own(_ ws: ArraySlice<Substring>) {
        guard !ws.isEmpty else { return }
        pendingOwn.append(contentsOf: ws)
    }

    mutating func emitOwn(_ s: Substring) {
        own(FlatText.words(s)[...])
    }

    mutating func flushOwn() {
        guard !pendingOwn.isEmpty else { return }
        let ws = pendingOwn
        pendingOwn = []
        if !out.isEmpty && out.last != "" { out.append("") }
        var chunk: [Substring] = []
        func flushChunk(_ out: inout [String]) {
            if !chunk.isEmpty { out.append(contentsOf: FlatText.wrap(Substring(chunk.joined(separator: " ")))) }
            chunk = []
        }
        var i = 0
        while i < ws.count {
            let w = ws[i]
            // `On <date>, X <x@y> wrote:` on its own line.
            if w == "On" {
                if let e = ws[(i + 1)...].prefix(40).firstIndex(where: { $0 == "wrote:" || $0.hasSuffix("wrote:") }) {
                    flushChunk(&out)
                    let a = ws[i...e].joined(separator: " ")
                    if attribution == nil { attribution = a }
                    out.append(a)
                    i = e + 1
                    continue
                }
            }
            // Trailers: `Acked-by: Name <a@b>` on a line of its own.
            if w.hasSuffix(":"), w.count > 4, w.first!.isUppercase, w.dropLast().allSatisfy({ $0.isLetter || $0 == "-" }),
               w.lowercased().hasSuffix("-by:") {
                if let e = ws[(i + 1)...].prefix(8).firstIndex(where: { $0.hasSuffix(">") || $0.contains("@") && !$0.hasPrefix("<") }) {
                    flushChunk(&out)
                    let t = ws[i...e].joined(separator: " ")
                    out.append(t)
                    if sender == nil || !w.lowercased().hasPrefix("signed-off") {
                        if let a = Self.address(ws[(i + 1)...e]) { sender = a }
                    }
                    i = e + 1
                    if i < ws.count { out.append("") }
                    continue
                }
            }
            chunk.append(w)
            i += 1
        }
        flushChunk(&out)
        out.append("")
    }

    static func address(_ ws: ArraySlice<Substring>) -> Address? {
        guard let last = ws.last else { return nil }
        var email = String(last)
        if email.hasPrefix("<") { email.removeFirst() }
        if email.hasSuffix(">") { email.removeLast() }
        guard email.contains("@") else { return nil }
        let name = ws.dropLast().joined(separator: " ").trimmingFlat(CharacterSetLite.quotes)
        return Address(name: name.isEmpty ? nil : name, email: email)
    }

    /// `On Mon, 15 Feb 2021 20:15:47 -0500 Tony Krowiak <a@b> wrote:` → the author and the date.
    /// The author's address (when the attribution gives one), the date and the author's name.
    static func parseAttribution(_ a: String) -> (Address?, String?, String?) {
        var ws = FlatText.words(Substring(a))
        guard ws.first == "On", ws.last?.hasSuffix("wrote:") == true else { return (nil, nil, nil) }
        ws.removeFirst(); ws.removeLast()
        // The date ends with a zone (`-0500`, `+0100`, `UTC`, `GMT`) or a time; the name follows.
        var dateEnd = -1
        for (i, w) in ws.enumerated() {
            let t = String(w).trimmingFlat(CharacterSetLite.punctuation)
            if (t.hasPrefix("+") || t.hasPrefix("-")) && t.count == 5 && t.dropFirst().allSatisfy(\.isNumber) { dateEnd = i; break }
            if ["UTC", "GMT", "CET", "CEST", "PST", "PDT", "EST", "EDT", "AM", "PM"].contains(t) { dateEnd = i }
            if t.filter({ $0 == ":" }).count >= 1 && t.allSatisfy({ $0.isNumber || $0 == ":" }) && dateEnd < i { dateEnd = i }
        }
        guard dateEnd >= 0 else { return (nil, nil, nil) }
        let date = ws[...dateEnd].joined(separator: " ").trimmingFlat(CharacterSetLite.punctuation)
        let who = ws[(dateEnd + 1)...]
        var email: String? = nil
        var nameWords: [Substring] = []
        for w in who {
            if w.hasPrefix("<") && w.contains("@") { email = String(w.dropFirst().prefix { $0 != ">" }) } else if email == nil { nameWords.append(w) }
        }
        var name = nameWords.joined(separator: " ")
        if name.hasPrefix(",") { name.removeFirst() }
        name = name.trimmingFlat(CharacterSetLite.quotes)
        let address = email.map { Address(name: name.isEmpty ? nil : name, email: $0) }
        return (address, date.isEmpty ? nil : date, name.isEmpty ? nil : name)
    }
}

/// Small character sets without Foundation.
enum CharacterSetLite {
    static let quotes: Set<Character> = ["\"", "'", " ", ","]
    static let punctuation: Set<Character> = [",", ".", ";", " "]
}

extension String {
    func trimmingFlat(_ set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - indentation

/// Flattening took the indentation of the quoted code; the rules read columns (a `}` or a name in
/// column 0 ends a function). Each C hunk's lines get tabs again from their brace depth, each side
/// of the diff counted on its own; the hunk starts as deep as its closing braces need (and inside
/// a function when its section names one and its first line is a statement).
enum Indenter {
    static func restore(_ out: inout [String], _ lines: [(Int, Int, HunkLine.Kind, String, String)],
                        _ hunks: [(section: String, cLike: Bool)]) {
        var byHunk: [Int: [(Int, HunkLine.Kind, String, String)]] = [:]
        for (o, h, k, c, p) in lines { byHunk[h, default: []].append((o, k, c, p)) }
        for (h, ls) in byHunk.sorted(by: { $0.key < $1.key }) where hunks[h].cLike {
            var depths: [Int: Int] = [:]
            var continued: Set<Int> = []
            var need = 0
            var sideDepths: [[Int: Int]] = []
            for side in [HunkLine.Kind.removed, .added] {
                var d = 0, low = 0
                var inComment = false
                var parens = 0
                var mine: [Int: Int] = [:]
                for (o, k, c, _) in ls where k == .context || k == side {
                    var lead = 0
                    var leading = true
                    // A hunk may start inside a comment: ` * text` lines are comment.
                    if !inComment && (c == "*" || c.hasPrefix("* ") || c.hasPrefix("*/")) { inComment = true }
                    var i = c.startIndex
                    var inString: Character? = nil
                    while i < c.endIndex {
                        let ch = c[i]
                        let next = c.index(after: i) < c.endIndex ? c[c.index(after: i)] : nil
                        if inComment {
                            if ch == "*" && next == "/" { inComment = false; i = c.index(after: i) }
                        } else if let q = inString {
                            if ch == "\\" { i = next == nil ? i : c.index(after: i) } else if ch == q { inString = nil }
                        } else if ch == "/" && next == "*" {
                            inComment = true; i = c.index(after: i)
                        } else if ch == "/" && next == "/" {
                            break
                        } else if ch == "\"" || ch == "'" {
                            inString = ch
                        } else if ch == "{" {
                            d += 1; leading = false
                        } else if ch == "}" {
                            d -= 1
                            if leading { lead += 1 }
                            low = min(low, d)
                        } else if ch == "(" {
                            parens += 1; leading = false
                        } else if ch == ")" {
                            parens = max(0, parens - 1); leading = false
                        } else if ch != " " {
                            leading = false
                        }
                        i = c.index(after: i)
                    }
                    // Depth before the line's own closing braces are counted: the line sits at the
                    // depth after its leading `}`s.
                    mine[o] = lineDepth(c, after: d, lead: lead)
                    if parens > 0 && !c.hasSuffix("{") { continued.insert(o) }
                }
                need = max(need, -low)
                sideDepths.append(mine)
            }
            let section = hunks[h].section
            let first = ls.first { !$0.2.isEmpty && !$0.2.hasPrefix("*") && !$0.2.hasPrefix("/*") }?.2 ?? ""
            if need == 0 && section.contains("(") && !section.hasSuffix(";") && isStatement(first) { need = 1 }
            for (o, k, _, _) in ls {
                let m = k == .removed ? sideDepths[0] : sideDepths[1]
                depths[o] = (m[o] ?? 0) + need
            }
            var prevContinued = false
            for (o, _, c, p) in ls {
                var tabs = max(0, depths[o] ?? 0)
                if prevContinued { tabs += 1 }
                prevContinued = continued.contains(o)
                let text: String
                if c.isEmpty {
                    text = ""
                } else if c.hasPrefix("#") || (tabs == 0 && isLabel(c)) {
                    text = c
                } else if c.hasPrefix("*") {
                    text = String(repeating: "\t", count: tabs) + " " + c
                } else {
                    text = String(repeating: "\t", count: tabs) + c
                }
                out[o] = p + text
            }
        }
    }

    /// The depth a line sits at: the depth after it, less what it opened, after its leading `}`s.
    static func lineDepth(_ c: String, after d: Int, lead: Int) -> Int {
        var opened = 0
        var closedAfterLead = 0
        var seenLead = 0
        var leading = true
        for ch in c {
            if ch == "}" { if leading { seenLead += 1 } else { closedAfterLead += 1 } }
            else if ch == "{" { opened += 1; leading = false }
            else if ch != " " { leading = false }
        }
        _ = seenLead
        // d = start - lead + opened - closedAfterLead
        let start = d + lead - opened + closedAfterLead
        return start - lead
    }

    static let statementStarts: Set<String> = ["return", "if", "else", "for", "while", "do", "switch", "case", "default:",
                                               "goto", "break;", "continue;", "}", "mutex_lock", "spin_lock"]

    static func isStatement(_ s: String) -> Bool {
        let w = s.split(separator: " ").first.map(String.init) ?? ""
        if statementStarts.contains(w) || w.hasPrefix("if(") || w.hasPrefix("return") { return true }
        if s.hasPrefix("static ") || s.hasPrefix("struct ") && s.hasSuffix("{") || s.hasPrefix("#") || s.hasPrefix("EXPORT_")
            || s.hasPrefix("MODULE_") { return false }
        return s.hasSuffix(";") && (s.contains("=") || s.contains("->") || s.contains("("))
    }

    static func isLabel(_ s: String) -> Bool {
        s.hasSuffix(":") && s.dropLast().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && s != "default:"
    }
}
