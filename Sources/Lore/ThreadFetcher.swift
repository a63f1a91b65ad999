// Fetching `ID/t.mbox.gz`: retries, streaming gzip decoding under a cap, cache policy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Mailbox

/// How a fetch behaves.
public struct FetchOptions: Sendable {
    /// The most decoded bytes accepted for one thread (default 256 MiB).
    public var maxSize: Int
    /// A cached copy younger than this many seconds is used without asking the server
    /// (default 10 minutes; 0 always asks).
    public var cacheTTL: Double
    /// Only the cache: never touch the network.
    public var offline: Bool
    /// Attempts in all (1 = no retry) for connection errors, timeouts, 429 and 5xx answers.
    public var attempts: Int
    /// Delay before the first retry in seconds; it doubles for each further retry. A 429 or 5xx
    /// answer's `Retry-After` (seconds or an HTTP-date) replaces it for the retry that follows.
    public var retryDelay: Double
    /// Transfer settings (timeouts, redirects, proxy, user agent); `url` is filled in per fetch.
    public var transfer: HTTPRequest

    /// The longest `Retry-After` waited for: the fetch's own timeout, that is the whole-transfer
    /// timeout when set, else the stall timeout (`--stall-timeout`, 30 s by default) — as long as
    /// the fetch would wait for a server that sends nothing. A longer one fails at once
    /// (`LoreError.retryLater`).
    public var maxRetryWait: Double {
        if let total = transfer.totalTimeout, total > 0 { return total }
        return transfer.lowSpeedTime > 0 ? Double(transfer.lowSpeedTime) : 30
    }

    public init(
        maxSize: Int = 256 << 20,
        cacheTTL: Double = 600,
        offline: Bool = false,
        attempts: Int = 4,
        retryDelay: Double = 1,
        transfer: HTTPRequest = HTTPRequest(url: "")
    ) {
        self.maxSize = maxSize
        self.cacheTTL = cacheTTL
        self.offline = offline
        self.attempts = attempts
        self.retryDelay = retryDelay
        self.transfer = transfer
    }
}

/// A thread mbox on disk.
public struct FetchedThread: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// Downloaded now, after this many attempts.
        case network(attempts: Int)
        /// Taken from the cache; the copy is `age` seconds old.
        case cache(age: Double)
    }

    public var messageID: MessageID
    /// The URL that answered, after redirects (from the cache: the one recorded when it was
    /// fetched).
    public var url: String
    /// The URL asked for (the server's, before any redirect).
    public var requestedURL: String
    /// Where the mbox is.
    public var path: String
    public var origin: Origin
    /// Size of the (decoded) mbox in bytes.
    public var size: Int64
    /// Messages in it, counted by mbox `From ` lines with git's rule.
    public var messageCount: Int
}

/// Told about a download as it goes (a terminal progress bar, for instance).
public protocol FetchProgress: AnyObject {
    /// Compressed bytes received, the expected total if known, decoded bytes so far.
    func update(received: Int64, expected: Int64?, decoded: Int64)
    /// The download ended (successfully or not).
    func finish()
}

/// Gets a thread's mbox from a public-inbox server through an `HTTPClient`, with a cache.
public struct ThreadFetcher: Sendable {
    public var client: any HTTPClient
    /// nil: neither read nor write a cache (`--no-cache`).
    public var cache: ThreadCache?
    public var options: FetchOptions

    public init(client: any HTTPClient = CurlHTTPClient(), cache: ThreadCache?, options: FetchOptions = FetchOptions()) {
        self.client = client
        self.cache = cache
        self.options = options
    }

    /// Fetches the thread holding `id` from `server`.
    ///
    /// With a cache: a fresh cached copy is used as is; otherwise the thread is downloaded into the
    /// cache (under the thread's lock, so concurrent fetches of one id download once) and the
    /// cache path returned. Offline, only the cache is read. Without a cache, `destination` is
    /// required and receives the mbox (atomically).
    public func fetch(
        _ id: MessageID,
        from server: InboxServer,
        to destination: String? = nil,
        progress: (any FetchProgress)? = nil
    ) throws(LoreError) -> FetchedThread {
        let url = server.threadURL(for: id)
        let got = try cachedDownload(key: id.value, url: url, post: nil, notFound: .unknownMessage(id), to: destination,
                                     progress: progress, what: "fetch",
                                     notCached: { .notCached(messageID: id, cacheDirectory: $0) })
        return try result(id: id, url: got.url, requested: url, path: got.path, origin: got.origin)
    }

