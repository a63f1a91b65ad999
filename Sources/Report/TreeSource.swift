// Where the rules get a file's pre-image from, per file of a patch: the exact blob of the diff's
// `index` line (or the file at the series' `base-commit:`) from the tree's git objects, else the tree's
// work-tree file with the patch applied (or reversed when the tree already holds it), else nothing
// (hunk mode), with the reason. Patches of one series are analysed in order: a later patch's file is
// taken from the content the earlier patches of the series left.
import Foundation
import Patch
import Review
#if canImport(Glibc)
import Glibc
private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Glibc.write(fd, p, n) }
private func sysRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Glibc.read(fd, p, n) }
#elseif canImport(Darwin)
import Darwin
private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Darwin.write(fd, p, n) }
private func sysRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Darwin.read(fd, p, n) }
#endif

/// Which content the rules analysed one file of a patch on.
public enum AnalysisSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The exact pre-image from the tree's git objects (the `index` line's blob, or the file at the
    /// series' `base-commit:`).
    case blob
    /// The tree's work-tree file, the patch applied to it (possibly at an offset).
    case tree
    /// The tree's file already holds the patch (the tree is newer): reversed to get the pre-image.
    case treeReversed = "tree-reversed"
    /// Only the lines the hunks show.
    case hunk
}

/// The pre-image and post-image of one file, and where they came from.
public struct WholeFile: Sendable, Hashable {
    public var source: AnalysisSource
    public var original: String
    public var patched: String
    /// Per hunk, how far (in lines) it applied from its stated place in `original`. The rule engine
    /// reads the file in the patch's numbering (`RuleEngine.analyze(original:patched:filePatch:offsets:)`).
    public var offsets: [Int]
    /// Where the content came from, in words: `pre-image blob 46bb2e4 from the tree`.
    public var detail: String
}

/// What `TreeSource.resolve` found for one file.
public enum FileResolution: Sendable, Hashable {
    case whole(WholeFile)
    /// Hunk mode; `reason` says why when a tree was given (`the patch does not apply to the tree's
    /// file`; nil without a tree, and for a file the patch adds, which its hunks show whole).
    case hunk(reason: String?)
}

/// Resolves the pre-image of each file of each patch of a review. One per review: it holds the one
/// `git cat-file --batch` process and the content the earlier patches of each series left.
public final class TreeSource: @unchecked Sendable {
    /// The tree (nil: hunk mode for every file).
    public let root: String?
    /// Files larger than this are not read (from the tree or from git).
    public var maxFileSize = 64 << 20
    private let lock = NSLock()
    private let environment: [String: String]
    private var objects: GitObjectReader?
    private var objectsTried = false
    /// Series key → path → the file after the last patch of that series that touched it.
    private var carried: [Int: [String: Carried]] = [:]
    /// Files quoted by lone replies (`quotedFile`), by path and blob.
    private var quoted: [String: QuotedFile?] = [:]

    struct Carried {
        var content: String
        var source: AnalysisSource
        var detail: String
        var patches: [Int]
    }

    public init(root: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.root = root
        self.environment = environment
    }

    /// The pre-image of `fp` (a file of patch `index` of series `series`; nil for a patch not in a
    /// series), in this order: the `index` line's blob from the tree's git objects; the content
    /// the series' earlier patches left; the file at `baseCommit`; the tree's file, forward then
    /// reversed. Records the post-image for the series' later patches.
    public func resolve(_ fp: FilePatch, series: Int? = nil, index: Int? = nil, baseCommit: String? = nil) -> FileResolution {
        lock.lock()
        defer { lock.unlock() }
        let path = fp.path
        guard let root else { return .hunk(reason: nil) }
        if fp.isBinary { return .hunk(reason: "binary") }
        if fp.change == .added {
            // A file the series adds: later patches of the series apply to it.
            if let series, let added = try? fp.apply(to: "") {
                carried[series, default: [:]][path] = Carried(content: added, source: .tree,
                                                             detail: "a file the series adds", patches: index.map { [$0] } ?? [])
            }
            return .hunk(reason: nil)
        }
        let oldPath = fp.oldPath ?? path
        let result = find(fp, root: root, oldPath: oldPath, series: series, baseCommit: baseCommit)
        if let series {
            if case .whole(let w) = result {
                let earlier = carried[series]?[oldPath]?.patches ?? []
                carried[series, default: [:]][oldPath] = nil
                carried[series, default: [:]][path] = Carried(content: w.patched, source: w.source, detail: w.detail,
                                                               patches: earlier + (index.map { [$0] } ?? []))
            } else {
                carried[series]?[oldPath] = nil
                carried[series]?[path] = nil
            }
        }
        return result
    }

