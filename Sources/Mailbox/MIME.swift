import Foundation

// The MIME walk: multipart splitting with depth and part limits, transfer decoding, charset
// decoding, format=flowed, and the choice of the text part a reviewer reads.

struct MIMEResult {
    var tree: MIMEPart
    var bodyParts: [String] = []
    var patches: [Attachment] = []
    var htmlFallback: String?
    var warnings: [ParseWarning] = []
    var partCount = 0
}

enum MIMEWalker {
    static func walk(headers: [RawHeader], body: ArraySlice<UInt8>, limits: ParseLimits, result: inout MIMEResult) {
        result.tree = walkPart(headers: headers, body: body, depth: 0, parentType: nil, limits: limits, result: &result)
    }

    private static func header(_ headers: [RawHeader], _ key: String) -> String? {
        guard let h = headers.first(where: { $0.key == key }) else { return nil }
        return EncodedWords.decodeRaw(h.value)
    }

    private static func walkPart(headers: [RawHeader], body: ArraySlice<UInt8>, depth: Int, parentType: String?,
                                 limits: ParseLimits, result: inout MIMEResult) -> MIMEPart {
        result.partCount += 1
        let defaultType = parentType == "multipart/digest" ? "message/rfc822" : "text/plain"
        let ct = ContentType.parse(header(headers, "content-type")) ?? ContentType(type: defaultType, params: [:])
        let cte = header(headers, "content-transfer-encoding")?.trimmingWhitespace().lowercased()
        let (disposition, dispParams) = header(headers, "content-disposition").map { ContentType.parseValueWithParams($0) } ?? ("", [:])
        var filename = dispParams["filename"] ?? ct.params["name"]
        if let f = filename, EncodedWords.containsEncodedWordStart(Array(f.utf8)[...]) {
            var w: [ParseWarning] = []
            filename = EncodedWords.decode(Array(f.utf8)[...], warnings: &w)
        }
        var part = MIMEPart(contentType: ct.type, charset: ct.params["charset"], transferEncoding: cte,
                            filename: filename, disposition: disposition.isEmpty ? nil : disposition.lowercased())

        if ct.isMultipart {
            guard let boundary = ct.params["boundary"], !boundary.isEmpty else {
                result.warnings.append(ParseWarning(.missingBoundary, "\(ct.type) without a boundary; treated as text"))
                part.contentType = "text/plain"
                return leaf(part: part, ct: ContentType(type: "text/plain", params: ct.params), cte: cte, body: body, limits: limits, result: &result)
            }
            if depth >= limits.maxMIMEDepth {
                result.warnings.append(ParseWarning(.mimeTooDeep, "multipart nesting deeper than \(limits.maxMIMEDepth); inner parts ignored"))
                part.role = "skipped"
                return part
            }
            let (parts, closed) = splitMultipart(body, boundary: Array(boundary.utf8))
            if !closed {
                result.warnings.append(ParseWarning(.unclosedMultipart, "multipart boundary \"\(boundary.prefix(70))\" never closes"))
            }
            var children: [MIMEPart] = []
            var alternatives: [(Int, String)] = []
            for p in parts {
                if result.partCount >= limits.maxParts {
                    result.warnings.append(ParseWarning(.tooManyParts, "more than \(limits.maxParts) MIME parts; the rest ignored"))
                    break
                }
                var hw: [ParseWarning] = []
                let (ph, start) = parsePartHeaders(p, limits: limits, warnings: &hw)
                if ct.type == "multipart/alternative" {
                    // choose afterwards: parse into a scratch result
                    var scratch = MIMEResult(tree: part)
                    scratch.partCount = result.partCount
                    let child = walkPart(headers: ph, body: p[start...], depth: depth + 1, parentType: ct.type, limits: limits, result: &scratch)
                    result.partCount = scratch.partCount
                    result.warnings.append(contentsOf: scratch.warnings)
                    children.append(child)
                    alternatives.append((children.count - 1, scratch.bodyParts.joined(separator: "\n")))
                    if !scratch.patches.isEmpty { result.patches.append(contentsOf: scratch.patches) }
                    if result.htmlFallback == nil, let h = scratch.htmlFallback { result.htmlFallback = h }
                    continue
                }
                children.append(walkPart(headers: ph, body: p[start...], depth: depth + 1, parentType: ct.type, limits: limits, result: &result))
            }
            if ct.type == "multipart/alternative" {
                // Prefer the text/plain alternative; mark the others skipped.
                let plainIdx = alternatives.first { !$0.1.isEmpty }
                for (i, _) in alternatives where i != plainIdx?.0 { markSkipped(&children[i]) }
                if let (_, text) = plainIdx { result.bodyParts.append(text) }
            }
            part.children = children
            return part
        }
        if ct.type == "message/rfc822" || ct.type == "message/global" {
            if depth >= limits.maxMIMEDepth {
                result.warnings.append(ParseWarning(.mimeTooDeep, "nested messages deeper than \(limits.maxMIMEDepth)"))
                return part
            }
            var hw: [ParseWarning] = []
            let (ph, start) = parsePartHeaders(body, limits: limits, warnings: &hw)
            var inner = MIMEResult(tree: part)
            inner.partCount = result.partCount
            let child = walkPart(headers: ph, body: body[start...], depth: depth + 1, parentType: nil, limits: limits, result: &inner)
            result.partCount = inner.partCount
            part.children = [child]
            part.role = "attached message"
            return part
        }
        return leaf(part: part, ct: ct, cte: cte, body: body, limits: limits, result: &result)
    }

