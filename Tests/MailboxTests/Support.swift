// Helpers shared by the Mailbox tests: building inputs from text, temporary folders, locating
// the repository and the shared corpus.
import Foundation
import Testing
@testable import Mailbox

extension Tag {
    /// Tests that read the full list archives (29–172 MB): they run in release builds, or in debug
    /// when `LKML_CORPUS_FULL=1` is set.
    @Tag static var corpus: Self
}

/// Bytes of a string written with `\n` line ends.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The same text with CRLF line ends.
func crlf(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    for b in s.utf8 {
        if b == UInt8(ascii: "\n") { out.append(UInt8(ascii: "\r")) }
        out.append(b)
    }
    return out
}

/// Parses one message given as text.
func parseMessage(_ s: String, limits: ParseLimits = ParseLimits()) -> Message {
    MessageParser.parse(bytes(s)[...], limits: limits)
}

func parseMessage(bytes b: [UInt8], limits: ParseLimits = ParseLimits()) -> Message {
    MessageParser.parse(b[...], limits: limits)
}

/// Parses a mailbox held in memory.
func parseMailbox(_ s: String, format: MboxFormat = .auto) -> MailboxContents {
    var o = ReadOptions()
    o.format = format
    return MailReader.parse(bytes(s), options: o)
}

func warningCodes(_ m: Message) -> [ParseWarning.Code] { m.warnings.map(\.code) }

/// Seconds since 1970 of a parsed date (nil when none).
func epoch(_ d: Date?) -> Int? { d.map { Int($0.timeIntervalSince1970) } }

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mbtests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var path: String { url.path }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ content: [UInt8]) throws -> String {
        let p = file(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content).write(to: URL(fileURLWithPath: p))
        return p
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

enum Paths {
    /// The repository root (this file is Tests/MailboxTests/Support.swift).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var sample: String { repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml").path }
    /// `../shared/corpus` next to the repository, or nil (with the reason printed) when absent.
    static func corpus(for test: String) -> URL? {
        let c = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus").standardizedFileURL
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: c.path, isDirectory: &isDir), isDir.boolValue { return c }
        print("\(test): skipped: corpus not found at \(c.path)")
        return nil
    }
}

/// Whether the full-archive tests run: always in release builds, in debug only on request.
var fullCorpusEnabled: Bool {
    #if DEBUG
    return ProcessInfo.processInfo.environment["LKML_CORPUS_FULL"] == "1"
    #else
    return true
    #endif
}

/// The result of a block and the CPU seconds this thread spent in it (unlike wall time, not
/// inflated when other processes share the machine). Only for blocks that stay on one thread.
func cpuTimed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let start = now()
    let r = try body()
    return (r, now() - start)
}

/// A compact description of a message's MIME tree: `type[role](children)`.
func mimeShape(_ p: MIMEPart) -> String {
    var s = p.contentType
    if !p.role.isEmpty { s += "[\(p.role)]" }
    if !p.children.isEmpty { s += "(" + p.children.map(mimeShape).joined(separator: ",") + ")" }
    return s
}
