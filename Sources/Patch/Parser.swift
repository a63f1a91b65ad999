// The patch parser: finds diffs in a text, reads git and traditional file headers, and reads hunks
// by their line counts (as `git apply` does), so that what follows the last hunk (a `-- `
// signature, a list footer) is never taken for hunk lines.

/// One patch found in a text, with where it lies.
public struct FoundPatch: Sendable, Hashable, Codable {
    public var patch: Patch
    /// 0-based line indices covered: from the first line of the prose before the diff (its commit
    /// message) to the last line of its last hunk.
    public var lines: Range<Int>
    /// 0-based index of the first file header line (`diff --git` or `---`).
    public var diffStart: Int
}

/// How the parser decides where a hunk ends.
public struct PatchParseOptions: Sendable, Hashable {
    public enum HunkEnd: Sendable, Hashable {
        /// By the line counts of the `@@` header, as `git apply` does (the default): what follows
        /// the last hunk (`-- ` signature, list footer) is never read as hunk lines.
        case counts
        /// By the shape of the lines: a hunk runs while lines start with ` `, `+`, `-` or `\`
        /// (an empty line too when a hunk line follows it), whatever its header says; it stops at
        /// a `-- ` signature, the next header or prose. For quoted diffs that a reviewer trimmed,
        /// where the counts no longer match; numbering still starts at the header's numbers.
        /// Count disagreements are still reported as warnings.
        case lineShape
    }
    public var hunkEnd: HunkEnd
    public init(hunkEnd: HunkEnd = .counts) { self.hunkEnd = hunkEnd }
    public static let standard = PatchParseOptions()
}

/// Entry points for reading patches out of text. The input may be a whole message body: prose
/// before the diff is the commit message, and text after the last hunk is ignored.
public enum PatchParser {
    /// Reads the body as one patch: the commit message (and diffstat) before the first diff, and
    /// every file diff in the text, even when prose separates groups of files.
    public static func parse(_ text: String, options: PatchParseOptions = .standard) -> Patch {
        var t = text
        return t.withUTF8 { parse(buffer: $0, options: options) }
    }

    public static func parse(_ bytes: [UInt8], options: PatchParseOptions = .standard) -> Patch {
        bytes.withUnsafeBufferPointer { parse(buffer: $0, options: options) }
    }

    /// Every patch in the text: each run of file diffs not interrupted by prose is one patch, and
    /// the prose before it is its commit message.
    public static func findPatches(in text: String, options: PatchParseOptions = .standard) -> [FoundPatch] {
        var t = text
        return t.withUTF8 { findPatches(buffer: $0, options: options) }
    }

    public static func findPatches(in bytes: [UInt8], options: PatchParseOptions = .standard) -> [FoundPatch] {
        bytes.withUnsafeBufferPointer { findPatches(buffer: $0, options: options) }
    }

    /// Whether the text holds a diff: an unquoted `diff --git` line, or a `--- `, `+++ `, `@@ -N`
    /// line sequence.
    public static func containsDiff(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { containsDiff(buffer: $0) }
    }

    public static func containsDiff(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { containsDiff(buffer: $0) }
    }

    public static func findPatches(buffer: UnsafeBufferPointer<UInt8>,
                                   options: PatchParseOptions = .standard) -> [FoundPatch] {
        var parser = Parser(LineTable(buffer), options: options)
        return parser.run()
    }

    public static func parse(buffer: UnsafeBufferPointer<UInt8>, options: PatchParseOptions = .standard) -> Patch {
        let found = findPatches(buffer: buffer, options: options)
        guard var first = found.first?.patch else { return Patch(commitMessage: wholeText(buffer)) }
        for other in found.dropFirst() {
            first.files += other.patch.files
            first.warnings += other.patch.warnings
        }
        return first
    }

    public static func containsDiff(buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let lines = LineTable(buffer)
        var i = 0
        while i < lines.count {
            if lines.hasPrefix(i, Bytes.diffGit) { return true }
            if Parser.isTraditionalStart(lines, i) { return true }
            i += 1
        }
        return false
    }