    private static func markSkipped(_ p: inout MIMEPart) {
        if p.role == "body" || p.role.isEmpty { p.role = "alternative (not used)" }
        for i in p.children.indices { markSkipped(&p.children[i]) }
    }

    private static func parsePartHeaders(_ p: ArraySlice<UInt8>, limits: ParseLimits, warnings: inout [ParseWarning]) -> ([RawHeader], Int) {
        // A part that begins with a blank line has no headers.
        if let f = p.first, f == LF || (f == CR && p.dropFirst().first == LF) {
            return ([], f == LF ? p.startIndex + 1 : p.startIndex + 2)
        }
        let (h, start) = HeaderParser.parse(p, limits: limits, warnings: &warnings)
        return (h, start)
    }

    /// Splits a multipart body at its delimiter lines. Returns the parts and whether the closing
    /// delimiter was found.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> ([ArraySlice<UInt8>], Bool) {
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var i = body.startIndex
        let end = body.endIndex
        let bl = boundary.count
        while i < end {
            var j = i
            while j < end, body[j] != LF { j += 1 }
            // line is body[i..<j]
            if j - i >= bl + 2, body[i] == UInt8(ascii: "-"), body[i + 1] == UInt8(ascii: "-"),
               body[(i + 2)..<(i + 2 + bl)].elementsEqual(boundary) {
                var k = i + 2 + bl
                let isClose = k + 1 < j && body[k] == UInt8(ascii: "-") && body[k + 1] == UInt8(ascii: "-")
                if isClose { k += 2 }
                // the rest of the line may only be whitespace
                var rest = k
                while rest < j, isSpaceByte(body[rest]) { rest += 1 }
                if rest == j {
                    if let s = partStart {
                        // the line break before the delimiter belongs to it
                        var e = i
                        if e > s, body[e - 1] == LF { e -= 1 }
                        if e > s, body[e - 1] == CR { e -= 1 }
                        parts.append(body[s..<e])
                    }
                    if isClose { return (parts, true) }
                    partStart = j < end ? j + 1 : end
                }
            }
            i = j < end ? j + 1 : end
        }
        if let s = partStart, s < end { parts.append(body[s..<end]) } else if let s = partStart, s == end { parts.append(body[s..<end]) }
        return (parts, false)
    }

    private static func isPatchAttachment(_ ct: ContentType, filename: String?) -> Bool {
        if ["text/x-patch", "text/x-diff", "application/x-patch", "text/x-diff; charset=utf-8", "application/x-diff"].contains(ct.type) { return true }
        if let f = filename?.lowercased(), f.hasSuffix(".patch") || f.hasSuffix(".diff") { return true }
        return false
    }

    private static func leaf(part p: MIMEPart, ct: ContentType, cte: String?, body: ArraySlice<UInt8>, limits: ParseLimits, result: inout MIMEResult) -> MIMEPart {
        var part = p
        var decoded: [UInt8]
        var bad = 0
        switch cte ?? "7bit" {
        case "quoted-printable":
            decoded = TransferDecoding.quotedPrintable(body, invalid: &bad)
            if bad > 0 { result.warnings.append(ParseWarning(.badQuotedPrintable, "\(bad) invalid quoted-printable escape(s) kept as written")) }
        case "base64":
            decoded = TransferDecoding.base64(body, invalid: &bad)
            if bad > 0 { result.warnings.append(ParseWarning(.badBase64, "\(bad) invalid base64 character(s) skipped")) }
        case "7bit", "8bit", "binary", "":
            decoded = Array(body)
        default:
            result.warnings.append(ParseWarning(.unknownTransferEncoding, "unknown Content-Transfer-Encoding \(cte ?? ""); used as 8bit"))
            decoded = Array(body)
        }
        if decoded.count > limits.maxDecodedBytes {
            result.warnings.append(ParseWarning(.messageTooLarge, "decoded part larger than \(limits.maxDecodedBytes) bytes was cut"))
            decoded.removeSubrange(limits.maxDecodedBytes...)
        }
        part.size = decoded.count
        let patchy = isPatchAttachment(ct, filename: part.filename)
        let isAttachment = part.disposition == "attachment"
        if patchy {
            let text = decodeText(decoded, ct: ct, result: &result)
            result.patches.append(Attachment(filename: part.filename, contentType: ct.type, text: text))
            part.role = "patch"
            return part
        }
        if ct.type == "text/plain" && !isAttachment || ct.type == "text/plain" && isAttachment && part.filename == nil {
            var text = decodeText(decoded, ct: ct, result: &result)
            if ct.params["format"]?.lowercased() == "flowed" {
                text = Flowed.decode(text, delSp: ct.params["delsp"]?.lowercased() == "yes")
            }
            result.bodyParts.append(text)
            part.role = "body"
            return part
        }
        if ct.type == "text/html" && !isAttachment {
            if result.htmlFallback == nil { result.htmlFallback = HTMLText.toText(decodeText(decoded, ct: ct, result: &result)) }
            part.role = "html"
            return part
        }
        part.role = isAttachment ? "attachment" : "skipped"
        return part
    }

    static func decodeText(_ bytes: [UInt8], ct: ContentType, result: inout MIMEResult) -> String {
        var b = bytes
        let cs = ct.params["charset"]
        if !Charset.isStatefulCharset(cs) || cs?.lowercased().hasPrefix("iso-2022") == true {
            // CRLF → LF, drop NUL; a lone CR is content (as in git mailinfo) and stays
            // memchr finds both (vectorised by libc); most text has neither.
            let (hasCR, hasNUL) = b.withUnsafeBufferPointer { p -> (Bool, Bool) in
                guard let base = p.baseAddress else { return (false, false) }
                return (memchr(base, Int32(CR), p.count) != nil, memchr(base, 0, p.count) != nil)
            }
            if hasCR || hasNUL {
                var out: [UInt8] = []
                out.reserveCapacity(b.count)
                b.withUnsafeBufferPointer { p in
                    // Copy the runs between CR and NUL bytes whole.
                    var i = 0
                    var run = 0
                    while i < p.count {
                        let x = p[i]
                        if x == 0 || x == CR && i + 1 < p.count && p[i + 1] == LF {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i]))
                            i += 1
                            run = i
                            continue
                        }
                        i += 1
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<p.count]))
                }
                if hasNUL { result.warnings.append(ParseWarning(.nulBytes, "NUL bytes removed from the text")) }
                b = out
            }
        }
        let (s, w) = Charset.decodeWithFallback(b[...], charset: cs)
        if let w { result.warnings.append(w) }
        return s
    }
}

