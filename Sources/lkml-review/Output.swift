// Output helpers shared by the subcommands: terminal-safe text, JSON encoding, and every write the
// executable makes: standard output and standard error through one checked writer, `-o FILE`
// through `OutputFile`.
import Foundation
import Report

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
private let systemConnect = Glibc.connect
private let systemExit = Glibc.exit
#elseif canImport(Musl)
import Musl
private let systemWrite = Musl.write
private let systemConnect = Musl.connect
private let systemExit = Musl.exit
#else
import Darwin
private let systemWrite = Darwin.write
private let systemConnect = Darwin.connect
private let systemExit = Darwin.exit
#endif

enum Output {
    /// Text from mail made safe for a terminal: control characters (escape sequences included)
    /// are shown as visible `^X` / `\u{…}` forms; newlines and tabs stay.
    static func terminalSafe(_ s: String) -> String {
        var needs = false
        for u in s.unicodeScalars where (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u == "\u{202E}" {
            needs = true; break
        }
        guard needs else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7F {
                out.append("^")
                out.append(Unicode.Scalar(u.value == 0x7F ? 0x3F : u.value + 0x40)!)
            } else if (u.value >= 0x80 && u.value < 0xA0) || u == "\u{202E}" {
                for c in String(format: "\\u{%X}", u.value).unicodeScalars { out.append(c) }
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// `2024-03-12T09:14:02Z` without ICU (ISO8601DateFormatter costs ~15,000 instructions a
    /// call, which shows when a whole archive is listed).
    static func isoDate(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        var days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }

    /// Pretty JSON, keys sorted, with the escaping rule of `review --format json`
    /// (`JSONRenderer.escapeUnsafe`).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .iso8601
        return JSONRenderer.escapeUnsafe(String(decoding: try enc.encode(value), as: UTF8.self))
    }

    // MARK: standard output and standard error

    /// A failed write to standard output: EPIPE (the reader went away) or another error.
    struct StandardOutputError: Error {
        var errno: Int32
    }

    /// Writes all of `bytes` to `fd`: write(2) in a loop, again after EINTR. Returns 0 or the errno.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard var p = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            p += n
            left -= n
        }
        return 0
    }

    /// Writes to standard output; throws `StandardOutputError` when that fails.
    static func writeChecked(_ bytes: UnsafeRawBufferPointer) throws(StandardOutputError) {
        let e = writeAll(STDOUT_FILENO, bytes)
        if e != 0 { throw StandardOutputError(errno: e) }
    }

    /// Writes to standard output. When that fails the process ends here (see `exit(for:)`): a
    /// closed pipe quietly, anything else with one line on standard error and status 2.
    static func write(_ s: String) {
        var s = s
        let e = s.withUTF8 { writeAll(STDOUT_FILENO, UnsafeRawBufferPointer($0)) }
        if e != 0 { exit(for: StandardOutputError(errno: e)) }
    }

    /// Ends the process after a failed write to standard output. EPIPE (`lkml-review … | head`):
    /// the reader wanted no more, so status 0 and nothing on standard error. Any other error
    /// (a full disk, /dev/full, EIO): `lkml-review: standard output: <reason>` and status 2.
    static func exit(for error: StandardOutputError) -> Never {
        if error.errno == EPIPE { systemExit(0) }
        errorLine("lkml-review: standard output: \(String(cString: strerror(error.errno)))")
        systemExit(2)
    }

