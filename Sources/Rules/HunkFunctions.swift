import Patch

/// Rebuilds the functions a patch's hunks show, as they were before and after the patch.
enum HunkFunctions {
    enum Side { case old, new }

    static func isC(_ path: String) -> Bool {
        path.hasSuffix(".c") || path.hasSuffix(".h")
    }

    struct Segment {
        var firstLine: Int
        var lines: [String]
        var section: String
    }

    /// Contiguous runs of one side's lines (adjacent hunks merge).
    static func segments(_ fp: FilePatch, side: Side) -> [Segment] {
        var out: [Segment] = []
        for h in fp.hunks {
            var lines: [String] = []
            var first: Int?
            for l in h.lines {
                switch side {
                case .old:
                    guard l.kind != .added, let n = l.oldLine else { continue }
                    if first == nil { first = n }
                case .new:
                    guard l.kind != .removed, let n = l.newLine else { continue }
                    if first == nil { first = n }
                }
                lines.append(l.text)
            }
            guard let f = first else { continue }
            if let last = out.last, last.firstLine + last.lines.count == f {
                out[out.count - 1].lines += lines
            } else {
                out.append(Segment(firstLine: f, lines: lines, section: h.section))
            }
        }
        return out
    }

    /// A segment that starts inside the parameter list its section leaves open: the index of the
    /// body's `{` (in column 0, after the list's `)` and nothing but annotations) and the names of
    /// the parameters declared before the `)`.
    static func parameterTail(_ toks: [CToken]) -> (body: Int, names: [String])? {
        var depth = 0
        var close: Int?
        for (i, t) in toks.enumerated().prefix(200) {
            if t.isPunct(";") || t.isPunct("=") || t.kind == .gap || t.kind == .preprocessor { return nil }
            if t.isPunct("(") { depth += 1 }
            else if t.isPunct(")") {
                depth -= 1
                if depth < 0 {
                    guard close == nil, depth == -1 else { return nil }
                    close = i
                }
            } else if t.isPunct("{") || t.isPunct("}") {
                guard let c = close, t.isPunct("{"), t.column == 0, depth == -1 else { return nil }
                let list = [CToken(kind: .punctuator, text: "(", line: toks[0].line, endLine: toks[0].line, column: 0)]
                    + toks[0...c]
                return (i, FunctionFinder.parameterNames(list, open: 0, close: list.count - 1))
            }
        }
        return nil
    }

    /// The function a hunk header's section names (`static int foo(struct x *a,` → foo, [a]), and
    /// whether the section leaves its parameter list open (the hunk may start inside it).
    static func sectionFunction(_ section: String) -> (name: String, parameters: [String], listOpen: Bool)? {
        let toks = CLexer.tokenize(section)
        var depth = 0
        for (i, t) in toks.enumerated() {
            if t.isPunct("=") || t.isPunct(";") || t.isPunct("{") && depth == 0 && i == 0 { return nil }
            if t.isPunct("(") {
                guard i > 0, toks[i - 1].kind == .identifier else { return nil }
                let name = toks[i - 1].text
                if ActionExtractor.keywords.contains(name) { return nil }
                var close = toks.count
                var d = 0
                for j in i..<toks.count {
                    if toks[j].isPunct("(") { d += 1 } else if toks[j].isPunct(")") { d -= 1; if d == 0 { close = j; break } }
                }
                return (name, FunctionFinder.parameterNames(toks, open: i, close: close), close == toks.count)
            }
            if t.isPunct("[") { depth += 1 }
        }
        return nil
    }

    static func functions(of fp: FilePatch, side: Side) -> [FunctionSource] {
        var out: [FunctionSource] = []
        for seg in segments(fp, side: side) {
            let text = seg.lines.joined(separator: "\n")
            let toks = CLexer.tokenize(text, options: .init(startsInComment: CLexer.startsInsideComment(text),
                                                             firstLine: seg.firstLine))
            guard !toks.isEmpty else { continue }
            var start = 0
            // A head fragment: the segment starts inside the function the section names.
            // A segment that opens with the body's `{` in column 0 (the hunk starts right below the
            // declaration the section shows) holds the function from its start.
            var opensBody = toks[0].isPunct("{") && toks[0].column == 0
            var bodyStart = opensBody ? 1 : 0
            // A label in column 0 (`err_put:`, the kernel's style) is inside a function too: no
            // declaration at file scope reads `name:`.
            let opensWithLabel = toks[0].kind == .identifier && toks.count > 1 && toks[1].isPunct(":")
            if let section = sectionFunction(seg.section),
               toks[0].column > 0 || toks[0].isPunct("}") || opensBody || opensWithLabel {
                let name = section.name
                var params = section.parameters
                // …or that opens inside the parameter list the section leaves open (`static int
                // foo(struct bar *b,` above `\t\tint flags)` and `{`): the rest of the list, then
                // the body from its start.
                if !opensBody, section.listOpen, let tail = parameterTail(toks) {
                    opensBody = true
                    bodyStart = tail.body + 1
                    params += tail.names
                }
                var d = 0
                var end = toks.count
                var endVisible = false
                var i = bodyStart
                while i < toks.count {
                    let t = toks[i]
                    if t.isPunct("{") { d += 1 }
                    else if t.isPunct("}") {
                        if t.column == 0 && d <= 0 { end = i; endVisible = true; break }
                        d -= 1
                    } else if t.column == 0, d <= 0, t.kind == .identifier, !(i + 1 < toks.count && toks[i + 1].isPunct(":")) {
                        end = i; break
                    }
                    i += 1
                }
                let body = Array(toks[min(bodyStart, end)..<end])
                let endLine = endVisible ? toks[end].line : (body.last?.endLine ?? seg.firstLine)
                var fn = FunctionSource(name: name, parameters: params, tokens: body, startLine: toks[0].line,
                                        endLine: endLine, startVisible: opensBody, endVisible: endVisible)
                // Continues a function an earlier segment left open?
                if let last = out.last, last.name == name, !last.endVisible {
                    var joined = out.removeLast()
                    let gapLine = max(joined.endLine, toks[0].line - 1)
                    joined.tokens.append(CToken(kind: .gap, text: "", line: gapLine, endLine: gapLine, column: 0))
                    joined.tokens += body
                    joined.endLine = endLine
                    joined.endVisible = endVisible
                    fn = joined
                }
                if !body.isEmpty || fn.endVisible { out.append(fn) }
                start = endVisible ? end + 1 : end
            }
            if start < toks.count {
                out += FunctionFinder.functions(in: Array(toks[start...]))
            }
        }
        return out
    }
}
