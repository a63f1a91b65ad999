/// Lore fetches a whole mail thread by message-id from lore.kernel.org or any other public-inbox
/// server, the way b4 users expect: it accepts every usual spelling of a message-id or a pasted
/// link, picks the server (`--lore`, `LKML_REVIEW_LORE`, b4's `b4.midmask`, a pasted URL's host),
/// downloads `ID/t.mbox.gz` over libcurl through the `HTTPClient` protocol (so nothing else ever
/// needs the network), decodes the gzip while it streams with a cap on the decoded size, retries
/// what is worth retrying, and keeps the result in an atomic, lock-protected per-thread cache
/// under `$XDG_CACHE_HOME/lkml-review` for offline use. It also asks a public-inbox search
/// (`InboxSearch`: `?q=…&x=m`, a POST) and keeps its result mbox in the same cache.
import Mailbox

/// Everything that can go wrong while naming, fetching or caching a thread, worded for the user.
public enum LoreError: Error, Sendable, CustomStringConvertible {
    /// The input is not a message-id, `<message-id>`, `id:message-id` or public-inbox URL.
    case invalidMessageID(input: String, reason: String)
    /// A server URL (`--lore`, `LKML_REVIEW_LORE`, `b4.midmask`) that cannot be used.
    case invalidServer(url: String, reason: String)
    /// The server answered 404: it does not know this message-id.
    case unknownMessageID(messageID: MessageID, url: String)
    /// Any other unexpected HTTP status (after retries for 429 and 5xx).
    case httpStatus(code: Int, url: String)
    /// 429 or 5xx with a `Retry-After` longer than the fetch waits (`FetchOptions.maxRetryWait`):
    /// given up at once rather than asking again too early.
    case retryLater(code: Int, url: String, retryAfter: Double, maxWait: Double)
    /// The server sent something that is neither gzip nor an mbox (typically an HTML error page).
    case notMbox(url: String, contentType: String?, excerpt: String)
    /// The network transfer failed (after retries when the failure was worth retrying).
    case transfer(HTTPTransportError, url: String, attempts: Int)
    /// The thread's decoded (or raw) size passed the limit.
    case tooLarge(limit: Int, url: String)
    /// The gzip data was corrupt or cut short.
    case badGzip(GzipError, url: String)
    /// `--offline` and the thread is not in the cache.
    case notCached(messageID: MessageID, cacheDirectory: String)
    /// Offline (or without a cache) and this search's result is not in the cache.
    case notSearched(query: String, cacheDirectory: String)
    /// A file-system operation on the cache or an output file failed.
    case io(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidMessageID(let input, let reason):
            return "not a message-id or public-inbox link: \(Self.quote(input)): \(reason)"
        case .invalidServer(let url, let reason):
            return "cannot use public-inbox server \(Self.quote(url)): \(reason)"
        case .unknownMessageID(let id, let url):
            return "the server does not know message-id <\(id.value)> (404 Not Found for \(url))"
        case .httpStatus(let code, let url):
            let name = code == 429 ? " (Too Many Requests)" : ""
            return "the server answered HTTP \(code)\(name) for \(url)"
        case .retryLater(let code, let url, let retryAfter, let maxWait):
            let name = code == 429 ? " (Too Many Requests)" : ""
            return "the server answered HTTP \(code)\(name) for \(url) and asks to wait \(Self.seconds(retryAfter)) before "
                + "asking again, longer than this fetch waits (\(Self.seconds(maxWait))); try again later"
        case .notMbox(let url, let contentType, let excerpt):
            let type = contentType.map { " (Content-Type: \($0))" } ?? ""
            let what = excerpt.isEmpty ? "" : ": \(excerpt)"
            return "the server sent a page instead of a gzip-compressed mbox\(type) for \(url)\(what)"
        case .transfer(let error, let url, let attempts):
            let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
            return "cannot fetch \(url)\(tries): \(error)"
        case .tooLarge(let limit, let url):
            return "the thread at \(url) is larger than the limit of \(limit) bytes (raise it with --max-fetch-size)"
        case .badGzip(let error, let url):
            return "bad data from \(url): \(error)"
        case .notCached(let id, let dir):
            return "offline: thread <\(id.value)> is not in the cache (\(dir)); fetch it once without --offline"
        case .notSearched(let query, let dir):
            return "not searched: offline, and the search \(Self.quote(query)) is not in the cache (\(dir))"
        case .io(let operation, let path, let code):
            return "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// Whole seconds, e.g. `3600 s`.
    static func seconds(_ value: Double) -> String {
        value.isFinite && value < 1e12 ? "\(Int(value.rounded(.up))) s" : "a very long time"
    }

    /// Quotes a user-supplied string for a message, neutralising control characters.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if s.unicodeScalars.count > 200 { out += "…" }
        return out + "\""
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
