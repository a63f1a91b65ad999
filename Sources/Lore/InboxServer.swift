// Which public-inbox to ask, and the URL of a thread there.

#if canImport(Foundation)
import Foundation
#endif

/// A public-inbox server and inbox, as b4's `midmask`: a URL template where `%s` stands for the
/// escaped message-id, e.g. `https://lore.kernel.org/all/%s`.
public struct InboxServer: Sendable, Hashable, CustomStringConvertible {
    public let midmask: String

    /// lore.kernel.org's inbox of all lists: the default.
    public static let lore = InboxServer(trusted: "https://lore.kernel.org/all/%s")

    /// Environment variable naming the server (a base URL or a `%s` mask).
    public static let environmentVariable = "LKML_REVIEW_LORE"

    private init(trusted midmask: String) { self.midmask = midmask }

    /// A `%s` template (b4's `b4.midmask`) or a base URL such as `https://lore.kernel.org/all/`
    /// (then `%s` is appended). Only `http` and `https` URLs with a host are accepted.
    public init(midmask input: String) throws(LoreError) {
        let text = String(Substring(input).trimmingWhitespace())
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw .invalidServer(url: input, reason: "only http:// and https:// URLs are supported")
        }
        if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
            throw .invalidServer(url: input, reason: "contains spaces or control characters")
        }
        let afterScheme = text[text.index(text.startIndex, offsetBy: lower.hasPrefix("https://") ? 8 : 7)...]
        let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.contains("@") {
            throw .invalidServer(url: input, reason: "no host (or credentials in the URL)")
        }
        if text.contains("?") || text.contains("#") {
            throw .invalidServer(url: input, reason: "a query or fragment has no place in a server URL")
        }
        // `.` and `..` segments (also percent-encoded, as servers decode them) would move the
        // requests out of the inbox the path names.
        let path = afterScheme.dropFirst(host.count)
        if path.split(separator: "/").contains(where: { isDotSegment($0) || percentDecode($0).map(isDotSegment) == true }) {
            throw .invalidServer(url: input, reason: "its path has a '.' or '..' segment")
        }
        let placeholders = text.components(separatedBy: "%s").count - 1
        switch placeholders {
        case 0:
            midmask = (text.hasSuffix("/") ? text : text + "/") + "%s"
        case 1:
            midmask = text
        default:
            throw .invalidServer(url: input, reason: "more than one %s")
        }
    }

    /// Where the message itself is: the mask with the escaped id, ending in `/`.
    public func messageURL(for id: MessageID) -> String {
        var url = midmask.replacingOccurrences(of: "%s", with: id.urlEscaped)
        while url.hasSuffix("/") { url.removeLast() }
        return url + "/"
    }

    /// The whole thread as a gzip-compressed mbox: `…/ID/t.mbox.gz`.
    public func threadURL(for id: MessageID) -> String {
        messageURL(for: id) + "t.mbox.gz"
    }

    /// For a link to one list's inbox (`https://lore.kernel.org/linux-iio/%s`): the same server's
    /// `all` inbox (`https://lore.kernel.org/all/%s`), to ask when the list's inbox does not know the
    /// message (lore serves every list there). nil when this is `all` already, or when the mask has
    /// no inbox folder before `/%s`.
    public var allInbox: InboxServer? {
        guard let (site, inbox) = inboxParts, !inbox.isEmpty, inbox != "all" else { return nil }
        return try? InboxServer(midmask: site + "/all/%s")
    }

    /// The server to search: this one, or its `all` inbox when its inbox is no list (lore's `/r/`
    /// redirector, or none: `https://host/%s`).
    public var searchInbox: InboxServer {
        guard let (site, inbox) = inboxParts, inbox.isEmpty || inbox == "r" else { return self }
        return (try? InboxServer(midmask: site + "/all/%s")) ?? self
    }

    /// A `…/%s` mask cut at its last folder: the URL before it (`https://lore.kernel.org`) and the
    /// folder (`linux-iio`, `all`, `r`; empty for `https://host/%s`, whose URL is then the host's).
    private var inboxParts: (site: String, inbox: Substring)? {
        guard midmask.hasSuffix("/%s"), let schemeEnd = midmask.range(of: "://") else { return nil }
        let body = midmask[schemeEnd.upperBound..<midmask.index(midmask.endIndex, offsetBy: -3)]
        let root = String(midmask[..<schemeEnd.upperBound])
        guard let slash = body.lastIndex(of: "/") else { return (root + body, "") }
        return (root + body[..<slash], body[body.index(after: slash)...])
    }

    public var description: String { midmask }

    /// Where the server choice came from.
    public enum Source: String, Sendable {
        case pastedURL = "the pasted link"
        case option = "--lore"
        case environment = "LKML_REVIEW_LORE"
        case gitConfig = "git config b4.midmask"
        case builtIn = "default"
    }

    /// Chooses the server: a pasted link's host wins, then `--lore`, then `LKML_REVIEW_LORE`, then
    /// `git config b4.midmask` (asked only when needed: `gitMidmask` reads it; the executable's
    /// git config reader supplies it), then lore.kernel.org/all.
    public static func resolve(
        reference: ThreadReference,
        option: String?,
        environment: [String: String],
        gitMidmask: () -> String?
    ) throws(LoreError) -> (server: InboxServer, source: Source) {
        if let pasted = reference.server { return (pasted, .pastedURL) }
        return try resolve(option: option, environment: environment, gitMidmask: gitMidmask)
    }

    /// Chooses the server when no link names one (a search, an earlier revision named by its
    /// Message-ID): `--lore`, then `LKML_REVIEW_LORE`, then `git config b4.midmask`, then
    /// lore.kernel.org/all.
    public static func resolve(
        option: String?,
        environment: [String: String],
        gitMidmask: () -> String?
    ) throws(LoreError) -> (server: InboxServer, source: Source) {
        if let option, !option.isEmpty { return (try InboxServer(midmask: option), .option) }
        if let env = environment[environmentVariable], !env.isEmpty {
            return (try InboxServer(midmask: env), .environment)
        }
        if let mask = gitMidmask(), !mask.isEmpty { return (try InboxServer(midmask: mask), .gitConfig) }
        return (.lore, .builtIn)
    }
}