    /// The cache's copy of `url` kept under `key`, or a download of it: with a cache, a fresh
    /// entry is used as is, else the download is written into the cache under the key's lock (so
    /// concurrent fetches download once; the entry looked at again once the lock is held).
    /// Offline, only the cache answers (`notCached` with the folder, when it has nothing). Without
    /// a cache, `destination` receives the download. Returns the file, the URL that answered and
    /// where it came from.
    func cachedDownload(key: String, url: String, post: [UInt8]?, notFound: NotFound, to destination: String?,
                        progress: (any FetchProgress)?, what: String,
                        notCached: (String) -> LoreError) throws(LoreError) -> (path: String, url: String, origin: FetchedThread.Origin) {
        func cached(_ entry: ThreadCache.Entry) -> (path: String, url: String, origin: FetchedThread.Origin) {
            (entry.path, entry.url ?? url, .cache(age: max(0, Date().timeIntervalSince1970 - entry.modified)))
        }
        guard let cache else {
            if options.offline { throw notCached("the cache is disabled") }
            guard let destination else {
                throw .io(operation: "\(what) without a cache or an output file for", path: url, errno: EINVAL)
            }
            let file = try AtomicFile(replacing: destination)
            let (attempts, answered) = try download(url: url, post: post, notFound: notFound, into: file, progress: progress)
            try file.commit()
            return (destination, answered, .network(attempts: attempts))
        }
        if options.offline {
            guard let entry = cache.entry(forKey: key) else { throw notCached(cache.directory) }
            return cached(entry)
        }
        // What fetches killed earlier left behind goes first (held locks and recent files stay).
        cache.removeStaleFiles()
        if let entry = freshEntry(cache, key: key) { return cached(entry) }
        try cache.createDirectory()
        let lock = try cache.lock(key: key)
        defer { lock.unlock() }
        // Someone else may have fetched it while we waited for the lock.
        if let entry = freshEntry(cache, key: key) { return cached(entry) }
        let target = cache.path(forKey: key)
        let file = try AtomicFile(replacing: target, mode: 0o600)
        let (attempts, answered) = try download(url: url, post: post, notFound: notFound, into: file, progress: progress)
        cache.writeMeta(key: key, url: answered)
        try file.commit()
        return (target, answered, .network(attempts: attempts))
    }

    /// Fetches a thread named on the command line: resolves the server (pasted link, `lore`
    /// option, `LKML_REVIEW_LORE`, `git config b4.midmask` as `gitMidmask` reads it,
    /// lore.kernel.org) and fetches into the cache. The usual entry point for "review this message-id".
    public func fetch(
        _ reference: ThreadReference,
        lore option: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        gitMidmask: () -> String? = { nil },
        progress: (any FetchProgress)? = nil
    ) throws(LoreError) -> FetchedThread {
        let server = try InboxServer.resolve(reference: reference, option: option, environment: environment,
                                             gitMidmask: gitMidmask).server
        return try fetch(reference.messageID, from: server, progress: progress)
    }

    /// What the cache holds under `key` when it is younger than `cacheTTL` (a clock a minute
    /// behind the file's time is tolerated).
    func freshEntry(_ cache: ThreadCache, key: String) -> ThreadCache.Entry? {
        guard options.cacheTTL > 0, let entry = cache.entry(forKey: key) else { return nil }
        let age = Date().timeIntervalSince1970 - entry.modified
        return age >= -60 && age <= options.cacheTTL ? entry : nil
    }

    private func result(id: MessageID, url: String, requested: String, path: String,
                        origin: FetchedThread.Origin) throws(LoreError) -> FetchedThread {
        let (count, size) = try countMboxMessages(atPath: path)
        return FetchedThread(messageID: id, url: url, requestedURL: requested, path: path, origin: origin, size: size,
                             messageCount: count)
    }

    /// What a 404 or 410 answer means: the message-id is unknown (an error), or a search matched
    /// nothing (an empty result).
    enum NotFound {
        case unknownMessage(MessageID)
        case noMatch
    }

