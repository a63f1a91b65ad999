// Naming a thread: the spellings of a message-id people paste, and public-inbox's URL escaping.

/// A message-id without its angle brackets, e.g. `20210719193503.793910-1-akrowiak@linux.ibm.com`.
public struct MessageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id itself (no `<>`).
    public let value: String

    /// The longest message-id accepted (RFC 5322 lines are at most 998 characters).
    public static let maximumLength = 998

    /// Validates a bare message-id (no brackets, no prefix): not empty, no control characters,
    /// not longer than `maximumLength` bytes.
    public init(_ value: String) throws(LoreError) {
        if value.isEmpty {
            throw .invalidMessageID(input: value, reason: "empty message-id")
        }
        if value.utf8.count > Self.maximumLength {
            throw .invalidMessageID(input: value, reason: "longer than \(Self.maximumLength) bytes")
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw .invalidMessageID(input: value, reason: "contains control characters")
        }
        self.value = value
    }

    /// Parses `msgid@host`, `<msgid@host>` (trailing text after `>` ignored), `id:msgid@host`,
    /// `id:<msgid@host>`, the search prefixes `msgid:` and `rfc822msgid:` (as b4 and mail
    /// searches write them) and `mid:` URLs (RFC 2392, percent-encoded). Surrounding white space
    /// is ignored. Public-inbox links are parsed by `ThreadReference(parsing:)`.
    public init(parsing input: String) throws(LoreError) {
        var text = Substring(input).trimmingWhitespace()
        var percentEncoded = false
        if let prefix = Self.plainPrefix(text) {
            text = text.dropFirst(prefix.count).trimmingWhitespace()
        } else if text.lowercased().hasPrefix("mid:") {
            text = text.dropFirst(4).trimmingWhitespace()
            percentEncoded = true
        }
        if text.hasPrefix("<") {
            guard let close = text.firstIndex(of: ">") else {
                throw .invalidMessageID(input: input, reason: "'<' without a closing '>'")
            }
            text = text[text.index(after: text.startIndex)..<close].trimmingWhitespace()
        }
        var value = String(text)
        if percentEncoded {
            guard let decoded = percentDecode(text) else {
                throw .invalidMessageID(input: input, reason: "bad percent-encoding")
            }
            value = decoded
        }
        do {
            try self.init(value)
        } catch {
            if case .invalidMessageID(_, let reason) = error {
                throw .invalidMessageID(input: input, reason: reason)
            }
            throw error
        }
    }

    /// The prefixes written before a message-id as it is (not percent-encoded), longest first.
    static let plainPrefixes = ["rfc822msgid:", "msgid:", "id:"]

    /// The plain prefix `text` starts with (any case), if any.
    static func plainPrefix(_ text: Substring) -> String? {
        let lower = text.prefix(12).lowercased()
        return plainPrefixes.first { lower.hasPrefix($0) }
    }

    /// The id escaped for a public-inbox URL path: `A-Za-z0-9-._~!$&'()*+,;=:@` stay as they are,
    /// every other UTF-8 byte (`/`, `%`, `?`, `#`, space, non-ASCII …) becomes `%XX`. The ids `.`
    /// and `..` become `%2E` and `%2E%2E`: as a path segment of their own they would be read as
    /// "this folder" and "the folder above" (libcurl and servers remove such segments), and the
    /// request would leave the inbox.
    public var urlEscaped: String {
        let escaped = publicInboxEscape(value)
        return isDotSegment(escaped) ? String(repeating: "%2E", count: escaped.utf8.count) : escaped
    }

    public var description: String { "<\(value)>" }

    /// The id's domain (after the last `@`) is one reserved for examples and tests (RFC 2606,
    /// RFC 6761): the top-level `.invalid`, `.test`, `.example`, `.localhost`, `localhost` itself, or
    /// a second-level `example` (`example.com`, `example.org`, …). No public-inbox serves such an
    /// id, so asking one for it only costs a round trip (and leaks what is being read).
    public var isInReservedDomain: Bool { Self.isReservedDomain(of: value) }

    /// `isInReservedDomain` for a bare message-id string.
    public static func isReservedDomain(of id: String) -> Bool {
        guard let at = id.lastIndex(of: "@") else { return false }
        var domain = id[id.index(after: at)...].lowercased()
        while domain.hasSuffix(".") { domain.removeLast() }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard let top = labels.last, !top.isEmpty else { return false }
        if ["invalid", "test", "example", "localhost"].contains(top) { return true }
        return labels.count >= 2 && labels[labels.count - 2] == "example"
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.value < rhs.value }
}

