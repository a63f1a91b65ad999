// The per-thread cache: one mbox per message-id, written atomically, guarded by a lock file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Thread mboxes kept on disk for reuse and offline work, one file per message-id:
/// `<readable-prefix>-<sha256 prefix>.mbox`, with a `.meta` file (message-id and URL) beside it.
/// A public-inbox search's result is kept the same way under a key of its own (`InboxSearch`:
/// `search:` and the search URL), which the `.meta` file holds in place of a message-id.
///
/// File names come only from `[A-Za-z0-9._@+=-]` and a hash, never start with `.` or `-`, and hold
/// no `/`: nothing a message-id contains can name a file outside `directory`. Files are written to
/// a temporary file in the same folder and renamed into place, so a killed or failed fetch never
/// leaves a half file and never spoils the earlier copy.
public struct ThreadCache: Sendable {
    public let directory: String

    public init(directory: String) {
        var dir = directory
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        self.directory = dir
    }

    /// `$XDG_CACHE_HOME/lkml-review` when XDG_CACHE_HOME is an absolute path, else
    /// `$HOME/.cache/lkml-review`; nil when neither can be found.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return xdg + (xdg.hasSuffix("/") ? "" : "/") + "lkml-review"
        }
        var home = environment["HOME"]
        if home?.hasPrefix("/") != true, let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir {
            home = String(cString: dir)
        }
        guard let home, home.hasPrefix("/") else { return nil }
        return home + (home.hasSuffix("/") ? "" : "/") + ".cache/lkml-review"
    }

    /// The file name of a thread: a readable prefix of the id plus 16 hex digits of its SHA-256.
    public func fileName(for id: MessageID) -> String { Self.stem(for: id) + ".mbox" }

    /// The full path of a thread's cache file (inside `directory`).
    public func path(for id: MessageID) -> String { path(forKey: id.value) }

    /// The full path of the cache file kept under `key` (a message-id, or a search's key).
    public func path(forKey key: String) -> String { directory + "/" + Self.stem(forKey: key) + ".mbox" }

    static func stem(for id: MessageID) -> String { stem(forKey: id.value) }

    static func stem(forKey key: String) -> String {
        var prefix: [UInt8] = []
        for byte in key.utf8.prefix(60) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "-"):
                prefix.append(byte)
            default:
                prefix.append(UInt8(ascii: "_"))
            }
        }
        if let first = prefix.first, first == UInt8(ascii: ".") || first == UInt8(ascii: "-") {
            prefix[0] = UInt8(ascii: "_")
        }
        let hash = SHA256.hex(Array(key.utf8)).prefix(16)
        return String(decoding: prefix, as: UTF8.self) + "-" + hash
    }

    /// One cached thread.
    public struct Entry: Sendable, Hashable {
        public var path: String
        /// From the `.meta` file; nil when it is missing.
        public var messageID: String?
        public var url: String?
        public var size: Int64
        /// Modification time, seconds since 1970.
        public var modified: Double
    }

    /// The cached copy of a thread, if any.
    public func entry(for id: MessageID) -> Entry? { entry(forKey: id.value) }

    /// What is cached under `key` (a message-id, or a search's key), if anything.
    public func entry(forKey key: String) -> Entry? {
        let file = path(forKey: key)
        guard let (size, modified) = Self.statRegular(file) else { return nil }
        let meta = Self.readMeta(Self.metaPath(file))
        return Entry(path: file, messageID: meta?.0 ?? key, url: meta?.1, size: size, modified: modified)
    }

    /// A cache directory that exists must be a folder: `--cache-dir FILE` is an error that says so
    /// (not an empty cache, not an unexplained failure).
    func requireFolder(_ operation: String) throws(LoreError) {
        var st = stat()
        if stat(directory, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
            throw .io(operation: operation, path: directory, errno: ENOTDIR)
        }
    }

    /// Every cached thread, newest first.
    public func list() throws(LoreError) -> [Entry] {
        try requireFolder("list")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            if !FileManager.default.fileExists(atPath: directory) { return [] }
            throw .io(operation: "list", path: directory, errno: (error as NSError).code == 0 ? EIO : Int32(truncatingIfNeeded: (error as NSError).code))
        }
        var entries: [Entry] = []
        for name in names where name.hasSuffix(".mbox") && !name.hasPrefix(".") {
            let file = directory + "/" + name
            guard let (size, modified) = Self.statRegular(file) else { continue }
            let meta = Self.readMeta(Self.metaPath(file))
            entries.append(Entry(path: file, messageID: meta?.0, url: meta?.1, size: size, modified: modified))
        }
        return entries.sorted { ($0.modified, $0.path) > ($1.modified, $1.path) }
    }

    /// Removes every cached thread, its metadata, lock files and leftover temporary files.
    /// Returns the number of threads removed.
    @discardableResult
    public func clear() throws(LoreError) -> Int {
        try requireFolder("clear")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names {
            let ours = name.hasSuffix(".mbox") || name.hasSuffix(".meta") || name.hasSuffix(".lock")
                || name.hasPrefix(".tmp-")
            guard ours else { continue }
            let file = directory + "/" + name
            if unlink(file) != 0 && errno != ENOENT {
                throw .io(operation: "remove", path: file, errno: errno)
            }
            if name.hasSuffix(".mbox") && !name.hasPrefix(".") { removed += 1 }
        }
        return removed
    }

    // MARK: - Internals used by the fetcher

    func createDirectory() throws(LoreError) {
        // A relative folder (`--cache-dir cache`) is made where it is, not under `/`.
        var path = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
            path += "/" + component
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw .io(operation: "create the cache folder", path: path, errno: errno)
            }
        }
    }

    /// How old a leftover must be before `removeStaleFiles` takes it for one: 10 minutes.
    static let staleAge: Double = 600

    /// Removes what killed fetches (`kill -9`, a crash, a power cut) leave behind: temporary files
    /// (`.tmp-STEM.mbox-XXXXXX`, `.tmp-STEM.meta-XXXXXX`) and empty lock files (`.STEM.lock`),
    /// when they are older than `age` seconds and no live fetch holds the thread's lock. The lock
    /// is tried without waiting and held while its files are removed, so a fetch that starts
    /// meanwhile waits and then finds (`lock` checks) that its lock file was replaced.
    func removeStaleFiles(olderThan age: Double = staleAge) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let now = Date().timeIntervalSince1970
        var leftovers: [String: [String]] = [:] // stem -> temporary files
        var locks: Set<String> = []
        for name in names {
            if name.hasPrefix(".tmp-") {
                // A name that names no thread (not written by this version) is judged by age alone.
                leftovers[Self.stem(ofTemporary: name) ?? "", default: []].append(name)
            } else if name.hasPrefix("."), name.hasSuffix(".lock"), name.count > ".lock".count + 1 {
                locks.insert(String(name.dropFirst().dropLast(".lock".count)))
            }
        }
        for stem in Set(leftovers.keys).union(locks).sorted() {
            let lockFile = stem.isEmpty ? "" : directory + "/." + stem + ".lock"
            var held: Int32 = -1
            var lockAge = 0.0
            if locks.contains(stem) {
                // A lock file with something in it is not one of ours: leave the thread alone.
                guard let (size, modified) = Self.statRegular(lockFile), size == 0 else { continue }
                held = open(lockFile, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                if held < 0 { continue }
                if flock(held, LOCK_EX | LOCK_NB) != 0 || !Self.sameFile(held, lockFile) {
                    close(held) // a live fetch holds it
                    continue
                }
                lockAge = now - modified
            }
            // No lock file at all: no fetch of this thread is running (a fetch creates its lock
            // file before its temporary files); the age test covers a directory listing that saw
            // a new temporary file but not its lock file.
            for name in leftovers[stem] ?? [] {
                let file = directory + "/" + name
                if let (_, modified) = Self.statRegular(file), now - modified > age { unlink(file) }
            }
            if held >= 0 {
                if lockAge > age { unlink(lockFile) } // while held: see `lock`
                close(held)
            }
        }
    }

    /// The thread stem of a temporary file `.tmp-STEM.mbox-XXXXXX` or `.tmp-STEM.meta-XXXXXX`.
    static func stem(ofTemporary name: String) -> String? {
        guard name.hasPrefix(".tmp-"), let dash = name.lastIndex(of: "-") else { return nil }
        let file = name[name.index(name.startIndex, offsetBy: 5)..<dash]
        for suffix in [".mbox", ".meta"] where file.hasSuffix(suffix) && file.count > suffix.count {
            return String(file.dropLast(suffix.count))
        }
        return nil
    }

    /// Whether the open file `fd` is still the file at `path` (not removed or replaced).
    static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var opened = stat(), named = stat()
        guard fstat(fd, &opened) == 0, lstat(path, &named) == 0 else { return false }
        return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
    }

    /// Holds an exclusive `flock` on the thread's lock file `.STEM.lock` until `unlock()` (or
    /// process exit); `unlock()` removes the file. A lock won on a file that was removed or replaced
    /// while waiting (by another fetch's `unlock()` or by `removeStaleFiles`) is given up and the
    /// lock taken again on the file now there, so that two holders never overlap.
    func lock(key: String) throws(LoreError) -> FileLock {
        let file = directory + "/." + Self.stem(forKey: key) + ".lock"
        while true {
            let fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd < 0 { throw .io(operation: "create lock file", path: file, errno: errno) }
            while flock(fd, LOCK_EX) != 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw .io(operation: "lock", path: file, errno: code)
            }
            if Self.sameFile(fd, file) { return FileLock(fd: fd, path: file) }
            close(fd)
        }
    }

    /// Records where a thread came from next to its file (written atomically).
    func writeMeta(key: String, url: String) {
        let text = key + "\n" + url + "\n"
        let target = Self.metaPath(path(forKey: key))
        if let file = try? AtomicFile(replacing: target, mode: 0o600) {
            try? file.write(Array(text.utf8))
            try? file.commit()
        }
    }

    static func metaPath(_ mboxPath: String) -> String {
        String(mboxPath.dropLast(".mbox".count)) + ".meta"
    }

    static func readMeta(_ path: String) -> (String, String)? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 8192 else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2 else { return nil }
        return (String(lines[0]), String(lines[1]))
    }

    static func statRegular(_ path: String) -> (Int64, Double)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let modified = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        return (Int64(info.st_size), modified)
    }
}

