// A real HTTP/1.1 server on 127.0.0.1 for the Lore tests: plain Glibc sockets, one thread per
// connection, one request per connection (`Connection: close`). Each test starts its own server
// on an ephemeral port with its own handler, so tests can run in parallel.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Mailbox

/// What the server does with one request.
indirect enum Reply: Sendable {
    /// A normal response with a correct Content-Length.
    case response(status: Int, headers: [String], body: [UInt8])
    /// Bytes written verbatim (status line and headers included), then the connection closes.
    case raw([UInt8])
    /// `head` at once, then `body` one byte every `interval` seconds.
    case trickle(head: [UInt8], body: [UInt8], interval: Double)
    /// `head`, then `chunk` again and again until the client hangs up (at most `limit` bytes).
    case endless(head: [UInt8], chunk: [UInt8], limit: Int)
    /// Waits, then replies.
    case delayed(seconds: Double, Reply)

    static func gzip(_ body: [UInt8]) -> Reply {
        .response(status: 200, headers: ["Content-Type: application/gzip"], body: body)
    }

    static func status(_ code: Int, _ text: String = "") -> Reply {
        .response(status: code, headers: ["Content-Type: text/html; charset=UTF-8"],
                  body: Array("<html><head><title>\(code) \(text)</title></head><body>\(text)</body></html>\n".utf8))
    }

    static func redirect(_ code: Int = 302, to location: String) -> Reply {
        .response(status: code, headers: ["Location: \(location)"], body: Array("moved\n".utf8))
    }

    /// A head claiming `contentLength` bytes.
    static func head(status: Int = 200, contentLength: Int?, contentType: String = "application/gzip") -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: \(contentType)\r\nConnection: close\r\n"
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 404: return "Not Found"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// One request as the server saw it.
struct SeenRequest: Sendable, Hashable {
    var target: String
    var headers: [String]
}

final class TestServer: @unchecked Sendable {
    typealias Handler = @Sendable (_ target: String, _ hit: Int) -> Reply

    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var seen: [SeenRequest] = []
    private var stopped = false

    var base: String { "http://127.0.0.1:\(port)" }

    /// The request targets seen so far, in order.
    var requests: [String] { lock.withLock { seen.map(\.target) } }
    var requestsWithHeaders: [SeenRequest] { lock.withLock { seen } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.socket(errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw ServerError.socket(code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if first {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 65536 {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { return }
            request.append(contentsOf: buffer[0..<got])
            if request.first == 0x16 {
                // A TLS ClientHello: answer in plain HTTP, as a server without TLS on that port would.
                _ = send(fd, Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            if request.count >= 4, request.suffix(from: max(0, request.count - got - 3)).containsSubsequence([13, 10, 13, 10]) {
                break
            }
        }
        let text = String(decoding: request, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        let target = String(parts[1])
        let headers = lines.dropFirst().prefix { !$0.isEmpty }.map { $0 }
        let hit = lock.withLock { () -> Int in
            seen.append(SeenRequest(target: target, headers: headers))
            return seen.filter { $0.target == target }.count
        }
        reply(handler(target, hit), on: fd)
    }

    private func reply(_ reply: Reply, on fd: Int32) {
        switch reply {
        case .response(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(Reply.reason(status))\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
            for header in headers { head += header + "\r\n" }
            _ = send(fd, Array((head + "\r\n").utf8)) && send(fd, body)
        case .raw(let bytes):
            _ = send(fd, bytes)
        case .trickle(let head, let body, let interval):
            guard send(fd, head) else { return }
            for byte in body {
                usleep(UInt32(interval * 1_000_000))
                if !send(fd, [byte]) { return }
            }
        case .endless(let head, let chunk, let limit):
            guard send(fd, head) else { return }
            var sent = 0
            while sent < limit, send(fd, chunk) { sent += chunk.count }
        case .delayed(let seconds, let next):
            usleep(UInt32(seconds * 1_000_000))
            self.reply(next, on: fd)
        }
    }

    /// Sends everything; false when the peer is gone.
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    enum ServerError: Error { case socket(Int32) }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for i in 0...(count - needle.count) where self[i] == needle[0] {
            if Array(self[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}

extension ArraySlice where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool { Array(self).containsSubsequence(needle) }
}

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