    private static func wholeText(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
        let lines = LineTable(buffer)
        return Parser.joinTrimmed(lines, 0..<lines.count)
    }
}

extension Patch {
    /// Parses `text` as one patch (see `PatchParser.parse`).
    public init(parsing text: String, options: PatchParseOptions = .standard) {
        self = PatchParser.parse(text, options: options)
    }
    public init(parsing bytes: [UInt8], options: PatchParseOptions = .standard) {
        self = PatchParser.parse(bytes, options: options)
    }
}

/// Upper bound on the digits of a line number or count, so that damaged headers cannot overflow.
private let maxDigits = 9

struct Parser {
    let lines: LineTable
    let options: PatchParseOptions
    var warnings: [PatchWarning] = []

    init(_ lines: LineTable, options: PatchParseOptions = .standard) {
        self.lines = lines
        self.options = options
    }

    // MARK: Segments

    mutating func run() -> [FoundPatch] {
        var found: [FoundPatch] = []
        var proseStart = 0
        var i = 0
        let n = lines.count
        while i < n {
            guard isFileStart(i) else { i += 1; continue }
            let diffStart = i
            warnings = []
            var files: [FilePatch] = []
            var j = i
            while true {
                let (file, next) = parseFile(at: j)
                if let file { files.append(file) }
                j = max(next, j + 1)
                // Between files: blank lines, `Index:`/`====` (quilt, svn), `diff -u a b` command
                // lines and `Only in` notes do not end the patch; anything else does.
                var k = j
                var binaryOnly: [FilePatch] = []
                while k < n && !isFileStart(k) {
                    if let bin = nonGitBinaryFile(k) { binaryOnly.append(bin); k += 1; continue }
                    guard isBetweenFilesNoise(k) else { break }
                    k += 1
                }
                if k < n && isFileStart(k) {
                    files += binaryOnly
                    j = k
                    continue
                }
                if !binaryOnly.isEmpty {
                    files += binaryOnly
                    j = k
                }
                break
            }
            var patch = Patch(files: files)
            splitPreface(proseStart..<diffStart, into: &patch)
            patch.warnings = warnings
            found.append(FoundPatch(patch: patch, lines: proseStart..<j, diffStart: diffStart))
            proseStart = j
            i = j
        }
        return found
    }

    func isFileStart(_ i: Int) -> Bool {
        lines.hasPrefix(i, Bytes.diffGit) || Parser.isTraditionalStart(lines, i)
    }

    static func isTraditionalStart(_ lines: LineTable, _ i: Int) -> Bool {
        guard i + 2 < lines.count, lines.hasPrefix(i, Bytes.minus3), lines.hasPrefix(i + 1, Bytes.plus3),
              lines.hasPrefix(i + 2, Bytes.hunk) else { return false }
        return lines.byte(i + 2, 4)?.isDigit ?? false
    }

    func isBetweenFilesNoise(_ k: Int) -> Bool {
        if lines.isBlank(k) { return true }
        if lines.hasPrefix(k, Bytes.indexColon) || lines.hasPrefix(k, Bytes.onlyIn) { return true }
        if lines.hasPrefix(k, Bytes.diffSpace) && !lines.hasPrefix(k, Bytes.diffCC)
            && !lines.hasPrefix(k, Bytes.diffCombined) { return true }
        // `=====` rule under quilt's `Index:` line.
        if lines.length(k) >= 10 && lines.bytes(k).allSatisfy({ $0 == UInt8(ascii: "=") }) { return true }
        return false
    }

    /// `Binary files x and y differ` from a non-git `diff -r`.
    func nonGitBinaryFile(_ k: Int) -> FilePatch? {
        guard lines.hasPrefix(k, Bytes.binaryFiles) else { return nil }
        let text = lines.trimmedString(k)
        guard text.hasSuffix(" differ") else { return nil }
        let middle = text.dropFirst("Binary files ".count).dropLast(" differ".count)
        guard let and = middle.firstRange(of: " and ") else { return nil }
        let old = Array(middle[..<and.lowerBound].utf8), new = Array(middle[and.upperBound...].utf8)
        var f = FilePatch(oldPath: Parser.pathOrNil(old), newPath: Parser.pathOrNil(new), isBinary: true)
        if f.oldPath == nil { f.change = .added } else if f.newPath == nil { f.change = .deleted }
        f.inputLine = k
        return f
    }

