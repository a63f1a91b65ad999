// Byte-level line table over a UTF-8 buffer: the parser never builds a String per line, only for
// the values it stores (paths, hunk line texts, commit message).

/// Line boundaries of a byte buffer. `end` excludes the `\n` and one `\r` before it (CRLF mail).
struct LineTable {
    let buf: UnsafeBufferPointer<UInt8>
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []

    init(_ buf: UnsafeBufferPointer<UInt8>) {
        self.buf = buf
        let n = buf.count
        // A rough guess of the line count keeps reallocations down on big inputs.
        starts.reserveCapacity(n / 40 + 1)
        ends.reserveCapacity(n / 40 + 1)
        var s = 0
        var i = 0
        while i < n {
            if buf[i] == 0x0A {
                var e = i
                if e > s && buf[e - 1] == 0x0D { e -= 1 }
                starts.append(s); ends.append(e)
                s = i + 1
            }
            i += 1
        }
        if s < n {
            var e = n
            if e > s && buf[e - 1] == 0x0D { e -= 1 }
            starts.append(s); ends.append(e)
        }
    }

    var count: Int { starts.count }

    @inline(__always) func length(_ i: Int) -> Int { ends[i] - starts[i] }

    /// First byte of line `i`, or nil when the line is empty.
    @inline(__always) func first(_ i: Int) -> UInt8? {
        starts[i] < ends[i] ? buf[starts[i]] : nil
    }

    /// Byte `k` of line `i` (nil past its end).
    @inline(__always) func byte(_ i: Int, _ k: Int) -> UInt8? {
        let p = starts[i] + k
        return p < ends[i] ? buf[p] : nil
    }

    func hasPrefix(_ i: Int, _ prefix: [UInt8]) -> Bool {
        let s = starts[i]
        guard ends[i] - s >= prefix.count else { return false }
        for k in 0..<prefix.count where buf[s + k] != prefix[k] { return false }
        return true
    }

    /// The line is empty or only spaces and tabs.
    func isBlank(_ i: Int) -> Bool {
        var p = starts[i]
        while p < ends[i] {
            let c = buf[p]
            if c != 0x20 && c != 0x09 { return false }
            p += 1
        }
        return true
    }

    /// Bytes of line `i` from column `from`.
    func bytes(_ i: Int, from: Int = 0) -> UnsafeBufferPointer<UInt8> {
        let s = min(starts[i] + from, ends[i])
        return UnsafeBufferPointer(rebasing: buf[s..<ends[i]])
    }

    func string(_ i: Int, from: Int = 0) -> String {
        String(decoding: bytes(i, from: from), as: UTF8.self)
    }

    /// The line without trailing spaces and tabs.
    func trimmedString(_ i: Int) -> String {
        var e = ends[i]
        while e > starts[i] && (buf[e - 1] == 0x20 || buf[e - 1] == 0x09) { e -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[starts[i]..<e]), as: UTF8.self)
    }

    /// The line is exactly `---` (trailing whitespace allowed): git's patch separator.
    func isSeparator(_ i: Int) -> Bool {
        hasPrefix(i, Bytes.separator) && bytes(i, from: 3).allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

/// Byte strings the parser looks for.
enum Bytes {
    static let diffGit = Array("diff --git ".utf8)
    static let diffCC = Array("diff --cc ".utf8)
    static let diffCombined = Array("diff --combined ".utf8)
    static let minus3 = Array("--- ".utf8)
    static let plus3 = Array("+++ ".utf8)
    static let hunk = Array("@@ -".utf8)
    static let hunk3 = Array("@@@ ".utf8)
    static let separator = Array("---".utf8)
    static let oldMode = Array("old mode ".utf8)
    static let newMode = Array("new mode ".utf8)
    static let deletedFileMode = Array("deleted file mode ".utf8)
    static let newFileMode = Array("new file mode ".utf8)
    static let copyFrom = Array("copy from ".utf8)
    static let copyTo = Array("copy to ".utf8)
    static let renameFrom = Array("rename from ".utf8)
    static let renameTo = Array("rename to ".utf8)
    static let renameOld = Array("rename old ".utf8)
    static let renameNew = Array("rename new ".utf8)
    static let similarity = Array("similarity index ".utf8)
    static let dissimilarity = Array("dissimilarity index ".utf8)
    static let index = Array("index ".utf8)
    static let binaryFiles = Array("Binary files ".utf8)
    static let gitBinaryPatch = Array("GIT binary patch".utf8)
    static let literal = Array("literal ".utf8)
    static let delta = Array("delta ".utf8)
    static let indexColon = Array("Index: ".utf8)
    static let onlyIn = Array("Only in ".utf8)
    static let diffSpace = Array("diff ".utf8)
    static let devNull = Array("/dev/null".utf8)
}

extension UInt8 {
    @inline(__always) var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isSpaceOrTab: Bool { self == 0x20 || self == 0x09 }
}