/// An exclusive lock on a file, released by `unlock()` or when the process ends. `unlock()`
/// removes the file first (while still holding the lock), so that finished fetches leave no lock
/// files; whoever waits on the removed file takes the lock again on a new one (`ThreadCache.lock`).
final class FileLock {
    private var fd: Int32
    private let path: String
    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }
    func unlock() {
        if fd >= 0 {
            if ThreadCache.sameFile(fd, path) { unlink(path) }
            _ = flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }
    deinit { unlock() }
}

/// A file written under a temporary name in the target's folder and renamed over the target on
/// `commit()`; dropped without commit, the temporary file is removed and the target untouched.
public final class AtomicFile {
    public let target: String
    public let temporaryPath: String
    private var fd: Int32
    private var committed = false

    /// Creates the temporary file (`.tmp-<name>-XXXXXX` beside `target`) with the given mode.
    public init(replacing target: String, mode: mode_t = 0o644) throws(LoreError) {
        self.target = target
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array(((folder.isEmpty ? "" : folder) + "/.tmp-" + name.prefix(100) + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        let path = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? ""
        }
        if fd < 0 { throw .io(operation: "create a temporary file for", path: target, errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fchmod(fd, mode)
        self.fd = fd
        self.temporaryPath = path
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    /// Empties the temporary file (for another attempt).
    public func reset() throws(LoreError) {
        if ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 {
            throw .io(operation: "truncate", path: temporaryPath, errno: errno)
        }
    }

    public func write(_ bytes: [UInt8]) throws(LoreError) {
        var failure: LoreError?
        bytes.withUnsafeBytes { raw in
            do throws(LoreError) { try self.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(LoreError) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
            let written = Glibc.write(fd, base, left)
            #else
            let written = Darwin.write(fd, base, left)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: temporaryPath, errno: errno)
            }
            left -= written
            base += written
        }
    }

    /// Flushes the data to disk and renames the file over the target.
    public func commit() throws(LoreError) {
        if fsync(fd) != 0 && errno != EINVAL {
            throw .io(operation: "sync", path: temporaryPath, errno: errno)
        }
        close(fd)
        fd = -1
        if rename(temporaryPath, target) != 0 {
            throw .io(operation: "rename into place", path: target, errno: errno)
        }
        committed = true
    }
}

/// Copies a file to `target` atomically (temporary file beside it, then rename); `"-"` means
/// standard output.
public func copyFile(atPath source: String, to target: String) throws(LoreError) {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    if input < 0 { throw .io(operation: "open", path: source, errno: errno) }
    defer { close(input) }
    let file: AtomicFile? = target == "-" ? nil : try AtomicFile(replacing: target)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if got < 0 {
            if errno == EINTR { continue }
            throw .io(operation: "read", path: source, errno: errno)
        }
        if got == 0 { break }
        if let file {
            try file.write(Array(buffer[0..<got]))
        } else {
            var offset = 0
            while offset < got {
                let written = buffer.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress.map { $0 + offset }, got - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .io(operation: "write", path: "standard output", errno: errno)
                }
                offset += written
            }
        }
    }
    try file?.commit()
}
