// Git's patch-id: the identity of a change regardless of where it applies. Used to tell whether a
// patch of series revision vN+1 is the vN patch unchanged (b4 carries trailers only then).
//
// Computed as `git patch-id --stable` does (builtin/patch-id.c): the text before the first `diff `
// line is ignored; `index` lines and the numbers of `@@` lines are left out; every other line of
// each file's diff has all its whitespace removed and goes into a SHA-1 per file; the file hashes
// are added as 160-bit little-endian numbers, so the order of the files does not matter. The same
// mail body gives the id `git patch-id --stable` prints for it.

public enum PatchID {
    /// The stable patch-id of a patch mail body or diff (40 hex digits), nil when it holds no diff.
    public static func stable(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { stable(UnsafeRawBufferPointer($0)) }
    }

    /// The stable patch-id of the bytes of a mail body or diff.
    public static func stable(_ text: UnsafeRawBufferPointer) -> String? {
        var result = [UInt8](repeating: 0, count: 20)
        var sha = SHA1()
        var seenDiff = false
        var hashedAny = false
        var before = -1, after = -1
        var line: [UInt8] = []
        line.reserveCapacity(256)
        func flush() {
            let h = sha.finish()
            sha = SHA1()
            var carry: UInt16 = 0
            for i in 0..<20 {
                carry += UInt16(result[i]) + UInt16(h[i])
                result[i] = UInt8(truncatingIfNeeded: carry)
                carry >>= 8
            }
        }
        func hasPrefix(_ p: StaticString) -> Bool {
            let n = p.utf8CodeUnitCount
            guard line.count >= n else { return false }
            return p.withUTF8Buffer { b in (0..<n).allSatisfy { line[$0] == b[$0] } }
        }
        var start = 0
        let count = text.count
        var stop = false
        while start < count && !stop {
            var end = start
            while end < count && text[end] != UInt8(ascii: "\n") { end += 1 }
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start..<end]))
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            start = end + 1
            // The commit message before the first diff is not part of the change.
            if !seenDiff {
                guard hasPrefix("diff ") else { continue }
                seenDiff = true
            }
            // `\ No newline at end of file` is not hashed.
            if hasPrefix("\\ ") && line.count >= 12 { continue }
            if before == -1 {
                if hasPrefix("GIT binary patch") || hasPrefix("Binary files") {
                    // git hashes the blob names here; a mail's binary diff counts as its header lines.
                    before = 0; after = 0
                    continue
                } else if hasPrefix("index ") {
                    continue
                } else if hasPrefix("--- ") {
                    before = 1; after = 1
                } else if let c = line.first, !isAlpha(c) {
                    break
                } else if line.isEmpty {
                    break
                }
            }
            if before == 0 && after == 0 {
                if hasPrefix("@@ -") {
                    (before, after) = hunkCounts(line)
                    continue
                }
                if !hasPrefix("diff ") { stop = true; continue }
                flush()
                before = -1; after = -1
            }
            if let c = line.first {
                if c == UInt8(ascii: "-") || c == UInt8(ascii: " ") { before -= 1 }
                if c == UInt8(ascii: "+") || c == UInt8(ascii: " ") { after -= 1 }
            } else if before > 0 || after > 0 {
                // A context line whose space the mail lost.
                before -= 1; after -= 1
            }
            for b in line where !isSpace(b) { sha.update(b); hashedAny = true }
        }
        guard seenDiff, hashedAny else { return nil }
        flush()
        return result.map { hex($0) }.joined()
    }

    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// `@@ -a,b +c,d @@`: the counts b and d (1 when absent), as git's `scan_hunk_header`.
    static func hunkCounts(_ line: [UInt8]) -> (Int, Int) {
        var i = 4
        func number() -> Int? {
            var n = 0, any = false
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39, n < 100_000_000 {
                n = n * 10 + Int(line[i] - 0x30); i += 1; any = true
            }
            return any ? n : nil
        }
        guard number() != nil else { return (1, 1) }
        var b = 1, d = 1
        if i < line.count, line[i] == UInt8(ascii: ",") { i += 1; b = number() ?? 1 }
        guard i + 1 < line.count, line[i] == UInt8(ascii: " "), line[i + 1] == UInt8(ascii: "+") else { return (b, 1) }
        i += 2
        guard number() != nil else { return (b, 1) }
        if i < line.count, line[i] == UInt8(ascii: ",") { i += 1; d = number() ?? 1 }
        return (b, d)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}

/// SHA-1 (FIPS 180-4), incremental, for patch-ids only (not for anything that needs a secure hash).
struct SHA1 {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
    private var block = [UInt8](repeating: 0, count: 64)
    private var used = 0
    private var length: UInt64 = 0

    mutating func update(_ b: UInt8) {
        block[used] = b
        used += 1
        length &+= 1
        if used == 64 { compress(); used = 0 }
    }

    mutating func update(_ bytes: some Sequence<UInt8>) { for b in bytes { update(b) } }

    mutating func finish() -> [UInt8] {
        let bits = length &* 8
        update(0x80)
        while used != 56 { update(0) }
        for i in (0..<8).reversed() { update(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        var out: [UInt8] = []
        for w in [h.0, h.1, h.2, h.3, h.4] {
            out += [UInt8(w >> 24), UInt8(truncatingIfNeeded: w >> 16), UInt8(truncatingIfNeeded: w >> 8), UInt8(truncatingIfNeeded: w)]
        }
        return out
    }

    private mutating func compress() {
        var w = [UInt32](repeating: 0, count: 80)
        for i in 0..<16 {
            w[i] = UInt32(block[i * 4]) << 24 | UInt32(block[i * 4 + 1]) << 16 | UInt32(block[i * 4 + 2]) << 8 | UInt32(block[i * 4 + 3])
        }
        for i in 16..<80 {
            let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
            w[i] = (x << 1) | (x >> 31)
        }
        var (a, b, c, d, e) = h
        for i in 0..<80 {
            let f: UInt32, k: UInt32
            switch i {
            case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
            case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
            case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
            default: f = b ^ c ^ d; k = 0xCA62C1D6
            }
            let t = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
            e = d; d = c; c = (b << 30) | (b >> 2); b = a; a = t
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
    }
}