    /// Downloads `url` into `file` (emptied before each attempt), as a GET or, with `post`, a POST
    /// of that body; returns the attempts made and the URL that answered (after redirects). A
    /// search that matched nothing leaves the file empty.
    func download(url: String, post: [UInt8]? = nil, notFound: NotFound, into file: AtomicFile,
                  progress: (any FetchProgress)?) throws(LoreError) -> (attempts: Int, url: String) {
        var request = options.transfer
        request.url = url
        if let post {
            request.method = .post
            request.body = post
        }
        let attempts = max(1, options.attempts)
        var attempt = 1
        while true {
            defer { progress?.finish() }
            var sink: MboxSink?
            do {
                try file.reset()
                let receiver = try MboxSink(notFound: notFound, url: url, file: file, maxSize: options.maxSize, progress: progress)
                sink = receiver
                let head = try client.perform(request, handler: receiver)
                try receiver.finish()
                return (attempt, head.url.isEmpty ? url : head.url)
            } catch {
                // Named by the URL that answered when there was an answer (after redirects).
                let failure = Self.loreError(error, url: sink?.url ?? url, attempts: attempt)
                guard attempt < attempts, Self.isRetryable(failure) else { throw failure }
                var delay = min(options.retryDelay * Double(1 << min(attempt - 1, 10)), 60)
                if case .httpStatus(let code, let answered) = failure, let asked = sink?.retryAfter {
                    // The server said when to come back: then, or not at all when that is later
                    // than this fetch waits.
                    if asked > options.maxRetryWait {
                        throw .retryLater(code: code, url: answered, retryAfter: asked, maxWait: options.maxRetryWait)
                    }
                    delay = asked
                }
                pause(seconds: delay)
                attempt += 1
            }
        }
    }

    static func loreError(_ error: any Error, url: String, attempts: Int) -> LoreError {
        switch error {
        case let error as LoreError: return error
        case let error as HTTPTransportError:
            // A failure after a redirect names the URL the redirect led to.
            if error.kind == .tooLarge { return .tooLarge(limit: 0, url: error.url ?? url) }
            return .transfer(error, url: error.url ?? url, attempts: attempts)
        case let error as GzipError:
            if case .limitExceeded(let limit) = error { return .tooLarge(limit: limit, url: url) }
            return .badGzip(error, url: url)
        default:
            return .transfer(HTTPTransportError(kind: .other, message: "\(error)"), url: url, attempts: attempts)
        }
    }

    static func isRetryable(_ error: LoreError) -> Bool {
        switch error {
        case .transfer(let transport, _, _): return transport.isRetryable
        case .httpStatus(let code, _): return code == 429 || code >= 500
        case .badGzip(.truncated, _): return true // the connection most likely dropped
        default: return false
        }
    }
}

/// Receives `t.mbox.gz` (or a search's mbox): checks the status, sniffs gzip (or a plain mbox),
/// decodes under the cap and writes the mbox to the file. An HTML page or anything else is refused.
/// A search's 404 is an empty result: its page is dropped and nothing written.
final class MboxSink: HTTPResponseHandler {
    private enum Mode { case sniffing, gzip, plain, refused, discarding }

    let notFound: ThreadFetcher.NotFound
    /// The URL asked for until the response arrives, then the URL that answered (after redirects):
    /// the one every error names.
    private(set) var url: String
    let file: AtomicFile
    let maxSize: Int
    let progress: (any FetchProgress)?
    private var decoder: GzipDecoder
    private var mode = Mode.sniffing
    private var sniffed: [UInt8] = []
    private var contentType: String?
    /// The seconds a 429 or 5xx answer's `Retry-After` asks to wait, when it said.
    private(set) var retryAfter: Double?
    private var received: Int64 = 0
    private var decoded: Int64 = 0
    /// Content-Length of the final response, from libcurl's progress reports.
    private var expected: Int64?
    /// Raw bytes allowed: a compressed body is smaller than the decoded one except for tiny or
    /// hostile bodies (endless empty gzip members), hence the cap plus slack.
    private var rawLimit: Int64 { Int64(maxSize) + (1 << 20) }

    init(notFound: ThreadFetcher.NotFound, url: String, file: AtomicFile, maxSize: Int, progress: (any FetchProgress)?) throws {
        self.notFound = notFound
        self.url = url
        self.file = file
        self.maxSize = maxSize
        self.progress = progress
        decoder = try GzipDecoder(limit: maxSize)
    }

