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

    /// The function a hunk header's section names (`static int foo(struct x *a,` → foo, [a]).
    static func sectionFunction(_ section: String) -> (String, [String])? {
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
                return (name, FunctionFinder.parameterNames(toks, open: i, close: close))
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
            let opensBody = toks[0].isPunct("{") && toks[0].column == 0
            if let (name, params) = sectionFunction(seg.section), toks[0].column > 0 || toks[0].isPunct("}") || opensBody {
                var d = 0
                var end = toks.count
                var endVisible = false
                var i = opensBody ? 1 : 0
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
                let body = Array(toks[(opensBody ? 1 : 0)..<end])
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