    static func pathOrNil(_ raw: [UInt8]) -> String? {
        PathSyntax.isDevNull(raw) ? nil : PathSyntax.string(PathSyntax.stripFirstComponent(raw))
    }

    // MARK: Commit message, separator, diffstat

    mutating func splitPreface(_ whole: Range<Int>, into patch: inout Patch) {
        // `Index:`, `=====` and `diff -u a b` lines just above the first file belong to the diff.
        var end = whole.upperBound
        while end > whole.lowerBound && isBetweenFilesNoise(end - 1) { end -= 1 }
        let range = whole.lowerBound..<end
        var sep: Int? = nil
        for k in range where lines.isSeparator(k) { sep = k; break }
        guard let sep else {
            patch.commitMessage = Parser.joinTrimmed(lines, range)
            return
        }
        patch.commitMessage = Parser.joinTrimmed(lines, range.lowerBound..<sep)
        var notes: [Int] = []
        for k in (sep + 1)..<range.upperBound {
            if isDiffstatLine(k) { patch.diffstat.append(lines.string(k)) } else { notes.append(k) }
        }
        // Notes are the non-diffstat lines, kept in order; blank lines at the ends dropped.
        while let f = notes.first, lines.isBlank(f) { notes.removeFirst() }
        while let l = notes.last, lines.isBlank(l) { notes.removeLast() }
        patch.notes = notes.map { lines.string($0) }.joined(separator: "\n")
    }

    /// ` path | 12 ++--`, ` path | Bin 0 -> 12 bytes`, ` 3 files changed, …`, ` create mode …`.
    func isDiffstatLine(_ k: Int) -> Bool {
        guard lines.first(k) == 0x20, !lines.isBlank(k) else { return false }
        let s = lines.trimmedString(k)
        let body = PathSyntax.trim(s)
        if let bar = body.firstRange(of: " | ") {
            let right = body[bar.upperBound...].drop { $0 == " " }
            if right.hasPrefix("Bin") { return true }
            return right.first?.isNumber ?? false
        }
        if body.first?.isNumber == true && (body.contains(" file changed") || body.contains(" files changed")) {
            return true
        }
        for p in ["create mode ", "delete mode ", "rename ", "copy ", "mode change ", "rewrite "] where body.hasPrefix(p) {
            return true
        }
        return false
    }

    static func joinTrimmed(_ lines: LineTable, _ range: Range<Int>) -> String {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && lines.isBlank(lo) { lo += 1 }
        while hi > lo && lines.isBlank(hi - 1) { hi -= 1 }
        var out = ""
        for k in lo..<hi {
            if k > lo { out += "\n" }
            out += lines.string(k)
        }
        return out
    }

    // MARK: Files

    /// Parses the file diff starting at `i` (a `diff --git` line or a `---`/`+++` pair). Returns
    /// the file and the index of the first line after it.
    mutating func parseFile(at i: Int) -> (FilePatch?, Int) {
        if lines.hasPrefix(i, Bytes.diffGit) { return parseGitFile(at: i) }
        return parseTraditionalFile(at: i)
    }

