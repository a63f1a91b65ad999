// A real HTTP/1.1 server on 127.0.0.1 for the tests that fetch (Lore, CLI): plain Glibc sockets,
// one thread per connection, one request per connection (`Connection: close`). Each test starts
// its own server on an ephemeral port with its own handler, so tests can run in parallel. GET and
// POST (a body of up to Content-Length bytes, at most 1 MiB) are read; a handler may look at the
// method, path, query parameters and body (`SeenRequest`).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the server does with one request.
public indirect enum Reply: Sendable {
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

    public static func gzip(_ body: [UInt8]) -> Reply {
        .response(status: 200, headers: ["Content-Type: application/gzip"], body: body)
    }

    public static func status(_ code: Int, _ text: String = "") -> Reply {
        .response(status: code, headers: ["Content-Type: text/html; charset=UTF-8"],
                  body: Array("<html><head><title>\(code) \(text)</title></head><body>\(text)</body></html>\n".utf8))
    }

    public static func redirect(_ code: Int = 302, to location: String) -> Reply {
        .response(status: code, headers: ["Location: \(location)"], body: Array("moved\n".utf8))
    }

    /// A head claiming `contentLength` bytes.
    public static func head(status: Int = 200, contentLength: Int?, contentType: String = "application/gzip") -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: \(contentType)\r\nConnection: close\r\n"
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// One request as the server saw it.
public struct SeenRequest: Sendable, Hashable {
    /// `GET`, `POST` … as sent.
    public var method: String
    /// The request target: path and query, as sent.
    public var target: String
    public var headers: [String]
    /// The request body (a POST's), as sent.
    public var body: [UInt8]

    public init(method: String = "GET", target: String, headers: [String] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The target's path, without its query.
    public var path: String { String(target.prefix { $0 != "?" }) }

    /// The target's query parameters in order, names and values decoded as a form's
    /// (`+` is a space, `%XX` a byte).
    public var parameters: [(name: String, value: String)] {
        guard let q = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: q)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.formDecode(parts[0]), parts.count > 1 ? Self.formDecode(parts[1]) : "")
        }
    }

    /// The first query parameter of that name, decoded; nil when absent.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte (a bad escape
    /// stays as it is).
    public static func formDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let u = Array(text.utf8)
        var k = 0
        while k < u.count {
            if u[k] == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if u[k] == UInt8(ascii: "%"), k + 2 < u.count,
                      let v = UInt8(String(decoding: u[(k + 1)...(k + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                k += 2
            } else {
                bytes.append(u[k])
            }
            k += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

public final class TestServer: @unchecked Sendable {
    /// Answers a request by its target (path and query) and how many times that target was asked.
    public typealias Handler = @Sendable (_ target: String, _ hit: Int) -> Reply
    /// Answers a request seen whole (method, query parameters, body).
    public typealias RequestHandler = @Sendable (_ request: SeenRequest, _ hit: Int) -> Reply

    public let port: UInt16
    private let listener: Int32
    private let handler: RequestHandler
    private let lock = NSLock()
    private var seen: [SeenRequest] = []
    private var stopped = false

    public var base: String { "http://127.0.0.1:\(port)" }

    /// The request targets seen so far, in order.
    public var requests: [String] { lock.withLock { seen.map(\.target) } }
    public var requestsWithHeaders: [SeenRequest] { lock.withLock { seen } }
    /// Every request seen so far, in order.
    public var seenRequests: [SeenRequest] { lock.withLock { seen } }

    public convenience init(handler: @escaping Handler) throws {
        try self.init(requestHandler: { request, hit in handler(request.target, hit) })
    }

    /// A server whose handler sees each request whole (method, path, query parameters, body).
    /// (A factory, not an initialiser: `TestServer { _, _ in … }` stays unambiguous.)
    public static func seeing(_ handler: @escaping RequestHandler) throws -> TestServer {
        try TestServer(requestHandler: handler)
    }

    private init(requestHandler: @escaping RequestHandler) throws {
        self.handler = requestHandler
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

    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        // Only shut down here: the accept loop closes the socket when accept fails. Closing it
        // here let a server started next reuse the descriptor number while this loop was still
        // in accept() on it, so this server answered the other one's requests (CLI and Lore tests
        // run in one process).
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            if lock.withLock({ stopped }) {
                close(client)
                close(listener)
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
        var headEnd: Int? = nil
        while request.count < 65536 {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { return }
            request.append(contentsOf: buffer[0..<got])
            if request.first == 0x16 {
                // A TLS ClientHello: answer in plain HTTP, as a server without TLS on that port would.
                _ = send(fd, Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            if let end = Self.headEnd(request) {
                headEnd = end
                break
            }
        }
        guard let headEnd else { return }
        let text = String(decoding: request[..<headEnd], as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        let headers = lines.dropFirst().prefix { !$0.isEmpty }.map { $0 }
        // A body of Content-Length bytes (a POST's form), read whole.
        let length = headers.lazy.compactMap { h -> Int? in
            let pair = h.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
            return Int(pair[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var body = Array(request[(headEnd + 4)...])
        while body.count < min(length, 1 << 20) {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { return }
            body.append(contentsOf: buffer[0..<got])
        }
        let seenRequest = SeenRequest(method: String(parts[0]), target: String(parts[1]), headers: headers,
                                      body: Array(body.prefix(length)))
        let hit = lock.withLock { () -> Int in
            seen.append(seenRequest)
            return seen.filter { $0.target == seenRequest.target }.count
        }
        reply(handler(seenRequest, hit), on: fd)
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

    /// Where the request head ends: the offset of its blank line's CR LF CR LF.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
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

    public enum ServerError: Error { case socket(Int32) }
}

extension Array where Element == UInt8 {
    public func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for i in 0...(count - needle.count) where self[i] == needle[0] {
            if Array(self[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}

extension ArraySlice where Element == UInt8 {
    public func containsSubsequence(_ needle: [UInt8]) -> Bool { Array(self).containsSubsequence(needle) }
}