    private func find(_ fp: FilePatch, root: String, oldPath: String, series: Int?,
                      baseCommit: String?) -> FileResolution {
        // (a) The exact pre-image: the `index` line's blob.
        if let abbrev = fp.oldHash, Self.isObjectName(abbrev), !abbrev.allSatisfy({ $0 == "0" }),
           let reader = gitObjects(root), case .found(_, let oid, let data) = reader.lookup(abbrev, type: "blob", maxSize: maxFileSize) {
            let content = String(decoding: data, as: UTF8.self)
            if let w = Self.place(fp, on: content, reverse: false, source: .blob,
                                  detail: "pre-image blob \(oid.prefix(12)) from the tree") {
                return .whole(w)
            }
        }
        // (b) The content the series' earlier patches left.
        if let series, let c = carried[series]?[oldPath] {
            let which = c.patches.isEmpty ? "the earlier patches" : "patch" + (c.patches.count == 1 ? " " : "es ")
                + c.patches.map(String.init).joined(separator: ", ")
            if let w = Self.place(fp, on: c.content, reverse: false, source: c.source,
                                  detail: c.detail + ", after \(which) of the series") {
                return .whole(w)
            }
        }
        // (c) The file at the series' base commit.
        if let baseCommit, Self.isObjectName(baseCommit), Self.isSafePath(oldPath), let reader = gitObjects(root),
           case .found(_, _, let data) = reader.lookup("\(baseCommit):\(oldPath)", type: "blob", maxSize: maxFileSize) {
            let content = String(decoding: data, as: UTF8.self)
            if let w = Self.place(fp, on: content, reverse: false, source: .blob,
                                  detail: "the file at base-commit \(baseCommit.prefix(12)) from the tree") {
                return .whole(w)
            }
        }
        // (d) The work-tree file.
        guard let content = readTreeFile(root, oldPath) else {
            return .hunk(reason: "not in the tree")
        }
        if let w = Self.place(fp, on: content, reverse: false, source: .tree, detail: "the tree's file") {
            return .whole(w)
        }
        if fp.change != .deleted, let w = Self.place(fp, on: content, reverse: true, source: .treeReversed,
                                                     detail: "the tree's file, which already holds the patch, reversed") {
            return .whole(w)
        }
        return .hunk(reason: "the patch does not apply to the tree's file")
    }

    /// Applies `fp` to `content` (the pre-image, or with `reverse` the post-image) and moves the
    /// hunks to where they applied.
    static func place(_ fp: FilePatch, on content: String, reverse: Bool, source: AnalysisSource,
                      detail: String) -> WholeFile? {
        guard let r = try? fp.applying(to: content, reverse: reverse) else { return nil }
        var words = detail
        let moved = r.offsets.filter { $0 != 0 }
        if let lo = moved.min(), let hi = moved.max() {
            words += lo == hi ? "; hunks moved by \(lo > 0 ? "+" : "")\(lo) lines"
                : "; hunks moved by \(lo > 0 ? "+" : "")\(lo) to \(hi > 0 ? "+" : "")\(hi) lines"
        }
        return reverse
            ? WholeFile(source: source, original: r.text, patched: content, offsets: r.offsets, detail: words)
            : WholeFile(source: source, original: content, patched: r.text, offsets: r.offsets, detail: words)
    }