    mutating func parseGitFile(at i: Int) -> (FilePatch?, Int) {
        var file = FilePatch(oldPath: nil, newPath: nil)
        file.isGitDiff = true
        file.inputLine = i
        var headerOld: [UInt8]? = nil, headerNew: [UInt8]? = nil
        if let (a, b) = PathSyntax.gitHeaderNames(lines.bytes(i, from: Bytes.diffGit.count)) {
            headerOld = PathSyntax.stripFirstComponent(a)
            headerNew = PathSyntax.stripFirstComponent(b)
        } else {
            warnings.append(PatchWarning(kind: .badGitHeader, line: i,
                                         message: "cannot read the file names in '\(lines.string(i))'"))
        }
        var explicitOld: [UInt8]? = nil, explicitNew: [UInt8]? = nil
        var markerOld: [UInt8]?? = nil, markerNew: [UInt8]?? = nil // .some(nil) is /dev/null
        var j = i + 1
        let n = lines.count
        header: while j < n {
            func rest(_ p: [UInt8]) -> UnsafeBufferPointer<UInt8> { lines.bytes(j, from: p.count) }
            func restString(_ p: [UInt8]) -> String { PathSyntax.trim(lines.string(j, from: p.count)) }
            if lines.hasPrefix(j, Bytes.oldMode) {
                file.oldMode = restString(Bytes.oldMode)
            } else if lines.hasPrefix(j, Bytes.newMode) {
                file.newMode = restString(Bytes.newMode)
            } else if lines.hasPrefix(j, Bytes.deletedFileMode) {
                file.change = .deleted
                file.oldMode = restString(Bytes.deletedFileMode)
            } else if lines.hasPrefix(j, Bytes.newFileMode) {
                file.change = .added
                file.newMode = restString(Bytes.newFileMode)
            } else if lines.hasPrefix(j, Bytes.copyFrom) {
                file.change = .copied
                explicitOld = PathSyntax.plainName(rest(Bytes.copyFrom))
            } else if lines.hasPrefix(j, Bytes.copyTo) {
                file.change = .copied
                explicitNew = PathSyntax.plainName(rest(Bytes.copyTo))
            } else if lines.hasPrefix(j, Bytes.renameFrom) || lines.hasPrefix(j, Bytes.renameOld) {
                file.change = .renamed
                explicitOld = PathSyntax.plainName(rest(lines.hasPrefix(j, Bytes.renameFrom) ? Bytes.renameFrom : Bytes.renameOld))
            } else if lines.hasPrefix(j, Bytes.renameTo) || lines.hasPrefix(j, Bytes.renameNew) {
                file.change = .renamed
                explicitNew = PathSyntax.plainName(rest(lines.hasPrefix(j, Bytes.renameTo) ? Bytes.renameTo : Bytes.renameNew))
            } else if lines.hasPrefix(j, Bytes.similarity) {
                file.similarity = Parser.percent(restString(Bytes.similarity))
            } else if lines.hasPrefix(j, Bytes.dissimilarity) {
                file.dissimilarity = Parser.percent(restString(Bytes.dissimilarity))
            } else if lines.hasPrefix(j, Bytes.index) {
                readIndexLine(restString(Bytes.index), into: &file)
            } else if lines.hasPrefix(j, Bytes.minus3) && j + 1 < n && lines.hasPrefix(j + 1, Bytes.plus3) {
                let (o, _) = PathSyntax.markerName(lines.bytes(j, from: 4))
                let (p, _) = PathSyntax.markerName(lines.bytes(j + 1, from: 4))
                markerOld = .some(PathSyntax.isDevNull(o) ? nil : PathSyntax.stripFirstComponent(o))
                markerNew = .some(PathSyntax.isDevNull(p) ? nil : PathSyntax.stripFirstComponent(p))
                j += 2
                break header
            } else if lines.hasPrefix(j, Bytes.binaryFiles) {
                file.isBinary = true
                j += 1
                break header
            } else if lines.hasPrefix(j, Bytes.gitBinaryPatch) {
                file.isBinary = true
                j = skipBinaryPayload(from: j + 1)
                break header
            } else {
                break header
            }
            j += 1
        }
        // Paths: `---`/`+++` names win, then rename/copy names, then the `diff --git` line.
        let oldName: [UInt8]? = explicitOld ?? headerOld
        let newName: [UInt8]? = explicitNew ?? headerNew
        if let markerOld { file.oldPath = markerOld.map(PathSyntax.string) } else { file.oldPath = oldName.map(PathSyntax.string) }
        if let markerNew { file.newPath = markerNew.map(PathSyntax.string) } else { file.newPath = newName.map(PathSyntax.string) }
        if file.change == .modified, markerOld == .some(nil) { file.change = .added }
        if file.change == .modified, markerNew == .some(nil) { file.change = .deleted }
        if file.change == .added { file.oldPath = nil }
        if file.change == .deleted { file.newPath = nil }
        if explicitOld != nil, file.change == .renamed || file.change == .copied {
            file.oldPath = explicitOld.map(PathSyntax.string)
        }
        if explicitNew != nil, file.change == .renamed || file.change == .copied {
            file.newPath = explicitNew.map(PathSyntax.string)
        }
        j = parseHunks(from: j, into: &file)
        return (file, j)
    }

