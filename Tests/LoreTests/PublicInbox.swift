#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Mailbox
import TestSupport

/// The mail a public-inbox look-alike serves: thread files from `Samples/` and the corpus.
struct ServedThread: Sendable {
    /// The inbox (list) name: `samples` or the corpus list's name (`linux-sparse`).
    var inbox: String
    var name: String
    /// The thread as mboxrd (an .eml gets a `From mboxrd@z` line).
    var mbox: [UInt8]
    var gzip: [UInt8]
    /// Message-IDs of its messages, in order (read independently of the mbox separators).
    var messageIDs: [String]
}

enum Fixtures {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var corpusLists: String { repoRoot + "/../shared/corpus/lists" }

    /// Every thread served by `PublicInbox`; corpus threads only when the corpus exists.
    static let threads: [ServedThread] = {
        var result: [ServedThread] = []
        let fm = FileManager.default
        let samples = repoRoot + "/Samples"
        for name in ((try? fm.contentsOfDirectory(atPath: samples)) ?? []).sorted()
        where name.hasSuffix(".mbox") || name.hasSuffix(".eml") {
            if let thread = load(samples + "/" + name, inbox: "samples", name: name) { result.append(thread) }
        }
        for list in ((try? fm.contentsOfDirectory(atPath: corpusLists)) ?? []).sorted() {
            let dir = corpusLists + "/" + list + "/threads"
            let inbox = String(list.prefix { $0 != "." })
            for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".mbox") {
                if let thread = load(dir + "/" + name, inbox: inbox, name: name) { result.append(thread) }
            }
        }
        return result
    }()

    static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpusLists) }

    static func load(_ path: String, inbox: String, name: String) -> ServedThread? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var bytes = [UInt8](data)
        if !bytes.starts(with: Array("From ".utf8)) {
            // An .eml: public-inbox serves mboxrd, one separator line and `>From ` quoting.
            var out = Array("From mboxrd@z Thu Jan  1 00:00:00 1970\n".utf8)
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                var rest = line[...]
                while rest.first == UInt8(ascii: ">") { rest = rest.dropFirst() }
                if rest.starts(with: Array("From ".utf8)) { out.append(UInt8(ascii: ">")) }
                out.append(contentsOf: line)
                out.append(UInt8(ascii: "\n"))
            }
            if bytes.last == UInt8(ascii: "\n") { out.removeLast() }
            bytes = out
        }
        let gz: [UInt8]
        do { gz = try gzipCompress(bytes) } catch { return nil }
        return ServedThread(inbox: inbox, name: name, mbox: bytes, gzip: gz, messageIDs: messageIDs(bytes))
    }

    /// Message-ID headers, read from the header block of each message (a message starts after an
    /// mbox separator line; the header block ends at the first empty line).
    static func messageIDs(_ bytes: [UInt8]) -> [String] {
        var ids: [String] = []
        var inHeaders = false
        for lineSlice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var line = String(decoding: lineSlice, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasPrefix("From mboxrd@z ") || (line.hasPrefix("From ") && !inHeaders && line.contains(":")) {
                inHeaders = true
                continue
            }
            if inHeaders {
                if line.isEmpty { inHeaders = false; continue }
                if line.lowercased().hasPrefix("message-id:") {
                    let value = line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
                    if let open = value.firstIndex(of: "<"), let close = value.firstIndex(of: ">"), open < close {
                        ids.append(String(value[value.index(after: open)..<close]))
                    }
                }
            }
        }
        return ids
    }

    /// Finds the thread holding a message-id.
    static func thread(holding id: String) -> ServedThread? {
        threads.first { $0.messageIDs.contains(id) }
    }
}

/// A small public-inbox: `/<inbox or all>/<escaped message-id>/t.mbox.gz` serves the thread
/// holding that message gzip-compressed; an unknown id gets public-inbox's 404 page.
enum PublicInbox {
    static func reply(_ target: String) -> Reply {
        let parts = target.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2] == "t.mbox.gz",
              let id = parts[1].removingPercentEncoding else {
            return .status(404, "Not Found")
        }
        guard let thread = Fixtures.thread(holding: id), parts[0] == "all" || parts[0] == thread.inbox else {
            return .status(404, "Not Found")
        }
        return .gzip(thread.gzip)
    }
}
