// Searching a public-inbox: `<inbox>/?q=<query>&x=m` asked with a POST answers the matching
// messages as a gzip-compressed mbox (`&t=1`: the whole threads of the matches); a 404 means that
// nothing matched. The query language is public-inbox's (Xapian): `nq:"change-id: …"` (text
// outside quotes), `f:` (From), `s:` (Subject), `dfn:` (a file name of a diff), `d:A..B` (dates,
// `YYYYMMDD`), `b:` (body). b4 finds a series' other revisions with `nq:"change-id: <id>"`.
//
// The mbox comes through `ThreadFetcher`'s machinery (retries, gzip decoded under the size cap,
// errors as `LoreError`) into the thread cache, kept under the search URL with the same freshness
// rule as a thread; offline, only the cache answers.

import Foundation

/// A search query in public-inbox's language, built term by term.
public struct InboxQuery: Sendable, Hashable, CustomStringConvertible {
    /// The terms, joined by spaces (public-inbox requires every term).
    public private(set) var terms: [String]

    public init(terms: [String] = []) { self.terms = terms }

    /// The query as sent.
    public var text: String { terms.joined(separator: " ") }
    public var description: String { text }
    public var isEmpty: Bool { terms.isEmpty }

    /// b4's `change-id: <id>` line, outside quoted text: `nq:"change-id: <id>"`.
    public static func changeID(_ id: String) -> InboxQuery {
        InboxQuery(terms: ["nq:\"change-id: " + id.filter { $0 != "\"" } + "\""])
    }

    /// Adds `prefix:value`; a value with characters other than letters, digits and `._/@+-` is
    /// quoted as a phrase (its own `"` dropped). An empty value adds nothing.
    public mutating func add(_ prefix: String, _ value: String) {
        let v = value.filter { $0 != "\"" && !$0.isNewline }
        guard !v.isEmpty else { return }
        let bare = v.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._/@+-".unicodeScalars.contains($0)
        }
        terms.append(prefix + ":" + (bare ? v : "\"" + v + "\""))
    }

    /// Adds `d:FROM..TO`, the days (UTC) of the two dates as `YYYYMMDD`.
    public mutating func addDays(from start: Date, to end: Date) {
        terms.append("d:" + Self.day(start) + ".." + Self.day(end))
    }

    /// A date's day in UTC as `YYYYMMDD`.
    public static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return (v < 10 ? "0" : "") + String(v) }
        return String(c.year ?? 0) + two(c.month) + two(c.day)
    }
}

extension InboxServer {
    /// The inbox a search asks: the mask up to its `%s`, ending in `/`
    /// (`https://lore.kernel.org/all/%s` → `https://lore.kernel.org/all/`).
    public var inboxURL: String {
        let head = midmask.components(separatedBy: "%s").first ?? midmask
        return head.hasSuffix("/") ? head : head + "/"
    }

    /// The URL of a search: `<inbox>/?q=<query>&x=m`, and `&t=1` for whole threads. The query is
    /// form-encoded (`+` for a space, `%XX` for anything but letters, digits and `-._~`), as b4
    /// writes it.
    public func searchURL(for query: InboxQuery, threads: Bool) -> String {
        inboxURL + "?q=" + InboxSearch.formEncode(query.text) + "&x=m" + (threads ? "&t=1" : "")
    }
}

/// The answer to a search: an mbox on disk (empty when nothing matched).
public struct SearchResult: Sendable, Hashable {
    public var query: InboxQuery
    /// Whole threads were asked for (`t=1`).
    public var threads: Bool
    /// The URL that answered, after redirects (from the cache: the one recorded).
    public var url: String
    /// The URL asked.
    public var requestedURL: String
    /// The mbox: the cache file, or the destination given.
    public var path: String
    public var origin: FetchedThread.Origin
    /// Size of the decoded mbox in bytes.
    public var size: Int64
    /// Messages in it (0: nothing matched).
    public var messageCount: Int
}

/// Asks a public-inbox search through `ThreadFetcher`'s client, options and cache.
public struct InboxSearch: Sendable {
    public var fetcher: ThreadFetcher

    public init(fetcher: ThreadFetcher) { self.fetcher = fetcher }

    /// The cache key of a search: `search:` and its URL (so that two servers never share a result).
    public static func cacheKey(url: String) -> String { cacheKeyPrefix + url }
    /// What every search's cache key starts with (a thread's key is its Message-ID, which has no `:`
    /// prefix of this kind).
    public static let cacheKeyPrefix = "search:"

    /// The messages matching `query` on `server` (with `threads`, the whole threads they are in).
    ///
    /// With a cache: a fresh cached result is used as is; otherwise the search is asked (a POST
    /// with an empty body) and its mbox written into the cache under the thread cache's lock
    /// rule, also when nothing matched (an empty file: the answer is kept as long as any).
    /// Offline, only the cache answers (`LoreError.notSearched` when it has nothing). Without a
    /// cache, `destination` receives the mbox.
    public func search(
        _ query: InboxQuery,
        threads: Bool = false,
        in server: InboxServer,
        to destination: String? = nil,
        progress: (any FetchProgress)? = nil
    ) throws(LoreError) -> SearchResult {
        let url = server.searchURL(for: query, threads: threads)
        let key = Self.cacheKey(url: url)
        let got = try fetcher.cachedDownload(key: key, url: url, post: [], notFound: .noMatch, to: destination,
                                             progress: progress, what: "search",
                                             notCached: { .notSearched(query: query.text, cacheDirectory: $0) })
        let (count, size) = try countMboxMessages(atPath: got.path)
        return SearchResult(query: query, threads: threads, url: got.url, requestedURL: url, path: got.path,
                            origin: got.origin, size: size, messageCount: count)
    }

    /// `application/x-www-form-urlencoded` encoding of one value: letters, digits and `-._~`
    /// stay, a space becomes `+`, every other UTF-8 byte `%XX`.
    public static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += (hex.count == 1 ? "%0" : "%") + hex
            }
        }
        return out
    }
}