    mutating func parseTraditionalFile(at i: Int) -> (FilePatch?, Int) {
        let (o, oldStamp) = PathSyntax.markerName(lines.bytes(i, from: 4))
        let (p, newStamp) = PathSyntax.markerName(lines.bytes(i + 1, from: 4))
        var file = FilePatch(oldPath: Parser.pathOrNil(o), newPath: Parser.pathOrNil(p))
        file.inputLine = i
        let j = parseHunks(from: i + 2, into: &file)
        // GNU `diff -N` writes the epoch instead of /dev/null for a missing file.
        let onlyHunk = file.hunks.count == 1 ? file.hunks.first : nil
        if file.oldPath == nil || (PathSyntax.isEpoch(oldStamp) && onlyHunk.map { $0.oldStart == 0 && $0.oldCount == 0 } == true) {
            file.change = .added
            file.oldPath = nil
        } else if file.newPath == nil || (PathSyntax.isEpoch(newStamp) && onlyHunk.map { $0.newStart == 0 && $0.newCount == 0 } == true) {
            file.change = .deleted
            file.newPath = nil
        }
        return (file, j)
    }

    /// `index abc123..def456 100644`
    func readIndexLine(_ s: String, into file: inout FilePatch) {
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        guard let hashes = parts.first, let dots = hashes.firstRange(of: "..") else { return }
        file.oldHash = String(hashes[..<dots.lowerBound])
        file.newHash = String(hashes[dots.upperBound...])
        if parts.count > 1 {
            let mode = String(parts[1])
            if file.oldMode == nil { file.oldMode = mode }
            if file.newMode == nil { file.newMode = mode }
        }
    }

    static func percent(_ s: String) -> Int? {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        return Int(digits)
    }

    /// Skips `literal N`/`delta N` blocks of base85 lines (forward and reverse), each ended by a
    /// blank line. Returns the first line after the payload.
    mutating func skipBinaryPayload(from start: Int) -> Int {
        var j = start
        let n = lines.count
        var blocks = 0
        while j < n && (lines.hasPrefix(j, Bytes.literal) || lines.hasPrefix(j, Bytes.delta)) {
            blocks += 1
            j += 1
            // Base85 lines start with a length letter (A-Z: 1-26 bytes, a-z: 27-52 bytes).
            while j < n, let c = lines.first(j),
                  (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) {
                if lines.hasPrefix(j, Bytes.literal) || lines.hasPrefix(j, Bytes.delta) { break }
                j += 1
            }
            if j < n && lines.isBlank(j) { j += 1 }
        }
        if blocks == 0 {
            warnings.append(PatchWarning(kind: .badBinaryPatch, line: start - 1,
                                         message: "GIT binary patch without a literal or delta block"))
        }
        return j
    }

    // MARK: Hunks

    mutating func parseHunks(from start: Int, into file: inout FilePatch) -> Int {
        var j = start
        let n = lines.count
        while j < n {
            if lines.hasPrefix(j, Bytes.hunk3) {
                warnings.append(PatchWarning(kind: .combinedDiff, line: j,
                                             message: "combined diff hunk '\(lines.string(j))' is not supported"))
                return j + 1
            }
            guard lines.hasPrefix(j, Bytes.hunk) else { break }
            guard let header = Parser.readHunkHeader(lines, j) else {
                warnings.append(PatchWarning(kind: .badHunkHeader, line: j,
                                             message: "cannot read hunk header '\(lines.string(j))'"))
                return j + 1
            }
            j = readHunkBody(header: header, at: j, path: file.path, into: &file.hunks)
        }
        return j
    }

