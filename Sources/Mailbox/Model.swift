/// Mailbox turns bytes into messages and messages into threads.
///
/// It reads one RFC 5322 message, mbox files (mboxo and mboxrd, plain or gzip-compressed), Maildir
/// folders and standard input; it decodes headers (unfolding, RFC 2047 words, addresses, dates,
/// message-ids), walks the MIME tree, picks the text part a reviewer reads, keeps patch
/// attachments, parses `[PATCH v2 3/7]` subjects and the sender's own trailers, and groups messages
/// into threads and patch series. Everything works on bytes; `String`s are created only for the
/// fields a user is shown. Bad input never traps: it becomes a `ParseWarning` on the message it
/// concerns, so the other messages of a file are never lost.
import Foundation

/// Something the parser noticed and worked around. Never fatal for the other messages.
public struct ParseWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case missingDate, badDate, missingMessageID, badMessageID, missingFrom, badAddress
        case noHeaders, malformedHeader, tooManyHeaders, headerTooLong
        case badEncodedWord, unknownCharset, undecodableText
        case badBase64, badQuotedPrintable, unknownTransferEncoding
        case missingBoundary, unclosedMultipart, mimeTooDeep, tooManyParts
        case nulBytes, lineTooLong, messageTooLarge, truncated, binaryData
        case duplicateMessageID, noTextPart, gzip
    }
    public var code: Code
    public var detail: String
    public init(_ code: Code, _ detail: String) { self.code = code; self.detail = detail }
    public var description: String { "\(code.rawValue): \(detail)" }
}

/// A mailbox address: `Display Name <local@domain>`.
public struct Address: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String?
    public var email: String
    public init(name: String?, email: String) { self.name = name; self.email = email }
    /// The name when there is one, else the address.
    public var displayName: String { (name?.isEmpty == false) ? name! : email }
    public var description: String {
        if let name, !name.isEmpty { return "\(name) <\(email)>" }
        return email
    }
}

/// One decoded header field, in message order.
public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    /// Unfolded, RFC 2047-decoded value.
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// What the subject line says about the patch: `Re: [RFC PATCH net-next v2 3/7] foo: bar`.
public struct SubjectInfo: Sendable, Hashable, Codable {
    /// The subject without reply prefixes and bracketed tags.
    public var title: String
    /// `Re:`, `Fwd:`, `Aw:` … were present.
    public var isReply: Bool
    public var isForward: Bool
    /// The bracket held PATCH (or PATCHv3 etc.).
    public var isPatch: Bool
    public var isRFC: Bool
    public var isResend: Bool
    /// 1 when no version is given.
    public var version: Int
    /// Series position: `3` in `3/7`; nil when absent.
    public var index: Int?
    public var total: Int?
    /// Other words inside the brackets (`net-next`, `bpf`, …).
    public var tags: [String]
    public var isCoverLetter: Bool { index == 0 && (total ?? 0) > 0 }
    /// `[GIT PULL]`, `[ANNOUNCE]`: not a patch even when it carries a diff.
    public var isPullRequest: Bool { tags.contains { ["pull", "git", "announce", "ann"].contains($0.lowercased()) } }
    public init(title: String, isReply: Bool = false, isForward: Bool = false, isPatch: Bool = false,
                isRFC: Bool = false, isResend: Bool = false, version: Int = 1, index: Int? = nil,
                total: Int? = nil, tags: [String] = []) {
        self.title = title; self.isReply = isReply; self.isForward = isForward; self.isPatch = isPatch
        self.isRFC = isRFC; self.isResend = isResend; self.version = version; self.index = index
        self.total = total; self.tags = tags
    }
}

/// A trailer line from the sender's own text, like `Acked-by: A <a@b>`.
public struct Trailer: Sendable, Hashable, Codable {
    /// Canonical spelling: `Acked-by`, `Reviewed-by`, `Fixes`, …
    public var key: String
    public var value: String
    /// The person named, for `*-by` trailers.
    public var person: Address?
    /// True when the person is not the message's sender (e.g. a forwarded ack).
    public var isOnBehalf: Bool
    /// 0-based line index of the trailer in `Message.body`.
    public var line: Int
    public init(key: String, value: String, person: Address?, isOnBehalf: Bool, line: Int) {
        self.key = key; self.value = value; self.person = person; self.isOnBehalf = isOnBehalf; self.line = line
    }
}

