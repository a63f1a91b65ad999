// Fuzz harness of the Lore module's parsing, and the test that replays the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of LoreTests, and into the libFuzzer target
// `fuzz-lore` of `Fuzz/` (linked as its Harness.swift, built with `-D FUZZING`), so a regression
// input is replayed through exactly the code the fuzzer ran. Inputs: `Fuzz/Regressions/lore/`.

import Lore
import Mailbox

enum LoreFuzzHarness {
    static let cacheDirectory = "/nonexistent/lkml-review-fuzz/cache"

    /// What a user pastes (message-id, `<id>`, `id:`, `mid:` URL, public-inbox link) and what a
    /// server is configured as: parsing, URL escaping and the cache file name. Checks that the id
    /// reaches the server only escaped and that the cache path stays inside the cache folder.
    /// Also counts mbox messages and compares with Mailbox's splitter.
    static func lore(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        _ = ThreadReference.looksLikeReference(text)
        if let id = try? MessageID(parsing: text) { checkID(id, server: .lore) }
        if let reference = try? ThreadReference(parsing: text) {
            checkID(reference.messageID, server: reference.server ?? .lore)
        }
        // A server mask and an id, separated by the first newline.
        if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
            let mask = String(decoding: data[..<newline], as: UTF8.self)
            let rest = String(decoding: data[(newline + 1)...], as: UTF8.self)
            if let server = try? InboxServer(midmask: mask) {
                precondition(server.midmask.components(separatedBy: "%s").count == 2, "midmask without exactly one %s: \(server.midmask)")
                if let id = try? MessageID(rest) { checkID(id, server: server) }
            }
        }
        if let id = try? MessageID(text) { checkID(id, server: .lore) }

        // Lore's message counter against Mailbox's splitter, for inputs that are an mbox.
        let counted = countMboxMessages(data)
        if data.starts(with: Array("From ".utf8)) {
            var splitter = MboxSplitter(source: MemorySource(data), format: .mboxo)
            var split = 0
            while let message = try? splitter.next() {
                _ = message
                split += 1
            }
            if splitter.isMbox {
                precondition(split == counted, "countMboxMessages says \(counted), MboxSplitter \(split)")
            }
        }
    }

    static func checkID(_ id: MessageID, server: InboxServer) {
        precondition(!id.value.isEmpty && id.value.utf8.count <= MessageID.maximumLength, "bad id accepted")
        let escaped = id.urlEscaped
        precondition(isEscaped(escaped), "unescaped byte reaches the URL: \(escaped)")
        precondition(percentDecoded(escaped) == Array(id.value.utf8), "escaping loses information")

        let url = server.threadURL(for: id)
        guard let placeholder = server.midmask.range(of: "%s") else { preconditionFailure("midmask without %s") }
        let prefix = String(server.midmask[..<placeholder.lowerBound])
        precondition(url.hasPrefix(prefix + escaped), "the id does not follow the server prefix in \(url)")
        precondition(url.hasSuffix("/t.mbox.gz"), "thread URL without t.mbox.gz: \(url)")
        // No `.` or `..` segment anywhere in the path (libcurl and servers would resolve them away,
        // and the request would leave the inbox); the server's own part has none percent-encoded
        // either (the id `..` is sent as `%2E%2E`, which names that id).
        if let schemeEnd = url.range(of: "://") {
            let segments = url[schemeEnd.upperBound...].split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            precondition(!segments.contains { $0 == "." || $0 == ".." }, "dot segment in \(url)")
            let inbox = prefix.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3)
            precondition(!inbox.map(dotsDecoded).contains { $0 == "." || $0 == ".." }, "dot segment in the server part of \(url)")
        }

        let cache = ThreadCache(directory: cacheDirectory)
        let name = cache.fileName(for: id)
        precondition(!name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && !name.hasPrefix("-"), "unsafe cache file name \(name)")
        precondition(name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }, "cache file name with odd bytes: \(name)")
        let path = cache.path(for: id)
        precondition(path == cacheDirectory + "/" + name, "cache path outside the folder: \(path)")
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        precondition(!components.contains("..") && !components.contains("."), "dot segment in cache path \(path)")
    }

    /// Only public-inbox's safe bytes and `%XX`.
    static func isEscaped(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
                i += 3
                continue
            }
            let safe = (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || Array("-._~!$&'()*+,;=:@".utf8).contains(b)
            if !safe { return false }
            i += 1
        }
        return true
    }

    /// A segment with `%2E`/`%2e` read as dots (what a server may do before resolving dot segments).
    static func dotsDecoded(_ segment: Substring) -> String {
        var out = ""
        var rest = segment
        while let first = rest.first {
            if rest.hasPrefix("%2E") || rest.hasPrefix("%2e") {
                out += "."
                rest = rest.dropFirst(3)
            } else {
                out.append(first)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    static func isHex(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    static func percentDecoded(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        func value(_ b: UInt8) -> UInt8 { b <= UInt8(ascii: "9") ? b - UInt8(ascii: "0") : b - UInt8(ascii: "A") + 10 }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count {
                out.append(value(bytes[i + 1]) << 4 | value(bytes[i + 2]))
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct LoreFuzzReplayTests {
    @Test func replayLore() {
        FuzzReplay.replay("lore", LoreFuzzHarness.lore)
    }

    /// Traversal and injection attempts through a message-id: escaped for the server, harmless
    /// for the cache.
    @Test func hostileIDsStayEscapedAndInsideTheCache() throws {
        let cache = ThreadCache(directory: LoreFuzzHarness.cacheDirectory)
        let traversal = try MessageID(parsing: "<../../../etc/passwd>")
        #expect(traversal.urlEscaped == "..%2F..%2F..%2Fetc%2Fpasswd")
        #expect(!cache.fileName(for: traversal).contains("/"))
        #expect(cache.path(for: traversal).hasPrefix(LoreFuzzHarness.cacheDirectory + "/_._.._.._etc_passwd-"))
        let injection = try MessageID(parsing: "a@b/../../x?y=1#z")
        #expect(InboxServer.lore.threadURL(for: injection) == "https://lore.kernel.org/all/a@b%2F..%2F..%2Fx%3Fy=1%23z/t.mbox.gz")
        let dot = try MessageID("..")
        #expect(cache.fileName(for: dot).hasPrefix("_.-"))
        #expect(InboxServer.lore.threadURL(for: dot) == "https://lore.kernel.org/all/%2E%2E/t.mbox.gz")
        LoreFuzzHarness.lore(Array("..".utf8))
        LoreFuzzHarness.lore(Array("<.>".utf8))
        LoreFuzzHarness.lore(Array("https://lore.kernel.org/all/%2E%2E/".utf8))
        LoreFuzzHarness.lore(Array("<../../../etc/passwd>".utf8))
    }
}
#endif