/// RFC 3676 format=flowed: joins soft-broken lines (those ending in a space), per quote depth.
/// Works on the text's UTF-8 bytes (it only cuts at ASCII bytes, so the result stays valid).
enum Flowed {
    static func decode(_ text: String, delSp: Bool) -> String {
        var text = text
        return text.withUTF8 { decode(bytes: $0, delSp: delSp) }
    }

    static func decode(bytes p: UnsafeBufferPointer<UInt8>, delSp: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(p.count + 16)
        var pending: [UInt8] = []
        var hasPending = false
        var pendingDepth = -1
        var firstLine = true
        func emit(_ depth: Int, _ content: [UInt8]) {
            if !firstLine { out.append(LF) }
            firstLine = false
            if depth > 0 {
                for _ in 0..<depth { out.append(UInt8(ascii: ">")) }
                out.append(SP)
            }
            out.append(contentsOf: content)
        }
        let n = p.count
        var lo = 0
        while true {
            var hi = lo
            while hi < n, p[hi] != LF { hi += 1 }
            // the line is p[lo..<hi]; a text ending in LF has a last, empty line
            var i = lo
            var depth = 0
            while i < hi, p[i] == UInt8(ascii: ">") { depth += 1; i += 1 }
            if i < hi, p[i] == SP { i += 1 } // space-stuffing
            let isSig = hi - i == 3 && p[i] == UInt8(ascii: "-") && p[i + 1] == UInt8(ascii: "-") && p[i + 2] == SP
            // A line of spaces only is no soft break: nothing on it flows into the next line. A
            // quoted patch's blank context line (` `) reaches a flowed reply as `>  `, and joining
            // it to the next quoted line would lose a line of the diff.
            var onlySpaces = true
            var k = i
            while k < hi { if p[k] != SP { onlySpaces = false; break }; k += 1 }
            let flowedLine = hi > i && p[hi - 1] == SP && !isSig && !onlySpaces
            let contentEnd = flowedLine && delSp ? hi - 1 : hi
            let content = UnsafeBufferPointer(rebasing: p[i..<contentEnd])
            if hasPending && depth == pendingDepth {
                pending.append(contentsOf: content)
            } else {
                if hasPending { emit(pendingDepth, pending) }
                pending.removeAll(keepingCapacity: true)
                pending.append(contentsOf: content)
                hasPending = true
                pendingDepth = depth
            }
            if !flowedLine {
                emit(depth, pending)
                pending.removeAll(keepingCapacity: true)
                hasPending = false
                pendingDepth = -1
            }
            if hi >= n { break }
            lo = hi + 1
        }
        if hasPending { emit(pendingDepth, pending) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A crude HTML to text conversion for mail that has only an HTML part.
enum HTMLText {
    static func toText(_ html: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        var skipping = false
        for ch in html {
            if inTag {
                if ch == ">" {
                    inTag = false
                    let t = tag.lowercased()
                    if t.hasPrefix("script") || t.hasPrefix("style") { skipping = true }
                    if t.hasPrefix("/script") || t.hasPrefix("/style") { skipping = false }
                    if t.hasPrefix("br") || t.hasPrefix("/p") || t.hasPrefix("/div") || t.hasPrefix("p ") || t == "p" || t.hasPrefix("/tr") || t.hasPrefix("/li") { out.append("\n") }
                    tag = ""
                } else { tag.append(ch) }
                continue
            }
            if ch == "<" { inTag = true; continue }
            if !skipping && ch != "\r" { out.append(ch) }
        }
        return out.replacingEntities()
    }
}

extension String {
    func replacingEntities() -> String {
        guard utf8.contains(UInt8(ascii: "&")) else { return self }
        var s = self
        for (e, r) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            s = s.replacingAll(e, with: r)
        }
        return s
    }

    /// Replaces every occurrence of `target`, comparing UTF-8 bytes (Foundation's `range(of:)`
    /// costs thousands of instructions per call; this runs once per message).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let t = Array(target.utf8)
        var copy = self
        return copy.withUTF8 { p -> String in
            var out: [UInt8] = []
            var found = false
            var last = 0
            var i = 0
            let n = p.count, m = t.count
            while i + m <= n {
                if p[i] == t[0] {
                    var k = 1
                    while k < m, p[i + k] == t[k] { k += 1 }
                    if k == m {
                        if !found { found = true; out.reserveCapacity(n) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last..<i]))
                        out.append(contentsOf: replacement.utf8)
                        i += m
                        last = i
                        continue
                    }
                }
                i += 1
            }
            guard found else { return self }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last..<n]))
            return String(decoding: out, as: UTF8.self)
        }
    }
}