    struct HunkHeader {
        var oldStart: Int, oldCount: Int, newStart: Int, newCount: Int
        var sectionFrom: Int? // column where the section text starts
    }

    /// `@@ -a[,b] +c[,d] @@[ section]`; an omitted count is 1.
    static func readHunkHeader(_ lines: LineTable, _ i: Int) -> HunkHeader? {
        var k = 4 // after "@@ -"
        func number() -> Int? {
            var v = 0, digits = 0
            while let c = lines.byte(i, k), c.isDigit {
                guard digits < maxDigits else { return nil }
                v = v * 10 + Int(c - 0x30); digits += 1; k += 1
            }
            return digits > 0 ? v : nil
        }
        func count() -> Int? {
            guard lines.byte(i, k) == UInt8(ascii: ",") else { return 1 }
            k += 1
            return number()
        }
        guard let oldStart = number(), let oldCount = count() else { return nil }
        guard lines.byte(i, k) == 0x20 else { return nil }
        while lines.byte(i, k) == 0x20 { k += 1 }
        guard lines.byte(i, k) == UInt8(ascii: "+") else { return nil }
        k += 1
        guard let newStart = number(), let newCount = count() else { return nil }
        guard lines.byte(i, k) == 0x20 else { return nil }
        while lines.byte(i, k) == 0x20 { k += 1 }
        guard lines.byte(i, k) == UInt8(ascii: "@"), lines.byte(i, k + 1) == UInt8(ascii: "@") else { return nil }
        k += 2
        return HunkHeader(oldStart: oldStart, oldCount: oldCount, newStart: newStart, newCount: newCount,
                          sectionFrom: k < lines.length(i) ? k : nil)
    }

