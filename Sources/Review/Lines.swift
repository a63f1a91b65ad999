// Body lines and their quote markers, on UTF-8 bytes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline let chSpace = UInt8(ascii: " ")
@usableFromInline let chTab = UInt8(ascii: "\t")
@usableFromInline let chGT = UInt8(ascii: ">")
@usableFromInline let chBar = UInt8(ascii: "|")
@usableFromInline let chCR = UInt8(ascii: "\r")
@usableFromInline let chLF = UInt8(ascii: "\n")

@inline(__always) func isBlankByte(_ c: UInt8) -> Bool { c == chSpace || c == chTab || c == chCR || c == 0x0B || c == 0x0C }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
@inline(__always) func isIdentByte(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == UInt8(ascii: "_") }

/// One physical body line.
struct BodyLine {
    /// Raw bytes [start, end) without the line feed (and without a trailing CR).
    var start: Int
    var end: Int
    /// Number of quote markers.
    var depth: Int
    /// Content after the markers and one optional space.
    var cstart: Int
    /// Content after the markers with no space removed (for mail clients that drop it).
    var rawContentStart: Int
    /// Content end with trailing white space removed.
    var tend: Int
    /// A space followed the last marker.
    var hadSpace: Bool
    var isBlank: Bool { cstart >= tend }
    var contentLength: Int { tend - cstart }
}

/// The body as bytes plus its lines.
struct Body {
    let bytes: [UInt8]
    var lines: [BodyLine]

    init(_ text: String) {
        self.bytes = Body.normalizingSpaces(Array(text.utf8))
        self.lines = []
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            // Count the lines first: one allocation for the line table.
            var count = 1, k = 0
            while k < b.count, let hit = memchr(base + k, Int32(chLF), b.count - k) {
                count += 1
                k = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
            }
            lines.reserveCapacity(count)
            var s = 0
            let n = b.count
            while s < n {
                let e = memchr(base + s, Int32(chLF), n - s).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
                var lineEnd = e
                if lineEnd > s && b[lineEnd - 1] == chCR { lineEnd -= 1 }
                lines.append(Body.scan(b, s, lineEnd))
                s = e + 1
            }
        }
    }

    /// Some clients (Evolution) quote with no-break spaces: U+00A0 becomes a plain space, so that
    /// `> >\u{a0} static` reads as a context line.
    static func normalizingSpaces(_ b: [UInt8]) -> [UInt8] {
        guard b.withUnsafeBufferPointer({ p in
            guard let base = p.baseAddress else { return false }
            var k = 0
            while k + 1 < p.count {
                guard let hit = memchr(base + k, 0xC2, p.count - 1 - k) else { return false }
                k = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                if p[k + 1] == 0xA0 { return true }
                k += 1
            }
            return false
        }) else { return b }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        b.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var k = 0
            while k < p.count {
                // Copy up to the next 0xC2 in one piece.
                let hit = memchr(base + k, 0xC2, p.count - k).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? p.count
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[k..<hit]))
                k = hit
                guard k < p.count else { break }
                if k + 1 < p.count && p[k + 1] == 0xA0 { out.append(chSpace); k += 2 } else { out.append(0xC2); k += 1 }
            }
        }
        return out
    }

    /// Reads the quote markers: `>`, `> >`, `>>`, `> > >`, up to three spaces before the first `>`,
    /// and `|` as a leading marker (unless the line looks like a table row ending in `|`).
    static func scan(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> BodyLine {
        var i = s
        var depth = 0
        var j = s
        while j < e && j - s < 3 && b[j] == chSpace { j += 1 }
        if j < e && b[j] == chGT { i = j }
        var tend = e
        while tend > s && isBlankByte(b[tend - 1]) { tend -= 1 }
        if i < e && b[i] == chBar && (i + 1 == e || b[i + 1] == chSpace) && !(tend - 1 > i && b[tend - 1] == chBar) {
            depth = 1
            i += 1
            if i + 1 < e && b[i] == chSpace && b[i + 1] == chGT { i += 1 }
        }
        var hadSpace = false
        while i < e && b[i] == chGT {
            depth += 1
            i += 1
            // `> >`: a single space between markers
            if i + 1 < e && b[i] == chSpace && b[i + 1] == chGT { i += 1 }
        }
        let raw = i
        if depth > 0 && i < e && b[i] == chSpace { i += 1; hadSpace = true }
        if depth == 0 { i = s }
        if tend < i { tend = i }
        return BodyLine(start: s, end: e, depth: depth, cstart: i, rawContentStart: depth == 0 ? s : raw,
                        tend: tend, hadSpace: hadSpace)
    }

    @inline(__always) func string(_ s: Int, _ e: Int) -> String {
        guard e > s else { return "" }
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
    /// Lines `range` joined with line feeds, each from its content start (or its raw start when
    /// `raw`) to its trimmed end; with `kinds`, only the lines of kind `only`. One allocation.
    func joined(_ range: Range<Int>, raw: Bool, kinds: [LineKind]? = nil, only: LineKind = .quote) -> String {
        var total = 0
        var count = 0
        for k in range where kinds.map({ $0[k] == only }) ?? true {
            let l = lines[k]
            total += max(0, l.tend - (raw ? l.start : l.cstart))
            count += 1
        }
        if count == 0 { return "" }
        total += count - 1
        if total == 0 { return "" }
        return bytes.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: total) { dst in
                var o = 0
                var first = true
                for k in range where kinds.map({ $0[k] == only }) ?? true {
                    if !first { dst[o] = chLF; o += 1 }
                    first = false
                    let l = lines[k]
                    let s = raw ? l.start : l.cstart
                    if l.tend > s {
                        let n = l.tend - s
                        UnsafeMutableRawPointer(dst.baseAddress! + o).copyMemory(from: src.baseAddress! + s, byteCount: n)
                        o += n
                    }
                }
                return o
            }
        }
    }

    /// Content of a line (markers removed, trailing blanks kept out).
    func content(_ i: Int) -> String { string(lines[i].cstart, lines[i].tend) }

    @inline(__always) func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// Does the content of line `i` start with `p` (ASCII)?
    func contentHasPrefix(_ i: Int, _ p: StaticString) -> Bool {
        hasPrefix(lines[i].cstart, lines[i].tend, p)
    }
    @inline(__always) func hasPrefix(_ s: Int, _ e: Int, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        guard e - s >= n, s >= 0, e <= bytes.count else { return false }
        let q = p.utf8Start
        return bytes.withUnsafeBufferPointer { b in
            // Most calls fail on the first byte.
            guard n == 0 || b[s] == q[0] else { return false }
            var k = 1
            while k < n { if b[s + k] != q[k] { return false }; k += 1 }
            return true
        }
    }
    @inline(__always) func hasSuffix(_ s: Int, _ e: Int, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        guard e - s >= n, s >= 0, e <= bytes.count else { return false }
        let q = p.utf8Start
        return bytes.withUnsafeBufferPointer { b in
            var k = 0
            while k < n { if b[e - n + k] != q[k] { return false }; k += 1 }
            return true
        }
    }
    func equals(_ s: Int, _ e: Int, _ p: StaticString) -> Bool { e - s == p.utf8CodeUnitCount && hasPrefix(s, e, p) }
}