/// A node of the MIME tree.
public struct MIMEPart: Sendable, Hashable, Codable {
    /// `text/plain`, `multipart/mixed`, … lowercased.
    public var contentType: String
    public var charset: String?
    public var transferEncoding: String?
    public var filename: String?
    public var disposition: String?
    /// Decoded size in bytes (leaves only).
    public var size: Int
    public var children: [MIMEPart]
    /// Why this leaf was (or was not) used: "body", "patch", "skipped", …
    public var role: String
    public init(contentType: String, charset: String? = nil, transferEncoding: String? = nil,
                filename: String? = nil, disposition: String? = nil, size: Int = 0,
                children: [MIMEPart] = [], role: String = "") {
        self.contentType = contentType; self.charset = charset; self.transferEncoding = transferEncoding
        self.filename = filename; self.disposition = disposition; self.size = size
        self.children = children; self.role = role
    }
}

/// A patch found as an attachment (`text/x-patch`, `*.diff`, …), decoded to text.
public struct Attachment: Sendable, Hashable, Codable {
    public var filename: String?
    public var contentType: String
    public var text: String
    public init(filename: String?, contentType: String, text: String) {
        self.filename = filename; self.contentType = contentType; self.text = text
    }
}

/// One parsed mail message.
public struct Message: Sendable, Hashable, Codable {
    /// Position of the message in its input (0-based).
    public var index: Int
    /// Byte offset of the message in its input file.
    public var offset: Int
    public var headers: [HeaderField]
    public var subject: String
    public var subjectInfo: SubjectInfo
    public var from: Address?
    public var to: [Address]
    public var cc: [Address]
    /// Parsed `Date`, nil when absent or unparseable (a warning says which).
    public var date: Date?
    /// Message-ID without angle brackets.
    public var messageID: String?
    public var inReplyTo: String?
    public var references: [String]
    public var mime: MIMEPart
    /// The chosen text part, decoded to Unicode, LF line endings.
    public var body: String
    public var patchAttachments: [Attachment]
    public var trailers: [Trailer]
    public var warnings: [ParseWarning]

    public init(index: Int = 0, offset: Int = 0, headers: [HeaderField] = [], subject: String = "",
                subjectInfo: SubjectInfo = SubjectInfo(title: ""), from: Address? = nil,
                to: [Address] = [], cc: [Address] = [], date: Date? = nil, messageID: String? = nil,
                inReplyTo: String? = nil, references: [String] = [],
                mime: MIMEPart = MIMEPart(contentType: "text/plain"), body: String = "",
                patchAttachments: [Attachment] = [], trailers: [Trailer] = [], warnings: [ParseWarning] = []) {
        self.index = index; self.offset = offset; self.headers = headers; self.subject = subject
        self.subjectInfo = subjectInfo; self.from = from; self.to = to; self.cc = cc; self.date = date
        self.messageID = messageID; self.inReplyTo = inReplyTo; self.references = references
        self.mime = mime; self.body = body; self.patchAttachments = patchAttachments
        self.trailers = trailers; self.warnings = warnings
    }

    /// First header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The parent this message answers: `In-Reply-To`, else the last `References` entry.
    public var parentID: String? { inReplyTo ?? references.last }
}

extension Message {
    /// The mail carries a diff of its own: an unquoted `diff --git` line, or a `--- `, `+++ `, `@@ -`
    /// header sequence at the start of lines (a plain `diff -u`), in its text or a patch attachment.
    public var holdsDiff: Bool {
        if !patchAttachments.isEmpty { return true }
        var minus = false, plus = false
        let bytes = body.utf8
        var start = bytes.startIndex
        // Line by line, without making an array of lines: most mails hold no diff and are read to the end.
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = bytes[start..<end]
            if line.starts(with: "diff --git ".utf8) { return true }
            if plus, line.starts(with: "@@ -".utf8) { return true }
            plus = minus && line.starts(with: "+++ ".utf8)
            minus = line.starts(with: "--- ".utf8)
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return false
    }
}