    @inline(__always) func isHunkLineStart(_ c: UInt8) -> Bool {
        c == 0x20 || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: "\\")
    }

    /// In line-shape mode: line `j` still belongs to the hunk.
    func continuesByShape(_ j: Int) -> Bool {
        let n = lines.count
        guard let c = lines.first(j) else {
            // An empty line belongs to the hunk only when a hunk line follows it.
            guard j + 1 < n, let d = lines.first(j + 1) else { return false }
            return (d == 0x20 || d == UInt8(ascii: "+") || d == UInt8(ascii: "-")) && !isFileStart(j + 1)
        }
        if c == UInt8(ascii: "-") {
            if isFileStart(j) { return false }
            // `-- ` / `--` then something that is not a hunk line: a signature.
            if lines.byte(j, 1) == UInt8(ascii: "-") && lines.length(j) <= 3 && lines.isBlank(j) == false {
                let rest = lines.bytes(j, from: 2)
                if rest.allSatisfy({ $0 == 0x20 }) {
                    guard j + 1 < n, let d = lines.first(j + 1) else { return false }
                    return isHunkLineStart(d) || d == UInt8(ascii: "@")
                }
            }
            return true
        }
        return isHunkLineStart(c)
    }

    /// Reads the hunk's lines until both counts are used up (or a line that cannot belong to it).
    mutating func readHunkBody(header h: HunkHeader, at i: Int, path: String, into hunks: inout [Hunk]) -> Int {
        let n = lines.count
        var hunk = Hunk(oldStart: h.oldStart, oldCount: h.oldCount, newStart: h.newStart, newCount: h.newCount,
                        section: h.sectionFrom.map { PathSyntax.trim(lines.string(i, from: $0)) } ?? "", lines: [])
        hunk.inputLine = i
        // Counts come from the input: never reserve more than the lines that are left.
        hunk.lines.reserveCapacity(min(h.oldCount + h.newCount, lines.count - i))
        var remOld = h.oldCount, remNew = h.newCount
        var oldNo = h.oldStart, newNo = h.newStart
        var j = i + 1
        // A wrapped `@@` line: the section's tail stands alone before the first hunk line.
        if (remOld > 0 || remNew > 0) && j + 1 < n, let c = lines.first(j), !isHunkLineStart(c), c != 0x09,
           !isFileStart(j), lines.first(j + 1).map(isHunkLineStart) ?? true {
            hunk.section = PathSyntax.trim(hunk.section + " " + PathSyntax.trim(lines.string(j)))
            warnings.append(PatchWarning(kind: .wrappedHunkHeader, line: i,
                                         message: "\(path): hunk header @@ \(hunk.header) @@ continues on line \(j + 1)"))
            j += 1
        }
        let byShape = options.hunkEnd == .lineShape
        while (byShape || remOld > 0 || remNew > 0) && j < n {
            if byShape && !continuesByShape(j) { break }
            let c = lines.first(j)
            if c == nil || c == 0x20 {
                // A bare empty line is a context line whose leading space was lost in transit.
                guard byShape || (remOld > 0 && remNew > 0) else { break }
                hunk.lines.append(HunkLine(kind: .context, text: c == nil ? "" : lines.string(j, from: 1),
                                           oldLine: oldNo, newLine: newNo, inputLine: j))
                oldNo += 1; newNo += 1; remOld -= 1; remNew -= 1
            } else if c == UInt8(ascii: "-") {
                guard byShape || remOld > 0 else { break }
                hunk.lines.append(HunkLine(kind: .removed, text: lines.string(j, from: 1),
                                           oldLine: oldNo, newLine: nil, inputLine: j))
                oldNo += 1; remOld -= 1
            } else if c == UInt8(ascii: "+") {
                guard byShape || remNew > 0 else { break }
                hunk.lines.append(HunkLine(kind: .added, text: lines.string(j, from: 1),
                                           oldLine: nil, newLine: newNo, inputLine: j))
                newNo += 1; remNew -= 1
            } else if c == UInt8(ascii: "\\") {
                if !hunk.lines.isEmpty { hunk.lines[hunk.lines.count - 1].noNewlineAtEnd = true }
            } else {
                break
            }
            j += 1
        }
        if byShape {
            if remOld != 0 || remNew != 0 {
                let seenOld = h.oldCount - remOld, seenNew = h.newCount - remNew
                let short = remOld > 0 || remNew > 0
                warnings.append(PatchWarning(
                    kind: short && remOld >= 0 && remNew >= 0 ? .hunkTooShort : .hunkTooLong, line: i,
                    message: "\(path): hunk @@ -\(h.oldStart),\(h.oldCount) +\(h.newStart),\(h.newCount) @@ has \(seenOld) old and \(seenNew) new lines"))
            }
            hunks.append(hunk)
            return j
        }
        if remOld > 0 || remNew > 0 {
            // A signature `-- ` right after a short hunk was read as a removed line: give it back.
            if let last = hunk.lines.last, last.kind == .removed, last.text == "- " || last.text == "-",
               j >= n || !lines.hasPrefix(j, Bytes.hunk) {
                hunk.lines.removeLast()
                remOld += 1
                j -= 1
            }
            let seenOld = h.oldCount - remOld, seenNew = h.newCount - remNew
            warnings.append(PatchWarning(
                kind: .hunkTooShort, line: i,
                message: "\(path): hunk @@ -\(h.oldStart),\(h.oldCount) +\(h.newStart),\(h.newCount) @@ has \(seenOld) old and \(seenNew) new lines"
                    + (j < n ? ", stopped at line \(j + 1)" : ", text ended")))
        }
        // The marker may follow the hunk's last line.
        if j < n, lines.first(j) == UInt8(ascii: "\\"), !hunk.lines.isEmpty {
            hunk.lines[hunk.lines.count - 1].noNewlineAtEnd = true
            j += 1
        }
        if remOld == 0 && remNew == 0, j < n, let c = lines.first(j),
           c == UInt8(ascii: "+") || (c == UInt8(ascii: "-") && lines.byte(j, 1) != UInt8(ascii: "-")) {
            warnings.append(PatchWarning(
                kind: .hunkTooLong, line: i,
                message: "\(path): hunk @@ -\(h.oldStart),\(h.oldCount) +\(h.newStart),\(h.newCount) @@ is followed by more diff lines at line \(j + 1)"))
        }
        hunks.append(hunk)
        return j
    }
}