    func receive(head: HTTPResponseHead) throws {
        if !head.url.isEmpty { url = head.url }
        switch head.status {
        case 200..<300:
            contentType = head.header("Content-Type")
        case 404, 410:
            switch notFound {
            case .unknownMessage(let id): throw LoreError.unknownMessageID(messageID: id, url: url)
            case .noMatch:
                mode = .discarding
            }
        default:
            if head.status == 429 || head.status >= 500, let value = head.header("Retry-After") {
                retryAfter = RetryAfter.seconds(value, now: Date())
            }
            throw LoreError.httpStatus(code: head.status, url: url)
        }
    }

    func receive(body: UnsafeRawBufferPointer) throws {
        received += Int64(body.count)
        if received > rawLimit { throw LoreError.tooLarge(limit: maxSize, url: url) }
        switch mode {
        case .sniffing:
            sniffed.append(contentsOf: body)
            if sniffed.count >= 5 { try decide() }
        case .gzip:
            try decoder.decode(body) { try write($0) }
        case .plain:
            try writePlain(body)
        case .refused:
            sniffed.append(contentsOf: body.prefix(max(0, 4096 - sniffed.count)))
            if sniffed.count >= 4096 { throw refusal() }
        case .discarding:
            break
        }
        progress?.update(received: received, expected: expected, decoded: decoded)
    }

    func progress(received: Int64, expected: Int64?) {
        if let expected { self.expected = expected }
        progress?.update(received: self.received, expected: self.expected, decoded: decoded)
    }

    /// End of the body: flush the sniff buffer, check the gzip stream ended cleanly.
    func finish() throws {
        if mode == .discarding { return }
        if mode == .sniffing {
            if sniffed.isEmpty {
                throw LoreError.notMbox(url: url, contentType: contentType, excerpt: "empty response")
            }
            try decide()
        }
        switch mode {
        case .gzip: try decoder.finish()
        case .refused: throw refusal()
        case .plain, .sniffing, .discarding: break
        }
    }

    private func decide() throws {
        let start = sniffed
        sniffed = []
        if isGzip(start) {
            mode = .gzip
            try start.withUnsafeBytes { raw in try decoder.decode(raw) { try write($0) } }
        } else if start.starts(with: Array("From ".utf8)) {
            mode = .plain
            try start.withUnsafeBytes { try writePlain($0) }
        } else {
            mode = .refused
            sniffed = Array(start.prefix(4096))
            if sniffed.count >= 4096 { throw refusal() }
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        decoded += Int64(bytes.count)
        try file.write(bytes)
    }

    private func writePlain(_ bytes: UnsafeRawBufferPointer) throws {
        if decoded + Int64(bytes.count) > Int64(maxSize) { throw LoreError.tooLarge(limit: maxSize, url: url) }
        try write(bytes)
    }

    private func refusal() -> LoreError {
        .notMbox(url: url, contentType: contentType, excerpt: pageExcerpt(sniffed))
    }
}

/// Sleeps `seconds` (nothing for 0 or less), again after a signal.
func pause(seconds: Double) {
    guard seconds > 0, seconds.isFinite else { return }
    var left = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    var rest = timespec()
    while nanosleep(&left, &rest) != 0 && errno == EINTR { left = rest }
}

/// A short, printable summary of a page: its `<title>` or its first text, control characters
/// and markup removed.
func pageExcerpt(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
    var candidate = text
    if let open = text.range(of: "<title>", options: .caseInsensitive),
       let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
        candidate = String(text[open.upperBound..<close.lowerBound])
    } else if let body = text.range(of: "<body", options: .caseInsensitive) {
        candidate = String(text[body.lowerBound...])
    }
    var out = ""
    var inTag = false
    var lastSpace = true
    for scalar in candidate.unicodeScalars {
        if scalar == "<" { inTag = true; continue }
        if scalar == ">" { inTag = false; continue }
        if inTag { continue }
        let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7f
            || (0x80..<0xa0).contains(scalar.value)
        if isSpace {
            if !lastSpace { out += " " }
            lastSpace = true
        } else {
            out.unicodeScalars.append(scalar)
            lastSpace = false
        }
        if out.count >= 160 { out += "…"; break }
    }
    return out.trimmingCharacters(in: .whitespaces)
}
