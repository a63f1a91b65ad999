// Issue 15, "Output" and "Input": what the binary does around the mail. `-o` onto a private file,
// a symlink, a hard link, a FIFO, device nodes and a folder (all made in a temporary folder; never
// /dev/...); standard output on /dev/full and on a closed pipe; one JSON escaping rule; the input
// errors of `check` and of a bad tables file; a folder given as input named once.
import Foundation
import Testing

final class OutputSafetyTests {
    /// This test's files; removed when the test ends.
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    static func lstatOf(_ p: String) -> stat? {
        var s = stat()
        return lstat(p, &s) == 0 ? s : nil
    }

    static func fileType(_ p: String) -> mode_t { (lstatOf(p)?.st_mode ?? 0) & S_IFMT }

    static func contents(_ p: String) -> String? {
        FileManager.default.contents(atPath: p).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The review of the sample on standard output: what every `-o` must write.
    static func expected(_ exe: String) throws -> String {
        let r = try CLI.run(exe, [CLI.sample])
        #expect(r.status == 0)
        return r.stdout
    }

    /// `makedev` (a C macro Swift does not import).
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        #if os(Linux)
        return dev_t((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32))
        #else
        return dev_t((major << 24) | minor)
        #endif
    }

    // MARK: -o FILE

    @Test func outputKeepsAPrivateFilesMode() throws {
        guard let exe = CLI.binaryOrSkip("outputKeepsAPrivateFilesMode") else { return }
        let out = try write("private.md", "old\n")
        chmod(out, 0o600)
        let r = try CLI.run(exe, ["-o", out, CLI.sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.contents(out) == (try Self.expected(exe)))
        #expect((Self.lstatOf(out)?.st_mode ?? 0) & 0o7777 == 0o600, "mode \(String((Self.lstatOf(out)?.st_mode ?? 0) & 0o7777, radix: 8))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["private.md"])
        // as root, the owner and group are kept too
        if geteuid() == 0 {
            #expect(chown(out, 4321, 4322) == 0)
            #expect(try CLI.run(exe, ["-o", out, CLI.sample]).status == 0)
            #expect(Self.lstatOf(out)?.st_uid == 4321 && Self.lstatOf(out)?.st_gid == 4322, "owner not kept")
            #expect((Self.lstatOf(out)?.st_mode ?? 0) & 0o7777 == 0o600)
        } else {
            print("outputKeepsAPrivateFilesMode: owner part skipped: not root")
        }
        // a new file gets the usual mode (0666 less the umask)
        let fresh = path("new.md")
        #expect(try CLI.run(exe, ["-o", fresh, CLI.sample]).status == 0)
        let mask = umask(0); umask(mask)
        #expect((Self.lstatOf(fresh)?.st_mode ?? 0) & 0o7777 == 0o666 & ~mask)
    }

    @Test func outputFollowsASymlink() throws {
        guard let exe = CLI.binaryOrSkip("outputFollowsASymlink") else { return }
        let target = try write("target.md", "old\n")
        chmod(target, 0o640)
        let link = path("link.md")
        #expect(symlink("target.md", link) == 0)
        let r = try CLI.run(exe, ["-o", link, CLI.sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(link) == S_IFLNK, "the symlink was replaced")
        #expect(Self.contents(target) == (try Self.expected(exe)))
        #expect((Self.lstatOf(target)?.st_mode ?? 0) & 0o7777 == 0o640)
        // a dangling symlink: its target is created
        let dangling = path("dangling.md")
        #expect(symlink("made.md", dangling) == 0)
        #expect(try CLI.run(exe, ["-o", dangling, CLI.sample]).status == 0)
        #expect(Self.fileType(dangling) == S_IFLNK)
        #expect(Self.contents(path("made.md")) == (try Self.expected(exe)))
    }

    @Test func outputWritesAHardLinkedFileInPlace() throws {
        guard let exe = CLI.binaryOrSkip("outputWritesAHardLinkedFileInPlace") else { return }
        let a = try write("a.md", String(repeating: "old contents, longer than the review\n", count: 2000))
        let b = path("b.md")
        #expect(link(a, b) == 0)
        let r = try CLI.run(exe, ["-o", a, CLI.sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.lstatOf(a)?.st_ino == Self.lstatOf(b)?.st_ino, "the hard link was broken")
        #expect(Self.contents(b) == (try Self.expected(exe)))
        #expect(Self.contents(a) == (try Self.expected(exe)))
    }

    @Test func outputIntoAFIFOWritesIntoIt() throws {
        guard let exe = CLI.binaryOrSkip("outputIntoAFIFOWritesIntoIt") else { return }
        let fifo = path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opened for reading first, non-blocking, so that neither side can hang: the read below
        // gives up after 30 s.
        let fd = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-o", fifo, CLI.sample]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { got += buffer[0..<n]; continue }
            if n == 0 && !got.isEmpty { break }              // the writer closed it
            if n == 0 && !p.isRunning { break }              // exited without writing
            usleep(10_000)
        }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(Self.fileType(fifo) == S_IFIFO, "the FIFO was replaced")
        #expect(String(decoding: got, as: UTF8.self) == (try Self.expected(exe)))
    }

    @Test func outputOntoAUnixSocketWritesIntoIt() throws {
        guard let exe = CLI.binaryOrSkip("outputOntoAUnixSocketWritesIntoIt") else { return }
        let socketPath = path("sock")
        #if canImport(Glibc)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let listener = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            print("outputOntoAUnixSocketWritesIntoIt: skipped: the temporary path is too long for a socket")
            return
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0 && listen(listener, 1) == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-o", socketPath, CLI.sample]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Accept and read with a deadline (poll), so that a binary that never connects cannot hang the test.
        var got: [UInt8] = []
        let deadline = Date().addingTimeInterval(30)
        var connection: Int32 = -1
        while connection < 0 && Date() < deadline && p.isRunning {
            var fds = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 { connection = accept(listener, nil, nil) }
        }
        if connection >= 0 {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                var fds = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                guard poll(&fds, 1, 100) > 0 else { continue }
                let n = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                got += buffer[0..<n]
            }
            close(connection)
        }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(Self.fileType(socketPath) == S_IFSOCK, "the socket was replaced")
        #expect(String(decoding: got, as: UTF8.self) == (try Self.expected(exe)))
    }

    @Test func outputOntoDeviceNodesWritesInPlace() throws {
        guard let exe = CLI.binaryOrSkip("outputOntoDeviceNodesWritesInPlace") else { return }
        guard geteuid() == 0 else {
            print("outputOntoDeviceNodesWritesInPlace: skipped: mknod needs root")
            return
        }
        let null = path("null"), full = path("full")
        guard mknod(null, S_IFCHR | 0o666, Self.device(1, 3)) == 0, mknod(full, S_IFCHR | 0o666, Self.device(1, 7)) == 0 else {
            print("outputOntoDeviceNodesWritesInPlace: skipped: mknod failed: \(String(cString: strerror(errno)))")
            return
        }
        let probe = open(null, O_WRONLY)
        guard probe >= 0 else {
            print("outputOntoDeviceNodesWritesInPlace: skipped: device nodes cannot be opened here (nodev?): \(String(cString: strerror(errno)))")
            return
        }
        close(probe)
        let r = try CLI.run(exe, ["-o", null, CLI.sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(null) == S_IFCHR, "the null device node was replaced")
        let f = try CLI.run(exe, ["-o", full, CLI.sample])
        #expect(f.status == 2)
        #expect(f.stderr == "lkml-review: -o \(full): No space left on device\n")
        #expect(Self.fileType(full) == S_IFCHR, "the full device node was replaced")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["null", "full"])
    }

    @Test func outputOntoAFolderIsAnError() throws {
        guard let exe = CLI.binaryOrSkip("outputOntoAFolderIsAnError") else { return }
        let folder = path("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let r = try CLI.run(exe, ["-o", folder, CLI.sample])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lkml-review: -o \(folder): Is a directory\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["folder"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }

    @Test func fetchOutputFollowsASymlinkAndRefusesAFolder() throws {
        guard let exe = CLI.binaryOrSkip("fetchOutputFollowsASymlinkAndRefusesAFolder") else { return }
        let cache = try cacheWithOneThread()
        let thread = try #require(Self.contents(ReviewCLITests.acme))
        let target = try write("thread.mbox", "old\n")
        chmod(target, 0o600)
        let link = path("link.mbox")
        #expect(symlink("thread.mbox", link) == 0)
        let r = try CLI.run(exe, ["fetch", "--offline", "--cache-dir", cache, "-o", link, Self.cachedID])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(link) == S_IFLNK, "the symlink was replaced")
        #expect(Self.contents(target) == thread)
        #expect((Self.lstatOf(target)?.st_mode ?? 0) & 0o7777 == 0o600)
        // a folder
        let f = try CLI.run(exe, ["fetch", "--offline", "--cache-dir", cache, "-o", dir.path, Self.cachedID])
        #expect(f.status == 2)
        #expect(f.stderr == "lkml-review: -o \(dir.path): Is a directory\n", "\(f.stderr)")
    }

    // MARK: standard output

    /// Runs the binary with standard output on `stdoutFD` (the parent's copy is closed after the
    /// start when `closeAfterStart`); returns the exit status, whether a signal ended it, and stderr.
    static func run(_ exe: String, _ args: [String], stdoutFD: Int32, closeAfterStart: Bool = false) throws -> (status: Int32, signalled: Bool, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle(fileDescriptor: stdoutFD, closeOnDealloc: false)
        let err = Pipe()
        p.standardError = err
        try p.run()
        if closeAfterStart { close(stdoutFD) }
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal, String(decoding: data, as: UTF8.self))
    }

    /// A cache folder holding the acme thread as the thread of `cachedID`, for `fetch --offline`.
    static let cachedID = "p1@example.com"

    func cacheWithOneThread() throws -> String {
        let cache = path("cache")
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        // ThreadCache's file name: the id, "-", the first 16 hex digits of its SHA-256.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(Self.cachedID.utf8))
        try input.fileHandleForWriting.close()
        let hash = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(16)
        p.waitUntilExit()
        try FileManager.default.copyItem(atPath: ReviewCLITests.acme, toPath: "\(cache)/\(Self.cachedID)-\(hash).mbox")
        return cache
    }

    /// Every command that writes standard output, each with small inputs.
    func everyCommand() throws -> [[String]] {
        let c = try write("f.c", "void f(struct mutex *m)\n{\n\tmutex_lock(m);\n}\n")
        let tables = try write("t.yaml", "locks:\n  - {name: foo_lock, action: acquire, family: mutex}\n")
        let cache = try cacheWithOneThread()
        return [
            ["fetch", "--offline", "--cache-dir", cache, Self.cachedID], ["fetch", "--offline", "--cache-dir", cache, "-o", "-", Self.cachedID],
            [CLI.sample], ["review", "--format", "json", CLI.sample], ["review", "--format", "sarif", CLI.sample],
            ["review", "--format", "text", CLI.sample],
            ["parse", CLI.sample], ["parse", "--json", CLI.sample], ["parse", "--summary", CLI.sample],
            ["remarks", CLI.sample], ["remarks", "--json", CLI.sample],
            ["rules"], ["rules", "--json", "--tables", tables],
            ["check", c], ["check", "--json", c], ["check", "--format", "sarif", c],
            ["cache", "list", "--cache-dir", cache], ["cache", "clear", "--cache-dir", cache],   // clear last: it empties the cache
            ["--help"], ["--version"],
        ]
    }

    @Test func standardOutputOnDevFullIsOneLineAndStatusTwo() throws {
        guard let exe = CLI.binaryOrSkip("standardOutputOnDevFullIsOneLineAndStatusTwo") else { return }
        let full = open("/dev/full", O_WRONLY)
        guard full >= 0 else {
            print("standardOutputOnDevFullIsOneLineAndStatusTwo: skipped: cannot open /dev/full: \(String(cString: strerror(errno)))")
            return
        }
        defer { close(full) }
        for args in try everyCommand() {
            let r = try Self.run(exe, args, stdoutFD: full)
            #expect(!r.signalled && r.status == 2, "\(args): status \(r.status), signalled \(r.signalled)")
            #expect(r.stderr == "lkml-review: standard output: No space left on device\n", "\(args): \(r.stderr.prefix(300))")
        }
    }

    @Test func aClosedPipeEndsQuietly() throws {
        guard let exe = CLI.binaryOrSkip("aClosedPipeEndsQuietly") else { return }
        for args in try everyCommand() {
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            close(fds[0])   // nobody reads: every write gets EPIPE (SIGPIPE when it is not ignored)
            let r = try Self.run(exe, args, stdoutFD: fds[1], closeAfterStart: true)
            #expect(!r.signalled, "\(args): killed by signal \(r.status)")
            #expect(r.status == 0, "\(args): status \(r.status)")
            #expect(r.stderr == "", "\(args): \(r.stderr.prefix(300))")
        }
    }

    // MARK: JSON

    /// A patch and a reply whose remark, subject and sender hold C1 controls and bidi controls.
    static let hostileThread = """
    From a@example.com Mon Feb 15 20:15:47 2021
    From: Jane Dev <jane@example.com>
    Subject: [PATCH] foo: fix the lock
    Message-ID: <p1@example.com>
    Date: Mon, 15 Feb 2021 20:15:47 -0500

    Fix it.

    ---
    diff --git a/drivers/foo.c b/drivers/foo.c
    --- a/drivers/foo.c
    +++ b/drivers/foo.c
    @@ -10,6 +10,7 @@ static int foo(struct foo *f)
     {
     \tmutex_lock(&f->lock);
     \tf->count++;
    +\tf->other++;
     \tmutex_unlock(&f->lock);
     \treturn 0;
     }

    From b@example.com Mon Feb 15 21:15:47 2021
    From: Rev \u{202E}Iewer <rev@example.com>
    Subject: Re: [PATCH] foo: fix \u{9B}31m the lock
    Message-ID: <r1@example.com>
    In-Reply-To: <p1@example.com>
    Date: Mon, 15 Feb 2021 21:15:47 -0500
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 8bit

    On Mon, Jane Dev wrote:
    >  \tf->count++;
    > +\tf->other++;

    Why \u{9B}31m this \u{202E}desrever\u{202C} and \u{2066}isolated\u{2069}?

    """

    static let dangerous: [Unicode.Scalar] = [
        "\u{85}", "\u{9B}", "\u{9F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
    ]

    static func rawDangerous(_ s: String) -> [String] {
        s.unicodeScalars.filter { u in dangerous.contains(u) || (0x80...0x9F).contains(u.value) }
            .map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    @Test func everyJSONOutputEscapesC1AndBidiControls() throws {
        guard let exe = CLI.binaryOrSkip("everyJSONOutputEscapesC1AndBidiControls") else { return }
        let mbox = try write("hostile.mbox", Self.hostileThread)
        let tables = try write("hostile.yaml", "locks:\n  - {name: \"bad\\u202Elock\\x9B\", action: acquire, family: mutex}\n")
        // a finding names its file: a file name with the characters
        let c = try write("x\u{202E}y\u{9B}.c", "int f(struct mutex *m, int x)\n{\n\tmutex_lock(m);\n\tif (x)\n\t\treturn -1;\n\tmutex_unlock(m);\n\treturn 0;\n}\n")
        for args in [["remarks", "--json", mbox], ["parse", "--json", mbox], ["review", "--format", "json", mbox],
                     ["rules", "--json", "--tables", tables], ["check", "--json", c]] {
            let r = try CLI.run(exe, args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(Self.rawDangerous(r.stdout).isEmpty, "\(args): raw \(Self.rawDangerous(r.stdout))")
            #expect(r.stdout.contains("\\u202e") && r.stdout.contains("\\u009b"), "\(args)")
            // the same JSON value
            #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(args): not JSON")
        }
    }

    // MARK: input

    func expectOneLineError(_ r: Run, _ what: [String], _ context: String) {
        #expect(r.status == 2, "\(context): status \(r.status), stdout \(r.stdout.prefix(200))")
        #expect(r.stdout == "", "\(context)")
        #expect(r.stderr.hasPrefix("lkml-review: ") && r.stderr.hasSuffix("\n") && r.stderr.split(separator: "\n").count == 1,
                "\(context): \(r.stderr)")
        for w in what { #expect(r.stderr.contains(w), "\(context): \(r.stderr) lacks \(w)") }
        print("\(context): \(r.stderr.trimmingCharacters(in: .newlines))")
    }

    @Test func checkRefusesWhatIsNotCAndAPatchWithNoDiff() throws {
        guard let exe = CLI.binaryOrSkip("checkRefusesWhatIsNotCAndAPatchWithNoDiff") else { return }
        var blob = [UInt8](repeating: 0, count: 4096)
        for i in blob.indices { blob[i] = UInt8(truncatingIfNeeded: (i &* 2654435761) >> 13) }
        let binary = path("blob.c")
        try Data(blob).write(to: URL(fileURLWithPath: binary))
        expectOneLineError(try CLI.run(exe, ["check", binary]), [binary, "binary"], "check on a binary file")
        let prose = try write("notes.c", "These are notes, not code.\nNothing here is a function.\n")
        expectOneLineError(try CLI.run(exe, ["check", prose]), [prose, "no C function"], "check on prose")
        let nodiff = try write("nodiff.patch", "From: a@example.com\nSubject: [PATCH] x\n\nJust prose, no diff.\n")
        expectOneLineError(try CLI.run(exe, ["check", "--patch", nodiff]), [nodiff, "no diff"], "check --patch without a diff")
        // judged by content, not by name: C in a file called .txt is analysed
        let c = try write("code.txt", "void f(struct mutex *m)\n{\n\tmutex_lock(m);\n}\n")
        let ok = try CLI.run(exe, ["check", c])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasSuffix("in 1 functions\n"), "\(ok.stdout)")
        // a folder
        expectOneLineError(try CLI.run(exe, ["check", dir.path]), [dir.path], "check on a folder")
    }

    @Test func aBadTablesFileIsOneLineWithItsLine() throws {
        guard let exe = CLI.binaryOrSkip("aBadTablesFileIsOneLineWithItsLine") else { return }
        let c = try write("f.c", "void f(void)\n{\n}\n")
        let cases: [(String, String, [String])] = [
            ("type.yaml", "# user tables\nlocks:\n  - {name: foo_lock, action: acquire, argument: zero}\n",
             ["type.yaml:3:", "locks[0].argument", "expected Int"]),
            ("key.yaml", "references:\n  - name: foo_get\n    action: get\n  - action: put\n    family: foo\n",
             ["key.yaml:4:", "references[1]", "name"]),
            ("shape.yaml", "locks:\n  name: x\n", ["shape.yaml:1:", "locks", "expected a sequence"]),
            ("syntax.yaml", "locks: [\n  - {name: x\n", ["syntax.yaml:2:", "YAML"]),
            ("tab.yaml", "locks:\n\t- x: 1\n", ["tab.yaml:2:", "YAML"]),
        ]
        for (name, text, what) in cases {
            let f = try write(name, text)
            expectOneLineError(try CLI.run(exe, ["rules", "--tables", f]), what, "rules --tables \(name)")
            expectOneLineError(try CLI.run(exe, ["check", "--tables", f, c]), what, "check --tables \(name)")
            expectOneLineError(try CLI.run(exe, ["review", "--rules", f, CLI.sample]), what, "review --rules \(name)")
        }
    }

    @Test func aFolderGivenAsInputIsNamedOnce() throws {
        guard let exe = CLI.binaryOrSkip("aFolderGivenAsInputIsNamedOnce") else { return }
        let folder = path("somefolder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for args in [["review", folder], [folder], ["parse", folder], ["remarks", folder], ["check", folder]] {
            let r = try CLI.run(exe, args)
            expectOneLineError(r, [folder], "\(args)")
            #expect(r.stderr.components(separatedBy: folder).count == 2, "\(args): \(r.stderr)")
        }
    }
}