    /// The lines of a file a reply quotes, for aligning a lone reply's quotes (`ReviewParser`'s
    /// `tree`): the blob `blob` (the quoted `index` line's pre-image) from the tree's git objects,
    /// else the tree's work-tree file; nil without a tree or when neither is there.
    public func quotedFile(path: String, blob: String?) -> QuotedFile? {
        lock.lock()
        defer { lock.unlock() }
        guard let root else { return nil }
        let key = path + "\u{0}" + (blob ?? "")
        if let cached = quoted[key] { return cached }
        let found = readQuotedFile(root: root, path: path, blob: blob)
        // Replies of one review quote the same few files: each is read once (a bounded number kept).
        if quoted.count < 256 { quoted[key] = .some(found) }
        return found
    }

    private func readQuotedFile(root: String, path: String, blob: String?) -> QuotedFile? {
        var text: String? = nil
        var exact = false
        if let blob, Self.isObjectName(blob), !blob.allSatisfy({ $0 == "0" }), let reader = gitObjects(root),
           case .found(_, _, let data) = reader.lookup(blob, type: "blob", maxSize: maxFileSize) {
            text = String(decoding: data, as: UTF8.self)
            exact = true
        }
        if text == nil { text = readTreeFile(root, path) }
        guard let text else { return nil }
        return QuotedFile(lines: Self.lines(text), isPreImageBlob: exact)
    }

    /// The tracked files of the tree (a git checkout) with a line holding `text`, a fixed string:
    /// `git grep -l -F`, at most `limit`; none without git or a tree.
    public func files(containing text: String, limit: Int = 8) -> [String] {
        guard let root, !text.isEmpty, !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }),
              FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(".git")) else { return [] }
        guard let out = GitTool.run(["grep", "-l", "-I", "-F", "--no-color", "-e", text], in: root, maxOutput: 1 << 16,
                                    environment: environment) else { return [] }
        return Array(out.split(separator: "\n").map(String.init).filter(Self.isSafePath).prefix(limit))
    }

    /// A file's lines (no empty last line for the final line feed).
    public static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// The tree's git objects: one `git cat-file --batch` for the whole review, started on first use
    /// when the tree is a git checkout and git is installed.
    private func gitObjects(_ root: String) -> GitObjectReader? {
        if objectsTried { return objects?.isUsable == true ? objects : nil }
        objectsTried = true
        let dotGit = (root as NSString).appendingPathComponent(".git")
        guard FileManager.default.fileExists(atPath: dotGit), let git = GitTool.executable(environment: environment) else {
            return nil
        }
        objects = GitObjectReader(repository: root, git: git, environment: environment)
        return objects
    }

    /// A file of the tree, refusing paths that leave it and files over `maxFileSize`.
    func readTreeFile(_ tree: String, _ path: String) -> String? {
        guard Self.isSafePath(path) else { return nil }
        let full = (tree as NSString).appendingPathComponent(path)
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: full),
              attrs[.type] as? FileAttributeType == .typeRegular,
              let size = attrs[.size] as? Int, size <= maxFileSize,
              let data = FileManager.default.contents(atPath: full) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A relative path that stays inside the tree and fits on one line.
    static func isSafePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && !path.hasPrefix("/") && !parts.contains("..") && !parts.contains("")
            && !path.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" })
    }

    /// 4 to 64 hex digits: an (abbreviated) object name.
    static func isObjectName(_ s: String) -> Bool {
        (4...64).contains(s.utf8.count) && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
    }

    /// The `base-commit: <sha>` line of git format-patch `--base` or b4, in `text`.
    public static func baseCommit(in text: String) -> String? {
        guard text.contains("base-commit:") else { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("base-commit:") {
            let value = line.dropFirst("base-commit:".count).trimmingCharacters(in: .whitespaces)
            if value.utf8.count >= 7, isObjectName(value) { return value.lowercased() }
        }
        return nil
    }
}