/// A thread named by the user: its message-id and, when the user pasted a link, the
/// public-inbox it came from (which then wins over every configured server).
public struct ThreadReference: Sendable, Hashable {
    public var messageID: MessageID
    /// The inbox named by a pasted URL, e.g. `https://lore.kernel.org/linux-sparse/%s`.
    public var server: InboxServer?

    public init(messageID: MessageID, server: InboxServer? = nil) {
        self.messageID = messageID
        self.server = server
    }

    /// Parses any accepted form: `msgid@host`, `<msgid@host>`, `id:msgid@host`, `msgid:` and
    /// `rfc822msgid:` forms, `mid:` URLs; public-inbox links `https://HOST/[PREFIX/]LIST/ID/`
    /// followed optionally by `T/`, `t/`, `raw`, `t.mbox.gz`, `t.atom`, `#anchor` or a query (the
    /// ID percent-decoded; lore's `/r/` redirector is read as `/all/`); `patch.msgid.link/ID` and
    /// `msgid.link/ID` redirectors and patchwork links `…/project/NAME/patch/ID/` (`cover/ID/`),
    /// whose ID is the message-id, which name no inbox; and any of these after `Link:`, as a
    /// pasted trailer line (text after the first word following `Link:` is ignored).
    public init(parsing input: String) throws(LoreError) {
        var text = Substring(input).trimmingWhitespace()
        if text.prefix(5).lowercased() == "link:" {
            text = text.dropFirst(5).trimmingWhitespace()
            text = text.prefix { !$0.isWhitespace }
            if text.isEmpty { throw .invalidMessageID(input: input, reason: "nothing after 'Link:'") }
        }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            self = try Self.parseURL(String(text), original: input)
        } else {
            self.init(messageID: try MessageID(parsing: String(text)))
        }
    }

    /// Whether a command-line argument names a thread rather than a file: a http(s) link, an
    /// `id:`/`msgid:`/`rfc822msgid:`/`mid:` form, a `Link:` trailer, `<…>`, or `local@domain`
    /// without a `/` or white space. Callers should prefer an existing file of that name.
    public static func looksLikeReference(_ argument: String) -> Bool {
        let text = Substring(argument).trimmingWhitespace()
        let lower = text.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") || MessageID.plainPrefix(text) != nil
            || lower.hasPrefix("mid:") {
            return true
        }
        if lower.hasPrefix("link:") {
            let rest = lower.dropFirst(5).trimmingWhitespace()
            return rest.hasPrefix("https://") || rest.hasPrefix("http://")
        }
        if text.hasPrefix("<") && text.contains(">") { return true }
        guard let at = text.firstIndex(of: "@") else { return false }
        return at > text.startIndex && text.index(after: at) < text.endIndex && !text.contains("/")
            && !text.contains(where: \.isWhitespace)
    }

    /// Last path segments that name a view of a message rather than the message.
    private static let viewSegments: Set<String> = [
        "T", "t", "raw", "t.mbox.gz", "t.atom", "T.atom", "f", "d", "s", "R", "t.mbox", "mbox.gz",
    ]

    private static func parseURL(_ url: String, original: String) throws(LoreError) -> ThreadReference {
        // scheme://authority/path[?query][#fragment]
        guard let schemeEnd = url.range(of: "://") else {
            throw .invalidMessageID(input: original, reason: "not a URL")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard let slash = rest.firstIndex(of: "/") else {
            throw .invalidMessageID(input: original, reason: "the link has no path (expected https://HOST/LIST/MESSAGE-ID/)")
        }
        let authority = rest[..<slash]
        if authority.isEmpty || authority.contains("@") {
            throw .invalidMessageID(input: original, reason: "the link has no usable host")
        }
        var segments = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { isDotSegment($0) || percentDecode($0).map(isDotSegment) == true }) {
            throw .invalidMessageID(input: original, reason: "the link's path has a '.' or '..' segment, which would leave the inbox (expected https://HOST/LIST/MESSAGE-ID/)")
        }
        let host = authority.split(separator: ":").first.map { $0.lowercased() } ?? ""
        if host == "patch.msgid.link" || host == "msgid.link" {
            // b4's redirector to lore: https://patch.msgid.link/ID
            if segments.count >= 2, let last = segments.last, viewSegments.contains(String(last)) { segments.removeLast() }
            guard segments.count == 1 else {
                throw .invalidMessageID(input: original, reason: "expected https://\(host)/MESSAGE-ID")
            }
            return ThreadReference(messageID: try linkedID(segments[0], original: original))
        }
        if let p = segments.firstIndex(of: "project"), p + 3 < segments.count,
           segments[p + 2] == "patch" || segments[p + 2] == "cover" {
            // patchwork: https://HOST/project/NAME/patch/ID/ (then mbox/, raw/ …); the ID is the
            // patch's Message-ID in current patchwork, a number in old links.
            let raw = segments[p + 3]
            if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw .invalidMessageID(input: original, reason: "this patchwork link names patch \(raw) by number, not by Message-ID "
                                        + "(open it and use its Message-Id or lore link)")
            }
            return ThreadReference(messageID: try linkedID(raw, original: original))
        }
        if segments.count >= 3, let last = segments.last, viewSegments.contains(String(last)) || isAttachment(last) {
            segments.removeLast()
        }
        guard segments.count >= 2, let rawID = segments.last else {
            throw .invalidMessageID(input: original, reason: "expected https://HOST/LIST/MESSAGE-ID/ (with T/, raw or t.mbox.gz optional)")
        }
        let messageID = try linkedID(rawID, original: original)
        var inbox = segments.dropLast().map(String.init)
        if inbox.count == 1 && inbox[0] == "r" { inbox[0] = "all" }
        let mask = "\(scheme)://\(authority)/" + inbox.joined(separator: "/") + "/%s"
        return ThreadReference(messageID: messageID, server: try InboxServer(midmask: mask))
    }

    /// The message-id in a link's path segment: percent-decoded, `<…>` removed.
    private static func linkedID(_ rawID: Substring, original: String) throws(LoreError) -> MessageID {
        guard let decoded = percentDecode(rawID) else {
            throw .invalidMessageID(input: original, reason: "bad percent-encoding in the message-id")
        }
        var id = Substring(decoded)
        if id.hasPrefix("<") && id.hasSuffix(">") && id.count >= 2 {
            id = id.dropFirst().dropLast()
        }
        do {
            return try MessageID(String(id))
        } catch {
            if case .invalidMessageID(_, let reason) = error {
                throw .invalidMessageID(input: original, reason: reason)
            }
            throw error
        }
    }

    /// public-inbox attachment names: `2-foo.patch`, `1.2-bar.diff` (message-ids such as
    /// `20210719193503.793910-1-a@b` look alike but hold an `@`).
    private static func isAttachment(_ segment: Substring) -> Bool {
        if segment.contains("@") || segment.lowercased().contains("%40") { return false }
        guard let dash = segment.firstIndex(of: "-"), dash > segment.startIndex else { return false }
        return segment[..<dash].allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }
}

/// public-inbox's `mid_escape`: keep `A-Za-z0-9-._~!$&'()*+,;=:@`, percent-encode every other
/// UTF-8 byte with upper-case hex.
public func publicInboxEscape(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in s.utf8 {
        if isPublicInboxSafe(byte) {
            out.append(byte)
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xf)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

@inline(__always)
private func isPublicInboxSafe(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
         UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
         UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
         UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"),
         UInt8(ascii: "@"):
        return true
    default:
        return false
    }
}

/// `.` or `..`: a URL path segment that names the folder itself or the one above (RFC 3986 §5.2.4).
func isDotSegment(_ segment: some StringProtocol) -> Bool {
    segment == "." || segment == ".."
}

/// Decodes `%XX` sequences (as UTF-8); nil on a malformed escape or invalid UTF-8.
func percentDecode(_ s: some StringProtocol) -> String? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(s.utf8.count)
    var iterator = s.utf8.makeIterator()
    while let b = iterator.next() {
        if b == UInt8(ascii: "%") {
            guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(h << 4 | l)
        } else {
            bytes.append(b)
        }
    }
    return String(validating: bytes, as: UTF8.self)
}

private func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