    /// One line on standard error (a line feed is added when missing). A failure to write there
    /// is ignored: there is nowhere left to report it.
    static func errorLine(_ s: String) {
        var s = s.hasSuffix("\n") ? s : s + "\n"
        _ = s.withUTF8 { writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
    }
}

/// Where `-o FILE` writes. FILE is resolved first (symlinks followed, up to 40), then:
/// - a regular file with one link, or no file: replaced atomically — a temporary file in the same
///   folder, written, fsync'ed, renamed over FILE (and the folder fsync'ed). The old file's mode is
///   kept (and its owner and group when running as root); a new file gets 0666 less the umask.
/// - a regular file with more than one link: written in place (opened without O_CREAT, written,
///   cut to the new length, fsync'ed), so every name of the file sees the new contents. Not
///   atomic: a reader can see a mix while it is being written.
/// - a character or block device or a FIFO: opened with O_WRONLY and written in place, never
///   created, truncated or replaced; a Unix socket: connected to and written.
/// - a folder: an error (EISDIR).
/// Errors are `OutputFile.Failure`, whose description is the reason (strerror).
final class OutputFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
        init(errno e: Int32) { description = String(cString: strerror(e)) }
    }

    private var fd: Int32
    /// The temporary file and the path it replaces, when FILE is replaced atomically.
    private let temporary: String?
    private let target: String
    private let truncateAtEnd: Bool
    private var written = 0
    private var finished = false

    init(path: String) throws(Failure) {
        let resolved = try Self.resolve(path)
        target = resolved
        var st = stat()
        let exists = stat(resolved, &st) == 0
        if !exists && errno != ENOENT { throw Failure(errno: errno) }
        let type = st.st_mode & S_IFMT
        if exists && type == S_IFDIR { throw Failure(errno: EISDIR) }
        if exists && type == S_IFSOCK {
            fd = try Self.connect(resolved)
            temporary = nil; truncateAtEnd = false
            return
        }
        if exists && (type != S_IFREG || st.st_nlink > 1) {
            // In place: a device, a FIFO, or a file with other names.
            let f = open(resolved, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW)
            if f < 0 { throw Failure(errno: errno) }
            fd = f
            temporary = nil
            truncateAtEnd = type == S_IFREG
            return
        }
        let slash = resolved.lastIndex(of: "/")
        let folder = slash.map { String(resolved[..<$0]) } ?? "."
        let name = slash.map { String(resolved[resolved.index(after: $0)...]) } ?? resolved
        var template = Array(((folder.isEmpty ? "" : folder) + "/." + name.prefix(100) + ".tmp-XXXXXX").utf8CString)
        let f = template.withUnsafeMutableBufferPointer { b -> Int32 in
            guard let base = b.baseAddress else { return -1 }
            return mkstemp(base)
        }
        if f < 0 { throw Failure(errno: errno) }
        fd = f
        temporary = template.withUnsafeBufferPointer { b in b.baseAddress.map { String(cString: $0) } ?? "" }
        truncateAtEnd = false
        _ = fcntl(f, F_SETFD, FD_CLOEXEC)
        if exists {
            if geteuid() == 0 { _ = fchown(f, st.st_uid, st.st_gid) }
            _ = fchmod(f, st.st_mode & 0o7777)
        } else {
            let mask = umask(0); umask(mask)
            _ = fchmod(f, 0o666 & ~mask)
        }
    }

    deinit {
        if !finished {
            if fd >= 0 { close(fd) }
            if let temporary { unlink(temporary) }
        }
    }

    /// Writes the whole string.
    func write(_ s: String) throws(Failure) {
        var s = s
        let e = s.withUTF8 { Output.writeAll(fd, UnsafeRawBufferPointer($0)) }
        if e != 0 { throw Failure(errno: e) }
        written += s.utf8.count
    }

    /// Writes the whole buffer.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        let e = Output.writeAll(fd, bytes)
        if e != 0 { throw Failure(errno: e) }
        written += bytes.count
    }

    /// Finishes: fsync and rename for a replaced file; cut to length and fsync for a regular file
    /// written in place; close for the others. Until this returns, a replaced FILE is untouched.
    func commit() throws(Failure) {
        defer { finished = true }
        if truncateAtEnd && ftruncate(fd, off_t(written)) != 0 { let e = errno; close(fd); fd = -1; throw Failure(errno: e) }
        if temporary != nil || truncateAtEnd {
            if fsync(fd) != 0 { let e = errno; close(fd); fd = -1; throw Failure(errno: e) }
        }
        let closed = close(fd)
        let closeErrno = errno
        fd = -1
        guard let temporary else {
            if closed != 0 && closeErrno != EINTR { throw Failure(errno: closeErrno) }
            return
        }
        if closed != 0 && closeErrno != EINTR { unlink(temporary); throw Failure(errno: closeErrno) }
        if rename(temporary, target) != 0 { let e = errno; unlink(temporary); throw Failure(errno: e) }
        // The rename itself on disk: fsync the folder (not possible everywhere; then ignored).
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let d = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 { _ = fsync(d); close(d) }
    }

    /// `path` with symlinks followed (each link's target read relative to the link's folder),
    /// up to 40 of them. The result is not a symlink: an existing file of another type, or a
    /// name that does not exist yet.
    static func resolve(_ path: String) throws(Failure) -> String {
        var p = path
        for _ in 0..<40 {
            var st = stat()
            if lstat(p, &st) != 0 {
                if errno == ENOENT { return p }
                throw Failure(errno: errno)
            }
            guard st.st_mode & S_IFMT == S_IFLNK else { return p }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(p, &buffer, buffer.count - 1)
            if n < 0 { throw Failure(errno: errno) }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                p = link
            } else if let slash = p.lastIndex(of: "/") {
                p = String(p[...slash]) + link
            } else {
                p = link
            }
        }
        throw Failure(errno: ELOOP)
    }

    /// A stream connection to the Unix socket at `path`.
    static func connect(_ path: String) throws(Failure) -> Int32 {
        #if canImport(Glibc) || canImport(Musl)
        let s = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let s = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        if s < 0 { throw Failure(errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { close(s); throw Failure(errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                systemConnect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if r != 0 { let e = errno; close(s); throw Failure(errno: e) }
        return s
    }

    /// Writes `text` to `path` as `-o` does (see the type's comment).
    static func write(_ text: String, to path: String) throws(Failure) {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }
}