/// The git executable, and short git commands.
public enum GitTool {
    /// The `git` executable on PATH, or nil.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/git" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The environment for a git child: the caller's, without the variables that would point git at
    /// another repository than the one named.
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { k, _ in
            !["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_NAMESPACE"].contains(k)
        }
    }

    /// `git ARGS` (in `directory` when given): standard output when git exits 0, else nil; nil when git
    /// is missing or the output is larger than `maxOutput`.
    public static func run(_ arguments: [String], in directory: String? = nil, maxOutput: Int = 1 << 16,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let git = executable(environment: environment) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = (directory.map { ["-C", $0] } ?? []) + arguments
        process.environment = directory == nil ? environment : childEnvironment(environment)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, data.count <= maxOutput else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One `git cat-file --batch` process: object names in, objects out, read by their exact sizes so a
/// read never waits for bytes that will not come. A process that fails is not asked again.
public final class GitObjectReader: @unchecked Sendable {
    public enum Lookup: Sendable, Hashable {
        case found(type: String, oid: String, data: [UInt8])
        case missing
        case ambiguous
        /// Another type than asked for, larger than allowed, or the process failed.
        case unusable
    }

    private let lock = NSLock()
    private let process: Process
    private let toGit: FileHandle
    private let fromGit: Int32
    private let fromGitHandle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var failed = false

    /// Starts `git -C repository cat-file --batch`; nil when it cannot be started.
    public init?(repository: String, git: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: git)
        p.arguments = ["-C", repository, "cat-file", "--batch"]
        p.environment = GitTool.childEnvironment(environment)
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        // A git that exits early must not kill this process with SIGPIPE on the next write.
        signal(SIGPIPE, SIG_IGN)
        do { try p.run() } catch { return nil }
        process = p
        toGit = input.fileHandleForWriting
        fromGitHandle = output.fileHandleForReading
        fromGit = fromGitHandle.fileDescriptor
    }

    deinit {
        try? toGit.close()
        process.waitUntilExit()
        try? fromGitHandle.close()
    }

    /// The process still answers.
    public var isUsable: Bool {
        lock.lock(); defer { lock.unlock() }
        return !failed
    }

    /// The object `name` (an abbreviated id, or `<commit>:<path>`), when it has type `type` and at
    /// most `maxSize` bytes.
    public func lookup(_ name: String, type: String, maxSize: Int) -> Lookup {
        lock.lock(); defer { lock.unlock() }
        guard !failed else { return .unusable }
        guard !name.isEmpty, !name.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else { return .unusable }
        guard write(Array((name + "\n").utf8)), let header = readLine() else { return fail() }
        let fields = header.split(separator: " ")
        if fields.count == 2, fields[1] == "missing" { return .missing }
        if fields.count == 2, fields[1] == "ambiguous" { return .ambiguous }
        guard fields.count == 3, let size = Int(fields[2]), size >= 0 else { return fail() }
        // The content and its newline, read (or skipped) whole to stay in step with git.
        guard let data = readBytes(size + 1, keep: size <= maxSize), data.isEmpty || data.last == 0x0A || size > maxSize else {
            return fail()
        }
        guard fields[1] == Substring(type), size <= maxSize else { return .unusable }
        return .found(type: String(fields[1]), oid: String(fields[0]), data: Array(data.dropLast()))
    }

    private func fail() -> Lookup {
        failed = true
        try? toGit.close()
        return .unusable
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        var off = 0
        let fd = toGit.fileDescriptor
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { sysWrite(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// Reads more output; false at the end or on an error.
    private func fill() -> Bool {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { sysRead(fromGit, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    private func readLine() -> String? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[start..<nl], as: UTF8.self)
                start = nl + 1
                return line
            }
            if buffer.count - start > 4096 { return nil }
            guard fill() else { return nil }
        }
    }

    /// Exactly `count` bytes (an empty array when `keep` is false, after skipping them).
    private func readBytes(_ count: Int, keep: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        if keep { out.reserveCapacity(count) }
        var left = count
        while left > 0 {
            if start == buffer.count { guard fill() else { return nil } }
            let take = min(left, buffer.count - start)
            if keep { out.append(contentsOf: buffer[start..<(start + take)]) }
            start += take
            left -= take
            if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        }
        return out
    }
}

